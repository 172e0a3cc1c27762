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
        # YOUR CODE HERE
        raise NotImplementedError("__add__")

    def __radd__(self, other: Number) -> "NumberWithGrad":
        """other + self, when other is a plain number: 4 + a."""
        # YOUR CODE HERE
        raise NotImplementedError("__radd__")

    def __mul__(self, other: Number) -> "NumberWithGrad":
        """self * other: d/dself = other, d/dother = self."""
        # YOUR CODE HERE
        raise NotImplementedError("__mul__")

    def __rmul__(self, other: Number) -> "NumberWithGrad":
        """other * self, when other is a plain number: 4 * a."""
        # YOUR CODE HERE
        raise NotImplementedError("__rmul__")

    def backward(self) -> None:
        """Set .grad of every number this one depends on (itself included, 1) to
        d self / d that number. A number reached along several paths adds up the
        gradient of every path, so visit the graph in topological order: a number
        passes its gradient on only once everything built from it has passed theirs.
        Start from zero: calling backward twice gives the same grads."""
        # YOUR CODE HERE
        raise NotImplementedError("backward")
