"""SymPy derivations for chapter 8: the bowl f(x, y) = x²/20 + y² and why SGD zig-zags on it.

Each ``derive_*`` function returns a :class:`helpers.symbolic.Derivation` (results as attributes,
``checks`` {claim: simplify(derived − expected)}, ``show()`` for the equations), verified before it is
returned, so a claim that stops holding raises AssertionError. The numbers live in
:mod:`helpers.landscapes` (``QuadraticBowl.gradient``, ``run_landscape_trajectory``).
"""
from __future__ import annotations

import sympy as sp

from ..symbolic import Derivation, simplified_residual

__all__ = ["derive_landscape_curvature", "derive_landscape_sgd_step"]

x, y = sp.symbols("x y", real=True)
x0, y0 = sp.symbols("x_0 y_0", real=True)  # a start
eta = sp.Symbol("eta", positive=True)  # the learning rate η > 0
t = sp.Symbol("t", integer=True, nonnegative=True)  # a step number
BOWL = x**2 / 20 + y**2


def _set_residual(derived, expected):
    """0 when two sets of η are equal, else the η in one but not the other (what a check table shows)."""
    difference = sp.SymmetricDifference(derived, expected)
    return 0 if difference == sp.S.EmptySet else difference


def derive_landscape_curvature() -> Derivation:
    """The gradient ∇f = (x/10, 2y), the Hessian diag(1/10, 2), its eigenvalues (the curvatures along
    x and y) and their ratio, the condition number 20, for f = x²/20 + y².

    Attributes: ``x``, ``y``, ``f``, ``gradient`` (2×1 Matrix), ``hessian`` (2×2), ``curvatures``
    (the two eigenvalues, smallest first), ``condition_number``.
    """
    gradient = sp.Matrix([sp.diff(BOWL, x), sp.diff(BOWL, y)])
    hessian = sp.hessian(BOWL, (x, y))
    curvatures = sorted(hessian.eigenvals())
    condition_number = curvatures[-1] / curvatures[0]
    checks = {
        "∇f = (x/10, 2y)": simplified_residual(gradient, sp.Matrix([x / 10, 2 * y])),
        "Hessian = diag(1/10, 2)": simplified_residual(hessian, sp.diag(sp.Rational(1, 10), 2)),
        "condition number = 20": simplified_residual(condition_number, 20),
    }
    equations = [("the gradient", r"\nabla f", gradient.T), ("the Hessian", r"\nabla^2 f", hessian),
                 ("largest / smallest curvature", r"\kappa", condition_number)]
    return Derivation(title="The bowl x²/20 + y²: gradient and curvature", equations=equations, checks=checks,
                      x=x, y=y, f=BOWL, gradient=gradient, hessian=hessian, curvatures=curvatures,
                      condition_number=condition_number).verify()


def derive_landscape_sgd_step() -> Derivation:
    """One SGD step θ ← θ − η∇f on f = x²/20 + y² multiplies each coordinate by its own factor:
    x by 1 − η/10 and y by 1 − 2η. So after t steps x_t = x_0·(1 − η/10)^t and y_t = y_0·(1 − 2η)^t;
    y shrinks only while |1 − 2η| < 1, i.e. 0 < η < 1, and flips sign every step (the zig-zag) once η > 1/2.

    Attributes: ``eta``, ``t``, ``step`` (the new (x, y), a 2×1 Matrix), ``factor_x``, ``factor_y``,
    ``x0``, ``y0`` (a start), ``closed_form`` (x_t, y_t from it), ``converges`` (the η where |1 − 2η| < 1, an Interval),
    ``zig_zag`` (the η where 1 − 2η < 0).
    """
    gradient = derive_landscape_curvature().gradient
    step = sp.Matrix([x, y]) - eta * gradient
    factor_x, factor_y = sp.expand(step[0] / x), sp.expand(step[1] / y)
    closed_form = sp.Matrix([x0 * factor_x**t, y0 * factor_y**t])
    # one more step applied to the closed form at t must give the closed form at t + 1 (induction on t)
    stepped = closed_form - eta * gradient.subs({x: closed_form[0], y: closed_form[1]}, simultaneous=True)
    converges = sp.solve_univariate_inequality(sp.Abs(factor_y) < 1, eta, relational=False)
    zig_zag = sp.solve_univariate_inequality(factor_y < 0, eta, relational=False)
    checks = {
        "SGD multiplies x by 1 − η/10": simplified_residual(factor_x, 1 - eta / 10),
        "SGD multiplies y by 1 − 2η": simplified_residual(factor_y, 1 - 2 * eta),
        "x_t = x_0 (1 − η/10)^t, y_t = y_0 (1 − 2η)^t": simplified_residual(stepped, closed_form.subs(t, t + 1)),
        "|1 − 2η| < 1 exactly when 0 < η < 1": _set_residual(converges, sp.Interval.open(0, 1)),
        "1 − 2η < 0 (y flips sign) exactly when η > 1/2": _set_residual(zig_zag, sp.Interval.open(sp.Rational(1, 2), sp.oo)),
    }
    equations = [("one SGD step", r"\begin{pmatrix} x \\ y \end{pmatrix} - \eta\,\nabla f",
                  sp.Matrix([sp.Mul(factor_x, x, evaluate=False), sp.Mul(factor_y, y, evaluate=False)])),
                 ("after t steps from the start", r"\begin{pmatrix} x_t \\ y_t \end{pmatrix}", closed_form)]
    return Derivation(title="One SGD step on x²/20 + y²", equations=equations, checks=checks, x=x, y=y, eta=eta,
                      t=t, x0=x0, y0=y0, step=step, factor_x=factor_x, factor_y=factor_y, closed_form=closed_form,
                      converges=converges, zig_zag=zig_zag).verify()
