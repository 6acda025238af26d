"""`cipher status` and the runbook agree on every command they mention: each command the runbook writes out and
each command `cipher status` tells an operator to run parses with the real `cipher` parser, and every command
`cipher status` can name is one the runbook explains."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from cipher_pipeline.cli import build_parser
from cipher_pipeline.gate.release import RELEASE_COMMAND, _releasing_command, day_release
from cipher_pipeline.gate.paths import GatePaths
from cipher_pipeline.gate.thresholds import load_thresholds

RUNBOOK = Path(__file__).resolve().parent.parent / "docs" / "runbook.md"
DAY = "2026-11-19"

# One reason of each class `require_release` gives (gate/ledger.py), as `cipher status` receives them.
REASONS = {
    "no partition": "there is no redacted_transcripts partition for this day",
    "never ran": "the gate checks never ran for this partition (no evidence record)",
    "stale": "the gate evidence is stale: the redacted partition changed after the checks ran",
    "checks failed": "the gate checks failed: residual_direct_identifiers: PHONE 1",
    "flags to review": "the gate checks failed: residual_quasi_rate: NAME 1; only the residual scan's flags hold it: "
    "1/1 flagged transcripts cleared by review and 0/1 of the random QA sample reviewed with no finding (reviewing "
    "every flagged and every sampled transcript with no finding releases the day)",
    "flags, no sample": "the gate checks failed: residual_quasi_rate: NAME 1; only the residual scan's flags hold it: "
    "1/1 flagged transcripts cleared by review, and no QA sample was drawn for this partition (a release on review "
    "needs the flags and the random QA sample reviewed with no finding)",
    "flag confirmed": "the gate checks failed: residual_quasi_rate: NAME 1; a reviewer confirmed an identifier in 1 "
    "of 1 flagged transcripts (a regression case for the redactor)",
    "sample finding": "the gate checks failed: residual_quasi_rate: NAME 1; a reviewer confirmed an identifier in 1 "
    "of 1 transcripts of the random QA sample (a regression case for the redactor)",
    "finding": "human QA found 1 residual identifier(s): NAME 1",
    "QA incomplete": "human QA is incomplete: 0/2 reviewed",
    "no sample": "human QA is required but no QA sample was drawn for this partition",
}
# Placeholders the runbook and the status lines write in place of real values.
_PLACEHOLDERS = [(r"<day>|\bDAY\b|\bD\b", DAY), (r"<id>|\bID\b", "T0123456789abcdef"), (r'"\.\.\."|\bTEXT\b', '"a reason"')]


def _commands_in(text: str) -> list[str]:
    """Every `cipher ...` command written in ``text``: inline code in the runbook, or the plain sentences of a status
    line ("cipher qa sample --day D, then cipher qa review --day D")."""
    code = re.findall(r"`(cipher [^`]*)`", text)
    plain = [] if code else [c.strip() for c in re.findall(r"cipher [^,;()]+", text)]
    return code or plain


def _argv(command: str) -> list[str]:
    """A written command as the shell would pass it: placeholders filled in, optional ``[...]`` parts dropped, the
    first of ``a|b|c`` alternatives taken."""
    for pattern, value in _PLACEHOLDERS:
        command = re.sub(pattern, value, command)
    command = re.sub(r"\s*\[[^\]]*\]", "", command)
    command = re.sub(r"(\S+?)(?:\|\S+)+", r"\1", command)
    return shlex.split(command)[1:]


def _sub_command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths |= {prefix + (name,)} | _sub_command_paths(sub, prefix + (name,))
    return paths


def _parses(command: str) -> bool:
    """A full command parses; a bare mention in prose ("`cipher deid`", "`cipher qa`") names a real sub-command."""
    parser = build_parser()
    argv = _argv(command)
    if argv and all(re.fullmatch(r"[a-z][a-z0-9-]*", word) for word in argv) and tuple(argv) in _sub_command_paths(parser):
        return True
    try:
        parser.parse_args(argv)
    except SystemExit:
        return False
    return True


def _sub_command(command: str) -> str:
    """``cipher qa review --day D`` -> ``cipher qa review``: the words before the first option or value."""
    words = []
    for word in command.split()[1:]:
        if word.startswith("-") or re.match(r"\d|<|\[|D$|DAY$", word):
            break
        words.append(word)
    return " ".join(["cipher", *words])


def _status_commands() -> dict[str, list[str]]:
    commands = {name: _commands_in(_releasing_command(DAY, reason)) for name, reason in REASONS.items()}
    return commands


def test_every_command_the_runbook_writes_out_parses():
    commands = _commands_in(RUNBOOK.read_text(encoding="utf-8"))
    assert len(commands) > 20
    assert [c for c in commands if not _parses(c)] == []


@pytest.mark.parametrize("reason_class", sorted(REASONS))
def test_every_command_status_names_parses_and_is_in_the_runbook(reason_class):
    runbook = RUNBOOK.read_text(encoding="utf-8")
    documented = {_sub_command(c) for c in _commands_in(runbook)}
    commands = _status_commands()[reason_class]
    assert commands, reason_class
    for command in commands:
        assert _parses(command), command
        assert _sub_command(command) in documented, command


def test_the_releasable_and_held_states_name_commands_the_runbook_explains(tmp_path):
    """The releasable state's command is written by day_release itself; a day with no gate evidence is held and
    points at `cipher materialize DAY`."""
    runbook = RUNBOOK.read_text(encoding="utf-8")
    documented = {_sub_command(c) for c in _commands_in(runbook)}
    releasable = RELEASE_COMMAND.format(day=DAY)
    assert _parses(releasable) and _sub_command(releasable) in documented
    assert "`cipher materialize <day> --job release_insights`" in runbook
    held = day_release(GatePaths(tmp_path), DAY, load_thresholds())
    assert held.command == f"cipher materialize {DAY}" and _parses(held.command)
