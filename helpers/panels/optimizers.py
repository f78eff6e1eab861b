"""Figures, tables and slider panels of the optimizers, chapters 6 and 7: moving averages, bias correction,
each optimizer step by step, and SGD, Momentum, RMSProp and Adam on the 2-2-2 network (chapter 7's big
panel, :func:`adam_panel`). What each optimizer is (its label, formula, state and hyperparameters) comes
from its :class:`helpers.optimizers.OptimizerRule`."""
from __future__ import annotations

import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, LogFormatter, LogLocator, MaxNLocator, NullLocator, StrMethodFormatter

from ..network import TWO_LAYER_PARAMETERS, TwoLayerRun, _replay_two_layer_flat, two_layer_params
from ..optimizers import (HYPERPARAMETER_SYMBOLS, OPTIMIZERS, Optimizer, adam_ratio_bound, bias_correction_factor,
                          bias_correction_wear_off, exponential_moving_average, momentum_step, momentum_step_book_form)
from ..plots import COLORS, mark_divergence, new_figure, nice_limits, nice_step
from ..tables import Table, format_number
from ..validation import as_float_array, check_choice, check_decay_rate, check_integer, check_number, check_positive, check_text
from ..widgets import RunCache, SliderPanel, panel_factory

__all__ = ["ADAM_PANEL_OPTIMIZERS", "TWO_LAYER_PARAMETER_LABELS", "plot_bias_correction_factors",
           "ema_bias_panel", "optimizer_trace_table", "momentum_forms_table", "adam_step_table",
           "update_comparison_table", "plot_adam_vs_sgd", "plot_loss_against_learning_rate", "AdamPanelFigure", "adam_panel"]

#: The optimizers the Adam panel offers (its dropdown), in the chapter's order.
ADAM_PANEL_OPTIMIZERS = tuple(OPTIMIZERS[name] for name in ("sgd", "momentum", "rmsprop", "adam"))


def _layer_form(name: str) -> str:
    """The course's plain-text name of a parameter of the network: "W1" → "W[1]" (layer in brackets, as W^[1])."""
    return f"{name[0]}[{name[1:]}]"


def _parameter_entries():
    entries = []
    for name, shape in (("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 2)), ("b2", (2,))):
        for index in np.ndindex(*shape):
            # entries counted from 1 after an underscore, as chapter 5 writes W[1]_11 and b[1]_2 (W^[1]_11 in LaTeX)
            label = f"{_layer_form(name)}_{''.join(str(i + 1) for i in index)}"
            entries.append((label, name, index))
    return entries


_ENTRIES = _parameter_entries()
#: The 12 parameters of the 2-2-2 network as the chapters name them, counted from 1: "W[1]_11" ... "b[2]_2".
TWO_LAYER_PARAMETER_LABELS = tuple(label for label, _, _ in _ENTRIES)
_GROUP_COLORS = {"W1": COLORS["blue"], "b1": COLORS["sky"], "W2": COLORS["orange"], "b2": COLORS["green"]}


# -- chapter 6: moving averages ----------------------------------------------------------------
def _noisy_gradients(steps: int, noise: float, seed: int, mean: float = 1.0) -> np.ndarray:
    return mean + noise * np.random.default_rng(seed).standard_normal(steps)


def _draw_ema_bias(ax, beta: float, noise: float, steps: int, seed: int, artists=None):
    g = _noisy_gradients(steps, noise, seed)
    t = np.arange(1, steps + 1)
    series = {
        "first_value": exponential_moving_average(g, beta),
        "zero": exponential_moving_average(g, beta, convention="zero"),
        "corrected": exponential_moving_average(g, beta, convention="zero", bias_corrected=True),
    }
    if artists is None:
        artists = {"g": ax.plot(t, g, "o", color="0.6", markersize=3, label="gradients $g_t$ (mean 1)")[0]}
        styles = {"first_value": ("source 003: $S_1 = g_1$", COLORS["green"], "-"),
                  "zero": ("Adam: $m_0 = 0$", COLORS["vermillion"], "-"),
                  "corrected": (r"$\hat m_t = m_t/(1-\beta^t)$", COLORS["blue"], "--")}
        for key, (label, color, style) in styles.items():
            artists[key] = ax.plot(t, series[key], style, color=color, label=label)[0]
        artists["expected"] = ax.plot(t, 1 - beta**t, ":", color=COLORS["black"], linewidth=1.2,
                                      label=r"$(1-\beta^t)\cdot 1$")[0]
        ax.set_xlabel("step $t$")
        ax.set_ylabel("value")
        # Two decimals on every tick label: the labels keep one width at any noise, so the label "value",
        # placed beside them in the layout frozen at one setting, stays inside the image at all the others.
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:.2f}"))
        # under the axes: at β near 1 the zero start's curve runs low across the right half, and at noise 1
        # the gradients fill the top and bottom, so no corner inside stays free at every setting
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=9)
        ax.set_title("The zero start lags by the factor 1 − βᵗ; the correction removes it", fontsize=11)
        # β in a short text of its own: the one text that changes with the slider, redrawn on each move
        artists["beta"] = ax.text(0.015, 0.97, "", transform=ax.transAxes, va="top", fontsize=11,
                                  bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2})
    else:
        artists["g"].set_ydata(g)
        for key in series:
            artists[key].set_ydata(series[key])
        artists["expected"].set_ydata(1 - beta**t)
    # Every curve is a weighted average of 0 and the gradients (the corrected one of the gradients alone) and
    # 1 − βᵗ lies in [0, 1]: limits from the gradients only, on round ticks, stay put while β moves, so the
    # panel keeps the frame (helpers.blitting) instead of drawing a new one for each β.
    low, high = min(0.0, g.min()), max(1.0, g.max())
    margin = 0.05 * (high - low)
    ticks = ax.yaxis.get_major_locator().tick_values(low - margin, high + margin)
    ax.set_ylim(ticks[0], ticks[-1])
    artists["beta"].set_text(f"β = {beta:g}")
    return artists


@panel_factory("adam-ema-bias")
def ema_bias_panel(steps: int = 30, seed: int = 0):
    """Slider panel: moving averages of noisy gradients with mean 1, three ways: source 003's start
    (S_1 = g_1), Adam's zero start (m_0 = 0) and the zero start divided by 1 − β^t, beside 1 − β^t itself.
    Sliders: β (0 … 0.99) and the gradients' standard deviation, noise (0 … 1); ``steps`` (a whole number
    in [2, 1000]) gradients drawn with ``seed`` (a whole number ≥ 0)."""
    steps = check_integer("steps", steps, low=2, high=1000)
    seed = check_integer("seed", seed, low=0)
    sliders = {
        "beta": widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="β",
                                    continuous_update=True, readout_format=".2f"),
        "noise": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="noise",
                                     continuous_update=True, readout_format=".2f"),
    }
    figure, ax = new_figure(width=7.0, height=4.5)
    artists = _draw_ema_bias(ax, 0.9, 0.3, steps, seed)

    def update(beta, noise):
        _draw_ema_bias(ax, beta, noise, steps, seed, artists)
        return None

    panel = SliderPanel(sliders, figure, update, grid={"beta": [0.0, 0.5, 0.9, 0.99], "noise": [0.0, 0.3, 1.0]},
                        description="Panel: moving averages of noisy gradients with mean 1 (sliders: β, noise); "
                                    "the zero start lags by the factor 1 − β^t, the corrected one does not")
    return panel.freeze_layout(noise=1.0, blit=True)


def plot_bias_correction_factors(beta1: float = 0.9, beta2: float = 0.999, *, steps: int = 10000):
    """1/(1 − β1^t) and 1/(1 − β2^t) against t on log axes: 10 and 1000 at t = 1, both → 1. Each β gets two
    marks: t = 1/(1 − β) (dotted), where the factor is still ≈ 1.58, and the first t where it is ≤ 1.01
    (dashed, about 4.6/(1 − β); :func:`helpers.optimizers.bias_correction_wear_off`).

    beta1, beta2 in [0, 1); steps a whole number in [2, 100000]. Returns the Figure."""
    beta1, beta2 = check_decay_rate("beta1", beta1), check_decay_rate("beta2", beta2)
    steps = check_integer("steps", steps, low=2, high=100_000)
    t = np.arange(1, steps + 1)
    figure, ax = new_figure(width=7.0, height=3.8)
    for index, (beta, color) in enumerate(((beta1, COLORS["blue"]), (beta2, COLORS["orange"])), start=1):
        ax.loglog(t, bias_correction_factor(beta, t), color=color, label=f"$1/(1-\\beta_{index}^t)$, β{index} = {beta:g}")
        if beta > 0:
            memory, worn_off = 1 / (1 - beta), bias_correction_wear_off(beta)
            ax.axvline(memory, color=color, linestyle=":", linewidth=1.2)
            ax.axvline(worn_off, color=color, linestyle="--", linewidth=1.2)
            factor = bias_correction_factor(beta, int(round(memory)))
            label_box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1}
            # above and right of its point: the falling curve is below it there (left of the point it is above)
            ax.annotate(f"{factor:.2f}\nat t = {memory:.0f}", (memory, factor), color=color, fontsize=9,
                        ha="left", va="bottom", xytext=(4, 4), textcoords="offset points", bbox=label_box)
            # beside its dashed line, at a height where neither curve passes
            below = index == 1
            ax.annotate(f"≤ 1.01 from t = {worn_off}", (worn_off, 1.15 if below else 6.0), color=color, fontsize=9,
                        ha="left" if below else "right", va="bottom", xytext=(4 if below else -4, 0),
                        textcoords="offset points", bbox=label_box)
    ax.axhline(1.01, color=COLORS["black"], linewidth=0.8, alpha=0.5)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("correction factor $1/(1-\\beta^t)$")
    ax.set_title("Still ≈ 1.58 at t = 1/(1 − β) (dotted); ≤ 1.01 only after ≈ 4.6/(1 − β) (dashed)", fontsize=10.5)
    ax.legend(fontsize=9, loc="upper right")
    return figure


def optimizer_trace_table(optimizer: Optimizer, gradients, *, theta0: float = 0.0, digits: int = 4) -> Table:
    """Feed one parameter (starting at ``theta0``) the 1-D gradient sequence ``gradients`` through
    ``optimizer`` and tabulate every step: t, g, the optimizer's state (velocity, sum of squares, v, m, ...),
    the effective rate η/(√· + ε) where there is one, the update Δθ and the new θ. ``optimizer``: a
    helpers.Optimizer; ``gradients``: a non-empty 1-D list of finite numbers; ``theta0``: a finite number;
    ``digits``: decimals shown, a whole number in [0, 16]."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a helpers.Optimizer; got {type(optimizer).__name__}")
    gradients = as_float_array("gradients", gradients, ndim=1)
    theta0 = check_number("theta0", theta0)
    params = {"theta": np.array([theta0])}
    state = optimizer.init_state(params)
    keys = [k for k in ("velocity", "sum_of_squares", "m", "v", "m_hat", "v_hat", "effective_learning_rate", "update")]
    rows, shown = [], None
    for t, g in enumerate(gradients, start=1):
        params, state, record = optimizer.step(params, {"theta": np.array([g])}, state)
        record = record["theta"]
        shown = [k for k in keys if k in record]
        rows.append([t, float(g), *(float(record[k][0]) for k in shown), float(params["theta"][0])])
    headings = {"velocity": "velocity u", "sum_of_squares": "s = Σg²", "m": "m", "v": "v", "m_hat": "m̂",
                "v_hat": "v̂", "effective_learning_rate": "η/(√· + ε)", "update": "Δθ"}
    return Table(rows, ["t", "g", *(headings[k] for k in shown), "θ"], digits=digits,
                 title=f"{optimizer.name}: " + ", ".join(f"{k} = {v:g}" for k, v in optimizer.hyperparameters.items()))


def momentum_forms_table(gradients, *, lr: float = 0.1, momentum: float = 0.9, digits: int = 6) -> Table:
    """Both forms of Momentum on one parameter (θ_0 = 0) fed the 1-D sequence ``gradients``: PyTorch's
    u ← μu + g, θ ← θ − ηu and source 004's ũ ← μũ − ηg, θ ← θ + ũ, step by step, with the gap between
    the two θ and the check ũ = −η·u. lr > 0, momentum in [0, 1); ``digits``: decimals shown, a whole
    number in [0, 16]."""
    gradients = as_float_array("gradients", gradients, ndim=1)
    lr, momentum = check_positive("lr", lr), check_decay_rate("momentum", momentum)
    digits = check_integer("digits", digits, low=0, high=16)
    theta_p = theta_b = np.zeros(1)
    v = u = np.zeros(1)
    rows = []
    for t, g in enumerate(gradients, start=1):
        pytorch = momentum_step(theta_p, [g], v, lr=lr, momentum=momentum)
        book = momentum_step_book_form(theta_b, [g], u, lr=lr, momentum=momentum)
        theta_p, v, theta_b, u = pytorch["theta"], pytorch["velocity"], book["theta"], book["velocity"]
        rows.append([t, g, v[0], theta_p[0], u[0], theta_b[0], abs(theta_p[0] - theta_b[0]), abs(u[0] + lr * v[0])])
    return Table(rows, ["t", "g", "u (PyTorch)", "θ (PyTorch)", "ũ (source 004)", "θ (source 004)", "|Δθ between forms|",
                        "|ũ + η·u|"], digits=digits, title=f"Momentum two ways, η = {lr:g}, μ = {momentum:g}")


# -- chapter 7: Adam on the network ------------------------------------------------------------
def adam_step_table(step: dict, *, parameters=None, digits: int = 8) -> Table:
    """Every number of one Adam step on the network, one row per parameter: g, m, v, m̂, v̂, √v̂, the
    per-parameter rate η/(√v̂ + ε), the update Δθ and θ after. ``step`` is one record of
    ``replay_two_layer(optimizer="adam", ...)`` with all four parameters trained; ``parameters``: a
    non-empty list of labels from TWO_LAYER_PARAMETER_LABELS (the rows to show), or None for all 12;
    ``digits``: decimals shown, a whole number in [0, 16]."""
    adam_record = isinstance(step, dict) and isinstance(step.get("optimizer"), dict) and all(
        "m_hat" in step["optimizer"].get(name, {}) for name in TWO_LAYER_PARAMETERS)
    if not adam_record:
        raise ValueError("step must be a record of replay_two_layer(optimizer='adam', ...) with all four parameters "
                         f"trained; got {type(step).__name__}" + (f" with keys {sorted(step)}" if isinstance(step, dict) else ""))
    if parameters is not None:
        if isinstance(parameters, (str, bytes)) or not isinstance(parameters, (list, tuple)) or not parameters:
            raise ValueError(f"parameters must be a non-empty list of labels such as 'W[1]_11', or None; got {parameters!r}")
        for label in parameters:
            check_choice("parameters", label, TWO_LAYER_PARAMETER_LABELS)
    rows = []
    for label, name, index in _ENTRIES:
        if parameters is not None and label not in parameters:
            continue
        record = step["optimizer"][name]
        rows.append([label, step["grads"][name][index], record["m"][index], record["v"][index], record["m_hat"][index],
                     record["v_hat"][index], np.sqrt(record["v_hat"][index]), record["effective_learning_rate"][index],
                     record["update"][index], step["params"][name][index]])
    return Table(rows, ["parameter", "g", "m", "v", "m̂", "v̂", "√v̂", "η/(√v̂+ε)", "Δθ", "θ after"], digits=digits,
                 title=f"Adam, step {step['step']}: loss before the update L = {format_number(step['loss'], digits)}")


def update_comparison_table(runs: dict, steps=(1, 2), *, digits: int = 6) -> Table:
    """The change Δθ of each of the 12 parameters, side by side: one column per (run, step).
    ``runs`` maps a label ("SGD", "Adam") to a ``replay_two_layer`` run with at least max(steps) steps;
    ``steps``: a non-empty list of step numbers (whole numbers ≥ 1); ``digits``: decimals shown, in [0, 16]."""
    _check_runs(runs)
    if isinstance(steps, (str, bytes)) or not isinstance(steps, (list, tuple)) or not steps:
        raise ValueError(f"steps must be a non-empty list of step numbers (whole numbers ≥ 1); got {steps!r}")
    steps = [check_integer("steps", t, low=1) for t in steps]
    for label, run in runs.items():
        if len(run) < max(steps):
            raise ValueError(f"steps must not go past the end of a run; got step {max(steps)}, but "
                             f"runs[{label!r}] has {len(run)} steps")
    rows = [[entry_label] + [run[t - 1]["optimizer"][name]["update"][index] for t in steps for run in runs.values()]
            for entry_label, name, index in _ENTRIES]
    columns = ["parameter"] + [f"Δθ {label}, step {t}" for t in steps for label in runs]
    return Table(rows, columns, digits=digits, title="The change of each parameter, step by step")


def plot_adam_vs_sgd(runs: dict, *, title: str | None = None):
    """Two panels for runs of ``replay_two_layer`` on the same network (``runs`` maps a label to a run, at
    most 4): the loss per step, and the size of layer 1's gradient ‖∂L/∂W[1]‖ (Euclidean norm) per step (log axes), under
    ``title`` (what to notice: a string, or None for a plain one). Returns the Figure."""
    _check_runs(runs, most=4)
    check_text("title", title, allow_none=True)
    figure, (ax_loss, ax_grad) = new_figure(1, 2, width=7.0, height=3.6)
    colors = [COLORS["orange"], COLORS["blue"], COLORS["green"], COLORS["vermillion"]]
    for (label, run), color in zip(runs.items(), colors):
        t = np.arange(1, len(run) + 1)
        ax_loss.semilogy(t, run.losses, "o-", color=color, markersize=3, label=label)
        norms = [np.linalg.norm(step["grads"]["W1"]) for step in run]
        ax_grad.semilogy(t, norms, "o-", color=color, markersize=3, label=label)
    ax_loss.set_xlabel("step $t$")
    ax_loss.set_ylabel("loss $L$ (before the update)")
    ax_loss.set_title("Loss per step", fontsize=11)
    ax_grad.set_xlabel("step $t$")
    ax_grad.set_ylabel(r"$\|\partial L/\partial W^{[1]}\|$ (Euclidean norm)")
    ax_grad.set_title("Layer 1's gradient", fontsize=11)
    ax_loss.legend(fontsize=9)
    figure.suptitle(title or "Loss and layer 1's gradient, step by step", fontsize=11)
    return figure


def plot_loss_against_learning_rate(grid, losses: dict, *, step: int, marked: float | None = None):
    """The loss at step ``step`` against η, one line per optimizer, on log axes (a loss that is 0 in float64
    is drawn at 1e-16). ``grid``: the η values, a 1-D list of numbers > 0 (at least 2); ``losses`` maps an
    optimizer's label to one loss ≥ 0 per η of the grid (at most 4 optimizers); ``step``: a whole number ≥ 1,
    for the axis label; ``marked``: an η to mark with a vertical line (a number > 0), or None. Returns the Figure."""
    grid = as_float_array("grid", grid, ndim=1)
    if grid.size < 2 or np.any(grid <= 0):
        raise ValueError(f"grid must hold at least 2 learning rates > 0; got {grid.tolist()}"[:200])
    if not isinstance(losses, dict) or not 1 <= len(losses) <= 4:
        raise ValueError(f"losses must map 1 to 4 optimizer labels to losses; got {type(losses).__name__}")
    curves = {}
    for label, values in losses.items():
        values = as_float_array(f"losses[{label!r}]", values, shape=grid.shape)
        if np.any(values < 0):
            raise ValueError(f"losses[{label!r}] must be ≥ 0; got {values.min()!r}")
        curves[label] = values
    step = check_integer("step", step, low=1)
    if marked is not None:
        marked = check_positive("marked", marked)
    figure, ax = new_figure(width=7.0, height=3.8)
    colors = [COLORS["orange"], COLORS["green"], COLORS["sky"], COLORS["blue"]]
    for (label, values), color in zip(curves.items(), colors):
        ax.loglog(grid, np.maximum(values, LOSS_FLOOR), "o-", color=color, markersize=4, label=label)
        below = values < LOSS_FLOOR  # a ▼ on the floor, as the panel marks it
        ax.plot(grid[below], np.full(below.sum(), LOSS_FLOOR), "v", color=color, markersize=8)
    if any(np.any(values < LOSS_FLOOR) for values in curves.values()):
        ax.annotate(f"▼ L < {LOSS_FLOOR:.0e}:\ndrawn at {LOSS_FLOOR:.0e}", (0.6, LOSS_FLOOR), xytext=(0, 0),
                    textcoords="offset points", xycoords=ax.get_yaxis_transform(), ha="left", va="bottom", fontsize=8)
    if marked is not None:
        ax.axvline(marked, color=COLORS["black"], linestyle=":", linewidth=1.2)
        ax.annotate(f"η = {marked:g}", (marked, 1.0), fontsize=9, ha="left", va="top", xytext=(3, -3),
                    textcoords="offset points", xycoords=("data", "axes fraction"))
    ax.set_xlabel("learning rate η")
    ax.set_ylabel(f"loss at step {step}")
    ax.set_title(f"Loss at step {step} against η: compare the curves' lowest points, not one column", fontsize=10.5)
    ax.legend(fontsize=9, loc="lower left")
    return figure


def _check_runs(runs, most: int | None = None) -> None:
    if not isinstance(runs, dict) or not runs or not all(isinstance(run, TwoLayerRun) for run in runs.values()):
        raise ValueError(f"runs must map labels to replay_two_layer runs (at least one); got {runs!r}"[:200])
    if most is not None and len(runs) > most:
        raise ValueError(f"runs must hold at most {most} runs; got {len(runs)}")


# -- the chapter's panel: every optimizer on the 2-2-2 network ---------------------------------
#: The slider that sets each hyperparameter (Momentum's μ shares β1's slider).
_SLIDER_OF = {"momentum": "beta1", "beta1": "beta1", "beta2": "beta2", "eps": "eps"}
_RULE_FITS_CHARACTERS = 30  # a rule this short is shown whole on the panel's readout line
LOSS_FLOOR = 1e-16  # a loss that rounds to 0 in float64 is drawn here (log axis)
LOSS_HEADROOM = 10 ** 0.5  # half a decade between the loss curve and either end of its log axis
# How far apart (in decades) the limits of a log axis that moves with η may fall: (below, above). The lowest
# point of a loss or a moment, and a rate's whole range, move most with η: on even powers of 10 a move of η mostly
# keeps the limits, so the axes' kept frame is pasted, not drawn anew (see _log_limits); the curves still fill
# about half the axes or more.
FALLING_LOG_DECADES = (2, 1)  # the loss and the moments: they start near the top
RATE_LOG_DECADES = (2, 2)  # the rates, η/(√v̂ + ε): proportional to η, both ends move
DRAWABLE_LIMIT = 1e100  # parameters beyond this are finite but no axis can scale to them
BLOW_UP_LIMIT = 1e3  # |θ| beyond this, far from the start's scale: the panel says so and draws θ on a symlog axis
MOMENT_FLOOR = 1e-16  # |m̂|, √v̂ and their ratio are drawn at least here (a log axis; 0 when a gradient is 0)


def _trajectory(per_step: list) -> np.ndarray:
    """(steps, 12): the 12 numbers of each step, from one dict {"W1": ..., "b1": ..., "W2": ..., "b2": ...}
    per step, in the order of TWO_LAYER_PARAMETER_LABELS (stacked per name: 4 conversions, not 4 per step)."""
    if not per_step:
        return np.empty((0, len(TWO_LAYER_PARAMETER_LABELS)))
    return np.hstack([np.array([arrays[name] for arrays in per_step]).reshape(len(per_step), -1)
                      for name in TWO_LAYER_PARAMETERS])


def _drawable_steps(run, steps: int) -> tuple[int, np.ndarray, int | None]:
    """(kept, params, huge): how many of the first ``steps`` steps of ``run`` can be drawn, the 12 parameters
    at the start and after each of them ((kept + 1, 12)), and the step at which |θ| first passes
    DRAWABLE_LIMIT (finite, but beyond what an axis can scale to: drawing stops just before it), or None."""
    kept = min(len(run), steps)
    params = _trajectory([run.start] + [step["params"] for step in run[:kept]])
    beyond = np.flatnonzero(np.abs(params).max(axis=1) > DRAWABLE_LIMIT)
    if not beyond.size:
        return kept, params, None
    kept = int(beyond[0]) - 1 if beyond[0] > 0 else 0
    return kept, params[:kept + 1], int(beyond[0])


class AdamPanelFigure:
    """The Adam panel's figure: built once, then :meth:`show` updates its artists for a new run.

    Five plots sharing the step axis: the loss per step (η written above it); the 12 parameters (the chosen one
    in black; symlog once |θ| passes BLOW_UP_LIMIT); |m̂|, √v̂ and the ratio |m̂|/√v̂ of the chosen parameter on a
    log axis, with a note naming any that dips below it (|g|, √v and |g|/√v for RMSProp; on a linear axis the
    velocity for Momentum, g for SGD);
    the per-parameter rate η/(√v̂ + ε), dotted at its ceiling η/ε (η for SGD and Momentum); the bias-correction factors
    1/(1 − β^t) (for the optimizers without one, a dashed line at 1). A sixth cell holds the update rule with
    the last step's numbers. Above them, a headline (:func:`_headline`) says what to notice for the optimizer
    shown. ``max_steps``: the longest run it will show, a whole number in [1, 2000].
    """

    def __init__(self, max_steps: int):
        max_steps = check_integer("max_steps", max_steps, low=1, high=2000)
        self.figure, axes = new_figure(3, 2, width=7.0, height=7.6)
        (self.ax_loss, self.ax_text), (self.ax_params, self.ax_moments), (self.ax_rates, self.ax_bias) = axes
        self.plot_axes = (self.ax_loss, self.ax_params, self.ax_moments, self.ax_rates, self.ax_bias)
        for ax in self.plot_axes[1:]:
            ax.sharex(self.ax_loss)
        nan = np.full(max_steps + 1, np.nan)

        def lines(ax, count, **style):
            return [ax.plot(nan, nan, **style)[0] for _ in range(count)]

        self.loss_line, = lines(self.ax_loss, 1, color=COLORS["vermillion"])
        # where a run's loss falls below LOSS_FLOOR (0 in float64, say): a mark on the floor and a note above it
        self.floor_mark, = self.ax_loss.plot([], [], "v", color=COLORS["vermillion"], markersize=7)
        self.floor_text = self.ax_loss.annotate("", (0.98, LOSS_FLOOR), xytext=(0, 5), textcoords="offset points",
                                                xycoords=self.ax_loss.get_yaxis_transform(), ha="right", va="bottom",
                                                fontsize=8, color=COLORS["vermillion"], animated=True)
        # η in the picture (the static pages show it without the sliders), drawn with the data: in the title
        # it would make each new η redraw the loss's kept frame
        self.lr_text = self.ax_loss.annotate("", (1.0, 1.0), xytext=(0, 4), textcoords="offset points",
                                             xycoords="axes fraction", ha="right", va="bottom", fontsize=9.5,
                                             animated=True)
        self.param_lines = [self.ax_params.plot(nan, nan, color=_GROUP_COLORS[name], linewidth=1.0)[0]
                            for _, name, _ in _ENTRIES]
        self.chosen_line, = lines(self.ax_params, 1, color=COLORS["black"], linewidth=2.2)
        self.first_moment, = lines(self.ax_moments, 1, color=COLORS["blue"])
        self.second_moment, = lines(self.ax_moments, 1, color=COLORS["orange"])
        # |m̂|/√v̂ (Adam; |g|/√v for RMSProp): the step is η times it, so a ratio that grows shows on its own
        self.moment_ratio, = lines(self.ax_moments, 1, color=COLORS["black"], linewidth=1.6)
        # which of the three dips below the axes (their limits leave out a series' lowest 2 %), and first where
        self.moments_note = self.ax_moments.annotate("", (0.98, 0.0), xytext=(0, 4), textcoords="offset points",
                                                     xycoords="axes fraction", ha="right", va="bottom", fontsize=8,
                                                     color=COLORS["black"], animated=True)
        self.rate_lines = [self.ax_rates.plot(nan, nan, color=_GROUP_COLORS[name], linewidth=1.0)[0]
                           for _, name, _ in _ENTRIES]
        self.chosen_rate, = lines(self.ax_rates, 1, color=COLORS["black"], linewidth=2.2)
        self.rate_ceiling, = lines(self.ax_rates, 1, color=COLORS["black"], linestyle=":", linewidth=1.2)  # η/ε
        self.bias_lines = lines(self.ax_bias, 1, color=COLORS["blue"]) + lines(self.ax_bias, 1, color=COLORS["orange"])
        # SGD, Momentum and RMSProp divide by nothing: their factor is 1 at every step, drawn and said so.
        self.factor_one_line, = lines(self.ax_bias, 1, color=COLORS["black"], linestyle="--", linewidth=1.2)
        self.y_scales: dict = {}  # axes → the y scale last set with the panel's ticks (see _use_y_scale)
        for ax in self.plot_axes:  # the loss and the bias corrections switch to log when they span decades
            self._use_y_scale(ax, "log" if ax is self.ax_rates else "linear")  # rates are > 0, often decades apart
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))  # shared by all five
        titles = {self.ax_loss: "", self.ax_params: _params_title(None), self.ax_moments: "",
                  self.ax_rates: "", self.ax_bias: "Bias corrections: β1 (blue), β2 (orange)"}
        for ax in self.plot_axes:
            ax.tick_params(labelsize=8, labelbottom=ax in (self.ax_rates, self.ax_bias))
            # A fixed place for the y label (titles have one in the course style): matplotlib then skips
            # measuring every tick label on each redraw to place it.
            ax.set_title(titles[ax] or " ", fontsize=9.5)
            ax.yaxis.set_label_coords(-0.22, 0.5)  # clear of the widest tick labels ("1e−08", "-1.6e+04")
        for ax in (self.ax_rates, self.ax_bias):
            ax.set_xlabel("step $t$", fontsize=9)
            ax.xaxis.set_label_coords(0.5, -0.14)
        self.ax_loss.set_ylabel("loss $L$", fontsize=9)
        self.ax_params.set_ylabel("value θ", fontsize=9)
        self.ax_bias.set_ylabel("1/(1 − βᵗ)", fontsize=9)
        self.ax_text.axis("off")
        # Top right: the update rule and the settings that change only now and then (kept with the frame),
        # and below them the numbers of the last step (η, the loss, the chosen parameter's g, m̂, √v̂, Δθ, θ).
        # Those change on every move and stand beside the sliders (the panel's readout, in JupyterLab and on
        # the course pages), not in the picture: rasterizing their ~150 glyphs on every move of a slider would
        # cost more than the rest of the redraw.
        text_style = dict(va="top", ha="left", fontsize=8.5, linespacing=1.5, transform=self.ax_text.transAxes)
        self.rule_text = self.ax_text.text(-0.05, 1.02, "", **text_style)
        self.ax_text.text(-0.05, 0.72, "The last step's numbers:\nbeside the sliders.", clip_on=False, color="0.4",
                          **text_style)
        self.readout = ""  # the chosen parameter's numbers at the last step, as text beside the sliders
        # Every text of the figure changes only now and then, except the divergence note, drawn with the
        # data (see helpers.blitting): the rest of each axes is kept as pixels and pasted.
        mark_divergence(self.ax_loss, None).set_animated(True)
        # The headline changes with the optimizer only. Drawn with the data it would cost ~10 ms a move (its ~80
        # glyphs); as the one text of an axes of its own, in the band a blank figure title keeps free in the layout,
        # it is kept as pixels with that axes' frame, one frame per optimizer (see helpers.blitting).
        self.figure.suptitle(" ", fontsize=13)  # a little taller than the headline: room for both frames
        ax_headline = self.figure.add_axes((0.0, 0.968, 1.0, 0.032))  # not in the layout: it stays in that band
        ax_headline.axis("off")
        self.headline = ax_headline.text(0.5, 0.5, "", ha="center", va="center", fontsize=10,
                                         transform=ax_headline.transAxes)
        self.factor_one_text = self.ax_bias.annotate("factor 1 at every step", (0.5, 1.0), xytext=(0, 4), ha="center",
                                                     va="bottom", fontsize=8.5, textcoords="offset points",
                                                     xycoords=self.ax_bias.get_yaxis_transform())
        for i, name in enumerate(TWO_LAYER_PARAMETERS):  # the colours' key, on the title's second line: off the data
            self.ax_params.annotate(_layer_form(name), (0.5 + 0.14 * (i - 1.5), 1.0), xytext=(0, 3), ha="center",
                                    va="bottom", textcoords="offset points", xycoords="axes fraction",
                                    color=_GROUP_COLORS[name], fontsize=8, fontweight="bold")

    def show(self, run, *, optimizer: str, lr: float, beta1: float, beta2: float, eps: float, steps: int,
             parameter: str) -> str | None:
        """Draw ``run`` (its first ``steps`` steps) with ``parameter`` highlighted; returns the status line.

        Only the finite steps are drawn (a diverged run stops where it diverged), so no line holds NaN or inf.
        """
        rule = OPTIMIZERS[optimizer]
        column = TWO_LAYER_PARAMETER_LABELS.index(parameter)
        label, name, index = _ENTRIES[column]
        kept, params, huge = _drawable_steps(run, steps)
        shown = run[:kept]
        status = _run_status(run, steps, params, huge)
        diverged = status is not None and status == run.status
        self.headline.set_text(_headline(rule))
        self.ax_loss.set_xlim(0, max(steps, 1))  # the step axis, shared by all five plots
        self._show_loss(np.array([step["loss"] for step in shown]), lr, status if diverged else None)
        self._show_parameters(params, column)
        self._show_moments(rule, shown, label, name, index)
        self._show_rates(rule, shown, lr, eps, steps, column)
        self._show_bias_corrections(rule, beta1, beta2, steps)
        self._show_numbers(run, kept, rule, lr, {"beta1": beta1, "beta2": beta2, "eps": eps}, label, name, index,
                           status)
        return status

    def _show_loss(self, loss: np.ndarray, lr: float, divergence: str | None) -> None:
        """Top left: the loss per step (drawn at LOSS_FLOOR where it is below, with a mark and a note where it
        first is), η above it, and ``divergence`` (the run's status, or None) in the title and across the plot."""
        t = np.arange(1, loss.size + 1)
        drawn_loss = np.maximum(loss, LOSS_FLOOR)
        self.loss_line.set_data(t, drawn_loss)
        below_floor = np.flatnonzero(loss < LOSS_FLOOR)
        self.floor_mark.set_data(t[below_floor[:1]], np.full(min(below_floor.size, 1), LOSS_FLOOR))
        self.floor_text.set_text(f"L < {LOSS_FLOOR:.0e} from step {below_floor[0] + 1}: drawn at {LOSS_FLOOR:.0e}"
                                 if below_floor.size else "")
        # The loss's numbers change on every move: they go to the readout, and the title only changes
        # with a divergence, so the frame around the loss is kept while a slider moves.
        self.ax_loss.title.set_text(f"Loss: {divergence}" if divergence else "Loss per step")
        self.ax_loss.title.set_color(COLORS["vermillion"] if divergence else COLORS["black"])
        self.lr_text.set_text(f"η = {lr:.3g}")
        mark_divergence(self.ax_loss, divergence)
        # Limits on round numbers (the outer ticks, whole decades on log axes): a small move of a slider
        # mostly keeps them, so the frame stays still and its kept pixels can be reused.
        self._use_y_scale(self.ax_loss, "log" if _spans_decades(drawn_loss) else "linear")
        if self.ax_loss.get_yscale() == "linear":  # from 0: how far the loss has come, on a steady axis
            self.ax_loss.set_ylim(nice_limits(0.0, 1.05 * drawn_loss.max(), pieces=1) if loss.size else (0.0, 1.0))
        else:  # half a decade clear of both ends, so a run that levels off is not drawn on the axis itself
            low, high = _log_limits(drawn_loss.min() / LOSS_HEADROOM, drawn_loss.max() * LOSS_HEADROOM,
                                    FALLING_LOG_DECADES)
            self.ax_loss.set_ylim(low, high)
            # ticks on round exponents (1e-15, 1e-10, ...), fixed by the limits alone, so the kept frame matches them
            exponents = np.log10([low, high])
            every = max(nice_step(exponents[1] - exponents[0], 6), 1.0)
            self.ax_loss.set_yticks(10.0 ** np.arange(np.ceil(exponents[0] / every) * every, exponents[1] + 0.5, every))

    def _show_parameters(self, params: np.ndarray, column: int) -> None:
        """Middle left: the 12 parameters per step (``params``, (kept + 1, 12)), column ``column`` in black;
        a runaway (|θ| > BLOW_UP_LIMIT) is said in the title, and the axis then spans the decades (symlog)."""
        t = np.arange(len(params))
        for j, line in enumerate(self.param_lines):
            line.set_data(t, params[:, j])
        self.chosen_line.set_data(t, params[:, column])
        runaway = _blow_up_step(params)
        self.ax_params.title.set_text(_params_title(runaway))
        self.ax_params.title.set_color(COLORS["vermillion"] if runaway else COLORS["black"])
        self._use_y_scale(self.ax_params, "symlog" if runaway else "linear")
        _set_round_limits(self.ax_params, params, around_zero=True)

    def _show_moments(self, rule, shown, label: str, name: str, index) -> None:
        """Middle right: the chosen parameter's two series its step is made of, Δθ = −η·direction/scale, and
        their ratio |direction|/scale, on a log axis, floored at MOMENT_FLOOR so each is drawable (only the
        direction, on a linear axis, for the optimizers without a scale)."""
        direction_key, direction_symbol = rule.direction
        records = [step["optimizer"][name] for step in shown]
        first = ([step["grads"][name][index] for step in shown] if direction_key == "grad" else
                 [r[direction_key][index] for r in records])
        if rule.scale is not None:
            first, second = np.abs(first), np.sqrt([r[rule.scale[0]][index] for r in records])
            ratio = first / np.maximum(second, MOMENT_FLOOR)
            first, second, ratio = (np.maximum(values, MOMENT_FLOOR) for values in (first, second, ratio))
        else:
            second, ratio = [], []
        t = np.arange(1, len(shown) + 1)
        self.first_moment.set_data(t, first)
        self.second_moment.set_data(t[:len(second)], second)
        self.moment_ratio.set_data(t[:len(ratio)], ratio)
        self.ax_moments.title.set_text(f"{label}: |{direction_symbol}| blue, {rule.scale[1]} orange,\n"
                                       f"their ratio |{direction_symbol}|/{rule.scale[1]} black" if rule.scale is not None
                                       else f"{label}: {direction_symbol} (blue)")
        self.ax_moments.set_ylabel(f"|{direction_symbol}|, {rule.scale[1]}, ratio" if rule.scale is not None
                                   else direction_symbol, fontsize=9)
        self._use_y_scale(self.ax_moments, "log" if rule.scale is not None else "linear")
        _set_round_limits(self.ax_moments, np.concatenate([np.ravel(first), np.ravel(second), np.ravel(ratio)]),
                          log_decades=FALLING_LOG_DECADES)
        if rule.scale is not None:  # a linear axis holds all its values: nothing goes below it
            self.moments_note.set_text(_below_note(self.ax_moments.get_ylim()[0], {
                f"|{direction_symbol}|": first, rule.scale[1]: second, "ratio": ratio}))
        else:
            self.moments_note.set_text("")

    def _show_rates(self, rule, shown, lr: float, eps: float, steps: int, column: int) -> None:
        """Bottom left: each parameter's rate per step, η/(scale + ε) (column ``column`` in black), dotted at its
        ceiling η/ε; one rate η, within the decades around it, for the optimizers without a scale."""
        t = np.arange(1, len(shown) + 1)
        if rule.scale is not None:
            rates = _trajectory([{n: step["optimizer"][n]["effective_learning_rate"] for n in TWO_LAYER_PARAMETERS}
                                 for step in shown])
        else:
            rates = np.full((len(shown), 12), lr)
        for j, line in enumerate(self.rate_lines):
            line.set_data(t, rates[:, j])
        self.chosen_rate.set_data(t, rates[:, column])
        # the most the rate can be (√v̂ = 0): a run whose √v̂ dies out climbs to it
        self.rate_ceiling.set_data(*(([0, steps], [lr / eps] * 2) if rule.scale is not None else ([], [])))
        self.ax_rates.set_ylabel(f"η/({rule.scale[1]} + ε)" if rule.scale is not None else "η", fontsize=9)
        self.ax_rates.title.set_text(f"Rate: Δθ = −(this)·{rule.direction[1]}; dotted: η/ε" if rule.scale is not None
                                     else "η, the same for all parameters")
        if rule.scale is not None:
            _set_round_limits(self.ax_rates, rates, log_decades=RATE_LOG_DECADES)
        else:  # one constant step η: show it within the decades around it
            self.ax_rates.set_ylim(10.0 ** (np.floor(np.log10(lr)) - 1), 10.0 ** (np.ceil(np.log10(lr)) + 1))

    def _show_bias_corrections(self, rule, beta1: float, beta2: float, steps: int) -> None:
        """Bottom right: Adam's bias-correction factors 1/(1 − β^t) for steps 1 … ``steps``; for the optimizers
        without one, a dashed line at 1 (their axis must not follow the β sliders they do not read)."""
        t_all = np.arange(1, steps + 1)
        self.bias_lines[0].set_data(t_all, bias_correction_factor(beta1, t_all))
        self.bias_lines[1].set_data(t_all, bias_correction_factor(beta2, t_all))
        self.factor_one_line.set_data(t_all, np.ones(t_all.size))
        for line in self.bias_lines:
            line.set_visible(rule.bias_corrected)
        for artist in (self.factor_one_line, self.factor_one_text):
            artist.set_visible(not rule.bias_corrected)
        self.ax_bias.title.set_text("Bias corrections: β1 (blue), β2 (orange)" if rule.bias_corrected else
                                    f"{rule.label}: no bias correction")
        bias = np.concatenate([line.get_ydata() for line in self.bias_lines]) if rule.bias_corrected else np.ones(1)
        self._use_y_scale(self.ax_bias, "log" if _spans_decades(bias) else "linear")
        _set_round_limits(self.ax_bias, bias)

    def _show_numbers(self, run, kept, rule, lr, sliders, label, name, index, status) -> None:
        """Top right: the update rule and its settings (:meth:`_describe`); the same with the last step's
        numbers go to ``readout``, the text beside the sliders."""
        fixed, numbers = self._describe(run, kept, rule, lr, sliders, label, name, index, status)
        self.rule_text.set_text("\n".join(fixed))
        self.readout = "\n".join([fixed[0], f"{numbers[0]}, {fixed[1]}" if len(fixed) > 1 and fixed[1] else numbers[0],
                                   *fixed[2:], *numbers[1:]])

    def _use_y_scale(self, ax, scale: str) -> None:
        """Set ``ax``'s y scale with the panel's few, plainly labelled ticks (cheap to draw; no offset text),
        unless it already has it (remembered in ``y_scales``: setting a scale again would rebuild the ticks)."""
        if self.y_scales.get(ax) == scale:
            return
        with warnings.catch_warnings():
            # A flat curve (e.g. a gradient that is 0 at every step) has zero height; matplotlib widens
            # it, which is what the plot needs, and says so in a warning a student need not see.
            warnings.filterwarnings("ignore", message="Attempting to set identical low and high ylims")
            ax.set_yscale(scale, **({"linthresh": 1.0} if scale == "symlog" else {}))
        if scale == "symlog":  # ticks at 0 and ±10^k, set with the limits (_set_round_limits)
            ax.yaxis.set_major_formatter(FuncFormatter(_short_tick_label))
            ax.yaxis.set_minor_locator(NullLocator())
        elif scale == "log":
            ax.yaxis.set_major_locator(LogLocator(numticks=5))
            ax.yaxis.set_major_formatter(LogFormatter())  # "1e-08": cheaper than 10^x in mathtext
            ax.yaxis.set_minor_locator(NullLocator())
        else:
            ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))  # ±2.5: ticks 1 apart, not 1.25
            ax.yaxis.set_major_formatter(FuncFormatter(_short_tick_label))  # one each: a formatter holds its axis
        self.y_scales[ax] = scale

    def _describe(self, run, kept, rule, lr, sliders, label, name, index, status):
        """(fixed, numbers): the lines that change only with the optimizer, β's and ε (the rule, the
        settings it reads from ``sliders``, and for Adam whether β1 < √β2), and the lines that change with
        every run (η first)."""
        settings = []
        for hyperparameter in rule.hyperparameters:
            slider = _SLIDER_OF[hyperparameter]
            value = sliders[slider]
            setting = f"{HYPERPARAMETER_SYMBOLS[hyperparameter]} = {value:.0e}" if hyperparameter == "eps" else \
                f"{HYPERPARAMETER_SYMBOLS[hyperparameter]} = {value:g}"
            if slider != hyperparameter:
                setting += f" (the {HYPERPARAMETER_SYMBOLS[slider]} slider)"
            settings.append(setting)
        # the whole rule where it fits the line (SGD, Momentum: u's recursion is what the panel plots), else its step
        shown = rule.formula if len(rule.formula) <= _RULE_FITS_CHARACTERS else rule.parameter_update
        fixed = [f"{rule.label}:  {shown}", ", ".join(settings)]
        if rule.name == "adam":  # m̂/√v̂ is bounded for every gradient sequence exactly when β1 < √β2
            beta1, beta2 = sliders["beta1"], sliders["beta2"]
            bounded = np.isfinite(adam_ratio_bound(beta1, beta2))
            fixed.append(f"β1 {'<' if bounded else '≥'} √β2 = {np.sqrt(beta2):.4g}: m̂/√v̂ "
                         + ("bounded" if bounded else "unbounded"))
        lines = [f"η = {lr:.3g}"]
        if kept:
            lines.append(f"loss: {run[0]['loss']:.4f} → {_short(run[kept - 1]['loss'])} (steps 1 → {kept})")
            step = run[kept - 1]
            record = step["optimizer"][name]
            lines.append(f"{label} at step {kept}:  g = {_short(step['grads'][name][index])}")
            if rule.scale is not None and rule.direction[0] != "grad":
                direction_key, direction_symbol = rule.direction
                scale_key, scale_symbol = rule.scale
                lines.append(f"{direction_symbol} = {_short(record[direction_key][index])},  "
                             f"{scale_symbol} = {_short(np.sqrt(record[scale_key][index]))}")
            lines.append(f"Δθ = {_short(record['update'][index])},  θ = {_short(step['params'][name][index])}")
        if status and status.startswith("diverged"):
            lines.append(f"{status}: loss or parameters not finite")
        return fixed, lines


def _below_note(bottom: float, series: dict) -> str:
    """Which of ``series`` (name → values at steps 1, 2, ...) go below ``bottom``, the axes' lower limit, and at
    which step first: "below the axes: |m̂|, ratio at step 2", or "" when none does."""
    first_below: dict = {}
    for name, values in series.items():
        below = np.flatnonzero(np.asarray(values, dtype=float) < bottom)
        if below.size:
            first_below.setdefault(int(below[0]) + 1, []).append(name)
    return ("below the axes: " + "; ".join(f"{', '.join(names)} at step {step}" for step, names in
                                           sorted(first_below.items()))) if first_below else ""


def _params_title(runaway: int | None) -> str:
    """The parameters plot's title: what it shows, or from which step ``runaway`` a parameter passed BLOW_UP_LIMIT;
    its second line is left blank for the colours' key (W[1], b[1], W[2], b[2])."""
    return (f"12 parameters: |θ| > {BLOW_UP_LIMIT:g} from step {runaway}" if runaway
            else "The 12 parameters (chosen: black)") + "\n "


def _headline(rule) -> str:
    """What to notice in the Adam panel for the optimizer ``rule`` (an OptimizerRule), true at every setting:
    one rate η for every parameter, or each parameter's own rate η/(scale + ε), large where its scale is small."""
    if rule.scale is None:
        return f"{rule.label}: one rate η for all 12 parameters (bottom left); each moves by η·{rule.direction[1]}"
    scale = rule.scale[1]
    return f"{rule.label}: each parameter's own rate η/({scale} + ε) (bottom left) is large where {scale} is small"


def _short_tick_label(value, _position) -> str:
    """Tick labels of at most ~7 characters ("0.25", "1.5e-05", "3e+10"), with no offset text above the axes."""
    return f"{value:.3g}" if value == 0 or 1e-3 <= abs(value) < 1e4 else f"{value:.1e}"


def _short(value) -> str:
    """Four significant digits, and never "-0" (a gradient that underflowed to −0.0 reads 0)."""
    return f"{float(value) + 0.0:.4g}"


def _spans_decades(values, ratio: float = 20.0) -> bool:
    """True when ``values`` are all positive and span more than ``ratio`` (then a log axis reads best)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0 or np.any(values <= 0):
        return False
    return values.max() / values.min() > ratio


def _set_round_limits(ax, values, *, around_zero: bool = False, log_decades: tuple = (1, 1)) -> None:
    """Set ``ax``'s y limits to round numbers around ``values`` (finite; all > 0 on a log axis): on a log axis
    powers of 10, ``log_decades`` apart below and above (:func:`_log_limits`); on a linear one, the ticks just
    outside the values widened by 5 %, or with ``around_zero`` ±h, h the smallest 1, 2.5 or 5 × 10^k that holds
    them (signed numbers: 0 in the middle, and few pairs of limits over a sweep of η)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        low, high = (0.1, 1.0) if ax.get_yscale() == "log" else (-1.0, 1.0)
    elif ax.get_yscale() == "symlog":  # ±the decade above the largest |value|, ticks at 0 and ±10^k (≤ 7)
        top = int(np.ceil(np.log10(max(np.abs(values).max(), 10.0))))
        every = int(max(nice_step(top, 3), 1))
        decades = 10.0 ** np.arange(top, 1 if top >= 4 else -1, -every)  # none crowding 0 when they are many
        ax.set_yticks(np.concatenate([-decades, [0.0], decades[::-1]]))
        low, high = -10.0 ** top, 10.0 ** top
    elif ax.get_yscale() == "log":  # powers of 10, the curves half a decade or more clear of both ends
        positive = values[values > MOMENT_FLOOR] if np.any(values > MOMENT_FLOOR) else values
        low, high = _log_limits(np.percentile(positive, 2) / LOSS_HEADROOM,  # a dip to 0 may leave the axes
                                values.max() * LOSS_HEADROOM, log_decades)
    elif around_zero:
        half = nice_step(float(np.abs(values).max()) or 1.0, 1, mantissas=(1.0, 2.5, 5.0))
        low, high = -half, half
    else:
        low, high = values.min(), values.max()
        margin = 0.05 * (high - low) if high - low > 1e-12 * max(abs(low), abs(high), 1e-300) else 0.05 * max(abs(low), 1.0)
        low, high = low - margin, high + margin  # a flat line gets a band of ±5 % (±0.05 around 0)
        ticks = ax.yaxis.get_major_locator().tick_values(low, high)  # they reach past both ends
        low, high = ticks[0], ticks[-1]
    ax.set_ylim(low, high)


def _log_limits(low: float, high: float, decades: tuple) -> tuple[float, float]:
    """Limits of a log axis for data in [low, high] (0 < low ≤ high): powers of 10 on whole multiples of
    ``decades`` = (below, above) decades (:func:`~helpers.plots.nice_limits`), e.g. (2, 1): an even power of 10
    at or below ``low``, the first power of 10 at or above ``high``."""
    return (nice_limits(low, high, log=True, decades=decades[0])[0],
            nice_limits(low, high, log=True, decades=decades[1])[1])


def _blow_up_step(params: np.ndarray) -> int | None:
    """The first step at which a parameter's size passes BLOW_UP_LIMIT (row t of ``params``, (steps + 1, 12),
    is θ after step t), or None."""
    beyond = np.flatnonzero(np.abs(params).max(axis=1) > BLOW_UP_LIMIT)
    return int(beyond[0]) if beyond.size else None


def _blow_up_status(params: np.ndarray) -> str | None:
    """A warning when a parameter's size passes BLOW_UP_LIMIT (finite, but far from the start's scale)."""
    step = _blow_up_step(params)
    if step is None:
        return None
    return f"|θ| passed {BLOW_UP_LIMIT:g} at step {step} (max {np.abs(params).max():.2g})"


def _run_status(run, steps: int, params: np.ndarray, huge: int | None) -> str | None:
    """The Adam panel's status line: the run's divergence within ``steps``, else the step ``huge`` at which |θ|
    passed DRAWABLE_LIMIT (None: it did not), else a runaway in ``params`` (:func:`_blow_up_status`), else None."""
    if run.diverged_at is not None and run.diverged_at <= steps:
        return run.status
    if huge is not None:
        return f"|θ| passed {DRAWABLE_LIMIT:.0e} at step {huge}: not drawn further"
    return _blow_up_status(params)


def _panel_hyperparameters(optimizer: str, sliders: dict) -> dict:
    """The hyperparameters ``optimizer`` reads, from the panel's β1, β2 and ε ``sliders`` (by slider name)."""
    return {hyperparameter: sliders[_SLIDER_OF[hyperparameter]] for hyperparameter in OPTIMIZERS[optimizer].hyperparameters}


def _cached_replay(cache: RunCache, start: dict, optimizer, lr, beta1, beta2, eps, steps) -> TwoLayerRun:
    """The panel's replay for these hyperparameters, from ``cache`` when a kept run has as many steps
    (or diverged sooner): a run for more steps also answers for fewer. Keyed by the hyperparameters
    the optimizer reads only, so moving a slider it does not read reuses the run."""
    used = _panel_hyperparameters(optimizer, {"beta1": beta1, "beta2": beta2, "eps": eps})
    return cache.get((optimizer, lr, *used.values()),
                     lambda: _replay_two_layer_flat(optimizer=optimizer, lr=lr, steps=steps, **used, **start),
                     reuse=lambda run: len(run) >= steps or run.diverged_at is not None)


def _ignored_sliders() -> dict:
    """{optimizer: [the β1, β2 and ε sliders it does not read]} for the panel's optimizers (those that read all
    three are left out)."""
    ignored = {}
    for rule in ADAM_PANEL_OPTIMIZERS:
        read = {_SLIDER_OF[hyperparameter] for hyperparameter in rule.hyperparameters}
        unread = [slider for slider in ("beta1", "beta2", "eps") if slider not in read]
        if unread:
            ignored[rule.name] = unread
    return ignored


# The decay rates on the β sliders: denser near 1, where a small change of β is a big change of memory
# (1/(1 − β) steps: 10 at 0.9, 100 at 0.99, 1000 at 0.999).
BETA1_CHOICES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999)
BETA2_CHOICES = (0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999, 0.99995, 0.99999)


def adam_panel_sliders(*, optimizer: str = "adam", lr: float = 0.1, beta1: float = 0.9, beta2: float = 0.999,
                       eps: float = 1e-8, steps: int = 200, max_steps: int = 500, parameter: str = "W[2]_11") -> dict:
    """The Adam panel's controls, by keyword of its update function (all with continuous_update)."""
    return {
        "optimizer": widgets.Dropdown(options=[(rule.label, rule.name) for rule in ADAM_PANEL_OPTIMIZERS],
                                      value=optimizer, description="optimizer"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.05, description="η",
                                     continuous_update=True, readout_format=".1e"),
        "beta1": widgets.SelectionSlider(options=[(f"{b:g}", b) for b in BETA1_CHOICES], value=beta1,
                                         description="β1 (μ)", continuous_update=True),
        "beta2": widgets.SelectionSlider(options=[(f"{b:g}", b) for b in BETA2_CHOICES], value=beta2,
                                         description="β2", continuous_update=True),
        "eps": widgets.FloatLogSlider(value=eps, base=10, min=-12, max=0, step=0.5, description="ε",
                                      continuous_update=True, readout_format=".0e"),
        "steps": widgets.IntSlider(value=steps, min=1, max=max_steps, step=1, description="steps",
                                   continuous_update=True),
        "parameter": widgets.Dropdown(options=list(TWO_LAYER_PARAMETER_LABELS), value=parameter,
                                      description="parameter"),
    }


@panel_factory("adam-network-optimizers")
def adam_panel(optimizer: str = "adam", lr: float = 0.1, steps: int = 200, parameter: str = "W[2]_11",
               max_steps: int = 500, start: dict | None = None):
    """THE panel of chapter 7: train the 2-2-2 network with SGD, Momentum, RMSProp or Adam and watch every piece.

    Sliders (all with continuous_update; the panel debounces rapid drags): η (log, 1e−4 … 1; ``lr`` is its
    start), β1 (0 … 0.999,
    19 positions, denser near 1; Momentum's μ), β2 (0.9 … 0.99999, 12 positions), ε (log, 1e−12 … 1), steps (1 … ``max_steps``, a whole
    number in [1, 2000]), the optimizer and the parameter to follow (one of TWO_LAYER_PARAMETER_LABELS).
    ``start`` optionally replaces starting parameters ({"W2": [[...], [...]], ...}, JSON lists with entries in
    [−1e6, 1e6]; default: source 001's). Runs are cached by hyperparameters, so moving ``steps`` down or choosing another
    parameter only redraws. A diverging run stops where it diverged and the panel says so.
    """
    check_choice("optimizer", optimizer, tuple(rule.name for rule in ADAM_PANEL_OPTIMIZERS))
    lr = check_number("lr", lr, low=1e-4, high=1.0)
    max_steps = check_integer("max_steps", max_steps, low=1, high=2000)
    steps = check_integer("steps", steps, low=1, high=max_steps)
    check_choice("parameter", parameter, TWO_LAYER_PARAMETER_LABELS)
    if start is not None and not isinstance(start, dict):
        raise ValueError(f"start must be a dict of starting parameters or None; got {type(start).__name__}")
    start = {} if start is None else dict(start)
    unknown = set(start) - set(TWO_LAYER_PARAMETERS)
    if unknown:
        raise ValueError(f"start may only name {TWO_LAYER_PARAMETERS}; got {sorted(unknown)}")
    try:
        checked = two_layer_params(**{name: value for name, value in start.items() if value is not None})
    except ValueError as error:
        raise ValueError(f"start: {error}") from None
    for name in start:
        if np.any(np.abs(checked[name]) > 1e6):
            raise ValueError(f"start[{name!r}] must have entries in [-1e6, 1e6]; got {start[name]!r}"[:300])
    sliders = adam_panel_sliders(optimizer=optimizer, lr=lr, steps=steps, max_steps=max_steps, parameter=parameter)
    drawing = AdamPanelFigure(max_steps)
    cache = RunCache(32)  # at most 32 runs: about 40 MB at 500 steps (a run holds ~2.4 kB a step)

    def update(optimizer, lr, beta1, beta2, eps, steps, parameter):
        run = _cached_replay(cache, start, optimizer, lr, beta1, beta2, eps, steps)
        return drawing.show(run, optimizer=optimizer, lr=lr, beta1=beta1, beta2=beta2, eps=eps, steps=steps,
                            parameter=parameter)

    grid = {"optimizer": [rule.name for rule in ADAM_PANEL_OPTIMIZERS], "lr": [1e-3, 1e-2, 0.1, 1.0],
            "beta1": [0.0, 0.9, 0.93, 0.999], "beta2": [0.9, 0.999, 0.99999]}
    ignores = {"optimizer": _ignored_sliders()}
    panel = SliderPanel(sliders, drawing.figure, update, grid=grid, readout=lambda: drawing.readout, ignores=ignores,
                        description="Panel: SGD, Momentum, RMSProp or Adam on the 2-2-2 network (sliders: η, β1, β2, "
                                    "ε, steps, optimizer, parameter): loss, the 12 parameters, |m̂|, √v̂ and their ratio, the "
                                    "per-parameter rate η/(√v̂ + ε) and the bias-correction factors")
    panel.replay_cache = cache
    # Lay out for the widest labels: β1 > β2 at η = 1 sends the parameters to ~1e5 within 200 steps.
    return panel.freeze_layout(lr=1.0, beta1=0.999, beta2=0.9, eps=1e-12, blit=True)
