"""Chapters 6 and 7: moving averages, bias correction, Adam step by step on the 2-2-2 network, the panel.

Hand values come from closed forms written out here (tanh, the logistic function, Adam's formulas),
or from an independent plain-NumPy forward/backward pass: never from the code under test.
"""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import (adam_step, bias_correction_factor, bias_correction_wear_off, derive_adam_first_step,
                     derive_adam_ratio_bound, derive_adam_step_that_equalizes_rows, derive_bias_correction,
                     derive_bias_correction_wear_off, derive_ema_bias, exact_moving_average, derive_equal_rows_block_backprop,
                     derive_momentum_forms_equivalence, derive_noisy_gradient_moments, exponential_moving_average,
                     momentum_step, momentum_step_book_form, replay_two_layer)

X, Y = np.array([1.0, 2.0]), np.array([1.0, 0.0])
START = {"W1": np.array([[0.1, 0.2], [0.3, 0.4]]), "b1": np.zeros(2),
         "W2": np.array([[0.5, 0.6], [0.7, 0.8]]), "b2": np.zeros(2)}
NAMES = ("W1", "b1", "W2", "b2")


def reference_gradients(p):
    """An independent forward/backward pass of the 2-2-2 tanh-softmax network, in plain NumPy."""
    a1 = np.tanh(p["W1"] @ X + p["b1"])
    z2 = p["W2"] @ a1 + p["b2"]
    y_hat = np.exp(z2) / np.exp(z2).sum()
    d2 = y_hat - Y
    d1 = (p["W2"].T @ d2) * (1 - a1**2)
    return -math.log(y_hat[0]), {"W1": np.outer(d1, X), "b1": d1, "W2": np.outer(d2, a1), "b2": d2}


# -- exponential moving averages (source 003) ----------------------------------------------------
def test_ema_with_first_value_start_reproduces_source_003():
    assert np.allclose(exponential_moving_average([1, 2, 3, 4, 5], 0.1), [1, 1.9, 2.89, 3.889, 4.8889], atol=1e-12)
    assert np.allclose(exponential_moving_average([1, 2, 3, 4, 5], 0.9), [1, 1.1, 1.29, 1.561, 1.9049], atol=1e-12)


def test_source_003_ema_numbers_are_exact_decimals():
    assert exact_moving_average([1, 2, 3, 4, 5], 0.1) == [1, sp.Rational(19, 10), sp.Rational(289, 100),
                                                      sp.Rational(3889, 1000), sp.Rational(48889, 10000)]
    assert exact_moving_average([1, 2, 3, 4, 5], 0.9) == [1, sp.Rational(11, 10), sp.Rational(129, 100),
                                                      sp.Rational(1561, 1000), sp.Rational(19049, 10000)]


def test_zero_start_of_a_constant_sequence_is_one_minus_beta_to_the_t_times_the_value():
    beta, g = 0.9, 2.5
    ema = exponential_moving_average([g] * 6, beta, convention="zero")
    assert np.allclose(ema, [(1 - beta**t) * g for t in range(1, 7)], rtol=1e-14)
    corrected = exponential_moving_average([g] * 6, beta, convention="zero", bias_corrected=True)
    assert np.allclose(corrected, g, rtol=1e-14)


def test_first_value_start_has_no_bias_on_a_constant_sequence():
    assert np.allclose(exponential_moving_average([-3.0] * 8, 0.99), -3.0, rtol=1e-14)


def test_ema_with_beta_zero_is_the_sequence_itself():
    x = [0.3, -1.0, 4.0]
    assert np.allclose(exponential_moving_average(x, 0.0), x)
    assert np.allclose(exponential_moving_average(x, 0.0, convention="zero"), x)


def test_bias_correction_factors():
    assert bias_correction_factor(0.9, 1) == pytest.approx(10.0, rel=1e-14)
    assert bias_correction_factor(0.999, 1) == pytest.approx(1000.0, rel=1e-12)
    assert bias_correction_factor(0.999, 2) == pytest.approx(1 / (1 - 0.999**2), rel=1e-12)
    factors = bias_correction_factor(0.9, np.arange(1, 4))
    assert np.allclose(factors, [1 / 0.1, 1 / 0.19, 1 / 0.271], rtol=1e-13)
    assert np.allclose(bias_correction_factor(0.0, np.arange(1, 5)), 1.0)
    # Close to 1 the factor still comes out right (1 − β^t computed without cancellation).
    assert bias_correction_factor(0.99999, 1) == pytest.approx(1 / (1 - 0.99999), rel=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: exponential_moving_average([1, 2], 1.0), "beta must be"),
    (lambda: exponential_moving_average([1, 2], -0.1), "beta must be"),
    (lambda: exponential_moving_average([], 0.5), "x must not be empty"),
    (lambda: exponential_moving_average([[1, 2]], 0.5), "x must have 1 dimension"),
    (lambda: exponential_moving_average([1, np.inf], 0.5), "x must contain only finite"),
    (lambda: exponential_moving_average([1, 2], 0.5, convention="one"), "convention must be one of"),
    (lambda: exponential_moving_average([1, 2], 0.5, bias_corrected=True), "bias_corrected=True needs"),
    (lambda: bias_correction_factor(0.9, 0), "t must be a whole number"),
    (lambda: bias_correction_factor(0.9, [1, 0]), "t must be whole numbers"),
    (lambda: bias_correction_factor(0.9, [1.5]), "t must be whole numbers"),
    (lambda: bias_correction_factor(1.0, 3), "beta must be"),
    (lambda: momentum_step_book_form([0.0], [1.0], [0.0], lr=0.0), "lr must be"),
    (lambda: momentum_step_book_form([0.0], [1.0], [0.0, 0.0], lr=0.1), "velocity must have the same shape"),
])
def test_bad_inputs_name_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- SymPy derivations ---------------------------------------------------------------------------
@pytest.mark.parametrize("derive", [derive_ema_bias, derive_bias_correction, derive_adam_first_step,
                                    derive_momentum_forms_equivalence, derive_equal_rows_block_backprop,
                                    derive_adam_step_that_equalizes_rows, derive_bias_correction_wear_off,
                                    derive_noisy_gradient_moments, derive_adam_ratio_bound])
def test_every_claim_of_each_derivation_has_zero_residual(derive):
    derivation = derive()
    assert derivation.checks and all(derivation.holds(claim) for claim in derivation.checks)


def test_ema_bias_closed_form_matches_numbers():
    closed = derive_ema_bias().closed_form
    beta, t, g = sp.Symbol("beta", positive=True), sp.Symbol("t", integer=True, positive=True), \
        sp.Symbol("g", real=True, nonzero=True)
    assert float(closed.subs({beta: 0.9, t: 3, g: 2.0})) == pytest.approx(2.0 * (1 - 0.9**3), rel=1e-14)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.99, 0.999])
def test_the_correction_wears_off_to_1_percent_at_the_first_step_a_brute_force_search_finds(beta):
    t = 1
    while 1 / (1 - beta**t) > 1.01:  # plain Python powers, not the helper's expm1
        t += 1
    assert bias_correction_wear_off(beta) == t
    if beta >= 0.9:  # ≈ ln(101)/(1 − β), and far beyond 1/(1 − β), where the factor is still ≈ 1.58
        assert t == pytest.approx(math.log(101) / (1 - beta), rel=0.06)
        assert 1 / (1 - beta ** round(1 / (1 - beta))) == pytest.approx(1 / (1 - math.exp(-1)), abs=0.05)


def test_wear_off_derivation_gives_1_58_and_4_6():
    d = derive_bias_correction_wear_off()
    assert float(d.factor_at_memory) == pytest.approx(1 / (1 - math.exp(-1)), rel=1e-12)
    assert float(d.steps_times_one_minus_beta.subs(d.delta, sp.Rational(1, 100))) == pytest.approx(math.log(101))
    beta = sp.Symbol("beta", positive=True)
    assert float(d.steps_needed.subs({d.delta: 0.01, beta: 0.999})) == pytest.approx(
        math.log(1 / 101) / math.log(0.999), rel=1e-12)


def test_noisy_gradients_give_v_hat_mean_squared_plus_variance_monte_carlo():
    d = derive_noisy_gradient_moments()
    expected = float(d.v_hat_expected.subs({d.gbar: 0.5, d.sigma: 1.5}))
    assert expected == pytest.approx(0.25 + 2.25)
    rng = np.random.default_rng(5)
    runs, m, v = 20_000, 0.0, 0.0
    for t in range(1, 31):  # the plain recursion, not adam_step
        g = 0.5 + 1.5 * rng.standard_normal(runs)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
    assert np.mean(v / (1 - 0.999**30)) == pytest.approx(expected, rel=0.02)
    assert np.mean(m / (1 - 0.9**30)) == pytest.approx(0.5, abs=0.02)


def test_a_single_gradient_then_zeros_makes_adams_ratio_grow_exactly_when_beta1_exceeds_root_beta2():
    d = derive_adam_ratio_bound()
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    for beta1, beta2 in ((0.93, 0.9), (0.97, 0.9), (0.9, 0.999)):
        m = v = np.zeros(1)
        ratios = []
        for step in range(1, 81):
            out = adam_step(np.zeros(1), [1.0 if step == 1 else 0.0], m, v, step, beta1=beta1, beta2=beta2, eps=1e-300)
            m, v = out["m"], out["v"]
            ratios.append(float(out["m_hat"][0] / np.sqrt(out["v_hat"][0])))
        assert ratios[39] == pytest.approx(float(d.spike_ratio.subs({b1: beta1, b2: beta2, t: 40})), rel=1e-9)
        assert (ratios[79] > ratios[39]) == (beta1 > math.sqrt(beta2))


def test_adams_ratio_stays_under_the_cauchy_schwarz_bound_for_random_gradients():
    d = derive_adam_ratio_bound()
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    bound = float(d.bound_limit.subs({b1: 0.93, b2: 0.9}))
    rng = np.random.default_rng(2)
    m = v = np.zeros(200)
    for step in range(1, 300):  # heavy-tailed, sign-persistent gradients: the hardest for the ratio
        g = rng.standard_cauchy(200) * (rng.random(200) < 0.3) + 1e-3
        m, v = 0.93 * m + 0.07 * g, 0.9 * v + 0.1 * g**2
        assert np.all(np.abs(m) / np.sqrt(v) <= bound * (1 + 1e-12))


def test_uncorrected_first_adam_step_would_be_3_16_times_eta():
    ratio = derive_bias_correction().uncorrected_first_ratio
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    g = sp.Symbol("g", real=True, nonzero=True)
    assert float(ratio.subs({b1: 0.9, b2: 0.999, g: -0.341})) == pytest.approx(-0.1 / math.sqrt(0.001), rel=1e-12)


def test_equal_rows_hold_for_three_classes_too():
    assert derive_equal_rows_block_backprop(classes=3, hidden=3).holds("W[2]ᵀ·δ[2] = 0 when W[2]'s rows are equal")


def test_only_eta_one_tenth_makes_the_source_rows_equal():
    assert derive_adam_step_that_equalizes_rows().eta == sp.Rational(1, 10)
    assert derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.7, 0.9]]).eta is None


# -- Momentum: two forms, one update (source 004) ------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (15, 3), elements=st.floats(-10, 10)), st.floats(1e-3, 1.0), st.floats(0.0, 0.99))
def test_momentum_book_form_takes_the_same_steps_as_pytorch_form(grads, lr, mu):
    theta_p, v = np.zeros(3), np.zeros(3)
    theta_b, u = np.zeros(3), np.zeros(3)
    for g in grads:
        p = momentum_step(theta_p, g, v, lr=lr, momentum=mu)
        b = momentum_step_book_form(theta_b, g, u, lr=lr, momentum=mu)
        theta_p, v, theta_b, u = p["theta"], p["velocity"], b["theta"], b["velocity"]
        assert np.allclose(u, -lr * v, rtol=1e-12, atol=1e-12)
        assert np.allclose(theta_b, theta_p, rtol=1e-12, atol=1e-10)


# -- Adam: properties ----------------------------------------------------------------------------
nonzero = st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-2)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, 6, elements=nonzero), st.floats(1e-4, 1.0), st.floats(0.0, 0.999), st.floats(0.9, 0.99999))
def test_first_adam_step_is_lr_times_sign_of_gradient_up_to_eps(g, lr, b1, b2):
    out = adam_step(np.zeros(6), g, np.zeros(6), np.zeros(6), t=1, lr=lr, beta1=b1, beta2=b2, eps=1e-8)
    # |Δθ| = η·|g|/(|g| + ε): below η by at most η·ε/|g|.
    assert np.all(np.sign(out["update"]) == -np.sign(g))
    assert np.allclose(np.abs(out["update"]), lr * np.abs(g) / (np.abs(g) + 1e-8), rtol=1e-12)
    assert np.all(lr - np.abs(out["update"]) <= lr * (1e-8 / np.abs(g) + 1e-14))  # + float rounding of √v̂


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, (8, 2), elements=st.floats(-5, 5)), st.floats(1e-3, 0.5))
def test_adam_with_beta1_zero_divides_the_raw_gradient_by_the_root_mean_square(grads, lr):
    theta, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    for t, g in enumerate(grads, start=1):
        out = adam_step(theta, g, m, v, t, lr=lr, beta1=0.0)
        assert np.array_equal(out["m_hat"], g)  # no memory, no correction: m̂_t = g_t
        theta, m, v = out["theta"], out["m"], out["v"]


def test_adam_as_beta2_approaches_1_v_hat_becomes_the_plain_mean_of_squares():
    grads = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 1.0], [2.0, 2.0]])
    mean_square = np.cumsum(grads**2, axis=0) / np.arange(1, 5)[:, None]
    for beta2, tolerance in [(0.999, 2e-3), (0.999999, 2e-6)]:
        m, v = np.zeros(2), np.zeros(2)
        for t, g in enumerate(grads, start=1):
            out = adam_step(np.zeros(2), g, m, v, t, lr=0.1, beta2=beta2)
            m, v = out["m"], out["v"]
            assert np.allclose(out["v_hat"], mean_square[t - 1], rtol=tolerance)


# -- Adam at t = 1 on source 000's gradient ------------------------------------------------------
def test_adam_at_t1_on_source_000_gradient_corrects_the_sign_erratum():
    g = np.array([-0.341, 0.242, 0.099])
    out = adam_step(np.zeros(3), g, np.zeros(3), np.zeros(3), t=1, lr=0.01)
    assert np.allclose(out["m"], [-0.0341, 0.0242, 0.0099], atol=1e-15)
    assert np.allclose(out["v"], [0.000116281, 0.000058564, 0.000009801], atol=1e-15)
    assert np.allclose(out["m_hat"], g, rtol=1e-13) and np.allclose(out["v_hat"], g**2, rtol=1e-12)
    ratio = out["m_hat"] / (np.sqrt(out["v_hat"]) + 1e-8)
    assert np.allclose(ratio, g / (np.abs(g) + 1e-8), rtol=1e-12)
    assert np.allclose(ratio, [-1, 1, 1], atol=1.1e-7)
    assert np.allclose(out["update"], [0.01, -0.01, -0.01], atol=1.1e-9)
    assert out["update"][0] > 0  # the source printed −0.01003: wrong sign


# -- Adam on the 2-2-2 network, steps 1 and 2 ----------------------------------------------------
def hand_adam_two_steps():
    """Steps 1 and 2 of Adam (η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8) by the formulas, per parameter."""
    loss1, g1 = reference_gradients(START)
    out = {"loss1": loss1, "g1": g1, "after1": {}, "after2": {}, "m2": {}, "v2": {}, "update2": {}}
    for name in NAMES:
        m1, v1 = 0.1 * g1[name], 0.001 * g1[name] ** 2
        out["after1"][name] = START[name] - 0.1 * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)
    loss2, g2 = reference_gradients(out["after1"])
    out["loss2"], out["g2"] = loss2, g2
    for name in NAMES:
        m2 = 0.9 * 0.1 * g1[name] + 0.1 * g2[name]
        v2 = 0.999 * 0.001 * g1[name] ** 2 + 0.001 * g2[name] ** 2
        update = -0.1 * (m2 / (1 - 0.9**2)) / (np.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
        out["m2"][name], out["v2"][name], out["update2"][name] = m2, v2, update
        out["after2"][name] = out["after1"][name] + update
    return out


def test_replay_adam_step_1_moves_all_12_parameters_by_eta_against_the_gradient_sign():
    run = replay_two_layer(optimizer="adam", lr=0.1, steps=1)
    step = run[0]
    assert step["loss"] == pytest.approx(0.8273587, abs=1e-7)
    for name in NAMES:
        assert np.allclose(step["optimizer"][name]["update"], -0.1 * np.sign(step["grads"][name]), atol=5e-8)
    # The numbers the chapter prints after step 1:
    assert np.allclose(step["params"]["W1"], [[0.0, 0.1], [0.2, 0.3]], atol=5e-8)
    assert np.allclose(step["params"]["b1"], [-0.1, -0.1], atol=5e-8)
    assert np.allclose(step["params"]["W2"], [[0.6, 0.7], [0.6, 0.7]], atol=5e-8)
    assert np.allclose(step["params"]["b2"], [0.1, -0.1], atol=5e-8)


def test_replay_adam_steps_1_and_2_match_the_formulas():
    hand = hand_adam_two_steps()
    run = replay_two_layer(optimizer="adam", lr=0.1, steps=2)
    assert run[0]["loss"] == pytest.approx(hand["loss1"], rel=1e-13)
    assert run[1]["loss"] == pytest.approx(hand["loss2"], rel=1e-12)
    for name in NAMES:
        assert np.allclose(run[0]["params"][name], hand["after1"][name], rtol=0, atol=1e-15)
        record = run[1]["optimizer"][name]
        assert np.allclose(record["m"], hand["m2"][name], rtol=1e-12, atol=1e-18)
        assert np.allclose(record["v"], hand["v2"][name], rtol=1e-12, atol=1e-22)
        assert np.allclose(record["update"], hand["update2"][name], rtol=1e-9, atol=1e-15)
        assert np.allclose(run[1]["params"][name], hand["after2"][name], rtol=0, atol=1e-14)


def test_step_2_by_hand_in_closed_form():
    """After step 1 (ε → 0): z1 = [0.1, 0.7], z2_1 − z2_2 = 0.2, so L = log(1 + e^−0.2) and
    layer 1 moves by η·(0.09/0.19)/√(0.000999/0.001999) on momentum alone."""
    run = replay_two_layer(optimizer="adam", lr=0.1, steps=2)
    step2 = run[1]
    assert np.allclose(step2["z1"], [0.1, 0.7], atol=1e-7)
    assert step2["loss"] == pytest.approx(math.log(1 + math.exp(-0.2)), abs=1e-8)
    sigma = 1 / (1 + math.exp(-0.2))
    assert np.allclose(step2["delta2"], [sigma - 1, 1 - sigma], atol=1e-8)
    momentum_only = 0.1 * (0.09 / 0.19) / math.sqrt(0.000999 / 0.001999)
    assert momentum_only == pytest.approx(0.0670058, abs=1e-7)
    assert np.allclose(step2["optimizer"]["W1"]["update"], -momentum_only, atol=1e-7)
    assert np.allclose(step2["optimizer"]["b1"]["update"], -momentum_only, atol=1e-7)


def test_equal_rows_after_step_1_give_layer_1_a_gradient_of_order_eps_at_step_2():
    run = replay_two_layer(optimizer="adam", lr=0.1, steps=2)
    W2 = run[0]["params"]["W2"]
    assert np.max(np.abs(W2[0] - W2[1])) < 1e-8  # equal up to ε-sized terms: 2ηε/|g|
    step2 = run[1]
    assert np.max(np.abs(step2["params_before"]["W2"].T @ step2["delta2"])) < 1e-8
    for name in ("W1", "b1"):
        assert np.max(np.abs(step2["grads"][name])) < 1e-8
    # ... while SGD's W2 rows stay apart and layer 1 keeps a real gradient.
    sgd = replay_two_layer(optimizer="sgd", lr=0.1, steps=2)
    assert np.max(np.abs(sgd[1]["grads"]["W1"])) > 0.01


def test_equal_rows_gap_shrinks_with_eps():
    gaps = []
    for eps in (1e-4, 1e-6, 1e-8):
        W2 = replay_two_layer(optimizer="adam", lr=0.1, eps=eps, steps=1)[0]["params"]["W2"]
        gaps.append(np.max(np.abs(W2[0] - W2[1])))
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[0] == pytest.approx(2 * 0.1 * 1e-4 / 0.26007836, rel=1e-3)  # 2η·ε/(|g| + ε), smallest |g| of W2


# -- tables and figures ---------------------------------------------------------------------------
def test_adam_step_table_lists_all_12_parameters_with_their_numbers():
    from helpers import TWO_LAYER_PARAMETER_LABELS, adam_step_table

    step = replay_two_layer(optimizer="adam", lr=0.1, steps=1)[0]
    table = adam_step_table(step)
    assert [row[0] for row in table.rows] == list(TWO_LAYER_PARAMETER_LABELS)
    row = table.rows[TWO_LAYER_PARAMETER_LABELS.index("W[2]_21")]
    g = step["grads"]["W2"][1, 0]
    assert row[1] == g and row[2] == pytest.approx(0.1 * g) and row[3] == pytest.approx(0.001 * g * g)
    assert row[8] == pytest.approx(-0.1, abs=1e-7) and row[9] == pytest.approx(0.6, abs=1e-7)
    with pytest.raises(ValueError, match="step must be a record"):
        adam_step_table(replay_two_layer(optimizer="sgd", lr=0.1, steps=1)[0])
    few = adam_step_table(step, parameters=["b[2]_1", "W[1]_21"])
    assert [row[0] for row in few.rows] == ["W[1]_21", "b[2]_1"]  # in the network's order
    assert few.rows[1] == table.rows[TWO_LAYER_PARAMETER_LABELS.index("b[2]_1")]


def test_optimizer_trace_table_follows_the_update_rule():
    from helpers import Optimizer, optimizer_trace_table

    table = optimizer_trace_table(Optimizer("momentum", lr=0.1, momentum=0.9), [1.0, 1.0, -2.0])
    velocities = [row[2] for row in table.rows]
    assert np.allclose(velocities, [1.0, 1.9, -0.29])
    assert np.allclose([row[-1] for row in table.rows], np.cumsum([-0.1, -0.19, 0.029]))
    adagrad = optimizer_trace_table(Optimizer("adagrad", lr=0.5), [3.0, 4.0])
    assert adagrad.columns[2:5] == ["s = Σg²", "η/(√· + ε)", "Δθ"]
    assert np.allclose([row[2] for row in adagrad.rows], [9.0, 25.0])
    with pytest.raises(ValueError, match="optimizer must be a helpers.Optimizer"):
        optimizer_trace_table("adam", [1.0])


def test_figures_draw_the_averages_factors_and_runs_they_name():
    from helpers import ema_bias_panel, plot_adam_vs_sgd, plot_bias_correction_factors

    panel = ema_bias_panel()  # its first frame: β = 0.9, noise 0.3, 30 gradients of seed 0
    lines = {line.get_label(): line.get_ydata() for line in panel.figure.axes[0].get_lines()}
    g, t = lines["gradients $g_t$ (mean 1)"], np.arange(1, 31)
    m, s = [0.0], [g[0]]  # the two starts, one step at a time: m_t = β m_{t-1} + (1 − β) g_t
    for g_t in g:
        m.append(0.9 * m[-1] + 0.1 * g_t)
    for g_t in g[1:]:
        s.append(0.9 * s[-1] + 0.1 * g_t)
    assert np.allclose(lines["Adam: $m_0 = 0$"], m[1:], rtol=1e-12)
    assert np.allclose(lines["source 003: $S_1 = g_1$"], s, rtol=1e-12)
    assert np.allclose(lines[r"$\hat m_t = m_t/(1-\beta^t)$"], np.array(m[1:]) / (1 - 0.9 ** t), rtol=1e-12)
    factors = [line.get_ydata() for line in plot_bias_correction_factors().axes[0].get_lines()
               if line.get_label().startswith("$1/(1-")]
    steps = np.arange(1, 10001)
    assert np.allclose(factors, [1 / (1 - 0.9 ** steps), 1 / (1 - 0.999 ** steps)], rtol=1e-12)  # β1, β2 as given
    runs = {name: replay_two_layer(optimizer=name, lr=0.1, steps=5) for name in ("sgd", "adam")}
    ax_loss, ax_grad = plot_adam_vs_sgd(runs).axes
    for (name, run), loss, grad in zip(runs.items(), ax_loss.get_lines(), ax_grad.get_lines(), strict=True):
        assert loss.get_label() == name and np.array_equal(loss.get_ydata(), run.losses)
        assert np.array_equal(grad.get_ydata(), [np.linalg.norm(step["grads"]["W1"]) for step in run])
    assert panel.sliders["beta"].max < 1  # β = 1 would never move off the start: the slider stops short of it


# -- the slider panels ----------------------------------------------------------------------------
import helpers.panels.optimizers as optimizer_panels  # noqa: E402
from helpers import TwoLayerRun, adam_panel, ema_bias_panel  # noqa: E402


def assert_drawn_lines_are_finite(figure):
    for ax in figure.axes:
        for line in ax.get_lines():
            for data in (line.get_xdata(), line.get_ydata()):
                assert np.all(np.isfinite(np.asarray(data, dtype=float))), f"non-finite data drawn in '{ax.get_title()}'"


@pytest.fixture(scope="module")
def panel():
    return adam_panel(steps=20, max_steps=60)


def test_panel_sliders_cover_the_ranges_the_chapter_promises(panel):
    sliders = panel.sliders
    assert (sliders["lr"].base, sliders["lr"].min, sliders["lr"].max) == (10, -4, 0)  # η from 1e-4 to 1, log scale
    assert sliders["beta1"].options[0][1] == 0.0 and sliders["beta1"].options[-1][1] == 0.999
    assert sliders["beta2"].options[0][1] == 0.9 and sliders["beta2"].options[-1][1] == 0.99999
    assert (sliders["eps"].min, sliders["eps"].max) == (-12, 0)
    assert [value for _, value in sliders["optimizer"].options] == ["sgd", "momentum", "rmsprop", "adam"]
    assert all(getattr(s, "continuous_update", True) for s in sliders.values())


def test_the_panel_names_the_parameters_as_chapter_5_writes_them(panel):
    """The layer in brackets, the entry after an underscore counted from 1 (W[1]_11 for W^[1]_11, b[1]_2), not
    "W1[1,1]", where W1 reads as W to the first power and b1[2] as layer 2; the colour key names the layers W[1] …"""
    expected = ([f"W[1]_{j}{k}" for j in (1, 2) for k in (1, 2)] + ["b[1]_1", "b[1]_2"]
                + [f"W[2]_{j}{k}" for j in (1, 2) for k in (1, 2)] + ["b[2]_1", "b[2]_2"])
    assert list(optimizer_panels.TWO_LAYER_PARAMETER_LABELS) == expected
    assert list(panel.sliders["parameter"].options) == expected
    key = [text for text in panel.figure.axes[2].texts if text.get_text() in ("W[1]", "b[1]", "W[2]", "b[2]")]
    assert [text.get_text() for text in key] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    renderer = panel.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in key]
    assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:]))  # side by side, none over the next
    panel.set(parameter="b[1]_2")
    assert panel.figure.axes[3].get_title().startswith("b[1]_2: ")
    assert "b[1]_2 at step 20" in panel.readout_text


def test_the_panel_reads_out_the_chosen_parameters_numbers_and_draws_its_rule():
    panel = adam_panel(steps=2, max_steps=2, parameter="W[1]_11")
    panel.set(steps=2)
    drawn = "\n".join(text.get_text() for ax in panel.figure.axes for text in ax.texts)
    step = replay_two_layer(optimizer="adam", lr=0.1, steps=2)[1]
    # the last step's numbers change on every move: they stand in the readout beside the sliders (in JupyterLab
    # and on the course pages), and the picture says so; the rule and its settings are drawn in the picture
    assert f"Δθ = {step['optimizer']['W1']['update'][0, 0]:.4g}" in panel.readout_text
    assert "W[1]_11 at step 2" in panel.readout_text and "W[1]_11 at step 2" not in drawn
    assert "The last step's numbers:\nbeside the sliders." in drawn
    assert "β1 < √β2 = 0.9995: m̂/√v̂ bounded" in drawn
    panel.set(beta1=0.93, beta2=0.9)
    assert "β1 < √β2 = 0.9487" in "\n".join(text.get_text() for ax in panel.figure.axes for text in ax.texts)
    assert 0.93 in panel.grid["beta1"]  # the static pages precompute the setting between β2 < β1 and β1 < √β2


def test_the_rate_axis_is_labelled_with_the_optimizers_own_scale():
    panel = adam_panel(steps=2, max_steps=2)
    labels = {}
    for optimizer in ("sgd", "momentum", "rmsprop", "adam"):
        panel.set(optimizer=optimizer)
        labels[optimizer] = [ax.get_ylabel() for ax in panel.figure.axes if ax.get_ylabel().startswith("η")][0]
    assert labels == {"sgd": "η", "momentum": "η", "rmsprop": "η/(√v + ε)", "adam": "η/(√v̂ + ε)"}


def test_the_parameter_and_moment_axes_say_what_they_plot_for_each_optimizer():
    panel = adam_panel(steps=2, max_steps=2)
    _, _, ax_params, ax_moments = panel.figure.axes[:4]
    labels = {}
    for optimizer in ("sgd", "momentum", "rmsprop", "adam"):
        panel.set(optimizer=optimizer)
        labels[optimizer] = ax_moments.get_ylabel()
        assert ax_params.get_ylabel() == "value θ"
    assert labels == {"sgd": "g", "momentum": "u", "rmsprop": "|g|, √v, ratio", "adam": "|m̂|, √v̂, ratio"}


def test_beta1_above_beta2_lets_adam_blow_the_parameters_up_and_the_panel_says_when():
    panel = adam_panel(steps=150, max_steps=150, lr=1.0)
    status = panel.set(beta1=0.999, beta2=0.9, eps=1e-12)
    assert status.startswith("|θ| passed 1000 at step 138 ")
    assert_drawn_lines_are_finite(panel.figure)


def test_a_diverging_run_is_drawn_up_to_where_it_diverged_and_the_panel_says_where(monkeypatch):
    real = optimizer_panels._replay_two_layer_flat

    def diverging(**kwargs):
        run = real(**dict(kwargs, steps=min(kwargs["steps"], 6)))
        return TwoLayerRun(run[:6], start=run.start, diverged_at=7, optimizer=run.optimizer)

    monkeypatch.setattr(optimizer_panels, "_replay_two_layer_flat", diverging)
    panel = adam_panel(steps=20, max_steps=20)
    assert panel.status_message == "diverged at step 7"
    assert "diverged at step 7" in panel.figure.axes[0].get_title()
    assert len(panel.figure.axes[0].get_lines()[0].get_xdata()) == 6
    assert_drawn_lines_are_finite(panel.figure)


def test_choosing_another_parameter_or_fewer_steps_reuses_the_run(panel, monkeypatch):
    calls = []
    real = optimizer_panels._replay_two_layer_flat
    monkeypatch.setattr(optimizer_panels, "_replay_two_layer_flat", lambda **kw: calls.append(kw) or real(**kw))
    panel.replay_cache.clear()
    panel.set(optimizer="adam", steps=20, beta2=0.999, eps=1e-8)
    panel.set(parameter="b[1]_2")
    panel.set(steps=5)
    assert len(calls) == 1
    panel.set(beta2=0.99)  # Adam reads β2: a new run
    assert len(calls) == 2
    panel.set(optimizer="sgd")
    panel.set(beta2=0.999, eps=1e-4)  # SGD reads neither
    assert len(calls) == 3


def test_panel_bad_arguments_are_named():
    with pytest.raises(ValueError, match="optimizer must be one of"):
        adam_panel(optimizer="adagrad")
    with pytest.raises(ValueError, match="parameter must be one of"):
        adam_panel(parameter="W3[1,1]")
    with pytest.raises(ValueError, match="start may only name"):
        adam_panel(start={"W3": [[0.0]]})
    with pytest.raises(ValueError, match=r"start\['W2'\] must have entries in"):
        adam_panel(start={"W2": [[1e7, 0.0], [0.0, 0.0]]})
    with pytest.raises(ValueError, match="steps must be a whole number"):
        adam_panel(steps=600, max_steps=500)


def _png_is_blank(png: bytes) -> bool:
    import io

    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    return bool(np.all(pixels == pixels[0, 0]))


def test_two_kernel_threads_refreshing_at_once_never_leave_the_figure_blank():
    """JupyterLab may deliver one drag's slider messages on two kernel threads (main shell and subshell)."""
    import threading

    panel = ema_bias_panel()
    errors = []

    def drag(values):
        try:
            for beta in values:
                panel.set(beta=beta)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=drag, args=([0.1, 0.5, 0.9, 0.3] * 2,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    panel.set(beta=0.7)
    assert not _png_is_blank(panel.png)


def test_the_adam_panel_draws_the_same_picture_whatever_settings_came_before():
    """After SGD's fixed step range, Momentum, RMSProp and extreme η, β, ε and steps, each target setting
    gives the very PNG a freshly opened panel gives (no y-range or curve left over from earlier values)."""
    visited = adam_panel(steps=20, max_steps=60)
    history = [dict(optimizer="sgd", lr=1.0, steps=60), dict(optimizer="momentum", lr=1e-4, beta1=0.999, steps=1),
               dict(optimizer="rmsprop", lr=1.0, beta2=0.9, eps=1.0, steps=60), dict(optimizer="adam", lr=1.0, beta1=0.999,
               beta2=0.9, eps=1e-12), dict(optimizer="sgd", lr=1e-4, beta1=0.0, beta2=0.99999, eps=1e-12, steps=2)]
    targets = [dict(optimizer="adam", lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, steps=30, parameter="W[2]_11"),
               dict(optimizer="rmsprop", lr=0.01, beta1=0.9, beta2=0.99, eps=1e-8, steps=60, parameter="b[1]_2"),
               dict(optimizer="sgd", lr=0.1, beta1=0.5, beta2=0.999, eps=1e-8, steps=40, parameter="W[1]_12"),
               dict(optimizer="momentum", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, steps=60, parameter="b[2]_1")]
    for target in targets:
        for values in history:
            visited.set(**values)
        assert visited.render(**target) == adam_panel(steps=20, max_steps=60).render(**target), target


def optimizer_panels_headline(panel) -> str:
    """The Adam panel's headline: the one text of the axes above the five plots."""
    top = max(panel.figure.axes, key=lambda ax: ax.get_position().y0)
    return top.texts[0].get_text()


def test_the_adam_panel_headline_says_what_each_optimizer_does_with_the_rate():
    panel = adam_panel(steps=5, max_steps=5)
    headlines = {}
    for optimizer in ("sgd", "momentum", "rmsprop", "adam"):
        panel.set(optimizer=optimizer, lr=1.0, beta1=0.999, beta2=0.9, eps=1.0)
        headlines[optimizer] = optimizer_panels_headline(panel)
        panel.set(lr=1e-4, beta1=0.0, beta2=0.99999, eps=1e-12)  # the same words at the other ends
        assert optimizer_panels_headline(panel) == headlines[optimizer]
    assert headlines["sgd"] == "SGD: one rate η for all 12 parameters (bottom left); each moves by η·g"
    assert headlines["momentum"].endswith("each moves by η·u")
    assert headlines["rmsprop"] == "RMSProp: each parameter's own rate η/(√v + ε) (bottom left) is large where √v is small"
    assert headlines["adam"].startswith("Adam: each parameter's own rate η/(√v̂ + ε)")


def test_a_loss_that_levels_off_is_drawn_half_a_decade_clear_of_the_loss_axis_ends():
    """RMSProp at η = 0.1 drops to ≈1e-5 in a few steps and stays there: the curve must not lie on the x axis."""
    panel = adam_panel(optimizer="rmsprop", lr=0.1, steps=200, max_steps=200)
    ax_loss = panel.figure.axes[0]
    losses = ax_loss.get_lines()[0].get_ydata()
    low, high = ax_loss.get_ylim()
    assert ax_loss.get_yscale() == "log" and losses.min() < 2e-5
    assert np.log10(losses.min() / low) >= 0.5 and np.log10(high / losses.max()) >= 0.5


def test_a_loss_below_the_floor_is_marked_where_it_gets_there():
    """RMSProp at η = 1 reaches a loss of exactly 0 at step 3: drawn at LOSS_FLOOR, with a mark and a note."""
    run = optimizer_panels._replay_two_layer_flat(optimizer="rmsprop", lr=1.0, steps=50, beta2=0.999, eps=1e-8)
    first = int(np.argmax(run.losses < optimizer_panels.LOSS_FLOOR)) + 1
    panel = adam_panel(optimizer="rmsprop", lr=1.0, steps=50, max_steps=50)
    drawing_mark = [line for line in panel.figure.axes[0].get_lines() if line.get_marker() == "v"][0]
    assert list(drawing_mark.get_xdata()) == [first] and list(drawing_mark.get_ydata()) == [optimizer_panels.LOSS_FLOOR]
    assert f"L < 1e-16 from step {first}: drawn at 1e-16" in [text.get_text() for text in panel.figure.axes[0].texts]
    assert panel.figure.axes[0].get_ylim()[0] <= optimizer_panels.LOSS_FLOOR / 10 ** 0.5
    panel.set(lr=0.01)  # a run that stays above the floor: no mark, no note
    assert drawing_mark.get_xdata().size == 0
    assert "from step" not in "".join(text.get_text() for text in panel.figure.axes[0].texts)


def test_the_moments_plot_says_which_curves_dip_below_its_axes_and_where_first():
    """Its limits leave out a series' lowest 2 %: with β1 = 0, |m̂| = |g| and the ratio fall to 3e-9 at step 2 (the
    gradient that vanishes in section 3) and back; the note says so, and says nothing when every curve is in view."""
    panel = adam_panel(optimizer="adam", lr=0.1, parameter="W[1]_11")
    panel.set(beta1=0.0)
    ax_moments = panel.figure.axes[3]
    m_hat, root_v_hat, ratio = (line.get_ydata() for line in ax_moments.get_lines()[:3])
    bottom = ax_moments.get_ylim()[0]
    assert m_hat[1] < bottom and ratio[1] < bottom and np.all(root_v_hat >= bottom) and np.all(m_hat[2:] >= bottom)
    assert "below the axes: |m̂|, ratio at step 2" in [text.get_text() for text in ax_moments.texts]
    panel.set(beta1=0.9)  # the default: every curve in view, no note
    assert not "".join(text.get_text() for text in ax_moments.texts)
    assert optimizer_panels._below_note(1.0, {"a": [2.0, 0.5], "b": [0.1, 3.0], "c": [1.0]}) == \
        "below the axes: b at step 1; a at step 2"


def test_try_5_shows_the_ratio_growing_and_the_runaway_parameters_over_the_decades():
    panel = adam_panel(steps=500, max_steps=500, lr=1.0)
    status = panel.set(beta1=0.999, beta2=0.9, eps=1e-12)
    ax_loss, _, ax_params, ax_moments = panel.figure.axes[:4]
    assert status.startswith("|θ| passed 1000 at step 138 ")
    assert "|θ|" not in ax_loss.get_title() and "from step 138" in ax_params.get_title()  # said over θ, not the loss
    assert ax_params.get_yscale() == "symlog" and ax_moments.get_yscale() == "log"
    m_hat, root_v_hat, ratio = (line.get_ydata() for line in ax_moments.get_lines()[:3])
    assert np.allclose(ratio, m_hat / root_v_hat) and ratio[-1] > 1e6 * ratio[99]  # √v̂ forgets, m̂ does not
    assert_drawn_lines_are_finite(panel.figure)


def test_the_panel_writes_eta_in_its_picture_for_the_static_pages():
    panel = adam_panel(steps=20, max_steps=20)
    panel.set(lr=0.01)
    assert "η = 0.01" in [text.get_text() for text in panel.figure.axes[0].texts]


def test_loss_against_learning_rate_marks_losses_below_the_floor_and_says_so():
    from helpers.panels.optimizers import LOSS_FLOOR, plot_loss_against_learning_rate
    figure = plot_loss_against_learning_rate([0.1, 1.0, 3.0], {"Adam": [0.5, 1e-9, 0.0]}, step=10)
    ax = figure.axes[0]
    marks = [line for line in ax.get_lines() if line.get_marker() == "v"]
    assert [list(mark.get_xydata()[:, 0]) for mark in marks] == [[3.0]] and marks[0].get_ydata()[0] == LOSS_FLOOR
    assert any(text.get_text().startswith("▼ L < 1e-16") for text in ax.texts)
