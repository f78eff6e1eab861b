"""Every SymPy derivation comes back as one type, helpers.symbolic.Derivation: results by attribute and by
name, checks whose residuals are 0, numbers put in with evaluate() and compared with NumPy with compare()."""
import inspect
import re

import numpy as np
import pytest
import sympy as sp

import helpers.derivations
from helpers.linear import linear_gradients
from helpers.symbolic import Agreement, Derivation, simplified_residual

DERIVE = sorted(name for name in helpers.derivations.__all__ if name.startswith("derive_"))


def test_every_derive_function_is_collected():
    found = {name for name, value in inspect.getmembers(helpers.derivations, inspect.isfunction)
             if name.startswith("derive_")}
    assert found == set(DERIVE) and len(DERIVE) >= 30


@pytest.mark.parametrize("name", DERIVE)
def test_every_derive_function_returns_one_verified_derivation(name):
    derivation = getattr(helpers.derivations, name)()
    assert type(derivation) is Derivation
    assert derivation.title and derivation.results and derivation.all_hold
    for claim in derivation.checks:
        assert isinstance(claim, str) and derivation.holds(claim)
    assert repr(derivation).startswith(derivation.title)


def test_exact_moving_average_returns_rationals_not_a_derivation():
    out = helpers.derivations.exact_moving_average([1, 2, 3], 0.5)
    assert out == [1, sp.Rational(3, 2), sp.Rational(9, 4)]


def test_equal_rows_block_backprop_is_the_networks_derivation():
    from helpers.derivations import network, optimizers

    assert "derive_equal_rows_block_backprop" in network.__all__
    assert not hasattr(optimizers, "derive_equal_rows_block_backprop")


@pytest.mark.parametrize("name", helpers.derivations.network.__all__)
def test_the_networks_derivations_write_the_layer_in_brackets(name):
    """Titles and claims, printed in chapters 5, 7 and 10, write W[2], δ[1], z[1] as chapter 5 does (W^[2] in
    LaTeX): "W2ᵀ·δ2" reads as W squared, and "δ1" beside an entry's subscript is ambiguous."""
    derivation = getattr(helpers.derivations.network, name)()
    for text in [derivation.title, *derivation.checks]:
        assert not re.search(r"(?<![\w\[])[Wbzaδ][12](?![A-Za-z0-9\]])", text), text
        assert re.search(r"[Wbzaδ]\[[12l]\]|^The 2-2-2", text), text


def test_results_read_by_attribute_and_by_name_and_unknown_names_say_what_exists():
    factor = helpers.derivations.derive_linear_error_factor("half")
    assert factor["factor"] is factor.factor and set(factor.results) >= {"error", "factor", "critical_lr"}
    with pytest.raises(KeyError, match="critical_lr"):
        factor["no_such_result"]
    with pytest.raises(KeyError):
        factor["checks"]   # the checks are not a result


def test_evaluate_and_compare_put_numbers_into_a_result_and_check_them_against_numpy():
    model = helpers.derivations.derive_linear_gradients(1, "half")
    values = model.substitutions(w=1, b=0, x=2, y=4)
    numpy = linear_gradients([1.0], 0.0, [2.0], 4.0, "half")
    assert model.evaluate("dL_dw", values) == -4.0 and model.evaluate(model.dL_db + 1, values) == -1.0
    agreement = model.compare("dL_dw", numpy["grad_w"][0], values=values)
    assert isinstance(agreement, Agreement) and agreement.agree
    with pytest.raises(AssertionError, match="DISAGREE"):
        model.compare("dL_db", numpy["grad_b"] + 1e-9, values=values)


def test_a_result_may_not_hide_a_method():
    with pytest.raises(ValueError, match="verify"):
        Derivation("t", verify=sp.Integer(0))


def test_one_residual_routine_for_expressions_matrices_and_sets():
    x = sp.Symbol("x", positive=True)
    assert simplified_residual(sp.sqrt(x**2), x) == 0 and simplified_residual(x + 1, x) == 1
    residual = simplified_residual(sp.Matrix([x, 2 * x]), sp.Matrix([x, x]))
    assert residual == sp.Matrix([0, x])
    assert simplified_residual(sp.Interval.open(0, 1), sp.Interval.open(0, 1)) == 0
    assert simplified_residual(sp.Interval.open(0, 1), sp.Interval.open(0, 2)) == sp.Interval.Ropen(1, 2)
    assert simplified_residual((x**2 - 1) / (x - 1), x + 1, sp.cancel) == 0
    assert not Derivation("t", checks={"x = x + 1": simplified_residual(x, x + 1)}).all_hold


def test_a_derivation_with_a_failing_claim_names_it():
    x = sp.Symbol("x")
    wrong = Derivation("wrong", checks={"2x = x + x": simplified_residual(2 * x, x + x),
                                        "x² = x": simplified_residual(x**2, x)})
    with pytest.raises(AssertionError, match="x² = x"):
        wrong.verify()
    assert np.array_equal([wrong.holds(c) for c in wrong.checks], [True, False])
