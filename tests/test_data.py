"""The data module: cached real data sets, the MNIST IDX reader, and a check path
that never imports scikit-learn, torch or matplotlib."""
import gzip
import subprocess
import sys

import numpy as np
import pytest

from grader import data
from grader.manifest import ROOT, load


def write_idx(path, array, compress=False):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C, np.dtype(">f8"): 0x0E}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    raw = header + array.tobytes()
    path.write_bytes(gzip.compress(raw) if compress else raw)


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("dtype", [np.uint8, ">i4", ">f8"])
def test_read_idx_round_trips(tmp_path, compress, dtype):
    array = (np.arange(2 * 3 * 4) % 256).astype(dtype).reshape(2, 3, 4)
    write_idx(tmp_path / "a", array, compress)
    np.testing.assert_array_equal(data.read_idx(tmp_path / "a"), array)


def test_read_idx_rejects_what_is_not_idx(tmp_path):
    (tmp_path / "text").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(tmp_path / "text")
    write_idx(tmp_path / "short", np.zeros((4, 4), np.uint8))
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-3])
    with pytest.raises(ValueError, match="the header says"):
        data.read_idx(tmp_path / "short")


def test_mnist_split_reads_the_four_files_plain_or_gzipped(tmp_path):
    rng = np.random.default_rng(0)
    images = {"train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
              "t10k": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)}
    labels = {"train": np.array([0, 1, 2, 3, 4, 9], np.uint8),
              "t10k": np.array([5, 6, 9], np.uint8)}
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images["train"], compress=True)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels["train"])
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images["t10k"])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels["t10k"], compress=True)
    X_train, y_train, X_test, y_test = data.mnist_split(tmp_path)
    assert X_train.shape == (6, 784) and X_test.shape == (3, 784)
    assert y_train.shape == (6, 10) and y_test.shape == (3, 10)
    np.testing.assert_array_equal(np.argmax(y_test, axis=1), labels["t10k"])
    assert abs(X_train.mean()) < 1e-9 and abs(X_train.std() - 1) < 1e-9
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        data.mnist_split(tmp_path)


def test_splits_are_standardised_and_one_hot():
    X_train, y_train, X_test, y_test = data.digits_split()
    assert X_train.shape == (1258, 64) and X_test.shape == (539, 64)
    assert np.all(y_train.sum(axis=1) == 1) and y_train.shape[1] == 10
    assert abs(X_train.mean()) < 1e-9
    X_train, y_train, X_test, y_test = data.diabetes_split()
    assert X_train.shape == (309, 10) and y_test.shape == (133, 1)
    np.testing.assert_allclose(X_train.mean(axis=0), 0, atol=1e-9)


def test_cache_is_made_once_then_read_without_scikit_learn(tmp_path):
    code = ("import sys; from grader import data; data.load('digits'); "
            "print('sklearn' in sys.modules)")
    env = {"GRADER_DATA": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, cwd=ROOT, check=True)
    assert first.stdout.strip() == "True" and (tmp_path / "digits.npz").is_file()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, cwd=ROOT, check=True)
    assert second.stdout.strip() == "False"


def test_checking_the_numpy_exercises_imports_no_heavy_library():
    numpy_exercises = [ex.id for ex in load() if ex.id != "20"]  # 20 is the PyTorch port
    code = ("import sys; from grader.cli import main; main(['check', *sys.argv[1:], "
            "'--submission', 'solutions']); heavy = [m for m in ('sklearn', 'torch', "
            "'matplotlib', 'scipy') if m in sys.modules]; print('heavy:', heavy)")
    proc = subprocess.run([sys.executable, "-c", code, *numpy_exercises], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert "heavy: []" in proc.stdout, proc.stdout[-500:]
