"""Exercise 16: a recurrent neural network, and backpropagation through time.

A sequence batch is (batch, sequence, features): at each time step t the node
sees x[:, t, :] and the hidden state H carried from step t - 1. Parameters are
kept in a dict, name -> {"value": array, "deriv": array}: backward ADDS each
step's gradient to "deriv", since the same weights serve every step.
Read README.md first.
"""
from typing import Dict, List, Optional, Tuple

import numpy as np
from numpy import ndarray

Params = Dict[str, Dict[str, ndarray]]


def new_params(shapes: Dict[str, Tuple[int, int]], weight_scale: float,
               rng: np.random.Generator) -> Params:
    """Weights drawn from rng (standard normal times weight_scale), biases zero,
    every "deriv" zero."""
    params = {}
    for name, shape in shapes.items():
        if name.startswith("B"):
            value = np.zeros(shape)
        else:
            value = rng.standard_normal(shape) * weight_scale
        params[name] = {"value": value, "deriv": np.zeros(shape)}
    return params


class RNNNode:
    """One time step: H_out = tanh([x_in, H_in] W_f + B_f), x_out = H_out W_v + B_v."""

    def forward(self, x_in: ndarray, H_in: ndarray, params: Params) -> Tuple[ndarray, ndarray]:
        """(x_out, H_out). Store what backward needs."""
        ### BEGIN SOLUTION
        self.x_in, self.H_in = x_in, H_in
        self.Z = np.concatenate([x_in, H_in], axis=1)
        self.H_out = np.tanh(self.Z @ params["W_f"]["value"] + params["B_f"]["value"])
        self.x_out = self.H_out @ params["W_v"]["value"] + params["B_v"]["value"]
        return self.x_out, self.H_out
        ### END SOLUTION

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray]:
        """(x_in_grad, H_in_grad), given the gradients of x_out and H_out; ADD the
        parameter gradients to params[name]["deriv"]."""
        ### BEGIN SOLUTION
        params["B_v"]["deriv"] += x_out_grad.sum(axis=0, keepdims=True)
        params["W_v"]["deriv"] += self.H_out.T @ x_out_grad
        dH = x_out_grad @ params["W_v"]["value"].T + H_out_grad
        dH_int = dH * (1 - self.H_out ** 2)
        params["B_f"]["deriv"] += dH_int.sum(axis=0, keepdims=True)
        params["W_f"]["deriv"] += self.Z.T @ dH_int
        dZ = dH_int @ params["W_f"]["value"].T
        n_x = self.x_in.shape[1]
        return dZ[:, :n_x], dZ[:, n_x:]
        ### END SOLUTION


class RNNLayer:
    """RNNNodes over a whole sequence, sharing one set of parameters."""

    node_class = RNNNode  # exercise 18's GRULayer runs GRUNodes instead

    def __init__(self, hidden_size: int, output_size: int, weight_scale: float = 0.1,
                 seed: int = 0):
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.weight_scale = weight_scale
        self.rng = np.random.default_rng(seed)
        self.params: Optional[Params] = None
        self.nodes: List[RNNNode] = []

    def _init_params(self, input_size: int) -> None:
        h = self.hidden_size
        self.params = new_params({"W_f": (input_size + h, h), "B_f": (1, h),
                                  "W_v": (h, self.output_size), "B_v": (1, self.output_size)},
                                 self.weight_scale, self.rng)

    def forward(self, x_seq_in: ndarray, H_0: Optional[ndarray] = None) -> ndarray:
        """x_seq_in (batch, sequence, features) -> (batch, sequence, output_size).

        Make the parameters on the first call (self._init_params). The hidden state
        starts as H_0 (batch, hidden_size), zeros when None, and each step's H_out
        is the next step's H_in. Keep one node per step, self.node_class(), in
        self.nodes."""
        self.input_size = x_seq_in.shape[2]
        if self.params is None:
            self._init_params(self.input_size)
        ### BEGIN SOLUTION
        batch, steps, _ = x_seq_in.shape
        H = np.zeros((batch, self.hidden_size)) if H_0 is None else H_0
        self.nodes = [self.node_class() for _ in range(steps)]
        out = np.zeros((batch, steps, self.output_size))
        for t, node in enumerate(self.nodes):
            out[:, t, :], H = node.forward(x_seq_in[:, t, :], H, self.params)
        return out
        ### END SOLUTION

    def backward(self, x_seq_out_grad: ndarray) -> ndarray:
        """Backpropagation through time: set every "deriv" to zero, then go through
        the nodes from the last step to the first, carrying the hidden state's
        gradient back from step to step. Returns the gradient of x_seq_in; the
        gradient of H_0 is kept as self.H_0_grad."""
        ### BEGIN SOLUTION
        for param in self.params.values():
            param["deriv"][...] = 0
        batch, steps, _ = x_seq_out_grad.shape
        H_grad = np.zeros((batch, self.hidden_size))
        x_seq_in_grad = np.zeros((batch, steps, self.input_size))
        for t in reversed(range(steps)):
            x_seq_in_grad[:, t, :], H_grad = self.nodes[t].backward(
                x_seq_out_grad[:, t, :], H_grad, self.params)
        self.H_0_grad = H_grad
        return x_seq_in_grad
        ### END SOLUTION
