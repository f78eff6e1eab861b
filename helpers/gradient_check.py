"""Finite differences: the independent check of every analytic gradient in the course."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .validation import as_float_array, check_number, check_positive

__all__ = ["numerical_gradient"]


def numerical_gradient(function: Callable[[np.ndarray], float], point, *, step: float = 1e-6) -> np.ndarray:
    """Central-difference estimate of the gradient of a scalar ``function`` at ``point``.

    ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h, error O(h²). ``function``: a callable that takes an
    array shaped like ``point`` and returns one finite number; ``point``: a non-empty array of finite
    numbers; ``step`` (h): a finite number > 0. Returns an array shaped like ``point``.
    """
    if not callable(function):
        raise ValueError(f"function must be a callable returning one number; got {type(function).__name__}")
    point = as_float_array("point", point)
    step = check_positive("step", step)
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + step
        above = _value(function, point)
        point[index] = original - step
        below = _value(function, point)
        point[index] = original
        gradient[index] = (above - below) / (2 * step)
    return gradient


def _value(function, point: np.ndarray) -> float:
    """function(point) as a float; anything but one finite real number is the caller's mistake."""
    value = function(point.copy())
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    try:
        return check_number("function(point)", value)
    except ValueError:
        raise ValueError(f"function must return one finite number at every point; got {value!r} "
                         f"at {point.tolist()}"[:300]) from None
