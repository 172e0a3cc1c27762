"""Exercise 05: a two-layer neural network by hand, forward pass and gradients.

X (n, k) -> M1 = X W1 (n, h) -> N1 = M1 + B1 -> O1 = sigmoid(N1) -> M2 = O1 W2 (n, 1)
-> P = M2 + B2 -> loss = mean((y - P)**2). Weights: "W1" (k, h), "B1" (1, h),
"W2" (h, 1), "B2" (1, 1). Read README.md first.
"""
from typing import Dict, Tuple

import numpy as np
from numpy import ndarray


def sigmoid(x: ndarray) -> ndarray:
    return 1 / (1 + np.exp(-x))


def init_weights(input_size: int, hidden_size: int, seed: int = 0) -> Dict[str, ndarray]:
    """Random starting weights for a network with one hidden layer of hidden_size."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((input_size, hidden_size)),
        "B1": rng.standard_normal((1, hidden_size)),
        "W2": rng.standard_normal((hidden_size, 1)),
        "B2": rng.standard_normal((1, 1)),
    }


def forward_loss(X: ndarray, y: ndarray,
                 weights: Dict[str, ndarray]) -> Tuple[float, Dict[str, ndarray]]:
    """The mean squared error of the network's prediction, and what backward needs.

    Returns (loss, forward_info), in that order as in exercise 04, with
    forward_info holding "X", "M1", "N1", "O1", "M2", "P" and "y".
    """
    ### BEGIN SOLUTION
    M1 = np.dot(X, weights["W1"])
    N1 = M1 + weights["B1"]
    O1 = sigmoid(N1)
    M2 = np.dot(O1, weights["W2"])
    P = M2 + weights["B2"]
    loss = float(np.mean(np.power(y - P, 2)))
    ### END SOLUTION
    forward_info = {"X": X, "M1": M1, "N1": N1, "O1": O1, "M2": M2, "P": P, "y": y}
    return loss, forward_info


def loss_gradients(forward_info: Dict[str, ndarray],
                   weights: Dict[str, ndarray]) -> Dict[str, ndarray]:
    """The gradient of the mean squared error with respect to W1, B1, W2 and B2.

    Each gradient has the shape of its weight: B1's is (1, h), not a number.
    """
    ### BEGIN SOLUTION
    X, N1, O1, P, y = (forward_info[key] for key in ("X", "N1", "O1", "P", "y"))
    n = X.shape[0]
    dL_dP = -2 * (y - P) / n
    dL_dM2 = dL_dP  # P = M2 + B2
    dL_dB2 = np.sum(dL_dP, axis=0, keepdims=True)
    dL_dW2 = np.dot(O1.T, dL_dM2)  # M2 = O1 W2
    dL_dO1 = np.dot(dL_dM2, weights["W2"].T)
    dL_dN1 = dL_dO1 * sigmoid(N1) * (1 - sigmoid(N1))
    dL_dB1 = np.sum(dL_dN1, axis=0, keepdims=True)  # N1 = M1 + B1
    dL_dW1 = np.dot(X.T, dL_dN1)  # M1 = X W1
    ### END SOLUTION
    return {"W1": dL_dW1, "B1": dL_dB1, "W2": dL_dW2, "B2": dL_dB2}
