"""Checks shared by every helper: bad input raises a ValueError that names the parameter,
the value received and the allowed range, so a student sees what to change."""
from __future__ import annotations

import math
import numbers
from typing import Iterable

import numpy as np

__all__ = [
    "check_number",
    "check_positive",
    "check_decay_rate",
    "check_integer",
    "check_choice",
    "as_float_array",
    "check_same_shape",
    "check_flag",
    "check_text",
]


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_number(name: str, value, *, low: float = -math.inf, high: float = math.inf,
                 low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float, or raise ValueError unless it is a finite real number in the range.

    The range is [low, high]; ``low_open``/``high_open`` exclude an end point.
    """
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    allowed = f"a finite number in {left}{low:g}, {high:g}{right}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        # SymPy numbers are not numbers.Real; accept them only when they are plain numbers.
        try:
            import sympy

            if isinstance(value, sympy.Expr) and value.is_number and value.is_real:
                value = float(value)
            else:
                raise TypeError
        except TypeError:
            raise ValueError(f"{name} must be {allowed}; got {_describe(value)}") from None
    value = float(value)
    bad = (not math.isfinite(value) or value < low or value > high
           or (low_open and value == low) or (high_open and value == high))
    if bad:
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    return value


def check_positive(name: str, value) -> float:
    """``value`` as a float: a finite number > 0 (learning rates, epsilons, tolerances)."""
    return check_number(name, value, low=0.0, low_open=True)


def check_decay_rate(name: str, value) -> float:
    """``value`` as a float: a decay rate β of a moving average, in [0, 1)."""
    return check_number(name, value, low=0.0, high=1.0, high_open=True)


def check_integer(name: str, value, *, low: int = -(2**63), high: int = 2**63 - 1) -> int:
    """Return ``value`` as an int, or raise ValueError unless it is a whole number in [low, high]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}]; got {_describe(value)}")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be a whole number in [{low}, {high}]; got {value}")
    return value


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """``value`` unchanged, if it is one of ``choices``, a fixed set of names (an optimizer, a scheme)."""
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {_describe(value)}")
    return value


def as_float_array(name: str, value, *, ndim: int | None = None, shape: tuple | None = None,
                   allow_empty: bool = False, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a new float64 array, or raise ValueError naming ``name``.

    Rejects: things that are not real numbers (strings, None, text or complex entries), NaN or ±inf
    entries (unless ``finite=False``: the losses of a diverged run), the wrong number of dimensions,
    the wrong shape, and (unless allowed) empty arrays.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be an array of finite numbers; got {_describe(value)}")
    try:
        # NumPy would read True as 1.0, "1.5" as 1.5 and drop an imaginary part with only a warning: refuse all.
        if np.asarray(value).dtype.kind in "bUSVcMm":
            raise TypeError
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of finite numbers; got {_describe(value)}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s); got shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}; got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf); got {_describe(value)}")
    return array


def check_same_shape(**arrays: np.ndarray) -> None:
    """Raise ValueError unless all the named arrays have one shape."""
    shapes = {name: np.shape(a) for name, a in arrays.items()}
    if len(set(shapes.values())) > 1:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"{' and '.join(shapes)} must have the same shape; got {listed}")


def check_flag(name: str, value) -> bool:
    """``value`` as a bool: True or False (a switch such as ``shuffle``); 1, "yes" or None are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def check_text(name: str, value, *, allow_none: bool = False, allow_empty: bool = True) -> str | None:
    """``value`` unchanged, if it is a string (a title, a label, a hint); None only when ``allow_none``,
    "" only when ``allow_empty``."""
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        wanted = "a non-empty string" if not allow_empty else "a string"
        raise ValueError(f"{name} must be {wanted}{' or None' if allow_none else ''}; got {_describe(value)}")
    return value
