"""Visible checks for exercise 06: worked examples and numerical checks, no reference needed.

Each operation runs forward(x) then backward(output_grad), end to end, so these
checks also use Operation's and ParamOperation's forward and backward. The
worked examples' values were worked out by hand (sigmoid(ln 3) = 0.75).
"""
import numpy as np

from grader import assert_close, check, fail, gradcheck, tr

LN3 = np.log(3.0)


def param_grad_of(op):
    """The op's param_grad, or an empty array when backward stored none."""
    value = getattr(op, "param_grad", None)
    return np.zeros(0) if value is None else value


def require_param_grad(got, name):
    if np.size(got) == 0:
        fail(tr("after backward, {name} has no self.param_grad: ParamOperation.backward must "
                "store self.param_grad = self._param_grad(output_grad)").format(name=name))


@check("worked example: WeightMultiply forward and backward, X (3, 2), W (2, 1)", points=1,
       hint=("forward gives X @ W = [[0], [1], [5]]; backward(output_grad) returns input_grad = "
             "output_grad @ W.T, X's shape (3, 2), and stores param_grad = X.T @ output_grad = "
             "[[2.5], [4.5]], W's shape (2, 1)."))
def test_visible_weight_multiply(ex):
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    W = np.array([[2.0], [-1.0]])
    G = np.array([[1.0], [-2.0], [0.5]])

    def probe(m, X, W, G):
        op = m.WeightMultiply(W)
        output = op.forward(X)
        input_grad = op.backward(G)
        return {"output": output, "input_grad": input_grad, "param_grad": param_grad_of(op)}

    got = ex.learner(probe, X, W, G)
    assert_close(got["output"], np.array([[0.0], [1.0], [5.0]]), "WeightMultiply(W).forward(X)")
    assert_close(got["input_grad"], np.array([[2.0, -1.0], [-4.0, 2.0], [1.0, -0.5]]),
                 "WeightMultiply(W).backward(output_grad)")
    require_param_grad(got["param_grad"], "WeightMultiply(W)")
    assert_close(got["param_grad"], np.array([[2.5], [4.5]]),
                 tr("WeightMultiply(W).param_grad after backward"))


@check("worked example: BiasAdd, Sigmoid and Linear forward and backward", points=1,
       hint=("BiasAdd adds the (1, n) bias to every row; its input_grad is output_grad and its "
             "param_grad output_grad summed over the rows, shape (1, n). Sigmoid's input_grad is "
             "output * (1 - output) * output_grad, from the stored output. Linear passes both "
             "ways unchanged."))
def test_visible_bias_sigmoid_linear(ex):
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    B = np.array([[10.0, -10.0]])
    G = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    x = np.array([[0.0, LN3, -LN3]])
    g = np.array([[4.0, 8.0, -8.0]])

    def probe(m, X, B, G, x, g):
        bias, sigmoid, linear = m.BiasAdd(B), m.Sigmoid(), m.Linear()
        return {"bias_output": bias.forward(X), "bias_input_grad": bias.backward(G),
                "bias_param_grad": param_grad_of(bias),
                "sigmoid_output": sigmoid.forward(x), "sigmoid_input_grad": sigmoid.backward(g),
                "linear_output": linear.forward(x), "linear_input_grad": linear.backward(g)}

    got = ex.learner(probe, X, B, G, x, g)
    assert_close(got["bias_output"], np.array([[11.0, -8.0], [10.0, -11.0], [13.0, -9.0]]),
                 "BiasAdd([[10, -10]]).forward(X)")
    assert_close(got["bias_input_grad"], G, "BiasAdd(B).backward(output_grad)")
    require_param_grad(got["bias_param_grad"], "BiasAdd(B)")
    assert_close(got["bias_param_grad"], np.array([[9.0, 12.0]]),
                 tr("BiasAdd(B).param_grad after backward"), suspects={
                     tr("the mean over the rows instead of the sum"): np.array([[3.0, 4.0]])})
    assert_close(got["sigmoid_output"], np.array([[0.5, 0.75, 0.25]]),
                 "Sigmoid().forward([[0, ln 3, -ln 3]])", rtol=1e-12)
    assert_close(got["sigmoid_input_grad"], np.array([[1.0, 1.5, -1.5]]),
                 tr("Sigmoid().backward([[4, 8, -8]]) after forward([[0, ln 3, -ln 3]])"),
                 rtol=1e-12, suspects={
                     tr("input_ * (1 - input_) * output_grad: the derivative from the input "
                        "instead of the output"): x * (1 - x) * g})
    assert_close(got["linear_output"], x, "Linear().forward(x)")
    assert_close(got["linear_input_grad"], g, "Linear().backward(output_grad)")


def numeric_probe(m, cases, seed):
    """gradcheck.probe of each operation, a fresh one per forward and backward on the first;
    the results' keys are prefixed with the operation's name."""
    result = {}
    for name, inputs in cases.items():
        ops = []
        param = next((key for key in inputs if key != "X"), None)

        def forward(name=name, param=param, ops=ops, **values):
            op = getattr(m, name)(values[param]) if param else getattr(m, name)()
            ops.append(op)
            return op.forward(values["X"])

        def backward(g, param=param, ops=ops, inputs=inputs):
            grads = {"X": ops[0].backward(g)}
            if param:
                value = getattr(ops[0], "param_grad", None)
                grads[param] = np.zeros(inputs[param].shape) if value is None else value
            return grads

        for key, value in gradcheck.probe(forward, inputs, backward, seed).items():
            result[f"{name} {key}"] = value
    return result


@check("WeightMultiply, BiasAdd and Sigmoid: backward agrees with a numerical derivative",
       points=1,
       hint=("Each gradient has the shape of what it is the gradient of: WeightMultiply's "
             "input_grad is output_grad @ W.T and param_grad X.T @ output_grad; BiasAdd's "
             "param_grad sums output_grad over the rows; Sigmoid's input_grad uses the stored "
             "output."))
def test_visible_numeric(ex):
    rng = ex.rng
    X = rng.standard_normal((4, 3)) * 1.5
    cases = {"WeightMultiply": {"X": X, "W": rng.standard_normal((3, 2))},
             "BiasAdd": {"X": X, "B": rng.standard_normal((1, 3))},
             "Sigmoid": {"X": X}}
    got = ex.learner(numeric_probe, cases, ex.seed)
    for name, inputs in cases.items():
        arg = next((key for key in inputs if key != "X"), "")
        gradcheck.verify({key.split(" ", 1)[1]: value for key, value in got.items()
                          if key.startswith(f"{name} ")},
                         tr("{name}({arg}): forward(X), then backward").format(name=name,
                                                                               arg=arg))
