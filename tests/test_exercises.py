import math

import numpy as np
import pytest
import sympy

from helpers import Exercise

NUMBER = Exercise("What is dL/dw?", -4.0, hint="Use (y_hat - y) * x.")
VECTOR = Exercise("The gradient?", [-0.341, 0.242, 0.099], hint="a - y.", tolerance=1e-3)
w = sympy.Symbol("w")
FORMULA = Exercise("Differentiate w^2/2.", w, hint="The power rule.")


def test_right_answers_are_accepted():
    assert NUMBER.check(-4).correct
    assert NUMBER.check(np.float64(-4.0004)).correct
    assert VECTOR.check(np.array([-0.3410, 0.2420, 0.0990])).correct
    assert FORMULA.check(w * 2 / 2).correct
    assert FORMULA.check("w").correct


@pytest.mark.parametrize("answer", [
    -3.0, None, ..., "minus four", math.nan, [1.0, 2.0], {"a": 1}, sympy.Symbol("x") * 2, object(), np.array([np.inf]),
])
def test_wrong_answers_of_every_kind_get_a_hint_not_a_traceback(answer):
    feedback = NUMBER.check(answer)
    assert not feedback.correct
    assert "Use (y_hat - y) * x." in feedback.message
    assert repr(feedback).startswith("Not yet.")


@pytest.mark.parametrize("answer", [[1, 2], 3.0, "abc", None, [[1, 2, 3]]])
def test_vector_answers_with_the_wrong_shape_say_so(answer):
    assert not VECTOR.check(answer).correct


@pytest.mark.parametrize("answer", ["w**2", "((", 3.0, None, np.array([1.0])])
def test_formula_answers(answer):
    assert not FORMULA.check(answer).correct


def test_a_sympy_number_counts_as_a_number():
    assert NUMBER.check(sympy.Integer(-4)).correct
