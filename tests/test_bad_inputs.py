"""Every public helper, fed every kind of bad input a student (or a slider at its end) can produce.

The table below lists, for each helper, a call that works (``good`` keyword arguments) and, for
each parameter, the bad values to put in its place. Bad values come from a few families
(``number()``, ``positive()``, ``array()``, ``whole(low, high)``, ...) shared by every parameter of that
kind, plus the wrong shapes and out-of-range labels particular to one helper. Each (helper, parameter, bad value) is one
test: it must raise ValueError whose message names the parameter (as a whole word) and says what
it got. A TypeError, an IndexError, a numpy warning or a silent NaN fails the test.

Two more checks keep the table honest: every public callable of ``helpers`` is either in the table
or listed in ``NOTHING_TO_CHECK`` with the reason (and every parameter of a helper in the table gets
bad values, unless ``ANY_VALUE`` says why not), and every parameter the table checks is mentioned in
its helper's docstring, or in the one it points to (where its allowed range is stated).
"""
from __future__ import annotations

import functools
import inspect
import math
import re
import warnings
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
import pytest
import sympy

import helpers

NAN, INF = math.nan, math.inf


# -- the families of bad values ----------------------------------------------------------------
def number(*extra):
    """Bad values for a parameter that must be a finite real number."""
    return [NAN, INF, -INF, None, "abc", [1.0], True, 1 + 2j, *extra]


def positive(*extra):
    """... a finite number > 0."""
    return number(0.0, -1.0, *extra)


def non_negative(*extra):
    """... a finite number ≥ 0."""
    return number(-1.0, *extra)


def decay(*extra):
    """... a decay rate in [0, 1)."""
    return number(-0.1, 1.0, 2.0, *extra)


def whole(low, high=None, *extra):
    """... a whole number in [low, high]."""
    values = [low - 1, 1.5, NAN, None, "3", True, [1]]
    if high is not None:
        values.append(high + 1)
    return values + list(extra)


def choice(*extra):
    """... one of a fixed set of names."""
    return ["no such name", None, 3, *extra]


def array(*wrong_shapes):
    """... an array of finite numbers (plus the wrong shapes for this parameter)."""
    return [None, *optional_array(*wrong_shapes)]


def optional_array(*wrong_shapes):
    """... an array of finite numbers, or None for the default."""
    return ["abc", [], [NAN], [INF], [-INF], {"a": 1}, object(), ["1.0", "2.0"], np.array([1 + 1j]),
            *wrong_shapes]


def flag():
    """... True or False."""
    return [None, "yes", 1.5, NAN]


def text(*extra):
    """... a string."""
    return [None, *optional_text(*extra)]


def optional_text(*extra):
    """... a string or None."""
    return [3, ["a"], object(), *extra]


def mapping(*extra):
    """... a dict."""
    return [None, "abc", 3, [1, 2], *extra]


def or_none(values):
    """The same bad values for a parameter whose default None means "the usual value"."""
    return [v for v in values if v is not None]


OBJECT = [None, "abc", 3, object()]  # for parameters that take one of the course's objects (an Optimizer, an Axes, ...)


# -- good values that take a moment to build, made once -------------------------------------------
class Lazy:
    """A good argument computed on first use (a run, a figure), so collecting the tests stays fast."""

    def __init__(self, make):
        self.make = make

    def __call__(self):
        return self.make()


def _axes():
    return helpers.new_figure()[1]


def _figure():
    return helpers.new_figure()[0]


def cached(make):
    """A Lazy whose value is made once and shared (a run no test changes)."""
    return Lazy(functools.cache(make))


SGD_RUN = cached(lambda: helpers.replay_two_layer(steps=2))
ADAM_RUN = cached(lambda: helpers.replay_two_layer(optimizer="adam", steps=2))
LINEAR_RUN = cached(lambda: helpers.replay_linear(1.0, 0.0, 2.0, 4.0, 0.1, steps=3))
TRAJECTORY = cached(lambda: helpers.run_landscape_trajectory(helpers.Optimizer("sgd", 0.95), steps=5))
DATA = cached(lambda: helpers.make_regression_data(n_samples=6, n_features=2, seed=0))
BATCH_RUN = cached(lambda: helpers.run_minibatch_descent(DATA()["X"], DATA()["y"], batch_size=2, lr=0.05, epochs=2))
X6, Y6 = Lazy(lambda: DATA()["X"]), Lazy(lambda: DATA()["y"])
ADAM = helpers.Optimizer("adam", 0.1)
TWO_LAYER = {"W1": [[0.1, 0.2], [0.3, 0.4]], "b1": [0.0, 0.0], "W2": [[0.5, 0.6], [0.7, 0.8]], "b2": [0.0, 0.0]}
SLIDERS = Lazy(lambda: {"a": widgets.FloatSlider(value=1.0)})


MOONS = cached(lambda: helpers.make_two_moons(n_train=6, n_test=4))
MLP_PARAMS = [([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [0.0, 0.0, 0.0]), ([[0.5, 0.6, 0.7], [0.7, 0.8, 0.9]], [0.0, 0.0])]
MLP_SIZES = [None, "abc", 3, [], [2], [2, 0, 2], [2, 1.5, 2], [2, 3, 1], [2] * 11]
MLP_BAD_PARAMS = [None, "abc", 3, [], [(1.0,)], [([[1.0, 2.0]], [0.0, 0.0])], [([[1.0, 2.0]], [0.0])],
                  [([[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0]), ([[1.0, 2.0, 3.0]] * 2, [0.0, 0.0])],
                  [([[NAN, 2.0], [3.0, 4.0]], [0.0, 0.0])]]
MLP_LABELS = [None, "abc", [0.5], [2], [-1], [0, 1], [True], 1]
MLP_RUN = cached(lambda: helpers.train_mlp(MOONS(), optimizer=helpers.Optimizer("sgd", 0.1), layer_sizes=(2, 3, 2),
                                           epochs=1, batch_size=3, keep_params=True))
MLP_BAD_RUNS = mapping({}, {"a": "abc"}, {"a": {}}, Lazy(lambda: {str(i): MLP_RUN() for i in range(9)}))


def _forward():
    return helpers.forward_two_layer([1.0, 2.0], **TWO_LAYER, y=[1.0, 0.0])


# -- the table -----------------------------------------------------------------------------------
@dataclass
class Case:
    """A helper, a call to it that works, and the bad values to try for each parameter."""

    helper: str
    good: dict
    bad: dict
    #: where a message names the quantity by another word than the Python parameter (documented why)
    match: dict = field(default_factory=dict)
    label: str = ""

    def call(self, **changes):
        kwargs = {k: (v() if isinstance(v, Lazy) else v) for k, v in {**self.good, **changes}.items()}
        return getattr(helpers, self.helper)(**kwargs)


LOGITS3 = [2.0, 1.0, 0.1]
PROBS3 = [0.7, 0.2, 0.1]
CLASS_LABELS = [None, "abc", 3, -1, 0.5, NAN, True, [0, 1], [], [0.5, 0.2, 0.1], [1.5, -0.5, 0.0], {"a": 1}]
TWO_LAYER_ARRAYS = {  # None means "the worked example's", so it is no bad value here
    "W1": optional_array([1.0, 2.0], [[0.1, 0.2, 0.3]], [[[0.1]]]),
    "b1": optional_array([0.0, 0.0, 0.0], [[0.0, 0.0]]),
    "W2": optional_array([[0.5, 0.6]], [[0.5], [0.6]], [0.5, 0.6]),
    "b2": optional_array([0.0], [0.0, 0.0, 0.0]),
}
ONE_HOT = optional_array([0.5, 0.5], [1.0, 0.0, 0.0], [2.0, -1.0], [[1.0, 0.0]])
STEP_LIKE = [None, "abc", {}, {"optimizer": {}}]

CASES = [
    # validation.py: the checks themselves (name="value", so the message must name "value")
    Case("check_number", {"name": "value", "value": 1.0}, {"value": number()}),
    Case("check_number", {"name": "value", "value": 0.5, "low": 0.0, "high": 1.0}, {"value": [-0.5, 1.5]},
         label="range"),
    Case("check_positive", {"name": "value", "value": 1.0}, {"value": positive()}),
    Case("check_decay_rate", {"name": "value", "value": 0.5}, {"value": decay()}),
    Case("check_integer", {"name": "value", "value": 3, "low": 1, "high": 10}, {"value": whole(1, 10)}),
    Case("check_choice", {"name": "value", "value": "a", "choices": ("a", "b")}, {"value": choice()}),
    Case("as_float_array", {"name": "value", "value": [1.0, 2.0], "ndim": 1}, {"value": array([[1.0]])}),
    Case("check_flag", {"name": "value", "value": True}, {"value": flag()}),
    Case("check_text", {"name": "value", "value": "a title"}, {"value": text()}),
    Case("check_text", {"name": "value", "value": "a hint", "allow_empty": False}, {"value": text("", "  ")},
         label="non-empty"),
    Case("check_same_shape", {"value": np.zeros(2), "other": np.zeros(2)},
         {"value": [np.zeros(3), np.zeros((2, 1)), 1.0]}),
    # plots.py, tables.py, symbolic.py, exercises.py, gradient_check.py, widgets.py
    Case("new_figure", {"nrows": 1, "ncols": 1}, {"nrows": whole(1, 10), "ncols": whole(1, 10),
                                                 "width": positive(101.0), "height": positive(101.0)}),
    Case("figure_to_png", {"figure": Lazy(_figure)}, {"figure": OBJECT, "compress_level": whole(0, 9)}),
    Case("encode_png", {"rgba": np.zeros((2, 3, 4), dtype=np.uint8)},
         {"rgba": [None, "abc", [[1, 2]], np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=np.uint8),
                   np.zeros((2, 3, 3), dtype=np.uint8), np.zeros((0, 3, 4), dtype=np.uint8)],
          "compress_level": whole(0, 9), "kept_bands": ["abc", (), {}]}),
    Case("show_figure", {"figure": Lazy(_figure)}, {"figure": OBJECT, "description": optional_text()}),
    Case("draw_loss_curve", {"ax": Lazy(_axes), "losses": [1.0, 0.5]},
         {"ax": OBJECT, "losses": [None, "abc", [], [[1.0, 2.0]], ["a"], {"a": 1}], "label": optional_text(),
          "color": optional_text(), "log_scale": flag()}),
    Case("mark_divergence", {"ax": Lazy(_axes), "message": "diverged at step 3"},
         {"ax": OBJECT, "message": [3, ["a"], object()]}),
    Case("format_number", {"value": 1.5, "digits": 4}, {"digits": whole(0, 16)}),
    Case("nice_step", {"span": 3.0, "pieces": 4},
         {"span": positive(), "pieces": whole(1, 1000),
          "mantissas": [None, "abc", (), (2.0, 5.0), (1.0, 5.0, 2.0), (1.0, 10.0), (1.0, "2")]}),
    Case("nice_limits", {"low": 1.0, "high": 2.0},
         {"low": number(), "high": number(0.5), "log": flag(), "pieces": whole(1, 100)}),
    Case("nice_limits", {"low": 1.0, "high": 2.0, "log": True},  # decades=None is allowed: a step from pieces
         {"low": [0.0, -1.0], "decades": [value for value in whole(1, 10) if value is not None]}, label="log"),
    Case("Table", {"rows": [[1, 2.0]], "columns": ["a", "b"]},
         {"rows": [None, "abc", 3, [[1]], [[1, 2, 3]]], "columns": [None, 3, [], "ab"], "digits": whole(0, 16),
          "title": optional_text()}),
    Case("evaluate", {"expression": sympy.Symbol("w") * 2, "values": {sympy.Symbol("w"): 3}},
         {"expression": [None, object(), "w", sympy.I * sympy.Symbol("w")], "values": ["abc", 3, [1], {}]}),
    Case("check_agreement", {"name": "dL/dw", "symbolic": 2.0, "numeric": 2.0},
         {"name": text(), "numeric": array(), "symbolic": array(), "tolerance": non_negative(),
          "values": ["abc", 3], "labels": [None, "ab", ("a",), (1, 2)]}),
    Case("Agreement", {"name": "dL/dw", "symbolic": 2.0, "numeric": 2.0, "tolerance": 1e-12},
         {"name": text(), "numeric": array(), "symbolic": array(), "tolerance": non_negative(),
          "labels": [None, "ab", ("a",), (1, 2)]}),
    Case("simplified_residual", {"derived": sympy.Symbol("w") * 2, "expected": 2 * sympy.Symbol("w")},
         {"derived": [None, "((", object()], "expected": [None, "((", object()], "simplify": [None, "abc", 3]}),
    Case("Derivation", {"title": "t"},
         {"title": text(), "checks": ["abc", 3, [1, 2], {1: 0}], "equations": [None, "abc", 3, [("a", "b")]]}),
    Case("Equations", {"equations": [("loss", "L", sympy.Symbol("w") ** 2)]},
         {"equations": [None, "abc", 3, [("a", "b")], [(1, "L", sympy.Symbol("w"))], [("a", "L", object())]]}),
    Case("Exercise", {"prompt": "dL/dw?", "expected": -4.0, "hint": "Use (ŷ − y)·x."},
         {"prompt": text(), "expected": array([[1.0], [1.0, 2.0]]), "hint": text(""), "tolerance": non_negative(),
          "explanation": text()}),
    Case("Feedback", {"correct": True, "message": "That matches."},
         {"correct": flag(), "message": text()}),
    Case("numerical_gradient", {"function": lambda p: float(np.sum(p**2)), "point": [1.0, 2.0]},
         {"function": [None, "abc", 3, lambda p: "abc", lambda p: NAN, lambda p: [1.0, 2.0]],
          "point": array(), "step": positive()}),
    Case("SliderPanel", {"sliders": SLIDERS, "figure": Lazy(_figure), "update": lambda a: None, "description": "d"},
         {"sliders": [None, "abc", {}, {"a": 3}, [1]], "figure": OBJECT, "update": [None, "abc", 3],
          "description": text(""), "grid": ["abc", {"b": [1.0]}, {"a": 3}], "debounce_seconds": non_negative(11.0),
          "readout": ["abc", 3], "ignores": ["abc", 3, {"b": {1.0: ["a"]}}, {"a": {1.0: ["zzz"]}}, {"a": "x"}]}),
    Case("panel_factory", {"name": "new-panel-name"}, {"name": [None, "", 3, "linear-one-sample-learning-rate"]}),
    Case("RunCache", {"size": 4}, {"size": whole(1, 10_000)}),
    # linear.py
    Case("linear_predict", {"w": 1.0, "b": 0.0, "x": 2.0},
         {"w": array([[[1.0]]]), "b": number(), "x": array([[1.0, 2.0]], [[[1.0]]])}),
    Case("linear_loss", {"prediction": 3.0, "y": 4.0},
         {"prediction": array([1.0, 2.0]), "y": array(), "convention": choice()}),
    Case("linear_gradients", {"w": 1.0, "b": 0.0, "x": 2.0, "y": 4.0},
         {"w": array([[[1.0]]]), "b": number(), "x": array([1.0, 2.0, 3.0]), "y": array([[4.0]]),
          "convention": choice()}),
    Case("linear_gradients", {"w": [0.0, 0.0], "b": 0.0, "x": [[0.1, 0.8], [0.5, 0.3]], "y": [0.8, 0.5]},
         {"w": array([0.0, 0.0, 0.0]), "x": array([[0.1, 0.8]], [0.1, 0.8], [[0.1], [0.5]]), "y": array([0.8])},
         label="two samples"),
    Case("linear_step", {"w": 1.0, "b": 0.0, "x": 2.0, "y": 4.0, "lr": 0.1},
         {"w": array(), "b": number(), "x": array(), "y": array(), "lr": positive(), "convention": choice()}),
    Case("replay_linear", {"w": 1.0, "b": 0.0, "x": 2.0, "y": 4.0, "lr": 0.1, "steps": 3},
         {"w": array(), "b": number(), "x": array(), "y": array(), "lr": positive(), "steps": whole(1, 100_000),
          "convention": choice(), "divergence_loss": positive()}),
    Case("replay_linear", {"w": 1.0, "b": 0.0, "x": 2.0, "y": 4.0, "lr": 0.1, "steps": None, "epochs": 2},
         {"epochs": whole(1, 100_000)}, label="epochs"),
    Case("linear_error_factor", {"x": 2.0, "lr": 0.1},
         {"x": array([[1.0]]), "lr": positive(), "convention": choice()}),
    Case("linear_learning_rate_regime", {"x": 2.0, "lr": 0.1},
         {"x": array([[1.0]]), "lr": positive(), "convention": choice(), "tolerance": non_negative()}),
    Case("linear_epoch_error_map", {"x": [[0.1, 0.8], [0.5, 0.3]], "lr": 0.1},
         {"x": array([[[1.0]]]), "lr": positive(), "convention": choice()}),
    Case("linear_epoch_contraction", {"x": [[0.1, 0.8], [0.5, 0.3]], "lr": 0.1},
         {"x": array([[[1.0]]]), "lr": positive(), "convention": choice()}),
    Case("linear_critical_learning_rate", {"x": 2.0},
         {"x": array([[[1.0]]], [2.0, 2.0]), "convention": choice(), "lr_max": positive(1e-3)}),
    Case("linear_learning_rate_verdict", {"x": 2.0, "lr": 0.1},
         {"x": array([[[1.0]]]), "lr": positive(), "convention": choice(), "slow_epochs": whole(1)}),
    Case("linear_epochs_to_shrink", {"rho": 0.5}, {"rho": non_negative(), "factor": number(1.0, 0.5)}),
    # losses.py
    *[Case(name, {"z": LOGITS3}, {"z": array([[[1.0]]] if name == "softmax_jacobian" else [[]]),
                                  **({} if name == "softmax_jacobian" else {"axis": whole(-1, 0)})})
      for name in ("softmax", "softmax_naive", "log_softmax", "softmax_jacobian")],
    Case("one_hot", {"labels": [0, 2], "n_classes": 3},
         {"labels": [None, "abc", [], [0.5], [-1], [3], [NAN], [True], {"a": 1}, object(), 1 + 2j],
          "n_classes": whole(1)}),
    *[Case(name, {"probabilities": PROBS3, "labels": 0},
           {"probabilities": array([0.5, 0.6, 0.1], [1.5, -0.5, 0.0], [[[0.7, 0.2, 0.1]]]), "labels": CLASS_LABELS,
            "reduction": choice()})
      for name in ("cross_entropy", "cross_entropy_gradient")],
    *[Case(name, {"logits": LOGITS3, "labels": 0},
           {"logits": array([[[2.0, 1.0, 0.1]]]), "labels": CLASS_LABELS, "reduction": choice()})
      for name in ("cross_entropy_from_logits", "cross_entropy_from_logits_gradient")],
    Case("sigmoid", {"z": [0.0, 1.0]}, {"z": array()}),
    *[Case(name, {"probabilities": [0.9, 0.2], "targets": [1.0, 0.0]},
           {"probabilities": array([1.5, 0.2], [-0.1, 0.2], [0.9]), "targets": array([2.0, 0.0], [1.0]),
            "reduction": choice()})
      for name in ("binary_cross_entropy", "binary_cross_entropy_gradient")],
    *[Case(name, {"logits": [2.0, -1.0], "targets": [1.0, 0.0]},
           {"logits": array([2.0]), "targets": array([2.0, 0.0], [-1.0, 0.0], [1.0]), "reduction": choice()})
      for name in ("binary_cross_entropy_from_logits", "binary_cross_entropy_from_logits_gradient")],
    *[Case(name, {"predictions": [2.5, 5.0], "targets": [3.0, 5.0]},
           {"predictions": array([2.5]), "targets": array([3.0, 5.0, 1.0]), "reduction": choice()})
      for name in ("mae", "mae_gradient", "mse", "mse_gradient")],
    Case("best_constant_predictions", {"data": [1.0, 2.0, 9.0]}, {"data": array([[1.0, 2.0]])}),
    Case("information_content", {"p": 0.5}, {"p": array([1.5], [-0.1]), "base": positive(1.0)}),
    Case("entropy", {"p": [0.5, 0.5]}, {"p": array([0.5, 0.6], [1.5, -0.5]), "base": positive(1.0)}),
    Case("kl_divergence", {"p": [0.5, 0.5], "q": [0.9, 0.1]},
         {"p": array([0.5, 0.6], [0.2, 0.3, 0.5]), "q": array([0.5, 0.6], [0.2, 0.3, 0.5]), "base": positive(1.0)}),
    # optimizers.py
    Case("sgd_step", {"theta": [1.0], "grad": [0.5], "lr": 0.1},
         {"theta": array(), "grad": array([0.5, 0.5]), "lr": positive()}),
    *[Case(name, {"theta": [1.0], "grad": [0.5], "velocity": [0.0], "lr": 0.1},
           {"theta": array(), "grad": array([0.5, 0.5]), "velocity": array([0.0, 0.0]), "lr": positive(),
            "momentum": decay()})
      for name in ("momentum_step", "momentum_step_book_form")],
    Case("adagrad_step", {"theta": [1.0], "grad": [0.5], "sum_of_squares": [0.0], "lr": 0.1},
         {"theta": array(), "grad": array([0.5, 0.5]), "sum_of_squares": array([0.0, 0.0], [-5.0]),
          "lr": positive(), "eps": positive()}),
    Case("rmsprop_step", {"theta": [1.0], "grad": [0.5], "v": [0.0], "lr": 0.1},
         {"theta": array(), "grad": array([0.5, 0.5]), "v": array([0.0, 0.0], [-5.0]), "lr": positive(),
          "beta2": decay(), "eps": positive()}),
    Case("adam_step", {"theta": [1.0], "grad": [0.5], "m": [0.0], "v": [0.0], "t": 1},
         {"theta": array(), "grad": array([0.5, 0.5]), "m": array([0.0, 0.0]), "v": array([0.0, 0.0], [-1.0]),
          "t": whole(1), "lr": positive(), "beta1": decay(), "beta2": decay(), "eps": positive()}),
    Case("Optimizer", {"name": "adam", "lr": 0.1},
         {"name": choice("adamw"), "lr": positive(), "momentum": or_none(decay()), "beta1": or_none(decay()),
          "beta2": or_none(decay()), "eps": or_none(positive())},
         match={"name": "optimizer"}),  # Optimizer("adamw") reads "optimizer must be one of ...": clearer than "name"
    Case("exponential_moving_average", {"x": [1.0, 2.0, 3.0], "beta": 0.9},
         {"x": array([[1.0, 2.0]]), "beta": decay(), "convention": choice(), "bias_corrected": flag()}),
    Case("bias_correction_factor", {"beta": 0.9, "t": 1},
         {"beta": decay(), "t": [0, -1, 1.5, NAN, None, "abc", True, [0, 1], [], [1.5], [[0]]]}),
    Case("bias_correction_wear_off", {"beta": 0.9}, {"beta": decay(), "tolerance": positive()}),
    Case("adam_ratio_bound", {"beta1": 0.9, "beta2": 0.999}, {"beta1": decay(), "beta2": decay()}),
    # network.py
    Case("two_layer_params", dict(TWO_LAYER), TWO_LAYER_ARRAYS),
    Case("forward_two_layer", {"x": [1.0, 2.0], **TWO_LAYER, "y": [1.0, 0.0]},
         {"x": array([1.0], [[1.0, 2.0]]), **TWO_LAYER_ARRAYS, "y": ONE_HOT}),
    Case("backward_two_layer", {"x": [1.0, 2.0], "y": [1.0, 0.0], "forward": Lazy(_forward), "W2": TWO_LAYER["W2"]},
         {"x": array([[1.0, 2.0]]), "y": [None, *ONE_HOT], "forward": [None, "abc", {}, {"y_hat": [0.5, 0.5]}],
          "W2": array([[0.5, 0.6]], [0.5, 0.6])}),
    Case("two_layer_loss", {"params": dict(TWO_LAYER)},
         {"params": mapping({}, {"W1": TWO_LAYER["W1"]}, {**TWO_LAYER, "W1": "abc"}), "x": array([1.0]),
          "y": ONE_HOT}),
    Case("replay_two_layer", {"steps": 1},
         {"x": optional_array([1.0]), **TWO_LAYER_ARRAYS, "y": ONE_HOT, "optimizer": choice(), "lr": positive(),
          "momentum": or_none(decay()), "beta1": or_none(decay()), "beta2": or_none(decay()), "eps": or_none(positive()),
          "steps": whole(1, 100_000),
          "trainable": [None, "W3", [], ["W1", "W3"], 3]}),
    # landscapes.py
    Case("QuadraticBowl", {"a": 0.05, "b": 1.0}, {"a": positive(), "b": positive()}),
    Case("landscape_optimizer", {"name": "sgd"}, {"name": choice()}, match={"name": "optimizer"}),
    Case("run_landscape_trajectory", {"optimizer": ADAM, "steps": 3},
         {"optimizer": OBJECT, "landscape": OBJECT, "start": array([1.0], [[1.0, 2.0]]), "steps": whole(1, 100_000)}),
    Case("landscape_steps_to_tolerance", {"trajectory": TRAJECTORY},
         {"trajectory": mapping({}, {"points": "abc"}, {"points": [1.0, 2.0]}), "tolerance": positive(),
          "landscape": OBJECT}),
    Case("source_form_trajectory", {"name": "momentum", "lr": 0.1, "steps": 3},
         {"name": choice("adam"), "lr": positive([0.1, 0.1], [0.1, -0.1, 0.1], [0.1, NAN, 0.1]),
          "steps": whole(1, 100_000), "momentum": decay(), "eps": positive(), "landscape": OBJECT,
          "start": array([1.0])}),
    Case("effective_learning_rates", {"optimizer": ADAM, "gradients": [1.0, 1.0]},
         {"optimizer": OBJECT, "gradients": array([[1.0, 1.0]])}),
    Case("describe_optimizer", {"optimizer": ADAM}, {"optimizer": OBJECT}),
    Case("landscape_steps_table", {"settings": {"sgd": {"lr": 0.95}}, "steps": 40},
         {"settings": mapping({}, {"adamw": {}}, {"sgd": "abc"})[1:], "tolerance": positive(),
          "steps": whole(1, 100_000), "landscape": OBJECT, "start": array([1.0])}),
    Case("landscape_comparison", {"settings": {"sgd": {"lr": 0.95}}, "steps": 40},
         {"settings": mapping({}, {"adamw": {}}, {"sgd": "abc"})[1:], "tolerance": positive(),
          "steps": whole(1, 100_000), "landscape": OBJECT, "start": array([1.0])}),
    Case("momentum_steps_map", {"lrs": [0.5, 1.0], "momenta": [0.0, 0.5], "steps": 20},
         {"lrs": array([[0.5]], [0.0], [-1.0]), "momenta": array([[0.5]], [1.0], [-0.1]), "tolerance": positive(),
          "steps": whole(1, 100_000), "landscape": OBJECT, "start": array([1.0])}),
    Case("plot_momentum_tuning", {"settings": {"book": (0.1, 0.9)}, "rates": {"SGD": 0.9}, "steps": 20},
         {"settings": mapping({}, {"a": (0.1, 0.9), "b": (0.1, 0.9), "c": (0.1, 0.9), "d": (0.1, 0.9), "e": (0.1, 0.9)}),
          "rates": mapping({"SGD": 1.5}, {"SGD": 0.0}), "tolerance": positive(), "steps": whole(10, 2000)}),
    # batching.py
    Case("make_regression_data", {"n_samples": 5, "n_features": 2},
         {"n_samples": whole(1), "n_features": whole(1), "true_w": optional_array([1.0, 2.0, 3.0]), "true_b": number(),
          "noise": non_negative(), "seed": whole(0)}),
    Case("check_batch_size", {"batch_size": 2, "n_samples": 5},
         {"batch_size": whole(1, 5), "n_samples": whole(1, None, 1)}),
    Case("steps_per_epoch", {"n_samples": 100, "batch_size": 30},
         {"n_samples": whole(1, None, 20), "batch_size": whole(1, 100)}),
    Case("count_steps", {"n_samples": 100, "batch_size": 30, "epochs": 50},
         {"n_samples": whole(1, None, 20), "batch_size": whole(1, 100), "epochs": whole(1)}),
    Case("regression_mse", {"w": [1.0, 2.0], "b": 0.5, "X": X6, "y": Y6},
         {"w": array([1.0]), "b": number(), "X": array([[1.0, 2.0]], [1.0, 2.0]), "y": array([1.0, 2.0])}),
    Case("least_squares_fit", {"X": X6, "y": Y6}, {"X": array([[1.0, 2.0]], [1.0, 2.0]), "y": array([1.0, 2.0])}),
    Case("run_minibatch_descent", {"X": X6, "y": Y6, "batch_size": 2, "lr": 0.05, "epochs": 2},
         {"X": array([[1.0, 2.0]], [1.0, 2.0]), "y": array([1.0, 2.0]), "batch_size": whole(1, 6), "lr": positive(),
          "epochs": whole(1, 100_000), "seed": whole(0), "shuffle": flag(), "w0": optional_array([1.0]),
          "b0": number()}),
    Case("minibatch_gradient_noise", {"X": X6, "y": Y6, "w": [0.0, 0.0], "b": 0.0, "batch_size": 2},
         {"X": array([[1.0, 2.0]]), "y": array([1.0, 2.0]), "w": array([1.0]), "b": number(),
          "batch_size": whole(1, 6)}),
    Case("sampled_gradient_noise", {"X": X6, "y": Y6, "w": [0.0, 0.0], "b": 0.0, "batch_size": 2, "draws": 5},
         {"X": array([[1.0, 2.0]]), "y": array([1.0, 2.0]), "w": array([1.0]), "b": number(),
          "batch_size": whole(1, 6), "draws": whole(1), "seed": whole(0)}),
    # initialization.py
    Case("check_fans", {"fan_in": 2, "fan_out": 3}, {"fan_in": whole(1), "fan_out": whole(1)}),
    Case("initializer_bound", {"scheme": "he_uniform", "fan_in": 2, "fan_out": 3},
         {"scheme": choice("normal"), "fan_in": whole(1), "fan_out": whole(1), "mode": choice()}),
    Case("initializer_range", {"scheme": "uniform", "fan_in": 2, "fan_out": 3},
         {"scheme": choice(), "fan_in": whole(1), "fan_out": whole(1), "mode": choice(), "low": number(1.0, 2.0),
          "high": number(0.0, -1.0), "value": number()}),
    Case("initializer_std", {"scheme": "uniform", "fan_in": 2, "fan_out": 3},
         {"scheme": choice(), "fan_in": whole(1), "fan_out": whole(1), "mode": choice(), "low": number(1.0, 2.0),
          "high": number(0.0, -1.0), "std": positive()}),
    Case("initialize_weights", {"scheme": "normal", "fan_in": 2, "fan_out": 3},
         {"scheme": choice(), "fan_in": whole(1), "fan_out": whole(1), "seed": whole(0), "mode": choice(),
          "value": number(), "low": number(), "high": number(), "mean": number(), "std": positive()}),
    Case("initialize_weights", {"scheme": "uniform", "fan_in": 2, "fan_out": 3},
         {"low": [1.0, 2.0], "high": [0.0, -1.0]}, label="uniform"),
    Case("activation_statistics", {"scheme": "he_normal", "activation": "relu", "depth": 2, "width": 4, "n_samples": 5},
         {"scheme": choice(), "activation": choice(), "depth": whole(1, 1000), "width": whole(1, 10_000),
          "n_samples": whole(2, 10**6), "seed": whole(0), "std": positive(), "gradients": flag()}),
    Case("init_experiment_layer_stds", {"activation": "tanh", "depth": 2, "width": 4, "n_samples": 5},
         {"activation": choice(), "depth": whole(1, 1000), "width": whole(1, 10_000), "seed": whole(0),
          "n_samples": whole(2, 10**6), "quantity": choice()}),
    Case("hidden_unit_spread", {"params": dict(TWO_LAYER)},
         {"params": mapping({}, {"W1": TWO_LAYER["W1"]}, {**TWO_LAYER, "W1": "abc"}, {**TWO_LAYER, "b1": [NAN, 0.0]},
                            {**TWO_LAYER, "W2": [[0.5], [0.7]]})}),
    Case("replay_with_initialization", {"scheme": "xavier_normal", "steps": 2},
         {"scheme": choice(), "hidden": whole(1, 10_000), "x": array([[1.0, 2.0]]),
          "y": array([0.5, 0.5], [2.0, -1.0], [[1.0, 0.0]]),
          "seed": whole(0), "value": number(), "bias_value": number(), "steps": whole(1), "optimizer": choice(),
          "lr": positive()}),
    # derivations
    Case("derive_linear_gradients", {"n_features": 1},
         {"n_features": whole(1, 10), "convention": choice()}),
    Case("derive_linear_error_factor", {}, {"convention": choice()}),
    Case("derive_linear_epoch_map", {}, {"convention": choice()}),
    Case("exact_moving_average", {"x": [1.0, 2.0], "beta_value": 0.9},
         {"x": array([[1.0, 2.0]]), "beta_value": decay(), "convention": choice()}),
    Case("derive_ema_bias", {"check_steps": 2}, {"check_steps": whole(1, 20)}),
    Case("derive_momentum_forms_equivalence", {"steps": 1}, {"steps": whole(1, 8)}),
    Case("derive_equal_rows_block_backprop", {"classes": 2, "hidden": 1},
         {"classes": whole(2, 4), "hidden": whole(1, 4)}),
    Case("derive_adam_step_that_equalizes_rows", {},
         {"W2": array([[0.5, 0.6]], [[[0.5]]]),
          "gradient_signs": array([[0.5, -1.0], [1.0, 1.0]], [[2.0, -1.0], [1.0, 1.0]], [[-1.0, -1.0]])}),
    *[Case(name, {}, {"n": whole(2, 12)}) for name in ("softmax_symbols", "derive_softmax_jacobian",
                                                       "derive_softmax_cross_entropy_gradient",
                                                       "derive_softmax_shift_invariance", "derive_entropy_identity",
                                                       "derive_log_softmax")],
    Case("derive_regression_loss_gradients", {}, {"size": whole(1, 12)}),
    Case("derive_batching_noise_factor", {}, {"n": whole(2, 6)}),
    Case("derive_batching_sample_gradient", {}, {"n_features": whole(1, 6)}),
    Case("derive_linear_layer_variance", {}, {"n": whole(1, 6)}),
    Case("derive_hidden_unit_symmetry", {}, {"hidden": whole(2, 3), "inputs": whole(1, 3)}),
    # panels: figures, tables, slider panels (bad values are refused before anything is drawn)
    Case("ema_bias_panel", {}, {"steps": whole(2, 1000), "seed": whole(0)}),
    Case("plot_bias_correction_factors", {"steps": 10},
         {"beta1": decay(), "beta2": decay(), "steps": whole(2, 100_000)}),
    Case("optimizer_trace_table", {"optimizer": ADAM, "gradients": [1.0, -1.0]},
         {"optimizer": OBJECT, "gradients": array([[1.0]]), "theta0": number(), "digits": whole(0, 16)}),
    Case("momentum_forms_table", {"gradients": [1.0, -1.0]},
         {"gradients": array([[1.0]]), "lr": positive(), "momentum": decay(), "digits": whole(0, 16)}),
    Case("adam_step_table", {"step": Lazy(lambda: ADAM_RUN()[0])},
         {"step": STEP_LIKE + [Lazy(lambda: SGD_RUN()[0])], "parameters": ["W[1]_11", [], ["W[3]_11"], [None], 3],
          "digits": whole(0, 16)}),
    Case("plot_loss_against_learning_rate", {"grid": [0.1, 1.0], "losses": {"SGD": [0.5, 0.1]}, "step": 10},
         {"grid": array([0.1]) + [[0.0, 1.0], [-1.0, 1.0]], "losses": mapping({}, {"SGD": [0.5]}, {"SGD": [-1.0, 0.1]},
                                                                                {str(i): [0.5, 0.1] for i in range(5)}),
          "step": whole(1), "marked": [v for v in positive() if v is not None]}),
    Case("update_comparison_table", {"runs": Lazy(lambda: {"SGD": SGD_RUN(), "Adam": ADAM_RUN()})},
         {"runs": mapping({}, {"SGD": "abc"}, {"SGD": [1, 2]}), "steps": [None, "abc", [], [0], [3], [1.5]],
          "digits": whole(0, 16)}),
    Case("plot_adam_vs_sgd", {"runs": Lazy(lambda: {"SGD": SGD_RUN()})},
         {"runs": mapping({}, {"SGD": "abc"}, {str(i): [] for i in range(5)}), "title": optional_text()}),
    Case("AdamPanelFigure", {"max_steps": 5}, {"max_steps": whole(1, 2000)}),
    Case("adam_panel", {"steps": 5, "max_steps": 5},
         {"optimizer": choice("adagrad"), "lr": positive(2.0), "steps": whole(1, 5), "parameter": choice("W3[1,1]"),
          "max_steps": whole(1, 2000),
          "start": or_none(mapping({"W3": [1.0]}, {"W1": "abc"}, {"W1": [[1e7, 0], [0, 0]]}, {"W1": [1.0, 2.0]}))}),
    Case("batching_label", {"batch_size": 2, "n_samples": 5},
         {"batch_size": whole(1, 5), "n_samples": whole(1, None, 1)}),
    Case("plot_batching_losses", {"runs": Lazy(lambda: [BATCH_RUN()]), "X": X6, "y": Y6},
         {"runs": [None, "abc", [], [{}], ["abc"], [1] * 9], "X": array([[1.0, 2.0]]), "y": array([1.0])}),
    Case("plot_batching_noise", {"X": X6, "y": Y6, "w": [0.0, 0.0], "b": 0.0, "batch_sizes": (1, 2), "draws": 3},
         {"X": array([[1.0, 2.0]]), "y": array([1.0]), "w": array([1.0]), "b": number(),
          "batch_sizes": [None, "abc", [], [0], [1.5], [7]], "draws": whole(1)}),
    Case("batching_panel", {"epochs": 2}, {"epochs": whole(1, 500), "seed": whole(0)}),
    Case("plot_initialization_layer_stds", {"depth": 2, "width": 4},
         {"quantity": choice(), "depth": whole(1, 1000), "width": whole(1, 10_000), "seed": whole(0)}),
    Case("plot_initialization_symmetry", {"runs": Lazy(lambda: {"start": SGD_RUN()})},
         {"runs": mapping({}, {"a": "abc"}, {str(i): SGD_RUN for i in range(4)})}),
    Case("initialization_activation_panel", {}, {"seed": whole(0)}),
    Case("plot_landscape_contours", {"ax": Lazy(_axes)}, {"ax": OBJECT, "landscape": OBJECT, "levels": whole(2, 100)}),
    Case("plot_landscape_trajectories", {"trajectories": Lazy(lambda: {"sgd": TRAJECTORY()})},
         {"trajectories": mapping({}, {"adamw": {}}, {"sgd": "abc"}), "landscape": OBJECT}),
    Case("plot_landscape_gradient_field", {"sgd_steps": 2},
         {"landscape": OBJECT, "sgd_steps": whole(1, 1000), "lr": positive()}),
    Case("plot_effective_learning_rates", {"steps": 10, "switch_step": 5},
         {"lr": positive(), "beta2": decay(), "steps": whole(2, 100_000), "switch_step": whole(1, 9)}),
    Case("landscape_optimizer_panel", {}, {"optimizer": choice(), "tolerance": positive()}),
    Case("plot_linear_loss_surface", {"steps": 2},
         {"w": number(), "b": number(), "x": number(), "y": number(), "lr": positive(), "steps": whole(1, 1000),
          "convention": choice()}),
    Case("plot_linear_loss_curves", {"runs": Lazy(lambda: {"η = 0.1": LINEAR_RUN()})},
         {"runs": mapping({}, {"a": "abc"}), "per": choice(), "title": text()}),
    Case("linear_one_sample_lr_panel", {"steps": 2},
         {"w": number(), "b": number(), "x": number(), "y": number(), "lr": number(0.001, 1.0),
          "steps": whole(1, 60), "convention": choice()}),
    Case("linear_two_sample_lr_panel", {"epochs": 2},
         {"x": optional_array([1.0, 2.0]), "y": optional_array([1.0, 2.0, 3.0]), "w": optional_array([1.0]),
          "b": number(), "lr": number(0.001, 2.0), "epochs": whole(1, 100), "convention": choice()}),
    Case("plot_regression_loss_penalties", {}, {"max_error": positive(101.0)}),
    Case("mae_mse_outlier_panel", {}, {"data": array([1.0], [[1.0, 2.0]], [1.0, 200.0], [-1.0, 2.0])}),
    Case("plot_softmax_gradient_signs", {}, {"logits": array([1.0], [[1.0, 2.0]]), "label": whole(0, 2)}),
    Case("softmax_temperature_panel", {}, {"logits": array([1.0], [[1.0, 2.0]]), "label": whole(0, 2)}),
    Case("two_layer_history", {"steps": 2},
         {"lr": positive(), "steps": whole(1, 200), "variant": choice(), "optimizer": choice()}),
    Case("plot_two_layer_training", {"steps": 2}, {"steps": whole(1, 200), "lr": positive()}),
    Case("plot_two_layer_layer_comparison", {"learning_rates": (0.1,)},
         {"learning_rates": [None, "abc", 0.1, [], [0.1] * 5, [0.0], [NAN], ["abc"]]}),
    Case("two_layer_update_bounds", {"run": SGD_RUN}, {"run": OBJECT + [ADAM_RUN], "x": array([1.0, 2.0, 3.0])}),
    Case("two_layer_learning_rate_panel", {"steps": 2}, {"lr": number(0.001, 101.0), "steps": whole(1, 50)}),
    # graph.py and panels/graph.py: the computational graph and its step slider
    Case("format_graph_value", {"value": [0.5, 1.1]}, {"value": array([[[1.0]]]), "digits": whole(1, 10)}),
    Case("linear_graph", {}, {"w": number(1e200), "b": number(), "x": number(1e200), "y": number()}),
    Case("two_layer_graph", {},
         {"params": ["abc", 3, [1.0, 2.0], {"W3": [1.0]}, {**TWO_LAYER, "W1": "abc"}, {"W2": [[0.0, 0.0], [1e308, 0.0]]}],
          "x": optional_array([1.0], [[1.0, 2.0]]), "y": ONE_HOT}),
    Case("plot_computational_graph", {"graph": cached(lambda: helpers.linear_graph())},
         {"graph": OBJECT, "step": whole(0, 10)}),
    Case("linear_graph_panel", {}, {"w": number(), "b": number(), "x": number(), "y": number(), "step": whole(0, 10)}),
    Case("two_layer_graph_panel", {}, {"x": optional_array([1.0]), "y": ONE_HOT, **TWO_LAYER_ARRAYS,
                                       "step": whole(0, 18)}),
    # mlp.py (chapter 11): the network, the training advice, the saddle
    Case("make_two_moons", {"n_train": 6, "n_test": 4},
         {"n_train": whole(2, 100_000), "n_test": whole(2, 100_000), "noise": number(-1.0, 11.0), "seed": whole(0)}),
    Case("mlp_init", {"layer_sizes": (2, 3, 2)}, {"layer_sizes": MLP_SIZES, "activation": choice(), "seed": whole(0)}),
    Case("mlp_forward", {"params": MLP_PARAMS, "X": [[1.0, 2.0]]},
         {"params": MLP_BAD_PARAMS, "X": array([1.0, 2.0], [[1.0, 2.0, 3.0]]), "activation": choice()}),
    Case("mlp_gradients", {"params": MLP_PARAMS, "X": [[1.0, 2.0]], "y": [1]},
         {"params": MLP_BAD_PARAMS, "X": array([1.0, 2.0], [[1.0, 2.0, 3.0]]), "y": MLP_LABELS, "activation": choice()}),
    Case("mlp_evaluate", {"params": MLP_PARAMS, "X": [[1.0, 2.0]], "y": [1]},
         {"params": MLP_BAD_PARAMS, "X": array([1.0, 2.0], [[1.0, 2.0, 3.0]]), "y": MLP_LABELS, "activation": choice()}),
    Case("learning_rate_schedule", {"schedule": "warmup_cosine", "lr": 0.1, "total_steps": 12},
         {"schedule": choice(), "lr": positive(), "total_steps": whole(1, 10**7), "warmup_steps": or_none(whole(1, 11))}),
    Case("clip_gradient_norm", {"grads": [([[3.0, 4.0]], [0.0])], "max_norm": 1.0},
         {"grads": [None, "abc", [], [(1.0,)], [([NAN], [0.0])], [("abc", [0.0])], [([[1.0]], None)]],
          "max_norm": positive()}),
    Case("train_mlp", {"data": MOONS, "optimizer": helpers.Optimizer("sgd", 0.1), "layer_sizes": (2, 3, 2), "epochs": 1,
                       "batch_size": 3},
         {"data": [None, "abc", {}, Lazy(lambda: {**MOONS(), "X_train": "abc"}), Lazy(lambda: {**MOONS(), "y_test": [0.5] * 4})],
          "optimizer": OBJECT, "layer_sizes": MLP_SIZES + [(3, 4, 2)], "activation": choice(), "schedule": choice(),
          "epochs": whole(1, 1000), "batch_size": whole(1, 6), "clip_norm": or_none(positive()),
          "weight_decay": non_negative(), "seed": whole(0), "keep_params": flag()}),
    Case("saddle_value", {"x": 1.0, "y": 0.5}, {"x": array([1.0, 2.0]), "y": array([1.0, 2.0])}),
    Case("saddle_gradient", {"point": [1.0, 0.5]}, {"point": array([1.0], [[1.0, 2.0]])}),
    Case("saddle_descent", {"optimizer": helpers.Optimizer("sgd", 0.1), "steps": 3},
         {"optimizer": OBJECT, "start": array([1.0], [1.0, 2.0, 3.0]), "steps": whole(1, 100_000)}),
    Case("plot_mlp_data", {"data": MOONS}, {"data": [None, "abc", {}]}),
    Case("plot_mlp_history", {"runs": Lazy(lambda: {"a": MLP_RUN()}), "title": "t"},
         {"runs": MLP_BAD_RUNS, "title": text(), "mark_lowest_test_loss": flag()}),
    Case("plot_mlp_schedules", {"runs": Lazy(lambda: {"a": MLP_RUN()}), "title": "t"},
         {"runs": MLP_BAD_RUNS, "title": text()}),
    Case("plot_mlp_batch_sizes", {"runs": Lazy(lambda: {"a": MLP_RUN()}), "title": "t"},
         {"runs": MLP_BAD_RUNS, "title": text()}),
    Case("plot_mlp_clipping", {"runs": Lazy(lambda: {"a": MLP_RUN()}), "clip_norm": 1.0, "title": "t"},
         {"runs": MLP_BAD_RUNS, "clip_norm": positive(), "title": text()}),
    Case("plot_mlp_decision_boundaries", {"runs": Lazy(lambda: {"a": MLP_RUN()}), "data": MOONS, "epochs": [0, 1],
                                          "title": "t"},
         {"runs": mapping({}, {"a": "abc"}, Lazy(lambda: {str(i): MLP_RUN() for i in range(4)})),
          "data": [None, "abc", {}], "epochs": [None, "abc", [], [-1], [2], [1.5], [0] * 7], "title": text()}),
    Case("plot_saddle_runs", {"runs": Lazy(lambda: {"a": helpers.saddle_descent(helpers.Optimizer("sgd", 0.1), steps=3)}),
                              "title": "t"},
         {"runs": mapping({}, {"a": "abc"}, {str(i): {"points": [], "values": []} for i in range(5)}), "title": text()}),
    Case("mlp_training_panel", {"epochs": 2}, {"epochs": whole(1, 100), "seed": whole(0)}),
]

# Public callables with nothing a caller could get wrong, or that only hold results a helper made.
NOTHING_TO_CHECK = {
    "LinearReplay": "the record replay_linear returns",
    "TwoLayerRun": "the record replay_two_layer returns",
    "OptimizerRule": "the definition of one optimizer, made only in helpers.optimizers.OPTIMIZERS",
    "ComputationalGraph": "the record linear_graph and two_layer_graph return",
    "GraphNode": "a node of a ComputationalGraph (a record)",
    "GraphStep": "a step of a ComputationalGraph's walk (a record)",
}
# Parameters that take anything, or that only the course's own code sets.
ANY_VALUE = {
    ("format_number", "value"): "anything prints: numbers rounded, other things as str()",
    ("Optimizer", "_resolved"): "a private field the dataclass fills in itself",
    **{(check, setting): "a setting of the check, written by the helper's author, not a student's input"
       for check, settings in {"check_number": ("name", "low", "high", "low_open", "high_open"),
                               "check_positive": ("name",), "check_decay_rate": ("name",),
                               "check_integer": ("name", "low", "high"), "check_choice": ("name", "choices"),
                               "as_float_array": ("name", "ndim", "shape", "allow_empty", "finite"),
                               "check_flag": ("name",), "check_text": ("name", "allow_none", "allow_empty")}.items()
       for setting in settings},
}


def _expanded():
    for case in CASES:
        for parameter, values in case.bad.items():
            for index, value in enumerate(values):
                # no memory address in an id: every pytest-xdist worker must collect the same ids
                shown = "lazy" if isinstance(value, Lazy) else re.sub(r" at 0x[0-9a-f]+", "", repr(value))
                label = f"{case.helper}{'[' + case.label + ']' if case.label else ''}-{parameter}-{index}:{shown[:30]}"
                yield pytest.param(case, parameter, value, id=label)


BAD_INPUTS = list(_expanded())


@pytest.mark.parametrize("case, parameter, bad", BAD_INPUTS)
def test_bad_input_raises_a_value_error_that_names_the_parameter(case, parameter, bad):
    name = case.match.get(parameter, parameter)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy warning on the way to the error is a failure too
        with pytest.raises(ValueError, match=rf"(?<![\w]){re.escape(name)}(?![\w])") as raised:
            case.call(**{parameter: bad})
    assert "got" in str(raised.value), f"the message should say what it got: {raised.value}"


@pytest.mark.parametrize("case", CASES, ids=[c.helper + (f"[{c.label}]" if c.label else "") for c in CASES])
def test_the_good_call_of_each_case_works(case):
    """The bad values are bad on their own: the same call with good values raises nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case.call()


def public_callables():
    names = []
    for name in dir(helpers):
        value = getattr(helpers, name)
        if name.startswith("_") or inspect.ismodule(value) or not callable(value):
            continue
        names.append(name)
    return names


def _parameters(name) -> list[str]:
    """The named parameters of a helper (``**kwargs`` are checked where they land, e.g. Optimizer's)."""
    target = getattr(helpers, name)
    target = getattr(target, "__wrapped__", target)
    signature = inspect.signature(target)
    return [p.name for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]


def test_every_public_helper_with_parameters_is_in_the_table():
    covered = {case.helper for case in CASES}
    missing = [name for name in public_callables()
               if name not in covered and name not in NOTHING_TO_CHECK and _parameters(name)]
    assert not missing, f"add these helpers to CASES (or to NOTHING_TO_CHECK with the reason): {missing}"


def test_every_parameter_of_every_helper_in_the_table_gets_bad_values():
    tried = {}
    for case in CASES:
        tried.setdefault(case.helper, set()).update(case.bad)
    unchecked = {name: sorted(p for p in set(_parameters(name)) - names if (name, p) not in ANY_VALUE)
                 for name, names in tried.items()}
    unchecked = {name: params for name, params in unchecked.items() if params}
    assert not unchecked, f"parameters with no bad values in the table: {unchecked}"


def _docstring(name, depth: int = 2) -> str:
    """The helper's docstring, with those of the helpers it points to ("same arguments as :func:`x`")."""
    target = getattr(helpers, name)
    parts = [inspect.getdoc(target) or ""]
    if inspect.isclass(target):
        parts.append(inspect.getdoc(target.__init__) or "")
    if depth:
        for other in re.findall(r":(?:func|class):`~?(?:[\w.]+\.)?(\w+)`", parts[0]):
            if other != name and hasattr(helpers, other):
                parts.append(_docstring(other, depth - 1))
    return "\n".join(parts)


@pytest.mark.parametrize("helper, parameter", sorted({(c.helper, p) for c in CASES for p in c.bad
                                                     if p in _parameters(c.helper)}))
def test_the_docstring_states_each_checked_parameter(helper, parameter):
    assert re.search(rf"(?<![\w]){re.escape(parameter)}(?![\w])", _docstring(helper)), \
        f"{helper}'s docstring should say what {parameter} may be"


def test_every_listed_parameter_has_bad_values_and_is_a_real_parameter():
    for case in CASES:
        target = getattr(helpers, case.helper)
        signature = inspect.signature(getattr(target, "__wrapped__", target))
        takes_any = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
        for parameter, values in case.bad.items():
            assert values, f"{case.helper}: no bad values listed for {parameter}"
            assert parameter in signature.parameters or takes_any, f"{case.helper} has no parameter {parameter}"
