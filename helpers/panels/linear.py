"""Figures and slider panels for the linear-model chapters (1 and 2).

- :func:`plot_linear_loss_surface`: the loss over (w, b) for one sample, with the path of the iterates.
- :func:`plot_linear_loss_curves`: loss against step or epoch for several runs (a diverged run is
  marked ▲ where its mean loss passed 10⁶, with "diverged at step k" in its legend entry).
- :func:`linear_one_sample_lr_panel`: chapter 1's learning-rate and steps sliders.
- :func:`linear_two_sample_lr_panel`: chapter 2's learning-rate and epochs sliders.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import BoundaryNorm

from ..linear import (DEFAULT_DIVERGENCE_LOSS, LINEAR_LOSS_CONVENTIONS, LINEAR_TWO_SAMPLE_EXAMPLE, LinearReplay,
                      linear_epoch_contraction, linear_epochs_to_shrink, linear_error_factor,
                      linear_learning_rate_regime, linear_learning_rate_verdict, replay_linear)
from ..plots import COLORS, EDGE_MARKERS, PALETTE, mark_divergence, new_figure, nice_limits, nice_step, path_exits
from ..validation import as_float_array, check_choice, check_integer, check_number, check_text
from ..widgets import RunCache, SliderPanel, panel_factory

__all__ = ["plot_linear_loss_surface", "plot_linear_loss_curves", "linear_one_sample_lr_panel",
           "linear_two_sample_lr_panel"]

# -- chapter 1: the loss surface over (w, b) ----------------------------------------------------
def _surface_window(w: float, b: float, x: float, y: float) -> tuple[tuple, tuple]:
    """A square (w, b) window around the start and the valley point gradient descent heads for."""
    error = w * x + b - y
    # The iterates move along (x, 1); they settle where that line meets the valley floor w·x + b = y.
    shift = error / (x * x + 1.0)
    w_end, b_end = w - shift * x, b - shift
    half = 1.4 * max(abs(w - w_end), abs(b - b_end)) or 1.0
    return (w_end - half, w_end + half), (b_end - half, b_end + half)


def _draw_surface(ax, w: float, b: float, x: float, y: float, convention: str, most_steps: int):
    """Bands of equal loss L(w, b) for one sample, the valley floor, and an empty path to fill in.

    Returns ``show_path(ws, bs)``, which draws the path through (ws, bs) (at most ``most_steps`` + 1 points): a
    dot at each step's point, an arrowhead 60 % of the way along each step pointing where it goes (a step back
    over the last one puts a head pointing back beside it: the bounce of η = 0.4 reads ◄ ►), and a triangle
    where the path leaves the window.
    """
    c = LINEAR_LOSS_CONVENTIONS[convention]
    (w_low, w_high), (b_low, b_high) = _surface_window(w, b, x, y)
    W, B = np.meshgrid(np.linspace(w_low, w_high, 301), np.linspace(b_low, b_high, 301))
    error = W * x + B - y
    # Bands of equal width in |error| = √(L/c): the valley's walls are evenly spaced straight lines.
    step = nice_step(float(np.abs(error).max()), 14, mantissas=(1.0, 2.0, 2.5, 5.0))
    error_levels = np.arange(0.0, np.abs(error).max() + step, step)
    levels = c * error_levels**2
    # A banded image, not contourf: it looks the same and draws in a fraction of the time (slider panels).
    bands = BoundaryNorm(levels, ncolors=256)
    image = ax.imshow(c * error**2, origin="lower", extent=(w_low, w_high, b_low, b_high), aspect="auto",
                      cmap="viridis_r", norm=bands, alpha=0.85, interpolation="nearest")
    colorbar = ax.figure.colorbar(image, ax=ax, label="loss $L$")  # bands of equal height, as on the map
    whole_errors = [e for e in error_levels if abs(e - round(e)) < 1e-9] or list(error_levels[::4])
    colorbar.set_ticks([c * e**2 for e in whole_errors[:: max(1, len(whole_errors) // 6)]])
    colorbar.ax.yaxis.set_major_formatter("{x:g}")
    floor_w = np.array([w_low, w_high])
    ax.plot(floor_w, y - x * floor_w, "--", color=COLORS["black"], lw=1.2, label=f"valley floor ${x:g}w + b = {y:g}$")
    color = COLORS["vermillion"]
    (path,) = ax.plot([], [], "-o", color=color, ms=3, lw=1.3, label="iterates (➤: each step's direction)")
    # One arrow per step, from its start 60 % of the way to where it lands (the head off the dots, and off the other
    # way's head when a step retraces the last one); made for the most steps, the unused ones masked.
    unused = np.ma.masked_all(most_steps)
    arrows = ax.quiver(np.zeros(most_steps), np.zeros(most_steps), unused, unused, color=color, angles="xy",
                       scale_units="xy", scale=1, width=0.006, headwidth=5, headlength=6, headaxislength=5.5,
                       minlength=0, zorder=path.get_zorder())
    arrows.set_animated(True)  # moves with the sliders: drawn over a panel's kept frames, like its lines
    ax.plot([w], [b], "s", color=COLORS["black"], ms=7, label=f"start ({w:g}, {b:g})")
    # Unclipped, on the edge: out of the layout's sight, so the layout makes no room for them.
    exits = {edge: ax.plot([], [], ls="none", marker=marker, ms=10, color=color, mec=COLORS["black"], mew=0.8,
                           clip_on=False, label="where the path leaves the window (if it does)")[0]
             for edge, marker in EDGE_MARKERS.items()}
    for marker in exits.values():
        marker.set_in_layout(False)
    ax.set_xlim(w_low, w_high)
    ax.set_ylim(b_low, b_high)
    ax.set_box_aspect(1)  # the w and b ranges are equal, so this keeps the gradient visibly at right angles to the contours
    ax.set_xlabel("weight $w$")
    ax.set_ylabel("bias $b$")

    def show_path(ws: np.ndarray, bs: np.ndarray) -> None:
        path.set_data(ws, bs)
        moves = np.ma.masked_all((2, most_steps))
        moves[:, : ws.size - 1] = 0.6 * np.diff(ws), 0.6 * np.diff(bs)
        arrows.set_offsets(np.column_stack([np.resize(ws[:-1], most_steps), np.resize(bs[:-1], most_steps)]))
        arrows.set_UVC(*moves)
        left = path_exits(ws, bs, (w_low, w_high), (b_low, b_high))
        for edge, marker in exits.items():
            marker.set_data([e.x for e in left if e.edge == edge], [e.y for e in left if e.edge == edge])

    return show_path


def plot_linear_loss_surface(w: float = 1.0, b: float = 0.0, x: float = 2.0, y: float = 4.0, lr: float = 0.1,
                             steps: int = 10, convention: str = "half"):
    """The loss L(w, b) of one sample (x, y) as filled contours, and the path gradient descent takes.

    ``w``, ``b``, ``x``, ``y``: finite numbers (the start and the sample); ``lr`` > 0; ``steps`` a whole
    number in [1, 1000]; ``convention``: ``"half"`` or ``"plain"``. With one sample the minimum is a whole line (every w, b with w·x + b = y), and
    each step moves (w, b) along (x, 1), so the path is straight. Returns the Figure.
    """
    replay = replay_linear(w, b, x, y, lr, steps=check_integer("steps", steps, low=1, high=1000),
                           convention=convention)
    figure, ax = new_figure(width=6.0, height=4.6)
    show_path = _draw_surface(ax, float(w), float(b), float(x), float(y), convention, len(replay.steps))
    show_path(*replay.parameters())
    drawn = {label: h for h, label in zip(*ax.get_legend_handles_labels()) if len(h.get_xdata())}  # one per label
    ax.legend(drawn.values(), drawn.keys(), loc="upper right", fontsize=8, framealpha=0.9)  # over the path: never crossed
    ws, bs = replay.parameters()
    ending = f"ends at ({ws[-1]:.3f}, {bs[-1]:.3f})" if replay.diverged_at is None else replay.message
    ax.set_title(f"η = {lr:g}: each step moves (w, b) along (x, 1) = ({x:g}, 1)\n"
                 f"{len(replay.steps)} steps from ({w:g}, {b:g}); {ending}", fontsize=10.5)
    mark_divergence(ax, replay.message)
    return figure


# -- loss curves ----------------------------------------------------------------------------
def plot_linear_loss_curves(runs: dict, *, per: str = "step", title: str = "Loss during training"):
    """Loss against step (``per="step"``) or epoch (``per="epoch"``), one line per run: the loss L of the one
    sample when every run has one, else the mean loss over the data.

    ``runs`` maps a label (e.g. "η = 0.1") to a :class:`~helpers.linear.LinearReplay`. Log scale; a
    loss of exactly 0 cannot be drawn on a log scale, so a line stops where its loss reaches 0; a diverged
    run's line stops at the last loss kept, a ▲ on the dotted threshold 10⁶ marks the step where its mean loss
    passed it (as the chapters' panels mark it), and its legend entry says "diverged at ...". Runs whose curves coincide stay visible: each run has its own line style
    and marker, its markers staggered against the others', and its legend entry names the earlier run it
    coincides with. The legend lies under the axes, where it covers no line. ``per``: ``"step"`` or
    ``"epoch"``; ``title``: a string (what to notice). Returns the Figure.
    """
    check_choice("per", per, ("step", "epoch"))
    if not isinstance(runs, dict) or not runs or not all(isinstance(r, LinearReplay) for r in runs.values()):
        raise ValueError(f"runs must hold at least one run, as {{label: replay_linear result}}; got {runs!r}"[:200])
    check_text("title", title)
    figure, ax = new_figure(width=7.0, height=4.6)
    styles = ["-", "--", "-.", ":", (0, (6, 2, 1, 2, 1, 2))]
    markers = ["o", "s", "^", "D", "v"]
    drawn: dict = {}  # label -> losses, to name coinciding runs
    for index, ((label, replay), color) in enumerate(zip(runs.items(), PALETTE)):
        losses = replay.mean_losses() if per == "step" else replay.epoch_mean_losses()
        losses = np.where(losses > 0, losses, np.nan)
        same = next((other for other, seen in drawn.items()
                     if seen.shape == losses.shape and np.allclose(seen, losses, rtol=1e-9, equal_nan=True)), None)
        drawn[label] = losses
        if same is not None:
            label = f"{label} (the same losses as {same})"
        if replay.message:
            label = f"{label}: {replay.message} ▲"
        # A marker every `spacing` points, each run's shifted by one: coinciding lines show both runs' markers.
        spacing = max(len(runs), losses.size // 8)
        ax.plot(np.arange(losses.size), losses, color=color, label=label, ls=styles[index % len(styles)],
                marker=markers[index % len(markers)], ms=4, markevery=(index % spacing, spacing))
        if replay.diverged_at is not None:  # the step after which the mean loss passed the threshold
            passed_at = replay.diverged_at / (1 if per == "step" else replay.samples_per_epoch)
            ax.plot([passed_at], [DEFAULT_DIVERGENCE_LOSS], "^", color=color, mec=COLORS["black"], ms=9)
    ax.set_yscale("log")
    ax.set_xlabel(f"{per} ($0$ = start)")
    one_sample = all(replay.samples_per_epoch == 1 for replay in runs.values())
    ax.set_ylabel("loss $L$" if one_sample else "mean loss over the data")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    if any(replay.diverged_at is not None for replay in runs.values()):
        ax.axhline(DEFAULT_DIVERGENCE_LOSS, color=COLORS["black"], lw=0.8, ls=":")
        handles.append(ax.plot([], [], "^", color=COLORS["black"], ms=8)[0])
        labels.append("▲: the step where the mean loss passed $10^6$ (dotted)")
    figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=9)
    return figure


# -- chapter 1: learning-rate panel -----------------------------------------------------------
def _legend_under(ax, side: str, ncols: int):
    """A legend of ``ax``'s labelled lines in a strip along the figure's bottom edge, under ``ax`` (``side``:
    "left" or "right"), where no line can cross it. A panel that keeps its axes frames (blitting) draws its
    lines over the kept frames, and so would cross a legend inside the axes; this one lies in the figure's
    background, drawn once (constrained layout makes room for it), and costs nothing per move."""
    entries = {}  # one entry per label (the four edges' exit triangles share one)
    for handle, label in zip(*ax.get_legend_handles_labels()):
        entries.setdefault(label, handle)
    return ax.figure.legend(entries.values(), entries.keys(), loc=f"outside lower {side}", ncols=ncols, fontsize=9)


def _limits_holding(values: np.ndarray, usual: tuple) -> tuple[float, float]:
    """The ``usual`` (low, high) limits while every finite value lies inside them; else ±h around 0, h the
    smallest 1, 2 or 5 × 10^k that holds the values and the usual limits (:func:`~helpers.plots.nice_step`): a
    diverging run is seen whole, its swings growing, and since h takes few values over a sweep, nearby settings
    share one kept axes frame (each new frame costs a full drawing of the axes)."""
    shown = values[np.isfinite(values)]
    if shown.size == 0 or (shown.min() >= usual[0] and shown.max() <= usual[1]):
        return usual
    half = nice_step(max(float(np.abs(shown).max()), abs(usual[0]), abs(usual[1])), 1)
    return -half, half


def _mark_divergence_in_corner(ax, corner: str):
    """The "diverged at step k" box (:func:`~helpers.plots.mark_divergence`) in ``ax``'s ``corner`` ("upper left"
    or "lower right"), over the lines (animated), where a diverging run leaves room: its first swings are small
    beside its last ones (upper left of a prediction plot, whose middle holds the label line), and its loss rises
    (lower right of a loss plot)."""
    vertical, horizontal = corner.split()
    text = mark_divergence(ax, None)
    text.set_animated(True)  # shown or not with the sliders
    text.set_position((0.03 if horizontal == "left" else 0.97, 0.96 if vertical == "upper" else 0.04))
    text.set_horizontalalignment(horizontal)
    text.set_verticalalignment("top" if vertical == "upper" else "bottom")


def _one_sample_status(x: float, lr: float, convention: str, replay) -> tuple[str, str | None]:
    factor = linear_error_factor(x, lr, convention)
    k = 2 * LINEAR_LOSS_CONVENTIONS[convention] * (x * x + 1)
    regime = linear_learning_rate_regime(x, lr, convention)
    signed = f"{factor:+.2f}".replace("-", "−")  # the minus sign of the formula, not a hyphen
    title = f"η = {lr:.2f}: each step multiplies the error by 1 − {k:g}η = {signed} → {regime}"
    if replay.message:
        return title, replay.message
    if regime == "diverges":
        growth = factor * factor
        return title, f"diverging: the loss grows ×{growth:.2f} per step (not yet past 10⁶)"
    return title, None


@panel_factory("linear-one-sample-learning-rate")
def linear_one_sample_lr_panel(*, w: float = 1.0, b: float = 0.0, x: float = 2.0, y: float = 4.0, lr: float = 0.1,
                               steps: int = 10, convention: str = "half") -> SliderPanel:
    """Sliders for η (0.01 to 0.50) and the number of steps (1 to 60) on one sample (x, y).

    Left: the path of (w, b) on the loss surface; right: the prediction ŷ after each step against the
    label y; their legends lie under the axes, where no line crosses them. For x = 2 and the half loss,
    η < 0.2 creeps up on y, 0.2 < η < 0.4 jumps across it and settles, η = 0.4 bounces forever, and η > 0.4
    diverges (the status says at which step).
    ``w``, ``b``, ``x``, ``y``: finite numbers; ``lr`` in [0.01, 0.5]; ``steps`` in [1, 60];
    ``convention``: ``"half"`` or ``"plain"``.
    """
    w, b, x, y = (check_number(name, v) for name, v in (("w", w), ("b", b), ("x", x), ("y", y)))
    check_choice("convention", convention, LINEAR_LOSS_CONVENTIONS)
    lr = check_number("lr", lr, low=0.01, high=0.5)
    steps = check_integer("steps", steps, low=1, high=60)
    figure, (ax_surface, ax_prediction) = new_figure(1, 2, width=9.0, height=4.75)
    figure.get_layout_engine().set(wspace=0.1)  # room between the colour bar and the right panel's label
    show_path = _draw_surface(ax_surface, w, b, x, y, convention, most_steps=60)
    ax_surface.set_title("path of $(w, b)$", fontsize=11)
    start_error = abs(w * x + b - y) or 1.0
    ax_prediction.axhline(y, color=COLORS["black"], ls="--", lw=1.2, label=f"label $y = {y:g}$")
    (prediction_line,) = ax_prediction.plot([], [], "-o", color=COLORS["blue"], ms=3.5, label=r"prediction $\hat y$")
    usual_limits = (y - 2.5 * start_error, y + 2.5 * start_error)
    ax_prediction.set_xlabel("step $t$ ($0$ = start)")
    ax_prediction.set_ylabel(r"prediction $\hat y = wx + b$")
    ax_prediction.set_title("prediction after each step", fontsize=11)
    _legend_under(ax_surface, "left", ncols=2)
    _legend_under(ax_prediction, "right", ncols=2)
    _mark_divergence_in_corner(ax_prediction, "upper left")
    heading = figure.suptitle("", fontsize=11.5, animated=True)  # changes on every move: drawn over the kept frames

    def update(lr: float, steps: int) -> str | None:
        replay = replay_linear(w, b, x, y, lr, steps=steps, convention=convention)
        ws, bs = replay.parameters()
        show_path(ws, bs)
        predictions = ws * x + bs
        prediction_line.set_data(np.arange(ws.size), predictions)
        ax_prediction.set_ylim(*_limits_holding(predictions, usual_limits))
        ax_prediction.set_xlim(-0.5, max(steps, 5) + 0.5)
        title, status = _one_sample_status(x, lr, convention, replay)
        heading.set_text(title)
        mark_divergence(ax_prediction, replay.message)
        return status

    sliders = {
        "lr": widgets.FloatSlider(value=lr, min=0.01, max=0.5, step=0.01, readout_format=".2f",
                                  description="η (lr)", continuous_update=True),
        "steps": widgets.IntSlider(value=steps, min=1, max=60, description="steps", continuous_update=True),
    }
    grid = {"lr": [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.39, 0.4, 0.41, 0.45, 0.5], "steps": [3, 10, 30, 60]}
    description = (f"Slider panel: learning rate η and number of steps for ŷ = wx + b on one sample "
                   f"(x = {x:g}, y = {y:g}), starting at w = {w:g}, b = {b:g}.")
    panel = SliderPanel(sliders, figure, update, description=description, grid=grid)
    # The prediction axis widens for a diverging run: its widest tick labels (−2000 … 2000) at η = 0.45
    return panel.freeze_layout(lr=0.45, steps=sliders["steps"].max, blit=True)


# -- chapter 2: learning-rate panel over epochs ---------------------------------------------------
_LOSS_FLOOR = 1e-12  # a mean loss below this is drawn as 0 (not at all, on a log axis)


def _loss_limits(losses: np.ndarray, growing: bool, floored: bool) -> tuple[float, float]:
    """Log-axis limits around the drawn losses, from at most the lowest (and at least 10⁻² below the start; the
    floor when the loss falls below it, ``floored``, where ▼ marks it, or nearly does) to the highest, or past the divergence
    threshold when the errors grow, rounded outwards to a round number of decades
    (:func:`~helpers.plots.nice_limits`): a falling curve fills much of the axes, a growing one is seen heading
    for 10⁶, and nearby η share one pair of limits (one kept axes frame). Never below the floor."""
    drawn = losses[np.isfinite(losses)]
    low = _LOSS_FLOOR if floored or not drawn.size else min(float(np.min(drawn)), float(drawn[0]) * 1e-2)
    high = 10 * DEFAULT_DIVERGENCE_LOSS if growing else float(np.max(drawn)) if drawn.size else 1.0
    low_limit, high_limit = nice_limits(max(low, _LOSS_FLOOR), max(high, low, _LOSS_FLOOR), log=True, pieces=3)
    # Nothing is drawn below the floor; a limit within 100× of it is the floor: the axis then shows where the loss
    # counts as 0, and the runs that nearly get there share that frame with those that do.
    return (_LOSS_FLOOR if low_limit <= 100 * _LOSS_FLOOR else low_limit), high_limit


def _epoch_title(x, lr: float, convention: str, most_epochs: int) -> str:
    """The panel's heading: ρ, the estimated epochs to make the errors 1000× smaller (said to lie past the
    panel's ``most_epochs`` when they do: the reader cannot see them there), and the verdict."""
    rho = linear_epoch_contraction(x, lr, convention)
    verdict = linear_learning_rate_verdict(x, lr, convention)
    epochs = linear_epochs_to_shrink(rho)
    if epochs is None:
        return f"η = {lr:.2f}: each epoch multiplies the errors by up to ρ = {rho:.3f} ≥ 1 → {verdict}"
    beyond = f" (past the slider's {most_epochs})" if epochs > most_epochs else ""
    return f"η = {lr:.2f}: ρ = {rho:.3f} per epoch, errors 1000× smaller after ≈ {epochs} epochs{beyond} → {verdict}"


@panel_factory("linear-two-samples-learning-rate")
def linear_two_sample_lr_panel(*, x=None, y=None, w=None, b: float = 0.0, lr: float = 0.1, epochs: int = 30,
                               convention: str = "plain") -> SliderPanel:
    """Sliders for η (0.01 to 1.00) and the number of epochs (1 to 100), one sample per step in order.

    Left: the mean loss over the data after each epoch, and thin after each step (log scale, limits on round
    numbers of decades around the curves; up to past the divergence threshold 10⁶ when the errors grow); a run
    stops at the first step whose loss passes 10⁶, marked ▲ on the threshold, which can lie inside an epoch whose
    mean is never drawn (the status says so). Right: the prediction for each sample after each epoch against its
    label. The title gives ρ, the factor an epoch multiplies the errors by, and the verdict (too small / about
    right / too large). The legends lie under the axes, where no line crosses them. Defaults: chapter 2's data.
    ``x`` (n, d), ``y`` (n,), ``w`` (d,): lists of finite numbers (None: chapter 2's); ``b``: a finite
    number; ``lr`` in [0.01, 1]; ``epochs`` in [1, 100]; ``convention``: ``"half"`` or ``"plain"``.
    """
    example = LINEAR_TWO_SAMPLE_EXAMPLE
    x = as_float_array("x", example["x"] if x is None else x, ndim=2)
    y = as_float_array("y", example["y"] if y is None else y, shape=(len(x),))
    w = as_float_array("w", example["w"] if w is None else w, shape=(x.shape[1],))
    b = check_number("b", b)
    lr = check_number("lr", lr, low=0.01, high=1.0)
    epochs = check_integer("epochs", epochs, low=1, high=100)
    figure, (ax_loss, ax_prediction) = new_figure(1, 2, width=9.0, height=4.75)
    (loss_line,) = ax_loss.plot([], [], "-", color=COLORS["vermillion"], lw=2.0, label="mean loss after each epoch")
    # What the divergence check reads is per step: the mean loss after each step, and the step after which it passed 10⁶.
    (step_loss_line,) = ax_loss.plot([], [], "-", color=COLORS["black"], lw=0.8, label="mean loss after each step")
    # The threshold is in view only when the errors grow (see _loss_limits). The legend lies in the kept background,
    # the same at every η: its entries say when what they name is drawn.
    ax_loss.axhline(DEFAULT_DIVERGENCE_LOSS, color=COLORS["black"], lw=0.8, ls=":",
                    label="threshold $10^6$ (in view when errors grow)")
    (passed_mark,) = ax_loss.plot([], [], "^", color=COLORS["vermillion"], mec=COLORS["black"], ms=9,
                                  label="step where the mean loss passed $10^6$ (if any)")
    # Below the floor the loss is as good as 0 and is not drawn: ▼ on the floor says the curve went on down there.
    (floor_mark,) = ax_loss.plot([], [], "v", color=COLORS["vermillion"], mec=COLORS["black"], ms=9, clip_on=False,
                                 label="loss below $10^{-12}$: as good as 0 (if so)")
    floor_mark.set_in_layout(False)  # unclipped on the bottom edge: the layout must not make room for it
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch ($0$ = start)")
    ax_loss.set_ylabel("mean loss over the data")
    ax_loss.set_title("loss after each epoch and step", fontsize=11)
    prediction_lines = []
    for i, (label, color) in enumerate(zip(y, PALETTE)):
        ax_prediction.axhline(label, color=color, ls="--", lw=1.0)
        (line,) = ax_prediction.plot([], [], "-", color=color, label=f"sample {i + 1}: $\\hat y$ (label {label:g}, dashed)")
        prediction_lines.append(line)
    spread = max(float(np.ptp(y)), float(np.max(np.abs(y))), 0.5)
    usual_limits = (float(y.min()) - 1.5 * spread, float(y.max()) + 1.5 * spread)  # widened for a diverging run
    ax_prediction.set_xlabel("epoch ($0$ = start)")
    ax_prediction.set_ylabel(r"prediction $\hat y$")
    ax_prediction.set_title("predictions after each epoch", fontsize=11)
    _legend_under(ax_loss, "left", ncols=2)
    _legend_under(ax_prediction, "right", ncols=1)
    _mark_divergence_in_corner(ax_loss, "lower right")
    heading = figure.suptitle("", fontsize=11.5, animated=True)  # changes on every move: drawn over the kept frames
    n = len(y)
    runs = RunCache(256)  # dragged back, nothing is replayed; ≤ 256 settings of ≤ 201 losses and 101 predictions

    def run(lr: float, epochs: int) -> tuple:
        """The replay's mean loss after each step (NaN below the floor), the predictions (epochs + 1, n) at the start
        and after each epoch, where it diverged, and the first step whose loss is below the floor (or None)."""
        replay = replay_linear(w, b, x, y, lr, epochs=epochs, convention=convention)
        step_losses = replay.mean_losses()
        # Below the floor the loss is as good as 0: hide it rather than pile it on the edge.
        below = np.flatnonzero(step_losses < _LOSS_FLOOR)
        step_losses = np.where(step_losses >= _LOSS_FLOOR, step_losses, np.nan)
        ws, bs = replay.parameters()
        predictions = ws[::n] @ x.T + bs[::n, None]  # parameters at the start and after each completed epoch
        return step_losses, predictions, replay.diverged_at, replay.message, int(below[0]) if below.size else None

    def update(lr: float, epochs: int) -> str | None:
        step_losses, predictions, diverged_at, message, floored_at = runs.get((lr, epochs), lambda: run(lr, epochs))
        growing = diverged_at is not None or linear_epoch_contraction(x, lr, convention) >= 1.0
        step_loss_line.set_data(np.arange(step_losses.size) / n, step_losses)  # step t ends at epoch t/n
        loss_line.set_data(np.arange(0, step_losses.size, n) / n, step_losses[::n])
        passed = [] if diverged_at is None else [diverged_at / n]
        passed_mark.set_data(passed, [DEFAULT_DIVERGENCE_LOSS] * len(passed))
        floored = [] if floored_at is None else [floored_at / n]
        floor_mark.set_data(floored, [_LOSS_FLOOR] * len(floored))
        ax_loss.set_ylim(*_loss_limits(step_losses, growing, floored_at is not None))
        for i, line in enumerate(prediction_lines):
            line.set_data(np.arange(len(predictions)), predictions[:, i])
        ax_prediction.set_ylim(*_limits_holding(predictions, usual_limits))
        for ax in (ax_loss, ax_prediction):
            ax.set_xlim(-0.5, max(epochs, 5) + 0.5)
        heading.set_text(_epoch_title(x, lr, convention, sliders["epochs"].max))
        mark_divergence(ax_loss, message)
        if message is not None:
            # The check is per step; the thick curve has a point per completed epoch only.
            return (f"{message}: the mean loss after that step passed 10⁶ (▲) and the run stopped there, so the "
                    f"epoch means end at epoch {(diverged_at - 1) // n}")
        if growing:
            return "not settling: the errors do not shrink at this η (not yet past 10⁶)"
        return None

    sliders = {
        "lr": widgets.FloatSlider(value=lr, min=0.01, max=1.0, step=0.01, readout_format=".2f",
                                  description="η (lr)", continuous_update=True),
        "epochs": widgets.IntSlider(value=epochs, min=1, max=100, description="epochs", continuous_update=True),
    }
    grid = {"lr": [0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.67, 0.7, 0.8, 1.0], "epochs": [5, 20, 100]}
    description = (f"Slider panel: learning rate η and number of epochs for ŷ = w·x + b trained one sample "
                   f"at a time on {len(y)} samples.")
    panel = SliderPanel(sliders, figure, update, description=description, grid=grid)
    # 10⁻¹² (the widest tick label) shows when the loss falls fast, e.g. at η = 0.45 over 100 epochs
    return panel.freeze_layout(dict(lr=0.45, epochs=sliders["epochs"].max), dict(lr=0.7, epochs=sliders["epochs"].max),
                               blit=True)
