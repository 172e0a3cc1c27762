"""Checks for exercise 16: RNNNode, RNNLayer and backpropagation through time.

Sizes differ everywhere (3 sequences of 5 steps, 4 input features, 5 hidden
units, 3 outputs), so a slice or a matrix taken for another cannot fit. Weights
are random normal times 0.4 and biases are nonzero, so tanh is neither saturated
nor linear; upstream gradients are random normal, never ones.

A layer's parameters are chosen by the check: the probe lets the layer make them
(one forward), then sets each "value" in place. The known-wrong results
(suspects) come from the plain NumPy RNN below, with one mistake at a time.
"""
import numpy as np

from grader import N_, assert_close, check, fail, gradcheck, tr
from grader.visible.recurrent import (
    judge_adds,
    judge_grads,
    layer_gradient_probe,
    node_adds_probe,
    one_hot,
    param_dict,
)

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 3, 5, 4, 5, 3
SCALE = 0.4
NAMES = ("W_v", "B_v", "W_f", "B_f")  # in the order backward meets them


# --------------------------------------------------------------------------- plain NumPy


def random_params(rng):
    return {"W_f": rng.standard_normal((N_IN + HIDDEN, HIDDEN)) * SCALE,
            "B_f": rng.standard_normal((1, HIDDEN)) * SCALE,
            "W_v": rng.standard_normal((HIDDEN, N_OUT)) * SCALE,
            "B_v": rng.standard_normal((1, N_OUT)) * SCALE}



def node_forward(x, H, P):
    Z = np.concatenate([x, H], axis=1)
    A = Z @ P["W_f"] + P["B_f"]
    H_out = np.tanh(A)
    return H_out @ P["W_v"] + P["B_v"], H_out


NODE_BUGS = {
    "tanh_pre": N_("tanh' taken from the pre-activation A = [x_in, H_in] W_f + B_f as if it "
                   "were tanh's output, 1 - A**2: tanh' is 1 - H_out**2, from the output"),
    "tanh_twice": N_("tanh' applied twice, dH * (1 - H_out**2)**2: multiply by it once"),
    "tanh_skipped": N_("dH not multiplied by tanh' = 1 - H_out**2"),
    "no_H_grad": N_("H_out_grad ignored: the hidden state's gradient is x_out_grad W_v^T + "
                    "H_out_grad (the gradient from the next step)"),
    "no_x_path": N_("x_out_grad not sent back into the hidden state: dH = x_out_grad W_v^T + "
                    "H_out_grad"),
    "swapped": N_("the x_in and H_in parts of dZ swapped: x_in_grad is dZ[:, :n_x] (the first "
                  "x_in.shape[1] columns, as in [x_in, H_in]), H_in_grad is dZ[:, n_x:]"),
    "split_hidden": N_("dZ split at the hidden size instead of at n_x = x_in.shape[1]"),
    "bias_mean": N_("the bias gradient averaged over the batch: sum it over axis 0 "
                    "(keepdims=True)"),
    "bias_unsummed": N_("the bias gradient not summed over the batch (one row per sequence): "
                        "sum it over axis 0 (keepdims=True)"),
}


def node_backward(x, H, P, gx, gH, bug=""):
    """(x_in_grad, H_in_grad, {name: deriv}) of one step, with at most one known mistake."""
    Z = np.concatenate([x, H], axis=1)
    A = Z @ P["W_f"] + P["B_f"]
    H_out = np.tanh(A)
    dH = (0 if bug == "no_x_path" else gx @ P["W_v"].T) + (0 if bug == "no_H_grad" else gH)
    tanh_grad = {"tanh_pre": 1 - A**2, "tanh_twice": (1 - H_out**2) ** 2,
                 "tanh_skipped": 1.0}.get(bug, 1 - H_out**2)
    dA = dH * tanh_grad
    sums = {"bias_mean": lambda g: g.mean(axis=0, keepdims=True),
            "bias_unsummed": lambda g: g}.get(bug, lambda g: g.sum(axis=0, keepdims=True))
    grads = {"W_v": H_out.T @ gx, "B_v": sums(gx), "W_f": Z.T @ dA, "B_f": sums(dA)}
    dZ = dA @ P["W_f"].T
    n = {"split_hidden": H.shape[1]}.get(bug, x.shape[1])
    if bug == "swapped":
        return dZ[:, n:], dZ[:, :n], grads
    return dZ[:, :n], dZ[:, n:], grads


def layer_forward(X, H_0, P, bug=""):
    """The layer's output; bug "no_carry": every step starts from H_0."""
    H, outs = H_0, []
    for t in range(X.shape[1]):
        out, H_next = node_forward(X[:, t], H, P)
        outs.append(out)
        H = H_0 if bug == "no_carry" else H_next
    return np.stack(outs, axis=1)


def layer_backward(X, H_0, P, G, bug=""):
    """(x_seq_in_grad, H_0_grad, {name: deriv}). bug: "truncated" (the hidden gradient reset
    to zero at every step), "assign" (each deriv set, not added to: the first step's only),
    or a NODE_BUGS key."""
    Hs = [H_0]
    for t in range(X.shape[1]):
        Hs.append(node_forward(X[:, t], Hs[-1], P)[1])
    grads = {name: np.zeros_like(value) for name, value in P.items()}
    x_grad = np.zeros(X.shape)
    H_grad = np.zeros(H_0.shape)
    for t in reversed(range(X.shape[1])):
        carried = np.zeros(H_0.shape) if bug == "truncated" else H_grad
        x_grad[:, t], H_grad, step = node_backward(X[:, t], Hs[t], P, G[:, t], carried,
                                                   bug if bug in NODE_BUGS else "")
        for name in grads:
            grads[name] = step[name] if bug == "assign" else grads[name] + step[name]
    return x_grad, H_grad, grads


LAYER_BUGS = {
    "truncated": N_("the hidden state's gradient not carried back through time: each step's "
                    "H_in_grad must be the H_out_grad of the step before (your result is the "
                    "gradient with H_grad reset to zero at every step)"),
    "assign": N_("the gradient of the first step only: `=` instead of `+=` when adding to "
                 "deriv, so each step's gradient replaces the ones before it"),
    **{bug: text for bug, text in NODE_BUGS.items()  # those that keep every shape
       if bug not in ("no_H_grad", "swapped", "split_hidden", "bias_unsummed")},
}


# --------------------------------------------------------------------------- probes



def node_probe(m, x, H, P, gx, gH, calls):
    """forward, then `calls` backward calls on the same params."""
    params = param_dict(P)
    node = m.RNNNode()
    result = {}
    result["x_out"], result["H_out"] = node.forward(x.copy(), H.copy(), params)
    for _ in range(calls):
        result["x_grad"], result["H_grad"] = node.backward(gx.copy(), gH.copy(), params)
    result.update({f"d{name}": params[name]["deriv"] for name in P})
    return result


def new_layer(m, X, P):
    """A layer whose params were made by its first forward, then set to P."""
    layer = m.RNNLayer(HIDDEN, N_OUT, SCALE, 0)
    layer.forward(X.copy())
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


def layer_probe(m, X, H_0, P, G):
    layer = new_layer(m, X, P)
    result = {"out_none": layer.forward(X.copy())}
    result["out"] = layer.forward(X.copy(), H_0.copy())
    if G is not None:
        result["x_grad"] = layer.backward(G.copy())
        result["H_grad"] = layer.H_0_grad
        result.update({f"d{name}": layer.params[name]["deriv"] for name in P})
    return result


def node_inputs(rng):
    x = rng.standard_normal((BATCH, N_IN))
    H = np.tanh(rng.standard_normal((BATCH, HIDDEN)))
    return x, H, random_params(rng), rng.standard_normal((BATCH, N_OUT)), \
        rng.standard_normal((BATCH, HIDDEN))


def layer_inputs(rng):
    X = one_hot(rng, (BATCH, STEPS, N_IN))
    H_0 = np.tanh(rng.standard_normal((BATCH, HIDDEN)))
    return X, H_0, random_params(rng), rng.standard_normal((BATCH, STEPS, N_OUT))


SIZES = {"batch": BATCH, "steps": STEPS, "n_in": N_IN, "hidden": HIDDEN, "n_out": N_OUT}
LAYER_NAME = f"RNNLayer({HIDDEN}, {N_OUT})"


def node_text():
    """The node the checks run, in words."""
    return tr("RNNNode with x_in ({batch}, {n_in}), H_in ({batch}, {hidden}), {n_out} "
              "outputs").format(**SIZES)


def layer_text(H_0=True):
    """The layer the checks run and its input, in words; with H_0 or not."""
    if H_0:
        return tr("RNNLayer({hidden}, {n_out}) on x_seq_in ({batch}, {steps}, {n_in}) with H_0 "
                  "({batch}, {hidden})").format(**SIZES)
    return tr("RNNLayer({hidden}, {n_out}) on x_seq_in ({batch}, {steps}, {n_in})").format(
        **SIZES)



# --------------------------------------------------------------------------- the node


@check("RNNNode.forward: H_out = tanh([x_in, H_in] W_f + B_f), x_out = H_out W_v + B_v",
       points=2,
       hint=("Concatenate along the features, Z = np.concatenate([x_in, H_in], axis=1) "
             "(batch, input_size + hidden_size); H_out = np.tanh(Z @ W_f + B_f); x_out = "
             "H_out @ W_v + B_v, with each weight read as params[name][\"value\"]. Return "
             "(x_out, H_out) and keep Z and H_out for backward."))
def test_node_forward(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    got, want = ex.both(node_probe, x, H, P, gx, gH, 0)
    Z = np.concatenate([x, H], axis=1)
    A = Z @ P["W_f"] + P["B_f"]
    H_out = np.tanh(A)
    swapped = np.tanh(np.concatenate([H, x], axis=1) @ P["W_f"] + P["B_f"])
    assert_close(got["H_out"], want["H_out"],
                 tr("{name} from {what}").format(name="H_out", what=node_text()), suspects={
        tr("[x_in, H_in] W_f + B_f without tanh"): A,
        tr("tanh([x_in, H_in] W_f): B_f is not added"): np.tanh(Z @ P["W_f"]),
        tr("tanh([H_in, x_in] W_f + B_f): concatenate x_in first, [x_in, H_in]"): swapped,
    })
    assert_close(got["x_out"], want["x_out"],
                 tr("{name} from {what}").format(name="x_out", what=node_text()), suspects={
        tr("A W_v + B_v, from the pre-activation A: x_out uses H_out = tanh(A)"):
            A @ P["W_v"] + P["B_v"],
        tr("H_out W_v: B_v is not added"): H_out @ P["W_v"],
    })


@check("RNNNode.backward: x_in_grad, H_in_grad and every parameter's gradient", points=3,
       hint=("dH = x_out_grad @ W_v.T + H_out_grad; dA = dH * (1 - H_out**2) (tanh' from the "
             "output); W_v gets H_out.T @ x_out_grad, B_v the sum of x_out_grad over the "
             "batch, W_f gets Z.T @ dA, B_f the sum of dA over the batch. dZ = dA @ W_f.T: "
             "x_in_grad = dZ[:, :n_x], H_in_grad = dZ[:, n_x:] with n_x = x_in.shape[1]."))
def test_node_backward(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    got, want = ex.both(node_probe, x, H, P, gx, gH, 1)
    wrong = {bug: node_backward(x, H, P, gx, gH, bug) for bug in NODE_BUGS}
    judge_grads(got, want, wrong, NODE_BUGS, f"{node_text()}: backward(x_out_grad, H_out_grad, "
                "params)", ("x_in_grad", "H_in_grad", "params"), NAMES)


@check("RNNNode.backward adds to each deriv (+=): the same weights serve every step", points=1,
       hint=("Every step uses the same W_f, B_f, W_v, B_v, so each step's gradient is added "
             "to params[name][\"deriv\"] with +=; `=` keeps only one step's gradient."))
def test_node_adds(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    judge_adds(ex.learner(node_adds_probe, "RNNNode", x, H, P, gx, gH), P, NAMES,
               node_text())


# --------------------------------------------------------------------------- the layer


@check("RNNLayer.forward: each step's H_out is the next step's H_in, starting from H_0",
       points=2,
       hint=("H = H_0 (zeros (batch, hidden_size) when H_0 is None); for each step t: "
             "out[:, t, :], H = node.forward(x_seq_in[:, t, :], H, self.params), with a new "
             "node per step kept in self.nodes."))
def test_layer_forward(ex):
    X, H_0, P, _ = layer_inputs(ex.rng)
    got, want = ex.both(layer_probe, X, H_0, P, None)
    zeros = np.zeros_like(H_0)
    assert_close(got["out"], want["out"], f"{layer_text()}: forward(x_seq_in, H_0)", suspects={
        tr("the output from zeros: H_0 is ignored; the hidden state starts as H_0 when given"):
            layer_forward(X, zeros, P),
        tr("every step started from H_0: the H_out of step t must be the H_in of step t + 1"):
            layer_forward(X, H_0, P, "no_carry"),
    })
    assert_close(got["out_none"], want["out_none"],
                 tr("{layer}: forward(x_seq_in) without H_0 (expected: as from zeros)").format(
                     layer=layer_text(H_0=False)), suspects={
                     tr("every step started from zeros: the H_out of step t must be the H_in "
                        "of step t + 1"): layer_forward(X, zeros, P, "no_carry")})


@check("RNNLayer.backward: x_seq_in's gradient, H_0_grad and every parameter's gradient",
       points=3,
       hint=("Set every deriv to zero, H_grad = zeros (batch, hidden_size); for t from the "
             "last step to the first: x_seq_in_grad[:, t, :], H_grad = self.nodes[t].backward("
             "x_seq_out_grad[:, t, :], H_grad, self.params). What is left in H_grad is "
             "self.H_0_grad."))
def test_layer_backward(ex):
    X, H_0, P, G = layer_inputs(ex.rng)
    got, want = ex.both(layer_probe, X, H_0, P, G)
    wrong = {bug: layer_backward(X, H_0, P, G, bug) for bug in LAYER_BUGS}
    judge_grads(got, want, wrong, LAYER_BUGS,
                tr("{layer}: forward, then backward(x_seq_out_grad)").format(layer=layer_text()),
                ("x_seq_in_grad", "layer.H_0_grad", "layer.params"), NAMES)


@check("RNNLayer.backward carries the hidden state's gradient back through time", points=2,
       hint=("A gradient at the last step must reach every earlier step through the hidden "
             "state: pass the H_in_grad each node returns as the H_out_grad of the node before "
             "it, and let RNNNode.backward add H_out_grad to x_out_grad @ W_v.T."))
def test_through_time(ex):
    X, H_0, P, G = layer_inputs(ex.rng)
    G[:, :-1] = 0  # only the last step's output has a gradient
    got, want = ex.both(layer_probe, X, H_0, P, G)
    truncated = layer_backward(X, H_0, P, G, "truncated")
    dropped = tr("The hidden state's gradient is not carried back through time: each step's "
                 "H_in_grad must be the H_out_grad of the step before")
    what = tr("{layer}: backward of an output gradient at the last step only (random normal "
              "there, zeros elsewhere)").format(layer=layer_text())
    if got["x_grad"].shape == want["x_grad"].shape and not np.any(got["x_grad"][:, :-1]):
        fail(tr("x_seq_in_grad from {what} is zero at every step but the last: no gradient "
                "reaches the earlier steps. {dropped}.").format(what=what, dropped=dropped))
    assert_close(got["x_grad"], want["x_grad"],
                 tr("{name} from {what}").format(name="x_seq_in_grad", what=what),
                 suspects={tr(LAYER_BUGS["truncated"]): truncated[0]})
    assert_close(got["H_grad"], want["H_grad"],
                 tr("{label} after {what}").format(label="layer.H_0_grad", what=what),
                 suspects={tr("zero: nothing reaches H_0. {dropped}").format(dropped=dropped):
                           truncated[1]})


@check("RNNLayer.backward clears the gradients: each batch gets its own", points=2,
       hint=("backward starts by setting every params[name][\"deriv\"] to zero (for example "
             "param[\"deriv\"][...] = 0); otherwise a batch's gradient is added to the ones "
             "of the batches before it."))
def test_cleared(ex):
    X1, H1, P, G1 = layer_inputs(ex.rng)
    X2, H2, _, G2 = layer_inputs(ex.rng)

    def probe(m, X1, H1, G1, X2, H2, G2, P):
        def derivs(layer, X, H_0, G):
            layer.forward(X.copy(), H_0.copy())
            layer.backward(G.copy())
            return [np.array(layer.params[name]["deriv"], dtype=float) for name in P]

        layer = new_layer(m, X1, P)
        first = derivs(layer, X1, H1, G1)
        second = derivs(layer, X2, H2, G2)
        alone = derivs(new_layer(m, X2, P), X2, H2, G2)
        result = {}
        for i, name in enumerate(P):
            result.update({f"first{name}": first[i], f"second{name}": second[i],
                           f"alone{name}": alone[i]})
        return result

    got = ex.learner(probe, X1, H1, G1, X2, H2, G2, P)
    for name in NAMES:
        alone = got[f"alone{name}"]
        if alone.shape == P[name].shape and not np.any(alone):
            fail(tr('layer.params["{name}"]["deriv"] is zero after forward and backward of a '
                    "batch on a new {layer}: backward must fill it.").format(
                name=name, layer=LAYER_NAME))
        assert_close(got[f"second{name}"], alone,
                     tr('layer.params["{name}"]["deriv"] after forward and backward of a first '
                        "batch, then of a second (expected: what a new layer gives for the "
                        "second batch alone)").format(name=name),
                     suspects={tr("the sum of both batches' gradients: the gradients are not "
                                  "cleared between batches (set every deriv to zero at the "
                                  "start of backward)"): got[f"first{name}"] + alone}
                     if got[f"first{name}"].shape == alone.shape else None)


def numeric_probe(m, X, H_0, P, seed, wrt):
    return layer_gradient_probe(m, new_layer, X, H_0, P, seed, wrt)


def numeric_inputs(rng):
    X = rng.standard_normal((BATCH, STEPS, N_IN))
    H_0 = np.tanh(rng.standard_normal((BATCH, HIDDEN)))
    return X, H_0, random_params(rng)


@check("RNNLayer's parameter gradients agree with numerical ones", points=2,
       hint=("Each deriv must be the gradient of sum(forward(x_seq_in, H_0) * x_seq_out_grad) "
             "for that parameter, with your own forward: the sum over every step, the hidden "
             "state's gradient carried back from step to step."))
def test_numeric_params(ex):
    X, H_0, P = numeric_inputs(ex.rng)
    gradcheck.verify(ex.learner(numeric_probe, X, H_0, P, ex.seed, "params"),
                     tr("{layer}: forward, then backward").format(layer=layer_text()))


@check("RNNLayer's gradients for x_seq_in and H_0 agree with numerical ones", points=2,
       hint=("backward returns the gradient of sum(forward(x_seq_in, H_0) * x_seq_out_grad) "
             "for x_seq_in, and keeps the one for H_0 as self.H_0_grad: the H_in_grad of the "
             "first step, after the gradient has come back through every step."))
def test_numeric_inputs(ex):
    X, H_0, P = numeric_inputs(ex.rng)
    gradcheck.verify(ex.learner(numeric_probe, X, H_0, P, ex.seed, "inputs"),
                     tr("{layer}: forward, then backward").format(layer=layer_text()))
