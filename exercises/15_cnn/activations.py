# Given, finished, from exercise 09: you do not need to edit this file.
# Generated from solutions/09_activations_and_loss/activations.py by `make stubs`.
"""Exercise 09: Tanh and ReLU operations, and the softmax cross-entropy loss.

The operations (06) and layers (07) are given to you finished. Inputs are
(batch, features); for the loss, each row of the prediction holds one logit per
class and each row of the target is one-hot. Read README.md first.
"""
import numpy as np
from numpy import ndarray

from layers import Loss
from operations import Operation


class Tanh(Operation):
    """The hyperbolic tangent, element-wise."""

    def _output(self) -> ndarray:
        return np.tanh(self.input_)

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """Use the stored output: tanh'(x) = 1 - tanh(x)**2."""
        return output_grad * (1 - self.output * self.output)


class ReLU(Operation):
    """max(0, x), element-wise."""

    def _output(self) -> ndarray:
        return np.maximum(0.0, self.input_)

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """output_grad where the input was positive, 0 elsewhere."""
        return output_grad * (self.input_ > 0)


def softmax(x: ndarray, axis: int = 1) -> ndarray:
    """exp(x) / sum(exp(x)) along axis: each row becomes probabilities that add up
    to 1. Subtract each row's maximum first, so that exp never overflows."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)


class SoftmaxCrossEntropy(Loss):
    """The cross-entropy of softmax(prediction) against one-hot targets, averaged
    over the batch: -sum(target * log(softmax(prediction))) / n.

    Finite even for logits near +-1000: compute log(softmax) as
    x - max - log(sum(exp(x - max))), never log of a probability that rounded to 0.
    """

    def _output(self) -> float:
        shifted = self.prediction - np.max(self.prediction, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.softmax_preds = np.exp(log_probs)
        return float(-np.sum(self.target * log_probs) / self.prediction.shape[0])

    def _input_grad(self) -> ndarray:
        """(softmax(prediction) - target) / n."""
        return (softmax(self.prediction) - self.target) / self.prediction.shape[0]
