"""Every exercise: the reference passes for every seed, the stub fails every
check cleanly, stubs are in sync, and each exercise has what a learner needs."""
import tomllib

import pytest

from grader import stubs
from grader.manifest import EXERCISES as EXERCISE_DIR
from grader.manifest import ROOT, SOLUTIONS

from conftest import EXERCISES, grade, stub_copy

IDS = [ex.id for ex in EXERCISES]


@pytest.mark.parametrize("seed", range(8))
def test_references_pass_every_check_for_every_seed(seed):
    graded = grade(SOLUTIONS, seed=seed)
    failing = {t["name"]: t["output"] for t in graded.results["tests"] if t["status"] != "passed"}
    assert not failing, failing
    assert graded.returncode == 0
    assert graded.results["score"] == graded.results["max_score"] > 0


def test_untouched_stubs_fail_every_check_as_not_implemented(tmp_path):
    graded = grade(stub_copy(tmp_path))
    assert graded.returncode == 1
    assert graded.results["score"] == 0
    assert {t["extra_data"]["exercise"] for t in graded.results["tests"]} == set(IDS)
    for test in graded.results["tests"]:
        assert test["status"] == "failed"
        assert test["extra_data"]["kind"] == "not_implemented", test
        assert test["output"].startswith("not implemented yet: open "), test["output"]
    assert "Traceback" not in graded.stdout


def test_stubs_are_in_sync_with_the_references():
    assert stubs.out_of_date() == [], "run `make stubs` and commit the result"


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_exercise_has_readme_hints_checks_and_bug_zoo(ex):
    readme = (EXERCISE_DIR / ex.dir / "README.md").read_text()
    assert "```mermaid" in readme, "a diagram of the computation"
    assert "```math" in readme or "$$" in readme, "the formula"
    assert "make check ex=" in readme
    assert len(ex.hints) >= 3, "hints in tiers, from a nudge to the key formula"
    assert ex.check_file.is_file() and ex.visible_file.is_file()
    for name in ex.files:
        assert "### BEGIN SOLUTION" in (SOLUTIONS / ex.dir / name).read_text()
    zoo = tomllib.loads((ROOT / "tests" / "bugzoo" / f"{ex.dir}.toml").read_text())
    assert len(zoo["bug"]) >= 5, "a bug zoo of at least 5 known-wrong implementations"
