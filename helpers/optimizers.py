"""The optimizers of the course, one interface for all: state in, state out, no hidden globals.

Each optimizer is defined once, as an :class:`OptimizerRule` in :data:`OPTIMIZERS`: its name and label,
its formula, the state it keeps per parameter, the hyperparameters it reads with PyTorch's defaults
(``torch.optim``: Momentum has dampening 0 and no Nesterov; RMSProp's β2 is PyTorch's ``alpha``), and
the update rule itself. :class:`Optimizer` applies one of them to a dict of named parameters; each
``*_step`` function checks its inputs and applies one rule to one parameter array, returning every
intermediate as a dict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .validation import (as_float_array, check_choice, check_decay_rate, check_flag, check_integer, check_number,
                         check_positive)

__all__ = ["OptimizerRule", "OPTIMIZERS", "OPTIMIZER_NAMES", "HYPERPARAMETER_SYMBOLS", "sgd_step",
           "momentum_step", "adagrad_step", "rmsprop_step", "adam_step", "Optimizer", "EMA_CONVENTIONS",
           "exponential_moving_average", "bias_correction_factor", "bias_correction_wear_off",
           "adam_ratio_bound", "momentum_step_book_form"]


def _pair(theta, grad):
    theta = as_float_array("theta", theta, allow_empty=False) if not np.isscalar(theta) else as_float_array("theta", [theta])
    grad = as_float_array("grad", grad) if not np.isscalar(grad) else as_float_array("grad", [grad])
    if theta.shape != grad.shape:
        raise ValueError(f"theta and grad must have the same shape; got theta {theta.shape}, grad {grad.shape}")
    return theta, grad


def _like(name, value, theta, *, non_negative: bool = False):
    array = as_float_array(name, value) if not np.isscalar(value) else as_float_array(name, [value])
    if array.shape != theta.shape:
        raise ValueError(f"{name} must have the same shape as theta {theta.shape}; got {array.shape}")
    if non_negative and np.any(array < 0):
        # a sum or an average of squared gradients: a negative entry would make √ return NaN
        raise ValueError(f"{name} must be ≥ 0 everywhere (it accumulates squared gradients); "
                         f"got {float(array[array < 0].flat[0])!r}")
    return array


# -- The update rules themselves, on arrays already checked -----------------------------------
# The public *_step functions check their inputs and then call these; Optimizer.step calls them
# directly, since its hyperparameters were checked once when it was made (a 200-step replay
# would otherwise spend most of its time re-checking the same numbers). Each takes theta, the
# gradient and its state slots (in the order of OptimizerRule.slots), then its hyperparameters by name.

def _sgd_rule(theta, grad, *, lr):
    update = -lr * grad
    return {"theta": theta + update, "update": update}


def _momentum_rule(theta, grad, velocity, *, lr, momentum):
    velocity = momentum * velocity + grad
    update = -lr * velocity
    return {"theta": theta + update, "velocity": velocity, "update": update}


def _adagrad_rule(theta, grad, sum_of_squares, *, lr, eps):
    sum_of_squares = sum_of_squares + grad**2
    rate = lr / (np.sqrt(sum_of_squares) + eps)
    update = -rate * grad
    return {"theta": theta + update, "sum_of_squares": sum_of_squares, "effective_learning_rate": rate, "update": update}


def _rmsprop_rule(theta, grad, v, *, lr, beta2, eps):
    v = beta2 * v + (1 - beta2) * grad**2
    rate = lr / (np.sqrt(v) + eps)
    update = -rate * grad
    return {"theta": theta + update, "v": v, "effective_learning_rate": rate, "update": update}


def _adam_rule(theta, grad, m, v, *, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    rate = lr / (np.sqrt(v_hat) + eps)
    update = -rate * m_hat
    return {"theta": theta + update, "m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat,
            "effective_learning_rate": rate, "update": update}


@dataclass(frozen=True, eq=False)
class OptimizerRule:
    """Everything that makes one optimizer what it is, in one place.

    ``name``: the key ("rmsprop"); ``label``: how the chapters write it ("RMSProp"); ``state_update``
    and ``parameter_update``: its formula, the state's recursion ("" when it keeps none) and the step
    of θ; ``slots``: the state it keeps per parameter (arrays of θ's shape, zeros at the start);
    ``hyperparameters``: what it reads besides η, each with PyTorch's default in ``defaults``;
    ``direction`` and ``scale``: what θ's step is made of, Δθ = −η·direction/(scale + ε), each as (entry of
    the step's record, symbol): ("grad", "g") for the gradient itself, ("m_hat", "m̂"); ``scale`` is None
    when the step is η for every parameter, else the entry whose square root divides, ("v_hat", "√v̂");
    ``bias_corrected``: whether it divides by 1 − βᵗ (it then reads the step count t); ``apply``: the update, ``apply(theta, grad, *slots, lr=η,
    **hyperparameters)`` (and ``t=`` when bias-corrected) returning the new θ, the new slots, ``update``
    (Δθ) and, where there is one, ``effective_learning_rate`` (the per-parameter rate η/(√· + ε); Δθ is minus
    it times the direction).
    """

    name: str
    label: str
    state_update: str
    parameter_update: str
    slots: tuple
    hyperparameters: tuple
    defaults: dict
    direction: tuple
    scale: tuple | None
    bias_corrected: bool
    apply: Callable = field(repr=False)

    @property
    def formula(self) -> str:
        """The whole update, state first: "v ← β2·v + (1 − β2)·g²;  θ ← θ − η·g/(√v + ε)"."""
        return ";  ".join(part for part in (self.state_update, self.parameter_update) if part)


#: The optimizers of the course, by name, in the order the chapters meet them.
OPTIMIZERS = {rule.name: rule for rule in (
    OptimizerRule(name="sgd", label="SGD", state_update="", parameter_update="θ ← θ − η·g", slots=(),
                  hyperparameters=(), defaults={}, direction=("grad", "g"), scale=None, bias_corrected=False,
                  apply=_sgd_rule),
    # μ = 0.9 is the course's default; torch.optim.SGD's is 0 (plain SGD), so PyTorch is given μ explicitly.
    OptimizerRule(name="momentum", label="Momentum", state_update="u ← μ·u + g", parameter_update="θ ← θ − η·u",
                  slots=("velocity",), hyperparameters=("momentum",), defaults={"momentum": 0.9},
                  direction=("velocity", "u"), scale=None, bias_corrected=False, apply=_momentum_rule),
    OptimizerRule(name="adagrad", label="AdaGrad", state_update="s ← s + g²", parameter_update="θ ← θ − η·g/(√s + ε)",
                  slots=("sum_of_squares",), hyperparameters=("eps",), defaults={"eps": 1e-10},
                  direction=("grad", "g"), scale=("sum_of_squares", "√s"), bias_corrected=False, apply=_adagrad_rule),
    # PyTorch calls RMSProp's β2 ``alpha``.
    OptimizerRule(name="rmsprop", label="RMSProp", state_update="v ← β2·v + (1 − β2)·g²",
                  parameter_update="θ ← θ − η·g/(√v + ε)", slots=("v",), hyperparameters=("beta2", "eps"),
                  defaults={"beta2": 0.99, "eps": 1e-8}, direction=("grad", "g"), scale=("v", "√v"),
                  bias_corrected=False, apply=_rmsprop_rule),
    OptimizerRule(name="adam", label="Adam",
                  state_update="m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  m̂ = m/(1 − β1ᵗ);  v̂ = v/(1 − β2ᵗ)",
                  parameter_update="θ ← θ − η·m̂/(√v̂ + ε)", slots=("m", "v"), hyperparameters=("beta1", "beta2", "eps"),
                  defaults={"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, direction=("m_hat", "m̂"),
                  scale=("v_hat", "√v̂"), bias_corrected=True, apply=_adam_rule),
)}
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
#: How the chapters write each hyperparameter.
HYPERPARAMETER_SYMBOLS = {"lr": "η", "momentum": "μ", "beta1": "β1", "beta2": "β2", "eps": "ε"}


def _default(name: str, hyperparameter: str):
    return OPTIMIZERS[name].defaults[hyperparameter]


def sgd_step(theta, grad, *, lr: float) -> dict:
    """θ ← θ − η·g. ``theta`` and ``grad``: non-empty arrays of finite numbers, of one shape (or numbers);
    ``lr`` (η): a finite number > 0. Returns ``theta`` and ``update`` (the change applied)."""
    theta, grad = _pair(theta, grad)
    return _sgd_rule(theta, grad, lr=check_positive("lr", lr))


def momentum_step(theta, grad, velocity, *, lr: float, momentum: float = _default("momentum", "momentum")) -> dict:
    """u ← μ·u + g;  θ ← θ − η·u, u the velocity  (PyTorch's form; source 004's ũ ← μũ − ηg, θ ← θ + ũ is
    the same update with ũ = −η·u while η is constant). ``theta``, ``grad`` and ``velocity``: finite arrays of one
    shape; ``lr`` > 0; ``momentum`` (μ) in [0, 1). Returns ``theta``, ``velocity``, ``update``."""
    theta, grad = _pair(theta, grad)
    velocity = _like("velocity", velocity, theta)
    return _momentum_rule(theta, grad, velocity, lr=check_positive("lr", lr),
                          momentum=check_decay_rate("momentum", momentum))


def adagrad_step(theta, grad, sum_of_squares, *, lr: float, eps: float = _default("adagrad", "eps")) -> dict:
    """s ← s + g²;  θ ← θ − η·g / (√s + ε). ``theta``, ``grad`` and ``sum_of_squares`` (s, ≥ 0): finite
    arrays of one shape; ``lr`` (η) > 0; ``eps`` (ε) > 0. Returns ``theta``, ``sum_of_squares``,
    ``effective_learning_rate`` (the per-parameter rate η / (√s + ε)) and ``update``."""
    theta, grad = _pair(theta, grad)
    sum_of_squares = _like("sum_of_squares", sum_of_squares, theta, non_negative=True)
    return _adagrad_rule(theta, grad, sum_of_squares, lr=check_positive("lr", lr), eps=check_positive("eps", eps))


def rmsprop_step(theta, grad, v, *, lr: float, beta2: float = _default("rmsprop", "beta2"),
                 eps: float = _default("rmsprop", "eps")) -> dict:
    """v ← β2·v + (1 − β2)·g²;  θ ← θ − η·g / (√v + ε). ``theta``, ``grad`` and ``v`` (≥ 0): finite arrays
    of one shape; ``lr`` (η) > 0; ``beta2`` (β2) in [0, 1); ``eps`` (ε) > 0. Returns ``theta``, ``v``,
    ``effective_learning_rate`` (η / (√v + ε)), ``update``."""
    theta, grad = _pair(theta, grad)
    v = _like("v", v, theta, non_negative=True)
    return _rmsprop_rule(theta, grad, v, lr=check_positive("lr", lr), beta2=check_decay_rate("beta2", beta2),
                         eps=check_positive("eps", eps))


def adam_step(theta, grad, m, v, t: int, lr: float = 0.001, beta1: float = _default("adam", "beta1"),
              beta2: float = _default("adam", "beta2"), eps: float = _default("adam", "eps")) -> dict:
    """One Adam step at time t ≥ 1 (m and v are the moving averages after step t − 1; zeros at t = 1).

    m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  m̂ = m/(1 − β1^t);  v̂ = v/(1 − β2^t);
    θ ← θ − η·m̂/(√v̂ + ε). ``theta``, ``grad``, ``m`` and ``v`` (≥ 0): finite arrays of one shape;
    ``t``: a whole number ≥ 1; ``lr`` (η) > 0 (PyTorch's default 0.001); ``beta1``, ``beta2`` in [0, 1);
    ``eps`` (ε) > 0. Returns ``theta``, ``m``, ``v``, ``m_hat``, ``v_hat``, ``effective_learning_rate`` (η/(√v̂ + ε)) and
    ``update`` (the change applied to theta).
    """
    theta, grad = _pair(theta, grad)
    m, v = _like("m", m, theta), _like("v", v, theta, non_negative=True)
    t = check_integer("t", t, low=1)
    lr, eps = check_positive("lr", lr), check_positive("eps", eps)
    beta1, beta2 = check_decay_rate("beta1", beta1), check_decay_rate("beta2", beta2)
    return _adam_rule(theta, grad, m, v, t=t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)


@dataclass(frozen=True)
class Optimizer:
    """An optimizer's name and hyperparameters; it holds no state of its own.

    ``init_state(params)`` gives the starting state for a dict of named arrays; ``step(params,
    grads, state)`` returns ``(new_params, new_state, record)`` where ``record[name]`` is the dict
    that the optimizer's rule returned for that parameter (m, v, m_hat, update, ...).
    ``name``: one of OPTIMIZER_NAMES; ``lr`` (η) > 0; ``momentum`` (μ, Momentum only), ``beta1`` (Adam)
    and ``beta2`` (RMSProp, Adam) in [0, 1); ``eps`` (ε) > 0. Each of these four left None takes the
    chosen optimizer's default (its OptimizerRule's ``defaults``, PyTorch's); a value given is checked
    even when the optimizer does not read it.
    """

    name: str
    lr: float
    momentum: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    eps: float | None = None
    _resolved: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        rule = OPTIMIZERS[check_choice("optimizer", self.name, OPTIMIZER_NAMES)]
        check_positive("lr", self.lr)
        given = {name: None if value is None else check(name, value) for name, value, check in (
            ("momentum", self.momentum, check_decay_rate), ("beta1", self.beta1, check_decay_rate),
            ("beta2", self.beta2, check_decay_rate), ("eps", self.eps, check_positive))}
        self._resolved.update({name: rule.defaults[name] if given[name] is None else given[name]
                               for name in rule.hyperparameters})

    @property
    def rule(self) -> OptimizerRule:
        """This optimizer's definition in OPTIMIZERS."""
        return OPTIMIZERS[self.name]

    @property
    def hyperparameters(self) -> dict:
        """The values this optimizer reads, defaults resolved: η first, then its rule's hyperparameters."""
        return {"lr": self.lr, **self._resolved}

    def init_state(self, params: dict) -> dict:
        zeros = {k: np.zeros_like(np.asarray(p, dtype=np.float64)) for k, p in params.items()}
        return {"t": 0, **{slot: {k: z.copy() for k, z in zeros.items()} for slot in self.rule.slots}}

    def step(self, params: dict, grads: dict, state: dict):
        """One update of every named parameter. ``grads`` has the names of ``params`` and each gradient
        the shape of its parameter; ``state`` is what ``init_state`` or the previous step returned.
        The hyperparameters were checked when the Optimizer was made, so a step checks only names and
        shapes (NaN or inf in a gradient flows into the result, where a replay reports divergence)."""
        if set(params) != set(grads):
            raise ValueError(f"grads must have the same names as params {sorted(params)}; got {sorted(grads)}")
        t = state["t"] + 1
        rule = self.rule
        settings = {**self.hyperparameters, **({"t": t} if rule.bias_corrected else {})}
        new_params, new_state, record = {}, {"t": t}, {}
        for key in params:
            theta = np.asarray(params[key], dtype=np.float64)
            g = np.asarray(grads[key], dtype=np.float64)
            if theta.shape != g.shape:
                raise ValueError(f"grads[{key!r}] must have the shape of params[{key!r}] {theta.shape}; got {g.shape}")
            out = rule.apply(theta, g, *(state[slot][key] for slot in rule.slots), **settings)
            new_params[key] = out["theta"]
            record[key] = out
            for slot in rule.slots:
                new_state.setdefault(slot, {})[key] = out[slot]
        return new_params, new_state, record


# -- The pieces Adam is built from (chapter 6) -------------------------------------------------

#: Where an exponential moving average starts: at the first value (S1 = x1, source 003) or at
#: zero (S0 = 0, the m0 = v0 = 0 of Adam and RMSProp).
EMA_CONVENTIONS = ("first_value", "zero")


def exponential_moving_average(x, beta: float, *, convention: str = "first_value",
                               bias_corrected: bool = False) -> np.ndarray:
    """The exponential moving average (指数加权平均) S_t = β·S_{t−1} + (1 − β)·x_t of a sequence.

    ``convention="first_value"``: S_1 = x_1, then the recursion from t = 2 (source 003's form);
    ``convention="zero"``: S_0 = 0, then the recursion from t = 1 (Adam's m_0 = 0), which gives
    S_t = (1 − β^t)·x for a constant sequence x; ``bias_corrected=True`` divides S_t by (1 − β^t)
    to undo that (allowed only with ``"zero"``; the other start has no such bias).

    x: 1-D sequence of finite numbers, length n ≥ 1; beta in [0, 1); bias_corrected: True or False.
    Returns an array of length n.
    """
    x = as_float_array("x", x, ndim=1)
    beta = check_decay_rate("beta", beta)
    check_choice("convention", convention, EMA_CONVENTIONS)
    bias_corrected = check_flag("bias_corrected", bias_corrected)
    if bias_corrected and convention != "zero":
        raise ValueError("bias_corrected=True needs convention='zero' (the first_value start is not biased "
                         f"towards zero); got convention={convention!r}")
    out = np.empty_like(x)
    s = x[0] if convention == "first_value" else (1 - beta) * x[0]  # β·S_0 vanishes when S_0 = 0
    out[0] = s
    for t in range(1, x.size):
        s = beta * s + (1 - beta) * x[t]
        out[t] = s
    if bias_corrected:
        out = out * bias_correction_factor(beta, np.arange(1, x.size + 1))
    return out


def bias_correction_factor(beta: float, t):
    """1 / (1 − β^t): what Adam multiplies m_t (β = β1) or v_t (β = β2) by at step t.

    beta in [0, 1); t a whole number ≥ 1, or an array of them (then an array comes back).
    The factor is 1/(1 − β) at t = 1 and falls towards 1 as t grows.
    """
    beta = check_decay_rate("beta", beta)
    scalar = np.ndim(t) == 0
    if scalar:
        steps = np.array([check_integer("t", t, low=1)])
    else:
        steps = np.asarray(t)
        if steps.dtype.kind not in "iu" or steps.size == 0 or np.any(steps < 1):
            raise ValueError(f"t must be whole numbers ≥ 1; got {steps!r}")
    if beta == 0:
        factor = np.ones(steps.shape)
    else:
        # −expm1(t·log β) is 1 − β^t without losing digits when β is close to 1.
        factor = -1.0 / np.expm1(steps * np.log(beta))
    return float(factor[0]) if scalar else factor


def bias_correction_wear_off(beta: float, tolerance: float = 0.01) -> int:
    """The first step t at which the correction 1/(1 − β^t) is at most 1 + ``tolerance``.

    1/(1 − β^t) ≤ 1 + δ  ⇔  β^t ≤ δ/(1 + δ)  ⇔  t ≥ ln(δ/(1 + δ))/ln β, about ln(1 + 1/δ)/(1 − β) for β near 1:
    4.6/(1 − β) steps for δ = 1 % (44 for β = 0.9, 4613 for β = 0.999). beta in [0, 1); tolerance > 0.
    """
    beta, tolerance = check_decay_rate("beta", beta), check_positive("tolerance", tolerance)
    if beta == 0:
        return 1  # no memory: the factor is 1 from the first step
    t = max(1, int(np.ceil(np.log(tolerance / (1 + tolerance)) / np.log(beta))))
    while bias_correction_factor(beta, t) > 1 + tolerance:  # a last rounding step of the logarithms
        t += 1
    return t


def adam_ratio_bound(beta1: float, beta2: float) -> float:
    """How large Adam's |m_t|/√v_t can get, over every gradient sequence and step (chapter 7): inf unless β1 < √β2.

    sup |m_t|/√v_t = (1 − β1)/√((1 − β2)(1 − γ)) with γ = β1²/β2 < 1, i.e. β1 < √β2 (β1 = 0 gives γ = 0: m_t is
    g_t, and |g_t|/√v_t ≤ 1/√(1 − β2), RMSProp's bound). Gradients g_t ∝ (β2/β1)^t come arbitrarily close;
    for β1 ≥ √β2 they make the ratio grow without end (for β1 > √β2 one gradient then zeros already does). The
    bias-corrected m̂_t/√v̂_t differs by the factor √(1 − β2^t)/(1 − β1^t), which tends to 1, so it is bounded
    exactly when this is finite. Derived in :func:`helpers.derivations.optimizers.derive_adam_ratio_bound`.
    ``beta1`` (β1) and ``beta2`` (β2): decay rates in [0, 1).
    """
    beta1, beta2 = check_decay_rate("beta1", beta1), check_decay_rate("beta2", beta2)
    if beta1 == 0:
        gamma = 0.0
    else:  # γ itself decides, so that a γ rounded to 1 never divides by 0
        gamma = beta1**2 / beta2 if beta2 > 0 else math.inf
    return (1 - beta1) / math.sqrt((1 - beta2) * (1 - gamma)) if gamma < 1 else math.inf


def momentum_step_book_form(theta, grad, velocity, *, lr: float,
                            momentum: float = _default("momentum", "momentum")) -> dict:
    """Momentum as source 004 (and *Deep Learning from Scratch*) writes it: ũ ← μ·ũ − η·g; θ ← θ + ũ.

    The same update as :func:`momentum_step` (PyTorch's u ← μ·u + g; θ ← θ − η·u): this velocity ũ
    is −η times PyTorch's u, as long as η stays constant. ``theta``, ``grad`` and ``velocity``: finite
    arrays of one shape; ``lr`` > 0; ``momentum`` in [0, 1). Returns ``theta``, ``velocity``, ``update``.
    """
    theta, grad = _pair(theta, grad)
    velocity = _like("velocity", velocity, theta)
    lr, momentum = check_positive("lr", lr), check_decay_rate("momentum", momentum)
    velocity = momentum * velocity - lr * grad
    return {"theta": theta + velocity, "velocity": velocity, "update": velocity}
