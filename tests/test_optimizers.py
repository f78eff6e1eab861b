"""The optimizer interface: PyTorch-form update rules, state in and state out, clear errors."""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import Optimizer, adagrad_step, adam_step, momentum_step, rmsprop_step, sgd_step

finite = st.floats(-1e3, 1e3, allow_nan=False).filter(lambda g: abs(g) > 1e-3)


def test_first_adam_step_on_the_softmax_gradient_is_lr_times_sign():
    g = np.array([-0.341, 0.242, 0.099])
    out = adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), t=1, lr=0.01)
    assert np.allclose(out["m"], [-0.0341, 0.0242, 0.0099])
    assert np.allclose(out["v"], 0.001 * g**2)
    assert np.allclose(out["m_hat"], g) and np.allclose(out["v_hat"], g**2)
    assert np.allclose(out["update"], [0.01, -0.01, -0.01], atol=1e-8)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, 5, elements=finite), st.floats(1e-4, 1.0))
def test_first_adam_step_is_lr_times_sign_of_gradient_for_any_gradient(g, lr):
    out = adam_step(np.zeros(5), g, np.zeros(5), np.zeros(5), t=1, lr=lr)
    assert np.allclose(out["update"], -lr * np.sign(g), rtol=1e-4, atol=0)


def test_adam_with_beta1_zero_uses_the_raw_gradient_as_first_moment():
    out = adam_step(np.zeros(2), [2.0, -1.0], np.array([5.0, 5.0]), np.zeros(2), t=3, beta1=0.0)
    assert np.allclose(out["m"], [2.0, -1.0]) and np.allclose(out["m_hat"], [2.0, -1.0])


def test_adam_second_step_by_hand():
    first = adam_step(np.zeros(1), [1.0], np.zeros(1), np.zeros(1), t=1, lr=0.1)
    second = adam_step(first["theta"], [0.5], first["m"], first["v"], t=2, lr=0.1)
    m = 0.9 * 0.1 + 0.1 * 0.5
    v = 0.999 * 0.001 + 0.001 * 0.25
    expected = first["theta"][0] - 0.1 * (m / (1 - 0.81)) / (math.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert second["theta"][0] == pytest.approx(expected, rel=1e-12)


def test_momentum_in_pytorch_form_equals_the_book_form():
    """v ← μv + g, θ ← θ − ηv  is the same as  v' ← μv' − ηg, θ ← θ + v'."""
    rng = np.random.default_rng(0)
    theta_torch, velocity = np.zeros(3), np.zeros(3)
    theta_book, velocity_book = np.zeros(3), np.zeros(3)
    for _ in range(20):
        g = rng.normal(size=3)
        out = momentum_step(theta_torch, g, velocity, lr=0.05, momentum=0.9)
        theta_torch, velocity = out["theta"], out["velocity"]
        velocity_book = 0.9 * velocity_book - 0.05 * g
        theta_book = theta_book + velocity_book
    assert np.allclose(theta_torch, theta_book, atol=1e-14)


def test_adagrad_and_rmsprop_learning_rates_shrink_as_squares_accumulate():
    s = np.zeros(1)
    rates = []
    for _ in range(4):
        out = adagrad_step(np.zeros(1), [1.0], s, lr=1.0)
        s = out["sum_of_squares"]
        rates.append(out["effective_learning_rate"][0])
    assert np.allclose(rates, [1 / math.sqrt(k) for k in range(1, 5)], rtol=1e-9)
    out = rmsprop_step(np.zeros(1), [2.0], np.zeros(1), lr=0.01)
    assert out["v"][0] == pytest.approx(0.01 * 4) and out["update"][0] == pytest.approx(-0.01 * 2 / (0.2 + 1e-8))


def test_sgd_is_minus_lr_times_gradient():
    assert np.allclose(sgd_step([1.0, 2.0], [0.5, -1.0], lr=0.1)["theta"], [0.95, 2.1])


def test_optimizer_applies_the_rule_to_every_named_parameter_and_keeps_state_outside():
    optimizer = Optimizer("adam", lr=0.1)
    params = {"W": np.array([[0.5, 0.6], [0.7, 0.8]]), "b": np.zeros(2)}
    grads = {"W": np.array([[1.0, -2.0], [0.0, 3.0]]), "b": np.array([-1.0, 1.0])}
    state = optimizer.init_state(params)
    new_params, new_state, record = optimizer.step(params, grads, state)
    assert state["t"] == 0 and new_state["t"] == 1 and np.all(state["m"]["W"] == 0)
    assert np.allclose(new_params["W"], [[0.4, 0.7], [0.7, 0.7]], atol=1e-7)
    assert set(record["W"]) >= {"m", "v", "m_hat", "v_hat", "update"}


def test_defaults_follow_pytorch():
    assert Optimizer("adam", lr=0.01).hyperparameters["beta1"] == 0.9
    assert Optimizer("momentum", lr=0.01).hyperparameters["momentum"] == 0.9  # the course's; torch.optim.SGD's is 0
    assert Optimizer("adagrad", lr=0.01).hyperparameters["eps"] == 1e-10
    assert Optimizer("rmsprop", lr=0.01).hyperparameters["beta2"] == 0.99
    assert Optimizer("adam", lr=0.01).hyperparameters["beta2"] == 0.999


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "adamw", "lr": 0.1}, "optimizer must be one of"),
    ({"name": "adam", "lr": 0.0}, "lr must be"),
    ({"name": "adam", "lr": math.nan}, "lr must be"),
    ({"name": "adam", "lr": 0.1, "beta1": 1.0}, "beta1 must be"),
    ({"name": "adam", "lr": 0.1, "beta2": -0.1}, "beta2 must be"),
    ({"name": "adam", "lr": 0.1, "eps": 0.0}, "eps must be"),
    ({"name": "momentum", "lr": 0.1, "momentum": 1.5}, "momentum must be"),
])
def test_bad_hyperparameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Optimizer(**kwargs)


@pytest.mark.parametrize("call, message", [
    (lambda: adam_step([0.0], [1.0], [0.0], [0.0], t=0), "t must be a whole number"),
    (lambda: adam_step([0.0], [1.0], [0.0], [0.0], t=1.5), "t must be a whole number"),
    (lambda: adam_step([0.0, 1.0], [1.0], [0.0], [0.0], t=1), "theta and grad must have the same shape"),
    (lambda: adam_step([0.0], [1.0], [0.0, 0.0], [0.0], t=1), "m must have the same shape"),
    (lambda: adam_step([0.0], [np.nan], [0.0], [0.0], t=1), "grad must contain only finite"),
    (lambda: sgd_step([0.0], [1.0], lr=-1), "lr must be"),
])
def test_bad_step_inputs_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- one definition per optimizer: OPTIMIZERS drives everything ------------------------------------------
import inspect  # noqa: E402

from helpers import OPTIMIZERS, adam_panel, landscape_optimizer_panel  # noqa: E402

PUBLIC_STEPS = {"sgd": sgd_step, "momentum": momentum_step, "adagrad": adagrad_step, "rmsprop": rmsprop_step,
                "adam": adam_step}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimizers_rule_gives_its_state_slots_and_hyperparameters(name):
    rule = OPTIMIZERS[name]
    optimizer = Optimizer(name, lr=0.1)
    state = optimizer.init_state({"w": np.ones(3)})
    assert set(state) == {"t", *rule.slots} and all(np.all(state[slot]["w"] == 0) for slot in rule.slots)
    assert optimizer.hyperparameters == {"lr": 0.1, **{h: rule.defaults[h] for h in rule.hyperparameters}}
    _, new_state, record = optimizer.step({"w": np.ones(3)}, {"w": np.array([1.0, -2.0, 0.5])}, state)
    assert set(new_state) == {"t", *rule.slots} and set(rule.slots) <= set(record["w"])
    assert ("effective_learning_rate" in record["w"]) == (rule.scale is not None)
    direction, scale = rule.direction[0], rule.scale
    assert direction == "grad" or direction in record["w"]
    assert scale is None or scale[0] in record["w"]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_public_step_function_is_the_rule_with_pytorchs_defaults(name):
    rule, step = OPTIMIZERS[name], PUBLIC_STEPS[name]
    defaults = {p.name: p.default for p in inspect.signature(step).parameters.values()
                if p.default is not inspect.Parameter.empty and p.name != "lr"}
    assert defaults == rule.defaults
    rng = np.random.default_rng(3)
    theta, grad = rng.normal(size=4), rng.normal(size=4)
    slots = [np.abs(rng.normal(size=4)) for _ in rule.slots]
    step_count = {"t": 3} if rule.bias_corrected else {}
    by_rule = rule.apply(theta, grad, *slots, lr=0.05, **rule.defaults, **step_count)
    by_function = step(theta, grad, *slots, lr=0.05, **step_count)
    assert by_rule.keys() == by_function.keys()
    assert all(np.array_equal(by_rule[key], by_function[key]) for key in by_rule)  # bit for bit


def test_an_unknown_optimizer_is_named_with_the_allowed_ones():
    with pytest.raises(ValueError, match="optimizer must be one of.*'sgd'.*'momentum'.*'adagrad'.*'rmsprop'.*'adam'"):
        Optimizer("adamw", lr=0.1)


def test_each_optimizers_formula_names_the_state_it_keeps():
    symbols = {"velocity": "u", "sum_of_squares": "s", "m": "m", "v": "v"}
    for rule in OPTIMIZERS.values():
        assert rule.parameter_update.startswith("θ ← θ − η·") and rule.formula.endswith(rule.parameter_update)
        assert all(f"{symbols[slot]} ←" in rule.state_update for slot in rule.slots)


def test_the_adam_panel_ignores_exactly_the_sliders_an_optimizer_does_not_read():
    panel = adam_panel(steps=5)
    slider_of = {"momentum": "beta1", "beta1": "beta1", "beta2": "beta2", "eps": "eps"}
    offered = [value for _, value in panel.sliders["optimizer"].options]
    for name in offered:
        read = {slider_of[h] for h in OPTIMIZERS[name].hyperparameters}
        assert set(panel.ignores["optimizer"].get(name, [])) == {"beta1", "beta2", "eps"} - read
    assert [OPTIMIZERS[name].label for name in offered] == [label for label, _ in panel.sliders["optimizer"].options]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_landscape_panel_has_a_slider_for_each_decay_rate_its_optimizer_reads(name):
    panel = landscape_optimizer_panel(optimizer=name)
    decay_rates = [h for h in OPTIMIZERS[name].hyperparameters if h != "eps"]  # ε stays at PyTorch's default
    assert list(panel.sliders) == ["lr", *decay_rates, "steps"]
    assert OPTIMIZERS[name].label in panel.description


# -- Adam's ratio |m|/√v: bounded exactly when β1 < √β2 (chapter 7) ---------------------------------------
from helpers import adam_ratio_bound  # noqa: E402
from helpers.derivations.optimizers import derive_adam_ratio_bound  # noqa: E402

RATIO = derive_adam_ratio_bound()
B1, B2 = sp.symbols("beta_1 beta_2", positive=True)


@pytest.mark.parametrize("beta1, beta2", [(0.9, 0.999), (0.93, 0.9), (0.5, 0.3), (0.0, 0.99), (0.9, 0.82)])
def test_adams_ratio_bound_is_the_derivations_limit_and_gradients_like_beta2_over_beta1_to_the_t_approach_it(beta1, beta2):
    bound = adam_ratio_bound(beta1, beta2)
    assert bound == pytest.approx(float(RATIO.bound_limit.subs({B1: beta1, B2: beta2})), rel=1e-12)
    if beta1 == 0:
        return  # m_t = g_t: the bound 1/√(1 − β2) is reached at step 1 by any gradient after zeros
    m = v = 0.0
    gamma = beta1**2 / beta2
    for t in range(1, 121):  # the plain recursion, with g_t = (β2/β1)^t: Cauchy–Schwarz holds with equality
        g = (beta2 / beta1) ** t
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
        assert abs(m) / math.sqrt(v) == pytest.approx(bound * math.sqrt(1 - gamma**t), rel=1e-9)
        assert abs(m) / math.sqrt(v) < bound


@pytest.mark.parametrize("beta1", [0.0, 0.1, 0.5, 0.9, 0.93, 0.949, 0.95, 0.97, 0.999])
@pytest.mark.parametrize("beta2", [0.0, 0.5, 0.81, 0.9, 0.999])
def test_adams_ratio_is_bounded_exactly_where_the_derivations_condition_holds(beta1, beta2):
    bounded = math.isfinite(adam_ratio_bound(beta1, beta2))
    if beta1 == 0:  # m_t = g_t, so |m_t|/√v_t ≤ 1/√(1 − β2) for any β2 (the derivation takes β1 > 0)
        assert bounded and adam_ratio_bound(beta1, beta2) == pytest.approx(1 / math.sqrt(1 - beta2), rel=1e-15)
    elif beta2 == 0:  # v_t = g_t²: a zero gradient after a nonzero one leaves m ≠ 0 over √v = 0
        assert not bounded
    else:
        assert bounded == bool(RATIO.condition.subs({B1: sp.Rational(str(beta1)), B2: sp.Rational(str(beta2))}))


def test_at_beta1_equal_to_root_beta2_the_ratio_grows_like_root_t():
    beta1, beta2 = 0.9, 0.81  # √0.81 = 0.9 exactly: γ = 1, the geometric sum is t
    assert adam_ratio_bound(beta1, beta2) == math.inf
    m = v = 0.0
    for t in range(1, 401):
        g = (beta2 / beta1) ** t
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
    assert abs(m) / math.sqrt(v) == pytest.approx((1 - beta1) / math.sqrt(1 - beta2) * math.sqrt(400), rel=1e-9)
