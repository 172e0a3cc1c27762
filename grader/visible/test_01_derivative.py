"""Visible checks for exercise 01: worked examples and shapes, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand.
"""
import numpy as np

from grader import assert_close, check, tr


@check("worked examples: square, leaky_relu, sigmoid", points=1,
       hint="square(3) = 9, leaky_relu(-2) = -0.4 (slope 0.2), sigmoid(0) = 0.5.")
def test_visible_examples(ex):
    x = np.array([[-2.0, 0.5, 3.0]])

    def probe(m, x):
        return {"square": m.square(x), "leaky_relu": m.leaky_relu(x), "sigmoid": m.sigmoid(x)}

    got = ex.learner(probe, x)
    assert_close(got["square"], np.array([[4.0, 0.25, 9.0]]), "square([[-2, 0.5, 3]])")
    assert_close(got["leaky_relu"], np.array([[-0.4, 0.5, 3.0]]), "leaky_relu([[-2, 0.5, 3]])")
    assert_close(got["sigmoid"], np.array([[0.11920292202211755, 0.6224593312018546,
                                            0.9525741268224334]]), "sigmoid([[-2, 0.5, 3]])",
                 rtol=1e-9)


@check("worked example: deriv(square, x) is 2x, shape kept", points=1,
       hint="deriv(square, np.array([[3.0, -1.0]])) is [[6, -2]]: a central difference.")
def test_visible_deriv(ex):
    got = ex.learner(lambda m, x: m.deriv(np.square, x), np.array([[3.0, -1.0]]))
    assert_close(got, np.array([[6.0, -2.0]]), "deriv(square, [[3, -1]])", rtol=1e-9, suspects={
        tr("a one-sided difference, off by delta: nudge the input both ways"):
            np.array([[6.001, -1.999]]),
        tr("dividing by delta instead of 2 * delta: twice the derivative"):
            np.array([[12.0, -4.0]]),
    })
