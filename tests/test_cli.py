"""The CLI a learner and a course use: check, list, hint, stubs, exit codes, JSON."""
import json
import shutil
import subprocess
import sys

import pytest

from grader.manifest import ROOT, SOLUTIONS

from conftest import EXERCISES, grade, reference_copy, stub_copy


def cli(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_json_has_gradescope_fields_and_versions(tmp_path):
    graded = grade(SOLUTIONS, "01", "03")
    results = graded.results
    assert {"score", "max_score", "execution_time", "output", "tests", "extra_data"} <= set(results)
    assert results["extra_data"]["python"] and results["extra_data"]["numpy"]
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility",
                "execution_time", "number"} <= set(test)
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
    assert results["score"] == sum(t["score"] for t in results["tests"])
    assert set(results["extra_data"]["exercises"]) == {"01", "03"}


def test_same_submission_same_score(tmp_path):
    folder = reference_copy(EXERCISES[0], tmp_path)
    text = (folder / "derivative.py").read_text()
    (folder / "derivative.py").write_text(text.replace("np.maximum(0.2 * x, x)", "x"))
    first, second = grade(folder, "01"), grade(folder, "01")
    assert first.results["tests"] == [
        {**t, "execution_time": f["execution_time"]}
        for t, f in zip(second.results["tests"], first.results["tests"], strict=True)
    ]
    assert 0 < first.results["score"] < first.results["max_score"]


def test_check_all_prints_a_progress_table_and_the_next_exercise(tmp_path):
    stubs = stub_copy(tmp_path / "sub")
    shutil.rmtree(stubs / "01_derivative")
    reference_copy(EXERCISES[0], stubs)
    proc = cli("check", "--submission", str(stubs))
    assert proc.returncode == 1
    assert "02 The chain rule" in proc.stdout  # the first exercise not done yet, in detail
    assert "03 Functions" not in proc.stdout.split(" ex  title")[0]
    table = proc.stdout.split(" ex  title")[1]
    assert "passing" in table and "not started" in table
    assert "12/12" in table and "exercises done" in table


def test_list_shows_each_state(tmp_path):
    stubs = stub_copy(tmp_path / "sub")
    shutil.rmtree(stubs / "01_derivative")
    reference_copy(EXERCISES[0], stubs)
    chain = stubs / "02_chain_rule" / "chain_rule.py"
    chain.write_text(chain.read_text().replace(
        '    raise NotImplementedError("chain_deriv_2")', "    return input_range"))
    proc = cli("list", "--submission", str(stubs))
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[1:4]}
    assert "passing" in rows["01"] and "failing" in rows["02"] and "not started" in rows["03"]


def test_exit_status_is_zero_only_when_every_check_passes(tmp_path):
    assert cli("check", "02", "--submission", str(SOLUTIONS)).returncode == 0
    assert cli("check", "02", "--submission", str(stub_copy(tmp_path))).returncode == 1


def test_unknown_exercise_is_a_clear_error():
    proc = cli("check", "99")
    assert proc.returncode == 2
    assert "no exercise '99'" in proc.stderr and "Traceback" not in proc.stderr


def test_hints_come_one_tier_at_a_time(tmp_path):
    env = {**__import__("os").environ, "GRADER_HOME": str(tmp_path)}
    tiers = len(EXERCISES[0].hints)
    first = cli("hint", "01", env=env).stdout
    assert f"hint 1 of {tiers}" in first and "again for the next hint" in first
    second = cli("hint", "1", env=env).stdout
    assert f"hint 2 of {tiers}" in second
    for _ in range(tiers):
        last = cli("hint", "01", env=env).stdout
    assert f"hint {tiers} of {tiers}" in last and "again" not in last
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["hints"]["01"] == tiers


def test_stubs_regenerate_stale_files_and_back_up_edited_ones(tmp_path, monkeypatch):
    from grader import stubs

    ex = EXERCISES[0]
    monkeypatch.setattr(stubs, "EXERCISES", tmp_path)
    stub = tmp_path / ex.dir / "derivative.py"
    assert stubs.out_of_date([ex]) == [stub]
    assert stubs.write([ex], backup_root=tmp_path / "backup") == [stub]
    assert stubs.out_of_date([ex]) == []
    stub.write_text("# my work\n")
    stubs.write([ex], backup_root=tmp_path / "backup")
    (backup,) = (tmp_path / "backup").rglob("derivative.py")
    assert backup.read_text() == "# my work\n"
    assert "NotImplementedError" in stub.read_text()


def test_stubs_check_reports_the_committed_tree_in_sync():
    assert cli("stubs", "--check").returncode == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_check_passes_sub_through():
    proc = subprocess.run(["make", "--no-print-directory", "check", "ex=01", "sub=solutions"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checks pass" in proc.stdout and "Well done" in proc.stdout


def test_status_shows_what_the_last_checks_found(tmp_path):
    env = {**__import__("os").environ, "GRADER_HOME": str(tmp_path)}
    cli("check", "01", env=env)  # the stubs in exercises/
    out = cli("status", env=env).stdout
    rows = {line.split()[0]: line for line in out.splitlines()[1:21]}
    assert "not started" in rows["01"] and "0/" in rows["01"] and "just now" in rows["01"]
    assert "not checked" in rows["02"]
    assert "0 of 20 exercises passing" in out and "next: make check ex=01" in out


def test_reset_puts_back_the_stub_and_keeps_the_learners_file(tmp_path, monkeypatch):
    from grader import progress, stubs

    ex = EXERCISES[1]  # 02: a stub and a given file
    monkeypatch.setattr(progress, "HOME", tmp_path / "home")
    monkeypatch.setattr(progress, "STATE", tmp_path / "home" / "state.json")
    folder = tmp_path / "exercises" / ex.dir
    folder.mkdir(parents=True)
    (folder / "chain_rule.py").write_text("# my work\n")
    lines = progress.reset(ex, tmp_path / "exercises")
    expected = {p.name: t for p, t in stubs.derived_files(ex).items()}
    assert (folder / "chain_rule.py").read_text() == expected["chain_rule.py"]
    assert (folder / "derivative.py").read_text() == expected["derivative.py"]
    (backup,) = (tmp_path / "home" / "backup").rglob("chain_rule.py")
    assert backup.read_text() == "# my work\n"
    assert any("kept your" in line for line in lines)
