"""Which calls' misses the development tools may list: every calls_dev subset since session 19's swap of halves, a
blind corpus's odd half only (its even half stays held out)."""

from pathlib import Path

from cipher_devtools import evaluate as ev
from cipher_pipeline.cli import main as cli_main


def test_every_calls_dev_subset_is_development_after_the_swap():
    for half in ("odd", "even", "even-a", "even-b", "dev", None):
        assert ev.may_list_misses(half, calls_dev=True)


def test_a_blind_corpus_keeps_its_even_calls_held_out():
    assert ev.may_list_misses("odd", calls_dev=False)
    for half in ("even", "even-a", "even-b", "dev", None):
        assert not ev.may_list_misses(half, calls_dev=False)


def test_the_file_name_tells_calls_dev_from_a_blind_corpus():
    assert ev.is_calls_dev_file(None)
    assert ev.is_calls_dev_file(Path("/somewhere/calls_dev/calls_dev.md"))
    assert not ev.is_calls_dev_file(Path("tests/data/calls_redteam/calls_redteam18.md"))


def test_eval_refuses_to_list_a_blind_corpus_s_held_out_calls(capsys):
    code = cli_main(["eval", "--corpus", "calls_dev", "--path", "tests/data/calls_redteam/calls_redteam.md",
                     "--half", "dev", "--show-leaks"])
    assert code == 2 and "held out" in capsys.readouterr().err


def test_eval_refuses_a_split_on_a_corpus_that_has_none(capsys):
    """Only PhysioNet has a development split: `--corpus presidio --split dev` scored all 1,500 documents under the
    development split's name, so a held-out figure read as a development one."""
    code = cli_main(["eval", "--corpus", "presidio", "--split", "dev"])
    assert code == 2
    assert "physionet only" in capsys.readouterr().err


def test_eval_refuses_a_split_on_calls_dev_and_the_blind_corpora(capsys):
    """read20: the refusal above came after calls_dev's branch, so `--corpus calls_dev --path <blind corpus> --split
    dev` ignored the split and scored the whole corpus, its held-out even half included, under a development name."""
    code = cli_main(["eval", "--corpus", "calls_dev", "--path", "tests/data/calls_redteam/calls_redteam.md",
                     "--split", "dev"])
    assert code == 2
    assert "physionet only" in capsys.readouterr().err
