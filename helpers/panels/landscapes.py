"""Figures and the slider panel of the chapter "Optimizers on one landscape"."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.ticker import LogLocator, NullLocator

from ..landscapes import (ELONGATED_BOWL, LANDSCAPE_SETTINGS, LANDSCAPE_START, QuadraticBowl, _check_landscape,
                          effective_learning_rates, landscape_comparison, landscape_optimizer,
                          landscape_steps_to_tolerance, momentum_steps_map, run_landscape_trajectory)
from ..optimizers import HYPERPARAMETER_SYMBOLS, OPTIMIZER_NAMES, OPTIMIZERS, Optimizer, adam_ratio_bound
from ..plots import COLORS, PALETTE, check_axes, mark_divergence, new_figure, nice_limits, path_exits
from ..tables import Table
from ..validation import check_choice, check_decay_rate, check_integer, check_positive
from ..widgets import RunCache, SliderPanel, panel_factory

__all__ = ["plot_landscape_contours", "plot_landscape_trajectories",
           "plot_landscape_gradient_field", "plot_effective_learning_rates", "plot_momentum_tuning",
           "describe_optimizer", "landscape_steps_table", "landscape_optimizer_panel"]

_COLOR = dict(zip(OPTIMIZER_NAMES, PALETTE))
_XLIM, _YLIM = (-10.0, 10.0), (-5.0, 5.0)
_TOO_SLOW = "#F4C7DD"  # the momentum map's cells that settle too slowly: pale pink, unlike viridis and the grey


def plot_landscape_contours(ax, landscape: QuadraticBowl = ELONGATED_BOWL, *, levels: int = 12) -> None:
    """Draw the landscape's contour lines on ``ax`` with the minimum marked (x in [−10, 10], y in [−5, 5]).

    ``ax``: a matplotlib Axes; ``landscape``: a QuadraticBowl; ``levels``: how many contour lines, a whole
    number in [2, 100]."""
    check_axes("ax", ax)
    _check_landscape(landscape)
    levels = check_integer("levels", levels, low=2, high=100)
    x, y = np.meshgrid(np.linspace(*_XLIM, 201), np.linspace(*_YLIM, 101))
    values = landscape.value(x, y)
    ax.contour(x, y, values, levels=np.geomspace(0.05, values.max(), levels), colors="0.75", linewidths=0.8)
    ax.plot([0], [0], marker="+", color=COLORS["black"], markersize=12, mew=2)
    ax.set_xlim(*_XLIM)
    ax.set_ylim(*_YLIM)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")


def _draw_path(ax, trajectory, *, label=None, markersize=3):
    points = trajectory["points"]
    (line,) = ax.plot(points[:, 0], points[:, 1], marker="o", markersize=markersize, linewidth=1.2,
                      color=_COLOR[trajectory["optimizer"]], label=label)
    return line


def plot_landscape_trajectories(trajectories: dict, landscape: QuadraticBowl = ELONGATED_BOWL):
    """One contour panel per optimizer with its path, and a last panel with all paths overlaid.

    ``trajectories`` maps optimizer names to results of ``run_landscape_trajectory`` (at most 5);
    ``landscape``: the QuadraticBowl they ran on. Returns the Figure.
    """
    _check_landscape(landscape)
    if not isinstance(trajectories, dict) or not all(
            name in OPTIMIZERS and isinstance(run, dict) and {"points", "values", "optimizer"} <= set(run)
            for name, run in trajectories.items()):
        raise ValueError(f"trajectories must map optimizer names ({', '.join(OPTIMIZERS)}) to results of "
                         f"run_landscape_trajectory; got {trajectories!r}"[:200])
    if not 1 <= len(trajectories) <= 5:
        raise ValueError(f"trajectories must hold 1 to 5 runs (one panel each plus the overlay); got {len(trajectories)}")
    figure, axes = new_figure(3, 2, width=7.0, height=8.8)
    axes = axes.ravel()
    overlay = axes[len(trajectories)]
    plot_landscape_contours(overlay, landscape)
    for ax, (name, trajectory) in zip(axes, trajectories.items()):
        plot_landscape_contours(ax, landscape)
        _draw_path(ax, trajectory)
        _draw_path(overlay, trajectory, label=OPTIMIZERS[name].label, markersize=0)
        steps = len(trajectory["points"]) - 1
        ax.set_title(f"{OPTIMIZERS[name].label}: f = {trajectory['values'][-1]:.2g} after {steps} steps", fontsize=10)
    overlay.set_title("all together", fontsize=10)
    # under the map, not on it: inside, the key would hide a corner of the landscape
    overlay.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, ncols=3, frameon=False)
    for ax in axes[len(trajectories) + 1:]:
        ax.set_visible(False)
    figure.suptitle(f"Same start {LANDSCAPE_START}, same bowl f = {landscape.formula}\n"
                    "SGD zig-zags across the valley; AdaGrad and RMSProp drop to its floor first")
    return figure


def plot_landscape_gradient_field(landscape: QuadraticBowl = ELONGATED_BOWL, *, sgd_steps: int = 6, lr: float = 0.95):
    """Arrows of −∇f (direction only) over the contours, with the first ``sgd_steps`` SGD steps.

    On x²/20 + y² the arrows point almost straight at the valley floor y = 0, not at the minimum:
    SGD crosses the valley, overshoots, and crosses back. ``landscape``: a QuadraticBowl; ``sgd_steps``: a
    whole number in [1, 1000]; ``lr``: SGD's η > 0. Returns the Figure.
    """
    _check_landscape(landscape)
    sgd_steps = check_integer("sgd_steps", sgd_steps, low=1, high=1000)
    lr = check_positive("lr", lr)
    figure, ax = new_figure(width=7.0, height=4.2)
    plot_landscape_contours(ax, landscape)
    x, y = np.meshgrid(np.linspace(-9, 9, 13), np.linspace(-4.5, 4.5, 9))
    gx, gy = np.moveaxis(landscape.gradient(np.stack([x, y], axis=-1)), -1, 0)
    norm = np.hypot(gx, gy)
    norm[norm == 0] = 1.0
    ax.quiver(x, y, -gx / norm, -gy / norm, color=COLORS["sky"], angles="xy", scale=22, width=0.004)
    sgd = Optimizer("sgd", lr=lr)
    trajectory = run_landscape_trajectory(sgd, landscape, steps=sgd_steps)
    _draw_path(ax, trajectory, label=f"{describe_optimizer(sgd)}, {sgd_steps} steps", markersize=5)
    start = np.array(LANDSCAPE_START)
    ax.annotate("", xy=(0, 0), xytext=start, arrowprops={"arrowstyle": "->", "color": COLORS["green"], "lw": 1.5,
                                                         "linestyle": "--"})
    ax.text(-3.3, 1.2, "straight to the minimum", color=COLORS["green"], fontsize=9,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9)  # under the axes: arrows fill them
    ax.set_title("−∇f points across the valley (towards y = 0), not at the minimum")
    return figure


def plot_effective_learning_rates(*, lr: float = 1.0, beta2: float = 0.9, steps: int = 100, switch_step: int = 20):
    """Effective learning rate η/(√s + ε) of AdaGrad and RMSProp for one parameter: (left) under a constant
    gradient g = 1; (right) when the gradient is 10 for the first ``switch_step`` steps and 0.1 after
    (a steep start, then a gentle slope). lr > 0, beta2 in [0, 1), 1 ≤ switch_step < steps. Returns the Figure."""
    lr, steps = check_positive("lr", lr), check_integer("steps", steps, low=2, high=100_000)
    beta2 = check_decay_rate("beta2", beta2)
    switch_step = check_integer("switch_step", switch_step, low=1, high=steps - 1)
    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.6)
    t = np.arange(1, steps + 1)
    streams = {left: np.ones(steps), right: np.where(t <= switch_step, 10.0, 0.1)}
    for rule in (OPTIMIZERS["adagrad"], OPTIMIZERS["rmsprop"]):
        decays = "beta2" in rule.hyperparameters  # RMSProp forgets old gradients at the rate β2; AdaGrad keeps all
        optimizer = Optimizer(rule.name, lr=lr, **({"beta2": beta2} if decays else {}))
        label = rule.label + (f" (β2 = {beta2:g})" if decays else "")
        for ax, gradients in streams.items():
            ax.plot(t, effective_learning_rates(optimizer, gradients), color=_COLOR[rule.name], label=label)
    left.plot(t, lr / np.sqrt(t), color=COLORS["black"], linestyle=":", linewidth=1.2, label="η/√t")
    right.axvline(switch_step + 0.5, color=COLORS["black"], linestyle=":", linewidth=1)
    right.text(switch_step + 3, 0.35, "gradient drops\nfrom 10 to 0.1", fontsize=9)
    left.set_title(f"constant gradient g = 1, η = {lr:g}", fontsize=10)
    right.set_title("steep start, then a gentle slope", fontsize=10)
    for ax in (left, right):
        ax.set_yscale("log")
        ax.set_xlabel("step $t$")
        ax.legend(fontsize=8)
    left.set_ylabel("effective rate η/(√(g² so far) + ε)")
    figure.suptitle("AdaGrad's rate only shrinks (its sum never forgets);\nRMSProp's moving average lets the rate recover")
    return figure


def plot_momentum_tuning(settings: dict, rates: dict, *, tolerance: float = 0.01, steps: int = 300):
    """Left: steps Momentum needs to settle within ``tolerance`` over a grid of (η, μ), with ``settings``
    marked. Right: each setting's distance to the minimum per step, against the rate lines ``rates``.

    ``settings`` maps a label to (η, μ) (μ = 0 is SGD), at most 4; ``rates`` maps a label to a rate
    per step in (0, 1) (drawn as distance₀·rate^t); ``tolerance`` > 0; ``steps`` in [10, 2000].
    Returns the Figure.
    """
    tolerance = check_positive("tolerance", tolerance)
    steps = check_integer("steps", steps, low=10, high=2000)
    if not isinstance(settings, dict) or not 1 <= len(settings) <= 4:
        raise ValueError(f"settings must map 1 to 4 labels to (η, μ) pairs; got {settings!r}"[:200])
    if not isinstance(rates, dict) or not all(0 < float(r) < 1 for r in rates.values()):
        raise ValueError(f"rates must map labels to rates per step in (0, 1); got {rates!r}"[:200])
    lrs, momenta = np.linspace(0.02, 2.4, 120), np.linspace(0.0, 0.96, 97)
    needed = momentum_steps_map(lrs, momenta, tolerance=tolerance, steps=steps)
    figure, (left, right) = new_figure(1, 2, width=7.6, height=4.8)
    mesh = left.pcolormesh(lrs, momenta, needed, cmap=colormaps["viridis_r"].with_extremes(bad="0.7"),
                           shading="nearest", norm=LogNorm(vmin=np.nanmin(needed), vmax=steps))
    # Momentum on a quadratic diverges once η·λmax > 2(1 + μ); an unsettled cell short of that line is only slow
    lam_max = 2 * max(ELONGATED_BOWL.a, ELONGATED_BOWL.b)
    diverges = lrs[None, :] * lam_max > 2 * (1 + momenta[:, None])
    too_slow = np.where(np.isnan(needed) & ~diverges, 1.0, np.nan)
    left.pcolormesh(lrs, momenta, too_slow, cmap=ListedColormap([_TOO_SLOW]), shading="nearest")
    left.set_title(f"grey: diverges; pink: not within {tolerance:g}\nafter {steps} steps (too slow)", fontsize=9)
    colorbar = figure.colorbar(mesh, ax=left, label=f"steps to within {tolerance:g}")
    colorbar.set_ticks([v for v in (20, 30, 50, 100, 200, 300) if np.nanmin(needed) <= v <= steps])
    colorbar.set_ticklabels([f"{v:d}" for v in (20, 30, 50, 100, 200, 300) if np.nanmin(needed) <= v <= steps])
    colorbar.ax.minorticks_off()
    left.set_xlabel("learning rate η")
    left.set_ylabel("momentum μ")
    left.plot(2 * (1 + momenta) / lam_max, momenta, color=COLORS["black"], linestyle="--", linewidth=1)
    left.text(2.3, 0.1, "η > 1 + μ:\ndiverges", ha="right", va="bottom", fontsize=8)  # in the grey, right of the line
    # a margin round the map: the marks on its edges (μ = 0, small η) are drawn whole, not half over the frame
    left.set_xlim(-0.04, lrs[-1] + 0.02)
    left.set_ylim(-0.05, momenta[-1] + 0.01)
    start = np.array(LANDSCAPE_START)
    t = np.arange(steps + 1)
    handles, labels = [], []  # one legend, beside the curves: a legend on the map would hide some of its cells
    # orange, green, blue, purple: apart from each other and from the map's colours
    for (label, (lr, mu)), color, marker in zip(settings.items(), [COLORS[c] for c in ("orange", "green", "blue", "purple")],
                                                "osD^"):
        trajectory = run_landscape_trajectory(Optimizer("momentum", lr=lr, momentum=mu), steps=steps)
        count = landscape_steps_to_tolerance(trajectory, tolerance)
        point, = left.plot([lr], [mu], marker=marker, color=color, markeredgecolor="white", markersize=9,
                           linestyle="none", clip_on=False, zorder=5)
        # wide and pale: a rate line drawn on its curve (SGD's best η follows 0.905^t) stays visible on it
        curve, = right.plot(t, np.linalg.norm(trajectory["points"], axis=1), color=color, linewidth=3, alpha=0.75)
        handles.append((curve, point))
        labels.append(f"{label}: {count} steps" if count is not None else f"{label}: not within {steps}")
    for (label, rate), style in zip(rates.items(), ("--", ":")):
        handles += right.plot(t, np.linalg.norm(start) * float(rate) ** t, color=COLORS["black"], linestyle=style,
                              linewidth=1)
        labels.append(label)
    right.axhline(tolerance, color="0.5", linewidth=0.8)
    right.set_yscale("log")
    right.set_ylim(tolerance / 100, 20)
    right.set_xlim(0, 130)
    right.set_xlabel("step $t$")
    right.set_ylabel("distance to the minimum")
    # under the axes: inside, the key lay on the curves; (curve, point) shows the map's mark too
    right.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8)
    figure.suptitle("Tuned, Momentum beats SGD: the book's (η, μ) is far from its best.\n"
                    r"Per step the error shrinks by about $(\sqrt{\kappa}-1)/(\sqrt{\kappa}+1)$ against SGD's $(\kappa-1)/(\kappa+1)$")
    return figure


def _slider_names(optimizer: str) -> tuple:
    """The panel's sliders for ``optimizer``: η, the decay rates it reads (its hyperparameters but ε, which
    the chapter leaves at PyTorch's default), and the number of steps."""
    return ("lr", *(name for name in OPTIMIZERS[optimizer].hyperparameters if name != "eps"), "steps")


def _settings_text(values: dict) -> str:
    """"η = 0.1, μ = 0.9": ``values`` {hyperparameter name: number}, each written with its symbol."""
    return ", ".join(f"{HYPERPARAMETER_SYMBOLS[name]} = {value:g}" for name, value in values.items())


def describe_optimizer(optimizer: Optimizer) -> str:
    """"Momentum, η = 0.1, μ = 0.9": the label (from OPTIMIZERS) of ``optimizer`` (a helpers.Optimizer) and
    every setting it reads, defaults filled in."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a helpers.Optimizer; got {type(optimizer).__name__}")
    return f"{optimizer.rule.label}, {_settings_text(optimizer.hyperparameters)}"


def landscape_steps_table(settings: dict | None = None, *, tolerance: float = 0.01, steps: int = 200,
                          landscape: QuadraticBowl = ELONGATED_BOWL, start=LANDSCAPE_START) -> Table:
    """A Table of :func:`helpers.landscapes.landscape_comparison`: for each optimizer, the settings it reads,
    f after 30 steps and the steps it needs to settle within ``tolerance`` of the minimum (within ``steps``
    steps; "not within N" otherwise, or where it diverged). Arguments as for landscape_comparison."""
    results = landscape_comparison(settings, tolerance=tolerance, steps=steps, landscape=landscape, start=start)
    rows = []
    for result in results:
        optimizer = result["optimizer"]
        if result["diverged_at"] is not None:
            verdict = f"diverged at step {result['diverged_at']}"
        else:
            needed = result["steps_to_tolerance"]
            verdict = needed if needed is not None else f"not within {steps}"
        rows.append([optimizer.rule.label, _settings_text(optimizer.hyperparameters), result["value_at_30"], verdict])
    return Table(rows, ["optimizer", "settings", f"f after {min(30, steps)} steps", f"steps to within {tolerance:g}"],
                 digits=4, title=f"From {tuple(start)} on f = {landscape.formula}")


_GRIDS = {
    "sgd": {"lr": [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 1.0, 1.05]},
    "momentum": {"lr": [0.01, 0.1, 0.5, 1.0, 2.0], "momentum": [0.0, 0.5, 0.9, 0.99]},
    "adagrad": {"lr": [0.1, 0.5, 1.5, 3.0]},
    "rmsprop": {"lr": [0.01, 0.1, 0.5], "beta2": [0.0, 0.9, 0.99]},
    "adam": {"lr": [0.01, 0.1, 0.3, 1.0], "beta1": [0.0, 0.5, 0.9], "beta2": [0.9, 0.999]},
}
#: What each optimizer's panel invites the reader to look for (the figure's title, after the optimizer's label);
#: tests/test_landscapes.py checks each claim over the sliders' range. RMSProp's s starts at (1 − β2)·g² (no bias
#: correction), so its first step is η/√(1 − β2); Adam's v̂ is corrected, so its first step is η.
_NOTICE = {
    "sgd": "above η = 0.5 the path zig-zags across the valley (y × (1 − 2η) < 0);\nat η = 1 it bounces for ever, above 1 it diverges",
    "momentum": "more momentum μ cancels the zig-zag but swings around the minimum;\nit tolerates η up to 1 + μ before diverging",
    "adagrad": "its steps shrink as squared gradients pile up:\na small η stalls before it gets there",
    "rmsprop": "its first step is η/√(1 − β2) per coordinate (10η at β2 = 0.99),\n"
               "later ones shorter; at β2 = 0 only g's sign is left: it hops around the minimum",
    "adam": "RMSProp's rates, bias-corrected (the first step is η per coordinate),\n"
            "with Momentum's swing; β1 = 0 removes the swing, β1 near 1 lengthens it",
}


def _free_corner(ax, x, y) -> tuple:
    """(position, ha, va) in axes fractions for a note on ``ax`` (log y) clear of the line (x, y): the
    bottom right, where a diverging distance is not (it starts low on the left and rises), above the dotted
    tolerance line near the bottom, unless the line passes there; then the top left."""
    x_low, x_high = ax.get_xlim()
    y_low, y_high = np.log10(ax.get_ylim())
    u = np.interp(np.linspace(0, len(x) - 1, 20 * len(x)), np.arange(len(x)), (np.asarray(x) - x_low) / (x_high - x_low))
    v = np.interp(np.linspace(0, len(y) - 1, 20 * len(y)), np.arange(len(y)), (np.log10(y) - y_low) / (y_high - y_low))
    if not np.any((u > 0.2) & (v < 0.24)):
        return (0.96, 0.1), "right", "bottom"
    return (0.04, 0.96), "left", "top"


def _few_log_ticks(axis, numticks: int = 6) -> None:
    """A log axis with a handful of labelled decades and no minor ticks (each tick costs drawing time)."""
    axis.set_major_locator(LogLocator(numticks=numticks))
    axis.set_minor_locator(NullLocator())


def _cached_trajectory(cache: RunCache, optimizer: str, steps: int, **overrides) -> dict:
    """The path for these hyperparameters, from ``cache`` when a kept run has at least ``steps`` steps:
    fewer steps are a prefix of more (the steps slider then costs no recomputation)."""
    cached = cache.get(tuple(sorted(overrides.items())),
                       lambda: run_landscape_trajectory(landscape_optimizer(optimizer, **overrides), steps=steps),
                       reuse=lambda run: len(run["points"]) > steps)
    diverged = cached["diverged_at"]
    return {"points": cached["points"][:steps + 1],
            "diverged_at": diverged if diverged is not None and diverged <= steps else None}


@panel_factory("landscapes-optimizer")
def landscape_optimizer_panel(optimizer: str = "sgd", tolerance: float = 0.01):
    """Sliders for one optimizer on x²/20 + y²: η (log scale 1e-3 … ≈3.2), the decay rates it uses
    (momentum, β1 in [0, 0.99]; β2 in [0, 0.9999]) and the number of steps (1 … 200).

    Left: the path over the contours (drawn once), a triangle on the edge where it first leaves the plot. Right:
    distance to the minimum per step (log scale). The status line says "diverged at step k", or when the path
    settles within ``tolerance`` > 0; for Adam with β1 ≥ √β2, also that m̂/√v̂ is unbounded (chapter 7).
    """
    check_choice("optimizer", optimizer, OPTIMIZER_NAMES)
    tolerance = check_positive("tolerance", tolerance)
    start = {**OPTIMIZERS[optimizer].defaults, **LANDSCAPE_SETTINGS[optimizer]}  # the chapter's setting, else PyTorch's
    style = {"description_width": "90px"}
    make = {
        "lr": lambda: widgets.FloatLogSlider(value=start["lr"], base=10, min=-3, max=0.5, step=0.01,
                                             description="η (lr)", readout_format=".3g", style=style),
        "momentum": lambda: widgets.FloatSlider(value=start["momentum"], min=0.0, max=0.99, step=0.01,
                                                description="momentum μ", style=style),
        "beta1": lambda: widgets.FloatSlider(value=start["beta1"], min=0.0, max=0.99, step=0.01,
                                             description="β1", style=style),
        "beta2": lambda: widgets.FloatSlider(value=start["beta2"], min=0.0, max=0.9999, step=0.0001,
                                             description="β2", readout_format=".4f", style=style),
        "steps": lambda: widgets.IntSlider(value=30, min=1, max=200, description="steps", style=style),
    }
    sliders = {name: make[name]() for name in _slider_names(optimizer)}

    figure, (left, right) = new_figure(1, 2, width=7.0, height=3.9)
    figure.suptitle(f"{OPTIMIZERS[optimizer].label}: {_NOTICE[optimizer]}", fontsize=11)
    plot_landscape_contours(left, ELONGATED_BOWL)  # the landscape is drawn once; only the path moves
    # where the path first leaves the plot: a triangle on the edge it crosses (as chapter 10's panel marks it),
    # over the path (zorder 3); hidden, not empty, while the path stays inside: an empty unclipped line would
    # stretch the layout to (0, 0)
    (exit_mark,) = left.plot(*LANDSCAPE_START, linestyle="none", marker="v", markersize=9, color=_COLOR[optimizer],
                             markeredgecolor=COLORS["black"], markeredgewidth=0.8, clip_on=False, visible=False,
                             zorder=3)
    (path,) = left.plot([], [], marker="o", markersize=3, linewidth=1.2, color=_COLOR[optimizer])
    (distance_line,) = right.plot([], [], color=_COLOR[optimizer])
    right.axhline(tolerance, color=COLORS["black"], linestyle=":", linewidth=1)
    right.set_yscale("log")
    _few_log_ticks(right.yaxis)
    right.set_xlabel("step $t$")
    right.set_ylabel("distance to the minimum")
    right.set_title(f"distance to (0, 0); dotted: {tolerance:g}", fontsize=10)
    mark_divergence(right, None).set(fontsize=10)  # placed clear of the curve on each update (_free_corner)
    cache = RunCache(256)  # at most 256 paths of ≤ 200 steps: about 2 MB

    def update(lr, steps, **chosen):  # chosen: the decay rates this optimizer reads (its sliders)
        overrides = {"lr": lr, **chosen}
        trajectory = _cached_trajectory(cache, optimizer, steps, **overrides)
        kept = trajectory["diverged_at"] if trajectory["diverged_at"] is not None else steps + 1
        points = trajectory["points"][:kept]  # only the finite part of a diverged run is drawn
        path.set_data(points[:, 0], points[:, 1])
        exits = path_exits(points[:, 0], points[:, 1], _XLIM, _YLIM)
        if exits:
            exit_mark.set_data([exits[0].x], [exits[0].y])
            exit_mark.set_marker(exits[0].marker)
        exit_mark.set_visible(bool(exits))
        # log axis: an exact hit on the minimum (distance 0) is drawn at the bottom edge
        distance = np.maximum(np.linalg.norm(points, axis=1), 1e-300)
        distance_line.set_data(np.arange(kept), distance)
        # a path that diverges within a few steps fills the axes instead of its left edge
        right.set_xlim(0, max(steps, 1) if trajectory["diverged_at"] is None else
                       min(nice_limits(0, max(kept - 1, 1), pieces=5)[1], max(steps, 1)))
        right.set_ylim(max(min(distance.min(), tolerance) / 3, 1e-12), max(distance.max(), 10) * 3)
        settings = _settings_text({"lr": float(f"{lr:.3g}"), **chosen})
        left.set_title(f"{OPTIMIZERS[optimizer].label}, {settings}", fontsize=10)
        if trajectory["diverged_at"] is not None:
            message = f"diverged at step {trajectory['diverged_at']}"
        else:
            needed = landscape_steps_to_tolerance(trajectory, tolerance)
            message = (f"settles within {tolerance:g} of the minimum at step {needed}" if needed is not None
                       else f"not within {tolerance:g} of the minimum after {steps} steps")
        # "of 200": the step axis ends where the path diverged, so the note says how many steps were asked for
        note = mark_divergence(right, f"{message} of {steps}" if trajectory["diverged_at"] is not None else None)
        if trajectory["diverged_at"] is not None:
            position, ha, va = _free_corner(right, np.arange(kept), distance)
            note.set(position=position, ha=ha, va=va)
        if optimizer == "adam" and not np.isfinite(adam_ratio_bound(chosen["beta1"], chosen["beta2"])):
            # chapter 7, section 5: then a step can be many times η (the path may shoot far off)
            message += (f"; β1 = {chosen['beta1']:g} ≥ √β2 = {np.sqrt(chosen['beta2']):.3g}: m̂/√v̂ is unbounded, "
                        "so a step can be many times η")
        return message

    # room for the longest runs: the smallest η (distances near 1e-12) and the largest (a divergence)
    panel = SliderPanel(sliders, figure, update, grid=_GRIDS[optimizer],
                        description=f"Slider panel: {OPTIMIZERS[optimizer].label} on x²/20 + y² "
                                    f"(sliders: {', '.join(sliders)})")
    return panel.freeze_layout({"steps": 30}, {"lr": 1e-3, "steps": 200}, {"lr": 10**0.5, "steps": 200}, blit=True)
