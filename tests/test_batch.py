"""Batch grading: a class of submissions, folders and zips, graded in parallel;
one broken submission never stops the batch."""
import csv
import shutil
import subprocess
import sys
import zipfile

from grader.manifest import ROOT, SOLUTIONS

from conftest import patch, stub_copy


def make_class(root):
    """Five students: solved, untouched, a syntax error, a zip, a hang, a bad zip."""
    shutil.copytree(SOLUTIONS / "01_derivative", root / "alice" / "01_derivative")
    shutil.copytree(SOLUTIONS / "02_chain_rule", root / "alice" / "02_chain_rule")
    stub_copy(root / "bob")
    shutil.copytree(SOLUTIONS / "01_derivative", root / "carol" / "01_derivative")
    (root / "carol" / "01_derivative" / "derivative.py").write_text("def square(x) retrun x\n")
    with zipfile.ZipFile(root / "dave.zip", "w") as archive:
        archive.write(SOLUTIONS / "01_derivative" / "derivative.py", "dave/derivative.py")
    shutil.copytree(SOLUTIONS / "01_derivative", root / "erin" / "01_derivative")
    patch(root / "erin" / "01_derivative" / "derivative.py", "    return np.power(x, 2)\n",
          "    while True:\n        pass\n")
    (root / "frank.zip").write_text("not a zip")


def grade(root, out, jobs):
    proc = subprocess.run([sys.executable, "-m", "grader", "grade", str(root), "-j", str(jobs),
                           "--csv", str(out), "--exercise", "01", "02"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(out, newline="") as handle:
        return proc.stdout, list(csv.DictReader(handle))


def test_a_class_is_graded_whatever_each_submission_does(tmp_path):
    make_class(tmp_path / "class")
    stdout, rows = grade(tmp_path / "class", tmp_path / "grades.csv", jobs=2)
    table = {(r["student"], r["exercise"]): r for r in rows}
    assert table["alice", "01"]["state"] == "passing"
    assert table["alice", "02"]["score"] == table["alice", "02"]["max_score"] != "0"
    assert table["bob", "01"]["state"] == "not started" and table["bob", "02"]["score"] == "0"
    assert table["carol", "01"]["score"] == "0"
    assert table["dave", "01"]["state"] == "passing"  # a zip of one folder
    assert table["erin", "01"]["state"] == "failing"  # one check hangs, the others count
    assert 0 < int(table["erin", "01"]["score"]) < int(table["erin", "01"]["max_score"])
    assert table["frank", ""]["state"] == "not graded" and "zip" in table["frank", ""]["error"]
    assert "graded 6 submissions" in stdout and "frank: cannot open" in stdout
    logs = tmp_path / "grades-logs"
    assert sorted(p.stem for p in logs.iterdir()) == ["alice", "bob", "carol", "dave",
                                                      "erin", "frank"]
    assert "SyntaxError" in (logs / "carol.txt").read_text()
    assert "did not finish within" in (logs / "erin.txt").read_text()


def test_parallel_grading_gives_the_same_grades(tmp_path):
    for name in ("a", "b", "c"):
        shutil.copytree(SOLUTIONS / "01_derivative", tmp_path / "class" / name / "01_derivative")
    _, one = grade(tmp_path / "class", tmp_path / "one.csv", jobs=1)
    _, two = grade(tmp_path / "class", tmp_path / "two.csv", jobs=2)
    assert one == two
