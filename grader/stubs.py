"""Derive each exercise's stub (and its given files) from the reference.

The reference in solutions/NN_name/ marks what the learner writes with
nbgrader's markers; the stub replaces each marked block with a
`raise NotImplementedError`. Files an exercise is given from earlier exercises
are copied finished, markers dropped, into exercises/ (the grader supplies
them from their source when a folder lacks them, as solutions/ does).
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from grader.manifest import EXERCISES, ROOT, SOLUTIONS, Exercise, load

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_DEF = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)")
GIVEN_HEADER = (
    "# Given, finished, from exercise {source}: you do not need to edit this file.\n"
    "# Generated from solutions/{path} by `make stubs`.\n"
)


class MarkerError(ValueError):
    pass


def _enclosing_name(lines: list[str], index: int) -> str:
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        match = _DEF.match(line)
        if match and len(line) - len(line.lstrip()) < indent:
            return match.group(1)
    return "this part"


def make_stub(source: str, name: str = "<reference>") -> str:
    """The learner's stub: each marked block becomes `raise NotImplementedError`."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    start = None
    for i, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if start is not None:
                raise MarkerError(f"{name}:{i + 1}: {BEGIN} inside another solution block")
            start = i
            pad = line[: len(line) - len(line.lstrip())]
            what = _enclosing_name(lines, i)
            out.append(f"{pad}# YOUR CODE HERE\n")
            out.append(f'{pad}raise NotImplementedError("{what}")\n')
        elif marker == END:
            if start is None:
                raise MarkerError(f"{name}:{i + 1}: {END} without {BEGIN}")
            start = None
        elif start is None:
            out.append(line)
    if start is not None:
        raise MarkerError(f"{name}:{start + 1}: {BEGIN} is never closed")
    return "".join(out)


def strip_markers(source: str) -> str:
    """The reference with the marker lines removed: finished code to give."""
    return "".join(
        line for line in source.splitlines(keepends=True) if line.strip() not in (BEGIN, END)
    )


def derived_files(ex: Exercise) -> dict[Path, str]:
    """Every generated file of one exercise, path -> expected text."""
    files: dict[Path, str] = {}
    for name in ex.files:
        ref = SOLUTIONS / ex.dir / name
        files[EXERCISES / ex.dir / name] = make_stub(ref.read_text(encoding="utf-8"), str(ref))
    for name, source in ex.given.items():
        text = GIVEN_HEADER.format(source=source[:2], path=source) + strip_markers(
            (SOLUTIONS / source).read_text(encoding="utf-8")
        )
        files[EXERCISES / ex.dir / name] = text
    return files


def out_of_date(exercises: list[Exercise] | None = None) -> list[Path]:
    """Generated files whose committed text differs from what the references give."""
    stale = []
    for ex in load() if exercises is None else exercises:
        for path, text in derived_files(ex).items():
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
    return stale


def write(exercises: list[Exercise] | None = None,
          backup_root: Path = ROOT / ".grader" / "backup") -> list[Path]:
    """Regenerate stale files; an edited stub is first copied to .grader/backup/."""
    written = []
    backup = backup_root / time.strftime("%Y%m%d-%H%M%S")
    for ex in load() if exercises is None else exercises:
        for path, text in derived_files(ex).items():
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            if path.is_file():
                keep = backup / path.parent.name / path.name
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, keep)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
