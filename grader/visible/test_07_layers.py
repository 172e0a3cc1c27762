"""Visible checks for exercise 07: worked examples and a numerical check, no reference needed.

Weights are handed to a layer through its `rng` attribute: `Arrays` gives out
chosen arrays where the layer asks for random ones. The worked examples' values
were worked out by hand.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr


class Arrays:
    """Stands in for a layer's random generator: gives out the given arrays in turn."""

    def __init__(self, *arrays):
        self.arrays = list(arrays)

    def standard_normal(self, shape):
        assert self.arrays, tr("the layer asked for new weights after its first forward: set "
                               "it up only on the first call")
        array = self.arrays.pop(0)
        assert array.shape == tuple(shape), tr("asked for {shape}, have {have}").format(
            shape=shape, have=array.shape)
        return array.copy()


@check("worked example: Dense(3, Linear()) forward and backward, X (3, 2)", points=1,
       hint=("forward sets the layer up on the first call, then runs WeightMultiply(W), "
             "BiasAdd(B), Linear in order: X @ W + B. backward runs them in reverse order and "
             "collects param_grads [dW, dB] = [X.T @ output_grad, output_grad summed over the "
             "rows]; it returns output_grad @ W.T. Dense(3), with no activation given, applies "
             "a Sigmoid after BiasAdd."))
def test_visible_dense(ex):
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    B = np.array([[0.5, -0.5, 1.0]])
    G = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.0], [1.0, 1.0, 1.0]])

    def probe(m, X, W, B, G):
        layer = m.Dense(3, m.Linear())
        layer.rng = Arrays(W, B)
        output = layer.forward(X)
        input_grad = layer.backward(G)
        grads = list(layer.param_grads)
        default = m.Dense(3)
        default.rng = Arrays(W, B)
        return {"output": output, "input_grad": input_grad, "n_params": len(layer.params),
                "n_grads": len(grads), **{f"grad{i}": g for i, g in enumerate(grads[:2])},
                "sigmoid_output": default.forward(X)}

    got = ex.learner(probe, X, W, B, G)
    linear = np.array([[5.5, 1.5, 0.0], [-1.5, -1.5, 1.0], [5.5, 0.5, -2.0]])
    assert_close(got["output"], linear, "Dense(3, Linear()).forward(X)")
    assert_close(got["input_grad"], np.array([[2.0, 2.0], [0.0, 2.0], [0.0, 3.0]]),
                 "Dense(3, Linear()).backward(output_grad)")
    assert_close(got["n_params"], 2, tr("len(layer.params) (W and B)"))
    assert_close(got["n_grads"], 2, tr("len(layer.param_grads) after backward (dW and dB)"))
    assert_close(got["grad0"], np.array([[4.0, 3.0, 2.0], [3.0, -1.0, -1.0]]),
                 "layer.param_grads[0] (dW)")
    assert_close(got["grad1"], np.array([[2.0, 3.0, 0.0]]), "layer.param_grads[1] (dB)")
    assert_close(got["sigmoid_output"], 1 / (1 + np.exp(-linear)),
                 tr("Dense(3).forward(X), with the default Sigmoid"), suspects={
                     tr("X @ W + B: the activation is not applied"): linear})


@check("worked example: MeanSquaredError's loss and gradient, 3 rows of 2 outputs", points=1,
       hint=("The errors prediction - target are [[1, 0], [-1, -2], [2, 0]]: the loss is the sum "
             "of their squares over n = 3 rows, 10 / 3, and the gradient 2 * (prediction - "
             "target) / 3, the prediction's shape."))
def test_visible_mse(ex):
    prediction = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    target = np.array([[0.0, 2.0], [1.0, 1.0], [1.0, 0.5]])

    def probe(m, prediction, target):
        loss = m.MeanSquaredError()
        return {"loss": loss.forward(prediction, target), "grad": loss.backward()}

    got = ex.learner(probe, prediction, target)
    diff = prediction - target
    assert_close(got["loss"], 10 / 3, "MeanSquaredError().forward(prediction, target)",
                 suspects={tr("the mean over all 6 elements: divide by the 3 rows"): 10 / 6})
    assert_close(got["grad"], 2 * diff / 3, "MeanSquaredError().backward()", suspects={
        tr("2 * (prediction - target) without / n"): 2 * diff,
        tr("2 * (target - prediction) / n: the sign is flipped"): -2 * diff / 3,
    })


@check("NeuralNetwork: train_batch's gradients are those of your forward and loss, "
       "numerically", points=1,
       hint=("train_batch runs forward, the loss, the loss's backward, then backward through the "
             "layers in reverse order, and returns the loss. Every param_grad must be the "
             "derivative of that loss: net.param_grads() gives them in the order of "
             "net.params()."))
def test_visible_network_numeric(ex):
    rng = ex.rng
    X, y = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    weights = {"W1": rng.standard_normal((2, 3)), "B1": rng.standard_normal((1, 3)),
               "W2": rng.standard_normal((3, 2)), "B2": rng.standard_normal((1, 2))}

    def probe(m, X, y, weights, seed):
        nets, trained = [], {}

        def forward(W1, B1, W2, B2):
            net = m.NeuralNetwork([m.Dense(3), m.Dense(2, m.Linear())], m.MeanSquaredError())
            net.layers[0].rng, net.layers[1].rng = Arrays(W1, B1), Arrays(W2, B2)
            nets.append(net)
            return net.loss.forward(net.forward(X), y)

        def backward(g):
            trained["loss"] = nets[0].train_batch(X, y)
            grads = list(nets[0].param_grads())
            trained["n_grads"] = len(grads)
            grads += [np.zeros(0)] * (len(weights) - len(grads))
            return {name: g * grad for name, grad in zip(weights, grads, strict=False)}

        result = gradcheck.probe(forward, weights, backward, seed)
        return {**result, "loss": nets[0].loss.forward(nets[0].forward(X), y),
                "train_batch_loss": trained["loss"], "n_grads": trained["n_grads"]}

    got = ex.learner(probe, X, y, weights, ex.seed)
    if got["n_grads"] != 4:
        fail(tr("net.param_grads() gave {n} arrays for a network of two Dense layers; "
                "expected 4: W1, B1, W2, B2, each layer's in order").format(n=int(got["n_grads"])))
    assert_close(got.pop("train_batch_loss"), got.pop("loss"), tr("the loss train_batch returns "
                 "(expected: the loss of net.forward(X))"))
    gradcheck.verify({k: v for k, v in got.items() if k != "n_grads"}, "train_batch")
