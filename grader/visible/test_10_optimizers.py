"""Visible checks for exercise 10: worked examples on a stand-in network, no reference needed.

The optimizers step a stand-in network (`Net`) whose params() and param_grads()
yield arrays the probe holds. The decay checks drive an optimizer as
Trainer.fit does: _setup_decay(epochs) once, then _decay_lr() after every
epoch. The values were worked out by hand.
"""
import numpy as np

from grader import N_, assert_close, check, tr


class Net:
    """A stand-in network: params() yields the arrays it holds; param_grads() yields the
    gradients of step `t`."""

    def __init__(self, params, grads):
        self.arrays, self.grads, self.t = params, grads, 0

    def params(self):
        yield from self.arrays

    def param_grads(self):
        yield from self.grads[self.t]


def lr_run(m, decay_type, lr, final_lr, epochs):
    """lr at the start of each epoch, then once more after the run's last _decay_lr()."""
    optim = m.SGD(lr=lr, final_lr=final_lr, decay_type=decay_type)
    optim._setup_decay(epochs)
    seen = []
    for _ in range(epochs):
        seen.append(float(optim.lr))
        optim._decay_lr()
    return seen + [float(optim.lr)]


@check("worked example: SGD, and three SGDMomentum(momentum=0.5) steps with lr 0.1, 0.1, 0.05",
       points=1,
       hint=("SGD: param -= lr * grad. SGDMomentum: one zero velocity per parameter, made on the "
             "first step and kept; each step velocity = momentum * velocity + self.lr * grad, "
             "then param -= velocity, in place. Here the first parameter moves to [[0.9, 2.1]], "
             "[[0.75, 2.25]], [[0.675, 2.225]]."))
def test_visible_steps(ex):
    params = [np.array([[1.0, 2.0]]), np.array([[0.0]])]
    grads = [[np.array([[1.0, -1.0]]), np.array([[2.0]])],
             [np.array([[1.0, -1.0]]), np.array([[-2.0]])],
             [np.array([[0.0, 2.0]]), np.array([[2.0]])]]

    def probe(m, params, grads):
        sgd_params = [p.copy() for p in params]
        sgd = m.SGD(lr=0.1)
        sgd.net = Net(sgd_params, grads)
        sgd.step()
        net = Net(params, grads)
        optim = m.SGDMomentum(lr=0.1, momentum=0.5)
        optim.net = net
        path = {"p0": [], "p1": []}
        for t, lr in enumerate([0.1, 0.1, 0.05]):  # lr falls before the last step, as decay does
            net.t = t
            optim.lr = lr
            optim.step()
            path["p0"].append(params[0][0].copy())
            path["p1"].append(params[1][0].copy())
        return {"sgd0": sgd_params[0], "sgd1": sgd_params[1], **path}

    got = ex.learner(probe, params, grads)
    assert_close(got["sgd0"], np.array([[0.9, 2.1]]), tr("the first parameter after "
                 "SGD(lr=0.1).step()"), suspects={
                     tr("the parameter before the step: update it in place, "
                        "param -= self.lr * grad"): params[0]})
    assert_close(got["sgd1"], np.array([[-0.2]]),
                 tr("the second parameter after SGD(lr=0.1).step()"))
    suspects = {
        tr("plain SGD: make the velocities once, on the first step, and keep them"):
            (np.array([[0.9, 2.1], [0.8, 2.2], [0.8, 2.1]]), np.array([[-0.2], [0.0], [-0.1]])),
        tr("velocity = momentum * velocity + grad, then param -= lr * velocity: lr belongs in "
           "the velocity"): (np.array([[0.9, 2.1], [0.75, 2.25], [0.7125, 2.1875]]),
                             np.array([[-0.2], [-0.1], [-0.175]])),
        tr("momentum 0.9, the default, instead of self.momentum"):
            (np.array([[0.9, 2.1], [0.71, 2.29], [0.539, 2.361]]),
             np.array([[-0.2], [-0.18], [-0.262]])),
        tr("velocity = velocity + lr * grad: the velocity is never multiplied by momentum"):
            (np.array([[0.9, 2.1], [0.7, 2.3], [0.5, 2.4]]), np.array([[-0.2], [-0.2], [-0.3]])),
    }
    want = (np.array([[0.9, 2.1], [0.75, 2.25], [0.675, 2.225]]),
            np.array([[-0.2], [-0.1], [-0.15]]))
    whats = (N_("the first parameter after each of 3 SGDMomentum steps (a row a step)"),
             N_("the second parameter after each of 3 SGDMomentum steps (a row a step)"))
    for i, what in enumerate(whats):
        assert_close(got[f"p{i}"], want[i], tr(what),
                     suspects={text: paths[i] for text, paths in suspects.items()})


@check("worked example: linear decay from 0.1 to 0.01 over 4 epochs", points=1,
       hint=("The last epoch comes after max_epochs - 1 = 3 decays, so decay_per_epoch = "
             "(0.1 - 0.01) / 3 = 0.03 and the epochs train with 0.1, 0.07, 0.04, 0.01. _decay_lr "
             "never goes below final_lr: lr = max(lr - decay_per_epoch, final_lr)."))
def test_visible_linear_decay(ex):
    got = ex.learner(lr_run, "linear", 0.1, 0.01, 4)
    assert_close(got, np.array([0.1, 0.07, 0.04, 0.01, 0.01]),
                 tr("lr at the start of each of 4 epochs, then after the last _decay_lr()"),
                 suspects={
                     tr("final_lr never reached: (lr - final_lr) / max_epochs; divide by "
                        "max_epochs - 1"): np.array([0.1, 0.0775, 0.055, 0.0325, 0.01]),
                     tr("lr going below final_lr after the last epoch: stop at final_lr"):
                         np.array([0.1, 0.07, 0.04, 0.01, -0.02]),
                     tr("lr never decays"): np.full(5, 0.1),
                 })


@check("worked example: exponential decay from 0.08 to 0.01 over 4 epochs; None leaves lr",
       points=1,
       hint=("decay_per_epoch = (final_lr / lr) ** (1 / (max_epochs - 1)) = (1/8) ** (1/3) = 0.5, "
             "so the epochs train with 0.08, 0.04, 0.02, 0.01, and lr = max(lr * "
             "decay_per_epoch, final_lr) stays at 0.01. With decay_type None, lr never changes."))
def test_visible_exponential_decay(ex):
    got = ex.learner(lambda m: {"exponential": lr_run(m, "exponential", 0.08, 0.01, 4),
                                "none": lr_run(m, None, 0.08, 0.01, 4)})
    assert_close(got["exponential"], np.array([0.08, 0.04, 0.02, 0.01, 0.01]),
                 tr("lr at the start of each of 4 epochs, then after the last _decay_lr() "
                    "(decay_type='exponential')"), suspects={
                     tr("lr going below final_lr after the last epoch: stop at final_lr"):
                         np.array([0.08, 0.04, 0.02, 0.01, 0.005]),
                     tr("lr never decays"): np.full(5, 0.08),
                 })
    assert_close(got["none"], np.full(5, 0.08), tr("lr at the start of each of 4 epochs, then "
                 "after the last _decay_lr() (decay_type=None)"))
