"""A kernel kept open for hours gives memory back: a re-run panel cell closes the panel it replaces, and a
panel no one holds is freed (figure, kept frames, run caches), whatever ipywidgets keeps of its widgets."""
from __future__ import annotations

import asyncio
import gc
import weakref

import pytest
from ipywidgets.widgets.widget import _instances as open_widgets
from matplotlib.figure import Figure

import helpers
from helpers import widgets
from helpers.widgets import PANEL_MIME_TYPE

FACTORIES = sorted(helpers.PANEL_FACTORIES)


def shown(panel):
    """Display the panel as a notebook cell does (the output history then holds it, as Out[n] would)."""
    assert PANEL_MIME_TYPE in panel._repr_mimebundle_()
    return panel


def move_first_slider(panel) -> None:
    name = next(iter(panel.grid), next(iter(panel.sliders)))
    values = panel.grid.get(name) or [panel.sliders[name].value]
    panel.set(**{name: values[-1]})


@pytest.mark.parametrize("name", FACTORIES)
def test_a_rebuilt_panel_lets_go_of_the_old_figure(name):
    factory = helpers.PANEL_FACTORIES[name]
    old = shown(factory())
    move_first_slider(old)
    figure, widget_ids = weakref.ref(old.figure), [w.model_id for w in old.sliders.values()] + [old.image.model_id]
    gc.collect()  # panels dropped by earlier tests close their widgets when collected: count after that
    open_before = len(open_widgets)
    new = shown(factory())  # the cell run again
    gc.collect()
    assert figure() is None, f"{name}: the replaced panel's figure is still alive"
    assert len(open_widgets) == open_before, f"{name}: widgets (layouts, styles, ...) pile up with each rebuild"
    assert old.closed and not new.closed
    assert not set(widget_ids) & set(open_widgets), f"{name}: the replaced panel's widgets are still open"
    assert "closed" in old._repr_mimebundle_()["text/plain"]
    with pytest.raises(RuntimeError, match="closed"):
        old.set(**new.values())
    move_first_slider(new)  # the new panel answers
    assert new.png.startswith(b"\x89PNG")



def replaced_figure_after(rebuild) -> weakref.ref:
    """A weak reference to a shown panel's figure after ``rebuild(factory)`` built the panel again, with
    Python's automatic garbage collection off: the figure's own reference cycles would otherwise keep it
    until the interpreter's next full collection, ten replaced figures later or so."""
    factory = helpers.PANEL_FACTORIES["graph-linear"]
    old = shown(factory())
    move_first_slider(old)
    figure = weakref.ref(old.figure)
    gc.disable()
    try:
        rebuild(factory)
        return figure
    finally:
        gc.enable()


def test_a_replaced_panels_figure_is_freed_when_the_cell_runs_again():
    assert replaced_figure_after(lambda factory: shown(factory()))() is None


def test_in_a_kernel_the_replaced_panels_figure_is_freed_right_after_the_cell():
    async def cell_then_next_turn_of_the_event_loop(factory):
        shown(factory())
        await asyncio.sleep(0)

    figure = replaced_figure_after(lambda factory: asyncio.run(cell_then_next_turn_of_the_event_loop(factory)))
    assert figure() is None

def test_a_dropped_panel_is_freed_with_its_widgets():
    panel = helpers.PANEL_FACTORIES["adam-network-optimizers"]()
    move_first_slider(panel)
    figure, image_id = weakref.ref(panel.figure), panel.image.model_id
    del panel
    gc.collect()
    assert figure() is None, "ipywidgets' registry (or a module-level object) keeps the dropped panel alive"
    assert image_id not in open_widgets


def test_panels_with_other_arguments_are_not_replaced():
    factory = helpers.PANEL_FACTORIES["landscapes-optimizer"]
    sgd, adam = shown(factory(optimizer="sgd")), shown(factory(optimizer="adam"))
    assert not sgd.closed and not adam.closed


def test_a_rebuilt_panel_is_freed_before_the_new_one_is_built(monkeypatch):
    """The new panel reuses the memory of the one it replaces: the old figure is gone when the new one is made."""
    factory = helpers.PANEL_FACTORIES["adam-ema-bias"]
    old_figure = weakref.ref(shown(factory()).figure)
    old_alive_at_new_figures = []
    make_figure = Figure.__init__

    def watched_init(self, *args, **kwargs):
        old_alive_at_new_figures.append(old_figure() is not None)
        make_figure(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", watched_init)
    new = shown(factory())
    assert old_alive_at_new_figures and not any(old_alive_at_new_figures)
    new.close()


def test_a_panel_that_was_never_shown_is_not_closed_by_a_rebuild():
    factory = helpers.PANEL_FACTORIES["softmax-temperature"]
    first, second = factory(), factory()  # as a test compares two builds
    assert first.set(**second.values()) == second.set(**second.values())


def test_registered_factories_keep_their_names_and_docstrings():
    for function in helpers.PANEL_FACTORIES.values():
        original = function.__wrapped__
        assert (function.__name__, function.__qualname__, function.__module__, function.__doc__) == (
            original.__name__, original.__qualname__, original.__module__, original.__doc__)
    assert repr(helpers.adam_panel).startswith("<function adam_panel at ")
    assert helpers.adam_panel.__module__ == "helpers.panels.optimizers"


def test_the_panel_drawn_last_keeps_its_drawing_buffers_and_the_others_release_theirs(monkeypatch):
    """With every earlier panel over the budget, only the panel drawn last keeps its fast-redraw buffers (kept
    frames, blank figure, canvas pixels, PNG bands), whatever their size; the others let go of them, their
    canvas's renderer included (no text keeps it alive), and draw their next picture exactly as before."""
    monkeypatch.setattr(widgets, "DRAWING_BUFFER_BUDGET", 0)
    names = ["landscapes-optimizer", "batching-batch-size", "network-learning-rate"]
    panels = [helpers.PANEL_FACTORIES[name]() for name in names]
    renderers = []
    for panel in panels:
        move_first_slider(panel)
        renderers.append(weakref.ref(panel.figure.canvas.get_renderer()))
    first, middle, last = panels
    assert last.frames.frames and last.frames.kept_bytes > 0 and last._png_bands
    assert last.drawing_buffer_bytes > last.frames.held_bytes > last.frames.kept_bytes
    gc.collect()
    for cold in (first, middle):
        assert not cold.frames.frames and cold.frames.held_bytes == 0 and not cold._png_bands
        assert cold.drawing_buffer_bytes == 0
    assert [renderer() is None for renderer in renderers] == [True, True, False], "a released canvas's pixels live on"
    name = next(iter(first.grid))
    value = first.grid[name][1]
    cold_picture = first.render(**{name: value})  # drawn afresh from the released state
    assert first.frames.frames and first._png_bands, "a panel drawn again keeps its buffers again"
    fresh = helpers.PANEL_FACTORIES[names[0]]()
    assert fresh.render(**{name: value}) == cold_picture
    for panel in (*panels, fresh):
        panel.close()


def test_the_panels_drawn_before_the_last_keep_their_buffers_while_they_fit_in_the_budget(monkeypatch):
    names = ["landscapes-optimizer", "batching-batch-size", "network-learning-rate"]
    panels = [helpers.PANEL_FACTORIES[name]() for name in names]
    for panel in panels:
        move_first_slider(panel)
    first, middle, last = panels
    monkeypatch.setattr(widgets, "DRAWING_BUFFER_BUDGET", middle.drawing_buffer_bytes)  # room for the middle one only
    for panel in (first, middle, last):
        move_first_slider(panel)  # drawn in this order again: the budget applies going back from the last
    assert last.drawing_buffer_bytes > 0 and middle.drawing_buffer_bytes > 0
    assert first.drawing_buffer_bytes == 0
    for panel in panels:
        panel.close()
