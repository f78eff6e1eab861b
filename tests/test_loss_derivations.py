"""The SymPy derivations of chapter 4 hold (simplify(derived − expected) == 0) and, evaluated at the
worked examples, equal the NumPy helpers."""
import numpy as np
import pytest
import sympy as sp

from helpers import (binary_cross_entropy_from_logits, binary_cross_entropy_from_logits_gradient, cross_entropy,
                     derive_entropy_identity, derive_log_softmax, derive_regression_loss_gradients,
                     derive_sigmoid_binary_cross_entropy_gradient, entropy, evaluate, kl_divergence, log_softmax,
                     mae, mae_gradient, mse, mse_gradient)


def test_mae_and_mse_gradients_for_general_n():
    d = derive_regression_loss_gradients(3)
    yhat, y = sp.IndexedBase("yhat", real=True), sp.IndexedBase("y", real=True)
    assert sp.simplify(d.mae_general - sp.sign(yhat[d.i] - y[d.i]) / d.N) == 0
    assert sp.simplify(d.mse_general - 2 * (yhat[d.i] - y[d.i]) / d.N) == 0


def test_regression_losses_and_gradients_at_the_source_example_equal_numpy():
    d = derive_regression_loss_gradients(3)
    values = {**dict(zip(d.predictions, (sp.Rational(5, 2), 5, 3))), **dict(zip(d.targets, (3, 5, sp.Rational(5, 2))))}
    y_pred, y_true = [2.5, 5.0, 3.0], [3.0, 5.0, 2.5]
    assert d.mae.subs(values) == sp.Rational(1, 3) and d.mse.subs(values) == sp.Rational(1, 6)
    assert d.compare("mae", mae(y_pred, y_true), values=values, tolerance=1e-15)
    assert d.evaluate("mse", values) == pytest.approx(mse(y_pred, y_true), abs=1e-15)
    assert np.allclose(evaluate(d.mae_gradient, values).ravel(), mae_gradient(y_pred, y_true), rtol=0, atol=1e-15)
    assert np.allclose(evaluate(d.mse_gradient, values).ravel(), mse_gradient(y_pred, y_true), rtol=0, atol=1e-15)


def test_cross_entropy_is_entropy_plus_kl_for_general_n_and_n_3():
    d = derive_entropy_identity(3)
    assert sp.simplify(d.cross_entropy - (d.entropy + d.kl)) == 0
    assert sp.simplify(sp.expand_log(d.cross_entropy_n - d.entropy_n - d.kl_n)) == 0
    assert sp.simplify(d.kl_self) == 0


def test_entropy_identity_evaluated_equals_numpy():
    d = derive_entropy_identity(3)
    p, q = (sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)), (sp.Rational(7, 10), sp.Rational(2, 10),
                                                                       sp.Rational(1, 10))
    values = {**dict(zip(d.p, p)), **dict(zip(d.q, q))}
    p_float, q_float = np.array(p, dtype=float), np.array(q, dtype=float)
    assert evaluate(d.entropy_n, values) == pytest.approx(entropy(p_float), abs=1e-15)
    assert evaluate(d.kl_n, values) == pytest.approx(kl_divergence(p_float, q_float), abs=1e-15)
    assert evaluate(d.cross_entropy_n, values) == pytest.approx(cross_entropy(q_float, p_float), abs=1e-15)


def test_log_softmax_is_z_minus_log_sum_exp_and_its_negative_is_the_cross_entropy():
    d = derive_log_softmax(3)
    assert (d.a.applyfunc(lambda v: sp.expand_log(sp.log(v))) - d.log_softmax).applyfunc(sp.simplify).is_zero_matrix
    assert (d.log_softmax_shifted.applyfunc(sp.expand_log) - d.log_softmax).applyfunc(sp.simplify).is_zero_matrix
    for c in range(3):
        assert sp.simplify(sp.expand_log(-sp.log(d.a[c])) - d.nll[c]) == 0


def test_log_softmax_at_the_source_logits_equals_numpy():
    d = derive_log_softmax(3)
    for row in ([1.5, 2.0, 0.5], [0.5, 1.0, 1.5]):
        values = dict(zip(d.z, [sp.Rational(str(v)) for v in row]))
        assert np.allclose(evaluate(d.log_softmax, values).ravel(), log_softmax(row), rtol=0, atol=1e-15)


def test_sigmoid_plus_bce_gradient_is_sigma_minus_the_label():
    d = derive_sigmoid_binary_cross_entropy_gradient()
    assert sp.simplify(d.gradient - (d.sigmoid - d.y)) == 0
    assert sp.simplify(d.sigmoid_derivative - d.sigmoid * (1 - d.sigmoid)) == 0
    assert sp.simplify(d.probability_gradient - (d.sigma - d.y) / (d.sigma * (1 - d.sigma))) == 0
    assert sp.simplify(d.gradient - (d.sigmoid - d.y + 1)) != 0   # the check can fail


@pytest.mark.parametrize("z, y", [(0.85, 1.0), (-1.4, 0.0), (2.2, 1.0), (0.85, 0.0)])
def test_sigmoid_bce_symbolic_equals_numpy(z, y):
    d = derive_sigmoid_binary_cross_entropy_gradient()
    values = {d.z: z, d.y: y}
    assert d.compare("loss", binary_cross_entropy_from_logits([z], [y]), values=values, tolerance=1e-14)
    assert d.compare("gradient", binary_cross_entropy_from_logits_gradient([z], [y])[0], values=values, tolerance=1e-15)
