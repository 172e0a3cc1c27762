# Given, finished, from exercise 07: you do not need to edit this file.
# Generated from solutions/07_layers/layers.py by `make stubs`.
"""Exercise 07: layers, a loss, and a network that trains on one batch.

The operations of exercise 06 are given to you finished in operations.py.
A Layer is a list of operations run in order; a NeuralNetwork is a list of
layers and a Loss. Read README.md first.
"""
from typing import Iterator, List, Optional

import numpy as np
from numpy import ndarray

from operations import (  # noqa: F401 - Linear too, for `from layers import Linear`
    BiasAdd,
    Linear,
    Operation,
    ParamOperation,
    Sigmoid,
    WeightMultiply,
    assert_same_shape,
)


class Layer:
    """A layer of neurons: operations run in order. Its parameters are made on
    the first forward pass, when the number of inputs is known."""

    def __init__(self, neurons: int):
        self.neurons = neurons
        self.first = True
        self.params: List[ndarray] = []
        self.param_grads: List[ndarray] = []
        self.operations: List[Operation] = []
        self.rng = np.random.default_rng(0)  # NeuralNetwork gives every layer its own

    def _setup_layer(self, input_: ndarray) -> None:
        """Each subclass makes self.params and self.operations here."""
        raise NotImplementedError("each Layer subclass defines _setup_layer")

    def forward(self, input_: ndarray, inference: bool = False) -> ndarray:
        """On the first call only, set the layer up; then run input_ through
        every operation in order, passing inference on to each. Store input_ and
        the output; return the output."""
        if self.first:
            self._setup_layer(input_)
            self.first = False
        self.input_ = input_
        for operation in self.operations:
            input_ = operation.forward(input_, inference)
        self.output = input_
        return self.output

    def backward(self, output_grad: ndarray) -> ndarray:
        """Run output_grad back through the operations in reverse order, then
        collect the parameter gradients (self._param_grads()); return input_grad."""
        assert_same_shape(self.output, output_grad)
        for operation in reversed(self.operations):
            output_grad = operation.backward(output_grad)
        self._param_grads()
        return output_grad

    def _param_grads(self) -> None:
        """self.param_grads: the param_grad of every ParamOperation, in order."""
        self.param_grads = [op.param_grad for op in self.operations
                            if isinstance(op, ParamOperation)]

    def _params(self) -> None:
        """self.params: the param of every ParamOperation, in order: the very
        arrays the operations use, so that changing them in place trains the layer."""
        self.params = [op.param for op in self.operations if isinstance(op, ParamOperation)]


class Dense(Layer):
    """A fully connected layer: WeightMultiply, BiasAdd, then the activation.

    activation defaults to a new Sigmoid for each layer. (The book's default
    argument `activation=Sigmoid()` is one object shared by every layer.)
    """

    def __init__(self, neurons: int, activation: Optional[Operation] = None):
        """Store the activation as self.activation: the one given, or a new Sigmoid."""
        super().__init__(neurons)
        self.activation = Sigmoid() if activation is None else activation

    def _setup_layer(self, input_: ndarray) -> None:
        """W (n_in, neurons) and B (1, neurons), drawn from self.rng, then the
        operations WeightMultiply(W), BiasAdd(B), self.activation."""
        W = self.rng.standard_normal((input_.shape[1], self.neurons))
        B = self.rng.standard_normal((1, self.neurons))
        self.operations = [WeightMultiply(W), BiasAdd(B), self.activation]
        self._params()


class Loss:
    """A loss: forward(prediction, target) gives a number, backward() the
    gradient with respect to the prediction."""

    def forward(self, prediction: ndarray, target: ndarray) -> float:
        """Check the shapes match, store both, and return self._output()."""
        assert_same_shape(prediction, target)
        self.prediction = prediction
        self.target = target
        return self._output()

    def backward(self) -> ndarray:
        """self._input_grad(), checked against the prediction's shape, stored
        as self.input_grad and returned."""
        self.input_grad = self._input_grad()
        assert_same_shape(self.prediction, self.input_grad)
        return self.input_grad

    def _output(self) -> float:
        raise NotImplementedError("each Loss subclass defines _output")

    def _input_grad(self) -> ndarray:
        raise NotImplementedError("each Loss subclass defines _input_grad")


class MeanSquaredError(Loss):
    """The mean over the batch of the squared error summed over outputs."""

    def _output(self) -> float:
        n = self.prediction.shape[0]
        return float(np.sum(np.power(self.prediction - self.target, 2)) / n)

    def _input_grad(self) -> ndarray:
        n = self.prediction.shape[0]
        return 2.0 * (self.prediction - self.target) / n


class NeuralNetwork:
    """Layers and a loss. seed makes the layers' random starting weights repeatable."""

    def __init__(self, layers: List[Layer], loss: Loss, seed: int = 1):
        self.layers = layers
        self.loss = loss
        self.seed = seed
        for i, layer in enumerate(self.layers):
            layer.rng = np.random.default_rng([seed, i])

    def forward(self, x_batch: ndarray, inference: bool = False) -> ndarray:
        """The batch through every layer in order, passing inference on to each."""
        for layer in self.layers:
            x_batch = layer.forward(x_batch, inference)
        return x_batch

    def backward(self, loss_grad: ndarray) -> None:
        """The loss gradient back through every layer in reverse order."""
        grad = loss_grad
        for layer in reversed(self.layers):
            grad = layer.backward(grad)

    def train_batch(self, x_batch: ndarray, y_batch: ndarray) -> float:
        """Forward, loss, backward: afterwards every layer holds its param_grads.
        Returns the loss."""
        predictions = self.forward(x_batch)
        loss = self.loss.forward(predictions, y_batch)
        self.backward(self.loss.backward())
        return loss

    def params(self) -> Iterator[ndarray]:
        """Every layer's parameters, in order (the arrays themselves, not copies)."""
        for layer in self.layers:
            yield from layer.params

    def param_grads(self) -> Iterator[ndarray]:
        """Every layer's parameter gradients, in the order of params()."""
        for layer in self.layers:
            yield from layer.param_grads
