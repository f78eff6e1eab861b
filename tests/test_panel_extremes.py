"""Every slider panel a chapter shows, driven to the ends of its sliders as a restless student would:
no exception, nothing infinite drawn, and where a curve is cut short the panel says why."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest

import helpers
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


def extremes(slider) -> list:
    """The two ends of a slider (the first and last option of a list)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return [slider.base ** slider.min, slider.base ** slider.max]
    if hasattr(slider, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in slider.options]
        return [values[0], values[-1]] if len(values) > 1 else values
    return [slider.min, slider.max]


def drawn_arrays(figure):
    for ax in figure.axes:
        for line in ax.get_lines():
            yield np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)
        for collection in ax.collections:
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            if offsets.size:
                yield offsets, offsets
        for image in ax.get_images():
            data = np.ma.getdata(image.get_array()).astype(float)
            yield data, data


def test_every_chapter_with_sliders_is_found():
    assert len({notebook for notebook, _, _ in PANELS}) >= 8, PANELS


@pytest.mark.parametrize("notebook, factory, kwargs", PANELS, ids=[f"{n}:{f}" for n, f, _ in PANELS])
def test_panel_survives_every_corner_of_its_sliders(notebook, factory, kwargs):
    panel = helpers.PANEL_FACTORIES[factory](**kwargs)
    ends = {name: extremes(slider) for name, slider in panel.sliders.items()}
    corners = [dict(zip(ends, combo)) for combo in itertools.product(*ends.values())]
    singles = [{name: value} for name, values in ends.items() for value in values]
    for values in singles + corners:
        panel.set(**{**{n: s.value for n, s in panel.sliders.items()}, **values})
        for x, y in drawn_arrays(panel.figure):
            assert not np.isinf(x).any() and not np.isinf(y).any(), f"inf drawn at {values}"
        assert panel.png.startswith(b"\x89PNG")
        for ax in panel.figure.axes:
            low, high = ax.get_ylim()
            assert np.isfinite([low, high]).all() and low < high, f"broken axis limits at {values}"
