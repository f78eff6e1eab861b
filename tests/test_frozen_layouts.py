"""A panel built again the same way (a re-run cell) takes its frozen layout from the process's cache
(helpers.widgets._FROZEN_LAYOUTS) instead of laying its figure out again: it must come out exactly as a
panel laid out from scratch, in its axes boxes, fixed ticks, animated texts, kept-frame tiles and pixels
(after slider moves too: tests/test_panel_history.py compares such panels at several settings)."""
from __future__ import annotations

import matplotlib
import pytest

from matplotlib.text import Text

import helpers
from helpers import widgets

FACTORIES = sorted(helpers.PANEL_FACTORIES)


def layout_of(panel) -> dict:
    """What freeze_layout settles, read off the panel's figure."""
    axes = panel.figure.axes
    return {
        "positions": [ax.get_position().bounds for ax in axes],
        "figure texts": [text.get_position() for text in panel.figure.get_children() if isinstance(text, Text)],
        "animated": [text.get_animated() for ax in axes for text in (ax.title, *ax.texts)],
        "lines animated": [line.get_animated() for ax in axes for line in ax.get_lines()],
        "ticks": [(list(ax.xaxis.get_majorticklocs()), list(ax.yaxis.get_majorticklocs()),
                   ax.xaxis.label.get_position(), ax.yaxis.label.get_position(), ax.title.get_position())
                  for ax in axes],
        "layout engine": panel.figure.get_layout_engine(),
        "tiles": None if panel.frames is None else [tile.bounds for tile in panel.frames.tiles],
    }


@pytest.mark.parametrize("name", FACTORIES)
def test_a_panel_built_again_is_laid_out_as_one_built_from_scratch(name):
    widgets._FROZEN_LAYOUTS.clear()
    scratch = helpers.PANEL_FACTORIES[name]()
    assert len(widgets._FROZEN_LAYOUTS) == 1
    cached = helpers.PANEL_FACTORIES[name]()
    assert len(widgets._FROZEN_LAYOUTS) == 1, "the second build laid the figure out again"
    assert layout_of(cached) == layout_of(scratch)
    assert cached.png == scratch.png  # and after moves: tests/test_panel_history.py, whose fresh panels reuse layouts


def test_other_arguments_or_settings_get_a_layout_of_their_own():
    widgets._FROZEN_LAYOUTS.clear()
    helpers.PANEL_FACTORIES["graph-linear"]()
    helpers.PANEL_FACTORIES["graph-linear"]()
    helpers.PANEL_FACTORIES["network-learning-rate"](steps=30)
    helpers.PANEL_FACTORIES["network-learning-rate"](steps=31)
    with matplotlib.rc_context({"xtick.labelsize": 20, "ytick.labelsize": 20}):  # bigger tick labels: another layout
        bigger = helpers.PANEL_FACTORIES["network-learning-rate"](steps=30)
    assert len(widgets._FROZEN_LAYOUTS) == 4
    usual = helpers.PANEL_FACTORIES["network-learning-rate"](steps=30)
    assert layout_of(bigger)["positions"] != layout_of(usual)["positions"]


def test_a_panel_not_built_by_a_factory_lays_out_afresh():
    from helpers.plots import new_figure

    widgets._FROZEN_LAYOUTS.clear()
    figure, ax = new_figure()
    line, = ax.plot([0, 1], [0, 1])
    slider = widgets.widgets.FloatSlider(value=1.0, min=0.5, max=2.0)
    panel = widgets.SliderPanel({"a": slider}, figure, lambda a: line.set_ydata([0, a]), description="test panel")
    panel.freeze_layout(a=2.0, blit=True)
    assert len(widgets._FROZEN_LAYOUTS) == 0 and panel.frames is not None


@pytest.mark.parametrize("name", FACTORIES)
def test_x_axis_labels_stay_where_the_layout_put_them_clear_of_the_tick_labels(name):
    # freeze_layout fixes each x-axis label where it stood furthest out over its settings: a new axes frame then
    # skips measuring the tick labels to place it, and no setting's tick labels run into it
    panel = helpers.PANEL_FACTORIES[name]()
    places = [ax.xaxis.label.get_position() for ax in panel.figure.axes]
    slider = next(s for s in panel.sliders.values() if hasattr(s, "min") and not hasattr(s, "options"))
    ends = (slider.base ** slider.min, slider.base ** slider.max) if hasattr(slider, "base") else (slider.min, slider.max)
    for value in ends:
        slider.value = value
        panel.refresh()
        renderer = panel.figure.canvas.get_renderer()
        for ax, place in zip(panel.figure.axes, places):
            assert ax.xaxis.label.get_position() == place
            if not (ax.get_visible() and ax.xaxis.label.get_visible() and ax.xaxis.label.get_text().strip()):
                continue
            label = ax.xaxis.label.get_window_extent(renderer)
            for tick in ax.xaxis.get_majorticklabels():
                if tick.get_visible() and tick.get_text():
                    assert not label.overlaps(tick.get_window_extent(renderer)), \
                        f"{name}: label {ax.xaxis.label.get_text()!r} runs into tick label {tick.get_text()!r}"
