"""Checks for exercise 11: glorot_std, Dropout and Dense with Glorot weights and dropout.

The operations (06), layers (07) and trainer (08) come from the references
(given finished), so a mistake there cannot fail these checks.

Random draws are judged by statistics, never element by element against the
reference: a learner may draw a mask or weights another valid way (for example
`rng.random(shape) < keep_prob`). Every statistical bound is at least six
standard errors wide, so a correct implementation passes for any seed, while the
known mistakes miss it by tens of standard errors. Inputs are kept away from 0,
so an output of exactly 0 always means a dropped element.
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr

Z = 6.0  # statistical bounds, in standard errors
KEEP = 0.7  # keep_prob for the Dropout checks: not 0.5, so keep and drop differ
DENSE_KEEP = 0.6  # dropout (a keep probability) for the Dense checks
FAN_IN, FAN_OUT = 300, 200  # a Dense layer's weights large enough to measure their spread


def glorot(fan_in, fan_out):
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def away_from_zero(rng, shape, positive=False):
    """Values with |x| >= 0.5: an output of exactly 0 can only be a dropped element."""
    x = 0.5 + np.abs(rng.standard_normal(shape))
    return x if positive else x * rng.choice([-1.0, 1.0], size=shape)


def a_seed(rng):
    return int(rng.integers(2**31))


class Replay:
    """Stands in for a Dropout's random generator: a draw repeated with the same
    arguments gives the first answer again, so every forward uses the same mask,
    however the mask is drawn."""

    def __init__(self, seed):
        self.generator = np.random.default_rng(seed)
        self.seen = {}

    def __getattr__(self, name):
        if name.startswith("_") or name in ("generator", "seen"):
            raise AttributeError(name)
        draw = getattr(self.generator, name)

        def replay(*args, **kwargs):
            key = (name, repr(args), repr(sorted(kwargs.items())))
            if key not in self.seen:
                self.seen[key] = draw(*args, **kwargs)
            return np.copy(self.seen[key])

        return replay


# --------------------------------------------------------------------------- probe helpers
# These run in the worker, on the learner's module m.


def dense_weights(layer):
    """W and B from the layer's operations (those with a `param`), and layer.params."""
    ops = [op for op in layer.operations if hasattr(op, "param")]
    out = {"n_param_ops": len(ops), "n_params": len(layer.params)}
    if len(ops) >= 2:
        out["W"], out["B"] = ops[0].param, ops[1].param
        out["params_are_ops"] = float(len(layer.params) == 2 and layer.params[0] is ops[0].param
                                      and layer.params[1] is ops[1].param)
    return out


def dense_init_probe(m, X, neurons, seed, weight_init=None):
    layer = m.Dense(neurons) if weight_init is None else m.Dense(neurons, weight_init=weight_init)
    layer.rng = np.random.default_rng(seed)
    layer.forward(X)
    return dense_weights(layer)


def dropout_probe(m, X, keep_prob, seed, G=None):
    op = m.Dropout(keep_prob, rng=np.random.default_rng(seed))
    out = {"output": op.forward(X)}
    if G is not None:
        out["input_grad"] = op.backward(G)
    return out


def dense_dropout_probe(m, X, neurons, keep, seed):
    import layers

    net = layers.NeuralNetwork([m.Dense(neurons, dropout=keep)], layers.MeanSquaredError(),
                               seed=seed)
    train = net.forward(X)
    infer = net.forward(X, inference=True)
    layer = net.layers[0]
    return {"train": train, "infer": infer, "n_ops": len(layer.operations),
            **dense_weights(layer)}


# --------------------------------------------------------------------------- judging helpers


def judge_std(sample, want, what, band, suspects):
    """Fail unless the sample standard deviation is within want * (1 +- band); name a
    suspect whose value the sample matches as well."""
    got = float(np.std(sample))
    if abs(got / want - 1) <= band:
        return
    lines = [tr("the standard deviation of {what} is {got:.4g}; expected {want:.4g} "
                "(within {band:.0%}).").format(what=what, got=got, want=want, band=band)]
    for description, value in suspects.items():
        if abs(got / value - 1) <= band:
            lines.append(tr("It is close to {description}.").format(description=description))
            break
    fail("\n".join(lines))


def weight_suspects(fan_in, fan_out, one):
    """description -> value of the spreads known mistakes give; `one` explains 1."""
    values = {
        tr("2 / (fan_in + fan_out) = {:.4g}, the variance used as the standard deviation: the "
           "square root is missing (the book's bug)"): 2.0 / (fan_in + fan_out),
        tr("sqrt(2 / fan_in) = {:.4g}, He initialisation, not Glorot"): np.sqrt(2.0 / fan_in),
        tr("sqrt(1 / fan_in) = {:.4g}, LeCun initialisation, not Glorot"):
            np.sqrt(1.0 / fan_in),
        tr("sqrt(2 / fan_out) = {:.4g}: fan_in is left out"): np.sqrt(2.0 / fan_out),
    }
    return {f"1: {one}": 1.0, **{text.format(v): v for text, v in values.items()}}


def check_kept(output, X, keep, what):
    """Each output is 0 or X / keep; fail with the likely mistake otherwise."""
    output = np.asarray(output)
    if output.shape != X.shape:
        fail(tr("{what} has shape {shape}; expected the input's shape {input_shape}").format(
            what=what, shape=output.shape, input_shape=X.shape))
    kept = output != 0
    if not kept.any():
        fail(tr("every element of {what} is 0: Dropout keeps each element with probability "
                "keep_prob = {keep}").format(what=what, keep=keep))
    if kept.all():
        fail(tr("no element of {what} is 0: in training, Dropout sets each element to 0 with "
                "probability 1 - keep_prob (inputs here are never 0)").format(what=what))
    assert_close(output, np.where(kept, X / keep, 0.0), tr("{what} where it is not 0 "
                 "(expected: input / keep_prob)").format(what=what), rtol=1e-12, atol=0.0,
                 suspects={
                     tr("the input itself: what is kept is not scaled by 1 / keep_prob. "
                        "Inverted dropout divides by keep_prob in training (the book instead "
                        "multiplies by keep_prob at inference)"): np.where(kept, X, 0.0),
                     tr("input * keep_prob: multiplied by keep_prob instead of divided by it"):
                         np.where(kept, X * keep, 0.0),
                 }, at={"input": X})


# --------------------------------------------------------------------------- glorot_std


@check("glorot_std(fan_in, fan_out) is sqrt(2 / (fan_in + fan_out))", points=1,
       hint=("Glorot's variance is 2 / (fan_in + fan_out); the standard deviation is its square "
             "root. The book forgets the square root."))
def test_glorot_std(ex):
    fans = np.array([[FAN_IN, FAN_OUT], [3, 1], [784, 89], [10, 10], [1, 1], [13, 46]])

    def probe(m, fans):
        return np.array([m.glorot_std(int(a), int(b)) for a, b in fans], dtype=float)

    got, want = ex.both(probe, fans)
    fan_in, fan_out = fans[:, 0].astype(float), fans[:, 1].astype(float)
    assert_close(got, want, "glorot_std(fan_in, fan_out)", at={"fan_in": fan_in,
                                                               "fan_out": fan_out}, suspects={
        tr("2 / (fan_in + fan_out), the variance used as the standard deviation: the square "
           "root is missing (the book's bug)"): 2.0 / (fan_in + fan_out),
        tr("sqrt(6 / (fan_in + fan_out)), the limit of Glorot's uniform distribution, not its "
           "standard deviation"): np.sqrt(6.0 / (fan_in + fan_out)),
        tr("sqrt(2 / fan_in), He initialisation"): np.sqrt(2.0 / fan_in),
        tr("sqrt(1 / (fan_in + fan_out)): the 2 is missing"):
            np.sqrt(1.0 / (fan_in + fan_out)),
    })


# --------------------------------------------------------------------------- Dense's weights


@check("Dense(weight_init='glorot') draws W and B with standard deviation glorot_std", points=2,
       hint=("In _setup_layer, draw W (n_in, neurons) and B (1, neurons) from self.rng's standard "
             "normal and multiply both by glorot_std(n_in, self.neurons) when self.weight_init "
             "is 'glorot'."))
def test_dense_glorot(ex):
    X = ex.rng.standard_normal((4, FAN_IN))
    got = ex.learner(dense_init_probe, X, FAN_OUT, a_seed(ex.rng), "glorot")
    if got["n_param_ops"] < 2:
        fail(tr("after its first forward, the layer has no WeightMultiply and BiasAdd "
                "operations (nothing with a `param`)"))
    want = glorot(FAN_IN, FAN_OUT)
    layer = tr("Dense({fan_out}, weight_init='glorot') with {fan_in} inputs").format(
        fan_out=FAN_OUT, fan_in=FAN_IN)
    judge_std(got["W"], want, tr("W ({fan_in}x{fan_out}) of {layer}").format(
                  fan_in=FAN_IN, fan_out=FAN_OUT, layer=layer), 0.02,
              weight_suspects(FAN_IN, FAN_OUT, tr("weight_init='glorot' is ignored (standard "
                                                  "normal weights)")))
    judge_std(got["B"], want, tr("B (1x{fan_out}) of {layer}").format(
                  fan_out=FAN_OUT, layer=layer), 0.3,
              weight_suspects(FAN_IN, FAN_OUT, tr("B is not scaled by glorot_std (scale B "
                                                  "as well as W)")))


@check("Dense(weight_init='standard') draws standard normal W and B and lists them in params",
       points=1,
       hint=("With the default weight_init 'standard', W and B come from "
             "self.rng.standard_normal unscaled. End _setup_layer with self._params() so "
             "layer.params holds the operations' own W and B."))
def test_dense_standard(ex):
    X = ex.rng.standard_normal((4, FAN_IN))
    got = ex.learner(dense_init_probe, X, FAN_OUT, a_seed(ex.rng))
    if got["n_param_ops"] < 2:
        fail(tr("after its first forward, the layer has no WeightMultiply and BiasAdd "
                "operations (nothing with a `param`)"))
    layer = tr("Dense({fan_out}) with {fan_in} inputs").format(fan_out=FAN_OUT, fan_in=FAN_IN)
    std = glorot(FAN_IN, FAN_OUT)
    suspects = {tr("glorot_std({fan_in}, {fan_out}) = {std:.4g}: Glorot scaling is used though "
                   "weight_init is 'standard'").format(fan_in=FAN_IN, fan_out=FAN_OUT, std=std):
                std}
    judge_std(got["W"], 1.0, tr("W ({fan_in}x{fan_out}) of {layer}").format(
        fan_in=FAN_IN, fan_out=FAN_OUT, layer=layer), 0.02, suspects)
    judge_std(got["B"], 1.0, tr("B (1x{fan_out}) of {layer}").format(
        fan_out=FAN_OUT, layer=layer), 0.3, suspects)
    if got["params_are_ops"] != 1.0:
        fail(tr("after the first forward, layer.params has {n} arrays; expected [W, B], the "
                "operations' own arrays: call self._params() at the end of _setup_layer")
             .format(n=int(got["n_params"])))


# --------------------------------------------------------------------------- Dropout


@check("Dropout in training: each output is 0 or input / keep_prob", points=2,
       hint=("Inverted dropout: mask = 1 with probability keep_prob (from self.rng), else 0; "
             "return input_ * mask / keep_prob, so that what is kept is scaled up."))
def test_dropout_training_values(ex):
    X = away_from_zero(ex.rng, (300, 200))
    got = ex.learner(dropout_probe, X, KEEP, a_seed(ex.rng))
    check_kept(got["output"], X, KEEP, f"Dropout({KEEP}).forward(X)")


@check("Dropout in training keeps about keep_prob of the elements and preserves the mean",
       points=2,
       hint=("keep_prob is the probability of keeping an element (mask 1), not of dropping it: "
             "rng.binomial(1, keep_prob, shape). Dividing what is kept by keep_prob keeps the "
             "mean of the output equal to the mean of the input."))
def test_dropout_kept_fraction(ex):
    X = away_from_zero(ex.rng, (400, 250), positive=True)
    got = ex.learner(dropout_probe, X, KEEP, a_seed(ex.rng))
    out = np.asarray(got["output"])
    if out.shape != X.shape:
        fail(tr("Dropout({keep}).forward(X) has shape {shape}; expected the input's shape "
                "{input_shape}").format(keep=KEEP, shape=out.shape, input_shape=X.shape))
    n = X.size
    kept = float(np.mean(out != 0))
    se = np.sqrt(KEEP * (1 - KEEP) / n)
    if abs(kept - KEEP) > Z * se:
        lines = [tr("Dropout({keep}).forward(X) kept {kept:.4f} of {n} elements (nonzero "
                    "outputs); expected keep_prob = {keep} (within {bound:.4f}).").format(
                        keep=KEEP, kept=kept, n=n, bound=Z * se)]
        if abs(kept - (1 - KEEP)) <= Z * se:
            lines.append(tr("That is 1 - keep_prob: keep_prob is the probability of keeping an "
                            "element, not of dropping it."))
        fail("\n".join(lines))
    ratio = float(np.mean(out) / np.mean(X))
    se_ratio = np.sqrt((1 - KEEP) / KEEP * np.mean(X**2) / n) / np.mean(X)
    if abs(ratio - 1) > Z * se_ratio:
        lines = [tr("the mean of Dropout({keep}).forward(X) is {ratio:.4f} times the mean of "
                    "the input (positive here); expected 1 (within {bound:.4f}).").format(
                        keep=KEEP, ratio=ratio, bound=Z * se_ratio)]
        if abs(ratio - KEEP) <= Z * se_ratio:
            lines.append(tr("That is keep_prob: what is kept is not scaled by 1 / keep_prob."))
        fail("\n".join(lines))


@check("Dropout draws a new mask from self.rng on every training forward", points=1,
       hint=("Draw the mask inside _output with self.rng (not np.random): each training forward "
             "gets a new mask, and two Dropouts given generators with the same seed drop the "
             "same elements."))
def test_dropout_new_mask(ex):
    X = away_from_zero(ex.rng, (40, 50))
    seed = a_seed(ex.rng)

    def probe(m, X, seed):
        first = m.Dropout(KEEP, rng=np.random.default_rng(seed))
        twin = m.Dropout(KEEP, rng=np.random.default_rng(seed))
        return {"first": first.forward(X), "again": first.forward(X), "twin": twin.forward(X)}

    got = ex.learner(probe, X, seed)
    first, again, twin = (np.asarray(got[k]) == 0 for k in ("first", "again", "twin"))
    if not np.array_equal(first, twin):
        fail(tr("two Dropouts given np.random.default_rng with the same seed dropped different "
                "elements: draw the mask from self.rng, not from np.random or a new generator"))
    if np.array_equal(first, again):
        fail(tr("a second training forward of the same Dropout dropped exactly the same "
                "{dropped} of {size} elements: draw a new mask on every training forward")
             .format(dropped=int(first.sum()), size=first.size))


@check("Dropout at inference passes the input through unchanged", points=2,
       hint=("forward(input_, inference=True) sets self.inference; then _output returns "
             "input_ itself: no mask, and no scaling (inverted dropout scales in training "
             "only)."))
def test_dropout_inference(ex):
    X_train = away_from_zero(ex.rng, (20, 30))
    X = away_from_zero(ex.rng, (60, 50))

    def probe(m, X_train, X, seed):
        op = m.Dropout(KEEP, rng=np.random.default_rng(seed))
        op.forward(X_train)
        return {"after_training": op.forward(X, inference=True),
                "fresh": m.Dropout(KEEP, rng=np.random.default_rng(seed)).forward(
                    X, inference=True)}

    got = ex.learner(probe, X_train, X, a_seed(ex.rng))
    for key, what in [("fresh", tr("a new Dropout({keep}).forward(X, inference=True)")
                       .format(keep=KEEP)),
                      ("after_training", tr("Dropout({keep}).forward(X, inference=True) after "
                                            "a training forward").format(keep=KEEP))]:
        out = np.asarray(got[key])
        if out.shape == X.shape and (out == 0).any():
            fail(tr("{what} has {zeros} of {size} outputs 0 (the inputs are never 0): dropout "
                    "must be off at inference, when self.inference is True").format(
                        what=what, zeros=int((out == 0).sum()), size=out.size))
        assert_close(out, X, tr("{what} (expected: the input itself)").format(what=what),
                     rtol=1e-12, atol=0.0, at={"input": X}, suspects={
                         tr("input * keep_prob: scaled at inference, as in the book; inverted "
                            "dropout scales by 1 / keep_prob in training instead, so inference "
                            "is the identity"): X * KEEP,
                         tr("input / keep_prob: the 1 / keep_prob scaling belongs to training "
                            "only"): X / KEEP,
                     })


@check("Dropout.backward reuses the forward mask: output_grad * mask / keep_prob", points=2,
       hint=("Store the mask in _output (self.mask) and use it in _input_grad: "
             "output_grad * self.mask / keep_prob. A new mask in backward zeroes other "
             "elements than forward did."))
def test_dropout_backward(ex):
    X = away_from_zero(ex.rng, (200, 150))
    G = ex.rng.standard_normal(X.shape)
    got = ex.learner(dropout_probe, X, KEEP, a_seed(ex.rng), G)
    out, grad = np.asarray(got["output"]), np.asarray(got["input_grad"])
    if out.shape != X.shape:
        fail(tr("Dropout({keep}).forward(X) has shape {shape}; expected the input's shape "
                "{input_shape}").format(keep=KEEP, shape=out.shape, input_shape=X.shape))
    dropped = out == 0
    if dropped.all() or not dropped.any():
        fail(tr("Dropout({keep}).forward(X) in training dropped {dropped} of {size} elements; "
                "expected about {share:.0%} of them").format(
                    keep=KEEP, dropped=int(dropped.sum()), size=X.size, share=1 - KEEP))
    if grad.shape == X.shape:
        kept_zero = int(np.sum((grad == 0) & ~dropped))
        dropped_nonzero = int(np.sum((grad != 0) & dropped))
        if kept_zero or dropped_nonzero:
            fail(tr("the gradient from Dropout({keep}).backward(output_grad) is 0 at "
                    "{kept_zero} positions where the forward output was kept, and not 0 at "
                    "{dropped_nonzero} where it was dropped (of {size}): backward must reuse "
                    "the mask forward drew (self.mask), not draw a new one").format(
                        keep=KEEP, kept_zero=kept_zero, dropped_nonzero=dropped_nonzero,
                        size=X.size))
    assert_close(grad, np.where(dropped, 0.0, G / KEEP), f"Dropout({KEEP}).backward"
                 "(output_grad)", rtol=1e-12, atol=0.0, at={"output_grad": G}, suspects={
                     tr("output_grad * mask without / keep_prob: inverted dropout's backward "
                        "divides by keep_prob, as its forward does"): np.where(dropped, 0.0, G),
                     tr("output_grad without the mask"): G / KEEP,
                 })


@check("Dropout's gradient agrees with a numerical one (with the mask held fixed)", points=1,
       hint=("With its mask fixed, Dropout is input_ * mask / keep_prob, so its gradient is "
             "output_grad * mask / keep_prob: the same mask and the same scale as forward."))
def test_dropout_numeric(ex):
    X = away_from_zero(ex.rng, (6, 8))

    def probe(m, X, seed, grad_seed):
        op = m.Dropout(KEEP, rng=Replay(seed))  # every forward draws the same mask
        return gradcheck.probe(op.forward, {"input_": X},
                               lambda G: {"input_": op.backward(G)}, grad_seed)

    gradcheck.verify(ex.learner(probe, X, a_seed(ex.rng), ex.seed), f"Dropout({KEEP}).backward")


# --------------------------------------------------------------------------- Dense's dropout


@check("Dense(dropout=keep_prob) puts a Dropout after the activation, off at inference",
       points=2,
       hint=("In _setup_layer, after WeightMultiply, BiasAdd and self.activation, append "
             "Dropout(self.dropout, rng=self.rng) when self.dropout < 1. net.forward(X, "
             "inference=True) then gives the activation's output unchanged."))
def test_dense_dropout(ex):
    X = ex.rng.standard_normal((200, 10))
    neurons = 50
    got = ex.learner(dense_dropout_probe, X, neurons, DENSE_KEEP, a_seed(ex.rng))
    layer = f"Dense({neurons}, dropout={DENSE_KEEP})"
    if got["n_param_ops"] < 2:
        fail(tr("after its first forward, {layer} has no WeightMultiply and BiasAdd "
                "operations (nothing with a `param`)").format(layer=layer))
    train, infer = np.asarray(got["train"]), np.asarray(got["infer"])
    if not (train == 0).any():
        lines = [tr("no output of {layer} in training (net.forward(X)) is exactly 0: it has "
                    "no Dropout after the activation.").format(layer=layer)]
        if np.mean(train == 0.5) > 0.1:
            lines.append(tr("{count} outputs are 0.5 = sigmoid(0): the Dropout comes before "
                            "the activation; it must follow it.").format(
                                count=int(np.sum(train == 0.5))))
        fail("\n".join(lines))
    if (infer == 0).any():
        fail(tr("net.forward(X, inference=True) through {layer} has {zeros} of {size} outputs "
                "0: the layer's Dropout must be off at inference").format(
                    layer=layer, zeros=int((infer == 0).sum()), size=infer.size))
    activation = sigmoid(X @ got["W"] + got["B"])
    assert_close(infer, activation, tr("net.forward(X, inference=True) through {layer} "
                 "(expected: sigmoid(X W + B) with the layer's own W and B)").format(
                     layer=layer), rtol=1e-9,
                 suspects={tr("sigmoid(X W + B) * keep_prob: scaled at inference"):
                           activation * DENSE_KEEP})
    n = train.size
    kept = float(np.mean(train != 0))
    se = np.sqrt(DENSE_KEEP * (1 - DENSE_KEEP) / n)
    if abs(kept - DENSE_KEEP) > Z * se:
        lines = [tr("{layer} kept {kept:.4f} of its {n} outputs in training; expected "
                    "dropout = {keep}, the keep probability (within {bound:.4f}).").format(
                        layer=layer, kept=kept, n=n, keep=DENSE_KEEP, bound=Z * se)]
        if abs(kept - (1 - DENSE_KEEP)) <= Z * se:
            lines.append(tr("That is 1 - dropout: dropout is the probability of keeping an "
                            "output, not of dropping it."))
        fail("\n".join(lines))
    assert_close(train, np.where(train == 0, 0.0, activation / DENSE_KEEP),
                 tr("net.forward(X) through {layer} where it is not 0 (expected: the "
                    "activation's output / keep_prob)").format(layer=layer), rtol=1e-9)


@check("Dense's Dropout draws from the layer's rng: the same seed gives the same masks",
       points=1,
       hint=("Make the layer's Dropout with rng=self.rng, so that NeuralNetwork's seed makes "
             "training repeatable."))
def test_dense_dropout_rng(ex):
    X = ex.rng.standard_normal((30, 10))
    seed = a_seed(ex.rng)

    def probe(m, X, seed):
        a = dense_dropout_probe(m, X, 40, DENSE_KEEP, seed)
        b = dense_dropout_probe(m, X, 40, DENSE_KEEP, seed)
        return {"a": a["train"], "b": b["train"]}

    got = ex.learner(probe, X, seed)
    a, b = np.asarray(got["a"]) == 0, np.asarray(got["b"]) == 0
    if not a.any():
        fail(tr("no output of Dense(40, dropout={keep}) in training is exactly 0: it has "
                "no Dropout after the activation").format(keep=DENSE_KEEP))
    if not np.array_equal(a, b):
        fail(tr("two networks with the same seed, each one Dense(40, dropout={keep}), "
                "dropped different outputs in training: give the Dropout the layer's own "
                "generator, rng=self.rng").format(keep=DENSE_KEEP))


@check("Dense(dropout=1.0), the default, adds no Dropout", points=1,
       hint=("Append a Dropout only when self.dropout < 1: with dropout 1.0 the layer is "
             "WeightMultiply, BiasAdd and the activation, as in exercise 07."))
def test_dense_no_dropout(ex):
    X = ex.rng.standard_normal((50, 10))
    got = ex.learner(dense_dropout_probe, X, 20, 1.0, a_seed(ex.rng))
    if got["n_param_ops"] < 2:
        fail(tr("after its first forward, Dense(20, dropout=1.0) has no WeightMultiply and "
                "BiasAdd operations (nothing with a `param`)"))
    assert_close(got["train"], sigmoid(X @ got["W"] + got["B"]), tr("net.forward(X) through "
                 "Dense(20, dropout=1.0) in training (expected: sigmoid(X W + B))"), rtol=1e-9)
    if got["n_ops"] != 3:
        fail(tr("Dense(20, dropout=1.0) has {n} operations; expected 3 (WeightMultiply, "
                "BiasAdd, the activation): dropout=1.0 keeps everything, so add a Dropout only "
                "when dropout < 1").format(n=int(got["n_ops"])))
