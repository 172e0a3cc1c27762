"""Visible checks for exercise 11: worked examples and properties, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand. Random draws are judged
by their statistics, with bounds far wider than chance needs.
"""
import numpy as np

from grader import assert_close, check, fail, tr

KEEP = 0.7  # keep_prob of the Dropout check


@check("worked examples: glorot_std(fan_in, fan_out) is sqrt(2 / (fan_in + fan_out))", points=1,
       hint=("glorot_std(3, 1) = sqrt(2 / 4) = 0.7071: the standard deviation is the square root "
             "of the variance 2 / (fan_in + fan_out). The book forgets the square root."))
def test_visible_glorot_std(ex):
    fans = [(3, 1), (10, 10), (300, 200)]
    got = ex.learner(lambda m, fans: np.array([m.glorot_std(a, b) for a, b in fans], dtype=float),
                     fans)
    assert_close(got, np.array([0.7071067811865476, 0.31622776601683794, 0.06324555320336758]),
                 tr("glorot_std(fan_in, fan_out) for (3, 1), (10, 10), (300, 200)"), rtol=1e-9,
                 suspects={tr("2 / (fan_in + fan_out): the square root is missing"):
                           np.array([0.5, 0.1, 0.004])})


@check("Dropout: 0 or input / keep_prob in training, the same mask in backward, identity "
       "at inference", points=1,
       hint=("Training: mask = 1 with probability keep_prob (from self.rng), kept as self.mask; "
             "return input_ * mask / keep_prob. Backward: output_grad * self.mask / keep_prob. "
             "Inference (self.inference): return input_ unchanged."))
def test_visible_dropout(ex):
    X = (0.5 + np.abs(ex.rng.standard_normal((100, 100)))) * ex.rng.choice([-1.0, 1.0],
                                                                           (100, 100))
    G = ex.rng.standard_normal(X.shape)

    def probe(m, X, G, seed):
        op = m.Dropout(KEEP, rng=np.random.default_rng(seed))
        train = op.forward(X)
        grad = op.backward(G)
        return {"train": train, "grad": grad, "infer": op.forward(X, inference=True)}

    got = ex.learner(probe, X, G, int(ex.rng.integers(2**31)))
    train = got["train"]
    what = tr("Dropout({keep}).forward(X) in training (|X| >= 0.5, never 0)").format(keep=KEEP)
    if train.shape != X.shape:
        fail(tr("{what} has shape {shape}; expected the input's shape {input_shape}").format(
            what=what, shape=train.shape, input_shape=X.shape))
    kept = train != 0
    if abs(kept.mean() - KEEP) > 0.05:
        fail(tr("{what} kept {kept:.1%} of the elements (nonzero outputs); expected about "
                "keep_prob = {keep:.0%}: keep_prob is the probability of keeping an element")
             .format(what=what, kept=kept.mean(), keep=KEEP))
    assert_close(train, np.where(kept, X / KEEP, 0.0), tr("{what} where it is not 0 (expected: "
                 "input / keep_prob)").format(what=what), suspects={
                     tr("the input itself: what is kept is not divided by keep_prob"):
                         np.where(kept, X, 0.0)})
    assert_close(got["grad"], np.where(kept, G / KEEP, 0.0), tr("Dropout({keep}).backward("
                 "output_grad) after that forward (expected: output_grad * mask / keep_prob, "
                 "with forward's mask)").format(keep=KEEP))
    assert_close(got["infer"], X, tr("Dropout({keep}).forward(X, inference=True) (expected: X)")
                 .format(keep=KEEP),
                 suspects={tr("X * keep_prob: scaled at inference, as in the book"): X * KEEP})


@check("Dense(weight_init='glorot') draws W and B with standard deviation glorot_std", points=1,
       hint=("In _setup_layer, W (n_in, neurons) and B (1, neurons) are "
             "self.rng.standard_normal(shape) * glorot_std(n_in, self.neurons) for 'glorot', "
             "and WeightMultiply(W), BiasAdd(B) come first in self.operations."))
def test_visible_dense_glorot(ex):
    X = ex.rng.standard_normal((4, 300))

    def probe(m, X, seed):
        layer = m.Dense(200, weight_init="glorot")
        layer.rng = np.random.default_rng(seed)
        out = layer.forward(X)
        ops = [op for op in layer.operations if hasattr(op, "param")]
        found = {"out": out, "n_param_ops": len(ops)}
        if len(ops) >= 2:
            found["W"], found["B"] = ops[0].param, ops[1].param
        return found

    got = ex.learner(probe, X, int(ex.rng.integers(2**31)))
    layer = tr("Dense({fan_out}, weight_init='glorot') with {fan_in} inputs").format(
        fan_out=200, fan_in=300)
    if got["out"].shape != (4, 200):
        fail(tr("{layer} gave an output of shape {shape} for 4 rows; expected (4, 200)").format(
            layer=layer, shape=got["out"].shape))
    if got["n_param_ops"] < 2:
        fail(tr("after its first forward, {layer} has no WeightMultiply and BiasAdd "
                "operations (nothing with a `param`)").format(layer=layer))
    want = 0.06324555320336758  # sqrt(2 / (300 + 200))
    for name, shape, band in (("W", (300, 200), 0.05), ("B", (1, 200), 0.35)):
        value = got[name]
        if value.shape != shape:
            fail(tr("{name} of {layer} has shape {shape}; expected {want_shape}").format(
                name=name, layer=layer, shape=value.shape, want_shape=shape))
        std = float(np.std(value))
        if abs(std / want - 1) > band:
            fail(tr("the standard deviation of {name} {shape} of {layer} is {std:.4g}; "
                    "expected glorot_std(300, 200) = {want:.4g} (within {band:.0%})").format(
                        name=name, shape=shape, layer=layer, std=std, want=want, band=band))
