"""Checks for exercise 02: chain_deriv_2 and chain_deriv_3.

The chains are made of the grader's own functions, so a mistake in exercise 01
cannot fail these checks. The derivatives the learner computes come from
`deriv`, a finite difference with step 0.001, so the numerical checks allow
1e-5 instead of the usual 1e-6.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr

TOL = 1e-5


def square(x):
    return x**2


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def d_sigmoid(x):
    s = sigmoid(x)
    return s * (1 - s)


def inputs(rng, shape):
    u = rng.standard_normal(shape) * 1.5
    return np.sign(u) * (0.1 + np.abs(u))


@check("chain_deriv_2 on [square, sigmoid] is sigmoid'(square(x)) * square'(x)", points=2,
       hint=("The chain [f1, f2] means f2(f1(x)): f1 first. Take f2' at f1(x), the value f2 "
             "receives, and multiply by f1'(x)."))
def test_chain_2(ex):
    x = inputs(ex.rng, (7,))
    got, want = ex.both(lambda m, x: m.chain_deriv_2([square, sigmoid], x), x)
    assert_close(got, want, "chain_deriv_2([square, sigmoid], x)", rtol=1e-6, at={"x": x},
                 suspects={
                     tr("sigmoid'(x) * square'(x): f2' taken at x instead of at f1(x)"):
                         d_sigmoid(x) * 2 * x,
                     tr("the chain in the wrong order, f1'(f2(x)) * f2'(x)"):
                         2 * sigmoid(x) * d_sigmoid(x),
                     tr("f1'(x) alone: the f2' factor is missing"): 2 * x,
                 })


@check("chain_deriv_2 is the derivative of f2(f1(x)), checked numerically", points=2,
       hint=("The result must be d/dx f2(f1(x)) at every element, with the shape of input_range: "
             "f2'(f1(x)) * f1'(x)."))
def test_chain_2_numeric(ex):
    x = inputs(ex.rng, (3, 4))

    def probe(m, x, seed):
        return gradcheck.probe(
            forward=lambda x: np.square(np.sin(x)),
            inputs={"x": x},
            backward=lambda g: {"x": g * m.chain_deriv_2([np.sin, square], x)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, x, ex.seed), "chain_deriv_2([sin, square], x)",
                     tol=TOL)


@check("chain_deriv_3 on [square, sigmoid, sin] multiplies three derivatives", points=2,
       hint=("For [f1, f2, f3]: f3'(f2(f1(x))) * f2'(f1(x)) * f1'(x). Compute f1(x) and f2(f1(x)) "
             "first, then each derivative at its own input."))
def test_chain_3(ex):
    x = inputs(ex.rng, (2, 5))
    got, want = ex.both(lambda m, x: m.chain_deriv_3([square, sigmoid, np.sin], x), x)
    u = square(x)
    assert_close(got, want, "chain_deriv_3([square, sigmoid, sin], x)", rtol=1e-6,
                 at={"x": x}, suspects={
                     tr("every derivative taken at x instead of at its own function's input"):
                         2 * x * d_sigmoid(x) * np.cos(x),
                     tr("the chain in the wrong order, f1 applied last"):
                         np.cos(x) * d_sigmoid(np.sin(x)) * 2 * sigmoid(np.sin(x)),
                     tr("f3' taken at f1(x) instead of at f2(f1(x))"):
                         2 * x * d_sigmoid(u) * np.cos(u),
                 })


@check("chain_deriv_3 is the derivative of f3(f2(f1(x))), checked numerically", points=2,
       hint="The result must be d/dx f3(f2(f1(x))) at every element.")
def test_chain_3_numeric(ex):
    x = inputs(ex.rng, (4, 3))

    def probe(m, x, seed):
        return gradcheck.probe(
            forward=lambda x: np.tanh(sigmoid(np.sin(x))),
            inputs={"x": x},
            backward=lambda g: {"x": g * m.chain_deriv_3([np.sin, sigmoid, np.tanh], x)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, x, ex.seed), "chain_deriv_3([sin, sigmoid, tanh], x)",
                     tol=TOL)
