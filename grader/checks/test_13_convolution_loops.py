"""Checks for exercise 13: padding, convolution and its two gradients, with loops.

Every function is checked with K = 3 and K = 5, so padding hard-coded to 1 fails.
Images are never square: H < W where results are compared with the reference (a
loop over the columns that runs to H leaves columns at zero, and is named), H > W
in the numerical checks (a loop over the rows that runs to W is found there).
Inputs have negative values; output gradients are random normal, never all ones
(at interior pixels all ones cannot tell a flipped kernel from an unflipped one).
The numerical checks differentiate the grader's own convolution, so a mistake in
conv_1d or conv_2d cannot fail them.

The known-wrong results (suspects) are computed here with plain NumPy: `correlate`
is the book's convolution (a cross-correlation) with any padding, and
`kernel_grad` the parameter gradient with any padding.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader import assert_close, check, gradcheck, tr

SIZES_1D = {3: 9, 5: 10}


# --------------------------------------------------------------------------- plain NumPy


def correlate(x, w, pad, out_shape=None):
    """out[o] = sum over p of padded[o + p] * w[p] (any number of axes), padded = x
    with `pad` zeros on every side; out_shape keeps only the first outputs."""
    windows = sliding_window_view(np.pad(x, pad), w.shape)
    if out_shape is not None:
        windows = windows[tuple(slice(0, n) for n in out_shape)]
    return np.tensordot(windows, w, axes=w.ndim)


def kernel_grad(x, g, k, pad):
    """grad[p] = sum over o of padded[o + p] * g[o] for p < k, padded = x with `pad`
    zeros on every side; o runs over g, or over as many outputs as fit."""
    padded = np.pad(x, pad)
    fit = tuple(min(n, size - k + 1) for n, size in zip(g.shape, padded.shape, strict=True))
    g = g[tuple(slice(0, n) for n in fit)]
    windows = sliding_window_view(padded, g.shape)[tuple(slice(0, k) for _ in fit)]
    return np.tensordot(windows, g, axes=g.ndim)


def first_columns(a, n):
    """a with every column from n on set to zero."""
    a = np.array(a, dtype=np.float64)
    a[:, n:] = 0
    return a


def first_rows(a, n):
    a = np.array(a, dtype=np.float64)
    a[n:, :] = 0
    return a


def square_only(result, shape):
    """The suspect for a loop bound that uses H where W belongs (or W where H does)."""
    height, width = shape
    if height < width:
        return {tr("only the first H columns filled in: a loop over the columns runs to H "
                   "(img.shape[0]) where W (img.shape[1]) belongs"):
                first_columns(result, height)}
    return {tr("only the first W rows filled in: a loop over the rows runs to W "
               "(img.shape[1]) where H (img.shape[0]) belongs"): first_rows(result, width)}


def padding_suspects(x, w):
    """Known-wrong forward results of a padding mistake, for a kernel w of odd size K."""
    k = w.shape[0]
    out = {tr("no padding: the output shrinks to L - K + 1"): correlate(x, w, 0)}
    if k != 3:
        out[tr("padding 1 whatever the kernel size (right only for K = 3): the output "
               "shrinks")] = correlate(x, w, 1)
    out[tr("padding K // 2 + 1: one zero too many at each border, so the output is "
           "shifted by one")] = correlate(x, w, k // 2 + 1, x.shape)
    out[tr("padding K // 2 + 1: one zero too many at each border, so the output has "
           "two extra elements")] = correlate(x, w, k // 2 + 1)
    out[tr("padding K // 2 - 1: one zero too few at each border")] = \
        correlate(x, w, k // 2 - 1)
    return out


def kernel_grad_suspects(x, g, k):
    """Known-wrong parameter gradients."""
    out = {tr("the gradient with output_grad ignored (as if it were all ones)"):
           kernel_grad(x, np.ones_like(g), k, k // 2),
           tr("no padding: the input is not padded"): kernel_grad(x, g, k, 0)}
    if k != 3:
        out[tr("padding 1 whatever the kernel size (right only for K = 3)")] = \
            kernel_grad(x, g, k, 1)
    out[tr("the input padded with K // 2 + 1: one zero too many at each border")] = \
        kernel_grad(x, g, k, k // 2 + 1)
    out[tr("the input padded with K // 2 - 1: one zero too few at each border")] = \
        kernel_grad(x, g, k, k // 2 - 1)
    out[tr("the gradient back to front (the kernel flipped)")] = \
        np.flip(kernel_grad(x, g, k, k // 2))
    return out


def input_grad_suspects(x, w, g):
    """Known-wrong input gradients."""
    k = w.shape[0]
    flipped = np.flip(w)
    return {
        tr("the gradient without the kernel flip: output_grad correlated with param as in "
           "the forward pass, where the kernel must run back to front"):
            correlate(g, w, k // 2),
        tr("the gradient with output_grad ignored (as if it were all ones)"):
            correlate(np.ones_like(g), flipped, k // 2),
        tr("the gradient computed from the input where output_grad belongs"):
            correlate(x, flipped, k // 2),
        tr("output_grad padded with K // 2 + 1: one zero too many at each border"):
            correlate(g, flipped, k // 2 + 1, g.shape),
    }


def numeric_probe(m, function, wrt, cases, seed):
    """gradcheck.probe of the learner's `function` (input_grad_1d, param_grad_2d, ...)
    for each kernel size K in cases {K: (input, param)}: the gradient for wrt, the
    input's name ("inp", "img") or "param", of sum(correlate(input, param) * G)."""
    grad = getattr(m, function)
    out = {}
    for k, (x, w) in cases.items():

        def forward(x=x, w=w, **nudged):
            """The forward pass, with gradcheck's value for wrt."""
            (value,) = nudged.values()
            pad = w.shape[0] // 2
            return correlate(x, value, pad) if wrt == "param" else correlate(value, w, pad)

        result = gradcheck.probe(
            forward=forward,
            inputs={wrt: w if wrt == "param" else x},
            backward=lambda g, x=x, w=w: {wrt: grad(x, w, g)},
            seed=seed + k,
        )
        out.update({f"K{k}.{key}": value for key, value in result.items()})
    return out


def split(got, k):
    """The gradcheck result of the case with kernel size k, from a probe's flat dict."""
    return {key.split(".", 1)[1]: v for key, v in got.items() if key.startswith(f"K{k}.")}


# --------------------------------------------------------------------------- 1-D


@check("pad_1d adds num zeros at each end", points=1,
       hint=("pad_1d(inp, num) is num zeros, then inp, then num zeros: length L + 2 * num, "
             "e.g. np.concatenate([np.zeros(num), inp, np.zeros(num)])."))
def test_pad_1d(ex):
    x = ex.rng.standard_normal(8)

    def probe(m, x):
        return {"1": m.pad_1d(x, 1), "2": m.pad_1d(x, 2), "3": m.pad_1d(x, 3)}

    got, want = ex.both(probe, x)
    for num in (1, 2, 3):
        assert_close(got[str(num)], want[str(num)],
                     tr("pad_1d(inp, {num}) with inp of length 8").format(num=num),
                     suspects={
                         tr("num - 1 zeros at each end"): np.pad(x, num - 1),
                         tr("num + 1 zeros at each end"): np.pad(x, num + 1),
                         tr("2 * num zeros at each end"): np.pad(x, 2 * num),
                         tr("num zeros at the start only"): np.pad(x, (num, 0)),
                         tr("num zeros at the end only"): np.pad(x, (0, num)),
                     })


@check("conv_1d is the book's convolution with padding K // 2 (K = 3 and K = 5)", points=2,
       hint=("Pad with K // 2 zeros at each end (pad_1d(inp, K // 2)), then for each output o: "
             "out[o] = sum over p of padded[o + p] * param[p]. The kernel is not flipped: the "
             "book's convolution is what np.correlate computes. The output has the input's "
             "length."))
def test_conv_1d(ex):
    rng = ex.rng
    cases = {k: (rng.standard_normal(n), rng.standard_normal(k)) for k, n in SIZES_1D.items()}

    def probe(m, cases):
        return {str(k): m.conv_1d(x, w) for k, (x, w) in cases.items()}

    got, want = ex.both(probe, cases)
    for k, (x, w) in cases.items():
        assert_close(got[str(k)], want[str(k)],
                     tr("conv_1d(inp, param) with inp of length {n}, K = {k}").format(
                         n=x.shape[0], k=k),
                     at={"inp": x}, suspects={
                         tr("the kernel flipped: a true convolution (np.convolve), where the "
                            "book's convolution is a cross-correlation (np.correlate)"):
                             correlate(x, np.flip(w), k // 2),
                         **padding_suspects(x, w),
                     })


@check("input_grad_1d is the gradient of sum(conv_1d(inp, param) * output_grad) for inp",
       points=2,
       hint=("inp[i] reaches out[o] through param[i - o + K // 2]. Pad output_grad with K // 2 "
             "zeros and run the kernel back to front: grad[i] = sum over p of "
             "padded_grad[i + K - 1 - p] * param[p]."))
def test_input_grad_1d(ex):
    rng = ex.rng
    cases = {k: (rng.standard_normal(n), rng.standard_normal(k), rng.standard_normal(n))
             for k, n in SIZES_1D.items()}

    def probe(m, cases):
        return {str(k): m.input_grad_1d(x, w, g) for k, (x, w, g) in cases.items()}

    got, want = ex.both(probe, cases)
    for k, (x, w, g) in cases.items():
        assert_close(got[str(k)], want[str(k)],
                     tr("input_grad_1d(inp, param, output_grad) with inp of length {n}, "
                        "K = {k}").format(n=x.shape[0], k=k), at={"output_grad": g},
                     suspects=input_grad_suspects(x, w, g))


@check("input_grad_1d agrees with a numerical gradient", points=1,
       hint=("Nudge inp[i]: out[o] changes by param[i - o + K // 2] for the K outputs o near "
             "i, each weighted by output_grad[o]. Near the ends some of those outputs do not "
             "exist: the padded output_grad supplies zeros there."))
def test_input_grad_1d_numeric(ex):
    rng = ex.rng
    cases = {k: (rng.standard_normal(n), rng.standard_normal(k)) for k, n in SIZES_1D.items()}

    got = ex.learner(numeric_probe, "input_grad_1d", "inp", cases, ex.seed)
    for k, (x, _) in cases.items():
        gradcheck.verify(split(got, k), tr("input_grad_1d(inp, param, output_grad), inp of "
                                           "length {n}, K = {k}").format(n=x.shape[0], k=k))


@check("param_grad_1d is the gradient of sum(conv_1d(inp, param) * output_grad) for param",
       points=2,
       hint=("param[p] multiplies padded[o + p] in every output o, and each output counts "
             "output_grad[o] times: param_grad[p] = sum over o of padded[o + p] * "
             "output_grad[o], with padded = pad_1d(inp, K // 2)."))
def test_param_grad_1d(ex):
    rng = ex.rng
    cases = {k: (rng.standard_normal(n), rng.standard_normal(k), rng.standard_normal(n))
             for k, n in SIZES_1D.items()}

    def probe(m, cases):
        return {str(k): m.param_grad_1d(x, w, g) for k, (x, w, g) in cases.items()}

    got, want = ex.both(probe, cases)
    for k, (x, _, g) in cases.items():
        assert_close(got[str(k)], want[str(k)],
                     tr("param_grad_1d(inp, param, output_grad) with inp of length {n}, "
                        "K = {k}").format(n=x.shape[0], k=k),
                     suspects=kernel_grad_suspects(x, g, k))


@check("param_grad_1d agrees with a numerical gradient", points=1,
       hint=("Nudge param[p]: every output o changes by padded[o + p], weighted by "
             "output_grad[o]. Use output_grad, pad with K // 2 (not 1), and sum over all L "
             "outputs."))
def test_param_grad_1d_numeric(ex):
    rng = ex.rng
    cases = {k: (rng.standard_normal(n), rng.standard_normal(k)) for k, n in SIZES_1D.items()}

    got = ex.learner(numeric_probe, "param_grad_1d", "param", cases, ex.seed)
    for k, (x, _) in cases.items():
        gradcheck.verify(split(got, k), tr("param_grad_1d(inp, param, output_grad), inp of "
                                           "length {n}, K = {k}").format(n=x.shape[0], k=k))


# --------------------------------------------------------------------------- 2-D


def cases_2d(rng, shapes, with_grad=True):
    """{K: (img, param[, output_grad])} for each K and image shape."""
    out = {}
    for k, shape in shapes.items():
        case = (rng.standard_normal(shape), rng.standard_normal((k, k)))
        out[k] = case + (rng.standard_normal(shape),) if with_grad else case
    return out


@check("pad_2d adds num rows above and below and num columns left and right", points=1,
       hint=("The result is (H + 2 * num, W + 2 * num): zeros of that shape, with img copied "
             "into out[num:num + H, num:num + W]. H is img.shape[0] (rows), W is img.shape[1] "
             "(columns); they differ."))
def test_pad_2d(ex):
    cases = {(5, 7): 1, (6, 3): 2, (4, 5): 3}
    imgs = {shape: ex.rng.standard_normal(shape) for shape in cases}

    def probe(m, imgs, cases):
        return {f"{h}x{w}": m.pad_2d(img, cases[(h, w)]) for (h, w), img in imgs.items()}

    got, want = ex.both(probe, imgs, cases)
    for (h, w), img in imgs.items():
        num, key = cases[(h, w)], f"{h}x{w}"
        what = tr("pad_2d(img, {num}) with img ({h}, {w})").format(num=num, h=h, w=w)
        assert_close(got[key], want[key], what, suspects={
            tr("the image transposed: H and W swapped"): np.pad(img.T, num),
            tr("num - 1 zeros on each side"): np.pad(img, num - 1),
            tr("num + 1 zeros on each side"): np.pad(img, num + 1),
            tr("2 * num zeros on each side"): np.pad(img, 2 * num),
            tr("rows of zeros above and below only, no columns"):
                np.pad(img, ((num, num), (0, 0))),
            tr("columns of zeros left and right only, no rows"):
                np.pad(img, ((0, 0), (num, num))),
            tr("zeros above and left only"): np.pad(img, ((num, 0), (num, 0))),
            tr("zeros below and right only"): np.pad(img, ((0, num), (0, num))),
        })


@check("conv_2d is the book's convolution with padding K // 2, on non-square images", points=2,
       hint=("Pad with pad_2d(img, K // 2); then out[r, c] = sum over i, j of "
             "padded[r + i, c + j] * param[i, j], for r < H = img.shape[0] and "
             "c < W = img.shape[1]. No kernel flip: the book's convolution is a "
             "cross-correlation."))
def test_conv_2d(ex):
    cases = cases_2d(ex.rng, {3: (5, 7), 5: (6, 8)}, with_grad=False)

    def probe(m, cases):
        return {str(k): m.conv_2d(img, w) for k, (img, w) in cases.items()}

    got, want = ex.both(probe, cases)
    for k, (img, w) in cases.items():
        true = correlate(img, w, k // 2)
        assert_close(got[str(k)], want[str(k)],
                     tr("conv_2d(img, param) with img {shape}, param ({k}, {k})").format(
                         shape=img.shape, k=k),
                     at={"img": img}, suspects={
                         tr("the kernel flipped: a true convolution, where the book's "
                            "convolution is a cross-correlation (no flip)"):
                             correlate(img, np.flip(w), k // 2),
                         tr("the kernel transposed: param[j, i] where param[i, j] belongs"):
                             correlate(img, w.T, k // 2),
                         tr("the image transposed: H and W swapped"):
                             correlate(img.T, w, k // 2),
                         **square_only(true, img.shape),
                         **padding_suspects(img, w),
                     })


@check("input_grad_2d is the gradient for img: output_grad with the kernel flipped", points=2,
       hint=("Pad output_grad with K // 2 and run the kernel back to front in BOTH directions: "
             "grad[r, c] = sum over i, j of padded_grad[r + K - 1 - i, c + K - 1 - j] * "
             "param[i, j]. Without the flip the result is right only for symmetric kernels."))
def test_input_grad_2d(ex):
    # First a single 1 in output_grad: the gradient is then the kernel as the code applies
    # it, turned 180 degrees. A kernel left unflipped shows as the mirror image.
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1.0
    cases = {"impulse": (ex.rng.standard_normal((5, 5)), ex.rng.standard_normal((3, 3)),
                         impulse),
             **cases_2d(ex.rng, {3: (4, 6), 5: (5, 7)})}

    def probe(m, cases):
        return {str(k): m.input_grad_2d(img, w, g) for k, (img, w, g) in cases.items()}

    got, want = ex.both(probe, cases)
    for key, (img, w, g) in cases.items():
        k = w.shape[0]
        true = correlate(g, np.flip(w), k // 2)
        what = (tr("input_grad_2d(img, param, output_grad) with output_grad a single 1 at "
                   "[2, 2], param (3, 3)") if key == "impulse" else
                tr("input_grad_2d(img, param, output_grad) with img {shape}, "
                   "param ({k}, {k})").format(shape=img.shape, k=k))
        assert_close(got[str(key)], want[str(key)], what, at={"output_grad": g}, suspects={
            **input_grad_suspects(img, w, g),
            tr("the kernel flipped top to bottom only (it must be flipped both ways)"):
                correlate(g, np.flip(w, 0), k // 2),
            tr("the kernel flipped left to right only (it must be flipped both ways)"):
                correlate(g, np.flip(w, 1), k // 2),
            tr("the kernel transposed instead of flipped"): correlate(g, w.T, k // 2),
            **(square_only(true, img.shape) if key != "impulse" else {}),
        })


@check("input_grad_2d agrees with a numerical gradient", points=1,
       hint=("Nudge img[r, c]: it reaches out[r - i + K // 2, c - j + K // 2] through "
             "param[i, j]. Collect those K * K terms, each weighted by output_grad there, and "
             "cover all H rows and W columns."))
def test_input_grad_2d_numeric(ex):
    cases = cases_2d(ex.rng, {3: (7, 5), 5: (8, 6)}, with_grad=False)

    got = ex.learner(numeric_probe, "input_grad_2d", "img", cases, ex.seed)
    for k, (img, _) in cases.items():
        gradcheck.verify(split(got, k), f"input_grad_2d(img, param, output_grad), img "
                         f"{img.shape}, param ({k}, {k})")


@check("param_grad_2d is the gradient for param, on non-square images", points=2,
       hint=("param[i, j] multiplies padded[r + i, c + j] in every output: param_grad[i, j] = "
             "sum over r < H, c < W of padded[r + i, c + j] * output_grad[r, c], with padded = "
             "pad_2d(img, K // 2). It has param's shape (K, K)."))
def test_param_grad_2d(ex):
    cases = cases_2d(ex.rng, {3: (4, 7), 5: (6, 8)})

    def probe(m, cases):
        return {str(k): m.param_grad_2d(img, w, g) for k, (img, w, g) in cases.items()}

    got, want = ex.both(probe, cases)
    for k, (img, _, g) in cases.items():
        h, w = img.shape
        if h < w:
            partial = {tr("a sum over the first H columns only: a loop over the columns runs "
                          "to H (img.shape[0]) where W (img.shape[1]) belongs"):
                           kernel_grad(img, first_columns(g, h), k, k // 2)}
        else:
            partial = {tr("a sum over the first W rows only: a loop over the rows runs to W "
                          "(img.shape[1]) where H (img.shape[0]) belongs"):
                           kernel_grad(img, first_rows(g, w), k, k // 2)}
        true = kernel_grad(img, g, k, k // 2)
        assert_close(got[str(k)], want[str(k)],
                     tr("param_grad_2d(img, param, output_grad) with img {shape}, "
                        "param ({k}, {k})").format(shape=img.shape, k=k), suspects={
                         **kernel_grad_suspects(img, g, k),
                         tr("the gradient transposed"): true.T,
                         **partial,
                     })


@check("param_grad_2d agrees with a numerical gradient", points=1,
       hint=("Nudge param[i, j]: every output (r, c) changes by padded[r + i, c + j], weighted "
             "by output_grad[r, c]. Use output_grad, pad with K // 2, and sum over all H rows "
             "and W columns."))
def test_param_grad_2d_numeric(ex):
    cases = cases_2d(ex.rng, {3: (6, 5), 5: (7, 6)}, with_grad=False)

    got = ex.learner(numeric_probe, "param_grad_2d", "param", cases, ex.seed)
    for k, (img, _) in cases.items():
        gradcheck.verify(split(got, k), f"param_grad_2d(img, param, output_grad), img "
                         f"{img.shape}, param ({k}, {k})")
