"""python -m grader: check, list, hint, stubs."""
from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

from grader import __version__, i18n, progress, stubs
from grader.i18n import tr
from grader.manifest import EXERCISES, Exercise, find, load
from grader.report import Style, detail, public_summary, summarise, table, to_json
from grader.worker import shown


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for arg, value in zip(argv, argv[1:] + [""], strict=True):  # --help in that language too
        lang = value if arg == "--lang" else arg.removeprefix("--lang=")
        if lang in i18n.LANGUAGES:
            i18n.set_language(lang)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=i18n.LANGUAGES,
                        help=tr("language of messages, hints and titles (default: from LANG)"))
    parser = argparse.ArgumentParser(
        prog="python -m grader", parents=[common],
        description=tr("Check your exercises, see progress, get hints."))
    sub = parser.add_subparsers(dest="command", required=True)
    add = functools.partial(sub.add_parser, parents=[common])

    p = add("check", help=tr("run the checks of one exercise (or all)"))
    p.add_argument("exercise", nargs="*", help=tr("exercise number, e.g. 01 (default: all)"))
    p.add_argument("--submission", type=Path, default=EXERCISES,
                   help=tr("folder to grade: an exercise folder, or one holding NN_name folders "
                           "(default: exercises/)"))
    p.add_argument("--json", type=Path, metavar="FILE", help=tr("also write the results as JSON"))
    p.add_argument("--seed", type=int, default=0, help=tr("base seed of the inputs (default 0)"))
    p.add_argument("--hidden", metavar="VISIBILITY",
                   help=tr("give the hidden graders' results this visibility in the JSON "
                           "(Gradescope: after_published); the report then shows only the "
                           "visible checks"))
    p.add_argument("--plot", type=Path, metavar="DIR",
                   help=tr("for each failing gradient check, draw expected, got and their "
                           "difference as a PNG in DIR (needs matplotlib)"))
    p.add_argument("-v", "--verbose", action="store_true",
                   help=tr("with several exercises, show every check of every exercise"))

    p = add("list", help=tr("every exercise: not started / failing / passing, score"))
    p.add_argument("--submission", type=Path, default=EXERCISES)

    p = add("hint", help=tr("the next hint for an exercise"))
    p.add_argument("exercise")
    p.add_argument("--all", action="store_true", help=tr("show every hint tier at once"))

    p = add("watch", help=tr("check an exercise again each time you save one of its files; on "
                             "to the next once it passes"))
    p.add_argument("exercise", nargs="?",
                   help=tr("exercise number, e.g. 01 (default: the first one not passing)"))
    p.add_argument("--submission", type=Path, default=EXERCISES,
                   help=tr("folder to watch: an exercise folder, or one holding NN_name folders "
                           "(default: exercises/)"))
    p.add_argument("--poll", action="store_true",
                   help=tr("look for changes by polling (network drives, WSL's /mnt/c): also "
                           "WATCHFILES_FORCE_POLLING=1"))

    p = add("grade", help=tr("grade every student's folder or zip (courses)"))
    p.add_argument("submissions", type=Path, help=tr("a folder of student folders or zips"))
    p.add_argument("-j", "--jobs", type=int, default=1, help=tr("students graded at once"))
    p.add_argument("--csv", type=Path, default=Path("grades.csv"), help=tr("(default grades.csv)"))
    p.add_argument("--logs", type=Path, help=tr("one log per student (default: next to the CSV)"))
    p.add_argument("--exercise", nargs="*", help=tr("only these exercises (default: all found)"))
    p.add_argument("--seed", type=int, default=0)

    p = add("status", help=tr("every exercise's state from your last checks, and a progress "
                              "bar (runs nothing)"))

    p = add("reset", help=tr("put back an exercise's stub (your files are backed up)"))
    p.add_argument("exercise")

    p = add("stubs", help=tr("regenerate exercises/ from solutions/ (contributors)"))
    p.add_argument("--check", action="store_true",
                   help=tr("change nothing; exit 1 if a generated file is out of date"))

    args = parser.parse_args(argv)
    try:
        return {"check": cmd_check, "list": cmd_list, "hint": cmd_hint, "grade": cmd_grade,
                "status": cmd_status, "reset": cmd_reset,
                "watch": cmd_watch,
                "stubs": cmd_stubs}[args.command](args)
    except LookupError as exc:
        print(tr("error: {message}").format(message=exc.args[0]), file=sys.stderr)
        return 2


def _select(ids: list[str]) -> list[Exercise]:
    exercises = load()
    return [find(i, exercises) for i in ids] if ids else exercises


def _grade(exercises: list[Exercise], submission: Path, seed: int = 0,
           hidden: str | None = None):
    from grader.run import run_checks  # imports pytest: only for commands that grade

    if not submission.exists():
        raise LookupError(tr("{path} does not exist").format(path=submission))
    start = time.perf_counter()
    results = run_checks(exercises, submission, seed=seed, hidden=hidden)
    return summarise(exercises, results), time.perf_counter() - start


def cmd_check(args: argparse.Namespace) -> int:
    exercises = _select(args.exercise)
    summaries, seconds = _grade(exercises, args.submission, args.seed, args.hidden)
    if args.submission.resolve() == EXERCISES.resolve():
        progress.record(summaries)  # what `status` shows; only for your own exercises/
    if args.hidden:  # what students see now: the visible checks, and a count of the rest
        print(public_summary(summaries))
        if args.json:
            _write_json(args, summaries, seconds)
        return 0 if all(s.state == "passing" for s in summaries) else 1
    style = Style()
    if len(summaries) == 1 or args.verbose:
        shown_ = summaries
    else:  # several: the table, and the first exercise that is not done yet
        shown_ = [s for s in summaries if s.state != "passing"][:1]
    for s in shown_:
        print(detail(s, shown(s.exercise.folder_in(args.submission)), style))
        print()
    if len(summaries) > 1:
        print(table(summaries, style))
    if args.json:
        _write_json(args, summaries, seconds)
    if args.plot:
        from grader.pictures import plot_failures

        for path in plot_failures(summaries, args.plot):
            print(tr("wrote {path}").format(path=shown(path)))
    return 0 if all(s.state == "passing" for s in summaries) else 1


def _write_json(args: argparse.Namespace, summaries, seconds: float) -> None:
    results = to_json(summaries, seconds, args.seed, __version__)
    if args.hidden:
        results["output"] = public_summary(summaries)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def cmd_list(args: argparse.Namespace) -> int:
    summaries, _ = _grade(load(), args.submission)
    print(table(summaries, Style()))
    return 0


def cmd_hint(args: argparse.Namespace) -> int:
    ex = find(args.exercise)
    if not ex.hints:
        print(tr("{id} {title} has no hints.").format(id=ex.id, title=tr(ex.title)))
        return 0
    state = progress.read_state()
    seen = state.setdefault("hints", {})
    tier = len(ex.hints) if args.all else min(seen.get(ex.id, 0) + 1, len(ex.hints))
    seen[ex.id] = max(tier, seen.get(ex.id, 0))
    progress.write_state(state)
    style = Style()
    print(style.bold(tr("{id} {title}: hint {tier} of {n}").format(
        id=ex.id, title=tr(ex.title), tier=tier, n=len(ex.hints))))
    for n, text in enumerate(ex.hints[:tier], 1):
        body = "\n".join(f"   {line}" for line in _wrap(tr(text)))
        print(f"{n}. {body.lstrip()}" if n == tier else style.dim(f"{n}. {body.lstrip()}"))
    if tier < len(ex.hints):
        print(style.dim(tr("(run `python -m grader hint {id}` again for the next hint)").format(
            id=ex.id)))
    return 0


def _wrap(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), 88) or [""]


def cmd_watch(args: argparse.Namespace) -> int:
    from grader import watch  # imports pytest and watchfiles: only for this command

    return watch.main(args.exercise, args.submission, poll=args.poll)


def cmd_grade(args: argparse.Namespace) -> int:
    from grader import batch

    if not args.submissions.is_dir():
        raise LookupError(tr("{path} is not a folder").format(path=args.submissions))
    start = time.perf_counter()
    results = batch.grade_all(args.submissions, args.jobs, args.exercise, args.seed)
    batch.write_csv(results, args.csv)
    logs = args.logs or args.csv.with_name(args.csv.stem + "-logs")
    batch.write_logs(results, logs)
    failed = [r for r in results if r.error]
    print(tr("graded {n} submissions in {seconds:.1f} s with {jobs} jobs: {csv}, logs in "
             "{logs}").format(n=len(results), seconds=time.perf_counter() - start,
                              jobs=args.jobs, csv=shown(args.csv), logs=shown(logs)))
    for r in failed:
        print(f"  {r.student}: {r.error}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    print(progress.status_table(load(), Style()))
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    ex = find(args.exercise)
    for line in progress.reset(ex):
        print(line)
    return 0


def cmd_stubs(args: argparse.Namespace) -> int:
    if args.check:
        stale = stubs.out_of_date()
        for path in stale:
            print(tr("out of date: {path} (run `make stubs`)").format(path=shown(path)))
        return 1 if stale else 0
    for path in stubs.write():
        print(tr("wrote {path}").format(path=shown(path)))
    return 0
