"""Batch, stochastic and mini-batch gradient descent on one linear-regression data set.

The three differ only in how many samples feed each gradient (source 003, section 2.2):

=================  ============  ====================================  ==========================
name               batch size B  steps per epoch                       50 epochs of 100 samples
=================  ============  ====================================  ==========================
batch (BGD)        N             1                                     50 steps
stochastic (SGD)   1             N                                     5000 steps
mini-batch (MBGD)  1 < B < N     ⌈N / B⌉ (the last batch may be short)  250 steps for B = 20
=================  ============  ====================================  ==========================

A step is one parameter update; an epoch is one pass over the data. The model is ŷ = w·x + b with the
mean squared error L = (1/B)·Σ (ŷ_i − y_i)² over a batch of B samples (PyTorch's ``nn.MSELoss``, the
loss of the source's examples). Its gradient is the mean of the per-sample gradients of
:func:`helpers.linear.linear_gradients` (``convention="plain"``), and the step is the course's SGD rule
θ ← θ − η·g; :func:`run_minibatch_descent` writes both out on whole arrays (a slider reruns thousands of
steps), and the tests replay it with those helpers.
"""
from __future__ import annotations

import math

import numpy as np

from .linear import linear_gradients, linear_loss, linear_predict
from .validation import as_float_array, check_flag, check_integer, check_number, check_positive

__all__ = ["BATCHING_EXAMPLE", "BATCHING_DIVERGENCE_LOSS", "make_regression_data", "check_batch_size",
           "steps_per_epoch", "count_steps", "regression_mse", "run_minibatch_descent",
           "minibatch_gradient_noise", "sampled_gradient_noise", "least_squares_fit"]

#: The chapter's data set and run settings.
BATCHING_EXAMPLE = {"n_samples": 100, "n_features": 3, "true_w": [2.0, -3.4, 1.7], "true_b": 4.2, "noise": 0.5,
                    "seed": 0, "epochs": 50, "lr": 0.05}
#: A run is called diverged at the first step whose full-data loss exceeds this (or is not finite).
BATCHING_DIVERGENCE_LOSS = 1e8


def make_regression_data(n_samples: int = 100, n_features: int = 3, *, true_w=None, true_b: float = 4.2,
                         noise: float = 0.5, seed: int = 0) -> dict:
    """A synthetic regression set from a seeded generator: x ~ N(0, 1) per feature,
    y = true_w·x + true_b + noise·N(0, 1).

    n_samples ≥ 1, n_features ≥ 1 (whole numbers); true_w has n_features entries (default
    [2, −3.4, 1.7] for 3 features, else 1, 2, …); noise ≥ 0; seed a whole number ≥ 0.
    Returns ``X`` (n_samples, n_features), ``y`` (n_samples,), ``true_w``, ``true_b``.
    """
    n_samples = check_integer("n_samples", n_samples, low=1, high=10**7)
    n_features = check_integer("n_features", n_features, low=1, high=10**4)
    noise = check_number("noise", noise, low=0.0)
    seed = check_integer("seed", seed, low=0)
    true_b = check_number("true_b", true_b)
    if true_w is None:
        true_w = BATCHING_EXAMPLE["true_w"] if n_features == 3 else np.arange(1.0, n_features + 1)
    true_w = as_float_array("true_w", true_w, shape=(n_features,))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = X @ true_w + true_b + noise * rng.normal(size=n_samples)
    return {"X": X, "y": y, "true_w": true_w, "true_b": true_b}


def check_batch_size(batch_size, n_samples: int) -> int:
    """``batch_size`` as an int: a whole number from 1 (stochastic) to ``n_samples`` (full batch), where
    ``n_samples`` is a whole number ≥ 1."""
    n_samples = check_integer("n_samples", n_samples, low=1)
    try:
        return check_integer("batch_size", batch_size, low=1, high=n_samples)
    except ValueError:
        raise ValueError(f"batch_size must be a whole number in [1, n_samples] = [1, {n_samples}]; "
                         f"got {batch_size!r}"[:200]) from None


def steps_per_epoch(n_samples: int, batch_size: int) -> int:
    """⌈N / B⌉ = ⌈n_samples / batch_size⌉: one step per batch, the last batch holding what is left over.

    ``n_samples`` ≥ 1 and ``batch_size`` in [1, n_samples], whole numbers."""
    batch_size = check_batch_size(batch_size, n_samples)
    return math.ceil(n_samples / batch_size)


def count_steps(n_samples: int, batch_size: int, epochs: int) -> int:
    """epochs × ⌈N / B⌉: 100 samples, 50 epochs → 50, 5000, 250 steps for B = 100, 1, 20.

    ``n_samples`` ≥ 1, ``batch_size`` in [1, n_samples] and ``epochs`` ≥ 1, whole numbers."""
    epochs = check_integer("epochs", epochs, low=1)
    return epochs * steps_per_epoch(n_samples, batch_size)


def regression_mse(w, b, X, y) -> float:
    """L = (1/n)·Σ (w·x_i + b − y_i)², the mean squared error over all n samples.

    ``X``: (n, d) finite numbers, one row per sample; ``y``: (n,) labels; ``w``: (d,) weights; ``b``: a number.
    """
    X, y = _check_data(X, y)
    w = as_float_array("w", w, shape=(X.shape[1],))
    return float(np.mean(linear_loss(linear_predict(w, check_number("b", b), X), y, convention="plain")))


def _check_data(X, y):
    X = as_float_array("X", X, ndim=2)
    y = as_float_array("y", y, ndim=1)
    if y.shape != (X.shape[0],):
        raise ValueError(f"X and y must hold the same samples (one row of X per label in y); got X with "
                         f"{X.shape[0]} rows and y with {y.size} labels")
    return X, y


def least_squares_fit(X, y) -> dict:
    """The exact minimizer of the MSE (ordinary least squares): ``w``, ``b`` and the smallest ``loss``.

    ``X``: (n, d) finite numbers, one row per sample; ``y``: (n,) finite labels."""
    X, y = _check_data(X, y)
    design = np.column_stack([X, np.ones(len(X))])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    w, b = solution[:-1], float(solution[-1])
    return {"w": w, "b": b, "loss": regression_mse(w, b, X, y)}


def run_minibatch_descent(X, y, *, batch_size: int, lr: float, epochs: int = 50, seed: int = 0,
                          shuffle: bool = True, w0=None, b0: float = 0.0) -> dict:
    """Gradient descent on the MSE with batches of ``batch_size`` samples, for ``epochs`` passes.

    X: (n, d) finite numbers, one row per sample; y: (n,) labels; batch_size B: 1 … n (1 = stochastic,
    n = full batch); lr: η > 0; epochs 1 … 100 000; seed ≥ 0 seeds the shuffling (a fresh order every
    epoch when ``shuffle`` is True; False keeps the data's order); w0 (d,) (default zeros), b0 a number.
    Each step, on a batch 𝓑 of B samples (the last one of an epoch may be shorter) with z_i = (x_i, 1)
    and θ = (w, b):

        g = (2/B)·Σ_{i∈𝓑} (θ·z_i − y_i)·z_i     (the mean of the per-sample gradients of chapters 1-2,
        θ ← θ − η·g                              helpers.linear.linear_gradients, convention="plain";
                                                 then the course's SGD step, helpers.optimizers.sgd_step)

    written out on whole arrays, so that the 5000 steps of B = 1 take milliseconds (a slider reruns
    them); the tests replay it with those helpers.

    Returns a dict: ``losses`` (full-data MSE at the start and after every step; length steps + 1),
    ``epoch_losses`` (at the start and after every epoch; length epochs + 1), ``batch_losses`` (the
    MSE of the batch each step used), ``steps`` (the number of steps made), ``steps_per_epoch``,
    ``batch_size``, ``w``, ``b`` (final), ``diverged_at`` (the first step whose full-data loss passed
    BATCHING_DIVERGENCE_LOSS or was not finite; the run counts as stopped there) and ``status``.
    Losses from a divergence on are NaN, so curves stop where the run diverged.
    """
    X, y = _check_data(X, y)
    n, d = X.shape
    batch_size = check_batch_size(batch_size, n)
    epochs = check_integer("epochs", epochs, low=1, high=100_000)
    seed = check_integer("seed", seed, low=0)
    lr = check_positive("lr", lr)
    shuffle = check_flag("shuffle", shuffle)
    w0 = np.zeros(d) if w0 is None else as_float_array("w0", w0, shape=(d,))
    theta = np.append(w0, check_number("b0", b0))
    Z = np.column_stack([X, np.ones(n)])
    rng = np.random.default_rng(seed)
    per_epoch = steps_per_epoch(n, batch_size)
    total = epochs * per_epoch
    thetas = np.full((total + 1, d + 1), np.nan)
    thetas[0] = theta
    batch_losses = np.full(total, np.nan)
    step = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n) if shuffle else np.arange(n)
            Z_epoch, y_epoch = Z[order], y[order]
            for start in range(0, n, batch_size):
                Z_batch = Z_epoch[start:start + batch_size]
                residual = Z_batch @ theta - y_epoch[start:start + batch_size]
                batch_losses[step] = residual @ residual / len(residual)
                theta = theta - lr * (2.0 / len(residual)) * (residual @ Z_batch)
                step += 1
                thetas[step] = theta
            if not np.mean((Z @ theta - y) ** 2) <= BATCHING_DIVERGENCE_LOSS:
                break  # diverged during this epoch: the steps so far say where
        # every parameter vector's loss on all the data at once: mean over samples of (θ·z_i − y_i)²
        losses = np.mean((thetas @ Z.T - y) ** 2, axis=1)
    passed = np.flatnonzero(~(losses <= BATCHING_DIVERGENCE_LOSS))  # NaN and inf count as passed
    diverged_at = int(passed[0]) if passed.size else None
    if diverged_at is not None:
        losses[diverged_at:] = np.nan
        batch_losses[diverged_at - 1:] = np.nan
    epoch_losses = losses[::per_epoch]
    last = total if diverged_at is None else diverged_at
    status = None if diverged_at is None else f"diverged at step {diverged_at} (epoch {math.ceil(diverged_at / per_epoch)})"
    return {"losses": losses, "epoch_losses": epoch_losses, "batch_losses": batch_losses, "steps": last,
            "steps_per_epoch": per_epoch, "batch_size": batch_size, "w": thetas[last, :d].copy(),
            "b": float(thetas[last, d]), "diverged_at": diverged_at, "status": status}


def _per_sample_gradients(X, y, w, b) -> np.ndarray:
    """Rows (∂L_i/∂w, ∂L_i/∂b) for every sample, from helpers.linear (one sample at a time)."""
    rows = []
    for xi, yi in zip(X, y):
        parts = linear_gradients(w, b, xi, yi, convention="plain")
        rows.append(np.append(parts["grad_w"], parts["grad_b"]))
    return np.array(rows)


def minibatch_gradient_noise(X, y, w, b, batch_size: int) -> float:
    """E‖g_𝓑 − g‖², the mean squared distance between a mini-batch gradient and the full gradient,
    for a batch 𝓑 of B samples drawn without replacement, exactly:

        E‖g_𝓑 − g‖² = (N − B) / (B·(N − 1)) · (1/N)·Σ_i ‖g_i − g‖²

    (g_i per-sample gradients, g their mean). It is 0 for the full batch and largest for B = 1.
    ``X`` (n, d) and ``y`` (n,): the data; ``w`` (d,) and ``b``: where the gradients are taken (finite);
    ``batch_size``: a whole number in [1, n].
    """
    X, y = _check_data(X, y)
    n = len(X)
    batch_size = check_batch_size(batch_size, n)
    per_sample = _per_sample_gradients(X, y, as_float_array("w", w, shape=(X.shape[1],)), check_number("b", b))
    spread = np.mean(np.sum((per_sample - per_sample.mean(axis=0)) ** 2, axis=1))
    return float(spread * (n - batch_size) / (batch_size * (n - 1))) if n > 1 else 0.0


def sampled_gradient_noise(X, y, w, b, batch_size: int, *, draws: int = 2000, seed: int = 0) -> float:
    """The same E‖g_𝓑 − g‖², estimated by drawing ``draws`` ≥ 1 random batches (with ``seed`` ≥ 0) instead
    of by the formula. ``X``, ``y``, ``w``, ``b`` and ``batch_size`` as in :func:`minibatch_gradient_noise`."""
    X, y = _check_data(X, y)
    batch_size = check_batch_size(batch_size, len(X))
    draws = check_integer("draws", draws, low=1)
    rng = np.random.default_rng(check_integer("seed", seed, low=0))
    per_sample = _per_sample_gradients(X, y, as_float_array("w", w, shape=(X.shape[1],)), check_number("b", b))
    full = per_sample.mean(axis=0)
    distances = [np.sum((per_sample[rng.choice(len(X), batch_size, replace=False)].mean(axis=0) - full) ** 2)
                 for _ in range(draws)]
    return float(np.mean(distances))
