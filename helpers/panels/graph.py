"""The computational graph drawn with every number on it, and its step slider (chapters 1 and 5).

Operations sit along the middle row in forward order, each parameter above and each data node below
the operation that takes it. A box shows its forward value (black) once the forward pass has reached
it, and its gradient ∂L/∂node (vermillion) once the backward pass has; the caption above names the rule
used at the current step. An edge points forward (value flow) until the gradient has flowed back along it:
then it points backward, in vermillion. A key with swatches lies under the boxes. The figure is laid out
once; a step changes only texts, colours and arrow directions.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..graph import ComputationalGraph, format_graph_value, linear_graph, two_layer_graph
from ..network import TWO_LAYER_PARAMETERS
from ..plots import COLORS, new_figure
from ..validation import check_integer
from ..widgets import SliderPanel, panel_factory

__all__ = ["plot_computational_graph", "linear_graph_panel", "two_layer_graph_panel"]

WIDTH = 8.0          # inches: 800 px at the course's 100 dpi, the width of a course page
FONT = {"small": 8.5, "large": 10.5}  # box texts (points): large for graphs of at most 4 operations
MIN_BOX_WIDTH = 0.8  # inches: boxes are as wide as their widest text, and at least this
GAP = 0.1            # inches: the least room between two boxes of a row
CAPTION_CHARACTERS = 100  # an equation longer than this wraps onto a second caption line
ARROW_GAP = 1 / 72   # inches (1 point) between an arrow's ends and the boxes it joins
GREY = "#9a9a9a"
FILL = {"parameter": "#e8f2f9", "data": "#efefef"}  # given numbers: parameters light blue, data light grey
HIGHLIGHT = {"forward": "#f5d999", "backward": "#f2c4a6"}  # the node the current step fills (orange, vermillion)


def _lines(value) -> list[str]:
    """A value as box lines, shaped as in the formulas: a vector as a column (one entry a line), a
    matrix row by row, a number on one line; each number as the captions and the chapters' tables write it
    (:func:`~helpers.graph.format_graph_value`: 4 decimals, 0.1770; a whole number whole, −4)."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 2:
        return ["  ".join(format_graph_value(entry) for entry in row) for row in array]
    return [format_graph_value(entry) for entry in array.reshape(-1)]


def _shortened(start: np.ndarray, end: np.ndarray, gap: float) -> tuple[tuple, tuple]:
    """The straight segment start → end (inches) with ``gap`` cut off each end: an arrow clear of both boxes.
    (Cut here once, not by the arrow's shrinkA/shrinkB, which split its path anew at every draw.)"""
    along = (end - start) / np.linalg.norm(end - start)
    return tuple(start + gap * along), tuple(end - gap * along)


def _wrap(equation: str) -> str:
    """The caption's equation on one line, or on two, cut before an " = " (long matrix products)."""
    if len(equation) <= CAPTION_CHARACTERS:
        return equation + "\n"
    cut = equation.rfind(" = ", 0, CAPTION_CHARACTERS)
    return equation[:cut] + "\n    " + equation[cut + 1:] if cut > 0 else equation + "\n"


class _GraphDrawing:
    """The figure of one graph, laid out once; :meth:`show` fills it in for one step of the walk.

    Every box is sized for its fullest state (value and gradient shown), measured once, so nothing moves
    or overflows as the walk fills the boxes in.
    """

    def __init__(self, graph: ComputationalGraph):
        self.graph = graph
        nodes = graph.nodes
        operations = [name for name, node in nodes.items() if node.inputs]
        column = {name: k for k, name in enumerate(operations)}
        row = {name: 1 for name in operations}
        for name, node in nodes.items():
            if not node.inputs:
                column[name] = min(column[c] for c in graph.consumers(name))  # above or below what takes it
                row[name] = 2 if node.op == "parameter" else 0
        font = FONT["large" if len(operations) <= 4 else "small"]
        self.figure, ax = new_figure(width=WIDTH, height=4.0)
        self.figure.set_layout_engine(None)  # drawn in inches on one axes that fills the figure: nothing to lay out
        ax.set_position([0, 0, 1, 1])
        ax.axis("off")
        # Each box: a stack of texts, top to bottom; measured with their fullest contents.
        self.values, self.gradients, stacks = {}, {}, {}
        for name, node in nodes.items():
            stack = []
            if node.inputs:
                stack.append(ax.text(0, 0, node.op, fontsize=font, color="#555555", style="italic"))
            stack.append(ax.text(0, 0, name if node.op != "data" else f"{name} (data)", fontsize=font,
                                 fontweight="bold"))
            self.values[name] = ax.text(0, 0, "\n".join(_lines(node.value)), fontsize=font, linespacing=1.1)
            stack.append(self.values[name])
            if node.gradient is not None:
                self.gradients[name] = ax.text(0, 0, "\n".join(_lines(node.gradient)), fontsize=font,
                                               linespacing=1.1, color=COLORS["vermillion"])
                stack.append(self.gradients[name])
            stacks[name] = stack
        renderer = self.figure.canvas.get_renderer()
        inches = lambda text: text.get_window_extent(renderer).transformed(self.figure.dpi_scale_trans.inverted())
        sizes = {name: [inches(text) for text in stack] for name, stack in stacks.items()}
        pad, spacing = 0.07, 0.03
        box_width = {name: max(MIN_BOX_WIDTH, max(size.width for size in each) + 2 * pad)
                     for name, each in sizes.items()}
        box_height = {name: sum(size.height for size in each) + spacing * (len(each) - 1) + 2 * pad
                      for name, each in sizes.items()}
        row_height = {r: max(box_height[n] for n in nodes if row[n] == r) for r in (0, 1, 2)}
        pitch = (WIDTH - 0.2) / len(operations)
        gap, caption, legend = 0.42, 0.95, 0.5  # legend: the key's two rows
        middle = {0: legend + row_height[0] / 2}
        middle[1] = middle[0] + row_height[0] / 2 + gap + row_height[1] / 2
        middle[2] = middle[1] + row_height[1] / 2 + gap + row_height[2] / 2
        height = middle[2] + row_height[2] / 2 + caption
        self.figure.set_size_inches(WIDTH, height)
        ax.set_xlim(0, WIDTH)
        ax.set_ylim(0, height)
        center = {}
        for r in (0, 1, 2):  # each box in its column, unless wide neighbours or the figure's edges push it aside
            names = sorted((n for n in nodes if row[n] == r), key=column.get)
            x = {n: 0.1 + pitch * (column[n] + 0.5) for n in names}
            right = 0.08 - GAP
            for n in names:  # left to right: clear of the box before
                x[n] = max(x[n], right + GAP + box_width[n] / 2)
                right = x[n] + box_width[n] / 2
            left = WIDTH - 0.08 + GAP
            for n in reversed(names):  # right to left: inside the figure, clear of the box after
                x[n] = min(x[n], left - GAP - box_width[n] / 2)
                left = x[n] - box_width[n] / 2
            center.update({n: (x[n], middle[r]) for n in names})
        self.boxes = {}
        for name, node in nodes.items():
            x, y = center[name]
            h = row_height[row[name]]
            self.boxes[name] = ax.add_patch(FancyBboxPatch(
                (x - box_width[name] / 2, y - h / 2), box_width[name], h, boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=FILL.get(node.op, "white"), edgecolor=GREY, linewidth=1.0, zorder=0))
            top = y + box_height[name] / 2 - pad  # the stack is centred in its box
            for text, size in zip(stacks[name], sizes[name]):
                text.set_position((x, top))
                text.set_horizontalalignment("center")
                text.set_verticalalignment("top")
                top -= size.height + spacing
        self.edges = {}
        for name, node in nodes.items():
            for source in node.inputs:
                (x0, y0), (x1, y1) = center[source], center[name]
                if row[source] == row[name]:  # along the row: from the right edge to the left edge
                    start, end = (x0 + box_width[source] / 2, y0), (x1 - box_width[name] / 2, y1)
                else:  # a given number enters from above or below
                    sign = 1 if y1 > y0 else -1
                    x0 = float(np.clip(x1, x0 - box_width[source] / 2 + 0.1, x0 + box_width[source] / 2 - 0.1))
                    start = (x0, y0 + sign * row_height[row[source]] / 2)  # straight down or up when it can
                    end = (x1, y1 - sign * row_height[row[name]] / 2)
                start, end = _shortened(np.array(start), np.array(end), ARROW_GAP)
                self.edges[source, name] = ax.add_patch(FancyArrowPatch(
                    start, end, arrowstyle="-|>", mutation_scale=11, color=GREY, linewidth=1.2, shrinkA=0, shrinkB=0))
        self.headline = ax.text(0.12, height - 0.1, "", ha="left", va="top", fontsize=10.5, fontweight="bold")
        self.equation = ax.text(0.12, height - 0.1 - 0.23, "", ha="left", va="top", fontsize=10, linespacing=1.25)
        # The figure's, not the axes': drawn once into the figure's background, not again in every kept step frame.
        self.figure.legend(*_key(), loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=4, fontsize=8.5, frameon=False,
                  handler_map={tuple: HandlerTuple(ndivide=None)}, handlelength=2.0, columnspacing=1.2,
                  borderaxespad=0.2)

    def show(self, step: int) -> None:
        """Fill in the values and gradients the walk has reached after ``step`` steps, and its caption."""
        graph = self.graph
        values, gradients = graph.shown(step)
        current = graph.steps[step]
        for name, node in graph.nodes.items():
            known = name in values
            self.values[name].set_text("\n".join(_lines(node.value)) if known else "?")
            self.values[name].set_color("black" if known else GREY)
            if node.gradient is not None:
                self.gradients[name].set_text("\n".join(_lines(node.gradient)) if name in gradients else "")
            box = self.boxes[name]
            edge = COLORS["vermillion"] if name in gradients else ("black" if known and node.inputs else GREY)
            box.set_edgecolor(edge)
            box.set_linestyle("-" if known else "--")
            box.set_linewidth(2.4 if name == current.node else 1.0)
            box.set_facecolor(HIGHLIGHT[current.kind] if name == current.node else FILL.get(node.op, "white"))
        for (source, target), arrow in self.edges.items():
            # The gradient has flowed back along an edge once its source's gradient is known: the arrow turns
            # round. (Its colour changes with it, so a kept frame, keyed by colours, never shows a stale direction.)
            back = source in gradients
            arrow.set_arrowstyle("<|-" if back else "-|>", head_length=0.4, head_width=0.2)
            if current.kind == "forward" and target == current.node:
                arrow.set_color(COLORS["blue"])  # what the forward step reads
                arrow.set_linewidth(2.2)
            elif back:
                arrow.set_color(COLORS["vermillion"])  # the gradient message, from the upstream node back
                arrow.set_linewidth(2.2 if current.kind == "backward" and source == current.node else 1.2)
            else:
                arrow.set_color(GREY)
                arrow.set_linewidth(1.2)
        headline, equation = current.caption.split("\n", 1)
        if current.kind == "start":  # the graph's title, then the whole caption
            headline, equation = graph.title, current.caption
        else:
            equation = _wrap(equation)
        self.headline.set_text(headline)
        self.equation.set_text(equation)


def _key() -> tuple[list, list]:
    """The graph's key: swatches of the box fills and edges and of the two arrow directions, with their meanings."""
    box = dict(facecolor="white", linewidth=1.0)
    entries = {
        "parameter": Patch(facecolor=FILL["parameter"], edgecolor=GREY),
        "data (no gradient)": Patch(facecolor=FILL["data"], edgecolor=GREY),
        "not computed yet": Patch(edgecolor=GREY, linestyle="--", **box),
        "this step's node (fwd, back)": (Patch(facecolor=HIGHLIGHT["forward"], edgecolor="black"),
                                                 Patch(facecolor=HIGHLIGHT["backward"], edgecolor=COLORS["vermillion"])),
        "value (black numbers)": Patch(edgecolor="black", **box),
        "gradient ∂L/∂node (vermillion)": Patch(edgecolor=COLORS["vermillion"], **box),
        "input a forward step reads": Line2D([], [], color=COLORS["blue"], lw=2.2, marker=">", ms=7),
        "gradient flowing back": Line2D([], [], color=COLORS["vermillion"], lw=1.5, marker="<", ms=7),
    }
    return list(entries.values()), list(entries)


def _check_graph(graph) -> ComputationalGraph:
    if not isinstance(graph, ComputationalGraph):
        raise ValueError(f"graph must be a ComputationalGraph (from linear_graph or two_layer_graph); "
                         f"got {type(graph).__name__}")
    return graph


def plot_computational_graph(graph: ComputationalGraph, step: int = 0):
    """The computational ``graph`` (from :func:`~helpers.graph.linear_graph` or
    :func:`~helpers.graph.two_layer_graph`) after ``step`` steps of its walk, a whole number in
    [0, len(graph.steps) − 1]: the values filled in so far, the gradients reached so far, and a caption
    naming the rule of that step. Returns the Figure (800 px wide).
    """
    drawing = _GraphDrawing(_check_graph(graph))
    drawing.show(check_integer("step", step, low=0, high=len(graph.steps) - 1))
    return drawing.figure


def _graph_panel(graph: ComputationalGraph, step: int, description: str) -> SliderPanel:
    """A step slider over every step of ``graph``'s walk; the static pages precompute each one."""
    last = len(graph.steps) - 1
    step = check_integer("step", step, low=0, high=last)
    drawing = _GraphDrawing(graph)
    # A step's boxes, arrows and numbers are kept in its frame (a walk goes back and forth over a few steps); the
    # caption, different at every step, is drawn over it.
    for text in (drawing.headline, drawing.equation):
        text.set_animated(True)

    def update(step: int) -> None:
        drawing.show(step)

    slider = widgets.IntSlider(value=step, min=0, max=last, description="walk", continuous_update=True)
    panel = SliderPanel({"step": slider}, drawing.figure, update, description=description,
                        grid={"step": list(range(last + 1))})
    return panel.freeze_layout(blit=True)


@panel_factory("graph-linear")
def linear_graph_panel(*, w: float = 1.0, b: float = 0.0, x: float = 2.0, y: float = 4.0,
                       step: int = 0) -> SliderPanel:
    """Walk chapter 1's graph ŷ = w·x + b, L = ½(ŷ − y)² with a slider: 4 forward values, then 6 gradients.

    ``w``, ``b``, ``x``, ``y``: finite numbers (as in :func:`~helpers.graph.linear_graph`); ``step``: where
    the slider starts, a whole number in [0, 10].
    """
    graph = linear_graph(w, b, x, y)
    description = (f"Slider panel: the computational graph of ŷ = w·x + b, L = ½(ŷ − y)² at w = {w:g}, b = {b:g}, "
                   f"x = {x:g}, y = {y:g}; the slider walks the forward values, then the gradients, one node at a time.")
    return _graph_panel(graph, step, description)


@panel_factory("graph-two-layer")
def two_layer_graph_panel(*, x=None, y=None, W1=None, b1=None, W2=None, b2=None, step: int = 0) -> SliderPanel:
    """Walk chapter 5's 2-2-2 network graph with a slider: 7 forward values, then 11 gradients.

    ``x``, ``y``, ``W1``, ``b1``, ``W2``, ``b2``: lists of finite numbers, or None for the worked example's
    (shapes as in :func:`~helpers.network.two_layer_params`; ``y`` one-hot); ``step``: where the slider
    starts, a whole number in [0, 18].
    """
    given = {name: value for name, value in zip(TWO_LAYER_PARAMETERS, (W1, b1, W2, b2)) if value is not None}
    graph = two_layer_graph(given, x, y)
    example = "the worked example" if not given and x is None and y is None else "the given numbers"
    description = (f"Slider panel: the computational graph of the 2-2-2 network ({example}); the slider walks "
                   "the 7 forward values, then the 11 gradients, one node at a time.")
    return _graph_panel(graph, step, description)
