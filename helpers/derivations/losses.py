"""SymPy derivations for the loss functions: MAE/MSE gradients, H(P, Q) = H(P) + KL(P‖Q),
log-softmax, cross-entropy as negative log-likelihood, and sigmoid + BCE's gradient σ(z) − y.

Each ``derive_*`` returns a :class:`helpers.symbolic.Derivation`: named SymPy results
plus ``checks`` {claim: simplify(derived − expected)}, every residual 0 (``verify()`` has run).
General-N claims use indexed symbols and ``sympy.Sum``; concrete sizes give expressions that
the chapter evaluates at the worked example.
"""
from __future__ import annotations

import sympy as sp

from ..validation import check_integer
from ..symbolic import Derivation, simplified_residual
from .softmax import softmax_symbols

__all__ = [
    "derive_regression_loss_gradients",
    "derive_entropy_identity",
    "derive_log_softmax",
    "derive_sigmoid_binary_cross_entropy_gradient",
]


def derive_regression_loss_gradients(size: int = 3) -> Derivation:
    """∂MAE/∂ŷ_i = sign(ŷ_i − y_i)/N and ∂MSE/∂ŷ_i = 2(ŷ_i − y_i)/N, for general N and for ``size`` samples.

    Attributes: ``mae_general``, ``mse_general`` (SymPy's derivatives for general N); for the concrete
    ``size`` (whole number in [1, 12]): ``predictions``, ``targets`` (symbol vectors), ``mae``, ``mse``
    (expressions), ``mae_gradient``, ``mse_gradient`` (vectors, by sympy.diff).
    """
    size = check_integer("size", size, low=1, high=12)
    N = sp.Symbol("N", integer=True, positive=True)
    i, k = sp.symbols("i k", integer=True, positive=True)
    p, y = sp.IndexedBase("yhat", real=True), sp.IndexedBase("y", real=True)
    mae_sum = sp.Sum(sp.Abs(p[k] - y[k]), (k, 1, N)) / N
    mse_sum = sp.Sum((p[k] - y[k]) ** 2, (k, 1, N)) / N
    mae_general = sp.refine(sp.diff(mae_sum, p[i]).doit(), sp.Q.le(i, N))
    mse_general = sp.refine(sp.diff(mse_sum, p[i]).doit(), sp.Q.le(i, N))

    predictions = sp.Matrix(sp.symbols(f"yhat_1:{size + 1}", real=True))
    targets = sp.Matrix(sp.symbols(f"y_1:{size + 1}", real=True))
    mae = sum(sp.Abs(a - b) for a, b in zip(predictions, targets)) / size
    mse = sum((a - b) ** 2 for a, b in zip(predictions, targets)) / size
    mae_gradient = sp.Matrix([sp.diff(mae, q) for q in predictions])
    mse_gradient = sp.Matrix([sp.diff(mse, q) for q in predictions])
    errors = predictions - targets
    checks = {
        "general N: ∂MAE/∂ŷ_i = sign(ŷ_i − y_i)/N": simplified_residual(mae_general, sp.sign(p[i] - y[i]) / N),
        "general N: ∂MSE/∂ŷ_i = 2(ŷ_i − y_i)/N": simplified_residual(mse_general, 2 * (p[i] - y[i]) / N),
        f"N = {size}: ∇MAE = sign(ŷ − y)/N": simplified_residual(mae_gradient, errors.applyfunc(sp.sign) / size),
        f"N = {size}: ∇MSE = 2(ŷ − y)/N": simplified_residual(mse_gradient, 2 * errors / size),
    }
    equations = [
        ("SymPy, any N", r"\frac{\partial\,\mathrm{MAE}}{\partial \hat y_i}", mae_general),
        ("SymPy, any N", r"\frac{\partial\,\mathrm{MSE}}{\partial \hat y_i}", mse_general),
    ]
    return Derivation(title="Gradients of MAE and MSE", equations=equations, N=N, i=i, mae_general=mae_general, mse_general=mse_general,
                      predictions=predictions, targets=targets, mae=mae, mse=mse, mae_gradient=mae_gradient,
                      mse_gradient=mse_gradient, checks=checks).verify()


def derive_entropy_identity(n: int = 3) -> Derivation:
    """H(P, Q) = H(P) + KL(P‖Q), for general n (Σ over indexed p_k, q_k > 0) and for ``n`` outcomes.

    H(P) = −Σ p_k log p_k, KL(P‖Q) = Σ p_k log(p_k/q_k), H(P, Q) = −Σ p_k log q_k.
    Attributes: ``entropy``, ``kl``, ``cross_entropy`` (general n); for the concrete ``n`` (whole number
    in [2, 12]): ``p``, ``q`` (symbol vectors) and the three expressions ``entropy_n``, ``kl_n``,
    ``cross_entropy_n``. Also: ``kl_self`` = KL(P‖P) (0), since KL measures the mismatch.
    """
    n_value = check_integer("n", n, low=2, high=12)
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    p, q = sp.IndexedBase("p", positive=True), sp.IndexedBase("q", positive=True)
    entropy = -sp.Sum(p[k] * sp.log(p[k]), (k, 1, n))
    kl = sp.Sum(p[k] * sp.log(p[k] / q[k]), (k, 1, n))
    cross_entropy = -sp.Sum(p[k] * sp.log(q[k]), (k, 1, n))

    p_n = sp.Matrix(sp.symbols(f"p_1:{n_value + 1}", positive=True))
    q_n = sp.Matrix(sp.symbols(f"q_1:{n_value + 1}", positive=True))
    entropy_n = -sum(a * sp.log(a) for a in p_n)
    kl_n = sum(a * sp.log(a / b) for a, b in zip(p_n, q_n))
    cross_entropy_n = -sum(a * sp.log(b) for a, b in zip(p_n, q_n))
    kl_self = kl.subs(q, p)
    checks = {
        "general n: H(P, Q) = H(P) + KL(P‖Q)": simplified_residual(cross_entropy, entropy + kl),
        f"n = {n_value}: H(P, Q) = H(P) + KL(P‖Q)": simplified_residual(sp.expand_log(cross_entropy_n),
                                                              sp.expand_log(entropy_n + kl_n)),
        "KL(P‖P) = 0": simplified_residual(kl_self, 0),
    }
    equations = [
        ("entropy", "H(P)", entropy),
        ("KL divergence", r"\mathrm{KL}(P \,\|\, Q)", kl),
        ("SymPy simplifies the sum", r"H(P) + \mathrm{KL}(P \,\|\, Q)", sp.simplify(entropy + kl)),
        ("cross-entropy", "H(P, Q)", cross_entropy),
    ]
    return Derivation(title="Cross-entropy = entropy + KL divergence", equations=equations, entropy=entropy, kl=kl,
                      cross_entropy=cross_entropy, p=p_n, q=q_n, entropy_n=entropy_n, kl_n=kl_n,
                      cross_entropy_n=cross_entropy_n, kl_self=kl_self, checks=checks).verify()


def derive_log_softmax(n: int = 3) -> Derivation:
    """log a_i = z_i − log Σ_k e^{z_k} = (z_i − m) − log Σ_k e^{z_k − m}, and −log a_y is cross-entropy.

    For ``n`` classes (whole number in [2, 12]). Attributes: ``z``, ``a`` (softmax), ``m`` (the shift,
    any real; the stable formula takes m = max z), ``log_softmax`` (z_i − log Σ e^{z_k}),
    ``log_softmax_shifted``, ``nll`` (a list: −log_softmax for each true class c, which equals the
    cross-entropy −Σ_k y_k log a_k with y the one-hot row e_c).
    """
    z, a = softmax_symbols(n)
    m = sp.Symbol("m", real=True)
    log_sum = sp.log(sum(sp.exp(zk) for zk in z))
    log_softmax = z.applyfunc(lambda zk: zk - log_sum)
    log_softmax_shifted = z.applyfunc(lambda zk: (zk - m) - sp.log(sum(sp.exp(zj - m) for zj in z)))
    nll = [-log_softmax[c] for c in range(n)]
    checks = {
        f"n = {n}: log a = z − log Σ e^z": simplified_residual(a.applyfunc(sp.log).applyfunc(sp.expand_log), log_softmax),
        f"n = {n}: shifting by m changes nothing": simplified_residual(log_softmax_shifted.applyfunc(sp.expand_log),
                                                             log_softmax),
    }
    for c in range(n):
        one_hot = [1 if k == c else 0 for k in range(n)]
        cross_entropy = -sum(yk * sp.log(ak) for yk, ak in zip(one_hot, a))
        checks[f"class {c}: −Σ y_k log a_k = −log_softmax_{c}"] = simplified_residual(sp.expand_log(cross_entropy), nll[c])
    equations = [
        ("log of the softmax", r"\log a_1", log_softmax[0]),
        ("shifted by m", r"\log a_1", log_softmax_shifted[0]),
        ("SymPy simplifies", r"\log a_1", sp.simplify(log_softmax_shifted[0])),
        ("true class 1 (index 0)", r"-\sum_k y_k \log a_k", nll[0]),
    ]
    return Derivation(title="Log-softmax and the negative log-likelihood", equations=equations, n=n, z=z, a=a, m=m,
                      log_softmax=log_softmax, log_softmax_shifted=log_softmax_shifted, nll=nll,
                      checks=checks).verify()


def derive_sigmoid_binary_cross_entropy_gradient() -> Derivation:
    """dL/dz = σ(z) − y for L = −[y log σ(z) + (1 − y) log(1 − σ(z))] (label y, prediction ŷ = σ(z)),
    the twin of softmax + CE's a − y.

    Attributes: ``z``, ``y`` (the label), ``sigmoid`` (1/(1 + e^{−z})), ``loss``, ``gradient`` (dL/dz by
    sympy.diff), ``sigmoid_derivative`` (σ' by sympy.diff), ``probability_gradient`` (∂L/∂σ). Checks:
    σ' = σ(1 − σ), dL/dz = σ − y, and σ(z) is softmax([z, 0])'s first entry, so BCE is two-class cross-entropy.
    """
    z, y, s = sp.symbols("z y sigma", real=True)
    sigmoid = 1 / (1 + sp.exp(-z))
    loss = -(y * sp.log(sigmoid) + (1 - y) * sp.log(1 - sigmoid))
    gradient = sp.diff(loss, z)
    sigmoid_derivative = sp.diff(sigmoid, z)
    probability_gradient = sp.diff(-(y * sp.log(s) + (1 - y) * sp.log(1 - s)), s)
    two_class = sp.exp(z) / (sp.exp(z) + sp.exp(0))
    in_sigma = {sp.exp(-z): (1 - s) / s}   # e^{−z} = (1 − σ)/σ rewrites a result in σ
    checks = {
        "σ'(z) = σ(z)(1 − σ(z))": simplified_residual(sigmoid_derivative, sigmoid * (1 - sigmoid)),
        "∂L/∂σ = (σ − y) / (σ(1 − σ))": simplified_residual(probability_gradient, (s - y) / (s * (1 - s))),
        "dL/dz = σ(z) − y": simplified_residual(gradient, sigmoid - y),
        "σ(z) = softmax([z, 0])₁": simplified_residual(two_class, sigmoid),
    }
    equations = [
        ("SymPy, written in σ", r"\sigma'(z)", sp.factor(sp.simplify(sigmoid_derivative.subs(in_sigma)))),
        ("SymPy", r"\frac{\partial L}{\partial \sigma}", sp.simplify(probability_gradient)),
        ("SymPy, written in σ", r"\frac{d L}{d z}", sp.simplify(gradient.subs(in_sigma))),
    ]
    return Derivation(title="Sigmoid + binary cross-entropy", equations=equations, z=z, y=y, sigma=s, sigmoid=sigmoid, loss=loss,
                      gradient=gradient, sigmoid_derivative=sigmoid_derivative,
                      probability_gradient=probability_gradient, checks=checks).verify()
