"""Losses and the softmax that feeds cross-entropy. (Being extended: see the loss-functions chapter.)"""
from __future__ import annotations

import numpy as np

from .validation import as_float_array

__all__ = ["softmax"]


def softmax(z, axis: int = -1) -> np.ndarray:
    """a_i = exp(z_i − max z) / Σ_j exp(z_j − max z) along ``axis`` (shifted, so large |z| cannot overflow)."""
    z = as_float_array("z", z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)
