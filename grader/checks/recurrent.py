"""Shared by the RNN and GRU checks (exercises 16 and 18): a numerical gradient
check through the learner's own layer."""
import numpy as np

from grader import gradcheck


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
