"""Shared by the RNN and GRU checks (exercises 16 and 18, visible and hidden; it
ships with the visible ones): parameter dicts as the book keeps them, judging a
node's or layer's gradients against known mistakes, the += check of a node's
derivs, and a numerical gradient check through the learner's own layer."""
import numpy as np

from grader import assert_close, fail, gradcheck, tr


def param_dict(values):
    return {name: {"value": v.copy(), "deriv": np.zeros_like(v)} for name, v in values.items()}


def one_hot(rng, shape):
    """(batch, steps, features) one-hot characters, as the book feeds an RNN."""
    return np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]


def judge_grads(got, want, wrong, descriptions, what, labels, names):
    """Compare the gradients got and want (keys x_grad, H_grad, d<name>); wrong maps a
    mistake to the (x_grad, H_grad, {name: deriv}) it gives; labels name x_grad, H_grad
    (both skipped when labels[0] is empty) and the params dict."""

    def suspects(i, name=None):
        return {tr(descriptions[bug]): (res[i] if name is None else res[i][name])
                for bug, res in wrong.items()}

    if labels[0]:
        for i, key in enumerate(("x_grad", "H_grad")):
            assert_close(got[key], want[key],
                         tr("{name} from {what}").format(name=labels[i], what=what),
                         suspects=suspects(i))
    for name in names:
        assert_close(got[f"d{name}"], want[f"d{name}"],
                     tr('{params}["{name}"]["deriv"] after {what}').format(
                         params=labels[2], name=name, what=what), suspects=suspects(2, name))


def node_adds_probe(m, node_class, x, H, P, gx, gH):
    """Each deriv after one and after two backward calls of one node on the same params."""
    params = param_dict(P)
    node = getattr(m, node_class)()
    node.forward(x.copy(), H.copy(), params)
    result = {}
    for call in (1, 2):
        node.backward(gx.copy(), gH.copy(), params)
        result.update({f"d{name}{call}": np.array(params[name]["deriv"], dtype=float)
                       for name in P})
    return result


def judge_adds(got, P, names, node):
    """A second backward call must add as much again to every deriv (+=, not =)."""
    for name in names:
        once = got[f"d{name}1"]
        if once.shape == P[name].shape and not np.any(once):
            fail(tr('params["{name}"]["deriv"] is still zero after a backward call of one '
                    "{node}: add the parameter's gradient to it.").format(name=name, node=node))
        assert_close(got[f"d{name}2"], 2 * once,
                     tr('params["{name}"]["deriv"] after two backward calls of one {node} '
                        "(expected: twice what one call left)").format(name=name, node=node),
                     suspects={
                         tr("what one call left: `=` instead of `+=` when adding to deriv"): once})


def layer_gradient_probe(m, new_layer, X, H_0, P, seed, wrt):
    """gradcheck.probe through the learner's layer, built by new_layer(m, x, values):
    a fresh layer per forward, the gradients from the first. wrt is "params" (every
    parameter in P) or "inputs" (x_seq_in and H_0)."""
    layers = []

    def run(x_seq_in, H_0, **values):
        layer = new_layer(m, x_seq_in, values)
        layers.append(layer)
        return layer.forward(x_seq_in.copy(), H_0.copy())

    def backward(G):
        layer = layers[0]
        grads = {"x_seq_in": np.array(layer.backward(G), dtype=float)}
        grads["H_0"] = np.array(layer.H_0_grad, dtype=float)
        grads.update({name: np.array(layer.params[name]["deriv"], dtype=float) for name in P})
        return grads

    if wrt == "params":
        return gradcheck.probe(lambda **values: run(X, H_0, **values), P, backward, seed)
    return gradcheck.probe(lambda x_seq_in, H_0: run(x_seq_in, H_0, **P),
                           {"x_seq_in": X, "H_0": H_0}, backward, seed)
