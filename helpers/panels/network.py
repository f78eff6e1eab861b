"""Figures and the slider panel of chapter 5, the 2-2-2 tanh network trained step after step.

A step is one forward pass, one backward pass and one update; "after t steps" means t updates
have been made (t = 0 is the starting network, whose loss is 0.8274).
"""
from __future__ import annotations

import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..network import two_layer_history
from ..plots import COLORS, mark_divergence, new_figure, nice_limits
from ..validation import check_integer, check_number, check_positive
from ..widgets import SliderPanel, panel_factory

__all__ = ["TWO_LAYER_VARIANTS", "plot_two_layer_training",
           "plot_two_layer_layer_comparison", "two_layer_learning_rate_panel"]

#: How the figures draw each variant of TWO_LAYER_TRAINED (which parameters it updates).
TWO_LAYER_VARIANTS = {
    "both layers": {"color": COLORS["blue"], "style": "-"},
    "layer 2 only": {"color": COLORS["orange"], "style": "--"},
    "layer 1 only": {"color": COLORS["green"], "style": ":"},
}


def plot_two_layer_training(steps: int = 25, lr: float = 0.1):
    """Loss and ŷ1 (the probability of the true class) after each of ``steps`` SGD steps at η = ``lr``.

    ``steps`` in [1, 200], ``lr`` > 0. The first two losses (0.8274 and 0.7116 at η = 0.1) are labelled, and
    ŷ1 = 0.5, above which the network predicts the true class, is drawn dashed with the first step past it.
    The title says whether every step lowered the loss or names the first that raised it. Returns the Figure.
    """
    history = two_layer_history(lr, steps)
    t = history["steps_done"]
    figure, (loss_ax, prob_ax) = new_figure(1, 2, width=7.0, height=3.4)
    loss_ax.plot(t, history["loss"], "o-", markersize=3, color=COLORS["blue"])
    for k in (0, 1):
        loss_ax.annotate(f"{history['loss'][k]:.4f}", (t[k], history["loss"][k]), textcoords="offset points",
                         xytext=(8, 4), fontsize=9)
    loss_ax.set_xlabel("steps done $t$")
    loss_ax.set_ylabel("loss $L$")
    loss_ax.set_ylim(bottom=0)
    loss_ax.set_title("cross-entropy loss", fontsize=11)
    y_hat = history["y_hat"][:, 0]
    prob_ax.plot(t, y_hat, "o-", markersize=3, color=COLORS["green"])
    prob_ax.axhline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=":")
    prob_ax.axhline(0.5, color=COLORS["black"], linewidth=0.8, linestyle="--")
    right = np.flatnonzero(y_hat > 0.5)
    if right.size and right[0] > 0:  # the first step after which the network predicts the true class
        k = int(right[0])
        prob_ax.text(0.98, 0.5, f"above 0.5 (a right prediction)\nafter {k} step{'s' if k > 1 else ''}", fontsize=9,
                     ha="right", va="top", transform=prob_ax.get_yaxis_transform())  # under the line's right end
    prob_ax.set_ylim(min(0.4, np.floor(10 * np.nanmin(y_hat)) / 10), 1.02)
    prob_ax.set_xlabel("steps done $t$")
    prob_ax.set_ylabel(r"$\hat y_1$ (true class)")
    prob_ax.set_title("probability of the true class", fontsize=11)
    rises = np.flatnonzero(np.diff(history["loss"]) > 0)
    if rises.size:
        figure.suptitle(f"η = {lr:g}: step {rises[0] + 1} raises the loss (an overshoot)")
    else:
        figure.suptitle(f"η = {lr:g}: every step lowers the loss and moves $\\hat y_1$ toward 1")
    return figure


def plot_two_layer_layer_comparison(learning_rates=(0.1, 10.0)):
    """The loss after one step that updates layer 2 only, layer 1 only, or both, for each η in
    ``learning_rates`` (1 to 4 values, each > 0), against the starting loss; the title says, for each η, whether
    both together overshoot (raise the loss) or which choice does best. Returns the Figure."""
    if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates, (list, tuple, np.ndarray)):
        raise ValueError(f"learning_rates must be a list of 1 to 4 numbers > 0; got {learning_rates!r}")
    learning_rates = [check_positive("learning_rates", lr) for lr in learning_rates]
    if not 1 <= len(learning_rates) <= 4:
        raise ValueError(f"learning_rates must hold 1 to 4 values; got {len(learning_rates)}")
    figure, ax = new_figure(width=7.0, height=3.6)
    width = 0.8 / len(TWO_LAYER_VARIANTS)
    start = two_layer_history(learning_rates[0], 1)["loss"][0]
    losses = {}  # {variant: [loss after one step at each η]}
    for i, (name, variant) in enumerate(TWO_LAYER_VARIANTS.items()):
        after = losses[name] = [two_layer_history(lr, 1, name)["loss"][1] for lr in learning_rates]
        positions = np.arange(len(learning_rates)) + (i - 1) * width
        bars = ax.bar(positions, after, width=width * 0.95, color=variant["color"], label=name)
        # A loss too small to see as a bar still gets its size written: "≈ 1e-9", not "0.0000" ("≈ 0" below
        # float64's resolution: ŷ1 rounds to 1).
        labels = [f"{v:.4f}" if v >= 1e-3 else "≈ " + f"{v:.0e}".replace("e-0", "e-") if v > 0 else "≈ 0" for v in after]
        ax.bar_label(bars, labels=labels, fontsize=8, padding=2)
    ax.axhline(start, color=COLORS["black"], linewidth=1, linestyle="--", label=f"before the step: {start:.4f}")
    ax.set_xticks(np.arange(len(learning_rates)), [f"η = {lr:g}" for lr in learning_rates])
    ax.set_ylabel("loss after one step")
    ax.set_ylim(0, 1.15 * ax.get_ylim()[1])
    ax.legend(loc="upper left", fontsize=9)
    verdicts = []
    for k, lr in enumerate(learning_rates):
        both, best = losses["both layers"][k], min(losses, key=lambda name: losses[name][k])
        verdicts.append(f"at η = {lr:g} " + ("together they overshoot" if both > start else
                                               "both together do best" if best == "both layers" else f"{best} does best"))
    ax.set_title("Each layer's gradient assumes the other layer stands still:\n"
                 + textwrap.fill(", ".join(verdicts), 80))  # three or four η wrap onto a third line
    return figure


@panel_factory("network-learning-rate")
def two_layer_learning_rate_panel(lr: float = 0.1, steps: int = 20):
    """Sliders: the learning rate η (0.01 to 100, log scale) and the number of steps (1 to 50).

    Left: the loss after each step when SGD updates both layers, layer 2 only, or layer 1 only.
    Right: the hidden activations a[1] (full update); a too-large η flips and saturates them at ±1,
    where tanh′ ≈ 0 and layer 1 stops learning. ``lr`` and ``steps`` are the starting values.
    """
    lr = check_number("lr", lr, low=0.01, high=100.0)
    steps = check_integer("steps", steps, low=1, high=50)
    figure, (loss_ax, a1_ax) = new_figure(1, 2, width=7.0, height=3.8)
    loss_lines = {}
    for name, variant in TWO_LAYER_VARIANTS.items():
        (loss_lines[name],) = loss_ax.plot([], [], variant["style"], color=variant["color"], label=name,
                                           marker="o", markersize=3)
    # One legend row above both plots: inside the loss axes it would cover a curve at some η.
    figure.legend(handles=list(loss_lines.values()), loc="outside upper center", ncol=3, fontsize=9,
                  title="loss when SGD updates", title_fontsize=9, frameon=False)
    loss_ax.set_xlabel("steps done $t$")
    loss_ax.set_ylabel("loss $L$")
    a1_lines = [a1_ax.plot([], [], "o-", markersize=3, color=COLORS[c], label=f"$a^{{[1]}}_{i + 1}$")[0]
                for i, c in enumerate(("vermillion", "purple"))]
    for level in (-1.0, 1.0):
        a1_ax.axhline(level, color=COLORS["black"], linewidth=0.8, linestyle=":")
    # tanh never leaves [−1, 1]: the band above 1 is free for the legend.
    a1_ax.set_ylim(-1.1, 1.5)
    a1_ax.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
    a1_ax.set_xlabel("steps done $t$")
    a1_ax.set_ylabel(r"hidden activation $a^{[1]} = \tanh(z^{[1]})$")
    a1_ax.legend(loc="upper center", ncol=2, fontsize=9, frameon=False)
    a1_ax.set_title("hidden layer (both layers trained)", fontsize=11)
    for ax in (loss_ax, a1_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # whole steps

    def update(lr: float, steps: int):
        histories = {name: two_layer_history(lr, steps, name) for name in TWO_LAYER_VARIANTS}
        for name, history in histories.items():
            loss_lines[name].set_data(history["steps_done"], history["loss"])
        both = histories["both layers"]
        for i, line in enumerate(a1_lines):
            line.set_data(both["steps_done"], both["a1"][:, i])
        for ax in (loss_ax, a1_ax):
            ax.set_xlim(-0.5, max(steps, 5) + 0.5)
        finite = np.concatenate([h["loss"][np.isfinite(h["loss"])] for h in histories.values()])
        loss_ax.set_ylim(*nice_limits(0, max(1.0, 1.1 * finite.max())))  # round: nearby η share a kept frame
        loss_ax.set_title(f"η = {lr:.3g}: loss after each step", fontsize=11)
        diverged = [h["diverged_at"] for h in histories.values() if h["diverged_at"] is not None]
        status = f"diverged at step {min(diverged)}" if diverged else None
        mark_divergence(loss_ax, status)
        if status:
            return status
        notes = []
        loss = both["loss"]
        rises = np.flatnonzero(np.diff(loss) > 0)  # steps after which the loss was higher than before
        if rises.size:
            k = int(rises[0])
            later = f", and {rises.size - 1} later step{'s' if rises.size > 2 else ''} did too" if rises.size > 1 else ""
            notes.append(f"{'the first step' if k == 0 else f'step {k + 1}'} raised the loss "
                         f"({loss[k]:.3f} → {loss[k + 1]:.3f}){later}")
        if np.nanmax(np.abs(both["a1"])) > 0.99:
            notes.append("a hidden unit saturated (|a[1]| > 0.99, tanh′ < 0.02)")
        return "; ".join(notes) or None

    sliders = {
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-2, max=2, step=0.05, description="η",
                                     readout_format=".3g", continuous_update=True),
        "steps": widgets.IntSlider(value=steps, min=1, max=50, description="steps", continuous_update=True),
    }
    panel = SliderPanel(
        sliders, figure, update,
        description=("Slider panel: learning rate η (0.01 to 100) and number of steps (1 to 50) for the 2-2-2 "
                     "network; left, the loss when both layers, layer 2 only or layer 1 only are updated; "
                     "right, the hidden activations a[1], which a too-large η flips and saturates at ±1."),
        grid={"lr": [0.01, 0.1, 0.5, 1.0, 3.0, 10.0, 30.0, 100.0], "steps": [2, 5, 10, 20, 50]},
    )
    # Lay out once where the tick labels are widest ("1.75" on the loss axis at η = 10, "50" steps).
    return panel.freeze_layout(lr=10.0, steps=50, blit=True)
