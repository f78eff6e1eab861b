"""Test landscapes for optimizers, and the runner that walks an optimizer across one.

The chapter's landscape is the elongated bowl f(x, y) = x²/20 + y² of source 004: twenty times
flatter along x than along y, so the gradient points mostly across the valley, not along it.
Every optimizer runs through the course's one interface, :class:`helpers.optimizers.Optimizer`;
this module only supplies the gradient at each point and records where the optimizer went.

:func:`source_form_trajectory` is the exception on purpose: it writes source 004's update rules
as the source states them (Momentum v ← μv − ηg, θ ← θ + v; AdaGrad with ε = 1e-7 added after the
square root), independently of the course's code, so the chapter can check the two agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .optimizers import HYPERPARAMETER_SYMBOLS, OPTIMIZER_NAMES, Optimizer, momentum_step_book_form
from .validation import as_float_array, check_choice, check_integer, check_positive, check_decay_rate

__all__ = ["QuadraticBowl", "ELONGATED_BOWL", "LANDSCAPE_START", "LANDSCAPE_SETTINGS", "DIVERGENCE_RADIUS",
           "landscape_optimizer", "run_landscape_trajectory", "landscape_steps_to_tolerance",
           "source_form_trajectory", "effective_learning_rates", "landscape_comparison", "momentum_steps_map"]

#: Where every optimizer starts (source 004's comparison uses this point).
LANDSCAPE_START = (-7.0, 2.0)
#: A run whose point gets farther than this from the minimum is called diverged and stopped.
DIVERGENCE_RADIUS = 1e6

#: The chapter's settings, one per optimizer. SGD, Momentum, AdaGrad and Adam use the learning
#: rates of the book behind source 004 (0.95, 0.1, 1.5, 0.3); RMSProp's is our choice.
LANDSCAPE_SETTINGS = {
    "sgd": {"lr": 0.95},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "adagrad": {"lr": 1.5},
    "rmsprop": {"lr": 0.1, "beta2": 0.99},
    "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.999},
}


@dataclass(frozen=True)
class QuadraticBowl:
    """f(x, y) = a·x² + b·y², minimum 0 at (0, 0); ∇f = (2a·x, 2b·y). Needs a > 0 and b > 0.

    The ratio b/a is the condition number: how much steeper the bowl is across (y) than along (x).
    """

    a: float = 1 / 20
    b: float = 1.0

    def __post_init__(self):
        check_positive("a", self.a)
        check_positive("b", self.b)

    @property
    def minimum(self) -> np.ndarray:
        return np.zeros(2)

    @property
    def formula(self) -> str:
        return "x²/20 + y²" if (self.a, self.b) == (1 / 20, 1.0) else f"{self.a:g}·x² + {self.b:g}·y²"

    def value(self, x, y):
        """f at points (x, y); x and y may be arrays of one shape (a grid for contour plots)."""
        return self.a * np.asarray(x, dtype=float) ** 2 + self.b * np.asarray(y, dtype=float) ** 2

    def gradient(self, point) -> np.ndarray:
        """∇f = (2a·x, 2b·y) at one point (x, y), shape (2,), or at each of many points, shape (..., 2)
        (a grid for an arrow plot); returns the same shape."""
        point = as_float_array("point", point)
        if point.ndim == 0 or point.shape[-1] != 2:
            raise ValueError(f"point must be (x, y) or an array of points with a last axis of length 2; "
                             f"got shape {point.shape}")
        return point * np.array([2 * self.a, 2 * self.b])


#: The chapter's bowl, f(x, y) = x²/20 + y².
ELONGATED_BOWL = QuadraticBowl()


def landscape_optimizer(name: str, **overrides) -> Optimizer:
    """The course Optimizer for ``name`` (one of OPTIMIZER_NAMES) with the chapter's settings
    (LANDSCAPE_SETTINGS), overridden by any of lr > 0, momentum, beta1, beta2 in [0, 1), eps > 0."""
    check_choice("optimizer", name, OPTIMIZER_NAMES)
    unknown = sorted(set(overrides) - set(_HYPERPARAMETERS))
    if unknown:
        raise ValueError(f"overrides may only set {', '.join(_HYPERPARAMETERS)}; got {unknown}")
    return Optimizer(name, **{**LANDSCAPE_SETTINGS[name], **overrides})


_HYPERPARAMETERS = tuple(HYPERPARAMETER_SYMBOLS)  # Optimizer's keywords: lr, momentum, beta1, beta2, eps


def _check_landscape(landscape) -> QuadraticBowl:
    if not isinstance(landscape, QuadraticBowl):
        raise ValueError(f"landscape must be a helpers.QuadraticBowl; got {type(landscape).__name__}")
    return landscape


def _check_optimizer(optimizer) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a helpers.Optimizer; got {type(optimizer).__name__}")
    return optimizer


def run_landscape_trajectory(optimizer: Optimizer, landscape: QuadraticBowl = ELONGATED_BOWL, *,
                             start=LANDSCAPE_START, steps: int = 30) -> dict:
    """Walk ``optimizer`` (a helpers.Optimizer) from ``start`` (a point (x, y) of finite numbers) for
    ``steps`` (a whole number in [1, 100000]) steps down ``landscape`` (a QuadraticBowl).

    Returns a dict: ``points`` (steps + 1, 2) starting with ``start``; ``values`` f at each point;
    ``effective_learning_rates`` (steps, 2), the per-coordinate rate η/(√s + ε) of AdaGrad, RMSProp and Adam
    (η for SGD and Momentum); ``diverged_at``, the first step whose point lies farther than
    DIVERGENCE_RADIUS from the minimum (None if none). After a divergence the remaining rows are NaN.
    """
    _check_optimizer(optimizer)
    _check_landscape(landscape)
    steps = check_integer("steps", steps, low=1, high=100_000)
    point = as_float_array("start", start, shape=(2,))
    points = np.full((steps + 1, 2), np.nan)
    rates = np.full((steps, 2), np.nan)
    points[0] = point
    params = {"xy": point}
    state = optimizer.init_state(params)
    diverged_at = None
    for t in range(1, steps + 1):
        params, state, record = optimizer.step(params, {"xy": landscape.gradient(params["xy"])}, state)
        if not np.all(np.isfinite(params["xy"])) or np.linalg.norm(params["xy"] - landscape.minimum) > DIVERGENCE_RADIUS:
            diverged_at = t
            break
        points[t] = params["xy"]
        rates[t - 1] = record["xy"].get("effective_learning_rate", optimizer.lr)
    return {"points": points, "values": landscape.value(points[:, 0], points[:, 1]), "effective_learning_rates": rates,
            "diverged_at": diverged_at, "optimizer": optimizer.name}


def landscape_steps_to_tolerance(trajectory: dict, tolerance: float = 0.01,
                                 landscape: QuadraticBowl = ELONGATED_BOWL) -> int | None:
    """The first step t whose point is within ``tolerance`` > 0 (Euclidean distance) of the minimum
    of ``landscape`` (a QuadraticBowl) and stays within it for every later step of the run; None if the
    run never settles there. ``trajectory``: what :func:`run_landscape_trajectory` returned (a dict whose
    ``points`` are an (n, 2) array; NaN rows after a divergence)."""
    tolerance = check_positive("tolerance", tolerance)
    _check_landscape(landscape)
    if not isinstance(trajectory, dict) or "points" not in trajectory:
        raise ValueError(f"trajectory must be a result of run_landscape_trajectory (a dict with 'points'); "
                         f"got {trajectory!r}"[:200])
    points = as_float_array("trajectory['points']", trajectory["points"], ndim=2, finite=False)
    if points.shape[1] != 2:
        raise ValueError(f"trajectory['points'] must have shape (n, 2); got shape {points.shape}")
    distance = np.linalg.norm(points - landscape.minimum, axis=1)
    inside = distance < tolerance  # NaN rows (after a divergence) count as outside
    if not inside[-1]:
        return None
    outside = np.flatnonzero(~inside)
    return int(outside[-1] + 1) if outside.size else 0


def momentum_steps_map(lrs, momenta, *, tolerance: float = 0.01, steps: int = 300,
                       landscape: QuadraticBowl = ELONGATED_BOWL, start=LANDSCAPE_START) -> np.ndarray:
    """Steps Momentum needs to settle within ``tolerance`` of the minimum, for every (μ, η) of a grid.

    Runs the heavy-ball form θ_{t+1} = θ_t − η∇f(θ_t) + μ(θ_t − θ_{t−1}) (the course's u ← μu + g,
    θ ← θ − ηu written without u) for all grid points at once. ``lrs``: 1-D, each η > 0; ``momenta``: 1-D,
    each μ in [0, 1); ``tolerance`` > 0; ``steps``: a whole number in [1, 100000]. Returns shape
    (len(momenta), len(lrs)): the first step from which the point stays within ``tolerance`` (as
    :func:`landscape_steps_to_tolerance` counts it), NaN where a run does not settle within ``steps``.
    """
    lrs = as_float_array("lrs", lrs, ndim=1)
    momenta = as_float_array("momenta", momenta, ndim=1)
    if np.any(lrs <= 0):
        raise ValueError(f"lrs must all be > 0; got {lrs.min()!r}")
    if np.any((momenta < 0) | (momenta >= 1)):
        raise ValueError(f"momenta must all lie in [0, 1); got values from {momenta.min()!r} to {momenta.max()!r}")
    tolerance = check_positive("tolerance", tolerance)
    steps = check_integer("steps", steps, low=1, high=100_000)
    _check_landscape(landscape)
    start = as_float_array("start", start, shape=(2,))
    eta, mu = np.meshgrid(lrs, momenta)  # (len(momenta), len(lrs))
    eta, mu = eta[..., None], mu[..., None]
    previous = current = np.broadcast_to(start, eta.shape[:2] + (2,)).copy()
    last_outside = np.zeros(eta.shape[:2])
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            previous, current = current, current - eta * landscape.gradient(current) + mu * (current - previous)
            outside = ~(np.linalg.norm(current - landscape.minimum, axis=-1) < tolerance)  # NaN counts as outside
            last_outside[outside] = t
    return np.where(last_outside < steps, last_outside + 1, np.nan)


def source_form_trajectory(name: str, *, lr, steps: int = 30, momentum: float = 0.9, eps: float = 1e-7,
                           landscape: QuadraticBowl = ELONGATED_BOWL, start=LANDSCAPE_START) -> np.ndarray:
    """Source 004's update rules, written as the source states them, for comparison with the course's.

    sgd:      θ ← θ − η·g
    momentum: ũ ← μ·ũ − η·g;  θ ← θ + ũ                 (the course and PyTorch: u ← μu + g, θ ← θ − ηu)
    adagrad:  h ← h + g²;  θ ← θ − η·g / (√h + 1e-7)    (ε after the root; PyTorch's default ε is 1e-10)

    SGD and AdaGrad are transcribed here from the source; Momentum uses ``momentum_step_book_form``
    (helpers.optimizers), the source's form kept beside PyTorch's. ``name``: "sgd", "momentum" or
    "adagrad". ``lr`` is one number > 0 or a list of ``steps`` numbers > 0 (a schedule, which is where the
    two forms of Momentum part ways); ``steps``: a whole number in [1, 100000]; ``momentum`` in [0, 1);
    ``eps`` > 0; ``landscape``: a QuadraticBowl; ``start``: a point (x, y). Returns the points, shape
    (steps + 1, 2).
    """
    check_choice("name", name, ("sgd", "momentum", "adagrad"))
    _check_landscape(landscape)
    steps = check_integer("steps", steps, low=1, high=100_000)
    rates = np.full(steps, check_positive("lr", lr)) if np.isscalar(lr) else as_float_array("lr", lr, shape=(steps,))
    if np.any(rates <= 0):
        raise ValueError(f"lr must be > 0 at every step; got {rates.min()!r}")
    momentum, eps = check_decay_rate("momentum", momentum), check_positive("eps", eps)
    theta = as_float_array("start", start, shape=(2,))
    velocity, h = np.zeros(2), np.zeros(2)
    points = [theta.copy()]
    for rate in rates:
        g = landscape.gradient(theta)
        if name == "sgd":
            theta = theta - rate * g
        elif name == "momentum":
            out = momentum_step_book_form(theta, g, velocity, lr=rate, momentum=momentum)
            theta, velocity = out["theta"], out["velocity"]
        else:
            h = h + g * g
            theta = theta - rate * g / (np.sqrt(h) + eps)
        points.append(theta.copy())
    return np.array(points)


def effective_learning_rates(optimizer: Optimizer, gradients) -> np.ndarray:
    """The effective learning rate η/(√s + ε) at each step (η/(√v̂ + ε) for Adam; η for SGD and Momentum) of
    one parameter fed the gradient sequence ``gradients`` (a 1-D list of numbers, non-empty): shape (len(gradients),).
    The step is this rate times the gradient (times m̂ for Adam, the velocity for Momentum).

    With a constant gradient this isolates the schedule each optimizer builds in: AdaGrad's
    η/√(t·g²) shrinks like 1/√t, RMSProp's η/√((1 − β2^t)·g²) settles at η/|g|.
    """
    _check_optimizer(optimizer)
    gradients = as_float_array("gradients", gradients, ndim=1)
    params = {"theta": np.zeros(1)}
    state = optimizer.init_state(params)
    rates = []
    for g in gradients:
        params, state, record = optimizer.step(params, {"theta": np.array([g])}, state)
        rates.append(float(np.ravel(record["theta"].get("effective_learning_rate", optimizer.lr))[0]))
    return np.array(rates)


def landscape_comparison(settings: dict | None = None, *, tolerance: float = 0.01, steps: int = 200,
                         landscape: QuadraticBowl = ELONGATED_BOWL, start=LANDSCAPE_START) -> list:
    """Run each optimizer of ``settings`` from ``start`` for ``steps`` steps and say how it did: one dict per
    optimizer with ``optimizer`` (its Optimizer, settings resolved), ``value_at_30`` (f after min(30, steps)
    steps), ``steps_to_tolerance`` (the first step from which it stays within ``tolerance`` of the minimum,
    or None) and ``diverged_at`` (a step, or None).

    ``settings`` maps optimizer names to dicts of keyword overrides for :func:`landscape_optimizer`
    (default: LANDSCAPE_SETTINGS); ``tolerance`` > 0; ``steps``: a whole number in [1, 100000];
    ``landscape``: a QuadraticBowl; ``start``: a point (x, y).
    """
    settings = LANDSCAPE_SETTINGS if settings is None else settings
    if not isinstance(settings, dict) or not settings or not all(isinstance(v, dict) for v in settings.values()):
        raise ValueError(f"settings must map optimizer names to dicts of overrides (e.g. {{'sgd': {{'lr': 0.95}}}}); "
                         f"got {settings!r}"[:200])
    tolerance = check_positive("tolerance", tolerance)
    steps = check_integer("steps", steps, low=1, high=100_000)
    _check_landscape(landscape)
    as_float_array("start", start, shape=(2,))
    for name in settings:
        check_choice("settings", name, OPTIMIZER_NAMES)
    results = []
    for name, overrides in settings.items():
        optimizer = landscape_optimizer(name, **overrides)
        trajectory = run_landscape_trajectory(optimizer, landscape, start=start, steps=steps)
        results.append({"optimizer": optimizer, "value_at_30": trajectory["values"][min(30, steps)],
                        "steps_to_tolerance": landscape_steps_to_tolerance(trajectory, tolerance, landscape),
                        "diverged_at": trajectory["diverged_at"]})
    return results
