"""Exercise 18: the GRU cell.

GRULayer is exercise 16's RNNLayer (given in rnn.py) running GRUNodes: write
the node. Parameters are name -> {"value", "deriv"}, as in exercise 16.
Read README.md first.
"""
from typing import Tuple

import numpy as np
from numpy import ndarray

from rnn import Params, RNNLayer, new_params


def sigmoid(x: ndarray) -> ndarray:
    return 1 / (1 + np.exp(-x))


class GRUNode:
    """One time step. With Z = [x_in, H_in]:
    r = sigmoid(Z W_r + B_r) (reset gate), u = sigmoid(Z W_u + B_u) (update gate),
    H_bar = tanh([x_in, r * H_in] W_h + B_h), H_out = u * H_in + (1 - u) * H_bar,
    x_out = H_out W_v + B_v."""

    def forward(self, x_in: ndarray, H_in: ndarray, params: Params) -> Tuple[ndarray, ndarray]:
        """(x_out, H_out). Store what backward needs."""
        # YOUR CODE HERE
        raise NotImplementedError("forward")

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray]:
        """(x_in_grad, H_in_grad); ADD the parameter gradients to params[name]["deriv"]."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")


class GRULayer(RNNLayer):
    """Exercise 16's RNNLayer, with GRUNodes and their parameters."""

    node_class = GRUNode

    def _init_params(self, input_size: int) -> None:
        h = self.hidden_size
        shapes = {"W_r": (input_size + h, h), "B_r": (1, h), "W_u": (input_size + h, h),
                  "B_u": (1, h), "W_h": (input_size + h, h), "B_h": (1, h),
                  "W_v": (h, self.output_size), "B_v": (1, self.output_size)}
        self.params = new_params(shapes, self.weight_scale, self.rng)
