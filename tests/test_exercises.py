import math
import warnings

import numpy as np
import pytest
import sympy

from helpers import Exercise
from helpers.exercises import CodeExercise, Mistake, NumberExercise, WrongAnswer, exercise, random_cases

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
    if answer is None or answer is Ellipsis:  # the starter: no hint before a first try
        assert feedback.message.startswith("No answer yet.") and "Use (y_hat - y) * x." not in feedback.message
    else:
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


# -- a right value given with too few decimals, and typical wrong values ------------------------------
PREDICTION = NumberExercise("02.test_prediction", prompt="ŷ to four decimals", answer=0.3397488, tolerance=1e-4,
                            hint="ŷ = w·x + b.", solution="0.3397",
                            wrong_answers=[WrongAnswer(0.2851848, "those are sample 2's inputs.")])


@pytest.mark.parametrize("answer, figures", [(0.34, 2), (0.340, 2), (np.float64(0.34), 2),
                                             (sympy.Float(0.34), 2)])
def test_a_right_value_rounded_too_far_is_close_but_not_right(answer, figures):
    feedback = PREDICTION.check(answer)
    assert not feedback.correct
    assert feedback.message == (f"Close: your value agrees with the answer to {figures} significant figures; give "
                                "more decimals (the check wants 4 decimals, within ±0.0001).")


def test_close_is_said_of_a_rounded_right_value_only():
    for wrong in (0.35, 0.33, 0.3, 0.3407, 0.0, 1.0):  # off in its own last digit, or only one figure given
        feedback = PREDICTION.check(wrong)
        assert not feedback.correct and feedback.message == "ŷ = w·x + b.", (wrong, feedback.message)
    assert PREDICTION.check(0.3397).correct and PREDICTION.check(0.33975).correct
    assert "give more decimals" in Exercise("η?", 1 / 1.65, hint="h").check(0.61).message  # chapter 2's 0.606
    assert "3 decimals, within ±0.001" in Exercise("η?", 1 / 1.65, hint="h").check(0.61).message
    assert "to 3 significant figures" in Exercise("η?", 1 / 1.65, hint="h", tolerance=1e-5).check(0.606).message


def test_a_small_value_given_to_two_decimals_is_close_though_it_has_one_figure():
    """0.04 for 0.0412 is the answer rounded to 2 decimals, as a student copies a small number: "close", not the
    hint for a wrong method; 0.05 (off in its last digit) and 0.4 (one decimal) still get the hint."""
    small = Exercise("a small gradient", 0.0412, hint="∂L/∂w = (ŷ − y)·x.", tolerance=1e-4)
    assert small.check(0.04).message == ("Close: your value agrees with the answer to 1 significant figure; give more "
                                         "decimals (the check wants 4 decimals, within ±0.0001).")
    for wrong in (0.05, 0.03, 0.4, 0.0):
        assert small.check(wrong).message == "∂L/∂w = (ŷ − y)·x.", wrong
    assert small.check(0.0412).correct


def test_close_holds_entry_by_entry_for_a_vector():
    assert "your values agree with the answer to 2 significant figures" in VECTOR.check([-0.34, 0.24, 0.099]).message
    assert VECTOR.check([-0.34, 0.25, 0.099]).message == "a - y."


def test_a_vector_entry_typed_with_a_trailing_zero_is_read_to_its_neighbours_decimals():
    """[-0.34, 0.24, 0.10] arrives as [-0.34, 0.24, 0.1] (a float drops the 0): its 0.1 is 0.099 to two decimals,
    so the answer is close, to 2 significant figures; a one-figure entry alone, or off in that place, is not."""
    assert "your values agree with the answer to 2 significant figures" in VECTOR.check([-0.34, 0.24, 0.1]).message
    assert VECTOR.check([-0.34, 0.24, 0.2]).message == "a - y."
    assert VECTOR.check([-0.3, 0.2, 0.1]).message == "a - y."


def test_a_typical_wrong_value_gets_its_own_hint_exact_or_rounded():
    for answer in (0.2851848, 0.2852, 0.285, 0.29):
        feedback = PREDICTION.check(answer)
        assert not feedback.correct and feedback.message == "those are sample 2's inputs.", answer
    assert PREDICTION.check(0.3).message == "ŷ = w·x + b."  # one figure is too few to name a mistake


def test_wrong_answers_must_be_wrong_answer_entries():
    with pytest.raises(ValueError, match="wrong_answers must hold WrongAnswer"):
        NumberExercise("01.test_bad", prompt="p", answer=1.0, hint="h", solution="s", wrong_answers=[(2.0, "h")])
    with pytest.raises(ValueError, match="hint must be a non-empty string"):
        WrongAnswer(2.0, "")


# -- code exercises: a small one made here, L = ½(w·x + b − y)² at one sample ------------------------
def _half_loss_gradients(w, b, x, y):  # the reference, by hand: ∂L/∂w = (wx + b − y)·x, ∂L/∂b = wx + b − y
    error = w * x + b - y
    return error * x, error


GRADIENTS = CodeExercise(
    "01.test_half_loss_gradients", prompt="the gradients of the half-squared loss", signature="f(w, b, x, y)",
    reference=_half_loss_gradients, outputs=["∂L/∂w", "∂L/∂b"],
    cases=[dict(w=1.0, b=0.0, x=2.0, y=4.0)]
    + random_cases(lambda rng: dict(w=rng.normal(), b=rng.normal(), x=rng.normal(), y=rng.normal()), n=5, seed=1),
    mistakes=[Mistake(lambda got, want, case: np.allclose(got, -want), "check the sign of the error ŷ − y")],
    hint="Multiply ŷ − y by ∂ŷ/∂w = x and by ∂ŷ/∂b = 1.", solution="```python\nreturn error * x, error\n```")
OUTER = CodeExercise(
    "05.test_outer", prompt="∂L/∂W^{[2]} = δ^{[2]} a^{[1]}ᵀ", signature="f(delta2, a1)",
    reference=lambda delta2, a1: np.outer(delta2, a1), outputs=["∂L/∂W^{[2]}"],
    cases=[dict(delta2=np.array([-0.5, 0.5]), a1=np.array([0.25, 0.75]))],
    mistakes=[Mistake(lambda got, want, case: np.allclose(got, -want), "check the sign of δ^{[2]} = ŷ − y")],
    hint="One row per output unit: np.outer(delta2, a1).", solution="np.outer(delta2, a1)")


def test_a_right_function_passes_on_the_worked_example_and_the_random_inputs():
    feedback = GRADIENTS.check(lambda w, b, x, y: ((w * x + b - y) * x, w * x + b - y))
    assert feedback.correct and "worked example and 5 random inputs" in feedback.message


def test_the_first_wrong_entry_is_named_with_its_index_and_rounded_values():
    feedback = OUTER.check(lambda delta2, a1: np.outer(delta2, a1) * np.array([[1, -1], [1, 1]]))
    assert feedback.message == ("Your ∂L/∂W^{[2]}[0, 1] is 0.375, expected −0.375 on the worked example: "
                                "One row per output unit: np.outer(delta2, a1).")
    assert "check the sign of δ^{[2]}" in OUTER.check(lambda delta2, a1: -np.outer(delta2, a1)).message


def test_a_wrong_random_case_shows_the_input_it_failed_on():
    feedback = GRADIENTS.check(lambda w, b, x, y: ((w * x + b - y) * x, w * x + b - y + (w != 1.0)))
    assert "Your ∂L/∂b is" in feedback.message and "on a random input (w=" in feedback.message


@pytest.mark.parametrize("function, words", [
    (None, "Not written yet"),
    (lambda w, b, x, y: None, "Not written yet"),
    (lambda w, b, x, y: (_ for _ in ()).throw(NotImplementedError), "Not written yet"),
    (lambda w, b, x, y: 1 / 0, "raised ZeroDivisionError: division by zero on the worked example (w=1, b=0, x=2, y=4)"),
    (lambda a: a, "write it as f(w, b, x, y)"),
    (lambda w, b, x, y: 3.0, "should return 2 values"),
    (lambda w, b, x, y: (1.0, 2.0, 3.0), "got 3"),
    (lambda w, b, x, y: {"w": 1}, "got a dict"),
    (lambda w, b, x, y: ("minus four", 1.0), "∂L/∂w is the text 'minus four', expected a number"),
    (lambda w, b, x, y: (np.log(-1.0), 1.0), "∂L/∂w is nan"),
    (lambda w, b, x, y: (np.zeros(3), 1.0), "∂L/∂w should be one number, got an array of shape (3,)"),
    (3.0, "Pass your function itself"),
])
def test_every_bad_function_gets_a_message_never_a_traceback_or_a_warning(function, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = GRADIENTS.check(function)
    assert not feedback.correct and words in feedback.message, feedback.message
    assert (GRADIENTS.hint in feedback.message) != (words == "Not written yet")  # starters keep the hint back


def test_a_wrong_shape_of_a_matrix_output_is_named():
    assert "∂L/∂W^{[2]} should have shape (2, 2), got (2,)" in OUTER.check(lambda delta2, a1: delta2).message


def test_the_learner_function_gets_copies_so_changing_them_spoils_nothing():
    def careless(delta2, a1):
        result = np.outer(delta2, a1)
        delta2 *= 100.0
        a1[:] = np.nan
        return result
    assert OUTER.check(careless).correct
    np.testing.assert_equal(OUTER.cases[0]["delta2"], [-0.5, 0.5])
    assert OUTER.check(lambda delta2, a1: np.outer(delta2, a1)).correct


def test_a_solution_shows_as_markdown_in_jupyter_and_as_text_when_printed():
    solution = GRADIENTS.solution()
    assert "```python" in solution._repr_markdown_() and "the gradients of the half-squared loss" in str(solution)
    assert repr(solution) == str(solution)


def test_a_number_exercise_computes_its_answer_only_when_first_asked():
    calls = []
    lazy = NumberExercise("01.test_lazy", prompt="a half", answer=lambda: calls.append(1) or 0.5, hint="½.",
                          solution="It is ½.")
    assert calls == []
    assert lazy.check(0.5).correct and lazy.check("0.5").correct is False and calls == [1]
    assert lazy.check(0.5).message == "It is ½."


def test_ids_and_the_bank():
    with pytest.raises(ValueError, match="id must be"):
        NumberExercise("loss", prompt="p", answer=1.0, hint="h", solution="s")
    with pytest.raises(ValueError, match="id must be the id of a registered exercise"):
        exercise("99.nothing")
    assert exercise("01.loss_after_first_step").check(None).message.startswith("No answer yet.")


def test_a_recognised_mistake_is_named_only_if_it_explains_every_wrong_case():
    """Forgetting −y makes ŷ·x look like a flipped sign on the worked example (ŷ = 2 = −(ŷ − y)); the
    checker must not call it a sign slip, because on random inputs it is not one."""
    from helpers.exercises import exercise

    check = exercise("01.half_loss_gradients").check
    forgot_the_label = check(lambda w, b, x, y: ((w * x + b) * x, w * x + b))
    flipped_sign = check(lambda w, b, x, y: (-(w * x + b - y) * x, -(w * x + b - y)))
    assert not forgot_the_label and "sign" not in forgot_the_label.message
    assert not flipped_sign and "sign" in flipped_sign.message


def test_the_stored_starters_keep_every_hint_for_a_first_try():
    """A notebook stores the starter's feedback: it must not print the hint (which may carry the method)."""
    from helpers.exercises.core import CodeExercise, registered

    for key, banked in registered().items():
        starter = banked.check(None)
        assert not starter.correct and banked.hint not in starter.message, key
        if isinstance(banked, CodeExercise):
            assert "a wrong result gets a hint" in starter.message, key


def test_feedback_shows_layer_superscripts_as_the_chapters_print_them_not_as_markup():
    from helpers.exercises.core import Feedback

    feedback = Feedback(False, "send $δ^{[2]}$ back along W^{[2]ᵀ}")
    assert repr(feedback) == "Not yet. send δ[2] back along W[2]ᵀ"
    assert "δ<sup>[2]</sup> back along W<sup>[2]ᵀ</sup>" in feedback._repr_html_()
    assert "$" not in feedback._repr_html_() and "^{" not in feedback._repr_html_()
