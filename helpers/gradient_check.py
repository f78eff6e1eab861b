"""Finite differences: the independent check of every analytic gradient in the course."""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["numerical_gradient"]


def numerical_gradient(function: Callable[[np.ndarray], float], point, *, step: float = 1e-6) -> np.ndarray:
    """Central-difference estimate of the gradient of a scalar ``function`` at ``point``.

    ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h, error O(h²). Returns an array shaped like ``point``.
    """
    point = np.array(point, dtype=np.float64)
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + step
        above = function(point.copy())
        point[index] = original - step
        below = function(point.copy())
        point[index] = original
        gradient[index] = (above - below) / (2 * step)
    return gradient
