"""Exercise 20: the port to PyTorch.

The networks of exercises 12 (dense, with dropout), 15 (convolutional) and 17
(an LSTM layer) as torch.nn.Modules, functions that load the NumPy versions'
weights into them, and a trainer. torch does the backward passes now: compare
what you wrote by hand with what it computes. Read README.md first.
"""
from typing import Dict, List, Optional

import numpy as np
import torch
from numpy import ndarray
from torch import nn


def tensor(array: ndarray) -> torch.Tensor:
    """A NumPy array as a tensor of the default dtype (float32 unless changed)."""
    return torch.as_tensor(np.asarray(array), dtype=torch.get_default_dtype())


class DenseNet(nn.Module):
    """Exercise 12's network: Linear(n_in, hidden), tanh, dropout that keeps
    keep_prob of the units, then Linear(hidden, n_out) giving logits."""

    def __init__(self, n_in: int = 64, hidden: int = 89, n_out: int = 10,
                 keep_prob: float = 0.8):
        super().__init__()
        ### BEGIN SOLUTION
        self.hidden = nn.Linear(n_in, hidden)
        self.dropout = nn.Dropout(p=1 - keep_prob)  # torch's p is the probability to DROP
        self.out = nn.Linear(hidden, n_out)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION
        return self.out(self.dropout(torch.tanh(self.hidden(x))))
        ### END SOLUTION


def load_dense(module: DenseNet, W1: ndarray, B1: ndarray, W2: ndarray, B2: ndarray) -> None:
    """Copy exercise 12's weights into module: W (n_in, n_out) for X @ W, B (1, n_out).
    nn.Linear computes x @ weight.T + bias, with weight (n_out, n_in) and bias (n_out,)."""
    ### BEGIN SOLUTION
    with torch.no_grad():
        module.hidden.weight.copy_(tensor(W1.T))
        module.hidden.bias.copy_(tensor(B1[0]))
        module.out.weight.copy_(tensor(W2.T))
        module.out.bias.copy_(tensor(B2[0]))
    ### END SOLUTION


class ConvNet(nn.Module):
    """Exercise 15's network: Conv2d(1, channels, kernel, padding kernel // 2, no
    bias), ReLU, dropout keeping keep_prob, flatten, Linear(channels * size * size, n_out)."""

    def __init__(self, channels: int = 16, kernel: int = 3, keep_prob: float = 0.8,
                 size: int = 8, n_out: int = 10):
        super().__init__()
        ### BEGIN SOLUTION
        self.conv = nn.Conv2d(1, channels, kernel, padding=kernel // 2, bias=False)
        self.dropout = nn.Dropout(p=1 - keep_prob)
        self.out = nn.Linear(channels * size * size, n_out)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x is (batch, 1, size, size)."""
        ### BEGIN SOLUTION
        return self.out(torch.flatten(self.dropout(torch.relu(self.conv(x))), 1))
        ### END SOLUTION


def load_conv(module: ConvNet, W_conv: ndarray, W_dense: ndarray, B_dense: ndarray) -> None:
    """Copy exercise 15's weights: W_conv (channels, 1, K, K) is already torch's
    layout; W_dense (channels * size * size, n_out) and B_dense (1, n_out) as in load_dense."""
    ### BEGIN SOLUTION
    with torch.no_grad():
        module.conv.weight.copy_(tensor(W_conv))
        module.out.weight.copy_(tensor(W_dense.T))
        module.out.bias.copy_(tensor(B_dense[0]))
    ### END SOLUTION


class LSTMModel(nn.Module):
    """Exercise 17's LSTMLayer: nn.LSTM(n_in, hidden, batch_first=True), then
    Linear(hidden, n_out) at every step."""

    def __init__(self, n_in: int, hidden: int, n_out: int):
        super().__init__()
        ### BEGIN SOLUTION
        self.lstm = nn.LSTM(n_in, hidden, batch_first=True)
        self.head = nn.Linear(hidden, n_out)
        ### END SOLUTION

    def forward(self, x: torch.Tensor, H_0: Optional[torch.Tensor] = None,
                C_0: Optional[torch.Tensor] = None) -> torch.Tensor:
        """x (batch, sequence, n_in) -> (batch, sequence, n_out); H_0 and C_0
        (batch, hidden), zeros when None."""
        ### BEGIN SOLUTION
        state = None
        if H_0 is not None or C_0 is not None:
            zeros = x.new_zeros(x.shape[0], self.lstm.hidden_size)
            state = ((zeros if H_0 is None else H_0)[None], (zeros if C_0 is None else C_0)[None])
        out, _ = self.lstm(x, state)
        return self.head(out)
        ### END SOLUTION


def load_lstm(module: LSTMModel, params: Dict[str, Dict[str, ndarray]]) -> None:
    """Copy exercise 17's parameters (W_f, B_f, W_i, ..., W_v, B_v; each W_gate is
    (n_in + hidden, hidden) acting on [x, H]) into module. torch stacks the gates as
    (i, f, g, o) = (input, forget, candidate, output): weight_ih_l0 is (4 * hidden, n_in),
    weight_hh_l0 (4 * hidden, hidden), and it adds two biases, bias_ih_l0 and bias_hh_l0."""
    ### BEGIN SOLUTION
    value = {name: p["value"] for name, p in params.items()}
    n_in = module.lstm.input_size
    order = ("i", "f", "c", "o")
    W_x = np.concatenate([value[f"W_{g}"][:n_in].T for g in order])  # rows acting on x
    W_h = np.concatenate([value[f"W_{g}"][n_in:].T for g in order])  # rows acting on H
    with torch.no_grad():
        module.lstm.weight_ih_l0.copy_(tensor(W_x))
        module.lstm.weight_hh_l0.copy_(tensor(W_h))
        module.lstm.bias_ih_l0.copy_(tensor(np.concatenate([value[f"B_{g}"][0] for g in order])))
        module.lstm.bias_hh_l0.zero_()
        module.head.weight.copy_(tensor(value["W_v"].T))
        module.head.bias.copy_(tensor(value["B_v"][0]))
    ### END SOLUTION


def accuracy(model: nn.Module, X: torch.Tensor, labels: torch.Tensor) -> float:
    """The fraction of rows whose highest logit is the label, the model in eval mode
    and without gradients."""
    ### BEGIN SOLUTION
    model.eval()
    with torch.no_grad():
        return float((model(X).argmax(dim=1) == labels).float().mean())
    ### END SOLUTION


def train(model: nn.Module, X_train: ndarray, y_train: ndarray, X_test: ndarray,
          y_test: ndarray, epochs: int = 20, batch_size: int = 60, lr: float = 0.1,
          final_lr: float = 0.01, momentum: float = 0.9, seed: int = 0,
          device: Optional[str] = None) -> Dict[str, List[float]]:
    """Train model on one-hot targets with cross-entropy on its logits, SGD with
    momentum and a learning rate decaying exponentially from lr to final_lr (the last
    epoch trains with final_lr). Each epoch: model.train(), batches in a new random
    order (a torch.Generator seeded with seed), for each batch zero_grad, loss,
    backward, optimizer step; then the scheduler's step (after the optimizer's);
    then the test accuracy. Runs on CUDA when there is one (or on `device`).
    Returns, per epoch, the learning rate used, the mean training loss and the
    test accuracy."""
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = torch.get_default_dtype()
    model.to(device)
    X = torch.as_tensor(X_train, dtype=dtype, device=device)
    y = torch.as_tensor(np.argmax(y_train, axis=1), device=device)
    X_t = torch.as_tensor(X_test, dtype=dtype, device=device)
    y_t = torch.as_tensor(np.argmax(y_test, axis=1), device=device)
    history: Dict[str, List[float]] = {"lr": [], "train_loss": [], "test_accuracy": []}
    ### BEGIN SOLUTION
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    gamma = (final_lr / lr) ** (1.0 / max(epochs - 1, 1))
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        history["lr"].append(optimizer.param_groups[0]["lr"])
        order = torch.randperm(X.shape[0], generator=generator).to(device)
        losses = []
        for start in range(0, X.shape[0], batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
        history["train_loss"].append(float(np.mean(losses)))
        history["test_accuracy"].append(accuracy(model, X_t, y_t))
    ### END SOLUTION
    return history
