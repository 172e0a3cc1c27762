"""Checks for exercise 10: SGD and SGDMomentum with learning-rate decay.

Most checks hand the learner's optimizer a stand-in network (`Net`) whose
params() and param_grads() yield arrays the probe holds, and record what the
optimizer does to them, step by step. The decay checks simulate a training run
the way Trainer.fit drives an optimizer: _setup_decay(epochs) once, then each
epoch a few step() calls followed by _decay_lr(). The last check trains a real
network with the given Trainer (exercise 08) on the diabetes data.
"""
import numpy as np

from grader import N_, assert_close, check, fail, tr
from grader.data import diabetes_split


class Net:
    """A stand-in network: params() yields the arrays it holds (the optimizer must
    change them in place); param_grads() yields the gradients of step `t`."""

    def __init__(self, params, grads):
        self.arrays = params
        self.grads = grads  # grads[t]: one gradient per parameter, for step t
        self.t = 0

    def params(self):
        yield from self.arrays

    def param_grads(self):
        yield from self.grads[min(self.t, len(self.grads) - 1)]


# --------------------------------------------------------------------------- probes


def momentum_path(m, params, grads, lrs, momentum):
    """SGDMomentum on a Net, one step per entry of lrs (the lr set before that step,
    as decay would set it); each parameter after every step."""
    net = Net(params, grads)
    optim = m.SGDMomentum(lr=lrs[0], momentum=momentum)
    optim.net = net
    path = [[] for _ in params]
    for t, lr in enumerate(lrs):
        net.t = t
        optim.lr = lr
        optim.step()
        for i, param in enumerate(params):
            path[i].append(param.copy())
    return {f"p{i}": np.array(steps) for i, steps in enumerate(path)}


def lr_run(m, decay_type, lr, final_lr, epochs, steps=2, extra=0, optimizer="SGD"):
    """A training run as Trainer.fit makes it: _setup_decay(epochs), then each epoch
    `steps` step() calls and one _decay_lr(). seen[e]: lr at the start of epoch e and
    after each of its steps; after: lr once the run is over, then after `extra` more
    _decay_lr() calls."""
    net = Net([np.ones((2, 3))], [[np.full((2, 3), 0.25)]])
    optim = getattr(m, optimizer)(lr=lr, final_lr=final_lr, decay_type=decay_type)
    optim.net = net
    optim._setup_decay(epochs)
    seen = []
    for _ in range(epochs):
        row = [float(optim.lr)]
        for _ in range(steps):
            optim.step()
            row.append(float(optim.lr))
        seen.append(row)
        optim._decay_lr()
    after = [float(optim.lr)]
    for _ in range(extra):
        optim._decay_lr()
        after.append(float(optim.lr))
    return {"seen": np.array(seen), "after": np.array(after)}


# --------------------------------------------------------------------------- what mistakes give


def momentum_rule(params, grads, lrs, momentum, rule="right"):
    """Each parameter after every step, for SGD with momentum done by `rule`."""
    params = [p.copy() for p in params]
    velocities = [np.zeros_like(p) for p in params]
    shared = np.zeros_like(params[0])
    path = [[] for _ in params]
    for t, lr in enumerate(lrs):
        for i, (param, grad) in enumerate(zip(params, grads[t], strict=True)):
            v = velocities[i]
            if rule == "right":
                v[...] = momentum * v + lr * grad
                param -= v
            elif rule == "sgd":
                param -= lr * grad
            elif rule == "no lr":
                v[...] = momentum * v + grad
                param -= lr * v
            elif rule == "old velocity":
                param -= v
                v[...] = momentum * v + lr * grad
            elif rule == "shared":
                shared[...] = momentum * shared + lr * grad
                param -= shared
            path[i].append(param.copy())
    return [np.array(steps) for steps in path]


def rates(lr, final_lr, per_epoch, decay_type, decays, clamp=True):
    """lr after each number of decays in `decays`, decaying by per_epoch each time."""
    out = []
    for k in decays:
        rate = lr - k * per_epoch if decay_type == "linear" else lr * per_epoch ** k
        out.append(max(rate, final_lr) if clamp else rate)
    return np.array(out, dtype=float)


def draw_run(rng):
    """(lr, final_lr, epochs) of a simulated run."""
    lr = float(rng.uniform(0.05, 0.2))
    return lr, lr * float(rng.uniform(0.05, 0.25)), int(rng.integers(5, 9))


def schedule_suspects(decay_type, lr, final_lr, epochs, steps):
    """Known-wrong learning rates of each epoch of a run."""
    e = np.arange(epochs)
    if decay_type == "linear":
        def per(div):
            return (lr - final_lr) / div
        other = rates(lr, final_lr, (final_lr / lr) ** (1 / (epochs - 1)), "exponential", e)
        other_name = tr("the exponential schedule: linear decay subtracts the same amount "
                        "each epoch")
        early, never = "(lr - final_lr) / (max_epochs - 2)", "(lr - final_lr) / max_epochs"
        fix = tr("divide by max_epochs - 1")
    else:
        def per(div):
            return (final_lr / lr) ** (1 / div)
        other = rates(lr, final_lr, (lr - final_lr) / (epochs - 1), "linear", e)
        other_name = tr("the linear schedule: exponential decay multiplies by the same factor "
                        "each epoch")
        early = tr("the exponent 1 / (max_epochs - 2)")
        never = tr("the exponent 1 / max_epochs")
        fix = tr("take the exponent 1 / (max_epochs - 1)")
    right = per(epochs - 1)
    why = tr("there are max_epochs - 1 decays before the last epoch (one after each epoch but "
             "the last), so {fix}").format(fix=fix)
    suspects = {
        tr("final_lr reached one epoch early: {early}; {why}").format(early=early, why=why):
            rates(lr, final_lr, per(epochs - 2), decay_type, e),
        tr("a decay before the first epoch: the first epoch must train with lr itself and only "
           "the last with final_lr"): rates(lr, final_lr, right, decay_type, e + 1),
        tr("final_lr never reached: {never}; {why}").format(never=never, why=why):
            rates(lr, final_lr, per(epochs), decay_type, e),
        tr("lr decayed after every step() as well ({decays} decays an epoch): decay only in "
           "_decay_lr, which runs once an epoch").format(decays=steps + 1):
            rates(lr, final_lr, right, decay_type, e * (steps + 1)),
        tr("lr never decays: lr stays the same in every epoch"): np.full(epochs, lr),
        other_name: other,
    }
    if decay_type == "exponential":
        suspects[tr("lr falling to final_lr after the first epoch: the factor is far too small. "
                    "It is (final_lr / lr) ** (1 / (max_epochs - 1)): mind the brackets and the "
                    "exponent")] = rates(lr, final_lr, final_lr / lr ** (1 / (epochs - 1)),
                                         decay_type, e)
        suspects[tr("the ratio upside down, (lr / final_lr): lr grows")] = rates(
            lr, final_lr, (lr / final_lr) ** (1 / (epochs - 1)), decay_type, e)
    return suspects


# --------------------------------------------------------------------------- SGD


@check("SGD.step: param -= lr * grad in place, with lr as it is now (after decay too)",
       points=2,
       hint=("Loop over zip(self.net.params(), self.net.param_grads()) and write "
             "param -= self.lr * grad. Read self.lr at every step: decay changes it between "
             "epochs."))
def test_sgd_step(ex):
    params = [ex.rng.standard_normal((3, 2)), ex.rng.standard_normal((1, 2))]
    grads = [[ex.rng.standard_normal(p.shape) for p in params] for _ in range(2)]

    def probe(m, params, grads):
        net = Net(params, grads)
        plain = m.SGD(lr=0.1)
        plain.net = net
        plain.step()
        first = [p.copy() for p in params]
        decaying = m.SGD(lr=0.1, final_lr=0.01, decay_type="linear")
        decaying.net = net
        decaying._setup_decay(4)
        decaying._decay_lr()
        lr = float(decaying.lr)
        net.t = 1
        decaying.step()
        return {"W1": first[0], "B1": first[1], "lr": lr, "W2": params[0], "B2": params[1]}

    got, want = ex.both(probe, params, grads)
    for i, name in enumerate(("W", "B")):
        assert_close(got[f"{name}1"], want[f"{name}1"],
                     tr("the network's {name} after SGD(lr=0.1).step()").format(name=name),
                     suspects={
                         tr("the parameter before the step: the network's arrays did not "
                            "change (a new array was bound to a name?). Update them in place, "
                            "param -= self.lr * grad"): params[i],
                         tr("param + lr * grad: the step goes uphill"):
                             params[i] + 0.1 * grads[0][i],
                         tr("param - grad: lr is not used"): params[i] - grads[0][i],
                     })
    lr = float(got["lr"])
    for i, name in enumerate(("W", "B")):
        before = want[f"{name}1"]
        assert_close(got[f"{name}2"], before - lr * grads[1][i],
                     tr("the network's {name} after a step of SGD(lr=0.1, final_lr=0.01, "
                        "decay_type='linear') whose lr has decayed once (your lr: {lr:.6g})")
                     .format(name=name, lr=lr),
                     suspects={
                         tr("a step with lr = 0.1, the rate before the decay: step with self.lr "
                            "as it is now"): before - 0.1 * grads[1][i],
                         tr("the parameter before the step: the network's arrays did not "
                            "change"): before,
                     })


# --------------------------------------------------------------------------- momentum


@check("SGDMomentum: v = momentum * v + lr * grad, then param -= v, v kept across steps",
       points=3,
       hint=("On the first step only, make self.velocities = one np.zeros_like(param) per "
             "parameter. Then at every step, for each parameter and its velocity: "
             "velocity *= self.momentum; velocity += self.lr * grad; param -= velocity "
             "(all in place)."))
def test_momentum_steps(ex):
    params = [ex.rng.standard_normal((3, 2)), ex.rng.standard_normal((1, 2))]
    lrs = [0.1, 0.1, 0.04, 0.04, 0.04]  # lr falls after two steps, as decay makes it
    grads = [[ex.rng.standard_normal(p.shape) for p in params] for _ in lrs]
    momentum = 0.8

    got, want = ex.both(momentum_path, params, grads, lrs, momentum)
    rules = {
        tr("plain SGD (param -= lr * grad): the velocities start from zero at every step. Make "
           "them once, on the first step, and keep them in self.velocities"): "sgd",
        tr("v = momentum * v + grad, then param -= lr * v: lr belongs in the velocity, "
           "v = momentum * v + lr * grad (the two differ once lr changes, as decay makes it)"):
            "no lr",
        tr("param -= v with the velocity of the step before: update the velocity first, then "
           "param -= v"): "old velocity",
    }
    paths = {text: momentum_rule(params, grads, lrs, momentum, rule)
             for text, rule in rules.items()}
    paths[tr("v = v + lr * grad: the velocity is never multiplied by momentum")] = \
        momentum_rule(params, grads, lrs, 1.0)
    paths[tr("momentum 0.9, the default, instead of self.momentum ({momentum} here)")
          .format(momentum=momentum)] = momentum_rule(params, grads, lrs, 0.9)
    n = len(lrs)
    for i, name in enumerate(("W", "B")):
        start = params[i][None]
        moves = -np.diff(np.concatenate([start, got[f"p{i}"]]), axis=0)
        want_moves = -np.diff(np.concatenate([start, want[f"p{i}"]]), axis=0)
        suspects = {text: -np.diff(np.concatenate([start, path[i]]), axis=0)
                    for text, path in paths.items()}
        suspects[tr("zero: the parameters did not change. Update them in place, "
                    "param -= velocity")] = np.zeros_like(want_moves)
        assert_close(moves, want_moves,
                     tr("the velocity of {name} {shape} at each of {n} steps (how far each "
                        "step moved it; momentum={momentum}, lr at each step {lrs})").format(
                         name=name, shape=params[i].shape, n=n, momentum=momentum, lrs=lrs),
                     suspects=suspects)
        assert_close(got[f"p{i}"], want[f"p{i}"],
                     tr("{name} after each of {n} steps").format(name=name, n=n))


@check("SGDMomentum keeps a separate velocity for each parameter", points=1,
       hint=("Make one velocity per parameter: [np.zeros_like(param) for param in "
             "self.net.params()]. A single array for all of them, or [np.zeros_like(p)] * n "
             "(the same array n times), mixes the parameters' steps."))
def test_momentum_velocity_per_parameter(ex):
    params = [ex.rng.standard_normal((2, 3)), ex.rng.standard_normal((2, 3))]
    lrs = [0.1, 0.1, 0.1]
    grads = [[ex.rng.standard_normal(p.shape) for p in params] for _ in lrs]

    got, want = ex.both(momentum_path, params, grads, lrs, 0.9)
    shared = momentum_rule(params, grads, lrs, 0.9, "shared")
    sgd = momentum_rule(params, grads, lrs, 0.9, "sgd")
    whats = (N_("the first of two parameters of the same shape (2, 3) after each of {n} steps"),
             N_("the second of two parameters of the same shape (2, 3) after each of {n} steps"))
    for i, what in enumerate(whats):
        assert_close(got[f"p{i}"], want[f"p{i}"], tr(what).format(n=len(lrs)), suspects={
            tr("one velocity shared by all the parameters (each parameter's step adds to the "
               "same array): keep one velocity per parameter"): shared[i],
            tr("plain SGD: the velocities start from zero at every step"): sgd[i],
        })


# --------------------------------------------------------------------------- decay


def check_schedule(ex, decay_type):
    lr, final_lr, epochs = draw_run(ex.rng)
    steps = 2
    got, want = ex.both(lr_run, decay_type, lr, final_lr, epochs, steps)
    run = tr("_setup_decay({epochs}), then each epoch {steps} step() calls and _decay_lr(); "
             "lr={lr:.4g}, final_lr={final_lr:.4g}, decay_type={decay_type!r}").format(
                 epochs=epochs, steps=steps, lr=lr, final_lr=final_lr, decay_type=decay_type)
    assert_close(got["seen"][:, 0], want["seen"][:, 0],
                 tr("the lr of each of {epochs} epochs ({run})").format(epochs=epochs, run=run),
                 suspects=schedule_suspects(decay_type, lr, final_lr, epochs, steps))
    assert_close(got["seen"], want["seen"], tr("the lr at the start of each epoch (a row an "
                 "epoch) and after each of its steps"))


@check("linear decay: lr falls by the same amount each epoch, the last epoch at final_lr",
       points=2,
       hint=("The Trainer calls _decay_lr after every epoch, so the last epoch comes after "
             "max_epochs - 1 decays. In _setup_decay: decay_per_epoch = (lr - final_lr) / "
             "(max_epochs - 1); in _decay_lr: lr = max(lr - decay_per_epoch, final_lr)."))
def test_decay_linear(ex):
    check_schedule(ex, "linear")


@check("exponential decay: lr falls by the same factor each epoch, the last epoch at "
       "final_lr", points=2,
       hint=("max_epochs - 1 decays must take lr to final_lr: decay_per_epoch = "
             "(final_lr / lr) ** (1 / (max_epochs - 1)), and _decay_lr does "
             "lr = max(lr * decay_per_epoch, final_lr)."))
def test_decay_exponential(ex):
    check_schedule(ex, "exponential")


@check("the last epoch trains with final_lr, whatever the number of epochs", points=1,
       hint=("With max_epochs epochs there are max_epochs - 1 decays before the last epoch: "
             "divide by max_epochs - 1 (linear), or take the (max_epochs - 1)-th root "
             "(exponential)."))
def test_last_epoch_at_final_lr(ex):
    lr = float(ex.rng.uniform(0.05, 0.2))
    final_lr = lr * float(ex.rng.uniform(0.05, 0.25))
    epochs = (2, 3, 10)

    def probe(m, lr, final_lr, epochs):
        return {kind: [float(lr_run(m, kind, lr, final_lr, n, steps=1)["seen"][-1, 0])
                       for n in epochs] for kind in ("linear", "exponential")}

    got, want = ex.both(probe, lr, final_lr, epochs)
    for kind in ("linear", "exponential"):
        never = np.array([rates(lr, final_lr, (lr - final_lr) / n if kind == "linear"
                                else (final_lr / lr) ** (1 / n), kind, [n - 1])[0]
                          for n in epochs])
        assert_close(got[kind], want[kind], tr(
            "the lr of the last epoch of runs of {counts} epochs (decay_type={kind!r}, "
            "lr={lr:.4g}, final_lr={final_lr:.4g}): final_lr each time").format(
                counts=", ".join(map(str, epochs)), kind=kind, lr=lr, final_lr=final_lr),
            suspects={
                tr("final_lr never reached: the decay is spread over max_epochs epochs, but "
                   "the last epoch comes after max_epochs - 1 decays"): never,
                tr("lr never decays"): np.full(len(epochs), lr),
            })


@check("lr never goes below final_lr, however often _decay_lr is called", points=1,
       hint=("The Trainer calls _decay_lr after the last epoch too, and rounding can "
             "overshoot: lr = max(lr - decay_per_epoch, final_lr), and "
             "max(lr * decay_per_epoch, final_lr)."))
def test_decay_floor(ex):
    lr = float(ex.rng.uniform(0.05, 0.2))
    final_lr = lr * float(ex.rng.uniform(0.05, 0.25))
    epochs, extra = 4, 3
    for kind in ("linear", "exponential"):
        got, want = ex.both(lr_run, kind, lr, final_lr, epochs, 1, extra)
        per = ((lr - final_lr) / (epochs - 1) if kind == "linear"
               else (final_lr / lr) ** (1 / (epochs - 1)))
        decays = np.arange(epochs, epochs + extra + 1)
        assert_close(got["after"], want["after"],
                     tr("lr after a run of {epochs} epochs (decay_type={kind!r}, lr={lr:.4g}, "
                        "final_lr={final_lr:.4g}), then after each of {extra} more _decay_lr() "
                        "calls: final_lr each time").format(
                         epochs=epochs, kind=kind, lr=lr, final_lr=final_lr, extra=extra),
                     suspects={
                         tr("lr going below final_lr: stop at final_lr, max(..., final_lr)"):
                             rates(lr, final_lr, per, kind, decays, clamp=False),
                     })


@check("decay_type None leaves lr unchanged", points=1,
       hint=("Without a decay_type there is no decay: _setup_decay and _decay_lr do nothing, "
             "even when final_lr is given."))
def test_no_decay(ex):
    lr = float(ex.rng.uniform(0.05, 0.2))
    final_lr = lr * float(ex.rng.uniform(0.05, 0.25))
    epochs = 5
    got, want = ex.both(lr_run, None, lr, final_lr, epochs, 2, 2)
    e = np.arange(epochs + 3)
    linear = rates(lr, final_lr, (lr - final_lr) / (epochs - 1), "linear", e)
    exponential = rates(lr, final_lr, (final_lr / lr) ** (1 / (epochs - 1)), "exponential", e)
    seen = np.concatenate([got["seen"][:, 0], got["after"]])
    assert_close(seen, np.concatenate([want["seen"][:, 0], want["after"]]),
                 tr("lr at the start of each of {epochs} epochs, after the run and after 2 more "
                    "_decay_lr() calls (SGD(lr={lr:.4g}, final_lr={final_lr:.4g}, "
                    "decay_type=None))").format(epochs=epochs, lr=lr, final_lr=final_lr),
                 suspects={
                     tr("linear decay: decay_type None must not decay"): linear,
                     tr("exponential decay: decay_type None must not decay"): exponential,
                 })
    assert_close(got["seen"], want["seen"], tr("lr during each epoch's steps"))


@check("lr changes once an epoch, in _decay_lr, never during an epoch's steps", points=1,
       hint=("step() only uses self.lr; the decay belongs in _decay_lr, which the Trainer "
             "calls once after every epoch."))
def test_decay_once_per_epoch(ex):
    lr = float(ex.rng.uniform(0.05, 0.2))
    final_lr = lr * float(ex.rng.uniform(0.05, 0.25))
    epochs, steps = 5, 3
    per = (lr - final_lr) / (epochs - 1)
    e, j = np.meshgrid(np.arange(epochs), np.arange(steps + 1), indexing="ij")
    for optimizer in ("SGD", "SGDMomentum"):
        got, want = ex.both(lr_run, "linear", lr, final_lr, epochs, steps, 0, optimizer)
        suspects = {
            tr("lr decayed after every batch, in step(), as well as after every epoch: "
               "decay only in _decay_lr"): rates(lr, final_lr, per, "linear",
                                                 (e * (steps + 1) + j).ravel()),
            tr("lr decayed after every batch, in step(), instead of once an epoch in "
               "_decay_lr"): rates(lr, final_lr, per, "linear", (e * steps + j).ravel()),
        }
        suspects = {text: value.reshape(e.shape) for text, value in suspects.items()}
        assert_close(got["seen"], want["seen"],
                     tr("{optimizer}'s lr at the start of each of {epochs} epochs and after "
                        "each of its {steps} steps (a row an epoch, constant within it; "
                        "lr={lr:.4g}, final_lr={final_lr:.4g}, decay_type='linear')").format(
                         optimizer=optimizer, epochs=epochs, steps=steps, lr=lr,
                         final_lr=final_lr),
                     suspects=suspects)


# --------------------------------------------------------------------------- end to end


@check("training with momentum and linear decay on the diabetes data matches the reference",
       points=3,
       hint=("Trainer.fit calls _setup_decay(epochs) once, step() after every batch and "
             "_decay_lr() after every epoch: each must do exactly what its docstring says, "
             "and the velocities must live from the first step to the last."))
def test_fit_momentum_decay(ex):
    X_train, y_train, X_test, y_test = diabetes_split()

    def probe(m, X_train, y_train, X_test, y_test, seed):
        import layers
        import training

        net = layers.NeuralNetwork(
            [layers.Dense(13), layers.Dense(1, layers.Linear())],
            layers.MeanSquaredError(), seed=seed)
        optim = m.SGDMomentum(lr=0.0003, final_lr=0.00003, decay_type="linear", momentum=0.9)
        trainer = training.Trainer(net, optim)
        trainer.fit(X_train, y_train, X_test, y_test, epochs=20, eval_every=5,
                    batch_size=23, seed=seed)
        prediction = trainer.net.forward(X_test)
        return {"mae": np.mean(np.abs(prediction - y_test)), "lr": float(optim.lr),
                "eval_losses": np.array([loss for _, loss in trainer.evaluations])}

    got, want = ex.both(probe, X_train, y_train, X_test, y_test, ex.seed)
    assert_close(got["eval_losses"], want["eval_losses"], tr("the test losses evaluated during "
                 "fit (SGDMomentum(lr=0.0003, final_lr=0.00003, decay_type='linear', "
                 "momentum=0.9), every 5 epochs of 20)"), rtol=1e-6)
    assert_close(got["lr"], want["lr"], tr("the optimizer's lr after fit"))
    baseline = float(np.mean(np.abs(y_test - y_train.mean())))
    if not got["mae"] < 0.8 * baseline:
        fail(tr("the trained network's mean absolute error on the test data is "
                "{mae:.1f}: predicting the training mean everywhere gives "
                "{baseline:.1f}, and a trained network should beat it by 20%.").format(
                    mae=float(got["mae"]), baseline=baseline))
