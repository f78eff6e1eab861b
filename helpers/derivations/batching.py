"""SymPy derivations for chapter 9: a mini-batch gradient is an unbiased but noisy guess of the full one.

Each ``derive_*`` function returns a :class:`helpers.symbolic.Derivation` (results as attributes,
``checks`` {claim: simplify(derived − expected)}, ``show()`` for the equations), verified before it is
returned. The numbers live in :mod:`helpers.batching` (``minibatch_gradient_noise``).
"""
from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from ..symbolic import Derivation, simplified_residual
from ..tables import Table
from ..validation import as_float_array, check_integer

__all__ = ["derive_batching_noise_factor", "derive_batching_sample_gradient"]

N, B = sp.symbols("N B", positive=True, integer=True)  # samples, batch size (1 ≤ B ≤ N)


def derive_batching_noise_factor(n: int = 4) -> Derivation:
    """A batch 𝓑 of B of the N per-sample gradients g_i, drawn without replacement, has mean g_𝓑 with

        E[g_𝓑] = ḡ   and   E(g_𝓑 − ḡ)² = (N − B)/(B(N − 1)) · spread,   spread = (1/N)·Σ (g_i − ḡ)².

    General N: with d_i = g_i − ḡ (so Σ d_i = 0), B²·(g_𝓑 − ḡ)² = (Σ_{i∈𝓑} d_i)², whose expectation is
    P(i ∈ 𝓑)·Σ d_i² + P(i, j ∈ 𝓑)·Σ_{i≠j} d_i d_j, with P(i ∈ 𝓑) = C(N−1, B−1)/C(N, B) = B/N,
    P(i, j ∈ 𝓑) = C(N−2, B−2)/C(N, B) and Σ_{i≠j} d_i d_j = (Σ d_i)² − Σ d_i² = −Σ d_i².
    Then, for ``n`` (a whole number in [2, 6]) symbolic gradients, every batch is enumerated and averaged.

    Attributes: ``N``, ``B``, ``p_one``, ``p_two`` (the inclusion probabilities), ``factor``
    ((N − B)/(B(N − 1)), from the general derivation), ``n``, ``g`` (the n symbols) and ``enumeration``
    (a Table: B, the number of batches, E[g_𝓑] − ḡ and E(g_𝓑 − ḡ)²/spread for each B from 1 to n).
    """
    n = check_integer("n", n, low=2, high=6)
    p_one = sp.combsimp(sp.binomial(N - 1, B - 1) / sp.binomial(N, B))
    p_two = sp.combsimp(sp.binomial(N - 2, B - 2) / sp.binomial(N, B))
    sum_of_squares = sp.Symbol("S", positive=True)  # Σ d_i² = N·spread
    noise = (p_one * sum_of_squares + p_two * (-sum_of_squares)) / B**2
    factor = sp.simplify(noise / (sum_of_squares / N))
    checks = {
        "P(i ∈ 𝓑) = B/N": simplified_residual(p_one, B / N),
        "P(i, j ∈ 𝓑) = B(B − 1)/(N(N − 1))": simplified_residual(p_two, B * (B - 1) / (N * (N - 1))),
        "E(g_𝓑 − ḡ)² = (N − B)/(B(N − 1)) · spread": simplified_residual(factor, (N - B) / (B * (N - 1))),
    }
    g = sp.symbols(f"g_1:{n + 1}", real=True)
    g_bar = sum(g) / n
    spread = sum((gi - g_bar) ** 2 for gi in g) / n
    rows = []
    for size in range(1, n + 1):
        means = [sum(batch) / size for batch in itertools.combinations(g, size)]
        bias = simplified_residual(sum(means) / len(means), g_bar)
        ratio = sp.simplify(sum((m - g_bar) ** 2 for m in means) / len(means) / spread)
        checks[f"N = {n}, B = {size}: E[g_𝓑] = ḡ"] = bias
        checks[f"N = {n}, B = {size}: every batch averaged gives the factor"] = simplified_residual(
            ratio, factor.subs({N: n, B: size}))
        rows.append([size, len(means), str(bias), str(ratio)])
    enumeration = Table(rows, ["B", "batches", "E[g_batch] − ḡ", "E(g_batch − ḡ)² / spread"],
                        title=f"N = {n}: every batch enumerated symbolically")
    equations = [("inclusion of one sample", r"P(i \in \mathcal{B})", p_one),
                 ("inclusion of a pair", r"P(i, j \in \mathcal{B})", p_two),
                 ("noise of a batch mean", r"\frac{\mathbb{E}\,(g_{\mathcal{B}} - \bar g)^2}{\text{spread}}", factor)]
    return Derivation(title="The noise of a mini-batch gradient", equations=equations, checks=checks, N=N, B=B,
                      p_one=p_one, p_two=p_two, factor=factor, n=n, g=g, enumeration=enumeration).verify()


def derive_batching_sample_gradient(n_features: int = 3) -> Derivation:
    """One sample's squared error L_i = (w·x_i + b − y_i)² and its gradient
    g_i = ∂L_i/∂(w, b) = 2(ŷ_i − y_i)·(x_i, 1), differentiated by SymPy.

    ``n_features``: a whole number in [1, 6]. Attributes: ``w``, ``bias``, ``x``, ``y`` (symbols),
    ``loss``, ``gradient`` (a Matrix of n_features + 1 entries), and ``per_sample_gradients(X, y, w, b)``,
    the gradient evaluated for every row of X (n, n_features) → array (n, n_features + 1).
    """
    n_features = check_integer("n_features", n_features, low=1, high=6)
    w = sp.Matrix(sp.symbols(f"w_1:{n_features + 1}", real=True))
    x = sp.Matrix(sp.symbols(f"x_1:{n_features + 1}", real=True))
    bias, target = sp.symbols("b y", real=True)
    prediction = (w.T * x)[0] + bias
    loss = (prediction - target) ** 2
    gradient = sp.Matrix([sp.diff(loss, v) for v in (*w, bias)])
    checks = {"g_i = 2(ŷ_i − y_i)·(x_i, 1)": simplified_residual(gradient, 2 * (prediction - target)
                                                                 * sp.Matrix([*x, 1]))}
    evaluate = sp.lambdify((list(w), bias, list(x), target), list(gradient), "numpy")

    def per_sample_gradients(X, y, w_value, b_value) -> np.ndarray:
        """∂L_i/∂(w, b) for every sample (row of X), from SymPy's expression."""
        X = as_float_array("X", X, ndim=2)
        if X.shape[1] != n_features:
            raise ValueError(f"X must have {n_features} columns (one per feature); got shape {X.shape}")
        y = as_float_array("y", y, shape=(X.shape[0],))
        w_value = as_float_array("w", w_value, shape=(n_features,))
        return np.column_stack(evaluate(list(w_value), float(b_value), list(X.T), y))

    equations = [("one sample's loss", "L_i", loss), ("its gradient", r"\nabla_{(w, b)} L_i", gradient.applyfunc(sp.factor_terms))]
    return Derivation(title="The gradient of one sample's squared error", equations=equations, checks=checks,
                      w=w, bias=bias, x=x, y=target, loss=loss, gradient=gradient,
                      per_sample_gradients=per_sample_gradients).verify()
