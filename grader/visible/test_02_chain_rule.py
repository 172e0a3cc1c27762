"""Visible checks for exercise 02: worked examples and a numerical check, no reference needed.

The chains are made of the grader's own functions. Polynomials of degree 2 or
less have a central difference that is exact, so the worked examples' values
are exact; the numerical check allows 1e-5, as deriv's step is 0.001.
"""
import numpy as np

from grader import assert_close, check, gradcheck, tr


def square(x):
    return x**2


def triple_plus_one(x):
    return 3 * x + 1


def double(x):
    return 2 * x


def plus_one(x):
    return x + 1


@check("worked example: chain_deriv_2([3x + 1, square], x) is 6 (3x + 1)", points=1,
       hint=("f1 = 3x + 1 acts first, so the chain is (3x + 1)**2: its derivative is "
             "square'(f1(x)) * f1'(x) = 2 (3x + 1) * 3, which is [[-12, 6], [42, 15]] here."))
def test_visible_chain_2(ex):
    x = np.array([[-1.0, 0.0], [2.0, 0.5]])
    got = ex.learner(lambda m, x: m.chain_deriv_2([triple_plus_one, square], x), x)
    assert_close(got, np.array([[-12.0, 6.0], [42.0, 15.0]]),
                 "chain_deriv_2([3x + 1, square], [[-1, 0], [2, 0.5]])", rtol=1e-6, at={"x": x},
                 suspects={tr("6x: square' taken at x instead of at f1(x) = 3x + 1, or the "
                              "chain in the wrong order"): 6 * x})


@check("worked example: chain_deriv_3([2x, x + 1, square], x) is 4 (2x + 1)", points=1,
       hint=("The chain is (2x + 1)**2: f3'(f2(f1(x))) * f2'(f1(x)) * f1'(x) = 2 (2x + 1) * 1 * 2, "
             "which is [[-4, 4], [8, 20]] here. Each derivative is taken at its own function's "
             "input."))
def test_visible_chain_3(ex):
    x = np.array([[-1.0, 0.0], [0.5, 2.0]])
    got = ex.learner(lambda m, x: m.chain_deriv_3([double, plus_one, square], x), x)
    assert_close(got, np.array([[-4.0, 4.0], [8.0, 20.0]]),
                 "chain_deriv_3([2x, x + 1, square], [[-1, 0], [0.5, 2]])", rtol=1e-6,
                 at={"x": x}, suspects={
                     tr("4x: square' taken at x instead of at f2(f1(x)) = 2x + 1, or the "
                        "chain in the wrong order"): 4 * x,
                     tr("8x: square' taken at f1(x) = 2x instead of at f2(f1(x)) = 2x + 1"):
                         8 * x,
                 })


@check("chain_deriv_3 is the derivative of f3(f2(f1(x))), checked numerically", points=1,
       hint=("The result must be d/dx f3(f2(f1(x))) at every element, with the shape of "
             "input_range: f3'(f2(f1(x))) * f2'(f1(x)) * f1'(x)."))
def test_visible_chain_3_numeric(ex):
    u = ex.rng.standard_normal((3, 4))
    x = np.sign(u) * (0.1 + np.abs(u))

    def probe(m, x, seed):
        return gradcheck.probe(
            forward=lambda x: np.square(np.tanh(np.cos(x))),
            inputs={"x": x},
            backward=lambda g: {"x": g * m.chain_deriv_3([np.cos, np.tanh, square], x)},
            seed=seed,
        )

    gradcheck.verify(ex.learner(probe, x, ex.seed), "chain_deriv_3([cos, tanh, square], x)",
                     tol=1e-5)
