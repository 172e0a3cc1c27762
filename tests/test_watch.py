"""`python -m grader watch`: a warm re-check reports what `check` reports; a saved file is
checked again; a passing exercise leads on to the next; Enter re-runs; Ctrl-C leaves."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import watchfiles

from grader import __version__, watch
from grader.manifest import ROOT, SOLUTIONS
from grader.report import to_json
from grader.run import run_checks
from grader.watch import IGNORE, Watcher

from conftest import EXERCISES, grade, patch, reference_copy, stub_copy

WAIT = 20  # seconds at most for any one thing to show


def _tests(results: dict) -> list[dict]:
    return [{k: v for k, v in t.items() if k != "execution_time"} for t in results["tests"]]


def _mixed(dest: Path) -> Path:
    """Exercise 01 with a known bug, a function that raises and one that exits; 03 with
    a wrong gradient."""
    patch(reference_copy(EXERCISES[2], dest) / "matrix_functions.py",
          "return np.dot(dS_dN, W.T)", "return np.dot(np.ones_like(N), W.T)")
    folder = reference_copy(EXERCISES[0], dest)
    path = folder / "derivative.py"
    patch(path, "(func(input_ + delta) - func(input_ - delta)) / (2 * delta)",
          "(func(input_ + delta) - func(input_)) / delta")
    patch(path, "np.maximum(0.2 * x, x)", "np.maximum(0.2 * x, x) + int('boom')")
    text = path.read_text()
    path.write_text(text.replace('"""Square every element of x."""',
                                 '"""Square every element of x."""\n    import sys\n'
                                 '    sys.exit(3)', 1))
    return dest


@pytest.mark.parametrize("case, ids, seed", [
    ("reference", ["01", "02"], 0),
    ("reference", ["03"], 5),
    ("stubs", [], 0),  # every exercise
    ("mixed", ["01", "03"], 0),
])
def test_a_warm_recheck_reports_what_check_reports(case, ids, seed, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # messages show paths relative to here, as the CLI's do
    submission = {"reference": lambda: SOLUTIONS,
                  "stubs": lambda: stub_copy(tmp_path / "stubs"),
                  "mixed": lambda: _mixed(tmp_path / "mixed")}[case]()
    cli = grade(submission, *ids, seed=seed)
    watcher = Watcher(ids, submission, seed=seed)
    for _ in range(2):  # cold, then warm: the same both times
        warm = to_json(watcher.check_once(), 0.0, seed, __version__)
        assert _tests(warm) == _tests(cli.results)
        assert warm["score"] == cli.results["score"]
        assert warm["max_score"] == cli.results["max_score"]
    if case == "mixed":
        kinds = {t["extra_data"]["kind"] for t in cli.results["tests"]}
        assert {"wrong", "error", "exited"} <= kinds, kinds
        # what `check --plot` draws comes along too, as from a pytest session
        session = run_checks([EXERCISES[0], EXERCISES[2]], submission, seed=seed)
        warm_results = [r for s in watcher.check_once() for r in s.results]
        assert [(r.name, sorted(r.arrays)) for r in warm_results] == \
            [(r.name, sorted(r.arrays)) for r in session]
        assert any(r.arrays for r in session)
    if case == "stubs":
        assert all(t["status"] == "failed" for t in cli.results["tests"])


class Output:
    """A process's stdout, read line by line in a thread, to wait on."""

    def __init__(self, stream):
        self.text = ""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in iter(stream.readline, ""):
            with self.lock:
                self.text += line

    def wait_for(self, predicate, what: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                text = self.text
            if predicate(text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"no {what} within {timeout} s; the output was:\n{self.text}")


def _start(args: list[str], env: dict | None = None) -> subprocess.Popen:
    env = {k: v for k, v in (env or os.environ).items() if k != "WATCHFILES_FORCE_POLLING"}
    return subprocess.Popen([sys.executable, "-m", "grader", "watch", *args], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _stop(proc: subprocess.Popen, out: Output) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    out.thread.join(timeout=5)
    return code, out.text, proc.stderr.read()


@pytest.mark.parametrize("flags", [[], ["--poll"]], ids=["events", "poll"])
def test_a_saved_file_is_checked_again_and_a_pass_moves_on(flags, tmp_path):
    sub = stub_copy(tmp_path / "sub")
    proc = _start(["01", "--submission", str(sub), *flags])
    out = Output(proc.stdout)
    try:
        first = out.wait_for(lambda t: "Watching" in t, "first report")
        assert "01 Numerical derivative" in first and "Not started" in first
        assert "Enter checks again" in first  # stdin is a pipe: its lines are read
        assert ("(polling)" in first) == bool(flags)

        if flags:  # the poller sees whole seconds of mtime: a save in the same second as
            time.sleep(1.1)  # the stub's copy is caught later, by the files' snapshot
        shutil.copy(SOLUTIONS / "01_derivative" / "derivative.py",
                    sub / "01_derivative" / "derivative.py")
        moved = out.wait_for(lambda t: t.count("Watching") >= 3, "re-check and move to 02")
        after = moved.split("derivative.py changed", 1)
        assert len(after) == 2, moved
        assert "All 10 checks pass: 12/12" in after[0]  # the report above its footer
        assert "01 passes: on to the next exercise" in after[1]
        assert "02 The chain rule" in after[1] and "02_chain_rule" in after[1].splitlines()[-1]

        proc.stdin.write("\n")
        proc.stdin.flush()
        again = out.wait_for(lambda t: "checked again:" in t, "re-run on Enter")
        assert "02 The chain rule" in again.split("next exercise:", 1)[1]
    finally:
        code, text, err = _stop(proc, out)
    assert code == 0, err
    assert text.rstrip().endswith("bye")
    assert "Traceback" not in text and "Traceback" not in err, err


def test_ctrl_c_while_waiting_for_the_first_report_leaves_cleanly(tmp_path):
    proc = _start(["--submission", str(stub_copy(tmp_path / "sub"))],
                  env={**os.environ, "WATCHFILES_FORCE_POLLING": "1"})
    out = Output(proc.stdout)
    out.wait_for(lambda t: "Watching" in t, "first report")
    assert "01 Numerical derivative" in out.text  # the first exercise not passing
    code, text, err = _stop(proc, out)
    assert code == 0 and text.rstrip().endswith("bye") and "Traceback" not in err, err


def test_unknown_exercise_or_folder_is_an_error(tmp_path):
    for args in (["99"], ["01", "--submission", str(tmp_path / "nowhere")]):
        proc = subprocess.run([sys.executable, "-m", "grader", "watch", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and proc.stderr.startswith("error:"), proc.stderr


def test_polls_when_file_events_do_not_arrive(tmp_path, monkeypatch):
    """Where the file system sends no events (a network drive, say), a change seen in
    the files with no event for it switches to polling, and is checked."""
    real = watchfiles.watch

    def deaf(*paths, force_polling=False, stop_event=None, **kwargs):
        if force_polling:
            yield from real(*paths, force_polling=True, stop_event=stop_event, **kwargs)
            return
        while not stop_event.is_set():
            time.sleep(0.05)
            yield set()

    monkeypatch.setattr(watchfiles, "watch", deaf)
    sub = stub_copy(tmp_path / "sub")
    out = io.StringIO()
    watcher = Watcher(["01"], sub, out=out)
    runner = threading.Thread(target=watcher.run, kwargs={"keys": False}, daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + WAIT
        while "Watching" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "(polling)" not in out.getvalue()
        shutil.copy(SOLUTIONS / "01_derivative" / "derivative.py",
                    sub / "01_derivative" / "derivative.py")
        deadline = time.monotonic() + WAIT
        while "Watching" not in out.getvalue().partition("01 passes")[2] \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        text = out.getvalue()
        assert "file events do not arrive here: polling instead" in text, text
        assert "All 10 checks pass" in text
        assert "02_chain_rule (polling)" in text.split("01 passes")[-1]  # it goes on polling
    finally:
        watcher.on_key("q\n")
        runner.join(timeout=WAIT)
    assert not runner.is_alive()
    assert out.getvalue().rstrip().endswith("bye")


def test_enter_and_q_are_read_from_a_pipe():
    read, write = os.pipe()
    watcher = Watcher(["01"], SOLUTIONS)
    with open(read, encoding="utf-8") as stream, open(write, "w", encoding="utf-8") as pipe:
        assert watcher.listen_for_keys(stream)
        pipe.write("\nq\n")
        pipe.flush()
        got = [watcher.events.get(timeout=WAIT)[0] for _ in range(2)]
    assert got == ["enter", "quit"]


def test_files_that_trigger_no_recheck():
    folder = "/work/ex/01_derivative"
    ignored = ["__pycache__/derivative.cpython-311.pyc", "derivative.pyc", ".derivative.py.swp",
               "derivative.py~", "4913", ".#derivative.py", "#derivative.py#",
               ".ipynb_checkpoints/x.py", ".goutputstream-ABC123"]
    for name in ignored:
        assert not IGNORE(watchfiles.Change.modified, f"{folder}/{name}"), name
    for name in ("derivative.py", "README.md", "notes.txt"):
        assert IGNORE(watchfiles.Change.modified, f"{folder}/{name}"), name


def test_a_long_report_is_cut():
    watcher = Watcher(["01"], SOLUTIONS, out=io.StringIO(), max_lines=60)
    report = "\n".join(f"line {n}" for n in range(100))
    cut = watcher.capped(report, EXERCISES[0]).splitlines()
    assert len(cut) == 61 and cut[59] == "line 59"
    assert "40 more lines" in cut[60] and "python -m grader check 01" in cut[60]
    assert watcher.capped("short\nreport", EXERCISES[0]) == "short\nreport"


def test_when_to_poll(tmp_path, monkeypatch):
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING", raising=False)
    monkeypatch.setattr(watch, "_mount_type", lambda path: "ext4")
    assert not watch.should_poll(tmp_path)
    assert watch.should_poll(tmp_path, poll=True)
    for fs in ("nfs4", "cifs", "9p", "drvfs"):
        monkeypatch.setattr(watch, "_mount_type", lambda path, fs=fs: fs)
        assert watch.should_poll(tmp_path), fs
    monkeypatch.setattr(watch, "_mount_type", lambda path: "ext4")
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    assert watch.should_poll(tmp_path)
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "false")
    assert not watch.should_poll(tmp_path)
