"""The Gradescope autograder and the student release, built and run for real."""
import ast
import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from grader import bundles, stubs
from grader.manifest import EXERCISES, SOLUTIONS, VISIBLE, find, load

BUNDLED = ("01", "02")
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def _env(**extra) -> dict:
    """This interpreter's folder first on PATH, as if setup.sh had installed it."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def visible_checks() -> set[tuple[str, str]]:
    """(exercise, check function) of every visible check, read from grader/visible/."""
    found = set()
    for path in VISIBLE.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found |= {(path.name[5:7], node.name) for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return found


# --------------------------------------------------------------------------- Gradescope


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "autograder.zip"
    return bundles.build_gradescope([find(i) for i in BUNDLED], out)


@pytest.fixture
def root(autograder, tmp_path) -> Path:
    """A stand-in for /autograder: the zip unpacked into source/, run_autograder
    copied beside it, as Gradescope does (setup.sh skipped: the deps are here)."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, **env) -> dict:
    env = _env(AUTOGRADER_ROOT=str(root), **env)
    proc = subprocess.run(["bash", str(root / "run_autograder")], capture_output=True,
                          text=True, timeout=120, cwd=root, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = root / "results" / "results.json"
    assert results.is_file(), f"no results.json:\n{proc.stdout}\n{proc.stderr}"
    data = json.loads(results.read_text())
    validate(data)
    return data


def validate(results: dict) -> None:
    """The fields and types of Gradescope's results.json, and what students may see."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["tests"], list)
    assert isinstance(results["output"], str)
    assert results["output"].startswith("public:")
    assert "all tests passed" not in results["output"].lower()
    if "execution_time" in results:
        assert isinstance(results["execution_time"], (int, float))
    visible = visible_checks()
    for test in results["tests"]:
        assert isinstance(test, dict)
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], (int, float))
        assert isinstance(test["max_score"], (int, float))
        assert test["status"] in ("passed", "failed")
        assert isinstance(test["output"], str)
        assert test["visibility"] in VISIBILITIES
        if (test["extra_data"]["exercise"], test["extra_data"]["check"]) in visible:
            assert test["visibility"] == "visible"
        else:
            assert test["visibility"] == "after_published"
    if results["tests"]:
        assert results["score"] == sum(t["score"] for t in results["tests"])


def submit(root: Path, files: dict[str, Path]) -> None:
    for name, source in files.items():
        target = root / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)


def test_autograder_zip_follows_gradescopes_layout(autograder):
    with zipfile.ZipFile(autograder) as archive:
        infos = {info.filename: info for info in archive.infolist()}
    names = set(infos)
    for script in ("setup.sh", "run_autograder"):  # at the root of the zip, executable
        assert infos[script].external_attr >> 16 & stat.S_IXUSR
    assert {"pyproject.toml", "README.md", "exercises/manifest.toml", "grader/cli.py",
            "grader/bundles.py", "grader/pytest.ini", "grader/checks/__init__.py",
            "grader/checks/test_01_derivative.py", "grader/checks/test_02_chain_rule.py",
            "grader/visible/test_01_derivative.py", "solutions/01_derivative/derivative.py",
            "solutions/02_chain_rule/chain_rule.py",
            "exercises/02_chain_rule/derivative.py"} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert not any(n.startswith(("grader/checks/test_03", "solutions/03", "tests/"))
                   for n in names)
    with zipfile.ZipFile(autograder) as archive:
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
    assert "pip install" in setup and "grader.data" in setup
    assert 'EXERCISES="01 02"' in run and "--hidden after_published" in run
    assert "grader/locale/ko/engine.toml" in names
    for script in (setup, run):
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0


def test_the_autograder_speaks_the_language_it_was_built_in(monkeypatch):
    """`make gradescope lang=ko`: students read Korean on Gradescope."""
    monkeypatch.setenv("GRADER_LANG", "ko")
    assert "--lang ko" in bundles.run_script(load()[:1])
    monkeypatch.setenv("GRADER_LANG", "en")
    assert "--lang en" in bundles.run_script(load()[:1])


def test_solved_files_uploaded_flat_get_full_score(root):
    submit(root, {"derivative.py": SOLUTIONS / "01_derivative" / "derivative.py",
                  "chain_rule.py": SOLUTIONS / "02_chain_rule" / "chain_rule.py"})
    results = run_autograder(root)
    assert results["score"] == results["max_score"] > 0
    assert all(t["status"] == "passed" for t in results["tests"])
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
    assert results["output"].splitlines()[0].startswith("public: ")
    assert "hidden checks run at grading" in results["output"]


def test_solved_files_in_exercise_folders_get_full_score(root):
    # a zip of a folder, holding NN_name folders with their given copies too
    submit(root, {
        "work/01_derivative/derivative.py": SOLUTIONS / "01_derivative" / "derivative.py",
        "work/02_chain_rule/chain_rule.py": SOLUTIONS / "02_chain_rule" / "chain_rule.py",
        "work/02_chain_rule/derivative.py": EXERCISES / "01_derivative" / "derivative.py",
    })
    results = run_autograder(root)
    assert results["score"] == results["max_score"] > 0


def test_untouched_stubs_get_zero(root):
    submit(root, {"derivative.py": EXERCISES / "01_derivative" / "derivative.py",
                  "chain_rule.py": EXERCISES / "02_chain_rule" / "chain_rule.py"})
    results = run_autograder(root)
    assert results["score"] == 0 < results["max_score"]
    assert all(t["status"] == "failed" for t in results["tests"])
    assert all("not implemented yet" in t["output"] for t in results["tests"])


def test_empty_submission_gets_zero_and_says_what_is_missing(root):
    results = run_autograder(root)
    assert results["score"] == 0 and results["tests"]
    assert "Not found in your submission: derivative.py (exercise 01), chain_rule.py" \
        in results["output"]
    # messages name the exercise's file, not the temporary folder it was graded in
    assert not any("submission/" in t["output"] for t in results["tests"])


def test_one_file_missing_grades_the_other(root):
    submit(root, {"derivative.py": SOLUTIONS / "01_derivative" / "derivative.py",
                  "notes.py": EXERCISES / "01_derivative" / "derivative.py"})
    results = run_autograder(root)
    by_exercise = results["extra_data"]["exercises"]
    assert by_exercise["01"]["score"] == by_exercise["01"]["max_score"]
    assert by_exercise["02"]["score"] == 0
    assert "chain_rule.py (exercise 02)" in results["output"]
    assert "Not used for grading: notes.py" in results["output"]


def test_a_file_in_another_exercises_folder_is_not_taken(tmp_path):
    sub = tmp_path / "sub"
    (sub / "07_layers").mkdir(parents=True)
    (sub / "07_layers" / "operations.py").write_text("x = 1\n")  # 07's copy of a given file
    notes = bundles.arrange(sub, tmp_path / "out", [find("06"), find("07")])
    assert [m["file"] for m in notes["missing"]] == ["operations.py", "layers.py"]
    assert not (tmp_path / "out" / "06_operations").exists()


def test_a_broken_grader_still_writes_valid_results(root):
    submit(root, {"derivative.py": SOLUTIONS / "01_derivative" / "derivative.py"})
    results = run_autograder(root, AUTOGRADER_PYTHON="false")  # no Python at all
    assert results["score"] == 0 and results["tests"] == []


def test_finish_replaces_unreadable_results(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{not json")
    results = bundles.finish(path, status=1)
    assert json.loads(path.read_text()) == results
    assert results["score"] == 0 and results["output"].startswith("public: not graded")
    (tmp_path / "gone.json").unlink(missing_ok=True)
    late = bundles.finish(tmp_path / "gone.json", status=124)
    assert "time limit" in late["output"]


# --------------------------------------------------------------------------- release


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    return bundles.build_release(tmp_path_factory.mktemp("rel") / "release")


def test_release_has_no_solutions_and_no_hidden_checks(release):
    assert not (release / "solutions").exists()
    assert not (release / "grader" / "checks").exists()
    assert not (release / "tests").exists()
    files = [p for p in release.rglob("*") if p.is_file()]
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        assert stubs.BEGIN not in (line.strip() for line in lines), path
    for name in ("Makefile", "pyproject.toml", "README.md", "README.ko.md",
                 "exercises/manifest.toml", "grader/cli.py", "grader/locale/ko/engine.toml",
                 "grader/visible/test_01_derivative.py"):
        assert (release / name).is_file(), name
    for path in VISIBLE.glob("test_*.py"):
        assert (release / "grader" / "visible" / path.name).is_file()


def test_release_has_every_exercise_stubbed(release):
    for ex in load():
        folder = release / "exercises" / ex.dir
        assert (folder / "README.md").is_file() and (folder / "README.ko.md").is_file()
        for name in ex.files:
            reference = (SOLUTIONS / ex.dir / name).read_text()
            assert (folder / name).read_text() == stubs.make_stub(reference)
        for name in ex.given:
            assert (folder / name).is_file()


def test_release_installs_without_the_hidden_checks(release):
    pyproject = tomllib.loads((release / "pyproject.toml").read_text())
    packages = pyproject["tool"]["setuptools"]["packages"]
    assert "grader" in packages and not any(p.startswith("grader.checks") for p in packages)
    makefile = (release / "Makefile").read_text()
    assert "compileall -q grader " in makefile and "compileall -q grader solutions" not in makefile


def test_release_checks_an_exercise_with_its_visible_checks_only(release, tmp_path):
    solved = tmp_path / "01_derivative"
    shutil.copytree(SOLUTIONS / "01_derivative", solved,
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = _env(PYTHONPATH=str(release))
    where = subprocess.run([sys.executable, "-c", "import grader; print(grader.__file__)"],
                           capture_output=True, text=True, cwd=release, env=env, timeout=60)
    assert Path(where.stdout.strip()).parent == release / "grader"  # the release's grader
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "grader", "check", "01", "--submission",
                           str(solved), "--json", str(out)],
                          capture_output=True, text=True, cwd=release, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads(out.read_text())["tests"]
    ran = {(t["extra_data"]["exercise"], t["extra_data"]["check"]) for t in tests}
    assert ran == {check for check in visible_checks() if check[0] == "01"} != set()
    assert all(t["status"] == "passed" for t in tests)


def test_release_zip_has_one_top_folder(tmp_path):
    out = bundles.build_release(tmp_path / "course.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert all(n.startswith("course/") for n in names)
    assert "course/exercises/01_derivative/derivative.py" in names
    assert not any(n.startswith(("course/solutions/", "course/grader/checks/")) for n in names)


def test_release_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(bundles.BundleError):
        bundles.build_release(tmp_path)


def test_release_speaks_korean(release):
    """The catalogs ship with the engine: a student's stub, checked in Korean."""
    proc = subprocess.run([sys.executable, "-m", "grader", "check", "01", "--lang", "ko"],
                          capture_output=True, text=True, cwd=release,
                          env=_env(PYTHONPATH=str(release)), timeout=120)
    assert "아직 구현하지 않았습니다" in proc.stdout and "수치 미분" in proc.stdout, proc.stdout
