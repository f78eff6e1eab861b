"""One plotting style for the whole course, and the drawing pieces the chapters share.

Figures are built with :func:`new_figure` (a matplotlib Figure that pyplot does not manage),
so a slider panel can keep one figure alive and update its artists, and a static cell shows
it with :func:`show_figure`. Colours are the Okabe-Ito palette, safe for colour-blind readers.
"""
from __future__ import annotations

import base64
import io

import matplotlib
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
import numpy as np

__all__ = ["COLORS", "PALETTE", "use_course_style", "new_figure", "figure_to_png", "show_figure",
           "draw_loss_curve", "mark_divergence"]

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
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "lines.linewidth": 2.0,
    "figure.constrained_layout.use": True,
    # Deterministic files: no dates, no random ids (nbval and git diffs stay quiet).
    "svg.hashsalt": "backprop-by-hand",
    "image.cmap": "viridis",
}


def use_course_style() -> None:
    """Apply the course style to matplotlib (also applied on ``import helpers``)."""
    matplotlib.rcParams.update(COURSE_STYLE)


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 7.0, height: float = 4.0, **subplot_kw):
    """A Figure with an Agg canvas and its axes, not registered with pyplot.

    Returns ``(figure, axes)``; ``axes`` is one Axes for a 1×1 grid, else an array.
    """
    with matplotlib.rc_context(COURSE_STYLE):
        figure = Figure(figsize=(width, height), dpi=COURSE_STYLE["figure.dpi"], layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    return figure, axes


def figure_to_png(figure: Figure, *, compress_level: int = 6) -> bytes:
    """Render ``figure`` to PNG bytes (no timestamp in the file, so the bytes are repeatable).

    ``compress_level`` (0-9) trades size for speed: slider panels use 1 while a student drags.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": compress_level})
    return buffer.getvalue()


class _PngFigure:
    """What a notebook cell shows for a figure: a PNG, and a one-line text description."""

    def __init__(self, figure: Figure, description: str):
        self._png = figure_to_png(figure)
        self._description = description

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self._png).decode("ascii"), "text/plain": self._description}


def show_figure(figure: Figure, description: str | None = None):
    """Return an object that a notebook displays as the figure's PNG.

    The text form (what nbval compares) is the figure's title, so it is stable across runs.
    """
    if description is None:
        titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
        suptitle = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
        description = "Figure: " + (suptitle or "; ".join(titles) or "untitled")
    return _PngFigure(figure, description)


def draw_loss_curve(ax, losses, *, label: str | None = None, color: str | None = None, log_scale: bool = True):
    """Plot loss against step number (steps counted from 1) on ``ax``; returns the Line2D.

    Non-finite losses (a diverged run) are not drawn: the line stops where the run diverged.
    """
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(1, losses.size + 1)
    finite = np.where(np.isfinite(losses), losses, np.nan)
    (line,) = ax.plot(steps, finite, label=label, color=color)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("loss $L$")
    if log_scale:
        ax.set_yscale("log")
    return line


def mark_divergence(ax, message: str | None):
    """Write ``message`` (e.g. "diverged at step 7") across ``ax``, or clear it when None.

    The text artist is kept on the axes and reused, so a slider panel can call this every update.
    """
    text = getattr(ax, "_course_divergence_text", None)
    if text is None:
        text = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=13,
                       color=COLORS["vermillion"], fontweight="bold",
                       bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": COLORS["vermillion"]})
        ax._course_divergence_text = text
    text.set_text(message or "")
    text.set_visible(bool(message))
    return text
