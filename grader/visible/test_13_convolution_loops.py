"""Visible checks for exercise 13: worked examples and gradient checks, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. The gradient checks
compare your own input_grad and param_grad with numerical derivatives of your
own conv_1d and conv_2d.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr


def split(got, k):
    """The gradcheck result of the case with kernel size k, from a probe's flat dict."""
    return {key.split(".", 1)[1]: v for key, v in got.items() if key.startswith(f"K{k}.")}


@check("worked examples: pad_1d, conv_1d, pad_2d, conv_2d (K = 3 and K = 5)", points=1,
       hint=("Pad with K // 2 zeros (1 for K = 3, 2 for K = 5), then out[o] = sum over p of "
             "padded[o + p] * param[p], no kernel flip. conv_1d([1, 2, 3, 4], [1, 0, -1]) is "
             "[-2, -2, -2, 3]; in 2-D, H = img.shape[0] and W = img.shape[1] differ."))
def test_visible_examples(ex):
    k2 = np.zeros((3, 3))
    k2[1, 2], k2[0, 1] = 1.0, 2.0  # picks the pixel to the right, twice the one above
    k5 = np.zeros((5, 5))
    k5[0, 0], k5[4, 3] = 1.0, -1.0
    img = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    img5 = np.arange(1.0, 13.0).reshape(3, 4)

    def probe(m, img, img5, k2, k5):
        return {"pad_1d": m.pad_1d(np.array([1.0, 2.0, 3.0]), 2),
                "conv_1d_3": m.conv_1d(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, -1.0])),
                "conv_1d_5": m.conv_1d(np.arange(1.0, 7.0), np.array([1.0, 0.0, 0.0, 0.0, 2.0])),
                "pad_2d": m.pad_2d(img, 1),
                "conv_2d_3": m.conv_2d(img, k2),
                "conv_2d_5": m.conv_2d(img5, k5)}

    got = ex.learner(probe, img, img5, k2, k5)
    assert_close(got["pad_1d"], np.array([0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0]),
                 "pad_1d([1, 2, 3], 2)")
    assert_close(got["conv_1d_3"], np.array([-2.0, -2.0, -2.0, 3.0]),
                 "conv_1d([1, 2, 3, 4], [1, 0, -1])", suspects={
                     tr("the kernel flipped (np.convolve): the book's convolution is a "
                        "cross-correlation"): np.array([2.0, 2.0, 2.0, -3.0])})
    assert_close(got["conv_1d_5"], np.array([6.0, 8.0, 11.0, 14.0, 3.0, 4.0]),
                 "conv_1d([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 2])")
    assert_close(got["pad_2d"], np.array([[0.0, 0.0, 0.0, 0.0, 0.0],
                                          [0.0, 1.0, 2.0, 3.0, 0.0],
                                          [0.0, 4.0, 5.0, 6.0, 0.0],
                                          [0.0, 0.0, 0.0, 0.0, 0.0]]),
                 "pad_2d([[1, 2, 3], [4, 5, 6]], 1)")
    assert_close(got["conv_2d_3"], np.array([[2.0, 3.0, 0.0], [7.0, 10.0, 6.0]]),
                 tr("conv_2d([[1, 2, 3], [4, 5, 6]], param) with param[1, 2] = 1, "
                    "param[0, 1] = 2, zeros elsewhere"))
    assert_close(got["conv_2d_5"], np.array([[-10.0, -11.0, -12.0, 0.0],
                                             [0.0, 0.0, 0.0, 0.0],
                                             [0.0, 0.0, 1.0, 2.0]]),
                 tr("conv_2d(img, param) with img = [[1, 2, 3, 4], [5, 6, 7, 8], "
                    "[9, 10, 11, 12]], param (5, 5) with param[0, 0] = 1, param[4, 3] = -1, "
                    "zeros elsewhere"))


@check("input_grad_1d and param_grad_1d agree with numerical gradients of your conv_1d",
       points=1,
       hint=("Both are gradients of sum(conv_1d(inp, param) * output_grad): use output_grad, "
             "pad with K // 2, and run the kernel back to front for the input: grad[i] = sum "
             "over p of padded_grad[i + K - 1 - p] * param[p]."))
def test_visible_grads_1d(ex):
    cases = {k: (ex.rng.standard_normal(n), ex.rng.standard_normal(k))
             for k, n in {3: 7, 5: 8}.items()}

    def probe(m, cases, seed):
        out = {}
        for k, (x, w) in cases.items():
            result = gradcheck.probe(
                forward=lambda inp, param: m.conv_1d(inp, param),
                inputs={"inp": x, "param": w},
                backward=lambda g, x=x, w=w: {"inp": m.input_grad_1d(x, w, g),
                                              "param": m.param_grad_1d(x, w, g)},
                seed=seed + k,
            )
            out.update({f"K{k}.{key}": value for key, value in result.items()})
        return out

    got = ex.learner(probe, cases, ex.seed)
    for k, (x, _) in cases.items():
        gradcheck.verify(split(got, k), tr("input_grad_1d and param_grad_1d, inp of length "
                                           "{n}, K = {k}").format(n=x.shape[0], k=k))


@check("input_grad_2d and param_grad_2d agree with numerical gradients of your conv_2d",
       points=1,
       hint=("The same as in 1-D with two indices: the input gradient flips the kernel in both "
             "directions, param_grad[i, j] = sum over r < H, c < W of padded[r + i, c + j] * "
             "output_grad[r, c]. Keep H (rows) and W (columns) apart: the images are not "
             "square."))
def test_visible_grads_2d(ex):
    cases = {k: (ex.rng.standard_normal(shape), ex.rng.standard_normal((k, k)))
             for k, shape in {3: (5, 4), 5: (4, 6)}.items()}

    def probe(m, cases, seed):
        out = {}
        for k, (img, w) in cases.items():
            result = gradcheck.probe(
                forward=lambda img, param: m.conv_2d(img, param),
                inputs={"img": img, "param": w},
                backward=lambda g, img=img, w=w: {"img": m.input_grad_2d(img, w, g),
                                                  "param": m.param_grad_2d(img, w, g)},
                seed=seed + k,
            )
            out.update({f"K{k}.{key}": value for key, value in result.items()})
        return out

    got = ex.learner(probe, cases, ex.seed)
    for k, (img, _) in cases.items():
        gradcheck.verify(split(got, k), tr("input_grad_2d and param_grad_2d, img {shape}, "
                                           "param ({k}, {k})").format(shape=img.shape, k=k))
