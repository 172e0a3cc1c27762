# Given, finished, from exercise 11: you do not need to edit this file.
# Generated from solutions/11_init_and_dropout/init_and_dropout.py by `make stubs`.
"""Exercise 11: Glorot initialisation and dropout.

The operations (06), layers (07) and trainer (08) are given to you finished.
Read README.md first.
"""
from typing import Optional

import numpy as np
from numpy import ndarray

import layers
from operations import BiasAdd, Operation, WeightMultiply


def glorot_std(fan_in: int, fan_out: int) -> float:
    """The standard deviation of Glorot initialisation: sqrt(2 / (fan_in + fan_out))."""
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


class Dropout(Operation):
    """Inverted dropout: while training, keep each element with probability
    keep_prob and scale what is kept by 1 / keep_prob; at inference (self.inference,
    set by forward), pass the input through unchanged."""

    def __init__(self, keep_prob: float = 0.8, rng: Optional[np.random.Generator] = None):
        super().__init__()
        assert 0 < keep_prob <= 1, "keep_prob is a probability above 0"
        self.keep_prob = keep_prob
        self.rng = np.random.default_rng() if rng is None else rng

    def _output(self) -> ndarray:
        """Training: a new mask of 0s and 1s (1 with probability keep_prob, from
        self.rng), stored as self.mask; return input_ * mask / keep_prob.
        Inference: input_ itself."""
        if self.inference:
            return self.input_
        self.mask = self.rng.binomial(1, self.keep_prob, size=self.input_.shape)
        return self.input_ * self.mask / self.keep_prob

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """The gradient through the same mask as the forward pass."""
        return output_grad * self.mask / self.keep_prob


class Dense(layers.Dense):
    """Exercise 07's Dense, with a choice of initialisation and optional dropout.

    weight_init "glorot" draws W and B with glorot_std(inputs, neurons) as their
    standard deviation, "standard" with 1. dropout is the keep probability: below 1,
    a Dropout(dropout, rng=self.rng) follows the activation.
    """

    def __init__(self, neurons: int, activation: Optional[Operation] = None,
                 dropout: float = 1.0, weight_init: str = "standard"):
        super().__init__(neurons, activation)
        assert weight_init in ("standard", "glorot"), "weight_init is standard or glorot"
        self.dropout = dropout
        self.weight_init = weight_init

    def _setup_layer(self, input_: ndarray) -> None:
        n_in = input_.shape[1]
        scale = glorot_std(n_in, self.neurons) if self.weight_init == "glorot" else 1.0
        W = self.rng.standard_normal((n_in, self.neurons)) * scale
        B = self.rng.standard_normal((1, self.neurons)) * scale
        self.operations = [WeightMultiply(W), BiasAdd(B), self.activation]
        if self.dropout < 1.0:
            self.operations.append(Dropout(self.dropout, rng=self.rng))
        self._params()
