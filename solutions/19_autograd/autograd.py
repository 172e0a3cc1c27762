"""Exercise 19: a tiny automatic differentiation, on single numbers.

A NumberWithGrad remembers the numbers it was made from and how; backward()
then gives every number in the graph its gradient, d(this)/d(that), in .grad.
Read README.md first.
"""
from typing import List, Optional, Tuple, Union

Number = Union[int, float, "NumberWithGrad"]


class NumberWithGrad:
    """A number that records the operations that made it."""

    def __init__(self, num: float,
                 depends_on: Optional[List[Tuple["NumberWithGrad", float]]] = None,
                 creation_op: str = ""):
        self.num = float(num)
        self.depends_on = depends_on or []  # (parent, d self / d parent) pairs
        self.creation_op = creation_op
        self.grad: float = 0.0

    def __repr__(self) -> str:
        return f"NumberWithGrad({self.num}, grad={self.grad})"

    @staticmethod
    def ensure(other: Number) -> "NumberWithGrad":
        return other if isinstance(other, NumberWithGrad) else NumberWithGrad(other)

    def __add__(self, other: Number) -> "NumberWithGrad":
        """self + other: d/dself = 1, d/dother = 1."""
        ### BEGIN SOLUTION
        other = self.ensure(other)
        return NumberWithGrad(self.num + other.num, [(self, 1.0), (other, 1.0)], "add")
        ### END SOLUTION

    def __radd__(self, other: Number) -> "NumberWithGrad":
        """other + self, when other is a plain number: 4 + a."""
        ### BEGIN SOLUTION
        return self.ensure(other) + self
        ### END SOLUTION

    def __mul__(self, other: Number) -> "NumberWithGrad":
        """self * other: d/dself = other, d/dother = self."""
        ### BEGIN SOLUTION
        other = self.ensure(other)
        return NumberWithGrad(self.num * other.num, [(self, other.num), (other, self.num)],
                              "mul")
        ### END SOLUTION

    def __rmul__(self, other: Number) -> "NumberWithGrad":
        """other * self, when other is a plain number: 4 * a."""
        ### BEGIN SOLUTION
        return self.ensure(other) * self
        ### END SOLUTION

    def backward(self) -> None:
        """Set .grad of every number this one depends on (itself included, 1) to
        d self / d that number. A number reached along several paths adds up the
        gradient of every path, so visit the graph in topological order: a number
        passes its gradient on only once everything built from it has passed theirs.
        Start from zero: calling backward twice gives the same grads."""
        ### BEGIN SOLUTION
        order: List[NumberWithGrad] = []
        seen = set()

        def visit(node: "NumberWithGrad") -> None:
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
        ### END SOLUTION
