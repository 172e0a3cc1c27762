"""What a course hands out: the Gradescope autograder and the student release.

    python -m grader.bundles gradescope [--exercise 01 02 ...] [--out build/autograder.zip]
    python -m grader.bundles release [--out build/release.zip | FOLDER]

The autograder follows Gradescope's specification: setup.sh and run_autograder
at the root of the zip, which Gradescope unpacks into /autograder/source. Beside
them go the grader (engine, hidden and visible checks), the references and the
manifest. run_autograder arranges the student's files into NN_name folders
(`arrange`), runs `python -m grader check ... --hidden after_published` on them,
and makes sure a valid results.json exists whatever happened (`finish`).
AUTOGRADER_ROOT (default /autograder) moves source/, submission/ and results/.

The release is what students get: the stubs (generated afresh from the
references), the READMEs, the manifest with its hints, the given files, and the
grader without its hidden checks and without any reference.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import stat
import sys
import tomllib
import zipfile
from pathlib import Path

from grader import stubs
from grader.i18n import language
from grader.manifest import CHECKS, EXERCISES, ROOT, SOLUTIONS, VISIBLE, Exercise, find, load

GRADER = ROOT / "grader"
BUILD = ROOT / "build"
HIDDEN_VISIBILITY = "after_published"
GRADE_TIMEOUT = 1200  # seconds for all of one submission (AUTOGRADER_TIMEOUT overrides)
_JUNK_DIRS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", "__MACOSX"}
_JUNK_SUFFIXES = (".pyc", ".pyo", ".egg-info")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: the same sources give the same zip
_FOLDER = re.compile(r"^(\d{1,2})(?:[_\- .]|$)")  # "01_derivative", "1-derivative", "01"

# archive path -> a file to copy, or the text to write
Files = dict[str, "Path | str"]


class BundleError(RuntimeError):
    """A bundle cannot be built as asked."""


# --------------------------------------------------------------------------- files


def _junk(path: Path) -> bool:
    return (any(part in _JUNK_DIRS or part.endswith(".egg-info") for part in path.parts)
            or path.name.endswith(_JUNK_SUFFIXES) or path.name == ".DS_Store")


def _files_under(folder: Path) -> list[Path]:
    """Regular files under folder (recursively), sorted, without caches."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and not _junk(p.relative_to(folder)))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _add_tree(files: Files, folder: Path, skip: tuple[Path, ...] = ()) -> None:
    for path in _files_under(folder):
        if not any(path.is_relative_to(s) for s in skip):
            files[_rel(path)] = path


def _mode(name: str, source: Path | str) -> int:
    if name in ("setup.sh", "run_autograder"):
        return 0o755
    if isinstance(source, Path):
        return 0o755 if source.stat().st_mode & stat.S_IXUSR else 0o644
    return 0o644


def write_zip(files: Files, out: Path, prefix: str = "") -> Path:
    """files into a zip at out (each name under prefix), in a fixed order and date."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            source = files[name]
            info = zipfile.ZipInfo(prefix + name, date_time=_ZIP_DATE)
            info.external_attr = (stat.S_IFREG | _mode(name, source)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read_bytes() if isinstance(source, Path) else source.encode("utf-8")
            archive.writestr(info, data)
    os.replace(partial, out)
    return out


def write_folder(files: Files, out: Path) -> Path:
    """files into the folder out, which must be new or empty."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleError(f"{out} already exists and is not an empty folder: remove it first "
                          "or name another")
    for name in sorted(files):
        source, target = files[name], out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source, encoding="utf-8")
        target.chmod(_mode(name, source))
    return out


def _require_sources() -> None:
    if not SOLUTIONS.is_dir() or not CHECKS.is_dir():
        raise BundleError("building a bundle needs solutions/ and grader/checks/: run it in "
                          "the course's repository, not in a student release")


# --------------------------------------------------------------------------- Gradescope


def graded_exercises() -> list[Exercise]:
    """The exercises that have checks (visible or hidden)."""
    return [ex for ex in load() if ex.check_files]


def _select(ids: list[str] | None) -> list[Exercise]:
    if not ids:
        return graded_exercises()
    exercises = load()
    chosen = []
    for ex_id in ids:
        ex = find(ex_id, exercises)
        if not ex.check_files:
            raise BundleError(f"exercise {ex.id} ({ex.dir}) has no checks to grade with")
        if ex not in chosen:
            chosen.append(ex)
    return sorted(chosen, key=lambda ex: ex.id)


def autograder_files(exercises: list[Exercise]) -> Files:
    """Everything in autograder.zip: the two scripts and the sources they need."""
    _require_sources()
    files: Files = {
        "setup.sh": setup_script(exercises),
        "run_autograder": run_script(exercises),
        "pyproject.toml": ROOT / "pyproject.toml",
        "README.md": ROOT / "README.md",  # pyproject's readme: pip needs it to install
        "exercises/manifest.toml": EXERCISES / "manifest.toml",
    }
    _add_tree(files, GRADER, skip=(CHECKS, VISIBLE))  # the engine
    for folder in (CHECKS, VISIBLE):  # helpers beside the checks, and the chosen checks
        for path in _files_under(folder):
            if not path.name.startswith("test_"):
                files[_rel(path)] = path
    for ex in exercises:
        for path in ex.check_files:
            files[_rel(path)] = path
        _add_tree(files, SOLUTIONS / ex.dir)  # the reference
        for name, source in ex.given.items():
            files[_rel(SOLUTIONS / source)] = SOLUTIONS / source  # a given file's source
            given = EXERCISES / ex.dir / name
            if given.is_file():
                files[_rel(given)] = given
    return files


def setup_script(exercises: list[Exercise]) -> str:
    needs_torch = any(ex.id == "20" for ex in exercises)
    extra = "[torch]" if needs_torch else ""
    index = " --extra-index-url https://download.pytorch.org/whl/cpu" if needs_torch else ""
    return f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: a
# Python of 3.11 or newer, a virtual environment with the grader's dependencies
# (numpy, pytest, pytest-timeout, scikit-learn), and the data sets' cache.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"

PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        PY="$candidate"
        break
    fi
done
if [ -z "$PY" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y python3.11 python3.11-venv
    PY=python3.11
fi
if ! "$PY" -m venv "$ROOT/venv"; then  # Debian and Ubuntu ship venv separately
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y "$(basename "$PY")-venv" || apt-get install -y python3-venv
    "$PY" -m venv "$ROOT/venv"
fi
VENV_PY="$ROOT/venv/bin/python"
"$VENV_PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV_PY" -m pip install --disable-pip-version-check{index} \\
    -e "$SOURCE{extra}" --config-settings editable_mode=compat
cd "$SOURCE"
"$VENV_PY" -m grader.data  # the data sets, cached: checks never import scikit-learn
"$VENV_PY" -m compileall -q grader solutions >/dev/null
"""


def run_script(exercises: list[Exercise]) -> str:
    ids = " ".join(ex.id for ex in exercises)
    fallback = json.dumps({
        "score": 0,
        "output": "public: the autograder could not run on this submission; "
                  "please tell your instructor.",
        "tests": [],
    })
    return f"""#!/usr/bin/env bash
# Gradescope runs this for every submission. It arranges the student's files
# (flat, or in NN_name folders) into NN_name folders, grades them, and writes
# $AUTOGRADER_ROOT/results/results.json, whatever happens.
set -u
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
RESULTS="$ROOT/results/results.json"
EXERCISES="{ids}"
if [ -n "${{AUTOGRADER_PYTHON:-}}" ]; then
    PYTHON="$AUTOGRADER_PYTHON"
elif [ -x "$ROOT/venv/bin/python" ]; then
    PYTHON="$ROOT/venv/bin/python"
else
    PYTHON=python3
fi

mkdir -p "$ROOT/results"
rm -f "$RESULTS"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$SOURCE" || exit 1
export PYTHONPATH="$SOURCE" NO_COLOR=1 GRADER_HOME="$WORK/home"

"$PYTHON" -m grader.bundles arrange "$ROOT/submission" "$WORK/submission" \\
    --notes "$WORK/notes.json" $EXERCISES
mkdir -p "$WORK/submission"
timeout "${{AUTOGRADER_TIMEOUT:-{GRADE_TIMEOUT}}}" "$PYTHON" -m grader check $EXERCISES \\
    --submission "$WORK/submission" --json "$RESULTS" --hidden {HIDDEN_VISIBILITY} \\
    --lang {language()} </dev/null
STATUS=$?
"$PYTHON" -m grader.bundles finish "$RESULTS" --notes "$WORK/notes.json" \\
    --work "$WORK/submission" --status "$STATUS"
if [ ! -s "$RESULTS" ]; then
    printf '%s\\n' '{fallback}' >"$RESULTS"
fi
exit 0
"""


def build_gradescope(exercises: list[Exercise], out: Path) -> Path:
    return write_zip(autograder_files(exercises), out)


# --------------------------------------------------------------------------- submissions


def _folder_id(name: str) -> str | None:
    match = _FOLDER.match(name)
    return match.group(1).zfill(2) if match else None


def arrange(submission: Path, dest: Path, exercises: list[Exercise]) -> dict:
    """Copy the files the exercises need from submission (flat, in NN_name folders,
    or anywhere below) into dest/NN_name/. Only the files the learner edits are
    taken: given files come from the references, so each exercise is graded on
    its own. Returns notes: what was found, what is missing, what was not used."""
    dest.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[Path]] = {}
    for path in _files_under(submission):
        if not any(part.startswith(".") for part in path.relative_to(submission).parts):
            found.setdefault(path.name, []).append(path)
    notes: dict = {"found": [], "missing": [], "unused": []}
    used: set[Path] = set()
    for ex in exercises:
        for name in ex.files:
            path = _pick(found.get(name, []), ex, submission)
            if path is None:
                notes["missing"].append({"exercise": ex.id, "title": ex.title, "file": name,
                                         "folder": ex.dir})
                continue
            target = dest / ex.dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            used.add(path)
            notes["found"].append({"exercise": ex.id, "file": name,
                                   "from": path.relative_to(submission).as_posix()})
    known = {name for ex in load() for name in (*ex.files, *ex.given)}
    notes["unused"] = sorted(
        path.relative_to(submission).as_posix()
        for paths in found.values() for path in paths
        if path.suffix == ".py" and path not in used and path.name not in known
    )
    return notes


def _pick(candidates: list[Path], ex: Exercise, submission: Path) -> Path | None:
    """The file to grade for ex: one in its own NN folder first, then one in no
    exercise's folder (the shallowest); never one in another exercise's folder."""
    own, loose = [], []
    for path in candidates:
        folder_id = _folder_id(path.parent.name) if path.parent != submission else None
        if folder_id == ex.id:
            own.append(path)
        elif folder_id is None:
            loose.append(path)

    def depth(path: Path) -> tuple[int, str]:
        return len(path.relative_to(submission).parts), path.as_posix()

    for group in (own, loose):
        if group:
            return min(group, key=depth)
    return None


def _fallback(reason: str) -> dict:
    return {
        "score": 0,
        "output": f"public: not graded: {reason}. Please tell your instructor.",
        "tests": [],
        "extra_data": {"error": reason},
    }


def _problem(results: object) -> str:
    """Why results is not a usable results.json ("" when it is)."""
    if not isinstance(results, dict):
        return "the results are not a JSON object"
    if not isinstance(results.get("score"), (int, float)):
        return "the results have no score"
    tests = results.get("tests")
    if not isinstance(tests, list) or not all(isinstance(t, dict) for t in tests):
        return "the results' tests are not a list of objects"
    return ""


def _notes_text(notes: dict) -> str:
    lines = []
    missing = notes.get("missing", [])
    if missing:
        listed = ", ".join(f"{m['file']} (exercise {m['exercise']})" for m in missing)
        first = missing[0]
        lines.append(f"Not found in your submission: {listed}. Upload each file as it is "
                     f"({first['file']}) or in its exercise's folder "
                     f"({first['folder']}/{first['file']}).")
    unused = notes.get("unused", [])
    if unused:
        lines.append(f"Not used for grading: {', '.join(unused)}.")
    return "\n".join(lines)


def finish(results_path: Path, notes_path: Path | None = None, work: Path | None = None,
           status: int = 0) -> dict:
    """Make results_path a valid results.json: the grader's results with the
    temporary folder's path taken out of messages and a note on missing files,
    or, when the grader wrote nothing usable, a score of 0 that says why."""
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
        problem = _problem(results)
    except FileNotFoundError:
        results, problem = None, "the grader wrote no results"
    except (OSError, ValueError) as exc:
        results, problem = None, f"the grader's results could not be read ({exc})"
    if problem:
        if status in (124, 137):
            problem = "grading ran past its time limit"
        results = _fallback(problem)
    else:
        if work is not None:
            prefixes = sorted({f"{work}{os.sep}", f"{Path(work).resolve()}{os.sep}"},
                              key=len, reverse=True)
            for entry in (results, *results["tests"]):
                if isinstance(entry.get("output"), str):
                    for prefix in prefixes:
                        entry["output"] = entry["output"].replace(prefix, "")
        notes = {}
        if notes_path is not None and notes_path.is_file():
            try:
                notes = json.loads(notes_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                notes = {}
        text = _notes_text(notes)
        if text:
            output = results.get("output") or "public:"
            results["output"] = f"{output}\n\n{text}"
    results_path.parent.mkdir(parents=True, exist_ok=True)
    partial = results_path.with_name(f".{results_path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, results_path)
    return results


# --------------------------------------------------------------------------- release


SOLUTION_MARKERS = (stubs.BEGIN, stubs.END)


def release_files() -> Files:
    """Everything a student gets, by path in the release."""
    _require_sources()
    files: Files = {
        "README.md": ROOT / "README.md",
        "README.ko.md": ROOT / "README.ko.md",
        "Makefile": _release_makefile((ROOT / "Makefile").read_text(encoding="utf-8")),
    }
    files["pyproject.toml"] = _release_pyproject(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    _add_tree(files, GRADER, skip=(CHECKS,))  # the engine and the visible checks
    exercises = load()
    folders = {EXERCISES / ex.dir for ex in exercises}
    for path in _files_under(EXERCISES):  # the manifest, READMEs, anything else
        if path.parent == EXERCISES or path.parent in folders:
            files[_rel(path)] = path
    for ex in exercises:  # stubs and given files, generated afresh from the references
        for path, text in stubs.derived_files(ex).items():
            if path.is_file() and path.read_text(encoding="utf-8") != text:
                print(f"note: {_rel(path)} differs from its generated stub; the release "
                      "has the generated one (`make stubs` updates it)", file=sys.stderr)
            files[_rel(path)] = text
    _check_release(files)
    return files


def _release_makefile(text: str) -> str:
    """The Makefile without references to solutions/, which a release lacks."""
    return re.sub(r"^(\t.*compileall.*?)[ \t]+solutions\b", r"\1", text, flags=re.M)


def _release_pyproject(text: str) -> str:
    """pyproject.toml without the grader.checks package, which a release lacks
    (setuptools refuses to install a listed package that does not exist)."""

    def keep(match: re.Match) -> str:
        names = [n for n in re.findall(r'"([^"]+)"', match.group(2))
                 if n != "grader.checks" and not n.startswith("grader.checks.")]
        return match.group(1) + "[" + ", ".join(f'"{n}"' for n in names) + "]"

    return re.sub(r"^(packages\s*=\s*)\[([^\]]*)\]", keep, text, flags=re.M)


def _check_release(files: Files) -> None:
    """Refuse to build a release that holds a solution or a hidden check."""
    for name, source in files.items():
        if name.startswith(("solutions/", "grader/checks/")):
            raise BundleError(f"{name} must not be in a release")
        text = source if isinstance(source, str) else source.read_bytes().decode("utf-8",
                                                                                 "replace")
        if any(line.strip() in SOLUTION_MARKERS for line in text.splitlines()):
            raise BundleError(f"{name} holds a solution block ({stubs.BEGIN})")
    pyproject = tomllib.loads(files["pyproject.toml"])
    packages = pyproject.get("tool", {}).get("setuptools", {}).get("packages", [])
    if any(p.startswith("grader.checks") for p in packages):
        raise BundleError("the release's pyproject.toml still lists grader.checks")
    for line in files["Makefile"].splitlines():
        if "compileall" in line and re.search(r"\bsolutions\b", line):
            raise BundleError("the release's Makefile still compiles solutions/")


def build_release(out: Path) -> Path:
    files = release_files()
    if out.suffix == ".zip":
        return write_zip(files, out, prefix=f"{out.stem}/")
    return write_folder(files, out)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.bundles",
                                     description="Build the Gradescope autograder or the "
                                                 "student release.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("gradescope", help="build autograder.zip for Gradescope")
    p.add_argument("--exercise", nargs="+", metavar="NN",
                   help="the exercises to grade (default: every exercise with checks)")
    p.add_argument("--out", type=Path, default=BUILD / "autograder.zip",
                   help="the zip to write (default build/autograder.zip)")

    p = sub.add_parser("release", help="build what students get: no solutions, no hidden checks")
    p.add_argument("--out", type=Path, default=BUILD / "release.zip",
                   help="a .zip, or a new folder (default build/release.zip)")

    p = sub.add_parser("arrange", help="(run_autograder) put a submission's files into "
                                       "NN_name folders")
    p.add_argument("submission", type=Path)
    p.add_argument("dest", type=Path)
    p.add_argument("exercise", nargs="+")
    p.add_argument("--notes", type=Path, help="write what was found and missing here (JSON)")

    p = sub.add_parser("finish", help="(run_autograder) make sure results.json is valid")
    p.add_argument("results", type=Path)
    p.add_argument("--notes", type=Path)
    p.add_argument("--work", type=Path, help="the arranged folder, taken out of messages")
    p.add_argument("--status", type=int, default=0, help="the grader's exit status")

    args = parser.parse_args(argv)
    try:
        if args.command == "gradescope":
            exercises = _select(args.exercise)
            out = build_gradescope(exercises, args.out)
            print(f"wrote {out}: the autograder for exercises "
                  f"{' '.join(ex.id for ex in exercises)}")
        elif args.command == "release":
            out = build_release(args.out)
            print(f"wrote {out}: the student release")
        elif args.command == "arrange":
            exercises = [find(i) for i in args.exercise]
            notes = arrange(args.submission, args.dest, exercises)
            if args.notes:
                args.notes.write_text(json.dumps(notes, indent=2) + "\n", encoding="utf-8")
            for item in notes["found"]:
                print(f"{item['from']} -> {item['exercise']}: {item['file']}")
            for item in notes["missing"]:
                print(f"missing: {item['file']} ({item['exercise']})")
        else:
            results = finish(args.results, args.notes, args.work, args.status)
            print(f"wrote {args.results}: score {results['score']}"
                  + (f"/{results['max_score']}" if "max_score" in results else ""))
    except (BundleError, LookupError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
