"""Graders for the exercises: `python -m grader --help`.

Check modules import what they need from here: `check` to declare a check,
`fail` / `assert_close` to judge, and `gradcheck` for numerical gradients.
"""
from grader import gradcheck
from grader.compare import CheckFailed, assert_close, fail
from grader.plugin import check

__version__ = "0.1.0"
__all__ = ["CheckFailed", "assert_close", "check", "fail", "gradcheck"]
