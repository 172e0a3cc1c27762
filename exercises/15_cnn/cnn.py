"""Exercise 15: a convolutional network that reads handwritten digits.

Everything before is given to you finished, including Conv2D_Op and Flatten
(exercise 14) and the training loop of exercise 12. Write the Conv2D layer and
choose the network. Images are (batch, 1, 8, 8). Read README.md first.
"""
from typing import Dict, List, Optional, Tuple

import numpy as np
from numpy import ndarray

import digits
from activations import ReLU, SoftmaxCrossEntropy, Tanh
from conv import Conv2D_Op, Flatten
from init_and_dropout import Dense, Dropout, glorot_std
from layers import Layer, Linear, NeuralNetwork
from operations import Operation
from optimizers import Optimizer, SGDMomentum


class Conv2D(Layer):
    """A convolution layer: Conv2D_Op with out_channels kernels of param_size x
    param_size, then the activation, then a Dropout(dropout, rng=self.rng) if
    dropout < 1, then Flatten if flatten is true."""

    def __init__(self, out_channels: int, param_size: int,
                 activation: Optional[Operation] = None, dropout: float = 1.0,
                 flatten: bool = False):
        super().__init__(out_channels)
        self.param_size = param_size
        self.activation = Tanh() if activation is None else activation
        self.dropout = dropout
        self.flatten = flatten

    def _setup_layer(self, input_: ndarray) -> None:
        """W (out_channels, in_channels, K, K) from self.rng, with Glorot's standard
        deviation for fan_in = in_channels * K * K and fan_out = out_channels * K * K;
        then the operations, and self._params()."""
        K, in_channels = self.param_size, input_.shape[1]
        # YOUR CODE HERE
        raise NotImplementedError("_setup_layer")


def build_network(seed: int = 0) -> NeuralNetwork:
    """A Conv2D layer (with an activation, flattened) then Dense to 10 scores,
    and a loss for ten classes. The book used 16 kernels of 5 x 5 with tanh on
    28 x 28 MNIST; on 8 x 8 digits, 3 x 3 kernels with ReLU and dropout do better."""
    # YOUR CODE HERE
    raise NotImplementedError("build_network")


def build_optimizer() -> Optimizer:
    """An optimizer for build_network's network."""
    # YOUR CODE HERE
    raise NotImplementedError("build_optimizer")


def as_images(X: ndarray) -> ndarray:
    """Rows of 64 pixels as (batch, 1, 8, 8) images."""
    return X.reshape(X.shape[0], 1, 8, 8)


def train(X_train: ndarray, y_train: ndarray, X_test: ndarray, y_test: ndarray,
          epochs: int = 20, batch_size: int = 60,
          seed: int = 0) -> Tuple[NeuralNetwork, Dict[str, List[float]]]:
    """Exercise 12's training loop, with this file's network on 8 x 8 images."""
    return digits.train(as_images(X_train), y_train, as_images(X_test), y_test, epochs,
                        batch_size, seed, build_network, build_optimizer)


if __name__ == "__main__":
    from grader.data import digits_split

    net, history = train(*digits_split())
    for epoch, acc in enumerate(history["test_accuracy"], 1):
        print(f"epoch {epoch:3d}   test accuracy {acc:.3f}")
    print(f"final test accuracy {np.round(history['test_accuracy'][-1], 3)}")
