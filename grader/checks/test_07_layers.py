"""Checks for exercise 07: Layer, Dense, Loss, MeanSquaredError, NeuralNetwork.

The operations come from exercise 06's reference (given finished), so a mistake
in 06 cannot fail these checks. Weights are handed to a layer through its `rng`
attribute: `Arrays` gives out chosen arrays where the layer asks for random ones.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr


class Arrays:
    """Stands in for a layer's random generator: gives out the given arrays in turn."""

    def __init__(self, *arrays):
        self.arrays = list(arrays)

    def standard_normal(self, shape):
        array = self.arrays.pop(0)
        assert array.shape == tuple(shape), tr("asked for {shape}, have {have}").format(
            shape=shape, have=array.shape)
        return array.copy()


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def dense_probe(m, X, W, B, G):
    layer = m.Dense(W.shape[1])
    layer.rng = Arrays(W, B)
    out = layer.forward(X)
    input_grad = layer.backward(G)
    grads = list(layer.param_grads)
    return {"output": out, "input_grad": input_grad, "dW": grads[0], "dB": grads[1],
            "n_params": len(layer.params)}


def layer_inputs(rng, n=5, n_in=3, n_out=4):
    return (rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)),
            rng.standard_normal((1, n_out)), rng.standard_normal((n, n_out)))


@check("Dense.forward is sigmoid(X W + B), set up on the first call", points=2,
       hint=("Layer.forward: on the first call only, self._setup_layer(input_); then run the "
             "input through self.operations in order. Dense._setup_layer makes the operations "
             "WeightMultiply(W), BiasAdd(B), self.activation."))
def test_dense_forward(ex):
    X, W, B, G = layer_inputs(ex.rng)
    got, want = ex.both(dense_probe, X, W, B, G)
    assert_close(got["output"], want["output"], "Dense(4).forward(X)", suspects={
        tr("X W + B: the activation is not applied"): X @ W + B,
        tr("sigmoid(X W): the bias is not added"): sigmoid(X @ W),
    })


@check("Layer.forward sets the layer up once, not on every call", points=1,
       hint=("Set the layer up only when self.first is True, then set self.first = False: "
             "a second forward must reuse the same weights."))
def test_setup_once(ex):
    X = ex.rng.standard_normal((4, 3))

    def probe(m, X):
        layer = m.Dense(2)
        layer.rng = np.random.default_rng(7)
        first = layer.forward(X)
        second = layer.forward(X)
        return {"first": first, "second": second}

    got = ex.learner(probe, X)
    assert_close(got["second"], got["first"], tr("a second forward of the same batch (expected: "
                                                 "the first forward's output)"))


@check("Dense.backward gives the input gradient and param_grads [dW, dB]", points=2,
       hint=("Layer.backward runs output_grad through the operations in reverse order, then "
             "self._param_grads() collects each ParamOperation's param_grad: [dW, dB]."))
def test_dense_backward(ex):
    X, W, B, G = layer_inputs(ex.rng)
    got, want = ex.both(dense_probe, X, W, B, G)
    S = sigmoid(X @ W + B)
    dN = G * S * (1 - S)
    assert_close(got["n_params"], want["n_params"], "len(layer.params)")
    assert_close(got["input_grad"], want["input_grad"], "Dense.backward(output_grad)",
                 suspects={tr("output_grad @ W.T: the sigmoid's gradient is skipped"): G @ W.T})
    assert_close(got["dW"], want["dW"], "layer.param_grads[0] (dW)",
                 suspects={tr("X.T @ output_grad: the sigmoid's gradient is skipped"): X.T @ G})
    assert_close(got["dB"], want["dB"], "layer.param_grads[1] (dB)",
                 suspects={tr("the bias gradient averaged over the batch"):
                           dN.mean(0, keepdims=True)})


@check("Dense's gradients agree with numerical ones", points=2,
       hint=("The layer's input gradient and param_grads must be the derivatives of its own "
             "forward: check the order of the operations in forward and in backward."))
def test_dense_numeric(ex):
    X, W, B, _ = layer_inputs(ex.rng)

    def probe(m, X, W, B, seed):
        layers = []

        def forward(X, W, B):
            layer = m.Dense(W.shape[1])
            layer.rng = Arrays(W, B)
            layers.append(layer)
            return layer.forward(X)

        def backward(G):
            layer = layers[0]
            input_grad = layer.backward(G)
            return {"X": input_grad, "W": layer.param_grads[0], "B": layer.param_grads[1]}

        return gradcheck.probe(forward, {"X": X, "W": W, "B": B}, backward, seed)

    gradcheck.verify(ex.learner(probe, X, W, B, ex.seed), "Dense(4).backward")


@check("each Dense layer gets its own activation", points=1,
       hint=("A default argument is made once: `activation=Sigmoid()` in the signature is one "
             "Sigmoid shared by every layer, and each layer's forward overwrites the output "
             "another layer's backward needs. Make a new Sigmoid() inside __init__."))
def test_own_activation(ex):
    def probe(m):
        first, second = m.Dense(3), m.Dense(2)
        return float(first.activation is second.activation)

    if ex.learner(probe) == 1.0:
        fail(tr("Two Dense layers made without an activation share one Sigmoid object: the "
                "second layer's forward overwrites the output the first layer's backward uses."))


def loss_probe(m, prediction, target):
    loss = m.MeanSquaredError()
    value = loss.forward(prediction, target)
    return {"loss": value, "grad": loss.backward()}


@check("MeanSquaredError: the loss and its gradient", points=2,
       hint=("The loss is sum((prediction - target)**2) / n for a batch of n rows; its "
             "gradient is 2 * (prediction - target) / n, the shape of the prediction."))
def test_mse(ex):
    prediction, target = ex.rng.standard_normal((6, 2)), ex.rng.standard_normal((6, 2))
    got, want = ex.both(loss_probe, prediction, target)
    diff = prediction - target
    assert_close(got["loss"], want["loss"], "MeanSquaredError().forward(prediction, target)",
                 suspects={tr("the mean over every element, not over the rows: with 2 outputs "
                              "that halves the loss"): np.mean(diff**2)})
    assert_close(got["grad"], want["grad"], "MeanSquaredError().backward()", suspects={
        tr("2 * (prediction - target) without / n: n times too big"): 2 * diff,
        tr("2 * (target - prediction) / n: the sign is flipped"): -2 * diff / 6,
    })


@check("MeanSquaredError's gradient agrees with a numerical one", points=1,
       hint="backward() must be the derivative of forward() with respect to the prediction.")
def test_mse_numeric(ex):
    prediction, target = ex.rng.standard_normal((5, 2)), ex.rng.standard_normal((5, 2))

    def probe(m, prediction, target, seed):
        losses = []

        def forward(prediction):
            losses.append(m.MeanSquaredError())
            return losses[-1].forward(prediction, target)

        return gradcheck.probe(forward, {"prediction": prediction},
                               lambda g: {"prediction": g * losses[0].backward()}, seed)

    gradcheck.verify(ex.learner(probe, prediction, target, ex.seed), "MeanSquaredError")


@check("Loss.forward rejects a prediction and target of different shapes", points=1,
       hint="Loss.forward starts with assert_same_shape(prediction, target).")
def test_loss_shapes(ex):
    def probe(m, prediction, target):
        m.MeanSquaredError().forward(prediction, prediction)  # matching shapes must work
        try:
            m.MeanSquaredError().forward(prediction, target)
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 - any error is a rejection
            return 1.0
        return 0.0

    if ex.learner(probe, np.ones((4, 1)), np.ones((4,))) != 1.0:
        fail(tr("MeanSquaredError().forward accepted a (4, 1) prediction with a (4,) target: "
                "broadcasting then compares every prediction with every target."))


def network_probe(m, X, y, seed):
    net = m.NeuralNetwork([m.Dense(5), m.Dense(2, m.Linear())], m.MeanSquaredError(), seed=seed)
    loss = net.train_batch(X, y)
    grads = {f"grad{i}": g for i, g in enumerate(net.param_grads())}
    return {"loss": loss, "prediction": net.forward(X), "n_params": len(list(net.params())),
            **grads}


@check("NeuralNetwork.train_batch: forward, loss, backward through every layer", points=2,
       hint=("forward runs the layers in order, backward in reverse order, starting from "
             "self.loss.backward(); train_batch returns the loss."))
def test_train_batch(ex):
    X, y = ex.rng.standard_normal((7, 3)), ex.rng.standard_normal((7, 2))
    got, want = ex.both(network_probe, X, y, 11)
    assert_close(got["prediction"], want["prediction"], "net.forward(X)")
    assert_close(got["loss"], want["loss"], "net.train_batch(X, y)")
    assert_close(got["n_params"], want["n_params"], tr("the number of net.params()"))
    for i in range(4):
        name = ["W1", "B1", "W2", "B2"][i]
        assert_close(got[f"grad{i}"], want[f"grad{i}"],
                     tr("net.param_grads() item {i} ({name}) after train_batch").format(
                         i=i, name=name))


@check("NeuralNetwork's gradients agree with numerical ones", points=2,
       hint=("Every layer's param_grads must be the derivatives of the network's loss: "
             "backward goes through the layers in reverse order."))
def test_network_numeric(ex):
    rng = ex.rng
    X, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    weights = {"W1": rng.standard_normal((3, 4)), "B1": rng.standard_normal((1, 4)),
               "W2": rng.standard_normal((4, 2)), "B2": rng.standard_normal((1, 2))}

    def probe(m, X, y, weights, seed):
        nets = []

        def forward(W1, B1, W2, B2):
            net = m.NeuralNetwork([m.Dense(4), m.Dense(2, m.Linear())], m.MeanSquaredError())
            net.layers[0].rng, net.layers[1].rng = Arrays(W1, B1), Arrays(W2, B2)
            nets.append(net)
            return net.loss.forward(net.forward(X), y)

        def backward(g):
            net = nets[0]
            net.backward(net.loss.backward())
            return {name: g * grad for name, grad in zip(weights, net.param_grads(),
                                                           strict=False)}

        return gradcheck.probe(forward, weights, backward, seed)

    gradcheck.verify(ex.learner(probe, X, y, weights, ex.seed), "NeuralNetwork.backward")


@check("net.params() gives the arrays the layers use, not copies", points=1,
       hint=("An optimizer trains the network by changing net.params() in place. Yield each "
             "ParamOperation's own param array: a copy can be changed without effect."))
def test_params_are_the_layers_arrays(ex):
    X, y = ex.rng.standard_normal((4, 3)), ex.rng.standard_normal((4, 2))

    def probe(m, X, y):
        net = m.NeuralNetwork([m.Dense(5), m.Dense(2, m.Linear())], m.MeanSquaredError(), seed=3)
        before = net.forward(X)
        for param in net.params():
            param *= 0.5  # in place, as an optimizer does
        return {"before": before, "after": net.forward(X)}

    got, want = ex.both(probe, X, y)
    assert_close(got["after"], want["after"], tr("net.forward(X) after halving every param "
                                                 "in place"), suspects={
                     tr("the output before the change: changing net.params() did not change "
                        "the network (copies?)"): got["before"]})
