"""Every slider panel a chapter shows, driven to the ends of its sliders as a restless student would: each
slider alone at its minimum and maximum, then every combination of the ends. At each setting: no exception,
only finite numbers drawn, sane axis limits, a picture unlike any earlier one, and the status line the
chapter promises.

The one place for slider-corner tests: a panel's own claims at its ends go in ``CORNER_CHECKS`` below.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Callable

import ipywidgets as widgets
import numpy as np
import pytest

import helpers
from helpers import replay_linear
from helpers.widgets import PANEL_MIME_TYPE

ROOT = Path(__file__).resolve().parents[1]


def panels_in_notebooks() -> list[tuple[str, str, dict]]:
    """(notebook, factory name, kwargs) for every panel stored in a chapter's outputs."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                spec = output.get("data", {}).get(PANEL_MIME_TYPE)
                if spec:
                    found.append((path.stem, spec["factory"], spec["kwargs"]))
    return found


PANELS = panels_in_notebooks()

#: Sliders whose every option is an end: a choice of method has no order, so no option lies "between" two others.
EVERY_OPTION = {"adam-network-optimizers": ("optimizer",)}


def extremes(slider, every_option: bool = False) -> list:
    """The two ends of a slider (the first and last option of a list; every option if ``every_option``)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return [slider.base ** slider.min, slider.base ** slider.max]
    if hasattr(slider, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in slider.options]
        return values if every_option or len(values) < 2 else [values[0], values[-1]]
    return [slider.min, slider.max]


def corner_settings(panel, every_option=()) -> list[dict]:
    """Each slider alone at each of its ends (the others where the panel opened), then every combination of
    the ends (``every_option``: sliders whose every option is an end)."""
    start = panel.values()
    ends = {name: extremes(slider, name in every_option) for name, slider in panel.sliders.items()}
    singles = [{**start, name: value} for name, values in ends.items() for value in values]
    return singles + [dict(zip(ends, combo)) for combo in itertools.product(*ends.values())]


def what_decides_the_picture(panel, values: dict) -> tuple:
    """The slider values without those the panel ignores at these values (``panel.ignores``: SGD reads no β)."""
    ignored = {other for name, by_value in panel.ignores.items() for other in by_value.get(values[name], ())}
    return tuple((name, value) for name, value in values.items() if name not in ignored)


def drawn_arrays(figure):
    """(what, a copy of its data) for every visible line, set of points and image of the figure."""
    for ax in figure.axes:
        for line in filter(lambda artist: artist.get_visible(), ax.get_lines()):
            yield f"line '{line.get_label()}' in '{ax.get_title()}'", np.array(line.get_xydata(), dtype=float)
        for collection in filter(lambda artist: artist.get_visible(), ax.collections):
            yield f"points in '{ax.get_title()}'", np.array(collection.get_offsets(), dtype=float)
        for image in filter(lambda artist: artist.get_visible(), ax.get_images()):
            yield f"image in '{ax.get_title()}'", np.ma.getdata(image.get_array()).astype(float)


# -- what each panel promises at its ends (the chapters' claims; values: every slider's value) ---------------
def adam_network_optimizers(panel, values, status):
    assert status is None or "at step" in status


def adam_ema_bias(panel, values, status):
    assert status is None


def batching_batch_size(panel, values, status):
    lr = panel.sliders["lr"]
    if values["lr"] == lr.base ** lr.max:
        assert status.startswith("diverged at step")
    elif values["lr"] == lr.base ** lr.min:
        assert "steps; loss after the last epoch" in status


def initialization_activation_stds(panel, values, status):
    lines = panel.readout_text.splitlines()
    assert lines[0] == f"std at layer {values['depth']}:" and len(lines) == 5
    assert not any(word in panel.readout_text for word in ("nan", "inf", "e+300", "e-300"))


def landscapes_optimizer(panel, values, status):
    assert status  # converged at step k, or not yet, or diverged: the panel always says which
    lr = panel.sliders["lr"]
    if panel.factory_kwargs["optimizer"] == "sgd" and values["lr"] == lr.base ** lr.max and values["steps"] == 200:
        assert status.startswith("diverged at step")


ONE_SAMPLE_STATUS = {(0.01, 1): None, (0.2, 60): None, (0.4, 60): None, (0.45, 60): "diverged at step 30",
                     (0.5, 1): "diverging: the loss grows ×2.25 per step (not yet past 10⁶)",
                     (0.5, 60): "diverged at step 17"}


def linear_one_sample_learning_rate(panel, values, status):
    lr, steps = values["lr"], values["steps"]
    if (lr, steps) in ONE_SAMPLE_STATUS:
        assert status == ONE_SAMPLE_STATUS[lr, steps]
    w, b, x, y = (panel.factory_kwargs[name] for name in ("w", "b", "x", "y"))
    ws, bs = replay_linear(w, b, x, y, lr, steps=steps, convention="half").parameters()
    path = panel.figure.axes[0].get_lines()[1]  # the path of (w, b), up to where the run stopped
    assert np.array_equal(path.get_xdata(), ws) and np.array_equal(path.get_ydata(), bs)
    assert panel.figure.get_suptitle().startswith(f"η = {lr:.2f}: each step multiplies the error by")


def linear_two_samples_learning_rate(panel, values, status):
    lr, epochs = values["lr"], values["epochs"]
    if (lr, epochs) == (0.01, 1):
        assert status is None
    if (lr, epochs) == (1.0, 100):
        assert status.startswith("diverged at step")
    if (lr, epochs) == (0.7, 100):
        assert status.startswith("not settling") and "too large" in panel.figure.get_suptitle()


def network_learning_rate(panel, values, status):
    if (values["lr"], values["steps"]) == (10.0, 20):
        assert status.startswith("the first step raised the loss (0.827 → 1.616)")
    if (values["lr"], values["steps"]) == (0.1, 20):
        assert status is None


def softmax_temperature(panel, values, status):
    if values["temperature"] == 0.001:
        assert "overflows" in status
    else:
        assert status is None


def no_claim(panel, values, status):
    """The panel's ends promise nothing beyond what every panel promises."""


#: Per registered panel: its claims at each setting, and settings besides the corners where a claim is checked.
CORNER_CHECKS: dict[str, tuple[Callable, list[dict]]] = {
    "adam-ema-bias": (adam_ema_bias, []),
    "adam-network-optimizers": (adam_network_optimizers, []),
    "batching-batch-size": (batching_batch_size, []),
    "graph-linear": (no_claim, []),
    "graph-two-layer": (no_claim, []),
    "initialization-activation-stds": (initialization_activation_stds, []),
    "landscapes-optimizer": (landscapes_optimizer, []),
    "linear-one-sample-learning-rate": (linear_one_sample_learning_rate,
                                        [dict(lr=0.2, steps=60), dict(lr=0.4, steps=60), dict(lr=0.45, steps=60)]),
    "linear-two-samples-learning-rate": (linear_two_samples_learning_rate, [dict(lr=0.7, epochs=100)]),
    "losses-mae-mse-outlier": (no_claim, []),
    "mlp-training": (no_claim, []),
    "network-learning-rate": (network_learning_rate, [dict(lr=10.0, steps=1), dict(lr=10.0, steps=50),
                                                      dict(lr=10.0, steps=20), dict(lr=0.1, steps=20)]),
    "softmax-temperature": (softmax_temperature, [dict(temperature=0.01, true_class=1)]),
}


def test_every_registered_panel_is_shown_in_a_chapter_and_has_its_corner_claims():
    assert len({notebook for notebook, _, _ in PANELS}) >= 8, PANELS
    assert {factory for _, factory, _ in PANELS} == set(helpers.PANEL_FACTORIES) == set(CORNER_CHECKS)
    for name, factory in helpers.PANEL_FACTORIES.items():  # registered as the chapter's own public function
        assert getattr(helpers, factory.__name__) is factory, name


@pytest.mark.parametrize("notebook, factory, kwargs", PANELS, ids=[f"{n}:{f}" for n, f, _ in PANELS])
def test_panel_survives_every_corner_of_its_sliders(notebook, factory, kwargs):
    panel = helpers.PANEL_FACTORIES[factory](**kwargs)
    check, beyond_corners = CORNER_CHECKS[factory]
    pictures, seen = {}, {}
    for values in corner_settings(panel, EVERY_OPTION.get(factory, ())) + beyond_corners:
        key = what_decides_the_picture(panel, {**panel.values(), **values})
        if key in seen:  # differs from a setting drawn already only in sliders the panel ignores here
            status = panel.recompute(**values)
            drawn = list(drawn_arrays(panel.figure))
            assert status == seen[key][0] and all(
                np.array_equal(now, then) for (_, now), (_, then) in zip(drawn, seen[key][1], strict=True)), \
                f"{factory}: {panel.values()} is said to show what {dict(key)} shows, but it does not"
            continue
        status = panel.set(**values)  # the full path: update, the panel's finite check, the PNG
        values = panel.values()
        seen[key] = status, list(drawn_arrays(panel.figure))
        for what, data in seen[key][1]:
            assert np.isfinite(data).all(), f"{what}: non-finite data drawn at {values}"
        for ax in panel.figure.axes:
            low, high = ax.get_ylim()
            assert np.isfinite([low, high]).all() and low < high, f"broken axis limits at {values}"
        assert panel.png.startswith(b"\x89PNG") and panel.image.value == panel.png
        assert panel.png not in pictures, f"the picture at {values} is the one at {pictures.get(panel.png)}"
        pictures[panel.png] = values  # settings that differ in a slider the panel reads: different pictures
        check(panel, values, status)
