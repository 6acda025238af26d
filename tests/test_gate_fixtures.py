"""Hand-built, fictional Tier 2 fixtures shared by the gate and QA tests (imported as a module; no conftest).

Every call below is invented: placeholders stand where the redactor removed identifiers, and the "planted"
lines carry fictional identifiers (555-01xx numbers, example.com-style domains, invented names).
"""

from __future__ import annotations

import hashlib
import json

import polars as pl

CLEAN_CALLS = [
    """agent: Thank you for calling Pacific Shores Recovery, this is [NAME], how can I help you today?
caller: Hi. Yeah, I'm calling for my daughter. She's been drinking a lot and I think she needs detox.
agent: I'm so sorry you're going through that. Can I get your first name?
caller: It's [NAME]. Her name is [NAME], she's 34 and she lives with me in [LOCATION].
agent: Does she have insurance? We're in network with Blue Cross Blue Shield and [INSURER:aetna].
caller: She has [INSURER:cigna]. The member ID is [HEALTH_PLAN] and the group number is [HEALTH_PLAN].
agent: I'll run a verification of benefits. Usually that takes about 15 to 20 minutes.
caller: How long is the program? Is it 30, 60, 90 days?
agent: Most people stay 28 to 30 days in residential, then step down to PHP and IOP. Detox has 24/7 nursing.
caller: Can she have her phone? She's worried about her job.
agent: Phones are held for the first 72 hours, then there's phone time in the evenings.
caller: What does it cost if insurance doesn't cover it? Like $25,000?
agent: The self-pay rate is about $1,200 a day, but let's see what the benefits say first.
caller: We looked at [COMPETITOR:seaside_recovery] too, but they wanted 10,000 up front.
agent: I understand. I'll call you back at [PHONE] within the hour. What's a good email?
caller: [EMAIL]. She could come in on [DATE], maybe Monday.""",
    """agent: Admissions, this is [NAME] speaking.
caller: Hello, I'm looking for a place for my husband. He's using fentanyl and he overdosed in 2024.
agent: I'm glad he's still with you. Is he safe right now?
caller: He's at home. We're about two hours from [LOCATION], near [LOCATION].
agent: We can arrange transport. Does he have [INSURER:medicaid] or private insurance?
caller: Private, through my work. [INSURER:united_healthcare]. My number is [PHONE].
agent: Thank you. Does he take anything like Suboxone right now?
caller: His doctor, Dr. [NAME] at [PROVIDER], gave him 8 milligrams but he stopped.
agent: Okay, we do medication-assisted treatment here, so that can continue. Option 2 on our phone tree is admissions.
caller: Do you allow visits? His mom is 71 and wants to see him.
agent: Family visits are on weekends after the first week, and we run a family program every month.
caller: Okay. He said he'd come in on [DATE]. Thank you so much, God bless.""",
    """agent: Good afternoon, thanks for calling, this is [NAME].
caller: Hi, I'm [NAME]. I was at [COMPETITOR:harbor_house] last year and I relapsed after 18 months sober.
agent: Thank you for reaching out again, that takes courage. What are you using now?
caller: Mostly alcohol and some pills. I drink about a fifth a day.
agent: Then detox first, probably five to seven days. Do you have your insurance card?
caller: Yes, it's [INSURER:bcbs], ID [HEALTH_PLAN]. I live in [LOCATION], [ZIP].
agent: Great. We're about 40 minutes from you. Can you get a ride here?
caller: My sister can drive me. Her cell is [PHONE].
agent: Perfect. We'll call you at 3:30 pm to confirm. Is this a good number?
caller: Yes. My email is [EMAIL] if you need it.""",
]

# Planted residuals, each fictional, with the category the scanner must report.
PLANTED = {
    "PHONE": "caller: Sure, my cell is 555-013-2749, call me any time.",
    "PHONE_SPOKEN": "caller: It's five five five, oh one three, two seven four nine.",
    "EMAIL_SPOKEN": "caller: You can email me at dana dot whitfield at gmail dot com.",
    "NAME_CUE": "caller: Hi, my name is Dana Whitfield and I'm calling about my son.",
    "SSN": "caller: His social is 078-05-1120 if you need it.",
}


def transcript_id(index: int, day: str) -> str:
    """A fictional Tier 2 pseudonym: "T" + 16 hex, as the keyed HMAC produces."""
    return "T" + hashlib.sha256(f"fixture:{day}:{index}".encode()).hexdigest()[:16]


def tier1_call_id(index: int, day: str) -> str:
    """A fictional Tier 1 call id: "CAL" + 20 hex."""
    return "CAL" + hashlib.sha256(f"call:{day}:{index}".encode()).hexdigest()[:20]


def redacted_frame(day: str, n: int, planted: dict[int, str] | None = None) -> pl.DataFrame:
    """``n`` redacted transcripts of ``day`` (the clean calls in turn); ``planted`` appends a line to row i."""
    planted = planted or {}
    texts = []
    for i in range(n):
        text = CLEAN_CALLS[i % len(CLEAN_CALLS)]
        if i in planted:
            text = text + "\n" + planted[i]
        texts.append(text)
    return pl.DataFrame(
        {
            "transcript_id": [transcript_id(i, day) for i in range(n)],
            "day": [day] * n,
            "redacted_text": texts,
            "turn_count": [t.count("\n") + 1 for t in texts],
            "token_count": [len(t.split()) for t in texts],
            "redaction_counts": [json.dumps({"NAME": 3, "PHONE": 1, "HEALTH_PLAN": 1}) for _ in texts],
            "engine_version": ["deid-test-1"] * n,
            "asr_model": ["whisper-tiny.en-int8"] * n,
            "campaign": ["google-ads-detox"] * n,
            "source": ["google"] * n,
        }
    )


def test_fixture_ids_have_the_contracted_shapes() -> None:
    frame = redacted_frame("2026-03-02", 12)
    assert frame["transcript_id"].str.contains(r"^T[0-9a-f]{16}$").all()
    assert frame["transcript_id"].n_unique() == 12
    assert tier1_call_id(0, "2026-03-02").startswith("CAL") and len(tier1_call_id(0, "2026-03-02")) == 23
