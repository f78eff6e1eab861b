"""Figures and the slider panel of the chapter "Initialization and the symmetry problem"."""
from __future__ import annotations


import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter

from ..initialization import INIT_ACTIVATIONS, INIT_EXPERIMENT, init_experiment_layer_stds
from ..network import TwoLayerRun
from ..plots import COLORS, EDGE_MARKERS, PALETTE, new_figure
from ..validation import check_choice, check_integer
from ..widgets import RunCache, SliderPanel, panel_factory

__all__ = ["plot_initialization_layer_stds", "plot_initialization_symmetry",
           "initialization_activation_panel"]

_ACTIVATION_NAMES = {"tanh": "tanh", "relu": "ReLU"}
#: The panel's deepest and widest settings. A new width is run once through all 30 layers: at 200 units that
#: takes 0.1-0.2 s on a busy 2-core machine (300 units took 2-4 s before the products were kept on one thread).
_PANEL_DEPTH, _PANEL_WIDTH = 30, 200
_SHOWN = (1e-300, 1e300)  # log axes: exact zeros and overflow are drawn at the edges, never as 0 or inf
_STD_LIMITS = (1e-8, 1e8)  # the panel's fixed y-range: every setting on one scale
_GRAD_LIMITS = (1e-14, 1e8)  # the backward figure's: σ = 0.01's gradients sit near 1e-12


def _layer_stds(activation, depth, width, seed, n_samples=200, quantity="std"):
    """init_experiment_layer_stds, clipped to what the log axes can show (NaN drawn as overflow)."""
    return {label: np.clip(np.nan_to_num(values, nan=_SHOWN[1]), *_SHOWN)
            for label, values in init_experiment_layer_stds(activation, depth, width, seed, n_samples, quantity).items()}


def _first_exit(values, limits):
    """(layer, edge, marker) where ``values`` (one per layer) first leave ``limits`` on a log axis, or None."""
    outside = np.flatnonzero((values < limits[0]) | (values > limits[1]))
    if outside.size == 0:
        return None
    below = values[outside[0]] < limits[0]
    return outside[0] + 1, limits[0] if below else limits[1], EDGE_MARKERS["bottom" if below else "top"]


def _exit_marker(ax, color):
    """An empty triangle artist for a line's exit, on the edge and outside the layout."""
    marker = ax.plot([], [], linestyle="none", marker="v", markersize=9, markeredgecolor=COLORS["black"],
                     markeredgewidth=0.8, color=color, clip_on=False)[0]
    marker.set_in_layout(False)  # unclipped: the layout must not make room for it
    return marker


def _style_std_axis(ax, depth, unit_line=True):
    """Log axis from 1e-8 to 1e8, labelled every 10⁴ (drawn once; redraws only move the lines)."""
    ax.set_yscale("log")
    ax.set_ylim(*_STD_LIMITS)
    ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-8, 9, 4)))
    ax.yaxis.set_minor_locator(FixedLocator(10.0 ** np.arange(-8, 9, 2)))  # unlabelled: every 10²
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # depth 1: the one tick "1", not tenths
    ax.set_xlim(0.5, depth + 0.5)
    if unit_line:
        ax.axhline(1.0, color=COLORS["black"], linestyle=":", linewidth=1)
    ax.set_xlabel("layer")


_NOTICE = ("σ = 1 saturates tanh and explodes ReLU, σ = 0.01 vanishes;\n"
           "He keeps ReLU steady (dotted: std 1)")
#: What each figure of plot_initialization_layer_stds asks the reader to look at.
_QUANTITIES = {
    "activations": ("std", "std of the layer's activations", _NOTICE),
    "gradients": ("grad_std", "std of ∂L/∂W of the layer",
                  "Backward, tanh: Xavier's ∂L/∂W is level across layers,\n"
                  "σ = 1's grows 2600-fold back to layer 1; ReLU: only the size differs"),
}


def plot_initialization_layer_stds(*, quantity: str = "activations", depth: int = 10, width: int = 100, seed: int = 0):
    """Per layer, for every setting of INIT_EXPERIMENT, with tanh (left) and ReLU (right): the standard deviation
    of the activations (``quantity="activations"``, the forward pass) or of ∂L/∂W (``"gradients"``, the backward
    pass; see ``activation_statistics``) through ``depth`` layers of ``width`` units. ``depth`` in [1, 1000] and
    ``width`` in [1, 10000], whole numbers; ``seed`` (≥ 0) fixes the draws. Returns the Figure."""
    key, ylabel, notice = _QUANTITIES[check_choice("quantity", quantity, tuple(_QUANTITIES))]
    depth = check_integer("depth", depth, low=1, high=1000)
    width = check_integer("width", width, low=1, high=10_000)
    seed = check_integer("seed", seed, low=0)
    figure, axes = new_figure(1, 2, width=7.0, height=4.4, sharey=True)
    layers = np.arange(1, depth + 1)
    for ax, activation in zip(axes, INIT_ACTIVATIONS):
        limits = _STD_LIMITS if key == "std" else _GRAD_LIMITS
        for (label, stds), color in zip(_layer_stds(activation, depth, width, seed, quantity=key).items(), PALETTE):
            ax.plot(layers, stds, marker="o", markersize=3, color=color, label=label)
            exit_ = _first_exit(stds, limits)
            if exit_:  # where the line leaves the plot, as the panel marks it
                layer, edge, marker = exit_
                _exit_marker(ax, color).set(xdata=[layer], ydata=[edge], marker=marker)
        _style_std_axis(ax, depth, unit_line=key == "std")
        ax.set_title(_ACTIVATION_NAMES[activation], fontsize=10)
        if key == "grad_std":
            ax.set_ylim(*_GRAD_LIMITS)
            ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-12, 9, 4)))
    axes[0].set_ylabel(ylabel)
    figure.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=4, fontsize=8)
    figure.suptitle(f"{depth} layer{'s' if depth > 1 else ''} of {width} units:\n" + notice)
    return figure


def plot_initialization_symmetry(runs: dict):
    """W1's first-column weights of hidden units 1 and 2, step by step, one panel per run.

    ``runs`` maps a label to a ``TwoLayerRun`` (1 to 3 runs). Under a constant start the two lines are one
    line; under a random start they move apart. Returns the Figure.
    """
    if not isinstance(runs, dict) or not all(isinstance(run, TwoLayerRun) for run in runs.values()):
        raise ValueError(f"runs must map labels to TwoLayerRun results; got {runs!r}"[:200])
    if not 1 <= len(runs) <= 3:
        raise ValueError(f"runs must hold 1 to 3 TwoLayerRun results; got {len(runs)}")
    figure, axes = new_figure(1, len(runs), width=7.0, height=3.4)
    axes = np.atleast_1d(axes)
    for ax, (label, run) in zip(axes, runs.items()):
        weights = np.array([run.start["W1"]] + [step["params"]["W1"] for step in run])
        steps = np.arange(len(weights))
        for unit, (color, style) in enumerate(zip((COLORS["blue"], COLORS["orange"]), ("-", "--"))):
            if unit < weights.shape[1]:
                ax.plot(steps, weights[:, unit, 0], color=color, linestyle=style,
                        label=f"hidden unit {unit + 1}: $W^{{[1]}}_{{{unit + 1}1}}$")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("step")
        # every panel has its own y-scale (chapter 10: from the constant start the weight moves by 0.024, from the
        # Xavier start unit 2's by 0.21, and there the units lie 0.36 apart from step 0), so each says what it measures
        ax.set_ylabel("$W^{[1]}_{j1}$, unit $j$'s weight from $x_1$" if ax is axes[0]
                      else "$W^{[1]}_{j1}$ (a different scale)")
    axes[0].legend(fontsize=8)
    figure.suptitle("From a constant start the two hidden units stay one unit (the lines coincide);\n"
                    "a random start lets them learn different things")
    return figure


@panel_factory("initialization-activation-stds")
def initialization_activation_panel(seed: int = 0):
    """Sliders: depth (1 … 30 layers), width (2 … 200 units) and the activation (tanh or ReLU) of the
    layer-by-layer experiment (100 inputs); one line per setting of INIT_EXPERIMENT. ``seed`` ≥ 0 fixes the draws.

    Layer l's weights do not depend on the depth, so each (width, activation) is run once to the deepest
    setting and the depth slider only shows more or fewer of its layers.
    """
    seed = check_integer("seed", seed, low=0)
    style = {"description_width": "90px"}
    sliders = {
        "depth": widgets.IntSlider(value=10, min=1, max=_PANEL_DEPTH, description="depth", style=style),
        "width": widgets.IntSlider(value=100, min=2, max=_PANEL_WIDTH, description="width", style=style),
        "activation": widgets.Dropdown(options=list(INIT_ACTIVATIONS), value="tanh", description="activation",
                                       style=style),
    }
    figure, ax = new_figure(width=7.0, height=4.2)
    figure.suptitle(_NOTICE, fontsize=11)
    lines = {label: ax.plot([], [], marker="o", markersize=3, color=color, label=label)[0]
             for label, color in zip(INIT_EXPERIMENT, PALETTE)}
    # Where a line leaves the fixed range: a triangle on the edge it crosses, at the first layer outside.
    exits = {label: _exit_marker(ax, line.get_color()) for label, line in lines.items()}
    _style_std_axis(ax, sliders["depth"].value)
    ax.set_ylabel("std of the layer's activations")
    figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=4, fontsize=8)

    cache = RunCache(64)  # ≤ 64 settings of a few hundred numbers each

    def deepest(width, activation):
        return cache.get((width, activation), lambda: _layer_stds(activation, _PANEL_DEPTH, width, seed, n_samples=100))

    shown = {}  # the last layer's std per setting, for the readout
    left = []  # where each line that leaves the y-range leaves it, for the status line

    def update(depth, width, activation):
        stds = {label: values[:depth] for label, values in deepest(width, activation).items()}
        layers = np.arange(1, depth + 1)
        for label, line in lines.items():
            line.set_data(layers, stds[label])
        ax.set_xlim(0.5, depth + 0.5)
        ax.set_title(f"{_ACTIVATION_NAMES[activation]}, {depth} layer{'s' if depth > 1 else ''} of {width} units", fontsize=10)
        shown.clear()
        shown.update({"layer": depth, **{label: values[-1] for label, values in stds.items()}})
        left.clear()
        for label, values in stds.items():
            exit_ = _first_exit(values, _STD_LIMITS)
            if exit_ is None:
                exits[label].set_data([], [])
                continue
            layer, edge, marker = exit_
            exits[label].set_data([layer], [edge])
            exits[label].set_marker(marker)
            left.append(f"{label} {'falls below' if edge == _STD_LIMITS[0] else 'rises above'} "
                        f"1e{round(np.log10(edge))} at layer {layer}")
        return "; ".join(left) or None  # the status line: where a line leaves the plot

    def readout():
        described = {_SHOWN[0]: "0 (every unit off)", _SHOWN[1]: "overflow"}
        rows = [f"{label:<17} {described.get(value, f'{value:.2g}')}" for label, value in shown.items() if label != "layer"]
        return "\n".join([f"std at layer {shown['layer']}:", *rows])

    grid = {"depth": [1, 5, 10, 20, 30], "width": [10, 100, 200], "activation": list(INIT_ACTIVATIONS)}
    panel = SliderPanel(sliders, figure, update, grid=grid, readout=readout,
                        description="Slider panel: activation std layer by layer (sliders: depth, width, activation)")
    return panel.freeze_layout(depth=10, width=100, activation="tanh", blit=True)
