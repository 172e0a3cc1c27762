"""Checks for exercise 19: NumberWithGrad, a tiny automatic differentiation.

Each probe builds a small graph with the learner's NumberWithGrad, calls
backward() on its output and returns the output's .num and the .grad of its
leaves (and of some numbers in between). The expected values are derivatives
worked out by hand in each check. The reference must agree with them too.

Suspected mistakes come from the grader's own small NumberWithGrad (`Sim`),
which can run the book's recursive backward, or multiply with the local
derivatives swapped, on the same graph.
"""
from __future__ import annotations

import numpy as np

from grader import N_, assert_close, check, fail, tr
from grader.plugin import GraderError

CHAIN = 40  # steps in the long chains (the titles and a hint of two checks say 40 and 80)


def away(rng, n, low=0.5, high=3.0):
    """n floats in [-high, -low] or [low, high]: no zeros, no ties."""
    signs, sizes = rng.choice([-1.0, 1.0], n), rng.uniform(low, high, n)
    return [float(s * u) for s, u in zip(signs, sizes, strict=True)]


def factors(rng, n):
    """n factors of size 0.8 to 1.25, of either sign: a product of 40 stays moderate."""
    signs, logs = rng.choice([-1.0, 1.0], n), rng.uniform(np.log(0.8), np.log(1.25), n)
    return [float(s * np.exp(u)) for s, u in zip(signs, logs, strict=True)]


# --------------------------------------------------------------------------- graphs
# Each takes a NumberWithGrad class and the leaves' values, and returns the output
# and the numbers whose .grad is checked (a number, or a list of numbers).

def add_graph(N, v):
    a, b = N(v[0]), N(v[1])
    return a + b, {"a": a, "b": b}


def mul_graph(N, v):
    a, b = N(v[0]), N(v[1])
    return a * b, {"a": a, "b": b}


def composed_graph(N, v):
    a, b, c = N(v[0]), N(v[1]), N(v[2])
    s = a + b
    return s * c, {"a": a, "b": b, "c": c, "s": s}


def reused_graph(N, v):
    a, w = N(v[0]), N(4.0)
    b = a * w
    return b + b, {"a": a, "w": w, "b": b}


def diamond_graph(N, v):
    a, b = N(v[0]), N(v[1])
    x = a * b
    y = x + a
    return x * y, {"a": a, "b": b, "x": x, "y": y}


def cubed_graph(N, v):
    a, w = N(v[0]), N(v[1])
    b = a * w
    p = b * b
    return p * b, {"a": a, "w": w, "b": b, "p": p}


def chain_graph(N, v):
    """x = a, then x = x * c[k] + b, CHAIN times."""
    a, b = N(v[0]), N(v[1])
    cs = [N(c) for c in v[2:]]
    x = a
    for c in cs:
        x = x * c + b
    return x, {"a": a, "b": b, "c": cs}


def reuse_chain_graph(N, v):
    """x = a, then x = x * c[k] + x, CHAIN times: every x is used twice."""
    a = N(v[0])
    cs = [N(c) for c in v[1:]]
    x = a
    for c in cs:
        x = x * c + x
    return x, {"a": a, "c": cs}


def grads(nodes):
    return {name: [n.grad for n in node] if isinstance(node, list) else node.grad
            for name, node in nodes.items()}


def run_graph(m, build, values):
    out, nodes = build(m.NumberWithGrad, values)
    out.backward()
    return {"num": out.num, **grads(nodes)}


# --------------------------------------------------------------------------- suspects


class Sim:
    """The grader's own NumberWithGrad, with known mistakes as switches."""

    book = False  # the book's backward: recurse along every path, pass on the accumulated grad
    swap = False  # * with its local derivatives swapped: d(a*b)/da = a

    def __init__(self, num, depends_on=()):
        self.num = float(num)
        self.depends_on = list(depends_on)
        self.grad = 0.0

    def _wrap(self, other):
        return other if isinstance(other, Sim) else type(self)(other)

    def __add__(self, other):
        other = self._wrap(other)
        return type(self)(self.num + other.num, [(self, 1.0), (other, 1.0)])

    __radd__ = __add__

    def __mul__(self, other):
        other = self._wrap(other)
        here, there = (self.num, other.num) if self.swap else (other.num, self.num)
        return type(self)(self.num * other.num, [(self, here), (other, there)])

    __rmul__ = __mul__

    def backward(self, backward_grad=None):
        if self.book:
            self.grad = 1.0 if backward_grad is None else self.grad + backward_grad
            for parent, local in self.depends_on:
                parent.backward(local * self.grad)
            return
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for parent, _ in node.depends_on:
                    visit(parent)
                order.append(node)

        visit(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.depends_on:
                parent.grad += local * node.grad


class Book(Sim):
    book = True


class Swapped(Sim):
    swap = True


def simulate(cls, build, values):
    out, nodes = build(cls, values)
    out.backward()
    return {k: np.asarray(v, dtype=float) for k, v in {"num": out.num, **grads(nodes)}.items()}


BOOK = N_("the book's recursive backward: a number used twice passes its gradient on each "
           "time it receives a part, its whole grad so far, so the first part is counted twice. "
           "Visit the graph in topological order, each number once, after it has received all "
           "of its gradient")
SWAPPED = N_("d(a * b)/da = a: the local derivatives of * are swapped (d/dself is other)")


def suspects_for(key, build, values, book=True):
    """What the book's backward (unless book=False: it takes a time exponential in the
    graph's depth) and * with swapped local derivatives would give for key."""
    found = {tr(SWAPPED): simulate(Swapped, build, values)[key]}
    if book:
        found[tr(BOOK)] = simulate(Book, build, values)[key]
    return found


# --------------------------------------------------------------------------- judging


def judge(got, ref, want, what, **kwargs):
    """The learner's value against the hand-worked one (which the reference must match)."""
    if not np.allclose(ref, want, rtol=1e-9, atol=1e-12):
        raise GraderError(f"the reference disagrees with the grader on {what}: "
                          f"{ref} vs {want}")
    assert_close(got, want, what, **kwargs)


NEVER = N_("0: backward never sets the output's own grad to 1 (dz/dz = 1)")


def zero_suspect(name):
    return {tr("0: no gradient reached {name}. backward starts at the output with grad 1 and "
               "must handle each number after every number built from it (reversed topological "
               "order)").format(name=name): 0.0}


# --------------------------------------------------------------------------- checks


@check("a + b: the value a + b, and gradient 1 for both", points=1,
       hint=("__add__ makes NumberWithGrad(self.num + other.num) that depends on self and on "
             "other, each with local derivative 1."))
def test_add(ex):
    v = away(ex.rng, 2)
    got, ref = ex.both(run_graph, add_graph, v)
    a, b = v
    judge(got["num"], ref["num"], a + b,
          tr("(a + b).num for a = {a:.4g}, b = {b:.4g}").format(a=a, b=b))
    for name in ("a", "b"):
        judge(got[name], ref[name], 1.0,
              tr("{name}.grad after (a + b).backward()").format(name=name),
              suspects=zero_suspect(name))


@check("a * b: the value a * b, and gradients b and a", points=2,
       hint=("d(a*b)/da = b and d(a*b)/db = a: the local derivative for self is other.num, "
             "and the one for other is self.num."))
def test_mul(ex):
    v = away(ex.rng, 2)
    got, ref = ex.both(run_graph, mul_graph, v)
    a, b = v
    judge(got["num"], ref["num"], a * b,
          tr("(a * b).num for a = {a:.4g}, b = {b:.4g}").format(a=a, b=b))
    want = {"a": b, "b": a}
    for name in ("a", "b"):
        judge(got[name], ref[name], want[name],
              tr("{name}.grad after (a * b).backward(), a = {a:.4g}, b = {b:.4g}").format(
                  name=name, a=a, b=b), suspects={
                  tr(SWAPPED): v[0] if name == "a" else v[1],
                  tr("1: the local derivatives of + were used for *"): 1.0,
                  **zero_suspect(name)})


@check("(a + b) * c: the chain rule through + and *", points=2,
       hint=("Each number passes on its own grad times the local derivative: s = a + b gets "
             "d/ds = c from the product, and gives that to a and b unchanged."))
def test_composed(ex):
    v = away(ex.rng, 3)
    got, ref = ex.both(run_graph, composed_graph, v)
    a, b, c = v
    at = f"a = {a:.4g}, b = {b:.4g}, c = {c:.4g}"
    judge(got["num"], ref["num"], (a + b) * c, tr("((a + b) * c).num for {at}").format(at=at))
    want = {"s": c, "a": c, "b": c, "c": a + b}
    for name in ("s", "a", "b", "c"):
        judge(got[name], ref[name], want[name],
              tr("d/d{name} of f = s * c, s = a + b ({name}.grad), {at}").format(name=name, at=at),
              suspects={**suspects_for(name, composed_graph, v), **zero_suspect(name)})


FORMS = {
    "a * k": lambda a, k: a * k,
    "k * a": lambda a, k: k * a,
    "a + k": lambda a, k: a + k,
    "k + a": lambda a, k: k + a,
}


def run_forms(m, forms, a, k):
    """Each form with a plain number k; raised = 1 where the operator itself raised
    TypeError (Python found no method that takes these operands)."""
    result = {}
    for i, form in enumerate(forms):
        leaf = m.NumberWithGrad(a)
        f = FORMS[form]
        try:
            out = f(leaf, k)
        except TypeError as exc:
            tb = exc.__traceback__
            while tb.tb_next is not None:
                tb = tb.tb_next
            if tb.tb_frame.f_code is not f.__code__:
                raise  # raised inside the learner's method: let the worker report it
            result[f"raised{i}"] = 1.0
            continue
        out.backward()
        result.update({f"raised{i}": 0.0, f"num{i}": out.num, f"grad{i}": leaf.grad})
    return result


def judge_forms(ex, forms, op, method, values, grads_):
    a = float(away(ex.rng, 1)[0])
    k = int(ex.rng.integers(2, 10))
    got, ref = ex.both(run_forms, forms, a, k)
    for i, form in enumerate(forms):
        shown = form.replace("k", str(k))
        if got[f"raised{i}"]:
            if form.startswith("k"):
                fail(tr("`{shown}` raised TypeError: unsupported operand type(s) for {op}: 'int' "
                        "and 'NumberWithGrad'. When the plain number comes first, Python asks "
                        "a.{method}({k}), so NumberWithGrad needs {method}.").format(
                            shown=shown, op=op, method=method, k=k))
            fail(tr("`{shown}` raised TypeError: unsupported operand type(s) for {op}: "
                    "'NumberWithGrad' and 'int'. The method for {op} must accept a plain number "
                    "too: wrap it with self.ensure(other).").format(shown=shown, op=op))
        judge(got[f"num{i}"], ref[f"num{i}"], values(a, k),
              tr("({shown}).num for a = {a:.4g}").format(shown=shown, a=a))
        wrong = {tr("0: no gradient reached a through `{shown}`: the result must list a (and "
                    "the number {k}) in its depends_on").format(shown=shown, k=k): 0.0}
        if op == "*":
            wrong.update({tr(SWAPPED): a, tr("1: the local derivative of + used for *"): 1.0})
        judge(got[f"grad{i}"], ref[f"grad{i}"], grads_(a, k),
              tr("a.grad after ({shown}).backward(), a = {a:.4g}").format(shown=shown, a=a),
              suspects=wrong)


@check("a * 4 and 4 * a: a plain number on either side of * (__rmul__)", points=2,
       hint=("In `4 * a`, int's * does not know NumberWithGrad, so Python calls "
             "a.__rmul__(4). Write __rmul__ to return self.ensure(other) * self."))
def test_rmul(ex):
    judge_forms(ex, ["a * k", "k * a"], "*", "__rmul__", lambda a, k: a * k, lambda a, k: k)


@check("a + 4 and 4 + a: a plain number on either side of + (__radd__)", points=1,
       hint=("In `4 + a`, int's + does not know NumberWithGrad, so Python calls "
             "a.__radd__(4). Write __radd__ to return self.ensure(other) + self."))
def test_radd(ex):
    judge_forms(ex, ["a + k", "k + a"], "+", "__radd__", lambda a, k: a + k, lambda a, k: 1.0)


@check("a number used twice: b = a * 4, c = b + b gives dc/da = 8", points=3,
       hint=("b receives a gradient of 1 from each use in b + b: 2 in all, and only then passes "
             "2 * 4 = 8 to a. The book's recursive backward passes b's grad on after each part "
             "(1, then 1 + 1) and gives 12. Collect the graph in topological order and visit "
             "it backwards, each number once."))
def test_reused_node(ex):
    v = away(ex.rng, 1)
    got, ref = ex.both(run_graph, reused_graph, v)
    a = v[0]
    at = f"b = a * 4, c = b + b, a = {a:.4g}"
    judge(got["num"], ref["num"], 8 * a, tr("c.num for {at}").format(at=at))
    judge(got["a"], ref["a"], 8.0, tr("dc/da (a.grad) for {at}").format(at=at), suspects={
        "12 = 8 + 4, " + tr(BOOK): 12.0,
        tr(SWAPPED): simulate(Swapped, reused_graph, v)["a"],
        tr("4: b + b passed only one of its two gradients to b (a set or dict of parents keeps "
           "only one)"): 4.0,
        **zero_suspect("a")})
    judge(got["b"], ref["b"], 2.0, tr("dc/db (b.grad) for {at}").format(at=at), suspects={
        tr("1: b + b passed only one of its two gradients to b (a set or dict of parents keeps "
           "only one)"): 1.0})
    judge(got["w"], ref["w"], 2 * a, tr("dc/d4 (the grad of the 4) for {at}").format(at=at),
          suspects={"3a, " + tr(BOOK): 3 * a})


@check("a diamond: x = a * b, y = x + a, z = x * y", points=3,
       hint=("z = x * y with y = x + a: x reaches z directly and through y, and a reaches z "
             "through x and through y. dz/dx = y + x, dz/da = b * dz/dx + x. Every number must "
             "have received all of its gradient before it passes it on."))
def test_diamond(ex):
    v = away(ex.rng, 2)
    got, ref = ex.both(run_graph, diamond_graph, v)
    a, b = v
    x = a * b
    y = x + a
    at = f"a = {a:.4g}, b = {b:.4g}"
    judge(got["num"], ref["num"], x * y, tr("z.num for {at}").format(at=at))
    want = {"y": x, "x": y + x, "a": 2 * a * b * b + 2 * a * b, "b": 2 * a * a * b + a * a}
    for name in ("y", "x", "a", "b"):
        judge(got[name], ref[name], want[name],
              tr("dz/d{name} ({name}.grad) for {at}").format(name=name, at=at),
              suspects={**suspects_for(name, diamond_graph, v), **zero_suspect(name)})


@check("a number used three times: b = a * w, y = (b * b) * b", points=2,
       hint=("y = b**3, so dy/db = 3 * b**2: b gets b**2 from the last product and b * b twice "
             "through p = b * b, whose two parents are both b. dy/da = 3 * b**2 * w."))
def test_three_uses(ex):
    v = away(ex.rng, 2, 0.6, 1.8)
    got, ref = ex.both(run_graph, cubed_graph, v)
    a, w = v
    b = a * w
    at = f"a = {a:.4g}, w = {w:.4g}"
    judge(got["num"], ref["num"], b**3, tr("y.num for {at}").format(at=at))
    want = {"p": b, "b": 3 * b * b, "a": 3 * b * b * w, "w": 3 * b * b * a}
    for name in ("p", "b", "a", "w"):
        judge(got[name], ref[name], want[name],
              tr("dy/d{name} ({name}.grad) for {at}").format(name=name, at=at),
              suspects={**suspects_for(name, cubed_graph, v),
                        tr("2/3 of it: p = b * b passed only one of its two gradients to b (a "
                           "set or dict of parents keeps only one)"): 2 / 3 * want[name],
                        **zero_suspect(name)})


@check("a chain of 80 operations: x = x * c[k] + b, 40 times", points=2,
       hint=("The gradient of a is the product of all the c[k]; the gradient of c[k] is the x it "
             "multiplied times the product of the c's after it; b is used at every step and "
             "adds up one gradient per use."))
def test_long_chain(ex):
    v = away(ex.rng, 2) + factors(ex.rng, CHAIN)
    got, ref = ex.both(run_graph, chain_graph, v)
    a, b, cs = v[0], v[1], np.array(v[2:])
    xs = [a]
    for c in cs:
        xs.append(xs[-1] * c + b)
    after = np.append(np.cumprod(cs[::-1])[::-1][1:], 1.0)  # product of the c's after each
    judge(got["num"], ref["num"], xs[-1],
          tr("the chain's output .num (a = {a:.4g}, b = {b:.4g})").format(a=a, b=b), rtol=1e-9)
    judge(got["a"], ref["a"], np.prod(cs), tr("a.grad: the product of the c[k]"),
          suspects={**suspects_for("a", chain_graph, v), **zero_suspect("a")})
    judge(got["c"], ref["c"], np.array(xs[:-1]) * after,
          tr("c[k].grad: the x that c[k] multiplied times the product of the later c's"),
          at={"x": np.array(xs[:-1])}, suspects=suspects_for("c", chain_graph, v))
    judge(got["b"], ref["b"], after.sum(), tr("b.grad: b is added at every step"),
          suspects={**suspects_for("b", chain_graph, v),
                    tr("b's gradient from the last step only"): 1.0})


@check("40 steps that each use the last result twice: x = x * c[k] + x", points=2,
       hint=("Every x is used twice, so there are 2**40 paths from the output back to a: "
             "a backward that recurses once per path (like the book's) never finishes. Collect "
             "the numbers in topological order once, then pass each number's gradient on once, "
             "from the output back."))
def test_reuse_chain(ex):
    v = away(ex.rng, 1) + [f - 1.0 for f in factors(ex.rng, CHAIN)]
    got, ref = ex.both(run_graph, reuse_chain_graph, v)
    a, cs = v[0], np.array(v[1:])
    xs = [a]
    for c in cs:
        xs.append(xs[-1] * c + xs[-1])
    after = np.append(np.cumprod(1 + cs[::-1])[::-1][1:], 1.0)
    judge(got["num"], ref["num"], xs[-1], tr("the chain's output .num (a = {a:.4g})").format(a=a),
          rtol=1e-9)
    judge(got["a"], ref["a"], np.prod(1 + cs), tr("a.grad: the product of the (1 + c[k])"),
          suspects={**suspects_for("a", reuse_chain_graph, v, book=False),
                    **zero_suspect("a")})
    judge(got["c"], ref["c"], np.array(xs[:-1]) * after,
          tr("c[k].grad: the x that c[k] multiplied times the product of the later (1 + c)'s"),
          at={"x": np.array(xs[:-1])},
          suspects=suspects_for("c", reuse_chain_graph, v, book=False))


def run_twice(m, values):
    out, nodes = diamond_graph(m.NumberWithGrad, values)
    out.backward()
    first = {"out": out.grad, **grads(nodes)}
    out.backward()
    second = {"out": out.grad, **grads(nodes)}
    return {**{f"first_{k}": g for k, g in first.items()},
            **{f"second_{k}": g for k, g in second.items()}}


@check("calling backward twice gives the same grads", points=2,
       hint=("backward must start from zero: set the grad of every number in the graph to 0, "
             "then the output's to 1, before passing gradients back. Otherwise a second call "
             "adds onto what the first one left."))
def test_backward_twice(ex):
    v = away(ex.rng, 2)
    got, ref = ex.both(run_twice, v)
    a, b = v
    x = a * b
    y = x + a
    at = f"z = x * y, x = a * b, y = x + a, a = {a:.4g}, b = {b:.4g}"
    want = {"out": 1.0, "y": x, "x": y + x, "a": 2 * a * b * b + 2 * a * b,
            "b": 2 * a * a * b + a * a}
    judge(got["first_out"], ref["first_out"], 1.0,
          tr("z.grad after z.backward() for {at}").format(at=at), suspects={tr(NEVER): 0.0})
    for name in ("y", "x", "a", "b"):
        judge(got[f"first_{name}"], ref[f"first_{name}"], want[name],
              tr("{name}.grad after z.backward() for {at}").format(name=name, at=at),
              suspects={**suspects_for(name, diamond_graph, v), **zero_suspect(name)})
    for name in ("out", "y", "x", "a", "b"):
        first, second = float(got[f"first_{name}"]), float(got[f"second_{name}"])
        if not np.isclose(second, first, rtol=1e-7, atol=1e-9):
            label = "z" if name == "out" else name
            fail(tr("{label}.grad is {first:.6g} after z.backward() but {second:.6g} after a "
                    "second z.backward() (expected {want:.6g} both times, {at}): the grads "
                    "were not reset to 0 at the start of backward, so the second call added "
                    "onto what the first one left.").format(
                        label=label, first=first, second=second, want=want[name], at=at))
        judge(got[f"second_{name}"], ref[f"second_{name}"], want[name],
              tr("{name}.grad after a second z.backward()").format(name=name))


def run_two_graphs(m, values):
    a, b, c = (m.NumberWithGrad(x) for x in values)
    g1 = a * b
    g1.backward()
    g2 = a + b * c
    g2.backward()
    return {"num": g2.num, "a": a.grad, "b": b.grad, "c": c.grad}


@check("a new graph from the same numbers starts its grads from zero", points=2,
       hint=("After g1 = a * b and g1.backward(), a.grad is b. A new g2 = a + b * c and "
             "g2.backward() must give a.grad = 1: backward resets the grads of every number in "
             "its graph to 0 before it starts."))
def test_new_graph(ex):
    v = away(ex.rng, 3)
    got, ref = ex.both(run_two_graphs, v)
    a, b, c = v
    at = f"a = {a:.4g}, b = {b:.4g}, c = {c:.4g}"
    judge(got["num"], ref["num"], a + b * c, tr("g2.num for g2 = a + b * c, {at}").format(at=at))
    want = {"a": 1.0, "b": c, "c": b}
    old = {"a": b, "b": a, "c": 0.0}
    for name in ("a", "b", "c"):
        judge(got[name], ref[name], want[name],
              tr("{name}.grad after g1 = a * b, g1.backward(), g2 = a + b * c, g2.backward(); "
                 "{at}").format(name=name, at=at), suspects={
                  tr("dg2/d{name} + dg1/d{name}: {name}.grad still holds what g1.backward() left "
                     "there; the grads were not reset to 0 at the start of backward").format(
                         name=name): want[name] + old[name]})


def run_output(m, values):
    a, b, c = (m.NumberWithGrad(x) for x in values)
    z = a * b + c
    z.backward()
    lone = m.NumberWithGrad(values[0])
    lone.backward()
    return {"z": z.grad, "lone": lone.grad}


@check("after z.backward(), z.grad is 1", points=1,
       hint=("dz/dz = 1: backward sets the output's own grad to 1 (after resetting the others "
             "to 0), and every other gradient grows from it."))
def test_output_grad(ex):
    v = away(ex.rng, 3)
    got, ref = ex.both(run_output, v)
    judge(got["z"], ref["z"], 1.0, tr("z.grad after z.backward(), z = a * b + c"),
          suspects={tr(NEVER): 0.0})
    judge(got["lone"], ref["lone"], 1.0,
          tr("a.grad after a.backward() on a NumberWithGrad made from a plain number"),
          suspects={tr(NEVER): 0.0})
