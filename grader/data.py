"""Real data for the checks: scikit-learn's bundled data sets, cached as .npz.

scikit-learn ships the data inside the package (no download). Importing it
takes a second, so the first use saves the arrays as a compressed .npz file
(`make` does that when it installs) and every check after that reads the file.
`python -m grader.data` fills the cache.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from grader.manifest import ROOT

CACHE = Path(os.environ.get("GRADER_DATA", ROOT / ".grader" / "data"))


def _diabetes() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    return {"X": X.astype(np.float64), "y": y.astype(np.float64).reshape(-1, 1)}


SOURCES: dict[str, Callable[[], dict[str, np.ndarray]]] = {"diabetes": _diabetes}


def load(name: str) -> dict[str, np.ndarray]:
    """The named data set's arrays, from the cache (made on first use)."""
    path = CACHE / f"{name}.npz"
    if not path.is_file():
        arrays = SOURCES[name]()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez_compressed(partial, **arrays)
        os.replace(partial, path)  # atomic: parallel checks never read half a file
    with np.load(path, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


def diabetes_split(test_fraction: float = 0.3, seed: int = 0):
    """Diabetes progression from 10 measurements of 442 patients, split into
    (X_train, y_train, X_test, y_test). X is standardised with the training
    set's mean and deviation; y is (n, 1), in the data set's own units."""
    data = load("diabetes")
    X, y = data["X"], data["y"]
    order = np.random.default_rng(seed).permutation(X.shape[0])
    n_test = int(round(test_fraction * X.shape[0]))
    test, train = order[:n_test], order[n_test:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    return (X[train] - mean) / std, y[train], (X[test] - mean) / std, y[test]


if __name__ == "__main__":
    for name in SOURCES:
        arrays = load(name)
        print(f"{name}: " + ", ".join(f"{k} {v.shape}" for k, v in arrays.items()),
              file=sys.stderr)
