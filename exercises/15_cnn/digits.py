# Given, finished, from exercise 12: you do not need to edit this file.
# Generated from solutions/12_digits/digits.py by `make stubs`.
"""Exercise 12: a network that reads handwritten digits.

Everything so far is given to you finished: operations (06), layers (07), the
trainer (08), Tanh/ReLU/SoftmaxCrossEntropy (09), the optimizers (10), Glorot
initialisation and dropout (11). Choose and assemble the pieces; `train` below
runs them. Run this file to train on scikit-learn's 8x8 digits and see the
accuracy climb; `--plot curves.png` draws the curves, `--mnist DIR` trains on
MNIST's IDX files if you have them. Read README.md first.
"""
import argparse
from typing import Callable, Dict, List, Tuple

import numpy as np
from numpy import ndarray

from activations import SoftmaxCrossEntropy, Tanh
from init_and_dropout import Dense
from layers import Linear, NeuralNetwork
from optimizers import Optimizer, SGDMomentum
from training import generate_batches, permute_data


def build_network(seed: int = 0) -> NeuralNetwork:
    """A network from 64 pixels to 10 class scores (logits), with a loss that
    suits ten classes. The book's choice: 89 tanh units with Glorot
    initialisation and dropout keeping 80 %, then 10 linear outputs."""
    return NeuralNetwork(
        layers=[Dense(89, Tanh(), dropout=0.8, weight_init="glorot"),
                Dense(10, Linear(), weight_init="glorot")],
        loss=SoftmaxCrossEntropy(),
        seed=seed,
    )


def build_optimizer() -> Optimizer:
    """An optimizer for build_network's network: say SGD with momentum, its
    learning rate decaying over the epochs."""
    return SGDMomentum(lr=0.1, final_lr=0.01, decay_type="exponential", momentum=0.9)


def accuracy(net: NeuralNetwork, X: ndarray, y: ndarray) -> float:
    """The fraction of rows of X whose highest score is the true class, the
    network in inference mode. y is one-hot."""
    scores = net.forward(X, inference=True)
    return float(np.mean(np.argmax(scores, axis=1) == np.argmax(y, axis=1)))


def train(X_train: ndarray, y_train: ndarray, X_test: ndarray, y_test: ndarray,
          epochs: int = 20, batch_size: int = 60, seed: int = 0,
          build_network: Callable[[int], NeuralNetwork] = build_network,
          build_optimizer: Callable[[], Optimizer] = build_optimizer,
          ) -> Tuple[NeuralNetwork, Dict[str, List[float]]]:
    """Train build_network(seed) with build_optimizer(); the network and, per epoch,
    the mean training loss, the test loss and the test accuracy."""
    net, optim = build_network(seed), build_optimizer()
    optim.net = net
    optim._setup_decay(epochs)
    rng = np.random.default_rng(seed)
    history: Dict[str, List[float]] = {"train_loss": [], "test_loss": [], "test_accuracy": []}
    for _ in range(epochs):
        losses = []
        for X_batch, y_batch in generate_batches(*permute_data(X_train, y_train, rng),
                                                 batch_size):
            losses.append(net.train_batch(X_batch, y_batch))
            optim.step()
        optim._decay_lr()
        history["train_loss"].append(float(np.mean(losses)))
        history["test_loss"].append(net.loss.forward(net.forward(X_test, inference=True),
                                                     y_test))
        history["test_accuracy"].append(accuracy(net, X_test, y_test))
    return net, history


def plot_history(history: Dict[str, List[float]], path: str) -> None:
    """Loss and accuracy per epoch, side by side, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(epochs, history["train_loss"], label="training")
    left.plot(epochs, history["test_loss"], label="test")
    left.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
    left.legend()
    right.plot(epochs, history["test_accuracy"], color="tab:green")
    right.set(xlabel="epoch", ylabel="test accuracy", title="Accuracy")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: List[str] = None) -> None:
    parser = argparse.ArgumentParser(description="Train the network on handwritten digits.")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", metavar="FILE.png", help="draw loss and accuracy per epoch")
    parser.add_argument("--mnist", metavar="DIR", help="train on MNIST's IDX files in DIR")
    args = parser.parse_args(argv)
    from grader.data import digits_split, mnist_split

    data = mnist_split(args.mnist) if args.mnist else digits_split()
    net, history = train(*data, epochs=args.epochs, seed=args.seed)
    for epoch, (loss, acc) in enumerate(zip(history["test_loss"], history["test_accuracy"],
                                            strict=True), 1):
        print(f"epoch {epoch:3d}   test loss {loss:.4f}   test accuracy {acc:.3f}")
    if args.plot:
        plot_history(history, args.plot)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
