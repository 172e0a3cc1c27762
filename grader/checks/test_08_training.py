"""Checks for exercise 08: SGD, permute_data, generate_batches and Trainer.fit.

Most checks hand the learner's Trainer a stand-in network (`SpyNet`) that
records what is done to it, so a check can say exactly which step went wrong.
The last one trains a real network (exercises 06 and 07, given finished) on
scikit-learn's diabetes data and compares the run with the reference's.
"""
import numpy as np

from grader import assert_close, check, fail, tr
from grader.data import diabetes_split


class SpyLoss:
    def forward(self, prediction, target):
        return float(np.mean(prediction))


class SpyNet:
    """Records the batches it is trained on; its test loss after b batches is
    test_loss[b] (a dict), reported through forward and loss.forward."""

    def __init__(self, test_loss=None):
        self.test_loss = test_loss or {}
        self.loss = SpyLoss()
        self.batches = 0
        self.log = []  # ("train", first column of X, first column of y) and ("step",)

    def train_batch(self, X_batch, y_batch):
        self.batches += 1
        self.log.append(("train", X_batch[:, 0].tolist(), y_batch[:, 0].tolist()))
        return 0.0

    def forward(self, X, inference=False):
        self.log.append(("forward", inference))
        return np.full((X.shape[0], 1), self.test_loss.get(self.batches, 1.0 / self.batches))


class SpyOptimizer:
    def __init__(self):
        self.net = None
        self.setups = []

    def step(self):
        self.net.log.append(("step",))

    def _setup_decay(self, max_epochs):
        self.setups.append(max_epochs)

    def _decay_lr(self):
        self.net.log.append(("decay",))


def numbered(n):
    """X whose first column numbers the rows, and y = the same numbers + 1000."""
    X = np.column_stack([np.arange(n, dtype=float), np.ones(n)])
    return X, (X[:, :1] + 1000.0)


def fit_log(m, n, epochs, eval_every, batch_size, seed, test_loss=None):
    """Run the learner's Trainer.fit on a SpyNet; what happened, as arrays."""
    net = SpyNet(test_loss)
    optim = SpyOptimizer()
    trainer = m.Trainer(net, optim)
    X, y = numbered(n)
    trainer.fit(X, y, X[:3], y[:3], epochs=epochs, eval_every=eval_every,
                batch_size=batch_size, seed=seed)
    rows = [row for event in net.log if event[0] == "train" for row in event[1]]
    targets = [t for event in net.log if event[0] == "train" for t in event[2]]
    steps_after_train = [i for i, e in enumerate(net.log[1:], 1)
                         if e[0] == "step" and net.log[i - 1][0] == "train"]
    return {
        "rows": np.array(rows), "targets": np.array(targets),
        "trains": sum(e[0] == "train" for e in net.log),
        "steps": sum(e[0] == "step" for e in net.log),
        "steps_after_train": len(steps_after_train),
        "eval_epochs": np.array([epoch for epoch, _ in trainer.evaluations], dtype=float),
        "eval_losses": np.array([loss for _, loss in trainer.evaluations], dtype=float),
        "net_batches": trainer.net.batches,
        "decays": sum(e[0] == "decay" for e in net.log),
        "decay_after_epoch": sum(e[0] == "decay" and net.log[i - 1][0] == "step"
                                 for i, e in enumerate(net.log[1:], 1)),
        "setups": np.array(optim.setups, dtype=float),
        "forward_inference": np.array([e[1] for e in net.log if e[0] == "forward"], dtype=float),
        "best_epoch": trainer.best_epoch,
    }


@check("SGD.step updates every parameter in place: param -= lr * grad", points=2,
       hint=("Loop over zip(self.net.params(), self.net.param_grads()) and write "
             "param -= self.lr * grad: `param = param - ...` makes a new array and leaves the "
             "network's own unchanged."))
def test_sgd(ex):
    params = [ex.rng.standard_normal((3, 2)), ex.rng.standard_normal((1, 2))]
    grads = [ex.rng.standard_normal((3, 2)), ex.rng.standard_normal((1, 2))]

    def probe(m, params, grads):
        class Net:
            def params(self):
                yield from params

            def param_grads(self):
                yield from grads

        sgd = m.SGD(lr=0.1)
        sgd.net = Net()
        sgd.step()
        return {"W": params[0], "B": params[1]}  # the network's own arrays, after the step

    got, want = ex.both(probe, params, grads)
    for i, name in enumerate(("W", "B")):
        assert_close(got[name], want[name],
                     tr("the network's {name} after SGD(lr=0.1).step()").format(name=name),
                     suspects={
                         tr("the parameter before the step: the network's arrays did not "
                            "change (a new array was bound to a name?)"): params[i],
                         tr("param + lr * grad: the step goes uphill"):
                             params[i] + 0.1 * grads[i],
                         tr("param - grad: lr is not used"): params[i] - grads[i],
                     })


@check("permute_data shuffles X and y together, with rng.permutation", points=2,
       hint=("Make one permutation, perm = rng.permutation(X.shape[0]), and return "
             "X[perm], y[perm]: shuffling each with its own permutation breaks the pairs."))
def test_permute_data(ex):
    X, y = numbered(12)

    def probe(m, X, y, seed):
        X2, y2 = m.permute_data(X, y, np.random.default_rng(seed))
        return {"X": X2, "y": y2}

    got, want = ex.both(probe, X, y, ex.seed)
    if got["X"].shape == X.shape and got["y"].shape == y.shape and not np.array_equal(
            got["y"][:, 0], got["X"][:, 0] + 1000):
        fail(tr("after permute_data, the rows of X and y no longer pair up: X and y were "
                "shuffled with different permutations."))
    assert_close(got["X"], want["X"], tr("permute_data(X, y, rng)'s X"), suspects={
        tr("X unshuffled"): X})


@check("generate_batches covers every row once, the last batch partial", points=1,
       hint=("range(0, n, size) gives the start of each batch; X[start:start + size] is "
             "shorter at the end, and that last partial batch must be kept."))
def test_generate_batches(ex):
    X, y = numbered(10)

    def probe(m, X, y):
        batches = list(m.generate_batches(X, y, 4))
        return {"sizes": [len(b[0]) for b in batches],
                "X": np.concatenate([b[0] for b in batches]),
                "y": np.concatenate([b[1] for b in batches])}

    got = ex.learner(probe, X, y)
    assert_close(got["sizes"], np.array([4, 4, 2]), tr("the batch sizes for 10 rows, size 4"),
                 suspects={tr("[4, 4]: the last partial batch is dropped"): np.array([4, 4])})
    assert_close(got["X"], X, tr("the batches' rows, in order"))
    assert_close(got["y"], y, tr("the batches' targets, in order"))


@check("Trainer.fit trains on every batch, then steps the optimizer", points=2,
       hint=("Each epoch: shuffle, then for every batch net.train_batch(X_batch, y_batch) "
             "followed by self.optim.step()."))
def test_fit_trains_every_batch(ex):
    got, want = ex.both(fit_log, 10, 3, 10, 4, ex.seed)
    assert_close(got["trains"], want["trains"], tr("the number of train_batch calls in 3 "
                 "epochs of 10 rows, batch size 4"), suspects={
                     tr("2 an epoch: the last partial batch is dropped"): 6})
    assert_close(got["steps"], want["steps"], tr("the number of optimizer steps"))
    assert_close(got["steps_after_train"], want["steps"],
                 tr("optimizer steps that directly follow a train_batch"))


@check("Trainer.fit decays the learning rate once an epoch, evaluates in inference mode",
       points=1,
       hint=("After each epoch's batches call self.optim._decay_lr() (once, not after every "
             "batch), and evaluate with self.net.forward(X_test, inference=True)."))
def test_fit_decay_and_inference(ex):
    got = ex.learner(fit_log, 10, 4, 2, 5, ex.seed)
    assert_close(got["setups"], np.array([4.0]), tr("the max_epochs given to _setup_decay"))
    assert_close(got["decays"], 4, tr("the number of _decay_lr calls in 4 epochs"), suspects={
        tr("one a batch (2 batches an epoch): decay once an epoch"): 8})
    assert_close(got["decay_after_epoch"], 4,
                 tr("_decay_lr calls right after an epoch's last step"))
    assert_close(got["forward_inference"], np.ones(2), tr("inference in the test evaluations' "
                 "net.forward calls (1 = True)"), suspects={
                     tr("inference=False: dropout would stay on while testing"): np.zeros(2)})


@check("Trainer.fit shuffles X and y together, anew each epoch, from its seed", points=2,
       hint=("Make rng = np.random.default_rng(seed) once, before the epochs, and call "
             "permute_data(X_train, y_train, rng) at the start of every epoch."))
def test_fit_shuffles(ex):
    got, want = ex.both(fit_log, 12, 3, 10, 5, ex.seed)
    if got["rows"].shape == got["targets"].shape and not np.array_equal(
            got["targets"], got["rows"] + 1000):
        fail(tr("the batches' X rows and y rows no longer pair up: X and y were shuffled "
                "with different permutations."))
    perm = want["rows"][:12].astype(int)  # the first epoch's permutation
    again = np.concatenate([perm, perm[perm], perm[perm][perm]])
    assert_close(got["rows"], want["rows"],
                 tr("the order of the rows trained on, over 3 epochs"),
                 suspects={tr("the rows in their original order: no shuffling"):
                           np.tile(np.arange(12.0), 3),
                           tr("the same permutation every epoch: a new rng from the same seed "
                              "each epoch. Make the rng once, before the epochs"): again})


@check("Trainer.fit evaluates after every eval_every-th epoch", points=1,
       hint=("After epoch e (counting from 1), evaluate when e % eval_every == 0: append "
             "(e, test loss) to self.evaluations."))
def test_fit_evaluates(ex):
    got, want = ex.both(fit_log, 10, 9, 3, 5, ex.seed)  # the test loss falls all along
    assert_close(got["eval_epochs"], want["eval_epochs"],
                 tr("the epochs in trainer.evaluations (9 epochs, eval_every=3)"), suspects={
                     tr("an evaluation after the first epoch: count epochs from 1, so that "
                        "epoch % eval_every == 0 falls on epochs 3, 6, 9"):
                         np.array([0.0, 3, 6]),
                     tr("the epochs numbered from 0 in trainer.evaluations"):
                         np.array([2.0, 5, 8]),
                     tr("an evaluation every epoch"): np.arange(1.0, 10.0)})
    assert_close(got["eval_losses"], want["eval_losses"], tr("the test losses in "
                 "trainer.evaluations"))


@check("Trainer.fit stops early and keeps the best network", points=2,
       hint=("When a test loss is the best so far, keep deepcopy(self.net) and the epoch. "
             "When it is worse, set self.net to that best copy and stop. (The book's copy is "
             "taken one epoch before the evaluation.)"))
def test_fit_early_stopping(ex):
    # 10 rows in batches of 5: 2 batches an epoch; evaluations after epochs 2, 4, 6.
    test_loss = {4: 5.0, 8: 3.0, 12: 4.0, 16: 2.0}

    got, want = ex.both(fit_log, 10, 8, 2, 5, ex.seed, test_loss)
    assert_close(got["eval_epochs"], want["eval_epochs"], tr("the epochs evaluated before "
                 "stopping (test losses 5, 3, then 4)"), suspects={
                     tr("training went on after the test loss rose"): np.array([2.0, 4, 6, 8])})
    assert_close(got["best_epoch"], want["best_epoch"], "trainer.best_epoch")
    assert_close(got["net_batches"], want["net_batches"], tr("the batches trainer.net had been "
                 "trained on when fit returned (the best network: epoch 4, 8 batches)"),
                 suspects={
                     tr("the network from epoch 5, one epoch before the failed evaluation "
                        "(the book's bug)"): 10,
                     tr("the last network: the best one was not restored"): 12})


@check("training a real network on the diabetes data matches the reference", points=3,
       timeout=10,
       hint=("Trainer.fit must follow its docstring exactly: one rng from seed, a shuffle "
             "each epoch, every batch trained and stepped, an evaluation every eval_every "
             "epochs, and the best network kept."))
def test_fit_diabetes(ex):
    X_train, y_train, X_test, y_test = diabetes_split()

    def probe(m, X_train, y_train, X_test, y_test, seed):
        import layers

        net = layers.NeuralNetwork(
            [layers.Dense(13), layers.Dense(1, layers.Linear())],
            layers.MeanSquaredError(), seed=seed)
        trainer = m.Trainer(net, m.SGD(lr=0.01))
        trainer.fit(X_train, y_train, X_test, y_test, epochs=40, eval_every=5,
                    batch_size=23, seed=seed)
        prediction = trainer.net.forward(X_test)
        return {"mae": np.mean(np.abs(prediction - y_test)),
                "eval_losses": np.array([loss for _, loss in trainer.evaluations])}

    got, want = ex.both(probe, X_train, y_train, X_test, y_test, ex.seed)
    assert_close(got["eval_losses"], want["eval_losses"], tr("the test losses evaluated during "
                 "fit (every 5 epochs of 40)"), rtol=1e-6)
    baseline = float(np.mean(np.abs(y_test - y_train.mean())))
    if not got["mae"] < 0.8 * baseline:
        fail(tr("the trained network's mean absolute error on the test data is "
                "{mae:.1f}: predicting the training mean everywhere gives "
                "{baseline:.1f}, and a trained network should beat it by 20%.").format(
                    mae=float(got["mae"]), baseline=baseline))
