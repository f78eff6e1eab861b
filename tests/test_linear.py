"""Chapters 1 and 2: the linear model, its gradients, its replays, and where the learning rate breaks it.

Independent references: SymPy (the derivations), finite differences, and the numbers the sources print.
"""
import math
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import (LINEAR_ONE_SAMPLE_EXAMPLE, LINEAR_TWO_SAMPLE_EXAMPLE, derive_linear_epoch_map,
                     derive_linear_error_factor, derive_linear_gradients, evaluate, linear_critical_learning_rate,
                     linear_epoch_contraction, linear_epoch_error_map, linear_epochs_to_shrink, linear_error_factor,
                     linear_gradients, linear_learning_rate_regime, linear_learning_rate_verdict, linear_loss,
                     linear_one_sample_lr_panel, linear_predict, linear_step, linear_two_sample_lr_panel,
                     numerical_gradient, plot_linear_loss_curves, plot_linear_loss_surface, replay_linear)

ONE = LINEAR_ONE_SAMPLE_EXAMPLE
TWO = LINEAR_TWO_SAMPLE_EXAMPLE
number = st.floats(-3, 3, allow_nan=False)
convention = st.sampled_from(["half", "plain"])


def two_sample_replay(lr=TWO["lr"], **kwargs):
    return replay_linear(TWO["w"], TWO["b"], TWO["x"], TWO["y"], lr, convention="plain", **kwargs)


# -- the sources' numbers ---------------------------------------------------------------------
def test_one_step_on_one_sample_reproduces_source_000():
    out = linear_step(ONE["w"], ONE["b"], ONE["x"], ONE["y"], ONE["lr"], "half")
    assert out["prediction"] == pytest.approx(2.0, abs=1e-12)
    assert out["loss"] == pytest.approx(2.0, abs=1e-12)
    assert out["dL_dprediction"] == pytest.approx(-2.0, abs=1e-12)
    assert out["grad_w"] == pytest.approx(-4.0, abs=1e-12)
    assert out["grad_b"] == pytest.approx(-2.0, abs=1e-12)
    assert out["w_new"] == pytest.approx(1.4, abs=1e-12) and out["b_new"] == pytest.approx(0.2, abs=1e-12)


def test_two_iterations_reproduce_source_002_at_the_printed_digits():
    first, second = two_sample_replay(steps=2).steps
    assert first["prediction"] == 0.0 and round(first["loss"], 2) == 0.64
    assert np.allclose(first["w_new"], [0.016, 0.128], atol=1e-12) and first["b_new"] == pytest.approx(0.16, abs=1e-12)
    assert round(second["prediction"], 4) == 0.2064 and round(second["loss"], 4) == 0.0862
    assert np.allclose(second["w_new"], [0.04536, 0.145616], atol=1e-12)
    assert second["b_new"] == pytest.approx(0.21872, abs=1e-12)


def test_source_002_prints_w2_as_0_14562_which_is_0_145616_rounded():
    w2 = two_sample_replay(steps=2).steps[1]["w_new"][1]
    assert round(w2, 5) == 0.14562 and w2 == pytest.approx(0.145616, abs=1e-12)


def test_source_002_written_w1_formula_with_0_1_does_not_give_its_own_result():
    # Erratum: the source writes 0.1 − 0.1·2·(0.2064 − 0.5)·0.1; its printed result 0.04536 needs w1 = 0.016, x1 = 0.5.
    as_written = 0.1 - 0.1 * 2 * (0.2064 - 0.5) * 0.1
    corrected = 0.016 - 0.1 * 2 * (0.2064 - 0.5) * 0.5
    assert round(as_written, 5) != 0.04536 and corrected == pytest.approx(0.04536, abs=1e-12)


def test_source_002_loss_line_needs_0_2064_not_0_2065_to_give_0_0862():
    assert round((0.2064 - 0.5) ** 2, 4) == 0.0862
    assert round((0.2065 - 0.5) ** 2, 4) == 0.0861


# -- gradients against independent references -------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(number, min_size=1, max_size=3), number, st.data(), convention)
def test_analytic_gradients_match_finite_differences_for_one_sample(w, b, data, conv):
    x = data.draw(st.lists(number, min_size=len(w), max_size=len(w)))
    y = data.draw(number)
    out = linear_gradients(w, b, x, y, conv)
    loss = lambda p: linear_loss(linear_predict(p[:-1], p[-1], x), y, conv)  # noqa: E731
    numeric = numerical_gradient(loss, [*w, b])
    assert np.allclose([*out["grad_w"], out["grad_b"]], numeric, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 10_000), convention)
def test_data_set_gradients_are_the_gradients_of_the_mean_loss(n, d, seed, conv):
    rng = np.random.default_rng(seed)
    x, y, w, b = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d), float(rng.normal())
    out = linear_gradients(w, b, x, y, conv)
    mean_loss = lambda p: float(np.mean(linear_loss(linear_predict(p[:-1], p[-1], x), y, conv)))  # noqa: E731
    assert out["loss"] == pytest.approx(mean_loss(np.array([*w, b])), abs=1e-12)
    assert np.allclose([*out["grad_w"], out["grad_b"]], numerical_gradient(mean_loss, [*w, b]), atol=1e-6)


@pytest.mark.parametrize("n_features, conv", [(1, "half"), (1, "plain"), (2, "half"), (2, "plain")])
def test_sympy_gradients_agree_with_numpy_at_random_points(n_features, conv):
    derivation = derive_linear_gradients(n_features, conv)
    rng = np.random.default_rng(n_features)
    for _ in range(5):
        w, x = rng.normal(size=n_features), rng.normal(size=n_features)
        b, y = float(rng.normal()), float(rng.normal())
        values = derivation.substitutions(w=list(w), b=b, x=list(x), y=y)
        out = linear_gradients(list(w), b, list(x), y, conv)
        assert evaluate(derivation.loss, values) == pytest.approx(out["loss"], abs=1e-9)
        assert np.allclose(evaluate(list(derivation.dL_dweights), values), out["grad_w"], atol=1e-9)
        assert evaluate(derivation.dL_db, values) == pytest.approx(out["grad_b"], abs=1e-9)


def test_sympy_derives_the_chapter_formulas():
    half = derive_linear_gradients(1, "half")
    w, x, b, y = half.weights[0], half.features[0], half.b, half.y
    assert sympy.expand(half.dL_dw - (w * x + b - y) * x) == 0 and sympy.expand(half.dL_db - (w * x + b - y)) == 0
    plain = derive_linear_gradients(2, "plain")
    (w1, w2), (x1, x2) = plain.weights, plain.features
    error = w1 * x1 + w2 * x2 + plain.b - plain.y
    assert sympy.expand(plain.dL_dweights[0] - 2 * error * x1) == 0 and sympy.expand(plain.dL_db - 2 * error) == 0


def test_sympy_substitution_gives_the_first_step_of_source_000():
    g = derive_linear_gradients()
    values = g.substitutions(w=1, b=0, x=2, y=4, lr=sympy.Rational(1, 10))
    assert [g.loss.subs(values), g.dL_dw.subs(values), g.dL_db.subs(values)] == [2, -4, -2]
    assert g.new_weights[0].subs(values) == sympy.Rational(7, 5) and g.new_b.subs(values) == sympy.Rational(1, 5)


# -- conventions and what "SGD on one sample" means --------------------------------------------
@settings(max_examples=40, deadline=None)
@given(number, number, number, number, st.floats(0.001, 0.2))
def test_plain_loss_with_lr_takes_the_same_steps_as_half_loss_with_double_lr(w, b, x, y, lr):
    # No divergence cut-off here: the plain loss is twice the half loss, so near the 10⁶ threshold one run
    # would stop a step before the other although both took exactly the same steps.
    plain = replay_linear(w, b, x, y, lr, steps=5, convention="plain", divergence_loss=1e300)
    half = replay_linear(w, b, x, y, 2 * lr, steps=5, convention="half", divergence_loss=1e300)
    assert len(plain.steps) == len(half.steps) == 5
    assert np.allclose(plain.column("w_new"), half.column("w_new"), rtol=1e-12, atol=1e-12)
    assert np.allclose(plain.column("loss"), 2 * half.column("loss"), rtol=1e-12, atol=1e-12)


def test_sgd_on_a_data_set_of_one_sample_is_full_batch_gradient_descent():
    one = linear_step(ONE["w"], ONE["b"], ONE["x"], ONE["y"], ONE["lr"])
    batch = linear_step(ONE["w"], ONE["b"], [ONE["x"]], [ONE["y"]], ONE["lr"])
    assert batch["w_new"] == one["w_new"] and batch["b_new"] == one["b_new"]


def test_two_sample_sgd_is_not_full_batch_gradient_descent():
    sgd = two_sample_replay(steps=2).steps[-1]
    full = linear_step(TWO["w"], TWO["b"], TWO["x"], TWO["y"], 2 * TWO["lr"], "plain")  # one step with both samples
    assert not np.allclose(sgd["w_new"], full["w_new"])


# -- one sample: the error factor and the learning-rate boundaries --------------------------------
@settings(max_examples=60, deadline=None)
@given(number, number, number, number, st.floats(0.001, 1.0), convention)
def test_one_step_multiplies_the_error_by_the_error_factor(w, b, x, y, lr, conv):
    out = linear_step(w, b, x, y, lr, conv)
    new_error = out["w_new"] * x + out["b_new"] - y
    assert new_error == pytest.approx(out["error"] * linear_error_factor(x, lr, conv), abs=1e-9)


def test_sympy_error_factor_is_one_minus_eta_x2_plus_1_with_boundaries_0_2_and_0_4():
    derived = derive_linear_error_factor("half")
    s = derived["symbols"]
    assert sympy.expand(derived["factor"] - (1 - s["eta"] * (s["x"] ** 2 + 1))) == 0
    assert derived["one_step_lr"].subs(s["x"], 2) == sympy.Rational(1, 5)
    assert derived["critical_lr"].subs(s["x"], 2) == sympy.Rational(2, 5)


def test_numeric_critical_learning_rate_for_one_sample_is_2_over_x2_plus_1():
    assert linear_critical_learning_rate(2.0) == pytest.approx(0.4, abs=1e-9)
    assert linear_critical_learning_rate(2.0, "plain") == pytest.approx(0.2, abs=1e-9)


@pytest.mark.parametrize("lr, regime, sign_flips, loss_shrinks", [
    (0.1, "converges", False, True),
    (0.19, "converges", False, True),
    (0.25, "oscillates and converges", True, True),
    (0.39, "oscillates and converges", True, True),
    (0.41, "diverges", True, False),
])
def test_chapter_1_learning_rate_regimes_show_in_the_replay(lr, regime, sign_flips, loss_shrinks):
    replay = replay_linear(ONE["w"], ONE["b"], ONE["x"], ONE["y"], lr, steps=12)  # errors stay far above rounding
    errors = replay.column("error")
    assert linear_learning_rate_regime(ONE["x"], lr) == regime
    assert bool(np.all(errors[1:] * errors[:-1] < 0)) == sign_flips
    assert (replay.losses[-1] < replay.losses[0]) == loss_shrinks


def test_at_lr_0_2_the_error_vanishes_in_one_step_and_at_0_4_it_bounces_forever():
    assert linear_learning_rate_regime(2.0, 0.2) == "converges in one step"
    assert replay_linear(1, 0, 2, 4, 0.2, steps=2).steps[1]["error"] == pytest.approx(0.0, abs=1e-12)
    assert linear_learning_rate_regime(2.0, 0.4) == "oscillates forever"
    bounce = replay_linear(1, 0, 2, 4, 0.4, steps=40)
    assert np.allclose(bounce.column("prediction")[::2], 2.0) and np.allclose(bounce.column("prediction")[1::2], 6.0)
    assert bounce.diverged_at is None


def test_one_sample_descent_lands_on_the_nearest_point_of_the_valley_floor():
    w, b = replay_linear(1, 0, 2, 4, 0.1, steps=200).parameters()
    assert w[-1] == pytest.approx(1.8, abs=1e-12) and b[-1] == pytest.approx(0.4, abs=1e-12)


# -- divergence is reported, never returned as NaN ------------------------------------------------
def test_diverging_run_stops_and_reports_the_step():
    replay = replay_linear(1, 0, 2, 4, 0.5, steps=60)
    # The error is multiplied by 1 − 5·0.5 = −1.5: the loss after step t, 2·1.5^(2t), passes 10⁶ first at step 17
    # (the loss before step 17, 2·1.5^32 ≈ 8.6·10⁵, is still below it).
    first = next(t for t in range(1, 60) if 2 * 1.5 ** (2 * t) > 1e6)
    assert replay.diverged_at == first == 17 and replay.message == "diverged at step 17"
    assert len(replay.steps) == 16
    assert all(np.all(np.isfinite(np.asarray(v, dtype=float))) for r in replay.steps for v in r.values())


def test_absurd_learning_rate_diverges_at_step_1_without_warnings_or_nans():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        replay = replay_linear(1, 0, 2, 4, 1e300, steps=5)
    assert replay.diverged_at == 1 and replay.steps == [] and replay.message == "diverged at step 1"
    w, b = replay.parameters()
    assert w.tolist() == [1.0] and b.tolist() == [0.0]


def test_a_start_whose_loss_overflows_float64_is_a_value_error_or_a_divergence_at_step_1():
    # |ŷ − y| = 1e400 does not fit in a float64 (max ≈ 1.8e308): no OverflowError, no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflows"):
            linear_gradients(1e200, 0.0, 1e200, 0.0)
        replay = replay_linear(1e200, 0.0, 1e200, 0.0, 0.1, steps=3)
    assert replay.diverged_at == 1 and replay.steps == []


def test_a_run_diverges_at_the_first_step_after_which_the_mean_loss_passes_the_threshold():
    # Independent reference: the same run without a threshold, read step by step.
    for lr in (0.7, 0.8, 1.0, 1.5):
        uncapped = two_sample_replay(lr, epochs=300, divergence_loss=1e300)
        first = 1 + int(np.argmax(uncapped.mean_losses()[1:] > 1e6))
        replay = two_sample_replay(lr, epochs=300)
        assert replay.diverged_at == first and len(replay.steps) == first - 1, lr
        assert replay.mean_losses().max() <= 1e6 and replay.epoch_mean_losses().max() <= 1e6, lr


def test_a_start_above_the_threshold_is_no_divergence_when_the_step_brings_the_loss_below_it():
    replay = replay_linear(1.0, 0.0, 2.0, 2004.0, 0.2, steps=1)  # loss 2·10⁶ before; f = 0: 0 after
    assert replay.start_mean_loss > 1e6 and replay.diverged_at is None and replay.mean_losses()[-1] < 1e-12


def test_epochs_to_shrink_errors_counts_on_the_run_and_beats_the_long_run_estimate_at_the_source_rate():
    replay = two_sample_replay(0.1, epochs=300)
    ws, bs = replay.parameters()
    x, y = np.array(TWO["x"]), np.array(TWO["y"])
    lengths = [np.linalg.norm(x @ ws[2 * k] + bs[2 * k] - y) for k in range(301)]  # the errors, from the parameters
    first = next(k for k, length in enumerate(lengths) if length <= lengths[0] / 1000)
    assert replay.epochs_to_shrink_errors(1000) == first == 110
    assert linear_epochs_to_shrink(linear_epoch_contraction(x, 0.1, "plain")) == 151  # the long-run estimate
    assert two_sample_replay(0.1, epochs=50).epochs_to_shrink_errors(1000) is None  # not reached in 50 epochs
    assert two_sample_replay(0.8, epochs=300).epochs_to_shrink_errors(1000) is None  # diverged at step 45
    with pytest.raises(ValueError, match="factor"):
        replay.epochs_to_shrink_errors(1.0)


def test_two_sample_divergence_names_the_step_and_the_epoch():
    replay = two_sample_replay(1.0, epochs=100)
    assert replay.diverged_at is not None
    assert replay.message == f"diverged at step {replay.diverged_at} (epoch {(replay.diverged_at + 1) // 2})"


# -- two samples: the epoch map and the critical learning rate --------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 10_000), st.floats(0.01, 0.5), convention)
def test_epoch_error_map_predicts_the_errors_after_an_epoch(n, d, seed, lr, conv):
    rng = np.random.default_rng(seed)
    x, y, w, b = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d), float(rng.normal())
    replay = replay_linear(w, b, x, y, lr, epochs=1, convention=conv, divergence_loss=1e300)
    ws, bs = replay.parameters()
    before, after = x @ ws[0] + bs[0] - y, x @ ws[-1] + bs[-1] - y
    assert np.allclose(linear_epoch_error_map(x, lr, conv) @ before, after, atol=1e-9)


def test_two_sample_critical_learning_rate_matches_the_sympy_determinant_root():
    derived = derive_linear_epoch_map("plain")
    g11, g12, g22 = derived["gram"]
    values = {g11: 1.65, g12: 1.29, g22: 1.34}  # a_i = (x_i1, x_i2, 1): 0.01+0.64+1, 0.05+0.24+1, 0.25+0.09+1
    symbolic = evaluate(derived["critical_lr"], values)
    assert symbolic == pytest.approx((1.65 + 1.34) / (2 * 1.65 * 1.34), abs=1e-12)
    assert linear_critical_learning_rate(TWO["x"], "plain") == pytest.approx(symbolic, abs=1e-9)
    # The crossing is through a complex pair, which is what makes det = 1 the right condition.
    assert evaluate(derived["discriminant"], {**values, derived["lr"]: symbolic}) < 0
    numeric_map = linear_epoch_error_map(TWO["x"], 0.3, "plain")
    assert np.allclose(evaluate(derived["epoch_map"], {**values, derived["lr"]: 0.3}), numeric_map, atol=1e-12)


def test_two_sample_runs_converge_below_and_grow_above_the_critical_learning_rate():
    below, above = two_sample_replay(0.66, epochs=300), two_sample_replay(0.69, epochs=300)
    assert below.epoch_mean_losses()[-1] < 1e-6 * below.epoch_mean_losses()[0]
    assert above.epoch_mean_losses()[-1] > above.epoch_mean_losses()[0]


def test_learning_rate_verdicts_for_the_source_closing_point():
    assert linear_learning_rate_verdict(TWO["x"], 0.02, "plain") == "too small"
    assert linear_learning_rate_verdict(TWO["x"], 0.45, "plain") == "about right"
    assert linear_learning_rate_verdict(TWO["x"], 0.8, "plain") == "too large"
    assert linear_epochs_to_shrink(0.5) == 10 and linear_epochs_to_shrink(1.0) is None


def test_repeated_samples_have_no_critical_learning_rate():
    with pytest.raises(ValueError, match="x must hold samples"):
        linear_critical_learning_rate([[1.0, 2.0], [1.0, 2.0]])


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lr", [0, -0.1, math.nan, math.inf, "0.1", None])
def test_bad_learning_rate_is_rejected_with_its_name_and_range(lr):
    with pytest.raises(ValueError, match=r"lr must be a finite number in \(0, inf\)"):
        replay_linear(1, 0, 2, 4, lr, steps=3)
    with pytest.raises(ValueError, match="lr"):
        linear_step(1, 0, 2, 4, lr)


@pytest.mark.parametrize("steps", [0, -1, 1.5, 10**6])
def test_bad_number_of_steps_is_rejected(steps):
    with pytest.raises(ValueError, match=r"steps must be a whole number in \[1, 100000\]"):
        replay_linear(1, 0, 2, 4, 0.1, steps=steps)


@pytest.mark.parametrize("kwargs, match", [
    ({"x": [[0.1, 0.8]], "y": [0.8, 0.5]}, r"x must have shape \(2, 2\)"),
    ({"x": [0.1, 0.8, 0.3], "y": 0.8}, r"x must have shape \(2,\)"),
    ({"x": [], "y": []}, "x must not be empty"),
    ({"x": [[0.1, math.nan], [0.5, 0.3]], "y": [0.8, 0.5]}, "x must contain only finite numbers"),
    ({"x": [[0.1, 0.8], [0.5, 0.3]], "y": [0.8, math.nan]}, "y must contain only finite numbers"),
    ({"w": [0.0, math.nan]}, "w must contain only finite numbers"),
    ({"b": math.nan}, "b must be a finite number"),
    ({"convention": "mse"}, "convention must be one of 'half', 'plain'"),
])
def test_bad_data_is_rejected_with_the_parameter_named(kwargs, match):
    args = {"w": [0.0, 0.0], "b": 0.0, "x": TWO["x"], "y": TWO["y"], "convention": "plain", **kwargs}
    with pytest.raises(ValueError, match=match):
        replay_linear(args["w"], args["b"], args["x"], args["y"], 0.1, steps=2, convention=args["convention"])


def test_steps_and_epochs_cannot_both_be_given():
    with pytest.raises(ValueError, match="exactly one of steps and epochs"):
        replay_linear(1, 0, 2, 4, 0.1, steps=2, epochs=2)


def test_mismatched_prediction_and_label_shapes_are_rejected():
    with pytest.raises(ValueError, match="prediction and y must have the same shape"):
        linear_loss([1.0, 2.0], [1.0, 2.0, 3.0])


# -- figures and panels ---------------------------------------------------------------------------
def test_two_sample_panel_loss_axis_fits_the_curve_and_reaches_the_threshold_only_when_errors_grow():
    panel = linear_two_sample_lr_panel()
    ax = panel.figure.axes[0]
    panel.set(lr=0.1, epochs=30)  # the loss falls from 0.445 to 6.8e-4: the axis spans 1e-4 … 1 (whole decades)
    losses = two_sample_replay(0.1, epochs=30).epoch_mean_losses()
    low, high = ax.get_ylim()
    assert (low, high) == (1e-4, 1.0) and low <= losses.min() and losses.max() <= high
    panel.set(lr=0.7, epochs=100)  # ρ > 1: the axis reaches past the divergence threshold 10⁶
    assert ax.get_ylim()[1] > 1e6
    panel.set(lr=0.45, epochs=100)  # the loss passes 1e-12 and is drawn as 0 below it
    assert ax.get_ylim() == (1e-12, 1.0)


def _frame(panel):
    return [ax.get_position().bounds for ax in panel.figure.axes]


def _fits_in_figure(panel) -> bool:
    """Everything drawn (tick labels, titles, legends, colour bar) lies inside the figure: nothing clipped."""
    figure = panel.figure
    drawn = figure.get_tightbbox(figure.canvas.get_renderer())
    return drawn.x0 >= -0.01 and drawn.y0 >= -0.01 and drawn.x1 <= figure.get_figwidth() + 0.01 \
        and drawn.y1 <= figure.get_figheight() + 0.01


@pytest.fixture(scope="module", ids=["one sample", "two samples"], params=[
    (linear_one_sample_lr_panel, [dict(lr=0.01, steps=1), dict(lr=0.5, steps=60), dict(lr=0.41, steps=37)]),
    (linear_two_sample_lr_panel, [dict(lr=0.01, epochs=1), dict(lr=1.0, epochs=100), dict(lr=0.7, epochs=100)]),
])
def panel_and_corners(request):
    build, corners = request.param
    return build(), corners


def test_panels_keep_their_frame_and_draw_nothing_outside_the_figure(panel_and_corners):
    panel, corners = panel_and_corners
    frame = _frame(panel)
    for values in corners:
        panel.set(**values)
        assert _frame(panel) == frame, values
        assert _fits_in_figure(panel), values


def test_panel_legends_lie_under_the_axes_where_no_line_or_label_can_reach_them(panel_and_corners):
    """Lines are drawn over the kept axes frames (blitting): a legend inside an axes would be crossed out at large η.
    Each legend is the figure's, drawn once in its background (not animated), and clear of every axes' drawn box
    (ticks, tick labels, axis labels, titles) at every corner, so nothing covers it and it covers nothing."""
    panel, corners = panel_and_corners
    figure = panel.figure
    assert len(figure.legends) == 2 and not any(ax.get_legend() for ax in figure.axes)
    for values in corners:
        panel.set(**values)
        renderer = figure.canvas.get_renderer()
        for legend in figure.legends:
            assert not legend.get_animated() and legend.get_texts()
            box = legend.get_window_extent(renderer)
            assert box.y0 >= 0 and box.x0 >= 0 and box.x1 <= figure.bbox.width, values
            for ax in figure.axes:
                assert not box.overlaps(ax.get_tightbbox(renderer)), (values, legend.get_texts()[0].get_text())


def test_two_sample_panel_draws_every_step_and_marks_the_step_that_passed_the_threshold():
    """At η = 1 a step inside epoch 12 passes 10⁶ while every epoch mean drawn stays below it: the panel draws the
    mean loss after each step, a ▲ on the threshold at that step, and its status says the epoch means stop there."""
    panel = linear_two_sample_lr_panel()
    ax = panel.figure.axes[0]
    status = panel.set(lr=1.0, epochs=100)
    replay = two_sample_replay(1.0, epochs=100)
    assert replay.diverged_at == 23 and replay.epoch_mean_losses().max() < 1e6  # the reader's finding
    epoch_line, step_line, threshold, mark, _floor_mark = ax.get_lines()
    assert np.array_equal(step_line.get_xdata(), np.arange(23) / 2)  # after steps 0 … 22, in epochs
    assert np.array_equal(step_line.get_ydata(), replay.mean_losses())
    assert np.array_equal(epoch_line.get_ydata(), replay.epoch_mean_losses())
    assert list(threshold.get_ydata()) == [1e6, 1e6]
    assert (list(mark.get_xdata()), list(mark.get_ydata())) == ([11.5], [1e6])
    assert status == ("diverged at step 23 (epoch 12): the mean loss after that step passed 10⁶ (▲) and the run stopped there, "
                      "so the epoch means end at epoch 11")
    assert panel.set(lr=0.6, epochs=100) is None and len(mark.get_xdata()) == 0  # converges: no ▲


def test_two_sample_panel_marks_where_the_loss_falls_below_the_floor_and_says_so_in_its_legend():
    """At η = 0.45 the loss falls below 10⁻¹² (drawn as 0) at step 30 (epoch 15): a ▼ on the floor at that step,
    not a curve that seems to stop; the legend entries name what each mark means and when it is drawn."""
    panel = linear_two_sample_lr_panel()
    ax = panel.figure.axes[0]
    floor_mark = ax.get_lines()[4]
    panel.set(lr=0.45, epochs=100)
    first_below = int(np.flatnonzero(two_sample_replay(0.45, epochs=100).mean_losses() < 1e-12)[0])
    assert (list(floor_mark.get_xdata()), list(floor_mark.get_ydata())) == ([first_below / 2], [1e-12])
    # the reader's finding: the curve's last point is step 29 (epoch 14.5); the floor in view
    assert first_below == 30 and ax.get_ylim()[0] == 1e-12
    panel.set(lr=0.1, epochs=30)
    assert len(floor_mark.get_xdata()) == 0
    texts = [t.get_text() for t in panel.figure.legends[0].get_texts()]
    assert any("10^6$ (if any)" in t for t in texts) and any("as good as 0 (if so)" in t for t in texts)


def test_two_sample_panel_title_says_when_the_epochs_needed_lie_past_the_slider():
    panel = linear_two_sample_lr_panel()
    panel.set(lr=0.01, epochs=100)
    assert "≈ 1739 epochs (past the slider's 100)" in panel.figure.get_suptitle()
    panel.set(lr=0.45, epochs=100)
    assert "≈ 8 epochs →" in panel.figure.get_suptitle()


def _one_sample_predictions(lr, steps):
    ws, bs = replay_linear(1, 0, 2, 4, lr, steps=steps).parameters()
    return ws * 2 + bs


def _two_sample_epoch_predictions(lr, epochs):
    ws, bs = two_sample_replay(lr, epochs=epochs).parameters()
    return (ws[::2] @ np.asarray(TWO["x"], float).T + bs[::2, None]).ravel()


@pytest.mark.parametrize("build, values, predictions", [
    (linear_one_sample_lr_panel, dict(lr=0.5, steps=60), _one_sample_predictions),
    (linear_two_sample_lr_panel, dict(lr=0.7, epochs=100), _two_sample_epoch_predictions),
])
def test_prediction_axis_widens_to_hold_a_diverging_run_and_keeps_its_usual_limits_otherwise(build, values, predictions):
    """At η = 0.5 (one sample) and 0.7 (two samples) the predictions swing far past the usual window: the axis
    widens to round limits that hold every prediction; a settling run keeps the usual window."""
    panel = build()
    ax = panel.figure.axes[1]  # the prediction plot (the one-sample panel's colour bar comes after it)
    usual = ax.get_ylim()
    panel.set(**values)
    low, high = ax.get_ylim()
    expected = predictions(*values.values())
    assert low <= expected.min() and expected.max() <= high and high - low > 100 * (usual[1] - usual[0])
    assert low == round(low, -2) and high == round(high, -2)  # round numbers (nice_limits): nearby settings share a frame
    panel.set(lr=0.1)
    assert ax.get_ylim() == usual


def test_one_sample_path_marks_where_it_leaves_the_window_on_the_line_it_moves_along():
    """At η = 0.5 the iterates leave the loss surface's window on both sides; each exit triangle lies on the window's
    edge and on the line through the start (1, 0) along (x, 1) = (2, 1): b = (w − 1) / 2. At η = 0.3 it stays inside."""
    panel = linear_one_sample_lr_panel()
    ax = panel.figure.axes[0]
    panel.set(lr=0.5, steps=60)
    (w_low, w_high), (b_low, b_high) = ax.get_xlim(), ax.get_ylim()
    exits = [(float(w), float(b)) for line in ax.get_lines() if line.get_marker() in "<>^v"
             for w, b in zip(line.get_xdata(), line.get_ydata())]
    assert len(exits) == 2
    for w, b in exits:
        assert math.isclose(b, (w - 1) / 2, abs_tol=1e-9)
        assert min(abs(w - w_low), abs(w - w_high), abs(b - b_low), abs(b - b_high)) < 1e-9
    panel.set(lr=0.3, steps=60)
    assert not [line for line in ax.get_lines() if line.get_marker() in "<>^v" and len(line.get_xdata())]


def test_one_sample_path_shows_the_bounce_at_lr_0_4_as_arrows_both_ways():
    """At η = 0.4 the iterates jump between two points forever: one segment, retraced. An arrow per step, each
    the reverse of the one before, shows the back and forth the line alone hides."""
    panel = linear_one_sample_lr_panel()
    panel.set(lr=0.4, steps=4)
    (arrows,) = panel.figure.axes[0].collections
    shown = ~np.broadcast_to(arrows.Umask, arrows.U.shape)
    u, v = arrows.U[shown], arrows.V[shown]
    assert shown.sum() == 4 and np.allclose(u[1:], -u[:-1]) and np.allclose(v[1:], -v[:-1]) and np.all(u != 0)


def test_rendering_a_static_image_leaves_the_panel_frame_where_it_was(panel_and_corners):
    panel, corners = panel_and_corners
    frame = _frame(panel)
    assert panel.render(**corners[0]).startswith(b"\x89PNG")
    panel.set(**corners[2])
    assert _frame(panel) == frame


def test_a_slider_move_draws_the_figure_at_most_once(panel_and_corners, monkeypatch):
    """One full draw at most (none when the panel redraws from its kept axes frames), and a new picture."""
    panel, corners = panel_and_corners
    draws, draw = [], panel.figure.draw
    monkeypatch.setattr(panel.figure, "draw", lambda renderer: (draws.append(renderer), draw(renderer))[1])
    before = panel.png
    panel.set(**corners[1])
    assert len(draws) <= 1 and panel.png != before
    assert panel.frames is not None  # the panel redraws from kept frames (see tests/test_widgets.py)


def test_loss_surface_colour_bar_marks_the_losses_of_whole_errors():
    """Bands are equal steps in |ŷ − y|; the ticks sit at |ŷ − y| = 0, 1, 2, 3, i.e. L = ½e² = 0, 0.5, 2, 4.5."""
    surface = plot_linear_loss_surface()
    assert surface.axes[0].images[0].colorbar.get_ticks().tolist() == [0.0, 0.5, 2.0, 4.5]


def test_static_figures_have_titles_and_reject_bad_options():
    surface = plot_linear_loss_surface(lr=0.5, steps=60)
    assert "diverged at step 17" in surface.axes[0].get_title()
    curves = plot_linear_loss_curves({"η = 0.1": replay_linear(1, 0, 2, 4, 0.1, steps=5)})
    assert curves.axes[0].get_title() == "Loss during training"
    with pytest.raises(ValueError, match="per must be one of"):
        plot_linear_loss_curves({"a": replay_linear(1, 0, 2, 4, 0.1, steps=5)}, per="batch")
    with pytest.raises(ValueError, match="runs must hold at least one run"):
        plot_linear_loss_curves({})


def test_loss_curves_name_coinciding_runs_and_keep_the_legend_off_the_axes():
    """Chapter 1: η = 0.1 and 0.3 multiply the error by +0.5 and −0.5, so their losses are the same line; the legend
    says so, each line has its own markers, staggered, and the legend lies under the axes, covering no line."""
    runs = {f"η = {lr}": replay_linear(1, 0, 2, 4, lr, steps=40) for lr in (0.05, 0.1, 0.3, 0.45)}
    figure = plot_linear_loss_curves(runs, per="step")
    ax = figure.axes[0]
    assert ax.get_ylabel() == "loss $L$" and ax.get_legend() is None
    (legend,) = figure.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert "η = 0.3 (the same losses as η = 0.1)" in texts and texts[-1] == "▲: the step where the mean loss passed $10^6$ (dotted)"
    tenth, third = ax.get_lines()[1], ax.get_lines()[2]
    assert tenth.get_marker() != third.get_marker() and tenth.get_markevery()[0] != third.get_markevery()[0]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    assert not legend.get_window_extent(renderer).overlaps(ax.get_tightbbox(renderer))
    two = plot_linear_loss_curves({"η = 0.1": two_sample_replay(0.1, epochs=5)}, per="epoch")
    assert two.axes[0].get_ylabel() == "mean loss over the data"
