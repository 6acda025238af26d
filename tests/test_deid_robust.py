"""Robust input: Unicode that hides identifiers, records that break the engine, and a hypothesis fuzz run.

The fuzz run's size comes from CIPHER_FUZZ_EXAMPLES (default 300 in the quick suite; the slow test runs the 5,000
cases the issue asks for). Speed targets live in ``cipher bench``; the 2 s bound here is a failure bound for a
runaway (super-linear) pattern, not a benchmark.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cipher_pipeline.deid import Redactor
from cipher_pipeline.deid.cli import run_deid
from cipher_pipeline.deid.normalize import normalize, to_original


@pytest.mark.parametrize(
    "text",
    [
        "caller: my cell is 303\u200b555\u200b0177, any time\n",  # zero-width spaces inside the number
        "caller: my cell is \uff13\uff10\uff13-\uff15\uff15\uff15-\uff10\uff11\uff17\uff17\n",  # full-width digits
        "caller: my cell is \u0663\u0660\u0663 \u0665\u0665\u0665 \u0660\u0661\u0667\u0667\n",  # Arabic-Indic digits
        "caller: my cell is 303\x0b555\x0c0177\n",  # control characters
        "caller: my cell is 303\u2013555\u20130177\n",  # en dashes
        "caller: my cell is 303\u2060555\u00ad0177\n",  # word joiner, soft hyphen
    ],
)
def test_hidden_digits_are_still_a_phone_number(redactor, text):
    res = redactor.redact(text)
    assert "[PHONE]" in res.redacted_text
    tail = res.redacted_text.split("[PHONE]")[-1]
    assert not any(c.isdigit() for c in tail)
    for s in res.spans:  # offsets are the caller's, and cover the hidden characters too
        assert 0 <= s.start < s.end <= len(text)


def test_normalize_maps_back_to_original_offsets():
    text = "a\u200bb \uff11\uff12 \ufb01x\n"
    norm, index = normalize(text)
    assert norm == "ab 12 fix\n"
    start = norm.index("12")
    assert to_original(index, start, start + 2) == (text.index("\uff11"), text.index("\uff12") + 1)
    assert normalize("plain ascii\n") == ("plain ascii\n", None)


class _BreaksOnOneRecord:
    """A stand-in for an engine bug on one record (the PhysioNet 'CODE' crash was one): the real redactor, except
    that one marked text raises. Only the failure is simulated; everything else runs the system under test."""

    def __init__(self, real: Redactor):
        self.real = real

    def redact_many(self, texts):
        if any("TRIGGER" in t for t in texts):
            raise KeyError("unknown identifier category 'CODE'")
        return self.real.redact_many(texts)

    def redact(self, text):
        return self.redact_many([text])[0]


def test_one_record_that_breaks_the_engine_costs_only_itself(tmp_path: Path, redactor):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"id": "a", "text": "caller: call me at 303-555-0177\n"}, {"id": "b", "text": "caller: TRIGGER 123 Derek\n"},
            {"id": "c", "text": "caller: i'm on suboxone\n"}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records, failed = run_deid(src, dst, _BreaksOnOneRecord(redactor), batch_size=8, stderr=io.StringIO())
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert (records, failed) == (3, 1)
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["redacted_text"] == "caller: call me at [PHONE]\n"
    assert out[1]["error"] == "line 2: redaction failed (KeyError)"  # the class, never the message or text
    assert "error" not in out[2]


def test_billing_code_mentioned_earlier_does_not_crash(redactor):
    # a number a little after "CPT" once came back as category 'CODE' and aborted a whole file
    text = "nurse: billed under cpt code today, then the patient gave the number 44718 for the family.\n"
    redactor.redact(text)


# "Farm Bureau ": one organisation finding hundreds of words long, whose shortened forms were once looked for at every
# length (quadratic: 34 s for 8,000 characters)
@pytest.mark.parametrize(
    "unit",
    ["(555) ", "1-", "a-", "1.2.", "x at ", "Aaa Bbb ", "oak road ", "5, ", "caller: kayla\n", "Farm Bureau ", "Seaside Recovery ",
     "agent: insurance?\ncaller: he has medical. ", "she's at ole miss, tumon serenity center. ",
     # session 20's steps and cues (read20): Main Street untyped, a landmark by its kind after a road, a name after a
     # role word or an honorific, an employer's run-on, a place's unit, a repair before and after a finding
     "on west main above ", "oak road across from the old mill yard ", "my husband hunter sees ", "mr. long. ",
     "a roofer for summit solar electric pills and beer ", "got out of hollis unit ", "lindell? no, lindall health plan ",
     "caller: okala. oh kala.\n",
     # session 20's readers (read20b): an initialism after "at" (init20), a vehicle's make and model (fp20)
     "he's at q r h, ", "at the bvmc at ", "a silver Honda Civic ", "Harley Ford ",
     # session 21 (name21): an introduction with a restart, said again
     "my name's chase chase bolt. this is chase the yard. ",
     # session 22 (vert22): the organisation a caller speaks for, an employer's firm word and conjunction
     "i'm an interpreter with lone pine for and ", "a roofer for mill brook cattle co and roofing. ",
     # session 22 (who22): a nickname corrected to the name or quoted inside it, a bare age said again
     "i'm bubba. well, ", "i'm bubba well gerald ostrowski and he's ", 'ray "a b" ', "still living, 97, she's 93. 94. ",
     # session 22 (fp22): a spoken path's end, a reply's lead-in before an address
     "helpfund dot com slash f slash a b c it d. ", "agent: email?\ncaller: so me the forms, is x, y at z dot com\n",
     # session 22 (geo22): a home over a business on a road, a mile marker and a half-numbered road, a chain in a town
     "on ferry street over the pizza shop by the ", "mile marker two forty three and a half ", "county road 9 and a half ",
     "behind the dollar general in ",
     # session 22 read-through (read22): an age corrected again and again, a learned road span ending on "and a"
     "he's 93, no, 94, no, ", "off county road 14 and a half. off county road 14 and a ",
     # session 22 (home22): a care home's head after a correction, at a turn's start
     "my mother lives there, no, oak manor i mean no, oak ", "caller: ash residential, on ",
     # session 22 (recipe22): a known-for description said as what one has been, a past-tense feat, a "one-" word before
     # the person; a Spanish feast and a Spanish month alone
     "i been the one-armed guy that x y ", "be the guy who judged the a b c d e ", "navidad año nuevo en en noviembre "],
)
def test_adversarial_repeats_stay_linear(redactor, unit):
    small, large = unit * (4000 // len(unit)), unit * (16000 // len(unit))

    def cpu_seconds(text: str) -> float:
        # CPU time of this process, so other jobs on a shared machine do not count
        t0 = time.process_time()
        redactor.redact(text)
        return time.process_time() - t0

    def linear(t_small: float, t_large: float) -> bool:
        # four times the text may cost up to eight times the time (noise), not sixteen (quadratic)
        return t_large < max(8 * t_small, 1.0)

    t_small, t_large = cpu_seconds(small), cpu_seconds(large)
    if not linear(t_small, t_large):
        # the best of two runs decides, since spaCy's worker threads spin for longer when the cores are contended
        # (seen: 0.09 s -> 1.2 s under load 8); a second run only when the first looks super-linear halves the cost
        t_small, t_large = min(t_small, cpu_seconds(small)), min(t_large, cpu_seconds(large))
    assert linear(t_small, t_large), (unit, t_small, t_large)


_ALPHABET = st.sampled_from(
    list("0123456789-() .,:/@#'\"\n\tabcdefxyzABCMQ") + ["\u200b", "\uff15", "\u0663", "\u2013", "\x00", "\x0b", "é", "ß",
                                                            "\U0001F600", " dot ", " at ", " oh ", " double ", " road ",
                                                            "caller: ", "agent: ", " my name is ", " member id ", " DOB "]
)
_FUZZ_TEXT = st.lists(_ALPHABET, max_size=400).map("".join) | st.text(max_size=600)


def _fuzz(redactor: Redactor, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(text=_FUZZ_TEXT)
    def one(text: str) -> None:
        # CPU time of this process: the bound is about the engine, not about other jobs on a shared machine
        t0 = time.process_time()
        res = redactor.redact(text)
        assert time.process_time() - t0 < 2.0
        for s in res.spans:
            assert 0 <= s.start < s.end <= len(text)
        assert res.redacted_text.count("\n") == text.count("\n")  # line structure survives

    one()


def test_fuzz_quick(redactor):
    _fuzz(redactor, int(os.environ.get("CIPHER_FUZZ_EXAMPLES", "300")))


@pytest.mark.slow
def test_fuzz_5000_cases(redactor):
    _fuzz(redactor, 5000)
