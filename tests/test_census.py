"""The development census (``cipher_devtools.census``): development sources only, and what it lists is the scorer's."""

from pathlib import Path

import pytest

from cipher_devtools import census as c
from cipher_devtools import evaluate as ev


def test_the_sources_are_calls_dev_and_each_blind_corpus_s_odd_half():
    sources = c.development_sources()
    assert sources[0][0] == "calls_dev" and sources[0][2] is None
    blind = sources[1:]
    assert blind and all(half == "odd" for _, _, half in blind)
    assert blind[0][0] == "calls_redteam"  # session 7's corpus first, then by number
    assert [name for name, _, _ in blind] == sorted((n for n, _, _ in blind), key=lambda n: int(n[13:] or 7))


def test_a_held_out_half_is_refused(tmp_path):
    corpus = Path("tests/data/calls_redteam/calls_redteam19.md")
    with pytest.raises(ValueError, match="held out"):
        c.census(redactor=None, sources=[("calls_redteam19", corpus, "even")])


@pytest.mark.slow  # loads the engine
def test_it_lists_exactly_what_the_scorer_misses(redactor):
    corpus = Path("tests/data/calls_redteam/calls_redteam19.md")
    records, totals = c.census(redactor, [("calls_redteam19", corpus, "odd")], styles=("asr",), with_fp=True)
    docs = ev.load_calls_dev(corpus, half="odd", style="asr")
    score = ev.run(docs, ev.cipher_predictor(redactor))
    assert len([r for r in records if r["kind"] == "miss"]) == len(score.leaks)
    assert len([r for r in records if r["kind"] == "fp"]) == len(score.overmasked) == totals[("calls_redteam19", "asr")][2]
    n, found, _ = totals[("calls_redteam19", "asr")]
    assert found / n == pytest.approx(score.entity_recall)
