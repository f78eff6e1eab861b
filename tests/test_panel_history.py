"""A slider panel's figure depends only on where its sliders stand, never on where they stood before:
the picture a student gets after dragging every slider to its ends and back is, byte for byte, the picture
a freshly opened panel draws at the same values (the static pages precompute images in some order too). The
fresh panels take the layout the visited one settled (helpers.widgets._FROZEN_LAYOUTS), so this also checks,
in pixels, that a reused layout draws what a layout from scratch draws."""
from __future__ import annotations

import itertools

import ipywidgets as widgets
import numpy as np
import pytest

import helpers
from helpers import widgets as panel_widgets


def slider_values(slider) -> list:
    """The two ends of a slider and a point between them (every option of a short list)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return [slider.base ** slider.min, slider.base ** slider.max, slider.base ** ((slider.min + slider.max) / 2)]
    if hasattr(slider, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in slider.options]
        return values if len(values) <= 4 else [values[0], values[-1], values[len(values) // 2]]
    middle = (slider.min + slider.max) / 2
    return [slider.min, slider.max, round(middle) if isinstance(slider, widgets.IntSlider) else middle]


def history(panel) -> list[dict]:
    """A restless student's moves: each slider to its ends and middle in turn, then all of them at once."""
    moves = [{name: value} for name, slider in panel.sliders.items() for value in slider_values(slider)]
    ends = [slider_values(slider)[:2] for slider in panel.sliders.values()]
    moves += [dict(zip(panel.sliders, combination)) for combination in itertools.product(*ends)][:6]
    return moves


def targets(panel) -> list[dict]:
    """The start values and a point of the static pages' grid (chosen with a fixed seed)."""
    rng = np.random.default_rng(0)
    grid_point = {name: values[rng.integers(len(values))] for name, values in panel.grid.items()}
    return [panel.values(), {**panel.values(), **grid_point}]


def panel_builds() -> list[tuple[str, dict]]:
    builds = []
    for name in sorted(helpers.PANEL_FACTORIES):
        if name == "landscapes-optimizer":
            builds += [(name, {"optimizer": optimizer}) for optimizer in ("sgd", "momentum", "adagrad", "rmsprop", "adam")]
        else:
            builds.append((name, {}))
    return builds


def assert_history_independent(name: str, kwargs: dict) -> None:
    build = helpers.PANEL_FACTORIES[name]
    panel_widgets._FROZEN_LAYOUTS.clear()  # the visited panel is laid out from scratch, the fresh ones reuse its layout
    visited = build(**kwargs)
    for move in history(visited):
        visited.set(**move)
    for target in targets(visited):  # each target also follows the ones before it
        fresh = build(**kwargs)
        assert visited.render(**target) == fresh.render(**target), (
            f"{name}{kwargs} at {target} draws differently after other slider values than when fresh")
        visited.set(**target)
        fresh.set(**target)  # the live image too (drawn from kept frames where the panel keeps them)
        assert visited.png == fresh.png, f"{name}{kwargs} at {target}: the live image depends on earlier values"
        assert visited.readout_text == fresh.readout_text, f"{name}{kwargs} at {target}: the readout does"


@pytest.mark.parametrize(("name", "kwargs"), panel_builds(), ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v.values())))
def test_panel_draws_the_same_whatever_values_came_before(name, kwargs):
    assert_history_independent(name, kwargs)
