"""Optimizers on x²/20 + y²: the landscape, the runner, source 004's forms, the chapter's numbers, the panel."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sympy as sp
import matplotlib.pyplot as plt
import helpers
from helpers.optimizers import OPTIMIZERS

from helpers import (ELONGATED_BOWL, LANDSCAPE_SETTINGS, Optimizer, QuadraticBowl, adagrad_step, adam_step,
                     derive_landscape_curvature, derive_landscape_sgd_step, effective_learning_rates, landscape_optimizer, landscape_optimizer_panel, landscape_steps_table, landscape_steps_to_tolerance,
                     numerical_gradient, plot_landscape_gradient_field, plot_effective_learning_rates,
                     plot_landscape_trajectories, run_landscape_trajectory, source_form_trajectory)

coordinate = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(coordinate, coordinate, st.floats(0.01, 10), st.floats(0.01, 10))
def test_bowl_gradient_matches_finite_differences(x, y, a, b):
    bowl = QuadraticBowl(a, b)
    numeric = numerical_gradient(lambda p: float(bowl.value(p[0], p[1])), [x, y], step=1e-5)
    assert np.allclose(bowl.gradient([x, y]), numeric, rtol=1e-7, atol=1e-6)


def test_sympy_gradient_and_hessian_of_the_bowl_are_the_textbook_ones():
    bowl = derive_landscape_curvature()
    x, y = bowl.x, bowl.y
    assert sp.simplify(bowl.gradient - sp.Matrix([x / 10, 2 * y])) == sp.zeros(2, 1)
    assert sp.simplify(bowl.hessian - sp.diag(sp.Rational(1, 10), 2)) == sp.zeros(2, 2)
    assert bowl.curvatures == [sp.Rational(1, 10), 2] and bowl.condition_number == 20 and bowl.all_hold


def test_sympy_gradient_agrees_with_the_numpy_bowl_and_finite_differences():
    bowl = derive_landscape_curvature()
    for point in ([-7.0, 2.0], [3.5, -0.25], [0.0, 1e-3]):
        symbolic = np.array(bowl.gradient.subs({bowl.x: point[0], bowl.y: point[1]}), dtype=float).ravel()
        assert np.allclose(symbolic, ELONGATED_BOWL.gradient(point), rtol=1e-15, atol=0)
        numeric = numerical_gradient(lambda p: float(ELONGATED_BOWL.value(p[0], p[1])), point, step=1e-5)
        assert np.allclose(symbolic, numeric, atol=1e-8)


def test_one_sgd_step_multiplies_y_by_one_minus_two_lr_and_zig_zags_above_one_half():
    step = derive_landscape_sgd_step()
    eta = step.eta
    assert sp.simplify(step.factor_x - (1 - eta / 10)) == 0 and sp.simplify(step.factor_y - (1 - 2 * eta)) == 0
    assert step.converges == sp.Interval.open(0, 1) and step.zig_zag == sp.Interval.open(sp.Rational(1, 2), sp.oo)
    # the source's η = 0.95: factors 0.905 and −0.9, exactly
    assert step.factor_x.subs(eta, sp.Rational(95, 100)) == sp.Rational(905, 1000)
    assert step.factor_y.subs(eta, sp.Rational(95, 100)) == sp.Rational(-9, 10)


def test_sympy_closed_form_after_t_steps_matches_the_numpy_replay():
    step = derive_landscape_sgd_step()
    run = run_landscape_trajectory(Optimizer("sgd", lr=0.95), steps=12)["points"]
    values = {step.eta: 0.95, step.x0: -7.0, step.y0: 2.0}
    for t in (0, 1, 5, 12):
        closed = np.array(step.closed_form.subs({**values, step.t: t}).evalf(), dtype=float).ravel()
        assert np.allclose(closed, run[t], rtol=1e-12)


def test_first_two_sgd_steps_from_minus_seven_two():
    points = run_landscape_trajectory(Optimizer("sgd", lr=0.95), steps=2)["points"]
    assert np.allclose(points[1], [-6.335, -1.8]) and np.allclose(points[2], [-5.733175, 1.62])


def test_sgd_on_the_bowl_shrinks_x_by_one_minus_lr_over_ten_and_flips_y_by_one_minus_two_lr():
    points = run_landscape_trajectory(Optimizer("sgd", lr=0.95), steps=40)["points"]
    t = np.arange(41)
    assert np.allclose(points[:, 0], -7 * 0.905**t, rtol=1e-12)
    assert np.allclose(points[:, 1], 2 * (-0.9) ** t, rtol=1e-12)


def test_source_momentum_form_is_the_same_trajectory_as_pytorchs_form_at_constant_lr():
    course = run_landscape_trajectory(Optimizer("momentum", lr=0.1, momentum=0.9), steps=30)["points"]
    source = source_form_trajectory("momentum", lr=0.1, steps=30)
    assert np.max(np.abs(course - source)) < 1e-12


def test_the_two_momentum_forms_part_ways_when_the_learning_rate_changes():
    schedule = [0.1] * 10 + [0.01] * 20
    params, optimizer = {"xy": np.array([-7.0, 2.0])}, Optimizer("momentum", lr=0.1)
    state = optimizer.init_state(params)
    for lr in schedule:  # the state lives outside the optimizer, so η can change between steps
        params, state, _ = Optimizer("momentum", lr=lr).step(params, {"xy": ELONGATED_BOWL.gradient(params["xy"])}, state)
    source = source_form_trajectory("momentum", lr=schedule, steps=30)[-1]
    assert np.allclose(params["xy"], [-3.55518737, 0.05497445]) and np.allclose(source, [-1.01177005, 0.57118105])


def test_source_adagrad_puts_epsilon_after_the_root_and_matches_the_course_with_eps_1e_7():
    source = source_form_trajectory("adagrad", lr=1.5, steps=30)
    course = run_landscape_trajectory(Optimizer("adagrad", lr=1.5, eps=1e-7), steps=30)["points"]
    pytorch_default = run_landscape_trajectory(Optimizer("adagrad", lr=1.5), steps=30)["points"]
    assert np.max(np.abs(course - source)) < 1e-12
    assert 1e-7 < np.max(np.abs(pytorch_default - source)) < 1e-6  # ε = 1e-10 vs 1e-7: visible only at 1e-7


def test_sgd_form_of_the_source_is_the_course_sgd():
    assert np.array_equal(source_form_trajectory("sgd", lr=0.95, steps=30),
                          run_landscape_trajectory(Optimizer("sgd", lr=0.95), steps=30)["points"])


def test_adagrad_epsilon_decides_the_first_step_when_the_gradient_is_tiny():
    book = adagrad_step([0.0], [1e-8], [0.0], lr=1.0, eps=1e-7)["update"][0]
    torch = adagrad_step([0.0], [1e-8], [0.0], lr=1.0, eps=1e-10)["update"][0]
    assert book == pytest.approx(-1 / 11) and torch == pytest.approx(-1 / 1.01)


def test_steps_to_within_001_at_the_chapters_settings():
    expected = {"sgd": 66, "momentum": 122, "adagrad": 50, "rmsprop": 83, "adam": 116}
    for name, steps in expected.items():
        trajectory = run_landscape_trajectory(landscape_optimizer(name), steps=200)
        assert landscape_steps_to_tolerance(trajectory, 0.01) == steps, name
    table = landscape_steps_table()
    assert [row[3] for row in table.rows] == list(expected.values())
    assert [round(row[2], 4) for row in table.rows] == [0.0133, 0.0479, 0.0007, 0.0243, 0.1022]


def test_the_comparison_returns_the_numbers_and_the_table_prints_them_with_the_settings_each_optimizer_reads():
    results = helpers.landscape_comparison(steps=200)
    assert [result["optimizer"].name for result in results] == list(helpers.LANDSCAPE_SETTINGS)
    assert [result["steps_to_tolerance"] for result in results] == [66, 122, 50, 83, 116]
    assert all(result["diverged_at"] is None for result in results)
    table = landscape_steps_table()
    assert [row[2] for row in table.rows] == [result["value_at_30"] for result in results]
    assert [row[0] for row in table.rows] == [OPTIMIZERS[name].label for name in helpers.LANDSCAPE_SETTINGS]
    assert [row[1] for row in table.rows] == ["η = 0.95", "η = 0.1, μ = 0.9", "η = 1.5, ε = 1e-10",
                                              "η = 0.1, β2 = 0.99, ε = 1e-08",
                                              "η = 0.3, β1 = 0.9, β2 = 0.999, ε = 1e-08"]
    assert helpers.describe_optimizer(Optimizer("momentum", lr=0.1)) == "Momentum, η = 0.1, μ = 0.9"
    diverging = helpers.landscape_comparison({"sgd": {"lr": 1.05}}, steps=200)[0]
    assert diverging["diverged_at"] == 138 and diverging["steps_to_tolerance"] is None
    assert landscape_steps_table({"sgd": {"lr": 1.05}}).rows[0][3] == "diverged at step 138"


def test_sgd_diverges_above_lr_one_and_oscillates_forever_at_one():
    assert run_landscape_trajectory(Optimizer("sgd", lr=1.05), steps=200)["diverged_at"] == 138
    at_one = run_landscape_trajectory(Optimizer("sgd", lr=1.0), steps=200)
    assert at_one["diverged_at"] is None and np.allclose(np.abs(at_one["points"][:, 1]), 2.0)
    assert landscape_steps_to_tolerance(at_one, 0.01) is None


def test_a_diverged_run_keeps_nan_after_the_step_it_diverged():
    run = run_landscape_trajectory(Optimizer("momentum", lr=3.0, momentum=0.99), steps=200)
    k = run["diverged_at"]
    assert k is not None and np.all(np.isfinite(run["points"][:k])) and np.all(np.isnan(run["points"][k:]))


def test_adagrad_rate_shrinks_like_one_over_root_t_and_rmsprop_settles_at_lr_over_gradient():
    adagrad = effective_learning_rates(Optimizer("adagrad", lr=1.0), np.ones(50))
    rmsprop = effective_learning_rates(Optimizer("rmsprop", lr=1.0, beta2=0.9), np.ones(200))
    assert np.allclose(adagrad, 1 / np.sqrt(np.arange(1, 51)), rtol=1e-9)
    assert rmsprop[0] == pytest.approx(1 / np.sqrt(0.1), rel=1e-7) and rmsprop[-1] == pytest.approx(1.0, rel=1e-7)


def test_panel_steps_slider_reuses_a_longer_run_and_shows_the_same_path_as_a_fresh_one():
    panel = landscape_optimizer_panel(optimizer="momentum")
    panel.set(steps=200)
    for steps in (7, 60, 200):
        panel.set(steps=steps)
        drawn = np.asarray(panel.figure.axes[0].get_lines()[-1].get_xydata())
        fresh = run_landscape_trajectory(landscape_optimizer("momentum"), steps=steps)["points"]
        assert np.array_equal(drawn, fresh)


def test_panel_reports_convergence_at_the_chapters_setting():
    panel = landscape_optimizer_panel(optimizer="adagrad")
    assert panel.set(steps=200) == "settles within 0.01 of the minimum at step 50"


def test_figures_build_with_a_title_that_says_what_to_notice():
    runs = {n: run_landscape_trajectory(landscape_optimizer(n)) for n in LANDSCAPE_SETTINGS}
    assert "zig-zags" in plot_landscape_trajectories(runs).get_suptitle()
    for name in LANDSCAPE_SETTINGS:  # each panel's title starts with its optimizer's label
        assert landscape_optimizer_panel(optimizer=name).figure.get_suptitle().startswith(OPTIMIZERS[name].label + ": ")
    assert "across the valley" in plot_landscape_gradient_field().axes[0].get_title()
    assert "only shrinks" in plot_effective_learning_rates().get_suptitle()


@pytest.mark.parametrize("call, name", [
    (lambda: QuadraticBowl(a=0), "a"),
    (lambda: QuadraticBowl(b=-1), "b"),
    (lambda: ELONGATED_BOWL.gradient([1.0, 2.0, 3.0]), "point"),
    (lambda: run_landscape_trajectory(Optimizer("sgd", lr=0.1), steps=0), "steps"),
    (lambda: run_landscape_trajectory(Optimizer("sgd", lr=0.1), start=[1.0]), "start"),
    (lambda: run_landscape_trajectory("sgd"), "optimizer"),
    (lambda: landscape_optimizer("nesterov"), "optimizer"),
    (lambda: landscape_optimizer("sgd", lr=0), "lr"),
    (lambda: landscape_steps_to_tolerance(run_landscape_trajectory(Optimizer("sgd", lr=0.1)), 0), "tolerance"),
    (lambda: source_form_trajectory("adam", lr=0.1), "name"),
    (lambda: source_form_trajectory("momentum", lr=[0.1, 0.1], steps=3), "lr"),
    (lambda: source_form_trajectory("momentum", lr=0.1, momentum=1.0), "momentum"),
    (lambda: effective_learning_rates(Optimizer("adagrad", lr=1.0), []), "gradients"),
    (lambda: plot_landscape_trajectories({}), "trajectories"),
    (lambda: plot_effective_learning_rates(switch_step=100, steps=100), "switch_step"),
    (lambda: landscape_optimizer_panel(optimizer="lbfgs"), "optimizer"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_the_books_adam_is_pytorchs_with_epsilon_divided_by_root_of_one_minus_beta2_power_t():
    """The chapter's claim about the Adam class behind source 004 (bias corrections folded into η_t, 1e-7 on √v)."""
    rng = np.random.default_rng(0)
    lr, beta1, beta2 = 0.3, 0.9, 0.999
    book, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    course, course_m, course_v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t in range(1, 30):
        g = rng.normal(size=3)
        m, v = m + (1 - beta1) * (g - m), v + (1 - beta2) * (g * g - v)
        book = book - lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * m / (np.sqrt(v) + 1e-7)
        out = adam_step(course, g, course_m, course_v, t, lr=lr, beta1=beta1, beta2=beta2,
                        eps=1e-7 / np.sqrt(1 - beta2**t))
        course, course_m, course_v = out["theta"], out["m"], out["v"]
    assert np.max(np.abs(book - course)) < 1e-12


def test_bowl_gradient_on_a_grid_is_the_gradient_at_each_point():
    x, y = np.meshgrid(np.linspace(-9, 9, 5), np.linspace(-4.5, 4.5, 3))
    grid = ELONGATED_BOWL.gradient(np.stack([x, y], axis=-1))
    assert grid.shape == (3, 5, 2)
    for i, j in np.ndindex(3, 5):
        assert np.array_equal(grid[i, j], ELONGATED_BOWL.gradient([x[i, j], y[i, j]]))
        assert np.allclose(grid[i, j], [x[i, j] / 10, 2 * y[i, j]], rtol=1e-15, atol=0)  # ∇(x²/20 + y²) = (x/10, 2y)
    with pytest.raises(ValueError, match="point"):
        ELONGATED_BOWL.gradient(3.0)


# -- the best constant settings (chapter 8 §4) -------------------------------------------------------
def test_best_sgd_step_is_two_over_the_sum_of_curvatures_and_source_004_is_almost_it():
    from helpers.derivations.landscapes import derive_best_fixed_steps
    best = derive_best_fixed_steps()
    assert float(best.sgd_lr) == pytest.approx(2 / (0.1 + 2.0), abs=1e-15)
    assert abs(float(best.sgd_lr) - 0.95) < 0.003
    # at η*, both axes shrink by the same factor in size: no other η makes the slower one faster
    etas = np.linspace(0.5, 1.0, 5001)
    worst = np.maximum(abs(1 - etas * 0.1), abs(1 - etas * 2.0))
    assert etas[np.argmin(worst)] == pytest.approx(float(best.sgd_lr), abs=1e-4)


def test_best_heavy_ball_pair_matches_the_textbook_formulas_and_settles_in_about_twenty_steps():
    from helpers.derivations.landscapes import derive_best_fixed_steps
    from helpers.landscapes import landscape_steps_to_tolerance
    best = derive_best_fixed_steps()
    kappa = 20.0
    assert float(best.momentum_lr) == pytest.approx(4 / (np.sqrt(2.0) + np.sqrt(0.1)) ** 2, rel=1e-14)
    assert float(best.momentum_mu) == pytest.approx(((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2, rel=1e-14)
    # the spectral radius of the heavy-ball iteration matrix at both curvatures is √μ*
    for lam in (0.1, 2.0):
        lr, mu = float(best.momentum_lr), float(best.momentum_mu)
        matrix = np.array([[1 + mu - lr * lam, -mu], [1.0, 0.0]])
        assert max(abs(np.linalg.eigvals(matrix))) == pytest.approx(np.sqrt(mu), rel=1e-6)
    run = helpers.run_landscape_trajectory(helpers.Optimizer("momentum", lr=float(best.momentum_lr),
                                                             momentum=float(best.momentum_mu)), steps=300)
    assert 15 <= landscape_steps_to_tolerance(run, 0.01) <= 25
    book = helpers.run_landscape_trajectory(helpers.Optimizer("momentum", lr=0.1, momentum=0.9), steps=300)
    assert landscape_steps_to_tolerance(book, 0.01) > 100


def test_momentum_steps_map_agrees_with_the_optimizer_run_point_by_point():
    from helpers.landscapes import landscape_steps_to_tolerance, momentum_steps_map
    lrs, momenta = np.linspace(0.05, 2.4, 17), np.linspace(0.0, 0.95, 11)
    steps_map = momentum_steps_map(lrs, momenta, steps=250)
    assert steps_map.shape == (11, 17)
    for i, mu in enumerate(momenta):
        for j, lr in enumerate(lrs):
            run = helpers.run_landscape_trajectory(helpers.Optimizer("momentum", lr=lr, momentum=mu), steps=250)
            expected = landscape_steps_to_tolerance(run, 0.01)
            assert (np.isnan(steps_map[i, j]) if expected is None else steps_map[i, j] == expected), (lr, mu)


@pytest.mark.parametrize("kwargs, word", [(dict(lrs=[0.0, 1.0]), "lrs"), (dict(momenta=[1.0]), "momenta"),
                                          (dict(tolerance=0.0), "tolerance"), (dict(steps=0), "steps")])
def test_momentum_steps_map_rejects_bad_input_naming_the_parameter(kwargs, word):
    from helpers.landscapes import momentum_steps_map
    arguments = {"lrs": [0.5], "momenta": [0.5], **kwargs}
    with pytest.raises(ValueError, match=word):
        momentum_steps_map(**arguments)


def test_momentum_tuning_figure_marks_every_setting_with_its_step_count():
    from helpers.panels.landscapes import plot_momentum_tuning
    figure = plot_momentum_tuning({"book": (0.1, 0.9), "best": (1.3358, 0.4026)}, {"SGD": 0.905}, steps=200)
    map_axes, distance_axes = figure.axes[:2]
    labels = [t.get_text() for t in distance_axes.get_legend().get_texts()]
    assert labels == ["book: 122 steps", "best: 20 steps", "SGD"]
    assert map_axes.get_legend() is None  # no key on the map: every cell stays in view
    assert "η > 1 + μ:\ndiverges" in [text.get_text() for text in map_axes.texts]
    with pytest.raises(ValueError, match="rates"):
        plot_momentum_tuning({"book": (0.1, 0.9)}, {"bad": 1.5})
    plt.close(figure)


def test_the_overlay_of_all_paths_keeps_its_key_under_the_map_not_on_it():
    runs = {n: run_landscape_trajectory(landscape_optimizer(n)) for n in LANDSCAPE_SETTINGS}
    figure = plot_landscape_trajectories(runs)
    overlay = next(ax for ax in figure.axes if ax.get_title() == "all together")
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()
    key, landscape = overlay.get_legend().get_window_extent(renderer), overlay.get_window_extent(renderer)
    assert key.y1 < landscape.y0 and [t.get_text() for t in overlay.get_legend().get_texts()] == \
        [OPTIMIZERS[name].label for name in runs]
    plt.close(figure)


def test_a_path_that_diverges_in_a_few_steps_fills_the_distance_plot_and_says_how_many_were_asked_for():
    panel = landscape_optimizer_panel(optimizer="sgd")
    assert panel.set(lr=10 ** 0.5, steps=200) == "diverged at step 8"
    right = panel.figure.axes[1]
    assert right.get_xlim() == (0.0, 8.0)  # steps 0-7 drawn, not the left edge of 0-200
    assert "diverged at step 8 of 200" in [text.get_text() for text in right.texts if text.get_visible()]
    panel.set(lr=0.95, steps=200)  # a path that does not diverge: every step asked for
    assert right.get_xlim() == (0.0, 200.0)


def _exit_triangle(panel):
    return next(line for line in panel.figure.axes[0].get_lines() if line.get_marker() in ("v", "^", "<", ">"))


def test_a_path_that_leaves_the_plot_gets_a_triangle_where_it_crosses_the_edge():
    panel = landscape_optimizer_panel(optimizer="rmsprop")
    panel.set(beta2=0.9999)  # v starts at 0 and barely grows: step 1 is η/√(1 − β2) = 10 times η, off the plot
    triangle = _exit_triangle(panel)
    assert triangle.get_visible() and triangle.get_marker() == "v" and triangle.get_ydata()[0] == -5.0
    path = panel.figure.axes[0].get_lines()[-1].get_xydata()
    (x0, y0), (x1, y1) = path[:2]
    assert (x0, y0) == (-7.0, 2.0) and y1 < -5.0
    assert triangle.get_xdata()[0] == pytest.approx(x0 + (-5.0 - y0) / (y1 - y0) * (x1 - x0))  # on step 1's line
    panel.set(beta2=0.99)
    assert not _exit_triangle(panel).get_visible()


def test_adam_says_when_beta1_reaches_root_beta2_and_its_step_ratio_is_unbounded():
    panel = landscape_optimizer_panel(optimizer="adam")
    assert "m̂/√v̂ is unbounded" in panel.set(beta1=0.9, beta2=0.0)
    assert "unbounded" not in panel.set(beta1=0.9, beta2=0.999)


def test_the_divergence_note_does_not_cover_the_diverging_curve():
    for optimizer in ("sgd", "momentum"):
        panel = landscape_optimizer_panel(optimizer=optimizer)
        panel.set(lr=10 ** 0.5, steps=30)
        right = panel.figure.axes[1]
        note = next(text for text in right.texts if text.get_visible() and text.get_text().startswith("diverged"))
        box = note.get_window_extent(panel.figure.canvas.get_renderer())
        curve = right.transData.transform(right.get_lines()[0].get_xydata())
        inside = (curve[:, 0] > box.x0) & (curve[:, 0] < box.x1) & (curve[:, 1] > box.y0) & (curve[:, 1] < box.y1)
        assert len(curve) > 5 and not inside.any(), optimizer


def test_momentum_tuning_keeps_its_key_under_the_curves_and_tells_slow_cells_from_diverging_ones():
    from helpers.panels.landscapes import _TOO_SLOW, plot_momentum_tuning
    figure = plot_momentum_tuning({"book": (0.1, 0.9), "SGD": (0.952, 0.0)}, {"SGD": 0.905}, steps=300)
    map_axes, distance_axes = figure.axes[:2]
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()
    assert distance_axes.get_legend().get_window_extent(renderer).y1 < distance_axes.get_window_extent(renderer).y0
    slow = next(mesh for mesh in map_axes.collections if mesh.get_cmap().colors == [_TOO_SLOW])
    cells = np.ma.masked_invalid(slow.get_array())
    assert cells.count() > 0 and "pink" in map_axes.get_title() and "grey: diverges" in map_axes.get_title()
    assert map_axes.get_xlim()[0] < 0.02 and map_axes.get_ylim()[0] < 0  # the marks on the map's edges drawn whole
    plt.close(figure)


# -- what the panel's titles claim (_NOTICE in helpers/panels/landscapes.py), over the η slider's range ----
PANEL_LRS = 10 ** np.linspace(-3, 0.5, 15)  # the η slider: 1e-3 … 10^0.5


def _finite_path(name: str, steps: int = 200, **overrides) -> np.ndarray:
    points = run_landscape_trajectory(landscape_optimizer(name, **overrides), steps=steps)["points"]
    return points[~np.isnan(points).any(axis=1)]


def test_sgd_zig_zags_above_lr_one_half_bounces_at_one_and_diverges_above():
    """y ← (1 − 2η)·y on x²/20 + y²: the sign of y flips every step exactly when η > 0.5."""
    assert not np.any(np.diff(np.sign(_finite_path("sgd", steps=10, lr=0.45)[:, 1])))
    assert np.all(np.diff(np.sign(_finite_path("sgd", steps=10, lr=0.55)[:, 1])))
    assert np.allclose(np.abs(_finite_path("sgd", lr=1.0)[:, 1]), 2.0)  # ±2 for ever
    assert run_landscape_trajectory(landscape_optimizer("sgd", lr=1.1), steps=200)["diverged_at"] is not None


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9, 0.99])
def test_momentum_tolerates_lr_up_to_one_plus_mu(momentum):
    """Heavy ball on curvature 2 (the y direction) is stable exactly for η < 1 + μ."""
    below = _finite_path("momentum", steps=2000, lr=0.98 * (1 + momentum), momentum=momentum)
    assert np.linalg.norm(below[-1]) < 1e-3
    above = landscape_optimizer("momentum", lr=1.02 * (1 + momentum), momentum=momentum)
    assert run_landscape_trajectory(above, steps=2000)["diverged_at"] is not None


@pytest.mark.parametrize("lr", PANEL_LRS)
def test_adagrad_steps_only_shrink(lr):
    steps = np.abs(np.diff(_finite_path("adagrad", lr=lr), axis=0))
    assert np.all(steps[1:] <= steps[:-1] * (1 + 1e-12))


def test_adagrad_with_a_small_lr_stalls_far_from_the_minimum():
    path = _finite_path("adagrad", lr=0.01)
    steps = np.abs(np.diff(path[:, 0]))
    assert np.linalg.norm(path[-1]) > 0.9 * np.linalg.norm(path[0]) and steps[-1] < steps[0] / 10


@pytest.mark.parametrize("beta2", [0.0, 0.5, 0.9, 0.99, 0.999, 0.9999])
def test_rmsprop_first_step_is_lr_over_root_one_minus_beta2_and_no_later_step_is_longer(beta2):
    """No bias correction: s₁ = (1 − β2)·g₁², so the first step is η·g₁/√s₁ = η/√(1 − β2) per coordinate
    (10η at β2 = 0.99, 100η at 0.9999), not about η."""
    for lr in PANEL_LRS:
        steps = np.abs(np.diff(_finite_path("rmsprop", lr=lr, beta2=beta2), axis=0))
        assert steps[0] == pytest.approx(np.full(2, lr / np.sqrt(1 - beta2)), rel=1e-5)
        assert np.all(steps[1:] <= steps[0] * (1 + 1e-12))


def test_rmsprop_with_beta2_zero_steps_by_lr_on_the_sign_of_the_gradient_and_hops_around_the_minimum():
    path = _finite_path("rmsprop", lr=0.1, beta2=0.0)
    gradients = np.abs(ELONGATED_BOWL.gradient(path[:-1]))
    steps = np.abs(np.diff(path, axis=0))
    moving = gradients > 1e-6  # ε = 1e-8 matters only where |g| is near it
    assert steps[moving] == pytest.approx(np.full(moving.sum(), 0.1), rel=1e-5)
    late_y = path[-20:, 1]
    assert np.all(np.abs(late_y) <= 0.1) and np.count_nonzero(np.diff(np.sign(late_y))) >= 10


def test_adams_first_step_is_lr_per_coordinate_and_beta1_sets_its_swing():
    for lr in PANEL_LRS:
        for beta1, beta2 in [(0.0, 0.0), (0.9, 0.999), (0.99, 0.9999)]:
            first = np.abs(np.diff(_finite_path("adam", steps=1, lr=lr, beta1=beta1, beta2=beta2), axis=0))[0]
            assert first == pytest.approx(np.full(2, lr), rel=1e-6)
    farthest = {beta1: _finite_path("adam", lr=0.3, beta1=beta1, beta2=0.999)[:, 0].max()
                for beta1 in (0.0, 0.9, 0.99)}
    assert farthest[0.0] < 0 < farthest[0.9] < farthest[0.99]  # past the minimum at x = 0, and farther with β1
