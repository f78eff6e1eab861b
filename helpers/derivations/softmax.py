"""SymPy derivations for softmax and cross-entropy: the Jacobian, ∂L/∂z, and shift invariance.

Each ``derive_*`` function returns a :class:`Derivation`: the SymPy objects a chapter shows
(as attributes) and ``checks``, a dict {claim: simplify(derived − expected)}. A claim holds when
its residual is 0; tests assert that, and ``derivation.verify()`` raises if one does not.

Two kinds of argument are used:
- general n, with indexed symbols z_k and S = Σ_{k=1}^{n} e^{z_k} (``sympy.Sum``): SymPy
  differentiates the sum itself (∂S/∂z_j = e^{z_j}, through a Kronecker delta), so the result
  holds for every number of classes;
- a concrete n (3 for the worked example, 4 to show the whole matrix), where every entry of
  the Jacobian is an explicit expression that can be printed and evaluated.
"""
from __future__ import annotations

import sympy as sp

from ..symbolic import Derivation, simplified_residual
from ..validation import check_integer

__all__ = [
    "softmax_symbols",
    "derive_softmax_jacobian",
    "derive_softmax_cross_entropy_gradient",
    "derive_softmax_shift_invariance",
]


def _residual_in_exponentials(derived, expected, z, *constants):
    """simplify(derived − expected) for expressions built from e^{z_k} (and e^{c}) by arithmetic.

    Writing z_k = log u_k with u_k > 0 (every real z_k has one) turns them into rational functions
    of the u_k, where ``cancel`` decides "is it 0?" exactly and far faster than ``simplify``.
    """
    names = [*z, *constants]
    in_u = {v: sp.log(u) for v, u in zip(names, sp.symbols(f"u_1:{len(names) + 1}", positive=True))}
    return simplified_residual(derived.subs(in_u), expected.subs(in_u), sp.cancel)


# -- concrete n -----------------------------------------------------------------------------
def softmax_symbols(n: int = 3):
    """Logit symbols z_1..z_n and the softmax expressions a_i = e^{z_i} / Σ_k e^{z_k}.

    Returns ``(z, a)``: two n×1 SymPy matrices. ``n`` is a whole number in [2, 12] (larger n is
    correct but slow to simplify).
    """
    n = check_integer("n", n, low=2, high=12)
    z = sp.Matrix(sp.symbols(f"z_1:{n + 1}", real=True))
    total = sum(sp.exp(zk) for zk in z)
    return z, z.applyfunc(lambda zk: sp.exp(zk) / total)


# -- general n ------------------------------------------------------------------------------
def _general_softmax():
    n = sp.Symbol("n", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True, positive=True)
    z = sp.IndexedBase("z", real=True)
    S = sp.Sum(sp.exp(z[k]), (k, 1, n))
    return n, i, j, k, z, S


def _in_range(expression, index, n):
    """Evaluate Σ's Kronecker deltas for an index known to lie in 1..n (a class index)."""
    return sp.refine(expression.doit(), sp.Q.le(index, n))


def derive_softmax_jacobian(n: int = 4) -> Derivation:
    """∂a_i/∂z_j = a_i(δ_ij − a_j): for general n by differentiating Σ_k e^{z_k}, and entry by entry for ``n``.

    Attributes: ``general`` (∂a_i/∂z_j from SymPy, written with a_i = e^{z_i}/S), ``diagonal``
    (its i = j case, a_i − a_i²), ``off_diagonal`` (i ≠ j, −a_i a_j), ``kronecker`` (a_i(δ_ij − a_j));
    for the concrete ``n`` (whole number in [2, 12]): ``z``, ``a``, ``jacobian`` (n×n, by sympy.diff),
    ``kronecker_matrix`` (diag(a) − a aᵀ, in the z_k) and ``in_probabilities`` (the same matrix written
    in plain symbols a_1..a_n, for display). Checks: both cases, the Kronecker form for general n,
    the n×n matrix equals diag(a) − a aᵀ, and its rows sum to 0 (J·1 = 0).
    """
    size, i, j, k, z, S = _general_softmax()
    a = sp.IndexedBase("a", positive=True)
    S_symbol = sp.Symbol("S", positive=True)
    a_i = sp.exp(z[i]) / S
    derivative = _in_range(sp.diff(a_i, z[j]), j, size).subs(S, S_symbol)
    # Name the probabilities: e^{z_i} = a_i S, e^{z_j} = a_j S.
    general = sp.expand(derivative.subs({sp.exp(z[i]): a[i] * S_symbol, sp.exp(z[j]): a[j] * S_symbol}))
    diagonal = sp.expand(general.subs(j, i))
    off_diagonal = general.subs(sp.KroneckerDelta(i, j), 0)
    kronecker = a[i] * (sp.KroneckerDelta(i, j) - a[j])

    z_n, a_n = softmax_symbols(n)
    jacobian = a_n.jacobian(z_n)
    kronecker_matrix = sp.diag(*a_n) - a_n * a_n.T
    a_plain = sp.Matrix(sp.symbols(f"a_1:{n + 1}"))
    in_probabilities = sp.diag(*a_plain) - a_plain * a_plain.T
    checks = {
        "general n: ∂a_i/∂z_j = a_i(δ_ij − a_j)": simplified_residual(general, kronecker),
        "case i = j: ∂a_i/∂z_i = a_i(1 − a_i)": simplified_residual(diagonal, a[i] * (1 - a[i])),
        "case i ≠ j: ∂a_i/∂z_j = −a_i a_j": simplified_residual(off_diagonal, -a[i] * a[j]),
        f"n = {n}: Jacobian = diag(a) − a aᵀ": _residual_in_exponentials(jacobian, kronecker_matrix, z_n),
        f"n = {n}: each row sums to 0 (J·1 = 0)": _residual_in_exponentials(jacobian * sp.ones(n, 1),
                                                                           sp.zeros(n, 1), z_n),
    }
    equations = [
        ("SymPy, any n", r"\frac{\partial a_i}{\partial z_j}", general),
        ("case i = j", r"\frac{\partial a_i}{\partial z_i}", diagonal),
        ("case i ≠ j", r"\frac{\partial a_i}{\partial z_j}", off_diagonal),
        ("Kronecker form", r"\frac{\partial a_i}{\partial z_j}", sp.factor(general)),
    ]
    return Derivation(title="Softmax Jacobian", equations=equations, n=n, i=i, j=j, a_symbol=a, z_symbol=z, S=S_symbol,
                      general=general, diagonal=diagonal, off_diagonal=off_diagonal, kronecker=kronecker,
                      z=z_n, a=a_n, jacobian=jacobian, kronecker_matrix=kronecker_matrix,
                      in_probabilities=in_probabilities, checks=checks).verify()


def derive_softmax_cross_entropy_gradient(n: int = 3) -> Derivation:
    """∂L/∂z_i for L = −Σ_k y_k log a_k: a_i Σ_k y_k − y_i in general, a_i − y_i when Σ_k y_k = 1.

    Attributes: ``general`` (SymPy's ∂L/∂z_i for general n and any labels y, written with a_i = e^{z_i}/S),
    ``label_sum`` (Σ_k y_k), ``chain_rule`` (the same through ∂L/∂a_k = −y_k/a_k and the Jacobian);
    for the concrete ``n`` (whole number in [2, 12]): ``z``, ``y`` (label symbols), ``a``, ``loss``,
    ``gradient`` (n×1, by sympy.diff) and ``gradient_when_labels_sum_to_1`` (y_n replaced by 1 − Σ others).
    """
    size, i, j, k, z, S = _general_softmax()
    y = sp.IndexedBase("y", real=True)
    a = sp.IndexedBase("a", positive=True)
    S_symbol = sp.Symbol("S", positive=True)
    l = sp.Symbol("l", integer=True, positive=True)
    S_l = sp.Sum(sp.exp(z[l]), (l, 1, size))  # its own dummy index, so it can sit inside Σ_k
    loss_general = -sp.Sum(y[k] * sp.log(sp.exp(z[k]) / S_l), (k, 1, size))
    derivative = _in_range(sp.diff(loss_general, z[i]), i, size).subs(S_l, S_symbol)
    general = sp.simplify(derivative.subs(sp.exp(z[i]), a[i] * S_symbol))
    label_sum = sp.Sum(y[k], (k, 1, size))
    expected_general = a[i] * label_sum - y[i]
    # The chain rule the source writes: Σ_k (−y_k/a_k) · a_k(δ_ki − a_i).
    chain_rule = _in_range(sp.Sum(-y[k] / a[k] * a[k] * (sp.KroneckerDelta(k, i) - a[i]), (k, 1, size)), i, size)

    z_n, a_n = softmax_symbols(n)
    y_n = sp.Matrix(sp.symbols(f"y_1:{n + 1}", real=True))
    loss = -sum(yk * sp.log(ak) for yk, ak in zip(y_n, a_n))
    gradient = sp.Matrix([sp.diff(loss, zk) for zk in z_n])
    soft_labels = {y_n[-1]: 1 - sum(y_n[:-1])}
    gradient_sum_1 = gradient.subs(soft_labels)
    checks = {
        "general n: ∂L/∂z_i = a_i Σ_k y_k − y_i": simplified_residual(general, expected_general),
        "chain rule through the Jacobian gives the same": simplified_residual(chain_rule, expected_general),
        f"n = {n}: ∂L/∂z = a·Σy − y for any labels": _residual_in_exponentials(gradient, a_n * sum(y_n) - y_n, z_n),
        f"n = {n}: ∂L/∂z = a − y when Σy = 1": _residual_in_exponentials(gradient_sum_1,
                                                                         (a_n - y_n).subs(soft_labels), z_n),
    }
    equations = [
        ("SymPy, any n, any labels", r"\frac{\partial L}{\partial z_i}", general),
        ("chain rule through the Jacobian",
         r"\sum_k \frac{\partial L}{\partial a_k} \frac{\partial a_k}{\partial z_i}", chain_rule),
        ("when the labels sum to 1", r"\frac{\partial L}{\partial z_i}", general.subs(label_sum, 1)),
    ]
    return Derivation(title="Gradient of softmax + cross-entropy", equations=equations, n=n, i=i, a_symbol=a, y_symbol=y,
                      general=general, expected_general=expected_general, label_sum=label_sum,
                      chain_rule=chain_rule, z=z_n, y=y_n, a=a_n, loss=loss, gradient=gradient,
                      gradient_when_labels_sum_to_1=gradient_sum_1, checks=checks).verify()


def derive_softmax_shift_invariance(n: int = 4) -> Derivation:
    """softmax(z − c) = softmax(z) for any constant c (so c = max z is allowed), for general n and for ``n``.

    Attributes: ``c``, ``shifted`` (e^{z_i − c} / Σ_k e^{z_k − c}), ``original``; for the concrete ``n``
    (whole number in [2, 12]): ``z``, ``a``, ``a_shifted``.
    """
    size, i, j, k, z, S = _general_softmax()
    c = sp.Symbol("c", real=True)
    shifted = sp.exp(z[i] - c) / sp.Sum(sp.exp(z[k] - c), (k, 1, size))
    original = sp.exp(z[i]) / S
    z_n, a_n = softmax_symbols(n)
    a_shifted = a_n.subs({zk: zk - c for zk in z_n}, simultaneous=True)
    checks = {
        "general n: e^{z_i − c} / Σ e^{z_k − c} = e^{z_i} / Σ e^{z_k}": simplified_residual(shifted, original),
        f"n = {n}: softmax(z − c) = softmax(z)": _residual_in_exponentials(a_shifted, a_n, z_n, c),
    }
    equations = [("SymPy simplifies, any n and c", sp.latex(shifted), sp.simplify(shifted))]
    return Derivation(title="Softmax ignores a common shift", equations=equations, n=n, c=c, shifted=shifted, original=original,
                      z=z_n, a=a_n, a_shifted=a_shifted, checks=checks).verify()
