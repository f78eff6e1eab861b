"""Figures and the slider panel of the chapter "Initialization and the symmetry problem"."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..initialization import INIT_ACTIVATIONS, activation_statistics
from ..plots import COLORS, PALETTE, new_figure
from ..validation import check_integer
from ..widgets import SliderPanel, panel_factory

__all__ = ["INIT_EXPERIMENT", "plot_initialization_activation_stds", "plot_initialization_symmetry",
           "initialization_activation_panel"]

#: The settings the layer-by-layer experiment compares: label → (scheme, std of the plain normal).
INIT_EXPERIMENT = {"normal, σ = 1": ("normal", 1.0), "normal, σ = 0.01": ("normal", 0.01),
                   "Xavier (normal)": ("xavier_normal", 1.0), "He (normal)": ("he_normal", 1.0)}
_SHOWN = (1e-300, 1e300)  # log axes: exact zeros and overflow are drawn at the edges, never as 0 or inf


def _layer_stds(activation, depth, width, seed, n_samples=200):
    return {label: np.clip(np.nan_to_num(activation_statistics(scheme, activation, depth=depth, width=width,
                                                               n_samples=n_samples, seed=seed, std=std)["std"],
                                         nan=_SHOWN[1]), *_SHOWN)
            for label, (scheme, std) in INIT_EXPERIMENT.items()}


def _style_std_axis(ax, depth):
    ax.set_yscale("log")
    ax.set_ylim(1e-8, 1e8)
    ax.set_xlim(0.5, depth + 0.5)
    ax.axhline(1.0, color=COLORS["black"], linestyle=":", linewidth=1)
    ax.set_xlabel("layer")


def plot_initialization_activation_stds(*, depth: int = 10, width: int = 100, seed: int = 0):
    """Standard deviation of each layer's activations through ``depth`` layers of ``width`` units, for every
    setting of INIT_EXPERIMENT, with tanh (left) and ReLU (right). Returns the Figure."""
    depth = check_integer("depth", depth, low=1, high=1000)
    figure, axes = new_figure(1, 2, width=7.0, height=3.8, sharey=True)
    layers = np.arange(1, depth + 1)
    for ax, activation in zip(axes, INIT_ACTIVATIONS):
        for (label, stds), color in zip(_layer_stds(activation, depth, width, seed).items(), PALETTE):
            ax.plot(layers, stds, marker="o", markersize=3, color=color, label=label)
        _style_std_axis(ax, depth)
        ax.set_title(activation, fontsize=10)
    axes[0].set_ylabel("std of the layer's activations")
    axes[1].legend(fontsize=8, loc="lower left")
    figure.suptitle(f"{depth} layers of {width} units: σ = 1 saturates tanh and explodes ReLU,\n"
                    "σ = 0.01 vanishes; Xavier fits tanh, He keeps ReLU steady")
    return figure


def plot_initialization_symmetry(runs: dict):
    """W1's first-column weights of hidden units 1 and 2, step by step, one panel per run.

    ``runs`` maps a label to a ``TwoLayerRun`` (1 to 3 runs). Under a constant start the two lines are one
    line; under a random start they move apart. Returns the Figure.
    """
    if not 1 <= len(runs) <= 3:
        raise ValueError(f"runs must hold 1 to 3 TwoLayerRun results; got {len(runs)}")
    figure, axes = new_figure(1, len(runs), width=7.0, height=3.4)
    axes = np.atleast_1d(axes)
    for ax, (label, run) in zip(axes, runs.items()):
        weights = np.array([run.start["W1"]] + [step["params"]["W1"] for step in run])
        steps = np.arange(len(weights))
        for unit, (color, style) in enumerate(zip((COLORS["blue"], COLORS["orange"]), ("-", "--"))):
            if unit < weights.shape[1]:
                ax.plot(steps, weights[:, unit, 0], color=color, linestyle=style, label=f"hidden unit {unit + 1}: W1[{unit + 1}, 1]")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("step")
    axes[0].set_ylabel("incoming weight from $x_1$")
    axes[0].legend(fontsize=8)
    figure.suptitle("From a constant start the two hidden units stay one unit (the lines coincide);\n"
                    "a random start lets them learn different things")
    return figure


@panel_factory("initialization-activation-stds")
def initialization_activation_panel(seed: int = 0):
    """Sliders: depth (1 … 30 layers), width (2 … 300 units) and the activation (tanh or ReLU) of the
    layer-by-layer experiment; one line per setting of INIT_EXPERIMENT. ``seed`` ≥ 0 fixes the draws."""
    seed = check_integer("seed", seed, low=0)
    style = {"description_width": "90px"}
    sliders = {
        "depth": widgets.IntSlider(value=10, min=1, max=30, description="depth", style=style),
        "width": widgets.IntSlider(value=100, min=2, max=300, description="width", style=style),
        "activation": widgets.Dropdown(options=list(INIT_ACTIVATIONS), value="tanh", description="activation",
                                       style=style),
    }
    figure, ax = new_figure(width=7.0, height=3.8)
    lines = {label: ax.plot([], [], marker="o", markersize=3, color=color, label=label)[0]
             for label, color in zip(INIT_EXPERIMENT, PALETTE)}
    ax.set_ylabel("std of the layer's activations")
    ax.legend(fontsize=8, loc="lower left")

    def update(depth, width, activation):
        stds = _layer_stds(activation, depth, width, seed, n_samples=100)  # 100 inputs: enough, and quick to redraw
        layers = np.arange(1, depth + 1)
        for label, line in lines.items():
            line.set_data(layers, stds[label])
        _style_std_axis(ax, depth)
        ax.set_title(f"{activation}, {depth} layers of {width} units", fontsize=10)
        last = ", ".join(f"{label.split(' (')[0]} {values[-1]:.2g}" for label, values in stds.items())
        return f"std at layer {depth}: {last}"

    grid = {"depth": [1, 5, 10, 20, 30], "width": [10, 100, 300], "activation": list(INIT_ACTIVATIONS)}
    return SliderPanel(sliders, figure, update, grid=grid,
                       description="Slider panel: activation std layer by layer (sliders: depth, width, activation)")
