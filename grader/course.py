"""An nbgrader course built from the exercises: python -m grader.course.

    python -m grader.course [--out DIR] [--exercise NN ...]      (make course)

writes DIR (default course/) as an nbgrader course directory:

    nbgrader_config.py           the course root and id, the cell time limit, and
                                 PYTHONPATH pointing at this repository, so that the
                                 notebooks' tests can import `grader` (it is not copied
                                 into source/, which goes to students)
    source/NN_name/NN_name.ipynb one notebook per exercise
    source/NN_name/<given>.py    finished files from earlier exercises, beside it

Each notebook holds, in order: the exercise README as read-only markdown cells;
one solution cell per file the learner writes, which is that file's reference
with its `### BEGIN SOLUTION` blocks (nbgrader turns them into
`raise NotImplementedError()` in the release) and which starts with a comment
naming the file (`# derivative.py`); a read-only cell that shows the visible
checks; and one graded cell per check, worth the check's points, whose test is
hidden (`### BEGIN HIDDEN TESTS`).

The tests reach the graders through the functions at the end of this module.
They take the solution cell's code from IPython's input history (the latest
cell run that starts with the file's comment; failing that, the cell in the
notebook file), write it to a temporary folder as NN_name/<file>.py and run
`python -m grader check NN --submission FOLDER --json FILE` in a separate
process, once per version of the code: each check's own time limit stops a
learner's code that never returns, and every other check still counts. Each
graded cell then passes or raises AssertionError on its check's result.

    cd course
    nbgrader generate_assignment 01_derivative     # release/: solutions and hidden tests out
    nbgrader autograde 01_derivative               # submitted/<student>/01_derivative/
    nbgrader export                                # grades.csv
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

from grader.i18n import language, tr
from grader.manifest import ROOT, SOLUTIONS, Exercise, find, load
from grader.plugin import DEFAULT_TIMEOUT
from grader.stubs import strip_markers
from grader.worker import shown

COURSE_ID = "dlfs-kata"
CONFIG = "nbgrader_config.py"
CONFIG_HEADER = "# nbgrader's settings for this course, written by `python -m grader.course`."
HIDDEN = "after_published"  # the visibility the hidden graders' results get (Gradescope's)
SEED = 0
START_S = 30  # grader start-up and the reference's own work, in the time limit of a run
CHECK_S = 5  # added to each check's limit: the grader's backstop is its limit + 5 s


# --------------------------------------------------------------------------- the checks


@dataclass(frozen=True)
class Check:
    name: str  # the test function's name, as in the JSON results
    title: str
    points: int
    timeout: float
    visible: bool  # from grader/visible/ (shipped to students) rather than grader/checks/


def checks_of(ex: Exercise) -> list[Check]:
    """The exercise's checks, visible then hidden, in the order the grader runs them."""
    checks = []
    for path in ex.check_files:
        spec = importlib.util.spec_from_file_location(
            f"_course_{path.parent.name}_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pytest's, on a mark it has not registered
            spec.loader.exec_module(module)
        for name, func in vars(module).items():
            marks = [m for m in getattr(func, "pytestmark", ()) if m.name == "check"]
            if name.startswith("test_") and marks:
                meta = marks[0].kwargs
                checks.append(Check(name, meta["title"], int(meta.get("points", 1)),
                                    float(meta.get("timeout", DEFAULT_TIMEOUT)),
                                    path == ex.visible_file))
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise ValueError(f"exercise {ex.id}: two checks share a name: {sorted(names)}")
    return checks


def time_limit(ex: Exercise) -> float:
    """Seconds one grader run of the exercise's checks may take, at most: read from the
    @check decorators, without importing the check files."""
    total = START_S
    for path in ex.check_files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check":
                given = next((k.value for k in node.keywords if k.arg == "timeout"), None)
                if given is None:
                    timeout = DEFAULT_TIMEOUT
                elif isinstance(given, ast.Constant) and isinstance(given.value, (int, float)):
                    timeout = given.value
                else:  # an expression: assume a training check's limit
                    timeout = 120
                total += timeout + CHECK_S
    return total


# --------------------------------------------------------------------------- building


def marker(name: str) -> str:
    """The first line of the solution cell that holds file `name`."""
    return f"# {name}"


def solution_id(name: str) -> str:
    return f"solution_{Path(name).stem}"


def check_id(check: Check) -> str:
    return f"check_{check.name.removeprefix('test_')}"


def _meta(grade_id: str, *, solution: bool = False, grade: bool = False,
          locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def without_main(source: str) -> tuple[str, bool]:
    """The module without its top-level `if __name__ == "__main__":` block, which
    would run (as a script, with the kernel's arguments) in a notebook."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    blocks = [node for node in tree.body if isinstance(node, ast.If) and _is_main(node.test)]
    for node in reversed(blocks):
        del lines[node.lineno - 1:node.end_lineno]
    return "".join(lines).rstrip() + "\n", bool(blocks)


def _is_main(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def readme_cells(ex: Exercise) -> list[str]:
    """The exercise README as markdown, one cell per section, for Jupyter: GitHub's
    ```math blocks become $$ blocks, and "Check your work" speaks of the cells."""
    readme = "README.ko.md" if language() == "ko" else "README.md"
    text = (ROOT / "exercises" / ex.dir / readme).read_text(encoding="utf-8")
    text = re.sub(r"\A\[(한국어|English)\]\(README(\.ko)?\.md\)\n+", "", text)  # not beside it
    text = re.sub(r"^```math\n(.*?)^```$", r"$$\n\1$$", text, flags=re.M | re.S)
    sections = re.split(r"^(?=## )", text, flags=re.M)
    cells = []
    heading = tr("## Check your work") + "\n"
    for section in sections:
        if section.startswith(heading):
            section = re.sub(r"```bash\n.*?```\n*", "", section, flags=re.S)
            section = section.replace(heading, heading + "\n" + tr(
                "Run your code's cell, then the cell under it: it shows the visible checks. "
                "Every check, hidden ones included, runs when your work is graded, one cell per "
                "check with its points.") + "\n", 1)
        if section.strip():
            cells.append(section.strip())
    return cells


def notebook(ex: Exercise, checks: list[Check]):
    """The exercise's source notebook (an nbformat NotebookNode)."""
    import nbformat.v4 as nbf

    cells = []

    def add(cell, cell_id: str):
        cell.id = cell_id.replace("_", "-")
        cells.append(cell)

    for n, text in enumerate(readme_cells(ex), 1):
        add(nbf.new_markdown_cell(text, metadata=_meta(f"readme_{n}", locked=True)),
            f"readme_{n}")

    sources, notes = {}, []
    for name in ex.files:
        code, had_main = without_main((SOLUTIONS / ex.dir / name).read_text(encoding="utf-8"))
        sources[name] = code
        if had_main:
            notes.append(tr("`{name}` is also a script: its `if __name__ == \"__main__\":` part "
                            "is left out here, so that running the cell does not start it."
                            ).format(name=name))
    files = ", ".join(f"`{name}`" for name in ex.files)
    intro = [tr("## Your code") + "\n\n" + tr(
        "The cell below is {files}: replace each `raise NotImplementedError()` with your code. "
        "Keep its first line, `{marker}`: that is how the checks find your code. Run the cell, "
        "then the one under it to see the visible checks.").format(
            files=files, marker=marker(ex.files[0]))]
    if ex.given:
        given = ", ".join(tr("`{name}` (exercise {id})").format(name=name, id=source[:2])
                          for name, source in ex.given.items())
        intro.append(tr("Given, finished, in this folder: {given}. Import from them as the "
                        "reference does; you need not edit them.").format(given=given))
    add(nbf.new_markdown_cell("\n\n".join(intro + notes), metadata=_meta("your_code",
                                                                          locked=True)),
        "your_code")
    for name in ex.files:
        add(nbf.new_code_cell(f"{marker(name)}\n{sources[name]}".rstrip(),
                              metadata=_meta(solution_id(name), solution=True)),
            solution_id(name))

    add(nbf.new_code_cell(
        "# " + tr("The visible checks of the code you ran in the cell above; run this cell "
                  "again after each change there.") + "\n"
        "from grader.course import show_checks\n\n"
        f"show_checks({ex.id!r})",
        metadata=_meta("visible_checks", locked=True)), "visible_checks")

    total = sum(c.points for c in checks)
    add(nbf.new_markdown_cell(
        tr("## Graded checks") + "\n\n" + tr(
            "Each cell below is one check of the grader, {total} points in all. Their tests are "
            "hidden: they run when your work is graded, on the code of your cell above."
        ).format(total=total), metadata=_meta("graded_checks", locked=True)), "graded_checks")
    for n, check in enumerate(checks, 1):
        points = (tr("1 point") if check.points == 1 else
                  tr("{n} points").format(n=check.points))
        add(nbf.new_code_cell(
            f"# {ex.id}.{n} {tr(check.title)} ({points})\n"
            "### BEGIN HIDDEN TESTS\n"
            "from grader.course import assert_check\n\n"
            f"assert_check({ex.id!r}, {check.name!r})\n"
            "### END HIDDEN TESTS",
            metadata=_meta(check_id(check), grade=True, locked=True, points=check.points)),
            check_id(check))

    nb = nbf.new_notebook(cells=cells)
    nb.metadata.update({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    return nb


def config_text(limit: float) -> str:
    return textwrap.dedent(f'''\
        {CONFIG_HEADER}
        import os

        c = get_config()  # noqa: F821 (traitlets provides it)

        c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
        c.CourseDirectory.course_id = {COURSE_ID!r}

        # The notebooks' tests import the grader of this repository: the kernels, and the
        # graders they start, inherit this variable.
        _repo = {str(ROOT)!r}
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in [_repo, os.environ.get("PYTHONPATH", "")] if p)

        # One cell may run every check of an exercise, each within its own time limit.
        c.Execute.timeout = {int(limit)}
        c.Execute.interrupt_on_timeout = True

        # The language of the checks' messages in the notebooks (en or ko).
        os.environ.setdefault("GRADER_LANG", {language()!r})
        ''')


def build(out: Path, exercises: list[Exercise]) -> list[Path]:
    """Write the course directory; return the files written."""
    import nbformat

    out = Path(out).resolve()
    written = []
    limits = [time_limit(ex) for ex in load()]
    config = out / CONFIG
    if not config.is_file() or config.read_text(encoding="utf-8").startswith(CONFIG_HEADER):
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(config_text(max(limits) + START_S), encoding="utf-8")
        written.append(config)
    for ex in exercises:
        checks = checks_of(ex)
        if not checks:
            raise LookupError(tr("exercise {id} has no checks yet").format(id=ex.id))
        folder = out / "source" / ex.dir
        folder.mkdir(parents=True, exist_ok=True)
        nb = notebook(ex, checks)
        nbformat.validate(nb)
        path = folder / f"{ex.dir}.ipynb"
        nbformat.write(nb, str(path))
        written.append(path)
        for name, source in ex.given.items():
            text = ("# " + tr("Given, finished, from exercise {id}: you do not need to edit "
                              "this file.").format(id=source[:2]) + "\n"
                    + strip_markers((SOLUTIONS / source).read_text("utf-8")))
            (folder / name).write_text(text, encoding="utf-8")
            written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.course",
        description=tr("Build an nbgrader course directory: a notebook per exercise."))
    parser.add_argument("--out", type=Path, default=Path("course"),
                        help=tr("the course directory (default course/)"))
    parser.add_argument("--exercise", nargs="*", default=[],
                        help=tr("exercise numbers, e.g. 01 02 (default: every one with checks)"))
    args = parser.parse_args(argv)
    if not SOLUTIONS.is_dir():
        print(tr("error: {message}").format(message=tr(
            "building a course needs solutions/: run it in the course's repository")),
            file=sys.stderr)
        return 2
    try:
        if args.exercise:
            exercises = [find(i) for i in args.exercise]
        else:
            exercises = [ex for ex in load() if ex.check_files]
        written = build(args.out, exercises)
    except LookupError as exc:
        print(tr("error: {message}").format(message=exc.args[0]), file=sys.stderr)
        return 2
    for path in written:
        print(tr("wrote {path}").format(path=shown(path)))
    skipped = [ex.id for ex in load() if not ex.check_files and ex not in exercises]
    if skipped and not args.exercise:
        print(tr("left out, no checks yet: {ids}").format(ids=", ".join(skipped)))
    first = exercises[0].dir if exercises else "NN_name"
    print(tr("next: cd {path} && nbgrader generate_assignment {first}").format(
        path=shown(args.out.resolve()), first=first))
    return 0


# --------------------------------------------------------------------------- in the notebook

_results: dict[str, dict] = {}


def learner_sources(ex: Exercise) -> dict[str, str]:
    """file name -> the code of its solution cell, as last run in this kernel (or,
    when no cell run starts with the file's comment, as saved in the notebook, when
    nbgrader runs it)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    history = list(shell.history_manager.input_hist_raw) if shell is not None else []
    sources = {}
    for name in ex.files:
        for cell in reversed(history):
            lines = cell.strip().splitlines()
            if lines and lines[0].strip().startswith(marker(name)):
                sources[name] = cell
                break
        else:
            # Not run in this kernel: under nbgrader (or outside a kernel) the saved cell;
            # a learner is asked to run it, so that the checks see what they see.
            autograding = shell is None or "NBGRADER_EXECUTION" in os.environ
            saved = _saved_cell(ex, name) if autograding else None
            if saved is None:
                raise AssertionError(tr("no code for {name}: run its cell, the one that starts "
                                        "with `{marker}`, first").format(
                                            name=name, marker=marker(name)))
            sources[name] = saved
    return sources


def _saved_cell(ex: Exercise, name: str) -> str | None:
    path = Path.cwd() / f"{ex.dir}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == solution_id(name):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return None


def results(ex_id: str, sources: dict[str, str] | None = None, seed: int = SEED) -> dict:
    """The grader's JSON results for this code, graded once per version of it;
    {"error": why} when the grader could not grade it."""
    ex = find(ex_id)
    sources = learner_sources(ex) if sources is None else sources
    key = hashlib.sha256(json.dumps([ex.id, seed, language(), sorted(sources.items())]
                                    ).encode()).hexdigest()
    if key not in _results:
        _results[key] = _grade(ex, sources, seed)
    return _results[key]


def _grade(ex: Exercise, sources: dict[str, str], seed: int) -> dict:
    limit = time_limit(ex)
    with tempfile.TemporaryDirectory(prefix="course-") as tmp:
        folder = Path(tmp) / "submission" / ex.dir
        folder.mkdir(parents=True)
        for name, code in sources.items():
            (folder / name).write_text(code, encoding="utf-8")
        out = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "grader", "check", ex.id, "--submission",
               str(folder.parent), "--json", str(out), "--seed", str(seed), "--hidden", HIDDEN]
        path = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)
        env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"}
        try:
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return {"error": tr("grading took more than {seconds:g} s").format(seconds=limit)}
        if not out.is_file():
            return {"error": tr("the grader could not grade this code:") + "\n"
                             + (proc.stdout + proc.stderr)[-3000:]}
        results = json.loads(out.read_text(encoding="utf-8"))
        for test in results["tests"]:  # name the cell, not the temporary file
            for name in sources:
                for path in (folder.resolve() / name, folder / name,
                             Path("submission", ex.dir, name)):
                    test["output"] = test["output"].replace(
                        str(path), tr("the cell `{marker}`").format(marker=marker(name)))
        return results


def _check_name(test: dict) -> str:
    return test["extra_data"]["check"]


def _title(test: dict) -> str:
    return test["name"].split(": ", 1)[-1]


def show_checks(ex_id: str, seed: int = SEED) -> None:
    """Print the visible checks of the code last run; AssertionError if one fails."""
    res = results(ex_id, seed=seed)
    if "error" in res:
        raise AssertionError(res["error"])
    visible = [t for t in res["tests"] if t["visibility"] == "visible"]
    hidden = len(res["tests"]) - len(visible)
    for t in visible:
        mark = "✓" if t["status"] == "passed" else "✗"
        print(f"{mark} {_title(t)}  {t['score']}/{t['max_score']}")
        if t["status"] != "passed":
            print(textwrap.indent(t["output"], "    "))
    if not visible:
        print(tr("This exercise has no visible checks."))
    print(tr("1 hidden check runs when your work is graded.") if hidden == 1 else
          tr("{n} hidden checks run when your work is graded.").format(n=hidden))
    failing = sum(t["status"] != "passed" for t in visible)
    if failing:
        raise AssertionError(tr("{failing} of {n} visible checks fail").format(
            failing=failing, n=len(visible)))


def assert_check(ex_id: str, name: str, seed: int = SEED) -> None:
    """Pass if check `name` passes on the code last run; else AssertionError saying why."""
    res = results(ex_id, seed=seed)
    if "error" in res:
        raise AssertionError(res["error"])
    test = next((t for t in res["tests"] if _check_name(t) == name), None)
    if test is None:
        raise AssertionError(tr("the grader did not run the check {name}").format(name=name))
    if test["status"] != "passed":
        raise AssertionError(f"{_title(test)}\n{test['output']}")
    print(f"✓ {_title(test)}  {test['score']}/{test['max_score']}")


if __name__ == "__main__":
    sys.exit(main())
