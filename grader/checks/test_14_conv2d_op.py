"""Checks for exercise 14: image_patches, Conv2D_Op (batches, channels) and Flatten.

Every convolution is checked with K = 3 and with K = 5, so padding hard-coded to 1
fails; images are never square (5 x 7 with K = 3, 6 x 4 with K = 5), so H used
where W belongs fails; batches have 3 images, so a gradient right only for one
image fails; and channels go from 2 to 3, so in_channels and out_channels cannot
stand in for each other. Output gradients are random normal, never all ones (at
interior pixels all ones cannot tell a flipped kernel from an unflipped one).

The gradient checks set input_ and output as forward would and call _input_grad,
or run forward (which may keep the patches for _param_grad) and call _param_grad,
so a mistake in one method does not fail the other's check. The numerical checks
differentiate the learner's own forward.

The known-wrong results (suspects) are computed here with plain NumPy loops over
the output pixels: `conv` with any padding, `patches`, `input_grad_padded` and
`param_grad`.
"""
import numpy as np

from grader import CheckFailed, assert_close, check, fail, gradcheck, tr

BATCH, C_IN, C_OUT = 3, 2, 3
SIZES = {3: (5, 7), 5: (6, 4)}  # K -> (H, W): never square, both orientations
SMALL = (3, 4)  # images of the numerical checks: x has 3 * 2 * 3 * 4 = 72 elements


# --------------------------------------------------------------------------- plain NumPy


def padded(x, before, after):
    return np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))


def conv(x, W, pads=None):
    """out[b, o, r, c] = sum over ch, i, j of padded[b, ch, r + i, c + j] * W[o, ch, i, j],
    padded with pads = (before, after) zeros (K // 2 on each side unless given)."""
    K = W.shape[2]
    before, after = pads or (K // 2, K // 2)
    xp = padded(x, before, after)
    rows, cols = xp.shape[2] - K + 1, xp.shape[3] - K + 1
    out = np.zeros((x.shape[0], W.shape[0], rows, cols))
    for r in range(rows):
        for c in range(cols):
            out[:, :, r, c] = np.einsum("bcij,ocij->bo", xp[:, :, r:r + K, c:c + K], W)
    return out


def summed_over_out(x, W):
    """conv with the sum taken over the output channels, keeping the input channels."""
    K = W.shape[2]
    xp = padded(x, K // 2, K // 2)
    out = np.zeros(x.shape)
    for r in range(x.shape[2]):
        for c in range(x.shape[3]):
            out[:, :, r, c] = np.einsum("bcij,ocij->bc", xp[:, :, r:r + K, c:c + K], W)
    return out


def patches(x, K, pads=None):
    """One row per output pixel, rows (image, row, column), each row (channel, i, j)."""
    before, after = pads or (K // 2, K // 2)
    xp = padded(x, before, after)
    rows, cols = xp.shape[2] - K + 1, xp.shape[3] - K + 1
    out = np.zeros((x.shape[0], rows, cols, x.shape[1] * K * K))
    for r in range(rows):
        for c in range(cols):
            out[:, r, c] = xp[:, :, r:r + K, c:c + K].reshape(x.shape[0], -1)
    return out.reshape(-1, x.shape[1] * K * K)


def input_grad_padded(shape, W, og):
    """The gradient with respect to the padded input: each output pixel sends
    output_grad back to the K x K pixels it came from, weighted by W."""
    b, ch, H, W_ = shape
    K = W.shape[2]
    p = K // 2
    grad = np.zeros((b, ch, H + 2 * p, W_ + 2 * p))
    for r in range(H):
        for c in range(W_):
            grad[:, :, r:r + K, c:c + K] += np.einsum("bo,ocij->bcij", og[:, :, r, c], W)
    return grad


def crop(grad, K, H, W_, shift=0):
    """The input's part of a padded gradient (shift moves the window by pixels)."""
    start = K // 2 + shift
    return grad[:, :, start:start + H, start:start + W_]


def param_grad(x, W, og, pads=None):
    """W_grad[o, ch, i, j] = sum over b, r, c of padded[b, ch, r + i, c + j] * og[b, o, r, c],
    padded with pads = (before, after) zeros (K // 2 on each side unless given)."""
    K = W.shape[2]
    xp = padded(x, *(pads or (K // 2, K // 2)))
    grad = np.zeros(W.shape)
    for r in range(x.shape[2]):
        for c in range(x.shape[3]):
            grad += np.einsum("bo,bcij->ocij", og[:, :, r, c], xp[:, :, r:r + K, c:c + K])
    return grad


def rows_of(out):
    """(batch, out, H, W) -> the (batch * H * W, out) product it is made from."""
    return out.transpose(0, 2, 3, 1).reshape(-1, out.shape[1])


def shifted(x, W, K):
    """The two outputs shifted by one pixel: padding off by one at the start and end."""
    p = K // 2
    return {
        tr("the output shifted one pixel down and right: one more zero than K // 2 before and "
           "one fewer after (an off-by-one in the padding or the window's start)"):
            conv(x, W, (p + 1, p - 1)),
        tr("the output shifted one pixel up and left: one fewer zero than K // 2 before and "
           "one more after (an off-by-one in the padding or the window's start)"):
            conv(x, W, (p - 1, p + 1)),
    }


# --------------------------------------------------------------------------- helpers


def inputs(rng, K, size=None):
    H, W_ = size or SIZES[K]
    x = rng.standard_normal((BATCH, C_IN, H, W_))
    W = rng.standard_normal((C_OUT, C_IN, K, K))
    og = rng.standard_normal((BATCH, C_OUT, H, W_))
    return x, W, og


def at_k(K, run, *args, k3_runs=None):
    """run(*args); with K = 5, where the same code ran with K = 3, an error in the learner's
    code says what to look at. k3_runs() says whether it did, where the check has not
    already run K = 3."""
    try:
        return run(*args)
    except CheckFailed as exc:
        if K == 3 or exc.kind != "error" or (k3_runs is not None and not k3_runs()):
            raise
        fail(f"{exc.message}\n" + tr(
            "It runs with K = 3 but not with K = 5: is the padding K // 2 (2 here) everywhere, "
            "not a fixed 1? Are K and the sizes read from the shapes, not written as 3?"),
            "error")


def square_only(out):
    """The result of reshaping the (batch * H * W, out) product as (batch, W, H, out)."""
    b, o, H, W_ = out.shape
    return rows_of(out).reshape(b, W_, H, o).transpose(0, 3, 1, 2)


# --------------------------------------------------------------------------- image_patches


@check("image_patches gives one row per output pixel, (channel, i, j) in each row", points=2,
       hint=("Pad H and W by K // 2 (np.pad), take every K x K window "
             "(numpy.lib.stride_tricks.sliding_window_view(padded, (K, K), axis=(2, 3)) gives "
             "(batch, channels, H, W, K, K)), move the channel axis after H and W, and reshape "
             "to (batch * H * W, channels * K * K)."))
def test_image_patches(ex):
    for K, (H, W_) in SIZES.items():
        x = ex.rng.standard_normal((BATCH, C_IN, H, W_))
        got, want = at_k(K, ex.both, lambda m, x, K: m.image_patches(x, K), x, K)
        p = K // 2
        right = patches(x, K)
        n, f = right.shape
        suspects = {
            tr("rows in the order (image, column, row): H and W swapped (right only for square "
               "images)"): right.reshape(BATCH, H, W_, f).transpose(0, 2, 1, 3).reshape(n, f),
            tr("rows in the order (row, column, image): the image must be the first "
               "(outermost) index of the rows"):
                right.reshape(BATCH, H * W_, f).transpose(1, 0, 2).reshape(n, f),
            tr("each row in the order (i, j, channel): the channel comes first, (channel, i, j)"):
                right.reshape(n, C_IN, K, K).transpose(0, 2, 3, 1).reshape(n, f),
            tr("each patch transposed, (channel, j, i): i runs down the rows, j along the columns"):
                right.reshape(n, C_IN, K, K).transpose(0, 1, 3, 2).reshape(n, f),
            tr("no padding: pad by K // 2 so there is one patch per pixel"): patches(x, K, (0, 0)),
            tr("padding K // 2 + 1: one zero too many on each side"): patches(x, K, (p + 1, p + 1)),
            tr("windows shifted one pixel: one more zero than K // 2 before and one fewer after"):
                patches(x, K, (p + 1, p - 1)),
            tr("windows shifted one pixel: one fewer zero than K // 2 before and one more after"):
                patches(x, K, (p - 1, p + 1)),
        }
        if K != 3:
            suspects = {tr("padding 1 whatever K (K // 2 = {p} for K = {K})").format(p=p, K=K):
                        patches(x, K, (1, 1)), **suspects}
        assert_close(got, want,
                     tr("image_patches(x, {K}) with x of shape {shape}").format(K=K, shape=x.shape),
                     suspects=suspects)


# --------------------------------------------------------------------------- forward


def _forward_probe(m, x, W):
    return m.Conv2D_Op(W).forward(x)


def _judge_forward(ex, K):
    x, W, _ = inputs(ex.rng, K)

    def k3_runs():
        x3, W3, _ = inputs(ex.rng, 3)
        try:
            ex.learner(_forward_probe, x3, W3)
        except CheckFailed:
            return False
        return True

    got, want = at_k(K, ex.both, _forward_probe, x, W, k3_runs=k3_runs)
    p = K // 2
    n_out = W.shape[0]
    right = conv(x, W)
    b, _, H, W_ = x.shape
    suspects = {}
    if K != 3:
        suspects[tr("padding 1 whatever K (K // 2 = {p} for K = {K})").format(p=p, K=K)] = \
            conv(x, W, (1, 1))
    suspects.update({
        tr("W flipped in both spatial directions: the forward pass is out[b, o, r, c] = sum of "
           "padded[b, ch, r + i, c + j] * W[o, ch, i, j], no flip (the flip belongs to the input "
           "gradient)"): conv(x, W[:, :, ::-1, ::-1]),
        tr("W read as (in_channels, out_channels, K, K), the book's layout, with in_channels and "
           "out_channels swapped: here W is (out_channels, in_channels, K, K), so use "
           "W.reshape(out_channels, -1)"): conv(x, W.transpose(1, 0, 2, 3).reshape(W.shape)),
        tr("W.reshape(in_channels * K * K, out_channels): W's axes regrouped in the wrong order; "
           "W.reshape(out_channels, -1).T keeps each filter together"):
            conv(x, W.reshape(-1, n_out).T.reshape(W.shape)),
        tr("a sum over the output channels instead of the input channels (channels summed over "
           "the wrong axis)"): summed_over_out(x, W),
        tr("only the first input channel: sum over all the input channels"):
            conv(x[:, :1], W[:, :1]),
        tr("the (batch * H * W, out_channels) product reshaped straight to (batch, out_channels, "
           "H, W): reshape to (batch, H, W, out_channels), then move the channel axis"):
            rows_of(right).reshape(right.shape),
        tr("H and W swapped (right only for square images): the output is (batch, "
           "out_channels, H, W)"): square_only(right),
        tr("patch rows in the order (image, column, row) read back as (image, row, column): H "
           "and W swapped (right only for square images)"):
            right.transpose(0, 3, 2, 1).reshape(b, H, W_, n_out).transpose(0, 3, 1, 2),
        tr("no padding: 'same' padding K // 2 keeps H x W"): conv(x, W, (0, 0)),
        tr("padding K // 2 + 1: one zero too many on each side"): conv(x, W, (p + 1, p + 1)),
        **shifted(x, W, K),
    })
    assert_close(got, want,
                 tr("Conv2D_Op(W).forward(x) with x {x_shape}, W {w_shape} (K = {K})").format(
                     x_shape=x.shape, w_shape=W.shape, K=K),
                 suspects=suspects)


@check("Conv2D_Op's output for K = 3, on a batch of non-square images", points=2,
       hint=("out[b, o, r, c] = sum over channels ch and i, j of padded[b, ch, r + i, c + j] * "
             "W[o, ch, i, j], padded by K // 2 (no flip). With the patches P = image_patches(x, "
             "K): P @ W.reshape(out_channels, -1).T is (batch * H * W, out_channels); reshape "
             "it to (batch, H, W, out_channels) and transpose to (batch, out_channels, H, W)."))
def test_conv_forward_k3(ex):
    _judge_forward(ex, 3)


@check("Conv2D_Op's output for K = 5: padding K // 2 keeps H x W", points=2,
       hint=("out[b, o, r, c] = sum over channels ch and i, j of padded[b, ch, r + i, c + j] * "
             "W[o, ch, i, j], padded by K // 2 (no flip). With the patches P = image_patches(x, "
             "K): P @ W.reshape(out_channels, -1).T is (batch * H * W, out_channels); reshape "
             "it to (batch, H, W, out_channels) and transpose to (batch, out_channels, H, W). "
             "Read K from W.shape, and pad by K // 2 (2 for K = 5)."))
def test_conv_forward_k5(ex):
    _judge_forward(ex, 5)


# --------------------------------------------------------------------------- gradients


def _input_grad_probe(m, x, W, og):
    op = m.Conv2D_Op(W)
    op.input_ = x
    op.output = conv(x, W)  # as forward leaves it, without running the learner's forward
    return op._input_grad(og)


@check("Conv2D_Op's input gradient: output_grad sent back through the flipped kernel",
       points=3,
       hint=("Each output pixel (b, o, r, c) used padded[b, ch, r + i, c + j] with weight "
             "W[o, ch, i, j], so it adds output_grad[b, o, r, c] * W[o, ch, i, j] to the "
             "gradient of that padded pixel; crop K // 2 from each side at the end. As a "
             "convolution: the padded output_grad convolved with W flipped in both spatial "
             "directions (W[:, :, ::-1, ::-1]), in_channels and out_channels swapped."))
def test_conv_input_grad(ex):
    for K in SIZES:
        x, W, og = inputs(ex.rng, K)
        got, want = at_k(K, ex.both, _input_grad_probe, x, W, og)
        H, W_ = x.shape[2:]
        full = input_grad_padded(x.shape, W, og)
        assert_close(got, want, tr("Conv2D_Op(W)._input_grad(output_grad) with x {x_shape}, "
                                   "W {w_shape} (K = {K})").format(
                                       x_shape=x.shape, w_shape=W.shape, K=K), suspects={
                         tr("output_grad convolved with W without flipping it (the book's bug): "
                            "the input gradient uses W flipped in both spatial directions, "
                            "W[:, :, ::-1, ::-1]"): conv(og, W.transpose(1, 0, 2, 3)),
                         tr("output_grad ignored (as if all ones): multiply by output_grad"):
                             crop(input_grad_padded(x.shape, W, np.ones_like(og)), K, H, W_),
                         tr("the padded gradient cropped one pixel too far up and left: drop "
                            "K // 2 rows and columns on each side"):
                             crop(full, K, H, W_, -1),
                         tr("the padded gradient cropped one pixel too far down and right: drop "
                            "K // 2 rows and columns on each side"):
                             crop(full, K, H, W_, 1),
                     })


def _param_grad_probe(m, x, W, og):
    op = m.Conv2D_Op(W)
    op.forward(x)  # _output may keep the patches for _param_grad
    return op._param_grad(og)


def right_for_batch_1(x, W, og):
    """The book's parameter gradient: patch rows in the order (pixel, image) paired with
    output_grad rows in the order (image, pixel)."""
    K = W.shape[2]
    P = patches(x, K)
    b, n, f = x.shape[0], P.shape[0] // x.shape[0], P.shape[1]
    P = P.reshape(b, n, f).transpose(1, 0, 2).reshape(b * n, f)
    return (rows_of(og).T @ P).reshape(W.shape)


def columns_first(x, W, og):
    """The parameter gradient from patch rows in the order (image, column, row), paired with
    output_grad rows in the order (image, row, column)."""
    b, _, H, W_ = x.shape
    P = patches(x, W.shape[2])
    P = P.reshape(b, H, W_, -1).transpose(0, 2, 1, 3).reshape(P.shape)
    return (rows_of(og).T @ P).reshape(W.shape)


@check("Conv2D_Op's parameter gradient sums over every image of the batch", points=3,
       hint=("W_grad[o, ch, i, j] = sum over images b and pixels r, c of "
             "padded[b, ch, r + i, c + j] * output_grad[b, o, r, c]. With the patches P "
             "(batch * H * W, in_channels * K * K), rows (image, row, column): put output_grad "
             "in the same row order, G = output_grad.transpose(0, 2, 3, 1).reshape(-1, "
             "out_channels); then G.T @ P, reshaped to W's shape."))
def test_conv_param_grad(ex):
    for K in SIZES:
        x, W, og = inputs(ex.rng, K)
        got, want = at_k(K, ex.both, _param_grad_probe, x, W, og)
        right = param_grad(x, W, og)
        assert_close(got, want, tr("Conv2D_Op(W)._param_grad(output_grad) for a batch of "
                                   "{batch} images, W {w_shape} (K = {K})").format(
                                       batch=BATCH, w_shape=W.shape, K=K), suspects={
                         tr("a gradient right only for batch 1 (the book's bug): each image's "
                            "patches are paired with another image's output_grad (patch rows in "
                            "the order (pixel, image), output_grad rows in the order (image, "
                            "pixel))"): right_for_batch_1(x, W, og),
                         tr("patch rows in the order (image, column, row) paired with "
                            "output_grad rows in the order (image, row, column): H and W swapped "
                            "(right only for square images)"): columns_first(x, W, og),
                         tr("the gradient of the first image only: sum over every image of the "
                            "batch"): param_grad(x[:1], W, og[:1]),
                         tr("the gradient of the last image only: sum over every image of the "
                            "batch"): param_grad(x[-1:], W, og[-1:]),
                         tr("output_grad ignored (as if all ones): multiply the patches by "
                            "output_grad"): param_grad(x, W, np.ones_like(og)),
                         tr("the mean over the batch instead of the sum"): right / BATCH,
                         tr("W's gradient flipped in both spatial directions"):
                             right[:, :, ::-1, ::-1],
                         tr("in_channels and out_channels swapped: W_grad has W's shape "
                            "(out_channels, in_channels, K, K)"): right.transpose(1, 0, 2, 3),
                         tr("the gradient computed as (in_channels, out_channels, K, K) and "
                            "reshaped to W's shape: transpose the axes, not reshape"):
                             right.transpose(1, 0, 2, 3).reshape(W.shape),
                         tr("P.T @ G reshaped to W's shape: that is (in_channels * K * K, "
                            "out_channels), the transpose of G.T @ P"):
                             right.reshape(W.shape[0], -1).T.reshape(W.shape),
                         tr("the gradient from windows shifted one pixel: one more zero than "
                            "K // 2 before and one fewer after"):
                             param_grad(x, W, og, (K // 2 + 1, K // 2 - 1)),
                         tr("the gradient from windows shifted one pixel: one fewer zero than "
                            "K // 2 before and one more after"):
                             param_grad(x, W, og, (K // 2 - 1, K // 2 + 1)),
                     })


# --------------------------------------------------------------------------- numerical


def _numeric_probe(m, x, W, seed, wrt):
    """gradcheck.probe of a fresh Conv2D_Op per forward; the gradient from the first."""
    ops = []

    def forward(x, W):
        op = m.Conv2D_Op(W)
        ops.append(op)
        return op.forward(x)

    def backward(g):
        op = ops[0]
        return {"x": op._input_grad(g)} if wrt == "x" else {"W": op._param_grad(g)}

    def only(**value):
        return forward(**{"x": x, "W": W, **value})

    return gradcheck.probe(only, {wrt: x if wrt == "x" else W}, backward, seed)


@check("Conv2D_Op's input gradient agrees with a numerical one", points=2,
       hint=("_input_grad must be the gradient of sum(forward(x) * output_grad) for x, with "
             "your own forward: every input pixel collects output_grad[b, o, r, c] * "
             "W[o, ch, i, j] from each output pixel whose window covered it."))
def test_conv_input_grad_numeric(ex):
    for K in SIZES:
        x, W, _ = inputs(ex.rng, K, SMALL)
        result = at_k(K, ex.learner, _numeric_probe, x, W, ex.seed, "x")
        gradcheck.verify(result, tr("Conv2D_Op(W) with W {w_shape} (K = {K}): forward(x) of "
                                    "x {x_shape}, then _input_grad").format(
                                        w_shape=W.shape, K=K, x_shape=x.shape))


@check("Conv2D_Op's parameter gradient agrees with a numerical one", points=2,
       hint=("_param_grad must be the gradient of sum(forward(x) * output_grad) for W, with "
             "your own forward, summed over every image of the batch and every pixel."))
def test_conv_param_grad_numeric(ex):
    for K in SIZES:
        x, W, _ = inputs(ex.rng, K, SMALL)
        result = at_k(K, ex.learner, _numeric_probe, x, W, ex.seed, "W")
        gradcheck.verify(result, tr("Conv2D_Op(W) with W {w_shape} (K = {K}): forward(x) of "
                                    "x {x_shape}, then _param_grad").format(
                                        w_shape=W.shape, K=K, x_shape=x.shape))


# --------------------------------------------------------------------------- Flatten


@check("Flatten turns (batch, channels, H, W) into (batch, channels * H * W)", points=1,
       hint=("self.input_.reshape(self.input_.shape[0], -1): one row per image, the batch "
             "axis kept, each row in the order (channel, row, column)."))
def test_flatten_forward(ex):
    x = ex.rng.standard_normal((BATCH, C_OUT, 5, 7))
    got = ex.learner(lambda m, x: m.Flatten().forward(x), x)
    b = x.shape[0]
    what = tr("Flatten().forward(x) with x {shape}").format(shape=x.shape)
    assert_close(got, x.reshape(b, -1), what, suspects={
        tr("a flat vector: it loses the batch axis; reshape to (batch, -1)"): x.reshape(-1),
        tr("(channels * H * W, batch): the batch must be the first axis"): x.reshape(b, -1).T,
        tr("input_.reshape(-1, batch): the batch must be the first axis"): x.reshape(-1, b),
        tr("each row in the order (row, column, channel): keep the input's order, "
           "(channel, row, column)"): x.transpose(0, 2, 3, 1).reshape(b, -1),
    })


@check("Flatten's backward reshapes output_grad back to the input's shape", points=1,
       hint=("Flatten only rearranges: _input_grad is output_grad.reshape(self.input_.shape), "
             "the inverse of the forward reshape."))
def test_flatten_backward(ex):
    x = ex.rng.standard_normal((BATCH, C_OUT, 5, 7))
    og = ex.rng.standard_normal((BATCH, C_OUT * 5 * 7))

    def probe(m, x, og):
        op = m.Flatten()
        op.input_ = x
        op.output = x.reshape(x.shape[0], -1)
        return op._input_grad(og)

    got = ex.learner(probe, x, og)
    b, c, H, W_ = x.shape
    assert_close(got, og.reshape(x.shape), tr("Flatten()._input_grad(output_grad) with input_ "
                                              "{shape}").format(shape=x.shape), suspects={
                     tr("output_grad still flat: reshape it back to the input's shape"): og,
                     tr("output_grad reshaped with H and W swapped: use self.input_.shape"):
                         og.reshape(b, c, W_, H),
                     tr("output_grad reshaped as (batch, H, W, channels), the inverse of a "
                        "channels-last flatten: use self.input_.shape"):
                         og.reshape(b, H, W_, c).transpose(0, 3, 1, 2),
                     tr("ones: the gradient passes through unchanged, only reshaped"):
                         np.ones(x.shape),
                 })
