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
    ### BEGIN SOLUTION
    return np.power(x, 2)
    ### END SOLUTION


def leaky_relu(x: ndarray) -> ndarray:
    """Leaky ReLU with slope 0.2: x where x > 0, else 0.2 * x (element-wise)."""
    ### BEGIN SOLUTION
    return np.maximum(0.2 * x, x)
    ### END SOLUTION


def sigmoid(x: ndarray) -> ndarray:
    """The logistic sigmoid 1 / (1 + e^(-x)), element-wise."""
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-x))
    ### END SOLUTION


def deriv(func: ArrayFunction, input_: ndarray, delta: float = 0.001) -> ndarray:
    """The derivative of func at every element of input_, by a central difference.

    (func(x + delta) - func(x - delta)) / (2 * delta), computed on the whole
    array at once.
    """
    ### BEGIN SOLUTION
    return (func(input_ + delta) - func(input_ - delta)) / (2 * delta)
    ### END SOLUTION
