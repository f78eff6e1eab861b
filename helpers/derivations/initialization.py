"""SymPy derivations behind Xavier/Glorot and He/Kaiming initialization (chapter 10).

Each ``derive_*`` function starts from a definition (a density, an expectation, a condition on
variances), lets SymPy integrate or solve, and returns a :class:`helpers.symbolic.Derivation`: the
results as attributes and ``checks``, residuals that simplified to 0 (it is verified before it is
returned, so a claim that stops holding raises AssertionError).
The numbers these formulas give are computed in :mod:`helpers.initialization`.
"""
from __future__ import annotations

import sympy as sp

from ..symbolic import Derivation, simplified_residual

__all__ = ["derive_uniform_variance", "derive_linear_layer_variance", "derive_xavier_initialization",
           "derive_relu_second_moment", "derive_he_initialization", "derive_hidden_unit_symmetry"]

fan_in, fan_out = sp.symbols("n_in n_out", positive=True, integer=True)


def derive_uniform_variance() -> Derivation:
    """Var(U(−a, a)) = a²/3 from the density 1/(2a) on [−a, a]; in general Var(U(lo, hi)) = (hi − lo)²/12.

    Attributes: ``a``, ``density``, ``mean``, ``second_moment``, ``variance`` (= a²/3), and for U(lo, hi):
    ``low``, ``high``, ``general_variance`` (= (hi − lo)²/12).
    """
    a, x = sp.symbols("a", positive=True), sp.Symbol("x", real=True)
    density = 1 / (2 * a)
    mean = sp.integrate(x * density, (x, -a, a))
    second_moment = sp.integrate(x**2 * density, (x, -a, a))
    variance = sp.simplify(second_moment - mean**2)
    low, high = sp.symbols("lo hi", real=True)
    general_mean = sp.integrate(x / (high - low), (x, low, high))
    general_variance = sp.factor(sp.simplify(sp.integrate(x**2 / (high - low), (x, low, high)) - general_mean**2))
    checks = {"Var(U(−a, a)) = a²/3": simplified_residual(variance, a**2 / 3),
              "Var(U(lo, hi)) = (hi − lo)²/12": simplified_residual(general_variance, (high - low) ** 2 / 12)}
    equations = [("the density on [−a, a]", "p(x)", density), ("the mean", r"\mathbb{E}[x]", mean),
                 ("the second moment", r"\mathbb{E}[x^2]", second_moment),
                 ("the variance", r"\operatorname{Var}(U(-a, a))", variance),
                 ("any interval", r"\operatorname{Var}(U(lo, hi))", general_variance)]
    return Derivation(title="Variance of a uniform distribution", equations=equations, checks=checks, a=a,
                      density=density, mean=mean, second_moment=second_moment, variance=variance, low=low,
                      high=high, general_variance=general_variance).verify()


def derive_linear_layer_variance(n: int = 3) -> Derivation:
    """Var(z) = n_in·Var(w)·Var(x) for z = Σ_{i=1}^{n_in} w_i·x_i with all w_i, x_i independent, mean 0.

    SymPy's random variables (w_i ~ N(0, σ_w²), x_i ~ N(0, σ_x²)) give the two kinds of term in E[z²]:
    a cross term E[w_1 w_2 x_1 x_2] = 0 and a square term E[w_1² x_1²] = σ_w² σ_x². So E[z²] (= Var(z), the
    mean being 0) is n_in square terms; SymPy also expands E[z²] in full for a concrete ``n`` (a whole number
    in [1, 6]). Attributes: ``sigma_w``, ``sigma_x``, ``cross_term``, ``square_term``, ``n``, ``variance_n``
    (for that n), ``variance`` (for a symbolic n_in).
    """
    from sympy import stats

    from ..validation import check_integer

    n = check_integer("n", n, low=1, high=6)
    sigma_w, sigma_x = sp.symbols("sigma_w sigma_x", positive=True)
    w = [stats.Normal(f"w_{k}", 0, sigma_w) for k in range(1, max(n, 2) + 1)]
    x = [stats.Normal(f"x_{k}", 0, sigma_x) for k in range(1, max(n, 2) + 1)]
    cross_term = stats.E(w[0] * w[1] * x[0] * x[1])
    square_term = stats.E(w[0] ** 2 * x[0] ** 2)
    z = sum(wk * xk for wk, xk in zip(w[:n], x[:n]))
    variance_n = sp.simplify(sum(stats.E(term) for term in sp.Add.make_args(sp.expand(z**2))))
    i = sp.Symbol("i", integer=True, positive=True)
    variance = sp.Sum(square_term, (i, 1, fan_in)).doit()
    checks = {"E[w_1 w_2 x_1 x_2] = 0": simplified_residual(cross_term, 0),
              "E[w_1² x_1²] = σ_w² σ_x²": simplified_residual(square_term, sigma_w**2 * sigma_x**2),
              f"E[z²] = {n} σ_w² σ_x² for n = {n}": simplified_residual(variance_n, n * sigma_w**2 * sigma_x**2),
              "Var(z) = n_in σ_w² σ_x²": simplified_residual(variance, fan_in * sigma_w**2 * sigma_x**2)}
    equations = [("a cross term", r"\mathbb{E}[w_1 w_2 x_1 x_2]", cross_term),
                 ("a square term", r"\mathbb{E}[w_1^2 x_1^2]", square_term),
                 (f"{n} inputs, expanded in full", r"\mathbb{E}[z^2]", variance_n),
                 ("any number of inputs", r"\operatorname{Var}(z)", variance)]
    return Derivation(title="Variance through one linear layer", equations=equations, checks=checks, sigma_w=sigma_w, sigma_x=sigma_x,
                      cross_term=cross_term, square_term=square_term, n=n, variance_n=variance_n,
                      variance=variance).verify()


def derive_xavier_initialization() -> Derivation:
    """Xavier/Glorot: keep the forward variance (n_in·σ² = 1) and the backward one (n_out·σ² = 1).

    The two cannot both hold unless n_in = n_out; the compromise σ² = 2/(n_in + n_out) is their harmonic mean
    (equivalently n_avg·σ² = 1 with n_avg = (n_in + n_out)/2). A uniform U(−a, a) has that variance when
    a²/3 = 2/(n_in + n_out), i.e. a = √(6/(n_in + n_out)). Attributes: ``forward``, ``backward`` (the two
    variances), ``variance``, ``std``, ``bound``; ``n_in``, ``n_out`` (the fan symbols).
    """
    s2, a = sp.Symbol("sigma2", positive=True), sp.Symbol("a", positive=True)
    forward = sp.solve(sp.Eq(fan_in * s2, 1), s2)[0]
    backward = sp.solve(sp.Eq(fan_out * s2, 1), s2)[0]
    variance = sp.simplify(2 / (1 / forward + 1 / backward))
    uniform = derive_uniform_variance()
    bound = sp.solve(sp.Eq(uniform.variance.subs(uniform.a, a), variance), a)[0]
    std = sp.sqrt(variance)
    checks = {"forward: σ² = 1/n_in": simplified_residual(forward, 1 / fan_in),
              "backward: σ² = 1/n_out": simplified_residual(backward, 1 / fan_out),
              "harmonic mean = 2/(n_in + n_out)": simplified_residual(variance, 2 / (fan_in + fan_out)),
              "a = √(6/(n_in + n_out))": simplified_residual(bound, sp.sqrt(6 / (fan_in + fan_out)))}
    equations = [("keeps the forward signal", r"\sigma^2_{\text{forward}}", forward),
                 ("keeps the backward gradient", r"\sigma^2_{\text{backward}}", backward),
                 ("their harmonic mean", r"\sigma^2", variance), ("normal: its standard deviation", r"\sigma", std),
                 ("uniform U(−a, a): its bound", "a", bound)]
    return Derivation(title="Xavier/Glorot initialization", equations=equations, checks=checks, n_in=fan_in, n_out=fan_out, forward=forward,
                      backward=backward, variance=variance, std=std, bound=bound).verify()


def derive_relu_second_moment() -> Derivation:
    """For z ~ N(0, s²): E[relu(z)²] = s²/2 (half the mass is cut to 0, the other half keeps its second moment),
    while Var(relu(z)) = (1/2 − 1/(2π))·s² ≈ 0.34·s² (the mean E[relu(z)] = s/√(2π) is not 0).

    Attributes: ``s``, ``density``, ``mean``, ``second_moment``, ``variance``.
    """
    s, z = sp.Symbol("s", positive=True), sp.Symbol("z", real=True)
    density = sp.exp(-z**2 / (2 * s**2)) / (s * sp.sqrt(2 * sp.pi))
    mean = sp.simplify(sp.integrate(z * density, (z, 0, sp.oo)))
    second_moment = sp.simplify(sp.integrate(z**2 * density, (z, 0, sp.oo)))
    variance = sp.simplify(second_moment - mean**2)
    checks = {"E[relu(z)²] = s²/2": simplified_residual(second_moment, s**2 / 2),
              "E[relu(z)] = s/√(2π)": simplified_residual(mean, s / sp.sqrt(2 * sp.pi)),
              "Var(relu(z)) = (1/2 − 1/(2π)) s²": simplified_residual(variance, (sp.Rational(1, 2) - 1 / (2 * sp.pi)) * s**2)}
    equations = [("the mean", r"\mathbb{E}[\operatorname{relu}(z)]", mean),
                 ("the second moment", r"\mathbb{E}[\operatorname{relu}(z)^2]", second_moment),
                 ("the variance", r"\operatorname{Var}(\operatorname{relu}(z))", variance)]
    return Derivation(title="ReLU halves the second moment", equations=equations, checks=checks, s=s, density=density, mean=mean,
                      second_moment=second_moment, variance=variance).verify()


def derive_he_initialization() -> Derivation:
    """He/Kaiming for ReLU: the next pre-activation has Var = n·σ²·E[relu(z)²] = n·σ²·s²/2, so keeping it equal
    to s² needs σ² = 2/n. ``fan_in`` mode (n = n_in) keeps the forward pass, ``fan_out`` mode (n = n_out) the
    backward pass; the uniform version has a = √(6/n). Attributes: ``n_in``, ``n_out`` (the fan symbols),
    ``variance_fan_in``, ``variance_fan_out``,
    ``std_fan_in``, ``bound_fan_in``, ``bound_fan_out``.
    """
    s2, a, s = sp.Symbol("sigma2", positive=True), sp.Symbol("a", positive=True), sp.Symbol("s", positive=True)
    relu = derive_relu_second_moment()
    uniform = derive_uniform_variance()
    next_variance = lambda n: n * s2 * relu.second_moment.subs(relu.s, s)  # noqa: E731
    variance_fan_in = sp.solve(sp.Eq(next_variance(fan_in), s**2), s2)[0]
    variance_fan_out = sp.solve(sp.Eq(next_variance(fan_out), s**2), s2)[0]
    bound = lambda v: sp.solve(sp.Eq(uniform.variance.subs(uniform.a, a), v), a)[0]  # noqa: E731
    bound_fan_in, bound_fan_out = bound(variance_fan_in), bound(variance_fan_out)
    checks = {"fan_in: σ² = 2/n_in": simplified_residual(variance_fan_in, 2 / fan_in),
              "fan_out: σ² = 2/n_out": simplified_residual(variance_fan_out, 2 / fan_out),
              "uniform: a = √(6/n_in)": simplified_residual(bound_fan_in, sp.sqrt(6 / fan_in))}
    equations = [("fan-in mode", r"\sigma^2", variance_fan_in), ("fan-out mode", r"\sigma^2", variance_fan_out),
                 ("fan-in, normal", r"\sigma", sp.sqrt(variance_fan_in)), ("fan-in, uniform", "a", bound_fan_in),
                 ("fan-out, uniform", "a", bound_fan_out)]
    return Derivation(title="He/Kaiming initialization", equations=equations, checks=checks, n_in=fan_in, n_out=fan_out,
                      variance_fan_in=variance_fan_in, variance_fan_out=variance_fan_out,
                      std_fan_in=sp.sqrt(variance_fan_in), bound_fan_in=bound_fan_in,
                      bound_fan_out=bound_fan_out).verify()


def derive_hidden_unit_symmetry(hidden: int = 2, inputs: int = 2) -> Derivation:
    """If all hidden units start as copies (equal rows of W1, equal entries of b1, equal columns of W2),
    every gradient keeps them copies: so does every update, for ever.

    SymPy builds the two-layer tanh network's loss L = −log softmax(W2·tanh(W1·x + b1) + b2)_1 (two classes,
    label class 1) as one expression of symbols, differentiates it directly (no backprop formulas), then
    makes the hidden units copies and checks that the gradient rows of W1, the entries of ∂L/∂b1 and the
    gradient columns of W2 are then equal. ``hidden`` in [2, 3], ``inputs`` in [1, 3] (whole numbers).
    Attributes: ``loss``, ``grad_W1``, ``grad_b1``, ``grad_W2`` (sympy Matrices at the symmetric point).
    """
    from ..validation import check_integer

    hidden = check_integer("hidden", hidden, low=2, high=3)
    inputs = check_integer("inputs", inputs, low=1, high=3)
    x = sp.Matrix(sp.symbols(f"x_1:{inputs + 1}", real=True))
    W1 = sp.Matrix(hidden, inputs, lambda r, c: sp.Symbol(f"w_{r + 1}{c + 1}", real=True))
    b1 = sp.Matrix(sp.symbols(f"c_1:{hidden + 1}", real=True))
    W2 = sp.Matrix(2, hidden, lambda r, c: sp.Symbol(f"v_{r + 1}{c + 1}", real=True))
    b2 = sp.Matrix(sp.symbols("d_1:3", real=True))
    z2 = W2 * (W1 * x + b1).applyfunc(sp.tanh) + b2
    loss = -(z2[0] - sp.log(sp.exp(z2[0]) + sp.exp(z2[1])))
    copies = {**{W1[r, c]: W1[0, c] for r in range(1, hidden) for c in range(inputs)},
              **{b1[r]: b1[0] for r in range(1, hidden)},
              **{W2[r, c]: W2[r, 0] for r in range(2) for c in range(1, hidden)}}
    grad_W1 = W1.applyfunc(lambda w: sp.diff(loss, w).subs(copies))
    grad_b1 = b1.applyfunc(lambda c: sp.diff(loss, c).subs(copies))
    grad_W2 = W2.applyfunc(lambda v: sp.diff(loss, v).subs(copies))
    checks = {}
    for r in range(1, hidden):
        # named as the chapters write a layer's parameters in plain text: W[1], and b[1]_2 for entry 2 of b[1]
        checks[f"∂L/∂W[1] row {r + 1} = row 1"] = simplified_residual(grad_W1.row(r), grad_W1.row(0))
        checks[f"∂L/∂b[1]_{r + 1} = ∂L/∂b[1]_1"] = simplified_residual(grad_b1[r], grad_b1[0])
        checks[f"∂L/∂W[2] column {r + 1} = column 1"] = simplified_residual(grad_W2.col(r), grad_W2.col(0))
    return Derivation(title="Copies stay copies: the hidden-unit symmetry", checks=checks, loss=loss, grad_W1=grad_W1,
                      grad_b1=grad_b1, grad_W2=grad_W2).verify()
