"""Visible checks for exercise 03: worked examples and a numerical check, no reference needed.

X has 3 rows and W 4 columns, so the book's W.T (the gradient only for one row
and one column) has the wrong shape. With sigma = square, deriv is exact, so
the worked examples' values are exact; the numerical check allows 1e-5, as
deriv's step is 0.001.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr

X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
W = np.array([[1.0, 0.0, 2.0, -1.0], [0.0, 1.0, 1.0, 2.0]])


def square(x):
    return x**2


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@check("worked example: matmul_forward and matmul_backward_first, X (3, 2), W (2, 4)",
       points=1,
       hint=("X @ W is (3, 4). The gradient of sum(X @ W) has X's shape (3, 2): "
             "ones((3, 4)) @ W.T, each row holding the row sums of W, [2, 4]."))
def test_visible_matmul(ex):
    def probe(m, X, W):
        return {"N": m.matmul_forward(X, W), "dX": m.matmul_backward_first(X, W)}

    got = ex.learner(probe, X, W)
    assert_close(got["N"], np.array([[1.0, 2.0, 4.0, 3.0], [0.0, -1.0, -1.0, -2.0],
                                     [3.0, 1.0, 7.0, -1.0]]), "matmul_forward(X, W)")
    assert_close(got["dX"], np.array([[2.0, 4.0], [2.0, 4.0], [2.0, 4.0]]),
                 "matmul_backward_first(X, W)")


@check("worked example: sum(sigma(X @ W)) and its gradient, with sigma = square", points=1,
       hint=("L = sum((X @ W)**2) = 96 here, one float. Its gradient is sigma'(N) @ W.T with "
             "N = X @ W and sigma'(N) = 2N from deriv: [[12, 24], [0, -12], [36, 12]], X's "
             "shape."))
def test_visible_sum_square(ex):
    def probe(m, X, W):
        return {"L": m.matrix_function_forward_sum(X, W, square),
                "dX": m.matrix_function_backward_sum_1(X, W, square)}

    got = ex.learner(probe, X, W)
    N = X @ W
    assert_close(got["L"], 96.0, "matrix_function_forward_sum(X, W, square)", rtol=1e-9,
                 suspects={tr("sum(X @ W) squared: sigma applied after the sum"): N.sum() ** 2})
    assert_close(got["dX"], np.array([[12.0, 24.0], [0.0, -12.0], [36.0, 12.0]]),
                 "matrix_function_backward_sum_1(X, W, square)", rtol=1e-6, suspects={
                     tr("ones @ W.T: the sigma' factor is dropped"): np.ones_like(N) @ W.T,
                     tr("sigma(N) @ W.T: sigma where sigma' belongs"): square(N) @ W.T,
                 })


@check("matrix_function_backward_sum_1 is the gradient of your forward_sum, numerically",
       points=1,
       hint=("Nudge one X[i, j] by a little: your matrix_function_forward_sum(X, W, sigmoid) "
             "must change by that much times your gradient: dL/dX = deriv(sigma, X @ W) @ W.T, "
             "shape (n, k). If the worked example's L is wrong, fix the forward sum first."))
def test_visible_backward_numeric(ex):
    X_, W_ = ex.rng.standard_normal((4, 3)), ex.rng.standard_normal((3, 2))

    def probe(m, X, W, seed):
        return gradcheck.probe(
            forward=lambda X: m.matrix_function_forward_sum(X, W, sigmoid),
            inputs={"X": X},
            backward=lambda g: {"X": g * m.matrix_function_backward_sum_1(X, W, sigmoid)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X_, W_, ex.seed),
                     "matrix_function_backward_sum_1(X, W, sigmoid)", tol=1e-5)
