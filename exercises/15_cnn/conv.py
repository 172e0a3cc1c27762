# Given, finished, from exercise 14: you do not need to edit this file.
# Generated from solutions/14_conv2d_op/conv.py by `make stubs`.
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
    p = K // 2
    padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = sliding_window_view(padded, (K, K), axis=(2, 3))  # (b, c, H, W, K, K)
    b, c, H, W = x.shape
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(b * H * W, c * K * K)


class Conv2D_Op(ParamOperation):
    """A 2-D convolution of a batch of multi-channel images with W."""

    def __init__(self, W: ndarray):
        assert W.ndim == 4 and W.shape[2] == W.shape[3] and W.shape[2] % 2 == 1, (
            "W is (out_channels, in_channels, K, K) with K odd")
        super().__init__(W)

    def _output(self) -> ndarray:
        """out[b, o, r, c] = sum over channels ch and i, j of
        padded[b, ch, r + i, c + j] * W[o, ch, i, j]."""
        b, _, H, W_ = self.input_.shape
        out_channels, _, K, _ = self.param.shape
        self.patches = image_patches(self.input_, K)  # kept for _param_grad
        out = self.patches @ self.param.reshape(out_channels, -1).T  # (b * H * W, out)
        return out.reshape(b, H, W_, out_channels).transpose(0, 3, 1, 2)

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        """Each output pixel sends its gradient back to the K x K input pixels it
        was computed from, weighted by W. (Equivalently: the padded output_grad
        convolved with W flipped in both spatial directions, in_channels and
        out_channels swapped.)"""
        b, in_channels, H, W_ = self.input_.shape
        out_channels, _, K, _ = self.param.shape
        og = output_grad.transpose(0, 2, 3, 1).reshape(-1, out_channels)  # (b * H * W, out)
        patch_grads = (og @ self.param.reshape(out_channels, -1))  # (b * H * W, in * K * K)
        patch_grads = patch_grads.reshape(b, H, W_, in_channels, K, K)
        p = K // 2
        padded = np.zeros((b, in_channels, H + 2 * p, W_ + 2 * p), dtype=patch_grads.dtype)
        for i in range(K):  # add each patch position's share back where it came from
            for j in range(K):
                padded[:, :, i:i + H, j:j + W_] += patch_grads[..., i, j].transpose(0, 3, 1, 2)
        return padded[:, :, p:p + H, p:p + W_]

    def _param_grad(self, output_grad: ndarray) -> ndarray:
        """W_grad[o, ch, i, j] = sum over images b and pixels r, c of
        padded[b, ch, r + i, c + j] * output_grad[b, o, r, c]."""
        out_channels = self.param.shape[0]
        og = output_grad.transpose(1, 0, 2, 3).reshape(out_channels, -1)  # (out, b * H * W)
        return (og @ self.patches).reshape(self.param.shape)


class Flatten(Operation):
    """(batch, channels, H, W) -> (batch, channels * H * W), and back in backward."""

    def _output(self) -> ndarray:
        return self.input_.reshape(self.input_.shape[0], -1)

    def _input_grad(self, output_grad: ndarray) -> ndarray:
        return output_grad.reshape(self.input_.shape)
