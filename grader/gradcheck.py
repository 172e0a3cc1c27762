"""Numerical gradient checks, in float64.

For L = sum(f(x) * G), with G a random normal upstream gradient (never all
ones), a backward pass g = dL/dx is checked along k random unit directions v:

    |(L(x + eps v) - L(x - eps v)) / (2 eps) - <g, v>| / ||g||  <=  tol

with k = 5, eps = 1e-6, tol = 1e-6: as sharp as a full central difference at a
fraction of the cost. On failure, for small tensors, a full central difference
says which coordinates are wrong, judged by |g - n| <= 1e-4 |n| + 1e-7 max|n|.

`probe` runs in the worker (it calls learner code); `verify` runs in the
process that decides, on the plain arrays that came back.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from grader.compare import MIRRORED, explain, fail, relation
from grader.i18n import tr
from grader.maps import error_map, value_maps

K, EPS, TOL = 5, 1e-6, 1e-6
FULL_MAX = 100  # tensors up to this size also get a full central difference


def probe(
    forward: Callable[..., np.ndarray],
    inputs: Mapping[str, np.ndarray],
    backward: Callable[[np.ndarray], Mapping[str, np.ndarray]],
    seed: int,
    k: int = K,
    eps: float = EPS,
) -> dict[str, np.ndarray]:
    """What `verify` needs, computed where learner code may run.

    forward(**inputs) gives f(x); backward(G) gives {name: dL/d input} for
    L = sum(f(x) * G). backward is called right after the first forward.
    """
    rng = np.random.default_rng(seed)
    inputs = {name: np.array(value, dtype=np.float64) for name, value in inputs.items()}
    out = np.asarray(forward(**{n: v.copy() for n, v in inputs.items()}), dtype=np.float64)
    upstream = rng.standard_normal(out.shape)
    grads = backward(upstream.copy())
    result: dict[str, np.ndarray] = {}

    def loss(name: str, x: np.ndarray) -> float:
        args = {n: v.copy() for n, v in inputs.items()}
        args[name] = x
        return float(np.sum(np.asarray(forward(**args), dtype=np.float64) * upstream))

    for name, x in inputs.items():
        result[f"{name}.grad"] = grads[name]
        dirs = rng.standard_normal((k,) + x.shape)
        dirs /= np.sqrt(np.sum(dirs**2, axis=tuple(range(1, dirs.ndim)), keepdims=True))
        result[f"{name}.dirs"] = dirs
        result[f"{name}.numeric"] = np.array(
            [(loss(name, x + eps * v) - loss(name, x - eps * v)) / (2 * eps) for v in dirs]
        )
        if x.size <= FULL_MAX:
            full = np.empty(x.shape)
            for i in np.ndindex(x.shape):
                step = np.zeros(x.shape)
                step[i] = eps
                full[i] = (loss(name, x + step) - loss(name, x - step)) / (2 * eps)
            result[f"{name}.full"] = full
    return result


def verify(result: Mapping[str, np.ndarray], what: str, *, tol: float = TOL) -> None:
    """Fail with a learner-facing message unless every gradient in result agrees."""
    names = [key[: -len(".grad")] for key in result if key.endswith(".grad")]
    for name in names:
        grad = np.asarray(result[f"{name}.grad"])
        dirs = np.asarray(result[f"{name}.dirs"])
        numeric = np.asarray(result[f"{name}.numeric"])
        label = tr("the gradient with respect to {name} from {what}").format(name=name, what=what)
        if grad.shape != dirs.shape[1:]:
            fail(tr("{label} has shape {got}; it must have {name}'s shape {want}").format(
                label=label, got=grad.shape, name=name, want=dirs.shape[1:]))
        if not np.all(np.isfinite(grad)):
            fail(tr("{label} contains NaN or infinity").format(label=label))
        analytic = np.tensordot(dirs, grad, axes=grad.ndim)
        scale = max(float(np.linalg.norm(grad)), 1e-12)
        errors = np.abs(numeric - analytic) / scale
        worst = int(np.argmax(errors))
        if errors[worst] <= tol:
            continue
        lines = [
            tr("{label} disagrees with a numerical derivative.").format(label=label),
            tr("  along a random direction: numerical {numeric:.6g}, yours {yours:.6g} "
               "(relative error {error:.2g}, allowed {tol:.0e})").format(
                numeric=numeric[worst], yours=analytic[worst], error=errors[worst], tol=tol),
        ]
        full = result.get(f"{name}.full")
        arrays = {}
        if full is not None:
            lines += _where(grad, np.asarray(full))
            arrays = {"numerical": np.asarray(full), "yours": grad}
        fail("\n".join(lines), arrays={f"{name}: {k}": v for k, v in arrays.items()})


def _where(grad: np.ndarray, full: np.ndarray) -> list[str]:
    """Which coordinates are wrong, from a full central difference."""
    bad = np.abs(grad - full) > 1e-4 * np.abs(full) + 1e-7 * np.max(np.abs(full))
    if not bad.any():
        return []
    idx = np.unravel_index(np.argmax(np.abs(grad - full) * bad), grad.shape)
    at = "[" + ", ".join(str(int(i)) for i in idx) + "]"
    lines = [tr("  wrong at {bad} of {size} coordinates; worst {at}: numerical {numeric:.6g}, "
                "yours {yours:.6g}").format(bad=int(bad.sum()), size=grad.size, at=at,
                                            numeric=full[idx], yours=grad[idx])]
    found = relation(grad, full)
    if found and found[0] in MIRRORED:
        lines += value_maps(full, grad, idx, tr("numerical"), tr("yours"))
    else:
        lines += error_map(bad, idx)
    if found:
        lines.append("  " + explain(found, tr("Your gradient"), tr("the numerical one")))
    return lines
