"""Redrawing a slider panel's figure in pieces (blitting): each axes' frame is drawn once per look, then kept.

Most of what a full redraw of a panel costs is its text: tick labels, titles and axis labels, forty-odd
strings rasterized glyph by glyph, although they change only when an axes' limits, scale or texts change.
:class:`AxesFrameCache` gives each axes of a figure with a fixed layout one rectangle of the figure (its
*tile*) and keeps the pixels of the tile's *frame* (the axes with everything but its animated artists:
background, grid, ticks, tick labels, titles, axis labels) under a key made of what decides them. A redraw
pastes the kept frames and draws only the animated artists on top: every line (the data), and any text the
panel marks animated because it changes on every move (``text.set_animated(True)``), and the figure's own
animated artists (a heading made with ``figure.suptitle`` that changes with the sliders). A frame that reaches
past its tile (a label wider than any seen when the tiles were cut) is never kept: the figure is then drawn
whole, so the picture is the same either way, only slower.

What the key holds, per axes: visibility, x and y limits and scales, the types of the tick locators and
formatters, the text, colour, position (but an axis label's, which the tick labels decide) and visibility of every
text that is not animated, and the colours, line width, line style and visibility of every patch that is not
animated (a box that lights up). Anything else that changes between redraws (a legend's entries, a patch's size or place, images) must be animated, or
it would stay as first drawn.

Animated artists are drawn over the pasted frames, whatever their zorder: what lies under a frame artist in a
full redraw (a line under a legend, a filled patch under its label) must be in the frame too, or be animated
with what lies on it.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxBase

from .plots import check_figure
from .validation import check_integer

__all__ = ["AxesFrameCache", "animated_artists", "frame_box", "tiles_around"]


def tiles_around(figure, boxes, *, pad: int = 2) -> list[Bbox]:
    """One rectangle of ``figure`` per axes: the box its drawing covers, grown into the free space around it.

    ``boxes``: for each axes of ``figure.axes`` (in that order), a Bbox in pixels (its tight box, joined
    over the settings it was drawn at); ``pad``: a whole number of pixels in [0, 50] added all round.
    Each padded box then grows towards its neighbours up to the middle of the gap between them (to the
    figure's edge where it has none), so a label a little wider than any seen still fits; where two
    grown rectangles meet at a corner, they are cut apart in the middle of a gap their boxes leave.
    Raises ValueError when two padded boxes overlap (one axes' frame would be pasted over the other's).
    """
    figure = check_figure("figure", figure)
    pad = check_integer("pad", pad, low=0, high=50)
    if len(boxes) != len(figure.axes) or not all(isinstance(box, BboxBase) for box in boxes):
        raise ValueError(f"boxes must hold one Bbox per axes ({len(figure.axes)}); got {boxes!r}"[:200])
    width, height = figure.bbox.width, figure.bbox.height
    padded = [(max(np.floor(b.x0) - pad, 0), max(np.floor(b.y0) - pad, 0),
               min(np.ceil(b.x1) + pad, width), min(np.ceil(b.y1) + pad, height)) for b in boxes]

    def apart(a, b):
        """The gaps between boxes a and b as (dimension, boundary) pairs: 0 for x, 1 for y."""
        return [(dim, round((low[dim + 2] + high[dim]) / 2)) for dim in (0, 1) for low, high in ((a, b), (b, a))
                if low[dim + 2] <= high[dim]]

    for i, first in enumerate(padded):
        for j in range(i + 1, len(padded)):
            if not apart(first, padded[j]):
                raise ValueError(f"boxes of axes {i} and {j} overlap ({first} and {padded[j]} px): "
                                 "their frames cannot be kept apart")
    grown = []
    for i, box in enumerate(padded):
        side_by_side = [o for j, o in enumerate(padded) if j != i and o[1] < box[3] and box[1] < o[3]]
        one_above_other = [o for j, o in enumerate(padded) if j != i and o[0] < box[2] and box[0] < o[2]]
        grown.append([max([round((o[2] + box[0]) / 2) for o in side_by_side if o[2] <= box[0]], default=0),
                      max([round((o[3] + box[1]) / 2) for o in one_above_other if o[3] <= box[1]], default=0),
                      min([round((o[0] + box[2]) / 2) for o in side_by_side if o[0] >= box[2]], default=width),
                      min([round((o[1] + box[3]) / 2) for o in one_above_other if o[1] >= box[3]], default=height)])
    for i, first in enumerate(grown):
        for j in range(i + 1, len(grown)):
            second = grown[j]
            if all(first[d] < second[d + 2] and second[d] < first[d + 2] for d in (0, 1)):  # corners overlap
                dim, boundary = apart(padded[i], padded[j])[0]  # their boxes leave a gap along dim
                low, high = (first, second) if padded[i][dim] < padded[j][dim] else (second, first)
                low[dim + 2], high[dim] = min(low[dim + 2], boundary), max(high[dim], boundary)
    return [Bbox([[x0, y0], [x1, y1]]) for x0, y0, x1, y1 in grown]


def animated_artists(parent) -> list:
    """The visible animated artists of ``parent`` (an Axes or a Figure), in the order they are drawn (by zorder)."""
    return sorted((a for a in parent.get_children() if a.get_animated() and a.get_visible()),
                  key=lambda a: a.get_zorder())


def frame_box(ax, renderer) -> Bbox:
    """The box (pixels) that ``ax``'s frame covers: its tight box without its animated artists, which are drawn
    over the pasted frames and so may reach anywhere (a changing title wider than the axes, say)."""
    hidden = animated_artists(ax)
    for artist in hidden:
        artist.set_visible(False)
    try:
        return ax.get_tightbbox(renderer)
    finally:
        for artist in hidden:
            artist.set_visible(True)


def _frame_key(ax) -> tuple:
    """What the pixels of ``ax``'s frame depend on (see the module's docstring)."""
    axis_labels = {ax.xaxis.label, ax.yaxis.label}
    texts = [*axis_labels, *(a for a in ax.get_children() if isinstance(a, Text))]  # + titles, texts
    axes_pieces = (ax.xaxis.get_major_locator(), ax.xaxis.get_major_formatter(), ax.xaxis.get_minor_locator(),
                   ax.yaxis.get_major_locator(), ax.yaxis.get_major_formatter(), ax.yaxis.get_minor_locator())
    limits = tuple(float(f"{value:.12g}") for value in (*ax.get_xlim(), *ax.get_ylim()))  # 0.84 ≡ 0.8400000000000001
    return (ax.get_visible(), limits, ax.get_xscale(), ax.get_yscale(),
            tuple(type(piece).__name__ for piece in axes_pieces),
            # an axis label's place is set while drawing, from the tick labels (the limits, locators and formatters
            # above): read before drawing it would be the last draw's, and one frame would be kept twice
            tuple((text.get_text(), to_rgba(text.get_color()),
                   None if text in axis_labels else tuple(text.get_position()), text.get_visible())
                  for text in texts if not text.get_animated()),
            tuple((tuple(patch.get_facecolor()), tuple(patch.get_edgecolor()), patch.get_linewidth(),
                   str(patch.get_linestyle()), patch.get_visible())
                  for patch in ax.patches if not patch.get_animated()))


class AxesFrameCache:
    """Draw ``figure`` (its layout fixed) on its Agg canvas from kept axes frames plus animated artists.

    ``tiles``: one pixel Bbox per axes of ``figure.axes`` (from :func:`tiles_around`), not overlapping;
    ``keep_bytes``: how many bytes of frames to keep (a whole number in [1, 2**32]; the least recently used go
    first, never the frames on screen). Bound: the kept frames hold at most ``keep_bytes`` (24 MB: 18 whole
    700 × 475 px figures, or every step of chapter 5's graph panel; see :attr:`kept_bytes`), plus the blank figure
    once; :meth:`clear` (and a closed panel) lets go of them all. Every line the axes hold now is made animated here (lines added later are not). :meth:`draw` leaves the picture in
    ``figure.canvas.buffer_rgba()``; it is the same, pixel for pixel, whatever was drawn before.
    """

    def __init__(self, figure, tiles, *, keep_bytes: int = 24 * 2**20):
        self.figure = check_figure("figure", figure)
        if len(tiles) != len(figure.axes) or not all(isinstance(tile, Bbox) for tile in tiles):
            raise ValueError(f"tiles must hold one Bbox per axes ({len(figure.axes)}); got {tiles!r}"[:200])
        self.tiles = [Bbox(np.round(tile.get_points())) for tile in tiles]
        self.keep_bytes = check_integer("keep_bytes", keep_bytes, low=1, high=2**32)
        self.frames: OrderedDict = OrderedDict()
        self.frames_drawn = 0  # how often a frame was not kept and had to be drawn (the slow path)
        self.too_wide: set = set()  # keys of frames that reach past their tile: drawn whole each time
        self._blank = self._blank_pixels = None
        self._size = None
        for ax in figure.axes:
            for line in ax.get_lines():
                line.set_animated(True)

    def clear(self) -> None:
        """Forget every kept frame (call after changing anything the key does not see)."""
        self.frames.clear()
        self.too_wide.clear()
        self._blank = self._blank_pixels = None

    @property
    def kept_bytes(self) -> int:
        """Memory held by the kept frames, in bytes."""
        return sum(4 * int(self.tiles[index].width) * int(self.tiles[index].height) for index, _ in self.frames)

    @property
    def held_bytes(self) -> int:
        """Memory held by the kept frames and the blank figure, in bytes."""
        return self.kept_bytes + (self._blank_pixels.nbytes if self._blank_pixels is not None else 0)

    def draw(self) -> None:
        """Draw the figure: kept frames where the key matches, new frames where not, then the animated artists.

        A new frame that reaches past its tile (a tick label or title wider than any the tiles were cut
        for) is not kept: the figure is then drawn whole, the plain way, which looks the same.
        """
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        if self._blank is None or self._size != (renderer.width, renderer.height):
            self._capture_blank(canvas)
            renderer = canvas.get_renderer()
        keys = [(index, _frame_key(ax)) for index, ax in enumerate(self.figure.axes)]
        for key in keys:  # draw the frames not kept yet, each alone on the blank figure
            if key not in self.frames and key not in self.too_wide:
                renderer.restore_region(self._blank)
                self.figure.axes[key[0]].draw(renderer)
                self.frames_drawn += 1
                if self._drawn_outside(self.tiles[key[0]]):
                    self.too_wide.add(key)
                else:
                    self.frames[key] = canvas.copy_from_bbox(self.tiles[key[0]])
        if any(key in self.too_wide for key in keys):
            canvas.draw()
        else:  # paste every tile from its kept frame onto the blank figure
            renderer.restore_region(self._blank)
            for key in keys:
                self.frames.move_to_end(key)
                renderer.restore_region(self.frames[key])
            while len(self.frames) > len(keys) and self.kept_bytes > self.keep_bytes:
                self.frames.popitem(last=False)
        for ax in self.figure.axes:
            if ax.get_visible():
                for artist in animated_artists(ax):
                    ax.draw_artist(artist)
        for artist in animated_artists(self.figure):
            self.figure.draw_artist(artist)

    def _drawn_outside(self, tile) -> bool:
        """Whether what was drawn on the blank figure reaches past ``tile``: a pixel outside it differs from the
        blank figure (rows count down from the top; pixels compared as one 32-bit word each)."""
        now = np.asarray(self.figure.canvas.buffer_rgba()).view(np.uint32)[..., 0]
        top, bottom = max(self._size[1] - int(tile.y1), 0), self._size[1] - int(tile.y0)
        left, right = int(tile.x0), int(tile.x1)
        outside = [(slice(None, top), slice(None)), (slice(bottom, None), slice(None)),
                   (slice(top, bottom), slice(None, left)), (slice(top, bottom), slice(right, None))]
        return any(np.any(now[rows, columns] != self._blank_pixels[rows, columns]) for rows, columns in outside)

    def _capture_blank(self, canvas) -> None:
        """The figure with its axes hidden (its background and any figure-level text): a tile's clean slate."""
        visible = [ax.get_visible() for ax in self.figure.axes]
        for ax in self.figure.axes:
            ax.set_visible(False)
        try:
            canvas.draw()
            renderer = canvas.get_renderer()
            self._size = (renderer.width, renderer.height)
            # every pixel of the canvas: figure.bbox can fall short of a whole row (4.6 in × 100 dpi = 459.99… px)
            self._blank = canvas.copy_from_bbox(Bbox.from_bounds(0, 0, *self._size))
            self._blank_pixels = np.asarray(self._blank).view(np.uint32)[..., 0]  # a view: the blank is held once
        finally:
            for ax, shown in zip(self.figure.axes, visible):
                ax.set_visible(shown)
        self.frames.clear()
        self.too_wide.clear()
