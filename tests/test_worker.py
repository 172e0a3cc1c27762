"""Learner code is untrusted: whatever one function does costs only its own
checks, with a clear message, and every other check still runs and passes."""
import pytest

from conftest import grade, patch

SQUARE = "    return np.power(x, 2)\n"
USE_SQUARE = {"test_square", "test_visible_examples"}  # the checks that call square

HOSTILE = {
    "loops forever": ("    while True:\n        pass\n", "timeout", "did not finish within"),
    "calls os._exit(0)": ("    import os\n    os._exit(0)\n", "exited", "exited with status 0"),
    "calls sys.exit()": ("    import sys\n    sys.exit(3)\n", "exited", "sys.exit(3)"),
    "raises": ("    raise ValueError('boom')\n", "error", "ValueError: boom"),
    "prints megabytes": ("    print('x' * 5_000_000)\n    return np.power(x, 2)\n", "error",
                         "printed more than 1 MiB"),
    "replaces numpy.allclose": (
        "    np.allclose = lambda *a, **k: True\n    return x * 3\n", "tampered",
        "replaced np.allclose"),
    "returns NaN": ("    return x * np.nan\n", "wrong", "nan"),
    "returns a string": ("    return 'four'\n", "bad_output", "returned str"),
    "waits for input()": ("    return input()\n", "error", "EOFError"),
    "kills its process group": ("    import os, signal\n    os.killpg(0, signal.SIGKILL)\n",
                                "exited", "killed by signal 9"),
}


@pytest.mark.parametrize("behaviour", list(HOSTILE))
def test_misbehaving_function_fails_only_its_own_check(behaviour, exercise01):
    body, kind, says = HOSTILE[behaviour]
    patch(exercise01 / "derivative.py", SQUARE, body)
    graded = grade(exercise01, "01")
    square = graded.checks["test_square"]
    assert square["status"] == "failed" and square["score"] == 0
    assert square["extra_data"]["kind"] == kind, square
    assert says.lower() in square["output"].lower(), square["output"]
    assert "Traceback" not in square["output"]
    assert graded.failed() == USE_SQUARE, "other checks were disturbed"
    assert graded.returncode == 1


def test_numpy_replaced_at_import_fails_every_check_of_that_module(exercise01):
    patch(exercise01 / "derivative.py", "import numpy as np\n",
          "import numpy as np\nnp.allclose = lambda *a, **k: True\n")
    graded = grade(exercise01, "01")
    assert graded.results["score"] == 0
    assert all("replaced np.allclose" in t["output"] for t in graded.results["tests"])


def test_syntax_error_gets_one_clear_message(exercise01):
    patch(exercise01 / "derivative.py", SQUARE, "    retrun x *\n")
    graded = grade(exercise01, "01")
    outputs = {t["output"] for t in graded.results["tests"]}
    assert len(outputs) == 1
    (message,) = outputs
    assert "derivative.py, line 17: SyntaxError: invalid syntax\n    retrun x *" in message
    assert graded.stdout.count("SyntaxError") == 1, "the report says it once"


def test_missing_function_is_named(exercise01):
    patch(exercise01 / "derivative.py", "def sigmoid(", "def sigmiod(")
    graded = grade(exercise01, "01")
    assert graded.failed() == {"test_sigmoid", "test_visible_examples"}
    assert "has no `sigmoid`" in graded.checks["test_sigmoid"]["output"]


def test_wrong_signature_is_explained(exercise01):
    patch(exercise01 / "derivative.py", "delta: float = 0.001) -> ndarray:", "step=0.001):")
    patch(exercise01 / "derivative.py",
          "(func(input_ + delta) - func(input_ - delta)) / (2 * delta)",
          "(func(input_ + step) - func(input_ - step)) / (2 * step)")
    graded = grade(exercise01, "01")
    assert graded.failed() == {"test_deriv_delta"}
    message = graded.checks["test_deriv_delta"]["output"]
    assert "calling your `deriv` failed" in message, message
    assert "deriv(func, input_, step=0.001)" in message, message


def test_missing_file_is_named(tmp_path):
    (tmp_path / "01_derivative").mkdir()
    graded = grade(tmp_path, "01")
    assert graded.results["score"] == 0
    assert all("derivative.py does not exist" in t["output"] for t in graded.results["tests"])


def test_an_error_shows_the_learners_frames_and_what_it_printed(exercise01):
    patch(exercise01 / "derivative.py", SQUARE,
          "    print('computing the square')\n    return helper(x)\n\n\ndef helper(x):\n"
          "    return x @ np.ones(7)\n")
    message = grade(exercise01, "01").checks["test_square"]["output"]
    assert message.startswith("your code raised ValueError: matmul")
    assert "derivative.py, line 18, in square" in message
    assert "derivative.py, line 22, in helper\n    return x @ np.ones(7)" in message
    assert "grader" not in message.split("hint:")[0]
    assert "your code printed:\ncomputing the square" in message


def test_given_files_are_supplied_when_a_submission_lacks_them(tmp_path):
    from conftest import EXERCISES, reference_copy

    folder = reference_copy(EXERCISES[1], tmp_path)  # chain_rule.py alone, as a student
    assert not (folder / "derivative.py").exists()  # may hand it in
    graded = grade(folder, "02")
    assert graded.returncode == 0, graded.stdout
