"""Exercise 10: SGD with momentum, and learning-rate decay.

The operations (06), layers (07) and trainer (08) are given to you finished.
The Trainer calls optim._setup_decay(epochs) before the first epoch,
optim.step() after every batch and optim._decay_lr() after every epoch.
Read README.md first.
"""
from typing import List, Optional

import numpy as np
from numpy import ndarray

import training


class Optimizer(training.Optimizer):
    """An optimizer whose learning rate decays from lr to final_lr over the epochs.

    decay_type is None (no decay), "linear" (the same amount every epoch) or
    "exponential" (the same factor every epoch).
    """

    def __init__(self, lr: float = 0.01, final_lr: float = 0.0,
                 decay_type: Optional[str] = None):
        super().__init__(lr)
        assert decay_type in (None, "linear", "exponential"), "unknown decay_type"
        self.final_lr = final_lr
        self.decay_type = decay_type

    def _setup_decay(self, max_epochs: int) -> None:
        """Set self.decay_per_epoch so that after max_epochs - 1 calls of
        _decay_lr (one after each epoch but the last) lr has become final_lr:
        the last epoch trains with final_lr."""
        # YOUR CODE HERE
        raise NotImplementedError("_setup_decay")

    def _decay_lr(self) -> None:
        """One epoch's decay: subtract decay_per_epoch (linear) or multiply by it
        (exponential), never going past final_lr. Nothing without a decay_type."""
        # YOUR CODE HERE
        raise NotImplementedError("_decay_lr")


class SGD(Optimizer):
    """param -= lr * grad, with the learning rate decaying as set up."""

    def step(self) -> None:
        # YOUR CODE HERE
        raise NotImplementedError("step")


class SGDMomentum(Optimizer):
    """SGD with momentum: for every parameter a velocity v, kept from step to step,
    v = momentum * v + lr * grad, then param -= v."""

    def __init__(self, lr: float = 0.01, final_lr: float = 0.0,
                 decay_type: Optional[str] = None, momentum: float = 0.9):
        super().__init__(lr, final_lr, decay_type)
        self.momentum = momentum
        self.velocities: Optional[List[ndarray]] = None

    def step(self) -> None:
        """On the first step only, make a zero velocity for each parameter; then
        update every velocity and parameter in place."""
        # YOUR CODE HERE
        raise NotImplementedError("step")
