"""Checks for exercise 17: LSTMNode (one step) and LSTMLayer (backpropagation through time).

new_params comes from exercise 16's reference (given finished). Every batch has 3
rows, every sequence 5 steps, and the sizes all differ (input 3, hidden 4, output 2),
so one size standing in for another fails. Weights and biases are random normal
times 0.5 (the gates are not saturated), H_0 and C_0 are not zero, and every
upstream gradient is random normal, never all ones.

The known-wrong results (suspects) come from a plain NumPy LSTM written here, with a
switch for each known mistake: `node_forward`, `node_backward`, `layer_forward` and
`layer_backward`. The numerical checks differentiate the learner's own forward. The
checks of carrying gradients back through time and of clearing them between batches
compare the layer with the learner's own nodes and a fresh layer, so a mistake inside
LSTMNode does not fail them too.
"""
from itertools import permutations

import numpy as np

from grader import N_, assert_close, check, gradcheck, tr

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 3, 5, 3, 4, 2
SCALE = 0.5
GATES = ("f", "i", "c", "o")
ROLE = {"f": N_("the forget gate f"), "i": N_("the input gate i"),
        "c": N_("the candidate C_bar"), "o": N_("the output gate o")}
PARAM_NAMES = [f"{kind}_{gate}" for gate in GATES + ("v",) for kind in "WB"]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# --------------------------------------------------------------------------- plain NumPy


def node_forward(x, H, C, P, mistake=None):
    """One LSTM step; mistake is None, a forward mistake's key, or a gate order
    (a permutation of "fico": the parameters each of f, i, c, o is computed with)."""
    order = mistake if mistake in _ORDERS else "fico"
    Z = np.concatenate([H, x] if mistake == "Z_swapped" else [x, H], axis=1)
    pre = {role: Z @ P[f"W_{g}"] + P[f"B_{g}"] for role, g in zip(GATES, order, strict=True)}
    f, i, o = sigmoid(pre["f"]), sigmoid(pre["i"]), sigmoid(pre["o"])
    C_bar = sigmoid(pre["c"]) if mistake == "cand_sigmoid" else np.tanh(pre["c"])
    C_out = f * C + i * C_bar
    tanh_C = np.tanh(C_out)
    H_out = o * (C_out if mistake == "no_tanh" else tanh_C)
    x_out = H_out @ P["W_v"] + P["B_v"]
    return {"Z": Z, "f": f, "i": i, "c": C_bar, "o": o, "a_c": pre["c"], "C_in": C,
            "C_out": C_out, "tanh_C": tanh_C, "H_out": H_out, "x_out": x_out}


_ORDERS = ["".join(p) for p in permutations("fico") if "".join(p) != "fico"]

FORWARD_MISTAKES = {
    "no_tanh": N_("H_out = o * C_out: tanh is missing, H_out = o * tanh(C_out)"),
    "cand_sigmoid": N_("the candidate through a sigmoid: C_bar = tanh(Z W_c + B_c), only the "
                       "gates f, i and o are sigmoids"),
    "Z_swapped": N_("Z = [H_in, x_in]: concatenate x_in first, Z = [x_in, H_in]"),
}


def forward_mistakes():
    """Each forward mistake's key -> its description, in the learner's language; a gate
    order's description is built here."""
    described = {key: tr(desc) for key, desc in FORWARD_MISTAKES.items()}
    for order in _ORDERS:
        swaps = ", ".join(tr("{role} computed with W_{g}, B_{g}").format(role=tr(ROLE[role]), g=g)
                          for role, g in zip(GATES, order, strict=True) if role != g)
        described[order] = tr("the gates in the wrong order: {swaps} (each gate has its own "
                              "W_gate, B_gate)").format(swaps=swaps)
    return described


def node_backward(s, P, gx, gH, gC, mistake=None):
    """The gradients of one step (state s from node_forward), with one known mistake."""
    W = P
    dH = (0 if mistake == "no_gx" else gx @ W["W_v"].T) + (0 if mistake == "no_gH" else gH)
    tanh_d = {
        "tanh_tanh": 1 - np.tanh(s["tanh_C"]) ** 2,
        "tanh_sq_C": 1 - s["C_out"] ** 2,
        "tanh_d_twice": (1 - s["tanh_C"] ** 2) ** 2,
        "no_tanh_d": 1.0,
    }.get(mistake, 1 - s["tanh_C"] ** 2)
    dC = dH * s["o"] * tanh_d + (0 if mistake == "drop_gC" else gC)
    if mistake == "gC_inside":
        dC = (dH * s["o"] + gC) * (1 - s["tanh_C"] ** 2)
    cand_d = {
        "cand_sq_pre": 1 - s["a_c"] ** 2,
        "cand_tanh_tanh": 1 - np.tanh(s["c"]) ** 2,
        "cand_no_d": 1.0,
    }.get(mistake, 1 - s["c"] ** 2)

    def sig_d(g):
        return 1.0 if mistake == "no_sigmoid_d" else g * (1 - g)

    pre = {
        "f": dC * s["C_in"] * sig_d(s["f"]),
        "i": dC * s["c"] * sig_d(s["i"]),
        "c": dC * s["i"] * cand_d,
        "o": (dC if mistake == "o_from_dC" else dH) * s["tanh_C"] * sig_d(s["o"]),
    }
    grads = {"W_v": s["H_out"].T @ gx, "B_v": gx.sum(axis=0, keepdims=True)}
    dZ = np.zeros_like(s["Z"])
    for g in GATES:
        grads[f"W_{g}"] = s["Z"].T @ pre[g]
        grads[f"B_{g}"] = pre[g].sum(axis=0, keepdims=True)
        dZ += pre[g] @ W[f"W_{g}"].T
    C_in_grad = {
        "no_f": dC,
        "zero_C": np.zeros_like(dC),
        "only_gC": gC * s["f"],
    }.get(mistake, dC * s["f"])
    n_x = s["Z"].shape[1] - s["H_out"].shape[1]
    return {"x_in_grad": dZ[:, :n_x], "H_in_grad": dZ[:, n_x:], "C_in_grad": C_in_grad,
            **grads}


BACKWARD_MISTAKES = {
    "zero_C": N_("C_in_grad zero: the f * dC term is missing (C_out = f * C_in + i * C_bar, so "
                 "C_in_grad = f * dC)"),
    "no_f": N_("C_in_grad = dC: the f in the f * dC term is missing (C_out = f * C_in + "
               "i * C_bar, so C_in_grad = f * dC)"),
    "only_gC": N_("C_in_grad = f * C_out_grad: the f * dC term uses only C_out_grad; dC also "
                  "has the part through H_out, dH * o * (1 - tanh(C_out)**2)"),
    "drop_gC": N_("C_out_grad dropped: the cell state's gradient dC = dH * o * "
                  "(1 - tanh(C_out)**2) + C_out_grad"),
    "gC_inside": N_("C_out_grad multiplied by o * (1 - tanh(C_out)**2) too: only dH goes "
                    "through H_out = o * tanh(C_out); add C_out_grad after"),
    "tanh_tanh": N_("tanh applied twice: with tanh_C = tanh(C_out) stored, tanh'(C_out) = "
                    "1 - tanh_C**2, not 1 - tanh(tanh_C)**2"),
    "tanh_sq_C": N_("tanh' computed as 1 - C_out**2: the formula 1 - y**2 takes tanh's output "
                    "y = tanh(C_out), not the pre-activation C_out"),
    "tanh_d_twice": N_("tanh' applied twice: (1 - tanh(C_out)**2) multiplies dH * o once"),
    "no_tanh_d": N_("tanh' missing from dC: dC = dH * o * (1 - tanh(C_out)**2) + C_out_grad"),
    "cand_sq_pre": N_("the candidate's tanh' computed from its pre-activation a as 1 - a**2: "
                      "it is 1 - C_bar**2 with C_bar = tanh(a)"),
    "cand_tanh_tanh": N_("the candidate's tanh' as 1 - tanh(C_bar)**2: C_bar is already tanh's "
                         "output, so the derivative is 1 - C_bar**2"),
    "cand_no_d": N_("the candidate's tanh' (1 - C_bar**2) missing"),
    "o_from_dC": N_("the output gate's gradient from dC: o only reaches H_out = o * "
                    "tanh(C_out), so it is dH * tanh(C_out) * o * (1 - o)"),
    "no_sigmoid_d": N_("the gates' sigmoid derivative s * (1 - s) missing"),
    "no_gx": N_("x_out_grad @ W_v.T not added to dH: H_out feeds x_out = H_out W_v + B_v too"),
    "no_gH": N_("H_out_grad dropped: dH = x_out_grad @ W_v.T + H_out_grad"),
}


def layer_forward(X, H0, C0, P, mistake=None, node_mistake=None):
    """The output sequence and each step's state, with one known mistake of the layer's
    (mistake) or of every step (node_mistake)."""
    H, C = {"zeros": (np.zeros_like(H0), np.zeros_like(C0)),
            "HC_swapped": (C0, H0)}.get(mistake, (H0, C0))
    out, states = np.zeros((X.shape[0], X.shape[1], P["W_v"].shape[1])), []
    for t in range(X.shape[1]):
        s = node_forward(X[:, t], H, C, P, node_mistake)
        states.append(s)
        out[:, t] = s["x_out"]
        H = H if mistake == "H_fixed" else s["H_out"]
        C = C if mistake == "C_fixed" else s["C_out"]
    return out, states


LAYER_FORWARD_MISTAKES = {
    "H_fixed": N_("every step starts from H_0: pass each step's H_out on as the next step's H_in"),
    "C_fixed": N_("every step starts from C_0: pass each step's C_out on as the next step's C_in"),
    "zeros": N_("H_0 and C_0 ignored (zeros): H and C start as the H_0 and C_0 given"),
    "HC_swapped": N_("H_0 and C_0 swapped: H starts as H_0, C as C_0"),
}


def layer_backward(X, H0, C0, P, G, mistake=None, node_mistake=None):
    """Backpropagation through time, with one known mistake of the layer's (mistake) or
    of every step's backward (node_mistake)."""
    _, states = layer_forward(X, H0, C0, P)
    derivs = {name: np.zeros_like(value) for name, value in P.items()}
    H_grad, C_grad = np.zeros_like(H0), np.zeros_like(C0)
    x_grad = np.zeros(X.shape)
    steps = range(X.shape[1]) if mistake == "forward_order" else reversed(range(X.shape[1]))
    for t in steps:
        g = node_backward(states[t], P, G[:, t],
                          0 * H_grad if mistake in ("no_H", "no_HC") else H_grad,
                          0 * C_grad if mistake in ("no_C", "no_HC") else C_grad,
                          node_mistake)
        x_grad[:, t], H_grad, C_grad = g["x_in_grad"], g["H_in_grad"], g["C_in_grad"]
        for name in derivs:
            derivs[name] = g[name] if mistake == "assign" else derivs[name] + g[name]
    if mistake == "swap_0":
        H_grad, C_grad = C_grad, H_grad
    return {"x_seq_in_grad": x_grad, "H_0_grad": H_grad, "C_0_grad": C_grad, **derivs}


LAYER_BACKWARD_MISTAKES = {
    "no_H": N_("the hidden state's gradient not carried back through time: each step's "
               "H_in_grad must be the previous step's H_out_grad"),
    "no_C": N_("the cell state's gradient not carried back through time: each step's "
               "C_in_grad must be the previous step's C_out_grad"),
    "no_HC": N_("neither the hidden nor the cell state's gradient carried back through time: "
                "each step's H_in_grad and C_in_grad go to the previous step's node"),
    "forward_order": N_("the steps gone through from the first to the last: backpropagation "
                        "through time runs from the last step back to the first"),
    "assign": N_("the first step's gradient only: each step overwrote deriv (=) instead of "
                 "adding to it (+=)"),
    "swap_0": N_("H_0_grad and C_0_grad swapped: after the loop the hidden state's gradient is "
                 "H_0_grad and the cell state's is C_0_grad"),
}


# --------------------------------------------------------------------------- inputs


def make_params(rng):
    shapes = {}
    for gate in GATES:
        shapes[f"W_{gate}"], shapes[f"B_{gate}"] = (N_IN + HIDDEN, HIDDEN), (1, HIDDEN)
    shapes["W_v"], shapes["B_v"] = (HIDDEN, N_OUT), (1, N_OUT)
    return {name: SCALE * rng.standard_normal(shapes[name]) for name in PARAM_NAMES}


def step_inputs(rng):
    """x, H, C, P and the three upstream gradients of one step."""
    x = rng.standard_normal((BATCH, N_IN))
    H, C = SCALE * rng.standard_normal((BATCH, HIDDEN)), rng.standard_normal((BATCH, HIDDEN))
    P = make_params(rng)
    gx, gH, gC = (rng.standard_normal((BATCH, n)) for n in (N_OUT, HIDDEN, HIDDEN))
    return x, H, C, P, gx, gH, gC


def sequence_inputs(rng):
    """X, H_0, C_0, P and an upstream gradient of the output sequence."""
    X = rng.standard_normal((BATCH, STEPS, N_IN))
    H0 = SCALE * rng.standard_normal((BATCH, HIDDEN))
    C0 = rng.standard_normal((BATCH, HIDDEN))
    return X, H0, C0, make_params(rng), rng.standard_normal((BATCH, STEPS, N_OUT))


def as_params(P):
    return {name: {"value": value.copy(), "deriv": np.zeros_like(value)}
            for name, value in P.items()}


def new_layer(m, X, P):
    """A fresh LSTMLayer: a first forward makes its params, then they are set to P."""
    layer = m.LSTMLayer(HIDDEN, N_OUT, weight_scale=SCALE, seed=0)
    layer.forward(X)
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    return layer


def derivs_of(params):
    return {f"deriv {name}": np.array(params[name]["deriv"]) for name in PARAM_NAMES}


# --------------------------------------------------------------------------- LSTMNode


def node_forward_probe(m, x, H, C, P):
    x_out, H_out, C_out = m.LSTMNode().forward(x, H, C, as_params(P))
    return {"x_out": x_out, "H_out": H_out, "C_out": C_out}


@check("LSTMNode.forward: the gates, C_out, H_out and x_out of one step", points=3,
       hint=("With Z = [x_in, H_in] (x_in first): f = sigmoid(Z W_f + B_f), i = sigmoid(Z W_i "
             "+ B_i), C_bar = tanh(Z W_c + B_c), o = sigmoid(Z W_o + B_o); C_out = f * C_in + "
             "i * C_bar, H_out = o * tanh(C_out), x_out = H_out W_v + B_v. Return (x_out, "
             "H_out, C_out)."))
def test_node_forward(ex):
    x, H, C, P, *_ = step_inputs(ex.rng)
    got, want = ex.both(node_forward_probe, x, H, C, P)
    wrong = {desc: node_forward(x, H, C, P, key) for key, desc in forward_mistakes().items()}
    for key in ("C_out", "H_out", "x_out"):
        assert_close(got[key], want[key],
                     tr("LSTMNode().forward(x_in, H_in, C_in, params)'s {key}").format(key=key),
                     suspects={desc: s[key] for desc, s in wrong.items()})


def node_backward_probe(m, x, H, C, P, gx, gH, gC):
    params = as_params(P)
    node = m.LSTMNode()
    node.forward(x, H, C, params)
    x_in_grad, H_in_grad, C_in_grad = node.backward(gx, gH, gC, params)
    return {"x_in_grad": x_in_grad, "H_in_grad": H_in_grad, "C_in_grad": C_in_grad,
            **derivs_of(params)}


def judge_node_backward(ex, keys):
    x, H, C, P, gx, gH, gC = step_inputs(ex.rng)
    got, want = ex.both(node_backward_probe, x, H, C, P, gx, gH, gC)
    s = node_forward(x, H, C, P)
    wrong = {tr(desc): node_backward(s, P, gx, gH, gC, key)
             for key, desc in BACKWARD_MISTAKES.items()}
    for key in keys:
        name = key.removeprefix("deriv ")
        what = (tr('params["{name}"]["deriv"] after one LSTMNode.backward').format(name=name)
                if name != key else
                tr("LSTMNode.backward(x_out_grad, H_out_grad, C_out_grad, params)'s {key}"
                   ).format(key=key))
        suspects = {desc: g[name] for desc, g in wrong.items()}
        if name.startswith("B"):
            suspects[tr("the bias gradient averaged over the batch: sum it over the rows")] = (
                want[key] / BATCH)
        assert_close(got[key], want[key], what, suspects=suspects)


@check("LSTMNode.backward: x_in_grad, H_in_grad and C_in_grad", points=3,
       hint=("dH = x_out_grad @ W_v.T + H_out_grad; dC = dH * o * (1 - tanh(C_out)**2) + "
             "C_out_grad. The pre-activations' gradients: f: dC * C_in * f * (1 - f); i: dC * "
             "C_bar * i * (1 - i); candidate: dC * i * (1 - C_bar**2); o: dH * tanh(C_out) * o "
             "* (1 - o). dZ sums each of them @ W_gate.T; x_in_grad and H_in_grad are dZ's "
             "first N_in and last hidden columns, and C_in_grad = dC * f."))
def test_node_backward(ex):
    judge_node_backward(ex, ("x_in_grad", "H_in_grad", "C_in_grad"))


@check("LSTMNode.backward: every parameter's deriv", points=3,
       hint=("dH = x_out_grad @ W_v.T + H_out_grad; dC = dH * o * (1 - tanh(C_out)**2) + "
             "C_out_grad. The pre-activations' gradients: f: dC * C_in * f * (1 - f); i: dC * "
             "C_bar * i * (1 - i); candidate: dC * i * (1 - C_bar**2); o: dH * tanh(C_out) * o "
             "* (1 - o). dZ sums each of them @ W_gate.T; x_in_grad and H_in_grad are dZ's "
             "first N_in and last hidden columns, and C_in_grad = dC * f. Each W_gate's "
             "gradient is Z.T @ (its pre-activation's gradient), each B_gate's that gradient "
             "summed over the rows; W_v's is H_out.T @ x_out_grad, B_v's x_out_grad summed "
             "over the rows."))
def test_node_param_derivs(ex):
    judge_node_backward(ex, [f"deriv {name}" for name in PARAM_NAMES])


@check("LSTMNode.backward adds to each deriv (+=), never overwrites it", points=1,
       hint=("The same params serve every step of a sequence, so each step's backward ADDS "
             "its gradient to params[name][\"deriv\"] (+=): called twice, it doubles."))
def test_node_accumulates(ex):
    x, H, C, P, gx, gH, gC = step_inputs(ex.rng)

    def probe(m, x, H, C, P, gx, gH, gC):
        params = as_params(P)
        node = m.LSTMNode()
        node.forward(x, H, C, params)
        node.backward(gx, gH, gC, params)
        once = derivs_of(params)
        node.backward(gx, gH, gC, params)
        return {**{f"once {k}": v for k, v in once.items()},
                **{f"twice {k}": v for k, v in derivs_of(params).items()}}

    got = ex.learner(probe, x, H, C, P, gx, gH, gC)
    for name in PARAM_NAMES:
        once = got[f"once deriv {name}"]
        assert_close(got[f"twice deriv {name}"], 2 * once,
                     tr('params["{name}"]["deriv"] after the same LSTMNode.backward twice '
                        "(expected: twice its value after one call)").format(name=name),
                     suspects={
                         tr("its value after one call: deriv was overwritten (=) instead of "
                            "added to (+=)"): once,
                         tr("zeros: deriv was reset by the second call"): np.zeros_like(once)})


@check("LSTMNode's gradients agree with numerical ones", points=2,
       hint=("Your backward must be the derivative of your own forward, for x_in, H_in, C_in "
             "and every parameter, with all three upstream gradients (x_out's, H_out's and "
             "C_out's) random."))
def test_node_numeric(ex):
    x, H, C, P, *_ = step_inputs(ex.rng)

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
                    **{name: params[name]["deriv"].copy() for name in params}}

        return gradcheck.probe(forward, {"x": x, "H": H, "C": C, **P}, backward, seed)

    gradcheck.verify(ex.learner(probe, x, H, C, P, ex.seed),
                     tr('LSTMNode.backward (x_in, H_in, C_in and params[name]["deriv"])'))


# --------------------------------------------------------------------------- LSTMLayer


@check("LSTMLayer.forward runs the nodes over the sequence, carrying H and C", points=2,
       hint=("H and C start as H_0 and C_0 (zeros of (batch, hidden_size) when None). At each "
             "step t: out[:, t, :], H, C = node.forward(x_seq_in[:, t, :], H, C, "
             "self.params), one new LSTMNode per step kept in self.nodes."))
def test_layer_forward(ex):
    X, H0, C0, P, _ = sequence_inputs(ex.rng)

    def probe(m, X, H0, C0, P):
        layer = new_layer(m, X, P)
        default = layer.forward(X)
        return {"default": default, "out": layer.forward(X, H0, C0)}

    got, want = ex.both(probe, X, H0, C0, P)
    zeros = np.zeros_like(H0)
    suspects = {tr(desc): layer_forward(X, H0, C0, P, key)[0]
                for key, desc in LAYER_FORWARD_MISTAKES.items()}
    suspects.update({tr("LSTMNode.forward with {desc}").format(desc=desc):
                     layer_forward(X, H0, C0, P, None, key)[0]
                     for key, desc in forward_mistakes().items()})
    assert_close(got["out"], want["out"], "LSTMLayer.forward(x_seq_in, H_0, C_0)",
                 suspects=suspects)
    assert_close(got["default"], want["default"], tr("LSTMLayer.forward(x_seq_in) without H_0 "
                 "and C_0 (they start as zeros)"), suspects={
                     tr("every step starts from zeros: pass each step's H_out and C_out on"):
                         layer_forward(X, zeros, zeros, P, "H_fixed")[0]})


def layer_backward_probe(m, X, H0, C0, P, G):
    layer = new_layer(m, X, P)
    layer.forward(X, H0, C0)
    x_grad = layer.backward(G)
    return {"x_seq_in_grad": x_grad, "H_0_grad": layer.H_0_grad, "C_0_grad": layer.C_0_grad,
            **derivs_of(layer.params)}


def judge_layer_backward(got, want, X, H0, C0, P, G, what):
    wrong = {tr(desc): layer_backward(X, H0, C0, P, G, key)
             for key, desc in LAYER_BACKWARD_MISTAKES.items()}
    wrong.update({tr("LSTMNode.backward with {desc}").format(desc=tr(desc)):
                  layer_backward(X, H0, C0, P, G, None, key)
                  for key, desc in BACKWARD_MISTAKES.items()})
    for key in ["x_seq_in_grad", "H_0_grad", "C_0_grad"] + [f"deriv {n}" for n in PARAM_NAMES]:
        name = key.removeprefix("deriv ")
        label = (f"layer.params[\"{name}\"][\"deriv\"]" if name != key
                 else tr("the returned x_seq_in_grad") if key == "x_seq_in_grad"
                 else f"layer.{key}")
        assert_close(got[key], want[key], tr("{label} after {what}").format(label=label, what=what),
                     suspects={desc: g[name] for desc, g in wrong.items()})


@check("LSTMLayer.backward: x_seq_in_grad, H_0_grad, C_0_grad and every deriv", points=3,
       hint=("Zero every deriv, then go through the nodes from the last step to the first: "
             "x_seq_in_grad[:, t, :], H_grad, C_grad = self.nodes[t].backward("
             "x_seq_out_grad[:, t, :], H_grad, C_grad, self.params), with H_grad and C_grad "
             "zeros at the last step. What is left at the end is H_0_grad and C_0_grad."))
def test_layer_backward(ex):
    X, H0, C0, P, G = sequence_inputs(ex.rng)
    got, want = ex.both(layer_backward_probe, X, H0, C0, P, G)
    judge_layer_backward(got, want, X, H0, C0, P, G,
                         tr("forward(x_seq_in, H_0, C_0) and backward(x_seq_out_grad)"))


CARRIES = {
    "no_H": LAYER_BACKWARD_MISTAKES["no_H"],
    "no_C": LAYER_BACKWARD_MISTAKES["no_C"],
    "no_HC": LAYER_BACKWARD_MISTAKES["no_HC"],
}


@check("LSTMLayer carries the hidden and cell-state gradients back through time", points=2,
       hint=("A loss on the last step's output reaches every earlier step through H and C: "
             "each node's H_in_grad and C_in_grad are the previous step's H_out_grad and "
             "C_out_grad, and the first step's are H_0_grad and C_0_grad."))
def test_layer_carries_gradients(ex):
    X, H0, C0, P, G = sequence_inputs(ex.rng)
    G[:, :-1] = 0  # only the last step's output has a gradient

    def probe(m, X, H0, C0, P, G):
        layer = new_layer(m, X, P)
        layer.forward(X, H0, C0)
        result = {"layer x_seq_in_grad": layer.backward(G), "layer H_0_grad": layer.H_0_grad,
                  "layer C_0_grad": layer.C_0_grad}
        for mode in ("right",) + tuple(CARRIES):  # the learner's own nodes, by hand
            params, nodes, H, C = as_params(P), [], H0, C0
            for t in range(X.shape[1]):
                nodes.append(m.LSTMNode())
                _, H, C = nodes[-1].forward(X[:, t], H, C, params)
            H_grad, C_grad, x_grad = np.zeros_like(H0), np.zeros_like(C0), np.zeros(X.shape)
            for t in reversed(range(X.shape[1])):
                x_grad[:, t], H_grad, C_grad = nodes[t].backward(
                    G[:, t], 0 * H_grad if mode in ("no_H", "no_HC") else H_grad,
                    0 * C_grad if mode in ("no_C", "no_HC") else C_grad, params)
            result.update({f"{mode} x_seq_in_grad": x_grad, f"{mode} H_0_grad": H_grad,
                           f"{mode} C_0_grad": C_grad})
        return result

    got = ex.learner(probe, X, H0, C0, P, G)
    for key in ("x_seq_in_grad", "H_0_grad", "C_0_grad"):
        label = tr("the returned x_seq_in_grad") if key == "x_seq_in_grad" else f"layer.{key}"
        suspects = {tr(desc): got[f"{mode} {key}"] for mode, desc in CARRIES.items()}
        if key != "x_seq_in_grad":
            other = "C_0_grad" if key == "H_0_grad" else "H_0_grad"
            suspects[tr(LAYER_BACKWARD_MISTAKES["swap_0"])] = got[f"right {other}"]
        assert_close(got[f"layer {key}"], got[f"right {key}"],
                     tr("{label} with a gradient on the last step only (expected: what your "
                        "own LSTMNodes give, carried back from step to step)").format(label=label),
                     suspects=suspects)


@check("LSTMLayer.backward clears the gradients between batches", points=1,
       hint=("deriv holds one batch's gradient: set every params[name][\"deriv\"] to zero at "
             "the start of backward, before the nodes add to it."))
def test_layer_clears_gradients(ex):
    X, H0, C0, P, G = sequence_inputs(ex.rng)
    X2, G2 = ex.rng.standard_normal(X.shape), ex.rng.standard_normal(G.shape)

    def probe(m, X, X2, H0, C0, P, G, G2):
        layer = new_layer(m, X, P)
        layer.forward(X, H0, C0)
        layer.backward(G)
        first = derivs_of(layer.params)
        layer.forward(X2, H0, C0)
        layer.backward(G2)
        fresh = new_layer(m, X, P)
        fresh.forward(X2, H0, C0)
        fresh.backward(G2)
        return {**{f"first {k}": v for k, v in first.items()},
                **{f"second {k}": v for k, v in derivs_of(layer.params).items()},
                **{f"fresh {k}": v for k, v in derivs_of(fresh.params).items()}}

    got = ex.learner(probe, X, X2, H0, C0, P, G, G2)
    for name in PARAM_NAMES:
        key = f"deriv {name}"
        assert_close(got[f"second {key}"], got[f"fresh {key}"],
                     tr('layer.params["{name}"]["deriv"] after a second '
                        "batch's forward and backward (expected: the same as from a fresh "
                        "layer's backward of that batch)").format(name=name), suspects={
                         tr("the sum of both batches' gradients: deriv was not set to zero at "
                            "the start of backward"): got[f"first {key}"] + got[f"fresh {key}"]})


def layer_numeric_probe(m, X, H0, C0, P, seed, wrt):
    """gradcheck.probe of a fresh layer per forward, for the inputs named in wrt."""
    first = []

    def forward(**changed):
        args = {"x_seq_in": X, "H_0": H0, "C_0": C0, **P, **changed}
        layer = new_layer(m, args["x_seq_in"], {name: args[name] for name in P})
        out = layer.forward(args["x_seq_in"], args["H_0"], args["C_0"])
        if not first:
            first.append(layer)
        return out

    def backward(g):
        layer = first[0]
        x_grad = layer.backward(g)
        grads = {"x_seq_in": x_grad, "H_0": layer.H_0_grad, "C_0": layer.C_0_grad,
                 **{name: np.array(layer.params[name]["deriv"]) for name in P}}
        return {name: grads[name] for name in wrt}

    inputs = {"x_seq_in": X, "H_0": H0, "C_0": C0, **P}
    return gradcheck.probe(forward, {name: inputs[name] for name in wrt}, backward, seed)


@check("LSTMLayer's parameter gradients agree with numerical ones", points=3,
       hint=("Each deriv must be the derivative of sum(forward(x_seq_in, H_0, C_0) * "
             "x_seq_out_grad) for that parameter: the sum over every step of each node's "
             "gradient (+=), with H's and C's gradients carried back from the last step to "
             "the first."))
def test_layer_params_numeric(ex):
    X, H0, C0, P, _ = sequence_inputs(ex.rng)
    result = ex.learner(layer_numeric_probe, X, H0, C0, P, ex.seed, tuple(PARAM_NAMES))
    gradcheck.verify(result, "LSTMLayer.backward (layer.params[name][\"deriv\"])")


@check("LSTMLayer's gradients for x_seq_in, H_0 and C_0 agree with numerical ones", points=2,
       hint=("backward returns the gradient of every step's input; H_0_grad and C_0_grad are "
             "what reaches the first step after carrying H's and C's gradients back from the "
             "last step."))
def test_layer_inputs_numeric(ex):
    X, H0, C0, P, _ = sequence_inputs(ex.rng)
    result = ex.learner(layer_numeric_probe, X, H0, C0, P, ex.seed, ("x_seq_in", "H_0", "C_0"))
    gradcheck.verify(result, "LSTMLayer.backward (x_seq_in_grad, H_0_grad, C_0_grad)")
