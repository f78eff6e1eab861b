"""Chapter 5 in SymPy: the whole 2-2-2 network's loss as one expression, and its 12 derivatives.

Backprop is the chain rule organized; here SymPy applies the chain rule with no organizing at all,
differentiating L(W1, b1, W2, b2) directly, so the backprop numbers of :mod:`helpers.network` can
be checked against an independent derivation.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy

from ..network import DEFAULT_TWO_LAYER_PARAMS, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, TWO_LAYER_PARAMETERS

__all__ = ["TwoLayerDerivation", "derive_two_layer_network", "derive_two_layer_error_terms"]


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


@dataclass(frozen=True)
class TwoLayerDerivation:
    """The symbolic 2-2-2 network: ``symbols`` (x, y, W1, b1, W2, b2 as SymPy matrices),
    ``parameters`` (the 12 parameter symbols, W1 row by row, then b1, W2, b2), ``loss``
    (L as one expression of x, y and the 12 parameters) and ``gradients`` (∂L/∂W1, ... shaped like
    the NumPy parameters: a 2×2 Matrix for W1 and W2, a list of two expressions for b1 and b2)."""

    symbols: dict
    parameters: tuple
    loss: sympy.Expr
    gradients: dict

    def values(self, params: dict | None = None, x=None, y=None) -> dict:
        """{symbol: number} for a parameter point (default: the worked example), input and label."""
        params = params or DEFAULT_TWO_LAYER_PARAMS
        numbers = {"x": DEFAULT_TWO_LAYER_X if x is None else x, "y": DEFAULT_TWO_LAYER_Y if y is None else y,
                   **{name: params[name] for name in TWO_LAYER_PARAMETERS}}
        out = {}
        for name, value in numbers.items():
            flat = np.asarray(value, dtype=np.float64).ravel()
            for symbol, number in zip(self.symbols[name], flat):  # SymPy matrices iterate row by row
                out[symbol] = sympy.Float(float(number), 30)
        return out

    def loss_at(self, x=None, y=None) -> sympy.Expr:
        """L with the input and label put in: an expression of the 12 parameters only."""
        fixed = {s: v for s, v in self.values(x=x, y=y).items() if s in set(self.symbols["x"]) | set(self.symbols["y"])}
        return self.loss.subs({s: sympy.nsimplify(v) for s, v in fixed.items()})

    def gradient_function(self):
        """A NumPy function (flat 12 parameters, x, y) → the 12 derivatives, from SymPy's formulas."""
        ordered = [g for name in TWO_LAYER_PARAMETERS for g in self.gradients[name]]
        return sympy.lambdify([list(self.parameters), list(self.symbols["x"]), list(self.symbols["y"])], ordered,
                              modules="numpy")


@lru_cache(maxsize=1)
def derive_two_layer_network() -> TwoLayerDerivation:
    """Build L(x, y; W1, b1, W2, b2) = −Σ y log softmax(W2·tanh(W1·x + b1) + b2) and differentiate
    it with respect to each of the 12 parameters (computed once, then cached: about 0.2 s)."""
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
    return TwoLayerDerivation(symbols=symbols, parameters=parameters, loss=loss, gradients=gradients)


@lru_cache(maxsize=1)
def derive_two_layer_error_terms() -> dict:
    """The error terms δ[l] = ∂L/∂z[l] by the plain chain rule, beside backprop's formulas.

    Returns ``z1``, ``z2`` (symbols), ``y_hat`` (softmax of z2), ``delta2`` (SymPy's ∂L/∂z2),
    ``delta2_formula`` (ŷ − y), ``delta1`` (SymPy's ∂L/∂z1 with z2 = W2·tanh(z1) + b2) and
    ``delta1_formula`` ((W2ᵀ·(ŷ − y)) ⊙ (1 − tanh² z1)), and ``differences``: each pair's difference
    simplified with y one-hot (y_2 = 1 − y_1), all zero when backprop's recursion is right.
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
    differences = [sympy.simplify((a - b).subs(one_hot)) for a, b in zip([*delta2, *delta1],
                                                                          [*delta2_formula, *delta1_formula])]
    return {"z1": z1, "z2": z2, "y": y, "y_hat": y_hat2, "delta2": delta2, "delta2_formula": delta2_formula,
            "delta1": delta1, "delta1_formula": delta1_formula, "differences": differences,
            "delta2_simplified": delta2.applyfunc(lambda e: sympy.factor(sympy.simplify(e.subs(one_hot))))}
