"""A test process killed by a signal costs one rerun of its test, not the whole run (pytest-xdist's controller).

`make test` runs the suite in one pytest-xdist worker (``-n 1``: serial, as before) so that a native crash in any
library (a segmentation fault in CTranslate2, onnxruntime, DuckDB, SQLite, pycrfsuite, Dagster's gRPC) kills only
the worker. xdist then starts a fresh worker for the tests left and reports the test the dead one was running as
failed ("worker 'gw0' crashed while running ..."). This plugin, in the controller, decides what that death means:

- killed by a signal (the worker's exit status is negative: SIGSEGV, SIGBUS, SIGABRT, SIGKILL from the OOM killer)
  for the first time for this test: the test is rerun once, first in the fresh worker, and the death is reported
  loudly (a line when it happens, a section in the summary, ``R`` / "rerun after signal" in the counts). If the
  rerun passes, the run stays green; if it fails, the failure is the test's own, red as usual;
- killed by a signal again on the rerun: failed, red, both deaths named;
- the worker exited without a signal (``os._exit``, an interpreter abort with an exit status) or its status cannot
  be read: failed, red, never rerun;
- a failed assertion never reaches here (the worker survives it): red as always.

xdist's own limit still stops a run whose workers keep dying (``--max-worker-restart``, default 4 for one worker);
such a run is failed here, since the tests it never ran leave no failed report.
The faulting thread's stack is on stderr above the line (pytest's faulthandler, in the worker). Registered for every
xdist run by ``tests/conftest.py``; without xdist (``-p no:xdist``, no ``-n``) nothing here is called.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field

import pytest

RERUN = "rerun after signal"  # the category in pytest's counts


@dataclass
class Death:
    nodeid: str | None  # None: the worker died between tests (collection, shutdown)
    worker: str
    status: int | None  # the worker's exit status: negative for a signal, None when unknown
    rerun: bool = False


@dataclass
class _State:
    status_of: dict[str, int | None] = field(default_factory=dict)  # worker id -> exit status, once it is down
    deaths: list[Death] = field(default_factory=list)
    rerun: set[str] = field(default_factory=set)


_STATE = _State()


def describe(status: int | None) -> str:
    """What ended a worker, as a verb phrase: "killed by SIGSEGV (signal 11)", "exited with status 3 (no signal)"."""
    if status is None:
        return "died (its exit status could not be read)"
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name} (signal {-status})"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exited with status {status} (no signal)"


def _exit_status(node) -> int | None:
    """The dead worker process's exit status (execnet keeps the ``Popen`` of a local worker). The channel closed
    because the process ended, so the wait is short; a worker still alive after 30 s, or one whose process cannot
    be read (a remote gateway, another execnet), gives None: treated as a failure, never rerun."""
    popen = getattr(getattr(getattr(node, "gateway", None), "_io", None), "popen", None)
    if popen is None:
        return None
    try:
        return popen.wait(timeout=30)
    except Exception:  # noqa: BLE001 - TimeoutExpired, OSError: unknown, so no rerun
        return None


def _say(config, line: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(line, red=True, bold=True)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    if error is not None:  # "Not properly terminated": the worker died; a finished worker has no error
        _STATE.status_of[node.gateway.id] = status = _exit_status(node)  # xdist gives each new worker a new id
        _STATE.deaths.append(Death(None, node.gateway.id, status))  # the test, if any: pytest_handlecrashitem


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_handlecrashitem(crashitem: str, report, sched):
    worker = report.node.gateway.id
    status = _STATE.status_of.get(worker)
    death = next((d for d in _STATE.deaths if d.worker == worker), None)
    if death is None:  # pytest_testnodedown always comes first; kept for safety
        death = Death(crashitem, worker, status)
        _STATE.deaths.append(death)
    death.nodeid = crashitem
    config = report.node.config
    what = f"worker {worker} {describe(status)} while running {crashitem}"
    if _limit_reached(config):
        report.longrepr = f"{what} (the run's limit of {_limit(config)} worker deaths is passed: not rerun)"
        _say(config, f"!!! {what}: FAILED, and pytest-xdist stops here: the tests left are not run !!!")
        return True
    if status is not None and status < 0 and crashitem not in _STATE.rerun:
        _STATE.rerun.add(crashitem)
        death.rerun = True
        sched.mark_test_pending(crashitem)
        report.outcome = RERUN
        report.longrepr = what
        _say(config, f"!!! {what}: rerunning it once, first in a fresh worker (a second death fails it) !!!")
        return True
    why = "again, on its rerun after a signal" if crashitem in _STATE.rerun else "not a signal: not rerun"
    report.longrepr = f"{what} ({why})"
    _say(config, f"!!! {what} ({why}): FAILED !!!")
    return True


def _limit(config) -> int | None:
    """pytest-xdist's ``--max-worker-restart`` (default: four per worker); past it xdist stops the run."""
    try:
        from xdist.dsession import get_default_max_worker_restart
    except ImportError:
        return None
    return get_default_max_worker_restart(config)


def _limit_reached(config) -> bool:
    limit = _limit(config)
    return limit is not None and len(_STATE.deaths) > limit


def pytest_sessionfinish(session, exitstatus) -> None:
    """xdist stops a run whose workers died too often without failing it; the tests it never ran make it red here
    (a death between tests, or a first death by signal, leaves no failed report of its own)."""
    if _limit_reached(session.config) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report, config):
    if report.outcome == RERUN:
        return RERUN, "R", ("RERUN AFTER SIGNAL", {"red": True, "bold": True})
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _STATE.deaths:
        return
    terminalreporter.write_sep("!", "test workers that died (a native crash or a kill), tests/crash_rerun.py", red=True)
    if _limit_reached(config):
        stopped = f"more than {_limit(config)} worker deaths: pytest-xdist stopped the run, the tests left were not run"
        terminalreporter.write_line(f"{stopped}: FAILED", red=True, bold=True)
    outcomes: dict[str, set[str]] = {}
    for reports in terminalreporter.stats.values():
        for r in reports:
            if getattr(r, "outcome", RERUN) != RERUN and getattr(r, "nodeid", None):
                outcomes.setdefault(r.nodeid, set()).add(r.outcome)
    for death in _STATE.deaths:
        if death.nodeid is None:
            terminalreporter.write_line(f"worker {death.worker} {describe(death.status)} between tests (no test lost)")
            continue
        if death.rerun:
            seen = outcomes.get(death.nodeid, set())
            then = "rerun once: " + next((o for o in ("failed", "skipped", "passed") if o in seen), "see above")
        else:
            then = "killed again on its rerun: failed" if death.nodeid in _STATE.rerun else "failed, not rerun"
        terminalreporter.write_line(f"worker {death.worker} {describe(death.status)} in {death.nodeid}; {then}")
