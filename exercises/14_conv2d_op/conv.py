"""Exercise 14: convolution as an operation: batches, channels, no loops.

input_ is (batch, in_channels, height, width) and the parameter W is
(out_channels, in_channels, K, K), as in PyTorch, with K odd, "same" padding
K // 2 and stride 1: the output is (batch, out_channels, height, width).
The operations (06) are given to you finished. Read README.md first.
"""
import numpy as np
from numpy import ndarray
from numpy.lib.stride_tricks import sliding_window_view

from operations import Operation, ParamOperation


def image_patches(x: ndarray, K: int) -> ndarray:
    """Every K x K patch of x (batch, channels, H, W) padded by K // 2, one row per
    output pixel: shape (batch * H * W, channels * K * K), rows in the order
    (image, row, column), each row in the order (channel, i, j)."""
    # YOUR CODE HERE
    raise NotImplementedError("image_patches")


class Conv2D_Op(ParamOperation):
    """A 2-D convolution of a batch of multi-channel images with W."""

    def __init__(self, W: ndarray):
        assert W.ndim == 4 and W.shape[2] == W.shape[3] and W.shape[2] % 2 == 1, (
            "W is (out_channels, in_channels, K, K) with K odd")
        super().__init__(W)

    def _output(self) -> ndarray:
        """out[b, o, r, c] = sum over channels ch and i, j of
        padded[b, ch, r + i, c + j] * W[o, ch, i, j]."""
        # YOUR CODE HERE
        raise NotImplementedError("_output")

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """Each output pixel sends its gradient back to the K x K input pixels it
        was computed from, weighted by W. (Equivalently: the padded output_grad
        convolved with W flipped in both spatial directions, in_channels and
        out_channels swapped.)"""
        # YOUR CODE HERE
        raise NotImplementedError("_input_grad")

    def _param_grad(self, output_grad: ndarray) -> ndarray:
        """W_grad[o, ch, i, j] = sum over images b and pixels r, c of
        padded[b, ch, r + i, c + j] * output_grad[b, o, r, c]."""
        # YOUR CODE HERE
        raise NotImplementedError("_param_grad")


class Flatten(Operation):
    """(batch, channels, H, W) -> (batch, channels * H * W), and back in backward."""

    def _output(self) -> ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("_output")

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        # YOUR CODE HERE
        raise NotImplementedError("_input_grad")
