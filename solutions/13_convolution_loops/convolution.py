"""Exercise 13: convolution with loops, in 1-D and then in 2-D.

Loops make every multiplication visible; exercise 14 removes them. Kernels
have an odd size K and "same" padding K // 2, so the output has the input's
size; the stride is 1. Read README.md first.
"""
import numpy as np
from numpy import ndarray


def pad_1d(inp: ndarray, num: int) -> ndarray:
    """inp (length L) with num zeros added at each end: length L + 2 * num."""
    ### BEGIN SOLUTION
    zeros = np.zeros(num)
    return np.concatenate([zeros, inp, zeros])
    ### END SOLUTION


def conv_1d(inp: ndarray, param: ndarray) -> ndarray:
    """The 1-D convolution of inp (length L) with param (length K, odd):
    out[o] = sum over p of padded[o + p] * param[p], with padded = pad_1d(inp, K // 2).
    Length L."""
    assert param.ndim == 1 and param.shape[0] % 2 == 1, "an odd-sized 1-D kernel"
    ### BEGIN SOLUTION
    padded = pad_1d(inp, param.shape[0] // 2)
    out = np.zeros(inp.shape[0])
    for o in range(out.shape[0]):
        for p in range(param.shape[0]):
            out[o] += padded[o + p] * param[p]
    return out
    ### END SOLUTION


def input_grad_1d(inp: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_1d(inp, param) * output_grad) with respect to inp.

    Each input element touched K outputs, each through a different kernel weight:
    collect them from pad_1d(output_grad, K // 2), with the kernel back to front."""
    ### BEGIN SOLUTION
    K = param.shape[0]
    padded_grad = pad_1d(output_grad, K // 2)
    grad = np.zeros(inp.shape[0])
    for i in range(inp.shape[0]):
        for p in range(K):
            grad[i] += padded_grad[i + K - 1 - p] * param[p]
    return grad
    ### END SOLUTION


def param_grad_1d(inp: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_1d(inp, param) * output_grad) with respect to param:
    param_grad[p] = sum over o of padded[o + p] * output_grad[o]."""
    ### BEGIN SOLUTION
    padded = pad_1d(inp, param.shape[0] // 2)
    grad = np.zeros(param.shape[0])
    for p in range(param.shape[0]):
        for o in range(output_grad.shape[0]):
            grad[p] += padded[o + p] * output_grad[o]
    return grad
    ### END SOLUTION


def pad_2d(img: ndarray, num: int) -> ndarray:
    """img (H, W) with num rows of zeros above and below and num columns left and
    right: (H + 2 * num, W + 2 * num)."""
    ### BEGIN SOLUTION
    out = np.zeros((img.shape[0] + 2 * num, img.shape[1] + 2 * num))
    out[num:num + img.shape[0], num:num + img.shape[1]] = img
    return out
    ### END SOLUTION


def conv_2d(img: ndarray, param: ndarray) -> ndarray:
    """The 2-D convolution of one image img (H, W) with param (K, K), K odd:
    out[r, c] = sum over i, j of padded[r + i, c + j] * param[i, j]. Shape (H, W)."""
    assert param.ndim == 2 and param.shape[0] == param.shape[1] and param.shape[0] % 2 == 1
    ### BEGIN SOLUTION
    K = param.shape[0]
    padded = pad_2d(img, K // 2)
    out = np.zeros(img.shape)
    for r in range(img.shape[0]):
        for c in range(img.shape[1]):
            for i in range(K):
                for j in range(K):
                    out[r, c] += padded[r + i, c + j] * param[i, j]
    return out
    ### END SOLUTION


def input_grad_2d(img: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_2d(img, param) * output_grad) with respect to img:
    the padded output_grad convolved with the kernel flipped in both directions."""
    ### BEGIN SOLUTION
    K = param.shape[0]
    padded_grad = pad_2d(output_grad, K // 2)
    grad = np.zeros(img.shape)
    for r in range(img.shape[0]):
        for c in range(img.shape[1]):
            for i in range(K):
                for j in range(K):
                    grad[r, c] += padded_grad[r + K - 1 - i, c + K - 1 - j] * param[i, j]
    return grad
    ### END SOLUTION


def param_grad_2d(img: ndarray, param: ndarray, output_grad: ndarray) -> ndarray:
    """The gradient of sum(conv_2d(img, param) * output_grad) with respect to param:
    param_grad[i, j] = sum over r, c of padded[r + i, c + j] * output_grad[r, c]."""
    ### BEGIN SOLUTION
    K = param.shape[0]
    padded = pad_2d(img, K // 2)
    grad = np.zeros(param.shape)
    for i in range(K):
        for j in range(K):
            for r in range(img.shape[0]):
                for c in range(img.shape[1]):
                    grad[i, j] += padded[r + i, c + j] * output_grad[r, c]
    return grad
    ### END SOLUTION
