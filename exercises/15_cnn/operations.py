# Given, finished, from exercise 06: you do not need to edit this file.
# Generated from solutions/06_operations/operations.py by `make stubs`.
"""Exercise 06: operations, the pieces a layer is made of, and their backward pass.

Every operation remembers its input and output in forward, and in backward
turns the gradient of the loss with respect to its output (output_grad) into
the gradient with respect to its input. Inputs are (batch, features) arrays.
Read README.md first.
"""
import numpy as np
from numpy import ndarray


def assert_same_shape(array: ndarray, array_grad: ndarray) -> None:
    assert array.shape == array_grad.shape, (
        f"shapes differ: {tuple(array.shape)} and {tuple(array_grad.shape)}"
    )


class Operation:
    """An operation of a network: forward stores input_ and output, backward
    checks output_grad's shape and returns input_grad."""

    def forward(self, input_: ndarray, inference: bool = False) -> ndarray:
        """Store input_, compute the output with self._output(), store and return it.

        inference says whether the network is being used rather than trained: only
        exercise 11's Dropout looks at it (as self.inference)."""
        self.inference = inference
        self.input_ = input_
        self.output = self._output()
        return self.output

    def backward(self, output_grad: ndarray) -> ndarray:
        """Check output_grad has the output's shape, compute input_grad with
        self._input_grad(output_grad), check it has the input's shape, store and
        return it."""
        assert_same_shape(self.output, output_grad)
        self.input_grad = self._input_grad(output_grad)
        assert_same_shape(self.input_, self.input_grad)
        return self.input_grad

    def _output(self) -> ndarray:
        """Each subclass computes its output from self.input_."""
        raise NotImplementedError("each Operation subclass defines _output")

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """Each subclass computes the gradient with respect to self.input_."""
        raise NotImplementedError("each Operation subclass defines _input_grad")


class ParamOperation(Operation):
    """An operation with a parameter: backward also computes param_grad."""

    def __init__(self, param: ndarray):
        super().__init__()
        self.param = param

    def backward(self, output_grad: ndarray) -> ndarray:
        """As Operation.backward, and also store self.param_grad =
        self._param_grad(output_grad), checked against the parameter's shape."""
        assert_same_shape(self.output, output_grad)
        self.input_grad = self._input_grad(output_grad)
        self.param_grad = self._param_grad(output_grad)
        assert_same_shape(self.input_, self.input_grad)
        assert_same_shape(self.param, self.param_grad)
        return self.input_grad

    def _param_grad(self, output_grad: ndarray) -> ndarray:
        """Each subclass computes the gradient with respect to self.param."""
        raise NotImplementedError("each ParamOperation subclass defines _param_grad")


class WeightMultiply(ParamOperation):
    """input_ (batch, n_in) times the weights W (n_in, n_out)."""

    def _output(self) -> ndarray:
        return np.dot(self.input_, self.param)

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        return np.dot(output_grad, self.param.T)

    def _param_grad(self, output_grad: ndarray) -> ndarray:
        return np.dot(self.input_.T, output_grad)


class BiasAdd(ParamOperation):
    """input_ (batch, n) plus the bias B (1, n), added to every row."""

    def __init__(self, B: ndarray):
        assert B.shape[0] == 1, "the bias is one row: shape (1, n)"
        super().__init__(B)

    def _output(self) -> ndarray:
        return self.input_ + self.param

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        return np.ones_like(self.input_) * output_grad

    def _param_grad(self, output_grad: ndarray) -> ndarray:
        return np.sum(output_grad, axis=0, keepdims=True)


class Sigmoid(Operation):
    """The logistic function, element-wise."""

    def _output(self) -> ndarray:
        return 1.0 / (1.0 + np.exp(-self.input_))

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """Use the stored output: sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x))."""
        return self.output * (1.0 - self.output) * output_grad


class Linear(Operation):
    """The identity: an activation that does nothing."""

    def _output(self) -> ndarray:
        return self.input_

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        return output_grad
