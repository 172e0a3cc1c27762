"""Exercise 01: functions as arrays in, arrays out, and their numerical derivative.

Every function here takes a NumPy array and works element by element, so it
also works on a single number, a vector or a matrix. Read README.md first.
"""
from typing import Callable

import numpy as np
from numpy import ndarray

ArrayFunction = Callable[[ndarray], ndarray]


def square(x: ndarray) -> ndarray:
    """Square every element of x."""
    # YOUR CODE HERE
    raise NotImplementedError("square")


def leaky_relu(x: ndarray) -> ndarray:
    """Leaky ReLU with slope 0.2: x where x > 0, else 0.2 * x (element-wise)."""
    # YOUR CODE HERE
    raise NotImplementedError("leaky_relu")


def sigmoid(x: ndarray) -> ndarray:
    """The logistic sigmoid 1 / (1 + e^(-x)), element-wise."""
    # YOUR CODE HERE
    raise NotImplementedError("sigmoid")


def deriv(func: ArrayFunction, input_: ndarray, delta: float = 0.001) -> ndarray:
    """The derivative of func at every element of input_, by a central difference.

    (func(x + delta) - func(x - delta)) / (2 * delta), computed on the whole
    array at once.
    """
    # YOUR CODE HERE
    raise NotImplementedError("deriv")
