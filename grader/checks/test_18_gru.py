"""Checks for exercise 18: the GRU node, run over sequences by GRULayer.

GRULayer is exercise 16's RNNLayer (given finished) with GRUNodes, so a mistake
in 16 cannot fail these checks. Sizes differ everywhere (3 sequences of 5 steps,
4 input features, 5 hidden units, 3 outputs); weights are random normal times
0.4 and biases nonzero, so the gates are neither saturated nor linear; upstream
gradients are random normal, never ones.

The book's GRU computes the update gate from the reset gate's pre-activation, so
W_u is never used and the gates do not learn: a check changes W_u and W_r and
asks that the output move, then that every gate parameter's gradient is right.
The known-wrong results (suspects) come from the plain NumPy GRU below, with one
mistake at a time.
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
NAMES = ("W_v", "B_v", "W_h", "B_h", "W_r", "B_r", "W_u", "B_u")  # as backward meets them
GATES = ("W_r", "B_r", "W_u", "B_u", "W_h", "B_h")


# --------------------------------------------------------------------------- plain NumPy


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def random_params(rng):
    params = {}
    for gate in "ruh":
        params[f"W_{gate}"] = rng.standard_normal((N_IN + HIDDEN, HIDDEN)) * SCALE
        params[f"B_{gate}"] = rng.standard_normal((1, HIDDEN)) * SCALE
    params["W_v"] = rng.standard_normal((HIDDEN, N_OUT)) * SCALE
    params["B_v"] = rng.standard_normal((1, N_OUT)) * SCALE
    return params



FORWARD_BUGS = {
    "book": N_("the update gate computed from the reset gate's pre-activation, u = sigmoid("
               "[x_in, H_in] W_r + B_u) (the book's GRU, whose gates then never learn): the "
               "update gate has its own weights, u = sigmoid([x_in, H_in] W_u + B_u)"),
    "u_swapped": N_("the update gate's roles swapped, u * H_bar + (1 - u) * H_in: H_out = "
                    "u * H_in + (1 - u) * H_bar (u keeps the old state)"),
    "reset_after": N_("the reset gate applied after the matrix product, x_in W_h[:n_x] + "
                      "r * (H_in W_h[n_x:]): it multiplies H_in before, [x_in, r * H_in] W_h"),
    "no_reset": N_("H_bar from [x_in, H_in]: the reset gate is not applied, H_bar = "
                   "tanh([x_in, r * H_in] W_h + B_h)"),
    "gates_swapped": N_("the reset and update gates swapped: r = sigmoid(Z W_r + B_r), "
                        "u = sigmoid(Z W_u + B_u)"),
    "no_tanh": N_("H_bar without tanh: H_bar = tanh([x_in, r * H_in] W_h + B_h)"),
}


def node_forward(x, H, P, bug=""):
    """(x_out, H_out) of one step, with at most one known mistake."""
    n = x.shape[1]
    Z = np.concatenate([x, H], axis=1)
    r = sigmoid(Z @ P["W_r"] + P["B_r"])
    u = sigmoid(Z @ P["W_r" if bug == "book" else "W_u"] + P["B_u"])
    if bug == "gates_swapped":
        r, u = u, r
    if bug == "reset_after":
        A = x @ P["W_h"][:n] + r * (H @ P["W_h"][n:]) + P["B_h"]
    else:
        A = np.concatenate([x, H if bug == "no_reset" else r * H], axis=1) @ P["W_h"] + P["B_h"]
    H_bar = A if bug == "no_tanh" else np.tanh(A)
    H_out = u * H_bar + (1 - u) * H if bug == "u_swapped" else u * H + (1 - u) * H_bar
    return H_out @ P["W_v"] + P["B_v"], H_out


BACKWARD_BUGS = {
    "no_direct": N_("H_in's direct path dropped: H_out = u * H_in + (1 - u) * H_bar, so "
                    "H_in_grad includes dH * u"),
    "no_reset_path": N_("the path through r * H_in dropped from H_in_grad: add the gradient of "
                        "r * H_in times r"),
    "no_gate_paths": N_("H_in_grad without the paths through the gates: add the H_in part of "
                        "du W_u^T + dr W_r^T"),
    "x_gates_only": N_("x_in_grad through the gates only: x_in also feeds H_bar, add the x_in "
                       "part of dH_bar W_h^T"),
    "x_bar_only": N_("x_in_grad through H_bar only: x_in also feeds both gates, add the x_in "
                     "part of du W_u^T + dr W_r^T"),
    "no_H_grad": N_("H_out_grad ignored: dH = x_out_grad W_v^T + H_out_grad (the gradient from "
                    "the next step)"),
    "du_sign": N_("du with the wrong sign: d H_out / d u = H_in - H_bar"),
    "no_one_minus_u": N_("dH_bar without the factor (1 - u): H_out = u * H_in + (1 - u) * H_bar"),
    "dr_no_H": N_("dr without the factor H_in: the reset gate enters as r * H_in"),
    "sigmoid_skipped": N_("the gates' sigmoid' left out: multiply by u * (1 - u) and r * (1 - r)"),
    "tanh_skipped": N_("dH_bar without tanh' = 1 - H_bar**2"),
    "bias_mean": N_("the bias gradient averaged over the batch: sum it over axis 0 "
                    "(keepdims=True)"),
    "no_gates": N_("zero for every gate parameter, as in the book's GRU, where only W_v and B_v "
                   "learn: the gates' gradients must be added to W_r, B_r, W_u, B_u, W_h, B_h"),
}


def node_backward(x, H, P, gx, gH, bug=""):
    """(x_in_grad, H_in_grad, {name: deriv}) of one step, with at most one known mistake."""
    n = x.shape[1]
    Z = np.concatenate([x, H], axis=1)
    r = sigmoid(Z @ P["W_r"] + P["B_r"])
    u = sigmoid(Z @ P["W_u"] + P["B_u"])
    Z_h = np.concatenate([x, r * H], axis=1)
    H_bar = np.tanh(Z_h @ P["W_h"] + P["B_h"])
    H_out = u * H + (1 - u) * H_bar
    dH = gx @ P["W_v"].T + (0 if bug == "no_H_grad" else gH)
    gate = {"sigmoid_skipped": lambda g: 1.0}.get(bug, lambda g: g * (1 - g))
    du = dH * (H - H_bar) * gate(u) * (-1 if bug == "du_sign" else 1)
    dH_bar = dH * (1 if bug == "no_one_minus_u" else 1 - u) * (
        1 if bug == "tanh_skipped" else 1 - H_bar**2)
    dZ_h = dH_bar @ P["W_h"].T
    d_reset = dZ_h[:, n:]
    dr = d_reset * (1 if bug == "dr_no_H" else H) * gate(r)
    total = (lambda g: g.mean(axis=0, keepdims=True)) if bug == "bias_mean" else (
        lambda g: g.sum(axis=0, keepdims=True))
    grads = {"W_v": H_out.T @ gx, "B_v": total(gx)}
    for name, grad, inputs in (("u", du, Z), ("r", dr, Z), ("h", dH_bar, Z_h)):
        grads[f"W_{name}"] = inputs.T @ grad
        grads[f"B_{name}"] = total(grad)
        if bug == "no_gates":
            grads[f"W_{name}"], grads[f"B_{name}"] = 0 * grads[f"W_{name}"], 0 * grads[f"B_{name}"]
    dZ = du @ P["W_u"].T + dr @ P["W_r"].T
    x_grad = ({"x_gates_only": 0, "x_bar_only": 1}.get(bug, 1) * dZ_h[:, :n]
              + {"x_bar_only": 0}.get(bug, 1) * dZ[:, :n])
    H_grad = ({"no_gate_paths": 0}.get(bug, 1) * dZ[:, n:]
              + {"no_direct": 0}.get(bug, 1) * dH * u
              + {"no_reset_path": 0}.get(bug, 1) * d_reset * r)
    return x_grad, H_grad, grads


def layer_forward(X, H_0, P, bug=""):
    H, outs = H_0, []
    for t in range(X.shape[1]):
        out, H = node_forward(X[:, t], H, P, bug)
        outs.append(out)
    return np.stack(outs, axis=1)


def layer_backward(X, H_0, P, G, bug=""):
    """(x_seq_in_grad, H_0_grad, {name: deriv}); bug: "assign" (each deriv set, not added
    to: the first step's only) or a BACKWARD_BUGS key."""
    Hs = [H_0]
    for t in range(X.shape[1]):
        Hs.append(node_forward(X[:, t], Hs[-1], P)[1])
    grads = {name: np.zeros_like(value) for name, value in P.items()}
    x_grad = np.zeros(X.shape)
    H_grad = np.zeros(H_0.shape)
    for t in reversed(range(X.shape[1])):
        x_grad[:, t], H_grad, step = node_backward(X[:, t], Hs[t], P, G[:, t], H_grad,
                                                   "" if bug == "assign" else bug)
        for name in grads:
            grads[name] = step[name] if bug == "assign" else grads[name] + step[name]
    return x_grad, H_grad, grads


LAYER_BUGS = {
    "no_H_grad": N_("the hidden state's gradient not carried back through time: GRUNode."
                    "backward ignores H_out_grad, the gradient from the next step (dH = "
                    "x_out_grad W_v^T + H_out_grad)"),
    "assign": N_("the gradient of the first step only: `=` instead of `+=` when adding to "
                 "deriv, so each step's gradient replaces the ones before it"),
    **{bug: text for bug, text in BACKWARD_BUGS.items() if bug != "no_H_grad"},
}


# --------------------------------------------------------------------------- probes



def node_probe(m, x, H, P, gx, gH, calls):
    """forward, then `calls` backward calls on the same params."""
    params = param_dict(P)
    node = m.GRUNode()
    result = {}
    result["x_out"], result["H_out"] = node.forward(x.copy(), H.copy(), params)
    for _ in range(calls):
        result["x_grad"], result["H_grad"] = node.backward(gx.copy(), gH.copy(), params)
    result.update({f"d{name}": params[name]["deriv"] for name in P})
    return result


def new_layer(m, X, P):
    """A GRULayer whose params were made by its first forward, then set to P."""
    layer = m.GRULayer(HIDDEN, N_OUT, SCALE, 0)
    layer.forward(X.copy())
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


def layer_probe(m, X, H_0, P, G):
    layer = new_layer(m, X, P)
    result = {"out": layer.forward(X.copy(), H_0.copy())}
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
NODE = N_("GRUNode with x_in ({batch}, {n_in}), H_in ({batch}, {hidden}), {n_out} outputs")
LAYER = N_("GRULayer({hidden}, {n_out}) on x_seq_in ({batch}, {steps}, {n_in}) with H_0 "
           "({batch}, {hidden})")


def sized(template):
    """NODE or LAYER in the learner's language, with the sizes filled in."""
    return tr(template).format(**SIZES)



# --------------------------------------------------------------------------- the node


@check("GRUNode.forward: the reset and update gates, H_bar, H_out and x_out", points=2,
       hint=("With Z = [x_in, H_in] (np.concatenate(..., axis=1)): r = sigmoid(Z W_r + B_r), "
             "u = sigmoid(Z W_u + B_u), each gate with its own weights; H_bar = "
             "tanh([x_in, r * H_in] W_h + B_h), the reset gate applied to H_in before the "
             "product; H_out = u * H_in + (1 - u) * H_bar; x_out = H_out W_v + B_v."))
def test_node_forward(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    got, want = ex.both(node_probe, x, H, P, gx, gH, 0)
    wrong = {bug: node_forward(x, H, P, bug) for bug in FORWARD_BUGS}
    for i, name in ((1, "H_out"), (0, "x_out")):
        assert_close(got[name], want[name], tr("{name} from {what}").format(
                     name=name, what=sized(NODE)),
                     suspects={tr(FORWARD_BUGS[bug]): res[i] for bug, res in wrong.items()})


@check("GRUNode.backward: x_in_grad, H_in_grad and every parameter's gradient", points=3,
       hint=("dH = x_out_grad W_v^T + H_out_grad; du = dH (H_in - H_bar) u (1 - u); dH_bar = "
             "dH (1 - u) (1 - H_bar**2); dZ_h = dH_bar W_h^T, whose H part is the gradient of "
             "r * H_in, so dr = dZ_h[:, n_x:] H_in r (1 - r). H_in gets dH * u (directly), "
             "dZ_h[:, n_x:] * r (through r * H_in), and the H part of du W_u^T + dr W_r^T; x_in "
             "gets the x parts of dZ_h and of du W_u^T + dr W_r^T."))
def test_node_backward(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    got, want = ex.both(node_probe, x, H, P, gx, gH, 1)
    wrong = {bug: node_backward(x, H, P, gx, gH, bug) for bug in BACKWARD_BUGS}
    judge_grads(got, want, wrong, BACKWARD_BUGS, f"{sized(NODE)}: backward(x_out_grad, "
                "H_out_grad, params)", ("x_in_grad", "H_in_grad", "params"), NAMES)


@check("GRUNode.backward adds to each deriv (+=): the same weights serve every step", points=1,
       hint=("Every step uses the same parameters, so each step's gradient is added to "
             "params[name][\"deriv\"] with +=; `=` keeps only one step's gradient."))
def test_node_adds(ex):
    x, H, P, gx, gH = node_inputs(ex.rng)
    judge_adds(ex.learner(node_adds_probe, "GRUNode", x, H, P, gx, gH), P, NAMES,
               sized(NODE))


# --------------------------------------------------------------------------- the gates


@check("The gates learn: W_u and W_r change the output, and every gate gets its gradient",
       points=2,
       hint=("The book's GRU computes the update gate from the reset gate's pre-activation "
             "(X W_xr + H W_hr + B_u), so W_u is never used and no gate learns. Here u = "
             "sigmoid([x_in, H_in] W_u + B_u) has its own weights, and backward adds Z^T du to "
             "W_u, Z^T dr to W_r and Z_h^T dH_bar to W_h (the sums over the batch to the "
             "biases)."))
def test_gate_gradients(ex):
    X, H_0, P, G = layer_inputs(ex.rng)
    D = {name: ex.rng.standard_normal(P[name].shape) * 0.1 for name in ("W_u", "W_r")}

    def probe(m, X, H_0, P, G, D):
        result = layer_probe(m, X, H_0, P, G)
        for name, step in D.items():
            layer = new_layer(m, X, {**P, name: P[name] + step})
            result[f"moved_{name}"] = np.max(np.abs(layer.forward(X.copy(), H_0.copy())
                                                    - result["out"]))
        return result

    got, want = ex.both(probe, X, H_0, P, G, D)
    if got["moved_W_u"] == 0:
        fail(tr("Changing W_u does not change the output of {layer}: W_u is never used. The "
                "update gate is computed from the reset gate's pre-activation, as in the book's "
                "GRU (whose gates then never learn): u = sigmoid([x_in, H_in] W_u + B_u) has its "
                "own weights W_u.").format(layer=sized(LAYER)))
    if got["moved_W_r"] == 0:
        fail(tr("Changing W_r does not change the output of {layer}: the reset gate r = "
                "sigmoid([x_in, H_in] W_r + B_r) is never used; it enters H_bar = "
                "tanh([x_in, r * H_in] W_h + B_h).").format(layer=sized(LAYER)))
    for name in GATES:
        deriv = got[f"d{name}"]
        if deriv.shape == P[name].shape and not np.any(deriv):
            fail(tr('layer.params["{name}"]["deriv"] is zero everywhere after forward and '
                    "backward of {layer}: no gradient reaches this gate, so it never learns (as "
                    "in the book's GRU, where only W_v and B_v learn).").format(
                        name=name, layer=sized(LAYER)))
    wrong = {bug: layer_backward(X, H_0, P, G, bug) for bug in LAYER_BUGS}
    judge_grads(got, want, wrong, LAYER_BUGS,
                tr("{layer}: forward, then backward(x_seq_out_grad)").format(layer=sized(LAYER)),
                ("", "", "layer.params"), GATES)


# --------------------------------------------------------------------------- the layer


@check("GRULayer.forward runs the GRU node over the sequence", points=1,
       hint=("GRULayer is exercise 16's RNNLayer with GRUNodes: if the node's forward passes "
             "its check, look at what forward keeps between steps: H_out is the next step's "
             "H_in."))
def test_layer_forward(ex):
    X, H_0, P, _ = layer_inputs(ex.rng)
    got, want = ex.both(layer_probe, X, H_0, P, None)
    assert_close(got["out"], want["out"], f"{sized(LAYER)}: forward(x_seq_in, H_0)",
                 suspects={tr(FORWARD_BUGS[bug]): layer_forward(X, H_0, P, bug)
                           for bug in FORWARD_BUGS})


@check("GRULayer.backward: x_seq_in's gradient, H_0_grad and every parameter's gradient",
       points=2,
       hint=("The layer's backward runs GRUNode.backward from the last step to the first, "
             "passing each step's H_in_grad back as the H_out_grad of the step before: every "
             "path from H_in to H_out (directly through u * H_in, through r * H_in and "
             "through both gates) must be in H_in_grad."))
def test_layer_backward(ex):
    X, H_0, P, G = layer_inputs(ex.rng)
    got, want = ex.both(layer_probe, X, H_0, P, G)
    wrong = {bug: layer_backward(X, H_0, P, G, bug) for bug in LAYER_BUGS}
    judge_grads(got, want, wrong, LAYER_BUGS,
                tr("{layer}: forward, then backward(x_seq_out_grad)").format(layer=sized(LAYER)),
                ("x_seq_in_grad", "layer.H_0_grad", "layer.params"), NAMES)


@check("GRULayer carries the hidden state's gradient back through time", points=2,
       hint=("A gradient at the last step must reach every earlier step through the hidden "
             "state: GRUNode.backward adds H_out_grad to x_out_grad W_v^T, and its H_in_grad "
             "holds every path from H_in to H_out."))
def test_through_time(ex):
    X, H_0, P, G = layer_inputs(ex.rng)
    G[:, :-1] = 0  # only the last step's output has a gradient
    got, want = ex.both(layer_probe, X, H_0, P, G)
    what = tr("{layer}: backward of an output gradient at the last step only (random normal "
              "there, zeros elsewhere)").format(layer=sized(LAYER))
    if got["x_grad"].shape == want["x_grad"].shape and not np.any(got["x_grad"][:, :-1]):
        cause = tr(LAYER_BUGS["no_H_grad"])
        fail(tr("x_seq_in_grad from {what} is zero at every step but the last: no gradient "
                "reaches the earlier steps. {cause}.").format(
                    what=what, cause=cause[0].upper() + cause[1:]))
    wrong = {bug: layer_backward(X, H_0, P, G, bug) for bug in LAYER_BUGS}
    for key, label in (("x_grad", "x_seq_in_grad"), ("H_grad", "layer.H_0_grad")):
        assert_close(got[key], want[key], tr("{name} from {what}").format(name=label, what=what),
                     suspects={tr(LAYER_BUGS[bug]): res[0 if key == "x_grad" else 1]
                               for bug, res in wrong.items()})


# --------------------------------------------------------------------------- numerical


def numeric_probe(m, X, H_0, P, seed, wrt):
    return layer_gradient_probe(m, new_layer, X, H_0, P, seed, wrt)


def numeric_inputs(rng):
    X = rng.standard_normal((BATCH, STEPS, N_IN))
    H_0 = np.tanh(rng.standard_normal((BATCH, HIDDEN)))
    return X, H_0, random_params(rng)


@check("GRULayer's parameter gradients agree with numerical ones", points=2,
       hint=("Each deriv must be the gradient of sum(forward(x_seq_in, H_0) * x_seq_out_grad) "
             "for that parameter, with your own forward: if W_u's is wrong, is W_u used in "
             "forward? Is each gate's gradient added to its own W and B?"))
def test_numeric_params(ex):
    X, H_0, P = numeric_inputs(ex.rng)
    gradcheck.verify(ex.learner(numeric_probe, X, H_0, P, ex.seed, "params"),
                     tr("{layer}: forward, then backward").format(layer=sized(LAYER)))


@check("GRULayer's gradients for x_seq_in and H_0 agree with numerical ones", points=2,
       hint=("x_in and H_in each reach H_out along several paths (the gates, H_bar, and for "
             "H_in also directly through u * H_in): GRUNode.backward must add them all."))
def test_numeric_inputs(ex):
    X, H_0, P = numeric_inputs(ex.rng)
    gradcheck.verify(ex.learner(numeric_probe, X, H_0, P, ex.seed, "inputs"),
                     tr("{layer}: forward, then backward").format(layer=sized(LAYER)))
