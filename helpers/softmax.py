"""Softmax, a_i = exp(z_i) / Σ_j exp(z_j): logits in, probabilities out, and its derivative.

Shapes: classes along ``axis`` (the last by default); a batch is a 2-D array with one sample per row.
Every function shifts the logits by their maximum first (softmax(z − c) = softmax(z)), so no exp
overflows; :func:`softmax_naive` skips the shift, to show why it is there. The losses built on
softmax (cross-entropy from logits) are in :mod:`helpers.losses`.
"""
from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_integer

__all__ = ["softmax", "softmax_naive", "log_softmax", "softmax_jacobian"]


def softmax(z, axis: int = -1) -> np.ndarray:
    """a_i = exp(z_i − max z) / Σ_j exp(z_j − max z) along ``axis`` (shifted, so large |z| cannot overflow).

    ``z``: logits, finite, any shape with at least one element; ``axis``: the class axis (default the
    last). Returns probabilities of the same shape, each in [0, 1], summing to 1 along ``axis``.
    """
    z = as_float_array("z", z)
    return _softmax_and_log_softmax(z, _axis(axis, z))[0]


def _softmax_and_log_softmax(z: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """softmax(z) and log softmax(z), from one shift by max z: the formulas themselves, on logits
    already checked (the network replay calls this once per step, so it skips the checks)."""
    shifted = z - z.max(axis=axis, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=axis, keepdims=True)
    return exp / total, shifted - np.log(total)


def softmax_naive(z, axis: int = -1) -> np.ndarray:
    """a_i = exp(z_i) / Σ_j exp(z_j), with no shift: shown only to see it fail.

    Same arguments as :func:`softmax`. exp overflows to inf for z > 709.78, and inf/inf is NaN, so for
    logits like [1000, 0, −1000] the result is [nan, 0, 0]. The overflow is returned, not warned about.
    """
    z = as_float_array("z", z)
    axis = _axis(axis, z)
    with np.errstate(over="ignore", invalid="ignore"):
        exp = np.exp(z)
        return exp / np.sum(exp, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1) -> np.ndarray:
    """log a_i = (z_i − max z) − log Σ_j exp(z_j − max z) along ``axis``.

    Same arguments as :func:`softmax`. Computed from the shifted logits, so it stays finite for any
    finite z (even where a_i itself would round to 0). Returns values ≤ 0, same shape as ``z``.
    """
    z = as_float_array("z", z)
    return _softmax_and_log_softmax(z, _axis(axis, z))[1]


def _axis(axis, z: np.ndarray) -> int:
    """An axis of ``z``: a whole number in [−z.ndim, z.ndim − 1] (−1 is the last)."""
    if z.ndim == 0:
        raise ValueError(f"z must have at least one axis (the classes); got the single number {float(z)!r}")
    return check_integer("axis", axis, low=-z.ndim, high=z.ndim - 1)


def softmax_jacobian(z) -> np.ndarray:
    """J_ij = ∂a_i/∂z_j = a_i (δ_ij − a_j), i.e. J = diag(a) − a aᵀ, with a = softmax(z).

    ``z``: finite logits of shape (n,) → J of shape (n, n); a batch (m, n) → (m, n, n).
    Row i of J is the gradient of a_i (J is symmetric, so it is also column i).
    Every row of J sums to 0 (J·1 = 0): adding a constant to all logits changes nothing.
    """
    z = as_float_array("z", z)
    if z.ndim not in (1, 2):
        raise ValueError(f"z must have shape (n,) or (m, n); got shape {z.shape}")
    a = softmax(z)
    return a[..., :, None] * (np.eye(z.shape[-1]) - a[..., None, :])
