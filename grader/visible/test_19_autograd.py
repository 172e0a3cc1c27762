"""Visible checks for exercise 19: worked examples, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further. Values written in here were worked out by hand.
"""
import numpy as np

from grader import assert_close, check, fail, tr

FORMS = {"a + b": lambda a, b: a + b, "a * b": lambda a, b: a * b,
         "4 * a": lambda a, b: 4 * a, "4 + a": lambda a, b: 4 + a}
METHOD = {"4 * a": "__rmul__", "4 + a": "__radd__"}


@check("worked examples: a + b, a * b, 4 * a and 4 + a, with their gradients", points=1,
       hint=("For a = 3, b = -2: a + b = 1 with gradients 1 and 1; a * b = -6 with d/da = b = -2 "
             "and d/db = a = 3. 4 * a and 4 + a call a.__rmul__(4) and a.__radd__(4): wrap the "
             "plain number with self.ensure(other)."))
def test_visible_add_mul(ex):
    def probe(m):
        out = {}
        for name, build in FORMS.items():
            a, b = m.NumberWithGrad(3.0), m.NumberWithGrad(-2.0)
            try:
                z = build(a, b)
            except TypeError as exc:  # the operator itself found no method for the operands
                tb = exc.__traceback__
                while tb.tb_next is not None:
                    tb = tb.tb_next
                if tb.tb_frame.f_code is not build.__code__:
                    raise
                out[f"{name} raised"] = 1.0
                continue
            z.backward()
            out.update({f"{name} num": z.num, f"{name} z": z.grad, f"{name} a": a.grad,
                        f"{name} b": b.grad})
        return out

    got = ex.learner(probe)
    want = {"a + b": (1.0, 1.0, 1.0), "a * b": (-6.0, -2.0, 3.0),
            "4 * a": (12.0, 4.0, 0.0), "4 + a": (7.0, 1.0, 0.0)}
    at = "a = 3, b = -2"
    for name, (num, da, db) in want.items():
        if f"{name} raised" in got:
            fail(tr("`{name}` raised TypeError: int's operator does not know NumberWithGrad, so "
                    "Python asks a.{method}(4), which must return a NumberWithGrad.").format(
                        name=name, method=METHOD[name]))
        swapped = {tr("the local derivatives of * swapped: d(a * b)/da is b, not a"): 3.0,
                   tr("the local derivatives of * swapped: d(a * b)/db is a, not b"): -2.0}
        suspects = {**(swapped if name == "a * b" else {}),
                    tr("0: no gradient reached it. backward starts at the output with grad 1 "
                       "and passes grad * local derivative to each number in depends_on"): 0.0}
        assert_close(got[f"{name} num"], num,
                     tr("({name}).num for {at}").format(name=name, at=at))
        assert_close(got[f"{name} z"], 1.0,
                     tr("z.grad after z.backward(), z = {name} (dz/dz = 1)").format(name=name))
        assert_close(got[f"{name} a"], da,
                     tr("a.grad after ({name}).backward() for {at}").format(name=name, at=at),
                     suspects=suspects)
        if name in ("a + b", "a * b"):
            assert_close(got[f"{name} b"], db,
                         tr("b.grad after ({name}).backward() for {at}").format(name=name, at=at),
                         suspects=suspects)


@check("worked example: a number used twice, b = a * 4, c = b + b gives dc/da = 8", points=1,
       hint=("b receives a gradient of 1 from each use in b + b, 2 in all, and only then passes "
             "2 * 4 = 8 to a. The book's recursive backward passes b's grad on after each part "
             "and gives 12: visit the graph in topological order, each number once."))
def test_visible_reused(ex):
    def probe(m):
        a = m.NumberWithGrad(1.5)
        b = a * 4
        c = b + b
        c.backward()
        return {"num": c.num, "a": a.grad, "b": b.grad, "c": c.grad}

    got = ex.learner(probe)
    at = "b = a * 4, c = b + b, a = 1.5"
    assert_close(got["num"], 12.0, tr("c.num for {at}").format(at=at))
    assert_close(got["c"], 1.0, tr("c.grad after c.backward() for {at} (dc/dc = 1)").format(at=at))
    assert_close(got["b"], 2.0, tr("dc/db (b.grad) for {at}").format(at=at), suspects={
        tr("1: b + b passed only one of its two gradients to b"): 1.0})
    assert_close(got["a"], 8.0, tr("dc/da (a.grad) for {at}").format(at=at), suspects={
        tr("12 = 8 + 4: the book's recursive backward, which passes b's gradient on each time a "
           "part arrives, so the first part is counted twice"): 12.0,
        tr("4: b + b passed only one of its two gradients to b"): 4.0})


@check("worked example: x = a * b, y = x + a, z = x * y, and backward twice gives the same "
       "grads", points=1,
       hint=("For a = 2, b = 3: x = 6, y = 8, z = 48; dz/dy = x = 6, dz/dx = y + x = 14, dz/da = "
             "b * 14 + 6 = 48, dz/db = a * 14 = 28. backward resets every grad in the graph to 0 "
             "and the output's to 1 before passing gradients back."))
def test_visible_diamond(ex):
    def probe(m):
        a, b = m.NumberWithGrad(2.0), m.NumberWithGrad(3.0)
        x = a * b
        y = x + a
        z = x * y
        out = {"num": z.num}
        for call in ("first", "second"):
            z.backward()
            out.update({f"{call} {name}": n.grad for name, n in
                        (("z", z), ("y", y), ("x", x), ("a", a), ("b", b))})
        return out

    got = ex.learner(probe)
    at = "z = x * y, x = a * b, y = x + a, a = 2, b = 3"
    assert_close(got["num"], 48.0, tr("z.num for {at}").format(at=at))
    want = {"z": 1.0, "y": 6.0, "x": 14.0, "a": 48.0, "b": 28.0}
    for name, value in want.items():
        assert_close(got[f"first {name}"], value,
                     tr("{name}.grad after z.backward() for {at}").format(name=name, at=at))
    for name, value in want.items():
        second = float(got[f"second {name}"])
        if not np.isclose(second, value, rtol=1e-7, atol=1e-9):
            fail(tr("{name}.grad is {second:.6g} after a second z.backward() (expected "
                    "{value:g} both times, {at}): reset the grads to 0 at the start of "
                    "backward.").format(name=name, second=second, value=value, at=at))
