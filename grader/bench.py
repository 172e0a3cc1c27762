"""make bench: timings measured side by side in one run, printed as ratios.

A check is the learner's inner loop, so it is compared with the floor any
pytest-based grader pays: starting Python and pytest (`pytest --version`).
Runs alternate between the commands so that both see the same machine load.
The reference convolution is what learners compare themselves with, so it is
timed against torch's (with torch installed: `pip install -e '.[bench]'`).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from grader.manifest import ROOT

RUNS = 15


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def side_by_side(commands: dict[str, list[str]], runs: int = RUNS) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved run by run."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm the file cache once
        wall(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    return {name: statistics.median(t) for name, t in times.items()}


def watch_bench(runs: int = RUNS) -> None:
    """A re-check in `python -m grader watch` (warm: this process keeps Python, NumPy,
    pytest and the check modules) next to a cold `python -m grader check 01`, both on
    the reference of exercise 01 and interleaved run by run."""
    from grader.report import Style, detail
    from grader.watch import Watcher

    folder = "solutions/01_derivative"
    cold_cmd = [sys.executable, "-m", "grader", "check", "01", "--submission", folder]
    watcher = Watcher(["01"], ROOT / folder)
    style = Style()

    def warm() -> float:
        start = time.perf_counter()
        [summary] = watcher.check_once()
        detail(summary, folder, style)  # what watch prints
        return time.perf_counter() - start

    warm()  # the first check imports the check modules and the reference
    wall(cold_cmd)
    cold_times, warm_times = [], []
    for _ in range(runs):
        cold_times.append(wall(cold_cmd))
        warm_times.append(warm())
    cold, warm_ = statistics.median(cold_times), statistics.median(warm_times)
    print(f"watch: exercise 01 (reference), median of {runs} runs each, interleaved:")
    print(f"  cold  python -m grader check 01    {cold * 1000:7.1f} ms")
    print(f"  warm  a re-check in watch mode     {warm_ * 1000:7.1f} ms")
    print(f"  ratio warm / cold  {warm_ / cold:7.3f}   (aim: < 0.25)")


def conv_bench() -> None:
    """The reference Conv2D_Op (exercise 14), forward and backward, next to
    torch.nn.functional.conv2d with autograd, both on the CPU with 2 threads."""
    import torch

    from grader.manifest import SOLUTIONS
    from grader.worker import load_module

    torch.set_num_threads(2)
    conv = load_module(SOLUTIONS / "14_conv2d_op", "conv",
                       {"operations.py": SOLUTIONS / "06_operations" / "operations.py"})
    rng = np.random.default_rng(0)
    print("conv 3x3 forward + backward, median ms (numpy reference vs torch autograd, "
          "2 threads):")
    for batch, c_in, size, c_out in [(64, 1, 28, 16), (64, 16, 14, 32)]:
        for dtype in (np.float64, np.float32):
            x = rng.standard_normal((batch, c_in, size, size)).astype(dtype)
            W = rng.standard_normal((c_out, c_in, 3, 3)).astype(dtype)
            G = rng.standard_normal((batch, c_out, size, size)).astype(dtype)
            op = conv.Conv2D_Op(W)  # a layer keeps its operation from batch to batch

            def numpy_step(op=op, x=x, G=G):
                op.forward(x)
                op.backward(G)

            def torch_step(x=x, W=W, G=G):
                xt = torch.tensor(x, requires_grad=True)
                Wt = torch.tensor(W, requires_grad=True)
                torch.nn.functional.conv2d(xt, Wt, padding=1).backward(torch.tensor(G))

            times = side_by_side_calls({"numpy": numpy_step, "torch": torch_step})
            print(f"  {batch}x{c_in}x{size}x{size} -> {c_out:2d}  {np.dtype(dtype).name:7s} "
                  f"numpy {times['numpy'] * 1e3:6.2f}  torch {times['torch'] * 1e3:6.2f}  "
                  f"ratio {times['numpy'] / times['torch']:5.2f}")


def lstm_bench() -> None:
    """The reference LSTMLayer (exercise 17), forward and backpropagation through
    time, next to torch.nn.LSTM plus a Linear output layer (the same work) with
    autograd; sequence 25, batch 32, input 64, hidden 128, 2 threads each."""
    import torch

    from grader.manifest import SOLUTIONS
    from grader.worker import load_module

    torch.set_num_threads(2)
    lstm = load_module(SOLUTIONS / "17_lstm", "lstm", {"rnn.py": SOLUTIONS / "16_rnn" / "rnn.py"})
    steps, batch, n_in, hidden = 25, 32, 64, 128
    rng = np.random.default_rng(0)
    print(f"LSTM forward + backward through time, median ms (sequence {steps}, batch {batch}, "
          f"input {n_in}, hidden {hidden}, output {n_in}):")
    for dtype in (np.float64, np.float32):
        x = rng.standard_normal((batch, steps, n_in)).astype(dtype)
        G = rng.standard_normal((batch, steps, n_in)).astype(dtype)
        layer = lstm.LSTMLayer(hidden, n_in, weight_scale=0.1, seed=0)
        layer.forward(x)
        for param in layer.params.values():
            param["value"] = param["value"].astype(dtype)
            param["deriv"] = param["deriv"].astype(dtype)
        torch_dtype = torch.float64 if dtype == np.float64 else torch.float32
        rnn = torch.nn.LSTM(n_in, hidden, batch_first=True).to(torch_dtype)
        head = torch.nn.Linear(hidden, n_in).to(torch_dtype)

        def numpy_step(layer=layer, x=x, G=G):
            layer.forward(x)
            layer.backward(G)

        def torch_step(rnn=rnn, head=head, x=x, G=G):
            xt = torch.tensor(x, requires_grad=True)
            head(rnn(xt)[0]).backward(torch.tensor(G))

        times = side_by_side_calls({"numpy": numpy_step, "torch": torch_step})
        print(f"  {np.dtype(dtype).name:7s} numpy {times['numpy'] * 1e3:6.2f}  torch "
              f"{times['torch'] * 1e3:6.2f}  ratio {times['numpy'] / times['torch']:5.2f}")


def side_by_side_calls(calls: dict, rounds: int = 5, block: int = 5) -> dict[str, float]:
    """Median seconds of each call, run in alternating blocks (a block keeps one
    library's threads warm; alternating keeps both under the same load)."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()
    for _ in range(rounds):
        for name, call in calls.items():
            for _ in range(block):
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def batch_bench(students: int = 40) -> None:
    """`python -m grader grade` on a synthetic class, with 1 and with 2 jobs."""
    import shutil
    import tempfile

    from grader.manifest import EXERCISES, SOLUTIONS

    ids = ["01", "02", "03"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "class"
        for n in range(students):  # every third student has not started
            source = EXERCISES if n % 3 == 2 else SOLUTIONS
            for folder in ("01_derivative", "02_chain_rule", "03_matrix_functions"):
                shutil.copytree(source / folder, root / f"student{n:02d}" / folder,
                                ignore=shutil.ignore_patterns("__pycache__", "README.md"))
        seconds = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "grader", "grade", str(root), "-j", str(jobs),
                            "--csv", str(Path(tmp) / f"j{jobs}.csv"), "--exercise", *ids],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            seconds[jobs] = time.perf_counter() - start
    print(f"batch grading, {students} submissions of exercises {', '.join(ids)}:")
    for jobs, s in seconds.items():
        print(f"  -j{jobs}  {s:6.1f} s  {students / s:5.1f} submissions/s")
    print(f"  throughput -j2 / -j1 {seconds[1] / seconds[2]:5.2f}   (aim: >= 1.8)")


def nbgrader_bench(students: int = 6) -> None:
    """The same submissions of exercise 01 graded by `nbgrader autograde` (a kernel
    per notebook) and by `python -m grader grade -j1`: seconds per submission."""
    import os
    import shutil
    import tempfile

    try:
        import nbformat
    except ImportError:
        print("nbgrader: skipped (pip install -e '.[course]' brings it)")
        return
    from grader import course
    from grader.manifest import SOLUTIONS, find
    from grader.stubs import strip_markers

    ex = find("01")
    code = f"{course.marker(ex.files[0])}\n" + strip_markers(
        (SOLUTIONS / ex.dir / ex.files[0]).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        root, home, plain = Path(tmp) / "course", Path(tmp) / "home", Path(tmp) / "plain"
        home.mkdir()
        course.main(["--out", str(root), "--exercise", ex.id])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        env.update(HOME=str(home), JUPYTER_PLATFORM_DIRS="1", PYTHONWARNINGS="ignore",
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
        nbgrader = [sys.executable, "-m", "nbgrader"]
        subprocess.run([*nbgrader, "generate_assignment", ex.dir], cwd=root, env=env,
                       check=True, capture_output=True)
        for n in range(students):
            folder = root / "submitted" / f"student{n:02d}" / ex.dir
            shutil.copytree(root / "release" / ex.dir, folder)
            notebook = folder / f"{ex.dir}.ipynb"
            nb = nbformat.read(notebook, as_version=4)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == course.solution_id(
                        ex.files[0]):
                    cell.source = code
            nbformat.write(nb, notebook)
            shutil.copytree(SOLUTIONS / ex.dir, plain / f"student{n:02d}" / ex.dir)
        start = time.perf_counter()
        subprocess.run([*nbgrader, "autograde", ex.dir], cwd=root, env=env, check=True,
                       capture_output=True)
        nb_seconds = (time.perf_counter() - start) / students
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader", "grade", str(plain), "-j", "1",
                        "--csv", str(Path(tmp) / "g.csv"), "--exercise", ex.id],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        our_seconds = (time.perf_counter() - start) / students
    print(f"exercise 01, {students} solved submissions, seconds per submission:")
    print(f"  nbgrader autograde   {nb_seconds:6.2f}")
    print(f"  grader grade -j1     {our_seconds:6.2f}")
    print(f"  ratio nbgrader / grader  {nb_seconds / our_seconds:5.1f}   (aim: >= 8)")


def main() -> int:
    if sys.argv[1:] == ["torch"]:
        conv_bench()
        print()
        lstm_bench()
        return 0
    if sys.argv[1:] == ["watch"]:
        watch_bench()
        return 0
    py = sys.executable
    commands = {
        "grader check 01 (reference)": [py, "-m", "grader", "check", "01", "--submission",
                                        "solutions/01_derivative"],
        "pytest --version": [py, "-m", "pytest", "--version"],
        "grader check 01 --lang ko": [py, "-m", "grader", "check", "01", "--submission",
                                      "solutions/01_derivative", "--lang", "ko"],
    }
    medians = side_by_side(commands)
    print(f"median wall time of {RUNS} runs each, interleaved:")
    for name, seconds in medians.items():
        print(f"  {name:<30} {seconds * 1000:7.0f} ms")
    ratio = medians["grader check 01 (reference)"] / medians["pytest --version"]
    print(f"  ratio check / pytest start-up  {ratio:7.2f}   (aim: <= 2)")
    korean = medians["grader check 01 --lang ko"] / medians["grader check 01 (reference)"]
    print(f"  ratio Korean / English check   {korean:7.2f}   (the catalogs, read once a run)")
    print()
    watch_bench()
    print()
    batch_bench()
    print()
    nbgrader_bench()
    print()
    try:
        import torch  # noqa: F401
    except ImportError:
        print("conv against torch: skipped (pip install -e '.[bench]' brings torch)")
        return 0
    # Both libraries get 2 threads here (checks run BLAS on one): a fresh process,
    # since the thread count is fixed when numpy loads.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2",
           "MKL_NUM_THREADS": "2"}
    subprocess.run([py, "-m", "grader.bench", "torch"], cwd=ROOT, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
