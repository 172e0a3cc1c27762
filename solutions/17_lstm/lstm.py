"""Exercise 17: the LSTM cell, and an LSTM layer with backpropagation through time.

As in exercise 16 (whose new_params is given in rnn.py), a sequence batch is
(batch, sequence, features) and parameters are name -> {"value", "deriv"}.
Besides the hidden state H, an LSTM carries a cell state C from step to step.
Read README.md first.
"""
from typing import List, Optional, Tuple

import numpy as np
from numpy import ndarray

from rnn import Params, new_params

GATES = ("f", "i", "c", "o")  # forget, input, candidate, output: W_f, B_f, W_i, ...


def sigmoid(x: ndarray) -> ndarray:
    return 1 / (1 + np.exp(-x))


class LSTMNode:
    """One time step. With Z = [x_in, H_in]:
    f = sigmoid(Z W_f + B_f), i = sigmoid(Z W_i + B_i), C_bar = tanh(Z W_c + B_c),
    o = sigmoid(Z W_o + B_o); C_out = f * C_in + i * C_bar; H_out = o * tanh(C_out);
    x_out = H_out W_v + B_v."""

    def forward(self, x_in: ndarray, H_in: ndarray, C_in: ndarray,
                params: Params) -> Tuple[ndarray, ndarray, ndarray]:
        """(x_out, H_out, C_out). Store what backward needs."""
        ### BEGIN SOLUTION
        self.n_x = x_in.shape[1]
        self.C_in = C_in
        self.Z = np.concatenate([x_in, H_in], axis=1)
        value = {name: p["value"] for name, p in params.items()}
        self.f = sigmoid(self.Z @ value["W_f"] + value["B_f"])
        self.i = sigmoid(self.Z @ value["W_i"] + value["B_i"])
        self.C_bar = np.tanh(self.Z @ value["W_c"] + value["B_c"])
        self.o = sigmoid(self.Z @ value["W_o"] + value["B_o"])
        self.C_out = self.f * C_in + self.i * self.C_bar
        self.tanh_C = np.tanh(self.C_out)
        self.H_out = self.o * self.tanh_C
        x_out = self.H_out @ value["W_v"] + value["B_v"]
        return x_out, self.H_out, self.C_out
        ### END SOLUTION

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray, C_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray, ndarray]:
        """(x_in_grad, H_in_grad, C_in_grad); ADD the parameter gradients to
        params[name]["deriv"]."""
        ### BEGIN SOLUTION
        params["W_v"]["deriv"] += self.H_out.T @ x_out_grad
        params["B_v"]["deriv"] += x_out_grad.sum(axis=0, keepdims=True)
        dH = x_out_grad @ params["W_v"]["value"].T + H_out_grad
        dC = dH * self.o * (1 - self.tanh_C ** 2) + C_out_grad
        pre_grads = {  # the gradient of each gate's pre-activation
            "f": dC * self.C_in * self.f * (1 - self.f),
            "i": dC * self.C_bar * self.i * (1 - self.i),
            "c": dC * self.i * (1 - self.C_bar ** 2),
            "o": dH * self.tanh_C * self.o * (1 - self.o),
        }
        dZ = np.zeros_like(self.Z)
        for gate, grad in pre_grads.items():
            params[f"W_{gate}"]["deriv"] += self.Z.T @ grad
            params[f"B_{gate}"]["deriv"] += grad.sum(axis=0, keepdims=True)
            dZ += grad @ params[f"W_{gate}"]["value"].T
        return dZ[:, :self.n_x], dZ[:, self.n_x:], dC * self.f
        ### END SOLUTION


class LSTMLayer:
    """LSTMNodes over a whole sequence, sharing one set of parameters."""

    def __init__(self, hidden_size: int, output_size: int, weight_scale: float = 0.1,
                 seed: int = 0):
        self.hidden_size = hidden_size
        self.output_size = output_size
        self.weight_scale = weight_scale
        self.rng = np.random.default_rng(seed)
        self.params: Optional[Params] = None
        self.nodes: List[LSTMNode] = []

    def _init_params(self, input_size: int) -> None:
        h = self.hidden_size
        shapes = {}
        for gate in GATES:
            shapes[f"W_{gate}"], shapes[f"B_{gate}"] = (input_size + h, h), (1, h)
        shapes["W_v"], shapes["B_v"] = (h, self.output_size), (1, self.output_size)
        self.params = new_params(shapes, self.weight_scale, self.rng)

    def forward(self, x_seq_in: ndarray, H_0: Optional[ndarray] = None,
                C_0: Optional[ndarray] = None) -> ndarray:
        """x_seq_in (batch, sequence, features) -> (batch, sequence, output_size).
        H and C start as H_0 and C_0 (zeros when None) and pass from step to step."""
        self.input_size = x_seq_in.shape[2]
        if self.params is None:
            self._init_params(self.input_size)
        ### BEGIN SOLUTION
        batch, steps, _ = x_seq_in.shape
        zeros = np.zeros((batch, self.hidden_size), dtype=x_seq_in.dtype)
        H = zeros if H_0 is None else H_0
        C = zeros if C_0 is None else C_0
        self.nodes = [LSTMNode() for _ in range(steps)]
        out = np.zeros((batch, steps, self.output_size), dtype=x_seq_in.dtype)
        for t, node in enumerate(self.nodes):
            out[:, t, :], H, C = node.forward(x_seq_in[:, t, :], H, C, self.params)
        return out
        ### END SOLUTION

    def backward(self, x_seq_out_grad: ndarray) -> ndarray:
        """Backpropagation through time, as in exercise 16, carrying the gradients
        of both H and C back from step to step. Returns the gradient of x_seq_in;
        keeps those of H_0 and C_0 as self.H_0_grad and self.C_0_grad."""
        ### BEGIN SOLUTION
        for param in self.params.values():
            param["deriv"][...] = 0
        batch, steps, _ = x_seq_out_grad.shape
        H_grad = np.zeros((batch, self.hidden_size), dtype=x_seq_out_grad.dtype)
        C_grad = np.zeros_like(H_grad)
        x_seq_in_grad = np.zeros((batch, steps, self.input_size), dtype=x_seq_out_grad.dtype)
        for t in reversed(range(steps)):
            x_seq_in_grad[:, t, :], H_grad, C_grad = self.nodes[t].backward(
                x_seq_out_grad[:, t, :], H_grad, C_grad, self.params)
        self.H_0_grad, self.C_0_grad = H_grad, C_grad
        return x_seq_in_grad
        ### END SOLUTION
