"""make bench: timings measured side by side in one run, printed as ratios.

A check is the learner's inner loop, so it is compared with the floor any
pytest-based grader pays: starting Python and pytest (`pytest --version`).
Runs alternate between the commands so that both see the same machine load.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

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


def main() -> int:
    py = sys.executable
    commands = {
        "grader check 01 (reference)": [py, "-m", "grader", "check", "01", "--submission",
                                        "solutions/01_derivative"],
        "pytest --version": [py, "-m", "pytest", "--version"],
    }
    medians = side_by_side(commands)
    print(f"median wall time of {RUNS} runs each, interleaved:")
    for name, seconds in medians.items():
        print(f"  {name:<30} {seconds * 1000:7.0f} ms")
    ratio = medians["grader check 01 (reference)"] / medians["pytest --version"]
    print(f"  ratio check / pytest start-up  {ratio:7.2f}   (aim: <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
