"""Checks for exercise 15: the Conv2D layer and a CNN on scikit-learn's digits.

Conv2D_Op and Flatten come from exercise 14's reference (given finished). The
accuracy bar alone would let a broken layer through (the book's buggy
convolution still trains to 90 %), so the layer's gradients are checked too.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr
from grader.data import digits_split

BAR, EPOCHS = 0.965, 20


class Draws:
    """Stands in for a layer's random generator: standard normal draws are the
    given arrays in turn (normal(loc, scale, size) scales them)."""

    def __init__(self, *arrays):
        self.arrays = list(arrays)

    def standard_normal(self, shape):
        array = self.arrays.pop(0)
        assert array.shape == tuple(shape), tr("asked for {shape}, have {have}").format(
            shape=shape, have=array.shape)
        return array.copy()

    def normal(self, loc=0.0, scale=1.0, size=None):
        return loc + scale * self.standard_normal(size)

    def binomial(self, n, p, size=None):  # dropout masks: keep everything
        return np.ones(size, dtype=int)


def glorot(c_in, c_out, K):
    return np.sqrt(2.0 / (c_in * K * K + c_out * K * K))


@check("Conv2D draws W (out_channels, in_channels, K, K) with Glorot's deviation", points=2,
       hint=("W has PyTorch's layout (out_channels, in_channels, K, K). Each output sums "
             "in_channels * K * K inputs, so fan_in = in_channels * K * K and fan_out = "
             "out_channels * K * K: glorot_std(fan_in, fan_out)."))
def test_conv2d_init(ex):
    X = ex.rng.standard_normal((2, 8, 6, 5))

    def probe(m, X, seed):
        layer = m.Conv2D(64, 3)
        layer.rng = np.random.default_rng(seed)
        layer._setup_layer(X)
        W = layer.params[0]
        return {"shape": np.array(W.shape), "std": W.std()}

    got = ex.learner(probe, X, ex.seed)
    if tuple(got["shape"]) != (64, 8, 3, 3):
        swapped = tr(" (in and out swapped: that is the book's layout)") if tuple(
            got["shape"]) == (8, 64, 3, 3) else ""
        fail(tr("layer.params[0] has shape {shape}; expected (64, 8, 3, 3) for 64 kernels of "
                "3 x 3 over 8 channels{swapped}.").format(
            shape=tuple(int(n) for n in got["shape"]), swapped=swapped))
    std, want = float(got["std"]), glorot(8, 64, 3)
    if abs(std / want - 1) > 0.06:  # 4,608 draws: the sample deviation is within 1 % or so
        guesses = {np.sqrt(2 / (8 + 64)): tr("fans without K * K: sqrt(2 / (8 + 64))"),
                   1.0: tr("1: W is not scaled at all"),
                   2 / (8 * 9 + 64 * 9): tr("the variance 2 / (fan_in + fan_out) used as the "
                                            "deviation")}
        named = next((tr(" It matches {text}.").format(text=text)
                      for value, text in guesses.items() if abs(std / value - 1) < 0.06), "")
        fail(tr("W's standard deviation is {std:.4g}; Glorot's for 8 channels in, 64 out and "
                "3 x 3 kernels is sqrt(2 / (72 + 576)) = {want:.4g}.{named}").format(
            std=std, want=want, named=named))


def layer_probe(m, X, A, activation, dropout, flatten, inference):
    import activations
    import layers

    act = layers.Linear() if activation == "linear" else activations.Tanh()
    layer = m.Conv2D(A.shape[0], A.shape[2], act, dropout=dropout, flatten=flatten)
    layer.rng = Draws(A)
    return layer.forward(X, inference)


@check("Conv2D runs the convolution, the activation, then Flatten", points=2,
       hint=("self.operations = [Conv2D_Op(W), self.activation], then a Dropout if dropout < 1, "
             "then Flatten() if flatten: (batch, out_channels * H * W) for the Dense layer."))
def test_conv2d_forward(ex):
    X, A = ex.rng.standard_normal((3, 2, 5, 6)), ex.rng.standard_normal((4, 2, 3, 3))
    got, want = ex.both(layer_probe, X, A, "tanh", 1.0, True, False)
    raw = ex.reference(layer_probe, X, A, "linear", 1.0, True, False)
    assert_close(got, want,
                 tr("Conv2D(4, 3, Tanh(), flatten=True).forward(X) for X (3, 2, 5, 6)"),
                 suspects={tr("the convolution without the activation"): raw,
                           tr("tanh of the flattened convolution, with W not scaled by "
                              "Glorot's deviation"): np.tanh(raw / glorot(2, 4, 3))})


@check("Conv2D's dropout drops while training and not at inference", points=1,
       hint=("With dropout < 1, put Dropout(self.dropout, rng=self.rng) after the activation; "
             "forward(X, inference=True) passes inference on, and Dropout then does nothing."))
def test_conv2d_dropout(ex):
    X, A = ex.rng.standard_normal((3, 2, 5, 6)), ex.rng.standard_normal((4, 2, 3, 3))

    def probe(m, X, A):
        import activations

        layer = m.Conv2D(4, 3, activations.Tanh(), dropout=0.5, flatten=True)
        layer.rng = np.random.default_rng(0)
        training = layer.forward(X)
        return {"training_zeros": np.mean(training == 0),
                "inference_zeros": np.mean(layer.forward(X, inference=True) == 0)}

    got = ex.learner(probe, X, A)
    if not 0.3 < got["training_zeros"] < 0.7:
        fail(tr("Conv2D(..., dropout=0.5) set {share:.0%} of its training outputs to 0: "
                "about half should be dropped. Is the Dropout there?").format(
            share=float(got["training_zeros"])))
    if got["inference_zeros"] > 0:
        fail(tr("Conv2D(..., dropout=0.5).forward(X, inference=True) still dropped outputs: "
                "pass inference on."))


@check("Conv2D's gradients agree with numerical ones", points=2,
       hint=("Layer.backward runs the operations in reverse; param_grads holds the "
             "convolution's W gradient. Check the order of the operations."))
def test_conv2d_numeric(ex):
    X, W = ex.rng.standard_normal((3, 2, 3, 4)), ex.rng.standard_normal((2, 2, 3, 3))

    def probe(m, X, W, seed):
        import activations

        layers = []

        def forward(X, W):
            layer = m.Conv2D(2, 3, activations.Tanh(), flatten=True)
            layer.rng = Draws(np.zeros(W.shape))
            layer.forward(X)  # sets the layer up
            layer.operations[0].param[...] = W
            layers.append(layer)
            return layer.forward(X)

        def backward(g):
            layer = layers[0]
            return {"X": layer.backward(g), "W": layer.param_grads[0]}

        return gradcheck.probe(forward, {"X": X, "W": W}, backward, seed)

    gradcheck.verify(ex.learner(probe, X, W, ex.seed), "Conv2D(2, 3, Tanh(), flatten=True)")


# A literal title, to be found for translation: 96.5% is BAR, 20 is EPOCHS.
@check("the CNN reads at least 96.5% of the test digits after 20 epochs", points=4,
       timeout=90,
       hint=("A recipe that works: Conv2D(16, 3, ReLU(), dropout=0.8, flatten=True), then "
             "Dense(10, Linear(), weight_init='glorot'), SoftmaxCrossEntropy(); "
             "SGDMomentum(lr=0.05, final_lr=0.005, decay_type='exponential', momentum=0.9)."))
def test_cnn_digits(ex):
    X_train, y_train, X_test, y_test = digits_split()

    def probe(m, X_train, y_train, X_test, y_test, epochs, seed):
        net, history = m.train(X_train, y_train, X_test, y_test, epochs=epochs, seed=seed)
        scores = net.forward(m.as_images(X_test), inference=True)
        return {"accuracy": np.mean(np.argmax(scores, axis=1) == np.argmax(y_test, axis=1)),
                "epochs": len(history["test_accuracy"])}

    got = ex.learner(probe, X_train, y_train, X_test, y_test, EPOCHS, ex.seed)
    if got["epochs"] > EPOCHS:
        fail(tr("train ran {ran} epochs when asked for {epochs}.").format(
            ran=int(got["epochs"]), epochs=EPOCHS))
    accuracy = float(got["accuracy"])
    if not np.isfinite(accuracy) or accuracy < BAR:
        fail(tr("after {epochs} epochs the CNN reads {accuracy:.1%} of the {n} test digits "
                "right; the bar is {bar:.1%}. Exercise 12's network without convolution "
                "reaches about 96.5 %.").format(
            epochs=EPOCHS, accuracy=accuracy, n=len(y_test), bar=BAR))
