"""Visible checks for exercise 18: a worked example and gradient checks, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. The gradient checks
compare your own backward with numerical derivatives of your own forward.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 2, 3, 2, 3, 2


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def as_params(P):
    return {name: {"value": np.array(value, dtype=float), "deriv": np.zeros(np.shape(value))}
            for name, value in P.items()}


def random_params(rng):
    params = {}
    for gate in "ruh":
        params[f"W_{gate}"] = rng.standard_normal((N_IN + HIDDEN, HIDDEN)) * 0.4
        params[f"B_{gate}"] = rng.standard_normal((1, HIDDEN)) * 0.4
    params["W_v"] = rng.standard_normal((HIDDEN, N_OUT)) * 0.4
    params["B_v"] = rng.standard_normal((1, N_OUT)) * 0.4
    return params


@check("worked example: GRUNode.forward, one step with one input and one hidden unit",
       points=1,
       hint=("Z = [x_in, H_in]; r = sigmoid(Z W_r + B_r) and u = sigmoid(Z W_u + B_u), each with "
             "its own weights; H_bar = tanh([x_in, r * H_in] W_h + B_h); H_out = u * H_in + "
             "(1 - u) * H_bar; x_out = H_out W_v + B_v. Here Z W + B is 1 for r and -0.5 for u."))
def test_visible_node_forward(ex):
    x, H = np.array([[2.0]]), np.array([[-1.0]])
    P = {"W_r": [[0.5], [0.0]], "B_r": [[0.0]], "W_u": [[0.0], [1.0]], "B_u": [[0.5]],
         "W_h": [[0.25], [0.5]], "B_h": [[0.0]], "W_v": [[2.0]], "B_v": [[-1.0]]}

    def probe(m, x, H, P):
        x_out, H_out = m.GRUNode().forward(x, H, as_params(P))
        return {"x_out": x_out, "H_out": H_out}

    got = ex.learner(probe, x, H, P)
    r, u = sigmoid(1.0), sigmoid(-0.5)  # by hand, from Z = [2, -1]
    H_bar = np.tanh(0.25 * 2 + 0.5 * (r * -1))
    H_out = u * -1 + (1 - u) * H_bar
    book_u = sigmoid(1.5)  # the book's update gate: Z W_r + B_u
    what = tr("GRUNode().forward(x_in, H_in, params) with x_in = 2, H_in = -1")
    assert_close(got["H_out"], np.array([[H_out]]),
                 tr("{name} from {what}").format(name="H_out", what=what), suspects={
        tr("the update gate from the reset gate's weights, u = sigmoid(Z W_r + B_u), as in the "
           "book: u has its own W_u"): np.array([[book_u * -1 + (1 - book_u) * H_bar]]),
        tr("u * H_bar + (1 - u) * H_in: the update gate's roles swapped"):
            np.array([[u * H_bar + (1 - u) * -1]]),
        tr("H_bar from [x_in, H_in]: the reset gate is not applied"):
            np.array([[u * -1 + (1 - u) * np.tanh(0.5 - 0.5)]])})
    assert_close(got["x_out"], np.array([[2 * H_out - 1]]),
                 tr("{name} from {what}").format(name="x_out", what=what))


@check("GRUNode's gradients agree with numerical ones of your forward", points=1,
       hint=("dH = x_out_grad @ W_v.T + H_out_grad; du = dH (H_in - H_bar) u (1 - u); dH_bar = "
             "dH (1 - u) (1 - H_bar**2); dZ_h = dH_bar @ W_h.T, whose H part dR gives dr = dR "
             "H_in r (1 - r). H_in gets dH * u, dR * r and the H part of du W_u^T + dr W_r^T; "
             "x_in the x parts of dZ_h and of du W_u^T + dr W_r^T."))
def test_visible_node_gradients(ex):
    x = ex.rng.standard_normal((BATCH, N_IN))
    H = np.tanh(ex.rng.standard_normal((BATCH, HIDDEN)))
    P = random_params(ex.rng)

    def probe(m, x, H, P, seed):
        first = []

        def forward(x, H, **values):
            params = as_params(values)
            node = m.GRUNode()
            x_out, H_out = node.forward(x, H, params)
            if not first:
                first.append((node, params))
            return np.concatenate([x_out, H_out], axis=1)

        def backward(g):
            node, params = first[0]
            x_in_grad, H_in_grad = node.backward(g[:, :N_OUT], g[:, N_OUT:], params)
            return {"x": x_in_grad, "H": H_in_grad,
                    **{name: np.array(params[name]["deriv"]) for name in params}}

        return gradcheck.probe(forward, {"x": x, "H": H, **P}, backward, seed)

    gradcheck.verify(ex.learner(probe, x, H, P, ex.seed),
                     tr('GRUNode.backward (x_in, H_in and params[name]["deriv"])'))


def new_layer(m, X, P):
    """A GRULayer whose params were made by its first forward, then set to P."""
    layer = m.GRULayer(HIDDEN, N_OUT, 0.4, 0)
    layer.forward(X.copy())
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


@check("GRULayer: the output's shape, and parameter gradients through time that agree with "
       "numerical ones", points=1,
       hint=("GRULayer runs your GRUNode at every step with the same params: each backward "
             "must ADD its gradients (+=) to params[name][\"deriv\"], and its H_in_grad is the "
             "H_out_grad of the step before."))
def test_visible_layer(ex):
    X = ex.rng.standard_normal((BATCH, STEPS, N_IN))
    H_0 = np.tanh(ex.rng.standard_normal((BATCH, HIDDEN)))
    P = random_params(ex.rng)

    def probe(m, X, H_0, P, seed):
        layers = []

        def forward(**values):
            layer = new_layer(m, X, values)
            layers.append(layer)
            return layer.forward(X.copy(), H_0.copy())

        def backward(G):
            layer = layers[0]
            layer.backward(G)
            return {name: np.array(layer.params[name]["deriv"], dtype=float) for name in P}

        shape = np.array(m.GRULayer(HIDDEN, N_OUT).forward(X.copy()).shape)
        return {"shape": shape, **gradcheck.probe(forward, P, backward, seed)}

    got = ex.learner(probe, X, H_0, P, ex.seed)
    shape = tuple(int(n) for n in got.pop("shape"))
    if shape != (BATCH, STEPS, N_OUT):
        fail(tr("GRULayer({hidden}, {n_out}).forward(x_seq_in) for x_seq_in {x_shape} has "
                "shape {shape}; expected {want}").format(
                    hidden=HIDDEN, n_out=N_OUT, x_shape=X.shape, shape=shape,
                    want=(BATCH, STEPS, N_OUT)))
    gradcheck.verify(got, tr('GRULayer({hidden}, {n_out}) on x_seq_in {x_shape}: forward, then '
                             'backward (layer.params[name]["deriv"])').format(
                                 hidden=HIDDEN, n_out=N_OUT, x_shape=X.shape))
