"""Visible checks for exercise 08: worked examples on stand-ins, no reference needed.

The Trainer check hands Trainer.fit a stand-in network (`SpyNet`) that records
what is done to it; its test loss is chosen per evaluation, so the run's
evaluations, its early stop and the network it keeps are known in advance.
"""
import numpy as np

from grader import assert_close, check, tr


class Net:
    """A stand-in network whose params() and param_grads() yield the given arrays."""

    def __init__(self, params, grads):
        self.arrays, self.grads = params, grads

    def params(self):
        yield from self.arrays

    def param_grads(self):
        yield from self.grads


class SpyLoss:
    def forward(self, prediction, target):
        return float(np.mean(prediction))


class SpyNet:
    """Records what it is asked to do; its test loss after b batches is test_loss[b]."""

    def __init__(self, test_loss):
        self.test_loss = test_loss
        self.loss = SpyLoss()
        self.batches = 0
        self.log = []

    def train_batch(self, X_batch, y_batch):
        self.batches += 1
        self.log.append("train")
        return 0.0

    def forward(self, X, inference=False):
        self.log.append("forward" if inference else "forward, inference=False")
        return np.full((X.shape[0], 1), self.test_loss.get(self.batches, 1.0 / self.batches))


class SpyOptimizer:
    def __init__(self):
        self.net = None

    def step(self):
        self.net.log.append("step")

    def _setup_decay(self, max_epochs):
        pass

    def _decay_lr(self):
        self.net.log.append("decay")


@check("worked example: SGD(lr=0.5).step() changes the network's own arrays", points=1,
       hint=("For each pair from zip(self.net.params(), self.net.param_grads()): "
             "param -= self.lr * grad, in place. `param = param - ...` leaves the network's "
             "arrays unchanged."))
def test_visible_sgd(ex):
    params = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -0.5]])]
    grads = [np.array([[1.0, 0.0], [-1.0, 2.0]]), np.array([[2.0, 2.0]])]

    def probe(m, params, grads):
        sgd = m.SGD(lr=0.5)
        sgd.net = Net(params, grads)
        sgd.step()
        return {"W": params[0], "B": params[1]}

    got = ex.learner(probe, params, grads)
    assert_close(got["W"], np.array([[0.5, 2.0], [3.5, 3.0]]),
                 tr("the network's W after the step"), suspects={
                     tr("W before the step: the network's array did not change"): params[0]})
    assert_close(got["B"], np.array([[-0.5, -1.5]]), tr("the network's B after the step"),
                 suspects={
                     tr("B before the step: the network's array did not change"): params[1]})


@check("permute_data keeps X and y paired; generate_batches covers every row once", points=1,
       hint=("permute_data: perm = rng.permutation(X.shape[0]), then X[perm], y[perm]. "
             "generate_batches: X[start:start + size] for start in range(0, n, size), the last "
             "batch smaller: 10 rows in batches of 4 are 4, 4 and 2 rows."))
def test_visible_permute_and_batches(ex):
    X = np.column_stack([np.arange(10.0), np.ones(10)])
    y = X[:, :1] + 1000.0

    def probe(m, X, y, seed):
        X2, y2 = m.permute_data(X, y, np.random.default_rng(seed))
        batches = list(m.generate_batches(X, y, 4))
        return {"X": X2, "y": y2, "sizes": [len(b[0]) for b in batches],
                "batch_X": np.concatenate([b[0] for b in batches]),
                "batch_y": np.concatenate([b[1] for b in batches])}

    got = ex.learner(probe, X, y, ex.seed)
    perm = np.random.default_rng(ex.seed).permutation(10)
    assert_close(got["X"], X[perm], tr("permute_data(X, y, rng)'s X, rows numbered 0 to 9 "
                 "(expected: X[rng.permutation(10)])"), suspects={tr("X unshuffled"): X})
    assert_close(got["y"], y[perm], tr("permute_data(X, y, rng)'s y (expected: y[perm], the "
                 "same permutation as X)"), suspects={tr("y unshuffled"): y})
    assert_close(got["sizes"], np.array([4, 4, 2]), tr("the batch sizes of generate_batches "
                 "for 10 rows, size 4"), suspects={tr("[4, 4]: the last batch is dropped"):
                                                   np.array([4, 4])})
    assert_close(got["batch_X"], X, tr("the batches' X rows, in order"))
    assert_close(got["batch_y"], y, tr("the batches' y rows, in order"))


@check("worked example: Trainer.fit trains, steps, evaluates every 2 epochs, stops early",
       points=1,
       hint=("Each epoch (counting from 1): every batch is train_batch then optim.step(); then "
             "optim._decay_lr(). After epochs 2, 4, 6, ... append (epoch, test loss) to "
             "self.evaluations, the loss from self.net.forward(X_test, inference=True). When a "
             "test loss is not the best so far, self.net becomes the copy saved at the best "
             "evaluation, and fit stops."))
def test_visible_fit(ex):
    # 10 rows in batches of 5: 2 batches an epoch, so after epochs 2, 4, 6 the network has
    # seen 4, 8, 12 batches, and its test losses are 5, 3, then 4: the best is epoch 4.
    test_loss = {4: 5.0, 8: 3.0, 12: 4.0, 16: 2.0}

    def probe(m, test_loss, seed):
        net, optim = SpyNet(test_loss), SpyOptimizer()
        trainer = m.Trainer(net, optim)
        X = np.column_stack([np.arange(10.0), np.ones(10)])
        trainer.fit(X, X[:, :1], X[:3], X[:3, :1], epochs=8, eval_every=2, batch_size=5,
                    seed=seed)
        log = net.log
        return {
            "trains": log.count("train"), "steps": log.count("step"),
            "steps_after_train": sum(a == "train" and b == "step"
                                     for a, b in zip(log, log[1:], strict=False)),
            "decays": log.count("decay"),
            "inference": log.count("forward"), "no_inference": log.count(
                "forward, inference=False"),
            "eval_epochs": [float(e) for e, _ in trainer.evaluations],
            "eval_losses": [float(loss) for _, loss in trainer.evaluations],
            "best_epoch": trainer.best_epoch, "net_batches": trainer.net.batches,
        }

    got = ex.learner(probe, test_loss, ex.seed)
    assert_close(got["eval_epochs"], np.array([2.0, 4.0, 6.0]), tr("the epochs in "
                 "trainer.evaluations (8 epochs, eval_every=2; the test loss rises at epoch 6)"),
                 suspects={tr("training went on after the test loss rose"):
                           np.array([2.0, 4.0, 6.0, 8.0]),
                           tr("epochs counted from 0: count from 1, so that evaluations come "
                              "after epochs 2, 4, 6"): np.array([0.0, 2.0, 4.0, 6.0])})
    assert_close(got["eval_losses"], np.array([5.0, 3.0, 4.0]), tr("the test losses in "
                 "trainer.evaluations"))
    assert_close(got["trains"], 12,
                 tr("the number of train_batch calls in 6 epochs of 2 batches"))
    assert_close(got["steps_after_train"], 12,
                 tr("the optimizer steps right after a train_batch"))
    assert_close(got["steps"], 12, tr("the number of optimizer steps"))
    assert_close(got["decays"], 6, tr("the number of _decay_lr calls in 6 epochs"))
    assert_close(got["no_inference"], 0, tr("test evaluations with net.forward(X_test) not in "
                 "inference mode (expected: inference=True every time)"))
    assert_close(got["inference"], 3, tr("the calls of net.forward(X_test, inference=True)"))
    assert_close(got["best_epoch"], 4, "trainer.best_epoch")
    assert_close(got["net_batches"], 8, tr("the batches trainer.net had been trained on when "
                 "fit returned (the best network, evaluated at epoch 4 after 8 batches)"),
                 suspects={
                     tr("the network of epoch 5, one epoch before the failed evaluation"): 10,
                     tr("the last network: the best one was not restored"): 12})
