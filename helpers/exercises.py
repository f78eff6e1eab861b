"""Exercises whose answers a helper checks: a wrong answer gets a hint, never a traceback."""
from __future__ import annotations

import html
import math

import numpy as np
import sympy

from .validation import as_float_array, check_flag, check_number, check_text

__all__ = ["Exercise", "Feedback"]


class Feedback:
    """The verdict on one answer: ``correct`` (True or False) and a short ``message`` (a string) for the student."""

    def __init__(self, correct: bool, message: str):
        self.correct = check_flag("correct", correct)
        self.message = check_text("message", message)

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("Correct. " if self.correct else "Not yet. ") + self.message

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"
        verdict = "Correct." if self.correct else "Not yet."
        return f"<p><b style='color:{colour}'>{verdict}</b> {html.escape(self.message)}</p>"


class Exercise:
    """A question with a known answer.

    ``prompt`` (a string) names the question; ``expected`` is a finite number, a non-empty array-like
    of finite numbers (compared element-wise within ``tolerance``, absolute, a finite number ≥ 0; 0 asks
    for the exact value) or a SymPy expression with symbols (compared by ``simplify(answer - expected) == 0``).
    ``hint`` (a non-empty string) is what a wrong answer sees; ``explanation`` (a string) what a right one sees.
    """

    def __init__(self, prompt: str, expected, *, hint: str, tolerance: float = 1e-3, explanation: str = ""):
        self.prompt = check_text("prompt", prompt)
        self.symbolic = isinstance(expected, sympy.Basic) and not expected.is_number
        if not self.symbolic:
            array = _to_float_array(expected)
            expected = as_float_array("expected", expected if array is None else array)
        self.expected = expected
        self.hint = check_text("hint", hint, allow_empty=False)
        self.tolerance = check_number("tolerance", tolerance, low=0.0)
        self.explanation = check_text("explanation", explanation)

    def check(self, answer) -> Feedback:
        """Judge ``answer``; always returns Feedback, whatever ``answer`` is."""
        if answer is None or answer is Ellipsis:
            return Feedback(False, f"No answer yet. {self.hint}")
        try:
            if self.symbolic:
                return self._check_symbolic(answer)
            return self._check_numeric(answer)
        except Exception as error:  # a student's odd answer must never end in a traceback
            return Feedback(False, f"Could not read that answer ({type(error).__name__}). {self.hint}")

    def _check_symbolic(self, answer) -> Feedback:
        if isinstance(answer, str):
            try:
                answer = sympy.sympify(answer)
            except (sympy.SympifyError, SyntaxError, TypeError):
                return Feedback(False, f"Could not read {answer!r} as a formula. {self.hint}")
        if not isinstance(answer, sympy.Basic):
            answer = sympy.sympify(answer)
        if sympy.simplify(answer - self.expected) == 0:
            return Feedback(True, self.explanation or "The formulas are equal.")
        return Feedback(False, self.hint)

    def _check_numeric(self, answer) -> Feedback:
        if isinstance(answer, str):
            return Feedback(False, f"Expected a number, got the text {answer!r}. {self.hint}")
        if isinstance(answer, sympy.Basic) and answer.free_symbols:
            names = ", ".join(sorted(map(str, answer.free_symbols)))
            return Feedback(False, f"Expected a number, got a formula in {names}: substitute the values. {self.hint}")
        value = _to_float_array(answer)
        if value is None:
            return Feedback(False, f"Expected a number or a list of numbers, got {type(answer).__name__}. {self.hint}")
        if isinstance(answer, sympy.MatrixBase) and self.expected.ndim == 1 and 1 in value.shape:
            value = value.ravel()  # a SymPy column (or row) vector is a vector
        if value.shape != self.expected.shape:
            wanted = "one number" if self.expected.ndim == 0 else f"shape {self.expected.shape}"
            return Feedback(False, f"Expected {wanted}, got shape {value.shape}. {self.hint}")
        if not np.all(np.isfinite(value)):
            return Feedback(False, f"The answer contains NaN or inf. {self.hint}")
        if np.allclose(value, self.expected, rtol=0.0, atol=self.tolerance):
            return Feedback(True, self.explanation or "That matches.")
        return Feedback(False, self.hint)


def _to_float_array(value):
    """``value`` as a float64 array if it is made of real numbers only, else None.

    True/False, text (also b"1"), complex numbers and dates are not numbers here, although NumPy
    would turn them into some (1.0, or the real part with only a warning).
    """
    if isinstance(value, (str, bytes, bytearray)):
        return None
    try:
        if isinstance(value, sympy.MatrixBase):
            value = [[float(v) for v in row] for row in value.tolist()]
        elif isinstance(value, sympy.Basic):
            value = float(value)
        raw = np.asarray(value)
        if raw.dtype.kind not in "iufO":
            return None
        if raw.dtype.kind == "O":  # e.g. a list of SymPy numbers: each must be a real number on its own
            if any(isinstance(v, (bool, np.bool_, str, bytes, complex, np.complexfloating)) for v in raw.flat):
                return None
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array
