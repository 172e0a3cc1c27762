"""What a learner reads, and the JSON a course exports."""
from __future__ import annotations

import os
import platform
import sys
import textwrap
from dataclasses import dataclass

import numpy as np

from grader.manifest import Exercise
from grader.plugin import CheckResult
from grader.worker import shown


@dataclass
class Summary:
    exercise: Exercise
    results: list[CheckResult]

    @property
    def score(self) -> int:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> int:
        return sum(r.points for r in self.results)

    @property
    def state(self) -> str:
        if self.results and all(r.passed for r in self.results):
            return "passing"
        if all(r.kind in ("not_implemented", "missing") for r in self.results):
            return "not started"
        return "failing"


def summarise(exercises: list[Exercise], results: list[CheckResult]) -> list[Summary]:
    return [Summary(ex, [r for r in results if r.exercise == ex.id]) for ex in exercises]


class Style:
    def __init__(self, stream=sys.stdout):
        tty = hasattr(stream, "isatty") and stream.isatty()
        self.color = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "✓✗█░".encode(encoding)
            self.ok, self.no, self.full, self.empty = "✓", "✗", "█", "░"
        except (UnicodeEncodeError, LookupError):
            self.ok, self.no, self.full, self.empty = "+", "x", "#", "."

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def green(self, text: str) -> str:
        return self.paint(text, "32")

    def red(self, text: str) -> str:
        return self.paint(text, "31")

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")


def detail(summary: Summary, folder: str, style: Style) -> str:
    """One exercise: every check with its points, and why each failing one fails."""
    ex = summary.exercise
    lines = [style.bold(f"{ex.id} {ex.title}") + style.dim(f"  ({folder})")]
    width = max((len(r.title) for r in summary.results), default=0)
    previous = None
    for r in summary.results:
        mark = style.green(style.ok) if r.passed else style.red(style.no)
        lines.append(f"  {mark} {r.title.ljust(width)}  {r.score}/{r.points}")
        if not r.passed:
            if r.message == previous:
                lines.append(style.dim("      (same as above)"))
            else:
                lines.append(textwrap.indent(r.message, "      "))
            previous = r.message
    lines.append(_verdict(summary, folder, style))
    return "\n".join(lines)


def _verdict(summary: Summary, folder: str, style: Style) -> str:
    ex = summary.exercise
    score = f"{summary.score}/{summary.max_score}"
    if summary.state == "passing":
        return style.green(f"  All {len(summary.results)} checks pass: {score}. Well done!")
    if summary.state == "not started":
        return (f"  Not started: read {shown(os.path.join(folder, 'README.md'))}, then write "
                f"your code in {shown(os.path.join(folder, ex.files[0]))}.")
    failing = sum(not r.passed for r in summary.results)
    return (f"  Score {score}: {failing} check{'s' * (failing != 1)} failing. "
            f"Stuck? python -m grader hint {ex.id}")


def table(summaries: list[Summary], style: Style) -> str:
    """The progress table: every exercise, its state and score, and a bar."""
    width = max(len(s.exercise.title) for s in summaries)
    lines = [style.bold(f" ex  {'title'.ljust(width)}  {'state'.ljust(11)}  score")]
    for s in summaries:
        state = s.state.ljust(11)
        state = style.green(state) if s.state == "passing" else (
            style.red(state) if s.state == "failing" else style.dim(state))
        lines.append(f" {s.exercise.id}  {s.exercise.title.ljust(width)}  {state}  "
                     f"{s.score}/{s.max_score}")
    score = sum(s.score for s in summaries)
    total = sum(s.max_score for s in summaries)
    done = sum(s.state == "passing" for s in summaries)
    filled = round(20 * score / total) if total else 0
    bar = style.full * filled + style.empty * (20 - filled)
    lines.append(f" {bar} {score}/{total} points, {done} of {len(summaries)} exercises done")
    return "\n".join(lines)


def public_summary(summaries: list[Summary]) -> str:
    """What a student may see before grades are published: the visible checks
    only, and how many hidden checks run at grading (never "all passed")."""
    visible = [r for s in summaries for r in s.results if r.visibility == "visible"]
    hidden = sum(r.visibility != "visible" for s in summaries for r in s.results)
    lines = [f"public: {sum(r.passed for r in visible)}/{len(visible)} passed; "
             f"{hidden} hidden checks run at grading"]
    for r in visible:
        if not r.passed:
            lines.append(f"- {r.exercise} {r.title}:\n" + textwrap.indent(r.message, "    "))
    return "\n".join(lines)


def to_json(summaries: list[Summary], seconds: float, seed: int, version: str) -> dict:
    """Results in the shape of Gradescope's results.json (tests with name, score,
    max_score, status, output, visibility), plus versions in extra_data."""
    tests = []
    for s in summaries:
        for number, r in enumerate(s.results, 1):
            tests.append({
                "name": f"{s.exercise.id} {s.exercise.title}: {r.title}",
                "number": f"{s.exercise.id}.{number}",
                "score": r.score,
                "max_score": r.points,
                "status": "passed" if r.passed else "failed",
                "output": r.message,
                "visibility": r.visibility,
                "execution_time": r.seconds,
                "tags": [s.exercise.id],
                "extra_data": {"exercise": s.exercise.id, "check": r.name, "kind": r.kind},
            })
    score = sum(s.score for s in summaries)
    max_score = sum(s.max_score for s in summaries)
    return {
        "score": score,
        "max_score": max_score,
        "execution_time": round(seconds, 3),
        "output": f"{score}/{max_score} points",
        "tests": tests,
        "extra_data": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "grader": version,
            "seed": seed,
            "exercises": {
                s.exercise.id: {"title": s.exercise.title, "state": s.state,
                                "score": s.score, "max_score": s.max_score}
                for s in summaries
            },
        },
    }
