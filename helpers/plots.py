"""One plotting style for the whole course, and the drawing pieces the chapters share.

Figures are built with :func:`new_figure` (a matplotlib Figure that pyplot does not manage),
so a slider panel can keep one figure alive and update its artists, and a static cell shows
it with :func:`show_figure`. Colours are the Okabe-Ito palette, safe for colour-blind readers.
"""
from __future__ import annotations

import base64
import io
import math
import struct
import zlib
from collections import OrderedDict
from typing import NamedTuple

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode
import numpy as np

from .validation import as_float_array, check_flag, check_integer, check_number, check_text

__all__ = ["COLORS", "PALETTE", "use_course_style", "new_figure", "figure_to_png", "encode_png", "show_figure",
           "draw_loss_curve", "mark_divergence", "nice_step", "nice_limits"]

#: Okabe & Ito (2008), a palette that stays distinct under the common colour-vision deficiencies.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: The order lines take in a figure (yellow last: it is faint on white).
PALETTE = [COLORS[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black", "yellow")]

COURSE_STYLE = {
    "figure.figsize": (7.0, 4.0),   # fits a course page (about 700 px) at 100 dpi
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    # Titles at the top of their axes (matplotlib's place when nothing is above the axes). Left to itself,
    # matplotlib measures every y tick label on each draw to see whether a title must move up, which costs a
    # slider panel's redraw 3-6 ms.
    "axes.titley": 1.0,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "lines.linewidth": 2.0,
    # Deterministic files: no dates, no random ids (nbval and git diffs stay quiet).
    "svg.hashsalt": "backprop-by-hand",
    "image.cmap": "viridis",
}


def use_course_style() -> None:
    """Apply the course style to matplotlib (also applied on ``import helpers``)."""
    matplotlib.rcParams.update(COURSE_STYLE)


class _GlyphRecorder:
    """Stands in for the Agg renderer's drawing surface while a text is drawn: passes each glyph on and
    keeps a copy of its bitmap and place."""

    def __init__(self, surface):
        self.surface, self.glyphs = surface, []

    def draw_text_image(self, image, x, y, angle, gc) -> None:
        self.glyphs.append((np.array(image, copy=True), x, y, angle))
        self.surface.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):
        return getattr(self.surface, name)


#: Bytes of glyph bitmaps one renderer keeps (:class:`TextKeepingRenderer`); the oldest go first.
KEPT_TEXT_BYTES = 1 << 20
#: Bytes of single glyphs one renderer keeps by their place on the pixel grid (:class:`TextKeepingRenderer`).
KEPT_GLYPH_BYTES = 1 << 20
# Beside the bitmaps: a kept glyph's array, tuple and numbers, and a text's key and list (tracemalloc, the
# texts of the Adam, graph and softmax panels after 24 moves: 260 to 350 bytes a glyph in all).
_GLYPH_OVERHEAD_BYTES = 250
_TEXT_OVERHEAD_BYTES = 500


class TextKeepingRenderer(RendererAgg):
    """Matplotlib's Agg renderer that keeps the glyph bitmaps of each text it draws, by text, font and place.

    A slider panel draws the same tick labels, titles and numbers at the same places frame after frame;
    FreeType lays out and renders every glyph each time (about 1 ms a text). Drawn again, a kept text's
    glyphs are blended straight onto the canvas with the colour and alpha of this draw: the same calls with the
    same bitmaps, so the pixels are identical (tested). Mathtext is drawn as usual. At most
    :data:`KEPT_TEXT_BYTES` are kept, least recently drawn text dropped first; a new renderer starts empty.

    A text not seen before (new numbers, a new caption) is mostly made of glyphs seen before: each glyph's
    bitmap is kept too (:meth:`_kept_glyph`), by font, size, glyph and its place within a pixel (FreeType's
    1/64 px; a shift by whole pixels only moves the bitmap), up to :data:`KEPT_GLYPH_BYTES`.
    (While a new text is drawn, ``self._renderer``, RendererAgg's drawing surface, is a recorder passing every
    call on.)
    """

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self.kept_texts: OrderedDict = OrderedDict()
        self.kept_text_bytes = 0
        self.kept_glyphs: OrderedDict = OrderedDict()
        self.kept_glyph_bytes = 0

    @property
    def kept_bytes(self) -> int:
        """Memory the kept texts and glyphs hold, in bytes."""
        return self.kept_text_bytes + self.kept_glyph_bytes

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), angle, x, y, gc.get_antialiased(),
               get_hinting_flag(), None if mtext is None else (str(mtext.get_fontfeatures()), mtext.get_language()))
        glyphs = self.kept_texts.get(key)
        if glyphs is not None:
            self.kept_texts.move_to_end(key)
            for image, gx, gy, gangle in glyphs:
                self._renderer.draw_text_image(image, gx, gy, gangle, gc)
            return None
        recorder = _GlyphRecorder(self._renderer)
        self._renderer = recorder
        try:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            self._renderer = recorder.surface
        self.kept_texts[key] = recorder.glyphs
        self.kept_text_bytes += _kept_bytes(recorder.glyphs)
        while self.kept_text_bytes > KEPT_TEXT_BYTES and self.kept_texts:
            self.kept_text_bytes -= _kept_bytes(self.kept_texts.popitem(last=False)[1])
        return None


    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        # RendererAgg's own loop (matplotlib is pinned), with each glyph's bitmap from _kept_glyph: FreeType places a
        # glyph at (x64, y64) in 1/64 px, and the bitmap rendered at the fraction (x64 & 63, y64 & 63) is the one
        # at (x64, y64) moved by whole pixels. y is downwards here, FreeType's upwards.
        rotation = np.array([[math.cos(math.radians(angle)), -math.sin(math.radians(angle))],
                             [math.sin(math.radians(angle)), math.cos(math.radians(angle))]])
        (cos, _), (sin, _) = rotation
        load_flags, antialiased, matrices = get_hinting_flag(), gc.get_antialiased(), {}
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
            if (slant, extend) not in matrices:
                matrices[slant, extend] = (0x10000 * rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            x64 = round(0x40 * (x + dx * cos - dy * sin))
            y64 = round(0x40 * (self.height - y + dx * sin + dy * cos))
            buffer, left, top = self._kept_glyph(font, size, glyph_index, matrices[slant, extend], x64 & 63, y64 & 63,
                                                 load_flags, antialiased)
            self._renderer.draw_text_image(buffer, left + (x64 >> 6), int(self.height) - top - (y64 >> 6)
                                           + buffer.shape[0], 0, gc)
        if len(boxes):  # mathtext's rules (a fraction's bar), drawn by matplotlib
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)

    def _kept_glyph(self, font, size, glyph_index, matrix, x_phase, y_phase, load_flags, antialiased):
        """(bitmap, left, top) of a glyph rendered with its origin at (x_phase, y_phase)/64 px: kept, or rendered
        and kept (the least recently used dropped past KEPT_GLYPH_BYTES)."""
        key = (font, size, glyph_index, matrix.tobytes(), x_phase, y_phase, load_flags, antialiased)
        kept = self.kept_glyphs.get(key)
        if kept is not None:
            self.kept_glyphs.move_to_end(key)
            return kept
        font.set_size(size, self.dpi)
        font._set_transform(matrix, [x_phase, y_phase])
        bitmap = font._render_glyph(glyph_index, load_flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
        buffer = np.array(bitmap.buffer, copy=True)
        if not antialiased:
            buffer *= 0xff
        kept = self.kept_glyphs[key] = (buffer, bitmap.left, bitmap.top)
        self.kept_glyph_bytes += buffer.nbytes + _GLYPH_OVERHEAD_BYTES
        while self.kept_glyph_bytes > KEPT_GLYPH_BYTES and len(self.kept_glyphs) > 1:
            self.kept_glyph_bytes -= self.kept_glyphs.popitem(last=False)[1][0].nbytes + _GLYPH_OVERHEAD_BYTES
        return kept


def _kept_bytes(glyphs) -> int:
    return _TEXT_OVERHEAD_BYTES + sum(image.nbytes + _GLYPH_OVERHEAD_BYTES for image, *_ in glyphs)


class CourseCanvas(FigureCanvasAgg):
    """The Agg canvas of the course's figures: draws with a :class:`TextKeepingRenderer`, made anew when the
    figure's pixel size or dpi changes (as Agg's own canvas does)."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        renderer = getattr(self, "renderer", None)
        if not isinstance(renderer, TextKeepingRenderer) or \
                (renderer.width, renderer.height, renderer.dpi) != (width, height, self.figure.dpi):
            self.renderer = TextKeepingRenderer(width, height, self.figure.dpi)
        return self.renderer


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 7.0, height: float = 4.0, **subplot_kw):
    """A Figure with an Agg canvas (:class:`CourseCanvas`) and its axes, not registered with pyplot, laid out by
    constrained layout.

    (Constrained layout is asked for here, not in the global style, so a slider panel can drop the
    layout engine once its frame is fixed: see ``SliderPanel.freeze_layout``.)
    ``nrows`` and ``ncols``: whole numbers in [1, 10]; ``width`` and ``height``: inches in (0, 100]
    (7 × 4 fits a course page); ``subplot_kw`` goes to matplotlib (e.g. ``sharey=True``).
    Returns ``(figure, axes)``; ``axes`` is one Axes for a 1×1 grid, else an array.
    """
    nrows, ncols = check_integer("nrows", nrows, low=1, high=10), check_integer("ncols", ncols, low=1, high=10)
    width = check_number("width", width, low=0.0, high=100.0, low_open=True)
    height = check_number("height", height, low=0.0, high=100.0, low_open=True)
    with matplotlib.rc_context(COURSE_STYLE):
        figure = Figure(figsize=(width, height), dpi=COURSE_STYLE["figure.dpi"], layout="constrained")
        CourseCanvas(figure)
        axes = figure.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    return figure, axes


def figure_to_png(figure: Figure, *, compress_level: int = 6) -> bytes:
    """Render ``figure`` to PNG bytes (no timestamp in the file, so the bytes are repeatable).

    ``figure``: a matplotlib Figure (from :func:`new_figure`); ``compress_level``, a whole number in
    [0, 9], trades size for speed (a slider panel's moves use :func:`encode_png` instead).
    """
    check_figure("figure", figure)
    compress_level = check_integer("compress_level", compress_level, low=0, high=9)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": compress_level})
    return buffer.getvalue()


#: Rows compressed together by :func:`encode_png`: a slider move changes a few bands of a figure, and only
#: those are compressed again.
PNG_BAND_ROWS = 32


def encode_png(rgba, *, compress_level: int = 1, kept_bands: list | None = None) -> bytes:
    """PNG bytes of an RGBA image, written directly: what a slider panel sends on every move.

    ``rgba``: a uint8 array of shape (height, width, 4), e.g. ``np.asarray(figure.canvas.buffer_rgba())``
    after a draw; ``compress_level``: zlib's level, a whole number in [0, 9]. The rows are stored unfiltered
    (PNG filter 0): a plot is mostly flat colour, which zlib packs well as it is, and skipping the filter
    pass makes this about twice as fast as ``figure_to_png``'s encoder for a 700 × 760 figure.
    The rows are deflated in bands of ``PNG_BAND_ROWS``, each on its own (ended by a full flush), so the bytes
    depend on the image alone. ``kept_bands``: None, or a list the caller keeps between calls (a slider panel
    keeps one), where each band is kept, raw and deflated; a band whose rows did not change since the last
    call is not deflated again (the bytes are the same either way).
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape:
        raise ValueError(f"rgba must be a uint8 array of shape (height, width, 4); got {rgba.dtype} {rgba.shape}")
    compress_level = check_integer("compress_level", compress_level, low=0, high=9)
    if kept_bands is not None and not isinstance(kept_bands, list):
        raise ValueError(f"kept_bands must be a list (kept between calls) or None; got {type(kept_bands).__name__}")
    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, none
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    bands = []
    for index, start in enumerate(range(0, height, PNG_BAND_ROWS)):
        raw = rows[start:start + PNG_BAND_ROWS].tobytes()
        band = kept_bands[index] if kept_bands and index < len(kept_bands) else None
        if band is None or band[:2] != (compress_level, raw):
            deflate = zlib.compressobj(compress_level, zlib.DEFLATED, -15)  # raw deflate, no zlib header
            band = (compress_level, raw, deflate.compress(raw) + deflate.flush(zlib.Z_FULL_FLUSH))
        bands.append(band)
    if kept_bands is not None:
        kept_bands[:] = bands
    flags = (0 if compress_level < 2 else 1 if compress_level < 6 else 2 if compress_level == 6 else 3) << 6  # FLEVEL
    header = bytes([0x78, flags + 31 - (0x7800 + flags) % 31])  # deflate, 32 KiB window; a multiple of 31
    # the bands, an empty last block (final bit, fixed codes), and the Adler-32 of all rows
    stream = header + b"".join(band[2] for band in bands) + b"\x03\x00" + struct.pack(">I", zlib.adler32(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", stream) + chunk(b"IEND", b"")


def check_figure(name: str, value) -> Figure:
    """A matplotlib Figure (what :func:`new_figure` returns first), or ValueError naming ``name``."""
    if not isinstance(value, Figure):
        raise ValueError(f"{name} must be a matplotlib Figure (from new_figure()); got {type(value).__name__}")
    return value


def check_axes(name: str, value) -> Axes:
    """A matplotlib Axes (what :func:`new_figure` returns second), or ValueError naming ``name``."""
    if not isinstance(value, Axes):
        raise ValueError(f"{name} must be a matplotlib Axes (from new_figure()); got {type(value).__name__}")
    return value


_TEX_WORDS = {r"\hat y": "ŷ", r"\eta": "η", r"\mu": "μ", r"\beta": "β", r"\sigma": "σ", r"\kappa": "κ",
              r"\lambda": "λ", r"\nabla": "∇", r"\sqrt": "√", r"\cdot": "·", r"\times": "×", r"\,": " "}


def _alt_text(figure: Figure, description: str | None) -> str:
    """The figure in words for a screen reader (a page's alt text): ``description`` or the figure's title,
    then each axes' title, on one line, with TeX's marks dropped ("$\\hat y_1$" reads "ŷ_1")."""
    suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    parts = [description or suptitle]
    parts += [ax.get_title() for ax in figure.axes if ax.get_title() and ax.get_title() not in parts]
    pieces = " ".join("; ".join(part for part in parts if part).split()).split("$")
    for index in range(1, len(pieces), 2):  # the math between $ signs: symbols for commands, no braces
        for tex, word in _TEX_WORDS.items():
            pieces[index] = pieces[index].replace(tex, word)
        pieces[index] = pieces[index].replace("{", "").replace("}", "").replace("\\", "")
    return "".join(pieces) or "A figure without a title"


class _PngFigure:
    """What a notebook cell shows for a figure: a PNG, a one-line text description, and the PNG's alt text
    (in the output's metadata, where the static pages' build reads it)."""

    def __init__(self, figure: Figure, description: str, alt: str):
        self._png = figure_to_png(figure)
        self._description, self._alt = description, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self._png).decode("ascii"), "text/plain": self._description}
        return data, {"image/png": {"alt": self._alt}}


def show_figure(figure: Figure, description: str | None = None):
    """Return an object that a notebook displays as the figure's PNG.

    ``figure``: a matplotlib Figure. The text form (what nbval compares) is ``description`` (a string)
    or, when None, "Figure: " and the figure's title, so it is stable across runs. The PNG's metadata
    carries its alt text for the static pages: ``description`` or the title, then each axes' title.
    """
    check_figure("figure", figure)
    check_text("description", description, allow_none=True)
    alt = _alt_text(figure, description)
    if description is None:
        titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
        suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
        description = "Figure: " + (suptitle or "; ".join(titles) or "untitled")
    return _PngFigure(figure, description, alt)


def draw_loss_curve(ax, losses, *, label: str | None = None, color: str | None = None, log_scale: bool = True):
    """Plot loss against step number (steps counted from 1) on ``ax``; returns the Line2D.

    ``ax``: a matplotlib Axes; ``losses``: a non-empty 1-D sequence of numbers. Non-finite losses
    (a diverged run) are allowed and not drawn: the line stops where the run diverged. ``label`` and
    ``color``: strings or None; ``log_scale``: True or False (a log y axis).
    """
    check_axes("ax", ax)
    losses = as_float_array("losses", losses, ndim=1, finite=False)
    check_text("label", label, allow_none=True)
    check_text("color", color, allow_none=True)
    log_scale = check_flag("log_scale", log_scale)
    steps = np.arange(1, losses.size + 1)
    finite = np.where(np.isfinite(losses), losses, np.nan)
    (line,) = ax.plot(steps, finite, label=label, color=color)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("loss $L$")
    if log_scale:
        ax.set_yscale("log")
    return line


def nice_step(span: float, pieces: int, *, mantissas=(1.0, 2.0, 5.0)) -> float:
    """The smallest round step m · 10^k (m one of ``mantissas``) that cuts ``span`` into at most ``pieces`` pieces.

    ``span`` > 0 (a finite number); ``pieces``: a whole number in [1, 1000]; ``mantissas``: increasing numbers
    in [1, 10) starting with 1 (1-2-5 by default; 1, 2, 2.5, 5 gives quarter steps too).
    """
    span = check_number("span", span, low=0.0, low_open=True)
    pieces = check_integer("pieces", pieces, low=1, high=1000)
    if not (isinstance(mantissas, (tuple, list)) and mantissas and all(isinstance(m, (int, float)) for m in mantissas)
            and mantissas[0] == 1.0 and all(1.0 <= m < 10.0 for m in mantissas) and list(mantissas) == sorted(mantissas)):
        raise ValueError(f"mantissas must be increasing numbers in [1, 10) starting with 1; got {mantissas!r}")
    raw = span / pieces
    power = 10.0 ** np.floor(np.log10(raw))
    return power * next((m for m in mantissas if m * power >= raw * (1 - 1e-12)), 10.0)


def nice_limits(low: float, high: float, *, log: bool = False, pieces: int = 4,
                decades: int | None = None) -> tuple[float, float]:
    """Axis limits for data in [low, high], rounded outwards to whole multiples of a round step, so that
    nearby data share one pair of limits (a slider panel then redraws one kept axes frame, not a new one).

    Linear axis: step s = :func:`nice_step` (1, 2 or 5 × 10^k) of the span for ``pieces`` pieces, and the
    limits (⌊low/s⌋·s, ⌈high/s⌉·s). The limits hold the data, which fill over 40 % of them (s < 0.625 ·
    span for 4 pieces, so the limits span < 2.25 × the data's). Log axis (``log=True``, 0 < low): the same on
    the exponents, with a step of whole decades (1, 2, 5, 10, ... decades), so the limits are powers of 10;
    data within one decade fill less. ``low`` ≤ ``high``: finite numbers; equal ones get limits one step apart.
    ``pieces``: a whole number in [1, 100] (more pieces: tighter limits, more distinct ones over a sweep).
    ``decades`` (log axes only): None, or a fixed step of that many decades, a whole number in [1, 10], in place
    of one picked from ``pieces`` (2: limits on even powers of 10, each less than 2 decades past the data, so
    data spanning 4 decades fill over half of them).
    """
    low, high = check_number("low", low), check_number("high", high)
    log, pieces = check_flag("log", log), check_integer("pieces", pieces, low=1, high=100)
    if decades is not None:
        if not log:
            raise ValueError(f"decades is for log axes only (log=True); got decades={decades!r} with log=False")
        decades = check_integer("decades", decades, low=1, high=10)
    if high < low:
        raise ValueError(f"high must be a number ≥ low = {low:g}; got {high:g}")
    if log:
        check_number("low", low, low=0.0, low_open=True)
        scale, (start, stop) = (lambda exponent: float(10.0 ** exponent)), np.log10([low, high])
        step = float(decades) if decades else max(nice_step(stop - start, pieces) if high > low else 1.0, 1.0)
    else:
        scale, start, stop = float, low, high
        step = nice_step(high - low if high > low else abs(low) or 1.0, pieces)
    first, last = np.floor(start / step), np.ceil(stop / step)
    first -= scale(first * step) > low  # a rounding error in the last place must not clip the data
    last += scale(last * step) < high
    return scale(first * step), scale(max(last, first + 1) * step)


#: The gid of the text :func:`mark_divergence` writes on an axes: it finds the text again by it.
DIVERGENCE_TEXT_GID = "course-divergence-message"


def mark_divergence(ax, message: str | None):
    """Write ``message`` (a string, e.g. "diverged at step 7") across ``ax`` (a matplotlib Axes), or
    clear it when ``message`` is None or ""; returns the Text.

    The text is made once per axes and found again by its gid (``DIVERGENCE_TEXT_GID``) among the axes'
    texts, so a slider panel can call this every update.
    """
    check_axes("ax", ax)
    check_text("message", message, allow_none=True)
    text = next((t for t in ax.texts if t.get_gid() == DIVERGENCE_TEXT_GID), None)
    if text is None:
        text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=13,
                       color=COLORS["vermillion"], fontweight="bold", gid=DIVERGENCE_TEXT_GID,
                       bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": COLORS["vermillion"]})
    text.set_text(message or "")
    text.set_visible(bool(message))
    return text


#: The marker pointing out of each edge of an axes, for a line that leaves it there.
EDGE_MARKERS = {"left": "<", "right": ">", "bottom": "v", "top": "^"}


class PathExit(NamedTuple):
    """Where a path leaves a box: the point (x, y) on the ``edge`` it crosses ("left", "right", "bottom" or
    "top"), the ``marker`` pointing out of that edge (:data:`EDGE_MARKERS`), and the ``step`` i that leaves
    (the segment from point i to point i + 1)."""
    x: float
    y: float
    edge: str
    marker: str
    step: int


def _check_limits(name: str, value) -> np.ndarray:
    """[low, high], finite numbers with low < high, or ValueError naming ``name``."""
    limits = as_float_array(name, value, shape=(2,))
    if not limits[0] < limits[1]:
        raise ValueError(f"{name} must be a pair (low, high) of finite numbers with low < high; got {value!r}")
    return limits


def path_exits(xs, ys, xlim, ylim) -> list[PathExit]:
    """Every point where the polyline through the points (xs[i], ys[i]) leaves the box xlim × ylim, in path order.

    ``xs``, ``ys``: 1-D arrays of finite numbers of the same length k ≥ 1 (k − 1 segments); ``xlim``, ``ylim``:
    (low, high) with low < high. The box holds its edges. Segment i is p + t·d for 0 ≤ t ≤ 1 (p point i, d the
    step to point i + 1); along one dimension it is inside for t between (low − p)/d and (high − p)/d, so in the
    box for t in [t_in, t_out] (t_in the larger entering t, t_out the smaller leaving t). It leaves the box at
    p + t_out·d when max(t_in, 0) ≤ t_out < 1, exactly on the edge of the dimension that sets t_out (x's on a
    tie: a corner reads left or right). So a still segment never leaves, and a path that starts outside leaves
    only after it has entered. An exit at the same point as an earlier one (a path bouncing across the box) is
    kept once (the first). Returns a list of :class:`PathExit`, empty when the path never leaves.
    """
    xs = as_float_array("xs", xs, ndim=1)
    ys = as_float_array("ys", ys, ndim=1, shape=xs.shape)
    low, high = np.array([_check_limits("xlim", xlim), _check_limits("ylim", ylim)]).T
    points = np.column_stack([xs, ys])
    start, step = points[:-1], np.diff(points, axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # ±inf for a still or nearly still step
        t_low, t_high = (low - start) / step, (high - start) / step
    still = step == 0  # a segment that does not move along this dimension is inside along it always or never
    inside = (start >= low) & (start <= high)
    t_in = np.where(still, np.where(inside, -np.inf, np.inf), np.minimum(t_low, t_high))
    t_out = np.where(still, np.where(inside, np.inf, -np.inf), np.maximum(t_low, t_high))
    leave_dim = np.argmin(t_out, axis=1)
    leave = t_out[np.arange(len(step)), leave_dim]
    leaves = (leave < 1) & (leave >= np.maximum(t_in.max(axis=1), 0))
    same = 1e-9 * (high - low)  # closer than this in both dimensions: the same exit
    found: list[PathExit] = []
    for segment in np.flatnonzero(leaves):
        dim = leave_dim[segment]
        by_high = step[segment, dim] > 0  # moving up this dimension: it leaves by the high edge (right or top)
        point = start[segment] + leave[segment] * step[segment]
        point[dim] = (high if by_high else low)[dim]  # on the edge exactly, not a rounding error off it
        x, y = point
        if any(abs(x - seen.x) <= same[0] and abs(y - seen.y) <= same[1] for seen in found):
            continue
        edge = ("left", "right", "bottom", "top")[2 * dim + by_high]
        found.append(PathExit(float(x), float(y), edge, EDGE_MARKERS[edge], int(segment)))
    return found
