"""Figures and the slider panel of the chapter "Training a real network"."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D

from ..mlp import MLP_EXAMPLE, MLP_SCHEDULES, _forward, make_two_moons, saddle_value, train_mlp
from ..optimizers import OPTIMIZERS, Optimizer
from ..plots import COLORS, EDGE_MARKERS, PALETTE, new_figure, path_exits
from ..validation import check_flag, check_integer, check_positive, check_text
from ..widgets import RunCache, SliderPanel, panel_factory

__all__ = ["MLP_PANEL_OPTIMIZERS", "plot_mlp_data", "plot_mlp_history", "plot_mlp_schedules", "plot_mlp_batch_sizes",
           "plot_mlp_clipping", "plot_mlp_decision_boundaries", "plot_saddle_runs", "mlp_training_panel"]

MLP_PANEL_OPTIMIZERS = {name: OPTIMIZERS[name].label for name in ("sgd", "momentum", "rmsprop", "adam")}
_CLASS_COLORS = (COLORS["blue"], COLORS["orange"])
#: P(class 1) from blue (class 0 sure) through white (the boundary, 0.5) to orange (class 1 sure), in flat bands.
_PROBABILITY_MAP = LinearSegmentedColormap.from_list("class-probability", ["#9cc3e0", "white", "#f5d38a"])
_PROBABILITY_LEVELS = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
_BOX = (-2.2, 2.7, -1.6, 1.6)  # the plane shown around the two moons (x1 from, to, x2 from, to)
_RUN_KEYS = {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "lrs", "batch_losses", "grad_norms",
             "steps_per_epoch", "params", "params_per_epoch", "activation", "batch_size"}


def _check_runs(runs, low=1, high=8) -> dict:
    if not isinstance(runs, dict) or not low <= len(runs) <= high or not all(
            isinstance(label, str) and isinstance(run, dict) and _RUN_KEYS <= set(run) for label, run in runs.items()):
        raise ValueError(f"runs must be a dict of {low} to {high} {{label: result of train_mlp}}; got {runs!r}"[:200])
    return runs


def _check_data(data) -> dict:
    keys = ("X_train", "y_train", "X_test", "y_test")
    if not isinstance(data, dict) or not all(key in data for key in keys):
        raise ValueError(f"data must be a dict with {', '.join(keys)} (what make_two_moons returns); got {data!r}"[:200])
    return data


def _scatter(ax, X, y, *, hollow=False, size=14):
    for label, color in enumerate(_CLASS_COLORS):
        points = X[y == label]
        if hollow:
            ax.scatter(points[:, 0], points[:, 1], s=size, facecolors="none", edgecolors=color, linewidths=0.8)
        else:
            ax.scatter(points[:, 0], points[:, 1], s=size, color=color, edgecolors="white", linewidths=0.3)


def _plane_axes(ax):
    ax.set_xlim(_BOX[0], _BOX[1])
    ax.set_ylim(_BOX[2], _BOX[3])
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def plot_mlp_data(data):
    """The training points (filled) and the test points (hollow), blue class 0 and orange class 1.

    ``data``: what :func:`helpers.mlp.make_two_moons` returns. Returns the Figure."""
    data = _check_data(data)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.3)
    _scatter(left, np.asarray(data["X_train"]), np.asarray(data["y_train"]))
    _scatter(right, np.asarray(data["X_test"]), np.asarray(data["y_test"]), hollow=True)
    for ax, name, key in ((left, "training set", "y_train"), (right, "test set", "y_test")):
        _plane_axes(ax)
        ax.set_title(f"{name}: {len(data[key])} points", fontsize=10)
    right.set_ylabel("")
    figure.suptitle("Two moons: no straight line separates the classes,\nand the noise makes them overlap", fontsize=11)
    return figure


def _history_axes(left, right):
    left.set_yscale("log")
    left.set_ylabel("loss $L$ (mean cross-entropy)")
    right.set_ylabel("accuracy")
    for ax in (left, right):
        ax.set_xlabel("epoch")


def plot_mlp_history(runs, *, title: str, mark_lowest_test_loss: bool = False):
    """Loss (left, log scale) and accuracy (right) per epoch; training set solid, test set dashed.

    ``runs``: a dict of 1 to 8 {label: result of train_mlp}; ``title``: a string, what to notice;
    ``mark_lowest_test_loss``: True draws a dot where each run's test loss is lowest (where early stopping would
    stop). Returns the Figure."""
    runs = _check_runs(runs)
    title = check_text("title", title)
    mark = check_flag("mark_lowest_test_loss", mark_lowest_test_loss)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.8)
    for (label, run), color in zip(runs.items(), PALETTE):
        epochs = np.arange(len(run["train_loss"]))
        for ax, key in ((left, "loss"), (right, "accuracy")):
            ax.plot(epochs, run[f"train_{key}"], color=color, linewidth=1.4, label=label)
            ax.plot(epochs, run[f"test_{key}"], color=color, linewidth=1.4, linestyle="--")
        if mark and np.isfinite(run["test_loss"]).any():
            best = int(np.nanargmin(run["test_loss"]))
            left.plot([best], [run["test_loss"][best]], "o", color=color, markersize=6)
            right.plot([best], [run["test_accuracy"][best]], "o", color=color, markersize=6)
    _history_axes(left, right)
    left.plot([], [], color="0.4", linewidth=1.4, label="training set")
    left.plot([], [], color="0.4", linewidth=1.4, linestyle="--", label="test set")
    if mark:
        left.plot([], [], "o", color="0.4", label="lowest test loss")
    left.legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    return figure


def plot_mlp_schedules(runs, *, title: str):
    """Each run's learning rate η per step (top) above its training loss on all training points after each epoch
    (bottom, log scale), on one step axis.

    ``runs``: a dict of 1 to 8 {label: result of train_mlp}, one per schedule; ``title``: a string. Returns the Figure."""
    runs = _check_runs(runs)
    title = check_text("title", title)
    figure, (top, bottom) = new_figure(2, 1, width=7.0, height=5.6)
    top.get_gridspec().set_height_ratios([1, 2])
    bottom.sharex(top)
    for (label, run), color in zip(runs.items(), PALETTE):
        steps = np.arange(1, len(run["lrs"]) + 1)
        top.plot(steps, run["lrs"], color=color, linewidth=1.6, label=label)
        epoch_ends = np.arange(len(run["train_loss"])) * run["steps_per_epoch"]
        bottom.plot(epoch_ends, run["train_loss"], color=color, linewidth=1.8, marker="o", markersize=2.5, label=label)
    top.set_ylabel("learning rate η")
    bottom.set_yscale("log")
    bottom.legend(fontsize=8, ncols=2, loc="lower left")  # every loss starts near 0.8: the lower left stays empty
    bottom.set_ylabel("training loss $L$")
    bottom.set_xlabel("step")
    top.set_title("the schedule", fontsize=10)
    bottom.set_title("the training loss it gives (all training points, after each epoch)", fontsize=10)
    figure.suptitle(title, fontsize=11)
    return figure


def plot_mlp_batch_sizes(runs, *, title: str):
    """Test loss of each run against epochs (left) and against steps (right, log scale), measured after each epoch.

    ``runs``: a dict of 1 to 8 {label: result of train_mlp}, one per batch size; ``title``: a string. Returns the Figure."""
    runs = _check_runs(runs)
    title = check_text("title", title)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.8)
    right.sharey(left)
    for (label, run), color in zip(runs.items(), PALETTE):
        epochs = np.arange(len(run["test_loss"]))
        left.plot(epochs, run["test_loss"], color=color, linewidth=1.5, label=label)
        right.plot(epochs[1:] * run["steps_per_epoch"], run["test_loss"][1:], color=color, linewidth=1.5, marker="o",
                   markersize=2)
    right.set_xscale("log")
    left.set_xlabel("epoch (passes over the training set)")
    right.set_xlabel("step (log scale)")
    left.set_ylabel("test loss $L$")
    left.legend(fontsize=8)
    left.set_title("against epochs: the same arithmetic", fontsize=10)
    right.set_title("against steps (after each epoch)", fontsize=10)
    figure.suptitle(title, fontsize=11)
    return figure


def plot_mlp_clipping(runs, *, clip_norm: float, title: str):
    """Per step: each run's batch loss (left) and gradient norm ‖g‖ before clipping (right, with the cap c dotted);
    a run that diverged ends in a ✕.

    ``runs``: a dict of 1 to 8 {label: result of train_mlp}; ``clip_norm``: the cap c drawn, a number > 0;
    ``title``: a string. Returns the Figure."""
    runs = _check_runs(runs)
    clip_norm = check_positive("clip_norm", clip_norm)
    title = check_text("title", title)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.8)
    right.sharex(left)
    for (label, run), color in zip(runs.items(), PALETTE):
        steps = np.arange(1, len(run["batch_losses"]) + 1)
        for ax, key in ((left, "batch_losses"), (right, "grad_norms")):
            values = np.where(np.isfinite(run[key]), run[key], np.nan)
            ax.plot(steps, values, color=color, linewidth=1.0, label=label)
            if run.get("diverged_at"):
                last = run["diverged_at"]
                ax.plot([last], [values[last - 1]], "x", color=color, markersize=10, markeredgewidth=2.5)
    right.axhline(clip_norm, color=COLORS["black"], linestyle=":", linewidth=1.2, label=f"cap c = {clip_norm:g}")
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_xscale("log")
        ax.set_xlabel("step (log scale)")
    left.set_ylabel("batch loss $L$")
    right.set_ylabel("gradient norm ‖g‖ (before clipping)")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    return figure


def _probability_grid(params, activation, resolution=80):
    x1 = np.linspace(_BOX[0], _BOX[1], resolution)
    x2 = np.linspace(_BOX[2], _BOX[3], resolution)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(x1, x2)])
    with np.errstate(over="ignore", invalid="ignore"):
        logits = _forward(params, grid, activation)["z"][-1]
        probability = 1.0 / (1.0 + np.exp(np.clip(logits[:, 0] - logits[:, 1], -500, 500)))  # softmax's class 1
    return x1, x2, np.nan_to_num(probability, nan=0.5).reshape(resolution, resolution)


def _draw_boundary(ax, params, activation):
    """Bands of P(class 1) and the decision boundary P = 0.5; returns the artists (to remove on redraw)."""
    x1, x2, probability = _probability_grid(params, activation)
    filled = ax.contourf(x1, x2, probability, levels=_PROBABILITY_LEVELS, cmap=_PROBABILITY_MAP, zorder=0)
    artists = [filled]
    if probability.min() < 0.5 < probability.max():
        artists.append(ax.contour(x1, x2, probability, levels=[0.5], colors=[COLORS["black"]], linewidths=1.4, zorder=1))
    return artists


def plot_mlp_decision_boundaries(runs, data, epochs, *, title: str):
    """The decision boundary (决策边界, black: P(class 1) = 0.5) over the training points after each of the given
    epochs, one row per run (a single run's epochs wrap into rows of 3); the bands shade P(class 1) from blue (0)
    through white (0.5) to orange (1).

    ``runs``: a dict of 1 to 3 {label: result of train_mlp made with keep_params=True}; ``data``: the data they
    trained on (what make_two_moons returns); ``epochs``: whole numbers in [0, the runs' epochs], at most 6 panels
    in all; ``title``: a string. Returns the Figure."""
    if not isinstance(runs, dict) or not 1 <= len(runs) <= 3 or not all(
            isinstance(run, dict) and _RUN_KEYS <= set(run) and run["params_per_epoch"] for run in runs.values()):
        raise ValueError(f"runs must be a dict of 1 to 3 {{label: result of train_mlp with keep_params=True}}; "
                         f"got {runs!r}"[:200])
    data = _check_data(data)
    last = min(len(run["params_per_epoch"]) for run in runs.values()) - 1
    if isinstance(epochs, (str, bytes)) or not isinstance(epochs, (list, tuple)) or not epochs \
            or len(epochs) * len(runs) > 6:
        raise ValueError(f"epochs must be a list of whole numbers in [0, {last}], at most 6 panels in all "
                         f"({len(runs)} run(s)); got {epochs!r}"[:200])
    epochs = [check_integer("epochs", epoch, low=0, high=last) for epoch in epochs]
    title = check_text("title", title)
    ncols = len(epochs) if len(runs) > 1 else min(3, len(epochs))
    nrows = -(-len(epochs) * len(runs) // ncols)
    figure, axes = new_figure(nrows, ncols, width=7.0, height=0.6 + 2.3 * nrows)
    axes = np.atleast_1d(axes).ravel()
    X, y = np.asarray(data["X_train"]), np.asarray(data["y_train"])
    panels = [(label, run, epoch) for label, run in runs.items() for epoch in epochs]
    for ax, (label, run, epoch) in zip(axes, panels):
        _draw_boundary(ax, run["params_per_epoch"][epoch], run["activation"])
        _scatter(ax, X, y, size=6 if len(X) > 100 else 12)
        _plane_axes(ax)
        name = f"{label}, " if len(runs) > 1 else ""
        # to one decimal, as the tables print it (a whole percent showed 95.5 % as 96 %); 8 points fit three panels a row
        ax.set_title(f"{name}epoch {epoch}: test accuracy {run['test_accuracy'][epoch]:.1%}", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    figure.suptitle(title, fontsize=11)
    return figure


def plot_saddle_runs(runs, *, title: str):
    """Paths over f = x² − y² + y⁴/4 (left: contours, the saddle ✕ at (0, 0), the minima ● at (0, ±√2)) and f
    against step (right).

    ``runs``: a dict of 1 to 4 {label: result of saddle_descent}; ``title``: a string. Returns the Figure."""
    if not isinstance(runs, dict) or not 1 <= len(runs) <= 4 or not all(
            isinstance(run, dict) and {"points", "values"} <= set(run) for run in runs.values()):
        raise ValueError(f"runs must be a dict of 1 to 4 {{label: result of saddle_descent}}; got {runs!r}"[:200])
    title = check_text("title", title)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.6)
    x, y = np.meshgrid(np.linspace(-1.2, 1.2, 121), np.linspace(-2.0, 2.0, 161))
    left.contour(x, y, saddle_value(x, y), levels=np.arange(-1.0, 2.01, 0.25), colors="0.7", linewidths=0.7)
    left.plot([0], [0], "x", color=COLORS["black"], markersize=9, markeredgewidth=2, zorder=20)
    left.plot([0, 0], [np.sqrt(2), -np.sqrt(2)], "o", color=COLORS["black"], markersize=5, zorder=20)
    # paths that share a stretch stay visible: the first run is drawn on top, each with its own line style
    for index, ((label, run), color, style) in enumerate(zip(runs.items(), PALETTE, ("-", "--", ":", "-."))):
        left.plot(run["points"][:, 0], run["points"][:, 1], color=color, linewidth=1.4, linestyle=style, marker="o",
                  markersize=2, zorder=10 - index)
        right.plot(np.arange(len(run["values"])), run["values"], color=color, linewidth=1.6, linestyle=style,
                   label=label, zorder=10 - index)
    left.set_xlim(-1.2, 1.2)
    left.set_ylim(-2.0, 2.0)
    left.set_xlabel("$x$")
    left.set_ylabel("$y$")
    left.set_title("paths (✕ saddle, ● minima)", fontsize=10)
    right.axhline(-1.0, color=COLORS["black"], linestyle=":", linewidth=1)
    right.set_xlabel("step")
    right.set_ylabel("$f(x, y)$")
    right.set_title("f at each step (dotted: the minimum −1)", fontsize=10)
    right.legend(fontsize=8)
    figure.suptitle(title, fontsize=11)
    return figure


#: The panel's learning rates (a half-decade ladder) and batch sizes.
_PANEL_LRS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
_PANEL_BATCH_SIZES = (5, 10, 20, 50, 200)
#: The panel's loss axis (log scale), one scale for every setting: a bouncing run passes 10 (RMSProp at η = 1, B = 200
#: reaches 126), a long RMSProp run falls below 0.001 (2.6e-5 after 100 epochs at η = 0.1, B = 5).
_LOSS_LIMITS = (1e-3, 10.0)


def _loss_exits(losses: np.ndarray) -> list:
    """Where a loss curve (loss L after epoch 0, 1, …; NaN after a divergence ends it) leaves the log axis
    _LOSS_LIMITS: :func:`~helpers.plots.path_exits` of the points (epoch, log₁₀ L), between which a log axis draws
    straight lines. Returns the list of PathExit (x the epoch, fractional, where the line crosses the edge)."""
    finite = np.isfinite(losses)
    kept = losses.size if finite.all() else int(np.argmin(finite))  # the epochs before the first NaN
    if kept == 0:
        return []
    log_losses = np.log10(np.maximum(losses[:kept], 1e-300))  # an exact 0 lies below every edge
    return path_exits(np.arange(kept), log_losses, (0, losses.size - 1), np.log10(_LOSS_LIMITS))


@panel_factory("mlp-training")
def mlp_training_panel(epochs: int = 30, seed: int = 0):
    """Sliders: optimizer, learning rate η (0.001 … 3), schedule, batch size B (5 … 200) and the epoch shown.
    Left: the decision boundary after that epoch over the training points; right: loss per epoch (training solid,
    test dashed) with the epoch marked; a loss beyond the axis (above 10 or below 0.001) is cut off by it, a ▲ or ▼
    on the edge where its curve leaves. Each setting trains once (cached), so moving the epoch only redraws.

    On the chapter's data (make_two_moons with the MLP_EXAMPLE settings) and network (2-16-16-2 tanh), for
    ``epochs`` (a whole number in [1, 100]) epochs; ``seed`` (a whole number ≥ 0) draws the data, the start
    and the batches."""
    epochs = check_integer("epochs", epochs, low=1, high=100)
    seed = check_integer("seed", seed, low=0)
    data = make_two_moons(MLP_EXAMPLE["n_train"], MLP_EXAMPLE["n_test"], noise=MLP_EXAMPLE["noise"], seed=seed)
    style = {"description_width": "90px"}
    sliders = {
        "optimizer": widgets.Dropdown(options=[(label, key) for key, label in MLP_PANEL_OPTIMIZERS.items()],
                                      value="adam", description="optimizer", style=style),
        "lr": widgets.SelectionSlider(options=[(f"{lr:g}", lr) for lr in _PANEL_LRS], value=0.1,
                                      description="η (lr)", style=style),
        "schedule": widgets.Dropdown(options=list(MLP_SCHEDULES), value="constant", description="schedule",
                                     style=style),
        "batch_size": widgets.SelectionSlider(options=list(_PANEL_BATCH_SIZES), value=MLP_EXAMPLE["batch_size"],
                                              description="batch size B", style=style),
        "epoch": widgets.IntSlider(value=epochs, min=0, max=epochs, description="epoch", style=style),
    }
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.6)
    left.get_gridspec().set_width_ratios([1.25, 1])
    X, y = data["X_train"], data["y_train"]
    _scatter(left, X, y, size=7)
    # The bands change on every move, so they are drawn over the kept frame; the points and the axes' edges that lie
    # on them are drawn after them (the grid stays under them).
    for artist in (*left.collections, *left.spines.values()):
        artist.set_animated(True)
    _plane_axes(left)
    lines = {key: right.plot([], [], color=color, linewidth=1.5, linestyle=style_, label=label)[0]
             for key, color, style_, label in (("train_loss", COLORS["blue"], "-", "training set"),
                                               ("test_loss", COLORS["vermillion"], "--", "test set"))}
    # A triangle where a curve leaves the axis, on the edge it crosses (unclipped, so out of the layout's sight), as
    # chapters 1, 2 and 10 mark it: else a loss of 50 cut off at the top would look like one of 10. The training
    # set's is smaller and drawn over the test set's: where both curves leave together (they often do) both show.
    exits = {(key, edge): right.plot([], [], linestyle="none", marker=EDGE_MARKERS[edge], markersize=size,
                                     color=line.get_color(), markeredgecolor=COLORS["black"], markeredgewidth=0.8,
                                     clip_on=False, zorder=zorder)[0]
             for (key, line), size, zorder in zip(lines.items(), (5, 8), (4, 3)) for edge in ("top", "bottom")}
    for exit_marker in exits.values():
        exit_marker.set_in_layout(False)
    marker = right.axvline(epochs, color=COLORS["black"], linestyle=":", linewidth=1.2)
    right.set_yscale("log")
    right.set_xlim(0, epochs)
    right.set_ylim(*_LOSS_LIMITS)
    right.set_xlabel("epoch")
    right.set_ylabel("loss $L$")
    # The key sits in the empty lower left (losses start near 0.7, a bouncing run leaves by the top edge), so it is short.
    key = {"training set": lines["train_loss"], "test set": lines["test_loss"],
           "off the plot": tuple(Line2D([], [], linestyle="none", marker=EDGE_MARKERS[edge], markersize=6, color="0.6",
                                           markeredgecolor=COLORS["black"], markeredgewidth=0.8) for edge in ("top", "bottom"))}
    legend = right.legend(key.values(), key.keys(), handler_map={tuple: HandlerTuple(ndivide=None)}, fontsize=8,
                          framealpha=1.0, loc="lower left")
    legend.set_animated(True)  # opaque, drawn over the curves and the epoch's dotted line (drawn over the kept frame)
    figure.suptitle("The boundary bends to the moons as training goes; too large an η, and it never settles",
                    fontsize=11)
    drawn = []

    cache = RunCache(64)  # trained once per setting (the epoch slider only redraws); ≤ 64 runs, about 6 MB

    def run(optimizer, lr, schedule, batch_size):
        return cache.get((optimizer, lr, schedule, batch_size),
                         lambda: train_mlp(data, optimizer=Optimizer(optimizer, lr), schedule=schedule, epochs=epochs,
                                           batch_size=batch_size, seed=seed, keep_params=True))

    def update(optimizer, lr, schedule, batch_size, epoch):
        result = run(optimizer, lr, schedule, batch_size)
        for artist in drawn:
            artist.remove()
        drawn.clear()
        reached = len(result["params_per_epoch"]) - 1  # a diverged run keeps the epochs it finished
        shown = min(epoch, reached)
        drawn.extend(_draw_boundary(left, result["params_per_epoch"][shown], result["activation"]))
        for artist in drawn:  # new on every move: drawn over the kept frames
            artist.set_animated(True)
        for key, line in lines.items():
            losses = np.minimum(result[key], 1e300)  # an overflowed loss (inf) would blank the axes; NaN ends the curve
            line.set_data(np.arange(epochs + 1), losses)  # the axes cut a loss beyond them, not drawn on the edge
            left_at = _loss_exits(losses)
            for edge, height in (("bottom", _LOSS_LIMITS[0]), ("top", _LOSS_LIMITS[1])):
                crossings = [exit_.x for exit_ in left_at if exit_.edge == edge]
                exits[key, edge].set_data(crossings, [height] * len(crossings))
        marker.set_xdata([epoch, epoch])
        left.set_title(f"{MLP_PANEL_OPTIMIZERS[optimizer]}, η = {lr:g}, {schedule}, B = {batch_size}: epoch {shown}",
                       fontsize=9)
        right.set_title(f"{result['steps_per_epoch']} step{'s' if result['steps_per_epoch'] > 1 else ''} per epoch", fontsize=9)
        if result["status"]:
            return f"{result['status']}: the boundary shown is the last finished epoch's"
        return (f"epoch {shown}: training accuracy {result['train_accuracy'][shown]:.1%}, "
                f"test accuracy {result['test_accuracy'][shown]:.1%}")

    grid = {"optimizer": list(MLP_PANEL_OPTIMIZERS), "lr": [0.01, 0.1, 1.0], "epoch": [1, 5, epochs]}
    panel = SliderPanel(sliders, figure, update, grid=grid,
                        description=f"Slider panel: optimizer, η, schedule, batch size B and the epoch shown "
                                    f"(decision boundary and loss curves, {epochs} epochs on two moons)")
    return panel.freeze_layout(fix_ticks=True, blit=True)
