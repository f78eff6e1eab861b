"""Figures and the slider panel of the chapter "Loss functions: MAE, MSE, cross-entropy, BCE"."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..losses import best_constant_predictions, binary_cross_entropy
from ..plots import COLORS, new_figure, nice_limits
from ..validation import as_float_array, check_number
from ..widgets import SliderPanel, panel_factory

__all__ = ["OUTLIER_EXAMPLE_DATA", "plot_regression_loss_penalties", "plot_cross_entropy_curves",
           "mae_mse_outlier_panel"]

#: Four ordinary measurements (the source's targets 3.0, 5.0, 2.5 and one more); the panel adds a fifth.
OUTLIER_EXAMPLE_DATA = (2.5, 3.0, 4.0, 5.0)


def plot_regression_loss_penalties(max_error: float = 3.0):
    """Per-sample penalty and its gradient against the error r = ŷ − y: |r| and r², sign(r) and 2r
    (sign(0) = 0 drawn as a dot where the two flat pieces of sign(r) break off).

    ``max_error``: the half-width of the r axis, a number in (0, 100]. Returns the Figure.
    """
    max_error = check_number("max_error", max_error, low=0.0, high=100.0, low_open=True)
    r = np.linspace(-max_error, max_error, 401)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.4)
    left.plot(r, np.abs(r), color=COLORS["blue"], label="MAE term $|r|$")
    left.plot(r, r**2, color=COLORS["orange"], label="MSE term $r^2$")
    left.set_ylabel("penalty")
    left.set_title("penalty per sample")
    # sign(r) jumps at r = 0, where it is 0 (as PyTorch takes it): two flat pieces and a dot, not a vertical line.
    right.plot(r, np.where(r == 0, np.nan, np.sign(r)), color=COLORS["blue"], label=r"MAE: sign$(r)$")
    right.plot([0.0], [0.0], "o", color=COLORS["blue"], markersize=5)
    right.annotate("sign(0) = 0", xy=(0.0, 0.0), xytext=(0.3, -1.2), fontsize=9, color=COLORS["blue"],
                   arrowprops=dict(arrowstyle="-", color=COLORS["blue"], linewidth=0.8))
    right.plot(r, 2 * r, color=COLORS["orange"], label="MSE: $2r$")
    right.set_ylabel(r"$\partial\,$penalty$/\partial \hat y$")
    right.set_title("gradient per sample")
    for ax in (left, right):
        ax.axhline(0, color=COLORS["black"], linewidth=0.6)
        ax.set_xlabel(r"error $r = \hat y - y$")
        ax.legend(loc="upper center", fontsize=9)
    figure.suptitle("MSE's pull grows with the error, so one outlier dominates;\n"
                    "MAE pulls with ±1 whatever the size of the error")
    return figure


def plot_cross_entropy_curves():
    """−log p for the true class's probability p, and BCE against the prediction ŷ for labels y = 1 and y = 0.

    Returns the Figure; probabilities run over [0.001, 0.999] (the loss is infinite at the ends).
    """
    p = np.linspace(0.001, 0.999, 500)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.4)
    left.plot(p, -np.log(p), color=COLORS["blue"])
    left.set_xlabel("probability of the true class $a_y$")
    left.set_ylabel(r"cross-entropy $-\log a_y$")
    left.set_title("cross-entropy of one sample")
    for label, colour in ((1.0, COLORS["green"]), (0.0, COLORS["vermillion"])):
        losses = binary_cross_entropy(p, np.full_like(p, label), reduction="none")
        right.plot(p, losses, color=colour, label=f"label $y = {label:g}$")
    right.set_xlabel(r"predicted probability $\hat y$ of class 1")
    right.set_ylabel("binary cross-entropy")
    right.set_title("BCE for each label")
    right.legend(loc="upper center", fontsize=9)
    for ax in (left, right):
        ax.set_ylim(0, 7)
    figure.suptitle("A confident wrong answer costs without bound;\n"
                    "a confident right one costs almost nothing")
    return figure


@panel_factory("losses-mae-mse-outlier")
def mae_mse_outlier_panel(data=OUTLIER_EXAMPLE_DATA):
    """Slider: the value of one extra measurement (0 to 100) added to ``data``.

    Left: the points and the best constant prediction under MSE (the mean) and under MAE (the median).
    Right: both best constants against the outlier's value, with the current value marked; the mean
    follows the outlier in a straight line, the median stays inside the ordinary data.
    ``data``: 1-D, at least 2 finite values in [0, 100].
    """
    data = as_float_array("data", data, ndim=1)
    if data.size < 2 or data.min() < 0 or data.max() > 100:
        raise ValueError(f"data must hold at least 2 values in [0, 100]; got {data.tolist()}")
    outliers = np.linspace(0, 100, 201)
    best_constants = [best_constant_predictions(np.append(data, o)) for o in outliers]

    figure, (points_ax, trend_ax) = new_figure(1, 2, width=7.0, height=4.0)
    indices = np.arange(1, data.size + 1)
    points_ax.plot(indices, data, "o", color=COLORS["black"], label="data")
    (outlier_point,) = points_ax.plot([data.size + 1], [0.0], "o", color=COLORS["vermillion"], markersize=9,
                                      label="extra point")
    mean_line = points_ax.axhline(0, color=COLORS["orange"], linewidth=2, label="MSE's best: mean")
    median_line = points_ax.axhline(0, color=COLORS["blue"], linewidth=2, linestyle="--", label="MAE's best: median")
    points_ax.set_xlim(0.5, data.size + 1.5)
    points_ax.yaxis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))  # labels of at most 3 characters
    points_ax.set_xticks(np.arange(1, data.size + 2))
    points_ax.set_xlabel("sample")
    points_ax.set_ylabel("value yᵢ")
    points_ax.legend(loc="upper left", fontsize=9)

    trend_ax.plot(outliers, [best["mse"] for best in best_constants], color=COLORS["orange"], label="mean (MSE)")
    trend_ax.plot(outliers, [best["mae"] for best in best_constants], color=COLORS["blue"], linestyle="--",
                  label="median (MAE)")
    (mean_marker,) = trend_ax.plot([0], [0], "o", color=COLORS["orange"], markersize=8)
    (median_marker,) = trend_ax.plot([0], [0], "o", color=COLORS["blue"], markersize=8)
    trend_ax.set_xlim(-4, 104)   # room for the markers at both ends of the slider
    trend_ax.set_xlabel("value of the extra point")
    trend_ax.set_ylabel("best constant prediction c")
    trend_ax.set_title("best c as the extra point moves", fontsize=11)
    trend_ax.legend(loc="upper left", fontsize=9)
    figure.suptitle("MSE's best constant (the mean) follows the extra point;\n"
                    "MAE's (the median) stays with the ordinary data", fontsize=11)

    def update(outlier: float):
        best = best_constant_predictions(np.append(data, outlier))
        outlier_point.set_ydata([outlier])
        mean_line.set_ydata([best["mse"], best["mse"]])
        median_line.set_ydata([best["mae"], best["mae"]])
        mean_marker.set_data([outlier], [best["mse"]])
        median_marker.set_data([outlier], [best["mae"]])
        # The y-axis follows the points, on round limits (nearby outliers share them and so one kept frame)
        # with a 6 % margin for the markers: the ordinary data, the mean and the median stay apart at any outlier.
        low, high = nice_limits(min(data.min(), outlier), max(data.max(), outlier))
        margin = 0.06 * (high - low)
        points_ax.set_ylim(low - margin, high + margin)
        points_ax.title.set_text(f"extra point {outlier:g}: mean {best['mse']:.2f}, median {best['mae']:.2f}")
        return None

    points_ax.set_title(" ", fontsize=11)  # update() writes it
    slider = widgets.FloatSlider(value=60.0, min=0.0, max=100.0, step=0.5, description="extra point",
                                 readout_format=".1f", continuous_update=True)
    values_text = ", ".join(f"{v:g}" for v in data)
    panel = SliderPanel(
        {"outlier": slider}, figure, update,
        description=(f"Slider panel: one extra point (0 to 100) joins the data [{values_text}]; "
                     "the mean (MSE's best constant) follows it, the median (MAE's) does not."),
        grid={"outlier": [0.0, 3.5, 5.0, 10.0, 30.0, 60.0, 100.0]},
    )
    # the longest title (100) and the y tick labels of the narrow limits (0) and of two-digit ones (10)
    return panel.freeze_layout({"outlier": 0.0}, {"outlier": 10.0}, outlier=100.0, blit=True)
