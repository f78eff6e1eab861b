"""Exercises whose answers a helper checks: a wrong answer gets a hint, never a traceback.

``NumberExercise`` asks for a number (or a vector, or a formula); ``CodeExercise`` asks for a function,
called on the worked example and on random inputs and compared with the helpers. Each has an id
"NN.slug", is ``register``-ed by ``helpers/exercises/chapterNN.py`` and found again with ``exercise(id)``,
so a notebook cell holds neither the answer nor the worked solution.
"""
from __future__ import annotations

import copy
import decimal
import difflib
import html
import math
import re
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy

from ..validation import as_float_array, check_flag, check_number, check_text

__all__ = ["Exercise", "Feedback"]


class Feedback:
    """The verdict on one answer: ``correct`` (True or False) and a short ``message`` (a string) for the student."""

    def __init__(self, correct: bool, message: str):
        self.correct = check_flag("correct", correct)
        self.message = check_text("message", message)

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return ("Correct. " if self.correct else "Not yet. ") + _LAYER_SUPERSCRIPT.sub(r"\1", _plain(self.message))

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"
        verdict = "Correct." if self.correct else "Not yet."
        message = _LAYER_SUPERSCRIPT.sub(r"<sup>\1</sup>", html.escape(_plain(self.message)))
        return f"<p><b style='color:{colour}'>{verdict}</b> {message}</p>"


#: A layer's superscript as hints and solutions write it, δ^{[2]} or W^{[2]ᵀ}: shown as δ[2] in plain text and
#: as a superscript in HTML, the way the chapters print it.
_LAYER_SUPERSCRIPT = re.compile(r"\^\{(\[[^\]{}]*\][^{}]*)\}")


def _plain(message: str) -> str:
    """A message without the $…$ math delimiters a solution carries for the notebook's Markdown."""
    return message.replace("$", "")


class Exercise:
    """A question with a known answer.

    ``prompt`` (a string) names the question; ``expected`` is a finite number, a non-empty array-like
    of finite numbers (compared element-wise within ``tolerance``, absolute, a finite number ≥ 0; 0 asks
    for the exact value) or a SymPy expression with symbols (compared by ``simplify(answer - expected) == 0``).
    ``hint`` (a non-empty string) is what a wrong answer sees; ``explanation`` (a string) what a right one sees.
    A number off by more than ``tolerance`` but equal to the answer rounded to the student's own last digit
    (``agrees``) is told it is close and asked for more decimals, and is still not right.
    """

    wrong_answers: tuple = ()  # the bank's NumberExercise lists typical wrong values with their own hints

    def __init__(self, prompt: str, expected, *, hint: str, tolerance: float = 1e-3, explanation: str = ""):
        self.prompt = check_text("prompt", prompt)
        self._expected, self._symbolic = _read_expected(expected)
        self.hint = check_text("hint", hint, allow_empty=False)
        self.tolerance = check_number("tolerance", tolerance, low=0.0)
        self.explanation = check_text("explanation", explanation)

    @property
    def expected(self):
        """The right answer: a float array, or a SymPy expression with symbols."""
        return self._expected

    @property
    def symbolic(self) -> bool:
        """True if the answer is a formula (compared by ``simplify``), False if numbers."""
        return self._symbolic

    def check(self, answer) -> Feedback:
        """Judge ``answer``; always returns Feedback, whatever ``answer`` is."""
        if answer is None or answer is Ellipsis:
            # the stored notebook shows this line: it asks, and keeps the hint for a first try
            return Feedback(False, "No answer yet. Put your answer in place of None and run the cell; a wrong answer "
                                   "gets a hint.")
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
        for wrong in self.wrong_answers:
            if agrees(value, wrong.value, self.tolerance):
                return Feedback(False, wrong.hint)
        if agrees(value, self.expected, self.tolerance):
            figures = min(written for v, e, (written, _) in zip(value.flat, self.expected.flat, _written(value))
                          if abs(v - e) > self.tolerance)
            return Feedback(False, f"Close: your {'value agrees' if value.ndim == 0 else 'values agree'} with the "
                                   f"answer to {figures} significant figure{'s' if figures != 1 else ''}; give more "
                                   f"decimals (the check wants "
                                   f"{_wanted_precision(self.tolerance)}).")
        return Feedback(False, self.hint)


def agrees(value, target, tolerance: float) -> bool:
    """Whether every entry of ``value`` is within ``tolerance`` of ``target`` or is ``target`` rounded to the
    entry's own last digit, given to at least 2 significant figures or 2 decimals (0.34 for 0.33975 and 0.04 for
    0.0412, not 0.3).

    ``value`` and ``target`` are float arrays of one shape; ``tolerance`` is absolute.
    """
    value, target = np.asarray(value, dtype=float), np.asarray(target, dtype=float)
    if value.shape != target.shape:
        return False
    for v, t, (figures, place) in zip(value.flat, target.flat, _written(value)):
        if abs(v - t) <= tolerance:
            continue
        if (figures < 2 and place > 0.01 * (1 + 1e-9)) or abs(v - t) > 0.5 * place * (1 + 1e-9):
            return False
    return True


def _written(value) -> list[tuple[int, float]]:
    """(significant figures, place value of the last digit) of each entry of ``value`` as it was written: 0.34 is
    (2, 0.01). A float keeps no trailing zeros, so in a vector an entry of one figure is read to the finest place
    another entry was written to: [0.66, −0.76, 0.10] arrives as [0.66, −0.76, 0.1], and its 0.1 is (2, 0.01)."""
    entries = [float(v) for v in np.asarray(value, dtype=float).flat]
    finest = min((_last_digit(v) for v in entries if math.isfinite(v)), default=math.inf)
    read = []
    for v in entries:
        if not math.isfinite(v):  # inf or NaN was not written to any place: it agrees with nothing
            read.append((0, math.inf))
            continue
        figures, place = _significant_figures(v), _last_digit(v)
        if figures < 2 and v != 0 and place > finest:
            place = finest
            figures = math.floor(math.log10(abs(v))) - round(math.log10(place)) + 1
        read.append((figures, place))
    return read


def _digits(value: float) -> decimal.Decimal:
    """``value`` as the shortest decimal that prints as it (0.34, not 0.34000000000000002)."""
    return decimal.Decimal(repr(float(value))).normalize()


def _significant_figures(value: float) -> int:
    """How many significant figures ``value`` was written with: 2 for 0.34 and for 340.0, 1 for 0.0."""
    return len(_digits(value).as_tuple().digits)


def _last_digit(value: float) -> float:
    """The place value of ``value``'s last written digit: 0.01 for 0.34, 10 for 340.0."""
    return 10.0 ** _digits(value).as_tuple().exponent


def _wanted_precision(tolerance: float) -> str:
    """What a check within ``tolerance`` (absolute) asks for, in words: "4 decimals, within ±0.0001"."""
    if tolerance == 0:
        return "the exact value"
    places = max(0, math.ceil(math.log10(0.5 / tolerance) - 1e-9))
    return f"{places} decimal{'s' if places != 1 else ''}, within ±{tolerance:g}"


def _read_expected(expected) -> tuple:
    """(expected as a float array or a SymPy formula with symbols, whether it is a formula)."""
    if isinstance(expected, sympy.Basic) and not expected.is_number:
        return expected, True
    array = _to_float_array(expected)
    return as_float_array("expected", expected if array is None else array), False


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


# -- exercises with an id, kept in the bank (helpers/exercises/chapterNN.py) -----------------------
_ID = re.compile(r"\d\d\.[a-z0-9_]+")
_REGISTRY: dict = {}


class Solution:
    """A worked solution (Markdown): shown as Markdown in Jupyter, as plain text by ``print``."""

    def __init__(self, title: str, text: str):
        self.title = title
        self.text = text

    def __str__(self) -> str:
        return f"Solution: {self.title}\n\n{self.text}"

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return f"**Solution: {self.title}**\n\n{self.text}"


class _Banked:
    """What every exercise of the bank has: an id "NN.slug", a prompt, a hint and a worked solution."""

    def _set_common(self, id: str, prompt: str, hint: str, solution: str) -> None:
        self.id = check_text("id", id)
        if not _ID.fullmatch(self.id):
            raise ValueError(f"id must be 'NN.slug' (two digits, a dot, lower-case letters, digits, _); got {id!r}")
        self.prompt = check_text("prompt", prompt, allow_empty=False)
        self.hint = check_text("hint", hint, allow_empty=False)
        self.solution_text = check_text("solution", solution, allow_empty=False)

    def solution(self) -> Solution:
        """The worked solution, to read once you have tried (Markdown)."""
        return Solution(self.prompt, self.solution_text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r}: {self.prompt})"


class NumberExercise(_Banked, Exercise):
    """An exercise whose answer is a number, a vector or a formula, checked as ``Exercise`` checks it.

    ``answer`` is the right answer or a function of no arguments returning it (computed from the helpers on
    first use, so importing the bank stays cheap); ``tolerance`` is absolute; ``solution`` is Markdown,
    shown by ``.solution()`` and as the message of a right answer. ``wrong_answers`` (``WrongAnswer``s) are
    typical wrong values: an answer that ``agrees`` with one gets its hint instead of the general one.
    """

    def __init__(self, id: str, *, prompt: str, answer, hint: str, solution: str, tolerance: float = 1e-3,
                 wrong_answers=()):
        self._set_common(id, prompt, hint, solution)
        self._answer = answer
        self._loaded = None
        self.tolerance = check_number("tolerance", tolerance, low=0.0)
        self.explanation = self.solution_text.replace("$", "").replace("`", "")  # a right answer's message
        self.wrong_answers = tuple(wrong_answers)
        for wrong in self.wrong_answers:
            if not isinstance(wrong, WrongAnswer):
                raise ValueError(f"wrong_answers must hold WrongAnswer(value, hint) entries; got {wrong!r}")

    def _load(self) -> tuple:
        if self._loaded is None:
            value = self._answer() if callable(self._answer) else self._answer
            self._loaded = _read_expected(value)
        return self._loaded

    @property
    def expected(self):
        return self._load()[0]

    @property
    def symbolic(self) -> bool:
        return self._load()[1]


class WrongAnswer:
    """A typical wrong answer of a ``NumberExercise``: ``value`` (a number or array-like, or a function of no
    arguments returning one, computed on first use) and the ``hint`` (a non-empty string) that names the slip."""

    def __init__(self, value, hint: str):
        self._value = value
        self.hint = check_text("hint", hint, allow_empty=False)

    @property
    def value(self) -> np.ndarray:
        """The wrong value as a float array."""
        if not isinstance(self._value, np.ndarray):
            self._value = as_float_array("value", self._value() if callable(self._value) else self._value)
        return self._value

    def __repr__(self) -> str:
        return f"WrongAnswer({self._value!r}, {self.hint!r})"


@dataclass(frozen=True)
class Mistake:
    """A typical wrong output: ``applies(got, want, case)`` (arrays of one output, the inputs) → True, and the
    ``hint`` to give then."""

    applies: Callable
    hint: str


def matches(got, candidate) -> bool:
    """Whether a learner's output ``got`` equals ``candidate``, a typical wrong output (same shape, entries within
    rtol 1e-6 and atol 1e-9): the test a ``Mistake`` predicate uses. ``got`` may be anything the learner returned."""
    try:
        got, candidate = np.asarray(got, dtype=float), np.asarray(candidate, dtype=float)
        return got.shape == candidate.shape and bool(np.allclose(got, candidate, rtol=1e-6, atol=1e-9))
    except (TypeError, ValueError):
        return False


def random_cases(make: Callable, n: int = 5, seed: int = 0) -> list:
    """``n`` inputs ``make(rng)`` (each a dict of keyword arguments) from ``numpy.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return [make(rng) for _ in range(n)]


class CodeExercise(_Banked):
    """An exercise where the learner writes a function; ``check(function)`` compares it with ``reference``.

    ``signature`` is the function's header as the learner writes it; ``reference(**case)`` returns the right
    outputs (one value, or a tuple of one value per name in ``outputs``); ``cases`` is a list of keyword
    dicts (or a function of no arguments returning one), the worked example first, then random inputs
    (``random_cases``). A value is right within ``tolerance`` (absolute and relative). The learner's function
    gets deep copies of each case. ``mistakes`` turn a recognised wrong output into a specific hint.
    """

    def __init__(self, id: str, *, prompt: str, signature: str, reference: Callable, outputs, cases, hint: str,
                 solution: str, mistakes=(), tolerance: float = 1e-8):
        self._set_common(id, prompt, hint, solution)
        self.signature = check_text("signature", signature, allow_empty=False)
        if not callable(reference):
            raise ValueError(f"reference must be a function; got {reference!r}")
        self.reference = reference
        self.outputs = [check_text("outputs", name, allow_empty=False) for name in outputs]
        if not self.outputs:
            raise ValueError("outputs must name at least one output; got []")
        self._cases = cases
        self.mistakes = list(mistakes)
        self.tolerance = check_number("tolerance", tolerance, low=0.0)

    @property
    def cases(self) -> list:
        """The inputs the function is tried on (the worked example first)."""
        if callable(self._cases):
            self._cases = self._cases()
        return self._cases

    def check(self, function) -> Feedback:
        """Call ``function`` on every case and judge it; always returns Feedback, whatever it does."""
        if function is None or function is Ellipsis:
            return self._not_written()
        if not callable(function):
            return Feedback(False, f"Pass your function itself (its name, without brackets); got "
                                   f"{_kind(function)}. {self.hint}")
        for number, case in enumerate(self.cases):
            where = "on the worked example" if number == 0 else f"on a random input ({_describe_case(case)})"
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                want = self._as_outputs(self.reference(**copy.deepcopy(case)))
                try:
                    got = function(**copy.deepcopy(case))
                except NotImplementedError:
                    return self._not_written()
                except Exception as error:  # the learner's code: any error becomes a message
                    message = str(error).strip().splitlines()[0][:100] if str(error).strip() else ""
                    if isinstance(error, TypeError) and "argument" in message:
                        message += f" (write it as {self.signature})"
                    return Feedback(False, f"Your function raised {type(error).__name__}"
                                           f"{': ' + message if message else ''} {where} "
                                           f"({_describe_case(case)}). {self.hint}")
                if got is None and number == 0:
                    return self._not_written(" (it returns None: is a return missing?)")
                verdict = self._compare(got, want, case, where, lambda m, i: self._holds_elsewhere(function, m, i, number))
            if verdict is not None:
                return verdict
        randoms = len(self.cases) - 1
        tail = f" and {randoms} random input{'s' if randoms != 1 else ''}" if randoms else ""
        return Feedback(True, f"Matches on the worked example{tail}.")

    def _not_written(self, why: str = "") -> Feedback:
        # the stored notebook shows this line: it says what to write, and keeps the hint for a first try
        return Feedback(False, f"Not written yet{why}: {self.signature} should return {self.prompt}. Write it, run "
                               f"the cell, and a wrong result gets a hint.")

    def _as_outputs(self, value) -> list:
        if len(self.outputs) == 1:
            return [value]
        return list(value)

    def _holds_elsewhere(self, function, mistake, output: int, skip: int) -> bool:
        """Whether ``mistake`` also explains output number ``output`` on every other case where the learner's
        value is wrong (a slip that only looks like a known mistake on one input is not diagnosed as it)."""
        for number, case in enumerate(self.cases):
            if number == skip:
                continue
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    right = np.asarray(self._as_outputs(self.reference(**copy.deepcopy(case)))[output], dtype=float)
                    got = function(**copy.deepcopy(case))
                    mine = _to_float_array(got if len(self.outputs) == 1 else got[output])
                    if mine is None or mine.size != right.size:
                        continue
                    mine = mine.reshape(right.shape)
                    if np.allclose(mine, right, rtol=self.tolerance, atol=self.tolerance):
                        continue
                    if not bool(mistake.applies(mine, right, case)):
                        return False
            except Exception:  # the learner's function or the predicate does not fit this input: no evidence
                continue
        return True

    def _compare(self, got, want: list, case: dict, where: str, confirm=lambda mistake, output: True):
        """None if ``got`` matches ``want``, else the Feedback naming the first wrong output or entry.
        ``confirm(mistake, output)`` says whether a recognised mistake holds on the other cases too."""
        names = self.outputs
        if len(names) == 1:
            got = [got]
        elif not isinstance(got, (tuple, list, np.ndarray)) or len(got) != len(names):
            count = len(got) if isinstance(got, (tuple, list)) else 1
            return Feedback(False, f"Your function should return {len(names)} values ({', '.join(names)}), "
                                   f"got {count if count != 1 else _kind(got)}. {self.hint}")
        for output, (name, mine, right) in enumerate(zip(names, got, want)):
            right = np.asarray(right, dtype=float)
            problem = self._compare_one(name, mine, right, case, where, lambda m: confirm(m, output))
            if problem is not None:
                return problem
        return None

    def _compare_one(self, name: str, mine, right: np.ndarray, case: dict, where: str, confirm=lambda mistake: True):
        wanted = "a number" if right.ndim == 0 else f"an array of shape {right.shape}"
        value = _to_float_array(mine)
        if value is None:
            return Feedback(False, f"Your {name} is {_kind(mine)}, expected {wanted}. {self.hint}")
        if right.ndim == 0 and value.size == 1:
            value = value.reshape(())
        if right.ndim == 0 and value.ndim > 0:
            return Feedback(False, f"Your {name} should be one number, got an array of shape {value.shape}. "
                                   f"{self.hint}")
        if value.shape != right.shape:
            return Feedback(False, f"Your {name} should have shape {right.shape}, got {value.shape}. {self.hint}")
        finite = np.isfinite(value)
        if not finite.all():
            entry = name + _index(np.argwhere(~finite)[0])
            return Feedback(False, f"Your {entry} is {value[tuple(np.argwhere(~finite)[0])]} {where}. {self.hint}")
        close = np.isclose(value, right, rtol=self.tolerance, atol=self.tolerance)
        if close.all():
            return None
        first = tuple(np.argwhere(~close)[0])
        hint = self.hint
        for mistake in self.mistakes:
            try:
                if bool(mistake.applies(value, right, case)) and confirm(mistake):
                    hint = mistake.hint
                    break
            except Exception:  # a predicate that does not fit this output
                continue
        return Feedback(False, f"Your {name}{_index(first)} is {_number(value[first])}, expected "
                               f"{_number(right[first])} {where}: {hint}")


def _index(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]" if len(index) else ""


def _number(value) -> str:
    """A number with 4 significant digits and a true minus sign."""
    value = float(value)
    text = f"{value:.4g}"
    if float(text) == 0:
        text = "0"
    return text.replace("-", "−")


def _describe_case(case: dict) -> str:
    parts = []
    for key, value in case.items():
        array = _to_float_array(value)
        if array is not None and array.ndim == 0:
            text = _number(array)
        elif array is not None and array.size <= 4:
            text = "[" + ", ".join(_number(v) for v in array.ravel()) + "]"
        elif array is not None:
            text = f"an array of shape {array.shape}"
        else:
            text = repr(value)[:30]
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _kind(value) -> str:
    """What a value is, in a few words, for a message."""
    if value is None:
        return "None"
    if isinstance(value, str):
        return f"the text {value[:30]!r}"
    if isinstance(value, dict):
        return "a dict"
    if callable(value):
        return "a function"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def register(exercise):
    """Add ``exercise`` (a NumberExercise or CodeExercise) to the bank under its id; returns it."""
    if not isinstance(exercise, _Banked):
        raise ValueError(f"exercise must be a NumberExercise or a CodeExercise; got {exercise!r}")
    if exercise.id in _REGISTRY:
        raise ValueError(f"id {exercise.id!r} is registered twice")
    _REGISTRY[exercise.id] = exercise
    return exercise


def exercise(id: str):
    """The exercise of the bank with this id ("NN.slug"), e.g. ``exercise("01.loss_after_first_step")``."""
    if id not in _REGISTRY:
        close = difflib.get_close_matches(str(id), list(_REGISTRY), n=3)
        suggestion = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"id must be the id of a registered exercise; got {id!r}.{suggestion}")
    return _REGISTRY[id]


def registered() -> dict:
    """{id: exercise} of every exercise in the bank."""
    return dict(_REGISTRY)
