"""A multilayer perceptron (多层感知机) trained on data: chapter 5's forward and backward pass for any
layer sizes, mini-batches (chapter 9), the course's optimizers (chapters 6-8), and the training advice
of the sources put to the test: learning-rate schedules, gradient clipping, weight decay.

The network, for layers l = 1 … n (layer n the output), with the samples as the rows of X (shape (m, inputs)):

    a[0] = X,   z[l] = a[l−1]·W[l]ᵀ + b[l],   a[l] = f(z[l]) (l < n),   ŷ = softmax(z[n]),
    L = −(1/m)·Σ_i log ŷ_i[y_i]                        (mean softmax cross-entropy, y class indices)

W[l] has shape (outputs, inputs), as in PyTorch's ``nn.Linear``; ``params`` is a list of (W, b) pairs,
one per layer. The backward pass starts at δ[n] = (ŷ − onehot(y))/m and repeats (chapter 5)

    ∂L/∂W[l] = δ[l]ᵀ·a[l−1],   ∂L/∂b[l] = Σ_rows δ[l],   δ[l−1] = (δ[l]·W[l]) ⊙ f′(z[l−1]).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from .batching import check_batch_size, steps_per_epoch
from .initialization import initializer_std
from .softmax import softmax
from .optimizers import Optimizer
from .validation import as_float_array, check_choice, check_integer, check_number, check_positive

__all__ = ["MLP_ACTIVATIONS", "MLP_SCHEDULES", "MLP_EXAMPLE", "MLP_DIVERGENCE_LOSS", "make_two_moons", "mlp_init",
           "mlp_forward", "mlp_gradients", "mlp_evaluate", "learning_rate_schedule", "clip_gradient_norm",
           "train_mlp", "SADDLE_START", "saddle_value", "saddle_gradient", "saddle_descent"]

MLP_ACTIVATIONS = ("tanh", "relu")
#: constant η; step decay (η × 0.1 every third of the run); cosine decay to 0; linear warm-up then cosine.
MLP_SCHEDULES = ("constant", "step", "cosine", "warmup_cosine")
#: The chapter's setting: two moons, 200 training and 200 test points, a 2-16-16-2 tanh network.
MLP_EXAMPLE = {"n_train": 200, "n_test": 200, "noise": 0.2, "seed": 0, "layer_sizes": (2, 16, 16, 2),
               "activation": "tanh", "epochs": 30, "batch_size": 20}
#: A run whose batch loss passes this (or stops being finite) is called diverged and stopped.
MLP_DIVERGENCE_LOSS = 1e4


# -- data -------------------------------------------------------------------------------------------
def make_two_moons(n_train: int = 200, n_test: int = 200, *, noise: float = 0.2, seed: int = 0) -> dict:
    """Two interleaving half circles, one per class, from a seeded generator; half of all the points in
    each class (each split is close to half, not exactly).

    Class 0: (cos t, sin t); class 1: (1 − cos t, ½ − sin t), t ~ U(0, π); plus Gaussian noise of standard
    deviation ``noise``; then shifted by (−½, −¼) so the cloud is centred. ``n_train`` ≥ 2 and
    ``n_test`` ≥ 2 are whole numbers (≤ 100 000), ``noise`` ≥ 0 (≤ 10), ``seed`` a whole number ≥ 0.
    Returns ``X_train`` (n_train, 2), ``y_train`` (n_train,) class indices 0/1, ``X_test``, ``y_test``.
    """
    n_train = check_integer("n_train", n_train, low=2, high=100_000)
    n_test = check_integer("n_test", n_test, low=2, high=100_000)
    noise = check_number("noise", noise, low=0.0, high=10.0)
    rng = np.random.default_rng(check_integer("seed", seed, low=0))
    n = n_train + n_test
    labels = rng.permutation(np.arange(n) % 2)
    t = rng.uniform(0.0, np.pi, size=n)
    X = np.where(labels[:, None] == 0, np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]))
    X = X + noise * rng.standard_normal((n, 2)) - np.array([0.5, 0.25])
    return {"X_train": X[:n_train], "y_train": labels[:n_train], "X_test": X[n_train:], "y_test": labels[n_train:]}


# -- the network ------------------------------------------------------------------------------------
def mlp_init(layer_sizes=(2, 16, 16, 2), activation: str = "tanh", *, seed: int = 0) -> list:
    """Starting parameters [(W[1], b[1]), …]: W[l] (n_l, n_{l−1}) ~ N(0, σ²) with Xavier's σ² = 2/(n_{l−1} + n_l)
    for tanh and He's σ² = 2/n_{l−1} for ReLU (chapter 10), b[l] = 0.

    ``layer_sizes``: 2 to 10 whole numbers in [1, 1000], inputs first, classes last (at least 2 classes);
    ``activation`` in MLP_ACTIVATIONS; ``seed``: a whole number ≥ 0.
    """
    sizes = _check_layer_sizes(layer_sizes)
    scheme = {"tanh": "xavier_normal", "relu": "he_normal"}[check_choice("activation", activation, MLP_ACTIVATIONS)]
    rng = np.random.default_rng(check_integer("seed", seed, low=0))
    return [(initializer_std(scheme, fan_in, fan_out) * rng.standard_normal((fan_out, fan_in)), np.zeros(fan_out))
            for fan_in, fan_out in zip(sizes[:-1], sizes[1:])]


def _check_layer_sizes(layer_sizes) -> tuple:
    if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, (list, tuple, np.ndarray)) \
            or not 2 <= len(layer_sizes) <= 10:
        raise ValueError(f"layer_sizes must be a list of 2 to 10 whole numbers (inputs first, classes last); "
                         f"got {layer_sizes!r}"[:200])
    try:
        sizes = tuple(check_integer("layer_sizes", size, low=1, high=1000) for size in layer_sizes)
    except ValueError:
        raise ValueError(f"layer_sizes must hold whole numbers in [1, 1000]; got {list(layer_sizes)!r}"[:200]) from None
    if sizes[-1] < 2:
        raise ValueError(f"layer_sizes must end with at least 2 classes; got {list(sizes)!r}")
    return sizes


def _check_params(params) -> list:
    """params as a list of float (W, b) pairs whose shapes chain: W[l] (n_l, n_{l−1}), b[l] (n_l,)."""
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError(f"params must be a non-empty list of (W, b) pairs, one per layer; got {params!r}"[:200])
    checked = []
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"params must be a list of (W, b) pairs; layer {l} got {pair!r}"[:200])
        W = as_float_array("params", pair[0], ndim=2)
        b = as_float_array("params", pair[1], shape=(W.shape[0],))
        if checked and W.shape[1] != checked[-1][0].shape[0]:
            raise ValueError(f"params must chain: W[{l}] needs {checked[-1][0].shape[0]} columns (the outputs of "
                             f"layer {l - 1}); got shape {W.shape}")
        checked.append((W, b))
    if checked[-1][0].shape[0] < 2:
        raise ValueError(f"params must end with a layer of at least 2 classes; got {checked[-1][0].shape[0]}")
    return checked


def _check_data(params, X, y=None, *, labelled: bool = False):
    """X (m, inputs) checked against W[1]; with ``labelled``, also y: m class indices below the classes of the last W."""
    X = as_float_array("X", X, ndim=2)
    if X.shape[1] != params[0][0].shape[1]:
        raise ValueError(f"X must have one column per input of W[1] ({params[0][0].shape[1]}); got shape {X.shape}")
    if not labelled:
        return X
    labels = np.asarray(y) if y is not None and not isinstance(y, (str, bytes, dict)) else np.asarray([None])
    classes = params[-1][0].shape[0]
    if labels.shape != (X.shape[0],) or labels.dtype.kind not in "iu" or np.any(labels < 0) or np.any(labels >= classes):
        raise ValueError(f"y must hold one class index in [0, {classes - 1}] per row of X ({X.shape[0]}); "
                         f"got {y!r}"[:200])
    return X, labels.astype(int)


def _activate(z, activation):
    return np.tanh(z) if activation == "tanh" else np.maximum(z, 0.0)


def _activation_slope(z, a, activation):
    """f′(z): 1 − tanh² for tanh (from a = tanh z), the step 1[z > 0] for ReLU."""
    return 1.0 - a**2 if activation == "tanh" else (z > 0).astype(float)


def _forward(params, X, activation):
    a, zs, activations = X, [], [X]
    for l, (W, b) in enumerate(params, start=1):
        z = a @ W.T + b
        zs.append(z)
        if l < len(params):
            a = _activate(z, activation)
            activations.append(a)
    return {"a": activations, "z": zs}


def mlp_forward(params, X, activation: str = "tanh") -> dict:
    """The forward pass: ``a`` = [a[0] = X, a[1], …, a[n−1]], ``z`` = [z[1], …, z[n]] (n the output layer, z[n]
    the logits) and ``y_hat`` = softmax(z[n]), each row one sample.

    ``params``: a list of (W, b) pairs, W[l] shaped (outputs, inputs) as in ``nn.Linear``; ``X``: (m, inputs)
    finite numbers; ``activation`` in MLP_ACTIVATIONS (every hidden layer; the output layer has none).
    """
    params = _check_params(params)
    X = _check_data(params, X)
    check_choice("activation", activation, MLP_ACTIVATIONS)
    forward = _forward(params, X, activation)
    forward["y_hat"] = softmax(forward["z"][-1])
    return forward


def _loss_and_gradients(params, X, y, activation):
    """Mean cross-entropy and its gradients, unchecked (the training loop's inner step)."""
    forward = _forward(params, X, activation)
    logits = forward["z"][-1]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_y_hat = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    m = len(X)
    loss = -log_y_hat[np.arange(m), y].mean()
    delta = np.exp(log_y_hat)
    delta[np.arange(m), y] -= 1.0
    delta /= m                                            # δ[n] = (ŷ − onehot(y))/m
    grads = []
    for l in range(len(params), 0, -1):
        W = params[l - 1][0]
        a_prev = forward["a"][l - 1]
        grads.append((delta.T @ a_prev, delta.sum(axis=0)))
        if l > 1:
            delta = (delta @ W) * _activation_slope(forward["z"][l - 2], a_prev, activation)
    return float(loss), grads[::-1]


def mlp_gradients(params, X, y, activation: str = "tanh"):
    """(L, grads): the mean softmax cross-entropy of the network on (X, y) and its gradients by backpropagation,
    ``grads`` = [(∂L/∂W[1], ∂L/∂b[1]), …] shaped like ``params``.

    ``params``: a list of (W, b) pairs, W[l] shaped (outputs, inputs) as in ``nn.Linear``, b[l] (outputs,);
    ``X``: (m, inputs) finite numbers; ``y``: (m,) class indices in [0, classes − 1];
    ``activation`` in MLP_ACTIVATIONS.
    """
    params = _check_params(params)
    X, y = _check_data(params, X, y, labelled=True)
    check_choice("activation", activation, MLP_ACTIVATIONS)
    return _loss_and_gradients(params, X, y, activation)


def _evaluate(params, X, y, activation):
    logits = _forward(params, X, activation)["z"][-1]
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        loss = -np.mean(shifted[np.arange(len(X)), y] - np.log(np.exp(shifted).sum(axis=1)))
    return float(loss), float(np.mean(np.argmax(logits, axis=1) == y))


def mlp_evaluate(params, X, y, activation: str = "tanh") -> dict:
    """``loss`` (mean cross-entropy) and ``accuracy`` (share of rows whose largest logit is the label) on (X, y).

    Arguments as in :func:`mlp_gradients`."""
    params = _check_params(params)
    X, y = _check_data(params, X, y, labelled=True)
    check_choice("activation", activation, MLP_ACTIVATIONS)
    loss, accuracy = _evaluate(params, X, y, activation)
    return {"loss": loss, "accuracy": accuracy}


# -- the training advice -------------------------------------------------------------------------------
def learning_rate_schedule(schedule: str, lr: float, total_steps: int, *, warmup_steps: int | None = None) -> np.ndarray:
    """η_t for the steps t = 0 … T − 1 of a run of T = ``total_steps`` steps (step t + 1 uses η_t):

        constant        η_t = η
        step            η_t = η · 0.1^⌊3t/T⌋                      (÷10 after each third of the run)
        cosine          η_t = η · ½(1 + cos(π t/T))                (from η down towards 0)
        warmup_cosine   η_t = η · (t + 1)/w for t < w,  then the cosine over the remaining T − w steps

    ``schedule`` in MLP_SCHEDULES; ``lr`` (η) > 0; ``total_steps`` a whole number in [1, 10⁷];
    ``warmup_steps`` (w): a whole number in [1, T − 1] (default ⌈T/10⌉, at least 1; only with warmup_cosine).
    Every η_t is > 0. Returns an array of T learning rates.
    """
    check_choice("schedule", schedule, MLP_SCHEDULES)
    lr = check_positive("lr", lr)
    T = check_integer("total_steps", total_steps, low=1, high=10**7)
    if warmup_steps is not None:
        check_integer("warmup_steps", warmup_steps, low=1, high=T - 1)
    t = np.arange(T)
    if schedule == "constant":
        return np.full(T, lr)
    if schedule == "step":
        return lr * 0.1 ** np.floor(3 * t / T)
    if schedule == "cosine":
        return lr * 0.5 * (1 + np.cos(np.pi * t / T))
    if T < 2:
        raise ValueError(f"total_steps must be ≥ 2 for warmup_cosine (a warm-up and a decay); got {T}")
    w = max(1, math.ceil(T / 10)) if warmup_steps is None else warmup_steps
    return np.where(t < w, lr * (t + 1) / w, lr * 0.5 * (1 + np.cos(np.pi * (t - w) / (T - w))))


def clip_gradient_norm(grads, max_norm: float):
    """(clipped, norm): every gradient scaled by c/‖g‖ when the norm ‖g‖ of all of them together (as one long
    vector) exceeds c = ``max_norm``; unchanged otherwise. The direction never changes; the norm is capped at c
    (PyTorch's ``clip_grad_norm_``, without its 1e-6 in the denominator).

    ``grads``: a non-empty list of (dW, db) pairs of finite arrays (what :func:`mlp_gradients` returns);
    ``max_norm`` (c) > 0. ``norm`` is ‖g‖ before clipping.
    """
    if not isinstance(grads, (list, tuple)) or not grads or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in grads):
        raise ValueError(f"grads must be a non-empty list of (dW, db) pairs; got {grads!r}"[:200])
    grads = [(as_float_array("grads", dW), as_float_array("grads", db)) for dW, db in grads]
    max_norm = check_positive("max_norm", max_norm)
    shapes = [shape for dW, db in grads for shape in (dW.shape, db.shape)]
    clipped, norm = _clip(np.concatenate([part.ravel() for pair in grads for part in pair]), max_norm)
    return _unflatten(clipped, shapes), norm


def _clip(g, max_norm):
    """(g scaled to norm c = max_norm if its norm is above c, ‖g‖) for one flat gradient vector g."""
    norm = float(np.sqrt(g @ g))
    return (g * (max_norm / norm), norm) if norm > max_norm else (g, norm)  # NaN is left alone, to be reported


def _unflatten(theta, shapes) -> list:
    """[(W[1], b[1]), …] as views into the vector θ, for the given shapes (W, b, W, b, …)."""
    arrays, at = [], 0
    for shape in shapes:
        size = math.prod(shape)
        arrays.append(theta[at:at + size].reshape(shape))
        at += size
    return list(zip(arrays[::2], arrays[1::2]))


def _check_run_data(data, n_inputs, n_classes) -> dict:
    keys = ("X_train", "y_train", "X_test", "y_test")
    if not isinstance(data, dict) or not all(key in data for key in keys):
        raise ValueError(f"data must be a dict with {', '.join(keys)} (what make_two_moons returns); "
                         f"got {data!r}"[:200])
    shapes = [(np.zeros((n_classes, n_inputs)), np.zeros(n_classes))]
    checked = {}
    for part in ("train", "test"):
        try:
            checked[f"X_{part}"], checked[f"y_{part}"] = _check_data(shapes, data[f"X_{part}"], data[f"y_{part}"],
                                                                     labelled=True)
        except ValueError as error:
            raise ValueError(f"data['X_{part}'] and data['y_{part}'] must fit layer_sizes: {error}"[:300]) from None
    return checked


def train_mlp(data, *, optimizer: Optimizer, layer_sizes=MLP_EXAMPLE["layer_sizes"], activation: str = "tanh",
              schedule: str = "constant", epochs: int = 30, batch_size: int = 20, clip_norm: float | None = None,
              weight_decay: float = 0.0, seed: int = 0, keep_params: bool = False) -> dict:
    """Train an MLP with mini-batches for ``epochs`` passes over the training set, recording every epoch.

    Each epoch shuffles the training set (seeded) and cuts it into ⌈N/B⌉ batches of B = ``batch_size`` samples
    (chapter 9's ``steps_per_epoch``; the last batch may be shorter). Each step, on its batch:
    g = ∇L (:func:`mlp_gradients`) + λ·W for each weight matrix (``weight_decay`` λ ≥ 0, biases not decayed);
    g clipped to norm ``clip_norm`` (c > 0, or None for no clipping; :func:`clip_gradient_norm`); then one
    step of ``optimizer`` (a helpers.Optimizer) with its η scaled by ``schedule`` (:func:`learning_rate_schedule`,
    in MLP_SCHEDULES, over all the run's steps).

    ``data``: a dict with X_train, y_train, X_test, y_test (what :func:`make_two_moons` returns);
    ``layer_sizes``: inputs first, classes last (see :func:`mlp_init`, which draws the start from ``seed``);
    ``activation`` in MLP_ACTIVATIONS; ``epochs`` in [1, 1000]; ``batch_size`` in [1, N]; ``seed`` ≥ 0 seeds the
    start and the shuffling; ``keep_params`` True keeps the parameters after every epoch.

    Returns a dict: ``train_loss``, ``test_loss``, ``train_accuracy``, ``test_accuracy`` (arrays of epochs + 1:
    at the start and after each epoch; NaN after a divergence), ``lrs``, ``grad_norms`` (‖g‖ before clipping)
    and ``batch_losses`` per step, ``steps``, ``steps_per_epoch``, ``params`` (final), ``params_per_epoch``
    (with keep_params), ``diverged_at`` (the first step whose batch loss passed MLP_DIVERGENCE_LOSS or was not
    finite; training stops there) and ``status`` (None, or "diverged at step k (epoch e)").
    """
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a helpers.Optimizer, e.g. Optimizer('adam', 0.01); "
                         f"got {type(optimizer).__name__}")
    sizes = _check_layer_sizes(layer_sizes)
    check_choice("activation", activation, MLP_ACTIVATIONS)
    data = _check_run_data(data, sizes[0], sizes[-1])
    epochs = check_integer("epochs", epochs, low=1, high=1000)
    n = len(data["X_train"])
    batch_size = check_batch_size(batch_size, n)
    clip_norm = None if clip_norm is None else check_positive("clip_norm", clip_norm)
    weight_decay = check_number("weight_decay", weight_decay, low=0.0)
    seed = check_integer("seed", seed, low=0)
    if not isinstance(keep_params, bool):
        raise ValueError(f"keep_params must be True or False; got {keep_params!r}")
    per_epoch = steps_per_epoch(n, batch_size)
    lrs = learning_rate_schedule(schedule, optimizer.lr, epochs * per_epoch)

    params = mlp_init(sizes, activation, seed=seed)
    # All parameters as one vector θ (the layers are views into it), so the optimizer makes one update per step.
    shapes = [shape for W, b in params for shape in (W.shape, b.shape)]
    theta = np.concatenate([p.ravel() for pair in params for p in pair])
    state = optimizer.init_state({"theta": theta})
    order_rng = np.random.default_rng([seed, 1])
    record = {key: np.full(epochs + 1, np.nan) for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}
    batch_losses = np.full(epochs * per_epoch, np.nan)
    grad_norms = np.full(epochs * per_epoch, np.nan)
    kept = [[(W.copy(), b.copy()) for W, b in params]] if keep_params else []

    def measure(epoch):
        for part in ("train", "test"):
            record[f"{part}_loss"][epoch], record[f"{part}_accuracy"][epoch] = _evaluate(
                params, data[f"X_{part}"], data[f"y_{part}"], activation)

    measure(0)
    step, diverged_at = 0, None
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            order = order_rng.permutation(n)
            for start in range(0, n, batch_size):
                batch = order[start:start + batch_size]
                loss, grads = _loss_and_gradients(params, data["X_train"][batch], data["y_train"][batch], activation)
                if weight_decay:
                    grads = [(dW + weight_decay * W, db) for (dW, db), (W, _) in zip(grads, params)]
                g = np.concatenate([part.ravel() for pair in grads for part in pair])
                g, norm = _clip(g, clip_norm) if clip_norm else (g, float(np.sqrt(g @ g)))
                grad_norms[step] = norm
                batch_losses[step] = loss
                if not loss <= MLP_DIVERGENCE_LOSS or not math.isfinite(norm):
                    diverged_at = step + 1
                    break
                new, state, _ = dataclasses.replace(optimizer, lr=float(lrs[step])).step({"theta": theta}, {"theta": g},
                                                                                         state)
                theta = new["theta"]
                params = _unflatten(theta, shapes)
                step += 1
            if diverged_at is not None:
                break
            measure(epoch)
            if keep_params:
                kept.append([(W.copy(), b.copy()) for W, b in params])
    status = None if diverged_at is None else (f"diverged at step {diverged_at} "
                                                f"(epoch {math.ceil(diverged_at / per_epoch)})")
    return {**record, "lrs": lrs, "grad_norms": grad_norms, "batch_losses": batch_losses, "steps": step,
            "steps_per_epoch": per_epoch, "batch_size": batch_size, "epochs": epochs, "params": params,
            "params_per_epoch": kept, "activation": activation, "optimizer": optimizer.name, "lr": optimizer.lr,
            "schedule": schedule, "diverged_at": diverged_at, "status": status}


# -- a saddle point (source 003: "Momentum does not stall at a saddle point") ----------------------------
#: Just off the saddle of f = x² − y² + y⁴/4 at (0, 0): y is tiny, so the gradient along y nearly vanishes.
SADDLE_START = (1.0, 1e-6)


def saddle_value(x, y):
    """f(x, y) = x² − y² + y⁴/4: a saddle at (0, 0) (f = 0), minima at (0, ±√2) (f = −1).
    ``x``, ``y``: finite numbers or arrays of one shape."""
    x, y = as_float_array("x", x), as_float_array("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape; got x {x.shape}, y {y.shape}")
    return x**2 - y**2 + y**4 / 4


def saddle_gradient(point) -> np.ndarray:
    """∇f(x, y) = (2x, −2y + y³) at ``point`` = (x, y), two finite numbers."""
    x, y = as_float_array("point", point, shape=(2,))
    return np.array([2 * x, -2 * y + y**3])


def saddle_descent(optimizer: Optimizer, *, start=SADDLE_START, steps: int = 100) -> dict:
    """Walk ``optimizer`` (a helpers.Optimizer) down f = x² − y² + y⁴/4 from ``start`` (a point (x, y) of finite
    numbers) for ``steps`` (a whole number in [1, 100 000]) steps.

    Returns ``points`` (steps + 1, 2) and ``values`` f at each point (NaN after a divergence, when the point
    leaves the disc of radius 1e6; ``diverged_at`` says where)."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a helpers.Optimizer; got {type(optimizer).__name__}")
    point = as_float_array("start", start, shape=(2,))
    steps = check_integer("steps", steps, low=1, high=100_000)
    points = np.full((steps + 1, 2), np.nan)
    points[0] = point
    params = {"xy": point}
    state = optimizer.init_state(params)
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            x, y = params["xy"]
            params, state, _ = optimizer.step(params, {"xy": np.array([2 * x, -2 * y + y**3])}, state)
            if not np.all(np.abs(params["xy"]) < 1e6):
                diverged_at = t
                break
            points[t] = params["xy"]
    values = points[:, 0] ** 2 - points[:, 1] ** 2 + points[:, 1] ** 4 / 4
    return {"points": points, "values": values, "diverged_at": diverged_at, "optimizer": optimizer.name,
            "lr": optimizer.lr}
