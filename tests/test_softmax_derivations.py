"""The SymPy derivations of chapter 3 hold (simplify(derived − expected) == 0) and, evaluated at the
worked example, equal the NumPy helpers."""
import numpy as np
import pytest
import sympy as sp

from helpers import (cross_entropy_from_logits, cross_entropy_from_logits_gradient, derive_softmax_cross_entropy_gradient,
                     derive_softmax_jacobian, derive_softmax_shift_invariance, evaluate, softmax, softmax_jacobian,
                     softmax_symbols)
from helpers.symbolic import Derivation

EXAMPLE = (2, 1, sp.Rational(1, 10))   # z = [2, 1, 0.1], exactly


@pytest.fixture(scope="module")
def jacobian():
    return derive_softmax_jacobian(4)


@pytest.fixture(scope="module")
def gradient():
    return derive_softmax_cross_entropy_gradient(3)


def test_general_jacobian_entry_is_a_i_times_kronecker_minus_a_j(jacobian):
    a, i, j = jacobian.a_symbol, jacobian.i, jacobian.j
    assert sp.simplify(jacobian.general - a[i] * (sp.KroneckerDelta(i, j) - a[j])) == 0


def test_diagonal_case_is_a_i_one_minus_a_i_and_off_diagonal_is_minus_a_i_a_j(jacobian):
    a, i, j = jacobian.a_symbol, jacobian.i, jacobian.j
    assert sp.simplify(jacobian.diagonal - a[i] * (1 - a[i])) == 0
    assert sp.simplify(jacobian.off_diagonal + a[i] * a[j]) == 0


def test_four_class_jacobian_from_sympy_diff_equals_diag_a_minus_a_a_transpose(jacobian):
    z, a = softmax_symbols(4)
    by_diff = a.jacobian(z)
    assert (by_diff - (sp.diag(*a) - a * a.T)).applyfunc(sp.simplify).is_zero_matrix
    assert (by_diff * sp.ones(4, 1)).applyfunc(sp.simplify).is_zero_matrix
    assert (jacobian.jacobian - by_diff).is_zero_matrix


def test_jacobian_written_in_probabilities_becomes_sympys_jacobian_when_a_k_is_the_softmax(jacobian):
    plain = sorted(jacobian.in_probabilities.free_symbols, key=str)   # a_1 .. a_4
    as_softmax = jacobian.in_probabilities.subs(dict(zip(plain, jacobian.a)), simultaneous=True)
    assert (as_softmax - jacobian.jacobian).applyfunc(sp.simplify).is_zero_matrix


def test_cross_entropy_gradient_for_general_n_is_a_times_label_sum_minus_y(gradient):
    a, y, i = gradient.a_symbol, gradient.y_symbol, gradient.i
    assert sp.simplify(gradient.general - (a[i] * gradient.label_sum - y[i])) == 0
    assert sp.simplify(gradient.chain_rule - (a[i] * gradient.label_sum - y[i])) == 0


def test_gradient_is_a_minus_y_only_when_the_labels_sum_to_one(gradient):
    y, a = gradient.y, gradient.a
    soft = {y[0]: sp.Rational(1, 2), y[1]: sp.Rational(1, 2), y[2]: sp.Rational(1, 2)}  # Σy = 3/2
    difference = (gradient.gradient - (a - y)).subs(soft).applyfunc(sp.simplify)
    assert not difference.is_zero_matrix                       # a − y is wrong here ...
    assert (difference - a.subs(soft) / 2).applyfunc(sp.simplify).is_zero_matrix   # ... by a·(Σy − 1)
    assert (gradient.gradient_when_labels_sum_to_1
            - (a - y).subs(y[2], 1 - y[0] - y[1])).applyfunc(sp.simplify).is_zero_matrix


def test_shift_by_any_constant_leaves_softmax_unchanged_for_general_n_and_n_4():
    shift = derive_softmax_shift_invariance(4)
    assert sp.simplify(shift.shifted - shift.original) == 0
    assert (shift.a_shifted - shift.a).applyfunc(sp.simplify).is_zero_matrix


def test_symbolic_values_at_the_example_equal_numpy(gradient):
    z_numeric = np.array([float(v) for v in EXAMPLE])
    values = dict(zip(gradient.z, EXAMPLE))
    assert np.allclose(evaluate(gradient.a, values).ravel(), softmax(z_numeric), rtol=0, atol=1e-15)
    labels = {gradient.y[0]: 1, gradient.y[1]: 0, gradient.y[2]: 0}
    assert evaluate(gradient.loss, {**values, **labels}) == pytest.approx(cross_entropy_from_logits(z_numeric, 0),
                                                                          abs=1e-15)
    symbolic_gradient = evaluate(gradient.gradient, {**values, **labels}).ravel()
    assert np.allclose(symbolic_gradient, cross_entropy_from_logits_gradient(z_numeric, 0), rtol=0, atol=1e-15)
    jacobian = derive_softmax_jacobian(3)
    assert np.allclose(evaluate(jacobian.jacobian, dict(zip(jacobian.z, EXAMPLE))), softmax_jacobian(z_numeric),
                       rtol=0, atol=1e-15)


def test_a_false_claim_makes_verify_fail():
    x = sp.Symbol("x")
    wrong = Derivation(title="wrong", checks={"x = x + 1": sp.simplify(x - (x + 1))})
    assert not wrong.all_hold
    with pytest.raises(AssertionError, match="x = x \\+ 1"):
        wrong.verify()


def test_softmax_symbols_rejects_a_class_count_outside_2_to_12():
    with pytest.raises(ValueError, match=r"n must be a whole number in \[2, 12\]"):
        softmax_symbols(1)


def test_the_fast_exponential_residual_detects_a_wrong_jacobian():
    from helpers.derivations.softmax import _residual_in_exponentials

    z, a = softmax_symbols(3)
    wrong = _residual_in_exponentials(a.jacobian(z), sp.diag(*a) + a * a.T, z)
    assert not wrong.is_zero_matrix
    right = _residual_in_exponentials(a.jacobian(z), sp.diag(*a) - a * a.T, z)
    assert right.is_zero_matrix


def test_every_derivation_shows_its_equations_as_aligned_latex(jacobian, gradient):
    for derivation in (jacobian, gradient, derive_softmax_shift_invariance(3)):
        latex = derivation.show()._repr_latex_()
        assert latex.startswith("$\\begin{aligned}") and latex.endswith("\\end{aligned}$")
        assert len(repr(derivation.show()).splitlines()) == len(derivation.equations)
