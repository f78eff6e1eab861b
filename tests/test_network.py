"""Chapter 5: the 2-2-2 tanh network of source 001, replayed forward, backward and through updates."""
import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.network import _replay_two_layer_flat, two_layer_update_bounds

from helpers import (OPTIMIZERS, DEFAULT_TWO_LAYER_PARAMS, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, backward_two_layer,
                     audit_two_layer_source, check_agreement, derive_two_layer_error_terms, derive_two_layer_network, forward_two_layer,
                     numerical_gradient, plot_two_layer_layer_comparison, plot_two_layer_training, replay_two_layer,
                     two_layer_history, two_layer_learning_rate_panel, two_layer_loss, TWO_LAYER_VARIANTS)

NAMES = ("W1", "b1", "W2", "b2")


def rounds_to(value, printed, digits):
    """True when ``value`` shows as ``printed`` at ``digits`` decimals (the source's own precision)."""
    return np.all(np.round(np.asarray(value, dtype=float), digits) == np.round(np.asarray(printed, dtype=float), digits))


@pytest.fixture(scope="module")
def run():
    return replay_two_layer(optimizer="sgd", lr=0.1, steps=3)


# -- step 1, the source's numbers at the digits the issue prints --------------------------------

def test_forward_pass_matches_the_source(run):
    s = run[0]
    assert np.array_equal(s["z1"], [0.5, 1.1]) or np.allclose(s["z1"], [0.5, 1.1], atol=1e-15)
    assert rounds_to(s["a1"], [0.4621, 0.8005], 4)
    assert rounds_to(s["z2"], [0.7114, 0.9639], 4)
    assert rounds_to(s["y_hat"], [0.4372, 0.5628], 4)
    assert round(s["loss"], 4) == 0.8274


def test_source_softmax_output_and_loss_are_an_arithmetic_slip(run):
    """Erratum: the source prints ŷ = [0.4378, 0.5622] and L = 0.825."""
    s = run[0]
    assert not rounds_to(s["y_hat"], [0.4378, 0.5622], 4)
    assert round(s["loss"], 3) == 0.827 != 0.825


def test_backward_pass_matches_the_source_where_it_holds(run):
    s = run[0]
    assert rounds_to(s["grads"]["W2"], [[-0.260, -0.451], [0.260, 0.451]], 3)  # source: ±0.450 (rounding)
    assert rounds_to(s["delta1"], [0.0885, 0.0404], 4)  # source: 0.0884 (from its rounded 0.1124)
    assert rounds_to(s["params_before"]["W2"].T @ s["delta2"], [0.1126, 0.1126], 4)  # source: 0.1124
    assert rounds_to(1 - s["a1"] ** 2, [0.7864, 0.3592], 4)


def test_first_update_matches_the_issue(run):
    p = run[0]["params"]
    assert rounds_to(p["W1"], [[0.09115, 0.18230], [0.29596, 0.39191]], 5)
    assert rounds_to(p["b1"], [-0.00885, -0.00404], 5)
    assert rounds_to(p["W2"], [[0.52601, 0.64505], [0.67399, 0.75495]], 5)
    assert rounds_to(p["b2"], [0.05628, -0.05628], 5)


def test_source_first_bias_update_is_off_by_a_factor_of_ten(run):
    """Erratum: the source writes b1 = [−0.0884, −0.0404] after step 1; η·δ1 is ten times smaller."""
    b1 = run[0]["params"]["b1"]
    assert rounds_to(b1 * 10, [-0.0885, -0.0404], 4)
    assert not rounds_to(b1, [-0.0884, -0.0404], 4)


def test_step_two_loss_is_0_7116(run):
    assert round(run[1]["loss"], 4) == 0.7116
    assert run[1]["params_before"] is run[0]["params"] or all(
        np.array_equal(run[1]["params_before"][n], run[0]["params"][n]) for n in NAMES)


def test_step_two_forward_and_backward_at_the_sources_digits(run):
    s = run[1]
    assert rounds_to(s["y_hat"], [0.4909, 0.5091], 4)  # source: 0.4908 / 0.5092
    assert rounds_to(s["grads"]["W2"], [[-0.2135, -0.4030], [0.2135, 0.4030]], 4)
    assert rounds_to(s["delta1"], [0.0621, 0.0209], 4)  # source: 0.0210


def test_step_two_sgd_update_matches_the_sources_new_weights(run):
    p = run[1]["params"]
    assert rounds_to(p["W2"], [[0.5474, 0.6854], [0.6526, 0.7146]], 4)  # source: 0.6853, 0.7147
    assert rounds_to(p["W1"], [[0.08494, 0.16988], [0.29387, 0.38774]], 5)  # source: .08495, .29386, .38772


def test_loss_keeps_falling_for_twenty_steps_at_the_source_learning_rate():
    losses = replay_two_layer(lr=0.1, steps=25).losses
    assert np.all(np.diff(losses) < 0)


# -- the backward pass is the gradient ------------------------------------------------------------

def _flat_loss(flat, shapes, x, y):
    params, start = {}, 0
    for name in NAMES:
        size = int(np.prod(shapes[name]))
        params[name] = flat[start:start + size].reshape(shapes[name])
        start += size
    return two_layer_loss(params, x, y)


def _backprop_flat(params, x, y):
    forward = forward_two_layer(x, y=y, **params)
    grads = backward_two_layer(x, y, forward, params["W2"])["grads"]
    return np.concatenate([grads[n].ravel() for n in NAMES])


def test_backprop_matches_finite_differences_at_the_worked_example():
    params = {n: DEFAULT_TWO_LAYER_PARAMS[n].copy() for n in NAMES}
    flat = np.concatenate([params[n].ravel() for n in NAMES])
    shapes = {n: params[n].shape for n in NAMES}
    numeric = numerical_gradient(lambda v: _flat_loss(v, shapes, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y), flat)
    assert np.allclose(_backprop_flat(params, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y), numeric, rtol=0, atol=1e-9)


points = arrays(np.float64, 12, elements=st.floats(-2.0, 2.0, allow_nan=False))
inputs = arrays(np.float64, 2, elements=st.floats(-2.0, 2.0, allow_nan=False))


@settings(max_examples=40, deadline=None)
@given(points, inputs, st.sampled_from([0, 1]))
def test_sympy_equals_backprop_equals_finite_differences_at_random_points(flat, x, label):
    y = np.eye(2)[label]
    shapes = {n: DEFAULT_TWO_LAYER_PARAMS[n].shape for n in NAMES}
    params = {"W1": flat[:4].reshape(2, 2), "b1": flat[4:6], "W2": flat[6:10].reshape(2, 2), "b2": flat[10:]}
    backprop = _backprop_flat(params, x, y)
    symbolic = np.array(sympy_gradient()(flat, x, y), dtype=np.float64)
    numeric = numerical_gradient(lambda v: _flat_loss(v, shapes, x, y), flat)
    assert np.allclose(backprop, symbolic, rtol=0, atol=1e-12)
    assert np.allclose(backprop, numeric, rtol=0, atol=1e-8)


_lambdified = []


def sympy_gradient():
    if not _lambdified:
        _lambdified.append(derive_two_layer_network().gradient_function())
    return _lambdified[0]


@pytest.mark.parametrize("step_index", [0, 1])
def test_sympy_derivative_of_the_whole_loss_equals_backprop_in_steps_one_and_two(run, step_index):
    """SymPy differentiates L(12 parameters) directly and evaluates at 30 digits: backprop agrees to 1e-12."""
    derivation = derive_two_layer_network()
    s = run[step_index]
    values = derivation.values(s["params_before"])
    for name in NAMES:
        assert check_agreement(name, derivation.gradients[name], s["grads"][name], values=values, tolerance=1e-12)


def test_whole_loss_has_twelve_parameters_once_x_and_y_are_put_in():
    derivation = derive_two_layer_network()
    assert len(derivation.parameters) == 12
    assert derivation.loss_at().free_symbols == set(derivation.parameters)


def test_error_term_recursion_is_the_chain_rule():
    """∂L/∂z2 = ŷ − y and ∂L/∂z1 = (W2ᵀ·δ2) ⊙ (1 − tanh² z1), for any y one-hot."""
    terms = derive_two_layer_error_terms()
    assert terms["differences"] == [0, 0, 0, 0]


# -- the replay interface -------------------------------------------------------------------------

def test_every_step_records_forward_backward_params_and_optimizer_state():
    run = replay_two_layer(optimizer="adam", lr=0.1, steps=2)
    for t, s in enumerate(run, start=1):
        assert s["step"] == t
        for key in ("z1", "a1", "z2", "y_hat", "delta2", "delta1"):
            assert s[key].dtype == np.float64 and s[key].shape == (2,)
        assert set(s["grads"]) == set(s["params"]) == set(s["optimizer"]) == set(NAMES)
        for name in NAMES:
            assert s["grads"][name].shape == s["params"][name].shape == DEFAULT_TWO_LAYER_PARAMS[name].shape
            assert {"m", "v", "m_hat", "v_hat", "effective_learning_rate", "update"} <= set(s["optimizer"][name])
            assert np.allclose(s["params"][name], s["params_before"][name] + s["optimizer"][name]["update"])


def test_first_adam_step_moves_every_parameter_by_lr_against_the_gradient_sign():
    s = replay_two_layer(optimizer="adam", lr=0.1, steps=1)[0]
    for name in NAMES:
        g = s["grads"][name]
        moved = s["params"][name] - s["params_before"][name]
        # where g = 0 (none here) Adam would not move; elsewhere the move is −η·sign(g) up to ε
        assert np.allclose(moved, -0.1 * np.sign(g), rtol=0, atol=1e-6)


def test_sgd_update_is_params_minus_lr_times_grads():
    run = replay_two_layer(lr=0.3, steps=4)
    for s in run:
        for name in NAMES:
            assert np.allclose(s["params"][name], s["params_before"][name] - 0.3 * s["grads"][name], rtol=0, atol=1e-15)


def test_momentum_replay_uses_pytorch_form():
    run = replay_two_layer(optimizer="momentum", lr=0.1, momentum=0.9, steps=3)
    velocity = {n: np.zeros_like(DEFAULT_TWO_LAYER_PARAMS[n]) for n in NAMES}
    for s in run:
        for name in NAMES:
            velocity[name] = 0.9 * velocity[name] + s["grads"][name]
            assert np.allclose(s["params"][name], s["params_before"][name] - 0.1 * velocity[name], rtol=0, atol=1e-15)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_lowers_the_loss_over_ten_steps(optimizer):
    run = replay_two_layer(optimizer=optimizer, lr=0.01, steps=10)
    assert run.diverged_at is None and run.losses[-1] < run.losses[0]


def test_training_only_one_layer_leaves_the_other_untouched():
    layer2 = replay_two_layer(steps=2, trainable=("W2", "b2"))
    layer1 = replay_two_layer(steps=2, trainable=("W1", "b1"))
    for s in layer2:
        assert all(np.array_equal(s["params"][n], DEFAULT_TWO_LAYER_PARAMS[n]) for n in ("W1", "b1"))
        assert set(s["grads"]) == set(NAMES) and set(s["optimizer"]) == {"W2", "b2"}
    for s in layer1:
        assert all(np.array_equal(s["params"][n], DEFAULT_TWO_LAYER_PARAMS[n]) for n in ("W2", "b2"))


def test_replay_never_changes_the_arrays_it_was_given():
    W1 = np.array([[0.1, 0.2], [0.3, 0.4]])
    replay_two_layer(W1=W1, steps=3)
    assert np.array_equal(W1, [[0.1, 0.2], [0.3, 0.4]])


def _record_arrays(record) -> dict:
    """Every array of a step record, by where it sits: "z1", "grads.W1", "optimizer.W2.m", ..."""
    found = {}
    for key, value in record.items():
        if isinstance(value, np.ndarray):
            found[key] = value
        elif isinstance(value, dict):
            for name, inner in value.items():
                items = inner.items() if isinstance(inner, dict) else [(None, inner)]
                found.update({".".join(filter(None, (key, name, entry))): array for entry, array in items})
    return found


@pytest.mark.parametrize("replay_two_layer", [replay_two_layer, _replay_two_layer_flat])
@pytest.mark.parametrize("trainable", [NAMES, ("W2", "b2")])
def test_no_two_steps_share_an_array(trainable, replay_two_layer):
    """Each record's arrays are its own: the run going on, or an edit of one record, changes no other
    step and not run.start. The one link: step t + 1's params_before is step t's params (the same dict).
    The same holds for the panels' fast replay."""
    replay = dict(optimizer="adam", lr=0.1, trainable=trainable)
    run, untouched = replay_two_layer(steps=4, **replay), replay_two_layer(steps=4, **replay)
    for earlier, later in zip(run, run[1:]):
        assert later["params_before"] is earlier["params"]
    # step 1 as a one-step run records it: the three steps after it overwrote none of its numbers
    alone = _record_arrays(replay_two_layer(steps=1, **replay)[0])
    assert all(np.array_equal(array, alone[where]) for where, array in _record_arrays(run[0]).items())

    owned = [(f"start.{name}", array) for name, array in run.start.items()]
    owned += [(f"step {s['step']}: {where}", array) for s in run for where, array in _record_arrays(s).items()
              if s["step"] == 1 or not where.startswith("params_before")]
    assert len(owned) == 4 + 4 * (6 + 4 + 4 + 7 * len(trainable)) + 4
    for i, (where, array) in enumerate(owned):
        for other_where, other in owned[i + 1:]:
            assert not np.shares_memory(array, other), f"{where} and {other_where} share memory"

    # a student scribbles over step 2 (all but its params_before, which is step 1's params)
    scribbled = {where: array for where, array in _record_arrays(run[1]).items() if not where.startswith("params_before")}
    for array in scribbled.values():
        array[...] = 99.0
    for s, u in zip(run, untouched):
        for where, array in _record_arrays(s).items():
            changed = where in scribbled if s["step"] == 2 else s["step"] == 3 and where.startswith("params_before")
            assert np.array_equal(array, _record_arrays(u)[where]) != changed, f"step {s['step']}: {where}"
    assert all(np.array_equal(run.start[name], DEFAULT_TWO_LAYER_PARAMS[name]) for name in NAMES)


def _assert_same_records(run, fast):
    """Two runs hold the same steps, number for number (np.array_equal: NaN-free, bit for bit), the same
    keys in the same order, the same start and the same ending."""
    assert len(run) == len(fast) and run.diverged_at == fast.diverged_at and run.optimizer == fast.optimizer
    assert all(np.array_equal(run.start[name], fast.start[name]) for name in NAMES)
    for step, fast_step in zip(run, fast):
        assert list(step) == list(fast_step) and step["step"] == fast_step["step"]
        assert step["loss"] == fast_step["loss"]
        arrays, fast_arrays = _record_arrays(step), _record_arrays(fast_step)
        assert list(arrays) == list(fast_arrays)
        for where, array in arrays.items():
            assert array.shape == fast_arrays[where].shape and np.array_equal(array, fast_arrays[where]), \
                f"step {step['step']}: {where}"


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("trainable", [NAMES, ("W2", "b2"), ("W1", "b1"), ("b2",), ("b1", "W2")])
def test_the_panels_fast_replay_gives_the_same_records_bit_for_bit(optimizer, trainable):
    settings = dict(optimizer=optimizer, lr=0.3, steps=40, trainable=trainable)
    _assert_same_records(replay_two_layer(**settings), _replay_two_layer_flat(**settings))


@pytest.mark.parametrize("settings", [
    dict(lr=1.5e308, steps=10),  # parameters overflow at step 2
    dict(optimizer="adam", lr=1e308, steps=5, trainable=("W2",)),
    dict(optimizer="momentum", lr=1e307, momentum=0.99, steps=20),
    dict(x=[1.0, -2.0, 0.5], y=[0.0, 0.0, 1.0], W1=np.full((4, 3), 0.2), b1=np.zeros(4), W2=np.eye(3, 4),
         b2=np.zeros(3), optimizer="rmsprop", lr=0.05, beta2=0.5, eps=1e-3, steps=30),
    dict(optimizer="adam", lr=0.01, beta1=0.0, beta2=0.0, steps=500),
])
def test_the_fast_replay_agrees_on_divergence_other_sizes_and_settings(settings):
    run, fast = replay_two_layer(**settings), _replay_two_layer_flat(**settings)
    _assert_same_records(run, fast)
    assert run.status == fast.status


def test_the_replay_takes_every_optimizer_default_from_its_rule_in_the_registry():
    """One place for each default: replay_two_layer leaves μ, β1, β2 and ε at None, which the Optimizer
    fills in from OPTIMIZERS[name].defaults; spelling the defaults out gives the same run."""
    parameters = inspect.signature(replay_two_layer).parameters
    assert {name: parameters[name].default for name in ("momentum", "beta1", "beta2", "eps")} == dict.fromkeys(
        ("momentum", "beta1", "beta2", "eps"))
    for name, rule in OPTIMIZERS.items():
        run = replay_two_layer(optimizer=name, lr=0.3, steps=5)
        spelled_out = _replay_two_layer_flat(optimizer=name, lr=0.3, steps=5, **rule.defaults)
        assert run.optimizer.hyperparameters == spelled_out.optimizer.hyperparameters == {"lr": 0.3, **rule.defaults}
        assert np.array_equal(run.losses, spelled_out.losses)


def test_the_fast_replay_checks_its_arguments_as_the_replay_does():
    with pytest.raises(ValueError, match="trainable"):
        _replay_two_layer_flat(trainable=("W3",))
    with pytest.raises(TypeError):
        _replay_two_layer_flat(learning_rate=0.1)


def test_other_layer_sizes_fit_the_same_formulas():
    rng = np.random.default_rng(1)
    params = {"W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=4), "W2": rng.normal(size=(3, 4)),
              "b2": rng.normal(size=3)}
    x, y = rng.normal(size=3), np.array([0.0, 0.0, 1.0])
    s = replay_two_layer(x=x, y=y, steps=1, **params)[0]
    flat = np.concatenate([params[n].ravel() for n in NAMES])
    shapes = {n: params[n].shape for n in NAMES}
    numeric = numerical_gradient(lambda v: _flat_loss(v, shapes, x, y), flat)
    assert np.allclose(np.concatenate([s["grads"][n].ravel() for n in NAMES]), numeric, rtol=0, atol=1e-8)


# -- divergence and bad input ---------------------------------------------------------------------

def test_a_run_whose_parameters_overflow_stops_and_names_the_step():
    run = replay_two_layer(lr=1.5e308, steps=10)
    assert run.diverged_at == 2 and len(run) == 1
    assert run.status == "diverged at step 2"
    assert np.all(np.isfinite(run.losses))
    assert "diverged at step 2" in repr(run)


def test_a_finite_run_reports_no_divergence():
    run = replay_two_layer(lr=5.0, steps=30)
    assert run.diverged_at is None and run.status is None and len(run) == 30


@pytest.mark.parametrize("kwargs, name", [
    ({"W1": [[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]]}, "x"),
    ({"W1": [0.1, 0.2]}, "W1"),
    ({"b1": [0.0, 0.0, 0.0]}, "b1"),
    ({"W2": [[0.5, 0.6, 0.1], [0.7, 0.8, 0.1]]}, "W2"),
    ({"W2": [[0.5, 0.6]], "b2": [0.0]}, "W2"),
    ({"b2": [0.0]}, "b2"),
    ({"x": [1.0, 2.0, 3.0]}, "x"),
    ({"x": [1.0, float("nan")]}, "x"),
    ({"y": [0.5, 0.5]}, "y"),
    ({"y": [1.0, 1.0]}, "y"),
    ({"y": [0.0, 0.0]}, "y"),
    ({"y": [1.0, 0.0, 0.0]}, "y"),
    ({"W2": [[0.5, float("inf")], [0.7, 0.8]]}, "W2"),
    ({"optimizer": "adamw"}, "optimizer"),
    ({"lr": 0.0}, "lr"),
    ({"lr": -0.1}, "lr"),
    ({"lr": float("inf")}, "lr"),
    ({"momentum": 1.0, "optimizer": "momentum"}, "momentum"),
    ({"beta1": 1.0, "optimizer": "adam"}, "beta1"),
    ({"beta2": -0.1, "optimizer": "adam"}, "beta2"),
    ({"eps": 0.0, "optimizer": "adam"}, "eps"),
    ({"steps": 0}, "steps"),
    ({"steps": 2.5}, "steps"),
    ({"trainable": ("W3",)}, "trainable"),
    ({"trainable": ()}, "trainable"),
])
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        replay_two_layer(**kwargs)


def test_default_network_constants_cannot_be_changed_by_accident():
    with pytest.raises(ValueError):
        DEFAULT_TWO_LAYER_PARAMS["W1"][0, 0] = 5.0
    assert DEFAULT_TWO_LAYER_PARAMS["W1"][0, 0] == 0.1 and math.isclose(DEFAULT_TWO_LAYER_X[1], 2.0)


# -- how far one step can move the parameters (§6) ------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(points, inputs, st.sampled_from([0, 1]), st.sampled_from([0.1, 1.0, 10.0, 100.0]))
def test_an_sgd_step_moves_layer_2_by_at_most_eta_and_layer_1_by_a_bound_that_grows_with_W2(flat, x, label, lr):
    """|Δ W[2]| ≤ η each step, |Δ W[1]| ≤ η·max(1, |x|)·max_j Σ_i |W[2]_ij|, so W[1] grows at most quadratically."""
    start = {"W1": flat[:4].reshape(2, 2), "b1": flat[4:6], "W2": flat[6:10].reshape(2, 2), "b2": flat[10:]}
    run = replay_two_layer(x=x, y=np.eye(2)[label], lr=lr, steps=30, **start)
    bounds = two_layer_update_bounds(run, x)
    assert np.all(bounds["output_change"] <= lr * (1 + 1e-12))
    assert np.all(bounds["hidden_change"] <= bounds["hidden_bound"] * (1 + 1e-12) + 1e-15)
    # The bound, computed here from the start: W[2]'s column sums grow by at most 2η per step.
    m, c0 = max(1.0, np.abs(x).max()), np.abs(start["W2"]).sum(axis=0).max()
    for t, step in enumerate(run, start=1):
        envelope = np.abs(start["W1"]).max() + lr * m * c0 * t + lr ** 2 * m * t * (t - 1)
        assert np.abs(step["params"]["W1"]).max() <= envelope * (1 + 1e-12)


def test_at_eta_10_the_second_step_moves_W1_twenty_times_as_far_as_the_first():
    """The chapter's example: step 1 makes W[2] about six times larger, so step 2's bound (and move) grows."""
    bounds = two_layer_update_bounds(replay_two_layer(lr=10.0, steps=3))
    assert bounds["hidden_change"][0] == pytest.approx(10 * 0.177044, abs=1e-5)  # η·|∂L/∂W[1]_12| in step 1
    assert bounds["hidden_change"][1] / bounds["hidden_change"][0] == pytest.approx(19.6, abs=0.1)
    assert bounds["hidden_change"][2] < 1e-12  # the loss is 4e-15 by then: nothing moves


@pytest.mark.parametrize("run", [replay_two_layer(optimizer="adam", steps=2), replay_two_layer(trainable=("W2",)),
                                 [], None])
def test_update_bounds_need_an_sgd_run_of_all_four_parameters(run):
    with pytest.raises(ValueError, match="^run"):
        two_layer_update_bounds(run)


# -- the source, number by number -----------------------------------------------------------------

def test_audit_names_exactly_the_errata_the_chapter_corrects():
    rows = {(r["where"], r["quantity"]): r for r in audit_two_layer_source()}
    errata = {key for key, r in rows.items() if r["verdict"] == "erratum"}
    assert errata == {("step 1 · forward", "ŷ = softmax(z[2])"), ("step 1 · loss", "L = −log ŷ1"),
                      ("step 1 · update", "gradient named in the b[2] update"),
                      ("step 1 · update", "b[1] − η·∂L/∂b[1]"), ("step 2 · forward", "a[1] = tanh(z[1])")}
    assert all(rows[key]["check"] in ("wrong", "last-digit slip") for key in errata)


def test_audit_never_calls_a_number_wrong_without_naming_it_an_erratum():
    for row in audit_two_layer_source():
        assert row["check"] != "wrong" or row["verdict"] == "erratum", row


def test_audit_verdicts_of_the_source_numbers_that_hold():
    holds = {(r["where"], r["quantity"]) for r in audit_two_layer_source() if r["verdict"] == "holds"}
    assert holds == {("step 1 · forward", "z[1] = W[1]·x + b[1]"), ("step 1 · forward", "a[1] = tanh(z[1])"),
                     ("step 1 · forward", "z[2] = W[2]·a[1] + b[2]"), ("step 1 · forward", "exp(z[2])"),
                     ("step 1 · backward", "tanh′(z[1]) = 1 − tanh²(z[1])"), ("step 1 · update", "W[2] − η·∂L/∂W[2]"),
                     ("softmax example", "exp([2, 1, 0.1])"), ("softmax example", "a = softmax([2, 1, 0.1])"),
                     ("softmax example", "∂L/∂z = a − y"), ("step 2 · Adam", "β1, β2, ε")}


def test_audit_replay_column_is_the_replay_rounded():
    rows = {(r["where"], r["quantity"]): r for r in audit_two_layer_source()}
    assert rows[("step 1 · forward", "ŷ = softmax(z[2])")]["replay"] == "[0.4372, 0.5628]"
    assert rows[("step 1 · update", "b[1] − η·∂L/∂b[1]")]["replay"] == "[-0.0089, -0.0040]"
    assert rows[("step 2 · loss", "L = −log ŷ1")]["value"] == pytest.approx(0.7115592, abs=1e-7)


# -- figures and the slider panel -----------------------------------------------------------------

def test_history_starts_at_the_worked_example_and_counts_steps_done():
    history = two_layer_history(0.1, 3)
    assert history["steps_done"].tolist() == [0, 1, 2, 3]
    assert round(history["loss"][0], 4) == 0.8274 and round(history["loss"][1], 4) == 0.7116


def test_layer_one_alone_cannot_go_below_the_best_saturated_corner():
    """With W2, b2 frozen, a1 ∈ [−1, 1]² bounds the logit gap by 0.2·|a1_1| + 0.2·|a1_2| ≤ 0.4."""
    floor = math.log1p(math.exp(-0.4))
    history = two_layer_history(20.0, 50, "layer 1 only")
    assert np.all(history["loss"] >= floor - 1e-12)
    assert history["loss"][-1] == pytest.approx(floor, abs=1e-3)


def test_large_step_on_both_layers_overshoots_while_either_layer_alone_does_not():
    after = {name: two_layer_history(10.0, 1, name)["loss"][1] for name in TWO_LAYER_VARIANTS}
    start = two_layer_history(10.0, 1)["loss"][0]
    assert after["both layers"] > start > after["layer 1 only"] > after["layer 2 only"]
    small = {name: two_layer_history(0.1, 1, name)["loss"][1] for name in TWO_LAYER_VARIANTS}
    assert small["both layers"] < small["layer 2 only"] < small["layer 1 only"] < start


@pytest.fixture(scope="module")
def learning_rate_panel():
    return two_layer_learning_rate_panel()


def test_learning_rate_panel_keeps_its_frame_and_draws_nothing_outside_the_figure(learning_rate_panel):
    panel = learning_rate_panel
    frame = [ax.get_position().bounds for ax in panel.figure.axes]
    for lr, steps in ((0.01, 1), (100.0, 50), (10.0, 1), (30.0, 2), (3.0, 37)):
        panel.set(lr=lr, steps=steps)
        assert [ax.get_position().bounds for ax in panel.figure.axes] == frame
        drawn = panel.figure.get_tightbbox(panel.figure.canvas.get_renderer())
        assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01, (lr, steps)
        assert drawn.x1 <= panel.figure.get_figwidth() + 0.01 and drawn.y1 <= panel.figure.get_figheight() + 0.01


def test_a_slider_move_draws_the_figure_at_most_once(learning_rate_panel, monkeypatch):
    """One full draw at most (none when the panel redraws from its kept axes frames), and a new picture."""
    draws, draw = [], learning_rate_panel.figure.draw
    monkeypatch.setattr(learning_rate_panel.figure, "draw", lambda renderer: (draws.append(renderer), draw(renderer))[1])
    before = learning_rate_panel.png
    learning_rate_panel.set(lr=3.0, steps=30)
    assert len(draws) <= 1 and learning_rate_panel.png != before


def test_layer_comparison_writes_the_size_of_a_loss_too_small_to_see():
    labels = [text.get_text() for text in plot_two_layer_layer_comparison().axes[0].texts]
    assert "≈ 1e-9" in labels  # layer 2 alone at η = 10
    assert {"0.7116", "0.7153", "0.8216", "1.6160", "0.5237"} <= set(labels)


def test_figures_say_what_to_notice():
    assert "lowers the loss" in plot_two_layer_training().get_suptitle()
    assert "overshoot" in plot_two_layer_layer_comparison().axes[0].get_title()


def test_layer_comparison_title_says_what_each_learning_rate_shows():
    # By hand (section 6): at η = 1 one step gives 0.1834 (both), 0.1481 (layer 2 only), 0.7617 (layer 1 only);
    # at η = 100 both together raise the loss to 29.16 and layer 2 alone drives it below float64's resolution.
    figure = plot_two_layer_layer_comparison(learning_rates=(1.0, 100.0))
    title = " ".join(figure.axes[0].get_title().split())
    assert "at η = 1 layer 2 only does best, at η = 100 together they overshoot" in title
    assert "≈ 0" in [text.get_text() for text in figure.axes[0].texts]


def test_training_figure_marks_when_the_prediction_turns_right_and_names_a_step_that_raised_the_loss():
    # By hand: ŷ1 = 0.4372, 0.4909, 0.5375 after 0, 1, 2 steps at η = 0.1; at η = 10 step 1 takes the loss
    # from 0.8274 to 1.616 (section 6's bars).
    figure = plot_two_layer_training()
    assert any("after 2 steps" in text.get_text() for text in figure.axes[1].texts)
    assert 0.5 in [line.get_ydata()[0] for line in figure.axes[1].lines]
    overshoot = plot_two_layer_training(lr=10.0)
    assert overshoot.get_suptitle().startswith("η = 10: step 1 raises the loss")
    assert overshoot.axes[1].get_ylim()[0] <= 0.19  # ŷ1 falls to 0.199 after that step: still on the axes


@pytest.mark.parametrize("call, name", [
    (lambda: two_layer_history(lr=0.0), "lr"),
    (lambda: two_layer_history(steps=0), "steps"),
    (lambda: two_layer_history(steps=201), "steps"),
    (lambda: two_layer_history(variant="layer 3"), "variant"),
    (lambda: plot_two_layer_layer_comparison(learning_rates=()), "learning_rates"),
    (lambda: plot_two_layer_layer_comparison(learning_rates=(-1.0,)), "learning_rates"),
    (lambda: two_layer_learning_rate_panel(lr=1000.0), "lr"),
    (lambda: two_layer_learning_rate_panel(steps=51), "steps"),
])
def test_figure_and_panel_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_learning_rate_panel_names_the_first_step_that_raised_the_loss_and_counts_the_others(monkeypatch):
    import helpers.panels.network as network_panels

    panel = two_layer_learning_rate_panel()
    real = network_panels.two_layer_history

    def with_rises(lr, steps, variant="both layers"):  # the real history, with the loss rising in steps 2 and 4
        history = dict(real(lr, steps, variant))
        history["loss"] = np.array([0.8, 0.7, 0.75, 0.6, 0.65, 0.5][:steps + 1])
        return history

    monkeypatch.setattr(network_panels, "two_layer_history", with_rises)
    assert panel.set(lr=0.1, steps=5) == "step 2 raised the loss (0.700 → 0.750), and 1 later step did too"
