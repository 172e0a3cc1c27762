"""Visible checks for exercise 14: worked examples, shapes and gradient checks, no reference
needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. The gradient checks
compare your own _input_grad and _param_grad with numerical derivatives of your
own forward.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr

IMG = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # H = 2 rows, W = 3 columns


@check("worked example: image_patches, one row per output pixel, (channel, i, j) in each",
       points=1,
       hint=("Pad H and W by K // 2, take every K x K window (rows in the order image, row, "
             "column), each row in the order (channel, i, j): (batch * H * W, channels * K * K). "
             "For [[1, 2, 3], [4, 5, 6]] and K = 3 the first row is [0, 0, 0, 0, 1, 2, 0, 4, 5]."))
def test_visible_image_patches(ex):
    def probe(m, x):
        return {"one": m.image_patches(x, 3),
                "channels": m.image_patches(np.array([[[[1.0]], [[2.0]]]]), 3),
                "shape": np.array(m.image_patches(np.zeros((2, 3, 4, 5)), 5).shape)}

    got = ex.learner(probe, IMG[None, None])
    assert_close(got["one"], np.array([[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 4.0, 5.0],
                                       [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                                       [0.0, 0.0, 0.0, 2.0, 3.0, 0.0, 5.0, 6.0, 0.0],
                                       [0.0, 1.0, 2.0, 0.0, 4.0, 5.0, 0.0, 0.0, 0.0],
                                       [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 0.0, 0.0, 0.0],
                                       [2.0, 3.0, 0.0, 5.0, 6.0, 0.0, 0.0, 0.0, 0.0]]),
                 tr("image_patches(x, 3) with x (1, 1, 2, 3) = [[1, 2, 3], [4, 5, 6]]"))
    want = np.zeros((1, 18))
    want[0, 4], want[0, 13] = 1.0, 2.0  # the centre of channel 0's 3 x 3 block, then channel 1's
    assert_close(got["channels"], want, tr("image_patches(x, 3) with x (1, 2, 1, 1), one pixel "
                                           "of value 1 in channel 0 and 2 in channel 1"))
    shape = tuple(int(n) for n in got["shape"])
    if shape != (40, 75):
        fail(tr("image_patches(x, 5) with x (2, 3, 4, 5) has shape {shape}; expected (40, 75): "
                "2 * 4 * 5 output pixels, 3 * 5 * 5 values each.").format(shape=shape))


@check("worked examples: Conv2D_Op's output (K = 3 and K = 5), then Flatten", points=1,
       hint=("out[b, o, r, c] = sum over ch, i, j of padded[b, ch, r + i, c + j] * "
             "W[o, ch, i, j], padded by K // 2, no flip; W is (out_channels, in_channels, K, K). "
             "Reshape the (batch * H * W, out_channels) product to (batch, H, W, out_channels) "
             "before moving the channels. Flatten is reshape(batch, -1)."))
def test_visible_forward(ex):
    x = np.stack([IMG, np.array([[0.0, 1.0, 0.0], [2.0, 0.0, -1.0]])])[None]  # (1, 2, 2, 3)
    W = np.zeros((2, 2, 3, 3))
    W[0, 0] = 1.0  # output 0: the 3 x 3 sum of channel 0 ...
    W[0, 1, 1, 1] = 10.0  # ... plus 10 times channel 1's pixel itself
    W[1, 0, 1, 2] = 1.0  # output 1: channel 0's pixel to the right
    W5 = np.zeros((1, 1, 5, 5))
    W5[0, 0, 0, 0], W5[0, 0, 4, 3] = 1.0, -1.0
    x5 = np.arange(1.0, 13.0).reshape(1, 1, 3, 4)

    def probe(m, x, W, x5, W5):
        out = m.Conv2D_Op(W).forward(x)
        return {"out": out, "flat": m.Flatten().forward(out),
                "K5": m.Conv2D_Op(W5).forward(x5),
                "shape": np.array(m.Conv2D_Op(np.zeros((3, 2, 5, 5))).forward(
                    np.zeros((3, 2, 5, 4))).shape)}

    got = ex.learner(probe, x, W, x5, W5)
    want = np.array([[[[12.0, 31.0, 16.0], [32.0, 21.0, 6.0]],
                      [[2.0, 3.0, 0.0], [5.0, 6.0, 0.0]]]])
    assert_close(got["out"], want,
                 tr("Conv2D_Op(W).forward(x) with x (1, 2, 2, 3), W (2, 2, 3, 3): output 0 = "
                    "the 3 x 3 sum of channel 0 + 10 * channel 1, output 1 = channel 0's pixel "
                    "to the right"), suspects={
                     tr("the kernels flipped: output 1 takes the pixel to the left"):
                         np.array([[[[12.0, 31.0, 16.0], [32.0, 21.0, 6.0]],
                                    [[0.0, 1.0, 2.0], [0.0, 4.0, 5.0]]]])})
    assert_close(got["K5"], np.array([[[[-10.0, -11.0, -12.0, 0.0], [0.0, 0.0, 0.0, 0.0],
                                        [0.0, 0.0, 1.0, 2.0]]]]),
                 tr("Conv2D_Op(W).forward(x) with x (1, 1, 3, 4) = 1 to 12 row by row, "
                    "W (1, 1, 5, 5) with W[0, 0, 0, 0] = 1, W[0, 0, 4, 3] = -1, zeros elsewhere"))
    shape = tuple(int(n) for n in got["shape"])
    if shape != (3, 3, 5, 4):
        fail(tr("Conv2D_Op(W).forward(x) with x (3, 2, 5, 4) and W (3, 2, 5, 5) has shape "
                "{shape}; expected (3, 3, 5, 4): (batch, out_channels, H, W).").format(shape=shape))
    assert_close(got["flat"], want.reshape(1, -1), tr("Flatten().forward(out) of that output "
                                                      "(1, 2, 2, 3) (expected: (1, 12), channel "
                                                      "by channel, row by row)"))


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


@check("Conv2D_Op's and Flatten's gradients agree with numerical ones of your forward", points=1,
       hint=("_input_grad sends each output pixel's gradient back to the K x K input pixels it "
             "came from, weighted by W (the kernel flipped, as a convolution); _param_grad sums "
             "padded[b, ch, r + i, c + j] * output_grad[b, o, r, c] over every image and pixel. "
             "Flatten's backward reshapes output_grad to the input's shape."))
def test_visible_gradients(ex):
    cases = {K: (ex.rng.standard_normal((2, 2, 3, 4)), ex.rng.standard_normal((3, 2, K, K)))
             for K in (3, 5)}
    x_flat = ex.rng.standard_normal((2, 3, 2, 4))

    def probe(m, cases, x_flat, seed):
        out = {}
        for K, (x, W) in cases.items():
            for wrt in ("x", "W"):
                result = _numeric_probe(m, x, W, seed + K, wrt)
                out.update({f"K{K}.{key}": value for key, value in result.items()})
        op = m.Flatten()
        result = gradcheck.probe(op.forward, {"input_": x_flat},
                                 lambda g: {"input_": op._input_grad(g)}, seed)
        out.update({f"flat.{key}": value for key, value in result.items()})
        return out

    got = ex.learner(probe, cases, x_flat, ex.seed)
    for K, (x, W) in cases.items():
        part = {key.split(".", 1)[1]: v for key, v in got.items() if key.startswith(f"K{K}.")}
        gradcheck.verify(part, tr("Conv2D_Op(W) with W {w_shape}: forward(x) of x {x_shape}, "
                                  "then _input_grad and _param_grad").format(
                                      w_shape=W.shape, x_shape=x.shape))
    gradcheck.verify({key[5:]: v for key, v in got.items() if key.startswith("flat.")},
                     tr("Flatten() with input_ {shape}").format(shape=x_flat.shape))
