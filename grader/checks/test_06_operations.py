"""Checks for exercise 06: Operation, ParamOperation and the four operations.

The base classes are checked through small operations of the grader's own that
subclass them, so only the learner's forward and backward are judged there.
The checks of WeightMultiply, BiasAdd, Sigmoid and Linear set input_ and output
as forward would and call the method the learner wrote (_output, _input_grad,
_param_grad) directly: a wrong value or shape is shown with its likely cause,
and a mistake in forward or backward does not fail them. The numerical checks
run forward and backward end to end.

Batches have several rows and n_in != n_out, but for the square weights that tell W
from W.T apart; output gradients are random normal.
"""
import numpy as np

from grader import N_, assert_close, check, fail, gradcheck, tr

BATCH, N_IN, N_OUT = 5, 3, 2


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


class InputNotStored(Exception):
    """Raised by the grader's operation when _output runs before input_ is stored."""


# --------------------------------------------------------------------------- probe helpers
# These run in the worker, on the learner's module m.


def stored(op, *names):
    """{name: the attribute, has_name: 1.0} for each attribute op has, has_name: 0.0 if not."""
    out = {}
    for name in names:
        value = getattr(op, name, None)
        out[f"has_{name}"] = 0.0 if value is None else 1.0
        out[name] = np.zeros(0) if value is None else value
    return out


def prepared(op, input_, output):
    """op as forward(input_) leaves it, without running the learner's forward."""
    op.input_ = input_
    op.output = output
    return op


def square_op(m):
    """The grader's Operation: output input_ ** 2, input_grad 2 * input_ * output_grad."""

    class Square(m.Operation):
        def _output(self):
            if getattr(self, "input_", None) is None:
                raise InputNotStored
            return self.input_ ** 2

        def _input_grad(self, output_grad):
            return 2.0 * self.input_ * output_grad

    return Square()


def scale_op(m, P):
    """The grader's ParamOperation: output input_ * P, with P of shape (1, n)."""

    class Scale(m.ParamOperation):
        def _output(self):
            return self.input_ * self.param

        def _input_grad(self, output_grad):
            return output_grad * self.param

        def _param_grad(self, output_grad):
            return np.sum(output_grad * self.input_, axis=0, keepdims=True)

    return Scale(P)


def project_op(m, M, with_param, bad=""):
    """The grader's input_ @ M, an Operation or a ParamOperation (param M), whose gradients
    have the right shapes whatever output_grad's shape is; bad="input" or "param" makes
    that gradient come out transposed."""

    def grad_like(shape, output_grad, wrong):
        return np.full(shape[::-1] if wrong else shape, float(np.sum(output_grad)))

    if with_param:
        class Project(m.ParamOperation):
            def _output(self):
                return self.input_ @ self.param

            def _input_grad(self, output_grad):
                return grad_like(self.input_.shape, output_grad, bad == "input")

            def _param_grad(self, output_grad):
                return grad_like(self.param.shape, output_grad, bad == "param")

        return Project(M)

    class ProjectOp(m.Operation):
        def _output(self):
            return self.input_ @ M

        def _input_grad(self, output_grad):
            return grad_like(self.input_.shape, output_grad, bad == "input")

    return ProjectOp()


def raises(call, *args):
    """1.0 if call(*args) raised, 0.0 if it returned; not-implemented code stays so."""
    try:
        call(*args)
    except NotImplementedError:
        raise
    except Exception:
        return 1.0
    return 0.0


# --------------------------------------------------------------------------- Operation


@check("Operation.forward stores input_ and output and returns the output", points=2,
       hint=("In forward(input_): set self.input_ = input_ first (_output reads it), then "
             "self.output = self._output(), and return self.output. Compute it anew on every "
             "call."))
def test_operation_forward(ex):
    x1 = ex.rng.standard_normal((BATCH, N_IN))
    x2 = ex.rng.standard_normal((BATCH, N_IN))

    def probe(m, x1, x2):
        op = square_op(m)
        try:
            first = op.forward(x1)
            second = op.forward(x2)
        except InputNotStored:
            return {"input_first": 0.0}
        return {"input_first": 1.0, "first": first, "second": second,
                **stored(op, "input_", "output")}

    got = ex.learner(probe, x1, x2)
    if not got["input_first"]:
        fail(tr("forward called self._output() before storing self.input_: _output computes "
                "the output from self.input_, so store input_ first (self.input_ = input_)"))
    what = tr("forward(x) of an operation whose _output is self.input_ ** 2")
    assert_close(got["first"], x1**2, what, at={"x": x1}, suspects={
        tr("x itself: forward must return what self._output() computes"): x1,
    })
    assert_close(got["second"], x2**2, tr("a second forward(x2) on the same operation"),
                 at={"x2": x2}, suspects={
                     tr("the first call's output: forward must compute the output anew on "
                        "every call"): x1**2,
                 })
    if not got["has_input_"]:
        fail(tr("after forward, the operation has no self.input_: store the input there "
                "(self.input_ = input_); backward needs it"))
    assert_close(got["input_"], x2, tr("self.input_ after forward(x2)"),
                 suspects={tr("the first call's input: store each call's input"): x1})
    if not got["has_output"]:
        fail(tr("after forward, the operation has no self.output: store the result there "
                "(self.output = self._output()); backward checks output_grad against it"))
    assert_close(got["output"], x2**2, tr("self.output after forward(x2)"),
                 suspects={tr("the first call's output: store each call's output"): x1**2})


@check("Operation.backward returns _input_grad(output_grad) and stores it as input_grad",
       points=2,
       hint=("In backward(output_grad): self.input_grad = self._input_grad(output_grad), then "
             "return self.input_grad. The subclass computes the gradient; the base class stores "
             "and returns it."))
def test_operation_backward(ex):
    x = ex.rng.standard_normal((BATCH, N_IN))
    og = ex.rng.standard_normal((BATCH, N_IN))

    def probe(m, x, og):
        op = prepared(square_op(m), x, x**2)
        returned = op.backward(og)
        return {"returned": returned, **stored(op, "input_grad")}

    got = ex.learner(probe, x, og)
    want = 2 * x * og
    suspects = {
        tr("output_grad itself: backward must return self._input_grad(output_grad)"): og,
        tr("self.output: backward must return self._input_grad(output_grad)"): x**2,
    }
    assert_close(got["returned"], want,
                 tr("backward(output_grad) of an operation whose _input_grad is "
                    "2 * input_ * output_grad"), at={"x": x, "output_grad": og},
                 suspects=suspects)
    if not got["has_input_grad"]:
        fail(tr("after backward, the operation has no self.input_grad: store the gradient "
                "there (self.input_grad = self._input_grad(output_grad)) before returning it"))
    assert_close(got["input_grad"], want, tr("self.input_grad after backward"),
                 suspects=suspects)


def _wrong_output_grads(rng):
    return {
        "input_shape": rng.standard_normal((BATCH, N_IN)),
        "transposed": rng.standard_normal((N_OUT, BATCH)),
        "extra_row": rng.standard_normal((BATCH + 1, N_OUT)),
    }


_WRONG = {
    "input_shape": N_("the input's shape, not the output's"),
    "transposed": N_("the output's shape transposed"),
    "extra_row": N_("one row more than the output"),
}


def _judge_rejects(got, wrong, cls):
    if not got["accepts_right_shape"]:
        fail(tr("{cls}.backward raised AssertionError for an output_grad of the output's "
                "shape {output_shape} (the input has shape {input_shape}): compare "
                "output_grad's shape with self.output's, not self.input_'s "
                "(assert_same_shape(self.output, output_grad)).").format(
                    cls=cls, output_shape=(BATCH, N_OUT), input_shape=(BATCH, N_IN)))
    for name, description in _WRONG.items():
        if not got[name]:
            fail(tr("{cls}.backward accepted an output_grad of shape {shape} ({description}) "
                    "for an output of shape {output_shape}: it must raise. Compare "
                    "output_grad's shape with self.output's before computing anything "
                    "(assert_same_shape(self.output, output_grad)).").format(
                        cls=cls, shape=wrong[name].shape, description=tr(description),
                        output_shape=(BATCH, N_OUT)))


def _rejects_probe(m, x, M, og, wrong, with_param):
    op = prepared(project_op(m, M, with_param), x, x @ M)
    try:
        op.backward(og)  # the right shape; any other error is the learner's to see
    except AssertionError:
        return {"accepts_right_shape": 0.0}
    flags = {name: raises(op.backward, g) for name, g in wrong.items()}
    return {"accepts_right_shape": 1.0, **flags}


@check("Operation.backward rejects an output_grad whose shape differs from the output's",
       points=1,
       hint=("A gradient has the shape of what it is the gradient of. Before computing "
             "anything, check output_grad against self.output: assert_same_shape(self.output, "
             "output_grad)."))
def test_operation_rejects_wrong_output_grad(ex):
    x, M = ex.rng.standard_normal((BATCH, N_IN)), ex.rng.standard_normal((N_IN, N_OUT))
    og = ex.rng.standard_normal((BATCH, N_OUT))
    wrong = _wrong_output_grads(ex.rng)
    got = ex.learner(_rejects_probe, x, M, og, wrong, False)
    _judge_rejects(got, wrong, "Operation")


# --------------------------------------------------------------------------- ParamOperation


@check("ParamOperation.backward returns input_grad and stores input_grad and param_grad",
       points=2,
       hint=("As Operation.backward, and also self.param_grad = self._param_grad(output_grad). "
             "It returns input_grad (what flows on to the previous operation), not param_grad."))
def test_param_operation_backward(ex):
    x = ex.rng.standard_normal((BATCH, N_IN))
    P = ex.rng.standard_normal((1, N_IN))
    og = ex.rng.standard_normal((BATCH, N_IN))

    def probe(m, x, P, og):
        op = prepared(scale_op(m, P), x, x * P)
        returned = op.backward(og)
        return {"returned": returned, **stored(op, "input_grad", "param_grad")}

    got = ex.learner(probe, x, P, og)
    input_grad = og * P
    param_grad = np.sum(og * x, axis=0, keepdims=True)
    suspects = {
        tr("output_grad itself: input_grad is self._input_grad(output_grad)"): og,
        tr("param_grad: backward returns input_grad"): param_grad,
    }
    what = tr("backward(output_grad) of an operation whose output is input_ * param")
    assert_close(got["returned"], input_grad, what, suspects=suspects)
    if not got["has_input_grad"]:
        fail(tr("after backward, the operation has no self.input_grad: store "
                "self.input_grad = self._input_grad(output_grad)"))
    assert_close(got["input_grad"], input_grad, tr("self.input_grad after backward"),
                 suspects=suspects)
    if not got["has_param_grad"]:
        fail(tr("ParamOperation.backward did not store self.param_grad: set "
                "self.param_grad = self._param_grad(output_grad); the optimizer reads it"))
    assert_close(got["param_grad"], param_grad, tr("self.param_grad after backward"),
                 suspects={
                     tr("input_grad: self._input_grad where self._param_grad belongs"):
                         input_grad,
                 })


@check("ParamOperation.backward rejects an output_grad whose shape differs from the output's",
       points=1,
       hint=("ParamOperation.backward replaces Operation.backward, so it needs the check too: "
             "assert_same_shape(self.output, output_grad) before computing anything."))
def test_param_operation_rejects_wrong_output_grad(ex):
    x, M = ex.rng.standard_normal((BATCH, N_IN)), ex.rng.standard_normal((N_IN, N_OUT))
    og = ex.rng.standard_normal((BATCH, N_OUT))
    wrong = _wrong_output_grads(ex.rng)
    got = ex.learner(_rejects_probe, x, M, og, wrong, True)
    _judge_rejects(got, wrong, "ParamOperation")


@check("backward rejects an input_grad or param_grad of the wrong shape", points=1,
       hint=("After computing the gradients, check them: assert_same_shape(self.input_, "
             "self.input_grad), and in ParamOperation also assert_same_shape(self.param, "
             "self.param_grad). A wrong _input_grad or _param_grad then fails where it "
             "happens."))
def test_backward_checks_gradient_shapes(ex):
    x, M = ex.rng.standard_normal((BATCH, N_IN)), ex.rng.standard_normal((N_IN, N_OUT))
    og = ex.rng.standard_normal((BATCH, N_OUT))

    def probe(m, x, M, og):
        result = {}
        for cls, with_param, bad in [("Operation", False, "input"),
                                     ("ParamOperation", True, "input"),
                                     ("ParamOperation", True, "param")]:
            prepared(project_op(m, M, with_param), x, x @ M).backward(og)  # right shapes
            op = prepared(project_op(m, M, with_param, bad), x, x @ M)
            result[f"{cls}_{bad}"] = raises(op.backward, og)
        return result

    got = ex.learner(probe, x, M, og)
    for key, cls, grad, of, shape in [
        ("Operation_input", "Operation", N_("an input_grad"), "input_", x.shape),
        ("ParamOperation_input", "ParamOperation", N_("an input_grad"), "input_", x.shape),
        ("ParamOperation_param", "ParamOperation", N_("a param_grad"), "param", M.shape),
    ]:
        if not got[key]:
            fail(tr("{cls}.backward accepted {grad} of shape {wrong_shape} for self.{of} of "
                    "shape {shape}: it must raise. Check the gradient after computing it "
                    "(assert_same_shape(self.{of}, self.{attribute})).").format(
                        cls=cls, grad=tr(grad), wrong_shape=shape[::-1], of=of, shape=shape,
                        attribute=grad.split()[1]))


# --------------------------------------------------------------------------- WeightMultiply


@check("WeightMultiply's output is input_ @ W", points=1,
       hint=("np.dot(self.input_, self.param): (batch, n_in) @ (n_in, n_out) gives (batch, "
             "n_out). input_ * W multiplies element by element."))
def test_weight_multiply_forward(ex):
    X = ex.rng.standard_normal((BATCH, N_IN))
    W = ex.rng.standard_normal((N_IN, N_OUT))

    def probe(m, X, W):
        op = m.WeightMultiply(W)
        op.input_ = X
        return op._output()

    got, want = ex.both(probe, X, W)
    assert_close(got, want, tr("WeightMultiply(W)._output() with input_ {input_shape}, "
                               "W {w_shape}").format(input_shape=X.shape, w_shape=W.shape),
                 suspects={tr("W.T @ input_.T, the transpose of the product"): (X @ W).T})


def _weight_multiply_grads(ex, grad):
    """(X, W, output_grad, learner's, reference's) for a square W, then a (N_IN, N_OUT) W."""
    for n_out in (N_IN, N_OUT):  # square first: W and W.T both fit, only values tell
        X = ex.rng.standard_normal((BATCH, N_IN))
        W = ex.rng.standard_normal((N_IN, n_out))
        og = ex.rng.standard_normal((BATCH, n_out))

        def probe(m, X, W, og):
            op = prepared(m.WeightMultiply(W), X, X @ W)
            return op._input_grad(og) if grad == "input" else op._param_grad(og)

        got, want = ex.both(probe, X, W, og)
        yield X, W, og, got, want


@check("WeightMultiply's input_grad is output_grad @ W.T", points=2,
       hint=("The output is X @ W, so dL/dX = output_grad @ W.T: (batch, n_out) @ (n_out, "
             "n_in) gives X's shape. With a square W, W and W.T both fit: only W.T is right."))
def test_weight_multiply_input_grad(ex):
    for X, W, og, got, want in _weight_multiply_grads(ex, "input"):
        suspects = {
            tr("W @ output_grad.T, the transpose of output_grad @ W.T"): W @ og.T,
            tr("input_.T @ output_grad: the weights' gradient (param_grad) where input_grad "
               "belongs"): X.T @ og,
        }
        if W.shape[0] == W.shape[1]:
            suspects[tr("output_grad @ W: W where W.T belongs")] = og @ W
        assert_close(got, want, tr("WeightMultiply(W)._input_grad(output_grad) with "
                                   "W {w_shape}").format(w_shape=W.shape),
                     suspects=suspects)


@check("WeightMultiply's param_grad is input_.T @ output_grad", points=2,
       hint=("dL/dW = X.T @ output_grad: (n_in, batch) @ (batch, n_out) gives W's shape, and the "
             "product sums over the batch. With a square W, output_grad.T @ X fits too: it is the "
             "transpose."))
def test_weight_multiply_param_grad(ex):
    for X, W, og, got, want in _weight_multiply_grads(ex, "param"):
        assert_close(got, want, tr("WeightMultiply(W)._param_grad(output_grad) with "
                                   "W {w_shape}").format(w_shape=W.shape),
                     suspects={
                         tr("output_grad.T @ input_: the transpose of input_.T @ output_grad"):
                             og.T @ X,
                         tr("input_.T @ output_grad divided by the batch size: a mean over the "
                            "batch where the sum belongs"): X.T @ og / len(X),
                         tr("output_grad @ W.T: the input's gradient (input_grad) where "
                            "param_grad belongs"): og @ W.T,
                     })


# --------------------------------------------------------------------------- BiasAdd


@check("BiasAdd adds the bias row to every row of input_", points=1,
       hint=("self.input_ + self.param: broadcasting adds the (1, n) bias to each of the batch "
             "rows."))
def test_bias_add_forward(ex):
    X = ex.rng.standard_normal((BATCH, N_IN))
    B = ex.rng.standard_normal((1, N_IN))

    def probe(m, X, B):
        op = m.BiasAdd(B)
        op.input_ = X
        return op._output()

    got, want = ex.both(probe, X, B)
    assert_close(got, want, tr("BiasAdd(B)._output() with input_ {input_shape}, "
                               "B {b_shape}").format(input_shape=X.shape, b_shape=B.shape),
                 at={"input_": X, "B": np.broadcast_to(B, X.shape)},
                 suspects={tr("input_ * B: multiplied where added"): X * B})


def _bias_add_grad(m, X, B, og, grad):
    op = prepared(m.BiasAdd(B), X, X + B)
    return op._input_grad(og) if grad == "input" else op._param_grad(og)


@check("BiasAdd's input_grad is output_grad, unchanged", points=1,
       hint=("Adding B shifts the output one for one with the input: input_grad is output_grad "
             "(times ones), with input_'s shape."))
def test_bias_add_input_grad(ex):
    X = ex.rng.standard_normal((BATCH, N_IN))
    B = ex.rng.standard_normal((1, N_IN))
    og = ex.rng.standard_normal((BATCH, N_IN))
    got, want = ex.both(_bias_add_grad, X, B, og, "input")
    assert_close(got, want, "BiasAdd(B)._input_grad(output_grad)", at={"output_grad": og},
                 suspects={
                     tr("ones: the derivative alone, without the output_grad it multiplies"):
                         np.ones_like(X),
                     tr("output_grad summed over the batch: that is the bias's gradient; "
                        "input_grad keeps input_'s shape"): og.sum(axis=0, keepdims=True),
                 })


@check("BiasAdd's param_grad sums output_grad over the batch, shape (1, n)", points=2,
       hint=("Every row used the same bias, so its gradient adds up the rows' gradients: "
             "np.sum(output_grad, axis=0, keepdims=True), a sum (not a mean) of shape (1, n)."))
def test_bias_add_param_grad(ex):
    X = ex.rng.standard_normal((BATCH, N_IN))
    B = ex.rng.standard_normal((1, N_IN))
    og = ex.rng.standard_normal((BATCH, N_IN))
    got, want = ex.both(_bias_add_grad, X, B, og, "param")
    what = tr("BiasAdd(B)._param_grad(output_grad) with B {b_shape}").format(b_shape=B.shape)
    assert_close(got, want, what, suspects={
        tr("output_grad itself, not summed over the batch"): og,
        tr("the mean over the batch instead of the sum"): og.mean(axis=0, keepdims=True),
        tr("a sum without keepdims=True: shape (n,) instead of the bias's (1, n)"):
            og.sum(axis=0),
        tr("a sum over everything: one number instead of one per column"): np.sum(og),
        tr("a sum over the features (axis=1) instead of over the batch (axis=0)"):
            og.sum(axis=1, keepdims=True),
    })


# --------------------------------------------------------------------------- Sigmoid, Linear


@check("Sigmoid's output is 1 / (1 + e^-input_)", points=1,
       hint="1.0 / (1.0 + np.exp(-self.input_)), element-wise: sigmoid(0) = 0.5.")
def test_sigmoid_forward(ex):
    X = ex.rng.standard_normal((BATCH, N_IN)) * 2

    def probe(m, X):
        op = m.Sigmoid()
        op.input_ = X
        return op._output()

    got, want = ex.both(probe, X)
    assert_close(got, want, "Sigmoid()._output()", at={"input_": X}, suspects={
        tr("1 / (1 + e^x): the sign of the exponent is flipped"): 1 / (1 + np.exp(X)),
    })


@check("Sigmoid's input_grad is output * (1 - output) * output_grad", points=2,
       hint=("sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x)), and sigmoid(x) is the stored "
             "self.output: self.output * (1 - self.output) * output_grad, not self.input_ * "
             "(1 - self.input_)."))
def test_sigmoid_input_grad(ex):
    X = ex.rng.standard_normal((BATCH, N_IN)) * 2
    og = ex.rng.standard_normal((BATCH, N_IN))

    def probe(m, X, og):
        return prepared(m.Sigmoid(), X, sigmoid(X))._input_grad(og)

    got, want = ex.both(probe, X, og)
    s = sigmoid(X)
    assert_close(got, want, "Sigmoid()._input_grad(output_grad)",
                 at={"input_": X, "output": s, "output_grad": og}, suspects={
                     tr("input_ * (1 - input_) * output_grad: the derivative from the input "
                        "instead of the output"): X * (1 - X) * og,
                     tr("output * (1 - output) without output_grad: multiply by output_grad"):
                         s * (1 - s),
                     tr("output_grad itself: sigmoid's derivative is missing"): og,
                     tr("output * output_grad: the (1 - output) factor is missing"): s * og,
                     tr("sigmoid applied to the output again: self.output is already "
                        "sigmoid(x)"): sigmoid(s) * (1 - sigmoid(s)) * og,
                 })


@check("Linear is the identity, forward and backward", points=1,
       hint=("Linear passes things through unchanged: _output returns self.input_ and "
             "_input_grad returns output_grad."))
def test_linear(ex):
    X = ex.rng.standard_normal((BATCH, N_IN))
    og = ex.rng.standard_normal((BATCH, N_IN))

    def probe(m, X, og):
        op = m.Linear()
        op.input_ = X
        output = op._output()
        return {"output": output, "input_grad": prepared(op, X, X)._input_grad(og)}

    got = ex.learner(probe, X, og)
    assert_close(got["output"], X, "Linear()._output()", suspects={
        tr("ones: the output is input_ itself, not a derivative"): np.ones_like(X),
    })
    assert_close(got["input_grad"], og, "Linear()._input_grad(output_grad)", suspects={
        tr("ones: the derivative alone, without the output_grad it multiplies"):
            np.ones_like(og),
        tr("input_ where output_grad belongs"): X,
    })


# --------------------------------------------------------------------------- numerical


def _numeric_probe(m, make, inputs, seed, param):
    """gradcheck.probe of a fresh operation per forward; backward on the first one."""
    ops = []
    name, = [key for key in inputs if key != param]
    stored_param_grad = [1.0]

    def forward(**values):
        op = make(m, values.get(param))
        ops.append(op)
        return op.forward(values[name])

    def backward(g):
        op = ops[0]
        grads = {name: op.backward(g)}
        if param:
            value = getattr(op, "param_grad", None)
            stored_param_grad[0] = 0.0 if value is None else 1.0
            grads[param] = np.zeros(inputs[param].shape) if value is None else value
        return grads

    result = gradcheck.probe(forward, inputs, backward, seed)
    result["stored_param_grad"] = stored_param_grad[0]
    return result


def _verify(result, what):
    if not result["stored_param_grad"]:
        fail(tr("after {what}, the operation has no self.param_grad: "
                "ParamOperation.backward must store "
                "self.param_grad = self._param_grad(output_grad)").format(what=what))
    gradcheck.verify({k: v for k, v in result.items() if k != "stored_param_grad"}, what)


def _weight_multiply(m, W):
    return m.WeightMultiply(W)


def _bias_add(m, B):
    return m.BiasAdd(B)


def _sigmoid(m, _):
    return m.Sigmoid()


@check("WeightMultiply's gradients agree with numerical ones", points=2,
       hint=("input_grad = output_grad @ W.T has X's shape (batch, n_in); param_grad = X.T @ "
             "output_grad has W's shape (n_in, n_out). forward must store the input backward "
             "uses."))
def test_weight_multiply_numeric(ex):
    X = ex.rng.standard_normal((BATCH - 1, N_IN)) * 1.5
    W = ex.rng.standard_normal((N_IN, N_OUT))
    result = ex.learner(_numeric_probe, _weight_multiply, {"X": X, "W": W}, ex.seed, "W")
    _verify(result, tr("WeightMultiply(W): forward(X), then backward"))


@check("BiasAdd's gradients agree with numerical ones", points=2,
       hint=("input_grad is output_grad, with input_'s shape; param_grad is output_grad summed "
             "over the batch rows, with the bias's shape (1, n)."))
def test_bias_add_numeric(ex):
    X = ex.rng.standard_normal((BATCH - 1, N_IN)) * 1.5
    B = ex.rng.standard_normal((1, N_IN))
    result = ex.learner(_numeric_probe, _bias_add, {"X": X, "B": B}, ex.seed, "B")
    _verify(result, tr("BiasAdd(B): forward(X), then backward"))


@check("Sigmoid's gradient agrees with a numerical one", points=1,
       hint=("input_grad = self.output * (1 - self.output) * output_grad, from the output "
             "forward stored."))
def test_sigmoid_numeric(ex):
    X = ex.rng.standard_normal((BATCH - 1, N_IN)) * 2
    result = ex.learner(_numeric_probe, _sigmoid, {"X": X}, ex.seed, None)
    _verify(result, tr("Sigmoid(): forward(X), then backward"))
