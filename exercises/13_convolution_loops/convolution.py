"""Exercise 13: convolution with loops, in 1-D and then in 2-D.

Loops make every multiplication visible; exercise 14 removes them. Kernels
have an odd size K and "same" padding K // 2, so the output has the input's
size; the stride is 1. Read README.md first.
"""
import numpy as np
from numpy import ndarray


def pad_1d(inp: ndarray, num: int) -> ndarray:
    """inp (length L) with num zeros added at each end: length L + 2 * num."""
    # YOUR CODE HERE
    raise NotImplementedError("pad_1d")


def conv_1d(inp: ndarray, param: ndarray) -> ndarray:
    """The 1-D convolution of inp (length L) with param (length K, odd):
    out[o] = sum over p of padded[o + p] * param[p], with padded = pad_1d(inp, K // 2).
    Length L."""
    assert param.ndim == 1 and param.shape[0] % 2 == 1, "an odd-sized 1-D kernel"
    # YOUR CODE HERE
    raise NotImplementedError("conv_1d")


def input_grad_1d(inp: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_1d(inp, param) * output_grad) with respect to inp.

    Each input element touched K outputs, each through a different kernel weight:
    collect them from pad_1d(output_grad, K // 2), with the kernel back to front."""
    # YOUR CODE HERE
    raise NotImplementedError("input_grad_1d")


def param_grad_1d(inp: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_1d(inp, param) * output_grad) with respect to param:
    param_grad[p] = sum over o of padded[o + p] * output_grad[o]."""
    # YOUR CODE HERE
    raise NotImplementedError("param_grad_1d")


def pad_2d(img: ndarray, num: int) -> ndarray:
    """img (H, W) with num rows of zeros above and below and num columns left and
    right: (H + 2 * num, W + 2 * num)."""
    # YOUR CODE HERE
    raise NotImplementedError("pad_2d")


def conv_2d(img: ndarray, param: ndarray) -> ndarray:
    """The 2-D convolution of one image img (H, W) with param (K, K), K odd:
    out[r, c] = sum over i, j of padded[r + i, c + j] * param[i, j]. Shape (H, W)."""
    assert param.ndim == 2 and param.shape[0] == param.shape[1] and param.shape[0] % 2 == 1
    # YOUR CODE HERE
    raise NotImplementedError("conv_2d")


def input_grad_2d(img: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_2d(img, param) * output_grad) with respect to img:
    the padded output_grad convolved with the kernel flipped in both directions."""
    # YOUR CODE HERE
    raise NotImplementedError("input_grad_2d")


def param_grad_2d(img: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_2d(img, param) * output_grad) with respect to param:
    param_grad[i, j] = sum over r, c of padded[r + i, c + j] * output_grad[r, c]."""
    # YOUR CODE HERE
    raise NotImplementedError("param_grad_2d")
