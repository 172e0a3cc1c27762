# Given, finished, from exercise 10: you do not need to edit this file.
# Generated from solutions/10_optimizers/optimizers.py by `make stubs`.
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
        steps = max(max_epochs - 1, 1)
        if self.decay_type == "linear":
            self.decay_per_epoch = (self.lr - self.final_lr) / steps
        elif self.decay_type == "exponential":
            self.decay_per_epoch = (self.final_lr / self.lr) ** (1.0 / steps)

    def _decay_lr(self) -> None:
        """One epoch's decay: subtract decay_per_epoch (linear) or multiply by it
        (exponential), never going past final_lr. Nothing without a decay_type."""
        if self.decay_type == "linear":
            self.lr = max(self.lr - self.decay_per_epoch, self.final_lr)
        elif self.decay_type == "exponential":
            self.lr = max(self.lr * self.decay_per_epoch, self.final_lr)


class SGD(Optimizer):
    """param -= lr * grad, with the learning rate decaying as set up."""

    def step(self) -> None:
        for param, grad in zip(self.net.params(), self.net.param_grads(), strict=True):
            param -= self.lr * grad


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
        if self.velocities is None:
            self.velocities = [np.zeros_like(param) for param in self.net.params()]
        for param, grad, velocity in zip(self.net.params(), self.net.param_grads(),
                                         self.velocities, strict=True):
            velocity *= self.momentum
            velocity += self.lr * grad
            param -= velocity
