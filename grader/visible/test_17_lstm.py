"""Visible checks for exercise 17: a worked example and gradient checks, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. The gradient checks
compare your own backward with numerical derivatives of your own forward.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 2, 3, 2, 3, 2
GATES = ("f", "i", "c", "o")
PARAM_NAMES = [f"{kind}_{gate}" for gate in GATES + ("v",) for kind in "WB"]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def as_params(P):
    return {name: {"value": np.array(value, dtype=float), "deriv": np.zeros(np.shape(value))}
            for name, value in P.items()}


def make_params(rng):
    shapes = {}
    for gate in GATES:
        shapes[f"W_{gate}"], shapes[f"B_{gate}"] = (N_IN + HIDDEN, HIDDEN), (1, HIDDEN)
    shapes["W_v"], shapes["B_v"] = (HIDDEN, N_OUT), (1, N_OUT)
    return {name: 0.5 * rng.standard_normal(shapes[name]) for name in PARAM_NAMES}


@check("worked example: LSTMNode.forward, one step with one input and one hidden unit",
       points=1,
       hint=("Z = [x_in, H_in] (x_in first); f, i and o are sigmoids of Z W + B with their own "
             "W and B, the candidate C_bar is tanh(Z W_c + B_c); C_out = f * C_in + i * C_bar, "
             "H_out = o * tanh(C_out), x_out = H_out W_v + B_v. Here Z W + B is 1 for f, -1 "
             "for i, 0.5 for the candidate and 0 for o."))
def test_visible_node_forward(ex):
    x, H, C = np.array([[2.0]]), np.array([[-1.0]]), np.array([[0.5]])
    P = {"W_f": [[0.5], [0.0]], "B_f": [[0.0]], "W_i": [[0.0], [1.0]], "B_i": [[0.0]],
         "W_c": [[0.25], [0.0]], "B_c": [[0.0]], "W_o": [[0.0], [0.0]], "B_o": [[0.0]],
         "W_v": [[2.0]], "B_v": [[-1.0]]}

    def probe(m, x, H, C, P):
        x_out, H_out, C_out = m.LSTMNode().forward(x, H, C, as_params(P))
        return {"x_out": x_out, "H_out": H_out, "C_out": C_out}

    got = ex.learner(probe, x, H, C, P)
    f, i, C_bar, o = sigmoid(1.0), sigmoid(-1.0), np.tanh(0.5), 0.5  # by hand, from Z = [2, -1]
    C_out = f * 0.5 + i * C_bar
    H_out = o * np.tanh(C_out)
    what = tr("LSTMNode().forward(x_in, H_in, C_in, params) with x_in = 2, H_in = -1, "
              "C_in = 0.5")
    assert_close(got["C_out"], np.array([[C_out]]),
                 tr("{name} from {what}").format(name="C_out", what=what), suspects={
        tr("the forget and input gates swapped (W_f with W_i)"):
            np.array([[i * 0.5 + f * C_bar]]),
        tr("the candidate through a sigmoid: C_bar = tanh(Z W_c + B_c)"):
            np.array([[f * 0.5 + i * sigmoid(0.5)]])})
    assert_close(got["H_out"], np.array([[H_out]]),
                 tr("{name} from {what}").format(name="H_out", what=what), suspects={
        tr("H_out = o * C_out: tanh is missing"): np.array([[o * C_out]])})
    assert_close(got["x_out"], np.array([[2 * H_out - 1]]),
                 tr("{name} from {what}").format(name="x_out", what=what))


@check("LSTMNode's gradients agree with numerical ones of your forward", points=1,
       hint=("dH = x_out_grad @ W_v.T + H_out_grad; dC = dH * o * (1 - tanh(C_out)**2) + "
             "C_out_grad. Pre-activations: f: dC * C_in * f * (1 - f); i: dC * C_bar * i * "
             "(1 - i); candidate: dC * i * (1 - C_bar**2); o: dH * tanh(C_out) * o * (1 - o). "
             "dZ sums each of them @ W_gate.T; C_in_grad = dC * f."))
def test_visible_node_gradients(ex):
    x = ex.rng.standard_normal((BATCH, N_IN))
    H, C = 0.5 * ex.rng.standard_normal((BATCH, HIDDEN)), ex.rng.standard_normal((BATCH, HIDDEN))
    P = make_params(ex.rng)

    def probe(m, x, H, C, P, seed):
        first = []

        def forward(x, H, C, **values):
            params = as_params(values)
            node = m.LSTMNode()
            x_out, H_out, C_out = node.forward(x, H, C, params)
            if not first:
                first.append((node, params))
            return np.concatenate([x_out, H_out, C_out], axis=1)

        def backward(g):
            node, params = first[0]
            gx, gH, gC = g[:, :N_OUT], g[:, N_OUT:N_OUT + HIDDEN], g[:, N_OUT + HIDDEN:]
            x_in_grad, H_in_grad, C_in_grad = node.backward(gx, gH, gC, params)
            return {"x": x_in_grad, "H": H_in_grad, "C": C_in_grad,
                    **{name: np.array(params[name]["deriv"]) for name in params}}

        return gradcheck.probe(forward, {"x": x, "H": H, "C": C, **P}, backward, seed)

    gradcheck.verify(ex.learner(probe, x, H, C, P, ex.seed),
                     tr('LSTMNode.backward (x_in, H_in, C_in and params[name]["deriv"])'))


def new_layer(m, X, P):
    """A fresh LSTMLayer: a first forward makes its params, then they are set to P."""
    layer = m.LSTMLayer(HIDDEN, N_OUT, weight_scale=0.5, seed=0)
    layer.forward(X)
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


@check("LSTMLayer: shapes, and gradients through time that agree with numerical ones",
       points=1,
       hint=("forward gives (batch, steps, output_size), H and C starting as H_0 and C_0 and "
             "passed from step to step. backward sets every deriv to zero, then goes from the "
             "last step to the first, passing both H_in_grad and C_in_grad on to the step "
             "before; what reaches the first step is H_0_grad and C_0_grad."))
def test_visible_layer(ex):
    X = ex.rng.standard_normal((BATCH, STEPS, N_IN))
    H0, C0 = 0.5 * ex.rng.standard_normal((BATCH, HIDDEN)), ex.rng.standard_normal((BATCH, HIDDEN))
    P = make_params(ex.rng)

    def probe(m, X, H0, C0, P, seed):
        first = []
        inputs = {"x_seq_in": X, "H_0": H0, "C_0": C0, **P}

        def forward(**args):
            layer = new_layer(m, args["x_seq_in"], {name: args[name] for name in P})
            out = layer.forward(args["x_seq_in"], args["H_0"], args["C_0"])
            if not first:
                first.append(layer)
            return out

        def backward(g):
            layer = first[0]
            x_grad = layer.backward(g)
            return {"x_seq_in": x_grad, "H_0": layer.H_0_grad, "C_0": layer.C_0_grad,
                    **{name: np.array(layer.params[name]["deriv"]) for name in P}}

        shape = np.array(m.LSTMLayer(HIDDEN, N_OUT).forward(X).shape)
        return {"shape": shape, **gradcheck.probe(forward, inputs, backward, seed)}

    got = ex.learner(probe, X, H0, C0, P, ex.seed)
    shape = tuple(int(n) for n in got.pop("shape"))
    if shape != (BATCH, STEPS, N_OUT):
        fail(tr("LSTMLayer({hidden}, {n_out}).forward(x_seq_in) for x_seq_in {x_shape} has "
                "shape {shape}; expected {want}: (batch, steps, output_size)").format(
                    hidden=HIDDEN, n_out=N_OUT, x_shape=X.shape, shape=shape,
                    want=(BATCH, STEPS, N_OUT)))
    gradcheck.verify(got, tr("LSTMLayer({hidden}, {n_out}) on x_seq_in {x_shape}: forward, then "
                             "backward").format(hidden=HIDDEN, n_out=N_OUT, x_shape=X.shape))
