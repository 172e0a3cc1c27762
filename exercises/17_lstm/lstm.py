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
        # YOUR CODE HERE
        raise NotImplementedError("forward")

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray, C_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray, ndarray]:
        """(x_in_grad, H_in_grad, C_in_grad); ADD the parameter gradients to
        params[name]["deriv"]."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")


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
        # YOUR CODE HERE
        raise NotImplementedError("forward")

    def backward(self, x_seq_out_grad: ndarray) -> ndarray:
        """Backpropagation through time, as in exercise 16, carrying the gradients
        of both H and C back from step to step. Returns the gradient of x_seq_in;
        keeps those of H_0 and C_0 as self.H_0_grad and self.C_0_grad."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")
