"""Chapter 5 in SymPy: the whole 2-2-2 network's loss as one expression, and its 12 derivatives.

Backprop is the chain rule organized; here SymPy applies the chain rule with no organizing at all,
differentiating L(W1, b1, W2, b2) directly, so the backprop numbers of :mod:`helpers.network` can
be checked against an independent derivation. Also the error terms δ[l] by the plain chain rule, and
why equal rows of W2 stop the gradient reaching layer 1 (chapters 7 and 10). Each ``derive_*``
returns a verified :class:`helpers.symbolic.Derivation`.
"""
from __future__ import annotations

from functools import partial

import numpy as np
import sympy

from ..network import DEFAULT_TWO_LAYER_PARAMS, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, TWO_LAYER_PARAMETERS
from ..symbolic import Derivation, simplified_residual
from ..validation import check_integer

__all__ = ["derive_two_layer_network", "derive_two_layer_error_terms", "derive_equal_rows_block_backprop"]


def _matrix(rows: int, cols: int, layer: int, letter: str) -> sympy.Matrix:
    if cols == 1:
        return sympy.Matrix(rows, 1, lambda i, _: sympy.Symbol(f"{letter}^{{[{layer}]}}_{{{i + 1}}}", real=True))
    return sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(f"{letter}^{{[{layer}]}}_{{{i + 1}{j + 1}}}", real=True))


def _cross_entropy_of_softmax(z: sympy.Matrix, y: sympy.Matrix):
    """L = −Σ y_i log ŷ_i with ŷ = softmax(z), written out with exponentials (no shortcuts)."""
    exps = z.applyfunc(sympy.exp)
    total = sum(exps)
    y_hat = exps / total
    return -sum(y[i] * sympy.log(y_hat[i]) for i in range(z.rows)), y_hat


def _two_layer_values(symbols: dict, params: dict | None = None, x=None, y=None) -> dict:
    """{symbol: number} for a parameter point (default: the worked example), input and label."""
    params = params or DEFAULT_TWO_LAYER_PARAMS
    numbers = {"x": DEFAULT_TWO_LAYER_X if x is None else x, "y": DEFAULT_TWO_LAYER_Y if y is None else y,
               **{name: params[name] for name in TWO_LAYER_PARAMETERS}}
    out = {}
    for name, value in numbers.items():
        flat = np.asarray(value, dtype=np.float64).ravel()
        for symbol, number in zip(symbols[name], flat):  # SymPy matrices iterate row by row
            out[symbol] = sympy.Float(float(number), 30)
    return out


def _two_layer_loss_at(symbols: dict, loss, x=None, y=None) -> sympy.Expr:
    """L with the input and label put in: an expression of the 12 parameters only."""
    data = set(symbols["x"]) | set(symbols["y"])
    fixed = {s: v for s, v in _two_layer_values(symbols, x=x, y=y).items() if s in data}
    return loss.subs({s: sympy.nsimplify(v) for s, v in fixed.items()})


def _two_layer_gradient_function(symbols: dict, parameters: tuple, gradients: dict):
    """A NumPy function (flat 12 parameters, x, y) → the 12 derivatives, from SymPy's formulas."""
    ordered = [g for name in TWO_LAYER_PARAMETERS for g in gradients[name]]
    return sympy.lambdify([list(parameters), list(symbols["x"]), list(symbols["y"])], ordered, modules="numpy")


def derive_two_layer_network() -> Derivation:
    """Build L(x, y; W1, b1, W2, b2) = −Σ y log softmax(W2·tanh(W1·x + b1) + b2) and differentiate
    it with respect to each of the 12 parameters (about 0.3 s; SymPy's own cache makes a repeat 0.01 s).

    Results: ``symbols`` (x, y, W1, b1, W2, b2 as SymPy matrices), ``parameters`` (the 12 parameter
    symbols, W1 row by row, then b1, W2, b2), ``loss`` (L as one expression of x, y and the 12
    parameters) and ``gradients`` (∂L/∂W1, ... shaped like the NumPy parameters: a 2×2 Matrix for W1 and
    W2, a list of two expressions for b1 and b2); and three functions: ``values(params=None, x=None,
    y=None)`` ({symbol: number}, default the worked example), ``loss_at(x=None, y=None)`` (L with the input
    and label put in) and ``gradient_function()`` (a NumPy function (flat 12 parameters, x, y) → the 12
    derivatives). SymPy differentiates with no claim to check, so ``checks`` is empty."""
    x = sympy.Matrix(sympy.symbols("x_1 x_2", real=True))
    y = sympy.Matrix(sympy.symbols("y_1 y_2", real=True))
    W1, b1 = _matrix(2, 2, 1, "w"), _matrix(2, 1, 1, "b")
    W2, b2 = _matrix(2, 2, 2, "w"), _matrix(2, 1, 2, "b")
    z2 = W2 * (W1 * x + b1).applyfunc(sympy.tanh) + b2
    loss, _ = _cross_entropy_of_softmax(z2, y)
    symbols = {"x": x, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    gradients = {name: symbols[name].applyfunc(lambda p: sympy.diff(loss, p)) for name in ("W1", "W2")}
    gradients.update({name: [sympy.diff(loss, p) for p in symbols[name]] for name in ("b1", "b2")})
    gradients = {name: gradients[name] for name in TWO_LAYER_PARAMETERS}
    parameters = tuple(p for name in TWO_LAYER_PARAMETERS for p in symbols[name])
    return Derivation(title="The 2-2-2 network's loss, differentiated directly", symbols=symbols,
                      parameters=parameters, loss=loss, gradients=gradients,
                      values=partial(_two_layer_values, symbols), loss_at=partial(_two_layer_loss_at, symbols, loss),
                      gradient_function=partial(_two_layer_gradient_function, symbols, parameters, gradients))


def derive_two_layer_error_terms() -> Derivation:
    """The error terms δ[l] = ∂L/∂z[l] by the plain chain rule, beside backprop's formulas.

    Results: ``z1``, ``z2`` (symbols), ``y_hat`` (softmax of z2), ``delta2`` (SymPy's ∂L/∂z2),
    ``delta2_formula`` (ŷ − y), ``delta1`` (SymPy's ∂L/∂z1 with z2 = W2·tanh(z1) + b2) and
    ``delta1_formula`` ((W2ᵀ·(ŷ − y)) ⊙ (1 − tanh² z1)), ``differences``: each pair's difference
    simplified with y one-hot (y_2 = 1 − y_1), all zero when backprop's recursion is right (the two
    checks), and ``delta2_simplified`` (δ2 with y one-hot, factored).
    """
    y = sympy.Matrix(sympy.symbols("y_1 y_2", real=True))
    one_hot = {y[1]: 1 - y[0]}
    z2 = sympy.Matrix(sympy.symbols("z^{[2]}_1 z^{[2]}_2", real=True))
    loss2, y_hat2 = _cross_entropy_of_softmax(z2, y)
    delta2 = z2.applyfunc(lambda z: sympy.diff(loss2, z))
    delta2_formula = y_hat2 - y

    z1 = sympy.Matrix(sympy.symbols("z^{[1]}_1 z^{[1]}_2", real=True))
    W2, b2 = _matrix(2, 2, 2, "w"), _matrix(2, 1, 2, "b")
    loss1, y_hat1 = _cross_entropy_of_softmax(W2 * z1.applyfunc(sympy.tanh) + b2, y)
    delta1 = z1.applyfunc(lambda z: sympy.diff(loss1, z))
    delta1_formula = (W2.T * (y_hat1 - y)).multiply_elementwise(z1.applyfunc(lambda z: 1 - sympy.tanh(z) ** 2))
    checks = {"δ[2] = ŷ − y (y one-hot)": simplified_residual(delta2.subs(one_hot), delta2_formula.subs(one_hot)),
              "δ[1] = (W[2]ᵀ·(ŷ − y)) ⊙ (1 − tanh² z[1]) (y one-hot)": simplified_residual(delta1.subs(one_hot),
                                                                                       delta1_formula.subs(one_hot))}
    return Derivation(title="The error terms δ[l] by the plain chain rule", checks=checks, z1=z1, z2=z2, y=y,
                      y_hat=y_hat2, delta2=delta2, delta2_formula=delta2_formula, delta1=delta1,
                      delta1_formula=delta1_formula, differences=[e for residual in checks.values() for e in residual],
                      delta2_simplified=delta2.applyfunc(lambda e: sympy.factor(sympy.simplify(e.subs(one_hot))))
                      ).verify()


def derive_equal_rows_block_backprop(classes: int = 2, hidden: int = 2) -> Derivation:
    """If every row of W[2] is the same, W[2]ᵀ·δ[2] = 0: layer 1 gets no gradient, whatever the logits.

    δ[2] = ŷ − y for softmax + cross-entropy, and Σ_i δ[2]_i = Σ ŷ_i − Σ y_i = 1 − 1 = 0. With equal rows
    r, W[2]ᵀ·δ[2] = r·Σ_i δ[2]_i = 0, so δ[1] = (W[2]ᵀ·δ[2]) ⊙ tanh'(z[1]) = 0 and ∂L/∂W[1] = ∂L/∂b[1] = 0.
    ``classes`` (whole number in [2, 4]) and ``hidden`` (in [1, 4]) size the symbolic network; the
    label is class 1. Results: ``z2`` (logit symbols), ``y_hat``, ``delta2``, ``W2``, ``backprop`` (W[2]ᵀ·δ[2] as
    built) and ``backprop_simplified`` (the same after simplify: zeros).
    """
    classes = check_integer("classes", classes, low=2, high=4)
    hidden = check_integer("hidden", hidden, low=1, high=4)
    z2 = sympy.Matrix(sympy.symbols(f"z_1:{classes + 1}", real=True))
    y = sympy.Matrix([1] + [0] * (classes - 1))
    _, y_hat = _cross_entropy_of_softmax(z2, y)
    delta2 = y_hat - y
    row = sympy.Matrix([sympy.symbols(f"r_1:{hidden + 1}", real=True)])  # 1 × hidden
    W2 = sympy.Matrix.vstack(*[row] * classes)
    backprop = W2.T * delta2
    checks = {
        "Σ_i δ[2]_i = 0 (softmax minus a one-hot label)": simplified_residual(sum(delta2), 0),
        "W[2]ᵀ·δ[2] = 0 when W[2]'s rows are equal": simplified_residual(backprop, sympy.zeros(hidden, 1)),
    }
    return Derivation(title="Equal rows of W[2] block the gradient to layer 1", checks=checks, z2=z2, y_hat=y_hat,
                      delta2=delta2, W2=W2, backprop=backprop, backprop_simplified=backprop.applyfunc(sympy.simplify)
                      ).verify()
