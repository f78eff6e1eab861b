"""Chapter 11's network, schedules, clipping and training loop, checked against independent references:
finite differences, chapter 5's replay of the 2-2-2 network, the schedules' formulas written out by hand,
and PyTorch-free hand computations."""
from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.lines import Line2D

import helpers
from helpers import (MLP_SCHEDULES, Optimizer, clip_gradient_norm, learning_rate_schedule, make_two_moons,
                     mlp_evaluate, mlp_forward, mlp_gradients, mlp_init, numerical_gradient, replay_two_layer,
                     saddle_descent, saddle_gradient, saddle_value, train_mlp)


def _loss(params, X, y, activation):
    """The mean cross-entropy from the forward pass and chapter 4's loss: no backprop involved."""
    logits = mlp_forward(params, X, activation)["z"][-1]
    return float(helpers.cross_entropy_from_logits(logits, y))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("sizes", [(2, 2, 2), (2, 16, 16, 2), (3, 5, 4), (4, 3, 6, 2, 3), (1, 7, 2)])
def test_backprop_matches_finite_differences_for_every_parameter(sizes, activation):
    rng = np.random.default_rng(len(sizes) * 10 + sizes[1])
    params = [(rng.normal(size=W.shape), rng.normal(size=b.shape) * 0.5)
              for W, b in mlp_init(sizes, activation, seed=3)]
    X = rng.normal(size=(7, sizes[0]))
    y = rng.integers(0, sizes[-1], size=7)
    loss, grads = mlp_gradients(params, X, y, activation)
    assert loss == pytest.approx(_loss(params, X, y, activation), abs=1e-12)
    for l, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
        assert dW.shape == W.shape and db.shape == b.shape
        for index, (array, analytic) in enumerate(((W, dW), (b, db))):
            def loss_of(value, l=l, index=index):
                changed = [list(pair) for pair in params]
                changed[l][index] = value
                return _loss(changed, X, y, activation)
            # ReLU's kink: a random point lies almost surely farther than h from it, so the difference is exact
            np.testing.assert_allclose(analytic, numerical_gradient(loss_of, array, step=1e-6), atol=2e-7)


def test_the_2_2_2_network_gets_chapter_5s_gradients():
    first = replay_two_layer(steps=1)[0]
    p = first["params_before"]
    loss, grads = mlp_gradients([(p["W1"], p["b1"]), (p["W2"], p["b2"])], [[1.0, 2.0]], [0])
    assert loss == pytest.approx(first["loss"], abs=1e-14)
    for (dW, db), l in zip(grads, (1, 2)):
        np.testing.assert_allclose(dW, first["grads"][f"W{l}"], atol=1e-15)
        np.testing.assert_allclose(db, first["grads"][f"b{l}"], atol=1e-15)


def test_the_gradient_of_a_batch_is_the_mean_of_the_per_sample_gradients():
    params = mlp_init((2, 4, 3), "tanh", seed=1)
    X, y = np.random.default_rng(2).normal(size=(5, 2)), np.array([0, 1, 2, 1, 0])
    whole = mlp_gradients(params, X, y)[1]
    singles = [mlp_gradients(params, X[i:i + 1], y[i:i + 1])[1] for i in range(5)]
    for l in range(2):
        for k in range(2):
            np.testing.assert_allclose(whole[l][k], np.mean([s[l][k] for s in singles], axis=0), atol=1e-15)


def test_init_draws_xavier_for_tanh_and_he_for_relu():
    for activation, variance in (("tanh", 2 / (300 + 200)), ("relu", 2 / 300)):
        (W, b), = mlp_init((300, 200), activation, seed=0)
        assert W.shape == (200, 300) and not b.any()
        assert W.var() == pytest.approx(variance, rel=0.02)


def test_two_moons_are_balanced_seeded_and_split():
    data = make_two_moons(n_train=200, n_test=100, noise=0.0, seed=4)
    assert data["X_train"].shape == (200, 2) and data["X_test"].shape == (100, 2)
    assert np.mean(np.concatenate([data["y_train"], data["y_test"]])) == 0.5
    X = np.concatenate([data["X_train"], data["X_test"]]) + [0.5, 0.25]
    y = np.concatenate([data["y_train"], data["y_test"]])
    # without noise every point lies on its half circle: radius 1 around (0, 0) or around (1, 0.5)
    centres = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    np.testing.assert_allclose(np.linalg.norm(X - centres, axis=1), 1.0)
    again = make_two_moons(n_train=200, n_test=100, noise=0.0, seed=4)
    np.testing.assert_array_equal(again["X_test"], data["X_test"])


def test_schedules_follow_their_formulas():
    # T = 12 steps, η = 2, by hand
    T, lr = 12, 2.0
    assert learning_rate_schedule("constant", lr, T).tolist() == [2.0] * 12
    assert learning_rate_schedule("step", lr, T).tolist() == pytest.approx([2.0] * 4 + [0.2] * 4 + [0.02] * 4)
    cosine = learning_rate_schedule("cosine", lr, T)
    assert cosine[0] == 2.0 and cosine[6] == pytest.approx(1.0) and cosine[3] == pytest.approx(1 + math.cos(math.pi / 4))
    warm = learning_rate_schedule("warmup_cosine", lr, T, warmup_steps=4)
    # η(t + 1)/w for t < w = 4, then η·½(1 + cos(π(t − 4)/8)): the peak is reached at t = 3 and kept at t = 4
    assert warm[:6].tolist() == pytest.approx([0.5, 1.0, 1.5, 2.0, 2.0, 1 + math.cos(math.pi / 8)])
    assert learning_rate_schedule("warmup_cosine", lr, 20)[0] == pytest.approx(1.0)  # default w = ⌈20/10⌉ = 2


def test_warm_up_rises_linearly_to_the_peak_then_decays():
    warm = learning_rate_schedule("warmup_cosine", 1.0, 100, warmup_steps=10)
    np.testing.assert_allclose(warm[:10], np.arange(1, 11) / 10)
    assert np.all(np.diff(warm[10:]) < 0)


@pytest.mark.parametrize("schedule", MLP_SCHEDULES)
def test_every_schedule_stays_positive_and_at_most_the_peak(schedule):
    for T in (1, 2, 3, 7, 1000) if schedule != "warmup_cosine" else (2, 3, 7, 1000):
        rates = learning_rate_schedule(schedule, 0.1, T)
        assert rates.shape == (T,) and np.all(rates > 0) and np.all(rates <= 0.1 + 1e-15)


def test_clipping_caps_the_norm_and_keeps_the_direction():
    grads = [(np.array([[3.0, 0.0]]), np.array([0.0])), (np.array([[0.0], [4.0]]), np.array([0.0, 12.0]))]
    clipped, norm = clip_gradient_norm(grads, 6.5)
    assert norm == 13.0  # √(9 + 16 + 144)
    assert np.allclose(clipped[0][0], [[1.5, 0.0]]) and np.allclose(clipped[1][1], [0.0, 6.0])
    total = math.sqrt(sum(float(np.sum(a**2)) for pair in clipped for a in pair))
    assert total == pytest.approx(6.5)
    same, norm = clip_gradient_norm(grads, 20.0)  # below the cap: untouched
    assert norm == 13.0 and all(np.array_equal(a, b) for p, q in zip(same, grads) for a, b in zip(p, q))


def test_train_mlp_replays_by_hand_with_the_course_optimizer():
    """Two epochs of full-batch SGD with a cosine schedule, weight decay and clipping, step by step."""
    data = make_two_moons(n_train=8, n_test=4, seed=1)
    run = train_mlp(data, optimizer=Optimizer("sgd", 0.5), layer_sizes=(2, 3, 2), schedule="cosine", epochs=2,
                    batch_size=8, weight_decay=0.1, clip_norm=0.3, seed=2)
    params = mlp_init((2, 3, 2), "tanh", seed=2)
    for t in range(2):
        loss, grads = mlp_gradients(params, data["X_train"], data["y_train"])
        grads = [(dW + 0.1 * W, db) for (dW, db), (W, _) in zip(grads, params)]
        grads, norm = clip_gradient_norm(grads, 0.3)
        assert run["grad_norms"][t] == pytest.approx(norm) and run["batch_losses"][t] == pytest.approx(loss)
        lr = 0.5 * 0.5 * (1 + math.cos(math.pi * t / 2))
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    for (W, b), (W_run, b_run) in zip(params, run["params"]):
        np.testing.assert_allclose(W_run, W, atol=1e-14)
        np.testing.assert_allclose(b_run, b, atol=1e-14)
    final = mlp_evaluate(params, data["X_test"], data["y_test"])
    assert run["test_loss"][-1] == pytest.approx(final["loss"]) and run["test_accuracy"][-1] == final["accuracy"]


def test_train_mlp_counts_steps_and_is_repeatable():
    data = make_two_moons(n_train=50, n_test=10, seed=0)
    runs = [train_mlp(data, optimizer=Optimizer("adam", 0.01), epochs=3, batch_size=20, keep_params=True)
            for _ in range(2)]
    assert runs[0]["steps"] == 9 and runs[0]["steps_per_epoch"] == 3 and len(runs[0]["params_per_epoch"]) == 4
    np.testing.assert_array_equal(runs[0]["train_loss"], runs[1]["train_loss"])


def test_a_blown_up_run_stops_and_says_where_and_clipping_prevents_it():
    data = make_two_moons()
    settings = dict(optimizer=Optimizer("sgd", 3.0), layer_sizes=(2, 32, 32, 32, 2), activation="relu", epochs=3)
    wild = train_mlp(data, **settings)
    assert wild["diverged_at"] is not None and wild["status"].startswith(f"diverged at step {wild['diverged_at']}")
    assert np.isnan(wild["train_loss"][-1])
    tame = train_mlp(data, clip_norm=1.0, **settings)
    assert tame["status"] is None and np.all(np.isfinite(tame["train_loss"]))


def test_the_saddle_is_where_the_gradient_vanishes_and_momentum_leaves_it_first():
    assert saddle_value(0.0, 0.0) == 0.0 and saddle_value(0.0, math.sqrt(2)) == pytest.approx(-1.0)
    np.testing.assert_allclose(saddle_gradient([0.0, math.sqrt(2)]), [0.0, 0.0], atol=1e-15)
    point = np.array([0.3, -0.7])
    np.testing.assert_allclose(saddle_gradient(point),
                               numerical_gradient(lambda p: float(saddle_value(p[0], p[1])), point), atol=1e-8)
    sgd = saddle_descent(Optimizer("sgd", 0.05), steps=100)
    momentum = saddle_descent(Optimizer("momentum", 0.05, momentum=0.9), steps=100)
    # near the saddle y grows by 1 + 2η per SGD step: 1e-6 · 1.1^100 ≈ 0.014, still on the saddle's level
    assert abs(sgd["points"][-1, 1]) == pytest.approx(1e-6 * 1.1**100, rel=0.01) and sgd["values"][-1] > -0.01
    assert momentum["values"][-1] < -0.9


def test_decision_boundary_titles_print_the_test_accuracy_as_the_tables_do():
    """One decimal: 0.955 of 200 test points is 95.5 %, which a whole-percent title showed as 96 %."""
    from helpers.panels.mlp import plot_mlp_decision_boundaries
    data = make_two_moons(n_train=20, n_test=200, seed=0)
    run = train_mlp(data, optimizer=Optimizer("adam", 0.01), epochs=30, batch_size=20, keep_params=True)
    figure = plot_mlp_decision_boundaries({"Adam": run}, data, [0, 1, 2, 5, 10, 30], title="t")
    shown = [ax for ax in figure.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in shown] == [f"epoch {e}: test accuracy {100 * run['test_accuracy'][e]:.1f}%"
                                                for e in (0, 1, 2, 5, 10, 30)]
    figure.canvas.draw()
    for ax in shown:  # three panels a row: the longest title still ends inside the figure
        box = ax.title.get_window_extent()
        assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1


def test_the_training_panel_keeps_its_legend_clear_of_a_bouncing_run_and_counts_one_step():
    """A run that bounces leaves by the top edge (loss 10): the key sits in the empty lower left."""
    from helpers.panels.mlp import mlp_training_panel
    panel = mlp_training_panel(epochs=3)
    panel.set(optimizer="rmsprop", lr=1.0, batch_size=200, epoch=3)
    right = panel.figure.axes[1]
    assert right.get_title() == "1 step per epoch"
    panel.figure.canvas.draw()
    box = right.get_legend().get_window_extent().transformed(right.transAxes.inverted())
    assert box.x1 < 0.5 and box.y1 < 0.5  # below loss 10^-1 on the 1e-3 … 10 axis, left of the middle epoch
    panel.set(batch_size=20)
    assert right.get_title() == "10 steps per epoch"


def test_the_training_panels_key_is_drawn_over_the_epochs_dotted_line():
    """The key's pixels are the same whether the epoch's dotted line runs through it (epoch 5) or not (epoch 30)."""
    import io
    from PIL import Image
    from helpers.panels.mlp import mlp_training_panel
    panel = mlp_training_panel()
    setting = dict(optimizer="rmsprop", lr=1.0)
    pictures = {epoch: np.asarray(Image.open(io.BytesIO(panel.render(**setting, epoch=epoch)))) for epoch in (5, 30)}
    right = panel.figure.axes[1]
    box = right.get_legend().get_window_extent()
    height = pictures[5].shape[0]
    rows, columns = slice(height - int(box.y1) + 1, height - int(box.y0) - 1), slice(int(box.x0) + 1, int(box.x1) - 1)
    marker_x = right.transData.transform((5, 1))[0]
    assert box.x0 < marker_x < box.x1, "epoch 5's line crosses the key"
    assert np.array_equal(pictures[5][rows, columns], pictures[30][rows, columns])


def _edge_crossings(epochs, losses, edge):
    """Where the straight line (on a log axis) between consecutive epochs' losses crosses the edge going out,
    worked out by hand: e + (log10 edge − log10 L_e) / (log10 L_e+1 − log10 L_e)."""
    logs, level = np.log10(losses), np.log10(edge)
    going_out = (lambda a, b: a <= level < b) if edge > 1 else (lambda a, b: a >= level > b)
    return [e + (level - logs[e]) / (logs[e + 1] - logs[e]) for e in epochs[:-1] if going_out(logs[e], logs[e + 1])]


@pytest.mark.parametrize("setting, edge, marker", [
    (dict(optimizer="rmsprop", lr=1.0, batch_size=200), 10.0, "^"),   # bounces to a loss of 126
    (dict(optimizer="sgd", lr=3.0, batch_size=5), 10.0, "^"),         # leaves the top 5 and 8 times
    (dict(optimizer="rmsprop", lr=0.1, batch_size=5), 1e-3, "v"),     # training loss below 0.001 from epoch 28
])
def test_the_training_panel_marks_where_a_loss_leaves_its_axis_instead_of_drawing_it_on_the_edge(setting, edge, marker):
    """A loss above 10 was drawn flat on the top edge, unmarked, like a loss of exactly 10."""
    from helpers.panels.mlp import mlp_training_panel
    panel = mlp_training_panel(epochs=30)
    panel.set(**setting, epoch=30)
    right = panel.figure.axes[1]
    assert right.get_ylim() == pytest.approx((1e-3, 10.0))
    run = train_mlp(make_two_moons(200, 200, noise=0.2, seed=0), optimizer=Optimizer(setting["optimizer"], setting["lr"]),
                    epochs=30, batch_size=setting["batch_size"], seed=0)
    curves = {line.get_label(): line for line in right.get_lines() if line.get_label() in ("training set", "test set")}
    triangles = [line for line in right.get_lines() if line.get_linestyle() == "None" and len(line.get_xdata())]
    beyond = 0
    for label, key in (("training set", "train_loss"), ("test set", "test_loss")):
        losses = run[key]
        np.testing.assert_allclose(curves[label].get_ydata(), losses)  # drawn as it is, the axes cut it off
        expected = _edge_crossings(np.arange(31), losses, edge)
        beyond += len(expected)
        mine = [line for line in triangles if line.get_color() == curves[label].get_color() and line.get_marker() == marker]
        found = sorted(x for line in mine for x in line.get_xdata())
        assert found == pytest.approx(expected, abs=1e-9), label
        assert all(y == edge for line in mine for y in line.get_ydata())
    assert beyond > 0  # the setting does leave the axis
    key = right.get_legend()
    assert "off the plot" in [text.get_text() for text in key.get_texts()]
    assert {"^", "v"} <= {line.get_marker() for line in key.findobj(Line2D)}  # its key shows a ▲ and a ▼
    panel.set(optimizer="adam", lr=0.1, batch_size=20)  # stays inside: no triangle left over from before
    assert not any(len(line.get_xdata()) for line in right.get_lines() if line.get_linestyle() == "None")


