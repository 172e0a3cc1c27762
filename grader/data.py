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


def _digits() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return {"X": X.astype(np.uint8), "y": y.astype(np.uint8)}


SOURCES: dict[str, Callable[[], dict[str, np.ndarray]]] = {
    "diabetes": _diabetes,
    "digits": _digits,
}


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


def _classification(X: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray):
    """Pixels standardised with the training set's mean and deviation; labels one-hot."""
    X = X.astype(np.float64)
    mean, std = X[train].mean(), X[train].std()
    onehot = np.eye(int(y.max()) + 1)[y.astype(int)]
    return (X[train] - mean) / std, onehot[train], (X[test] - mean) / std, onehot[test]


def digits_split(test_fraction: float = 0.3, seed: int = 0):
    """scikit-learn's 1,797 handwritten digits (8 x 8 pixels, 0-16), split into
    (X_train, y_train, X_test, y_test): X has 64 standardised pixels a row, y is
    one-hot over the 10 digits."""
    data = load("digits")
    order = np.random.default_rng(seed).permutation(data["X"].shape[0])
    n_test = int(round(test_fraction * order.size))
    return _classification(data["X"], data["y"], order[n_test:], order[:n_test])


def read_idx(path: str | Path) -> np.ndarray:
    """An array from an IDX file (MNIST's format), gzip-compressed or plain.

    The header: two zero bytes, a type code (0x08 is unsigned bytes), the number
    of dimensions, then each dimension as a big-endian 32-bit integer.
    """
    import gzip

    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:2] != b"\x00\x00":
        raise ValueError(f"{path} is not an IDX file (it does not start with two zero bytes)")
    types = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if raw[2] not in types:
        raise ValueError(f"{path}: unknown IDX type code {raw[2]:#04x}")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=types[raw[2]], offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: the header says {shape}, the file holds {data.size} values")
    return data.reshape(shape)


MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def mnist_split(folder: str | Path):
    """MNIST from its four IDX files in folder (each may end in .gz), as
    (X_train, y_train, X_test, y_test) like digits_split: 784 standardised pixels
    a row, one-hot labels."""
    folder = Path(folder)
    arrays = []
    for name in MNIST_FILES:
        candidates = [folder / name, folder / f"{name}.gz"]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"{folder} has no {name} (or {name}.gz)")
        arrays.append(read_idx(found))
    train_X, train_y, test_X, test_y = arrays
    X = np.concatenate([train_X.reshape(len(train_X), -1), test_X.reshape(len(test_X), -1)])
    y = np.concatenate([train_y, test_y])
    n = len(train_X)
    return _classification(X, y, np.arange(n), np.arange(n, len(X)))


if __name__ == "__main__":
    for name in SOURCES:
        arrays = load(name)
        print(f"{name}: " + ", ".join(f"{k} {v.shape}" for k, v in arrays.items()),
              file=sys.stderr)
