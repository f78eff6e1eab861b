"""Slider panels: sliders beside one figure that answers as they move.

The figure is built once; a slider change calls the chapter's ``update`` function, which
recomputes what changed and updates the figure's existing artists (``set_data`` and friends),
then the panel redraws and sends the new PNG to an ``ipywidgets.Image``. Nothing is rebuilt,
and nothing goes through ``plt.show()``, so stored notebook outputs stay the same run after run.
"""
from __future__ import annotations

import asyncio
import base64
import ctypes
import functools
import gc
import html
import json
import threading
import time
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Mapping

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FixedLocator
from matplotlib.transforms import Bbox

from .blitting import AxesFrameCache, frame_box, tiles_around
from .plots import CourseCanvas, check_figure, encode_png
from .validation import check_flag, check_integer, check_number, check_text

__all__ = ["SliderPanel", "RunCache", "panel_factory", "PANEL_FACTORIES"]

#: Every function that builds a chapter's slider panel, by name (the static-page build uses it
#: to rebuild each panel and precompute its figure over the panel's grid of slider values).
PANEL_FACTORIES: dict[str, Callable[..., "SliderPanel"]] = {}
PANEL_MIME_TYPE = "application/vnd.backprop-by-hand.panel+json"


def panel_factory(name: str):
    """Register a function that builds a SliderPanel under ``name``.

    ``name``: a non-empty string not registered yet (e.g. "chapter-topic-name"). The panel remembers the
    name and the keyword arguments it was built with (they must be JSON-serializable), so the static course
    pages can rebuild exactly the panel a notebook shows. The registered function keeps the wrapped one's
    name, module, qualified name and docstring (``__wrapped__`` is the function itself, unregistered).

    A re-run cell must not pile panels up in the kernel: when a panel has been displayed and the same
    factory is called again with the same arguments, the new panel replaces it and the old one is closed
    (its widgets closed, its figure, kept frames and run cache let go: see :meth:`SliderPanel.close`) and
    freed before the new one is built (a full garbage collection, ~0.15 s), so the new one reuses its memory.
    """
    check_text("name", name, allow_empty=False)
    if name in PANEL_FACTORIES:
        raise ValueError(f"name must be a panel name not registered yet; got {name!r}, which is taken")

    def register(function):

        @functools.wraps(function)
        def build(**kwargs):
            replaced = _SHOWN.pop(_display_key(name, kwargs), None)
            if replaced is not None:  # closed and freed before the new one is built, which reuses that memory
                replaced.close(free=False)
                _free_closed_panels()
            building = _BUILDING.set(_display_key(name, kwargs))  # freeze_layout's key (_FROZEN_LAYOUTS)
            try:
                panel = function(**kwargs)
            finally:
                _BUILDING.reset(building)
            panel.factory_name, panel.factory_kwargs = name, dict(kwargs)
            return panel

        PANEL_FACTORIES[name] = build
        return build

    return register


#: The panels displayed in this kernel, by (factory name, arguments): a displayed panel must stay alive while
#: its sliders are on screen, and is closed when the same factory builds the same panel again (a re-run cell).
#: Bound: one panel per distinct (factory, arguments) displayed, however often its cell runs.
_SHOWN: dict[tuple[str, str], "SliderPanel"] = {}


#: The panel a registered factory is building in this thread, by (factory name, arguments as JSON), or None.
_BUILDING: ContextVar = ContextVar("building", default=None)


@dataclass(frozen=True)
class _FrozenLayout:
    """What :meth:`SliderPanel.freeze_layout` settles for a figure: each axes' box and the place of each figure-level
    text (a suptitle, which the layout engine places), in figure fraction (both None when the figure had no layout
    engine), what :func:`_fix_ticks` keeps per axes (or None), the texts made animated, as
    (axes index, 0 for its title or k for ``ax.texts[k - 1]``), the tiles of the kept frames (or None), and the
    places of the x-axis labels, per axes in axes fraction (or None; see :func:`_outermost_x_label_places`)."""
    positions: tuple | None
    figure_texts: tuple | None
    ticks: tuple | None
    animated: tuple
    tiles: tuple | None
    x_label_places: tuple | None


#: The layouts frozen in this process, by panel factory, arguments, freeze_layout's own arguments and
#: matplotlib's settings: a panel built again the same way (a re-run cell, a test) takes its layout from here
#: instead of laying out and drawing its figure at each setting again (0.1 to 1 s a panel). At most
#: _FROZEN_LAYOUTS_KEPT (a few kB each), the least recently used dropped first.
_FROZEN_LAYOUTS: OrderedDict = OrderedDict()
_FROZEN_LAYOUTS_KEPT = 64


def _display_key(name: str, kwargs: Mapping) -> tuple[str, str]:
    return name, json.dumps(kwargs, sort_keys=True, default=repr)


def _free_closed_panels() -> None:
    """Free what closed panels let go of, and hand the memory back to the system.

    A figure is a web of objects that refer to each other (figure, axes, artists, texts holding the Agg
    renderer), which Python frees only in a full garbage collection; until the interpreter runs one of its
    own, every replaced panel's figure stays (a few MB each, about ten at a time: +91 MB over 13 panels × 20
    rebuilds, benchmarks/panel_memory.py). A full collection costs ~0.15 s CPU in a kernel with the course
    loaded. glibc then keeps the freed pages for reuse instead of returning them; ``malloc_trim(0)`` returns
    them (skipped where the C library is not glibc).
    """
    while _FREEING:  # a collection scheduled by _free_soon is done now
        _FREEING.pop().cancel()
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _free_soon() -> None:
    """Run :func:`_free_closed_panels` now, or, in a kernel whose event loop runs, once after the running cell
    (its output shown first; several panels closed by one cell share one collection)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        _free_closed_panels()
        return
    if not _FREEING:
        _FREEING.append(loop.call_soon(_free_closed_panels))


def _glibc_malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None


_MALLOC_TRIM = _glibc_malloc_trim()
_FREEING: list = []  # the scheduled call of _free_closed_panels, while one is pending


class RunCache:
    """The runs a slider panel has computed, by the slider values that decide them: a slider dragged back
    and forth recomputes nothing. At most ``size`` runs are kept (the least recently used go first), so what
    a panel holds is bounded: ``size`` × one run's size (each panel states its bound where it makes its cache).

    ``get(key, compute, reuse=None)``: the kept run for ``key`` (hashable) when there is one and ``reuse(run)``
    (if given) says it answers (a run for more steps also answers for fewer), else ``compute()``, kept.
    ``size``: a whole number in [1, 10000]. ``clear()`` forgets every run; the panel drops its cache on close.
    """

    def __init__(self, size: int):
        self.size = check_integer("size", size, low=1, high=10_000)
        self.runs: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        return len(self.runs)

    def clear(self) -> None:
        self.runs.clear()

    def get(self, key, compute: Callable[[], object], reuse: Callable[[object], bool] | None = None):
        run = self.runs.get(key)
        if run is not None and (reuse is None or reuse(run)):
            self.runs.move_to_end(key)
            return run
        run = self.runs[key] = compute()
        self.runs.move_to_end(key)
        while len(self.runs) > self.size:
            self.runs.popitem(last=False)
        return run


#: How many bytes the fast-redraw buffers (kept axes frames and the blank figure, the canvas's pixels, the last
#: PNG's row bands: 4 to 30 MB a panel) of the panels drawn before the last one may hold together. The panel drawn
#: last always keeps its own (it is the one the student is moving; its kept frames are bounded by
#: :class:`~helpers.blitting.AxesFrameCache`); going back from it, the panels drawn most recently keep theirs while
#: they fit in this budget, and the others let go of them, drawing their next change afresh (as a first visit
#: does, 80 to 230 ms CPU once). So a kernel with every chapter's panels open holds the buffers of one or two.
DRAWING_BUFFER_BUDGET = 8 * 2**20
_WARM_PANELS: "OrderedDict[int, weakref.ref]" = OrderedDict()  # id(panel) → panel, the most recently drawn last
_WARM_PANELS_LOCK = threading.Lock()


def _keep_warm(panel: "SliderPanel") -> None:
    """Note that ``panel`` just drew; let the panels drawn before it that do not fit in
    :data:`DRAWING_BUFFER_BUDGET` release their drawing buffers (called with no panel's lock held: a release
    takes the other panel's lock)."""
    with _WARM_PANELS_LOCK:
        _WARM_PANELS.pop(id(panel), None)
        earlier = [(key, ref()) for key, ref in reversed(_WARM_PANELS.items())]  # the most recent first
        _WARM_PANELS[id(panel)] = weakref.ref(panel)
        held, cold = 0, []
        for key, other in earlier:
            held += other.drawing_buffer_bytes if other is not None and not other.closed else 0
            if other is None or other.closed or held > DRAWING_BUFFER_BUDGET:
                del _WARM_PANELS[key]
                if other is not None:
                    cold.append(other)
    for other in cold:
        other.release_drawing_buffers()
    if cold and _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # glibc keeps freed pages for reuse unless asked (see _free_closed_panels)


class _SliderRelay:
    """A slider's change handler that holds its panel weakly: ipywidgets keeps every open widget (and so its
    handlers) alive, and a strong handler would keep a panel no one uses, figure and caches included."""

    def __init__(self, panel: "SliderPanel"):
        self.panel = weakref.ref(panel)

    def __call__(self, change) -> None:
        panel = self.panel()
        if panel is not None:
            panel._on_change(change)


def _close_widgets(widget_list) -> None:
    for widget in widget_list:  # a widget's layout and style are widgets too, open until closed
        for part in (widget, getattr(widget, "layout", None), getattr(widget, "style", None)):
            if isinstance(part, widgets.Widget):
                part.close()


class SliderPanel:
    """Sliders + one figure, redrawn in place.

    ``sliders`` maps each keyword of ``update`` to a widget with a ``value`` (FloatSlider,
    FloatLogSlider, IntSlider, Dropdown, ...). ``update(**values)`` changes the figure's artists
    and returns a status line (for example ``"diverged at step 7"``) or None. ``description`` is
    the panel's one-line text form, shown where widgets cannot be (nbval, plain text, static pages).
    Rapid slider drags are coalesced: at most one redraw per ``debounce_seconds`` while a kernel's
    event loop runs (a change redraws at once when the last redraw is that old, else one redraw then takes
    every change since); outside a kernel (tests, ``set``) every change redraws at once.
    ``grid`` maps slider names to the values the static course pages precompute (each list should
    show every behaviour the chapter talks about); sliders not in it stay at their start value.
    ``readout``, when given, is called after each update and returns plain text (several lines) shown
    beside the sliders under the status line: numbers that read better as text than drawn in the figure.
    ``ignores`` says which sliders the picture, status line and readout do not depend on while another slider
    has some value, ``{slider: {value: [sliders then ignored]}}`` (SGD reads neither β): the static pages draw
    one image for all their values.

    ``sliders``: a non-empty dict {keyword: ipywidgets value widget}; ``figure``: a matplotlib Figure
    (built once with ``new_figure``); ``update``: a callable; ``description``: a non-empty string;
    ``grid``: a dict {slider name: list of values} or None; ``debounce_seconds``: a number in [0, 10];
    ``readout``: a callable taking no arguments, or None.
    """

    def __init__(self, sliders: Mapping[str, widgets.ValueWidget], figure, update: Callable[..., str | None],
                 *, description: str, grid: Mapping[str, list] | None = None, debounce_seconds: float = 0.03,
                 readout: Callable[[], str] | None = None, ignores: Mapping[str, Mapping] | None = None):
        if not isinstance(sliders, Mapping) or not sliders:
            raise ValueError(f"sliders must be a dict naming at least one slider; got {sliders!r}"[:200])
        for name, slider in sliders.items():
            if not isinstance(name, str) or not isinstance(slider, widgets.ValueWidget):
                raise ValueError(f"sliders must map keywords of update to ipywidgets value widgets; "
                                 f"got {name!r}: {type(slider).__name__}")
        if not callable(update):
            raise ValueError(f"update must be a callable that redraws the figure; got {type(update).__name__}")
        if readout is not None and not callable(readout):
            raise ValueError(f"readout must be a callable returning text, or None; got {type(readout).__name__}")
        if grid is not None and (not isinstance(grid, Mapping) or
                                 not all(isinstance(v, (list, tuple)) for v in grid.values())):
            raise ValueError(f"grid must be a dict {{slider name: list of values}} or None; got {grid!r}"[:200])
        self.sliders = dict(sliders)
        self.figure = check_figure("figure", figure)
        self.update_function = update
        self.description = check_text("description", description, allow_empty=False)
        self.debounce_seconds = check_number("debounce_seconds", debounce_seconds, low=0.0, high=10.0)
        self.grid = {name: list(values) for name, values in (grid or {}).items()}
        unknown = set(self.grid) - set(self.sliders)
        if unknown:
            raise ValueError(f"grid must name sliders only; got unknown slider(s) {sorted(unknown)} "
                             f"(the sliders are {sorted(self.sliders)})")
        self.ignores = _check_ignores(ignores, self.sliders)
        self.factory_name: str | None = None
        self.factory_kwargs: dict = {}
        self.readout_function = readout
        self.status_message: str | None = None
        self.readout_text = ""
        self._png = b""  # drawn on first use (see png): a panel's builder first freezes its layout
        self.frames: AxesFrameCache | None = None  # set by freeze_layout(blit=True)
        self._pending = None
        self._last_drawn = float("-inf")  # time.monotonic() when the last redraw ended
        self._png_bands: list = []  # the last PNG's row bands (encode_png deflates only the ones a move changed)
        self._holding = False
        # JupyterLab can deliver one drag's slider messages on two kernel threads (shell and a
        # subshell); matplotlib is not thread-safe, and two interleaved renders can leave the figure
        # blank for good. Every recompute-and-render holds this lock, so they take turns.
        self.lock = threading.RLock()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="720px"))
        self.status = widgets.HTML()
        relay = _SliderRelay(self)
        for slider in self.sliders.values():
            slider.observe(relay, names="value")
        controls = widgets.VBox(list(self.sliders.values()), layout=widgets.Layout(min_width="300px"))
        row = widgets.HBox([controls, self.status])
        self.widget = widgets.VBox([row, self.image])
        self.closed = False
        # ipywidgets keeps open widgets until they are closed: close them when the panel goes or is closed.
        self._close_widgets = weakref.finalize(self, _close_widgets,
                                               [*self.sliders.values(), controls, self.status, row, self.image,
                                                self.widget])
        self.refresh(draw=False)  # the figure is drawn when first shown, after a builder froze its layout

    # -- what the panel shows -------------------------------------------------------------
    @property
    def png(self) -> bytes:
        """The PNG of the picture the panel shows (the image beside the sliders), drawn on first use."""
        self._check_open()
        if not self._png:
            self._draw_image()
            _keep_warm(self)
        return self._png

    @property
    def display_key(self) -> tuple[str, str] | None:
        """(factory name, its arguments as JSON) for a panel built by a registered factory, else None."""
        if self.factory_name is None:
            return None
        return _display_key(self.factory_name, self.factory_kwargs)

    def close(self, *, free: bool = True) -> None:
        """Let go of everything the panel holds: its widgets are closed (the sliders stop answering and the
        view leaves the notebook) and its figure, kept frames, update function and run caches are dropped, so
        the kernel can free them, and are freed at once (see :func:`_free_closed_panels`; ``free=False``: the
        caller frees them). Called when the same panel is built again; a closed panel only describes itself.
        """
        with self.lock:
            if self.closed:
                return
            if self._pending is not None:
                self._pending.cancel()
            self._close_widgets()
            if _SHOWN.get(self.display_key) is self:
                del _SHOWN[self.display_key]
            kept = {name: getattr(self, name) for name in ("description", "factory_name", "factory_kwargs", "grid",
                                                           "status_message", "readout_text", "lock")}
            self.__dict__.clear()  # what chapter code attached too (a run cache, say)
            self.__dict__.update(kept, closed=True)
        if free:
            _free_soon()

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError(f"this panel was closed (the same panel was built again, or close() was called): "
                               f"use the new one; panel: {self.description}")

    def values(self) -> dict:
        """The sliders' current values, by keyword."""
        self._check_open()
        return {name: slider.value for name, slider in self.sliders.items()}

    def refresh(self, *, draw: bool = True) -> str | None:
        """Recompute and redraw for the current slider values; returns the status message.
        ``draw=False`` recomputes the status line and readout but draws nothing (see :meth:`recompute`)."""
        with self.lock:
            self._check_open()
            self._pending = None
            message = self.update_function(**self.values())
            self._check_drawn_data_is_finite()
            self.status_message = message
            self.readout_text = self.readout_function() if self.readout_function else ""
            status = f"<b style='color:#D55E00'>{html.escape(message)}</b>" if message else ""
            readout = f"<pre class='bbh-readout'>{html.escape(self.readout_text)}</pre>" if self.readout_text else ""
            self.status.value = status + readout
            if not draw:
                return message
            self._draw_image()
        _keep_warm(self)
        return message

    def _draw_image(self) -> None:
        """Draw the figure as it stands and show it: the PNG in the image beside the sliders."""
        with self.lock:
            self.draw()
            self._png = encode_png(np.asarray(self.figure.canvas.buffer_rgba()), compress_level=1,  # fast while dragging
                                   kept_bands=self._png_bands)
            self.image.value = self._png
            self._last_drawn = time.monotonic()

    def draw(self) -> None:
        """Draw the figure on its canvas as the panel shows it, without making the PNG: from the kept axes frames
        plus the data when it keeps frames, else whole. After :meth:`recompute`, the canvas holds the pixels
        :meth:`set` would encode (the static pages encode them their own way)."""
        with self.lock:
            self._check_open()
            if self.frames is not None:  # kept axes frames + the data drawn on top
                self.frames.draw()
            else:
                self.figure.canvas.draw()

    @property
    def drawing_buffer_bytes(self) -> int:
        """Bytes held by what only makes the next redraw fast: kept axes frames and the blank figure, the
        canvas's pixels (4 × width × height) and its kept text bitmaps, and the last PNG's row bands (raw and
        deflated)."""
        frames = self.frames.held_bytes if self.frames is not None else 0
        renderer = getattr(self.figure.canvas, "renderer", None)
        canvas = 4 * renderer.width * renderer.height + renderer.kept_bytes if renderer is not None else 0
        return frames + canvas + sum(len(raw) + len(deflated) for _, raw, deflated in self._png_bands)

    def release_drawing_buffers(self) -> None:
        """Let go of what only makes the next redraw fast: the kept axes frames, the blank figure, the last
        PNG's row bands and the canvas's pixels and kept texts (see :func:`_release_renderer`). The picture shown stays as it
        is; the next change draws them again, as a first visit does.
        Called for the panels drawn longest ago (see :data:`DRAWING_BUFFER_BUDGET`)."""
        with self.lock:
            if self.closed:
                return
            if self.frames is not None:
                self.frames.clear()
            self._png_bands = []
            _release_renderer(self.figure)

    def set(self, **values) -> str | None:
        """Move several sliders at once (one redraw), as a student or a test would."""
        self._move(values)
        return self.refresh()

    def recompute(self, **values) -> str | None:
        """Move sliders as :meth:`set` does and recompute the figure's artists, status line and readout,
        without drawing: for a caller that draws the figure itself (the static pages draw each picture once)."""
        self._move(values)
        return self.refresh(draw=False)

    def _move(self, values: dict) -> None:
        self._check_open()
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise ValueError(f"set() got unknown slider name(s) {sorted(unknown)}; the sliders are {sorted(self.sliders)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.sliders[name].value = value
        finally:
            self._holding = False

    def freeze_layout(self, *settings: Mapping, fix_ticks: bool = False, blit: bool = False,
                      **widest) -> "SliderPanel":
        """Lay the figure out once, with the sliders at ``widest`` (the values whose tick labels and
        titles take the most room), then keep every axes where it is and drop the layout engine.

        The frame stays still while the sliders move, no label is clipped at any slider value, and a
        redraw costs one drawing instead of two (savefig draws twice under a layout engine).
        When no single setting is widest everywhere, pass several as dicts in ``settings`` (slider
        values, the rest staying where they are): each axes then keeps the box that fits inside the
        layouts of all of them. ``fix_ticks=True`` (for a panel whose axes limits never change) also
        fixes the tick positions and labels and the places of the axis labels and titles, so a redraw
        skips measuring every tick label to place them.
        ``blit=True`` redraws from then on with an :class:`~helpers.blitting.AxesFrameCache`: each axes' frame
        is drawn once per look and kept, and a move redraws only the lines and the animated texts (the axes'
        titles and texts found to change between ``settings`` and the ends of each ``grid`` slider are made
        animated here); each axes' tile is the box its frame (all but its animated artists) covers at any one of
        ``settings``; and each x-axis label is fixed where it stood lowest, so a new frame does not measure the
        tick labels to place it.
        A panel that a registered factory builds again the same way in this process (the same arguments and
        matplotlib settings: a re-run cell) takes the layout settled the first time instead of drawing its figure
        at every setting again (``_FROZEN_LAYOUTS``; the same boxes, ticks, animated texts and tiles, tested).
        Returns the panel, so a panel builder can end with ``return panel.freeze_layout(...)``.
        """
        self._check_open()
        fix_ticks, blit = check_flag("fix_ticks", fix_ticks), check_flag("blit", blit)
        settings = [dict(values) for values in settings]
        if widest or not settings:
            settings.append(widest)
        for values in settings:
            unknown = set(values) - set(self.sliders)
            if unknown:
                raise ValueError(f"freeze_layout() got unknown slider name(s) {sorted(unknown)}; "
                                 f"the sliders are {sorted(self.sliders)}")
        with self.lock:
            building = _BUILDING.get()
            key = None if building is None else (building, json.dumps([settings, fix_ticks, blit], sort_keys=True,
                                                                      default=repr), _rc_fingerprint())
            layout = _FROZEN_LAYOUTS.get(key) if key is not None else None
            if layout is None:
                layout = self._lay_out(settings, fix_ticks, blit)
                if key is not None:
                    _FROZEN_LAYOUTS[key] = layout
                    while len(_FROZEN_LAYOUTS) > _FROZEN_LAYOUTS_KEPT:
                        _FROZEN_LAYOUTS.popitem(last=False)
            else:
                _FROZEN_LAYOUTS.move_to_end(key)
                self.update_function(**self.values())  # the artists an update makes, as after laying out
            self._apply_layout(layout)
            self.refresh()
        return self

    def _lay_out(self, settings: list, fix_ticks: bool, blit: bool) -> _FrozenLayout:
        """Settle the figure's layout for :meth:`freeze_layout` (drawing it at each of ``settings``) and say what
        it settled on. The figure is left laid out so, its sliders where they were."""
        positions = figure_texts = ticks = tiles = x_label_places = None
        animated = []
        if self.figure.get_layout_engine() is not None:
            self.figure.draw_without_rendering()  # from a fresh figure constrained layout needs a pass more to settle
            boxes = []
            for values in settings:
                self.update_function(**{**self.values(), **values})  # the sliders stay put
                self.figure.draw_without_rendering()  # constrained layout settles on its second pass
                self.figure.draw_without_rendering()
                boxes.append([ax.get_position().get_points() for ax in self.figure.axes])
            # the largest lower-left corner and the smallest upper-right one: inside every layout
            positions = tuple(Bbox([points[:, 0].max(axis=0), points[:, 1].min(axis=0)])
                              for points in np.array(boxes).transpose(1, 0, 2, 3))
            figure_texts = tuple(text.get_position() for text in _figure_texts(self.figure))
            self.figure.set_layout_engine(None)
            for ax, box in zip(self.figure.axes, positions):
                ax.set_position(box)
            if fix_ticks:
                ticks = tuple(_ticks_to_fix(ax) for ax in self.figure.axes)
                for ax, kept in zip(self.figure.axes, ticks):
                    _fix_ticks(ax, kept)
        if blit:
            # A title or text that changes with the sliders is drawn with the data (animated), not kept in
            # the frame: else every new slider value would cost a new frame. Probed at the layout settings
            # and at both ends of each grid slider, unless the panel chose its animated texts itself.
            chosen = any(isinstance(a, Text) and a.get_animated() for ax in self.figure.axes for a in ax.get_children())
            places = {text: (i, k) for i, ax in enumerate(self.figure.axes) for k, text in enumerate((ax.title, *ax.texts))}
            contents: dict = {}
            probes = settings + [{name: grid[i]} for name, grid in self.grid.items() for i in (0, -1)]
            for values in [] if chosen else probes:
                self.update_function(**{**self.values(), **values})
                for text in places:
                    contents.setdefault(text, set()).add((text.get_text(), text.get_visible()))
            animated = [places[text] for text, seen in contents.items() if len(seen) > 1]
            for i, k in animated:
                (self.figure.axes[i].title, *self.figure.axes[i].texts)[k].set_animated(True)
            boxes, places = [], []
            for values in settings + [{}]:  # and where the sliders stand
                self.update_function(**{**self.values(), **values})
                self.figure.draw_without_rendering()
                renderer = self.figure.canvas.get_renderer()
                boxes.append([frame_box(ax, renderer) for ax in self.figure.axes])
                places.append([_x_label_place(ax) for ax in self.figure.axes])
            tiles = tuple(tiles_around(self.figure, [Bbox.union(list(each)) for each in zip(*boxes)]))
            # Each x-axis label where it stood furthest out (tick labels keep their height whatever the limits, so
            # that is where it stands at every setting), fixed: a new frame then skips measuring every tick label,
            # the shared axes' too, to place it. (A y label follows its tick labels' width, which the limits change.)
            x_label_places = _outermost_x_label_places(self.figure.axes, places)
            _fix_x_label_places(self.figure.axes, x_label_places)
        return _FrozenLayout(positions, figure_texts, ticks, tuple(animated), tiles, x_label_places)

    def _apply_layout(self, layout: _FrozenLayout) -> None:
        """Give the figure ``layout`` (from :meth:`_lay_out`, for this figure or one built the same way)."""
        if layout.positions is not None:
            self.figure.set_layout_engine(None)
            for ax, box in zip(self.figure.axes, layout.positions):
                ax.set_position(box)
            for text, place in zip(_figure_texts(self.figure), layout.figure_texts):
                text.set_position(place)
        for ax, kept in zip(self.figure.axes, layout.ticks or ()):
            _fix_ticks(ax, kept)
        for i, k in layout.animated:
            ax = self.figure.axes[i]
            (ax.title, *ax.texts)[k].set_animated(True)
        if layout.x_label_places is not None:
            _fix_x_label_places(self.figure.axes, layout.x_label_places)
        if layout.tiles is not None:
            self.frames = AxesFrameCache(self.figure, list(layout.tiles))

            self.refresh()
        return self

    def render(self, **values) -> bytes:
        """PNG bytes of the picture the panel shows at the given slider values (missing ones keep their value):
        its image after :meth:`set`, drawn from kept frames when it keeps them, as in JupyterLab. The static
        course pages show the same pixels; the sliders end where they began.
        """
        with self.lock:
            before = self.values()
            try:
                self.set(**values)
                return self.png
            finally:
                self.set(**before)

    # -- plumbing -------------------------------------------------------------------------
    def _on_change(self, change) -> None:
        if self.closed or self._holding or self._pending is not None:  # a redraw waiting reads this value too
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        wait = self._last_drawn + self.debounce_seconds - time.monotonic()
        if loop is None or wait <= 0:  # a key press, a drag's first move
            self.refresh()
        else:
            self._pending = loop.call_later(wait, self.refresh)

    def _check_drawn_data_is_finite(self) -> None:
        # A broken figure is worse than a message: inf in a line's data would blank the axes.
        for ax in self.figure.axes:
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                if np.isinf(y).any():
                    raise RuntimeError(f"panel '{self.description}' drew inf values; update() must hide them (use NaN)")

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.closed:
            return {"text/plain": f"{self.description} (closed: the same panel was built again)"}
        if self.factory_name:  # shown: kept alive until the same panel is built again
            _SHOWN[self.display_key] = self
        png = self.png  # drawn before the widget's view is made, so the view shows the picture
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        data = dict(bundle[0]) if isinstance(bundle, tuple) else dict(bundle)
        # Stable text for nbval; the PNG is the static fallback for pages with no kernel.
        data["text/plain"] = self.description
        data["image/png"] = base64.b64encode(png).decode("ascii")
        if self.factory_name:
            data[PANEL_MIME_TYPE] = {"factory": self.factory_name, "kwargs": self.factory_kwargs,
                                     "grid": self.grid, "values": self.values(), "description": self.description}
        return data


def _release_renderer(figure) -> None:
    """Let ``figure`` forget its Agg renderer, the canvas's pixels (4 bytes × width × height: 1.0 to 2.1 MB for
    the course's panels); its next draw makes a new one. The figure gets a new canvas (a canvas keeps its
    renderer while the size stays), and every text lets go of the renderer it was laid out with: matplotlib
    keeps it in ``Text._renderer`` (private; None is its own "not laid out yet"), tick labels not drawn at the
    moment included, so the old pixels would stay alive through any one of them."""
    CourseCanvas(figure)
    ticks = [tick for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in (*axis.majorTicks, *axis.minorTicks)]
    for text in [*figure.findobj(Text), *(label for tick in ticks for label in (tick.label1, tick.label2))]:
        text._renderer = None


def _check_ignores(ignores, sliders) -> dict:
    """``ignores`` checked: {slider: {value: [other sliders]}}, every name a slider's; a copy of it."""
    problem = f"ignores must map a slider to {{value: [other sliders]}} or be None; got {ignores!r}"[:300]
    if ignores is None:
        return {}
    if not isinstance(ignores, Mapping) or not all(
            isinstance(by_value, Mapping) and all(isinstance(others, (list, tuple)) for others in by_value.values())
            for by_value in ignores.values()):
        raise ValueError(problem)
    checked = {name: {value: list(others) for value, others in by_value.items()} for name, by_value in ignores.items()}
    for name, by_value in checked.items():
        for others in by_value.values():
            if name not in sliders or not set(others) <= set(sliders) - {name}:
                raise ValueError(f"{problem} (the sliders are {sorted(sliders)})")
    return checked


def _figure_texts(figure) -> list:
    """The texts of ``figure`` itself (its suptitle and any ``figure.text``), not of its axes."""
    return [artist for artist in figure.get_children() if isinstance(artist, Text)]


def _x_label_place(ax) -> tuple:
    """(x, y): the place of ``ax``'s x-axis label as last drawn, in axes fraction."""
    label = ax.xaxis.label
    return tuple(float(v) for v in ax.transAxes.inverted().transform(label.get_transform().transform(label.get_position())))


def _outermost_x_label_places(axes, places) -> tuple:
    """Per axes of ``axes``, the place of its x-axis label furthest from it among ``places`` (one list of
    :func:`_x_label_place` per drawing): the lowest for a label below the axes, the highest for one above."""
    below = [ax.xaxis.get_label_position() == "bottom" for ax in axes]
    return tuple((min if low else max)((drawn[index] for drawn in places), key=lambda place: place[1])
                 for index, low in enumerate(below))


def _fix_x_label_places(axes, places) -> None:
    """Put each x-axis label of ``axes`` at its place in ``places`` (from :func:`_outermost_x_label_places`), for good."""
    for ax, place in zip(axes, places):
        ax.xaxis.set_label_coords(*place)


def _ticks_to_fix(ax) -> dict:
    """``ax``'s ticks, tick labels, axis-label places (axes fraction) and title as last drawn, for
    :func:`_fix_ticks`."""
    axes = {}
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        where = axis.label.get_transform().transform(axis.label.get_position())
        axes[name] = (tuple(axis.get_majorticklocs()), tuple(label.get_text() for label in axis.get_majorticklabels()),
                      tuple(axis.get_minorticklocs()), tuple(ax.transAxes.inverted().transform(where)))
    return {**axes, "title": (ax.get_title(), ax.title.get_position()[1], ax.title.get_fontsize(),
                              to_rgba(ax.title.get_color()))}


def _fix_ticks(ax, kept: dict) -> None:
    """Keep ``ax``'s ticks, tick labels, axis-label and title places as ``kept`` says (:func:`_ticks_to_fix`; its
    limits must not change afterwards): matplotlib then stops recomputing and measuring them on every redraw."""
    for axis, (major, labels, minor, label_place) in ((ax.xaxis, kept["x"]), (ax.yaxis, kept["y"])):
        axis.set_major_locator(FixedLocator(major))
        axis.set_major_formatter(FixedFormatter(labels))
        axis.set_minor_locator(FixedLocator(minor))
        axis.set_label_coords(*label_place)
    title, y, size, color = kept["title"]
    ax.set_title(title, y=y, fontsize=size, color=color)


def _rc_fingerprint() -> int:
    """A hash of matplotlib's current settings (a layout frozen under other settings is not reused)."""
    return hash(tuple((name, repr(value)) for name, value in sorted(matplotlib.rcParams.items())))
