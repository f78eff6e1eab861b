"""Softmax, cross-entropy, BCE, MAE and MSE: the sources' numbers, the gradients against finite
differences, numerical stability, and clear errors for bad input."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import (best_constant_predictions, binary_cross_entropy,
                     binary_cross_entropy_from_logits, binary_cross_entropy_from_logits_gradient,
                     binary_cross_entropy_gradient, cross_entropy, cross_entropy_from_logits,
                     cross_entropy_from_logits_gradient, cross_entropy_gradient, entropy, information_content,
                     kl_divergence, log_softmax, mae, mae_gradient, mae_mse_outlier_panel, mse, mse_gradient,
                     numerical_gradient, one_hot, plot_cross_entropy_curves, plot_regression_loss_penalties,
                     plot_softmax_gradient_signs, sigmoid, softmax, softmax_jacobian, softmax_naive,
                     softmax_temperature_panel)

Z = np.array([2.0, 1.0, 0.1])            # source 001 section 5 and source 000
LOGITS = np.array([[1.5, 2.0, 0.5], [0.5, 1.0, 1.5]])   # source 003 section 五 2.4
BCE_Y_HAT, BCE_Y = np.array([0.7, 0.2, 0.9, 0.7]), np.array([1.0, 0.0, 1.0, 0.0])  # source 003 section 五 3
Y_TRUE, Y_PRED = np.array([3.0, 5.0, 2.5]), np.array([2.5, 5.0, 3.0])          # source 003 section 五 1


def rounded(values, digits):
    return np.round(np.asarray(values, dtype=float), digits).tolist()


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- the sources' numbers, to the digits they print ----------------------------------------------
def test_softmax_example_exponentials_and_probabilities_match_source_001():
    assert rounded(np.exp(Z), 3) == [7.389, 2.718, 1.105]
    assert rounded(softmax(Z), 3) == [0.659, 0.242, 0.099]


def test_exponential_sum_is_11_2125_and_the_source_11_212_is_the_sum_of_the_rounded_terms():
    exact = np.exp(Z).sum()
    assert round(exact, 4) == 11.2125 and round(exact, 3) == 11.213  # erratum: 11.212 to 3 decimals is a slip
    assert round(sum(rounded(np.exp(Z), 3)), 3) == 11.212


def test_example_loss_is_0_417_and_gradient_is_a_minus_y():
    assert round(cross_entropy(softmax(Z), 0), 3) == 0.417
    assert round(cross_entropy_from_logits(Z, [1, 0, 0]), 3) == 0.417
    assert rounded(cross_entropy_from_logits_gradient(Z, 0), 3) == [-0.341, 0.242, 0.099]


def test_jacobian_first_row_is_0_225_minus_0_160_minus_0_065_not_the_sources_minus_0_159():
    row = softmax_jacobian(Z)[0]
    assert rounded(row, 3) == [0.225, -0.160, -0.065]
    assert round(-0.659 * 0.242, 3) == -0.159  # the source multiplied the rounded probabilities


def test_log_softmax_of_source_003_logits_and_mean_loss_0_6422():
    assert rounded(log_softmax(LOGITS), 4) == [[-1.1041, -0.6041, -2.1041], [-1.6803, -1.1803, -0.6803]]
    assert rounded(cross_entropy_from_logits(LOGITS, [1, 2], reduction="none"), 4) == [0.6041, 0.6803]
    assert round(cross_entropy_from_logits(LOGITS, [1, 2]), 4) == 0.6422
    assert round(cross_entropy(softmax(LOGITS), [1, 2]), 4) == 0.6422


def test_binary_cross_entropy_terms_and_mean_match_source_003():
    terms = -binary_cross_entropy(BCE_Y_HAT, BCE_Y, reduction="none")
    assert rounded(terms, 4) == [-0.3567, -0.2231, -0.1054, -1.2040]
    assert round(binary_cross_entropy(BCE_Y_HAT, BCE_Y), 4) == 0.4723
    assert round(binary_cross_entropy(BCE_Y_HAT.reshape(4, 1), BCE_Y.reshape(4, 1)), 4) == 0.4723


def test_mae_is_0_3333_and_mse_is_0_1667_on_source_003():
    assert round(mae(Y_PRED, Y_TRUE), 4) == 0.3333
    assert round(mse(Y_PRED, Y_TRUE), 4) == 0.1667


# -- numerical stability ------------------------------------------------------------------------------
def test_naive_softmax_overflows_to_nan_without_a_warning_and_the_shifted_one_does_not(no_warnings):
    naive = softmax_naive([1000.0, 0.0, -1000.0])
    assert math.isnan(naive[0])
    assert softmax([1000.0, 0.0, -1000.0]).tolist() == [1.0, 0.0, 0.0]


def test_log_softmax_and_cross_entropy_from_logits_stay_finite_for_huge_logits(no_warnings):
    z = np.array([1000.0, 0.0, -1000.0])
    assert np.allclose(log_softmax(z), [0.0, -1000.0, -2000.0])
    assert cross_entropy_from_logits(z, 2) == pytest.approx(2000.0)
    assert binary_cross_entropy_from_logits([800.0, -800.0], [0.0, 1.0], reduction="none").tolist() == [800.0, 800.0]
    assert sigmoid([-800.0, 800.0]).tolist() == [0.0, 1.0]


def test_a_probability_of_exactly_zero_for_the_true_class_gives_inf(no_warnings):
    assert cross_entropy([0.0, 1.0, 0.0], 0) == math.inf
    assert cross_entropy_gradient([0.0, 1.0, 0.0], 0)[0] == -math.inf
    assert binary_cross_entropy([0.0], [1.0]) == math.inf and binary_cross_entropy([1.0], [0.0]) == math.inf


def test_zero_probability_where_the_label_is_zero_costs_nothing(no_warnings):
    assert cross_entropy([0.0, 1.0, 0.0], 1) == 0.0
    assert cross_entropy_gradient([0.0, 1.0, 0.0], 1).tolist() == [0.0, -1.0, 0.0]
    assert binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, words", [
    (lambda: cross_entropy([[0.5, 0.5]], [0, 1]), "labels must be class indices of shape (1,)"),
    (lambda: cross_entropy_from_logits([1.0, 2.0, 3.0], 3), "in [0, 2]"),
    (lambda: cross_entropy_from_logits([1.0, 2.0, 3.0], -1), "in [0, 2]"),
    (lambda: cross_entropy_from_logits([[1.0, 2.0]], [0.5]), "whole numbers"),
    (lambda: cross_entropy_from_logits([[1.0, 2.0]], [True]), "whole numbers"),
    (lambda: cross_entropy_from_logits([[1.0, 2.0]], ["a"]), "whole numbers"),
    (lambda: cross_entropy_from_logits([1.0, 2.0], None), "labels"),
    (lambda: cross_entropy_from_logits([1.0, 2.0, 3.0], [1.0, 1.0, 0.0]), "sum to 1"),
    (lambda: cross_entropy_from_logits([1.0, 2.0], [1.5, -0.5]), "in [0, 1]"),
    (lambda: cross_entropy([2.0, 1.0, 0.1], 0), "probabilities must be probabilities in [0, 1]"),
    (lambda: cross_entropy([0.2, 0.2, 0.2], 0), "sum to 1"),
    (lambda: cross_entropy([], 0), "must not be empty"),
    (lambda: cross_entropy_from_logits([1.0, np.nan], 0), "finite"),
    (lambda: cross_entropy_from_logits([1.0, 2.0], 0, reduction="average"), "reduction must be one of"),
    (lambda: binary_cross_entropy([0.5, 1.2], [0.0, 1.0]), "probabilities must be probabilities in [0, 1]"),
    (lambda: binary_cross_entropy([0.5, -0.1], [0.0, 1.0]), "in [0, 1]"),
    (lambda: binary_cross_entropy([0.5, 0.5], [0.0, 2.0]), "targets must be probabilities in [0, 1]"),
    (lambda: binary_cross_entropy([0.5, 0.5], [0.0]), "must have the same shape"),
    (lambda: binary_cross_entropy([], []), "must not be empty"),
    (lambda: mae([1.0, 2.0], [1.0]), "predictions and targets must have the same shape"),
    (lambda: mse([], []), "must not be empty"),
    (lambda: mse_gradient([1.0], [np.inf]), "finite"),
    (lambda: softmax([]), "must not be empty"),
    (lambda: softmax_jacobian(np.ones((2, 2, 2))), "shape (n,) or (m, n)"),
    (lambda: kl_divergence([0.5, 0.5], [1.0]), "same shape"),
    (lambda: entropy([0.5, 0.6]), "sum to 1"),
    (lambda: entropy([0.5, 0.5], base=1), "base must be"),
    (lambda: information_content(1.5), "in [0, 1]"),
    (lambda: one_hot([0, 3], 3), "in [0, 2]"),
    (lambda: best_constant_predictions([]), "must not be empty"),
])
def test_bad_input_raises_a_value_error_that_names_the_problem(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert words in str(error.value)


# -- shapes, reductions and equivalent forms ----------------------------------------------------------
def test_integer_labels_one_hot_rows_and_whole_valued_floats_give_the_same_loss():
    by_index = cross_entropy_from_logits(LOGITS, [1, 2])
    assert cross_entropy_from_logits(LOGITS, one_hot([1, 2], 3)) == pytest.approx(by_index, abs=1e-15)
    assert cross_entropy_from_logits(LOGITS, np.array([1.0, 2.0])) == pytest.approx(by_index, abs=1e-15)
    assert np.array_equal(one_hot(1, 3), [0.0, 1.0, 0.0])


def test_mean_is_sum_over_the_number_of_samples_and_none_keeps_each_sample():
    per_sample = cross_entropy_from_logits(LOGITS, [1, 2], reduction="none")
    assert cross_entropy_from_logits(LOGITS, [1, 2], reduction="sum") == pytest.approx(per_sample.sum(), abs=1e-15)
    assert cross_entropy_from_logits(LOGITS, [1, 2]) == pytest.approx(per_sample.mean(), abs=1e-15)
    mean_gradient = cross_entropy_from_logits_gradient(LOGITS, [1, 2])
    sum_gradient = cross_entropy_from_logits_gradient(LOGITS, [1, 2], reduction="sum")
    assert np.allclose(mean_gradient * 2, sum_gradient, rtol=0, atol=1e-15)
    assert isinstance(cross_entropy_from_logits(Z, 0, reduction="none"), float)


def test_soft_labels_are_accepted_and_their_gradient_is_still_a_minus_y():
    y = np.array([0.8, 0.1, 0.1])
    assert np.allclose(cross_entropy_from_logits_gradient(Z, y), softmax(Z) - y, rtol=0, atol=1e-15)
    assert cross_entropy(softmax(Z), y) == pytest.approx(-(y * np.log(softmax(Z))).sum(), abs=1e-15)


def test_mae_gradient_is_plus_or_minus_one_over_n_and_zero_where_the_error_is_zero():
    assert mae_gradient(Y_PRED, Y_TRUE).tolist() == pytest.approx([-1 / 3, 0.0, 1 / 3], abs=1e-15)
    assert mse_gradient(Y_PRED, Y_TRUE).tolist() == pytest.approx([-1 / 3, 0.0, 1 / 3], abs=1e-15)


def test_information_measures_on_a_fair_coin_in_bits():
    assert information_content(0.5, base=2) == pytest.approx(1.0, abs=1e-15)
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0, abs=1e-15)
    assert kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0.0
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


def test_best_constant_under_mse_is_the_mean_and_under_mae_the_median_on_a_grid():
    data = np.array([2.5, 3.0, 4.0, 5.0, 60.0])
    grid = np.linspace(0, 70, 7001)
    by_mse = grid[np.argmin([mse(np.full(5, c), data) for c in grid])]
    by_mae = grid[np.argmin([mae(np.full(5, c), data) for c in grid])]
    best = best_constant_predictions(data)
    assert by_mse == pytest.approx(best["mse"], abs=0.01) and best["mse"] == pytest.approx(14.9)
    assert by_mae == pytest.approx(best["mae"], abs=0.01) and best["mae"] == 4.0


# -- properties over random logits and labels ------------------------------------------------------
moderate = st.floats(-300, 300, allow_nan=False, allow_infinity=False)
small = st.floats(-20, 20, allow_nan=False, allow_infinity=False)


@st.composite
def batches(draw, elements=small, max_classes=6, max_samples=4):
    m = draw(st.integers(1, max_samples))
    n = draw(st.integers(2, max_classes))
    z = draw(arrays(np.float64, (m, n), elements=elements))
    labels = draw(arrays(np.int64, m, elements=st.integers(0, n - 1)))
    return z, labels


@settings(max_examples=100, deadline=None)
@given(batches(elements=moderate))
def test_softmax_rows_are_positive_and_sum_to_one(batch):
    a = softmax(batch[0])
    assert np.all(a > 0)
    assert np.allclose(a.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(batches(), st.floats(-1000, 1000))
def test_softmax_ignores_a_common_shift(batch, c):
    z = batch[0]
    assert np.allclose(softmax(z + c), softmax(z), rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(batches(elements=st.floats(-50, 50)))
def test_stable_and_naive_softmax_agree_where_the_naive_one_does_not_overflow(batch):
    assert np.allclose(softmax(batch[0]), softmax_naive(batch[0]), rtol=1e-12, atol=1e-15)
    assert np.allclose(log_softmax(batch[0]), np.log(softmax_naive(batch[0])), rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(batches())
def test_cross_entropy_from_logits_gradient_equals_central_finite_differences(batch):
    z, labels = batch
    for reduction in ("mean", "sum"):
        numeric = numerical_gradient(lambda v: cross_entropy_from_logits(v, labels, reduction=reduction), z)
        analytic = cross_entropy_from_logits_gradient(z, labels, reduction=reduction)
        assert np.allclose(analytic, numeric, rtol=0, atol=1e-7)


@settings(max_examples=100, deadline=None)
@given(batches())
def test_probability_gradient_chained_through_the_jacobian_is_a_minus_y(batch):
    z, labels = batch
    assume(np.all(softmax(z) > 1e-6))   # −y/a is huge where a is tiny; the identity still holds, in floats less so
    chained = np.einsum("mij,mi->mj", softmax_jacobian(z), cross_entropy_gradient(softmax(z), labels))
    assert np.allclose(chained, cross_entropy_from_logits_gradient(z, labels), rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(batches())
def test_cross_entropy_of_probabilities_gradient_equals_finite_differences(batch):
    z, labels = batch
    a = softmax(z)
    assume(np.all(a > 1e-3))
    # Step 1e-7 keeps each perturbed row within the 1e-6 "rows sum to 1" tolerance.
    numeric = numerical_gradient(lambda p: cross_entropy(p, labels), a, step=1e-7)
    assert np.allclose(cross_entropy_gradient(a, labels), numeric, rtol=1e-5, atol=1e-5)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, 5, elements=small))
def test_softmax_jacobian_is_symmetric_its_rows_sum_to_zero_and_rows_match_finite_differences(z):
    jacobian = softmax_jacobian(z)
    assert np.array_equal(jacobian, jacobian.T)
    assert np.allclose(jacobian.sum(axis=1), 0.0, rtol=0, atol=1e-15)
    for i in range(5):
        numeric = numerical_gradient(lambda v: softmax(v)[i], z)
        assert np.allclose(jacobian[i], numeric, rtol=0, atol=1e-8)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, 6, elements=st.floats(-30, 30)), arrays(np.float64, 6, elements=st.floats(0, 1)))
def test_binary_cross_entropy_gradients_equal_finite_differences_and_the_logit_form_agrees(z, y):
    numeric = numerical_gradient(lambda v: binary_cross_entropy_from_logits(v, y), z)
    assert np.allclose(binary_cross_entropy_from_logits_gradient(z, y), numeric, rtol=0, atol=1e-8)
    y_hat = np.clip(sigmoid(z), 0.01, 0.99)
    numeric = numerical_gradient(lambda p: binary_cross_entropy(p, y), y_hat)
    assert np.allclose(binary_cross_entropy_gradient(y_hat, y), numeric, rtol=1e-6, atol=1e-8)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, 6, elements=st.floats(-15, 15)), arrays(np.float64, 6, elements=st.floats(0, 1)))
def test_binary_cross_entropy_from_logits_equals_bce_of_the_sigmoid(z, y):
    assert np.allclose(binary_cross_entropy_from_logits(z, y, reduction="none"),
                       binary_cross_entropy(sigmoid(z), y, reduction="none"), rtol=1e-9, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, 4, elements=small), arrays(np.float64, 4, elements=small))
def test_mae_and_mse_gradients_equal_finite_differences_away_from_the_kink(p, t):
    assume(np.all(np.abs(p - t) > 1e-3))
    assert np.allclose(mae_gradient(p, t), numerical_gradient(lambda v: mae(v, t), p), rtol=0, atol=1e-8)
    assert np.allclose(mse_gradient(p, t), numerical_gradient(lambda v: mse(v, t), p), rtol=0, atol=1e-6)


distributions = arrays(np.float64, 4, elements=st.floats(0.01, 1.0)).map(lambda v: v / v.sum())


@settings(max_examples=100, deadline=None)
@given(distributions, distributions)
def test_cross_entropy_is_entropy_plus_kl_divergence_and_kl_is_never_negative(p, q):
    assert cross_entropy(q, p) == pytest.approx(entropy(p) + kl_divergence(p, q), abs=1e-12)
    assert kl_divergence(p, q) >= -1e-15


# -- figures and panels ----------------------------------------------------------------------------
@pytest.mark.parametrize("build, notice", [
    (plot_softmax_gradient_signs, "The true class gets a negative gradient, so descent raises its logit"),
    (plot_regression_loss_penalties, "one outlier dominates"),
    (plot_cross_entropy_curves, "A confident wrong answer costs without bound"),
    (lambda: softmax_temperature_panel().figure, "large T flattens it and the loss nears log n"),
    (lambda: mae_mse_outlier_panel().figure, "MAE's (the median) stays with the ordinary data"),
])
def test_figures_and_panels_have_titles_that_say_what_to_notice(build, notice):
    assert notice in " ".join(build().get_suptitle().split())  # the title's line breaks read as spaces


def test_penalty_figure_draws_mae_gradient_at_zero_error_as_a_dot_at_0_not_a_vertical_line():
    """Chapter 4 says sign(0) = 0 (as PyTorch takes it): the figure shows that point, and no jump joins −1 to +1."""
    right = plot_regression_loss_penalties().axes[1]
    sign_line = next(line for line in right.get_lines() if line.get_label() == r"MAE: sign$(r)$")
    r, g = sign_line.get_xdata(), sign_line.get_ydata()
    assert np.isnan(g[r == 0]).all() and set(g[~np.isnan(g)]) == {-1.0, 1.0}
    dots = [line for line in right.get_lines() if list(line.get_xdata()) == [0.0] and list(line.get_ydata()) == [0.0]]
    assert len(dots) == 1 and dots[0].get_marker() == "o"
    assert any(text.get_text() == "sign(0) = 0" for text in right.texts)


def test_gradient_sign_figure_rejects_a_label_outside_the_classes():
    with pytest.raises(ValueError, match=r"label must be a whole number in \[0, 2\]"):
        plot_softmax_gradient_signs(label=3)


def test_temperature_panel_marks_a_loss_below_the_axis_with_a_triangle_on_the_edge():
    panel = softmax_temperature_panel()
    loss_ax = panel.figure.axes[2]
    marker = next(line for line in loss_ax.get_lines() if line.get_label() == "current T")
    panel.set(temperature=0.001, true_class=0)    # the largest logit is the true class: L = 0
    assert marker.get_marker() == "v" and marker.get_ydata()[0] == loss_ax.get_ylim()[0]
    panel.set(temperature=1.0)
    assert marker.get_marker() == "o" and marker.get_ydata()[0] == pytest.approx(0.417030, abs=1e-6)


def test_temperature_panel_keys_the_true_class_bar_and_the_triangle():
    """A reader of the picture alone learns which bar is the true class and what the ▼ on the edge means."""
    panel = softmax_temperature_panel()
    bars_ax, _, loss_ax = panel.figure.axes
    assert "dark bar: true class" in bars_ax.get_title()
    keyed = {text.get_text(): handle for text, handle in
             zip(loss_ax.get_legend().get_texts(), loss_ax.get_legend().legend_handles)}
    assert keyed["current T"].get_marker() == "o"
    assert keyed["current T, when L < 0.0001"].get_marker() == "v"
    panel.set(temperature=1.0, true_class=2)
    dark = [bar for bar in bars_ax.patches if bar.get_facecolor() == bars_ax.patches[2].get_facecolor()]
    assert dark == [bars_ax.patches[2]]


@pytest.mark.parametrize("build, moves", [
    (softmax_temperature_panel, [{"temperature": 0.001, "true_class": 2}, {"temperature": 100.0, "true_class": 0}]),
    (mae_mse_outlier_panel, [{"outlier": 0.0}, {"outlier": 100.0}]),
])
def test_panels_keep_their_frame_while_the_sliders_move(build, moves):
    panel = build()
    frame = [ax.get_position().bounds for ax in panel.figure.axes]
    for values in moves:
        image = panel.render(**values)          # as the static pages draw it, after a redraw at these values
        assert panel.render(**values) == image
        assert [ax.get_position().bounds for ax in panel.figure.axes] == frame


def test_outlier_panel_moves_the_mean_but_not_the_median():
    panel = mae_mse_outlier_panel()
    panel.set(outlier=100.0)
    title = panel.figure.axes[0].get_title()
    assert "mean 22.90" in title and "median 4.00" in title
    assert panel.description == mae_mse_outlier_panel().description


# -- the chapters' exercises ---------------------------------------------------------------------
