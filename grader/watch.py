"""python -m grader watch: check an exercise again each time one of its files changes.

The re-check is warm: this process keeps Python, NumPy, pytest and the imported
check modules from run to run, and calls the check functions itself, with the
`ex` fixture's Runner, turning each outcome into a CheckResult exactly as the
pytest plugin does (grader/plugin.py). The learner's code still runs in a fresh
forked worker per check, so every run sees the files as they are now.

Changes come as file events (watchfiles), or by polling where events do not
arrive: with --poll or WATCHFILES_FORCE_POLLING, on WSL's Windows drives and
network mounts, and by itself when a file changed and no event said so.
"""
from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import os
import platform
import queue
import re
import signal
import stat
import sys
import threading
import time
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

import pytest
import watchfiles

from grader import progress
from grader.compare import CheckFailed
from grader.i18n import N_, tr
from grader.manifest import CHECKS, EXERCISES, SOLUTIONS, VISIBLE, Exercise, find, load
from grader.plugin import (
    DEFAULT_TIMEOUT,
    CheckResult,
    Collector,
    GraderError,
    Runner,
    _seed,
    exercise_of,
)
from grader.report import Style, Summary, detail, summarise
from grader.worker import shown

MAX_LINES = 60  # of one report; the rest is cut
CLEAR = "\033[H\033[2J\033[3J"  # cursor home, clear the screen and its scrollback
TICK = 0.25  # seconds between looks at keys, the watcher and (every few) the files
MISSED_AFTER = 2.0  # seconds a change may go without an event before we poll instead
# File systems whose changes often bring no event here: polled from the start.
_REMOTE = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "drvfs", "vboxsf", "virtiofs",
           "fuse.sshfs", "sshfs", "fuse.grpcfuse", "fakeowner", "afs", "ceph", "glusterfs",
           "fuse.rclone", "fuse.s3fs", "lustre"}


class Ignore(watchfiles.DefaultFilter):
    """Files whose changes trigger no re-check: bytecode, editors' swap, backup and
    temporary files, and tools' caches (watchfiles' DefaultFilter, and a few more)."""

    ignore_dirs = (*watchfiles.DefaultFilter.ignore_dirs, ".ipynb_checkpoints", ".ruff_cache")
    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns,
                              r"^4913$",  # vim's test of whether it may write the folder
                              r"\.tmp$", r"\.bak$", r"^\.goutputstream-", r"^\.~lock\.",
                              r"^#.*#$")


IGNORE = Ignore()


# --------------------------------------------------------------------------- warm checks


@dataclass
class _Item:
    """What plugin.Collector reads of a pytest item: a check function's name, file, marks."""

    name: str
    path: Path
    marks: list = field(default_factory=list)

    def get_closest_marker(self, name: str) -> Any:
        return next((m for m in self.marks if m.name == name), None)


@dataclass
class _Call:
    excinfo: pytest.ExceptionInfo | None


@dataclass
class _Report:
    passed: bool
    failed: bool
    duration: float


@dataclass
class _Check:
    func: Callable
    item: _Item


_modules: dict[Path, types.ModuleType] = {}


def _module(path: Path) -> types.ModuleType:
    """A check module, imported by path once per process."""
    path = Path(path).resolve()
    if path not in _modules:
        package = {CHECKS: "grader.checks", VISIBLE: "grader.visible"}.get(path.parent)
        name = f"{package}.{path.stem}" if package else path.stem
        module = sys.modules.get(name)
        if module is None or Path(getattr(module, "__file__", "") or "").resolve() != path:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except Exception as exc:
                del sys.modules[name]
                raise GraderError(f"the checks {shown(path)} do not import: {exc!r}") from exc
        _modules[path] = module
    return _modules[path]


def _marks(value: Any) -> list:
    value = value if isinstance(value, (list, tuple)) else [value] if value else []
    return [getattr(m, "mark", m) for m in value]  # a MarkDecorator holds its Mark


def _checks(exercise: Exercise) -> list[_Check] | None:
    """The exercise's checks as pytest would collect them (test* functions, in the order
    they are defined, visible checks first), or None if one needs more than pytest's
    collection of plain functions taking the `ex` fixture."""
    checks = []
    for path in exercise.check_files:
        module = _module(path)
        module_marks = _marks(getattr(module, "pytestmark", []))
        for name, obj in list(vars(module).items()):
            if name.startswith("Test") and inspect.isclass(obj):
                return None
            if not (name.startswith("test") and inspect.isfunction(obj)):
                continue
            if not getattr(obj, "__test__", True):
                continue
            if list(inspect.signature(obj).parameters) != ["ex"]:
                return None
            marks = _marks(getattr(obj, "pytestmark", [])) + module_marks
            checks.append(_Check(obj, _Item(name, Path(path), marks)))
    return checks


@contextlib.contextmanager
def _backstop(item: _Item) -> Iterator[None]:
    """pytest-timeout's limit for a check (its `timeout` mark), by SIGALRM as there; any
    alarm already set (an outer pytest-timeout's) is set again afterwards."""
    mark = item.get_closest_marker("timeout")
    seconds = float(mark.args[0]) if mark is not None and mark.args else 0.0
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        pytest.fail(f"Timeout (>{seconds:g}s) from the grader's backstop.")

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, fire)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            left = outer - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)


def _run_check(check: _Check, submission: Path, reference: Path, seed: int) -> CheckResult:
    """One check, called as pytest calls it; its result as plugin.Collector makes it."""
    item = check.item
    marker = item.get_closest_marker("check")
    timeout = marker.kwargs.get("timeout", DEFAULT_TIMEOUT) if marker else DEFAULT_TIMEOUT
    excinfo = None
    start = time.perf_counter()
    try:
        ex = Runner(exercise_of(item.path), submission, reference, _seed(seed, item.name),
                    timeout)  # as the `ex` fixture builds it
        with _backstop(item):
            check.func(ex)
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - as pytest: every outcome is a result
        excinfo = pytest.ExceptionInfo.from_current()
    duration = time.perf_counter() - start
    skipped = excinfo is not None and isinstance(excinfo.value, pytest.skip.Exception)
    report = _Report(passed=excinfo is None, failed=excinfo is not None and not skipped,
                     duration=duration)
    result = Collector._result(item, _Call(excinfo), report)
    if excinfo is not None and isinstance(excinfo.value, CheckFailed):
        result.arrays = getattr(excinfo.value, "arrays", {})  # as Collector keeps them
    return result


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """As grader.run runs the checks: their prints and warnings kept out of the report.
    The stream is UTF-8, as pytest's capture is while checks run (gradcheck's map of
    wrong coordinates picks its marks by sys.stdout's encoding)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def check_warm(exercises: list[Exercise], submission: Path, *, seed: int = 0,
               reference: Path = SOLUTIONS) -> list[CheckResult]:
    """The results `python -m grader check` gives, without a pytest session."""
    submission, reference = Path(submission).resolve(), Path(reference).resolve()
    results: list[CheckResult] = []
    for exercise in exercises:
        with _quiet():
            checks = _checks(exercise)
        if checks is None:  # something only pytest runs: a session for this exercise
            from grader.run import run_checks

            results += run_checks([exercise], submission, seed=seed, reference=reference)
            continue
        with _quiet():
            results += [_run_check(c, submission, reference, seed) for c in checks]
    return results


# --------------------------------------------------------------------------- changes


def _mount_type(path: Path) -> str:
    """The file system type of the mount that holds path ("" if unknown)."""
    best, kind = "", ""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                if len(fields) < 3:
                    continue
                point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)),
                               fields[1])  # \040 is a space
                if (str(path) == point or str(path).startswith(point.rstrip("/") + "/")) \
                        and len(point) >= len(best):
                    best, kind = point, fields[2]
    except OSError:
        return ""
    return kind


def should_poll(folder: Path, poll: bool = False) -> bool:
    """Poll rather than wait for file events? --poll; WATCHFILES_FORCE_POLLING (unless
    false/disable); on WSL, a Windows drive under /mnt/; a network mount."""
    if poll:
        return True
    env = os.environ.get("WATCHFILES_FORCE_POLLING")
    if env:
        return env.lower() not in {"false", "disable", "disabled"}
    folder = Path(folder).resolve()
    if "microsoft" in platform.uname().release.lower() and folder.parts[1:2] == ("mnt",):
        return True
    return _mount_type(folder) in _REMOTE


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of the folder that a change would re-check: its mtime and size."""
    files = {}
    for base, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if IGNORE(watchfiles.Change.modified, os.path.join(base, d))]
        for name in names:
            path = os.path.join(base, name)
            if IGNORE(watchfiles.Change.modified, path):
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                files[path] = (info.st_mtime_ns, info.st_size)
    return files



def _changed_text(names: list[str]) -> str:
    return tr("{files} changed").format(files=", ".join(names))


def _changed(now: dict, before: dict) -> list[str]:
    """Names of the files added, removed or changed between two snapshots."""
    return sorted({Path(p).name for p in set(now) | set(before) if now.get(p) != before.get(p)})


class _Events:
    """watchfiles.watch over one folder, in a thread: each batch of changes goes on the
    queue as ("change", names, self)."""

    def __init__(self, folder: Path, polling: bool, events: queue.Queue):
        self.folder, self.polling, self.events = folder, polling, events
        self.stop = threading.Event()
        self.ready = threading.Event()  # set up for sure: changes from now on are seen
        self.thread = threading.Thread(target=self._run, daemon=True, name="grader-watch")
        self.thread.start()

    def _run(self) -> None:
        try:
            for changes in watchfiles.watch(self.folder, watch_filter=IGNORE, step=50,
                                             stop_event=self.stop, rust_timeout=100,
                                             yield_on_timeout=True, raise_interrupt=False,
                                             force_polling=self.polling):
                self.ready.set()
                if changes:
                    self.events.put(("change", sorted({Path(p).name for _, p in changes}), self))
        except Exception as exc:  # noqa: BLE001 - a folder gone, no watches left: say so
            self.events.put(("error", exc, self))
        finally:
            self.ready.set()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


# --------------------------------------------------------------------------- the loop


class Watcher:
    """Checks exercises warm; `run` watches the current one: on every change in its
    folder, or Enter, it checks it again, and once it passes moves to the next one."""

    def __init__(self, exercise_ids: list[str] | tuple[str, ...] = (),
                 submission: Path = EXERCISES, *, seed: int = 0, reference: Path = SOLUTIONS,
                 poll: bool = False, out: TextIO | None = None, max_lines: int = MAX_LINES):
        self.submission = Path(submission)
        if not self.submission.exists():
            raise LookupError(tr("{path} does not exist").format(path=submission))
        everything = load()
        # the exercises this submission has: those `run` may move on to
        self.present = [e for e in everything if e.folder_in(self.submission).is_dir()]
        self.exercises = [find(i, everything) for i in exercise_ids] if exercise_ids \
            else self.present
        if not self.exercises:
            raise LookupError(tr("{path} holds no exercise folder").format(
                path=shown(self.submission)))
        self.asked = bool(exercise_ids)
        for ex in self.exercises if self.asked else ():
            if not ex.folder_in(self.submission).is_dir():
                raise LookupError(tr("{path} does not exist").format(
                    path=shown(ex.folder_in(self.submission))))
        self.seed, self.reference, self.poll = seed, Path(reference), poll
        self.out, self.max_lines = out, max_lines
        self.events: queue.Queue = queue.Queue()
        self.keys = False  # whether lines on stdin are read (Enter checks again)
        self.style = Style(self.stream)
        self._watching: _Events | None = None
        self._seen: dict[str, tuple[int, int]] = {}  # the files as the last check began

    def check_once(self, exercise_ids: list[str] | None = None) -> list[Summary]:
        """Check the exercises (default: the watcher's) now, warm; a Summary each."""
        exercises = self.exercises if exercise_ids is None else [find(i) for i in exercise_ids]
        results = check_warm(exercises, self.submission, seed=self.seed,
                             reference=self.reference)
        return summarise(exercises, results)

    # ---- output

    @property
    def stream(self) -> TextIO:
        return self.out or sys.stdout

    def _print(self, text: str = "") -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def _tty(self) -> bool:
        return hasattr(self.stream, "isatty") and self.stream.isatty()

    def _folder(self, ex: Exercise) -> Path:
        return ex.folder_in(self.submission)

    def capped(self, text: str, ex: Exercise) -> str:
        """At most max_lines lines of a report, then how many more there are."""
        lines = text.splitlines()
        if len(lines) <= self.max_lines:
            return text
        more = len(lines) - self.max_lines
        where = "" if self.submission.resolve() == EXERCISES.resolve() \
            else f" --submission {shown(self.submission)}"
        dots = "…" if self.style.ok == "✓" else "..."
        return "\n".join(lines[:self.max_lines] + [self.style.dim(
            (tr("{dots} 1 more line: python -m grader check {id}{where} shows them all")
             if more == 1 else
             tr("{dots} {n} more lines: python -m grader check {id}{where} shows them all")
             ).format(dots=dots, n=more, id=ex.id, where=where))])

    def _check(self, ex: Exercise) -> tuple[Summary | None, float]:
        """Check ex, warm: (its summary, or None when the grader failed; seconds)."""
        self._seen = snapshot(self._folder(ex))
        start = time.perf_counter()
        try:
            [summary] = self.check_once([ex.id])
        except GraderError as exc:
            self._print(tr("error: {message}").format(message=exc))
            return None, time.perf_counter() - start
        seconds = time.perf_counter() - start
        if self.submission.resolve() == EXERCISES.resolve():
            with contextlib.suppress(OSError):
                progress.record([summary])  # what `status` shows, as `check` records it
        return summary, seconds

    def _report(self, ex: Exercise, summary: Summary | None, why: str,
                seconds: float | None) -> None:
        """The report of ex (if checked), and a line: when, why, what is watched."""
        if summary is not None:
            self._print(self.capped(detail(summary, shown(self._folder(ex)), self.style), ex))
        if self._watching:
            self._watching.ready.wait(timeout=5)
        how = tr(" (polling)") if self._watching and self._watching.polling else ""
        keys = tr("Enter checks again; ") if self.keys else ""
        took = "" if seconds is None else tr(": checked in {seconds:.2f} s").format(
            seconds=seconds)
        self._print()
        self._print(self.style.dim(f"[{time.strftime('%H:%M:%S')}] " + tr(
            "{why}{took}. Watching {folder}{how}: save a file to check again; {keys}Ctrl-C "
            "quits.").format(why=tr(why), took=took, folder=shown(self._folder(ex)), how=how,
                             keys=keys)))

    # ---- keys

    def listen_for_keys(self, stream: TextIO | None = None) -> bool:
        """Read lines from stdin in a thread, each one a re-run ("q" quits): only from a
        terminal where this process is in the foreground, or from a pipe."""
        stream = sys.stdin if stream is None else stream
        try:
            fd = stream.fileno()
            if os.isatty(fd):
                if os.tcgetpgrp(fd) != os.getpgrp():  # a background job: a read would stop it
                    return False
            elif not stat.S_ISFIFO(os.fstat(fd).st_mode):
                return False
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return False
        threading.Thread(target=self._read_keys, args=(stream,), daemon=True,
                         name="grader-watch-keys").start()
        self.keys = True
        return True

    def _read_keys(self, stream: TextIO) -> None:
        try:
            for line in iter(stream.readline, ""):
                self.on_key(line)
        except (OSError, ValueError):
            pass

    def on_key(self, line: str) -> None:
        """A line typed: Enter checks again; q (or quit) leaves."""
        quit_ = line.strip().lower() in ("q", "quit", "exit")
        self.events.put(("quit" if quit_ else "enter", None, None))

    # ---- watching

    def _watch(self, ex: Exercise, polling: bool | None = None) -> None:
        """Watch ex's folder from now on (events for another folder are dropped)."""
        folder = self._folder(ex).resolve()
        if polling is None:
            if self._watching and self._watching.folder == folder:
                return
            polling = should_poll(folder, self.poll)
        if self._watching:
            self._watching.close()
        self._watching = _Events(folder, polling, self.events)

    def _take(self) -> list[tuple]:
        """What came within a tick, and whatever else is waiting (a save is often a
        few events); events of a watcher no longer in use are dropped."""
        items = []
        try:
            items.append(self.events.get(timeout=TICK))
            while True:
                items.append(self.events.get_nowait())
        except queue.Empty:
            pass
        return [i for i in items if i[2] is None or i[2] is self._watching]

    def _wait(self, ex: Exercise) -> str:
        """Until something asks for a re-check: a change, or Enter; why, in words."""
        folder = self._folder(ex)
        since = None  # when the files were first seen changed with no event for it
        looked = time.monotonic()
        while True:
            items = self._take()
            if any(kind == "quit" for kind, _, _ in items):
                raise KeyboardInterrupt
            names = sorted({n for kind, value, _ in items if kind == "change" for n in value})
            if names:
                return _changed_text(names)
            if any(kind == "enter" for kind, _, _ in items):
                return N_("checked again")
            for kind, value, _ in items:
                if kind == "error":
                    polling = self._watching.polling
                    self._print(self.style.dim(tr("watching failed ({error}): {instead}").format(
                        error=value, instead=tr("looking at the files every second instead")
                        if polling else tr("polling instead"))))
                    if polling:
                        self._watching.close()
                        self._watching = None
                    else:
                        self.poll = True  # from now on, for every folder
                        self._watch(ex, polling=True)
            if time.monotonic() - looked < 1:
                continue
            looked = time.monotonic()
            now = snapshot(folder)  # changed, and no event said so?
            if now == self._seen:
                since = None
            elif self._watching is None:  # no watcher at all: this is the polling
                return _changed_text(_changed(now, self._seen))
            elif since is None:
                since = time.monotonic()
            elif self._watching.polling:  # the poller compares whole seconds of mtime:
                return _changed_text(_changed(now, self._seen))  # a 2nd save missed
            elif time.monotonic() - since >= MISSED_AFTER:
                self._print(self.style.dim(
                    tr("file events do not arrive here: polling instead")))
                self.poll = True  # from now on, for every folder
                self._watch(ex, polling=True)
                return _changed_text(_changed(now, self._seen))

    def _next(self, exercises: list[Exercise], why: str) -> Exercise | None:
        """The first of these that does not pass, watched and its report shown (those
        that pass get a line each); None when every one passes."""
        for ex in exercises:
            self._watch(ex)
            summary, seconds = self._check(ex)
            if summary is None or summary.state != "passing":
                self._report(ex, summary, why, seconds)
                return ex
            self._print(self.style.green(f"{self.style.ok} " + tr(
                "{id} {title} passes ({score}/{max_score}).").format(
                id=ex.id, title=tr(ex.title), score=summary.score, max_score=summary.max_score)))
        return None

    def _move_on(self, ex: Exercise) -> Exercise:
        """ex passes: on to the next exercise here that does not (after ex, then from the
        start), or stay on ex when every one passes."""
        at = next((i for i, e in enumerate(self.present) if e.id == ex.id), len(self.present))
        rest = [e for e in self.present[at + 1:] + self.present[:at] if e.id != ex.id]
        if rest:
            self._print(self.style.green(
                tr("{id} passes: on to the next exercise.").format(id=ex.id)))
            self._print()
        nxt = self._next(rest, N_("next exercise"))
        if nxt is not None:
            return nxt
        self._watch(ex)
        self._print(self.style.green(
                tr("Every exercise in {path} passes.").format(path=shown(self.submission))))
        self._report(ex, None, N_("all done"), None)
        return ex

    def _start(self) -> Exercise:
        """The exercise asked for (on to the next if it passes), else the first one here
        that does not pass."""
        if self.asked:
            ex = self.exercises[0]
            self._watch(ex)
            summary, seconds = self._check(ex)
            self._report(ex, summary, N_("started"), seconds)
            if summary is not None and summary.state == "passing":
                self._print()
                return self._move_on(ex)
            return ex
        ex = self._next(self.present, N_("started"))
        if ex is None:
            self._watch(self.present[-1])
            self._print(self.style.green(
                tr("Every exercise in {path} passes.").format(path=shown(self.submission))))
            self._report(self.present[-1], None, N_("all done"), None)
            return self.present[-1]
        return ex

    def run(self, keys: bool = True) -> int:
        """Watch until Ctrl-C (or q and Enter); the exit status, 0. keys: read Enter
        from stdin (a terminal in the foreground, or a pipe)."""
        self.style = Style(self.stream)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.default_int_handler)  # even if it was ignored
        try:
            if keys:
                self.listen_for_keys()
            ex = self._start()
            while True:
                why = self._wait(ex)
                if self._tty():
                    self.stream.write(CLEAR)
                summary, seconds = self._check(ex)
                self._report(ex, summary, why, seconds)
                if summary is not None and summary.state == "passing":
                    self._print()
                    ex = self._move_on(ex)
        except KeyboardInterrupt:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: no traceback
            self._print(("\n" if self._tty() else "") + tr("bye"))
        finally:
            if self._watching:
                self._watching.close()
        return 0


def main(exercise: str | None, submission: Path = EXERCISES, *, poll: bool = False) -> int:
    """`python -m grader watch [NN] [--submission PATH] [--poll]`."""
    return Watcher([exercise] if exercise else [], submission, poll=poll).run()
