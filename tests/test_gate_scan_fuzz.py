"""Hypothesis fuzz of `cipher scan`: 5,000 generated records, no exception, none over 2 s (marked slow); the text
includes the Unicode disguises the scan normalises, and every offset must stay inside the text as given."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cipher_pipeline.gate.scan_cli import scan_line

# Words and shapes the detectors key on, so generated text reaches their slow paths, not only random letters.
_VOCAB = [
    "my", "name", "is", "off", "by", "the", "street", "road", "avenue", "highway", "i-45", "exit", "north", "west",
    "side", "in", "from", "where", "do", "you", "live", "?", "\n", "Agent:", "Caller:", "[NAME]", "[LOCATION]",
    "[DATE]", "dot", "com", "at", "gmail", "dash", "oh", "one", "two", "five", "nine", "ninety", "march", "may",
    "thanksgiving", "the", "14th", "of", "extension", "ending", "in", "1", "0", "555", "0148", ",", ".", "um",
    "she's", "the", "only", "for", "hi", "troy", "saint", "fort", "Maple", "Avenue", "80,011", "Texas", "77002",
    "t", "c", "f", "2", "8", "192", "dot", "0", "born", "date", "birth", "1998", "x" * 40, "-", "/", "@",
    # the dialogue-position detectors (session 4): sites, roads taken, chain stores, read-out codes, vocatives
    "our", "campus", "program", "take", "58", "or", "126", "coming", "target", "e", "g", "k", "is", "this",
    "summer", "angel", "now", "?", "avenue", "q", "crystal", "ok", "detox", "Ms.", "Staff",
    "compass", "new", "[PHONE]-", "-[DATE]", "[HEALTH_PLAN]", "Admissions,", "High", "Call", "Me", "Directly",
    "slash", "[URL]", "secure.admit", ".beats",
    # session 9: digit words beside a cut or a number cue, Spanish dates
    "número", "es", "cuatro", "cero", "seis", "[OTHER_ID],", "then", "el", "diez", "de", "septiembre", "mayo", "veinte",
    # session 14: the opening turn's name slot, the rest of a birth date beside its cut, territory codes before a ZIP
    "Emissions,", "speaking", "Mrs.", "[DATE].K.P.", "Day-Lay", "PR", "AE", "Puerto", "Rico", "00926",
    # session 15: the name said back after an acknowledgement, a turn that opens with a campus's determiner
    "Okay,", "Perfect", "Thank", "you,", "what's", "going", "insurance", "agent: Our", "campuses", "three", "all",
    # Unicode disguises the scan normalises away (issue 8): zero-width, word joiner, soft hyphen, BOM, a control
    # character, full-width and Arabic-Indic digits, dashes, a combining accent, a ligature, a no-break space.
    "\u200b", "\u2060", "\u00ad", "\ufeff", "\x07", "619\u200b555\u20600142", "\uff16\uff11\uff19", "\u0665\u0665\u0665",
    "\u2013", "\u2212", "e\u0301", "\u0301", "\ufb01", "\u00a0", "\u00bd", "\u2028",
]  # fmt: skip
_DISGUISE = st.sampled_from(["\u200b", "\u2060", "\u00ad", "\ufeff", "\x0b", "\u0301", "\uff10", "\u0660", "\u2014"])
_text = st.one_of(
    st.text(max_size=400),
    # text with format, control, combining and non-ASCII digit characters woven in
    st.lists(st.one_of(st.sampled_from(_VOCAB), _DISGUISE), max_size=300).map("".join),
    st.lists(st.sampled_from(_VOCAB), max_size=300).map(" ".join),
    st.lists(st.sampled_from(_VOCAB), max_size=60).map(lambda ws: " ".join(ws) * 20),
)
_record = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}).encode(), st.one_of(st.text(max_size=20), st.integers()), _text),
    st.binary(max_size=200),
    st.builds(lambda v: json.dumps(v).encode(), st.recursive(st.none() | st.booleans() | st.text(max_size=10),
              lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["id", "text", "x"]), c, max_size=3),
              max_leaves=8)),
)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _lists_loaded() -> None:
    """The scan loads its word and place lists, the word-frequency tables and the learned model once per process
    (seconds); the 2 s bound is per record after that. The warm text has a caller turn of its own line (the
    frequency tables are read only there) and runs with the model on."""
    warm = json.dumps({"id": "warm", "text": "Agent: where do you live?\nCaller: off Maple Avenue. Thanks, Officer."})
    scan_line(warm.encode(), 0, learned_min_probability=0.5)


@pytest.mark.slow
@settings(max_examples=5000, deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=_record)
def test_scan_line_never_raises_and_stays_under_two_seconds(raw: bytes) -> None:
    _scan_line_holds(raw)


@pytest.mark.slow
@settings(max_examples=1000, deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=_record)
def test_the_same_holds_with_the_learned_token_model_on(raw: bytes) -> None:
    """The learned family is off in the committed thresholds; a deployment may turn it on, and at a low threshold
    (more runs of tokens to join) the bound must hold too."""
    _scan_line_holds(raw, learned_min_probability=0.5)


def _scan_line_holds(raw: bytes, learned_min_probability: float | None = None) -> None:
    t0 = time.process_time()
    out = scan_line(raw, 1, learned_min_probability=learned_min_probability)
    assert time.process_time() - t0 < 2.0
    json.dumps(out)  # always serialisable
    assert set(out) >= {"id", "findings"}
    if out["findings"] is not None:
        text = json.loads(raw)["text"]
        for f in out["findings"]:
            assert 0 <= f["start"] < f["end"] <= len(text)
            assert isinstance(f["direct"], bool) and isinstance(f["category"], str)
