"""What a learner reads, and the JSON a course exports."""
from __future__ import annotations

import os
import platform
import sys
import textwrap
from dataclasses import dataclass

import numpy as np

from grader.i18n import N_, language, pad, tr, width
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


STATES = {"passing": N_("passing"), "failing": N_("failing"), "not started": N_("not started"),
          "not checked": N_("not checked")}


def state_label(state: str) -> str:
    return tr(STATES.get(state, state))


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
    lines = [style.bold(f"{ex.id} {tr(ex.title)}") + style.dim(f"  ({folder})")]
    columns = max((width(r.title) for r in summary.results), default=0)
    previous = None
    for r in summary.results:
        mark = style.green(style.ok) if r.passed else style.red(style.no)
        lines.append(f"  {mark} {pad(r.title, columns)}  {r.score}/{r.points}")
        if not r.passed:
            if r.message == previous:
                lines.append(style.dim("      " + tr("(same as above)")))
            else:
                lines.append(textwrap.indent(r.message, "      "))
            previous = r.message
    lines.append(_verdict(summary, folder, style))
    return "\n".join(lines)


def _verdict(summary: Summary, folder: str, style: Style) -> str:
    ex = summary.exercise
    score = f"{summary.score}/{summary.max_score}"
    if summary.state == "passing":
        return style.green(tr("  All {n} checks pass: {score}. Well done!").format(
            n=len(summary.results), score=score))
    if summary.state == "not started":
        readme = "README.ko.md" if language() == "ko" else "README.md"
        return tr("  Not started: read {readme}, then write your code in {file}.").format(
            readme=shown(os.path.join(folder, readme)),
            file=shown(os.path.join(folder, ex.files[0])))
    failing = sum(not r.passed for r in summary.results)
    template = (tr("  Score {score}: 1 check failing. Stuck? python -m grader hint {id}")
                if failing == 1 else
                tr("  Score {score}: {n} checks failing. Stuck? python -m grader hint {id}"))
    return template.format(score=score, n=failing, id=ex.id)


def table(summaries: list[Summary], style: Style) -> str:
    """The progress table: every exercise, its state and score, and a bar."""
    titles = [tr(s.exercise.title) for s in summaries]
    columns = max(width(t) for t in titles + [tr("title")])
    lines = [style.bold(f" {pad(tr('ex'), 3)} {pad(tr('title'), columns)}  "
                        f"{pad(tr('state'), 11)}  {tr('score')}")]
    for s, title in zip(summaries, titles, strict=True):
        state = pad(state_label(s.state), 11)
        state = style.green(state) if s.state == "passing" else (
            style.red(state) if s.state == "failing" else style.dim(state))
        lines.append(f" {s.exercise.id}  {pad(title, columns)}  {state}  "
                     f"{s.score}/{s.max_score}")
    score = sum(s.score for s in summaries)
    total = sum(s.max_score for s in summaries)
    done = sum(s.state == "passing" for s in summaries)
    filled = round(20 * score / total) if total else 0
    bar = style.full * filled + style.empty * (20 - filled)
    done_text = tr("{score}/{total} points, {done} of {n} exercises done").format(
        score=score, total=total, done=done, n=len(summaries))
    lines.append(f" {bar} {done_text}")
    return "\n".join(lines)


def public_summary(summaries: list[Summary]) -> str:
    """What a student may see before grades are published: the visible checks
    only, and how many hidden checks run at grading (never "all passed")."""
    visible = [r for s in summaries for r in s.results if r.visibility == "visible"]
    hidden = sum(r.visibility != "visible" for s in summaries for r in s.results)
    lines = [tr("public: {passed}/{n} passed; {hidden} hidden checks run at grading").format(
        passed=sum(r.passed for r in visible), n=len(visible), hidden=hidden)]
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
                "name": f"{s.exercise.id} {tr(s.exercise.title)}: {r.title}",
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
        "output": tr("{score}/{max_score} points").format(score=score, max_score=max_score),
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
