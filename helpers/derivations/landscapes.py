"""SymPy derivations for chapter 8: the bowl f(x, y) = x²/20 + y² and why SGD zig-zags on it.

Each ``derive_*`` function returns a :class:`helpers.symbolic.Derivation` (results as attributes,
``checks`` {claim: simplify(derived − expected)}, ``show()`` for the equations), verified before it is
returned, so a claim that stops holding raises AssertionError. The numbers live in
:mod:`helpers.landscapes` (``QuadraticBowl.gradient``, ``run_landscape_trajectory``).
"""
from __future__ import annotations

import sympy as sp

from ..symbolic import Derivation, simplified_residual

__all__ = ["derive_landscape_curvature", "derive_landscape_sgd_step", "derive_best_fixed_steps"]

x, y = sp.symbols("x y", real=True)
x0, y0 = sp.symbols("x_0 y_0", real=True)  # a start
eta = sp.Symbol("eta", positive=True)  # the learning rate η > 0
t = sp.Symbol("t", integer=True, nonnegative=True)  # a step number
BOWL = x**2 / 20 + y**2


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
        "|1 − 2η| < 1 exactly when 0 < η < 1": simplified_residual(converges, sp.Interval.open(0, 1)),
        "1 − 2η < 0 (y flips sign) exactly when η > 1/2": simplified_residual(zig_zag, sp.Interval.open(sp.Rational(1, 2), sp.oo)),
    }
    equations = [("one SGD step", r"\begin{pmatrix} x \\ y \end{pmatrix} - \eta\,\nabla f",
                  sp.Matrix([sp.Mul(factor_x, x, evaluate=False), sp.Mul(factor_y, y, evaluate=False)])),
                 ("after t steps from the start", r"\begin{pmatrix} x_t \\ y_t \end{pmatrix}", closed_form)]
    return Derivation(title="One SGD step on x²/20 + y²", equations=equations, checks=checks, x=x, y=y, eta=eta,
                      t=t, x0=x0, y0=y0, step=step, factor_x=factor_x, factor_y=factor_y, closed_form=closed_form,
                      converges=converges, zig_zag=zig_zag).verify()


def derive_best_fixed_steps() -> Derivation:
    """The best constant settings on a quadratic with curvatures λmin = 1/10 and λmax = 2 (κ = 20).

    SGD: each step multiplies the error along a curvature λ by 1 − ηλ; the slowest direction's factor,
    max(|1 − ηλmin|, |1 − ηλmax|), is smallest where the two are equal and opposite:
    η* = 2/(λmin + λmax), rate (κ − 1)/(κ + 1).
    Heavy ball (Momentum, θ_{t+1} = θ_t − η∇f + μ(θ_t − θ_{t−1})): along λ the error obeys
    r² − (1 + μ − ηλ)r + μ = 0, whose roots have size √μ while (1 + μ − ηλ)² ≤ 4μ. Making both ends
    touch that bound, (1 − √μ)² = ηλmin and (1 + √μ)² = ηλmax, gives η* = 4/(√λmax + √λmin)²,
    μ* = ((√κ − 1)/(√κ + 1))², rate √μ* = (√κ − 1)/(√κ + 1).

    Attributes: ``curvatures`` (λmin, λmax), ``kappa``, ``sgd_lr``, ``sgd_rate``, ``momentum_lr``,
    ``momentum_mu``, ``momentum_rate`` (exact SymPy numbers), and the symbols ``eta``, ``mu``, ``lam``, ``r``.
    """
    lam_min, lam_max = derive_landscape_curvature().curvatures
    kappa = lam_max / lam_min
    sgd_lr = sp.solve(sp.Eq(1 - eta * lam_min, -(1 - eta * lam_max)), eta)[0]
    sgd_rate = 1 - sgd_lr * lam_min

    mu = sp.Symbol("mu", positive=True)  # the momentum coefficient μ
    s = sp.Symbol("s", positive=True)  # s = √μ
    lam, r = sp.symbols("lambda r")
    characteristic = r**2 - (1 + mu - eta * lam) * r + mu
    (s_best, momentum_lr), = [sol for sol in sp.solve([(1 - s)**2 - eta * lam_min, (1 + s)**2 - eta * lam_max],
                                                       [s, eta], dict=False) if 0 < sol[0] < 1]
    momentum_mu = s_best**2
    # at the best pair the characteristic polynomial has a double root at both curvatures: its
    # discriminant vanishes there, and the root's size is √μ.
    discriminant = sp.discriminant(characteristic, r)
    at_best = {mu: momentum_mu, eta: momentum_lr}
    root_kappa = sp.sqrt(kappa)
    checks = {
        "SGD: η* = 2/(λmin + λmax)": simplified_residual(sgd_lr, 2 / (lam_min + lam_max)),
        "SGD: rate (κ − 1)/(κ + 1)": simplified_residual(sgd_rate, (kappa - 1) / (kappa + 1)),
        "SGD: |1 − η*λmax| = rate too": simplified_residual(sp.Abs(1 - sgd_lr * lam_max), sgd_rate),
        "heavy ball: η* = 4/(√λmax + √λmin)²": simplified_residual(momentum_lr, 4 / (sp.sqrt(lam_max) + sp.sqrt(lam_min))**2),
        "heavy ball: μ* = ((√κ − 1)/(√κ + 1))²": simplified_residual(momentum_mu, ((root_kappa - 1) / (root_kappa + 1))**2),
        "discriminant 0 at λmin and λmax": simplified_residual(
            sp.Matrix([discriminant.subs({**at_best, lam: lam_min}), discriminant.subs({**at_best, lam: lam_max})]),
            sp.zeros(2, 1)),
    }
    equations = [("best SGD step", r"\eta^*_\text{SGD}", sgd_lr),
                 ("its rate per step", r"\frac{\kappa - 1}{\kappa + 1}", sgd_rate),
                 ("best heavy-ball step", r"\eta^*", momentum_lr),
                 ("best momentum", r"\mu^*", sp.radsimp(momentum_mu)),
                 ("its rate per step", r"\sqrt{\mu^*} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}", sp.radsimp(s_best))]
    return Derivation(title="Best constant settings for SGD and Momentum on x²/20 + y²", equations=equations,
                      checks=checks, curvatures=(lam_min, lam_max), kappa=kappa, sgd_lr=sgd_lr, sgd_rate=sgd_rate,
                      momentum_lr=momentum_lr, momentum_mu=momentum_mu, momentum_rate=s_best, eta=eta, mu=mu,
                      lam=lam, r=r, characteristic=characteristic).verify()
