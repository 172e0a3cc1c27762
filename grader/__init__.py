"""Graders for the exercises: `python -m grader --help`.

Check modules import what they need from here: `check` to declare a check,
`fail` / `assert_close` to judge, and `gradcheck` for numerical gradients.
"""
import os

# Checks multiply small matrices: one BLAS thread is faster than several fighting
# over the cores, and gives the same bits on every machine. Set before numpy loads.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from grader import gradcheck  # noqa: E402
from grader.compare import CheckFailed, assert_close, fail  # noqa: E402
from grader.i18n import N_, tr  # noqa: E402
from grader.plugin import check  # noqa: E402

__version__ = "0.1.0"
__all__ = ["CheckFailed", "N_", "assert_close", "check", "fail", "gradcheck", "tr"]
