"""Helpers for proving the graders: run the real CLI on a folder, read its JSON."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import stubs
from grader.manifest import ROOT, SOLUTIONS, Exercise, load

EXERCISES = load()
# The proofs read English unless a test asks for Korean, whatever this machine's locale.
os.environ["GRADER_LANG"] = "en"


@dataclass
class Graded:
    returncode: int
    stdout: str
    results: dict

    @property
    def checks(self) -> dict[str, dict]:
        """check function name -> its entry in the JSON results."""
        return {t["extra_data"]["check"]: t for t in self.results["tests"]}

    def failed(self) -> set[str]:
        return {name for name, t in self.checks.items() if t["status"] == "failed"}


def grade(submission: Path, *exercise_ids: str, seed: int = 0, timeout: float = 120,
          lang: str = "en") -> Graded:
    """`python -m grader check IDS --submission PATH --json F`, as a learner would run it."""
    out = Path(tempfile.mkdtemp(prefix="results-")) / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "check", *exercise_ids, "--submission", str(submission),
         "--json", str(out), "--seed", str(seed), "--lang", lang],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )
    assert out.is_file(), f"no JSON written:\n{proc.stdout}\n{proc.stderr}"
    return Graded(proc.returncode, proc.stdout, json.loads(out.read_text()))


def reference_copy(ex: Exercise, dest: Path) -> Path:
    """A copy of the exercise's reference folder, to patch."""
    folder = dest / ex.dir
    shutil.copytree(SOLUTIONS / ex.dir, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def patch(path: Path, replace: str, with_: str) -> None:
    text = path.read_text()
    assert text.count(replace) == 1, f"{replace!r} must occur once in {path}"
    path.write_text(text.replace(replace, with_))


def stub_copy(dest: Path) -> Path:
    """Fresh stubs, derived from the references, in dest/NN_name folders."""
    for ex in EXERCISES:
        for path, text in stubs.derived_files(ex).items():
            if path.is_relative_to(ROOT / "exercises"):
                target = dest / path.relative_to(ROOT / "exercises")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
    return dest


@pytest.fixture
def exercise01(tmp_path: Path) -> Path:
    return reference_copy(next(e for e in EXERCISES if e.id == "01"), tmp_path)
