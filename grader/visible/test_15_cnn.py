"""Visible checks for exercise 15: shapes, Glorot's spread and a worked example, no reference
needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further (they train the network). Values written in here were worked out by hand.
"""
import numpy as np

from grader import assert_close, check, fail, tr


class Draws:
    """Stands in for a layer's random generator: standard normal draws are the
    given arrays in turn (normal(loc, scale, size) scales them)."""

    def __init__(self, *arrays):
        self.arrays = list(arrays)

    def standard_normal(self, size=None):
        array = self.arrays.pop(0)
        assert array.shape == tuple(size), tr("asked for {shape}, have {have}").format(
            shape=size, have=array.shape)
        return array.copy()

    def normal(self, loc=0.0, scale=1.0, size=None):
        return loc + scale * self.standard_normal(size)


@check("Conv2D draws W (out_channels, in_channels, K, K) with Glorot's deviation", points=1,
       hint=("W has PyTorch's layout (out_channels, in_channels, K, K). fan_in = in_channels * "
             "K * K and fan_out = out_channels * K * K: for 8 channels in, 64 out and 3 x 3 "
             "kernels, glorot_std(72, 576) = 1 / 18."))
def test_visible_conv2d_weights(ex):
    X = ex.rng.standard_normal((2, 8, 6, 5))

    def probe(m, X, seed):
        layer = m.Conv2D(64, 3)
        layer.rng = np.random.default_rng(seed)
        layer._setup_layer(X)
        return np.array(layer.params[0])

    W = ex.learner(probe, X, int(ex.rng.integers(2**31)))
    if W.shape != (64, 8, 3, 3):
        fail(tr("layer.params[0] of Conv2D(64, 3) on 8 channels has shape {shape}; expected "
                "(64, 8, 3, 3): out_channels first.").format(shape=W.shape))
    std, want = float(np.std(W)), 1 / 18  # sqrt(2 / (8 * 9 + 64 * 9))
    if abs(std / want - 1) > 0.06:
        fail(tr("W's standard deviation is {std:.4g}; Glorot's for 8 channels in, 64 out and "
                "3 x 3 kernels is sqrt(2 / (72 + 576)) = {want:.4g}.{named}").format(
            std=std, want=want, named=""))


@check("worked example: Conv2D runs the convolution, the activation, then Flatten", points=1,
       hint=("self.operations = [Conv2D_Op(W), self.activation], then a Dropout if dropout < 1, "
             "then Flatten() if flatten. With one 3 x 3 kernel of ones on [[1, 2, 3], "
             "[4, 5, 6]] and a Linear activation, the flattened output is [[12, 21, 16, 12, 21, "
             "16]]."))
def test_visible_conv2d_forward(ex):
    x = np.array([[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]])  # (1, 1, 2, 3)
    X = ex.rng.standard_normal((3, 2, 5, 6))

    def probe(m, x, X, seed):
        import activations
        import layers

        layer = m.Conv2D(1, 3, layers.Linear(), flatten=True)
        layer.rng = Draws(np.full((1, 1, 3, 3), 3.0))  # times glorot_std(9, 9) = 1 / 3: ones
        out = {"example": layer.forward(x)}
        for flatten in (False, True):
            layer = m.Conv2D(4, 3, activations.Tanh(), flatten=flatten)
            layer.rng = np.random.default_rng(seed)
            out[f"flatten={flatten}"] = layer.forward(X)
        return out

    got = ex.learner(probe, x, X, int(ex.rng.integers(2**31)))
    assert_close(got["example"], np.array([[12.0, 21.0, 16.0, 12.0, 21.0, 16.0]]),
                 tr("Conv2D(1, 3, Linear(), flatten=True).forward(x) for x = [[1, 2, 3], "
                    "[4, 5, 6]] (1, 1, 2, 3), with the kernel all ones (a draw of 3s times "
                    "glorot_std(9, 9) = 1 / 3)"),
                 suspects={tr("3 times too big: W is not scaled by glorot_std"):
                           np.array([[36.0, 63.0, 48.0, 36.0, 63.0, 48.0]])})
    for flatten, shape in ((False, (3, 4, 5, 6)), (True, (3, 120))):
        out = got[f"flatten={flatten}"]
        if out.shape != shape:
            fail(tr("Conv2D(4, 3, Tanh(), flatten={flatten}).forward(X) for X (3, 2, 5, 6) "
                    "has shape {got}; expected {shape}.").format(
                flatten=flatten, got=out.shape, shape=shape))
        if np.any(np.abs(out) > 1):
            fail(tr("Conv2D(4, 3, Tanh(), flatten={flatten}).forward(X) has values beyond "
                    "[-1, 1]: the Tanh activation is not applied.").format(flatten=flatten))


@check("build_network maps (batch, 1, 8, 8) images to 10 class scores", points=1,
       hint=("A Conv2D layer with flatten=True, then Dense(10) with a Linear activation: one "
             "score per digit. build_optimizer returns a new optimizer from exercise 10."))
def test_visible_network_shape(ex):
    X = ex.rng.standard_normal((5, 64))

    def probe(m, X):
        import optimizers

        net = m.build_network(0)
        return {"inference": net.forward(m.as_images(X), inference=True),
                "training": net.forward(m.as_images(X)),
                "decays": float(isinstance(m.build_optimizer(), optimizers.Optimizer))}

    got = ex.learner(probe, X)
    for mode in ("inference", "training"):
        scores = got[mode]
        if scores.shape != (5, 10):
            fail(tr("build_network(0).forward(images) ({mode}) for 5 images (5, 1, 8, 8) has "
                    "shape {shape}; expected (5, 10): one score per digit.").format(
                mode=mode, shape=scores.shape))
        if not np.all(np.isfinite(scores)):
            fail(tr("build_network(0).forward(images) ({mode}) gives NaN or infinite "
                    "scores.").format(mode=mode))
    if not got["decays"]:
        fail(tr("build_optimizer() does not return an optimizer of exercise 10 (optimizers.py): "
                "train calls its _setup_decay and _decay_lr."))
