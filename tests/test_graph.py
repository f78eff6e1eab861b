"""The computational graphs of chapters 1 and 5: every forward value and gradient agrees with the replays
and with finite differences of the rest of the graph, the walk fills values in order and gradients in
reverse order, and the drawing renders at every step of its slider with nothing outside its box."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from helpers import (DEFAULT_TWO_LAYER_PARAMS, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, format_graph_value,
                     linear_gradients, linear_graph, linear_graph_panel, numerical_gradient, plot_computational_graph,
                     replay_two_layer, two_layer_graph, two_layer_graph_panel)
from helpers.plots import COLORS



def _log_softmax(z):
    """log softmax written out (not the course's helper): z − max z − log Σ exp(z − max z)."""
    shifted = z - np.max(z)
    return shifted - np.log(np.sum(np.exp(shifted)))


# -- what each node's gradient must be: the loss as a function of that node alone ----------------------
def linear_rest(w, b, x, y):
    """node name → the loss as a function of that node's value, the other inputs held fixed."""
    return {"w": lambda v: 0.5 * (v[0] * x + b - y) ** 2, "b": lambda v: 0.5 * (w * x + v[0] - y) ** 2,
            "w·x": lambda v: 0.5 * (v[0] + b - y) ** 2, "ŷ": lambda v: 0.5 * (v[0] - y) ** 2,
            "e": lambda v: 0.5 * v[0] ** 2, "L": lambda v: v[0]}


def two_layer_rest(W1, b1, W2, b2, x, y):
    """node name → the loss as a function of that node's value, written with plain NumPy."""
    k = int(np.argmax(y))

    def from_z2(z2):
        return -_log_softmax(z2)[k]

    return {"W[1]": lambda v: from_z2(W2 @ np.tanh(v @ x + b1) + b2),
            "b[1]": lambda v: from_z2(W2 @ np.tanh(W1 @ x + v) + b2),
            "W[1]x": lambda v: from_z2(W2 @ np.tanh(v + b1) + b2),
            "z[1]": lambda v: from_z2(W2 @ np.tanh(v) + b2),
            "a[1]": lambda v: from_z2(W2 @ v + b2),
            "W[2]": lambda v: from_z2(v @ np.tanh(W1 @ x + b1) + b2),
            "W[2]a[1]": lambda v: from_z2(v + b2),
            "b[2]": lambda v: from_z2(W2 @ np.tanh(W1 @ x + b1) + v),
            "z[2]": from_z2,
            "ŷ": lambda v: -float(y @ np.log(v)),  # off the simplex too: −Σ y log ŷ as a formula in ŷ
            "L": lambda v: v[0]}


def random_two_layer(seed: int):
    """A random 2-2-2 network, input and one-hot label."""
    rng = np.random.default_rng(seed)
    params = {name: rng.normal(0.0, 1.0, array.shape) for name, array in DEFAULT_TWO_LAYER_PARAMS.items()}
    x = rng.normal(0.0, 2.0, 2)
    y = np.eye(2)[rng.integers(2)]
    return params, x, y


def agrees_with_finite_differences(graph, rest, tolerance):
    checked = []
    for name, node in graph.nodes.items():
        if node.gradient is None:
            continue
        point = np.atleast_1d(np.array(node.value, dtype=float))
        numeric = numerical_gradient(rest[name], point)
        np.testing.assert_allclose(np.atleast_1d(node.gradient), numeric, atol=tolerance, rtol=tolerance,
                                   err_msg=f"∂L/∂{name}")
        checked.append(name)
    return checked


# -- chapter 1 -------------------------------------------------------------------------------------
def test_linear_graph_holds_chapter_1s_numbers_by_hand():
    nodes = linear_graph().nodes  # w = 1, b = 0, x = 2, y = 4
    assert [nodes[n].value for n in ("w·x", "ŷ", "e", "L")] == [2.0, 2.0, -2.0, 2.0]
    assert [nodes[n].gradient for n in ("L", "e", "ŷ", "w·x", "b", "w")] == [1.0, -2.0, -2.0, -2.0, -2.0, -4.0]
    assert nodes["x"].gradient is None and nodes["y"].gradient is None  # data: nothing to learn


@pytest.mark.parametrize("w, b, x, y", [(1.0, 0.0, 2.0, 4.0), *np.random.default_rng(1).normal(0.0, 3.0, (5, 4)).tolist()])
def test_linear_graph_agrees_with_linear_gradients_and_finite_differences(w, b, x, y):
    graph = linear_graph(w, b, x, y)
    replay = linear_gradients(w, b, x, y, "half")
    nodes = graph.nodes
    assert nodes["ŷ"].value == replay["prediction"] and nodes["L"].value == replay["loss"]
    assert nodes["w"].gradient == replay["grad_w"] and nodes["b"].gradient == replay["grad_b"]
    assert nodes["ŷ"].gradient == replay["dL_dprediction"]
    checked = agrees_with_finite_differences(graph, linear_rest(w, b, x, y), tolerance=1e-6)
    assert sorted(checked) == sorted(["w", "b", "w·x", "ŷ", "e", "L"])


# -- chapter 5 -------------------------------------------------------------------------------------
def test_two_layer_graph_holds_chapter_5s_numbers():
    nodes = two_layer_graph().nodes
    assert format_graph_value(nodes["a[1]"].value) == "[0.4621, 0.8005]"
    assert format_graph_value(nodes["ŷ"].value) == "[0.4372, 0.5628]"
    assert format_graph_value(nodes["L"].value) == "0.8274"
    assert format_graph_value(nodes["z[1]"].gradient) == "[0.0885, 0.0404]"  # δ[1]
    assert format_graph_value(nodes["ŷ"].gradient) == "[−2.2873, 0]"  # −y/ŷ: −1/0.4372 for the true class


@pytest.mark.parametrize("seed", range(6))
def test_two_layer_graph_agrees_with_the_replay_and_finite_differences(seed):
    params, x, y = (dict(DEFAULT_TWO_LAYER_PARAMS), DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y) if seed == 0 \
        else random_two_layer(seed)
    graph = two_layer_graph(params, x, y)
    step = replay_two_layer(x=x, y=y, steps=1, **params)[0]
    nodes = graph.nodes
    for name, key in [("z[1]", "z1"), ("a[1]", "a1"), ("z[2]", "z2"), ("ŷ", "y_hat"), ("L", "loss")]:
        np.testing.assert_array_equal(nodes[name].value, step[key], err_msg=name)
    np.testing.assert_array_equal(nodes["z[2]"].gradient, step["delta2"])
    np.testing.assert_array_equal(nodes["z[1]"].gradient, step["delta1"])
    for name in ("W1", "b1", "W2", "b2"):  # the 12 parameter gradients
        np.testing.assert_array_equal(nodes[f"{name[0]}[{name[1]}]"].gradient, step["grads"][name])
    checked = agrees_with_finite_differences(graph, two_layer_rest(*params.values(), x, y), tolerance=1e-7)
    assert len(checked) == 11  # every node but the data x and y


# -- the walk ---------------------------------------------------------------------------------------
GRAPHS = {"linear": linear_graph(), "two-layer": two_layer_graph()}


@pytest.mark.parametrize("name", GRAPHS)
def test_the_walk_fills_values_in_order_then_gradients_only_after_everything_downstream(name):
    graph = GRAPHS[name]
    kinds = [step.kind for step in graph.steps]
    forward, backward = kinds.count("forward"), kinds.count("backward")
    assert kinds == ["start"] + ["forward"] * forward + ["backward"] * backward
    operations = [n for n, node in graph.nodes.items() if node.inputs]
    assert [s.node for s in graph.steps if s.kind == "forward"] == operations
    order = [s.node for s in graph.steps if s.kind == "backward"]
    assert sorted(order) == sorted(n for n, node in graph.nodes.items() if node.gradient is not None)
    assert order[0] == "L"
    for position, node in enumerate(order):
        downstream = graph.consumers(node)
        assert all(order.index(c) < position for c in downstream), f"{node} before one of {downstream}"
    for step, done in enumerate(graph.steps):
        values, gradients = graph.shown(step)
        for name_ in values - {n for n, node in graph.nodes.items() if not node.inputs}:
            assert set(graph.nodes[name_].inputs) <= values  # a value only after its inputs' values
        assert gradients <= values
        if done.node is not None:
            assert done.node in (values if done.kind == "forward" else gradients)


@pytest.mark.parametrize("name", GRAPHS)
def test_each_caption_names_the_operation_whose_rule_it_uses(name):
    graph = GRAPHS[name]
    for done in graph.steps[1:]:
        rule = done.caption.split(" · ", 1)[1]
        node = graph.nodes[done.node]
        if done.kind == "forward":
            assert rule.startswith(node.op), done.caption  # forward: the node's own operation
        elif done.node != "L":
            (consumer,) = graph.consumers(done.node)
            assert rule.startswith(graph.nodes[consumer].op), done.caption  # backward: the one it feeds
        assert format_graph_value(node.value if done.kind == "forward" else node.gradient) in done.caption


def test_the_tanh_step_says_multiply_by_one_minus_a_squared():
    graph = GRAPHS["two-layer"]
    (tanh_step,) = [s for s in graph.steps if s.kind == "backward" and s.node == "z[1]"]
    assert tanh_step.caption.startswith("backward 8 of 11 · tanh: multiply by 1 − a[1]² = [0.7864, 0.3592]")
    assert "[0.1126, 0.1126] ⊙ [0.7864, 0.3592] = [0.0885, 0.0404]" in tanh_step.caption  # upstream × local


def test_the_graph_is_a_record_nobody_can_change():
    node = GRAPHS["two-layer"].nodes["W[1]"]
    with pytest.raises(ValueError):
        node.gradient[0, 0] = 1.0


def test_format_graph_value_rounds_and_writes_a_true_minus_never_minus_zero():
    assert format_graph_value(-0.0) == "0"
    assert format_graph_value([[0.123456, -2.0], [1e-5, 3.0]]) == "[[0.1235, −2], [1.0000e−05, 3]]"
    assert format_graph_value(2.0 / 3.0, digits=3) == "0.667"


@pytest.mark.parametrize("value, shown", [
    (0.1770, "0.1770"), (0.17704, "0.1770"), (0.08852, "0.0885"), (0.5, "0.5000"), (-2.28728, "−2.2873"),  # 4 decimals
    (2.0, "2"), (-4.0, "−4"), (1.0, "1"), (0.0, "0"),  # whole numbers are exact: no decimals
])
def test_a_graph_number_has_four_decimals_as_the_chapters_tables_print_it_and_a_whole_number_none(value, shown):
    """Trailing zeros were dropped (0.177 beside 0.08852 in one box): every number now has the tables' 4 decimals."""
    assert format_graph_value(value) == shown
    assert format_graph_value([value, 0.08852]) == f"[{shown}, 0.0885]"


def test_the_gradient_box_of_w1_shows_every_entry_to_four_decimals():
    figure = plot_computational_graph(GRAPHS["two-layer"], len(GRAPHS["two-layer"].steps) - 1)
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert "0.0885  0.1770\n0.0404  0.0809" in texts  # ∂L/∂W[1] = δ[1]xᵀ, chapter 5's table: [[0.0885, 0.1770], …]
    assert "0.1000  0.2000\n0.3000  0.4000" in texts  # W[1]'s given values, to the same 4 decimals
    assert "1\n2" in texts  # x = [1, 2]: whole numbers


# -- the drawing and the panels ---------------------------------------------------------------------
def boxes_and_texts(figure):
    """(box extents, text extents) in pixels, as drawn."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    boxes = [p.get_window_extent(renderer) for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    texts = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    return boxes, texts


@pytest.mark.parametrize("graph", [GRAPHS["linear"], GRAPHS["two-layer"], linear_graph(-12.5, 3.25, 7.5, -100.0),
                                   two_layer_graph(*random_two_layer(13))], ids=["linear", "two-layer",
                                                                                "linear-wide", "two-layer-random"])
def test_every_step_draws_inside_the_figure_with_no_box_overlapping_another(graph):
    for step in range(len(graph.steps)):
        figure = plot_computational_graph(graph, step)
        width, height = figure.bbox.width, figure.bbox.height
        assert width == 800
        boxes, texts = boxes_and_texts(figure)
        for extent in boxes + texts:
            assert 0 <= extent.x0 and extent.x1 <= width and 0 <= extent.y0 and extent.y1 <= height, (step, extent)
        for one, other in itertools.combinations(boxes, 2):
            assert not one.overlaps(other), step
        # Every text either lies in one box, or in the caption band above the boxes or the legend below.
        top, bottom = max(b.y1 for b in boxes), min(b.y0 for b in boxes)
        for extent in texts:
            inside = any(b.x0 <= extent.x0 and extent.x1 <= b.x1 and b.y0 <= extent.y0 and extent.y1 <= b.y1
                         for b in boxes)
            assert inside or extent.y0 >= top or extent.y1 <= bottom, (step, extent)


@pytest.mark.parametrize("factory, last", [(linear_graph_panel, 10), (two_layer_graph_panel, 18)])
def test_the_panel_renders_at_every_step_and_its_grid_covers_them_all(factory, last):
    panel = factory()
    slider = panel.sliders["step"]
    assert (slider.min, slider.max) == (0, last)
    assert panel.grid == {"step": list(range(last + 1))}
    images = set()
    for step in [slider.max, slider.min, *range(last + 1)]:
        assert panel.set(step=step) is None
        assert panel.png.startswith(b"\x89PNG")
        images.add(panel.png)
        caption = "\n".join(t.get_text() for t in panel.figure.axes[0].texts[-2:])  # the headline, the equation
        assert (step == 0) == ("the given numbers" in caption)
    assert len(images) == last + 1  # each step draws something new


def test_the_panel_shows_the_caption_of_its_step():
    panel = two_layer_graph_panel(step=15)
    drawn = [t.get_text() for t in panel.figure.axes[0].texts]
    assert "backward 8 of 11 · tanh: multiply by 1 − a[1]² = [0.7864, 0.3592], entry by entry" in drawn
    assert panel.factory_name == "graph-two-layer" and panel.factory_kwargs == {"step": 15}


@pytest.mark.parametrize("graph", [GRAPHS["linear"], GRAPHS["two-layer"]], ids=["linear", "two-layer"])
def test_arrows_point_forward_until_the_gradient_flows_back_along_them(graph):
    """An edge source → target points forward (-|>) while the values flow; once ∂L/∂source is known the gradient
    has come back along it from the target, and the arrow points back (<|-), in vermillion."""
    for step, done in enumerate(graph.steps):
        figure = plot_computational_graph(graph, step)
        arrows = [p for p in figure.axes[0].patches if type(p).__name__ == "FancyArrowPatch"]
        _, gradients = graph.shown(step)
        edges = [(source, name) for name, node in graph.nodes.items() for source in node.inputs]
        assert len(arrows) == len(edges)
        for (source, target), arrow in zip(edges, arrows):
            back = source in gradients
            assert type(arrow.get_arrowstyle()).__name__ == ("CurveFilledA" if back else "CurveFilledB"), (step, source)
            if back:
                assert arrow.get_edgecolor()[:3] == to_rgb(COLORS["vermillion"]), (step, source, target)
        if done.kind == "forward":
            assert not gradients


def test_the_key_shows_a_swatch_for_every_fill_edge_and_arrow_it_names():
    figure = plot_computational_graph(GRAPHS["linear"], 0)
    (legend,) = figure.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["parameter", "data (no gradient)", "not computed yet", "this step's node (fwd, back)",
                     "value (black numbers)", "gradient ∂L/∂node (vermillion)", "input a forward step reads",
                     "gradient flowing back"]
    handles = legend.legend_handles
    assert handles[0].get_facecolor()[:3] == to_rgb("#e8f2f9")
    assert handles[2]._unscaled_dash_pattern[1] is not None  # dashed (the swatch copies the dashes, not the style's name)
    assert handles[5].get_edgecolor()[:3] == to_rgb(COLORS["vermillion"])
    assert handles[6].get_color() == COLORS["blue"] and handles[7].get_marker() == "<"
