"""The small SymPy layer every chapter uses: evaluate a derived formula at the worked
example's values and check it against the NumPy replay to a stated tolerance."""
from __future__ import annotations

import numpy as np
import sympy

from .validation import as_float_array, check_number, check_text

__all__ = ["evaluate", "Agreement", "check_agreement", "Derivation", "Equations", "simplified_residual"]


def evaluate(expression, values: dict | None = None) -> np.ndarray | float:
    """Substitute ``values`` ({symbol: number}, or None) into ``expression`` and return real numbers.

    ``expression``: a SymPy expression or matrix, a number, or a list of them. Returns a float for a
    scalar expression, a float64 array for a matrix or a list; raises ValueError if a symbol is left
    over (``values`` misses it) or the result is not a real number.
    """
    if values is not None and not isinstance(values, dict):
        raise ValueError(f"values must be a dict {{symbol: number}} or None; got {type(values).__name__}")
    values = values or {}
    if isinstance(expression, (list, tuple)):
        return np.array([evaluate(e, values) for e in expression], dtype=np.float64)
    if isinstance(expression, (str, bytes)) or expression is None:
        raise ValueError(f"expression must be a SymPy expression, a matrix or a number; got {expression!r}")
    try:
        substituted = sympy.sympify(expression, strict=True).subs(values) \
            if not isinstance(expression, sympy.MatrixBase) else expression.subs(values)
    except (sympy.SympifyError, TypeError, AttributeError):
        raise ValueError(f"expression must be a SymPy expression, a matrix or a number; "
                         f"got {type(expression).__name__}") from None
    leftover = substituted.free_symbols
    if leftover:
        raise ValueError(f"values must give every symbol a number; missing {sorted(map(str, leftover))}, "
                         f"got values for {sorted(map(str, values))}")
    try:
        if isinstance(substituted, sympy.MatrixBase):
            return np.array(substituted.evalf(30).tolist(), dtype=np.float64)
        return float(substituted.evalf(30))
    except TypeError:
        raise ValueError(f"expression must evaluate to real numbers; got {substituted}") from None


class Agreement:
    """The result of comparing a symbolic value with a numeric one (prints as one line).

    ``name``: what is compared (a string); ``symbolic`` and ``numeric``: non-empty arrays (or numbers) of
    finite numbers; ``tolerance``: the largest allowed absolute difference, a finite number ≥ 0;
    ``labels``: two strings naming the two sides. Different shapes count as disagreement.
    """

    def __init__(self, name: str, symbolic, numeric, tolerance: float, labels: tuple[str, str] = ("SymPy", "NumPy")):
        self.name = check_text("name", name)
        if isinstance(labels, (str, bytes)) or not isinstance(labels, (list, tuple)) or len(labels) != 2 \
                or not all(isinstance(label, str) for label in labels):
            raise ValueError(f"labels must be two strings naming the two sides; got {labels!r}")
        self.labels = tuple(labels)
        self.symbolic = as_float_array("symbolic", symbolic)
        self.numeric = as_float_array("numeric", numeric)
        self.tolerance = check_number("tolerance", tolerance, low=0.0)
        same_shape = self.symbolic.shape == self.numeric.shape
        self.max_difference = float(np.max(np.abs(self.symbolic - self.numeric))) if same_shape else float("inf")
        self.agree = same_shape and self.max_difference <= tolerance

    def __bool__(self) -> bool:
        return self.agree

    def __repr__(self) -> str:
        from .tables import format_number

        verdict = f"agree to within {self.tolerance:g}" if self.agree else \
            f"DISAGREE: largest difference {self.max_difference:.3g} > {self.tolerance:g}"
        left, right = self.labels
        return (f"{self.name}: {left} {format_number(self.symbolic, 6)} | {right} {format_number(self.numeric, 6)}"
                f" -> {verdict}")


def check_agreement(name: str, symbolic, numeric, *, tolerance: float = 1e-12, values: dict | None = None,
                    labels: tuple[str, str] = ("SymPy", "NumPy")) -> Agreement:
    """Compare a SymPy result (an expression, evaluated at ``values``, or numbers) with a NumPy one.

    ``name``: what is compared; ``symbolic``: a SymPy expression or matrix (or a list of them) or finite
    numbers; ``numeric``: finite numbers of the same shape; ``tolerance``: the largest allowed absolute
    difference, a finite number ≥ 0; ``values``: {symbol: number} for :func:`evaluate`, or None.
    ``labels`` (two strings) name the two sides in the printed line (e.g. ``("backprop", "finite differences")``).
    Returns an Agreement that prints as one line; raises AssertionError when they disagree,
    so a notebook that stops agreeing fails loudly under nbval.
    """
    if values is not None and not isinstance(values, dict):
        raise ValueError(f"values must be a dict {{symbol: number}} or None; got {type(values).__name__}")
    if isinstance(symbolic, (sympy.Basic, sympy.MatrixBase)) or (
            isinstance(symbolic, (list, tuple)) and any(isinstance(s, sympy.Basic) for s in symbolic)):
        symbolic = evaluate(symbolic, values)
    result = Agreement(name, symbolic, numeric, tolerance, labels)
    if not result.agree:
        raise AssertionError(repr(result))
    return result


def simplified_residual(derived, expected, simplify=sympy.simplify):
    """simplify(derived − expected): 0 when a derivation's claim holds.

    ``derived`` and ``expected``: SymPy expressions (or numbers), two matrices of one shape (the
    residual is then a matrix, simplified entry by entry), or two SymPy sets (the residual is their
    symmetric difference, 0 when they are equal). ``simplify``: what decides "is it 0?" —
    ``sympy.simplify`` by default; ``sympy.cancel`` or ``sympy.expand`` are exact and much faster for
    rational functions and polynomials.
    """
    if not callable(simplify):
        raise ValueError(f"simplify must be a SymPy routine such as sympy.simplify; got {simplify!r}")
    if isinstance(derived, sympy.Set) and isinstance(expected, sympy.Set):
        difference = sympy.SymmetricDifference(derived, expected)
        return sympy.Integer(0) if difference == sympy.S.EmptySet else difference
    derived, expected = _sympy_value("derived", derived), _sympy_value("expected", expected)
    if isinstance(derived, sympy.MatrixBase):
        return (derived - expected).applyfunc(simplify)
    return simplify(derived - expected)


def _sympy_value(name: str, value):
    """``value`` as SymPy (a matrix stays a matrix), or ValueError naming ``name``."""
    if isinstance(value, (sympy.Basic, sympy.MatrixBase)):
        return value
    if value is None or isinstance(value, (str, bytes, bool)):
        raise ValueError(f"{name} must be a SymPy expression, a matrix or a number; got {value!r}")
    try:
        return sympy.sympify(value, strict=True)
    except (sympy.SympifyError, TypeError):
        raise ValueError(f"{name} must be a SymPy expression, a matrix or a number; "
                         f"got {type(value).__name__}") from None


class Equations:
    """Equations shown one per line: aligned LaTeX in a notebook, ``label: right-hand side`` as text.

    ``equations`` is a list of (label, left-hand side as LaTeX, SymPy right-hand side) triples; the
    label and the left-hand side are strings (the label may be ""), the right-hand side a SymPy
    expression or matrix (or a number).
    """

    def __init__(self, equations):
        if isinstance(equations, (str, bytes, dict)) or not isinstance(equations, (list, tuple)):
            raise ValueError(f"equations must be a list of (label, LaTeX, SymPy expression) triples; "
                             f"got {type(equations).__name__}")
        for index, item in enumerate(equations):
            if not isinstance(item, (list, tuple)) or len(item) != 3 or not isinstance(item[0], str) \
                    or not isinstance(item[1], str):
                raise ValueError(f"equations must hold (label, LaTeX, SymPy expression) triples; "
                                 f"got {item!r} at index {index}"[:300])
            _sympy_value(f"equations[{index}]", item[2])
        self.equations = list(equations)

    def _repr_latex_(self) -> str:
        lines = [rf"{lhs} &= {sympy.latex(rhs)} && \text{{{label}}}" if label else rf"{lhs} &= {sympy.latex(rhs)}"
                 for label, lhs, rhs in self.equations]
        return "$\\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}$"

    def __repr__(self) -> str:
        return "\n".join(f"{label}: {sympy.sstr(rhs)}" for label, _, rhs in self.equations)


class Derivation:
    """One SymPy derivation, the type every ``derive_*`` in :mod:`helpers.derivations` returns.

    ``title``: what it shows (a string); ``results``: its symbols and derived expressions (and any helper
    functions that put numbers into them), read as attributes (``d.loss``) or by name (``d["loss"]``);
    ``checks``: {claim: simplified residual}, each 0 when the claim holds (see :func:`simplified_residual`);
    ``equations``: what ``show()`` displays, a list of (label, LaTeX left-hand side, SymPy right-hand side).

    It prints as the table of claims and residuals; ``verify()`` raises AssertionError naming the first
    claim that does not hold; ``evaluate(result, values)`` puts numbers in; ``compare(result, numeric, ...)``
    checks a result against NumPy's numbers with :func:`check_agreement`.
    """

    def __init__(self, title: str, *, checks: dict | None = None, equations=(), **results):
        check_text("title", title)
        checks = {} if checks is None else checks
        if not isinstance(checks, dict) or not all(isinstance(claim, str) for claim in checks):
            raise ValueError(f"checks must be a dict {{claim (a string): residual}}; got {checks!r}"[:300])
        reserved = sorted(set(results) & set(dir(Derivation)))
        if reserved:
            raise ValueError(f"results must not be named like Derivation's methods; got {reserved}")
        self.__dict__.update(results)
        # Equations checks them: a bad equation raises ValueError here, not when a notebook shows it
        self.title, self.checks, self.equations = title, dict(checks), Equations(equations).equations

    def __getitem__(self, name: str):
        """The result called ``name`` (chapters 1, 2 and 5 read some results by name)."""
        if not isinstance(name, str) or name in ("title", "checks", "equations") or name not in self.__dict__:
            raise KeyError(f"{self.title!r} has no result {name!r}; it has {sorted(self.results)}")
        return self.__dict__[name]

    @property
    def results(self) -> dict:
        """{name: result}: the symbols and expressions the derivation gives (not its title, checks, equations)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("title", "checks", "equations")}

    def evaluate(self, result, values: dict | None = None):
        """The result called ``result`` (a name, or any expression of its symbols) at ``values``
        ({symbol: number}): a float or a float64 array, see :func:`evaluate`."""
        return evaluate(self[result] if isinstance(result, str) else result, values)

    def compare(self, result, numeric, *, values: dict | None = None, tolerance: float = 1e-12,
                labels: tuple[str, str] = ("SymPy", "NumPy")) -> Agreement:
        """Check the result called ``result`` (evaluated at ``values``) against ``numeric`` (finite numbers of
        its shape) to within ``tolerance``; returns the Agreement, raises AssertionError when they differ."""
        return check_agreement(result, self[result], numeric, tolerance=tolerance, values=values, labels=labels)

    def show(self) -> Equations:
        """The derivation's equations, displayed as aligned LaTeX in a notebook (plain text elsewhere)."""
        return Equations(self.equations)

    def holds(self, claim: str) -> bool:
        """Whether ``claim``'s residual simplified to exactly 0."""
        residual = self.checks[claim]
        if isinstance(residual, sympy.MatrixBase):
            return residual.is_zero_matrix is True
        return sympy.sympify(residual) == 0

    @property
    def all_hold(self) -> bool:
        return all(self.holds(claim) for claim in self.checks)

    def verify(self) -> "Derivation":
        for claim in self.checks:
            if not self.holds(claim):
                raise AssertionError(f"{claim}: simplify(derived − expected) = {self.checks[claim]}, not 0")
        return self

    def check_table(self):
        """The claims and their residuals as a table (each residual should read 0)."""
        from .tables import Table

        rows = [[claim, "0" if self.holds(claim) else str(self.checks[claim])] for claim in self.checks]
        return Table(rows, ["claim", "simplify(derived − expected)"], title=self.title)

    def __repr__(self) -> str:
        return repr(self.check_table())

    def _repr_html_(self) -> str:
        return self.check_table()._repr_html_()
