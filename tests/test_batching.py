"""Batch, stochastic and mini-batch gradient descent: step counts, the runs, gradient noise, the panel."""
import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import (BATCHING_EXAMPLE, Optimizer, batching_panel, count_steps, derive_batching_noise_factor,
                     derive_batching_sample_gradient, least_squares_fit, linear_gradients, make_regression_data,
                     minibatch_gradient_noise, numerical_gradient, plot_batching_losses, plot_batching_noise,
                     regression_mse, run_minibatch_descent, sampled_gradient_noise, steps_per_epoch)

DATA = make_regression_data()
X, Y = DATA["X"], DATA["y"]


def test_source_step_counts_for_100_samples_and_50_epochs():
    assert [count_steps(100, B, 50) for B in (100, 1, 20)] == [50, 5000, 250]


@given(st.integers(1, 500), st.data())
def test_steps_per_epoch_is_the_number_of_batches_covering_every_sample_once(n, data):
    B = data.draw(st.integers(1, n))
    k = steps_per_epoch(n, B)
    assert (k - 1) * B < n <= k * B


@pytest.mark.parametrize("batch_size, steps", [(100, 50), (1, 5000), (20, 250), (30, 200)])
def test_a_run_makes_the_counted_steps_and_each_epoch_sees_every_sample_once(batch_size, steps):
    run = run_minibatch_descent(X, Y, batch_size=batch_size, lr=0.05, epochs=50)
    assert run["steps"] == steps and len(run["losses"]) == steps + 1 and run["diverged_at"] is None


def test_data_set_is_seeded_and_matches_its_recipe():
    again = make_regression_data()
    assert np.array_equal(again["X"], X) and np.array_equal(again["y"], Y) and X.shape == (100, 3)
    fit = least_squares_fit(X, Y)
    assert np.allclose(fit["w"], [2.0, -3.4, 1.7], atol=0.1) and abs(fit["b"] - 4.2) < 0.1
    assert fit["loss"] == pytest.approx(0.25, abs=0.06)  # noise 0.5 → variance 0.25


def test_chapter_numbers_after_50_epochs_at_lr_005():
    final = {b: run_minibatch_descent(X, Y, batch_size=b, lr=0.05, epochs=50)["epoch_losses"] for b in (100, 1, 20)}
    assert round(final[100][1], 4) == 27.883 and round(final[100][-1], 4) == 0.2045
    assert round(final[20][-1], 4) == 0.2025 and round(final[1][-1], 4) == 0.2700
    assert round(least_squares_fit(X, Y)["loss"], 4) == 0.2024


def replay_with_the_course_helpers(X, y, *, batch_size, lr, epochs, seed=0):
    """The same run, one step at a time through helpers.linear and the course's Optimizer (slow, independent)."""
    optimizer, rng = Optimizer("sgd", lr=lr), np.random.default_rng(seed)
    params = {"w": np.zeros(X.shape[1]), "b": np.zeros(1)}
    state, losses = optimizer.init_state(params), [regression_mse(params["w"], 0.0, X, y)]
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            parts = linear_gradients(params["w"], params["b"][0], X[batch], y[batch], convention="plain")
            params, state, _ = optimizer.step(params, {"w": np.asarray(parts["grad_w"]), "b": np.array([parts["grad_b"]])},
                                              state)
            losses.append(regression_mse(params["w"], params["b"][0], X, y))
    return np.array(losses), params


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 100), st.sampled_from([0.005, 0.05, 0.2]), st.integers(0, 3))
def test_a_run_is_the_course_sgd_step_on_the_mean_of_per_sample_gradients(batch_size, lr, seed):
    run = run_minibatch_descent(X, Y, batch_size=batch_size, lr=lr, epochs=2, seed=seed)
    losses, params = replay_with_the_course_helpers(X, Y, batch_size=batch_size, lr=lr, epochs=2, seed=seed)
    assert np.allclose(run["losses"], losses, rtol=1e-12, atol=0)
    assert np.allclose(run["w"], params["w"], rtol=1e-12) and run["b"] == pytest.approx(params["b"][0], rel=1e-12)


def test_full_batch_does_not_depend_on_the_shuffle_and_its_loss_never_rises_at_a_small_lr():
    run = run_minibatch_descent(X, Y, batch_size=100, lr=0.05, epochs=50, seed=1)
    assert np.all(np.diff(run["losses"]) <= 0)
    other_order = run_minibatch_descent(X, Y, batch_size=100, lr=0.05, epochs=50, seed=7)["losses"]
    assert np.allclose(run["losses"], other_order, rtol=1e-12, atol=0)  # the same sum, added in another order


def test_mse_gradient_used_by_the_runs_matches_finite_differences():
    w, b = np.array([0.3, -0.2, 0.1]), 0.5
    numeric = numerical_gradient(lambda p: regression_mse(p[:3], p[3], X, Y), np.append(w, b))
    first = run_minibatch_descent(X, Y, batch_size=100, lr=0.01, epochs=1, w0=w, b0=b)
    step = (np.append(first["w"], first["b"]) - np.append(w, b)) / -0.01
    assert np.allclose(step, numeric, atol=1e-6)


def test_gradient_noise_formula_equals_the_average_over_every_possible_batch():
    small_X, small_y = X[:6], Y[:6]
    w, b = np.array([0.5, 0.0, -1.0]), 1.0
    full = run_minibatch_descent(small_X, small_y, batch_size=6, lr=1e-9, epochs=1, w0=w, b0=b)
    for size in (1, 2, 3, 6):
        distances = []
        for batch in itertools.combinations(range(6), size):
            run = run_minibatch_descent(small_X[list(batch)], small_y[list(batch)], batch_size=size, lr=1e-9,
                                        epochs=1, w0=w, b0=b)
            g_batch = (np.append(run["w"], run["b"]) - np.append(w, b)) / -1e-9
            g_full = (np.append(full["w"], full["b"]) - np.append(w, b)) / -1e-9
            distances.append(np.sum((g_batch - g_full) ** 2))
        assert minibatch_gradient_noise(small_X, small_y, w, b, size) == pytest.approx(np.mean(distances), rel=1e-5)


def test_sympy_noise_factor_holds_for_any_n_and_for_every_batch_of_four():
    noise = derive_batching_noise_factor(4)
    N, B = noise.N, noise.B
    assert sp.simplify(noise.factor - (N - B) / (B * (N - 1))) == 0 and noise.all_hold
    assert [row[3] for row in noise.enumeration.rows] == ["1", "1/3", "1/9", "0"]  # B = 1, 2, 3, 4
    assert [row[1] for row in noise.enumeration.rows] == [4, 6, 4, 1]  # C(4, B) batches


def test_sympy_noise_factor_times_the_spread_is_the_numpy_noise():
    noise, sample = derive_batching_noise_factor(), derive_batching_sample_gradient()
    w, b = np.array([0.5, -1.0, 0.2]), 0.3
    per_sample = sample.per_sample_gradients(X, Y, w, b)
    spread = np.mean(np.sum((per_sample - per_sample.mean(axis=0)) ** 2, axis=1))
    for size in (1, 7, 20, 100):
        factor = float(noise.factor.subs({noise.N: 100, noise.B: size}))
        assert factor * spread == pytest.approx(minibatch_gradient_noise(X, Y, w, b, size), rel=1e-12, abs=1e-12)


def test_sympy_per_sample_gradient_matches_the_linear_helpers_and_finite_differences():
    sample = derive_batching_sample_gradient()
    x_, y_ = sample.x, sample.y
    prediction = (sample.w.T * x_)[0] + sample.bias
    assert sp.simplify(sample.gradient - 2 * (prediction - y_) * sp.Matrix([*x_, 1])) == sp.zeros(4, 1)
    w, b = np.array([0.3, -0.2, 0.1]), 0.5
    symbolic = sample.per_sample_gradients(X[:5], Y[:5], w, b)
    for i in range(5):
        parts = linear_gradients(w, b, X[i], Y[i], convention="plain")
        assert np.allclose(symbolic[i], np.append(parts["grad_w"], parts["grad_b"]), rtol=1e-13)
        numeric = numerical_gradient(lambda p: (p[:3] @ X[i] + p[3] - Y[i]) ** 2, np.append(w, b))
        assert np.allclose(symbolic[i], numeric, atol=1e-6)


def test_sampled_noise_is_close_to_the_formula_and_zero_for_the_full_batch():
    for size in (1, 20):
        exact = minibatch_gradient_noise(X, Y, np.zeros(3), 0.0, size)
        assert sampled_gradient_noise(X, Y, np.zeros(3), 0.0, size, draws=2000) == pytest.approx(exact, rel=0.1)
    assert minibatch_gradient_noise(X, Y, np.zeros(3), 0.0, 100) == 0.0


def test_one_sample_steps_diverge_first_when_lr_grows():
    assert run_minibatch_descent(X, Y, batch_size=1, lr=0.3, epochs=50)["status"] == "diverged at step 97 (epoch 1)"
    assert run_minibatch_descent(X, Y, batch_size=100, lr=0.3, epochs=50)["diverged_at"] is None


def test_a_diverged_run_leaves_nan_after_the_divergence_and_nothing_infinite():
    run = run_minibatch_descent(X, Y, batch_size=1, lr=2.0, epochs=5)
    k = run["diverged_at"]
    assert np.all(np.isfinite(run["losses"][:k])) and np.all(np.isnan(run["losses"][k:]))


def test_figures_have_titles_that_say_what_to_notice():
    runs = [run_minibatch_descent(X, Y, batch_size=b, lr=0.05, epochs=5) for b in (100, 1)]
    assert "never settle" in plot_batching_losses(runs, X, Y).get_suptitle()
    assert "1/B" in plot_batching_noise(X, Y, np.zeros(3), 0.0, batch_sizes=(1, 10), draws=20).axes[0].get_title()


@pytest.mark.parametrize("call, name", [
    (lambda: steps_per_epoch(100, 0), "batch_size"),
    (lambda: steps_per_epoch(100, 101), "batch_size"),
    (lambda: steps_per_epoch(100, 2.5), "batch_size"),
    (lambda: count_steps(100, 20, 0), "epochs"),
    (lambda: run_minibatch_descent(X, Y, batch_size=0, lr=0.1), "batch_size"),
    (lambda: run_minibatch_descent(X, Y, batch_size=101, lr=0.1), "batch_size"),
    (lambda: run_minibatch_descent(X, Y, batch_size=10, lr=0.0), "lr"),
    (lambda: run_minibatch_descent(X, Y[:50], batch_size=10, lr=0.1), "y"),
    (lambda: run_minibatch_descent(X, Y, batch_size=10, lr=0.1, w0=[1.0]), "w0"),
    (lambda: make_regression_data(n_samples=0), "n_samples"),
    (lambda: make_regression_data(noise=-1), "noise"),
    (lambda: make_regression_data(n_features=2, true_w=[1.0]), "true_w"),
    (lambda: minibatch_gradient_noise(X, Y, np.zeros(3), 0.0, 0), "batch_size"),
    (lambda: sampled_gradient_noise(X, Y, np.zeros(3), 0.0, 5, draws=0), "draws"),
    (lambda: plot_batching_losses([], X, Y), "runs"),
    (lambda: batching_panel(epochs=0), "epochs"),
    (lambda: derive_batching_noise_factor(1), "n"),
    (lambda: derive_batching_sample_gradient().per_sample_gradients(X[:, :2], Y, np.zeros(3), 0.0), "X"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_example_settings_are_the_chapters():
    assert BATCHING_EXAMPLE["n_samples"] == 100 and BATCHING_EXAMPLE["epochs"] == 50


def test_a_run_that_diverges_in_a_few_steps_fills_the_panel_instead_of_its_corner():
    """B = 1 at η = 2 diverges at step 7 and the full batch at step 8 (epoch 8): the axes end near there."""
    panel = batching_panel()
    status = panel.set(batch_size=1, lr=2.0)
    left, right = panel.figure.axes
    assert status.startswith("diverged at step 7")
    drawn_steps = max(line.get_xdata()[-1] for line in left.get_lines() if len(line.get_xdata()))
    assert left.get_xlim() == (1.0, 10.0) and drawn_steps >= 5
    assert right.get_xlim() == (0.0, 8.0)
    divergence = [text for text in left.texts if text.get_visible() and text.get_text().startswith("diverged")][0]
    assert divergence.get_position() == (0.04, 0.96)  # top left: away from the rising curves
    panel.set(batch_size=1, lr=BATCHING_EXAMPLE["lr"])  # a run that finishes: every step and epoch on the axes
    assert left.get_xlim() == (1.0, 1e4) and right.get_xlim() == (0.0, 50.0)


def test_a_run_that_diverges_in_its_first_epoch_says_so_on_the_epoch_plot():
    panel = batching_panel(epochs=50)
    assert panel.set(batch_size=1, lr=0.3) == "diverged at step 97 (epoch 1)"
    right = panel.figure.axes[1]
    notes = [text.get_text() for text in right.texts if text.get_visible()]
    assert any(note.startswith("diverged in epoch 1:") for note in notes)
    panel.set(batch_size=20, lr=0.05)  # the chapter's setting: no divergence, no note
    assert not [text for text in right.texts if text.get_visible() and text.get_text().startswith("diverged")]


def test_the_loss_figure_headline_fits_the_course_page():
    runs = [run_minibatch_descent(X, Y, batch_size=B, lr=0.05, epochs=5, seed=0) for B in (100, 1, 20)]
    figure = plot_batching_losses(runs, X, Y)
    figure.draw_without_rendering()
    headline = next(text for text in figure.texts if text.get_text() == figure.get_suptitle())
    box = headline.get_window_extent(figure.canvas.get_renderer())
    assert 0 <= box.x0 and box.x1 <= figure.bbox.width  # 7 in at 100 dpi: the page's 700 px
