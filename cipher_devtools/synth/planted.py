"""Synthetic admissions calls with planted Tier 3 patterns at known rates, to prove the insights recover them.

``generate(spec, n_calls, days, seed)`` writes text-level transcripts (``agent: ...`` / ``caller: ...``,
real-looking names, competitors and insurers spelled out, as Whisper would write them) together with the
truth of each call: the concern raised first (drawn from ``spec.first_concern_shares``), the concerns after
it, whether the caller is family or the patient, the competitor and insurer named, whether the signature
phrase was said, and whether a family-only objection was raised. Wording varies (several paraphrases per
concern, in varying sentence frames) so recovery measures the matcher, not string equality. The center's own
name appears in every greeting, sometimes misspelled the way ASR does, to test that it is never counted as a
competitor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cipher_devtools.synth.vocab import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, STAFF_FIRST_NAMES

CENTER_SPELLINGS = ["Harborview Recovery Center", "Harbor View Recovery", "Harbour View Recovery Center", "Harbor Hue Recovery"]
COMPETITORS = {"seaside_recovery": "Seaside Recovery", "pinecrest_treatment_center": "Pinecrest Treatment Center",
               "new_dawn_detox": "New Dawn Detox", "lakeview_behavioral_health": "Lakeview Behavioral Health"}  # fmt: skip
INSURERS = {"aetna": "Aetna", "cigna": "Cigna", "bcbs": "Blue Cross Blue Shield", "kaiser": "Kaiser", "medicaid": "Medicaid"}

CONCERN_LINES = {
    "insurance_and_cost": ["Do you guys take insurance?", "How much is this going to cost us?", "Is it covered by our plan, or is it out of pocket?",
                           "I'm worried we can't afford the deductible.", "What does the program cost?"],
    "length_of_stay": ["How long is the program?", "How many days would {they} have to stay there?", "Is it thirty days or longer?",
                       "How long does the whole thing take?"],
    "phone_and_visitation": ["Can {subj} bring {poss} phone?", "Are visits allowed on weekends?", "Would {subj} be able to keep {poss} cell phone?",
                             "When can the family visit?"],
    "detox_and_withdrawal": ["{subj_cap} gets really sick when {subj} tries to stop.", "Do you do detox there?",
                             "The withdrawals are the worst part.", "{subj_cap} had a seizure coming off last time."],
    "medication": ["Can {subj} stay on Suboxone?", "Do you guys do methadone?", "{subj_cap} takes medication for {poss} back."],
    "privacy_and_employer": ["Will {poss} employer find out?", "Is all of this confidential?"],
    "pets": ["What happens with {poss} dog while {subj} is there?", "Can pets come along?"],
}
FILLER_LINES = ["I don't really know where to start.", "It's been a rough couple of months.", "Okay, that makes sense.",
                "Thank you for explaining all of that.", "Sorry, this is a lot.", "Alright, I'm writing this down."]  # fmt: skip
# Several openers each, so that no one template sentence dominates the buyer phrases of a planted week.
PATIENT_OPENERS = ["I need help for myself, I've been using again.", "I'm looking for a program for myself.",
                   "I think I need to go to rehab.", "I want to get clean and I can't do it alone."]
FAMILY_OPENERS = ["I'm calling about my {relation} {patient}.", "I'm trying to find help for my {relation} {patient}.",
                  "My {relation} {patient} needs treatment and I don't know where to start."]
AGENT_LINES = ["Okay, let me check on that for you.", "That's a great question.", "I hear you.", "Sure, I can walk you through it.",
               "Let me pull that up."]  # fmt: skip
SIGNATURE_FRAMES = ["Honestly {subj} just {needs} to get away from everything for a while.",
                    "{subj_cap} {needs} to get away from everything, that's the thing.",
                    "I think getting away from everything would help. {subj_cap} really {needs} to get away from everything."]
FAMILY_OBJECTIONS = ["{subj_cap} doesn't think {subj} has a problem.", "{subj_cap} refuses to admit {subj} needs help.",
                     "{subj_cap} keeps saying {subj} can quit on {poss} own.", "{subj_cap} is in denial about all of it."]
SHARED_OBJECTIONS = ["I'm afraid {subj} will lose {poss} job over this.", "The problem is {subj} can't take time off work."]
COMPETITOR_FRAMES = {
    "left_early": "{subj_cap} went to {competitor} last year but left after a week.",
    "insurance_not_accepted": "We called {competitor} but they didn't take our insurance.",
    "shopping_around": "We're also looking at {competitor}.",
}


@dataclass
class PlantedSpec:
    first_concern_shares: dict[str, float] = field(default_factory=lambda: {
        "insurance_and_cost": 0.40, "length_of_stay": 0.25, "phone_and_visitation": 0.15, "detox_and_withdrawal": 0.20})
    later_concerns: tuple[str, ...] = ("insurance_and_cost", "length_of_stay", "phone_and_visitation", "detox_and_withdrawal", "medication", "privacy_and_employer", "pets")
    family_share: float = 0.45
    competitor_rate: float = 0.20
    insurer_rate: float = 0.50
    signature_rate: float = 0.30
    family_objection_rate: float = 0.50  # among family callers; never said by patients
    shared_objection_rate: float = 0.25
    misspelled_center_rate: float = 0.25


@dataclass
class PlantedCall:
    call_id: str
    day: str
    text: str
    truth: dict
    tracking: dict


def _pronouns(rng: random.Random, family: bool) -> dict:
    if not family:
        return {"subj": "I", "subj_cap": "I", "poss": "my", "they": "I", "needs": "need"}
    he = rng.random() < 0.5
    return {"subj": "he" if he else "she", "subj_cap": "He" if he else "She", "poss": "his" if he else "her",
            "they": "he" if he else "she", "needs": "needs"}


def _fix_verbs(sentence: str) -> str:
    return sentence.replace("I gets", "I get").replace("I tries", "I try").replace("I takes", "I take").replace(
        "I doesn't", "I don't").replace("I has", "I have").replace("I keeps", "I keep").replace("I is", "I am").replace(
        "I refuses", "I refuse").replace("I needs", "I need").replace("I had", "I had")  # fmt: skip


def _call(rng: random.Random, spec: PlantedSpec, call_id: str, day: str) -> PlantedCall:
    family = rng.random() < spec.family_share
    p = _pronouns(rng, family)
    relation = rng.choice(["son", "daughter", "husband", "wife", "brother"]) if family else None
    concerns = list(spec.first_concern_shares)
    first = rng.choices(concerns, weights=[spec.first_concern_shares[c] for c in concerns])[0]
    later = [c for c in spec.later_concerns if c != first]
    rng.shuffle(later)
    order = [first] + later[: rng.randint(1, 3)]
    center = rng.choice(CENTER_SPELLINGS[1:]) if rng.random() < spec.misspelled_center_rate else CENTER_SPELLINGS[0]
    staff = rng.choice(STAFF_FIRST_NAMES)
    caller_name = rng.choice(FIRST_NAMES_FEMALE + FIRST_NAMES_MALE)
    patient_name = rng.choice(FIRST_NAMES_FEMALE + FIRST_NAMES_MALE)
    turns = [("agent", f"Thank you for calling {center}, this is {staff}. How can I help you today?")]
    if family:
        opener = rng.choice(FAMILY_OPENERS).format(relation=relation, patient=patient_name)
        turns.append(("caller", f"Hi, my name is {caller_name}. {opener} {rng.choice(FILLER_LINES)}"))
    else:
        turns.append(("caller", f"Hi, this is {caller_name}. {rng.choice(PATIENT_OPENERS)} {rng.choice(FILLER_LINES)}"))
    turns.append(("agent", "I'm really glad you called. What questions can I answer for you?"))
    truth = {"caller_group": "family" if family else "patient", "concern_order": order, "first_concern": first,
             "competitor": None, "competitor_framing": None, "insurer": None, "signature": False,
             "family_objection": False, "shared_objection": False}  # fmt: skip
    extras: list[str] = []
    if rng.random() < spec.signature_rate:
        extras.append(rng.choice(SIGNATURE_FRAMES).format(**p))
        truth["signature"] = True
    if family and rng.random() < spec.family_objection_rate:
        extras.append(rng.choice(FAMILY_OBJECTIONS).format(**p))
        truth["family_objection"] = True
    if rng.random() < spec.shared_objection_rate:
        extras.append(rng.choice(SHARED_OBJECTIONS).format(**p))
        truth["shared_objection"] = True
    for i, concern in enumerate(order):
        line = rng.choice(CONCERN_LINES[concern]).format(**p)
        turns.append(("caller", _fix_verbs(line)))
        turns.append(("agent", rng.choice(AGENT_LINES)))
        if i == 0 and extras:  # after the first concern, so the first concern stays first
            for extra in extras:
                turns.append(("caller", _fix_verbs(extra)))
                turns.append(("agent", rng.choice(AGENT_LINES)))
    if rng.random() < spec.competitor_rate:
        cid = rng.choice(sorted(COMPETITORS))
        frame = rng.choice(sorted(COMPETITOR_FRAMES))
        turns.append(("caller", _fix_verbs(COMPETITOR_FRAMES[frame].format(competitor=COMPETITORS[cid], **p))))
        turns.append(("agent", "Thanks for telling me that."))
        truth["competitor"], truth["competitor_framing"] = cid, frame
    if rng.random() < spec.insurer_rate:
        iid = rng.choice(sorted(INSURERS))
        turns.append(("caller", f"Oh, and it's {INSURERS[iid]}, through {p['poss']} work."))
        turns.append(("agent", "Got it, I'll run the verification."))
        truth["insurer"] = iid
    turns.append(("caller", "Okay. Thank you so much."))
    text = "\n".join(f"{speaker}: {line}" for speaker, line in turns)
    hour = rng.choice(list(range(7, 23)) + [1, 3, 23])
    answered = rng.random() < (0.9 if 8 <= hour < 20 else 0.6)
    tracking = {
        "call_id": call_id, "day": day, "start_time": f"{day}T{hour:02d}:{rng.randrange(60):02d}:00", "direction": "inbound",
        "caller_number": f"619-555-{rng.randrange(10000):04d}", "answered": answered,
        "ring_seconds": rng.randint(3, 40) if answered else rng.randint(20, 90),
        "talk_seconds": rng.randint(120, 900) if answered else 0,
        "source": rng.choice(["google_ads", "facebook", "direct", "referral"]), "medium": rng.choice(["cpc", "organic"]),
        "campaign": rng.choice(["detox_search", "family_help", "brand"]),
        "landing_page": rng.choice(["/detox", "/insurance", "/family", "/"]),
    }  # fmt: skip
    return PlantedCall(call_id, day, text, truth, tracking)


def generate(spec: PlantedSpec, n_calls: int, days: int, seed: int = 11, start: date = date(2026, 3, 2)) -> list[PlantedCall]:
    """``n_calls`` calls spread evenly over ``days`` consecutive days from ``start`` (a Monday by default)."""
    calls = []
    for i in range(n_calls):
        rng = random.Random(f"cipher-planted:{seed}:{i}")
        day = (start + timedelta(days=i * days // n_calls)).isoformat()
        calls.append(_call(rng, spec, f"PLANT{seed:03d}{i:05d}", day))
    return calls


CALLBACK_MINUTES = (20, 120)  # planted latency of the center's callback to a missed after-hours call


def tracking_frame(calls: list[PlantedCall], seed: int = 11):
    """Call-tracking rows for ``calls`` plus an outbound callback for every missed after-hours call,
    ``CALLBACK_MINUTES`` later: what the intake metrics read."""
    import polars as pl

    rows = [dict(c.tracking) for c in calls]
    rng = random.Random(f"cipher-planted-callbacks:{seed}")
    for c in calls:
        t = c.tracking
        hour = int(t["start_time"][11:13])
        if not t["answered"] and not (8 <= hour < 20):
            start = datetime.fromisoformat(t["start_time"]) + timedelta(minutes=rng.randint(*CALLBACK_MINUTES))
            rows.append({**t, "call_id": t["call_id"] + "CB", "start_time": start.isoformat(), "direction": "outbound",
                         "answered": True, "ring_seconds": 5, "talk_seconds": 200})
    return pl.DataFrame(rows)
