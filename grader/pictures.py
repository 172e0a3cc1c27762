"""`check --plot DIR`: a PNG per failing gradient check, expected | got | difference.
matplotlib is imported here only, and only when asked."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def _as_image(array: np.ndarray) -> np.ndarray:
    """A 2-D view: vectors as one row; higher dimensions as their first matrix
    of the last two axes."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 1:
        return array[None, :]
    while array.ndim > 2:
        array = array[0]
    return array


def plot_failures(summaries, folder: Path) -> list[Path]:
    try:
        import matplotlib
    except ImportError as exc:
        raise LookupError("--plot needs matplotlib: pip install -e '.[plot]'") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for summary in summaries:
        for result in summary.results:
            names = list(result.arrays)
            if result.passed or len(names) != 2:
                continue
            expected, got = (_as_image(result.arrays[n]) for n in names)
            fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
            limit = max(np.abs(expected).max(), np.abs(got).max(), 1e-12)
            for ax, image, title in zip(axes, (expected, got, got - expected),
                                        (names[0], names[1], "difference"), strict=True):
                shown = ax.imshow(image, cmap="coolwarm", vmin=-limit, vmax=limit)
                ax.set_title(title, fontsize=9)
                ax.set_xticks([])
                ax.set_yticks([])
            fig.colorbar(shown, ax=axes, shrink=0.8)
            fig.suptitle(f"{summary.exercise.id} {result.title}", fontsize=10)
            path = folder / f"{summary.exercise.id}_{result.name}.png"
            fig.savefig(path, dpi=100)
            plt.close(fig)
            written.append(path)
    return written
