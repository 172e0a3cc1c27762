"""Pictures in the terminal of where an array is wrong, for a learner to look at."""
from __future__ import annotations

import numpy as np

from grader.i18n import pad, tr, width


def error_map(bad: np.ndarray, worst: tuple) -> list[str]:
    """A picture of the wrong coordinates of a 2-D (or image-shaped) tensor: the
    matrix holding the worst one, a mark for each wrong entry. A border-only error
    shows as a frame."""
    if bad.ndim < 2:
        return []
    plane = bad[tuple(worst[:-2])] if bad.ndim > 2 else bad
    if plane.shape[0] > 24 or plane.shape[1] > 48:
        return []
    wrong, right = _marks()
    where = "" if bad.ndim == 2 else (
        " [" + ", ".join(str(int(i)) for i in worst[:-2]) + ", :, :]")
    lines = [tr("  wrong coordinates{where} ({wrong} wrong, {right} right):").format(
        where=where, wrong=wrong, right=right)]
    lines += ["    " + " ".join(wrong if b else right for b in row) for row in plane]
    return lines


_SHADES = " .:-=+*#%@"


def value_maps(left: np.ndarray, right: np.ndarray, worst: tuple, left_label: str,
               right_label: str) -> list[str]:
    """Two arrays side by side (the plane holding `worst`), each value a shade from
    " " (smallest) to "@" (largest): a kernel left unflipped shows as a mirrored
    pattern."""
    planes = [a[tuple(worst[:-2])] if a.ndim > 2 else a for a in (left, right)]
    if planes[0].ndim == 1:
        planes = [p[None, :] for p in planes]
    if planes[0].shape[0] > 24 or planes[0].shape[1] > 24:
        return []
    low, high = min(p.min() for p in planes), max(p.max() for p in planes)
    levels = [np.clip(((p - low) / ((high - low) or 1) * len(_SHADES)).astype(int), 0,
                      len(_SHADES) - 1) for p in planes]
    rows = [["".join(_SHADES[v] * 2 for v in row) for row in level] for level in levels]
    columns = max(2 * planes[0].shape[1], width(left_label))
    where = "" if left.ndim <= 2 else (
        " [" + ", ".join(str(int(i)) for i in worst[:-2]) + ", :, :]")
    lines = [tr("  values{where}, from ' ' (smallest) to '@' (largest):").format(where=where),
             f"    {pad(left_label, columns)} | {right_label}"]
    lines += [f"    {pad(a, columns)} | {b}" for a, b in zip(*rows, strict=True)]
    return lines


def _marks() -> tuple[str, str]:
    import sys

    try:
        "█·".encode(sys.stdout.encoding or "ascii")
        return "█", "·"
    except (UnicodeEncodeError, LookupError):
        return "#", "."
