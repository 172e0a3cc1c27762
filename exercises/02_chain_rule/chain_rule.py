"""Exercise 02: the chain rule, on chains of array functions.

A chain is a list of functions [f1, f2] (or [f1, f2, f3]) applied in order:
f1 first. `deriv` from exercise 01 is given to you finished in derivative.py.
Read README.md first.
"""
from typing import Callable, List

from numpy import ndarray

from derivative import deriv

ArrayFunction = Callable[[ndarray], ndarray]
Chain = List[ArrayFunction]


def chain_deriv_2(chain: Chain, input_range: ndarray) -> ndarray:
    """The derivative of f2(f1(x)) at every element of input_range.

    Use the chain rule, f2'(f1(x)) * f1'(x), with `deriv` for f1' and f2'.
    """
    assert len(chain) == 2, "chain_deriv_2 needs a chain of exactly 2 functions"
    # YOUR CODE HERE
    raise NotImplementedError("chain_deriv_2")


def chain_deriv_3(chain: Chain, input_range: ndarray) -> ndarray:
    """The derivative of f3(f2(f1(x))) at every element of input_range.

    f3'(f2(f1(x))) * f2'(f1(x)) * f1'(x), with `deriv` for each derivative.
    """
    assert len(chain) == 3, "chain_deriv_3 needs a chain of exactly 3 functions"
    # YOUR CODE HERE
    raise NotImplementedError("chain_deriv_3")
