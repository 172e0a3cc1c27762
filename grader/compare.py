"""Compare a learner's arrays with the expected ones, and say what is wrong.

Every failure raises `CheckFailed` with a message for a learner: what was
checked, expected vs got (shape, dtype, the worst index and its values, the
error), and whether the result matches a known mistake. The check's hint is
added by the plugin.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from grader.i18n import N_, tr
from grader.maps import value_maps
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
    shape = tr("shape {shape}").format(shape=tuple(arr.shape))
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
        lines = [tr("{what} has the wrong shape: expected {want}, got {got}").format(
            what=what, want=tuple(want_arr.shape), got=describe(np.asanyarray(got)))]
        found = _suspected(got_arr, suspects, rtol, atol, relation(got_arr, want_arr))
        if not found and got_arr.shape == want_arr.shape[::-1] and got_arr.ndim == 2:
            found = [tr("It is the expected shape transposed.")]
        lines += found
        fail("\n".join(lines))
    bad_values = ~np.isfinite(got_arr) & np.isfinite(want_arr)
    if bad_values.any():
        idx = np.unravel_index(np.argmax(bad_values), got_arr.shape)
        fail(tr("{what} contains {value} at {index} ({bad} of {size} values are not finite); "
                "expected {want} there").format(
            what=what, value=_fmt(got_arr[idx]), index=_index(idx), bad=int(bad_values.sum()),
            size=got_arr.size, want=_fmt(want_arr[idx])))
    err = np.abs(got_arr - want_arr)
    allowed = atol + rtol * np.abs(want_arr)
    wrong = err > allowed
    if not wrong.any():
        return
    idx = np.unravel_index(np.argmax(err - allowed), got_arr.shape)
    inputs = "".join(f", {name} = {_fmt(np.asarray(v)[idx])}" for name, v in (at or {}).items())
    lines = []
    if got_arr.ndim == 0:
        lines.append(tr("{what} is wrong: expected {want}, got {got} (error {error:.2g})").format(
            what=what, want=_fmt(want_arr), got=_fmt(got_arr), error=err.item()))
    else:
        lines.append(tr("{what} is wrong at {wrong} of {size} positions.").format(
            what=what, wrong=int(wrong.sum()), size=got_arr.size))
        lines.append(tr("  worst at {index}{inputs}: expected {want}, got {got} "
                        "(error {error:.2g}, allowed {allowed:.2g})").format(
            index=_index(idx), inputs=inputs, want=_fmt(want_arr[idx]), got=_fmt(got_arr[idx]),
            error=err[idx], allowed=allowed[idx]))
        expected, returned = describe(np.asanyarray(want)), describe(np.asanyarray(got))
        if getattr(want, "origin", "") and expected != returned:
            lines.append(tr("  expected {want}, got {got}").format(want=expected, got=returned))
    found = relation(got_arr, want_arr)
    lines += _suspected(got_arr, suspects, rtol, atol, found)
    if found and found[0] in MIRRORED:
        lines += value_maps(want_arr, got_arr, idx, tr("expected"), tr("yours"))
    fail("\n".join(line for line in lines if line))


def _suspected(got: np.ndarray, suspects, rtol: float, atol: float,
               found: tuple[str, dict] | None) -> list[str]:
    """The known mistake got matches, else the relation found to the expected result."""
    for description, value in (suspects or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == got.shape and np.allclose(got, value, rtol=max(rtol, 1e-9),
                                                    atol=max(atol, 1e-12)):
            return [tr("Your result matches {description}.").format(description=description)]
    return [explain(found, tr("Your result"), tr("the expected one"))] if found else []


# How a wrong array can relate to the right one, each with what it usually means.
_TRANSPOSED = N_("{yours} is {theirs} transposed (rows and columns swapped).")
_ROTATED = N_("{yours} is {theirs} flipped upside down and left to right (turned 180°): a "
              "kernel that should be flipped is not, or is flipped once too often.")
_FLIPPED_ROWS = N_("{yours} is {theirs} flipped upside down (its rows in reverse order).")
_REVERSED = N_("{yours} is {theirs} in reverse order along its last axis.")
_NEGATED = N_("{yours} is {theirs} with the opposite sign everywhere: a minus sign is "
              "missing or one too many.")
_TIMES_N = N_("{yours} is {n} times {theirs} everywhere: a sum where a mean belongs, or a "
              "factor of {n} too many?")
_DIVIDED_N = N_("{yours} is 1/{n} of {theirs} everywhere: a mean where a sum belongs, or "
                "divided by {n} once too often?")
_RATIO = N_("{yours} is {ratio:.4g} times {theirs} everywhere: a constant factor is off.")
_SHIFTED = N_("{yours} is {theirs} plus {shift:.4g} everywhere: a constant term is off.")
_RESHAPED = N_("{yours} has the right values in the wrong shape: {got} where {want} belongs "
               "(keepdims=True, or a reshape).")
_ZEROS = N_("{yours} is zero everywhere: is a value never computed, stored or passed on?")
_SUMMED = N_("{yours} is {theirs} summed over axis {axis}: keep that axis.")


# The relations that show as a pattern: a picture of the values says more than numbers.
MIRRORED = (_TRANSPOSED, _ROTATED, _FLIPPED_ROWS, _REVERSED)


def explain(found: tuple[str, dict], yours: str, theirs: str) -> str:
    """A relation from `relation`, in words: yours and theirs name the two arrays."""
    template, values = found
    return tr(template).format(yours=yours, theirs=theirs, **values)


def relation(got: np.ndarray, want: np.ndarray) -> tuple[str, dict] | None:
    """(template, its values) of how a wrong result relates to the expected one, when
    it is one of the usual slips: transposed, flipped (a kernel not flipped), negated,
    a whole factor off, shifted, zero, or the right numbers in the wrong shape."""
    scale = float(np.max(np.abs(want), initial=0.0)) or 1.0

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9 * scale))

    if got.size < 2 or same(got, want):
        return None
    if got.ndim >= 2 and got.ndim == want.ndim and same(got, np.swapaxes(want, -1, -2)):
        return _TRANSPOSED, {}
    if got.shape != want.shape:
        if got.size == want.size and same(got.reshape(want.shape), want):
            return _RESHAPED, {"got": got.shape, "want": want.shape}
        for axis in range(want.ndim):
            if same(got, want.sum(axis)) or same(got, want.sum(axis, keepdims=True)):
                return _SUMMED, {"axis": axis}
        return None
    flips = [(_ROTATED, want[..., ::-1, ::-1]), (_FLIPPED_ROWS, want[..., ::-1, :])] \
        if want.ndim >= 2 else []
    for template, flipped in flips + [(_REVERSED, want[..., ::-1])]:
        if same(got, flipped):
            return template, {}
    if not np.any(got):
        return _ZEROS, {}
    ratio = constant_ratio(got, want)
    if ratio is not None:
        n = round(ratio) if abs(ratio) >= 1 else round(1 / ratio)
        if abs(ratio + 1) < 1e-4:
            return _NEGATED, {}
        if n >= 2 and abs(ratio - n) < 1e-4 * n:
            return _TIMES_N, {"n": n}
        if n >= 2 and abs(1 / ratio - n) < 1e-4 * n:
            return _DIVIDED_N, {"n": n}
        return _RATIO, {"ratio": ratio}
    shift = got - want
    if np.allclose(shift, shift.flat[0], rtol=1e-6, atol=1e-9 * scale):
        return _SHIFTED, {"shift": float(shift.flat[0])}
    return None


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
