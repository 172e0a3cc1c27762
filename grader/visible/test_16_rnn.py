"""Visible checks for exercise 16: a worked example, shapes and gradient checks, no reference
needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. The gradient checks
compare your own backward with numerical derivatives of your own forward.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr
from grader.visible.recurrent import layer_gradient_probe, param_dict

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 2, 3, 3, 4, 2
NAMES = ("W_f", "B_f", "W_v", "B_v")


def new_layer(m, X, P):
    """A layer whose params were made by its first forward, then set to P."""
    layer = m.RNNLayer(HIDDEN, N_OUT, 0.4, 0)
    layer.forward(X.copy())
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


@check("worked example: RNNNode.forward, H_out = tanh([x_in, H_in] W_f + B_f), "
       "x_out = H_out W_v + B_v", points=1,
       hint=("Z = np.concatenate([x_in, H_in], axis=1), x_in first; H_out = tanh(Z @ W_f + "
             "B_f); x_out = H_out @ W_v + B_v, each weight read as params[name][\"value\"]. "
             "Here the first row's pre-activation is [0.5, -0.25]. Return (x_out, H_out)."))
def test_visible_node_forward(ex):
    x = np.array([[1.0, 0.0], [0.0, 2.0]])
    H = np.array([[0.5, -0.5], [0.0, 1.0]])
    P = {"W_f": np.array([[0.1, 0.2], [0.3, -0.1], [0.2, 0.0], [-0.4, 0.5]]),
         "B_f": np.array([[0.1, -0.2]]),
         "W_v": np.array([[1.0], [-2.0]]),
         "B_v": np.array([[0.5]])}

    def probe(m, x, H, P):
        x_out, H_out = m.RNNNode().forward(x.copy(), H.copy(), param_dict(P))
        return {"x_out": x_out, "H_out": H_out}

    got = ex.learner(probe, x, H, P)
    H_out = np.tanh(np.array([[0.5, -0.25], [0.3, 0.1]]))  # [x, H] W_f + B_f, by hand
    what = tr("RNNNode().forward(x_in, H_in, params) with x_in = [[1, 0], [0, 2]], H_in = "
              "[[0.5, -0.5], [0, 1]]")
    assert_close(got["H_out"], H_out, tr("{name} from {what}").format(name="H_out", what=what),
                 suspects={
        tr("[x_in, H_in] W_f + B_f without tanh"): np.array([[0.5, -0.25], [0.3, 0.1]]),
        tr("Z = [H_in, x_in]: concatenate x_in first"): np.tanh(np.array([[0.2, -0.05],
                                                                          [-0.4, 0.7]]))})
    assert_close(got["x_out"], H_out @ P["W_v"] + P["B_v"],
                 tr("{name} from {what}").format(name="x_out", what=what))


@check("RNNLayer: shapes, H_0 = None starts from zeros, backward clears the gradients",
       points=1,
       hint=("forward gives (batch, steps, output_size), starting from zeros when H_0 is None; "
             "backward returns x_seq_in's gradient (x_seq_in's shape), keeps self.H_0_grad "
             "(batch, hidden_size), and sets every deriv to zero before adding the steps' "
             "gradients, so a second backward gives the same derivs."))
def test_visible_layer(ex):
    X = ex.rng.standard_normal((BATCH, STEPS, N_IN))
    G = ex.rng.standard_normal((BATCH, STEPS, N_OUT))

    def probe(m, X, G):
        layer = m.RNNLayer(HIDDEN, N_OUT, 0.4, 0)
        out = {"out": layer.forward(X.copy()),
               "zeros": layer.forward(X.copy(), np.zeros((BATCH, HIDDEN)))}
        out["x_grad"] = layer.backward(G.copy())
        out["H_0_grad"] = layer.H_0_grad
        out.update({f"first {name}": np.array(layer.params[name]["deriv"]) for name in NAMES})
        layer.backward(G.copy())
        out.update({f"second {name}": np.array(layer.params[name]["deriv"]) for name in NAMES})
        out.update({f"shape {name}": np.array(layer.params[name]["value"].shape)
                    for name in NAMES})
        return out

    got = ex.learner(probe, X, G)
    layer = tr("RNNLayer({hidden}, {n_out}) on x_seq_in ({batch}, {steps}, {n_in})").format(
        hidden=HIDDEN, n_out=N_OUT, batch=BATCH, steps=STEPS, n_in=N_IN)
    for key, shape in (("out", (BATCH, STEPS, N_OUT)), ("x_grad", X.shape),
                       ("H_0_grad", (BATCH, HIDDEN))):
        if got[key].shape != shape:
            label = {"out": "forward(x_seq_in)", "x_grad": "backward(x_seq_out_grad)",
                     "H_0_grad": "layer.H_0_grad"}[key]
            fail(tr("{label} of {layer} has shape {got}; expected {shape}").format(
                label=label, layer=layer, got=got[key].shape, shape=shape))
    assert_close(got["out"], got["zeros"], tr("forward(x_seq_in) of {layer} (expected: the same "
                                              "as forward(x_seq_in, zeros))").format(layer=layer))
    for name in NAMES:
        assert_close(got[f"second {name}"], got[f"first {name}"],
                     tr('layer.params["{name}"]["deriv"] after a second backward (expected: the '
                        "same as after the first)").format(name=name), suspects={
                         tr("twice the first: deriv is not set to zero at the start of "
                            "backward"): 2 * got[f"first {name}"]})


def numeric_probe(m, X, H_0, P, seed, wrt):
    return layer_gradient_probe(m, new_layer, X, H_0, P, seed, wrt)


@check("RNNLayer's gradients agree with numerical ones of your forward", points=1,
       hint=("Each gradient is that of sum(forward(x_seq_in, H_0) * x_seq_out_grad): go from the "
             "last step to the first, pass each node's H_in_grad on as the H_out_grad of the "
             "node before, and add (+=) every step's parameter gradients. In the node, dH = "
             "x_out_grad @ W_v.T + H_out_grad and tanh' = 1 - H_out**2."))
def test_visible_gradients(ex):
    X = ex.rng.standard_normal((BATCH, STEPS, N_IN))
    H_0 = np.tanh(ex.rng.standard_normal((BATCH, HIDDEN)))
    P = {"W_f": ex.rng.standard_normal((N_IN + HIDDEN, HIDDEN)) * 0.4,
         "B_f": ex.rng.standard_normal((1, HIDDEN)) * 0.4,
         "W_v": ex.rng.standard_normal((HIDDEN, N_OUT)) * 0.4,
         "B_v": ex.rng.standard_normal((1, N_OUT)) * 0.4}

    def probe(m, X, H_0, P, seed):
        return {**{f"params.{k}": v for k, v in numeric_probe(m, X, H_0, P, seed,
                                                              "params").items()},
                **{f"inputs.{k}": v for k, v in numeric_probe(m, X, H_0, P, seed + 1,
                                                              "inputs").items()}}

    got = ex.learner(probe, X, H_0, P, ex.seed)
    what = tr("{layer}: forward, then backward").format(layer=f"RNNLayer({HIDDEN}, {N_OUT})")
    for part in ("params", "inputs"):
        gradcheck.verify({k.split(".", 1)[1]: v for k, v in got.items()
                          if k.startswith(f"{part}.")}, what)
