"""Weight initialization: the schemes, the spread each one promises, and what they do to a network.

A weight matrix W of a layer with ``fan_in`` inputs and ``fan_out`` outputs has shape
(fan_out, fan_in), as in PyTorch's ``nn.Linear`` (z = W·x + b). The schemes (source 003, section 四):

==================  =========================================  ==========================================
scheme              entries                                    standard deviation
==================  =========================================  ==========================================
zeros / ones        0 / 1                                      0
constant            ``value``                                  0
uniform             U(low, high)  (PyTorch default U(0, 1))    (high − low)/√12
normal              N(mean, std²)                              std
xavier_uniform      U(−a, a), a = √(6/(fan_in + fan_out))      √(2/(fan_in + fan_out))
xavier_normal       N(0, 2/(fan_in + fan_out))                 √(2/(fan_in + fan_out))
he_uniform          U(−a, a), a = √(6/fan)                     √(2/fan)
he_normal           N(0, 2/fan)                                √(2/fan)
==================  =========================================  ==========================================

He (Kaiming) uses fan = fan_in (``mode="fan_in"``, PyTorch's default: keeps the forward signal's
variance) or fan = fan_out (``mode="fan_out"``: keeps the backward gradient's variance).
The derivations of these numbers are in :mod:`helpers.derivations.initialization`.
"""
from __future__ import annotations

import math

import numpy as np

from .network import replay_two_layer
from .validation import as_float_array, check_choice, check_flag, check_integer, check_number, check_positive

__all__ = ["INIT_SCHEMES", "INIT_ACTIVATIONS", "check_fans", "initializer_std", "initializer_bound",
           "initializer_range", "initialize_weights", "activation_statistics", "hidden_unit_spread",
           "replay_with_initialization", "INIT_WIDE_EXAMPLE", "INIT_EXPERIMENT",
           "init_experiment_layer_stds"]

INIT_SCHEMES = ("zeros", "ones", "constant", "uniform", "normal", "xavier_uniform", "xavier_normal", "he_uniform",
                "he_normal")
#: The activations of the layer-by-layer experiment.
INIT_ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}
#: The settings the layer-by-layer experiment compares: label → (scheme, std of the plain normal).
INIT_EXPERIMENT = {"normal, σ = 1": ("normal", 1.0), "normal, σ = 0.01": ("normal", 0.01),
                   "Xavier (normal)": ("xavier_normal", 1.0), "He (normal)": ("he_normal", 1.0)}
#: A wider network for the symmetry demonstration: 3 inputs, 4 hidden units, 3 classes.
INIT_WIDE_EXAMPLE = {"x": [1.0, 2.0, -1.0], "y": [0.0, 1.0, 0.0], "hidden": 4}


def check_fans(fan_in, fan_out) -> tuple[int, int]:
    """fan_in and fan_out must be whole numbers ≥ 1 (a layer has at least one input and one output)."""
    return check_integer("fan_in", fan_in, low=1), check_integer("fan_out", fan_out, low=1)


def _check_settings(scheme: str, **settings) -> dict:
    """The settings a scheme may read (mode, low, high, value, mean, std), each checked whatever the scheme:
    a NaN handed to a scheme that ignores it is still a mistake. low < high matters only for ``uniform``."""
    checks = {"mode": lambda v: check_choice("mode", v, ("fan_in", "fan_out")),
              "low": lambda v: check_number("low", v), "high": lambda v: check_number("high", v),
              "value": lambda v: check_number("value", v), "mean": lambda v: check_number("mean", v),
              "std": lambda v: check_positive("std", v)}
    checked = {name: checks[name](value) for name, value in settings.items()}
    if scheme == "uniform" and not checked["low"] < checked["high"]:
        raise ValueError(f"low must be < high for the uniform scheme; got low={checked['low']!r}, "
                         f"high={checked['high']!r}")
    return checked


def _fan(fan_in: int, fan_out: int, mode: str) -> int:
    return fan_in if check_choice("mode", mode, ("fan_in", "fan_out")) == "fan_in" else fan_out


def initializer_bound(scheme: str, fan_in: int, fan_out: int, *, mode: str = "fan_in") -> float:
    """The a of U(−a, a) for ``xavier_uniform`` (√(6/(fan_in + fan_out))) and ``he_uniform`` (√(6/fan)).

    ``scheme``: "xavier_uniform" or "he_uniform"; ``fan_in``, ``fan_out``: whole numbers ≥ 1; ``mode``:
    "fan_in" or "fan_out" (which fan He uses)."""
    check_choice("scheme", scheme, ("xavier_uniform", "he_uniform"))
    fan_in, fan_out = check_fans(fan_in, fan_out)
    _check_settings(scheme, mode=mode)
    if scheme == "xavier_uniform":
        return math.sqrt(6.0 / (fan_in + fan_out))
    return math.sqrt(6.0 / _fan(fan_in, fan_out, mode))


def initializer_range(scheme: str, fan_in: int, fan_out: int, *, mode: str = "fan_in", low: float = 0.0,
                      high: float = 1.0, value: float = 0.63) -> tuple[float, float]:
    """The interval every entry that ``scheme`` draws lies in: (low, high) for ``uniform``, (−a, a) for the
    Xavier/He uniform schemes, (c, c) for a constant c, and (−inf, inf) for the normal schemes.

    ``scheme``: one of INIT_SCHEMES; ``fan_in``, ``fan_out``: whole numbers ≥ 1; ``mode``: "fan_in" or
    "fan_out" (He); ``low`` < ``high`` (uniform) and ``value`` (constant): finite numbers."""
    check_choice("scheme", scheme, INIT_SCHEMES)
    check_fans(fan_in, fan_out)
    _check_settings(scheme, mode=mode, low=low, high=high, value=value)
    if scheme in ("zeros", "ones", "constant"):
        c = check_number("value", value) if scheme == "constant" else {"zeros": 0.0, "ones": 1.0}[scheme]
        return (c, c)
    if scheme == "uniform":
        initializer_std(scheme, fan_in, fan_out, low=low, high=high)  # validates low < high
        return (float(low), float(high))
    if scheme in ("xavier_uniform", "he_uniform"):
        bound = initializer_bound(scheme, fan_in, fan_out, mode=mode)
        return (-bound, bound)
    return (-math.inf, math.inf)


def initializer_std(scheme: str, fan_in: int, fan_out: int, *, mode: str = "fan_in", low: float = 0.0,
                    high: float = 1.0, std: float = 1.0) -> float:
    """The standard deviation of one entry that ``scheme`` promises (the table in the module docstring).

    ``scheme``: one of INIT_SCHEMES; ``fan_in``, ``fan_out``: whole numbers ≥ 1. ``low`` < ``high`` (finite)
    set ``uniform``; ``std`` > 0 sets ``normal``; ``mode`` in {"fan_in", "fan_out"} sets He.
    """
    check_choice("scheme", scheme, INIT_SCHEMES)
    fan_in, fan_out = check_fans(fan_in, fan_out)
    _check_settings(scheme, mode=mode, low=low, high=high, std=std)
    if scheme in ("zeros", "ones", "constant"):
        return 0.0
    if scheme == "uniform":
        low, high = check_number("low", low), check_number("high", high)
        if not low < high:
            raise ValueError(f"low must be < high; got low={low!r}, high={high!r}")
        return (high - low) / math.sqrt(12.0)
    if scheme == "normal":
        return check_positive("std", std)
    if scheme.startswith("xavier"):
        return math.sqrt(2.0 / (fan_in + fan_out))
    return math.sqrt(2.0 / _fan(fan_in, fan_out, mode))


def initialize_weights(scheme: str, fan_in: int, fan_out: int, *, seed: int = 0, mode: str = "fan_in",
                       value: float = 0.63, low: float = 0.0, high: float = 1.0, mean: float = 0.0,
                       std: float = 1.0) -> np.ndarray:
    """A (fan_out, fan_in) weight matrix drawn by ``scheme`` (one of INIT_SCHEMES) from a generator seeded
    with ``seed`` ≥ 0. ``value`` for ``constant`` (default 0.63, source 003's example); ``low`` < ``high``
    for ``uniform``; ``mean`` and ``std`` > 0 for ``normal``; ``mode`` in {"fan_in", "fan_out"} for He
    (all finite numbers; each is checked whatever the scheme). ``fan_in``, ``fan_out``: whole numbers ≥ 1."""
    check_choice("scheme", scheme, INIT_SCHEMES)
    fan_in, fan_out = check_fans(fan_in, fan_out)
    _check_settings(scheme, mode=mode, value=value, low=low, high=high, mean=mean, std=std)
    rng = np.random.default_rng(check_integer("seed", seed, low=0))
    shape = (fan_out, fan_in)
    if scheme == "zeros":
        return np.zeros(shape)
    if scheme == "ones":
        return np.ones(shape)
    if scheme == "constant":
        return np.full(shape, check_number("value", value))
    if scheme == "uniform":
        initializer_std(scheme, fan_in, fan_out, low=low, high=high)  # validates low < high
        return rng.uniform(low, high, size=shape)
    if scheme == "normal":
        return check_number("mean", mean) + check_positive("std", std) * rng.standard_normal(shape)
    if scheme.endswith("_uniform"):
        bound = initializer_bound(scheme, fan_in, fan_out, mode=mode)
        return rng.uniform(-bound, bound, size=shape)
    return initializer_std(scheme, fan_in, fan_out, mode=mode) * rng.standard_normal(shape)


def activation_statistics(scheme: str, activation: str, *, depth: int = 10, width: int = 100,
                          n_samples: int = 200, seed: int = 0, std: float = 1.0, gradients: bool = False) -> dict:
    """Push ``n_samples`` inputs x ~ N(0, 1) of size ``width`` through ``depth`` layers a[l] = act(W[l]·a[l−1]),
    every W[l] (width × width, no bias) drawn by ``scheme``, and measure each layer.

    depth 1 … 1000, width 1 … 10 000, n_samples ≥ 2 (whole numbers); activation "tanh" or "relu"; ``std`` (> 0)
    is the normal scheme's spread; seed ≥ 0. Layer l uses seed + l, so the same settings give the same numbers.
    Returns ``std`` (depth,) — the standard deviation of all activations of each layer — ``mean`` (depth,),
    ``saturated`` (depth,) — the share of activations with |a| > 0.99 (tanh's flat ends) — and ``last`` (the last
    layer's activations, n_samples × width). With ``gradients=True`` also ``grad_std`` (depth,): the standard
    deviation of ∂L/∂W[l] for the loss L = mean over samples of r·a[depth], r ~ N(0, 1) (seeded): a fixed random
    signal from the top, backpropagated by δ[l] = (W[l+1]ᵀ δ[l+1]) ⊙ act′(z[l]), ∂L/∂W[l] = δ[l]ᵀ a[l−1].
    Overflow shows up as inf/NaN entries (callers hide them).
    """
    check_choice("scheme", scheme, INIT_SCHEMES)
    act = INIT_ACTIVATIONS[check_choice("activation", activation, tuple(INIT_ACTIVATIONS))]
    depth = check_integer("depth", depth, low=1, high=1000)
    width = check_integer("width", width, low=1, high=10_000)
    n_samples = check_integer("n_samples", n_samples, low=2, high=10**6)
    seed = check_integer("seed", seed, low=0)
    std = check_positive("std", std)
    gradients = check_flag("gradients", gradients)
    a = np.random.default_rng(seed).standard_normal((n_samples, width))
    layers = [(None, a)]  # (W[l], a[l]) for the backward pass
    stds, means, saturated = np.zeros(depth), np.zeros(depth), np.zeros(depth)
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(depth):
            W = initialize_weights(scheme, width, width, seed=seed + layer + 1, std=std)
            a = act(_on_one_thread(a, W.T))
            stds[layer], means[layer], saturated[layer] = a.std(), a.mean(), np.mean(np.abs(a) > 0.99)
            if gradients:
                layers.append((W, a))
        result = {"std": stds, "mean": means, "saturated": saturated, "last": a}
        if gradients:
            upstream = np.random.default_rng(seed + 10_000).standard_normal((n_samples, width)) / n_samples  # ∂L/∂a[depth]
            grad_std = np.zeros(depth)
            for layer in range(depth, 0, -1):
                W, a_out = layers[layer]
                slope = 1 - a_out**2 if activation == "tanh" else (a_out > 0).astype(float)
                delta = upstream * slope  # ∂L/∂z[l]
                grad_std[layer - 1] = (delta.T @ layers[layer - 1][1]).std()  # ∂L/∂W[l] = δ[l]ᵀ a[l−1]
                upstream = delta @ W  # ∂L/∂a[l−1] = δ[l] W[l]
            result["grad_std"] = grad_std
    return result


def init_experiment_layer_stds(activation: str, depth: int, width: int, seed: int = 0, n_samples: int = 200,
                               quantity: str = "std") -> dict:
    """{label: one value per layer (depth,)} for every setting of INIT_EXPERIMENT, from
    :func:`activation_statistics`: ``quantity`` "std" (of the layer's activations) or "grad_std" (of ∂L/∂W).
    ``activation``, ``depth``, ``width``, ``seed`` and ``n_samples`` as there. Overflow shows as inf or NaN."""
    check_choice("quantity", quantity, ("std", "grad_std"))
    return {label: activation_statistics(scheme, activation, depth=depth, width=width, n_samples=n_samples, seed=seed,
                                         std=std, gradients=quantity == "grad_std")[quantity]
            for label, (scheme, std) in INIT_EXPERIMENT.items()}


#: OpenBLAS hands a matrix product of more than about a million multiply-adds to its threads; on a busy
#: machine each such product can then wait 10-25 ms for them, and one slider move makes a hundred.
_ONE_THREAD_PRODUCT = 1_000_000


def _on_one_thread(a: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """a @ matrix, in blocks of rows small enough for BLAS to keep each product on one thread
    (``matrix`` made contiguous first: the transposed view is several times slower)."""
    matrix = np.ascontiguousarray(matrix)
    rows = max(1, _ONE_THREAD_PRODUCT // matrix.size)
    if len(a) <= rows:
        return a @ matrix
    return np.concatenate([a[start:start + rows] @ matrix for start in range(0, len(a), rows)])


def hidden_unit_spread(params: dict) -> float:
    """How different the hidden units are: the largest |difference| between hidden unit j and unit 0 in
    their incoming weights (row j of W1), bias (b1[j]) and outgoing weights (column j of W2).
    0.0 exactly means every hidden unit is a copy of the first: the network has one hidden unit's worth of function.
    ``params``: a dict with finite arrays "W1" (h, n), "b1" (h,) and "W2" (k, h), as a TwoLayerRun keeps them."""
    if not isinstance(params, dict) or not {"W1", "b1", "W2"} <= set(params):
        raise ValueError(f"params must be a dict with W1, b1 and W2; "
                         f"got {sorted(params) if isinstance(params, dict) else type(params).__name__}")
    W1 = as_float_array("params['W1']", params["W1"], ndim=2)
    b1 = as_float_array("params['b1']", params["b1"], shape=(W1.shape[0],))
    W2 = as_float_array("params['W2']", params["W2"], ndim=2)
    if W2.shape[1] != W1.shape[0]:
        raise ValueError(f"params['W2'] must have one column per hidden unit ({W1.shape[0]}); got shape {W2.shape}")
    return float(max(np.max(np.abs(W1 - W1[:1])), np.max(np.abs(b1 - b1[0])), np.max(np.abs(W2 - W2[:, :1]))))


def replay_with_initialization(scheme: str, *, hidden: int = 2, x=(1.0, 2.0), y=(1.0, 0.0), seed: int = 0,
                               value: float = 0.63, bias_value: float = 0.0, steps: int = 10, optimizer: str = "sgd",
                               lr: float = 0.1, **optimizer_kwargs):
    """Train the two-layer tanh network of chapter 5 (``replay_two_layer``) from weights drawn by ``scheme``.

    W1 is (hidden, len(x)) and W2 (len(y), hidden), each drawn with its own fan_in/fan_out (W2 with seed + 1);
    b1 and b2 are filled with ``bias_value`` (a finite number). hidden ≥ 1; x a non-empty input; y one-hot with
    ≥ 2 classes (the defaults are the 2-2-2 network's input and label); ``seed`` ≥ 0 and ``value`` (for the
    constant scheme) as in :func:`initialize_weights`; ``steps``, ``optimizer``, ``lr`` and ``optimizer_kwargs``
    as in ``replay_two_layer``. Returns ``(run, spreads)``: the TwoLayerRun, and
    :func:`hidden_unit_spread` at the start and after every kept step (length len(run) + 1).
    """
    hidden = check_integer("hidden", hidden, low=1, high=10_000)
    x, y = as_float_array("x", x, ndim=1), as_float_array("y", y, ndim=1)
    bias_value = check_number("bias_value", bias_value)
    W1 = initialize_weights(scheme, len(x), hidden, seed=seed, value=value)
    W2 = initialize_weights(scheme, hidden, len(y), seed=seed + 1, value=value)
    run = replay_two_layer(x=x, y=y, W1=W1, b1=np.full(hidden, bias_value), W2=W2, b2=np.full(len(y), bias_value),
                           optimizer=optimizer, lr=lr, steps=steps, **optimizer_kwargs)
    spreads = [hidden_unit_spread(run.start)] + [hidden_unit_spread(step["params"]) for step in run]
    return run, np.array(spreads)
