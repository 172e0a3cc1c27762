"""Run the checks of some exercises on a submission, in this process, quietly."""
from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path

import pytest

from grader.manifest import CHECKS, SOLUTIONS, Exercise
from grader.plugin import CheckResult, Collector, GraderError

INI = Path(__file__).resolve().parent / "pytest.ini"
# pytest's own plugins that checks do not use: leaving them out halves pytest's overhead.
_UNUSED_PLUGINS = [
    arg for name in ("cacheprovider", "doctest", "junitxml", "pastebin", "logging", "warnings",
                     "stepwise", "unittest", "legacypath", "setuponly", "setupplan",
                     "faulthandler", "threadexception", "unraisableexception", "tmpdir",
                     "monkeypatch", "recwarn")
    for arg in ("-p", f"no:{name}")
]


def run_checks(exercises: list[Exercise], submission: Path, *, seed: int = 0,
               reference: Path = SOLUTIONS, hidden: str | None = None) -> list[CheckResult]:
    """One pytest session over the exercises' check files; a result per check.

    hidden: a visibility (Gradescope's "after_published", say) for the hidden
    graders' results, which otherwise keep their own."""
    collector = Collector(hidden)
    files = [str(f) for ex in exercises for f in ex.check_files]
    args = files + [
        "-c", str(INI), "--rootdir", str(CHECKS.parent), "--import-mode=importlib",
        "--assert=plain",
        "--tb=no",
        "-p", "grader.plugin", "-p", "pytest_timeout", *_UNUSED_PLUGINS,
        "--submission", str(Path(submission).resolve()),
        "--reference", str(Path(reference).resolve()),
        "--seed", str(seed),
    ]
    # Only the plugins named above: a learner's other installed plugins stay out.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's overflow warnings while comparing, say
        code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or (
        not collector.results and exercises
    ):
        raise GraderError(f"pytest could not run the checks (exit {int(code)}):\n"
                          f"{out.getvalue()[-3000:]}")
    return collector.results
