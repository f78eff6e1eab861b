"""Figures and the slider panel of the chapter "Softmax and cross-entropy"."""
from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ..losses import cross_entropy_from_logits, cross_entropy_from_logits_gradient
from ..softmax import softmax
from ..plots import COLORS, new_figure
from ..validation import as_float_array, check_integer
from ..widgets import SliderPanel, panel_factory

__all__ = ["SOFTMAX_EXAMPLE_LOGITS", "plot_softmax_gradient_signs", "softmax_temperature_panel"]

#: The worked example of the chapter (source 001, section 5): three logits, the true class is the first.
SOFTMAX_EXAMPLE_LOGITS = (2.0, 1.0, 0.1)
#: exp(x) overflows float64 above this (log of the largest float, ≈ 709.78).
_EXP_LIMIT = math.log(np.finfo(np.float64).max)


def _logits_and_label(logits, label):
    z = as_float_array("logits", logits, ndim=1)
    if z.size < 2:
        raise ValueError(f"logits must hold at least 2 classes; got {z.size}")
    label = check_integer("label", label, low=0, high=z.size - 1)
    return z, label


_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _indexed(symbol: str, k: int, *, mathtext: bool = False) -> str:
    """``symbol`` with class number k + 1 as a subscript (z₁, y₂, ... for k = 0, 1, ...).

    Plain text by default: a slider panel redraws its labels on every change, and plain text draws
    faster than mathtext. Static figures ask for mathtext (``mathtext=True``), which reads better.
    """
    return f"${symbol}_{{{k + 1}}}$" if mathtext else f"{symbol}{k + 1}".translate(_SUBSCRIPT_DIGITS)


def plot_softmax_gradient_signs(logits=SOFTMAX_EXAMPLE_LOGITS, label: int = 0):
    """Probabilities a = softmax(z) beside the gradient ∂L/∂z = a − y, one bar per class.

    ``logits``: 1-D, at least 2 finite values; ``label``: the true class index in [0, n − 1]
    (0 is the first class, z₁). Negative gradient bars (the true class) mean "raise this logit",
    positive ones "lower it". Returns the Figure.
    """
    z, label = _logits_and_label(logits, label)
    a = softmax(z)
    gradient = cross_entropy_from_logits_gradient(z, label)
    positions = np.arange(z.size)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.6)

    colours = [COLORS["blue"] if k == label else COLORS["sky"] for k in positions]
    left.bar(positions, a, color=colours)
    left.bar([label], [1.0], fill=False, edgecolor=COLORS["black"], linewidth=1.5, linestyle="--",
             label=f"target {_indexed('y', label, mathtext=True)} = 1")
    for k in positions:
        left.text(k, a[k] + 0.02, f"{a[k]:.3f}", ha="center", va="bottom", fontsize=10)
    left.set_ylim(0, 1.15)
    left.set_ylabel("probability $a_k$")
    left.set_title("softmax output $a$ and target $y$")
    left.legend(loc="upper right")

    bar_colours = [COLORS["green"] if g < 0 else COLORS["vermillion"] for g in gradient]
    right.bar(positions, gradient, color=bar_colours)
    right.axhline(0, color=COLORS["black"], linewidth=0.8)
    for k in positions:
        words = "raise" if gradient[k] < 0 else "lower"
        offset = -0.04 if gradient[k] < 0 else 0.04
        right.text(k, gradient[k] + offset, f"{gradient[k]:+.3f}\n{words} {_indexed('z', k, mathtext=True)}",
                   ha="center", va="top" if gradient[k] < 0 else "bottom", fontsize=9)
    right.set_ylim(-1.25, 1.0)
    right.set_ylabel(r"$\partial L / \partial z_k = a_k - y_k$")
    right.set_title("gradient $a - y$")
    for ax in (left, right):
        ax.set_xticks(positions, [_indexed("z", k, mathtext=True) for k in positions])
        ax.set_xlabel("class")
    figure.suptitle("The true class gets a negative gradient, so descent raises its logit;\n"
                    "every other class gets a positive one, so descent lowers theirs")
    return figure


@panel_factory("softmax-temperature")
def softmax_temperature_panel(logits=SOFTMAX_EXAMPLE_LOGITS, label: int = 0):
    """Sliders: temperature T (0.001 to 100, log scale) and the true class; the logits become z / T.

    Shows a = softmax(z/T) and the gradient a − y (with respect to the scaled logits z/T) as bars,
    and the loss L(T) = −log a_label over T with the current T marked (a downward triangle on the
    bottom edge when L < 10⁻⁴, below the axis). ``logits``: 1-D, at least 2 finite values; ``label``:
    the starting true class in [0, n − 1]. Small T sharpens softmax towards one-hot (loss → 0 if the
    largest logit is the true class, loss → ∞ linearly in 1/T otherwise); large T flattens it towards
    uniform (loss → log n). When exp(z/T) would overflow, the status says so: the naive formula would
    return NaN there, the shifted one used here does not.
    """
    z, label = _logits_and_label(logits, label)
    n = z.size
    positions = np.arange(n)
    temperatures = np.geomspace(1e-3, 1e2, 241)
    loss_floor, loss_ceiling = 1e-4, 1e4
    figure, axes = new_figure(2, 2, width=7.0, height=6.0)
    bars_ax, gradient_ax = axes[0]
    gs = axes[1, 0].get_gridspec()
    axes[1, 0].remove()
    axes[1, 1].remove()
    loss_ax = figure.add_subplot(gs[1, :])

    probability_bars = bars_ax.bar(positions, np.full(n, 1 / n), color=COLORS["sky"])
    probability_labels = [bars_ax.text(k, 0, "", ha="center", va="bottom", fontsize=9) for k in positions]
    bars_ax.set_ylim(0, 1.2)
    bars_ax.set_ylabel("probability aₖ")
    gradient_bars = gradient_ax.bar(positions, np.zeros(n), color=COLORS["vermillion"])
    gradient_labels = [gradient_ax.text(k, 0, "", ha="center", fontsize=9) for k in positions]
    gradient_ax.axhline(0, color=COLORS["black"], linewidth=0.8)
    gradient_ax.set_ylim(-1.25, 1.25)
    gradient_ax.set_ylabel("gradient aₖ − yₖ")
    for ax in (bars_ax, gradient_ax):
        ax.set_xticks(positions, [_indexed("z", k) for k in positions])
    bars_ax.set_title("softmax(z / T); dark bar: true class", fontsize=11)
    gradient_ax.set_title("gradient with respect to z / T", fontsize=11)

    loss_curves = [[cross_entropy_from_logits(z / t, c) for t in temperatures] for c in range(n)]
    (loss_line,) = loss_ax.plot(temperatures, loss_curves[label], color=COLORS["black"], label="loss L(T)")
    (marker,) = loss_ax.plot([1.0], [1.0], "o", color=COLORS["vermillion"], markersize=8, label="current T",
                             clip_on=False)
    # The marker's other shape gets its own key entry: the text explains it, the picture should too.
    loss_ax.plot([], [], "v", color=COLORS["vermillion"], markersize=8, label="current T, when L < 0.0001")
    loss_ax.axhline(math.log(n), color=COLORS["purple"], linestyle=":", linewidth=1.5,
                    label=f"uniform guess: log {n} = {math.log(n):.3f}")
    loss_ax.set_xscale("log")
    loss_ax.set_yscale("log")
    loss_ax.set_xlim(temperatures[0] / 1.5, temperatures[-1] * 1.5)
    loss_ax.set_ylim(loss_floor, loss_ceiling)
    # Plain decimals read better than powers of ten here, and cost less to draw than mathtext.
    loss_ax.set_xticks([0.001, 0.01, 0.1, 1, 10, 100], ["0.001", "0.01", "0.1", "1", "10", "100"])
    loss_ax.set_yticks([1e-4, 1e-2, 1, 1e2, 1e4], ["0.0001", "0.01", "1", "100", "10000"])
    loss_ax.minorticks_off()
    loss_ax.set_xlabel("temperature T (logits divided by T)")
    loss_ax.set_ylabel("cross-entropy L")
    loss_ax.legend(loc="upper right", fontsize=9)  # every curve stays below 2 for T > 1
    figure.suptitle("Small T sharpens softmax towards one-hot: the loss falls to 0 if the largest logit is\n"
                    "the true class, else it grows like 1/T; large T flattens it and the loss nears log n",
                    fontsize=11)

    def update(temperature: float, true_class: int):
        scaled = z / temperature
        a = softmax(scaled)
        gradient = cross_entropy_from_logits_gradient(scaled, true_class)
        loss = cross_entropy_from_logits(scaled, true_class)
        for k in positions:
            probability_bars[k].set_height(a[k])
            probability_bars[k].set_color(COLORS["blue"] if k == true_class else COLORS["sky"])
            probability_labels[k].set_position((k, a[k] + 0.02))
            probability_labels[k].set_text(f"{a[k]:.3f}")
            gradient_bars[k].set_height(gradient[k])
            gradient_bars[k].set_color(COLORS["green"] if gradient[k] < 0 else COLORS["vermillion"])
            below = gradient[k] < 0
            gradient_labels[k].set_position((k, gradient[k] + (-0.04 if below else 0.04)))
            gradient_labels[k].set_verticalalignment("top" if below else "bottom")
            gradient_labels[k].set_text(f"{gradient[k]:+.3f}")
        loss_line.set_ydata(loss_curves[true_class])
        # Below the axis (L < 10⁻⁴, e.g. 0 for the largest logit at tiny T): a triangle on the edge points down.
        marker.set_data([temperature], [max(loss, loss_floor)])
        marker.set_marker("v" if loss < loss_floor else "o")
        loss_ax.title.set_text(f"T = {temperature:.3g}, true class {_indexed('z', true_class)}: L = {loss:.4g}")
        if np.max(np.abs(scaled)) > _EXP_LIMIT:
            return (f"exp(z/T) overflows here (|z/T| up to {np.max(np.abs(scaled)):.0f} > 709.78): "
                    "the naive softmax would give nan; the shifted one is fine")
        return None

    loss_ax.set_title(" ", fontsize=11)  # update() writes it
    sliders = {
        "temperature": widgets.FloatLogSlider(value=1.0, base=10, min=-3, max=2, step=0.05, description="T",
                                              readout_format=".3g", continuous_update=True),
        "true_class": widgets.Dropdown(options=[(f"z{k + 1}", k) for k in range(n)], value=label,
                                       description="true class"),
    }
    logits_text = ", ".join(f"{v:g}" for v in z)
    panel = SliderPanel(
        sliders, figure, update,
        description=(f"Slider panel: temperature T divides the logits [{logits_text}]; bars show softmax(z/T) "
                     "and the gradient a − y, the curve the loss against T."),
        grid={"temperature": [0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0], "true_class": list(range(n))},
    )
    for bar in (*probability_bars, *gradient_bars):  # they change on every move: drawn over the kept frames
        bar.set_animated(True)
    return panel.freeze_layout(temperature=100.0, fix_ticks=True, blit=True)  # T = 100: the longest loss title
