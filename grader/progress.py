"""Where a learner stands: progress kept between runs (`status`), and `reset`.

The progress file is .grader/state.json (git ignores .grader/; GRADER_HOME moves
it), next to the hint tiers already shown.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from grader.manifest import EXERCISES, ROOT, SOLUTIONS, Exercise

HOME = Path(os.environ.get("GRADER_HOME", ROOT / ".grader"))
STATE = HOME / "state.json"


def read_state() -> dict:
    try:
        return json.loads(STATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(state: dict) -> None:
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def record(summaries) -> None:
    """Remember each checked exercise's state, score and time."""
    state = read_state()
    done = state.setdefault("progress", {})
    for s in summaries:
        done[s.exercise.id] = {"state": s.state, "score": s.score, "max_score": s.max_score,
                               "checked": time.time()}
    write_state(state)


def _ago(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("min", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' * (n != 1 and unit != 'min')} ago"
    return "just now"


def status_table(exercises: list[Exercise], style) -> str:
    """Every exercise with its last known state; a bar for the whole course."""
    done = read_state().get("progress", {})
    width = max(len(ex.title) for ex in exercises)
    lines = [style.bold(f" ex  {'title'.ljust(width)}  {'state'.ljust(11)}  {'points':>7}  "
                        "last checked")]
    now = time.time()
    for ex in exercises:
        entry = done.get(ex.id)
        if entry is None:
            state, points, when = "not checked", "", ""
        else:
            state = entry["state"]
            points = f"{entry['score']}/{entry['max_score']}"
            when = _ago(now - entry["checked"])
        shown_state = state.ljust(11)
        shown_state = (style.green(shown_state) if state == "passing" else
                       style.red(shown_state) if state == "failing" else style.dim(shown_state))
        lines.append(f" {ex.id}  {ex.title.ljust(width)}  {shown_state}  {points:>7}  {when}")
    passing = sum(done.get(ex.id, {}).get("state") == "passing" for ex in exercises)
    filled = round(30 * passing / len(exercises))
    lines.append(f" {style.full * filled}{style.empty * (30 - filled)} {passing} of "
                 f"{len(exercises)} exercises passing")
    next_one = next((ex for ex in exercises
                     if done.get(ex.id, {}).get("state") != "passing"), None)
    if next_one:
        lines.append(f" next: make check ex={next_one.id}   ({next_one.title})")
    return "\n".join(lines)


def reset(ex: Exercise, exercises_root: Path = EXERCISES) -> list[str]:
    """Put back the exercise's stub; first copy the learner's files to .grader/backup/."""
    from grader import stubs

    if not (SOLUTIONS / ex.dir).is_dir():
        raise LookupError(f"reset rebuilds the stub from solutions/, which this copy does not "
                          f"have: get {ex.dir} again from your course")
    folder = exercises_root / ex.dir
    backup = HOME / "backup" / time.strftime("%Y%m%d-%H%M%S") / ex.dir
    lines = []
    for path, text in stubs.derived_files(ex).items():
        target = folder / path.name
        if target.is_file() and target.read_text(encoding="utf-8") != text:
            backup.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup / target.name)
            lines.append(f"kept your {ex.dir}/{target.name} as {backup / target.name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    state = read_state()
    state.get("progress", {}).pop(ex.id, None)
    write_state(state)
    lines.append(f"{ex.id} {ex.title}: back to the stub. make check ex={ex.id} to start again.")
    return lines
