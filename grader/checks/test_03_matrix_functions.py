"""Checks for exercise 03: matrix products and the gradient of sum(sigma(X @ W)).

Shapes are never square unless a check says so, and X always has several rows:
an answer that is right only for the book's single row and column fails.
matrix_function_backward_sum_1 gets sigma' from `deriv` (step 0.001), so its
numerical check allows 1e-5 instead of the usual 1e-6.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def d_sigmoid(x):
    s = sigmoid(x)
    return s * (1 - s)


def matrices(rng, n, k, m):
    return rng.standard_normal((n, k)), rng.standard_normal((k, m))


@check("matmul_forward is the matrix product X @ W", points=1,
       hint=("Use the matrix product, np.dot(X, W) or X @ W: (n, k) @ (k, m) gives (n, m). X * W "
             "multiplies element by element."))
def test_matmul_forward(ex):
    X, W = matrices(ex.rng, 4, 3, 2)
    got, want = ex.both(lambda m, X, W: m.matmul_forward(X, W), X, W)
    assert_close(got, want, tr("matmul_forward(X, W) with X (4, 3), W (3, 2)"))


@check("matmul_backward_first is the gradient of sum(X @ W) for any shapes", points=2,
       hint=("The gradient with respect to X has X's shape (n, k). The book's W.T is right only for"
             " one row and one column: in general it is ones((n, m)) @ W.T."))
def test_matmul_backward(ex):
    X, W = matrices(ex.rng, 4, 3, 2)
    got, want = ex.both(lambda m, X, W: m.matmul_backward_first(X, W), X, W)
    assert_close(got, want, tr("matmul_backward_first(X, W) with X (4, 3), W (3, 2)"),
                 suspects={tr("W.T, the book's answer: the gradient only when X has one row "
                              "and W one column"): W.T})


@check("matmul_backward_first agrees with a numerical gradient", points=1,
       hint=("Change one X[i, j] by a little: sum(X @ W) changes by that much times the sum of row "
             "j of W."))
def test_matmul_backward_numeric(ex):
    X, W = matrices(ex.rng, 3, 4, 2)

    def probe(m, X, W, seed):
        return gradcheck.probe(
            forward=lambda X: np.sum(X @ W),
            inputs={"X": X},
            backward=lambda g: {"X": g * m.matmul_backward_first(X, W)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X, W, ex.seed), "matmul_backward_first(X, W)")


@check("matrix_function_forward_sum is sum(sigma(X @ W))", points=1,
       hint="Three steps: N = X @ W, S = sigma(N) element-wise, then L = np.sum(S), one number.")
def test_forward_sum(ex):
    X, W = matrices(ex.rng, 5, 3, 2)
    got, want = ex.both(lambda m, X, W: m.matrix_function_forward_sum(X, W, sigmoid), X, W)
    N = X @ W
    assert_close(got, want, "matrix_function_forward_sum(X, W, sigmoid)", suspects={
        tr("sigma(sum(X @ W)): sigma is applied after the sum instead of before"): sigmoid(N.sum()),
        tr("sum(X @ W): sigma is never applied"): N.sum(),
    })


@check("matrix_function_backward_sum_1 is sigma'(X @ W) @ W.T", points=2,
       hint=("dL/dN = sigma'(N) element-wise (use deriv(sigma, N), at N = X @ W), then dL/dX = "
             "dL/dN @ W.T."))
def test_backward_sum(ex):
    X, W = matrices(ex.rng, 4, 3, 3)  # square W: W and W.T both fit, only one is right
    N = X @ W
    got, want = ex.both(lambda m, X, W: m.matrix_function_backward_sum_1(X, W, sigmoid), X, W)
    assert_close(got, want, "matrix_function_backward_sum_1(X, W, sigmoid), W (3, 3)",
                 rtol=1e-6, suspects={
                     tr("sigma'(N) @ W: W where W.T belongs"): d_sigmoid(N) @ W,
                     tr("ones @ W.T: the sigma' factor is dropped"): np.ones_like(N) @ W.T,
                     tr("sigma(N) @ W.T: sigma where sigma' belongs"): sigmoid(N) @ W.T,
                 })


@check("matrix_function_backward_sum_1 agrees with a numerical gradient", points=2,
       hint=("The gradient must have X's shape (n, k): sigma'(X @ W) is (n, m), and (n, m) @ W.T is"
             " (n, k)."))
def test_backward_sum_numeric(ex):
    X, W = matrices(ex.rng, 3, 4, 2)

    def probe(m, X, W, seed):
        return gradcheck.probe(
            forward=lambda X: np.sum(sigmoid(X @ W)),
            inputs={"X": X},
            backward=lambda g: {"X": g * m.matrix_function_backward_sum_1(X, W, sigmoid)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X, W, ex.seed),
                     "matrix_function_backward_sum_1(X, W, sigmoid)", tol=1e-5)
