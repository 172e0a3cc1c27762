"""Visible checks for exercise 20: worked examples, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further (the CNN and the LSTM, gradients, the trainer, a training run).
"""
import numpy as np

from grader import N_, assert_close, check, fail, tr

try:
    import torch
except ImportError:
    torch = None
else:
    torch.set_num_threads(1)  # workers are forked from this process

NO_TORCH = N_("PyTorch is not installed: pip install -e '.[torch]' (torch 2.13.0).")


def dense_numpy(X, W1, B1, W2, B2):
    return np.tanh(X @ W1 + B1) @ W2 + B2


@check("load_dense: DenseNet in eval mode computes tanh(X W1 + B1) W2 + B2", points=1,
       hint=("nn.Linear keeps its weight as (out, in): copy W.T, and the bias as a 1-D "
             "vector, B[0]. In eval mode dropout does nothing."))
def test_visible_dense_forward(ex):
    if torch is None:
        fail(tr(NO_TORCH))
    normal = ex.rng.standard_normal
    X, W1, B1 = normal((4, 6)), normal((6, 5)), normal((1, 5))
    W2, B2 = normal((5, 3)), normal((1, 3))

    def probe(m, X, W1, B1, W2, B2):
        import torch

        torch.set_default_dtype(torch.float64)
        net = m.DenseNet(6, 5, 3, keep_prob=0.8)
        m.load_dense(net, W1, B1, W2, B2)
        net.eval()
        with torch.no_grad():
            return net(torch.as_tensor(X)).numpy()

    got = ex.learner(probe, X, W1, B1, W2, B2)
    assert_close(got, dense_numpy(X, W1, B1, W2, B2),
                 tr("DenseNet(6, 5, 3) after load_dense, in eval mode"), rtol=1e-9)


@check("DenseNet's dropout drops 1 - keep_prob of the units while training", points=1,
       hint="torch's nn.Dropout(p) DROPS with probability p: keep_prob 0.8 is p = 0.2.")
def test_visible_dense_dropout(ex):
    if torch is None:
        fail(tr(NO_TORCH))

    def probe(m):
        import torch

        torch.manual_seed(0)
        net = m.DenseNet(10, 2000, 3, keep_prob=0.8)
        hidden = {}
        dropouts = [mod for mod in net.modules() if isinstance(mod, torch.nn.Dropout)]
        if not dropouts:
            return -1.0
        dropouts[0].register_forward_hook(lambda mod, inp, out: hidden.update(out=out))
        net.train()
        net(torch.randn(50, 10))
        return float((hidden["out"] == 0).float().mean())

    dropped = float(ex.learner(probe))
    if dropped < 0:
        fail(tr("DenseNet has no nn.Dropout module."))
    if abs(dropped - 0.2) > 0.02:
        fail(tr("while training, dropout zeroed {dropped:.0%} of the hidden units; with "
                "keep_prob 0.8 it should drop about 20 %.").format(dropped=dropped))
