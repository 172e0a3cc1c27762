"""The engine's parts on their own: stub generation, gradient checks, messages."""
import numpy as np
import pytest

from grader import gradcheck, maps, stubs
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
    lines = maps.error_map(gradcheck_bad(grad, full), (0, 0))
    picture = [line.split() for line in lines[1:]]
    assert picture[0] == [picture[0][0]] * 6 and picture[2][1:5] == [picture[2][2]] * 4
    assert picture[2][0] == picture[0][0] != picture[2][2]  # a frame: edges marked, inside not


def test_an_image_shaped_gradient_error_names_its_slice():
    bad = np.zeros((2, 3, 4, 5), dtype=bool)
    bad[1, 2, 0, ::2] = True
    lines = maps.error_map(bad, (1, 2, 0, 0))
    assert "[1, 2, :, :]" in lines[0] and len(lines) == 5


def gradcheck_bad(grad, full):
    return np.abs(grad - full) > 1e-4 * np.abs(full) + 1e-7 * np.max(np.abs(full))


SLIPPED = np.arange(1.0, 13.0).reshape(3, 4) ** 1.5  # no symmetry: each slip gives other numbers
SLIPS = [
    ("transposed", lambda w: w.T, "transposed (rows and columns swapped)"),
    ("kernel not flipped", lambda w: w[::-1, ::-1], "flipped upside down and left to right"),
    ("rows reversed", lambda w: w[::-1], "flipped upside down (its rows"),
    ("columns reversed", lambda w: w[:, ::-1], "in reverse order along its last axis"),
    ("sign", lambda w: -w, "with the opposite sign everywhere"),
    ("n times", lambda w: 8 * w, "is 8 times the expected one everywhere: a sum where a mean"),
    ("1/n", lambda w: w / 8, "is 1/8 of the expected one everywhere: a mean where a sum"),
    ("factor", lambda w: 0.37 * w, "is 0.37 times the expected one everywhere"),
    ("shift", lambda w: w + 0.5, "plus 0.5 everywhere: a constant term is off"),
    ("keepdims", lambda w: w.reshape(-1), "right values in the wrong shape: (12,) where (3, 4)"),
    ("summed", lambda w: w.sum(0), "summed over axis 0: keep that axis"),
]


@pytest.mark.parametrize("name, slip, says", SLIPS, ids=[s[0] for s in SLIPS])
def test_each_usual_slip_gets_its_own_diagnosis(name, slip, says):
    want = SLIPPED if name != "transposed" else SLIPPED[:, :3]
    with pytest.raises(CheckFailed) as caught:
        assert_close(slip(want), want, "dW")
    assert says in caught.value.message
    others = [s for n, _, s in SLIPS if n != name]
    assert not any(other in caught.value.message for other in others)


def test_a_missing_kernel_flip_shows_as_a_mirrored_pattern():
    """A kernel applied unflipped, seen through a single 1 in output_grad: the values
    of yours are the expected picture turned 180 degrees."""
    kernel = np.arange(1.0, 10.0).reshape(3, 3) ** 2
    want = np.zeros((5, 5))
    want[1:4, 1:4] = kernel[::-1, ::-1]
    got = np.zeros((5, 5))
    got[1:4, 1:4] = kernel
    with pytest.raises(CheckFailed) as caught:
        assert_close(got, want, "input_grad_2d(img, param, a single 1 in output_grad)")
    lines = caught.value.message.splitlines()
    at = next(i for i, line in enumerate(lines) if "from ' ' (smallest)" in line)
    rows = [line[4:].split(" | ") for line in lines[at + 2:at + 7]]
    expected, yours = [r[0].rstrip().ljust(10) for r in rows], [r[1].ljust(10) for r in rows]
    assert yours == [row[::-1] for row in expected[::-1]] and yours != expected
    assert "a kernel that should be flipped is not" in caught.value.message


def test_a_gradient_with_the_kernel_not_flipped_is_pictured_too():
    full = np.arange(1.0, 17.0).reshape(4, 4) ** 1.2
    lines = gradcheck._where(full[::-1, ::-1].copy(), full)
    assert any("numerical" in line and "yours" in line for line in lines)
    assert "Your gradient is the numerical one flipped upside down" in lines[-1]
