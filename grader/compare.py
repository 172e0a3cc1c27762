"""Compare a learner's arrays with the expected ones, and say what is wrong.

Every failure raises `CheckFailed` with a message for a learner: what was
checked, expected vs got (shape, dtype, the worst index and its values, the
error), and whether the result matches a known mistake. The check's hint is
added by the plugin.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from grader.worker import Outcome


class CheckFailed(AssertionError):
    """A check's verdict: fail, with a message written for the learner.

    kind is "not_implemented" when the learner has not written the code yet,
    "wrong" for a wrong answer, and an `Outcome` status otherwise.
    """

    def __init__(self, message: str, kind: str = "wrong", arrays: dict | None = None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.arrays = arrays or {}  # expected and got, for `check --plot`


def fail(message: str, kind: str = "wrong", arrays: dict | None = None) -> None:
    raise CheckFailed(message, kind, arrays)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _index(idx: tuple) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def describe(arr: np.ndarray) -> str:
    origin = getattr(arr, "origin", "")
    shape = f"shape {tuple(arr.shape)}"
    return f"{shape} ({origin})" if origin else shape


def assert_close(
    got: np.ndarray,
    want: np.ndarray,
    what: str,
    *,
    rtol: float = 1e-7,
    atol: float = 1e-9,
    suspects: Mapping[str, np.ndarray] | None = None,
    at: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Fail unless got matches want element-wise within atol + rtol * |want|.

    suspects: description -> the result a known mistake would give; a match is
    named in the message. at: input name -> array of the input's values at
    each position of the result, shown beside the worst element.
    """
    got_arr = np.asarray(got, dtype=np.float64)
    want_arr = np.asarray(want, dtype=np.float64)
    if got_arr.shape != want_arr.shape:
        lines = [f"{what} has the wrong shape: expected {tuple(want_arr.shape)}, "
                 f"got {describe(np.asanyarray(got))}"]
        if got_arr.shape == want_arr.shape[::-1] and got_arr.ndim == 2:
            lines.append("It is the expected shape transposed.")
        lines += _suspected(got_arr, suspects, rtol, atol)
        fail("\n".join(lines))
    bad_values = ~np.isfinite(got_arr) & np.isfinite(want_arr)
    if bad_values.any():
        idx = np.unravel_index(np.argmax(bad_values), got_arr.shape)
        fail(f"{what} contains {_fmt(got_arr[idx])} at {_index(idx)} "
             f"({int(bad_values.sum())} of {got_arr.size} values are not finite); "
             f"expected {_fmt(want_arr[idx])} there")
    err = np.abs(got_arr - want_arr)
    allowed = atol + rtol * np.abs(want_arr)
    wrong = err > allowed
    if not wrong.any():
        return
    idx = np.unravel_index(np.argmax(err - allowed), got_arr.shape)
    where = "" if got_arr.ndim == 0 else f" at {_index(idx)}"
    inputs = "".join(f", {name} = {_fmt(np.asarray(v)[idx])}" for name, v in (at or {}).items())
    lines = []
    if got_arr.ndim == 0:
        lines.append(f"{what} is wrong: expected {_fmt(want_arr)}, got {_fmt(got_arr)} "
                     f"(error {err.item():.2g})")
    else:
        lines.append(f"{what} is wrong at {int(wrong.sum())} of {got_arr.size} positions.")
        lines.append(f"  worst{where}{inputs}: expected {_fmt(want_arr[idx])}, "
                     f"got {_fmt(got_arr[idx])} (error {err[idx]:.2g}, "
                     f"allowed {allowed[idx]:.2g})")
        expected, returned = describe(np.asanyarray(want)), describe(np.asanyarray(got))
        if getattr(want, "origin", "") and expected != returned:
            lines.append(f"  expected {expected}, got {returned}")
    lines += _suspected(got_arr, suspects, rtol, atol, want_arr)
    fail("\n".join(line for line in lines if line))


def _suspected(got: np.ndarray, suspects, rtol: float, atol: float,
               want: np.ndarray | None = None) -> list[str]:
    for description, value in (suspects or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == got.shape and np.allclose(got, value, rtol=max(rtol, 1e-9),
                                                    atol=max(atol, 1e-12)):
            return [f"Your result matches {description}."]
    ratio = None if want is None else constant_ratio(got, want)
    if ratio is not None:
        return [f"Your result is {ratio:.4g} times the expected one everywhere: "
                "a constant factor is off."]
    return []


def constant_ratio(got: np.ndarray, want: np.ndarray) -> float | None:
    """c if got == c * want everywhere (c != 1), else None. Single numbers always
    have a ratio, so they never count."""
    mask = np.abs(want) > 1e-6 * np.max(np.abs(want), initial=0.0)
    if (got.shape != want.shape or mask.sum() < 2
            or np.any(np.abs(got[~mask]) > 1e-9)):
        return None
    ratios = got[mask] / want[mask]
    c = float(np.median(ratios))
    if abs(c - 1) > 1e-3 and np.allclose(ratios, c, rtol=1e-3):
        return c
    return None


def require(outcome: Outcome) -> Any:
    """The outcome's value, or fail with its message if the learner's code did not return."""
    if not outcome.ok:
        raise CheckFailed(outcome.message, outcome.status)
    return outcome.value
