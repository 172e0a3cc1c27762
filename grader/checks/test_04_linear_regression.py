"""Checks for exercise 04: linear regression by hand, forward pass and gradients.

Batches have n = 7 observations of k = 3 features (never square, never one row),
and the targets and weights take both signs. The gradient checks build
forward_info themselves, so a mistake in forward_linear_regression cannot fail
them. The training check runs the grader's own gradient descent on the diabetes
data with the learner's two functions, and on the reference from the same start.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr
from grader.data import diabetes_split

N, K = 7, 3
LR, STEPS = 0.05, 200  # the reference reaches 0.99 times the test MAE of lstsq
MAE_SLACK = 1.05  # the trained model's test MAE may be at most 5 % above least squares'


def batch(rng, n=N, k=K):
    """X (n, k), y (n, 1) and weights W (k, 1), B (1, 1), all of both signs."""
    X = rng.standard_normal((n, k))
    y = rng.standard_normal((n, 1)) * 2
    weights = {"W": rng.standard_normal((k, 1)), "B": rng.standard_normal((1, 1))}
    return X, y, weights


def info_of(X, y, weights):
    """forward_info as a correct forward pass makes it."""
    N_ = X @ weights["W"]
    return {"X": X, "N": N_, "P": N_ + weights["B"], "y": y}


def mse(X, y, W, B):
    return np.mean((y - (X @ W + B)) ** 2)


def loss_probe(m, X, y, weights):
    loss, _ = m.forward_linear_regression(X, y, weights)
    return loss


def info_probe(m, X, y, weights):
    _, info = m.forward_linear_regression(X, y, weights)
    return {key: info[key] for key in ("N", "P")}


def gradients_probe(m, info, weights):
    grads = m.loss_gradients(info, weights)
    return {"W": grads["W"], "B": grads["B"]}


@check("forward_linear_regression returns the mean squared error as a float", points=2,
       hint=("P = X @ W + B (B is added to every row), then loss = np.mean((y - P) ** 2): the mean "
             "over the n observations, one float."))
def test_forward_loss(ex):
    X, y, weights = batch(ex.rng)
    got, want = ex.both(loss_probe, X, y, weights)
    W, B = weights["W"], weights["B"]
    err = y - (X @ W + B)
    assert_close(got, want, tr("the loss from forward_linear_regression, n = 7"),
                 suspects={
                     tr("the sum of the squared errors instead of their mean"): np.sum(err**2),
                     tr("the root of the mean squared error (RMSE); the loss is the MSE itself"):
                         np.sqrt(np.mean(err**2)),
                     tr("the mean absolute error; the loss squares the errors"):
                         np.mean(np.abs(err)),
                     tr("the MSE of X @ W without B: the bias is never added"):
                         np.mean((y - X @ W) ** 2),
                     tr("the mean of the errors, not squared"): np.mean(err),
                 })


@check("forward_info holds N = X @ W and P = N + B", points=1,
       hint=("N is the matrix product X @ W, shape (n, 1); P is N + B, with B (1, 1) added to "
             "every row. Keep the names: forward_info is built from your N and P."))
def test_forward_info(ex):
    X, y, weights = batch(ex.rng)
    got, want = ex.both(info_probe, X, y, weights)
    W, B = weights["W"], weights["B"]
    assert_close(got["N"], want["N"], "forward_info['N'] (X @ W)", suspects={
        tr("X @ W + B: that is P; N is the product before the bias"): X @ W + B,
    })
    assert_close(got["P"], want["P"], "forward_info['P'] (N + B)", suspects={
        tr("N = X @ W: B is never added"): X @ W,
        tr("N - B: the bias is subtracted"): X @ W - B,
    })


@check("loss_gradients: the gradient for W is X.T @ dL/dP, shape (k, 1)", points=2,
       hint=("dL/dP = -2 (y - P) / n, one value per observation; dL/dW = X.T @ dL/dP has W's shape "
             "(k, 1). The loss is a mean, so the 1/n belongs in the gradient."))
def test_gradient_W(ex):
    X, y, weights = batch(ex.rng)
    info = info_of(X, y, weights)
    got, want = ex.both(gradients_probe, info, weights)
    e = y - info["P"]
    n = X.shape[0]
    assert_close(got["W"], want["W"], "loss_gradients(...)['W'], X (7, 3)", suspects={
        tr("X.T @ (-2 (y - P)): the gradient of the sum, n times too big (the book's bug): "
           "divide by n"): X.T @ (-2 * e),
        tr("X.T @ (-(y - P) / n): the factor 2 from the square is dropped"): X.T @ (-e / n),
        tr("X.T @ (2 (y - P) / n): the sign is flipped; dL/dP = -2 (y - P) / n"):
            X.T @ (2 * e / n),
        tr("X.T @ (-(y - P)): no factor 2 and no 1/n"): X.T @ -e,
        tr("dL/dP.T @ X: the right numbers as a row (1, k); W's gradient is X.T @ dL/dP, a "
           "column (k, 1)"): (-2 * e / n).T @ X,
        tr("the gradient with y - N instead of y - P: B is left out of the error"):
            X.T @ (-2 * (y - info["N"]) / n),
    })


@check("loss_gradients: the gradient for B is dL/dP summed over the batch, shape (1, 1)",
       points=2,
       hint=("B is added to every row of N, so its gradient is the sum of dL/dP over the n "
             "observations: np.sum(dL_dP, axis=0, keepdims=True), shape (1, 1)."))
def test_gradient_B(ex):
    X, y, weights = batch(ex.rng)
    info = info_of(X, y, weights)
    got, want = ex.both(gradients_probe, info, weights)
    dP = -2 * (y - info["P"]) / X.shape[0]
    assert_close(got["B"], want["B"], "loss_gradients(...)['B']", suspects={
        tr("dL/dP itself, one value per observation (n, 1): B is added to every row, so sum "
           "over the batch"): dP,
        tr("a plain number: the sum is right, but keep B's shape (1, 1) with keepdims=True"):
            np.sum(dP),
        tr("a 1-D array of shape (1,): sum with axis=0 and keepdims=True to keep B's shape "
           "(1, 1)"):
            np.sum(dP, axis=0),
        tr("the sum of -2 (y - P), n times too big (the book's bug): divide by n"):
            np.sum(dP, axis=0, keepdims=True) * X.shape[0],
        tr("the sum of -(y - P) / n: the factor 2 from the square is dropped"):
            np.sum(dP, axis=0, keepdims=True) / 2,
        tr("the sum of 2 (y - P) / n: the sign is flipped; dL/dP = -2 (y - P) / n"):
            -np.sum(dP, axis=0, keepdims=True),
        tr("the mean of dL/dP over the batch: dL/dP already has the 1/n, so sum it"):
            np.mean(dP, axis=0, keepdims=True),
    })


@check("loss_gradients agrees with a numerical gradient of the mean squared error", points=2,
       hint=("Nudge one weight by a little: the mean of (y - X @ W - B) ** 2 changes by that much "
             "times your gradient. Both gradients have their weight's shape."))
def test_gradients_numeric(ex):
    X, y, weights = batch(ex.rng, n=9, k=4)

    def probe(m, X, y, weights, seed):
        grads = m.loss_gradients(info_of(X, y, weights), weights)
        return gradcheck.probe(
            forward=lambda W, B: mse(X, y, W, B),
            inputs=weights,
            backward=lambda g: {"W": g * grads["W"], "B": g * grads["B"]},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X, y, weights, ex.seed), "loss_gradients")


def train_probe(m, X, y, W, B, lr, steps):
    """Plain gradient descent with the learner's functions; stops early when a gradient
    lacks its weight's shape or the loss is no longer finite."""
    weights = {"W": W, "B": B}
    done = 0
    for _ in range(steps):
        loss, info = m.forward_linear_regression(X, y, weights)
        grads = m.loss_gradients(info, weights)
        shapes = {key: np.shape(grads[key]) for key in weights}
        if any(shapes[key] != weights[key].shape for key in weights) or not np.isfinite(loss):
            break
        weights = {key: weights[key] - lr * grads[key] for key in weights}
        done += 1
    return {"W": weights["W"], "B": weights["B"], "steps": done,
            "shape.W": np.array(shapes["W"], dtype=int),
            "shape.B": np.array(shapes["B"], dtype=int)}


def descend(X, y, W, B, lr, steps, scale=1.0):
    """The grader's own gradient descent, with the gradient times scale."""
    n = X.shape[0]
    for _ in range(steps):
        dP = -2 * (y - (X @ W + B)) / n * scale
        W, B = W - lr * (X.T @ dP), B - lr * np.sum(dP, axis=0, keepdims=True)
    return W, B


@check("gradient descent with your functions learns the diabetes data", points=2,
       hint=("The grader runs W -= 0.05 * dL/dW, B -= 0.05 * dL/dB 200 times with your two "
             "functions. If the other checks pass this one does too; if the loss blows up, your "
             "gradient is too large or has the wrong sign."))
def test_training(ex):
    X, y, X_test, y_test = diabetes_split()
    k = X.shape[1]
    W0, B0 = ex.rng.standard_normal((k, 1)), ex.rng.standard_normal((1, 1))
    got, want = ex.both(train_probe, X, y, W0, B0, LR, STEPS)
    done = int(got["steps"])
    shapes = {key: tuple(int(s) for s in got[f"shape.{key}"]) for key in ("W", "B")}
    for key, shape in (("W", (k, 1)), ("B", (1, 1))):
        if shapes[key] != shape:
            fail(tr("training on the diabetes data stopped at step {step}: "
                    "loss_gradients returned a gradient for {key} of shape {got}; "
                    "it must have {key}'s shape {shape}").format(
                        step=done + 1, key=key, got=shapes[key], shape=shape))
    first, last = mse(X, y, W0, B0), mse(X, y, got["W"], got["B"])
    if not last < first:  # also when last is NaN
        fail(tr("gradient descent went uphill on the diabetes data: with learning rate {lr} the "
                "training loss went from {first:.6g} to {last:.6g} in {done} steps. A gradient "
                "many times too large (no 1/n?) makes every step overshoot, and one of the wrong "
                "sign climbs; the gradient checks say which gradient is off.").format(
                    lr=LR, first=first, last=last, done=done))
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    mae_lstsq = np.mean(np.abs(y_test - (X_test @ coef[:-1] + coef[-1])))
    mae_mean = np.mean(np.abs(y_test - y.mean()))
    mae = np.mean(np.abs(y_test - (X_test @ got["W"] + got["B"])))
    if not mae <= MAE_SLACK * mae_lstsq:
        fail(tr("after {steps} steps of gradient descent (learning rate {lr}) your model's mean "
                "absolute error on the test patients is {mae:.4g}. Least squares "
                "(np.linalg.lstsq) reaches {mae_lstsq:.4g} and always predicting the training "
                "mean {mae_mean:.4g}; the model must reach at most {limit:.4g}. "
                "The training loss went from {first:.6g} to {last:.6g}.").format(
                    steps=STEPS, lr=LR, mae=mae, mae_lstsq=mae_lstsq, mae_mean=mae_mean,
                    limit=MAE_SLACK * mae_lstsq, first=first, last=last))
    W_half, B_half = descend(X, y, W0, B0, LR, STEPS, scale=0.5)
    half = tr("the weights that half the gradient reaches: the factor 2 is dropped")
    for key, half_value in (("W", W_half), ("B", B_half)):
        what = tr("{key} after {steps} steps of gradient descent on the diabetes data").format(
            key=key, steps=STEPS)
        assert_close(got[key], want[key], what, rtol=1e-6, atol=1e-6,
                     suspects={half: half_value})
