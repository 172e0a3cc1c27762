"""Checks for exercise 09: Tanh, ReLU, softmax and SoftmaxCrossEntropy.

The operations (06) and layers (07) come from their references, given
finished. The backward checks of Tanh and ReLU set input_ and output as
forward would and call backward, so a mistake in _output does not fail them;
the numerical checks run forward and backward end to end. Batches have several
rows and a different number of classes; logits are random normal, with rows
near +-1000 in the stability checks; targets are one-hot; output gradients are
random normal; ReLU's inputs stay at least 0.1 away from its kink at 0.
"""
import numpy as np

from grader import CheckFailed, assert_close, check, fail, gradcheck, tr

BATCH, FEATURES, CLASSES = 5, 4, 4


# --------------------------------------------------------------------------- plain NumPy


def softmax(x, axis=1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=axis, keepdims=True)


def away_from_zero(rng, shape, scale=1.5):
    """Random values with |x| >= 0.1, both signs present: no input sits on ReLU's kink."""
    u = rng.standard_normal(shape) * scale
    x = np.sign(u) * (0.1 + np.abs(u))
    x.flat[0], x.flat[1] = -abs(x.flat[0]), abs(x.flat[1])
    return x


def one_hot(rng, n, k):
    return np.eye(k)[rng.integers(k, size=n)]


def logits_and_targets(rng, n=BATCH, k=CLASSES):
    return rng.standard_normal((n, k)) * 2, one_hot(rng, n, k)


def huge_logits(rng, n=6, k=CLASSES):
    """Logits near +-1000 and one-hot targets: a row near +1000, a row near -1000, a row
    mixing +1000 and -1000 whose target is a -1000 class (probability e^-2000), a row
    near +1000 but one class at -1000, and ordinary rows."""
    Z, T = rng.standard_normal((n, k)) * 3, one_hot(rng, n, k)
    Z[0] += 1000.0
    Z[1] -= 1000.0
    signs = rng.permutation(np.where(np.arange(k) % 2 == 0, 1.0, -1.0))
    Z[2] += 1000.0 * signs
    T[2] = np.eye(k)[rng.choice(np.flatnonzero(signs < 0))]
    Z[3] += 1000.0
    Z[3, rng.integers(k)] -= 2000.0
    return Z, T


# --------------------------------------------------------------------------- probe helpers
# These run in the worker, on the learner's module m.


def prepared(op, input_, output):
    """op as forward(input_) leaves it, without running the learner's _output."""
    op.input_ = input_
    op.output = output
    return op


def forward_probe(m, name, X):
    return getattr(m, name)().forward(X)


def op_numeric_probe(m, name, X, seed):
    """gradcheck.probe of a fresh operation per forward; backward on the first one."""
    ops = []

    def forward(X):
        ops.append(getattr(m, name)())
        return ops[-1].forward(X)

    return gradcheck.probe(forward, {"X": X}, lambda g: {"X": ops[0].backward(g)}, seed)


def loss_probe(m, Z, T):
    loss = m.SoftmaxCrossEntropy()
    value = loss.forward(Z, T)
    return {"loss": value, "grad": loss.backward()}


# --------------------------------------------------------------------------- Tanh


@check("Tanh's forward is tanh(input_)", points=1,
       hint="_output returns np.tanh(self.input_), element-wise, with the input's shape.")
def test_tanh_forward(ex):
    X = ex.rng.standard_normal((BATCH, FEATURES)) * 1.5
    got, want = ex.both(forward_probe, "Tanh", X)
    assert_close(got, want, "Tanh().forward(x)", at={"x": X}, suspects={
        tr("sigmoid(x): the logistic function where tanh belongs"): 1 / (1 + np.exp(-X)),
        tr("1 - tanh(x)**2: tanh's derivative where tanh itself belongs"):
            1 - np.tanh(X) ** 2,
    })


@check("Tanh's backward is output_grad * (1 - output**2), from the stored output", points=2,
       hint=("tanh'(x) = 1 - tanh(x)**2, and tanh(x) is the stored self.output: "
             "output_grad * (1 - self.output**2). self.input_ is x, not tanh(x)."))
def test_tanh_backward(ex):
    X = ex.rng.standard_normal((BATCH, FEATURES)) * 1.5
    G = ex.rng.standard_normal((BATCH, FEATURES))

    def probe(m, X, G):
        return prepared(m.Tanh(), X, np.tanh(X)).backward(G)

    got, want = ex.both(probe, X, G)
    t = np.tanh(X)
    assert_close(got, want, "Tanh().backward(output_grad)",
                 at={"input_": X, "output": t, "output_grad": G}, suspects={
                     tr("output_grad * (1 - input_**2): tanh's derivative from the input "
                        "instead of the output"): G * (1 - X**2),
                     tr("1 - output**2 without output_grad: multiply by output_grad"):
                         1 - t**2,
                     tr("output_grad * (1 - output): the output is not squared"): G * (1 - t),
                     tr("output_grad * (1 - tanh(output)**2): tanh applied to the output "
                        "again, but self.output is already tanh(x)"): G * (1 - np.tanh(t) ** 2),
                     tr("output_grad itself: tanh's derivative is missing"): G,
                 })


@check("Tanh's gradient agrees with a numerical one", points=1,
       hint=("backward must be the derivative of forward: output_grad * (1 - self.output**2), "
             "with the output forward stored."))
def test_tanh_numeric(ex):
    X = ex.rng.standard_normal((BATCH - 1, FEATURES)) * 1.5
    result = ex.learner(op_numeric_probe, "Tanh", X, ex.seed)
    gradcheck.verify(result, tr("Tanh(): forward(x), then backward"))


# --------------------------------------------------------------------------- ReLU


@check("ReLU's forward is max(0, input_)", points=1,
       hint="_output returns np.maximum(0, self.input_): negative inputs become 0, the rest "
            "pass unchanged.")
def test_relu_forward(ex):
    X = away_from_zero(ex.rng, (BATCH, FEATURES))
    got, want = ex.both(forward_probe, "ReLU", X)
    assert_close(got, want, "ReLU().forward(x)", at={"x": X}, suspects={
        tr("the 0/1 mask (x > 0): the values are dropped, keep x where it is positive"):
            (X > 0).astype(float),
        tr("min(0, x): the positive values are dropped instead of the negative ones"):
            np.minimum(0, X),
        tr("|x|: negative inputs are flipped instead of set to 0"): np.abs(X),
    })


@check("ReLU's backward lets output_grad through only where the input was positive", points=2,
       hint=("The mask is self.input_ > 0: output_grad * (self.input_ > 0). A mask from the "
             "output, output >= 0, is always true, since the output is max(0, x) >= 0."))
def test_relu_backward(ex):
    X = away_from_zero(ex.rng, (BATCH, FEATURES))
    G = ex.rng.standard_normal((BATCH, FEATURES))

    def probe(m, X, G):
        return prepared(m.ReLU(), X, np.maximum(0, X)).backward(G)

    got, want = ex.both(probe, X, G)
    assert_close(got, want, "ReLU().backward(output_grad)", at={"input_": X, "output_grad": G},
                 suspects={
                     tr("output_grad unchanged: the mask lets everything through, as a mask "
                        "from output >= 0 does (the output max(0, x) is always >= 0, so it is "
                        "always true)"): G,
                     tr("output_grad where the input was negative: the mask is flipped"):
                         G * (X < 0),
                     tr("the 0/1 mask (input_ > 0) without output_grad: multiply by "
                        "output_grad"): (X > 0).astype(float),
                     tr("output_grad * output: the output where the 0/1 mask belongs"):
                         G * np.maximum(0, X),
                 })


@check("ReLU's gradient agrees with a numerical one", points=1,
       hint=("ReLU's derivative is 1 where the input is positive and 0 where it is negative: "
             "take the mask from self.input_ > 0."))
def test_relu_numeric(ex):
    X = away_from_zero(ex.rng, (BATCH - 1, FEATURES))
    result = ex.learner(op_numeric_probe, "ReLU", X, ex.seed)
    gradcheck.verify(result, tr("ReLU(): forward(x), then backward"))


# --------------------------------------------------------------------------- softmax


@check("softmax(x) turns each row into probabilities that sum to 1", points=2,
       hint=("softmax works along axis 1, one row (one example) at a time: exp(x) divided by "
             "the sum of exp(x) over the row, np.sum(..., axis=axis, keepdims=True)."))
def test_softmax(ex):
    Z, _ = logits_and_targets(ex.rng)
    got, want = ex.both(lambda m, Z: m.softmax(Z), Z)
    exps, shifted = np.exp(Z), np.exp(Z - Z.max(axis=1, keepdims=True))
    suspects = {
        tr("softmax over axis 0, down the batch: each column sums to 1, not each row"):
            softmax(Z, axis=0),
        tr("exp(x) / sum(exp(x)) over the whole array: sum along axis 1 only"):
            exps / exps.sum(),
        tr("exp(x - max of the row) divided by its sum over the whole array: sum along axis 1 "
           "only, with keepdims=True"): shifted / shifted.sum(),
        tr("exp(x) without dividing by the row's sum"): exps,
        tr("exp(x - max of the row) without dividing by the row's sum"): shifted,
    }
    n, k = Z.shape
    if np.shape(got) == (n, k) and np.all(np.isfinite(got)):
        assert_close(np.sum(got, axis=1), np.ones(n), tr("the sum of each row of softmax(x)"),
                     suspects={name: np.sum(value, axis=1) for name, value in suspects.items()})
    assert_close(got, want, "softmax(x)", at={"x": Z}, suspects=suspects)


@check("softmax(x, axis) works along the axis it is given", points=1,
       hint=("Use the axis argument in both the max and the sum: np.max(x, axis=axis, "
             "keepdims=True) and np.sum(..., axis=axis, keepdims=True)."))
def test_softmax_axis(ex):
    Z, _ = logits_and_targets(ex.rng)
    got, want = ex.both(lambda m, Zt: m.softmax(Zt, axis=0), Z.T)
    assert_close(got, want,
                 tr("softmax(x, axis=0) with x of shape {shape}").format(shape=Z.T.shape),
                 suspects={
                     tr("softmax along axis 1 whatever axis says: use the axis argument"):
                         softmax(Z.T, axis=1),
                 })


@check("softmax is finite and right for logits near +-1000", points=2,
       hint=("exp(1000) overflows to inf and exp(-1000) rounds to 0, so exp(x) / sum(exp(x)) "
             "gives inf / inf or 0 / 0 = NaN. softmax(x) = softmax(x - c) for any c per row: "
             "subtract each row's maximum first, np.max(x, axis=axis, keepdims=True)."))
def test_softmax_stable(ex):
    Z, _ = huge_logits(ex.rng)
    got, want = ex.both(lambda m, Z: m.softmax(Z), Z)
    got_arr = np.asarray(got, dtype=np.float64)
    if got_arr.shape == Z.shape and not np.all(np.isfinite(got_arr)):
        rows = sorted({int(i) for i in np.argwhere(~np.isfinite(got_arr))[:, 0]})
        fail(tr("softmax(x) with logits near +-1000 contains NaN or infinity in rows {rows} "
                "(row 0 is near +1000, row 1 near -1000): exp(1000) overflows to inf and "
                "exp(-1000) rounds to 0. Subtract each row's maximum before exp: "
                "softmax(x) = softmax(x - max of the row).").format(rows=rows))
    assert_close(got, want, tr("softmax(x) with logits near +-1000"), at={"x": Z}, suspects={
        tr("softmax over axis 0, down the batch: each column sums to 1, not each row"):
            softmax(Z, axis=0),
    })


# --------------------------------------------------------------------------- the loss


@check("SoftmaxCrossEntropy's loss is -sum(target * log(softmax(prediction))) / n", points=2,
       hint=("p = softmax(prediction) along each row; the loss is -np.sum(target * log(p)) "
             "divided by n, the number of rows. Only the target class of each row counts: no "
             "(1 - target) * log(1 - p) term."))
def test_loss_value(ex):
    Z, T = logits_and_targets(ex.rng)
    got, want = ex.both(loss_probe, Z, T)
    n, k = Z.shape
    p, p0 = softmax(Z), softmax(Z, axis=0)
    ce = -np.sum(T * np.log(p)) / n
    assert_close(got["loss"], want["loss"], "SoftmaxCrossEntropy().forward(prediction, target)",
                 suspects={
                     tr("the sum over the batch: the loss is not divided by n, the number of "
                        "rows"): ce * n,
                     tr("binary cross-entropy on the softmax outputs, "
                        "-sum(t log p + (1 - t) log(1 - p)) / n (the book's loss): the "
                        "(1 - t) log(1 - p) term does not belong in softmax cross-entropy"):
                         -np.sum(T * np.log(p) + (1 - T) * np.log(1 - p)) / n,
                     tr("the mean over every element (divided by n * classes), not over the "
                        "rows"): ce / k,
                     tr("cross-entropy with softmax over axis 0, down the batch, not along each "
                        "row"): -np.sum(T * np.log(p0)) / n,
                     tr("+sum(target * log(p)) / n: the minus sign is missing"): -ce,
                 })


@check("SoftmaxCrossEntropy's gradient is (softmax(prediction) - target) / n", points=2,
       hint=("backward() returns (softmax(prediction) - target) / n, with the prediction's "
             "shape: the softmax along each row (axis 1), divided by n, the number of rows."))
def test_loss_grad(ex):
    Z, T = logits_and_targets(ex.rng)
    got, want = ex.both(loss_probe, Z, T)
    n = Z.shape[0]
    p, p0 = softmax(Z), softmax(Z, axis=0)
    assert_close(got["grad"], want["grad"], "SoftmaxCrossEntropy().backward()",
                 at={"prediction": Z, "target": T}, suspects={
                     tr("softmax(prediction) - target without / n: n times too big"): p - T,
                     tr("(softmax over axis 0 - target) / n: the softmax runs down the batch "
                        "instead of along each row"): (p0 - T) / n,
                     tr("softmax over axis 0 - target, without / n: the softmax runs down the "
                        "batch instead of along each row, and the / n is missing"): p0 - T,
                     tr("(target - softmax(prediction)) / n: the sign is flipped"):
                         (T - p) / n,
                     tr("softmax(prediction) / n: the target is not subtracted"): p / n,
                 })


@check("SoftmaxCrossEntropy's gradient is the derivative of its own loss", points=2,
       hint=("backward() must be the derivative of the number forward() returns. With the loss "
             "-sum(t log p) / n that is (p - t) / n; a binary cross-entropy loss "
             "(with a (1 - t) log(1 - p) term) has another derivative, so the two disagree."))
def test_loss_numeric(ex):
    Z, T = logits_and_targets(ex.rng, BATCH - 1)

    def probe(m, Z, T, seed):
        losses = []

        def forward(prediction):
            losses.append(m.SoftmaxCrossEntropy())
            return losses[-1].forward(prediction, T)

        return gradcheck.probe(forward, {"prediction": Z},
                               lambda g: {"prediction": g * losses[0].backward()}, seed)

    result = ex.learner(probe, Z, T, ex.seed)
    try:
        gradcheck.verify(result, "SoftmaxCrossEntropy().backward()")
    except CheckFailed as exc:
        fail(exc.message + "\n" + tr("The loss forward() returns and the gradient backward() "
                                     "returns disagree: backward() must be the derivative of "
                                     "forward()'s loss."), exc.kind)


@check("SoftmaxCrossEntropy is finite and right for logits near +-1000", points=2,
       hint=("Never take the log of a probability: one that rounded to 0 gives log(0) = -inf, "
             "and 0 * -inf = NaN. Compute log(softmax(x)) as x - max - log(sum(exp(x - max))) "
             "along each row, with max each row's maximum."))
def test_loss_stable(ex):
    Z, T = huge_logits(ex.rng)

    def probe(m, Z, T):
        result = loss_probe(m, Z, T)
        try:
            result["softmax"] = m.softmax(Z)
        except Exception:  # noqa: BLE001 - judged by its own checks
            result["softmax"] = np.zeros(Z.shape)
        return result

    got, want = ex.both(probe, Z, T)
    softmax_finite = bool(np.all(np.isfinite(got["softmax"])))
    scalar = np.shape(got["loss"]) == ()
    if scalar and not np.isfinite(got["loss"]):
        if not softmax_finite:
            fail(tr("SoftmaxCrossEntropy().forward with logits near +-1000 gave {loss}, "
                    "and your softmax gives NaN or infinity for them: exp(1000) overflows. "
                    "Subtract each row's maximum before exp.").format(loss=float(got["loss"])))
        fail(tr("SoftmaxCrossEntropy().forward with logits near +-1000 gave {loss}, "
                "expected {want:.6g}: the log of a probability that rounded to 0 "
                "is -inf (and target 0 times -inf is NaN). Compute log(softmax(x)) as "
                "x - max - log(sum(exp(x - max))) along each row, never np.log(softmax(x)).")
             .format(loss=float(got["loss"]), want=float(want["loss"])))
    if np.shape(got["grad"]) == Z.shape and not np.all(np.isfinite(got["grad"])):
        fail(tr("SoftmaxCrossEntropy().backward() with logits near +-1000 contains NaN or "
                "infinity: exp(1000) overflows. The softmax in the gradient must subtract each "
                "row's maximum before exp."))
    n = Z.shape[0]
    p = softmax(Z)
    clipped = np.clip(p, 1e-9, 1 - 1e-9)
    suspects = {
        tr("the sum over the batch: the loss is not divided by n, the number of rows"):
            want["loss"] * n,
        tr("binary cross-entropy on the softmax outputs clipped to "
           "[1e-9, 1 - 1e-9] (the book's loss)"):
            -np.sum(T * np.log(clipped) + (1 - T) * np.log(1 - clipped)) / n,
    }
    try:
        assert_close(got["loss"], want["loss"],
                     tr("SoftmaxCrossEntropy().forward(prediction, target) with logits near "
                        "+-1000"), suspects=suspects)
    except CheckFailed as exc:
        # a suspect named in exc.message, found as assert_close finds it (any language)
        named = scalar and any(np.allclose(float(got["loss"]), value, rtol=1e-7, atol=1e-9)
                               for value in suspects.values())
        if scalar and float(got["loss"]) < float(want["loss"]) and not named:
            fail(tr("SoftmaxCrossEntropy().forward(prediction, target) with logits near +-1000 "
                    "is wrong: expected {want:.6g}, got {got:.6g}. "
                    "Row 2's target has a probability near e^-2000, so its term alone is about "
                    "2000 / n: a small number added to p, or a clip, inside the log cuts it "
                    "short.").format(want=float(want["loss"]), got=float(got["loss"])),
                 exc.kind)
        raise
    assert_close(got["grad"], want["grad"],
                 tr("SoftmaxCrossEntropy().backward() with logits near +-1000"),
                 at={"prediction": Z, "target": T}, suspects={
                     tr("softmax(prediction) - target without / n: n times too big"): p - T,
                 })
