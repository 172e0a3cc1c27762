"""The nbgrader course: notebooks built from the exercises, released, autograded and
exported by the real nbgrader CLI, for a solved, an untouched and a hanging submission."""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import course
from grader.manifest import ROOT, SOLUTIONS, find
from grader.stubs import BEGIN, END, make_stub, strip_markers

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")

EX01 = find("01")
EX02 = find("02")
BIN = Path(sys.executable).parent
HANG = ("    return np.power(x, 2)\n", "    while True:\n        pass\n")  # square never returns


def solution_lines(ex):
    """The stripped code lines between the reference's solution markers."""
    lines, inside = [], False
    for line in (SOLUTIONS / ex.dir / ex.files[0]).read_text().splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def run(args, cwd, env, timeout=300):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr[-5000:]}"


def code_of(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def submit(course_dir, student, ex, code):
    """The release of ex, its solution cell holding code, as student's submission."""
    release = course_dir / "release" / ex.dir
    folder = course_dir / "submitted" / student / ex.dir
    shutil.copytree(release, folder)
    if code is not None:
        path = folder / f"{ex.dir}.ipynb"
        nb = nbformat.read(path, as_version=4)
        code_of(nb, course.solution_id(ex.files[0])).source = code
        nbformat.write(nb, path)


def reference_cell(ex, patch=None):
    text = strip_markers((SOLUTIONS / ex.dir / ex.files[0]).read_text())
    if patch:
        assert text.count(patch[0]) == 1
        text = text.replace(*patch)
    return f"{course.marker(ex.files[0])}\n{text}"


def test_the_source_notebook_has_a_graded_cell_per_check():
    nb = course.notebook(EX01, course.checks_of(EX01))
    nbformat.validate(nb)
    meta = [c.metadata["nbgrader"] for c in nb.cells]
    assert [m["grade_id"] for m in meta if m["solution"]] == ["solution_derivative"]
    checks = course.checks_of(EX01)
    graded = [m for m in meta if m["grade"]]
    assert [m["grade_id"] for m in graded] == [course.check_id(c) for c in checks]
    assert [m["points"] for m in graded] == [c.points for c in checks]
    assert all(m["locked"] for m in meta if not m["solution"])
    solution = code_of(nb, "solution_derivative").source
    assert solution.splitlines()[0] == "# derivative.py" and BEGIN in solution
    assert "```math" not in "".join(c.source for c in nb.cells)


def test_the_grader_scores_the_cell_code_like_a_folder():
    ref = course.results("01", {"derivative.py": reference_cell(EX01)})
    assert ref["score"] == ref["max_score"] == sum(c.points for c in course.checks_of(EX01))
    hidden = [t for t in ref["tests"] if t["visibility"] != "visible"]
    assert hidden and all(t["visibility"] == course.HIDDEN for t in hidden)
    stub = make_stub((SOLUTIONS / EX01.dir / "derivative.py").read_text())
    res = course.results("01", {"derivative.py": f"# derivative.py\n{stub}"})
    assert res["score"] == 0
    assert all("the cell `# derivative.py`" in t["output"] for t in res["tests"])


def test_outside_a_kernel_the_code_comes_from_the_saved_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AssertionError, match="no code for derivative.py"):
        course.learner_sources(EX01)
    nb = course.notebook(EX01, course.checks_of(EX01))
    nbformat.write(nb, tmp_path / f"{EX01.dir}.ipynb")
    assert course.learner_sources(EX01) == {
        "derivative.py": code_of(nb, "solution_derivative").source}


def test_in_a_kernel_the_checks_grade_the_cell_last_run(tmp_path, monkeypatch):
    """Run the reference cell, a check, then the cell again with square broken, and
    the check again: no notebook file is saved, so the code comes from the history."""
    from nbclient import NotebookClient

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    source = course.notebook(EX01, course.checks_of(EX01))
    solution, check = code_of(source, "solution_derivative"), code_of(source, "check_square")
    broken = nbformat.v4.new_code_cell(reference_cell(EX01, ("np.power(x, 2)", "2 * x")))
    again = nbformat.from_dict(check)
    again.id = "again"
    nb = nbformat.v4.new_notebook(cells=[solution, check, broken, again],
                                  metadata=source.metadata)
    NotebookClient(nb, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    first, second = nb.cells[1].outputs, nb.cells[3].outputs
    assert [o.output_type for o in first] == ["stream"] and "✓" in first[0].text
    assert second[-1].output_type == "error" and "2 * x" in second[-1].evalue


def test_the_script_part_stays_out_of_the_cell():
    code, had_main = course.without_main("x = 1\n\n\nif __name__ == \"__main__\":\n    main()\n")
    assert had_main and code == "x = 1\n"


@pytest.mark.timeout(900)
def test_nbgrader_releases_autogrades_and_exports_the_course(tmp_path):
    """One run of the real CLI (it takes a while): generate_assignment, autograde of a
    solved, an untouched and a hanging submission of 01 and a solved 02, export."""
    root = tmp_path / "course"
    assert course.main(["--out", str(root), "--exercise", "01", "02"]) == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(HOME=str(tmp_path / "home"), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
               JUPYTER_PLATFORM_DIRS="1", PYTHONWARNINGS="ignore")
    (tmp_path / "home").mkdir()
    nbgrader = [sys.executable, "-m", "nbgrader"]
    run([*nbgrader, "generate_assignment", "*"], root, env)
    release_is_clean(root)
    submit(root, "alice", EX01, reference_cell(EX01))
    submit(root, "bob", EX01, None)  # the release, untouched
    submit(root, "carol", EX01, reference_cell(EX01, HANG))
    submit(root, "alice", EX02, reference_cell(EX02))
    run([*nbgrader, "autograde", "*"], root, env, timeout=600)
    run([*nbgrader, "export"], root, env)
    with open(root / "grades.csv", newline="") as handle:
        rows = {(r["assignment"], r["student_id"]): float(r["score"])
                for r in csv.DictReader(handle)}

    checks = {c.name: c.points for c in course.checks_of(EX01)}
    total = sum(checks.values())
    hanging = checks["test_square"] + checks["test_visible_examples"]  # both call square
    assert rows[EX01.dir, "alice"] == total
    assert rows[EX01.dir, "bob"] == 0
    assert rows[EX01.dir, "carol"] == total - hanging
    assert rows[EX02.dir, "alice"] == sum(c.points for c in course.checks_of(EX02))
    a_hang_costs_only_its_checks(root / "autograded" / "carol" / EX01.dir)
    nb = nbformat.read(root / "autograded" / "alice" / EX02.dir / f"{EX02.dir}.ipynb", 4)
    assert not code_of(nb, "solution_chain_rule").outputs  # imports its given derivative.py


def release_is_clean(root):
    """No solution code, no hidden test; the graded cells and the given files kept."""
    nb = nbformat.read(root / "release" / EX01.dir / f"{EX01.dir}.ipynb", as_version=4)
    code = [line.strip() for c in nb.cells if c.cell_type == "code"
            for line in c.source.splitlines()]
    assert not set(solution_lines(EX01)) & set(code)
    text = "\n".join(c.source for c in nb.cells)
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "assert_check"):
        assert marker not in text
    assert "raise NotImplementedError()" in text
    graded_cells = [c for c in nb.cells if c.metadata["nbgrader"].get("grade")]
    assert len(graded_cells) == len(course.checks_of(EX01))
    assert (root / "release" / EX02.dir / "derivative.py").is_file()  # given, beside it


def a_hang_costs_only_its_checks(folder):
    nb = json.loads((folder / f"{EX01.dir}.ipynb").read_text())
    outputs = {c["metadata"]["nbgrader"]["grade_id"]: c["outputs"] for c in nb["cells"]
               if c["cell_type"] == "code"}
    errors = {k for k, out in outputs.items() if any(o["output_type"] == "error" for o in out)}
    assert errors == {"visible_checks", "check_square", "check_visible_examples"}
    message = "".join(o.get("evalue", "") for o in outputs["check_square"])
    assert "did not finish within" in message
    assert not any(o.get("name") == "stderr" for out in outputs.values() for o in out)


def test_a_korean_course_speaks_korean(monkeypatch):
    """`make course lang=ko`: the Korean README, Korean cells and titles, and checks
    that answer in Korean in the notebook's kernel."""
    monkeypatch.setenv("GRADER_LANG", "ko")
    nb = course.notebook(EX01, course.checks_of(EX01))
    text = "\n".join(c.source for c in nb.cells)
    korean_readme = (ROOT / "exercises" / EX01.dir / "README.ko.md").read_text()
    assert korean_readme.splitlines()[2] in text and "README.md)" not in text
    assert "## 채점되는 검사" in text and "## 확인하기\n\n코드 셀을 실행한 다음" in text
    assert "square는 모든 원소를 제곱함 (1점)" in text
    assert "os.environ.setdefault(\"GRADER_LANG\", 'ko')" in course.config_text(60)
    stub = make_stub((SOLUTIONS / EX01.dir / "derivative.py").read_text())
    res = course.results("01", {"derivative.py": f"# derivative.py\n{stub}"})
    assert all("아직 구현하지 않았습니다. 고칠 곳: 셀 `# derivative.py`" in t["output"]
               for t in res["tests"])
