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
        ### BEGIN SOLUTION
        value = {name: p["value"] for name, p in params.items()}
        self.n_x, self.H_in = x_in.shape[1], H_in
        self.Z = np.concatenate([x_in, H_in], axis=1)
        self.r = sigmoid(self.Z @ value["W_r"] + value["B_r"])
        self.u = sigmoid(self.Z @ value["W_u"] + value["B_u"])
        self.Z_h = np.concatenate([x_in, self.r * H_in], axis=1)
        self.H_bar = np.tanh(self.Z_h @ value["W_h"] + value["B_h"])
        self.H_out = self.u * H_in + (1 - self.u) * self.H_bar
        return self.H_out @ value["W_v"] + value["B_v"], self.H_out
        ### END SOLUTION

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray]:
        """(x_in_grad, H_in_grad); ADD the parameter gradients to params[name]["deriv"]."""
        ### BEGIN SOLUTION
        value = {name: p["value"] for name, p in params.items()}
        params["W_v"]["deriv"] += self.H_out.T @ x_out_grad
        params["B_v"]["deriv"] += x_out_grad.sum(axis=0, keepdims=True)
        dH = x_out_grad @ value["W_v"].T + H_out_grad
        du = dH * (self.H_in - self.H_bar) * self.u * (1 - self.u)
        dH_bar = dH * (1 - self.u) * (1 - self.H_bar ** 2)
        dZ_h = dH_bar @ value["W_h"].T
        d_reset = dZ_h[:, self.n_x:]  # the gradient of r * H_in
        dr = d_reset * self.H_in * self.r * (1 - self.r)
        for name, grad, Z in (("u", du, self.Z), ("r", dr, self.Z), ("h", dH_bar, self.Z_h)):
            params[f"W_{name}"]["deriv"] += Z.T @ grad
            params[f"B_{name}"]["deriv"] += grad.sum(axis=0, keepdims=True)
        dZ = du @ value["W_u"].T + dr @ value["W_r"].T
        x_in_grad = dZ[:, :self.n_x] + dZ_h[:, :self.n_x]
        H_in_grad = dZ[:, self.n_x:] + dH * self.u + d_reset * self.r
        return x_in_grad, H_in_grad
        ### END SOLUTION


class GRULayer(RNNLayer):
    """Exercise 16's RNNLayer, with GRUNodes and their parameters."""

    node_class = GRUNode

    def _init_params(self, input_size: int) -> None:
        h = self.hidden_size
        shapes = {"W_r": (input_size + h, h), "B_r": (1, h), "W_u": (input_size + h, h),
                  "B_u": (1, h), "W_h": (input_size + h, h), "B_h": (1, h),
                  "W_v": (h, self.output_size), "B_v": (1, self.output_size)}
        self.params = new_params(shapes, self.weight_scale, self.rng)
