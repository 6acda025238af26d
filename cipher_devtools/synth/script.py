"""The seeded dialogue builder shared by the audio generator and the text corpus.

``build_script(today, rng)`` returns a ``CallScript``: the turns of one fictional admissions call to
Harborview Recovery Center, each made of segments, with every planted identifier and must-survive phrase
labelled. The concerns a caller raises (insurance, cost, detox, length of stay, ...) are drawn and shuffled per
call, and so are the intake questions, so no two calls run in the same order.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from cipher_devtools.synth import spoken, values as v, vocab
from cipher_devtools.synth.persona import Persona, make_persona
from cipher_devtools.synth.segments import Part, RenderedTurn, ScriptTurn, Seg, make_turn, render_turn

CONCERNS = ["insurance", "length_of_stay", "detox", "medication", "programs", "visitation", "cost",
            "competitor", "objection", "family_worry", "dual_diagnosis"]
OBJECTIONS = ["cost", "work", "kids", "withdrawal_fear", "tried_before", "privacy", "distance"]
# The Safe Harbor categories this generator plants (IP addresses, biometrics and photos do not occur in
# admissions calls), plus the vertical tags Tier 3 counts.
PLANTED_CATEGORIES = frozenset({
    "NAME", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT",
    "LICENSE", "VEHICLE", "DEVICE", "URL", "OTHER_ID", "COMPETITOR", "INSURER", "PROVIDER",
})
MUST_SURVIVE_KINDS = frozenset({"substance", "medication", "program", "duration", "money", "state", "year", "age",
                                "center", "common_word", "condition"})
INTAKE_ITEMS = ["name_spelling", "dob", "address", "email", "ssn", "callback", "patient_phone", "mrn", "referral", "license",
                "plate", "device", "fundraiser", "fax", "booking", "employer"]


_DURATION_ASR = {
    "thirty days": ["30 days"], "sixty": ["60"], "ninety days": ["90 days"], "twenty-eight day": ["28-day", "28 day"],
    "five to seven days": ["5 to 7 days", "five to 7 days"], "three to five days": ["3 to 5 days"],
    "seventy-two hours": ["72 hours"],
}
_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")

# What fills the gap when one side would otherwise speak twice in a row.
_AGENT_PROMPTS = ["[Mm-hm|Sure|Okay]. What else can I [answer for you|help with|tell you about]?",
                  "[Okay|Of course|Absolutely]. Go ahead, ask me anything.",
                  "Sure. What other questions do you have[| for me| so far]?", "[Okay|Sure], I'm listening.",
                  "Of course. What else is on your mind?", "[Take your time|No rush]. What else [would help|do you want to know]?"]
_CALLER_BACKCHANNEL = ["Okay.", "Mm-hm.", "Okay, that makes sense.", "Right.", "Okay, good.", "Got it.", "[Oh|Okay], I didn't know that.",
                       "That's [good|helpful] to know.", "Okay, [thank you|thanks]."]


@dataclass
class CallScript:
    """One call's script plus the facts a marketing view should find in it (ground truth for Tier 3)."""

    persona: Persona
    turns: list[ScriptTurn]
    facts: dict = field(default_factory=dict)

    def render(self) -> list[RenderedTurn]:
        return [render_turn(t) for t in self.turns]


class _Dialogue:
    """Accumulates turns for one call; the block methods below write the conversation."""

    def __init__(self, persona: Persona, today: date, rng: random.Random) -> None:
        self.p = persona
        self.today = today
        self.rng = rng
        self.turns: list[ScriptTurn] = []
        self.facts: dict = {"concerns": [], "objections": [], "competitors": [], "medications": [],
                            "programs": [], "substances": [persona.substance] + (
                                [persona.second_substance] if persona.second_substance else []),
                            "insurer": persona.insurer, "caller_role": persona.role}
        self.asked: set[str] = set()

    # --- small helpers ---------------------------------------------------------------------------------------
    def agent(self, *parts: Part) -> None:
        if self.turns and self.turns[-1].speaker == "agent":
            self.turns.append(make_turn("caller", (self.vary(self.pick(_CALLER_BACKCHANNEL)),)))
        self.turns.append(make_turn("agent", tuple(self.vary(p) if isinstance(p, str) else p for p in parts)))

    def caller(self, *parts: Part) -> None:
        if self.turns and self.turns[-1].speaker == "caller":
            self.turns.append(make_turn("agent", (self.vary(self.pick(_AGENT_PROMPTS)),)))
        self.turns.append(make_turn("caller", tuple(self.vary(p) if isinstance(p, str) else p for p in parts)))

    def vary(self, text: str) -> str:
        """Expand inline alternatives in plain speech: "[a little|a bit] about" picks one per mention."""
        return _ALTERNATIVES.sub(lambda m: self.rng.choice(m.group(1).split("|")), text)

    @property
    def words(self) -> int:
        """Spoken words so far (a written phone number counts as its ten digits): what audio length follows."""
        return sum(len(t.speech.split()) for t in self.turns)

    def pick(self, options: list):
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def name(self, text: str) -> Seg:
        return v.name(text, self.rng)

    def pt(self) -> Seg:
        """The patient's first name as the caller says it."""
        return self.name(self.p.patient.first)

    def substance(self, key: str | None = None) -> Seg:
        key = key or self.p.substance
        word = self.p.substance_word if key == self.p.substance else self.pick(vocab.SUBSTANCES[key])
        return replace(v.keep(word, "substance", asr=[word.lower()]), canonical=key)

    def using(self) -> tuple[Part, ...]:
        """ "using fentanyl" / "drinking": the verb phrase for the patient's main substance."""
        if self.p.substance == "alcohol":
            return (self.drug("drinking", "alcohol"),)
        return ("using ", self.substance())

    def drug(self, word: str, key: str, asr: list[str] | None = None) -> Seg:
        """A substance named in a particular word ("vodka", "Xanax"), tagged with its canonical key."""
        return replace(v.keep(word, "substance", asr=asr or []), canonical=key)

    def med(self, word: str) -> Seg:
        return v.keep(word, "medication", asr=vocab.MEDICATION_ASR.get(word, []))

    def program(self, key: str, word: str | None = None) -> Seg:
        word = word or self.pick(vocab.PROGRAMS[key])
        return replace(v.keep(word, "program", asr=vocab.PROGRAM_ASR.get(word, [])), canonical=key)

    def duration(self, text: str) -> Seg:
        return v.keep(text, "duration", asr=_DURATION_ASR.get(text, []))

    def clinical(self) -> Seg:
        """The patient's main substance as the agent names it: "alcohol", "benzodiazepines", "opioids"."""
        word = {"alcohol": "alcohol", "opioids": "opioids", "fentanyl": "fentanyl", "heroin": "heroin",
                "benzos": "benzodiazepines", "meth": "meth", "cocaine": "cocaine"}[self.p.substance]
        return replace(v.keep(word, "substance"), canonical=self.p.substance)

    def insurer(self) -> Seg:
        word = self.p.insurer_word
        return v.tagged(word, "INSURER", self.p.insurer or "", vocab.INSURER_ASR.get(word, []))

    def comp(self, key: str, short: bool = False) -> Seg:
        forms = vocab.COMPETITORS[key]
        word = forms[1] if short and len(forms) > 1 else forms[0]
        return v.tagged(word, "COMPETITOR", key, vocab.COMPETITOR_ASR.get(word, []))

    def center(self) -> Seg:
        if self.chance(0.5):
            return v.keep(vocab.CENTER_NAME, "center", asr=["Harbor View Recovery Center", "harborview recovery center"])
        return v.keep("Harborview", "center", asr=["Harbor View", "harborview", "Harbourview"])

    def word(self, text: str) -> Seg:
        """An ordinary word that is also somebody's first name ("hope", "will", "mark"): must not be redacted."""
        return v.keep(text, "common_word")

    def x(self, mine: str, theirs: str) -> str:
        """Pick the caller's wording about the patient: ``mine`` when calling for themselves, else ``theirs``
        with {he}/{him}/{his} (and capitalized {He}/{His}) filled in for the patient."""
        if self.p.is_self:
            return mine
        pt = self.p.patient
        return theirs.format(he=pt.he, him=pt.him, his=pt.his, He=pt.he.capitalize(), His=pt.his.capitalize())

    # --- blocks ------------------------------------------------------------------------------------------------
    def opening(self) -> None:
        p, c, pt = self.p, self.p.caller, self.p.patient
        greet = self.pick([
            ("[Thank you|Thanks] for calling ", self.center(), ", this is ", self.name(p.agent_first), ". How can I help you[ today|]?"),
            (self.center(), " admissions, this is ", self.name(p.agent_first), "[ speaking|]. [Who do I have the pleasure of talking to|Who am I speaking with|How can I help]?"),
            ("[Hi|Good morning|Hello], you've reached ", self.center(), ". My name is ", self.name(p.agent_first), ", I'm [one of the admissions coordinators|on the admissions team]. How can I help?"),
        ])
        self.agent(*greet)
        intro_name = self.name(c.first) if self.chance(0.6) else self.name(c.full)
        using = self.using()
        if p.is_self:
            self.caller(*self.pick([
                ("Hi, um, my name is ", intro_name, ". I think I need help. The ", self.substance(), " has gotten really bad and I can't stop on my own."),
                ("Hey. Yeah, this is ", intro_name, ". I'm calling because I need to get into detox. I've been ", *using, " and I'm done, I'm just done."),
                ("Hi. I, uh, I found you guys online. I'm ", intro_name, " and I've got a problem with ", self.substance(), ". I don't really know how this works."),
                ("Hi. I need this to stay confidential, okay? My name's ", intro_name, ", and I need help with ", self.substance(), "."),
                ("Yeah, hi, I'm ", intro_name, ". I'm sitting in the ER parking lot right now. They said I should call you about ", self.substance(), "."),
            ]))
        else:
            self.caller(*self.pick([
                ("Hi, my name is ", intro_name, ", I'm calling about ", p.relation, ", ", self.pt(), ". ", pt.he.capitalize(), "'s been ", *using, " and I don't know what to do anymore."),
                ("Hello, yes, this is ", intro_name, ". I'm calling for ", p.relation, ", ", self.pt(), ". ", pt.he.capitalize(), " needs help with ", self.substance(), " and ", pt.he, " finally said ", pt.he, " will go."),
                ("Hi. Um, I'm ", intro_name, ". ", p.relation.capitalize(), " ", self.pt(), " is struggling with ", self.substance(), " and the family is trying to find a place for ", pt.him, "."),
                ("Hi, I'm ", intro_name, ". I'm not even sure I'm calling the right place. ", p.relation.capitalize(), ", ", self.pt(), ", has a problem with ",
                 self.substance(), ", and ", pt.he, " doesn't think ", pt.he, " does."),
                ("Hi, this is ", intro_name, ". ", p.relation.capitalize(), " is sitting right here with me. ", pt.he.capitalize(), " wants to stop ",
                 *using, " but ", pt.he, "'s scared to call."),
            ]))
        if self.chance(0.45):
            self.agent(self.pick(["I'm really glad you called", "Okay, you did the right thing by calling", "Thank you for reaching out"]),
                       ", ", self.name(c.first), ". In case we get [disconnected|cut off], what's the best number [to reach you|for you]?")
            self.caller(self.pick(["Yeah, it's ", "Sure, my cell is ", "It's this one, ", "Um, "]), v.phone(c.phone, self.rng), ".")
            self.asked.add("callback")

    def situation(self) -> None:
        p, pt = self.p, self.p.patient
        if p.is_self:
            self.agent("[Okay|Alright|Thank you for sharing that]. Can you tell me [a little|a bit|more] about what's going on? How long have you been [using|struggling with this], and how old are you, if you don't mind me asking?")
        else:
            self.agent("[Okay|Alright|I'm so sorry you're going through this]. Can you tell me [a little|a bit] about what's been [going on|happening] with ", self.pt(), "? [And how|How] old is ", pt.he, "?")
        age_seg = v.age(pt.age, self.rng)
        start_year = v.year(self.today.year - self.rng.randint(2, 9), self.rng)
        s = p.substance
        x = self.x
        lead: tuple[Part, ...] = (x("I'm ", "{He}'s "), age_seg, ". ")
        variants: list[tuple[Part, ...]]
        if s == "alcohol":
            variants = [
                (x("I've", "{He}'s"), " been drinking heavy since about ", start_year, ". Now it's like a fifth of ", self.drug("vodka", "alcohol"),
                 " a day, and ", x("my", "{his}"), " hands shake in the morning until ", x("I drink.", "{he} drinks.")),
                ("It started as a few beers after work, and now ", x("I'm", "{he}'s"), " hiding bottles. ",
                 x("I", "{He}"), " can't go a morning without ", self.substance(), " anymore."),
                (x("I've", "{He}'s"), " been a heavy drinker since ", start_year, ", but the last six months it's every day, all day. ",
                 x("I", "{He}"), " had a seizure once when ", x("I", "{he}"), " tried to stop."),
            ]
        elif s in ("opioids", "fentanyl", "heroin"):
            pills = self.substance("opioids")
            variants = [
                (x("I", "{He}"), " started on ", pills, " after a back surgery in ", start_year, ", and now it's ", self.substance(s),
                 ". ", x("I smoke", "{He} smokes") if s != "opioids" else x("I take", "{He} takes"), " it every day.") if s != "opioids" else
                (x("I", "{He}"), " started on ", pills, " after a back surgery in ", start_year, ". The doctor cut ", x("me", "{him}"),
                 " off and now ", x("I'm", "{he}'s"), " buying them on the street, and I'm scared they're pressed with ", self.drug("fentanyl", "fentanyl"), "."),
                (x("I've", "{He}'s"), " been using ", self.substance(s), " for about three years. ", x("I", "{He}"),
                 " tried to quit on ", x("my", "{his}"), " own last month and only made it two days."),
                ("It's ", self.substance(s), ". ", x("I", "{He}"), " lost ", x("my", "{his}"), " apartment over it. Since ", start_year,
                 " it's just been downhill."),
            ]
        elif s == "benzos":
            variants = [
                (x("I", "{He}"), " was prescribed ", self.drug("Xanax", "benzos", ["xanax", "Zanax"]), " for anxiety back in ", start_year,
                 " and now ", x("I take", "{he} takes"), " way more than prescribed, and ", x("I'm", "{he}'s"), " buying them off the street."),
                (x("I'm", "{He}'s"), " on ", self.drug("Klonopin", "benzos", ["klonopin", "Clonopin"]), " and ", self.substance("alcohol"),
                 " together, which I know is bad. ", x("I", "{He}"), " blacked out and crashed ", x("my", "{his}"), " car."),
            ]
        elif s == "meth":
            variants = [
                (x("I've", "{He}'s"), " been using ", self.substance(), " on and off since ", start_year, ". ", x("I don't", "{He} doesn't"),
                 " sleep for days, and the paranoia is getting scary."),
                ("It's ", self.substance(), ". ", x("I", "{He}"), " lost a lot of weight, and ", x("I'm", "{he}'s"), " hearing things that aren't there."),
            ]
        else:
            variants = [
                (x("I've", "{He}'s"), " been doing ", self.substance(), " mostly on weekends since ", start_year, ", but now it's every day."),
                ("It's ", self.substance(), ", and it's costing ", x("me", "{him}"), " everything. ", x("I", "{He}"), " spent the whole savings account."),
            ]
        detail = self.pick(variants)
        extra: tuple[Part, ...] = ()
        if p.second_substance and p.second_substance != s and self.chance(0.8):
            if p.second_substance == "alcohol":
                extra = (" And ", x("I drink", "{he} drinks"), " on top of it.")
            else:
                extra = (" And ", x("I use", "{he} uses"), " ", self.substance(p.second_substance), " too.")
        if p.grandparent_age and not p.is_self and self.chance(0.5):
            extra = (*extra, " ", pt.he.capitalize(), " lives with ", pt.his, " great-grandmother" if self.chance(0.3) else " grandmother",
                     ", who's ", v.age(p.grandparent_age, self.rng), ".")
            self.facts["grandparent_over_89"] = True
        if self.chance(0.35):
            extra = (*extra, " ", *self.living_situation())
        self.caller(*lead, *detail, *extra)
        if self.chance(0.45):
            self.facts["recent_event"] = True
            event_day = self.today - timedelta(days=self.rng.randint(2, 40))
            holiday, holiday_day = _recent_holiday(self.today)
            if s in ("opioids", "fentanyl", "heroin") and self.chance(0.7):
                self.agent("When was the last time ", "you" if p.is_self else pt.he, " used? Any overdoses?")
                self.caller(*self.pick([
                    (("I" if p.is_self else pt.he.capitalize()), " overdosed on ", v.full_date(event_day, self.rng, with_year=self.chance(0.3)),
                     ". ", "My roommate" if p.is_self else "My other son" if p.role in ("mother", "father") else "I", " had to use ", self.med("Narcan"),
                     ", and the ambulance took ", "me" if p.is_self else pt.him, " to ", v.place(self.pick(["Bayside Memorial Hospital", "Palomar Medical Center", "Grossmont Valley Health"]), "PROVIDER"), "."),
                    ("This morning. And ", "I" if p.is_self else pt.he, " overdosed back on ", v.full_date(event_day, self.rng, with_year=self.chance(0.3)),
                     ". We keep ", self.med("Narcan"), " in the house now."),
                ] + ([
                    (("I" if p.is_self else pt.he.capitalize()), " overdosed on ", holiday, ". In front of everybody. ",
                     "My brother" if p.is_self else "My husband" if p.caller.sex == "f" else "My wife", " had to use ", self.med("Narcan"), "."),
                ] if (self.today - holiday_day).days <= 45 else [])))
            else:
                self.agent("[Has anything happened recently|Did something happen] that made ", "you" if p.is_self else "you all", " decide to call [today|now]?")
                self.caller(*self.pick([
                    (("I" if p.is_self else pt.he.capitalize()), " got a DUI on ", v.full_date(event_day, self.rng, with_year=self.chance(0.3)),
                     ", and the judge wants ", "me" if p.is_self else pt.him, " in a program. The case number is ",
                     v.code(p.case_number, "ACCOUNT", self.rng), ", if that matters."),
                    (("I" if p.is_self else pt.he.capitalize()), " ended up in the ER at ",
                     v.place(self.pick(["Bayside Memorial Hospital", "Tri-City Medical Center", "Palomar Medical Center"]), "PROVIDER"),
                     " on ", v.full_date(event_day, self.rng, with_year=self.chance(0.3)), ". They said ", "my" if p.is_self else pt.his, " liver numbers are bad."),
                    ("Honestly ", "my wife" if p.is_self and pt.sex == "m" else "my family" if p.is_self else "the family",
                     " said enough is enough. We had a talk on ", v.full_date(event_day, self.rng, with_year=self.chance(0.3)), " and ",
                     "I" if p.is_self else pt.he, " agreed to go."),
                ]))

    def living_situation(self) -> tuple[Part, ...]:
        """Where and with whom the patient lives: cities, relatives' names, children's ages."""
        p, pt, x = self.p, self.p.patient, self.x
        elsewhere = self.pick([c[0] for c in vocab.CITIES if c[3] == p.home.state_abbr])
        kid_names = [self.pick(vocab.FIRST_NAMES_FEMALE + vocab.FIRST_NAMES_MALE) for _ in range(2)]
        partner = self.pick(vocab.FIRST_NAMES_MALE if p.caller.sex == "f" else vocab.FIRST_NAMES_FEMALE)
        options: list[tuple[Part, ...]] = [
            (x("I'm", "{He}'s"), " staying at a motel in ", v.place(elsewhere), " right now."),
            (x("I've", "{He}'s"), " been sleeping in ", x("my", "{his}"), " car in ", v.place(elsewhere), "."),
        ]
        if 24 <= pt.age <= 55:
            oldest = min(17, pt.age - 19)
            younger = self.rng.randint(1, max(1, oldest - 2))
            options.append((x("My", "{His}"), " kids, ", self.name(kid_names[0]), " and ", self.name(kid_names[1]), ", are ",
                            v.age(younger, self.rng), " and ", v.age(self.rng.randint(younger + 1, oldest), self.rng),
                            ", and they're staying with ", x("their " + ("dad" if pt.sex == "f" else "mom"), "me"), " for now."))
        streets = self.rng.sample(vocab.STREET_NAMES, 2)
        options.append((x("I've", "{He}'s"), " been crashing at a friend's place off ",
                        v.place(f"{streets[0]} and {streets[1]}"), ", by the gas station."))
        if not p.is_self:
            options.append((pt.he.capitalize(), " moved back in with me and my ", "husband" if p.caller.sex == "f" else "wife", ", ",
                            self.name(partner), ", after ", pt.he, " lost ", pt.his, " place."))
            options.append((self.name(pt.first), "'s dad and I are divorced, so it's mostly on me." if p.role == "mother" else
                            "'s been couch surfing, honestly. Nobody will take " + pt.him + " in anymore."))
        else:
            sister = self.pick(vocab.FIRST_NAMES_FEMALE)
            options.append(("I'm staying with my sister, ", self.name(sister), ", in ", v.place(elsewhere), ", but she wants me out."))
        return self.pick(options)

    def insurance(self) -> None:
        p, pt, x = self.p, self.p.patient, self.x
        self.agent(*self.pick([
            ("Do you know what kind of insurance ", x("you have?", "{he} has?")),
            ("And what insurance does ", x("you have?", "{he} have?")),
            ("Let's talk about coverage. Is ", x("there insurance", "{he} insured"), ", or would this be self-pay?"),
        ]))
        if p.insurer is None:
            self.caller(*self.pick([
                ("Nothing right now. ", x("I", "{He}"), " lost ", x("my", "{his}"), " job and the insurance went with it."),
                ("None. That's the problem. We'd be paying out of pocket.",),
                ("No insurance. ", x("I've", "{He}'s"), " been working cash jobs.",),
            ]))
            self.agent("That's okay. We have self-pay rates and we work with a lending partner, and I can also check if ",
                       x("you qualify", "{he} qualifies"), " for ",
                       v.tagged("Medi-Cal" if p.home.state_abbr == "CA" else "Medicaid", "INSURER", "medicaid"), ".")
            self.facts["self_pay"] = True
            return
        sub = p.subscriber
        if sub is p.caller and not p.is_self:
            whose: tuple[Part, ...] = (x("", "{He}'s on my plan, "), self.insurer(), self.pick([" through my job.", ", a PPO.", ", family plan."]))
        elif p.insurer == "tricare":
            whose = (x("I'm", "{He}'s"), " a veteran, so ", self.insurer(), ".")
        elif p.insurer == "medicaid":
            whose = (x("I have", "{He} has"), " ", self.insurer(), ". Do you take that?")
        else:
            whose = (x("I have", "{He} has"), " ", self.insurer(), self.pick([". A PPO, I think.", ". It's an HMO.", ", the card's right here.", ", through work."]))
        self.caller(*whose)
        if p.insurer == "medicaid":
            self.agent(self.pick(["To be honest with you, we're not contracted with ", "Right now we're out of network with "]), self.insurer(),
                       ", but I can still verify the plan and, if it won't cover us, I'll give you names of places that take it. Do you have the card?")
            self.facts["insurer_not_accepted"] = True
        elif p.insurer == "kaiser":
            self.agent("Okay, so ", self.insurer(), " usually wants to refer inside their own system first, but some members get an outside authorization. Can you read me the member ID off the card?")
        elif p.insurer == "tricare":
            self.agent("Thank you for your service. We do accept ", self.insurer(), ", and we have a veterans track. Can you read me the ID on the card?")
        else:
            self.agent(self.pick(["Great, we're in network with ", "Okay, we work with ", "Good news, we take "]), self.insurer(),
                       self.pick([" plans all the time.", ".", ", most plans anyway."]), " If you have the card handy, can you read me the member ID?")
        if self.chance(0.15):
            self.caller("I don't have the card on me. Can I call you back with it?")
            self.agent("Of course. Or you can text a picture of the front and back to this number; it goes to our secure line.")
            self.facts["insurance_verification"] = False
            return
        reading = self.pick(["Okay, it's ", "Hold on, let me find it. Okay, ", "It says ", "The member ID is "])
        self.caller(reading, v.code(p.member_id, "HEALTH_PLAN", self.rng), ". ",
                    *(("And the group number is ", v.code(p.group_number, "HEALTH_PLAN", self.rng), ".") if self.chance(0.7) else ()))
        if sub is p.caller and not p.is_self:
            self.agent("And since you're the subscriber, I'll need your date of birth too.")
            self.caller("Mine is ", v.full_date(sub.dob, self.rng), ".")
        elif "dob" not in self.asked:
            self.agent("And ", x("your", "{his}"), " date of birth?")
            self.caller(x("It's ", ""), v.full_date(pt.dob, self.rng), ".")
            self.asked.add("dob")
        if self.chance(0.35):
            self.agent("[So I have|Let me repeat that,|Okay, I've got] ", v.code(p.member_id, "HEALTH_PLAN", self.rng), ". Is that right?")
            self.caller(self.pick(["Yes, that's it.", "Yep.", "That's right."]))
        self.facts["insurance_verification"] = True

    def insurance_short(self) -> None:
        """The insurance question when the call has little room left: the carrier, and a promise to verify."""
        p, x = self.p, self.x
        self.caller(*self.pick([("Do you take ", self.insurer() if p.insurer else "self-pay", "?"),
                                ("Oh, and ", x("my", "{his}"), " insurance is ", self.insurer() if p.insurer else "nothing right now", ".")]))
        self.agent("I'll run a verification of benefits and [let you know|tell you] exactly what's covered. It's free and it doesn't commit you to anything.")
        self.facts["insurance_verification"] = bool(p.insurer)

    def length_of_stay(self) -> None:
        p = self.p
        who = "I" if p.is_self else p.patient.he
        self.caller(*self.pick([
            ("How long would ", who, " have to be there? Is it ", self.duration("thirty days"), "?"),
            ("How long is the program? Somebody told me it's ", self.duration("ninety days"), " and that seems like forever."),
            ("Is it like a ", self.duration("twenty-eight day"), " thing, or longer?"),
        ]))
        self.agent("[Most people start with|It usually starts with|Typically it's] ", self.duration("thirty days"), " of ", self.program("residential"),
                   ", but a lot of our clients [step down and stay|end up staying] ", self.duration("sixty"), " or ", self.duration("ninety days"),
                   " total. The clinical team will ", self.word("mark"), " that down in the treatment plan after ", self.program("detox"), ".")
        if self.chance(0.5):
            self.caller(*self.pick([("Okay. I ", self.word("hope"), " it's not the full "), ("That's a lot. Does insurance pay for the whole ",)]),
                        self.duration("ninety days"), "?")
            self.agent("It depends on medical necessity. We do reviews with the plan every week or so, and we fight for the days.")

    def detox(self) -> None:
        p, x = self.p, self.x
        s = p.substance
        self.caller(*self.pick([
            ("Do you do ", self.program("detox", "detox"), " there? ", x("I'm", "{He}'s"), " really scared of the withdrawals."),
            ("Is there a ", self.program("detox", "detox"), " first, or do ", x("I", "they"), " have to be clean before coming in?"),
            ("Does ", x("I", "{he}"), " need to ", self.program("detox", "detox"), " somewhere else first?"),
        ]))
        if s == "alcohol" or s == "benzos":
            self.agent("We have ", self.program("detox", "medical detox"), " on site. With ", self.clinical(),
                       " the withdrawal can actually be dangerous, seizures even, so please don't try to stop cold turkey at home. It's usually ",
                       self.duration("five to seven days"), " and the nurses are there around the clock.")
        elif s in ("meth", "cocaine"):
            self.agent("Yes, ", self.program("detox", "detox"), " is right here on our campus. With ", self.clinical(),
                       " there isn't a medication that reverses it, but the first ", self.duration("three to five days"),
                       " we focus on sleep, eating and mood, and the psychiatrist sees everyone.")
        else:
            self.agent(self.program("detox", "Medical detox"), " is right here on our campus. For ", self.clinical(),
                       " it's usually ", self.duration("five to seven days"), self.pick([", sometimes a little longer with fentanyl", ""]),
                       ". The doctor can start ", self.med("Suboxone"), " or use comfort meds, so nobody has to white-knuckle it.")
        if self.chance(0.35):
            staff = self.pick(vocab.STAFF_FIRST_NAMES)
            self.caller("Who's the doctor there?")
            self.agent("Our medical director is Doctor ", self.name(self.p.doctor_staff), ", and our head nurse, ",
                       self.name(staff), ", has been here eleven years. Someone sees every patient within twenty-four hours.")
        elif self.chance(0.4):
            self.caller(self.word("Will"), " ", x("I", "{he}"), " be sick the whole time?")
            self.agent("The first couple of days are the hardest, I won't lie, but we keep people as comfortable as we can.")

    def medication(self) -> None:
        p, x = self.p, self.x
        self.caller(*self.pick([
            (x("I'm", "{He}'s"), " on ", self.med("Suboxone"), " right now from a clinic. Can ", x("I", "{he}"), " keep taking it?"),
            ("Do you guys do the ", self.med("Vivitrol"), " shot? A friend said it helped her."),
            ("Someone told me ", self.med("methadone"), " is just trading one drug for another. Is that what you do?"),
            ("Do you use ", self.med("Suboxone"), " or ", self.med("methadone"), "? ", x("I", "{He}"), " tried ", self.med("Suboxone"), " before and hated it."),
            (x("I'm", "{He}'s"), " on ", self.med("methadone"), ", like ninety milligrams. Would ", x("I", "{he}"), " have to come off it?"),
        ]))
        self.agent(*self.pick([
            ("We offer ", self.program("mat"), ". We can continue or start ", self.med("Suboxone"), ", and some people go home on ",
             self.med("Vivitrol"), ", which is the monthly shot of ", self.med("naltrexone"), ". And everyone leaves with ",
             self.med("Narcan"), ", just in case."),
            ("Nobody has to come off their medication to be here. Our doctor manages ", self.med("methadone"), " and ", self.med("buprenorphine"),
             " dosing, and we talk about options like ", self.med("Sublocade"), " or ", self.med("Vivitrol"), " before discharge."),
        ]))

    def programs(self) -> None:
        p, x = self.p, self.x
        self.caller(*self.pick([
            ("What's the difference between ", self.program("php", "PHP"), " and ", self.program("iop", "IOP"), "? The website lists both."),
            ("Does ", x("I", "{he}"), " have to stay overnight, or is there ", self.program("outpatient"), "?"),
            ("After the ", self.program("residential"), " part, what happens? ", x("I", "{He}"), " can't just come home to the same stuff."),
            ("Do you have ", self.program("sober_living", "sober living"), "? ", x("I", "{He}"), " can't go back to that apartment."),
        ]))
        self.agent(self.program("php", "PHP"), " is [about|roughly] six hours a day, five days a week. ", self.program("iop", "IOP"),
                   " is three hours, three [evenings|days] a week, so people can keep working. [And we partner with|We also work with] ",
                   self.program("sober_living", "sober living"), " homes if going back home isn't safe.")

    def visitation(self) -> None:
        p, pt = self.p, self.p.patient
        if p.is_self:
            self.caller(*self.pick([("Do I get to keep my phone? I have to be able to check on my kids.",),
                                    ("Can my family visit? And can I call them?",)]))
        else:
            self.caller(self.pick(["Can I call ", "Will I be able to talk to "]), self.pt(), " while ", pt.he, "'s there? Does ", pt.he, " get ", pt.his, " phone?")
        self.agent(*self.pick([
            ("Phones are held during ", self.program("detox"), " and the first week, so people can focus. After that there's phone time every evening, and family visits are on weekend afternoons once the therapist okays it.",),
            ("For the first ", self.duration("seventy-two hours"), " it's a blackout period, no calls. After that there's a house phone and visits on weekends, and we do a family group on ",
             self.pick(["Saturday mornings.", "Sunday afternoons.", "video every week."])),
        ]))

    def cost(self) -> None:
        p, x = self.p, self.x
        detox_price = self.rng.choice([3500, 4500, 5000, 6500])
        res_price = self.rng.choice([18500, 24000, 28000, 32500])
        self.caller(*self.pick([
            ("What does it cost if insurance doesn't cover everything?",),
            ("I have to ask about money. What are we looking at out of pocket?",),
            ("How much is it? I saw one place online that was like ", v.money(self.rng.choice([40000, 60000, 35000]), self.rng), " a month."),
            ("We're still paying the ", self.word("bill"), " from the ER. How much is this going to be?"),
        ]))
        deductible = self.rng.choice([1500, 2500, 3000, 6000])
        if p.insurer:
            self.agent("With insurance, most [families|people] pay the deductible and [out-of-pocket max|whatever's left of the out-of-pocket], so [often|usually] something like ",
                       v.money(deductible, self.rng), ". I'll know exactly after I verify the benefits.")
        else:
            self.agent("Our self-pay rate for ", self.program("detox"), " alone is ", v.money(detox_price, self.rng), ", and ",
                       self.duration("thirty days"), " of ", self.program("residential"), " is ", v.money(res_price, self.rng),
                       ". We do have financing, and sometimes a payment plan.")
        if self.chance(0.6):
            self.caller(self.pick(["Oh wow. ", "Okay. ", "Hmm. "]), v.money(self.rng.choice([5000, 2000, 10000, 3000]), self.rng),
                        self.pick([" is about all we can do right now.", " is what we have saved.", "? We don't have that kind of money."]))
            self.agent("[I understand|I hear you|That's fair]. I'll ", self.word("grant"), " you it's a lot, but let's see what the plan covers before we [worry|panic|get ahead of ourselves].")

    def competitor(self) -> None:
        p, x = self.p, self.x
        key = p.prior_competitor or self.rng.choice(list(vocab.COMPETITORS))
        if p.prior_competitor:
            self.caller(*self.pick([
                (x("I", "{He}"), " went to ", self.comp(key), " in ", v.year(p.prior_year, self.rng), " and it didn't stick. What's different about you guys?"),
                ("We tried ", self.comp(key), " before. ", x("I", "{He}"), " left after a week."),
            ]))
        else:
            self.caller(*self.pick([
                ("I also called ", self.comp(key), ". They said they had a bed tomorrow. Do you?"),
                ("How are you different from ", self.comp(key, short=True), "? Their ad came up first."),
                ("My cousin went to ", self.comp(key), ". Is that the same kind of place?"),
                (self.comp(key), " quoted us a lot less. Why would we pick you?"),
            ]))
        self.agent(*self.pick([
            ("I can't speak for other programs, but here everyone gets a primary therapist, individual sessions every week, and our doctor is board certified in addiction medicine. [And we have a bed available.|And we can usually admit within a day or two.|]",),
            ("Every program is different. What I can tell you is we're Joint Commission accredited, our groups are [small|capped at twelve], and the family is part of the treatment plan from day one.",),
            ("[Honestly|To be fair], they're a decent program. Where we're different is the medical side: a doctor on site every day and ", self.program("mat", "MAT"), " for anyone who wants it."),
        ]))

    def objection(self) -> None:
        p, pt, x = self.p, self.p.patient, self.x
        me = p.is_self
        kind = self.pick([o for o in OBJECTIONS if o not in self.facts["objections"]])
        self.facts["objections"].append(kind)
        if kind == "cost":
            self.caller("Honestly the money is what scares ", "me" if me else "us", ". ", "I" if me else "We", " can't put a second mortgage on the house.")
            self.agent("That's a fair worry. Let me verify the benefits first; a lot of [families|people] are surprised [what|how much] insurance covers.")
        elif kind == "work":
            self.caller(x("I", "{He}"), " ", x(*p.employer_job), " ", v.place(p.employer, "OTHER_ID"), ". ", x("I'm", "{He}'s"),
                        " afraid of losing the job if ", x("I take", "{he} takes"), " a month off.")
            self.agent("A lot of people use FMLA for treatment, and it's protected leave. We can help with the paperwork, and we never talk to an employer without written consent.")
            self.asked.add("employer")
        elif kind == "kids":
            self.caller(x("I have", "{He} has"), " two kids. Who's going to take care of them for ", self.duration("thirty days"), "?")
            self.agent("That's one of the biggest barriers we hear. Some parents start with ", self.program("php", "PHP"),
                       " so they're home at night. Let's talk through what support you have.")
        elif kind == "withdrawal_fear":
            self.caller("The withdrawal is what scares ", x("me", "{him}"), ". Last time ", x("I", "{he}"), " tried to quit ",
                        x("I", "{he}"), " was so sick ", x("I", "{he}"), " went right back to using.")
            self.agent("That's exactly why ", self.program("detox", "medical detox"), " exists. We treat the symptoms so it's manageable.")
        elif kind == "tried_before":
            key = p.prior_competitor or self.rng.choice(list(vocab.COMPETITORS))
            self.caller(x("I've", "{He}'s"), " been to rehab before, twice. Once at ", self.comp(key, short=self.chance(0.5)),
                        ". What if it doesn't work this time either?")
            self.agent("[Relapse doesn't mean treatment failed|A relapse isn't a failure]. Every time, people learn something. We'd look at what didn't work and build on it.")
        elif kind == "privacy":
            self.caller(*self.pick([
                (self.word("Will"), " ", x("my", "{his}"), " employer find out? ", x("I'm", "{He}'s"), " a nurse, and ",
                 x("I", "{he}"), " could lose ", x("my", "{his}"), " license."),
                ("Is this confidential? I don't want anyone at work knowing about this.",),
                ("Does this go on ", x("my", "{his}"), " record? ", x("I'm", "{He}'s"), " in the military.",),
            ]))
            self.agent("Everything here is protected by federal confidentiality law, 42 CFR Part 2. We can't release anything, even to an insurance company beyond what's needed, without written consent.")
        elif kind == "distance":
            self.caller("We're in ", v.place(p.home.city), ", ", v.keep(p.home.state, "state"), ". Is it far from you? ",
                        "I" if me else "We", " would need to drive.")
            self.agent("We're in San Diego. Lots of clients come from out of the area, and we can help coordinate travel and pick-up from the airport.")

    def family_worry(self) -> None:
        p, pt = self.p, self.p.patient
        if p.is_self:
            relative = self.pick(["mom", "sister", "wife"] if pt.sex == "m" else ["mom", "sister", "husband"])
            self.caller("My family is worried sick. My ", relative, ", ", self.name(p.relative_first),
                        ", keeps saying ", "he's" if relative == "husband" else "she's", " going to get a call that I'm dead.")
            self.agent("That tells me how much they love you. We have a family program so they can be part of this too.")
            return
        worry = self.pick([
            ("I'm so scared ", pt.he, "'s going to die. I check on ", pt.him, " in the middle of the night to see if ", pt.he, "'s breathing."),
            ("What if ", pt.he, " leaves after two days? Can you make ", pt.him, " stay?"),
            ("I just want my ", "son" if pt.sex == "m" and p.role in ("mother", "father") else "family", " back. I don't even recognize ", pt.him, " anymore."),
            ("I have ", self.word("faith"), " in ", pt.him, ", I really do, but I can't keep watching this."),
        ])
        if self.chance(0.12):
            handle = f"{pt.first.lower()}_{pt.last[0].lower()}{pt.dob.year % 100:02d}"
            said = f"{pt.first.lower()} underscore {pt.last[0].lower()} {spoken.number_words(pt.dob.year % 100)}"
            worry = (*worry, " ", pt.he.capitalize(), " posts about partying on Instagram. ", pt.his.capitalize(), " handle is ",
                     Seg(said if self.chance(0.6) else "@" + handle, "OTHER_ID", asr=("@" + handle, handle, said.replace(" underscore ", "_")),
                         normalized=handle, say=said), ".")
        if p.grandparent_age and self.chance(0.9):
            age_seg = v.age(p.grandparent_age, self.rng) if self.chance(0.75) else Seg(
                "in her nineties" if p.grandparent_age < 100 else "over a hundred", "AGE",
                asr=("in her 90s",) if p.grandparent_age < 100 else ("over 100",), normalized=str(p.grandparent_age))
            worry = (*worry, " And ", pt.he, " lives with ", pt.his, " grandmother, ", self.name(p.grandparent_first), ". She's ",
                     age_seg, " and she can't handle this anymore.")
            self.facts["grandparent_over_89"] = True
        self.caller(*worry)
        self.agent("[I hear you|That's so hard|I'm really sorry]. This is hard on the whole family. ", pt.he.capitalize(),
                   " can legally leave, since it's voluntary, but our team works [really hard|hard] to keep people engaged, and we'd [call you|let you know] if ",
                   pt.he, " signs a release.")

    def dual_diagnosis(self) -> None:
        p, x = self.p, self.x
        condition = self.pick(["depression", "anxiety", "bipolar disorder", "PTSD", "ADHD", "an eating disorder"])
        self.caller(*self.pick([
            (x("I", "{He}"), " also ", x("have", "has"), " ", v.keep(condition, "condition", asr=[condition.lower()]), ". Do you treat that too?"),
            ("It's not only the ", self.substance(), ". ", x("I was", "{He} was"), " diagnosed with ",
             v.keep(condition, "condition", asr=[condition.lower()]), " a few years ago."),
        ]))
        use = {"alcohol": "drinking", "opioids": "opioid use", "fentanyl": "fentanyl use", "heroin": "heroin use",
               "benzos": "benzodiazepine use", "meth": "meth use", "cocaine": "cocaine use"}[p.substance]
        self.agent("[We're a dual-diagnosis program|We treat both], so our psychiatrist [treats|works on] ", v.keep(condition, "condition", asr=[condition.lower()]),
                   " alongside the ", self.drug(use, p.substance), ". [Treating one without the other usually doesn't hold.|They feed each other, so we treat them together.|That's really common, you're not alone in that.]")
        self.facts["conditions"] = [condition]

    # --- intake -----------------------------------------------------------------------------------------------
    def intake(self, items: list[str]) -> None:
        p, pt, x = self.p, self.p.patient, self.x
        you = p.is_self
        for item in items:
            if item in self.asked:
                continue
            self.asked.add(item)
            if item == "name_spelling":
                self.agent(*self.pick([("Let me get the full legal name", x(".", " of the patient.")),
                                       ("Can I get the full name", x("?", " of the patient?"))]), " And how do you spell the last name?")
                if self.chance(0.3):
                    middle = self.pick(vocab.FIRST_NAMES_MALE if pt.sex == "m" else vocab.FIRST_NAMES_FEMALE)
                    self.caller(x("It's ", "{His} name is "), self.name(f"{pt.first} {middle} {pt.last}"), ". ", v.spelled(pt.last), ".")
                else:
                    self.caller(x("It's ", ""), self.name(pt.full), ". ", v.spelled(pt.last), ".")
            elif item == "dob":
                self.agent("And what's ", x("your", "{his}"), " date of birth?")
                self.caller(v.full_date(pt.dob, self.rng), ".")
                if self.chance(0.3):
                    self.agent("So ", x("you're", "{he}'s"), " ", v.age(pt.age, self.rng), ". Got it.")
                    self.caller(self.pick(["Yes.", "Right.", "Mm-hm."]))
            elif item == "address":
                self.agent(self.pick(["What's the home address?", x("And your address?", "And where does {he} live?")]))
                abbrev = vocab.STREET_ABBREV[p.home.street_type]
                unit: tuple[Part, ...] = ()
                street = v.street_address(p.home.number, p.home.street, p.home.street_type, abbrev, self.rng)
                if self.chance(0.1):
                    box = str(self.rng.randint(100, 9999))
                    said = f"P O Box {spoken.digits_words(box)}"
                    street = Seg(f"PO Box {box}" if self.chance(0.5) else said, "LOCATION",
                                 asr=(f"P.O. Box {box}", f"PO Box {box}", f"po box {box}"), normalized=f"po box {box}",
                                 say=said)
                    self.caller("Mail goes to a PO box. It's ", street, ", ", v.place(p.home.city), ", ",
                                v.keep(p.home.state, "state"), " ", v.digits(p.home.zip, "ZIP", self.rng), ".")
                    continue
                if self.chance(0.25):
                    apt = f"{self.rng.randint(1, 40)}{self.pick(['', 'B', 'C'])}"
                    street = Seg(f"{street.text}, apartment {apt}", "LOCATION", asr=tuple(f"{a} apt {apt}" for a in street.asr),
                                 normalized=f"{street.normalized} apt {apt.lower()}")
                if self.chance(0.2):
                    unit = (", that's in ", v.place(p.home.county), ", ")
                else:
                    unit = (", ",)
                self.caller(street, ", ", v.place(p.home.city), *unit, v.keep(p.home.state, "state"), ", ",
                            v.digits(p.home.zip, "ZIP", self.rng), ".")
            elif item == "email":
                person = p.caller
                self.agent("[And an|Is there an|What's a good] email where I can send the [paperwork|intake forms|consent forms]?")
                self.caller(self.pick(["Sure, it's ", "Yeah, ", "It's ", "Use mine, "]), v.email(person.email_local, person.email_domain, self.rng), ".")
            elif item == "ssn":
                self.agent("For the insurance verification I just need the last four of ", x("your", "{his}"), " social.")
                if not you and self.chance(0.2):
                    self.caller("I don't know it, sorry. I can ask ", pt.him, " and call you back.")
                else:
                    self.caller(self.pick(["Okay, ", "It's ", "Um, hold on. "]), v.digits(p.ssn4, "SSN", self.rng), ".")
            elif item == "callback":
                self.agent(self.pick(["And the best number to call you back?", "What's a good callback number?"]))
                if self.chance(0.12):
                    # a false start: the wrong last digits, then the real number; both are the caller's PHONE
                    wrong = p.caller.phone[:7] + f"{(int(p.caller.phone[7:]) + self.rng.randint(1, 99)) % 1000:03d}"
                    false_start = spoken.phone_spoken(wrong)
                    false_start = false_start[: false_start.rfind(" ")]  # cut off mid-number
                    self.caller(Seg(false_start[0].upper() + false_start[1:], "PHONE", asr=(wrong[:3] + "-" + wrong[3:6] + "-" + wrong[6:9],),
                                    normalized=wrong[:9]),
                                ", no, sorry. ", v.phone(p.caller.phone, self.rng, spoken_p=1.0), ".")
                else:
                    self.caller(v.phone(p.caller.phone, self.rng), self.pick([". That's my cell.", ".", ", text is fine too."]))
                if self.chance(0.35):
                    self.agent("Let me read that back. ", v.phone(p.caller.phone, self.rng, spoken_p=0.9), "?")
                    self.caller(self.pick(["That's right.", "Yes.", "Yep, that's it."]))
            elif item == "patient_phone" and not you:
                self.agent("Does ", pt.he, " have a cell we can reach ", pt.him, " on for the assessment?")
                self.caller(*self.pick([(pt.his.capitalize(), " cell is ", v.phone(pt.phone, self.rng), ". But ", pt.he, " doesn't always pick up."),
                                        ("Yeah, ", v.phone(pt.phone, self.rng), ". Text first, ", pt.he, " screens calls.")]))
            elif item == "mrn":
                if not p.prior_harborview:
                    continue
                self.caller(x("I", "{He}"), " was actually at ", self.center(), " before, back in ", v.year(p.prior_year, self.rng),
                            ". I think the patient number was ", v.code(p.mrn, "MRN", self.rng), ".")
                self.agent("Perfect, that helps. I'll pull the old chart so the team can see what worked.")
                self.facts["returning_patient"] = True
            elif item == "referral":
                self.agent(self.pick(["How did you hear about us?", "Did someone refer you to us?", "Can I ask how you found us?"]))
                how = self.pick(["doctor", "doctor", "google", "facebook", "friend", "insurance", "hospital"])
                self.facts["heard_about"] = how
                if how == "doctor":
                    doc = f"{p.doctor[0]} {p.doctor[1]}" if self.chance(0.5) else p.doctor[1]
                    self.caller(x("My", "{His}"), " doctor, Doctor ", self.name(doc), " at ", v.place(p.clinic, "PROVIDER"), ", gave us your number.")
                elif how == "hospital":
                    self.caller("The social worker at ", v.place(self.pick(["Bayside Memorial Hospital", "Palomar Medical Center", "Tri-City Medical Center"]), "PROVIDER"),
                                ", ", self.name(p.relative_first), ", gave us a list and you were on it.")
                elif how == "google":
                    self.caller("I just googled rehab near me and you came up.")
                elif how == "facebook":
                    self.caller("I saw an ad on Facebook, the one about families.")
                elif how == "friend":
                    self.caller("A friend from church, her son went there. She said you saved his life.")
                else:
                    self.caller("The insurance company gave me a list of in-network places.")
            elif item == "fax":
                self.agent("Do you have the clinic's fax so we can request records?")
                self.caller("I think it's ", v.phone(p.clinic_fax, self.rng, category="FAX", spoken_p=0.5), ". It's on the referral sheet.")
            elif item == "license" and self.chance(0.6):
                self.agent("We'll need a photo ID at admission. Do you have ", x("your", "{his}"), " driver's license number handy?")
                self.caller("It's ", v.code(p.license_number, "LICENSE", self.rng), ".")
            elif item == "plate" and self.chance(0.7):
                self.caller("If I drive ", x("myself", "{him}"), " up, do you need my plate for the parking lot?")
                self.agent("Sure, I can put it on the visitor list.")
                self.caller("It's a ", v.keep(p.home.state, "state"), " plate, ", v.code(p.plate, "VEHICLE", self.rng, spoken_p=0.5), ".")
            elif item == "device" and self.chance(0.7):
                self.caller(x("I have", "{He} has"), " an ankle monitor from probation. The serial number on it is ",
                            v.code(p.device_serial, "DEVICE", self.rng), ". Is that a problem?")
                self.agent("No, we work with probation all the time. I'll note it for the nurse.")
            elif item == "fundraiser" and not you and self.chance(0.8):
                url = f"gofundme.com/f/{p.fundraiser_slug}"
                said = f"gofundme dot com slash f slash {p.fundraiser_slug.replace('-', ' ')}"
                self.caller("We started a fundraiser to help pay. It's at ",
                            Seg(said if self.chance(0.6) else url, "URL", asr=(url, f"GoFundMe.com/f/{p.fundraiser_slug}"),
                                normalized=url, say=said),
                            ", if that helps with anything.")
                self.agent("That's wonderful that people are rallying around ", pt.him, ".")
            elif item == "booking" and self.chance(0.7):
                self.caller(x("I'm", "{He}'s"), " actually still in county jail until Friday. The booking number is ",
                            v.code(p.booking_number, "OTHER_ID", self.rng), ".")
                self.agent("Okay. We can coordinate with the jail for a pickup on release.")
            elif item == "employer" and self.chance(0.6):
                self.agent("Are " if you else "Is ", x("you", "{he}"), " working right now?")
                self.caller("Yes, ", x("I", "{he}"), " ", x(*p.employer_job), " ", v.place(p.employer, "OTHER_ID"), ".")

    def closing(self) -> None:
        p, pt = self.p, self.p.patient
        admit = self.today + timedelta(days=self.rng.randint(1, 6))
        outcome = self.pick(["scheduled", "scheduled", "scheduled", "callback", "thinking"])
        self.facts["outcome"] = outcome
        if outcome == "scheduled":
            self.agent("Okay ", self.name(p.caller.first), self.pick([", I have everything I need.", ", that's a good start.", ", thank you for all that."]),
                       " If the benefits check out, we could admit ",
                       "you" if p.is_self else pt.him, " on ", v.day_of_month(admit, self.rng), ". Does that work?")
            self.caller(self.pick(["Yes. Yes, that works. ", "Okay. Wow. Okay. ", "The sooner the better. "]),
                        *self.pick([("Thank you so much.",), ("I ", self.word("hope"), " this is it."), ("We ", self.word("will"), " be there.")]))
            self.facts["admit_date"] = admit.isoformat()
        elif outcome == "callback":
            self.agent("I'm going to run the verification [now|right away] and call you back [within the hour|in about an hour|before the end of the day] at the number you gave me.")
            self.caller("Okay. Thank you, ", self.name(p.agent_first), ".")
        else:
            self.caller("I need to talk to ", "my wife" if p.is_self and pt.sex == "m" else "my family" if p.is_self else pt.him,
                        " first. Can I call you back?")
            self.agent("[Of course|Absolutely|That's completely fine]. Ask for me, ", self.name(p.agent_first), ", at ", self.center(), ". We're here [twenty-four seven|around the clock].")
        self.agent(self.pick(["Thank you for calling, and take care of yourself.", "You did a [brave|really good] thing today. Talk soon.",
                              "Hang in there. We'll [talk soon|be in touch].", "[Okay|Alright], we'll talk [soon|later today]. Call anytime, day or night.",
                              "Thanks for trusting us with this. [Bye now|Take care]."]))


def build_script(today: date, rng: random.Random, max_turns: int = 30, max_words: int | None = None) -> CallScript:
    """One call's script for ``today``, drawn entirely from ``rng``.

    Concern blocks are chosen and shuffled per call; intake questions are shuffled and placed either before or
    after the concerns. A block that would push the call past ``max_turns`` turns or, once the call has 12 turns,
    past ``max_words`` words (drawn per call so that audio runs roughly 60-150 s) is skipped and the next one
    tried. Spare concerns fill out a call that would otherwise end short of 14 turns.
    """
    budget = max_words if max_words is not None else rng.randint(215, 330)
    persona = make_persona(today, rng)
    d = _Dialogue(persona, today, rng)
    concerns = [c for c in CONCERNS if c != "insurance" and (c != "family_worry" or not persona.is_self or rng.random() < 0.3)]
    rng.shuffle(concerns)
    chosen = rng.randint(2, 5)
    concerns, spare = concerns[:chosen], concerns[chosen:]
    if rng.random() < 0.85:
        concerns.insert(rng.randint(0, len(concerns)), "insurance")
    rare = {"license", "plate", "device", "fundraiser", "fax", "booking"}
    core = [i for i in INTAKE_ITEMS if i not in rare]
    intake = rng.sample([i for i in core if i != "mrn"], rng.randint(1, 4))
    if persona.prior_harborview:
        intake.append("mrn")  # a returning patient's caller brings up the earlier stay
    intake += [i for i in sorted(rare) if rng.random() < 0.2]
    if "fax" in intake and "referral" not in intake:
        intake.append("referral")
    rng.shuffle(intake)
    if "fax" in intake and "referral" in intake and intake.index("fax") < intake.index("referral"):
        a, b = intake.index("fax"), intake.index("referral")
        intake[a], intake[b] = intake[b], intake[a]
    d.opening()
    d.situation()
    split = rng.randint(0, len(concerns))
    steps: list[tuple[str, str]] = [("concern", c) for c in concerns[:split]] + [("intake", i) for i in intake] + [
        ("concern", c) for c in concerns[split:]]
    steps += [("spare", c) for c in spare]
    queue = [(kind, what, False) for kind, what in steps]
    while queue:
        kind, what, retry = queue.pop(0)
        if kind == "spare" and len(d.turns) >= 12:
            break  # spare concerns only fill out a call that came up short
        before, facts, asked = len(d.turns), copy.deepcopy(d.facts), set(d.asked)
        if kind == "intake":
            d.intake([what])
        elif what == "insurance" and retry:
            d.insurance_short()
            d.facts["concerns"].append(what)
        elif kind == "spare" and what in d.facts["concerns"]:
            continue
        else:
            getattr(d, what)()
            d.facts["concerns"].append(what)
        # while insurance is still ahead, keep room for at least its short form
        pending = what != "insurance" and any(w == "insurance" for _, w, _ in queue)
        turn_cap, word_cap = (max_turns - 8, budget - 45) if pending else (max_turns - 5, budget)
        if len(d.turns) > turn_cap or (d.words > word_cap and before >= 12):
            # too long: undo this step (the closing still needs room); a shorter later step may still fit
            del d.turns[before:]
            d.facts, d.asked = facts, asked
            if what == "insurance" and not retry:
                queue.insert(0, (kind, what, True))  # insurance is the question nearly every caller has: try it short
    d.closing()
    _add_disfluencies(d.turns, rng)
    _collect_mentions(d)
    return CallScript(persona, d.turns, d.facts)


_FILLERS = ["Um, ", "Uh, ", "You know, ", "So, ", "I mean, ", "Like, "]


def _add_disfluencies(turns: list[ScriptTurn], rng: random.Random) -> None:
    """Callers hesitate: put a filler at the start of a sentence in some caller turns ("Um, he's been ...").

    Only plain (unlabelled) segments are touched, so every label keeps its text."""
    for turn in turns:
        if turn.speaker != "caller" or rng.random() > 0.3 or len(turn.text.split()) < 6:
            continue
        plain = [i for i, seg in enumerate(turn.segs) if seg.category is None and seg.keep is None
                 and (i == 0 or ". " in seg.text)]
        if not plain:
            continue
        i = rng.choice(plain)
        seg = turn.segs[i]
        filler = rng.choice(_FILLERS)
        at_start = i == 0 and (rng.random() < 0.5 or ". " not in seg.text)
        if at_start and seg.text.startswith(("Um", "Uh", "Mm", "Okay", "Yes", "Yeah", "Hi", "Hello", "Hey")):
            continue  # already hesitant, a greeting or a short acknowledgement
        if at_start:
            filler = rng.choice(["Um, ", "Uh, "])  # "You know," does not open a turn
        if at_start:
            if seg.text[:1].isupper() and not seg.text.startswith(("I ", "I'")):
                text = filler + seg.text[0].lower() + seg.text[1:]
            else:
                text = filler + seg.text
        else:
            head, _, tail = seg.text.partition(". ")
            if not tail.strip():
                continue  # the sentence goes on in a labelled value; a filler would split it from its capital
            if tail[:1].isupper() and not tail.startswith(("I ", "I'")):
                tail = tail[0].lower() + tail[1:]
            text = f"{head}. {filler}{tail}"
        turn.segs[i] = Seg(text)


_HOLIDAYS = [((1, 1), "New Year's Day"), ((2, 14), "Valentine's Day"), ((7, 4), "the Fourth of July"),
             ((10, 31), "Halloween"), ((12, 24), "Christmas Eve"), ((12, 25), "Christmas"), ((12, 31), "New Year's Eve")]


def _recent_holiday(today: date) -> tuple[Seg, date]:
    """The last fixed-date holiday before ``today``, named as people do: a date element like any other (DATE)."""
    best: tuple[date, str] | None = None
    for (month, day), name in _HOLIDAYS:
        for year in (today.year, today.year - 1):
            when = date(year, month, day)
            if when < today and (best is None or when > best[0]):
                best = (when, name)
    assert best is not None
    when, name = best
    return Seg(name, "DATE", asr=(name.lower(), name.replace("the Fourth of July", "July 4th")), normalized=when.isoformat()), when


def _collect_mentions(d: _Dialogue) -> None:
    """Record which medications, programs and competitors the final script mentions (blocks may have been cut)."""
    meds: list[str] = []
    programs: list[str] = []
    competitors: list[str] = []
    substances: list[str] = []
    for turn in d.turns:
        for seg in turn.segs:
            if seg.keep == "medication" and seg.text.lower() not in meds:
                meds.append(seg.text.lower())
            elif seg.keep == "substance" and seg.canonical and seg.canonical not in substances:
                substances.append(seg.canonical)
            elif seg.keep == "program" and seg.canonical and seg.canonical not in programs:
                programs.append(seg.canonical)
            elif seg.category == "COMPETITOR" and seg.canonical not in competitors:
                competitors.append(seg.canonical)
    insurers = [seg.canonical for turn in d.turns for seg in turn.segs if seg.category == "INSURER"]
    d.facts.update(medications=meds, programs=programs, competitors=competitors, substances=substances,
                   insurer=insurers[0] if insurers else None)
