"""Visible checks for exercise 05: worked examples and a numerical check, no reference needed.

The worked example has n = 3 observations of k = 2 features and h = 4 hidden
neurons; its values are given to 12 significant figures.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr

NAMES = ("W1", "B1", "W2", "B2")
X = np.array([[1.0, -1.0], [0.0, 2.0], [-1.0, 0.5]])
Y = np.array([[1.0], [-1.0], [0.5]])
WEIGHTS = {"W1": np.array([[0.5, -1.0, 0.0, 1.0], [1.0, 0.5, -0.5, 0.0]]),
           "B1": np.array([[0.0, 0.5, -0.5, 1.0]]),
           "W2": np.array([[1.0], [-2.0], [0.5], [1.5]]),
           "B2": np.array([[-0.5]])}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@check("worked example: forward_loss, n = 3, k = 2, h = 4", points=1,
       hint=("M1 = X @ W1, N1 = M1 + B1, O1 = sigmoid(N1) (0.5 wherever N1 is 0), M2 = O1 @ W2, "
             "P = M2 + B2, loss = np.mean((y - P) ** 2), one float: 0.850800960815 here."))
def test_visible_forward(ex):
    def probe(m, X, y, weights):
        loss, info = m.forward_loss(X, y, weights)
        return {"loss": loss, "O1": info["O1"], "P": info["P"]}

    got = ex.learner(probe, X, Y, WEIGHTS)
    assert_close(got["O1"], np.array([
        [0.377540668798, 0.26894142137, 0.5, 0.880797077978],
        [0.880797077978, 0.817574476194, 0.182425523806, 0.73105857863],
        [0.5, 0.851952801968, 0.320821300825, 0.5]]), "forward_info['O1']", rtol=1e-9)
    assert_close(got["P"], np.array([[0.910853443025], [-0.0665512445612], [-0.793494953524]]),
                 "forward_info['P']", rtol=1e-9)
    assert_close(got["loss"], 0.850800960815, tr("the loss from forward_loss"), rtol=1e-9)


@check("worked example: loss_gradients, each of the shape of its weight", points=1,
       hint=("dL/dP = -2 (y - P) / n; dL/dW2 = O1.T @ dL/dP (h, 1); dL/dB2 = dL/dP summed over the "
             "rows (1, 1); dL/dN1 = (dL/dP @ W2.T) * O1 * (1 - O1); dL/dW1 = X.T @ dL/dN1 (k, h); "
             "dL/dB1 = dL/dN1 summed over the rows with keepdims=True, (1, h), not one number."))
def test_visible_gradients(ex):
    M1 = X @ WEIGHTS["W1"]
    N1 = M1 + WEIGHTS["B1"]
    O1 = sigmoid(N1)
    M2 = O1 @ WEIGHTS["W2"]
    info = {"X": X, "M1": M1, "N1": N1, "O1": O1, "M2": M2, "P": M2 + WEIGHTS["B2"], "y": Y}

    def probe(m, info, weights):
        grads = m.loss_gradients(info, weights)
        return {key: grads[key] for key in NAMES}

    got = ex.learner(probe, info, WEIGHTS)
    want = {
        "W2": np.array([[0.094516672486], [-0.241871982966], [-0.192846089287],
                        [-0.0285745221883]]),
        "B2": np.array([[-0.299461836707]]),
        "W1": np.array([[0.201615977708, -0.19416031915, 0.0865198118618, 0.314013921738],
                        [0.0368501105843, -0.285859545199, 0.0532682473185, 0.21472727623]]),
        "B1": np.array([[-0.164211585717, 0.0552722974885, -0.0549707146699,
                         -0.149206390636]]),
    }
    suspects = {"B1": {
        tr("one number, every element of dL/dN1 summed: sum over the rows only and keep B1's "
           "shape (1, h), np.sum(dL_dN1, axis=0, keepdims=True)"): np.sum(want["B1"]),
        tr("a 1-D array (h,): sum with keepdims=True to keep B1's shape (1, h)"): want["B1"][0],
    }}
    for key in ("W2", "B2", "W1", "B1"):
        assert_close(got[key], want[key], f"loss_gradients(...)['{key}']", rtol=1e-9,
                     suspects=suspects.get(key))


@check("loss_gradients is the gradient of your forward_loss, numerically", points=1,
       hint=("Nudge one weight by a little: your loss must change by that much times your "
             "gradient. Follow the chain back from P through M2, O1 and N1. If the worked forward "
             "example fails, fix forward_loss first."))
def test_visible_gradients_numeric(ex):
    rng = ex.rng
    X_, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 1)) * 2
    weights = {"W1": rng.standard_normal((3, 4)), "B1": rng.standard_normal((1, 4)),
               "W2": rng.standard_normal((4, 1)), "B2": rng.standard_normal((1, 1))}

    def probe(m, X, y, weights, seed):
        _, info = m.forward_loss(X, y, weights)
        grads = m.loss_gradients(info, weights)
        return gradcheck.probe(
            forward=lambda **w: m.forward_loss(X, y, w)[0],
            inputs=weights,
            backward=lambda g: {key: g * grads[key] for key in NAMES},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, X_, y, weights, ex.seed), "loss_gradients")
