# Given, finished, from exercise 17: you do not need to edit this file.
# Generated from solutions/17_lstm/char_lm.py by `make stubs`.
"""A character-level language model: your LSTMLayer learns to write like a text.

It reads a text (by default the English docstrings of Python's own standard
library, which every Python installation has), learns to predict each next
character from the ones before, and prints samples as the loss falls:

    python char_lm.py                      # Python's docstrings
    python char_lm.py --text book.txt      # any text file you have
    python char_lm.py --plot loss.png      # also draw the loss curve

Training: sequences of 25 characters in batches of 32, softmax cross-entropy
on every step, AdaGrad with gradient clipping (as the book does).
"""
import argparse
import importlib
import inspect
import string
from typing import Dict, List, Optional

import numpy as np
from lstm import LSTMLayer
from numpy import ndarray

STDLIB_MODULES = ("collections", "itertools", "functools", "json", "pathlib", "re", "string",
                  "textwrap", "random", "statistics", "fractions", "heapq", "bisect", "csv",
                  "argparse", "datetime", "calendar", "difflib", "shutil", "logging")


def python_docs_text() -> str:
    """The docstrings of some standard-library modules and their members."""
    parts = []
    for name in STDLIB_MODULES:
        module = importlib.import_module(name)
        for obj in [module] + [v for k, v in sorted(vars(module).items()) if not k.startswith("_")]:
            doc = inspect.getdoc(obj) if callable(obj) or obj is module else None
            if doc and doc not in parts:
                parts.append(doc)
    text = "\n\n".join(parts)
    return "".join(ch for ch in text if ch in string.printable)


class CharModel:
    """An LSTMLayer whose outputs are scores for the next character."""

    def __init__(self, text: str, hidden_size: int = 128, seed: int = 0):
        self.chars = sorted(set(text))
        self.index = {ch: i for i, ch in enumerate(self.chars)}
        self.data = np.array([self.index[ch] for ch in text])
        self.layer = LSTMLayer(hidden_size, len(self.chars), weight_scale=0.05, seed=seed)
        self.rng = np.random.default_rng(seed)
        self.cache: Optional[Dict[str, ndarray]] = None

    def one_hot(self, indices: ndarray) -> ndarray:
        return np.eye(len(self.chars))[indices]

    def step(self, seq_len: int = 25, batch: int = 32, lr: float = 0.05,
             clip: float = 5.0) -> float:
        """One batch: forward, softmax cross-entropy, backward, AdaGrad. The loss."""
        starts = self.rng.integers(0, len(self.data) - seq_len - 1, batch)
        idx = starts[:, None] + np.arange(seq_len)
        x, target = self.one_hot(self.data[idx]), self.data[idx + 1]
        scores = self.layer.forward(x)
        scores = scores - scores.max(axis=2, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=2, keepdims=True)
        picked = np.take_along_axis(probs, target[..., None], axis=2)
        loss = float(-np.mean(np.log(picked)))
        grad = (probs - self.one_hot(target)) / (batch * seq_len)
        self.layer.backward(grad)
        if self.cache is None:
            self.cache = {name: np.zeros_like(p["value"]) for name, p in self.layer.params.items()}
        for name, param in self.layer.params.items():
            g = np.clip(param["deriv"], -clip, clip)
            self.cache[name] += g * g
            param["value"] -= lr * g / (np.sqrt(self.cache[name]) + 1e-7)
        return loss

    def sample(self, start: str, length: int = 200, window: int = 25,
               temperature: float = 0.8) -> str:
        """Text that continues start, one character at a time."""
        out = [ch for ch in start if ch in self.index] or [self.chars[0]]
        for _ in range(length):
            recent = np.array([self.index[ch] for ch in out[-window:]])
            scores = self.layer.forward(self.one_hot(recent)[None])[0, -1] / temperature
            probs = np.exp(scores - scores.max())
            out.append(self.chars[self.rng.choice(len(self.chars), p=probs / probs.sum())])
        return "".join(out)


def main(argv: Optional[List[str]] = None) -> List[float]:
    parser = argparse.ArgumentParser(description="Train an LSTM to write like a text.")
    parser.add_argument("--text", metavar="FILE", help="a text file (default: Python's docstrings)")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--every", type=int, default=200, help="print a sample this often")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", metavar="FILE.png", help="draw the loss per step")
    args = parser.parse_args(argv)
    text = open(args.text, encoding="utf-8").read() if args.text else python_docs_text()
    model = CharModel(text, args.hidden, args.seed)
    print(f"{len(text):,} characters, {len(model.chars)} different")
    losses: List[float] = []
    for step in range(1, args.steps + 1):
        losses.append(model.step())
        if step % args.every == 0 or step == args.steps:
            recent = np.mean(losses[-args.every:])
            print(f"\nstep {step}: loss {recent:.3f} (mean of the last {min(step, args.every)})")
            print(model.sample("The "))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(range(1, len(losses) + 1), losses, linewidth=0.8)
        ax.set(xlabel="step", ylabel="cross-entropy per character", title="Character model")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
        print(f"wrote {args.plot}")
    return losses


if __name__ == "__main__":
    main()
