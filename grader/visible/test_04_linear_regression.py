"""Visible checks for exercise 04: worked examples and a numerical check, no reference needed.

The worked examples have n = 3 observations of k = 2 features; their values
were worked out by hand (the loss is 4.75 / 3).
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr

X = np.array([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0]])
Y = np.array([[0.0], [1.0], [2.0]])
WEIGHTS = {"W": np.array([[1.0], [-1.0]]), "B": np.array([[0.5]])}


@check("worked example: forward_linear_regression, n = 3", points=1,
       hint=("N = X @ W = [[-1], [-1], [3]], P = N + B = [[-0.5], [-0.5], [3.5]]; the errors "
             "y - P are 0.5, 1.5, -1.5, so the loss, their mean square, is 4.75 / 3, one float."))
def test_visible_forward(ex):
    def probe(m, X, y, weights):
        loss, info = m.forward_linear_regression(X, y, weights)
        return {"loss": loss, "N": info["N"], "P": info["P"]}

    got = ex.learner(probe, X, Y, WEIGHTS)
    assert_close(got["N"], np.array([[-1.0], [-1.0], [3.0]]), "forward_info['N'] (X @ W)")
    assert_close(got["P"], np.array([[-0.5], [-0.5], [3.5]]), "forward_info['P'] (N + B)")
    assert_close(got["loss"], 4.75 / 3, tr("the loss from forward_linear_regression"), suspects={
        tr("the sum of the squared errors instead of their mean"): 4.75,
    })


@check("worked example: loss_gradients, n = 3", points=1,
       hint=("dL/dP = -2 (y - P) / n = [[-1/3], [-1], [1]]; dL/dW = X.T @ dL/dP = [[5/3], [-8/3]], "
             "W's shape (2, 1); dL/dB = dL/dP summed over the rows = [[-1/3]], shape (1, 1)."))
def test_visible_gradients(ex):
    N = X @ WEIGHTS["W"]
    info = {"X": X, "N": N, "P": N + WEIGHTS["B"], "y": Y}

    def probe(m, info, weights):
        grads = m.loss_gradients(info, weights)
        return {"W": grads["W"], "B": grads["B"]}

    got = ex.learner(probe, info, WEIGHTS)
    assert_close(got["W"], np.array([[5.0], [-8.0]]) / 3, "loss_gradients(...)['W']",
                 suspects={tr("the gradient of the sum of squared errors, n = 3 times too big: "
                              "divide by n"): np.array([[5.0], [-8.0]])})
    assert_close(got["B"], np.array([[-1.0]]) / 3, "loss_gradients(...)['B']", suspects={
        tr("dL/dP itself, one value per observation: sum it over the rows"):
            np.array([[-1.0], [-3.0], [3.0]]) / 3,
    })


@check("loss_gradients is the gradient of your forward_linear_regression's loss, numerically",
       points=1,
       hint=("Nudge one weight by a little: your loss must change by that much times your "
             "gradient. Both gradients have their weight's shape. If the worked forward example "
             "fails, fix the loss first."))
def test_visible_gradients_numeric(ex):
    rng = ex.rng
    X_, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 1)) * 2
    weights = {"W": rng.standard_normal((3, 1)), "B": rng.standard_normal((1, 1))}

    def probe(m, X, y, weights, seed):
        _, info = m.forward_linear_regression(X, y, weights)
        grads = m.loss_gradients(info, weights)
        return gradcheck.probe(
            forward=lambda W, B: m.forward_linear_regression(X, y, {"W": W, "B": B})[0],
            inputs=weights,
            backward=lambda g: {"W": g * grads["W"], "B": g * grads["B"]},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X_, y, weights, ex.seed), "loss_gradients")
