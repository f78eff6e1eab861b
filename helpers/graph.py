"""A computational graph as plain data: a node per operation, its forward value and its gradient.

The backward pass visits the nodes in reverse order. Each node's gradient is the gradient of the node
it feeds (upstream) times the derivative of that node's operation with respect to it (local):

    ∂L/∂input = ∂L/∂output · ∂output/∂input          (upstream × local = downstream)

Two graphs of the course, built from the numbers its own replays compute:

- :func:`linear_graph` (chapter 1): ŷ = w·x + b, L = ½(ŷ − y)², scalar nodes;
- :func:`two_layer_graph` (chapter 5): z[1] = W[1]x + b[1], a[1] = tanh z[1], z[2] = W[2]a[1] + b[2],
  ŷ = softmax z[2], L = −Σ y log ŷ, with vector and matrix nodes (the 12 parameter gradients are the
  gradients of the nodes W[1], b[1], W[2], b[2]).

A graph's ``steps`` walk it: step 0 shows the given numbers (inputs, label, parameters), then one
node per step gets its forward value, in order, then one node per step gets its gradient, in reverse
order. Each step has a caption naming the rule used there. The data (x and y) get no gradient: nothing
there is learned.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .linear import linear_gradients
from .network import (DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, TWO_LAYER_PARAMETERS, replay_two_layer,
                      two_layer_params)
from .tables import format_number
from .validation import as_float_array, check_integer, check_number

__all__ = ["GraphNode", "GraphStep", "ComputationalGraph", "format_graph_value", "linear_graph", "two_layer_graph"]


@dataclass(frozen=True)
class GraphNode:
    """One node: ``name`` (as the chapter writes it, e.g. "z[1]"), ``op`` ("parameter", "data", or the
    operation: "×", "+", "−", "½(·)²", "tanh", "softmax", "cross-entropy"), the names of its ``inputs``,
    its forward ``value`` (a float or an array) and its ``gradient`` ∂L/∂node (same shape; None for data)."""

    name: str
    op: str
    inputs: tuple
    value: object
    gradient: object


@dataclass(frozen=True)
class GraphStep:
    """One step of the walk: ``kind`` ("start", "forward" or "backward"), the ``node`` it fills (None at
    the start) and its ``caption`` (what is computed and the rule used, on two lines)."""

    kind: str
    node: str | None
    caption: str


@dataclass(frozen=True)
class ComputationalGraph:
    """``title``; ``nodes``: name → :class:`GraphNode`, each after its inputs; ``steps``: the walk, a tuple
    of :class:`GraphStep` (step 0 is the start)."""

    title: str
    nodes: dict
    steps: tuple

    def consumers(self, name: str) -> list:
        """The names of the nodes that take node ``name`` as an input (where its gradient comes from)."""
        return [node.name for node in self.nodes.values() if name in node.inputs]

    def shown(self, step: int) -> tuple[set, set]:
        """(names whose value is shown, names whose gradient is shown) after ``step`` steps of the walk.

        ``step``: a whole number in [0, len(steps) − 1]. The given numbers (nodes with no inputs) are
        shown from step 0.
        """
        step = check_integer("step", step, low=0, high=len(self.steps) - 1)
        values = {name for name, node in self.nodes.items() if not node.inputs}
        gradients = set()
        for done in self.steps[1:step + 1]:
            (values if done.kind == "forward" else gradients).add(done.node)
        return values, gradients


def format_graph_value(value, digits: int = 4) -> str:
    """``value`` (a number, a vector or a matrix of finite numbers) as short text, each number with ``digits``
    decimals (a whole number in [1, 10]) as the chapters' tables print it (:func:`~helpers.tables.format_number`:
    trailing zeros kept, e-notation below 10^−digits), a whole number as a whole number, with a true minus sign:
    0.8274, [0.0885, 0.1770], [−2.2873, 0], [[0.1000, 0.2000], [0.3000, 0.4000]], −4."""
    digits = check_integer("digits", digits, low=1, high=10)
    array = as_float_array("value", value)
    if array.ndim > 2:
        raise ValueError(f"value must be a number, a vector or a matrix; got shape {array.shape}")

    def text(part) -> str:
        if np.ndim(part) == 0:
            number = float(part) + 0.0  # + 0.0: no "−0"
            # exact whole numbers (the given x = 2, the gradient −4) are exact: no decimals to round
            shown = f"{number:.0f}" if number.is_integer() else format_number(number, digits)
            return shown.replace("-", "−")
        return "[" + ", ".join(text(entry) for entry in part) + "]"

    return text(array)


def _walk(title: str, nodes: list, forward: dict, backward: dict) -> ComputationalGraph:
    """The graph of ``nodes`` (a list of GraphNode, each after its inputs) and its walk: the nodes of
    ``forward`` (name → caption) in order, then the nodes with a gradient in reverse order (captions
    from ``backward``, name → caption)."""
    order = [node.name for node in nodes if node.inputs]
    graded = [node.name for node in reversed(nodes) if node.gradient is not None]
    given = ", ".join(node.name for node in nodes if not node.inputs)
    steps = [GraphStep("start", None, f"start · the given numbers: {given}\n"
                                      "forward values fill in first, in order; then the gradients flow back, in reverse order")]
    steps += [GraphStep("forward", name, f"forward {k} of {len(order)} · {forward[name]}")
              for k, name in enumerate(order, start=1)]
    steps += [GraphStep("backward", name, f"backward {k} of {len(graded)} · {backward[name]}")
              for k, name in enumerate(graded, start=1)]
    return ComputationalGraph(title, {node.name: node for node in nodes}, tuple(steps))


def _frozen(value):
    """A float, or a read-only float64 copy of an array (a graph is a record: nobody changes it)."""
    if np.ndim(value) == 0:
        return float(value)
    array = np.array(value, dtype=np.float64)
    array.flags.writeable = False
    return array


def _node(name, op, inputs, value, gradient) -> GraphNode:
    return GraphNode(name, op, tuple(inputs), _frozen(value), None if gradient is None else _frozen(gradient))


def _check_finite(nodes: list, names: str) -> None:
    for node in nodes:
        for what, number in (("value", node.value), ("gradient", node.gradient)):
            if number is not None and not np.all(np.isfinite(number)):
                raise ValueError(f"{names} must keep every number of the graph finite; got {what} "
                                 f"{np.round(number, 4).tolist()} at node {node.name}")


def _paren(value) -> str:
    """A number as a factor: negative numbers in parentheses, (−2) × 2."""
    text = format_graph_value(value)
    return f"({text})" if text.startswith("−") else text


def linear_graph(w: float = 1.0, b: float = 0.0, x: float = 2.0, y: float = 4.0) -> ComputationalGraph:
    """Chapter 1's graph: w·x (×), ŷ = w·x + b (+), e = ŷ − y (−), L = ½e² (½(·)²).

    Values and the gradients of w, b and ŷ are those of :func:`~helpers.linear.linear_gradients` (the half
    loss); ∂L/∂e = e and ∂L/∂(w·x) = ∂L/∂ŷ complete the chain. ``w``, ``b``, ``x``, ``y``: finite numbers
    (defaults: the worked example, L = 2, ∂L/∂w = −4, ∂L/∂b = −2). Returns a :class:`ComputationalGraph`
    with 10 steps after the start.
    """
    w, b, x, y = (check_number(name, value) for name, value in (("w", w), ("b", b), ("x", x), ("y", y)))
    try:
        with np.errstate(all="ignore"):  # overflow is reported below, naming the inputs
            r = linear_gradients(w, b, x, y, "half")
    except OverflowError:  # (ŷ − y)² past 1.8e308, in Python floats
        raise ValueError(f"w, b, x and y must keep every number of the graph finite; got w = {w:g}, b = {b:g}, "
                         f"x = {x:g}, y = {y:g}, whose loss overflows") from None
    product, prediction, error, loss = w * x, r["prediction"], r["error"], r["loss"]
    upstream = r["dL_dprediction"]  # ∂L/∂ŷ = e: the upstream of the sum and of everything before it
    nodes = [_node("w", "parameter", (), w, r["grad_w"]), _node("x", "data", (), x, None),
             _node("w·x", "×", ("w", "x"), product, upstream), _node("b", "parameter", (), b, r["grad_b"]),
             _node("ŷ", "+", ("w·x", "b"), prediction, upstream), _node("y", "data", (), y, None),
             _node("e", "−", ("ŷ", "y"), error, error), _node("L", "½(·)²", ("e",), loss, 1.0)]
    _check_finite(nodes, "w, b, x and y")
    f, p = format_graph_value, _paren
    passes = "+: the local derivative is 1, so the gradient passes on unchanged"
    forward = {
        "w·x": f"×: multiply the weight by the input\nw·x = {p(w)} × {p(x)} = {f(product)}",
        "ŷ": f"+: add the bias\nŷ = w·x + b = {f(product)} + {p(b)} = {f(prediction)}",
        "e": f"−: subtract the label\ne = ŷ − y = {f(prediction)} − {p(y)} = {f(error)}",
        "L": f"½(·)²: half the square of the error\nL = ½e² = ½ × {p(error)}² = {f(loss)}",
    }
    backward = {
        "L": "the backward pass starts at the loss\n∂L/∂L = 1",
        "e": f"½(·)²: multiply by the local derivative e = {f(error)}\n∂L/∂e = 1 × {p(error)} = {f(error)}",
        "ŷ": f"−: the local derivative ∂e/∂ŷ is 1, so the gradient passes on unchanged\n"
             f"∂L/∂ŷ = {p(error)} × 1 = {f(upstream)}",
        "b": f"{passes}\n∂L/∂b = ∂L/∂ŷ × 1 = {f(r['grad_b'])}",
        "w·x": f"{passes}\n∂L/∂(w·x) = ∂L/∂ŷ × 1 = {f(upstream)}",
        "w": f"×: multiply by the other factor, x = {f(x)}\n∂L/∂w = ∂L/∂(w·x) × x = {p(upstream)} × {p(x)} = "
             f"{f(r['grad_w'])}",
    }
    return _walk("ŷ = w·x + b,  L = ½(ŷ − y)²", nodes, forward, backward)


def two_layer_graph(params: dict | None = None, x=None, y=None) -> ComputationalGraph:
    """Chapter 5's graph: W[1]x (×), z[1] (+), a[1] = tanh z[1], W[2]a[1] (×), z[2] (+), ŷ = softmax z[2],
    L = −Σ y log ŷ (cross-entropy), one node per operation, vectors and matrices as single nodes.

    Values, δ[2] = ∂L/∂z[2], δ[1] = ∂L/∂z[1] and the 12 parameter gradients are those of step 1 of
    :func:`~helpers.network.replay_two_layer`; the nodes in between complete the chain: ∂L/∂ŷ = −y/ŷ,
    ∂L/∂a[1] = W[2]ᵀδ[2], and a sum passes its gradient on unchanged.
    ``params``: a dict with "W1", "b1", "W2", "b2" (any missing or None: the worked example's; shapes as in
    :func:`~helpers.network.two_layer_params`), or None for the worked example; ``x``: the input, shape (n,);
    ``y``: the one-hot label, shape (k,) (None: the worked example's). Returns a :class:`ComputationalGraph`
    with 18 steps after the start.
    """
    if params is None:
        params = {}
    if not isinstance(params, dict) or set(params) - set(TWO_LAYER_PARAMETERS):
        raise ValueError(f"params must be a dict with some of {', '.join(TWO_LAYER_PARAMETERS)}, or None; "
                         f"got {params!r}"[:200])
    try:
        params = two_layer_params(*(params.get(name) for name in TWO_LAYER_PARAMETERS))
    except ValueError as error:
        raise ValueError(f"params: {error}") from None
    with np.errstate(all="ignore"):  # overflow ends the run (diverged_at = 1), reported below
        run = replay_two_layer(x=x, y=y, steps=1, **params)
    if not run:
        raise ValueError("params and x must keep the forward pass finite; got a loss or gradient that overflows "
                         f"({run.status})")
    s = run[0]
    W1, b1, W2, b2 = (s["params_before"][name] for name in TWO_LAYER_PARAMETERS)
    x = np.asarray(DEFAULT_TWO_LAYER_X if x is None else x, dtype=float)
    y = np.asarray(DEFAULT_TWO_LAYER_Y if y is None else y, dtype=float)
    label = int(y.argmax())
    W1x, W2a1 = W1 @ x, W2 @ s["a1"]
    with np.errstate(all="ignore"):
        dL_dy_hat = np.where(y == 1, -1.0 / s["y_hat"], 0.0)  # −y/ŷ: the true class only
    delta1, delta2, grads = s["delta1"], s["delta2"], s["grads"]
    dL_da1 = W2.T @ delta2
    nodes = [_node("W[1]", "parameter", (), W1, grads["W1"]), _node("x", "data", (), x, None),
             _node("W[1]x", "×", ("W[1]", "x"), W1x, delta1), _node("b[1]", "parameter", (), b1, grads["b1"]),
             _node("z[1]", "+", ("W[1]x", "b[1]"), s["z1"], delta1),
             _node("a[1]", "tanh", ("z[1]",), s["a1"], dL_da1),
             _node("W[2]", "parameter", (), W2, grads["W2"]),
             _node("W[2]a[1]", "×", ("W[2]", "a[1]"), W2a1, delta2), _node("b[2]", "parameter", (), b2, grads["b2"]),
             _node("z[2]", "+", ("W[2]a[1]", "b[2]"), s["z2"], delta2),
             _node("ŷ", "softmax", ("z[2]",), s["y_hat"], dL_dy_hat), _node("y", "data", (), y, None),
             _node("L", "cross-entropy", ("ŷ", "y"), s["loss"], 1.0)]
    _check_finite(nodes, "params and x")
    f = format_graph_value
    top = float(s["z2"].max())
    shift = top > 700  # exp would overflow: show the shifted exponentials softmax computes with
    exp = np.exp(s["z2"] - top) if shift else np.exp(s["z2"])
    shifted = f" (shifted by max z[2] = {f(top)})" if shift else ""
    tanh_slope = 1.0 - s["a1"] ** 2
    passes = "+: the local derivative is 1, so the gradient passes on unchanged"
    forward = {
        "W[1]x": f"×: matrix times vector\nW[1]x = {f(W1)}·{f(x)} = {f(W1x)}",
        "z[1]": f"+: add the bias\nz[1] = W[1]x + b[1] = {f(W1x)} + {f(b1)} = {f(s['z1'])}",
        "a[1]": f"tanh, entry by entry\na[1] = tanh z[1] = tanh {f(s['z1'])} = {f(s['a1'])}",
        "W[2]a[1]": f"×: matrix times vector\nW[2]a[1] = {f(W2)}·{f(s['a1'])} = {f(W2a1)}",
        "z[2]": f"+: add the bias\nz[2] = W[2]a[1] + b[2] = {f(W2a1)} + {f(b2)} = {f(s['z2'])}",
        "ŷ": f"softmax: exponentiate{shifted}, divide by the sum\n"
             f"ŷ = exp z[2] / Σ exp z[2] = {f(exp)} / {f(exp.sum())} = {f(s['y_hat'])}",
        "L": f"cross-entropy: minus the log of the true class's ŷ\n"
             f"L = −Σ y log ŷ = −log {f(s['y_hat'][label])} = {f(s['loss'])}",
    }
    backward = {
        "L": "the backward pass starts at the loss\n∂L/∂L = 1",
        "ŷ": f"cross-entropy: multiply by the local derivative −y/ŷ\n∂L/∂ŷ = 1 × (−y/ŷ) = {f(dL_dy_hat)}",
        "z[2]": f"softmax: multiply by its Jacobian diag(ŷ) − ŷŷᵀ (with cross-entropy: ŷ − y)\n"
                f"δ[2] = ∂L/∂z[2] = (diag(ŷ) − ŷŷᵀ)·{f(dL_dy_hat)} = ŷ − y = {f(delta2)}",
        "b[2]": f"{passes}\n∂L/∂b[2] = δ[2] = {f(grads['b2'])}",
        "W[2]a[1]": f"{passes}\n∂L/∂(W[2]a[1]) = δ[2] = {f(delta2)}",
        "W[2]": f"×: multiply by the other factor, a[1]ᵀ (an outer product)\n"
                f"∂L/∂W[2] = δ[2]·a[1]ᵀ = {f(delta2)}·{f(s['a1'])}ᵀ = {f(grads['W2'])}",
        "a[1]": f"×: multiply by the other factor, W[2]ᵀ\n∂L/∂a[1] = W[2]ᵀ·δ[2] = {f(W2.T)}·{f(delta2)} = {f(dL_da1)}",
        "z[1]": f"tanh: multiply by 1 − a[1]² = {f(tanh_slope)}, entry by entry\n"
                f"δ[1] = ∂L/∂a[1] ⊙ (1 − a[1]²) = {f(dL_da1)} ⊙ {f(tanh_slope)} = {f(delta1)}",
        "b[1]": f"{passes}\n∂L/∂b[1] = δ[1] = {f(grads['b1'])}",
        "W[1]x": f"{passes}\n∂L/∂(W[1]x) = δ[1] = {f(delta1)}",
        "W[1]": f"×: multiply by the other factor, xᵀ (an outer product)\n"
                f"∂L/∂W[1] = δ[1]·xᵀ = {f(delta1)}·{f(x)}ᵀ = {f(grads['W1'])}",
    }
    return _walk("the 2-2-2 network: tanh hidden layer, softmax and cross-entropy", nodes, forward, backward)
