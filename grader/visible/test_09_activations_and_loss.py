"""Visible checks for exercise 09: worked examples, no reference needed.

The inputs are logarithms, so the values are exact fractions: tanh(ln 2) = 3/5,
tanh(ln 3) = 4/5, and softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6.
"""
import numpy as np

from grader import assert_close, check, fail, tr

LN2, LN3 = np.log(2.0), np.log(3.0)
LOGITS = np.array([[0.0, LN2, LN3], [2 * LN2, 0.0, 0.0], [1.0, 1.0, 1.0]])
PROBS = np.array([[1 / 6, 1 / 3, 1 / 2], [2 / 3, 1 / 6, 1 / 6], [1 / 3, 1 / 3, 1 / 3]])


@check("worked example: Tanh and ReLU forward and backward", points=1,
       hint=("Tanh: np.tanh(input_), and backward output_grad * (1 - output**2) from the stored "
             "output: tanh(ln 2) = 0.6, so 1 - 0.36 = 0.64. ReLU: max(0, input_), and backward "
             "output_grad where the input is positive, 0 elsewhere (mask input_ > 0)."))
def test_visible_tanh_relu(ex):
    x = np.array([[-LN2, 0.0, LN2, LN3]])
    r = np.array([[-2.0, -0.5, 0.5, 3.0]])
    G = np.array([[1.0, 2.0, 3.0, 4.0]])

    def probe(m, x, r, G):
        tanh, relu = m.Tanh(), m.ReLU()
        return {"tanh": tanh.forward(x), "tanh_grad": tanh.backward(G),
                "relu": relu.forward(r), "relu_grad": relu.backward(G)}

    got = ex.learner(probe, x, r, G)
    assert_close(got["tanh"], np.array([[-0.6, 0.0, 0.6, 0.8]]),
                 "Tanh().forward([[-ln 2, 0, ln 2, ln 3]])", rtol=1e-12, atol=1e-15)
    assert_close(got["tanh_grad"], np.array([[0.64, 2.0, 1.92, 1.44]]),
                 "Tanh().backward([[1, 2, 3, 4]])", rtol=1e-12, suspects={
                     tr("output_grad * (1 - input_**2): the derivative from the input instead "
                        "of the output"): G * (1 - x**2)})
    assert_close(got["relu"], np.array([[0.0, 0.0, 0.5, 3.0]]),
                 "ReLU().forward([[-2, -0.5, 0.5, 3]])")
    assert_close(got["relu_grad"], np.array([[0.0, 0.0, 3.0, 4.0]]),
                 "ReLU().backward([[1, 2, 3, 4]])", suspects={
                     tr("output_grad unchanged: the mask lets everything through, as a mask "
                        "from output >= 0 does (a ReLU's output is never negative)"): G})


@check("worked example: softmax, along each row or along axis=0, and for logits near +-1000",
       points=1,
       hint=("softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6: exp of each logit over the sum along the "
             "axis (keepdims=True), every row summing to 1. Subtract each row's maximum first "
             "(np.max(x, axis=axis, keepdims=True)): exp(1000) overflows, and adding 1000 to a row "
             "leaves its softmax unchanged."))
def test_visible_softmax(ex):
    huge = np.concatenate([LOGITS[:2] + 1000.0, LOGITS[:2] - 1000.0])

    def probe(m, Z, huge):
        return {"rows": m.softmax(Z), "axis0": m.softmax(Z.T, axis=0), "huge": m.softmax(huge)}

    got = ex.learner(probe, LOGITS, huge)
    exps, shifted = np.exp(LOGITS), np.exp(LOGITS - LOGITS.max(axis=1, keepdims=True))
    suspects = {
        tr("a softmax along axis 0, down the batch: each column sums to 1, not each row"):
            exps / exps.sum(axis=0),
        tr("exp(x) divided by the sum over the whole array: sum along the axis only, with "
           "keepdims=True"): exps / exps.sum(),
        tr("exp(x - the row's maximum) divided by the sum over the whole array: sum along the "
           "axis only, with keepdims=True"): shifted / shifted.sum(),
    }
    if np.shape(got["rows"]) == LOGITS.shape and np.all(np.isfinite(got["rows"])):
        assert_close(np.sum(got["rows"], axis=1), np.ones(3),
                     tr("the sum of each row of softmax(x)"),
                     suspects={text: value.sum(axis=1) for text, value in suspects.items()})
    assert_close(got["rows"], PROBS, "softmax([[0, ln 2, ln 3], [ln 4, 0, 0], [1, 1, 1]])",
                 suspects=suspects)
    assert_close(got["axis0"], PROBS.T, tr("softmax(x.T, axis=0): the same numbers, transposed"),
                 suspects={tr("a softmax along axis 1 whatever axis says"):
                           PROBS.T / PROBS.T.sum(axis=1, keepdims=True)})
    if np.shape(got["huge"]) == huge.shape and not np.all(np.isfinite(got["huge"])):
        fail(tr("softmax(x) for logits near +-1000 contains NaN or infinity: exp(1000) "
                "overflows to inf and exp(-1000) rounds to 0. Subtract each row's maximum "
                "before exp."))
    assert_close(got["huge"], np.concatenate([PROBS[:2], PROBS[:2]]),
                 tr("softmax(x) for the first two rows plus 1000, then minus 1000"), rtol=1e-9)


@check("worked example: SoftmaxCrossEntropy's loss and gradient", points=1,
       hint=("The target classes have probabilities 1/2, 2/3 and 1/3, so the loss is "
             "-(log(1/2) + log(2/3) + log(1/3)) / 3 = ln(9) / 3, one float; the gradient is "
             "(softmax(prediction) - target) / 3, the prediction's shape. Only the target class "
             "counts: no (1 - target) * log(1 - p) term."))
def test_visible_cross_entropy(ex):
    target = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])

    def probe(m, prediction, target):
        loss = m.SoftmaxCrossEntropy()
        return {"loss": loss.forward(prediction, target), "grad": loss.backward()}

    got = ex.learner(probe, LOGITS, target)
    ce = np.log(9.0) / 3
    assert_close(got["loss"], ce, "SoftmaxCrossEntropy().forward(prediction, target)",
                 rtol=1e-12, suspects={
                     tr("the sum over the 3 rows, not divided by n"): 3 * ce,
                     tr("binary cross-entropy, -sum(t log p + (1 - t) log(1 - p)) / n (the "
                        "book's loss)"): -np.sum(target * np.log(PROBS)
                                                 + (1 - target) * np.log(1 - PROBS)) / 3,
                 })
    assert_close(got["grad"], (PROBS - target) / 3, "SoftmaxCrossEntropy().backward()",
                 rtol=1e-12, atol=1e-15, suspects={
                     tr("softmax(prediction) - target without / n"): PROBS - target,
                     tr("(target - softmax(prediction)) / n: the sign is flipped"):
                         (target - PROBS) / 3,
                 })
