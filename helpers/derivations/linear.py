"""SymPy derivations for the linear model ŷ = Σ w_i·x_i + b (chapters 1 and 2).

Each ``derive_*`` function starts from the definitions and lets SymPy differentiate, substitute
and solve: the tested general forms (any number of features, both loss conventions). Chapters 1 and 2
write the same SymPy work out in their cells and compare with these in one line; the numbers come
from :mod:`helpers.linear`. Each returns a verified :class:`helpers.symbolic.Derivation`.
"""
from __future__ import annotations

from functools import partial

import sympy

from ..symbolic import Derivation, simplified_residual
from ..validation import check_choice, check_integer, check_number

__all__ = ["derive_linear_gradients", "derive_linear_error_factor", "derive_linear_epoch_map"]

_C = {"half": sympy.Rational(1, 2), "plain": sympy.Integer(1)}


def _exact(name: str, value):
    """A number as an exact SymPy number: 0.1 becomes 1/10 (from its shortest decimal form), so
    substituting the worked example's values gives the source's numbers with no rounding."""
    if isinstance(value, sympy.Basic) and not value.is_Float:
        return value
    value = check_number(name, value)
    return sympy.Integer(int(value)) if value.is_integer() else sympy.Rational(repr(value))


def _loss_factor(convention: str):
    return _C[check_choice("convention", convention, _C)]


def _linear_substitutions(model: Derivation, *, w, b, x, y, lr=None) -> dict:
    """{symbol: exact number} for ``evaluate`` or ``.subs``: ``w`` and ``x`` are numbers (one feature)
    or sequences of the model's length; ``lr`` is optional (needed only for the updates). Also gives
    ``yhat`` its value, so the chain-rule pieces written with ŷ evaluate too."""
    w_values = list(w) if isinstance(w, (list, tuple)) or getattr(w, "ndim", 0) else [w]
    x_values = list(x) if isinstance(x, (list, tuple)) or getattr(x, "ndim", 0) else [x]
    if len(w_values) != len(model.weights) or len(x_values) != len(model.features):
        raise ValueError(f"w and x must each have {len(model.weights)} value(s) for this model; "
                         f"got {len(w_values)} and {len(x_values)}")
    values = {**dict(zip(model.weights, w_values)), **dict(zip(model.features, x_values)), model.b: b, model.y: y}
    if lr is not None:
        values[model.lr] = lr
    values = {symbol: _exact(str(symbol), value) for symbol, value in values.items()}
    values[model.yhat] = model.prediction.subs(values)
    return values


def derive_linear_gradients(n_features: int = 1, convention: str = "half") -> Derivation:
    """Derive ∂L/∂w_i and ∂L/∂b for ŷ = Σ w_i·x_i + b with L = c·(ŷ − y)² (c = ½ or 1).

    ``n_features``: a whole number in [1, 10] (symbols w, x for 1; w1, w2, ... otherwise).
    ``convention``: ``"half"`` or ``"plain"``. Checks that differentiating L directly gives the same
    result as the chain rule ∂L/∂ŷ · ∂ŷ/∂w_i. Results: the symbols ``weights``, ``features`` (tuples),
    ``b``, ``y``, ``yhat``, ``lr``; ``prediction`` ŷ; ``loss`` L; the chain-rule pieces ``dL_dprediction``
    (∂L/∂ŷ, written with ``yhat``), ``dprediction_dweights`` and ``dprediction_db``; the gradients
    ``dL_dweights`` (a tuple), ``dL_dw`` (its first entry, for one feature) and ``dL_db``; the updates
    ``new_weights``, ``new_b`` (w − η·∂L/∂w); and ``substitutions(w=, b=, x=, y=, lr=None)``, which gives
    {symbol: exact number} (0.1 becomes 1/10) for ``evaluate`` or ``.subs``, ŷ included.
    """
    n_features = check_integer("n_features", n_features, low=1, high=10)
    c = _loss_factor(convention)
    if n_features == 1:
        weights, features = (sympy.Symbol("w", real=True),), (sympy.Symbol("x", real=True),)
    else:
        weights = sympy.symbols(f"w1:{n_features + 1}", real=True)
        features = sympy.symbols(f"x1:{n_features + 1}", real=True)
    b, y, lr = sympy.symbols("b y eta", real=True)
    yhat = sympy.Symbol(r"\hat{y}", real=True)
    prediction = sum(w * x for w, x in zip(weights, features)) + b
    loss = c * (prediction - y) ** 2
    dL_dprediction = sympy.diff(c * (yhat - y) ** 2, yhat)
    dprediction_dweights = tuple(sympy.diff(prediction, w) for w in weights)
    dprediction_db = sympy.diff(prediction, b)
    dL_dweights = tuple(sympy.factor(sympy.diff(loss, w)) for w in weights)
    dL_db = sympy.factor(sympy.diff(loss, b))
    chain = dL_dprediction.subs(yhat, prediction)
    pieces = zip((*weights, b), (*dL_dweights, dL_db), (*dprediction_dweights, dprediction_db))
    checks = {f"∂L/∂{p} = ∂L/∂ŷ · ∂ŷ/∂{p}": simplified_residual(direct, chain * local, sympy.expand)
              for p, direct, local in pieces}
    features_text = f"{n_features} feature{'s' * (n_features > 1)}"
    model = Derivation(
        f"Gradients of the linear model ({features_text}, {convention} loss)", checks=checks,
        convention=convention, weights=tuple(weights), features=tuple(features), b=b, y=y, yhat=yhat, lr=lr,
        prediction=prediction, loss=loss, dL_dprediction=dL_dprediction, dprediction_dweights=dprediction_dweights,
        dprediction_db=dprediction_db, dL_dweights=dL_dweights, dL_dw=dL_dweights[0], dL_db=dL_db,
        new_weights=tuple(w - lr * g for w, g in zip(weights, dL_dweights)), new_b=b - lr * dL_db)
    model.substitutions = partial(_linear_substitutions, model)
    return model.verify()


def derive_linear_error_factor(convention: str = "half") -> Derivation:
    """For one sample of one feature, derive what one step does to the error e = wx + b − y.

    Results (also by name, ``d["factor"]``): ``error`` (e), ``new_error`` (e after w ← w − η∂L/∂w, b ← b − η∂L/∂b),
    ``factor`` (new_error / error, simplified: 1 − η(x² + 1) for the half loss), ``one_step_lr``
    (the η with factor 0: the error vanishes in one step; above it the error changes sign each step)
    and ``critical_lr`` (the η with factor −1: above it |e| grows, the run diverges), plus ``symbols``.
    ``convention``: ``"half"`` (L = ½(ŷ − y)²) or ``"plain"`` (L = (ŷ − y)²).
    """
    g = derive_linear_gradients(1, convention)
    (w,), (x,) = g.weights, g.features
    error = g.prediction - g.y
    new_error = error.subs({w: g.new_weights[0], g.b: g.new_b}, simultaneous=True)
    ratio = sympy.cancel(new_error / error)
    # The ratio is linear in η: write it as 1 − η·(slope), the form the chapter reads off.
    slope = sympy.factor(-sympy.diff(ratio, g.lr))
    factor = sympy.Add(1, sympy.Mul(-1, g.lr, slope, evaluate=False), evaluate=False)
    (one_step_lr,) = sympy.solve(sympy.Eq(factor, 0), g.lr)
    (critical_lr,) = sympy.solve(sympy.Eq(factor, -1), g.lr)
    checks = {"new error = factor · error": simplified_residual(new_error, factor * error, sympy.expand)}
    return Derivation(f"One step multiplies the error by a factor ({convention} loss)", checks=checks, error=error,
                      new_error=new_error, factor=factor, one_step_lr=one_step_lr, critical_lr=critical_lr,
                      symbols={"w": w, "b": g.b, "x": x, "y": g.y, "eta": g.lr}).verify()


def derive_linear_epoch_map(convention: str = "plain") -> Derivation:
    """Two samples visited in order (sample 1 then 2): derive the map from errors before an epoch to after.

    With x̃_i = (x_i, 1) (sample i's inputs with a 1 appended) and e_i = x̃_i·θ − y_i, a step on sample i
    (θ ← θ − 2c·η·e_i·x̃_i) changes every error by e_j ← e_j − 2c·η·g_ji·e_i, with g_ji = x̃_j·x̃_i (checked here for two features by
    substituting the parameter update). Results (also by name, ``d["gram"]``): ``gram`` (the symbols g11, g12, g22),
    ``step_maps`` (M1, M2), ``epoch_map`` (M = M2·M1), ``determinant`` (= (1 − 2cηg11)(1 − 2cηg22)),
    ``trace``, ``critical_lr`` (the η ≠ 0 where det M = 1: where a complex pair of eigenvalues, whose
    size is √det, reaches the unit circle) and ``discriminant`` (trace² − 4·det; negative means complex).
    ``convention``: ``"half"`` (L = ½(ŷ − y)²) or ``"plain"`` (L = (ŷ − y)², the default here).
    """
    c = _loss_factor(convention)
    lr = sympy.Symbol("eta", positive=True)
    k = 2 * c * lr
    # Check the error-step rule on the two-feature model itself.
    g = derive_linear_gradients(2, convention)
    theta = (*g.weights, g.b)
    sample = [sympy.symbols(f"x{i}1 x{i}2 y{i}", real=True) for i in (1, 2)]
    a = [sympy.Matrix([s[0], s[1], 1]) for s in sample]
    errors = [(a[i].T * sympy.Matrix(theta))[0] - sample[i][2] for i in (0, 1)]
    checks = {}
    for i in (0, 1):
        stepped = {p: p - k * errors[i] * a[i][n] for n, p in enumerate(theta)}
        for j in (0, 1):
            claim = f"a step on sample {i + 1} changes e_{j + 1} by −2cη·g_{j + 1}{i + 1}·e_{i + 1}"
            checks[claim] = simplified_residual(errors[j].subs(stepped, simultaneous=True) - errors[j],
                                                -k * (a[j].T * a[i])[0] * errors[i], sympy.expand)
    g11, g12, g22 = sympy.symbols("g11 g12 g22", positive=True)
    gram = sympy.Matrix([[g11, g12], [g12, g22]])
    steps = []
    for i in (0, 1):
        step = sympy.eye(2)
        step[:, i] = step[:, i] - k * gram[:, i]
        steps.append(step)
    epoch = sympy.expand(steps[1] * steps[0])
    determinant = sympy.factor(epoch.det())
    trace = sympy.expand(epoch.trace())
    roots = [r for r in sympy.solve(sympy.Eq(epoch.det(), 1), lr) if r != 0]
    checks["det M = (1 − 2cη·g_11)(1 − 2cη·g_22)"] = simplified_residual(determinant, (1 - k * g11) * (1 - k * g22),
                                                                      sympy.expand)
    return Derivation(f"One epoch over two samples maps the errors by M ({convention} loss)", checks=checks,
                      gram=(g11, g12, g22), lr=lr, step_maps=tuple(steps), epoch_map=epoch, determinant=determinant,
                      trace=trace, critical_lr=sympy.simplify(roots[0]),
                      discriminant=sympy.expand(trace**2 - 4 * epoch.det())).verify()
