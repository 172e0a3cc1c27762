"""The engine's parts on their own: stub generation, gradient checks, messages."""
import numpy as np
import pytest

from grader import gradcheck, stubs
from grader.compare import CheckFailed, assert_close

REFERENCE = '''def f(x):
    """Doc."""
    y = 1
    ### BEGIN SOLUTION
    return x + y
    ### END SOLUTION


class Layer:
    def forward(self, x):
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION
'''


def test_stub_replaces_each_marked_block_and_names_the_function():
    stub = stubs.make_stub(REFERENCE)
    assert "return x + y" not in stub and "BEGIN SOLUTION" not in stub
    assert '    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError("f")\n' in stub
    assert '        raise NotImplementedError("forward")\n' in stub
    compile(stub, "stub", "exec")


def test_given_files_keep_the_solution_without_markers():
    text = stubs.strip_markers(REFERENCE)
    assert "return x + y" in text and "###" not in text


@pytest.mark.parametrize("broken", [
    "### BEGIN SOLUTION\nx\n",
    "x\n### END SOLUTION\n",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n",
])
def test_unbalanced_markers_are_reported(broken):
    with pytest.raises(stubs.MarkerError):
        stubs.make_stub(broken)


# Gradient checks, run here on plain functions (no worker needed).

W = np.random.default_rng(0).standard_normal((3, 2))


def matmul_check(grad_of, seed, x_shape=(4, 3)):
    x = np.random.default_rng(seed + 1000).standard_normal(x_shape)
    result = gradcheck.probe(
        forward=lambda X: X @ W, inputs={"X": x},
        backward=lambda g: {"X": grad_of(g)}, seed=seed)
    gradcheck.verify(result, "the test function")


def test_a_correct_gradient_passes_for_200_seeds():
    for seed in range(200):
        matmul_check(lambda g: g @ W.T, seed)


@pytest.mark.parametrize("wrong, says", [
    (lambda g: 2 * g @ W.T, "2 times the numerical one"),
    (lambda g: np.ones_like(g) @ W.T, "disagrees"),  # upstream gradient ignored
    (lambda g: (g @ W.T) * np.array([1, 1, 1.001]), "wrong at"),  # one column slightly off
    (lambda g: g @ W.T + np.eye(4, 3) * 1e-3, "wrong at 3 of 12 coordinates"),
    (lambda g: (g @ W.T).T, "must have X's shape"),
    (lambda g: g @ W.T * np.nan, "NaN"),
])
def test_planted_gradient_bugs_are_caught_and_located(wrong, says):
    with pytest.raises(CheckFailed) as caught:
        matmul_check(wrong, seed=3)
    assert says in caught.value.message


def test_messages_give_shape_worst_index_and_suspect():
    want = np.arange(6.0).reshape(2, 3)
    with pytest.raises(CheckFailed) as caught:
        assert_close(want.T, want, "f(x)")
    assert "expected (2, 3), got shape (3, 2)" in caught.value.message
    assert "transposed" in caught.value.message
    got = want.copy()
    got[1, 2] += 1
    with pytest.raises(CheckFailed) as caught:
        assert_close(got, want, "f(x)", suspects={"the bug": got})
    message = caught.value.message
    assert "wrong at 1 of 6 positions" in message and "worst at [1, 2]" in message
    assert "expected 5, got 6" in message and "matches the bug" in message
    with pytest.raises(CheckFailed) as caught:
        assert_close(want * np.nan, want, "f(x)")
    assert "nan at [0, 0]" in caught.value.message
    assert_close(want + 1e-12, want, "f(x)")


def test_a_border_only_gradient_error_shows_as_a_frame():
    full = np.arange(1.0, 31.0).reshape(5, 6)
    grad = full.copy()
    grad[0, :] += 1
    grad[-1, :] += 1
    grad[:, 0] += 1
    grad[:, -1] += 1
    lines = gradcheck.error_map(gradcheck_bad(grad, full), (0, 0))
    picture = [line.split() for line in lines[1:]]
    assert picture[0] == [picture[0][0]] * 6 and picture[2][1:5] == [picture[2][2]] * 4
    assert picture[2][0] == picture[0][0] != picture[2][2]  # a frame: edges marked, inside not


def test_an_image_shaped_gradient_error_names_its_slice():
    bad = np.zeros((2, 3, 4, 5), dtype=bool)
    bad[1, 2, 0, ::2] = True
    lines = gradcheck.error_map(bad, (1, 2, 0, 0))
    assert "[1, 2, :, :]" in lines[0] and len(lines) == 5


def gradcheck_bad(grad, full):
    return np.abs(grad - full) > 1e-4 * np.abs(full) + 1e-7 * np.max(np.abs(full))
