"""The exercise manifest: exercises/manifest.toml, one entry per exercise.

Each entry names the exercise's folder, title, the files the learner edits,
the finished pieces given from earlier exercises, and the tiered hints.
Points live with each check in grader/checks/ (a check is the unit of score).
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader.i18n import tr

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"
CHECKS = Path(__file__).resolve().parent / "checks"  # hidden graders: compare with solutions/
VISIBLE = Path(__file__).resolve().parent / "visible"  # checks that need no reference
MANIFEST = EXERCISES / "manifest.toml"


@dataclass(frozen=True)
class Exercise:
    id: str  # "01"
    dir: str  # "01_derivative"
    title: str
    files: tuple[str, ...]  # what the learner edits; files[0] is the main module
    hints: tuple[str, ...]
    # finished files from earlier exercises: file name -> "NN_name/file.py" in solutions/
    given: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return Path(self.files[0]).stem

    @property
    def check_file(self) -> Path:
        return CHECKS / f"test_{self.dir}.py"

    @property
    def visible_file(self) -> Path:
        return VISIBLE / f"test_{self.dir}.py"

    @property
    def check_files(self) -> list[Path]:
        """The visible checks, then the hidden ones: those that exist (a student
        release has only the visible ones)."""
        return [f for f in (self.visible_file, self.check_file) if f.is_file()]

    def folder_in(self, root: Path) -> Path:
        """This exercise's folder under root, or root itself if it holds the files."""
        root = Path(root)
        return root if (root / self.files[0]).is_file() else root / self.dir


def load(path: Path = MANIFEST) -> list[Exercise]:
    return list(_load(path))


@functools.lru_cache(maxsize=None)
def _load(path: Path) -> tuple[Exercise, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    exercises = []
    for entry in data["exercise"]:
        exercises.append(
            Exercise(
                id=entry["id"],
                dir=entry["dir"],
                title=entry["title"],
                files=tuple(entry["files"]),
                hints=tuple(entry.get("hints", ())),
                given=dict(entry.get("given", {})),
            )
        )
    return tuple(exercises)


def find(ex_id: str, exercises: list[Exercise] | None = None) -> Exercise:
    """The exercise with this id ("1", "01" and "01_derivative" all work)."""
    exercises = load() if exercises is None else exercises
    key = ex_id.split("_")[0].zfill(2)
    for ex in exercises:
        if ex.id == key:
            return ex
    known = ", ".join(e.id for e in exercises)
    raise LookupError(tr("no exercise {id!r}; the exercises are {known}").format(
        id=ex_id, known=known))
