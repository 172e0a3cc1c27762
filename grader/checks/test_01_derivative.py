"""Checks for exercise 01: square, leaky_relu, sigmoid and deriv."""
import numpy as np

from grader import assert_close, check, tr


def away_from_zero(rng, shape, scale=2.0):
    """Random values with |x| >= 0.1: no kinks, both signs."""
    u = rng.standard_normal(shape) * scale
    return np.sign(u) * (0.1 + np.abs(u))


def cube(x):
    return x**3


@check("square squares every element", points=1,
       hint="square(x) is x * x for every element; the result has x's shape.")
def test_square(ex):
    x = away_from_zero(ex.rng, (3, 5))
    got, want = ex.both(lambda m, x: m.square(x), x)
    assert_close(got, want, "square(x)", at={"x": x},
                 suspects={tr("2 * x: doubled instead of squared"): 2 * x})


@check("leaky_relu keeps positives and multiplies negatives by 0.2", points=1,
       hint="leaky_relu(x) is x where x > 0 and 0.2 * x elsewhere (np.maximum or np.where).")
def test_leaky_relu(ex):
    x = away_from_zero(ex.rng, (4, 3))
    got, want = ex.both(lambda m, x: m.leaky_relu(x), x)
    assert_close(got, want, "leaky_relu(x)", at={"x": x}, suspects={
        tr("a plain ReLU, max(0, x): negatives must keep 0.2 of their value"): np.maximum(0, x),
        tr("a slope of 0.01 for negatives: this exercise uses 0.2, as the book does"):
            np.where(x > 0, x, 0.01 * x),
    })


@check("sigmoid is 1 / (1 + e^-x)", points=1,
       hint="sigmoid(0) = 0.5 and sigmoid rises towards 1 for large x: 1 / (1 + np.exp(-x)).")
def test_sigmoid(ex):
    x = away_from_zero(ex.rng, (2, 6), scale=4.0)
    got, want = ex.both(lambda m, x: m.sigmoid(x), x)
    assert_close(got, want, "sigmoid(x)", at={"x": x}, suspects={
        tr("1 / (1 + e^x): the sign of the exponent is flipped"): 1 / (1 + np.exp(x)),
    })


@check("deriv matches a central difference on sigmoid", points=2,
       hint=("Evaluate func at input_ + delta and at input_ - delta, on the whole array at once, "
             "and divide their difference by 2 * delta."))
def test_deriv_sigmoid(ex):
    x = away_from_zero(ex.rng, (3, 4))

    def probe(m, x):
        return m.deriv(lambda v: 1 / (1 + np.exp(-v)), x)

    got, want = ex.both(probe, x)
    assert_close(got, want, "deriv(sigmoid, x)", at={"x": x})


@check("deriv is a central difference: exact for square", points=2,
       hint=("A central difference of x**2 gives exactly 2x; a one-sided difference is off by about"
             " delta. The two points are 2 * delta apart."))
def test_deriv_central(ex):
    x = away_from_zero(ex.rng, (2, 5))
    d = 0.001
    got, want = ex.both(lambda m, x: m.deriv(np.square, x), x)
    assert_close(got, want, "deriv(square, x)", at={"x": x}, suspects={
        tr("the one-sided difference (f(x + delta) - f(x)) / delta"): 2 * x + d,
        tr("the one-sided difference (f(x) - f(x - delta)) / delta"): 2 * x - d,
        tr("dividing by delta instead of 2 * delta: twice the derivative"): 4 * x,
    })


@check("deriv uses its delta argument", points=1,
       hint=("With delta=0.1 the central difference of x**3 is 3x**2 + 0.01: use the delta you are "
             "given, not a fixed 0.001."))
def test_deriv_delta(ex):
    x = away_from_zero(ex.rng, (6,))
    got, want = ex.both(lambda m, x: m.deriv(cube, x, delta=0.1), x)
    assert_close(got, want, "deriv(cube, x, delta=0.1)", at={"x": x}, suspects={
        tr("a step of 0.001 whatever delta is: your deriv ignores its delta argument"):
            3 * x**2 + 0.001**2,
    })


@check("deriv works on arrays of any shape", points=1,
       hint=("Use array arithmetic on the whole input_ (no loops, no float()): the result must have"
             " input_'s shape."))
def test_deriv_shapes(ex):
    x = ex.rng.standard_normal((2, 3, 4))
    got, want = ex.both(lambda m, x: m.deriv(np.sin, x), x)
    assert_close(got, want, tr("deriv(sin, x) for x of shape (2, 3, 4)"))


@check("deriv leaves its input unchanged", points=1,
       hint=("Don't change input_ in place (input_ += delta): compute input_ + delta as a new "
             "array."))
def test_deriv_pure(ex):
    x = ex.rng.standard_normal((3, 3))

    def probe(m, x):
        m.deriv(np.sin, x)
        return x  # the same array object, after the call

    got = ex.learner(probe, x.copy())
    assert_close(got, x, tr("input_ after calling deriv"), suspects={
        tr("input_ - delta: deriv changed its input in place (input_ -= ...)"): x - 0.001,
        tr("input_ + delta: deriv changed its input in place (input_ += delta)"): x + 0.001,
    })
