"""`check --plot DIR`: a PNG per failing gradient check, expected | got | difference.
matplotlib is imported here only, and only when asked."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from grader.i18n import tr

# Fonts with Hangul, by the names systems install them under; matplotlib's own has none.
KOREAN_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic",
                "AppleGothic", "UnDotum", "Baekmuk Gulim")


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


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
        raise LookupError(tr("--plot needs matplotlib: pip install -e '.[plot]'")) from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    korean = next((name for name in KOREAN_FONTS if name in installed), None)
    if korean:
        plt.rcParams["font.family"] = [korean, "DejaVu Sans"]

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for summary in summaries:
        for result in summary.results:
            names = list(result.arrays)
            if result.passed or len(names) != 2:
                continue
            expected, got = (_as_image(result.arrays[n]) for n in names)
            if korean:  # "X: numerical" -> "X: 수치 기울기"
                names = [re.sub(r"(?<=: )(\w+)$", lambda m: tr(m.group(1)), n) for n in names]
            fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
            limit = max(np.abs(expected).max(), np.abs(got).max(), 1e-12)
            for ax, image, title in zip(axes, (expected, got, got - expected),
                                        (*names, tr("difference") if korean else "difference"),
                                        strict=True):
                shown = ax.imshow(image, cmap="coolwarm", vmin=-limit, vmax=limit)
                ax.set_title(title, fontsize=9)
                ax.set_xticks([])
                ax.set_yticks([])
            fig.colorbar(shown, ax=axes, shrink=0.8)
            title = result.title if korean or not _HANGUL.search(result.title) else result.name
            fig.suptitle(f"{summary.exercise.id} {title}", fontsize=10)  # no boxes for Hangul
            path = folder / f"{summary.exercise.id}_{result.name}.png"
            fig.savefig(path, dpi=100)
            plt.close(fig)
            written.append(path)
    return written
