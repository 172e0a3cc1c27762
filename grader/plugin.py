"""The pytest side of the grader: the `check` decorator, the `ex` fixture, results.

A grader is a pytest test in grader/checks/test_NN_name.py, decorated with
`@check(title, points)`. Its `ex` fixture runs probes (small functions of the
grader's, given the learner's module) in a worker process, on the learner's
submission and on the reference, with seeded inputs.
"""
from __future__ import annotations

import contextlib
import copy
import re
import sys
import time
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pytest

from grader import worker
from grader.compare import CheckFailed, require
from grader.i18n import tr
from grader.manifest import CHECKS, EXERCISES, SOLUTIONS, Exercise, find

DEFAULT_TIMEOUT = 5.0
_NO_HINT = ("not_implemented", "import_error", "missing", "grader_error")
_CHECK_FILE = re.compile(r"test_(\d\d)_\w+\.py$")


def check(title: str, points: int = 1, *, hint: str = "", timeout: float = DEFAULT_TIMEOUT,
          visibility: str = "visible") -> Callable:
    """Mark a test function as a graded check.

    hint is shown under any failure but "not implemented yet". visibility
    follows Gradescope: "visible", "hidden", "after_due_date" or
    "after_published". The learner's code gets `timeout` seconds in all; a
    pytest-timeout a little longer is the backstop.
    """

    def mark(func: Callable) -> Callable:
        func = pytest.mark.check(title=title, points=points, hint=hint,
                                 visibility=visibility, timeout=timeout)(func)
        return pytest.mark.timeout(timeout + 5)(func)

    return mark


class GraderError(RuntimeError):
    """The grader or the reference is broken: never the learner's fault."""


class Runner:
    """Runs probes for one check of one exercise."""

    def __init__(self, exercise: Exercise, submission: Path, reference: Path,
                 seed: int, timeout: float):
        self.exercise = exercise
        self.folder = exercise.folder_in(submission)
        self.reference_folder = exercise.folder_in(reference)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.deadline = time.monotonic() + timeout
        self.given = {name: SOLUTIONS / source for name, source in exercise.given.items()}

    def _left(self) -> float:
        return max(self.deadline - time.monotonic(), 0.05)

    def _start_learner(self, probe: Callable, args: tuple) -> worker.Pending:
        return worker.start(probe, args, self.folder, self.exercise.module,
                            given=self.given, timeout=self._left())

    def learner(self, probe: Callable, *args: Any) -> Any:
        """probe(learner_module, *args), run in a worker; fails the check on any problem."""
        return require(self._start_learner(probe, args).result())

    def reference(self, probe: Callable, *args: Any) -> Any:
        """probe(reference_module, *args), run here: the reference is trusted code.
        (Visible checks, which ship to students without solutions/, never call it.)"""
        with reference_modules(self.exercise, self.reference_folder, self.given) as module:
            return worker.plain(probe(module, *copy.deepcopy(args)))

    def both(self, probe: Callable, *args: Any) -> tuple[Any, Any]:
        """(learner's result, reference's result) of the same probe on the same inputs;
        the reference runs while the learner's worker does."""
        mine = self._start_learner(probe, args)
        want = self.reference(probe, *args)
        return require(mine.result()), want


_references: dict[Path, dict[str, types.ModuleType]] = {}


@contextlib.contextmanager
def reference_modules(exercise: Exercise, folder: Path,
                      given: dict[str, Path]) -> Iterator[types.ModuleType]:
    """The reference module, with it and its given modules in sys.modules meanwhile.

    It is imported once per session. Between uses its modules leave sys.modules,
    so references of different exercises never see each other's modules, while
    probes can still `import layers` (a given module) as they do in a worker.
    """
    path = folder / f"{exercise.module}.py"
    names = [exercise.module] + [Path(name).stem for name in exercise.given]
    saved = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    try:
        if path not in _references:
            try:
                worker.load_module(folder, exercise.module, given)
            except Exception as exc:
                raise GraderError(f"the reference {path} does not import: {exc!r}") from exc
            finally:
                sys.path.remove(str(folder))
            _references[path] = {name: sys.modules[name] for name in names
                                 if name in sys.modules}  # given files it imported
        sys.modules.update(_references[path])
        yield _references[path][exercise.module]
    finally:
        for name in names:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def _seed(base: int, name: str) -> int:
    return int(np.random.SeedSequence([base, zlib.crc32(name.encode())]).generate_state(1)[0])


def exercise_of(path: Path) -> Exercise:
    match = _CHECK_FILE.search(Path(path).name)
    if not match:
        raise GraderError(f"{path}: check files are named test_NN_name.py")
    return find(match.group(1))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader")
    group.addoption("--submission", default=str(EXERCISES),
                    help="folder with the learner's exercise folders (or one exercise folder)")
    group.addoption("--reference", default=str(SOLUTIONS), help="folder with the references")
    group.addoption("--seed", type=int, default=0, help="base seed for the checks' inputs")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "check(title, points, visibility, timeout): a graded check")


@pytest.fixture
def ex(request: pytest.FixtureRequest) -> Runner:
    marker = request.node.get_closest_marker("check")
    timeout = marker.kwargs.get("timeout", DEFAULT_TIMEOUT) if marker else DEFAULT_TIMEOUT
    config = request.config
    return Runner(
        exercise_of(request.node.path),
        Path(config.getoption("submission")),
        Path(config.getoption("reference")),
        _seed(config.getoption("seed"), request.node.name),
        timeout,
    )


# --------------------------------------------------------------------------- results


@dataclass
class CheckResult:
    exercise: str
    name: str  # the test function's name
    title: str
    points: int
    visibility: str
    passed: bool
    kind: str  # "" when passed; else not_implemented, wrong, timeout, error, ...
    message: str
    seconds: float
    arrays: dict = field(default_factory=dict, repr=False)  # for `check --plot`

    @property
    def score(self) -> int:
        return self.points if self.passed else 0



class Collector:
    """Gathers one CheckResult per check as pytest runs them."""

    def __init__(self, hidden: str | None = None) -> None:
        self.results: list[CheckResult] = []
        self.hidden = hidden  # visibility given to the hidden graders' results

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.failed):
            result = self._result(item, call, report)
            if call.excinfo is not None and isinstance(call.excinfo.value, CheckFailed):
                result.arrays = call.excinfo.value.arrays
            if self.hidden and Path(item.path).parent == CHECKS:
                result.visibility = self.hidden
            self.results.append(result)

    @staticmethod
    def _result(item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> CheckResult:
        marker = item.get_closest_marker("check")
        meta = marker.kwargs if marker else {}
        kind, message = "", ""
        if report.failed:
            kind, message = _explain(call.excinfo, meta.get("timeout", DEFAULT_TIMEOUT))
            if meta.get("hint") and kind not in _NO_HINT:
                message = f"{message}\n{tr('hint:')} {tr(meta['hint'])}"
        return CheckResult(
            exercise=_exercise_id(item.path),
            name=item.name,
            title=tr(meta.get("title", item.name)),
            points=int(meta.get("points", 1)),
            visibility=meta.get("visibility", "visible"),
            passed=report.passed,
            kind=kind,
            message=message,
            seconds=round(report.duration, 4),
        )


def _exercise_id(path: Path) -> str:
    match = _CHECK_FILE.search(Path(path).name)
    return match.group(1) if match else "??"


def _explain(excinfo: pytest.ExceptionInfo | None, timeout: float) -> tuple[str, str]:
    if excinfo is None:
        return "error", tr("the check failed")
    exc = excinfo.value
    if isinstance(exc, CheckFailed):
        return exc.kind, exc.message
    if isinstance(exc, pytest.fail.Exception) and "Timeout" in str(exc):
        return "grader_error", tr("the grader stalled: the check did not finish within "
                                  "{seconds:g} s. This is not your fault: please report it."
                                  ).format(seconds=timeout + 5)
    entry = excinfo.traceback[-1]
    where = f"{Path(str(entry.path)).name}:{entry.lineno + 1}"
    return "grader_error", tr(
        "the grader itself failed ({error} at {where}: {detail}). This is not your fault: "
        "please report it.").format(error=type(exc).__name__, where=where, detail=exc)
