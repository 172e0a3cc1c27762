"""Checks for exercise 20: the port to PyTorch.

torch is the oracle here. The learner's modules, loaded by the learner's
load_dense, load_conv and load_lstm with the weights of the NumPy networks,
must give the outputs and the gradients of exercises 12, 15 and 17, whose
references (06, 07, 09, 14, 16 and 17) run here in float64: they agree to
about 1e-15, so the tolerance is 1e-9. Sizes all differ, so a weight copied
without its transpose raises; one small square network makes it give wrong
numbers instead, and the message names the mistake.

The trainer is checked with stand-ins: a linear network (`Recorder`) that notes
its mode and whether autograd is on when it runs, and a global optimizer hook
that notes, at every optimizer.step, the learning rate, the gradients in .grad
and the gradient of that batch alone. Then a DenseNet trained on scikit-learn's
digits must reach the bar.

The module imports without torch (each check then says how to install it).
torch runs on one thread here: every probe runs in a process forked from this one.
"""
from __future__ import annotations

import contextlib
import importlib.util
import sys
import types
from itertools import permutations

import numpy as np

from grader import N_, assert_close, check, fail, tr
from grader.data import digits_split
from grader.manifest import SOLUTIONS

try:
    import torch
except ImportError:
    torch = None
else:
    torch.set_num_threads(1)  # before any op: an OpenMP pool here could hang the workers
    from torch.optim.optimizer import register_optimizer_step_pre_hook

    try:  # torch.optim imports torch._dynamo on first use: once here, not in every worker
        import torch._dynamo  # noqa: F401
    except ImportError:
        pass

INSTALL = N_("PyTorch is not installed: pip install -e '.[torch]'")
TOL = {"rtol": 1e-9, "atol": 1e-12}
_Module = torch.nn.Module if torch is not None else object


def need_torch():
    if torch is None:
        fail(tr(INSTALL), kind="import_error")


# --------------------------------------------------------------------------- in the worker


@contextlib.contextmanager
def float64(seed=0):
    """float64 as torch's default dtype and torch's RNG seeded, both restored after."""
    previous = torch.get_default_dtype()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        torch.set_default_dtype(torch.float64)
        try:
            yield
        finally:
            torch.set_default_dtype(previous)


def numpy_of(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def grad_of(tensor):
    """tensor.grad as an array; an empty array when no gradient reached it."""
    return np.zeros(0) if tensor.grad is None else numpy_of(tensor.grad)


def shape_key(shape):
    return "x".join(str(int(n)) for n in shape)


def grads_by_shape(model):
    """The gradient of each parameter, keyed by its shape ("grad 89x64"): the learner
    names the layers, the shapes are the layout."""
    found = {}
    for param in model.parameters():
        found.setdefault(f"grad {shape_key(param.shape)}", grad_of(param))
    return found


def cross_entropy_backward(logits, labels):
    torch.nn.functional.cross_entropy(logits, torch.as_tensor(labels)).backward()


# --------------------------------------------------------------------------- NumPy references

NUMPY_FILES = {
    "operations": "06_operations/operations.py",
    "layers": "07_layers/layers.py",
    "activations": "09_activations_and_loss/activations.py",
    "conv": "14_conv2d_op/conv.py",
    "rnn": "16_rnn/rnn.py",
    "lstm": "17_lstm/lstm.py",
}
_numpy: dict[str, types.ModuleType] = {}


def numpy_refs():
    """The NumPy references, imported once; sys.modules is left as it was."""
    if not _numpy:
        saved = {name: sys.modules.pop(name) for name in NUMPY_FILES if name in sys.modules}
        loaded = {}
        try:
            for name, path in NUMPY_FILES.items():
                spec = importlib.util.spec_from_file_location(name, SOLUTIONS / path)
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
                loaded[name] = module
        finally:
            for name in NUMPY_FILES:
                sys.modules.pop(name, None)
            sys.modules.update(saved)
        _numpy.update(loaded)
    return types.SimpleNamespace(**_numpy)


def run_ops(ops, X, labels):
    """Operations in order, the mean softmax cross-entropy, and back: the logits,
    the input's gradient and each ParamOperation's gradient, in order."""
    ref = numpy_refs()
    out = X
    for op in ops:
        out = op.forward(out)
    loss = ref.activations.SoftmaxCrossEntropy()
    loss.forward(out, np.eye(out.shape[1])[labels])
    grad = loss.backward()
    for op in reversed(ops):
        grad = op.backward(grad)
    params = [op.param_grad for op in ops if isinstance(op, ref.operations.ParamOperation)]
    return {"logits": out, "x grad": grad, "param grads": params}


def activation(name):
    ref = numpy_refs()
    return {"tanh": ref.activations.Tanh, "relu": ref.activations.ReLU,
            "sigmoid": ref.operations.Sigmoid, "none": ref.operations.Linear}[name]()


def numpy_dense(X, labels, W1, B1, W2, B2, act="tanh"):
    """Exercise 12's network as eval mode runs it (no dropout)."""
    ops = numpy_refs().operations
    return run_ops([ops.WeightMultiply(W1), ops.BiasAdd(B1), activation(act),
                    ops.WeightMultiply(W2), ops.BiasAdd(B2)], X, labels)


def numpy_conv(X, labels, W_conv, W_dense, B_dense, act="relu"):
    """Exercise 15's network as eval mode runs it: Conv2D_Op, the activation, Flatten, dense."""
    ref = numpy_refs()
    return run_ops([ref.conv.Conv2D_Op(W_conv), activation(act), ref.conv.Flatten(),
                    ref.operations.WeightMultiply(W_dense), ref.operations.BiasAdd(B_dense)],
                   X, labels)


def as_float32(*arrays):
    return [a.astype(np.float32).astype(np.float64) for a in arrays]


def float32_suspect(value):
    return {tr("the weights rounded to float32 when loaded: copy them in the module's own "
               "dtype (tensor() converts to the default dtype)"): value}


# --------------------------------------------------------------------------- DenseNet

KEEPS = (0.8, 0.6)  # the default keep_prob, and another


def other_activations(X, keep=1.0):
    """What DenseNet(n, n, n) with identity weights gives for X > 0 with another
    activation than tanh (what it keeps divided by keep)."""
    return {tr("ReLU instead of tanh (or no tanh)"): X / keep,
            tr("a sigmoid instead of tanh"): 1 / (1 + np.exp(-X)) / keep}


def dropout_probe(m, X, seed):
    """DenseNet(n, n, n) with identity weights and zero biases: its output is
    dropout(tanh(x)), in training mode and in eval mode."""
    n = X.shape[1]
    result = {}
    with float64(seed):
        for keep in KEEPS:
            model = m.DenseNet(n, n, n) if keep == 0.8 else m.DenseNet(n, n, n, keep_prob=keep)
            with torch.no_grad():
                for param in model.parameters():
                    param.copy_(torch.eye(n) if param.ndim == 2 else torch.zeros(param.shape))
                x = torch.tensor(X)
                model.train()
                result[f"{keep} train"] = numpy_of(model(x))
                model.eval()
                result[f"{keep} eval"] = numpy_of(model(x))
    return result


@check("DenseNet's dropout drops 1 - keep_prob of the hidden units in training, none in eval",
       points=2,
       hint=("torch's nn.Dropout(p) takes the probability to DROP an element: keeping "
             "keep_prob = 0.8 is nn.Dropout(p=1 - keep_prob). Put it after tanh. "
             "model.train() turns it on and model.eval() off, and it scales what it keeps "
             "by 1 / keep_prob, as exercise 11's Dropout does."))
def test_dense_dropout(ex):
    need_torch()
    X = ex.rng.uniform(0.5, 1.5, (400, 32))
    got = ex.learner(dropout_probe, X, ex.seed)
    hidden = np.tanh(X)
    for keep in KEEPS:
        name = ("DenseNet(32, 32, 32)" if keep == 0.8 else
                tr("DenseNet(32, 32, 32) with keep_prob={keep}").format(keep=keep))
        train, evaluated = got[f"{keep} train"], got[f"{keep} eval"]
        if train.shape != hidden.shape or evaluated.shape != hidden.shape:
            fail(tr("{name}(x) for x of shape {shape} has shape {got}; expected {want}.").format(
                name=name, shape=X.shape, got=train.shape, want=X.shape))
        dropped = float(np.mean(train == 0))
        if abs(dropped - (1 - keep)) > 0.03:
            named = ""
            if abs(dropped - keep) < 0.03:
                named = " " + tr("That is nn.Dropout(keep_prob): torch's p is the probability to "
                                 "DROP an element, so keeping keep_prob is "
                                 "nn.Dropout(p=1 - keep_prob).")
            elif dropped < 0.005:
                named = " " + tr("Is the dropout there, after tanh, and on in training mode "
                                 "(nn.Dropout is; a hand-written one must look at "
                                 "self.training)?")
            fail(tr("{name} in training mode set {dropped:.0%} of its hidden units to 0 (weights "
                    "set to the identity, biases to 0); keeping keep_prob = {keep} of them drops "
                    "{drop:.0%}.{named}").format(name=name, dropped=dropped, keep=keep,
                                                 drop=1 - keep, named=named))
        kept = train != 0
        assert_close(train[kept], hidden[kept] / keep,
                     tr("the units {name} kept in training mode (identity weights, zero biases: "
                        "expected tanh(x) / keep_prob)").format(name=name), suspects={
                         tr("tanh(x) not scaled: inverted dropout divides what it keeps by "
                            "keep_prob"): hidden[kept],
                         tr("tanh(x) * keep_prob: divide what is kept by keep_prob"): (
                             hidden[kept] * keep),
                         **other_activations(X[kept], keep)}, **TOL)
        if np.any(evaluated == 0):
            fail(tr("{name} in eval mode still set {zeroed:.0%} of its hidden units to 0: after "
                    "model.eval() dropout passes everything through (nn.Dropout does; a "
                    "hand-written one must look at self.training).").format(
                        name=name, zeroed=np.mean(evaluated == 0)))
        assert_close(evaluated, hidden, tr("{name} in eval mode (identity weights, zero biases: "
                                           "expected tanh(x))").format(name=name), suspects={
                         tr("tanh(x) / keep_prob: eval mode does not scale"): hidden / keep,
                         tr("tanh(x) * keep_prob: eval mode does not scale"): hidden * keep,
                         **other_activations(X)}, **TOL)


def dense_probe(m, sizes, X, labels, W1, B1, W2, B2):
    n_in, hidden, n_out = sizes
    with float64():
        model = m.DenseNet(n_in=n_in, hidden=hidden, n_out=n_out)
        m.load_dense(model, W1, B1, W2, B2)
        model.eval()
        x = torch.tensor(X, requires_grad=True)
        logits = model(x)
        cross_entropy_backward(logits, labels)
        return {"logits": numpy_of(logits), "x grad": grad_of(x), **grads_by_shape(model)}


def dense_inputs(rng, n_in, hidden, n_out, batch):
    X = rng.standard_normal((batch, n_in))
    labels = rng.integers(0, n_out, batch)
    W1 = rng.standard_normal((n_in, hidden)) / np.sqrt(n_in)
    B1 = 0.5 * rng.standard_normal((1, hidden))
    W2 = rng.standard_normal((hidden, n_out)) / np.sqrt(hidden)
    B2 = 0.5 * rng.standard_normal((1, n_out))
    return X, labels, W1, B1, W2, B2


NOT_TRANSPOSED = N_("{which} not transposed when loaded: nn.Linear keeps its weight as (n_out, "
                    "n_in) and computes x @ weight.T, so it takes W.T")


def dense_suspects(X, labels, W1, B1, W2, B2):
    suspects = {
        tr(NOT_TRANSPOSED).format(which=tr("the weights")):
            numpy_dense(X, labels, W1.T, B1, W2.T, B2),
        tr(NOT_TRANSPOSED).format(which="W1"): numpy_dense(X, labels, W1.T, B1, W2, B2),
        tr(NOT_TRANSPOSED).format(which="W2"): numpy_dense(X, labels, W1, B1, W2.T, B2),
    } if W1.shape[0] == W1.shape[1] == W2.shape[1] else {}
    suspects.update({
        tr("ReLU instead of tanh"): numpy_dense(X, labels, W1, B1, W2, B2, "relu"),
        tr("a sigmoid instead of tanh"): numpy_dense(X, labels, W1, B1, W2, B2, "sigmoid"),
        tr("no tanh between the layers"): numpy_dense(X, labels, W1, B1, W2, B2, "none"),
        **float32_suspect(numpy_dense(X, labels, *as_float32(W1, B1, W2, B2))),
    })
    suspects = {desc: value["logits"] for desc, value in suspects.items()}
    logits = numpy_dense(X, labels, W1, B1, W2, B2)["logits"]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    suspects[tr("softmax of the logits: forward returns the logits, and the loss "
                "(nn.CrossEntropyLoss) applies the softmax")] = (
                    shifted / shifted.sum(1, keepdims=True))
    return suspects


def judge_grads(got, expected, model):
    """expected: key ("grad 89x64") -> (the gradient in torch's layout, what it is)."""
    for key, (want, what) in expected.items():
        if key not in got:
            dims = key.removeprefix("grad ").split("x")
            shape = f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"
            fail(tr("{model} has no parameter of shape {shape}, {what}: keep the layers "
                    "named in the docstring.").format(model=model, shape=shape, what=what))
        if got[key].size == 0:
            fail(tr("no gradient reached {what} of {model}: its .grad is None after backward. "
                    "Load the weights into the module's own nn.Parameters (.copy_ under "
                    "torch.no_grad()) and use them in forward.").format(what=what, model=model))
        assert_close(got[key], want, tr("the gradient of {what}").format(what=what), **TOL)


def judge_input_grad(got, want, what):
    if got.size == 0:
        fail(tr("no gradient reached {what}: does forward detach it (.detach(), .data, "
                ".numpy())?").format(what=what))
    assert_close(got, want, tr("the gradient of {what}").format(what=what), **TOL)


@check("load_dense: DenseNet gives exercise 12's logits and gradients in eval mode", points=3,
       hint=("nn.Linear(n_in, n_out) keeps weight as (n_out, n_in) and computes x @ weight.T "
             "+ bias: copy W.T into weight and B[0] (shape (n_out,)) into bias, with .copy_ "
             "under torch.no_grad(), in the module's dtype (tensor() does that). forward: "
             "Linear, tanh, dropout, Linear: the logits, no softmax."))
def test_dense_load(ex):
    need_torch()
    for n_in, hidden, n_out, batch in ((6, 6, 6, 5), (64, 89, 10, 8)):
        X, labels, W1, B1, W2, B2 = dense_inputs(ex.rng, n_in, hidden, n_out, batch)
        got = ex.learner(dense_probe, (n_in, hidden, n_out), X, labels, W1, B1, W2, B2)
        want = numpy_dense(X, labels, W1, B1, W2, B2)
        name = f"DenseNet({n_in}, {hidden}, {n_out})"
        assert_close(got["logits"], want["logits"],
                     tr("{name}(x) in eval mode after load_dense").format(name=name),
                     suspects=dense_suspects(X, labels, W1, B1, W2, B2), **TOL)
        judge_input_grad(got["x grad"], want["x grad"],
                         tr("the input x of {name} (loss: the mean cross-entropy of the "
                            "logits)").format(name=name))
        if n_in == hidden:
            continue  # shapes alike: the layers cannot be told apart by their shapes
        dW1, dB1, dW2, dB2 = want["param grads"]
        judge_grads(got, {
            f"grad {hidden}x{n_in}": (dW1.T, tr(
                "the first Linear's weight ({hidden}, {n_in}) (expected: exercise 12's W1 "
                "gradient, transposed)").format(hidden=hidden, n_in=n_in)),
            f"grad {hidden}": (dB1[0], tr("the first Linear's bias ({hidden},)").format(
                hidden=hidden)),
            f"grad {n_out}x{hidden}": (dW2.T, tr(
                "the second Linear's weight ({n_out}, {hidden}) (expected: exercise 12's W2 "
                "gradient, transposed)").format(n_out=n_out, hidden=hidden)),
            f"grad {n_out}": (dB2[0], tr("the second Linear's bias ({n_out},)").format(
                n_out=n_out)),
        }, name)


# --------------------------------------------------------------------------- ConvNet

CHANNELS, KERNEL, SIZE, CONV_OUT = 3, 5, 6, 4


def conv_probe(m, X, labels, W_conv, W_dense, B_dense):
    with float64():
        model = m.ConvNet(channels=CHANNELS, kernel=KERNEL, keep_prob=0.8, size=SIZE,
                          n_out=CONV_OUT)
        m.load_conv(model, W_conv, W_dense, B_dense)
        model.eval()
        x = torch.tensor(X, requires_grad=True)
        logits = model(x)
        cross_entropy_backward(logits, labels)
        result = {"logits": numpy_of(logits), "x grad": grad_of(x), **grads_by_shape(model)}
        for param in model.parameters():  # a bias of the convolution, if there is one
            if tuple(param.shape) == (CHANNELS,):
                result["conv bias"] = numpy_of(param)
        return result


@check("load_conv: ConvNet gives exercise 15's logits and gradients in eval mode", points=2,
       hint=("nn.Conv2d(1, channels, kernel, padding=kernel // 2, bias=False): its weight "
             "(channels, 1, K, K) is exercise 14's W as it is (both slide the kernel without "
             "flipping it). Then ReLU, dropout, torch.flatten(x, 1) (channel by channel, as "
             "Flatten) and the Linear, whose weight and bias load as in load_dense."))
def test_conv_load(ex):
    need_torch()
    rng = ex.rng
    X = rng.standard_normal((4, 1, SIZE, SIZE))
    labels = rng.integers(0, CONV_OUT, 4)
    W_conv = 0.3 * rng.standard_normal((CHANNELS, 1, KERNEL, KERNEL))
    n_flat = CHANNELS * SIZE * SIZE
    W_dense = rng.standard_normal((n_flat, CONV_OUT)) / np.sqrt(n_flat)
    B_dense = 0.5 * rng.standard_normal((1, CONV_OUT))
    got = ex.learner(conv_probe, X, labels, W_conv, W_dense, B_dense)
    want = numpy_conv(X, labels, W_conv, W_dense, B_dense)
    suspects = {
        tr("the kernel flipped: torch's Conv2d, like exercise 14, does not flip W"):
            numpy_conv(X, labels, W_conv[:, :, ::-1, ::-1], W_dense, B_dense),
        tr("tanh instead of ReLU"): numpy_conv(X, labels, W_conv, W_dense, B_dense, "tanh"),
        tr("no ReLU after the convolution"):
            numpy_conv(X, labels, W_conv, W_dense, B_dense, "none"),
        **float32_suspect(numpy_conv(X, labels, *as_float32(W_conv, W_dense, B_dense))),
    }
    suspects = {desc: value["logits"] for desc, value in suspects.items()}
    if "conv bias" in got:
        pre = numpy_refs().conv.Conv2D_Op(W_conv).forward(X)
        pre = pre + got["conv bias"][None, :, None, None]
        suspects[tr("a bias in the convolution: nn.Conv2d(..., bias=False), as exercise 14's "
                    "Conv2D_Op has none")] = (np.maximum(pre, 0).reshape(len(X), -1) @ W_dense
                                              + B_dense)
    name = f"ConvNet({CHANNELS}, {KERNEL}, size={SIZE}, n_out={CONV_OUT})"
    assert_close(got["logits"], want["logits"],
                 tr("{name}(x) in eval mode after load_conv").format(name=name),
                 suspects=suspects, **TOL)
    judge_input_grad(got["x grad"], want["x grad"],
                     tr("the input x of {name} (loss: the mean cross-entropy of the "
                        "logits)").format(name=name))
    dW_conv, dW_dense, dB_dense = want["param grads"]
    judge_grads(got, {
        f"grad {shape_key(W_conv.shape)}": (dW_conv, tr("the convolution's weight {shape}").format(
            shape=W_conv.shape)),
        f"grad {CONV_OUT}x{n_flat}": (dW_dense.T, tr(
            "the Linear's weight ({n_out}, {n_flat}) (expected: W_dense's gradient, "
            "transposed)").format(n_out=CONV_OUT, n_flat=n_flat)),
        f"grad {CONV_OUT}": (dB_dense[0], tr("the Linear's bias ({n_out},)").format(
            n_out=CONV_OUT)),
    }, name)


# --------------------------------------------------------------------------- LSTMModel

BATCH, STEPS, N_IN, HIDDEN, N_OUT = 3, 5, 3, 4, 2
GATES = ("f", "i", "c", "o")  # exercise 17's names: forget, input, candidate, output
BLOCKS = ("i", "f", "c", "o")  # torch's stacking (i, f, g, o), in exercise 17's names
PARAM_NAMES = [f"{kind}_{gate}" for gate in GATES + ("v",) for kind in "WB"]


def lstm_inputs(rng):
    X = rng.standard_normal((BATCH, STEPS, N_IN))
    H0, C0 = 0.5 * rng.standard_normal((BATCH, HIDDEN)), rng.standard_normal((BATCH, HIDDEN))
    shapes = {}
    for gate in GATES:
        shapes[f"W_{gate}"], shapes[f"B_{gate}"] = (N_IN + HIDDEN, HIDDEN), (1, HIDDEN)
    shapes["W_v"], shapes["B_v"] = (HIDDEN, N_OUT), (1, N_OUT)
    P = {name: 0.5 * rng.standard_normal(shapes[name]) for name in PARAM_NAMES}
    return X, H0, C0, P, rng.standard_normal((BATCH, STEPS, N_OUT))


def lstm_probe(m, X, H0, C0, P, G):
    with float64():
        model = m.LSTMModel(N_IN, HIDDEN, N_OUT)
        m.load_lstm(model, {name: {"value": value.copy(), "deriv": np.zeros_like(value)}
                            for name, value in P.items()})
        x, H, C = (torch.tensor(a, requires_grad=True) for a in (X, H0, C0))
        out = model(x, H, C)
        out.backward(torch.tensor(G))
        with torch.no_grad():
            default = model(torch.tensor(X))
        result = {"out": numpy_of(out), "default": numpy_of(default), "x grad": grad_of(x),
                  "H_0 grad": grad_of(H), "C_0 grad": grad_of(C), **grads_by_shape(model)}
        lstm = next((mod for mod in model.modules() if isinstance(mod, torch.nn.LSTM)), None)
        if lstm is not None and getattr(lstm, "bias_hh_l0", None) is not None:
            result["bias_hh_l0"] = numpy_of(lstm.bias_hh_l0)
        return result


def numpy_lstm(X, H0, C0, P, G=None):
    """Exercise 17's LSTMLayer with parameters P: its output from H0, C0 (and from zeros),
    and with G, its gradients."""
    layer = numpy_refs().lstm.LSTMLayer(HIDDEN, N_OUT, weight_scale=0.5, seed=0)
    layer.forward(X)  # makes its params
    for name, value in P.items():
        layer.params[name]["value"][...] = value
    result = {"default": layer.forward(X), "out": layer.forward(X, H0, C0)}
    if G is not None:
        result["x grad"] = layer.backward(G)
        result["H_0 grad"], result["C_0 grad"] = layer.H_0_grad, layer.C_0_grad
        result.update({name: layer.params[name]["deriv"].copy() for name in P})
    return result


def in_blocks(P, order):
    """The parameters an LSTM runs with when torch's blocks (i, f, g, o) hold the
    gates named in order (exercise 17's names)."""
    Q = dict(P)
    for block, gate in zip(BLOCKS, order, strict=True):
        Q[f"W_{block}"], Q[f"B_{block}"] = P[f"W_{gate}"], P[f"B_{gate}"]
    return Q


def gate_order(order):
    held = ", ".join(f"W_{gate}" for gate in order)
    text = tr("the gates in the wrong order: torch stacks its four blocks as (i, f, g, o) = "
              "(input, forget, candidate, output); yours hold ({held})").format(held=held)
    return text + (" " + tr("(exercise 17's order)") if order == GATES else "")


def lstm_suspects(X, H0, C0, P, got):
    suspects = {gate_order(order): numpy_lstm(X, H0, C0, in_blocks(P, order))["out"]
                for order in permutations(BLOCKS) if order != BLOCKS}
    if "bias_hh_l0" in got and np.any(got["bias_hh_l0"] != 0):
        Q = dict(P)
        for k, gate in enumerate(BLOCKS):
            Q[f"B_{gate}"] = P[f"B_{gate}"] + got["bias_hh_l0"][None, k * HIDDEN:(k + 1) * HIDDEN]
        suspects[tr("bias_hh_l0 left as torch initialised it: nn.LSTM adds bias_ih_l0 and "
                    "bias_hh_l0, so put the B's in one and zeros in the other")] = (
                        numpy_lstm(X, H0, C0, Q)["out"])
    zeros = np.zeros_like(H0)
    suspects[tr("H_0 and C_0 ignored (the LSTM starts from zeros): pass them to nn.LSTM as its "
                "state (H_0[None], C_0[None])")] = numpy_lstm(X, zeros, zeros, P)["out"]
    suspects[tr("H_0 and C_0 swapped: nn.LSTM's state is (h_0, c_0)")] = (
        numpy_lstm(X, C0, H0, P)["out"])
    suspects.update(float32_suspect(numpy_lstm(
        X, H0, C0, dict(zip(P, as_float32(*P.values()), strict=True)))["out"]))
    return suspects


LSTM_NAME = f"LSTMModel({N_IN}, {HIDDEN}, {N_OUT})"
HEAD_WEIGHT, HEAD_BIAS = N_("the head's weight"), N_("the head's bias")


@check("load_lstm: LSTMModel gives exercise 17's outputs", points=3,
       hint=("torch stacks the gates in weight_ih_l0 (4 * hidden, n_in) and weight_hh_l0 "
             "(4 * hidden, hidden) in the order input, forget, candidate, output: (i, f, g, o), "
             "not exercise 17's (f, i, c, o). W_gate's first n_in rows act on x: their "
             "transpose is that gate's block of weight_ih_l0, and the last hidden rows', of "
             "weight_hh_l0. nn.LSTM adds bias_ih_l0 and bias_hh_l0: the B's in one, zeros in the "
             "other. H_0 and C_0 go to nn.LSTM as (H_0[None], C_0[None])."))
def test_lstm_outputs(ex):
    need_torch()
    X, H0, C0, P, G = lstm_inputs(ex.rng)
    got = ex.learner(lstm_probe, X, H0, C0, P, G)
    want = numpy_lstm(X, H0, C0, P)
    assert_close(got["out"], want["out"],
                 tr("{model}(x, H_0, C_0) after load_lstm, for x {shape}").format(
                     model=LSTM_NAME, shape=X.shape),
                 suspects=lstm_suspects(X, H0, C0, P, got), **TOL)
    assert_close(got["default"], want["default"],
                 tr("{model}(x) without H_0 and C_0 (they start as zeros)").format(
                     model=LSTM_NAME), **TOL)


@check("LSTMModel's gradients (x, H_0, C_0, every parameter) are exercise 17's", points=2,
       hint=("torch's backward gives them: they agree with exercise 17's once the outputs do, "
             "when forward uses the module's own nn.Parameters (load them with .copy_ under "
             "torch.no_grad(); never replace them with plain tensors) and never detaches x, "
             "H_0 or C_0."))
def test_lstm_gradients(ex):
    need_torch()
    X, H0, C0, P, G = lstm_inputs(ex.rng)
    got = ex.learner(lstm_probe, X, H0, C0, P, G)
    want = numpy_lstm(X, H0, C0, P, G)
    if got["out"].shape != want["out"].shape or not np.allclose(got["out"], want["out"],
                                                                **TOL):
        fail(tr("{model}'s outputs already differ from exercise 17's (see the check of the "
                "outputs): its gradients cannot agree before they do.").format(model=LSTM_NAME))
    for name in ("x", "H_0", "C_0"):
        judge_input_grad(got[f"{name} grad"], want[f"{name} grad"],
                         tr("{name} of {model} (loss: sum(output * G), G random)").format(
                             name=name, model=LSTM_NAME))
    shapes = {"weight_ih_l0": (4 * HIDDEN, N_IN), "weight_hh_l0": (4 * HIDDEN, HIDDEN),
              "bias_ih_l0": (4 * HIDDEN,), HEAD_WEIGHT: (N_OUT, HIDDEN), HEAD_BIAS: (N_OUT,)}
    grads = {}
    for what, shape in shapes.items():
        key = f"grad {shape_key(shape)}"
        if key not in got:
            fail(tr("{model} has no parameter of shape {shape} ({what}): use nn.LSTM(n_in, "
                    "hidden, batch_first=True) and nn.Linear(hidden, n_out).").format(
                        model=LSTM_NAME, shape=shape, what=tr(what)))
        if got[key].size == 0:
            fail(tr("no gradient reached {what} of {model}: its .grad is None after backward. "
                    "Load with .copy_ under torch.no_grad() into the module's own "
                    "parameters.").format(what=tr(what), model=LSTM_NAME))
        grads[what] = got[key]
    mine = {"W_v": grads[HEAD_WEIGHT].T, "B_v": grads[HEAD_BIAS][None]}
    for k, gate in enumerate(BLOCKS):  # back to exercise 17's layout
        rows = slice(k * HIDDEN, (k + 1) * HIDDEN)
        mine[f"W_{gate}"] = np.concatenate([grads["weight_ih_l0"][rows].T,
                                            grads["weight_hh_l0"][rows].T])
        mine[f"B_{gate}"] = grads["bias_ih_l0"][None, rows]
    for name in PARAM_NAMES:
        if name.endswith("v"):
            where = tr("the head")
        elif name.startswith("W"):
            where = tr("block {block} of weight_ih_l0 and weight_hh_l0").format(
                block="ifgo"[BLOCKS.index(name[-1])])
        else:
            where = tr("block {block} of bias_ih_l0").format(block="ifgo"[BLOCKS.index(name[-1])])
        assert_close(mine[name], want[name],
                     tr("the gradient of {name} ({where}, in exercise 17's layout), next to "
                        "exercise 17's params[\"{name}\"][\"deriv\"]").format(name=name,
                                                                              where=where),
                     **TOL)


# --------------------------------------------------------------------------- accuracy


class Scores(_Module):
    """Stands in for a network: fixed scores; notes its mode and whether autograd is on."""

    def __init__(self, scores):
        super().__init__()
        self.scores = torch.tensor(scores)
        self.scale = torch.nn.Parameter(torch.ones((), dtype=self.scores.dtype))
        self.seen = []

    def forward(self, X):
        self.seen.append((float(self.training), float(torch.is_grad_enabled())))
        return self.scores * self.scale


@check("accuracy: the fraction right, the model in eval mode and without gradients", points=1,
       hint=("Call model.eval() (dropout off) and compute under torch.no_grad() (no graph to "
             "build when you only measure): float((model(X).argmax(dim=1) == labels).float()"
             ".mean())."))
def test_accuracy(ex):
    need_torch()
    scores = ex.rng.standard_normal((12, 10))
    predicted = np.argmax(scores, axis=1)
    labels = np.where(np.arange(12) < 4, predicted, (predicted + 1) % 10)  # 4 of 12 right

    def probe(m, scores, labels):
        with float64():
            net = Scores(scores)
            net.train()
            result = m.accuracy(net, torch.zeros(12, 64), torch.as_tensor(labels))
            return {"accuracy": float(result), "seen": np.array(net.seen).reshape(-1, 2)}

    got = ex.learner(probe, scores, labels)
    assert_close(got["accuracy"], 4 / 12,
                 tr("accuracy(model, X, labels) with 4 of 12 rows right"),
                 suspects={tr("the fraction of wrong rows"): 8 / 12,
                           tr("the number of rows right, not the fraction"): 4.0})
    seen = got["seen"]
    if len(seen) == 0:
        fail(tr("accuracy never ran the model: call model(X)."))
    if np.any(seen[:, 0] == 1):
        fail(tr("accuracy ran the model in training mode: dropout stays on and drops a fifth of "
                "the hidden units while you measure. Call model.eval() first."))
    if np.any(seen[:, 1] == 1):
        fail(tr("accuracy ran the model with autograd on: wrap it in torch.no_grad(), since "
                "measuring needs no graph for backward."))


# --------------------------------------------------------------------------- train

N_TRAIN, N_TEST, BATCH_SIZE, N_CLASSES = 24, 9, 6, 3
PER_EPOCH = N_TRAIN // BATCH_SIZE
TEST_MARK = 2.0  # test rows' first column is at least this; training rows' is below 1


def train_data(rng):
    """The first column numbers the rows (i / 32, exact): the stand-in knows each batch."""
    X_train = np.column_stack([np.arange(N_TRAIN) / 32, rng.standard_normal((N_TRAIN, 2))])
    X_test = np.column_stack([TEST_MARK + np.arange(N_TEST) / 32,
                              rng.standard_normal((N_TEST, 2))])
    y_train = np.eye(N_CLASSES)[rng.integers(0, N_CLASSES, N_TRAIN)]
    y_test = np.eye(N_CLASSES)[rng.integers(0, N_CLASSES, N_TEST)]
    W, b = 0.5 * rng.standard_normal((N_CLASSES, 3)), 0.5 * rng.standard_normal(N_CLASSES)
    return (X_train, y_train, X_test, y_test), W, b


class Recorder(_Module):
    """Stands in for a network: a Linear(3, 3) that notes how it is run. `before_step`
    (a global optimizer hook) notes, at each optimizer.step, the learning rate, the mode
    of the batch's forward, the gradients in .grad and the gradient of that batch alone."""

    def __init__(self, W, b, labels):
        super().__init__()
        self.linear = torch.nn.Linear(W.shape[1], W.shape[0])
        with torch.no_grad():
            self.linear.weight.copy_(torch.as_tensor(W))
            self.linear.bias.copy_(torch.as_tensor(b))
        self.labels = torch.as_tensor(labels)
        self.tests = []  # per forward on the test rows: (training mode, autograd on)
        self.steps = []
        self.last = None  # the last training batch and the mode it was run in

    def forward(self, x):
        mode = (float(self.training), float(torch.is_grad_enabled()))
        if bool(torch.all(x[:, 0] >= TEST_MARK)):
            self.tests.append(mode)
        else:
            self.last = (x.detach().clone(), mode)
        return self.linear(x)

    def before_step(self, optimizer, args, kwargs):
        params = [self.linear.weight, self.linear.bias]
        if not any(p is q for group in optimizer.param_groups for p in group["params"]
                   for q in params):
            return
        seen = [np.full(p.shape, np.nan) if p.grad is None else numpy_of(p.grad).copy()
                for p in params]
        fresh, mode = [np.full(p.shape, np.nan) for p in params], (np.nan, np.nan)
        if self.last is not None:
            x, mode = self.last
            rows = torch.round(x[:, 0].double() * 32).long()
            with torch.enable_grad():
                loss = torch.nn.functional.cross_entropy(self.linear(x), self.labels[rows])
                fresh = [numpy_of(g) for g in torch.autograd.grad(loss, params)]
        self.steps.append((float(optimizer.param_groups[0]["lr"]), mode, seen, fresh))


def train_probe(m, data, W, b, epochs, lr, final_lr):
    X_train, y_train, X_test, y_test = data
    with float64():
        model = Recorder(W, b, np.argmax(y_train, axis=1))
        model.eval()  # the trainer must put it in training mode
        handle = register_optimizer_step_pre_hook(model.before_step)
        try:
            history = m.train(model, X_train, y_train, X_test, y_test, epochs=epochs,
                              batch_size=BATCH_SIZE, lr=lr, final_lr=final_lr, momentum=0.9,
                              seed=0, device="cpu")
        finally:
            handle.remove()
    steps = model.steps
    return {
        "lr": np.array([s[0] for s in steps]),
        "mode": np.array([s[1] for s in steps]).reshape(-1, 2),
        "seen W": np.array([s[2][0] for s in steps]).reshape(-1, N_CLASSES, 3),
        "seen b": np.array([s[2][1] for s in steps]).reshape(-1, N_CLASSES),
        "fresh W": np.array([s[3][0] for s in steps]).reshape(-1, N_CLASSES, 3),
        "fresh b": np.array([s[3][1] for s in steps]).reshape(-1, N_CLASSES),
        "tests": np.array(model.tests).reshape(-1, 2),
        "history lr": np.array([float(v) for v in history["lr"]]),
        "history accuracy": np.array([float(v) for v in history["test_accuracy"]]),
    }


def run_train(ex, epochs, lr, final_lr):
    data, W, b = train_data(ex.rng)
    got = ex.learner(train_probe, data, W, b, epochs, lr, final_lr)
    steps = len(got["lr"])
    if steps != epochs * PER_EPOCH:
        fail(tr("train made {steps} optimizer steps in {epochs} epochs of {rows} rows in "
                "batches of {batch}; expected {want}, one per batch.").format(
                    steps=steps, epochs=epochs, rows=N_TRAIN, batch=BATCH_SIZE,
                    want=epochs * PER_EPOCH))
    return got


@check("train: optimizer.zero_grad() before every batch, so each step uses that batch's "
       "gradient", points=1, timeout=10,
       hint=("backward ADDS to each parameter's .grad: call optimizer.zero_grad() before every "
             "batch's backward, or each step uses the sum of all the gradients so far."))
def test_train_zero_grad(ex):
    need_torch()
    epochs = 3
    got = run_train(ex, epochs, 0.05, 0.02)
    if np.isnan(got["fresh b"]).any():
        fail(tr("train called optimizer.step() before running the model on a training "
                "batch."))
    for name, what in (("W", N_("weight")), ("b", N_("bias"))):
        fresh = got[f"fresh {name}"]
        in_epoch = fresh.reshape(epochs, PER_EPOCH, *fresh.shape[1:]).cumsum(axis=1)
        assert_close(got[f"seen {name}"], fresh,
                     tr("the {what}'s .grad at each optimizer.step of a stand-in Linear "
                        "(expected: the gradient of that batch's mean cross-entropy "
                        "alone)").format(what=tr(what)), suspects={
                         tr("the sum of every batch's gradient so far: optimizer.zero_grad() is "
                            "never called, so each backward adds to .grad"): fresh.cumsum(axis=0),
                         tr("the sum of the epoch's gradients so far: optimizer.zero_grad() once "
                            "an epoch, not once a batch"): in_epoch.reshape(fresh.shape),
                         tr("{n} times the batch's gradient: the loss summed over the batch; "
                            "nn.CrossEntropyLoss() averages it").format(n=BATCH_SIZE):
                             BATCH_SIZE * fresh})


@check("train: the model in training mode for every batch, in eval mode for evaluation",
       points=2, timeout=10,
       hint=("accuracy() puts the model in eval mode to measure, so call model.train() at the "
             "start of EVERY epoch: called once before the loop, it leaves every epoch after "
             "the first in eval mode, with dropout off. Evaluate with accuracy(model, X_test, "
             "y_test) after each epoch."))
def test_train_modes(ex):
    need_torch()
    epochs = 3
    got = run_train(ex, epochs, 0.05, 0.02)
    training = got["mode"][:, 0]
    if np.any(training != 1):
        wrong = np.flatnonzero(training != 1)
        if wrong.size == training.size:
            fail(tr("the model was in eval mode for every training batch: it was never put in "
                    "training mode (the stand-in starts in eval mode). Call model.train() at "
                    "the start of every epoch."))
        if wrong[0] >= PER_EPOCH and np.all(training[wrong[0]:] != 1):
            fail(tr("the model trained in training mode in the first epoch only, then stayed in "
                    "eval mode after the first evaluation (batches {first} to {last} of "
                    "{total}): accuracy() switches to eval mode, so call model.train() at the "
                    "start of every epoch, not once before the loop.").format(
                        first=wrong[0] + 1, last=training.size, total=training.size))
        fail(tr("the model was in eval mode for {n} of {total} training batches (the first: "
                "batch {first}): call model.train() at the start of every epoch.").format(
                    n=wrong.size, total=training.size, first=wrong[0] + 1))
    if np.any(got["mode"][:, 1] != 1):
        fail(tr("a training batch ran with autograd off (torch.no_grad()): its loss has no "
                "graph to go back through."))
    tests = got["tests"]
    if len(tests) < epochs:
        fail(tr("the model ran on the test rows {n} times in {epochs} epochs: evaluate with "
                "accuracy(model, X_test, y_test) after every epoch.").format(
                    n=len(tests), epochs=epochs))
    if np.any(tests[:, 0] == 1):
        fail(tr("the model was in training mode when it ran on the test rows: dropout was on "
                "while measuring. accuracy() must call model.eval()."))
    if np.any(tests[:, 1] == 1):
        fail(tr("the model ran on the test rows with autograd on: measure under "
                "torch.no_grad()."))
    if len(got["history accuracy"]) != epochs:
        fail(tr('history["test_accuracy"] has {n} entries after {epochs} epochs; expected one '
                "per epoch.").format(n=len(got["history accuracy"]), epochs=epochs))


@check("train: the learning rate decays by gamma once per epoch, from lr to final_lr", points=2,
       timeout=10,
       hint=("gamma = (final_lr / lr) ** (1 / (epochs - 1)) brings lr to final_lr in the last "
             "epoch. torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma) multiplies the "
             "rate by gamma at each scheduler.step(): call it once per epoch, AFTER the epoch's "
             "optimizer steps, so that the first epoch trains at lr."))
def test_train_lr(ex):
    need_torch()
    epochs, lr, final_lr = 5, 0.2, 0.0125  # gamma = 0.5
    got = run_train(ex, epochs, lr, final_lr)
    epoch = np.arange(epochs * PER_EPOCH) // PER_EPOCH
    step = np.arange(epochs * PER_EPOCH)
    assert_close(got["lr"], lr * 0.5 ** epoch,
                 tr("the learning rate at each optimizer.step ({epochs} epochs of {batches} "
                    "batches, lr={lr}, final_lr={final_lr}: gamma = 0.5)").format(
                        epochs=epochs, batches=PER_EPOCH, lr=lr, final_lr=final_lr), suspects={
                     tr("lr in every epoch: the learning rate never decays (gamma = 1: decaying "
                        "to the same rate, or a scheduler that never steps)"):
                         np.full(step.size, lr),
                     tr("lr * gamma ** (e + 1) in epoch e: the scheduler stepped before the "
                        "optimizer, so the first epoch already ran at a decayed rate"): (
                         lr * 0.5 ** (epoch + 1)),
                     tr("lr * gamma ** k at the k-th batch: the scheduler stepped after every "
                        "batch; step it once per epoch"): lr * 0.5 ** step,
                     tr("lr * gamma ** (k + 1) at the k-th batch: the scheduler stepped before "
                        "the optimizer at every batch; step it once per epoch, after"): (
                         lr * 0.5 ** (step + 1)),
                     tr("gamma = (final_lr / lr) ** (1 / epochs): the last epoch then trains "
                        "above final_lr; epochs - 1 decays reach it"): (
                         lr * (final_lr / lr) ** (epoch / epochs)),
                 }, rtol=1e-9, atol=1e-12)
    assert_close(got["history lr"], lr * 0.5 ** np.arange(epochs),
                 tr('history["lr"] (the learning rate each epoch trained with)'), suspects={
                     tr("the rate after the scheduler's step: note it before the epoch's "
                        "batches"): lr * 0.5 ** np.arange(1, epochs + 1)},
                 rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- digits

BAR, EPOCHS = 0.95, 20  # the title of test_digits says 95% and 20


def digits_probe(m, X_train, y_train, X_test, y_test, epochs, seed):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = m.DenseNet()
        history = m.train(model, X_train, y_train, X_test, y_test, epochs=epochs, seed=seed,
                          device="cpu")
        model.eval()
        with torch.no_grad():
            weight = next(model.parameters())
            x = torch.as_tensor(X_test, dtype=weight.dtype, device=weight.device)
            predicted = model(x).argmax(dim=1)
    return {"predicted": numpy_of(predicted), "epochs": len(history["test_accuracy"])}


@check("a DenseNet trained by train reads at least 95% of the test digits after 20 epochs",
       points=3, timeout=30,
       hint=("Exercise 12's recipe: DenseNet() (89 tanh units, dropout keeping 0.8), SGD with "
             "momentum 0.9, lr 0.1 decaying to 0.01, batches of 60 in a new order each epoch, "
             "nn.CrossEntropyLoss on the logits with the class index (y_train.argmax(axis=1)) "
             "as the target."))
def test_digits(ex):
    need_torch()
    X_train, y_train, X_test, y_test = digits_split()
    got = ex.learner(digits_probe, X_train, y_train, X_test, y_test, EPOCHS, ex.seed)
    if got["epochs"] != EPOCHS:
        fail(tr('train ran {ran} epochs when asked for {epochs} (one history["test_accuracy"] '
                "entry per epoch).").format(ran=int(got["epochs"]), epochs=EPOCHS))
    accuracy = float(np.mean(got["predicted"] == np.argmax(y_test, axis=1)))
    if accuracy < BAR:
        fail(tr("after {epochs} epochs the DenseNet reads {accuracy:.1%} of the {n} test digits "
                "right; the bar is {bar:.0%}. Guessing gets 10 %; exercise 12's NumPy network "
                "reaches about 96.5 %.").format(epochs=EPOCHS, accuracy=accuracy, n=len(y_test),
                                                 bar=BAR))
