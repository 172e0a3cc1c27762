"""Run learner code in a forked child process; only plain data comes back.

The process that decides verdicts never imports learner code. For each call
it forks a child, which imports the learner's module fresh, runs a probe (a
small function of the grader's, given the module), and writes back a JSON
header and the results as an .npz archive. The parent reads the archive with
pickle disallowed and converts every value to a float64 ndarray.

A child that raises, hangs, exits, prints too much or replaces numpy's
functions yields an `Outcome` with a learner-facing message; the child and
anything it started are killed. Nothing it does reaches the parent's state.
"""
from __future__ import annotations

import atexit
import errno
import gc
import importlib.util
import inspect
import io
import json
import os
import resource
import select
import signal
import struct
import sys
import tempfile
import time
import traceback
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from grader.i18n import tr

OUTPUT_LIMIT = 1 << 20  # bytes a child may print
OUTPUT_SHOWN = 1500  # characters of that shown in a message
_WATCHED = ("numpy", "numpy.linalg", "numpy.random", "builtins", "math", "grader.gradcheck")


@dataclass
class Outcome:
    """What came back from one run of learner code.

    status: ok, not_implemented, error, import_error, missing, timeout,
    exited, tampered, bad_output.
    """

    status: str
    value: Any = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Returned(np.ndarray):
    """A float64 array converted from a learner's value; `origin` says what it was."""

    origin: str = ""


class _SignatureError(Exception):
    pass


class _Missing(Exception):
    pass


def shown(path: str | Path) -> str:
    """A path as the learner knows it: relative to the working directory."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


# --------------------------------------------------------------------------- child


class LearnerModule:
    """The learner's module as probes see it: a missing name or a call with the
    wrong arguments becomes one clear message instead of a grader traceback."""

    def __init__(self, module: types.ModuleType, path: Path):
        self._module = module
        self._path = path

    def __getattr__(self, name: str) -> Any:
        try:
            value = getattr(self._module, name)
        except AttributeError:
            raise _SignatureError(
                tr("{path} has no `{name}`: did you rename or delete it? Keep the names from "
                   "the stub.").format(path=shown(self._path), name=name)
            ) from None
        if inspect.isfunction(value):
            return _checked_call(value, name, self._path)
        return value


def _checked_call(func: Callable, name: str, path: Path) -> Callable:
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TypeError as exc:
            tb = exc.__traceback__
            # Raised by the call itself (no frame of the learner's function ran)?
            if tb is not None and tb.tb_next is None:
                try:
                    sig = inspect.signature(func)
                    bare = [p.replace(annotation=p.empty) for p in sig.parameters.values()]
                    sig = f"{name}{sig.replace(parameters=bare, return_annotation=sig.empty)}"
                except (TypeError, ValueError):
                    sig = name
                raise _SignatureError(
                    tr("calling your `{name}` failed: {error}. Your {path} defines `{signature}`; "
                       "keep the parameters from the stub.").format(
                        name=name, error=exc, path=shown(path), signature=sig)
                ) from None
            raise

    return call


def _learner_frames(exc: BaseException, folder: Path) -> list[traceback.FrameSummary]:
    folder = folder.resolve()
    frames = traceback.extract_tb(exc.__traceback__)
    return [f for f in frames if Path(f.filename).resolve().is_relative_to(folder)]


def _describe_error(exc: BaseException, folder: Path) -> tuple[str, str]:
    """(status, learner-facing message) for an exception raised by learner code."""
    if isinstance(exc, _SignatureError):
        return "error", str(exc)
    frames = _learner_frames(exc, folder)
    if isinstance(exc, NotImplementedError) and frames:
        last = frames[-1]
        return (
            "not_implemented",
            tr("not implemented yet: open {path} (`{name}`, line {line})").format(
                path=shown(last.filename), name=last.name, line=last.lineno),
        )
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "error", tr("your code printed more than {mib} MiB: remove or shorten its print "
                           "calls").format(mib=OUTPUT_LIMIT >> 20)
    if isinstance(exc, SystemExit):
        return "exited", tr("your code called sys.exit({code}) instead of returning").format(
            code=repr(exc.code))
    head = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    lines = [tr("your code raised {error}").format(error=head)]
    for f in frames[-4:]:
        lines.append(tr("  {path}, line {line}, in {name}").format(
            path=shown(f.filename), line=f.lineno, name=f.name))
        if f.line:
            lines.append(f"    {f.line}")
    if not frames:
        lines.append(tr("  (raised while the grader used what your code returned: check its "
                        "type and shape)"))
    return "error", "\n".join(lines)


_before: dict[str, dict[str, Any]] = {}


def _snapshot() -> dict[str, dict[str, Any]]:
    return {name: dict(vars(sys.modules[name])) for name in _WATCHED if name in sys.modules}


def _tampered(before: dict[str, dict[str, Any]]) -> list[str]:
    changed = []
    for name, attrs in before.items():
        now = vars(sys.modules[name])
        for key, value in attrs.items():
            if now.get(key, None) is not value and not key.startswith("__"):
                changed.append(f"{'np' if name == 'numpy' else name}.{key}")
    return changed


def _arrays(value: Any) -> tuple[dict, dict[str, np.ndarray]]:
    """A probe's result (an array-like or a flat dict of them) as (meta, arrays)."""
    single = not isinstance(value, dict)
    items = {"value": value} if single else value
    arrays, meta = {}, {"single": single, "origin": {}}
    for key, item in items.items():
        origin = type(item).__name__
        arr = np.asarray(item)
        if arr.dtype.kind not in "biuf":
            raise _BadOutput(key, item)
        if isinstance(item, (np.ndarray, np.generic)):
            origin = f"{type(item).__name__} {arr.dtype}"
        meta["origin"][key] = origin
        arrays[key] = arr
    return meta, arrays


def _encode(value: Any) -> tuple[dict, bytes]:
    meta, arrays = _arrays(value)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return meta, buffer.getvalue()


def _returned(meta: dict, arrays: dict[str, np.ndarray]) -> Any:
    """Plain float64 arrays that remember what they were (`origin`)."""
    values = {}
    for key, arr in arrays.items():
        values[key] = np.array(arr, dtype=np.float64).view(Returned)
        values[key].origin = meta["origin"].get(key, "")
    return values["value"] if meta["single"] else values


def plain(value: Any) -> Any:
    """A trusted probe result converted exactly as a learner's is after the trip back."""
    return _returned(*_arrays(value))


class _BadOutput(Exception):
    def __init__(self, key: str, item: Any):
        what = tr("your function") if key == "value" else f"`{key}`"
        super().__init__(
            tr("{what} returned {type} {value}; expected numbers (a NumPy array or a "
               "float)").format(what=what, type=type(item).__name__, value=_short(item))
        )


def _short(item: Any) -> str:
    text = repr(item)
    return text if len(text) < 80 else text[:77] + "..."


def load_module(folder: Path, module: str, given: dict[str, Path]) -> types.ModuleType:
    """Import folder/module.py, with folder first on sys.path; a given file the folder
    lacks is imported from its fallback path instead."""
    sys.path.insert(0, str(folder))
    for name, fallback in given.items():
        if not (folder / name).is_file():
            spec = importlib.util.spec_from_file_location(Path(name).stem, fallback)
            mod = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = mod
            spec.loader.exec_module(mod)
    path = folder / f"{module}.py"
    spec = importlib.util.spec_from_file_location(module, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[module] = mod
    spec.loader.exec_module(mod)
    return mod


def _child(write_fd: int, out_fd: int, folder: Path, module: str, given: dict[str, Path],
           probe: Callable, args: tuple) -> None:
    os.setpgid(0, 0)  # our own process group: killing it kills what learner code started
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the limit, a write raises instead
    stdin = os.open(os.devnull, os.O_RDONLY)  # input() gets EOF, not the learner's terminal
    os.dup2(stdin, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    # Fresh streams on those descriptors, whatever the parent (pytest) had put there.
    sys.stdin = open(0, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
    header: dict[str, Any] = {"status": "ok"}
    payload = b""
    before = _before
    path = folder / f"{module}.py"
    try:
        if not path.is_file():
            raise _Missing()
        try:
            mod = load_module(folder, module, given)
        except BaseException as exc:  # noqa: BLE001 - any error while importing
            if isinstance(exc, SyntaxError):
                where = tr("{path}, line {line}").format(path=shown(exc.filename or path),
                                                         line=exc.lineno)
                lines = "".join(traceback.format_exception_only(type(exc), exc)).splitlines()
                detail = "\n".join(lines[1:-1])  # the source line and the caret
                header = {"status": "import_error",
                          "message": f"{where}: {type(exc).__name__}: {exc.msg}\n{detail}"}
            else:
                status, message = _describe_error(exc, folder)
                header = {"status": "import_error" if status == "error" else status,
                          "message": tr("importing {path} failed: {error}").format(
                              path=shown(path), error=message)}
            mod = None
        if mod is not None:
            try:
                value = probe(LearnerModule(mod, path), *args)
            except _BadOutput as exc:
                header = {"status": "bad_output", "message": str(exc)}
            except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
                status, message = _describe_error(exc, folder)
                header = {"status": status, "message": message}
            else:
                try:
                    header["meta"], payload = _encode(value)
                except _BadOutput as exc:
                    header = {"status": "bad_output", "message": str(exc)}
        changed = _tampered(before)
        if changed:
            header = {"status": "tampered", "message": (
                tr("your code replaced {names}. Write your own functions; replacing numpy's "
                   "(or Python's) own is not allowed.").format(
                    names=", ".join(sorted(changed)[:5])))}
            payload = b""
    except _Missing:
        header = {"status": "missing",
                  "message": tr("{path} does not exist").format(path=shown(path))}
    except BaseException as exc:  # noqa: BLE001 - last resort: never run the parent's code
        header = {"status": "error", "message": tr(
            "the grader failed in the worker: {error}. This is not your fault: please report "
            "it.").format(error=repr(exc))}
        payload = b""
    try:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        head = json.dumps(header).encode()
        blob = struct.pack("<QQ", len(head), len(payload)) + head + payload
        view = memoryview(blob)
        while view:
            view = view[os.write(write_fd, view):]
    finally:
        os._exit(0)


# --------------------------------------------------------------------------- parent


def start(probe: Callable, args: tuple, folder: Path, module: str, *,
          given: dict[str, Path] | None = None, timeout: float = 5.0) -> "Pending":
    """Fork the child now; `.result()` waits for it. Several may run at once."""
    folder = Path(folder).resolve()
    read_fd, write_fd = os.pipe()
    out = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    global _before
    _before = _before or _snapshot()  # taken here once, compared in each child
    gc.freeze()  # in the child, the collector leaves the parent's objects (and pages) alone
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    else:  # child: never returns
        try:
            os.close(read_fd)
            _child(write_fd, out.fileno(), folder, module, dict(given or {}), probe, args)
        finally:
            os._exit(70)
    os.close(write_fd)
    return Pending(pid, read_fd, out, timeout)


class Pending:
    """A child that is running a probe."""

    def __init__(self, pid: int, read_fd: int, out: Any, timeout: float):
        self.pid, self.read_fd, self.out, self.timeout = pid, read_fd, out, timeout
        self.deadline = time.monotonic() + timeout

    def result(self) -> Outcome:
        wait_status, data = 0, None
        try:
            data = _read(self.read_fd, self.deadline)
        finally:
            os.close(self.read_fd)
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            _reap()
            if not _complete(data):
                _, wait_status = os.waitpid(self.pid, 0)  # how it ended is the message
            else:
                _unreaped.append(self.pid)  # it is being killed: reap it later, off the way
            self.out.seek(0)
            printed = self.out.read(OUTPUT_SHOWN * 4).decode("utf-8", "replace")
            self.out.close()
        if len(printed) > OUTPUT_SHOWN:
            printed = printed[:OUTPUT_SHOWN] + "\n[... cut]"
        if data is None:
            return Outcome("timeout", message=(
                tr("your code did not finish within {seconds:g} s: is there a loop that never "
                   "ends?").format(seconds=round(self.timeout, 1))))
        if not _complete(data):
            code = os.waitstatus_to_exitcode(wait_status)
            how = (tr("was killed by signal {signal}").format(signal=-code) if code < 0
                   else tr("exited with status {code}").format(code=code))
            return Outcome("exited", message=tr(
                "the process running your code {how} before returning (os._exit, sys.exit or a "
                "crash?)").format(how=how))
        return _decode(data, printed)


_unreaped: list[int] = []


def _reap(block: bool = False) -> None:
    """Collect killed children; all of them when block is true (at exit)."""
    for pid in list(_unreaped):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _unreaped.remove(pid)


atexit.register(_reap, True)


def _read(fd: int, deadline: float) -> bytes | None:
    """Everything the child sends, until EOF or a complete message; None on timeout."""
    data = b""
    while not _complete(data):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:  # EOF: the child is gone
                break
            data += chunk
    return data


def _complete(data: bytes | None) -> bool:
    if data is None or len(data) < 16:
        return False
    head_len, body_len = struct.unpack("<QQ", data[:16])
    return len(data) >= 16 + head_len + body_len


def _decode(data: bytes, printed: str) -> Outcome:
    head_len, body_len = struct.unpack("<QQ", data[:16])
    header = json.loads(data[16:16 + head_len])
    status = header["status"]
    if status != "ok":
        message = header.get("message", "")
        if status == "error" and printed.strip():
            message += "\n" + tr("your code printed:") + "\n" + printed.rstrip()
        return Outcome(status, message=message)
    meta = header["meta"]
    with np.load(io.BytesIO(data[16 + head_len:16 + head_len + body_len]),
                 allow_pickle=False) as npz:
        value = _returned(meta, {key: npz[key] for key in npz.files})
    return Outcome("ok", value=value)
