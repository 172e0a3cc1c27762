"""Exercise 04: linear regression by hand, forward pass and gradients.

X_batch has shape (n, k): n observations of k features; y_batch is (n, 1).
weights holds "W" of shape (k, 1) and "B" of shape (1, 1). Read README.md first.
"""
from typing import Dict, Tuple

import numpy as np
from numpy import ndarray


def forward_linear_regression(
    X_batch: ndarray, y_batch: ndarray, weights: Dict[str, ndarray]
) -> Tuple[float, Dict[str, ndarray]]:
    """The mean squared error of the prediction P = X W + B, and what backward needs.

    Returns (loss, forward_info) with forward_info holding "X", "N" (= X W),
    "P" (= N + B) and "y". loss is mean((y - P)**2), a float.
    """
    assert X_batch.shape[0] == y_batch.shape[0], "one target per observation"
    assert X_batch.shape[1] == weights["W"].shape[0], "one weight per feature"
    assert weights["B"].shape == (1, 1), "B is a (1, 1) array"
    # YOUR CODE HERE
    raise NotImplementedError("forward_linear_regression")
    forward_info = {"X": X_batch, "N": N, "P": P, "y": y_batch}
    return loss, forward_info


def loss_gradients(forward_info: Dict[str, ndarray],
                   weights: Dict[str, ndarray]) -> Dict[str, ndarray]:
    """The gradient of the mean squared error with respect to W and B.

    Returns {"W": dL/dW of shape (k, 1), "B": dL/dB of shape (1, 1)}. The loss
    is a mean over the n observations, so its gradient carries a factor 1/n.
    """
    X, N, P, y = (forward_info[key] for key in ("X", "N", "P", "y"))
    # YOUR CODE HERE
    raise NotImplementedError("loss_gradients")
    return {"W": dL_dW, "B": dL_dB}
