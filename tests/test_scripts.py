"""The scripts learners run: they train, print progress and draw their curves."""
import subprocess
import sys

import pytest

from grader.manifest import ROOT, SOLUTIONS


def run_script(folder, script, args, tmp_path, extra_folders=()):
    path = ":".join(str(SOLUTIONS / d) for d in (folder, *extra_folders))
    return subprocess.run(
        [sys.executable, str(SOLUTIONS / folder / script), *args], capture_output=True,
        text=True, timeout=300, cwd=tmp_path,
        env={"PYTHONPATH": f"{path}:{ROOT}", "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg",
             "HOME": str(tmp_path)})


def test_the_digits_script_trains_and_plots(tmp_path):
    proc = run_script("12_digits", "digits.py", ["--epochs", "3", "--plot", "c.png"], tmp_path,
                      ("11_init_and_dropout", "10_optimizers", "09_activations_and_loss",
                       "08_training", "07_layers", "06_operations"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "epoch   3" in proc.stdout and "test accuracy" in proc.stdout
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_character_model_learns_python_docstrings(tmp_path):
    proc = run_script("17_lstm", "char_lm.py",
                      ["--steps", "150", "--every", "50", "--hidden", "64", "--plot", "l.png"],
                      tmp_path, ("16_rnn",))
    assert proc.returncode == 0, proc.stderr[-2000:]
    losses = [float(line.split("loss ")[1].split()[0]) for line in proc.stdout.splitlines()
              if line.startswith("step ")]
    assert len(losses) == 3 and losses[-1] < losses[0] - 0.3, proc.stdout[-1500:]
    assert (tmp_path / "l.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_character_model_reads_any_text_file(tmp_path):
    (tmp_path / "t.txt").write_text("the cat sat on the mat. " * 200)
    proc = run_script("17_lstm", "char_lm.py",
                      ["--text", "t.txt", "--steps", "40", "--every", "20", "--hidden", "16"],
                      tmp_path, ("16_rnn",))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "4,800 characters, 11 different" in proc.stdout


@pytest.mark.parametrize("lang, wrote, where", [("en", "wrote", "wrong coordinates"),
                                               ("ko", "작성함:", "틀린 좌표")])
def test_check_plot_draws_each_failing_gradient(tmp_path, lang, wrote, where):
    """In Korean too (Hangul only where a font has it; the check's name otherwise)."""
    from conftest import EXERCISES, patch, reference_copy

    ex = next(e for e in EXERCISES if e.id == "13")
    folder = reference_copy(ex, tmp_path)
    patch(folder / "convolution.py", "padded_grad[r + K - 1 - i, c + K - 1 - j] * param[i, j]",
          "padded_grad[r + i, c + j] * param[i, j]")  # the kernel not flipped
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "check", "13", "--submission", str(folder),
         "--plot", str(tmp_path / "pictures"), "--lang", lang],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(tmp_path)})
    assert proc.returncode == 1
    pictures = sorted((tmp_path / "pictures").glob("*.png"))
    assert "13_test_input_grad_2d_numeric.png" in [p.name for p in pictures], proc.stdout
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures)
    assert wrote in proc.stdout and where in proc.stdout
