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
        # YOUR CODE HERE
        raise NotImplementedError("forward")

    def backward(self, x_out_grad: ndarray, H_out_grad: ndarray,
                 params: Params) -> Tuple[ndarray, ndarray]:
        """(x_in_grad, H_in_grad), given the gradients of x_out and H_out; ADD the
        parameter gradients to params[name]["deriv"]."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")


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
        # YOUR CODE HERE
        raise NotImplementedError("forward")

    def backward(self, x_seq_out_grad: ndarray) -> ndarray:
        """Backpropagation through time: set every "deriv" to zero, then go through
        the nodes from the last step to the first, carrying the hidden state's
        gradient back from step to step. Returns the gradient of x_seq_in; the
        gradient of H_0 is kept as self.H_0_grad."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")
