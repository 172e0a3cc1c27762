"""Checks for exercise 05: a two-layer network by hand, forward pass and gradients.

Batches have n = 6 observations of k = 4 features and h = 5 hidden neurons, so
n, k and h all differ and a transposed or misplaced product has the wrong shape.
The gradient checks build forward_info themselves, so a mistake in forward_loss
cannot fail them. The training check runs the grader's own gradient descent on
the diabetes data with the learner's two functions, and on the reference, from
the module's init_weights.
"""
import numpy as np

from grader import N_, CheckFailed, assert_close, check, fail, gradcheck, tr
from grader.data import diabetes_split

N, K, H = 6, 4, 5
HIDDEN, LR, STEPS = 13, 0.01, 200  # the reference's test MAE: 40.9 to 46.2 over 300 inits
MAE_SLACK = 1.15  # the trained network's test MAE may be at most 15 % above least squares'
NAMES = ("W1", "B1", "W2", "B2")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def batch(rng, n=N, k=K, h=H):
    """X (n, k), y (n, 1) and the four weights, all of both signs."""
    X = rng.standard_normal((n, k))
    y = rng.standard_normal((n, 1)) * 2
    weights = {"W1": rng.standard_normal((k, h)), "B1": rng.standard_normal((1, h)),
               "W2": rng.standard_normal((h, 1)), "B2": rng.standard_normal((1, 1))}
    return X, y, weights


def forward(X, y, weights):
    """forward_info as a correct forward pass makes it."""
    M1 = X @ weights["W1"]
    N1 = M1 + weights["B1"]
    O1 = sigmoid(N1)
    M2 = O1 @ weights["W2"]
    return {"X": X, "M1": M1, "N1": N1, "O1": O1, "M2": M2, "P": M2 + weights["B2"], "y": y}


def mse(X, y, W1, B1, W2, B2):
    return np.mean((y - (sigmoid(X @ W1 + B1) @ W2 + B2)) ** 2)


def backward(info, weights, dP=None, dO1_dN1=None):
    """The four gradients, from dL/dP (default: the right one) and sigma'(N1)."""
    X, O1, y = info["X"], info["O1"], info["y"]
    if dP is None:
        dP = -2 * (y - info["P"]) / X.shape[0]
    if dO1_dN1 is None:
        dO1_dN1 = O1 * (1 - O1)
    dN1 = (dP @ weights["W2"].T) * dO1_dN1
    return {"W1": X.T @ dN1, "B1": np.sum(dN1, axis=0, keepdims=True), "W2": O1.T @ dP,
            "B2": np.sum(dP, axis=0, keepdims=True), "dN1": dN1, "dP": dP}


def loss_probe(m, X, y, weights):
    loss, _ = m.forward_loss(X, y, weights)
    return loss


def info_probe(m, X, y, weights):
    _, info = m.forward_loss(X, y, weights)
    return {key: info[key] for key in ("M1", "N1", "O1", "M2", "P")}


def gradients_probe(m, info, weights):
    grads = m.loss_gradients(info, weights)
    return {key: grads[key] for key in NAMES}


def gradients(ex):
    """The learner's and the reference's gradients on a fresh batch, and the batch."""
    X, y, weights = batch(ex.rng)
    info = forward(X, y, weights)
    got, want = ex.both(gradients_probe, info, weights)
    return got, want, info, weights


def factor_suspects(info, weights, key):
    """The book's gradients: without the 1/n, without the 2, or both."""
    n = info["X"].shape[0]
    dP = -2 * (info["y"] - info["P"]) / n
    return {
        tr("the gradient with no 1/n, n times too big (the book's bug): the loss is a mean"):
            backward(info, weights, dP * n)[key],
        tr("the gradient with the factor 2 from the square dropped"):
            backward(info, weights, dP / 2)[key],
        tr("the book's gradient, from dL/dP = -(y - P): no factor 2 and no 1/n"):
            backward(info, weights, dP * n / 2)[key],
        tr("the gradient with the sign flipped: dL/dP = -2 (y - P) / n"):
            backward(info, weights, -dP)[key],
    }


def sigma_suspects(info, weights, key):
    """Gradients that go back through the sigmoid with the wrong sigma'(N1)."""
    M1, N1, O1 = info["M1"], info["N1"], info["O1"]
    wrong = {
        tr("sigma' taken at M1: B1 left out; the sigmoid's input is N1 = M1 + B1"):
            sigmoid(M1) * (1 - sigmoid(M1)),
        tr("N1 * (1 - N1): s (1 - s) with N1 for s; s is sigmoid(N1)"): N1 * (1 - N1),
        tr("sigma' of O1: the sigmoid applied twice; sigma'(N1) is O1 * (1 - O1)"):
            sigmoid(O1) * (1 - sigmoid(O1)),
        tr("sigmoid(N1) where its derivative belongs"): O1,
        tr("no sigma' factor: dL/dO1 passed on as if the sigmoid were not there"):
            np.ones_like(O1),
    }
    return {what: backward(info, weights, dO1_dN1=d)[key] for what, d in wrong.items()}


@check("forward_loss returns the mean squared error of the network", points=2,
       hint=("Five steps: M1 = X @ W1, N1 = M1 + B1, O1 = sigmoid(N1), M2 = O1 @ W2, P = M2 + B2; "
             "then loss = np.mean((y - P) ** 2), one float."))
def test_forward_loss(ex):
    X, y, weights = batch(ex.rng)
    got, want = ex.both(loss_probe, X, y, weights)
    info = forward(X, y, weights)
    W1, B1, W2, B2 = (weights[key] for key in NAMES)
    err = y - info["P"]
    assert_close(got, want, tr("the loss from forward_loss, n = 6"), suspects={
        tr("the sum of the squared errors instead of their mean"): np.sum(err**2),
        tr("the root of the mean squared error (RMSE); the loss is the MSE itself"):
            np.sqrt(np.mean(err**2)),
        tr("the loss of a network without the sigmoid: O1 must be sigmoid(N1)"):
            np.mean((y - ((X @ W1 + B1) @ W2 + B2)) ** 2),
        tr("the loss of a network without B1"): np.mean((y - (sigmoid(X @ W1) @ W2 + B2)) ** 2),
        tr("the loss of a network without B2"): np.mean((y - info["M2"]) ** 2),
    })


@check("forward_info holds M1, N1, O1, M2 and P", points=1,
       hint=("M1 = X @ W1 (n, h), N1 = M1 + B1, O1 = sigmoid(N1), M2 = O1 @ W2 (n, 1), "
             "P = M2 + B2. Keep the names: forward_info is built from your variables."))
def test_forward_info(ex):
    X, y, weights = batch(ex.rng)
    got, want = ex.both(info_probe, X, y, weights)
    info = forward(X, y, weights)
    M1, N1, O1, M2 = (info[key] for key in ("M1", "N1", "O1", "M2"))
    suspects = {
        "M1": {tr("X @ W1 + B1: that is N1; M1 is the product before the bias"): N1},
        "N1": {tr("M1 = X @ W1: B1 is never added"): M1},
        "O1": {tr("N1 itself: the sigmoid is never applied"): N1,
               tr("sigmoid(M1): the sigmoid of the product, before B1 is added"): sigmoid(M1)},
        "M2": {tr("N1 @ W2: the sigmoid is skipped, N1 where O1 belongs"): N1 @ weights["W2"],
               tr("O1 @ W2 + B2: that is P; M2 is the product before the bias"):
                   M2 + weights["B2"]},
        "P": {tr("M2 = O1 @ W2: B2 is never added"): M2},
    }
    at = {"M1": {}, "N1": {"M1": M1}, "O1": {"N1": N1}, "M2": {}, "P": {"M2": M2}}
    for key in ("M1", "N1", "O1", "M2", "P"):
        assert_close(got[key], want[key], f"forward_info['{key}']", at=at[key],
                     suspects=suspects[key])


@check("loss_gradients: the gradients for W2 and B2", points=2,
       hint=("dL/dP = -2 (y - P) / n; dL/dW2 = O1.T @ dL/dP, shape (h, 1); dL/dB2 is dL/dP summed "
             "over the batch, shape (1, 1). The loss is a mean, so the 1/n belongs in dL/dP."))
def test_gradients_layer_2(ex):
    got, want, info, weights = gradients(ex)
    right = backward(info, weights)
    dP = right["dP"]
    assert_close(got["W2"], want["W2"], "loss_gradients(...)['W2'], h = 5", suspects={
        **factor_suspects(info, weights, "W2"),
        tr("dL/dP.T @ O1: the right numbers as a row (1, h); W2's gradient is O1.T @ dL/dP, "
           "a column (h, 1)"): dP.T @ info["O1"],
        tr("N1.T @ dL/dP: N1 where O1 belongs; W2 multiplies the sigmoid's output"):
            info["N1"].T @ dP,
    })
    assert_close(got["B2"], want["B2"], "loss_gradients(...)['B2']", suspects={
        **factor_suspects(info, weights, "B2"),
        tr("dL/dP itself, one value per observation (n, 1): B2 is added to every row, so sum "
           "over the batch"): dP,
        tr("a plain number: the sum is right, but keep B2's shape (1, 1) with keepdims=True"):
            np.sum(dP),
        tr("a 1-D array of shape (1,): sum with keepdims=True to keep B2's shape (1, 1)"):
            np.sum(dP, axis=0),
        tr("the mean of dL/dP over the batch: dL/dP already has the 1/n, so sum it"):
            np.mean(dP, axis=0, keepdims=True),
    })


@check("loss_gradients: the gradient for W1 goes back through the sigmoid", points=2,
       hint=("dL/dO1 = dL/dP @ W2.T (n, h); dL/dN1 = dL/dO1 * sigmoid(N1) * (1 - sigmoid(N1)), "
             "element by element, at N1 (after B1); dL/dW1 = X.T @ dL/dN1, shape (k, h)."))
def test_gradient_W1(ex):
    got, want, info, weights = gradients(ex)
    right = backward(info, weights)
    assert_close(got["W1"], want["W1"], "loss_gradients(...)['W1'], X (6, 4), h = 5",
                 suspects={
                     **factor_suspects(info, weights, "W1"),
                     **sigma_suspects(info, weights, "W1"),
                     tr("dL/dN1.T @ X: transposed; W1's gradient is X.T @ dL/dN1, shape (k, h)"):
                         right["dN1"].T @ info["X"],
                 })


B1_NOTE = N_("B1 holds one bias per hidden neuron, shape (1, h), and so does its gradient: sum "
             "dL/dN1 over the batch only, np.sum(dL_dN1, axis=0, keepdims=True). The book's code "
             "loses this shape too (issue #8 of its repository, DLFS_code).")


@check("loss_gradients: B1's gradient keeps B1's shape (1, h)", points=2,
       hint=("B1 is added to every row of M1, so its gradient is dL/dN1 summed over the n "
             "observations: one number per hidden neuron, shape (1, h). Not .sum() of "
             "everything, and not a sum over the neurons."))
def test_gradient_B1(ex):
    got, want, info, weights = gradients(ex)
    dN1 = backward(info, weights)["dN1"]
    try:
        assert_close(got["B1"], want["B1"], "loss_gradients(...)['B1'], h = 5", suspects={
            tr("np.sum(dL_dN1) with no axis: every element collapsed into one number, as in "
               "the book's code"): np.sum(dN1),
            tr("np.sum(dL_dN1, axis=0) without keepdims=True: a 1-D array (h,)"):
                np.sum(dN1, axis=0),
            tr("a sum over axis 1, the hidden neurons: one number per observation instead of one "
               "per neuron"): np.sum(dN1, axis=1, keepdims=True),
            tr("a sum over axis 1, the hidden neurons, without keepdims: one number per "
               "observation instead of one per neuron"): np.sum(dN1, axis=1),
            tr("dL/dN1 itself, not summed over the batch: one row per observation"): dN1,
            tr("the mean of dL/dN1 over the batch: dL/dP already has the 1/n, so sum it"):
                np.mean(dN1, axis=0, keepdims=True),
            **factor_suspects(info, weights, "B1"),
            **sigma_suspects(info, weights, "B1"),
        })
    except CheckFailed as exc:
        if np.shape(got["B1"]) != np.shape(want["B1"]):
            fail(f"{exc.message}\n{tr(B1_NOTE)}")
        raise


@check("loss_gradients agrees with a numerical gradient for W1, B1, W2 and B2", points=3,
       hint=("Nudge one weight by a little: the mean squared error changes by that much times "
             "your gradient. Each gradient has its weight's shape; follow the chain back from "
             "P through M2, O1 and N1."))
def test_gradients_numeric(ex):
    X, y, weights = batch(ex.rng, n=7, k=3, h=4)

    def probe(m, X, y, weights, seed):
        grads = m.loss_gradients(forward(X, y, weights), weights)
        return gradcheck.probe(
            forward=lambda **w: mse(X, y, **w),
            inputs=weights,
            backward=lambda g: {key: g * grads[key] for key in NAMES},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X, y, weights, ex.seed), "loss_gradients")


def train_probe(m, X, y, weights, lr, steps):
    """Plain gradient descent with the learner's functions; stops early when a gradient
    lacks its weight's shape or the loss is no longer finite."""
    done = 0
    for _ in range(steps):
        loss, info = m.forward_loss(X, y, weights)
        grads = m.loss_gradients(info, weights)
        shapes = {key: np.shape(grads[key]) for key in NAMES}
        if any(shapes[key] != weights[key].shape for key in NAMES) or not np.isfinite(loss):
            break
        weights = {key: weights[key] - lr * grads[key] for key in NAMES}
        done += 1
    return {**weights, "steps": done,
            **{f"shape.{key}": np.array(shapes[key], dtype=int) for key in NAMES}}


def descend(X, y, weights, lr, steps, scale=1.0):
    """The grader's own gradient descent, with the gradient times scale."""
    for _ in range(steps):
        grads = backward(forward(X, y, weights), weights)
        weights = {key: weights[key] - lr * scale * grads[key] for key in NAMES}
    return weights


@check("gradient descent with your functions trains the network on the diabetes data", points=2,
       hint=("The grader starts from init_weights(10, 13) and runs weight -= 0.01 * gradient 200 "
             "times with your two functions. If the other checks pass this one does too; if the "
             "loss grows, a gradient is too large or has the wrong sign."))
def test_training(ex):
    X, y, X_test, y_test = diabetes_split()
    k = X.shape[1]
    start = ex.reference(lambda m, k, seed: m.init_weights(k, HIDDEN, seed), k, ex.seed)
    start = {key: np.array(start[key]) for key in NAMES}
    got, want = ex.both(train_probe, X, y, start, LR, STEPS)
    done = int(got["steps"])
    for key in NAMES:
        shape = tuple(int(s) for s in got[f"shape.{key}"])
        if shape != start[key].shape:
            fail(tr("training on the diabetes data stopped at step {step}: loss_gradients "
                    "returned a gradient for {key} of shape {got}; it must have {key}'s shape "
                    "{shape}").format(step=done + 1, key=key, got=shape, shape=start[key].shape))
    trained = {key: got[key] for key in NAMES}
    first, last = mse(X, y, **start), mse(X, y, **trained)
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
    P = forward(X_test, y_test, trained)["P"]
    mae = np.mean(np.abs(y_test - P))
    if not mae <= MAE_SLACK * mae_lstsq:
        fail(tr("after {steps} steps of gradient descent (learning rate {lr}) your network's "
                "mean absolute error on the test patients is {mae:.4g}. A linear model fitted by "
                "least squares reaches {mae_lstsq:.4g} and always predicting the training mean "
                "{mae_mean:.4g}; the network must reach at most {limit:.4g}. The training loss "
                "went from {first:.6g} to {last:.6g}.").format(
                    steps=STEPS, lr=LR, mae=mae, mae_lstsq=mae_lstsq, mae_mean=mae_mean,
                    limit=MAE_SLACK * mae_lstsq, first=first, last=last))
    half = descend(X, y, start, LR, STEPS, scale=0.5)
    halved = tr("the weights that half the gradient reaches: the factor 2 is dropped")
    for key in NAMES:
        what = tr("{key} after {steps} steps of gradient descent on the diabetes data").format(
            key=key, steps=STEPS)
        assert_close(got[key], want[key], what, rtol=1e-6, atol=1e-6,
                     suspects={halved: half[key]})
