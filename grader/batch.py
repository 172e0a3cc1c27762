"""Grade a whole class: every student's folder (or zip) in parallel processes.

A pool of grading processes takes the students in turn; each grades one
student with the same engine as `python -m grader check` (the student's code
runs, as always, in a forked worker per check), so a broken submission (a
crash, a hang past the time limit, a syntax error) costs only that student's
points, and a grading process that dies costs only the student it was on.
One CSV row per student and exercise; one log per student.
"""
from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from grader.manifest import Exercise, load

STUDENT_TIMEOUT = 600.0  # seconds for all of one student's exercises


@dataclass
class StudentResult:
    student: str
    results: dict  # the --json results, or {} when grading failed
    log: str
    error: str = ""


def students(folder: Path) -> list[Path]:
    """The submissions in folder: subfolders and .zip files, by name."""
    return sorted(p for p in folder.iterdir()
                  if (p.is_dir() and not p.name.startswith(".")) or p.suffix == ".zip")


def exercises_in(submission: Path, exercises: list[Exercise]) -> list[Exercise]:
    """The exercises a submission holds: NN_name folders, or the files themselves."""
    return [ex for ex in exercises if (submission / ex.dir / ex.files[0]).is_file()
            or (submission / ex.files[0]).is_file()]


def grade_one(path: Path, exercises: list[Exercise], seed: int = 0) -> StudentResult:
    name = path.stem if path.suffix == ".zip" else path.name
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        folder = Path(path)
        if path.suffix == ".zip":
            folder = Path(tmp) / "submission"
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(folder)
            except (zipfile.BadZipFile, OSError) as exc:
                return StudentResult(name, {}, "", f"cannot open {path.name}: {exc}")
            inner = [p for p in folder.iterdir() if p.is_dir()]
            if len(inner) == 1 and not exercises_in(folder, exercises):
                folder = inner[0]  # a zip of one folder
        todo = exercises_in(folder, exercises)
        if not todo:
            return StudentResult(name, {}, "", "no exercise files found")
        from grader import __version__
        from grader.report import Style, detail, summarise, to_json
        from grader.run import run_checks

        start = time.perf_counter()
        try:
            summaries = summarise(todo, run_checks(todo, folder, seed=seed))
        except Exception as exc:  # noqa: BLE001 - a grader failure costs this student only
            return StudentResult(name, {}, "", f"the grader could not grade this: {exc}")
        style = Style(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))  # plain, for a file
        log = "\n\n".join(detail(s, s.exercise.dir, style) for s in summaries)
        return StudentResult(name, to_json(summaries, time.perf_counter() - start, seed,
                                           __version__), log + "\n")


def grade_all(folder: Path, jobs: int = 1, exercise_ids: list[str] | None = None,
              seed: int = 0) -> list[StudentResult]:
    exercises = load()
    if exercise_ids:
        wanted = {i.zfill(2) for i in exercise_ids}
        exercises = [ex for ex in exercises if ex.id in wanted]
    paths = students(folder)
    results = []
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("fork")) as pool:
        futures = [pool.submit(grade_one, p, exercises, seed) for p in paths]
        for path, future in zip(paths, futures, strict=True):
            try:
                results.append(future.result(timeout=STUDENT_TIMEOUT))
            except Exception as exc:  # noqa: BLE001 - the grading process died or hung
                name = path.stem if path.suffix == ".zip" else path.name
                results.append(StudentResult(name, {}, "", f"grading failed: {exc!r}"))
    return results


def write_csv(results: list[StudentResult], path: Path) -> None:
    """One row per student and exercise (or one row saying why a student has none)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "exercise", "title", "score", "max_score", "state", "error"])
        for r in results:
            summary = r.results.get("extra_data", {}).get("exercises", {})
            if not summary:
                writer.writerow([r.student, "", "", 0, "", "not graded", r.error])
            for ex_id, s in sorted(summary.items()):
                writer.writerow([r.student, ex_id, s["title"], s["score"], s["max_score"],
                                 s["state"], r.error])


def write_logs(results: list[StudentResult], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        text = r.log + (f"\nerror: {r.error}\n" if r.error else "")
        (folder / f"{r.student}.txt").write_text(text, encoding="utf-8")
