"""Figures and the slider panel of the chapter "Batch, stochastic and mini-batch gradient descent"."""
from __future__ import annotations


import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import NullLocator

from ..batching import (BATCHING_EXAMPLE, _check_data, check_batch_size, least_squares_fit, make_regression_data,
                        minibatch_gradient_noise, run_minibatch_descent, sampled_gradient_noise)
from ..plots import COLORS, PALETTE, mark_divergence, new_figure, nice_limits
from ..validation import as_float_array, check_integer, check_number
from ..widgets import RunCache, SliderPanel, panel_factory
from .landscapes import _few_log_ticks

__all__ = ["batching_label", "plot_batching_losses", "plot_batching_noise", "batching_panel"]


def batching_label(batch_size: int, n_samples: int) -> str:
    """"full batch (B = 100)", "stochastic (B = 1)" or "mini-batch (B = 20)".

    ``batch_size``: a whole number in [1, n_samples]; ``n_samples``: a whole number ≥ 1."""
    batch_size = check_batch_size(batch_size, n_samples)
    kind = "full batch" if batch_size == n_samples else "stochastic" if batch_size == 1 else "mini-batch"
    return f"{kind} (B = {batch_size})"


def _loss_axes(left, right, floor):
    left.set_xscale("log")
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_ylabel("loss $L$ (MSE, all samples)")
        ax.axhline(floor, color=COLORS["black"], linestyle=":", linewidth=1)
    left.set_xlabel("step (log scale)")
    right.set_xlabel("epoch")


def _clear_place(ax, lines) -> dict:
    """Where a three-line note on ``ax`` (linear x, log y) stays off ``lines``: the middle right, else the
    bottom right (over the floor), else the top left; tested on each line's points and 10 between each pair."""
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), np.log10(ax.get_ylim())
    u, v = [], []
    for line in lines:
        x, y = np.asarray(line.get_xdata(), dtype=float), np.log10(np.asarray(line.get_ydata(), dtype=float))
        if x.size:
            fine = np.linspace(0, x.size - 1, 10 * x.size)
            u.append((np.interp(fine, np.arange(x.size), x) - x_low) / (x_high - x_low))
            v.append((np.interp(fine, np.arange(x.size), y) - y_low) / (y_high - y_low))
    u, v = (np.concatenate(values) if values else np.empty(0) for values in (u, v))
    places = (((0.3, 0.45, 1.0, 0.75), {"position": (0.96, 0.6), "ha": "right", "va": "center"}),
              ((0.3, 0.14, 1.0, 0.4), {"position": (0.96, 0.16), "ha": "right", "va": "bottom"}),
              ((0.0, 0.7, 0.7, 1.0), {"position": (0.04, 0.96), "ha": "left", "va": "top"}))
    for (u0, v0, u1, v1), place in places:
        if not np.any((u > u0) & (u < u1) & (v > v0) & (v < v1)):
            return place
    return places[0][1]


def plot_batching_losses(runs: list, X, y):
    """Full-data loss of each run against steps (left) and against epochs (right).

    ``runs``: a list of results of ``run_minibatch_descent`` on (X, y) (1 to 8 of them); ``X`` (n, d) and
    ``y`` (n,): the data they ran on. The dotted line is the least-squares minimum. Returns the Figure.
    """
    X, y = _check_data(X, y)
    keys = {"batch_size", "steps", "losses", "epoch_losses"}
    if not isinstance(runs, (list, tuple)) or not all(isinstance(run, dict) and keys <= set(run) for run in runs):
        raise ValueError(f"runs must be a list of results of run_minibatch_descent; got {runs!r}"[:200])
    if not 1 <= len(runs) <= 8:
        raise ValueError(f"runs must hold 1 to 8 results of run_minibatch_descent; got {len(runs)}")
    for run in runs:
        check_batch_size(run["batch_size"], len(X))
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.8)
    n = len(X)
    for run, color in zip(runs, PALETTE):
        label = f"{batching_label(run['batch_size'], n)}: {run['steps']} steps"
        left.plot(np.arange(len(run["losses"])), run["losses"], color=color, linewidth=1.2, label=label)
        right.plot(np.arange(len(run["epoch_losses"])), run["epoch_losses"], color=color, marker="o", markersize=2.5,
                   linewidth=1.2, label=batching_label(run["batch_size"], n))
    _loss_axes(left, right, least_squares_fit(X, y)["loss"])
    left.set_xlim(1, None)
    left.legend(fontsize=8)
    left.set_title("against steps", fontsize=10)
    right.set_title("against epochs (passes over the data)", fontsize=10)
    figure.suptitle("At one shared η, small batches get there first per epoch;\n"
                    "one-sample steps never settle (the end of §4 gives each method its own η;\n"
                    "dotted: the least-squares minimum)", fontsize=11)
    return figure


def plot_batching_noise(X, y, w, b, *, batch_sizes=(1, 2, 5, 10, 20, 50, 100), draws: int = 1000):
    """Gradient noise E‖g_𝓑 − ḡ‖² against batch size B: the exact formula (line) and random batches (dots).

    Evaluated at parameters (w, b); log-log axes. ``X`` (n, d) and ``y`` (n,): the data; ``w`` (d,), ``b``:
    finite; ``batch_sizes``: whole numbers in [1, n], at least one below n (the full batch has no noise and is
    left out); ``draws``: random batches per size, a whole number ≥ 1. Returns the Figure.
    """
    X, y = _check_data(X, y)
    n = len(X)
    as_float_array("w", w, shape=(X.shape[1],))
    check_number("b", b)
    draws = check_integer("draws", draws, low=1)
    if isinstance(batch_sizes, (str, bytes)) or not isinstance(batch_sizes, (list, tuple, np.ndarray)):
        raise ValueError(f"batch_sizes must be a list of whole numbers in [1, {n}]; got {batch_sizes!r}")
    try:
        checked = [check_batch_size(size, n) for size in batch_sizes]
    except ValueError:
        raise ValueError(f"batch_sizes must be whole numbers in [1, n_samples] = [1, {n}]; got {list(batch_sizes)!r}"
                         [:200]) from None
    if not any(size < n for size in checked):
        raise ValueError(f"batch_sizes must include a size below the {n} samples (the full batch has no noise); "
                         f"got {list(batch_sizes)!r}"[:200])
    sizes = np.array([size for size in checked if size < n])  # the full batch has no noise: not drawable on a log axis
    exact = [minibatch_gradient_noise(X, y, w, b, s) for s in sizes]
    sampled = [sampled_gradient_noise(X, y, w, b, s, draws=draws) for s in sizes]
    figure, ax = new_figure(width=7.0, height=3.6)
    ax.plot(sizes, exact, color=COLORS["blue"], label="formula (N − B)/(B(N − 1)) · spread")
    ax.plot(sizes, sampled, "o", color=COLORS["orange"], label=f"{draws} random batches each")
    ax.plot(sizes, exact[0] / sizes, color=COLORS["black"], linestyle=":", linewidth=1.2, label="∝ 1/B")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [str(size) for size in sizes])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("batch size B (log scale)")
    ax.set_ylabel(r"$\mathbb{E}\,\|g_{\mathcal{B}} - \bar{g}\|^2$ (expected squared error)")
    ax.legend(fontsize=9)
    ax.set_title(f"Gradient noise falls like 1/B, and faster as B nears N = {n}\n(at B = N it is 0: every batch is the whole set)")
    return figure


@panel_factory("batching-batch-size")
def batching_panel(epochs: int = 50, seed: int = 0):
    """Sliders: batch size B (1 … 100) and learning rate η (log scale 1e-3 … 2), on the chapter's data set
    (100 samples, 3 features) for ``epochs`` (1 … 500) epochs. The full batch at the same η is drawn in grey
    for reference. The status line gives the step count, or where the run diverged (said on both plots: the
    epoch plot's points are epoch ends, so it names the epoch the run did not finish). ``seed`` (a whole
    number ≥ 0) draws the data set and the batches."""
    epochs = check_integer("epochs", epochs, low=1, high=500)
    data = make_regression_data(seed=check_integer("seed", seed, low=0))
    X, y = data["X"], data["y"]
    n = len(X)
    style = {"description_width": "90px"}
    sliders = {
        "batch_size": widgets.IntSlider(value=20, min=1, max=n, description="batch size B", style=style),
        "lr": widgets.FloatLogSlider(value=BATCHING_EXAMPLE["lr"], base=10, min=-3, max=np.log10(2.0), step=0.01,
                                     description="η (lr)", readout_format=".3g", style=style),
    }
    figure, (left, right) = new_figure(1, 2, width=7.0, height=4.0)
    figure.suptitle("Smaller batches: more steps per epoch, so faster per epoch, but noisier; too large an η\n"
                    "diverges, B = 1 first (blue: chosen B; grey: full batch, same η; dotted: least-squares floor)",
                    fontsize=10.5)
    # the headline says which line is which: a legend inside the axes would lie on the curves at some setting
    (reference_steps,) = left.plot([], [], color="0.6", linewidth=1.2)
    (chosen_steps,) = left.plot([], [], color=COLORS["blue"], linewidth=1.2)
    (reference_epochs,) = right.plot([], [], color="0.6", linewidth=1.2)
    (chosen_epochs,) = right.plot([], [], color=COLORS["blue"], marker="o", markersize=2.5, linewidth=1.2)
    _loss_axes(left, right, least_squares_fit(X, y)["loss"])
    for axis in (left.xaxis, left.yaxis, right.yaxis):
        _few_log_ticks(axis)
    # the divergence note in the top left corner: a diverging loss starts low there and rises to the right
    mark_divergence(left, None).set(position=(0.04, 0.96), ha="left", va="top")
    # the epoch plot draws a loss at each epoch's end only: a run that diverges within an epoch has none for it
    mark_divergence(right, None).set(fontsize=10)

    cache = RunCache(128)  # a slider dragged back and forth revisits the same runs; ≤ 128 runs, ≤ 10 MB at 50 epochs

    def run(batch_size, lr):
        return cache.get((batch_size, lr), lambda: run_minibatch_descent(X, y, batch_size=batch_size, lr=lr,
                                                                          epochs=epochs, seed=seed))

    def update(batch_size, lr):
        chosen, reference = run(batch_size, lr), run(n, lr)
        for result, by_step, by_epoch in ((chosen, chosen_steps, chosen_epochs),
                                            (reference, reference_steps, reference_epochs)):
            kept = result["steps"] if result["diverged_at"] is None else result["diverged_at"]
            by_step.set_data(np.arange(kept), result["losses"][:kept])  # only the finite part is drawn
            finished = np.isfinite(result["epoch_losses"])
            by_epoch.set_data(np.arange(epochs + 1)[finished], result["epoch_losses"][finished])
        drawn = np.concatenate([line.get_ydata() for line in (chosen_steps, reference_steps)])
        # Limits on round numbers (nice_limits): nearby B and η share them, so a move mostly reuses a kept frame.
        # They follow the drawn lines: a run that diverges within a few steps fills the axes, not its corner.
        last_step = max(len(line.get_xdata()) - 1 for line in (chosen_steps, reference_steps))
        left.set_xlim(*nice_limits(1, max(last_step, 2), log=True))
        last_epoch = max(line.get_xdata()[-1] for line in (chosen_epochs, reference_epochs))
        right.set_xlim(0, min(nice_limits(0, max(last_epoch, 1), pieces=5)[1], epochs))
        limits = nice_limits(min(drawn.min(), 0.1) * 0.8, max(drawn.max(), 40) * 1.5, log=True,  # 0.1: below the floor
                             pieces=8)
        for ax in (left, right):
            ax.set_ylim(*limits)
        steps_per_epoch = chosen["steps_per_epoch"]
        left.set_title(f"{batching_label(batch_size, n)}: {steps_per_epoch} step{'s' if steps_per_epoch > 1 else ''} "
                       "per epoch", fontsize=10)
        right.set_title(f"η = {lr:.3g}, {epochs} epochs", fontsize=10)
        mark_divergence(left, chosen["status"] and f"diverged at step {chosen['diverged_at']}")  # fits the axes
        if chosen["status"]:
            epoch = -(-chosen["diverged_at"] // steps_per_epoch)
            note = mark_divergence(right, f"diverged in epoch {epoch}:\nno loss at its end" + (
                " (blue: only\nthe start, epoch 0)" if epoch == 1 else f"\n(blue: epochs 0-{epoch - 1})"))
            note.set(**_clear_place(right, (chosen_epochs, reference_epochs)))
        else:
            mark_divergence(right, None)
        if chosen["status"]:
            return chosen["status"]
        return (f"{chosen['steps']} steps; loss after the last epoch {chosen['epoch_losses'][-1]:.4f}"
                + (" (full batch: diverged)" if reference["status"] else f" (full batch: {reference['epoch_losses'][-1]:.4f})"))

    # room for the chapter's setting, one-sample steps at the smallest η and a divergence at the largest
    grid = {"batch_size": [1, 2, 5, 10, 20, 50, 100], "lr": [0.005, 0.02, 0.05, 0.1, 0.3, 1.0, 2.0]}
    panel = SliderPanel(sliders, figure, update, grid=grid,
                        description=f"Slider panel: batch size B and η on 100 samples, {epochs} epochs "
                                    "(loss against steps and against epochs)")
    return panel.freeze_layout({"batch_size": 20, "lr": BATCHING_EXAMPLE["lr"]}, {"batch_size": 1, "lr": 1e-3},
                               {"batch_size": 1, "lr": 2.0}, blit=True)
