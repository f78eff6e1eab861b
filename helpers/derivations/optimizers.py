"""SymPy derivations for chapters 6 and 7: moving averages, Adam's bias correction, its first step,
the two forms of Momentum, and the η at which Adam's first step makes W2's rows equal.

Each ``derive_*`` function returns a :class:`helpers.symbolic.Derivation`: the SymPy objects a chapter
shows and ``checks`` {claim: simplify(derived − expected)}, verified before it is returned, so a notebook
that stops agreeing fails loudly. ``exact_moving_average`` is no derivation: it gives a moving average's
exact rational values, for checking printed numbers digit for digit.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ..network import DEFAULT_TWO_LAYER_PARAMS
from ..optimizers import EMA_CONVENTIONS
from ..symbolic import Derivation, simplified_residual
from ..validation import as_float_array, check_choice, check_decay_rate, check_integer

__all__ = [
    "exact_moving_average",
    "derive_ema_bias",
    "derive_bias_correction",
    "derive_bias_correction_wear_off",
    "derive_noisy_gradient_moments",
    "derive_adam_ratio_bound",
    "derive_adam_first_step",
    "derive_momentum_forms_equivalence",
    "derive_adam_step_that_equalizes_rows",
]

beta, beta1, beta2 = sp.symbols("beta beta_1 beta_2", positive=True)  # decay rates, in (0, 1)
t, k = sp.symbols("t k", integer=True, positive=True)
g = sp.Symbol("g", real=True, nonzero=True)  # a gradient component (a constant gradient's value)
lr, eps, mu = sp.symbols("eta epsilon mu", positive=True)


def exact_moving_average(x, beta_value, *, convention: str = "first_value") -> list:
    """The moving average S_t = β·S_{t−1} + (1 − β)·x_t in exact rational arithmetic.

    ``x``: 1-D numbers (read as exact decimals), ``beta_value`` in [0, 1) (also read as a decimal),
    ``convention``: "first_value" (S_1 = x_1) or "zero" (S_0 = 0). Returns a list of SymPy Rationals,
    so printed numbers such as 3.889 can be checked digit for digit, with no rounding at all.
    """
    values = as_float_array("x", x, ndim=1)
    check_decay_rate("beta_value", beta_value)
    check_choice("convention", convention, EMA_CONVENTIONS)
    b = sp.Rational(str(beta_value))
    exact = [sp.Rational(repr(float(v))) for v in values]
    s = exact[0] if convention == "first_value" else (1 - b) * exact[0]
    out = [s]
    for value in exact[1:]:
        s = b * s + (1 - b) * value
        out.append(s)
    return out


def derive_ema_bias(check_steps: int = 6) -> Derivation:
    """E[m_t] = (1 − β^t)·g when m_0 = 0 and every gradient has mean g; the S_1 = x_1 start has no bias.

    Unrolling m_t = β·m_{t−1} + (1 − β)·g_t from m_0 = 0 gives m_t = Σ_{k=1}^{t} (1 − β)·β^{t−k}·g_k; its
    expectation is a geometric sum. Attributes: ``unrolled`` (the Σ), ``closed_form`` (SymPy's value
    of it), ``induction_base`` and ``induction_step`` (the same claim proved by induction), ``recursion``
    (m_1..m_n by running the recursion, n = ``check_steps``, a whole number in [1, 20]) and
    ``first_value_start`` (the source's S_t for a constant sequence, which is exactly g).
    """
    check_steps = check_integer("check_steps", check_steps, low=1, high=20)
    unrolled = sp.Sum((1 - beta) * beta ** (t - k) * g, (k, 1, t))
    closed_form = sp.simplify(unrolled.doit())
    expected = (1 - beta**t) * g
    m0 = sp.Integer(0)
    m, recursion = sp.Integer(0), []
    for _ in range(check_steps):
        m = beta * m + (1 - beta) * g
        recursion.append(sp.expand(m))
    s, first_value = g, [g]
    for _ in range(check_steps - 1):
        s = beta * s + (1 - beta) * g
        first_value.append(sp.expand(s))
    checks = {
        "Σ_{k=1}^{t} (1 − β)β^{t−k} g = (1 − β^t) g": simplified_residual(closed_form, expected),
        "induction, t = 1: m_1 = (1 − β) g": simplified_residual(beta * m0 + (1 - beta) * g, expected.subs(t, 1)),
        "induction, t → t + 1: β(1 − β^t)g + (1 − β)g = (1 − β^{t+1})g": simplified_residual(
            beta * expected + (1 - beta) * g, expected.subs(t, t + 1)),
        f"running the recursion from m_0 = 0, t = 1..{check_steps}": simplified_residual(
            sp.Matrix(recursion), sp.Matrix([expected.subs(t, n) for n in range(1, check_steps + 1)])),
        f"source's start S_1 = x_1: S_t = g for t = 1..{check_steps}": simplified_residual(
            sp.Matrix(first_value), sp.Matrix([g] * check_steps)),
    }
    return Derivation(title="Zero start biases the moving average towards 0", unrolled=unrolled,
                      closed_form=closed_form, expected=expected, recursion=recursion,
                      first_value_start=first_value, checks=checks).verify()


def derive_bias_correction() -> Derivation:
    """m̂_t = m_t/(1 − β1^t) and v̂_t = v_t/(1 − β2^t) have expectation g and g² (constant gradient g).

    Attributes: ``m_expected`` = (1 − β1^t)g, ``v_expected`` = (1 − β2^t)g² (from :func:`derive_ema_bias`
    with x = g and x = g²), ``m_hat_expected``, ``v_hat_expected``, and ``uncorrected_first_ratio``
    m_1/√v_1 = (1 − β1)/√(1 − β2)·sign(g): what Adam's first step would be, in units of η, without the
    correction (3.16 for β1 = 0.9, β2 = 0.999).
    """
    ema = derive_ema_bias()
    m_expected = ema.closed_form.subs(beta, beta1)
    v_expected = ema.closed_form.subs({beta: beta2, g: g**2})
    m_hat_expected = m_expected / (1 - beta1**t)
    v_hat_expected = v_expected / (1 - beta2**t)
    m1, v1 = (1 - beta1) * g, (1 - beta2) * g**2
    uncorrected = sp.simplify(m1 / sp.sqrt(v1))
    checks = {
        "E[m_t] = (1 − β1^t) g": simplified_residual(m_expected, (1 - beta1**t) * g),
        "E[v_t] = (1 − β2^t) g²": simplified_residual(v_expected, (1 - beta2**t) * g**2),
        "E[m̂_t] = g": simplified_residual(m_hat_expected, g),
        "E[v̂_t] = g²": simplified_residual(v_hat_expected, g**2),
        "uncorrected m_1/√v_1 = (1 − β1)/√(1 − β2) · sign(g)": simplified_residual(
            uncorrected, (1 - beta1) / sp.sqrt(1 - beta2) * sp.sign(g)),
    }
    return Derivation(title="Bias correction undoes the zero start", m_expected=m_expected,
                      v_expected=v_expected, m_hat_expected=sp.simplify(m_hat_expected),
                      v_hat_expected=sp.simplify(v_hat_expected), uncorrected_first_ratio=uncorrected,
                      checks=checks).verify()


def derive_bias_correction_wear_off() -> Derivation:
    """How long the correction 1/(1 − β^t) matters: still ≈ 1.58 at t = 1/(1 − β), ≤ 1 + δ only from t ≈ 4.6/(1 − β).

    For β → 1, β^{1/(1−β)} → e⁻¹, so at t = 1/(1 − β) the factor is 1/(1 − e⁻¹) ≈ 1.582. Solving
    1/(1 − β^τ) = 1 + δ gives τ = ln(δ/(1 + δ))/ln β, and τ·(1 − β) → ln(1 + 1/δ) as β → 1 (4.615 for δ = 0.01).
    Attributes: ``memory`` (the limit of β^{1/(1−β)}), ``factor_at_memory``, ``steps_needed`` (τ, a
    function of β and δ), ``steps_times_one_minus_beta`` (its limit), with symbols ``tau`` and ``delta``.
    """
    tau, delta = sp.symbols("tau delta", positive=True)
    memory = sp.limit(beta ** (1 / (1 - beta)), beta, 1)
    steps_needed = sp.solve(sp.Eq(1 / (1 - beta**tau), 1 + delta), tau)[0]
    scaled = sp.limit(steps_needed * (1 - beta), beta, 1)
    checks = {
        "β^{1/(1−β)} → e⁻¹ as β → 1": simplified_residual(memory, sp.exp(-1)),
        "1/(1 − β^τ) = 1 + δ at τ = ln(δ/(1 + δ))/ln β": simplified_residual(
            (1 / (1 - beta**tau)).subs(tau, sp.log(delta / (1 + delta)) / sp.log(beta)), 1 + delta),
        "τ·(1 − β) → ln(1 + 1/δ) as β → 1": simplified_residual(sp.expand_log(scaled, force=True),
                                                     sp.expand_log(sp.log(1 + 1 / delta), force=True)),
    }
    return Derivation(title="The correction wears off after about 4.6/(1 − β) steps, not 1/(1 − β)",
                      memory=memory, factor_at_memory=1 / (1 - memory), steps_needed=steps_needed,
                      steps_times_one_minus_beta=scaled, tau=tau, delta=delta, checks=checks).verify()


def derive_noisy_gradient_moments() -> Derivation:
    """E[m̂_t] = ḡ and E[v̂_t] = ḡ² + σ² when the gradients are independent with mean ḡ and variance σ².

    Write g_k = ḡ + σ·ξ_k with E[ξ_k] = 0 and E[ξ_k²] = 1 (any distribution); m_t and v_t are the zero-start
    averages Σ_{k=1}^{t} (1 − β)β^{t−k}·(g_k or g_k²), so their expectations are the same sums of E[g] and E[g²].
    Only for σ = 0 (a constant gradient) is E[v̂_t] = ḡ². Attributes: ``gbar``, ``sigma`` (symbols),
    ``g_mean``, ``g_squared_mean``, ``m_hat_expected``, ``v_hat_expected`` and ``consistency``
    ḡ/√(ḡ² + σ²), what m̂/√v̂ is close to once both averages are long.
    """
    gbar, sigma, xi = sp.Symbol(r"\bar{g}", real=True), sp.Symbol("sigma", positive=True), sp.Symbol("xi", real=True)
    moments = {0: 1, 1: 0, 2: 1}  # E[ξ⁰], E[ξ], E[ξ²]

    def expect(expression):
        return sum(c * moments[power] for (power,), c in sp.Poly(sp.expand(expression), xi).terms())

    g_mean, g_squared_mean = expect(gbar + sigma * xi), expect((gbar + sigma * xi) ** 2)
    # E[Σ (1 − β)β^{t−k} x_k] = Σ (1 − β)β^{t−k} E[x] = (1 − β^t)·E[x]: the geometric sum of derive_ema_bias
    weight_sum = sp.simplify(derive_ema_bias().closed_form / g)
    m_t, v_t = weight_sum.subs(beta, beta1) * g_mean, weight_sum.subs(beta, beta2) * g_squared_mean
    m_hat, v_hat = sp.simplify(m_t / (1 - beta1**t)), sp.simplify(v_t / (1 - beta2**t))
    checks = {
        "E[g] = ḡ": simplified_residual(g_mean, gbar),
        "E[g²] = ḡ² + σ²": simplified_residual(g_squared_mean, gbar**2 + sigma**2),
        "E[m̂_t] = ḡ": simplified_residual(m_hat, gbar),
        "E[v̂_t] = ḡ² + σ²": simplified_residual(v_hat, gbar**2 + sigma**2),
        "σ = 0 (a constant gradient): E[v̂_t] = ḡ²": simplified_residual(v_hat.subs(sigma, 0), gbar**2),
    }
    return Derivation(title="Noisy gradients: E[v̂_t] = ḡ² + σ², so m̂/√v̂ measures consistency", gbar=gbar,
                      sigma=sigma, g_mean=g_mean, g_squared_mean=g_squared_mean, m_hat_expected=m_hat,
                      v_hat_expected=v_hat, consistency=gbar / sp.sqrt(gbar**2 + sigma**2),
                      checks=checks).verify()


def derive_adam_ratio_bound() -> Derivation:
    """|m̂_t|/√v̂_t stays bounded for every gradient sequence exactly when β1 < √β2 (β2 > β1 is more than needed).

    Bound: |m_t| ≤ (1 − β1)Σ β1^{t−k}|g_k| = (1 − β1)Σ (β1/√β2)^{t−k}·√β2^{t−k}|g_k|, and Cauchy–Schwarz gives
    |m_t|/√v_t ≤ (1 − β1)/√(1 − β2)·√(Σ_{j=0}^{t−1} γ^j) with γ = β1²/β2: bounded in t iff γ < 1.
    Necessity: one gradient at step 1, then zeros, gives m̂_t/√v̂_t = c_t·(β1/√β2)^{t−1} with
    c_t = (1 − β1)/(1 − β1^t)·√((1 − β2^t)/(1 − β2)) → (1 − β1)/√(1 − β2), which grows without end when β1 > √β2.
    Attributes: ``spike_ratio`` (that m̂_t/√v̂_t for a gradient 1), ``gamma`` (γ), ``condition`` (γ < 1 solved
    for β1: β1 < √β2), ``bound`` (the Cauchy–Schwarz bound on |m_t|/√v_t at step t) and ``bound_limit`` (its
    limit t → ∞ for β1 < √β2; :func:`helpers.optimizers.adam_ratio_bound` gives its numbers).
    """
    m_t = (1 - beta1) * beta1 ** (t - 1)  # a gradient 1 at step 1, then 0: m_1 = 1 − β1, then ×β1 each step
    v_t = (1 - beta2) * beta2 ** (t - 1)
    spike_ratio = sp.powsimp(sp.simplify((m_t / (1 - beta1**t)) / sp.sqrt(v_t / (1 - beta2**t))), force=True)
    gamma = beta1**2 / beta2
    condition = sp.solve_univariate_inequality(gamma < 1, beta1)
    j = sp.Symbol("j", integer=True, nonnegative=True)
    geometric_sum = sp.Sum(gamma**j, (j, 0, t - 1))
    bound = (1 - beta1) / sp.sqrt(1 - beta2) * sp.sqrt(geometric_sum)
    bound_limit = (1 - beta1) / sp.sqrt(1 - beta2) / sp.sqrt(1 - gamma)
    expected_spike = ((1 - beta1) / (1 - beta1**t) * sp.sqrt((1 - beta2**t) / (1 - beta2))
                      * (beta1 / sp.sqrt(beta2)) ** (t - 1))
    summed = geometric_sum.doit()  # Piecewise: t when γ = 1, else (1 − γ^t)/(1 − γ), its last branch
    checks = {
        # both sides are positive, so comparing their squares is enough (SymPy simplifies those cleanly)
        "spike: m̂_t/√v̂_t = c_t·(β1/√β2)^{t−1}": simplified_residual(sp.simplify(spike_ratio**2 / expected_spike**2), 1),
        "γ = 1: Σ_{j<t} γ^j = t, the bound grows like √t": simplified_residual(summed.subs(beta1, sp.sqrt(beta2)), t),
        "γ ≠ 1: bound_t² = bound_∞²·(1 − γ^t), which tends to bound_∞² exactly when γ < 1": simplified_residual(
            (bound**2).subs(geometric_sum, summed.args[-1].expr), bound_limit**2 * (1 - gamma**t)),
        "γ = β1²/β2 < 1 ⇔ −√β2 < β1 < √β2": simplified_residual(
            sp.solveset(gamma < 1, beta1, sp.S.Reals), sp.Interval.open(-sp.sqrt(beta2), sp.sqrt(beta2))),
    }
    return Derivation(title="Adam's ratio is bounded exactly when β1 < √β2", spike_ratio=spike_ratio,
                      bound=bound, bound_limit=bound_limit, gamma=gamma, condition=condition,
                      checks=checks).verify()


def derive_adam_first_step() -> Derivation:
    """At t = 1 (m_0 = v_0 = 0): m̂_1 = g, v̂_1 = g², so m̂_1/√v̂_1 = g/|g| = sign(g) and Δθ = −η·sign(g).

    Holds for any nonzero real g and any β1, β2 in (0, 1): the first step has size η, whatever the
    gradient's scale. With ε: Δθ = −η·g/(|g| + ε). Attributes: ``m1``, ``v1``, ``m_hat1``, ``v_hat1``,
    ``ratio`` (m̂_1/√v̂_1), ``update`` (with ε), ``update_without_eps``.
    """
    m0 = v0 = sp.Integer(0)
    m1 = beta1 * m0 + (1 - beta1) * g
    v1 = beta2 * v0 + (1 - beta2) * g**2
    m_hat1 = sp.simplify(m1 / (1 - beta1))
    v_hat1 = sp.simplify(v1 / (1 - beta2))
    ratio = sp.simplify(m_hat1 / sp.sqrt(v_hat1))
    update = -lr * m_hat1 / (sp.sqrt(v_hat1) + eps)
    update_without_eps = sp.simplify(-lr * ratio)
    checks = {
        "m̂_1 = g": simplified_residual(m_hat1, g),
        "v̂_1 = g²": simplified_residual(v_hat1, g**2),
        "m̂_1/√v̂_1 = g/|g|": simplified_residual(ratio, g / sp.Abs(g)),
        "g/|g| = sign(g)": simplified_residual(g / sp.Abs(g), sp.sign(g)),
        "Δθ = −η·g/(|g| + ε)": simplified_residual(update, -lr * g / (sp.Abs(g) + eps)),
        "ε → 0: Δθ = −η·sign(g)": simplified_residual(sp.limit(update, eps, 0), -lr * sp.sign(g)),
    }
    return Derivation(title="Adam's first step is −η·sign(g), whatever the gradient's size", m1=m1, v1=v1,
                      m_hat1=m_hat1, v_hat1=v_hat1, ratio=ratio, update=update,
                      update_without_eps=update_without_eps, checks=checks).verify()


def derive_momentum_forms_equivalence(steps: int = 4) -> Derivation:
    """PyTorch's Momentum (u ← μu + g, θ ← θ − ηu) and source 004's (ũ ← μũ − ηg, θ ← θ + ũ) agree.

    Both start from zero velocity at θ_0. With symbolic gradients g_1..g_n (n = ``steps``, a whole
    number in [1, 8]) SymPy runs both forms and compares θ after every step; it also proves the
    general step: if ũ_{t−1} = −η·u_{t−1}, then ũ_t = −η·u_t. (This needs η constant: with a
    learning-rate schedule the two forms differ.) Attributes: ``gradients``, ``theta_pytorch``,
    ``theta_book`` (lists of θ_1..θ_n), ``velocity_pytorch`` (u), ``velocity_book`` (ũ).
    """
    steps = check_integer("steps", steps, low=1, high=8)
    theta0 = sp.Symbol("theta_0", real=True)
    grads = sp.symbols(f"g_1:{steps + 1}", real=True)
    theta_p, v, theta_b, u = theta0, sp.Integer(0), theta0, sp.Integer(0)
    thetas_p, thetas_b, vs, us = [], [], [], []
    for gk in grads:
        v = mu * v + gk
        theta_p = theta_p - lr * v
        u = mu * u - lr * gk
        theta_b = theta_b + u
        thetas_p.append(sp.expand(theta_p)), thetas_b.append(sp.expand(theta_b))
        vs.append(sp.expand(v)), us.append(sp.expand(u))
    u_prev, g_t = sp.symbols("u_{t-1} g_t", real=True)
    checks = {
        f"θ_t the same for t = 1..{steps}": simplified_residual(sp.Matrix(thetas_p), sp.Matrix(thetas_b)),
        f"ũ_t = −η u_t for t = 1..{steps}": simplified_residual(sp.Matrix(us), -lr * sp.Matrix(vs)),
        "general step: μ(−η u_{t−1}) − η g_t = −η(μ u_{t−1} + g_t)": simplified_residual(
            mu * (-lr * u_prev) - lr * g_t, -lr * (mu * u_prev + g_t)),
    }
    return Derivation(title="Two ways to write Momentum, one update", gradients=grads,
                      theta_pytorch=thetas_p, theta_book=thetas_b, velocity_pytorch=vs,
                      velocity_book=us, checks=checks).verify()


def derive_adam_step_that_equalizes_rows(W2=DEFAULT_TWO_LAYER_PARAMS["W2"], gradient_signs=((-1, -1), (1, 1))):
    """The learning rate η for which one step θ ← θ − η·sign(g) makes W2's two rows equal.

    Adam's first step moves each entry by η against its gradient's sign (see :func:`derive_adam_first_step`).
    On the 2-2-2 network δ2 = ŷ − y = [ŷ_1 − 1, ŷ_2] has signs (−, +) and a1 = tanh(z1) > 0, so ∂L/∂W2 = δ2·a1ᵀ
    has signs [[−, −], [+, +]] (``gradient_signs``): row 1 rises by η, row 2 falls by η. ``W2``: a 2×2
    starting matrix of finite numbers (read as exact decimals; source 001's by default); ``gradient_signs``: a 2×2
    matrix of −1 and +1.
    Returns a Derivation with ``eta`` (the solution, or None when the
    columns would need different η), ``per_column`` (the η that equalizes each column) and ``W2_after``.
    """
    W2 = sp.Matrix([[sp.Rational(str(float(v))) for v in row] for row in as_float_array("W2", W2, shape=(2, 2))])
    signs = as_float_array("gradient_signs", gradient_signs, shape=(2, 2))
    if not np.all(np.abs(signs) == 1):
        raise ValueError(f"gradient_signs must hold only −1 and +1 (the signs of ∂L/∂W2); got {signs.tolist()}")
    signs = sp.Matrix(signs.astype(int).tolist())
    W2_after = W2 - lr * signs
    per_column = [sp.solve(sp.Eq(W2_after[0, j], W2_after[1, j]), lr) for j in range(2)]
    solutions = set(per_column[0]) & set(per_column[1])
    eta = solutions.pop() if len(solutions) == 1 else None
    checks = {} if eta is None else {"rows equal after one step at this η": simplified_residual(
        W2_after.subs(lr, eta)[0, :], W2_after.subs(lr, eta)[1, :])}
    return Derivation(title="The η that makes W2's rows equal", W2=W2, signs=signs, W2_after=W2_after,
                      per_column=per_column, eta=eta, checks=checks).verify()
