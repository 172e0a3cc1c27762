"""Exercise 03: functions of matrices, and their gradients.

X has shape (n, k): n observations (rows) of k features. W has shape (k, m).
`deriv` from exercise 01 is given to you finished in derivative.py.
Read README.md first.
"""
from typing import Callable

import numpy as np
from numpy import ndarray

from derivative import deriv

ArrayFunction = Callable[[ndarray], ndarray]


def matmul_forward(X: ndarray, W: ndarray) -> ndarray:
    """N = X @ W, the matrix product: shape (n, m)."""
    assert X.shape[1] == W.shape[0], "X's columns must match W's rows"
    ### BEGIN SOLUTION
    return np.dot(X, W)
    ### END SOLUTION


def matmul_backward_first(X: ndarray, W: ndarray) -> ndarray:
    """The gradient of sum(X @ W) with respect to X: shape (n, k), like X.

    The book returns W.T, which is this gradient when X has one row and W one
    column. Here X may have many rows and W many columns.
    """
    ### BEGIN SOLUTION
    dL_dN = np.ones((X.shape[0], W.shape[1]))
    return np.dot(dL_dN, W.T)
    ### END SOLUTION


def matrix_function_forward_sum(X: ndarray, W: ndarray, sigma: ArrayFunction) -> float:
    """L = sum(sigma(X @ W)): multiply, apply sigma element-wise, add it all up."""
    assert X.shape[1] == W.shape[0], "X's columns must match W's rows"
    ### BEGIN SOLUTION
    N = np.dot(X, W)
    S = sigma(N)
    return float(np.sum(S))
    ### END SOLUTION


def matrix_function_backward_sum_1(X: ndarray, W: ndarray, sigma: ArrayFunction) -> ndarray:
    """The gradient of L = sum(sigma(X @ W)) with respect to X: shape (n, k).

    sigma can be any element-wise function: get sigma' with `deriv`.
    """
    assert X.shape[1] == W.shape[0], "X's columns must match W's rows"
    ### BEGIN SOLUTION
    N = np.dot(X, W)
    dS_dN = deriv(sigma, N)  # dL/dS is all ones, so dL/dN = dS/dN
    return np.dot(dS_dN, W.T)
    ### END SOLUTION
