"""`make test`'s guard against a native crash (tests/crash_rerun.py), tested with real deaths: a tiny generated suite
whose tests kill their own worker process with SIGSEGV, run by pytest-xdist in a subprocess exactly as `make test`
runs the real one (``-n 1``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cipher_pipeline.settings import PROJECT_ROOT

TINY_SUITE = '''
import os
import signal
from pathlib import Path

MARKS = Path(os.environ["CRASH_MARKS"])


def _first_time(name):
    mark = MARKS / name
    if mark.exists():
        return False
    mark.touch()
    return True


def test_before():
    pass


def test_segfaults_once():
    if _first_time("once"):
        os.kill(os.getpid(), signal.SIGSEGV)


def test_after():
    pass
'''

ALWAYS_BROKEN = '''

def test_segfaults_every_time():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_exits_without_a_signal():
    if _first_time("exit"):
        os._exit(3)


def test_fails_an_assertion():
    (MARKS / "assertion").open("a").write("ran\\n")
    assert 1 + 1 == 3


def test_last():
    pass
'''


def run_tiny_suite(tmp_path: Path, source: str, *options: str) -> tuple[int, str]:
    suite = tmp_path / "suite"
    marks = tmp_path / "marks"
    suite.mkdir()
    marks.mkdir()
    (suite / "test_tiny.py").write_text(textwrap.dedent(source))
    env = {**os.environ, "CRASH_MARKS": str(marks), "PYTHONPATH": str(PROJECT_ROOT), "PYTHONFAULTHANDLER": "1"}
    command = [sys.executable, "-m", "pytest", "-n", "1", "-p", "tests.crash_rerun", "-p", "no:cacheprovider", "-rA",
               "--rootdir", str(suite), *options, str(suite)]  # fmt: skip
    done = subprocess.run(command, cwd=suite, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def test_a_test_killed_once_by_a_signal_is_named_rerun_once_and_the_run_stays_green(tmp_path):
    code, out = run_tiny_suite(tmp_path, TINY_SUITE)
    assert code == 0, out
    crashed = "test_tiny.py::test_segfaults_once"
    said = rf"worker gw0 killed by SIGSEGV \(signal 11\) while running \S*{crashed}"
    assert re.search(rf"!!! {said}: rerunning it once, first in a fresh worker", out)  # when it happens
    assert "Fatal Python error: Segmentation fault" in out  # the faulting stack, from the dead worker's stderr
    assert re.search(rf"worker gw0 killed by SIGSEGV \(signal 11\) in \S*{crashed}; rerun once: passed", out)  # summary
    assert re.search(r"= 3 passed, 1 rerun after signal in ", out), out  # counted where everyone looks
    assert re.search(rf"PASSED \S*{crashed}", out) and re.search(r"PASSED \S*test_after", out)  # the run went on


@pytest.mark.slow  # five test processes die and are replaced: 10-45 s on the shared machine
def test_a_second_death_a_death_without_a_signal_and_a_failed_assertion_stay_red(tmp_path):
    code, out = run_tiny_suite(tmp_path, TINY_SUITE + ALWAYS_BROKEN)
    assert code == 1, out
    always = "test_segfaults_every_time"
    killed = r"worker gw\d killed by SIGSEGV \(signal 11\) while running \S*"
    # killed twice: rerun once, then failed, the failure saying it was the rerun
    assert re.search(rf"!!! {killed}{always}: rerunning it once", out)
    assert re.search(rf"^{killed}{always} \(again, on its rerun after a signal\)$", out, re.M)  # in FAILURES
    assert re.search(rf"in \S*{always}; killed again on its rerun: failed", out)
    # os._exit(3) is no signal: failed at once, never rerun (it would have passed the second time)
    assert re.search(r"^worker gw\d exited with status 3 \(no signal\) while running \S*test_exits_without_a_signal "
                     r"\(not a signal: not rerun\)$", out, re.M)  # fmt: skip
    assert not re.search(r"test_exits_without_a_signal: rerunning", out)
    # an assertion is the test's own failure: red, run once
    assert re.search(r"FAILED \S*test_fails_an_assertion - assert", out)
    assert (tmp_path / "marks" / "assertion").read_text() == "ran\n"
    assert re.search(r"= 3 failed, 4 passed, 2 rerun after signal in ", out), out
    assert re.search(r"PASSED \S*test_last", out)  # no death stopped the rest of the suite


def test_a_run_that_xdist_stops_for_too_many_deaths_is_red(tmp_path):
    """Past ``--max-worker-restart`` xdist stops without running the tests left, and a first death by a signal leaves
    no failed report of its own: such a run must not read as green. (Here the limit is 0: the first death stops it.)"""
    code, out = run_tiny_suite(tmp_path, TINY_SUITE, "--max-worker-restart", "0")
    assert code == 1, out
    assert re.search(r"while running \S*test_segfaults_once: FAILED, and pytest-xdist stops here", out)
    assert "more than 0 worker deaths: pytest-xdist stopped the run, the tests left were not run: FAILED" in out
    assert not re.search(r"PASSED \S*test_after", out)  # never ran


def test_ci_runs_the_suite_in_one_worker_with_the_guard_registered(request):
    """`.ci/run` runs `make test`; `make test` runs the whole suite in one xdist worker (serial, as the slow tests
    need), which is what lets a crash cost one test; the guard is registered for every xdist run by the conftest."""
    assert re.search(r"^make test$", (PROJECT_ROOT / ".ci" / "run").read_text(), re.M)
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", (PROJECT_ROOT / "Makefile").read_text(), re.M)
    assert recipe and re.fullmatch(r"\t\$\(BIN\)/python -m pytest -n 1\n", recipe.group(1))
    from tests import crash_rerun

    assert request.config.pluginmanager.is_registered(crash_rerun)
