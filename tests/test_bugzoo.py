"""Each known-wrong implementation in tests/bugzoo/NN_name.toml is rejected by
every check it names in caught_by, and the first of them says what the bug is:
in its diagnosis (a known mistake matched, or how the result relates to the
expected one), not only in the hint every wrong answer gets. The few bugs no
value can reveal (those that raise, say) are marked `undiagnosed`, with why."""
import tomllib

import pytest

from grader.manifest import ROOT

from conftest import EXERCISES, grade, patch, reference_copy


def zoo(ex):
    """The exercise's bug zoo (test_exercises.py requires that it exists)."""
    path = ROOT / "tests" / "bugzoo" / f"{ex.dir}.toml"
    return tomllib.loads(path.read_text())["bug"] if path.is_file() else []


ZOO = [pytest.param(ex, bug, id=f"{ex.id}-{bug['name']}") for ex in EXERCISES for bug in zoo(ex)]


@pytest.mark.parametrize("ex, bug", ZOO)
def test_bug_is_caught_with_a_message_that_names_it(ex, bug, tmp_path):
    folder = reference_copy(ex, tmp_path)
    patch(folder / bug.get("file", ex.files[0]), bug["replace"], bug["with"])
    graded = grade(folder, ex.id)
    assert graded.returncode == 1
    checks = graded.checks
    for name in bug["caught_by"]:
        assert name in checks, f"no check named {name}"
        assert checks[name]["status"] == "failed", f"{name} did not catch: {bug['name']}"
        assert "Traceback" not in checks[name]["output"]
    first = checks[bug["caught_by"][0]]["output"]
    assert bug["says"].lower() in first.lower(), first
    if "undiagnosed" not in bug:
        diagnosis = first.split("\nhint: ")[0].lower()
        assert bug["says"].lower() in diagnosis, f"only the hint names the bug:\n{first}"


def test_bugs_caught_first_by_one_check_get_different_diagnoses():
    """Unless one is a variant of the other (the same slip in another class, say)."""
    said: dict[tuple[str, str], dict[str, str]] = {}
    for ex in EXERCISES:
        names = {bug["name"] for bug in zoo(ex)}
        for bug in zoo(ex):
            if "undiagnosed" in bug:
                continue
            if "variant_of" in bug:
                assert bug["variant_of"] in names, bug["variant_of"]
                continue
            seen = said.setdefault((ex.id, bug["caught_by"][0]), {})
            other = seen.setdefault(bug["says"].lower(), bug["name"])
            assert other == bug["name"], \
                f"{ex.id} {bug['caught_by'][0]}: {other!r} and {bug['name']!r} are both told " \
                f"{bug['says']!r}"
