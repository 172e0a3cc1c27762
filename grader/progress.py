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

from grader.i18n import N_, pad, tr, width
from grader.manifest import EXERCISES, ROOT, SOLUTIONS, Exercise
from grader.report import state_label

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


_AGO = ((86400, N_("1 day ago"), N_("{n} days ago")),
        (3600, N_("1 hour ago"), N_("{n} hours ago")),
        (60, N_("1 min ago"), N_("{n} min ago")))


def _ago(seconds: float) -> str:
    for size, one, many in _AGO:
        if seconds >= size:
            n = int(seconds // size)
            return tr(one) if n == 1 else tr(many).format(n=n)
    return tr("just now")


def status_table(exercises: list[Exercise], style) -> str:
    """Every exercise with its last known state; a bar for the whole course."""
    done = read_state().get("progress", {})
    columns = max(width(t) for t in [tr(ex.title) for ex in exercises] + [tr("title")])
    lines = [style.bold(f" {pad(tr('ex'), 3)} {pad(tr('title'), columns)}  "
                        f"{pad(tr('state'), 11)}  {' ' * (7 - width(tr('points')))}{tr('points')}  "
                        f"{tr('last checked')}")]
    now = time.time()
    for ex in exercises:
        entry = done.get(ex.id)
        if entry is None:
            state, points, when = "not checked", "", ""
        else:
            state = entry["state"]
            points = f"{entry['score']}/{entry['max_score']}"
            when = _ago(now - entry["checked"])
        shown_state = pad(state_label(state), 11)
        shown_state = (style.green(shown_state) if state == "passing" else
                       style.red(shown_state) if state == "failing" else style.dim(shown_state))
        lines.append(f" {ex.id}  {pad(tr(ex.title), columns)}  {shown_state}  {points:>7}  {when}")
    passing = sum(done.get(ex.id, {}).get("state") == "passing" for ex in exercises)
    filled = round(30 * passing / len(exercises))
    lines.append(f" {style.full * filled}{style.empty * (30 - filled)} " + tr(
        "{passing} of {n} exercises passing").format(passing=passing, n=len(exercises)))
    next_one = next((ex for ex in exercises
                     if done.get(ex.id, {}).get("state") != "passing"), None)
    if next_one:
        lines.append(tr(" next: make check ex={id}   ({title})").format(
            id=next_one.id, title=tr(next_one.title)))
    return "\n".join(lines)


def reset(ex: Exercise, exercises_root: Path = EXERCISES) -> list[str]:
    """Put back the exercise's stub; first copy the learner's files to .grader/backup/."""
    from grader import stubs

    if not (SOLUTIONS / ex.dir).is_dir():
        raise LookupError(tr("reset rebuilds the stub from solutions/, which this copy does not "
                             "have: get {dir} again from your course").format(dir=ex.dir))
    folder = exercises_root / ex.dir
    backup = HOME / "backup" / time.strftime("%Y%m%d-%H%M%S") / ex.dir
    lines = []
    for path, text in stubs.derived_files(ex).items():
        target = folder / path.name
        if target.is_file() and target.read_text(encoding="utf-8") != text:
            backup.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup / target.name)
            lines.append(tr("kept your {file} as {backup}").format(
                file=f"{ex.dir}/{target.name}", backup=backup / target.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    state = read_state()
    state.get("progress", {}).pop(ex.id, None)
    write_state(state)
    lines.append(tr("{id} {title}: back to the stub. make check ex={id} to start again.").format(
        id=ex.id, title=tr(ex.title)))
    return lines
