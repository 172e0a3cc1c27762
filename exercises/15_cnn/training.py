# Given, finished, from exercise 08: you do not need to edit this file.
# Generated from solutions/08_training/training.py by `make stubs`.
"""Exercise 08: an optimizer and a trainer, with early stopping.

The operations (06) and layers (07) are given to you finished in
operations.py and layers.py. Read README.md first.
"""
from copy import deepcopy
from typing import Iterator, List, Tuple

import numpy as np
from numpy import ndarray

from layers import NeuralNetwork


class Optimizer:
    """Updates a network's parameters from their gradients. The Trainer sets self.net."""

    def __init__(self, lr: float = 0.01):
        self.lr = lr
        self.net: NeuralNetwork = None

    def step(self) -> None:
        raise NotImplementedError("each Optimizer subclass defines step")

    def _setup_decay(self, max_epochs: int) -> None:
        """Called by Trainer.fit before the first epoch: learning-rate decay
        (exercise 10) gets ready for max_epochs epochs. Here it does nothing."""

    def _decay_lr(self) -> None:
        """Called by Trainer.fit after every epoch. Here it does nothing."""


class SGD(Optimizer):
    """Stochastic gradient descent: param -= lr * grad, for every parameter."""

    def step(self) -> None:
        """Update every parameter of self.net in place: the network must see the
        change, so change the arrays themselves (rebinding a name changes nothing)."""
        for param, grad in zip(self.net.params(), self.net.param_grads(), strict=True):
            param -= self.lr * grad


def permute_data(X: ndarray, y: ndarray, rng: np.random.Generator) -> Tuple[ndarray, ndarray]:
    """X and y shuffled together with one permutation, rng.permutation(number of rows):
    row i of the result still pairs an X with its y."""
    perm = rng.permutation(X.shape[0])
    return X[perm], y[perm]


def generate_batches(X: ndarray, y: ndarray, size: int = 32) -> Iterator[Tuple[ndarray, ndarray]]:
    """Consecutive batches of `size` rows; the last one holds what is left (it may be
    smaller). Every row is in exactly one batch."""
    assert X.shape[0] == y.shape[0], "X and y need the same number of rows"
    for start in range(0, X.shape[0], size):
        yield X[start:start + size], y[start:start + size]


class Trainer:
    """Trains a network with an optimizer, evaluating on test data as it goes."""

    def __init__(self, net: NeuralNetwork, optim: Optimizer):
        self.net = net
        self.optim = optim
        self.optim.net = net
        self.evaluations: List[Tuple[int, float]] = []  # (epoch, test loss) of each evaluation
        self.best_epoch = 0

    def fit(self, X_train: ndarray, y_train: ndarray, X_test: ndarray, y_test: ndarray,
            epochs: int = 100, eval_every: int = 10, batch_size: int = 32,
            seed: int = 1) -> None:
        """Train for up to `epochs` epochs. Each epoch: shuffle X_train and y_train
        together (permute_data, with one rng made from seed), then for each batch
        (generate_batches) train_batch and an optimizer step; after the epoch's
        batches, self.optim._decay_lr().

        After every eval_every-th epoch (epochs eval_every, 2 * eval_every, ...),
        compute the test loss with the network in inference mode,
        self.net.loss.forward(self.net.forward(X_test, inference=True), y_test),
        and append (epoch, loss) to self.evaluations. If it is
        the best so far, remember the epoch (self.best_epoch) and a copy of the
        network. If it is not better than the best, stop early: self.net becomes the
        best network (the one evaluated at self.best_epoch).
        """
        rng = np.random.default_rng(seed)
        self.optim._setup_decay(epochs)
        best_loss, best_net = np.inf, None
        for epoch in range(1, epochs + 1):
            X_train, y_train = permute_data(X_train, y_train, rng)
            for X_batch, y_batch in generate_batches(X_train, y_train, batch_size):
                self.net.train_batch(X_batch, y_batch)
                self.optim.step()
            self.optim._decay_lr()
            if epoch % eval_every == 0:
                loss = self.net.loss.forward(self.net.forward(X_test, inference=True), y_test)
                self.evaluations.append((epoch, loss))
                if loss < best_loss:
                    best_loss, best_net, self.best_epoch = loss, deepcopy(self.net), epoch
                else:
                    self.net = best_net
                    self.optim.net = best_net
                    break
