"""Every number exercise of the bank, fed every kind of wrong answer a student can type.

The exercises are the bank's ``NumberExercise`` entries (helpers/exercises/chapterNN.py), which the
notebooks check by id. For each one:

- the right answer, computed here from the helpers (never read from the exercise), is accepted,
  in every form a student might give it (a list, a tuple, an array, a SymPy number, a string formula);
- every kind of wrong answer (a wrong value, the wrong shape, text, None, a SymPy formula where a
  number is expected, NaN, inf, a dict, an object, True, a complex number, ...) gets a short hint,
  never a traceback and never a warning: Feedback with ``correct`` False and a message that
  carries the exercise's own hint.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy as sp

import helpers
from helpers.exercises import NumberExercise, registered

EXERCISES = {key: value for key, value in registered().items() if isinstance(value, NumberExercise)}


# -- the right answers, worked out with the helpers ------------------------------------------------
def _chapter_1():
    step = helpers.linear_step(1.0, 0.0, 2.0, 4.0, lr=0.05)  # half the worked example's η
    return {
        "01.loss_after_first_step": helpers.linear_loss(helpers.linear_predict(step["w_new"], step["b_new"], 2.0), 4.0),
        "01.critical_learning_rate_x3": helpers.linear_critical_learning_rate(3.0),
        "01.plain_loss_gradient_b": helpers.linear_gradients(1.0, 0.0, 2.0, 4.0, convention="plain")["grad_b"],
    }


def _chapter_2():
    example = helpers.LINEAR_TWO_SAMPLE_EXAMPLE
    replay = helpers.replay_linear(example["w"], example["b"], example["x"], example["y"], 0.1, steps=3,
                                   convention="plain")
    return {
        "02.prediction_step3_sample1": replay.steps[2]["prediction"],  # step 3 predicts sample 1 again
        "02.plain_loss_matching_lr": 0.3 / 2,  # the plain loss doubles every gradient, so chapter 1's η halves
        "02.critical_lr_third_sample_plain": 1 / (0.2**2 + 0.4**2 + 1),  # where 1 − 2η(x1² + x2² + 1) = −1
    }


def _chapter_3():
    a_2, a_3 = sp.symbols("a_2 a_3")
    return {
        "03.cross_entropy_logit_gradient": np.exp([1.0, -1.0, 2.0]) / np.exp([1.0, -1.0, 2.0]).sum() - [0, 1, 0],  # a − y
        "03.softmax_jacobian_off_diagonal": -a_2 * a_3,
        "03.softmax_large_logits": helpers.softmax([1000.0, 1001.0, 1002.0]),
    }


def _chapter_4():
    y_hat, y = [2.5, 5.0, 9.0], [3.0, 5.0, 2.5]
    return {
        "04.mae_mse_with_outlier": [helpers.mae(y_hat, y), helpers.mse(y_hat, y)],
        "04.bce_confident_wrong": helpers.binary_cross_entropy([0.1], [1.0]),
        "04.cross_entropy_equal_logits": helpers.cross_entropy_from_logits([0.0, 0.0, 0.0, 0.0], 0),
    }


def _chapter_5():
    sgd = helpers.replay_two_layer(steps=1)[0]
    W2 = helpers.DEFAULT_TWO_LAYER_PARAMS["W2"]
    after_sgd = sgd["params"]
    adam = helpers.replay_two_layer(optimizer="adam", lr=0.1, steps=1, **after_sgd)[0]
    return {
        # label class 2: δ[2] = ŷ − (0, 1), then back through column 1 of W[2] and tanh′
        "05.delta1_other_label": (W2[:, 0] @ (sgd["y_hat"] - np.array([0.0, 1.0]))) * (1 - sgd["a1"][0] ** 2),
        # layer 2 frozen: the loss is lowest when tanh saturates both hidden units at −1
        "05.lowest_loss_layer2_frozen": helpers.cross_entropy_from_logits(W2 @ np.array([-1.0, -1.0]), 0),
        "05.b2_after_sgd_then_adam": adam["params"]["b2"],
    }


def _chapter_6():
    first = helpers.adam_step([0.0], [-250.0], [0.0], [0.0], 1, lr=0.001)
    return {
        "06.ema_m3_constant_gradient": helpers.exponential_moving_average([2.0, 2.0, 2.0], 0.5, convention="zero")[-1],
        "06.bias_correction_factor_t10": 1 / (1 - 0.99**10),  # β2 = 0.99: the 0.999 row is printed in the chapter
        "06.adam_first_update": float(first["update"][0]),
    }


def _chapter_7():
    return {
        "07.b2_after_adam_step1": np.array([-0.05, 0.05]),  # label class 2 flips δ2's signs; Adam's step 1 is ±η
        "07.lr_equalizing_rows": float(helpers.derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.8, 0.9]]).eta),
        # β1 = 0.8, β2 = 0.99, g_2 = 0: m̂_2/√v̂_2 = (0.8·0.2/(1 − 0.8²)) / √(0.99·0.01/(1 − 0.99²)), against sign(g_1)
        "07.adam_step2_ratio": (0.16 / 0.36) / np.sqrt(0.0099 / 0.0199),
    }


def _chapter_8():
    bowl = helpers.ELONGATED_BOWL
    sgd = helpers.run_landscape_trajectory(helpers.Optimizer("sgd", 0.95), bowl, steps=10)
    return {
        "08.sgd_largest_stable_lr": 0.25,  # ∂f/∂y = 8y on x²/20 + 4y²: |1 − 8η| ≤ 1 while η ≤ 1/4
        "08.sgd_y_after_12_steps": 2 * (-0.9) ** 12,
        "08.adagrad_effective_rate_t4": helpers.effective_learning_rates(helpers.Optimizer("adagrad", 1.0), [2.0] * 4)[-1],
    }


def _chapter_9():
    data = helpers.make_regression_data(100, 3, seed=0)
    w, b = np.zeros(3), 0.0
    noise = [helpers.minibatch_gradient_noise(data["X"], data["y"], w, b, size) for size in (1, 10)]
    return {
        "09.steps_minibatch_30": helpers.count_steps(100, 30, 50),
        "09.noise_ratio_b1_b10": noise[0] / noise[1],  # 1 / (90/990) = 11
        "09.steps_batch_64": 16 * 100,  # ⌈1000/64⌉ = 16 batches in each of 100 epochs
    }


def _chapter_10():
    run, _ = helpers.replay_with_initialization("zeros", **helpers.INIT_WIDE_EXAMPLE, steps=10)
    changed = sum(int(np.sum(run.final_params[name] != run.start[name])) for name in run.start)
    return {
        "10.xavier_uniform_bound": np.sqrt(6 / (30 + 20)),
        "10.he_normal_std": helpers.initializer_std("he_normal", 512, 256),
        "10.parameters_changing_from_zeros": changed,
    }


RIGHT_ANSWERS = {"01": _chapter_1, "02": _chapter_2, "03": _chapter_3, "04": _chapter_4, "05": _chapter_5,
                 "06": _chapter_6, "07": _chapter_7, "08": _chapter_8, "09": _chapter_9, "10": _chapter_10}
_ANSWERS: dict = {}


def _answers(chapter: str) -> dict:
    if chapter not in _ANSWERS:
        _ANSWERS[chapter] = RIGHT_ANSWERS[chapter]() if chapter in RIGHT_ANSWERS else {}
    return _ANSWERS[chapter]


def right_answer(key: str):
    """The right answer of exercise ``key`` ("NN.slug"), worked out above."""
    return _answers(key[:2])[key]


# -- the wrong answers -----------------------------------------------------------------------------
def wrong_answers(exercise, right) -> dict:
    """{kind: answer} of every kind of wrong answer for this exercise."""
    common = {"None": None, "Ellipsis": ..., "text": "I don't know", "NaN": math.nan, "inf": math.inf,
              "dict": {"answer": 1}, "object": object(), "True": True, "complex": 1 + 2j, "bytes": b"1",
              "function": print, "empty list": []}
    if exercise.symbolic:
        a_2, a_3 = sp.symbols("a_2 a_3")
        return {**common, "wrong formula": a_2 * a_3, "wrong formula as text": "a_2 + a_3",
                "unreadable text": "((", "a number": 0.5, "wrong shape": [1.0, 2.0],
                "a matrix": sp.Matrix([-a_2 * a_3, 0])}
    right = np.asarray(right, dtype=float)
    wrong = right + 1.0
    answers = {**common, "wrong value": wrong.tolist(), "wrong value as array": wrong,
               "wrong value as SymPy number": sp.Float(float(wrong.flat[0])) if right.ndim == 0 else sp.Matrix(wrong),
               "right answer as text": str(right.tolist()),
               "SymPy formula": sp.Symbol("x") + float(right.flat[0]),
               "right answer as complex": right + 1e-9j,
               "right answer with NaN": np.where(np.arange(right.size) == 0, np.nan,
                                                 right.ravel()).reshape(right.shape),
               "list of text": [str(v) for v in np.atleast_1d(right)]}
    if right.ndim == 0:
        answers["wrong shape"] = [float(right), float(right)]
    else:
        answers["wrong shape"] = float(right.flat[0])
        answers["too many entries"] = [*right.tolist(), 0.0]
    return answers


def _known(key: str) -> bool:
    return key in _answers(key[:2])


KNOWN = sorted(key for key in EXERCISES if _known(key))
CASES = [pytest.param(key, kind, id=f"{key}-{kind}") for key in KNOWN
         for kind in wrong_answers(EXERCISES[key], right_answer(key))]


def _check(exercise, answer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would print in the student's notebook
        return exercise.check(answer)


def test_every_chapter_with_exercises_is_found():
    assert len(EXERCISES) >= 30
    assert {key[:2] for key in EXERCISES} >= set(RIGHT_ANSWERS)


@pytest.mark.parametrize("key", KNOWN)
def test_the_right_answer_is_accepted_in_every_form(key):
    exercise, right = EXERCISES[key], right_answer(key)
    if exercise.symbolic:
        forms = [right, str(right)]
    else:
        value = np.asarray(right, dtype=float)
        forms = [right, value, value.tolist()] + ([float(value), sp.Float(float(value))] if value.ndim == 0
                                                   else [tuple(value.tolist()), sp.Matrix(value)])
        if value.ndim == 0 and float(value).is_integer():
            forms.append(int(value))
    for form in forms:
        feedback = _check(exercise, form)
        assert feedback.correct, f"{key}: {form!r} was refused: {feedback.message}"
        assert feedback.message


@pytest.mark.parametrize("key, kind", CASES)
def test_a_wrong_answer_gets_a_short_hint_never_a_traceback(key, kind):
    exercise = EXERCISES[key]
    answer = wrong_answers(exercise, right_answer(key))[kind]
    feedback = _check(exercise, answer)
    assert isinstance(feedback, helpers.Feedback)
    assert not feedback.correct, f"{kind} {answer!r} was accepted"
    if answer is None or answer is Ellipsis:  # the starter, as stored: asks for an answer, keeps the hint back
        assert feedback.message.startswith("No answer yet.") and exercise.hint not in feedback.message
    else:
        assert exercise.hint in feedback.message
        assert len(feedback.message) <= len(exercise.hint) + 120, feedback.message
    assert repr(feedback).startswith("Not yet.")
    assert "Not yet." in feedback._repr_html_()


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_the_stored_cell_shows_no_answer_yet(key):
    feedback = _check(EXERCISES[key], None)
    assert not feedback.correct and feedback.message.startswith("No answer yet.")


def test_every_exercise_has_a_worked_out_answer():
    missing = [key for key in EXERCISES if not _known(key)]
    assert not missing, f"work out the right answers of {missing} in this file"


@pytest.mark.parametrize("answer, names", [
    # the worked example's ∂L/∂z as chapter 3 prints it (z = [2, 1, 0.1], true class 1)
    pytest.param([-0.341, 0.242, 0.099], "the chapter's worked example (z = [2, 1, 0.1]", id="worked-example"),
    # class 2 passed to the helpers as label 2, which they read as the third class: a − [0, 0, 1]
    pytest.param(np.exp([1.0, -1.0, 2.0]) / np.exp([1.0, -1.0, 2.0]).sum() - [0, 0, 1],
                 "they count classes from 0, so class 2 is label 1", id="label-2-for-class-2"),
])
def test_chapter_3s_gradient_exercise_names_the_slip(answer, names):
    """A student who copies the worked example, or gives the helpers label 2 for class 2, is told so, not given only
    the general hint."""
    feedback = _check(EXERCISES["03.cross_entropy_logit_gradient"], answer)
    assert not feedback.correct and names in feedback.message, feedback.message
