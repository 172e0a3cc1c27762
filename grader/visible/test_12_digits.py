"""Visible checks for exercise 12: shapes and a worked example, no reference needed.

These ship to students (`make release`); the hidden graders in grader/checks go
further (they train the network). Values written in here were worked out by hand.
"""
import numpy as np

from grader import N_, assert_close, check, fail, tr


class Scores:
    """Stands in for a network: forward gives fixed scores and notes `inference`."""

    def __init__(self, scores):
        self.scores = scores
        self.inference = []

    def forward(self, X, inference=False):
        self.inference.append(float(inference))
        return self.scores


@check("build_network maps rows of 64 pixels to 10 class scores", points=1,
       hint=("The last layer is Dense(10) with a Linear activation: one score (logit) per "
             "digit, for any number of rows, in training and at inference."))
def test_visible_network_shape(ex):
    X = ex.rng.standard_normal((5, 64))

    def probe(m, X):
        net = m.build_network(0)
        return {"inference": net.forward(X, inference=True), "training": net.forward(X)}

    got = ex.learner(probe, X)
    for mode, name in (("inference", N_("inference")), ("training", N_("training"))):
        scores = got[mode]
        if scores.shape != (5, 10):
            fail(tr("build_network(0).forward(X) ({mode}) for 5 rows of 64 pixels has shape "
                    "{shape}; expected (5, 10): one score per digit.").format(
                        mode=tr(name), shape=scores.shape))
        if not np.all(np.isfinite(scores)):
            fail(tr("build_network(0).forward(X) ({mode}) gives NaN or infinite scores.")
                 .format(mode=tr(name)))


@check("build_network(seed) is seeded; build_optimizer makes a new optimizer each call",
       points=1,
       hint=("Pass seed on: NeuralNetwork(layers=..., loss=..., seed=seed), so the same seed "
             "gives the same starting weights and another seed other ones. build_optimizer "
             "returns a new optimizer from exercise 10 (train sets its net), such as "
             "SGDMomentum(lr=0.1, ...)."))
def test_visible_seeded(ex):
    X = ex.rng.standard_normal((6, 64))

    def probe(m, X):
        import optimizers

        scores = {"seed 0": m.build_network(0).forward(X, inference=True),
                  "seed 0 again": m.build_network(0).forward(X, inference=True),
                  "seed 1": m.build_network(1).forward(X, inference=True)}
        first, second = m.build_optimizer(), m.build_optimizer()
        return {**scores, "new": float(first is not second),
                "decays": float(isinstance(first, optimizers.Optimizer)),
                "lr": float(first.lr)}

    got = ex.learner(probe, X)
    assert_close(got["seed 0 again"], got["seed 0"], tr("a second build_network(0)'s scores "
                 "(expected: the same as the first's)"), rtol=0.0, atol=0.0)
    if got["seed 1"].shape == got["seed 0"].shape and np.array_equal(got["seed 1"],
                                                                      got["seed 0"]):
        fail(tr("build_network(1) gives the same scores as build_network(0): the seed is not "
                "passed on to NeuralNetwork."))
    if not got["new"]:
        fail(tr("build_optimizer() returned the same object twice: make a new optimizer on "
                "each call."))
    if not got["decays"]:
        fail(tr("build_optimizer() does not return an optimizer of exercise 10 (optimizers.py): "
                "train calls its _setup_decay and _decay_lr."))
    if not got["lr"] > 0:
        fail(tr("build_optimizer()'s learning rate is {lr:g}; it must be above 0.").format(
            lr=float(got["lr"])))


@check("worked example: accuracy is the fraction of rows whose highest score is the true digit",
       points=1,
       hint=("np.argmax(scores, axis=1) is each row's predicted digit, np.argmax(y, axis=1) "
             "the true one; 4 right of 6 is 0.6667. Measure with net.forward(X, "
             "inference=True) so dropout is off."))
def test_visible_accuracy(ex):
    predicted = np.array([3, 7, 0, 9, 4, 1])
    scores = np.eye(10)[predicted] * 2.0 - 0.5  # each row's highest score is at `predicted`
    y = np.eye(10)[[3, 7, 1, 9, 4, 2]]  # rows 0, 1, 3 and 4 right

    def probe(m, scores, y):
        net = Scores(scores)
        return {"accuracy": m.accuracy(net, np.zeros((6, 64)), y),
                "inference": np.array(net.inference)}

    got = ex.learner(probe, scores, y)
    assert_close(got["accuracy"], 4 / 6, tr("accuracy(net, X, y) with 4 of 6 rows right"),
                 suspects={tr("the fraction of wrong rows"): 2 / 6})
    if not (got["inference"].size and np.all(got["inference"] == 1.0)):
        fail(tr("accuracy called net.forward without inference=True: dropout stays on while "
                "you measure."))
