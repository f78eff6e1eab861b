"""Initialization: the schemes keep their promised spread, the derivations hold, constant starts stay symmetric."""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import (INIT_SCHEMES, SOURCE_003_INIT_TENSORS, activation_statistics, initializer_range, derive_he_initialization, derive_linear_layer_variance,
                     derive_relu_second_moment, derive_uniform_variance, derive_xavier_initialization,
                     hidden_unit_spread, initialization_activation_panel, initialize_weights, initializer_bound,
                     initializer_std, plot_initialization_layer_stds, plot_initialization_symmetry,
                     replay_two_layer, replay_with_initialization, derive_hidden_unit_symmetry)
from helpers.derivations.initialization import fan_in as N_IN, fan_out as N_OUT

RANDOM = [s for s in INIT_SCHEMES if s not in ("zeros", "ones", "constant")]
XAVIER, HE = derive_xavier_initialization(), derive_he_initialization()


@pytest.mark.parametrize("scheme", RANDOM)
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_empirical_std_of_a_large_seeded_draw_is_within_2_percent_of_the_derived_one(scheme, mode):
    weights = initialize_weights(scheme, 300, 200, seed=3, mode=mode)
    assert weights.shape == (200, 300)
    assert weights.std() == pytest.approx(initializer_std(scheme, 300, 200, mode=mode), rel=0.02)


def test_uniform_entries_stay_inside_their_bound_and_reach_close_to_it():
    for scheme, mode in (("xavier_uniform", "fan_in"), ("he_uniform", "fan_in"), ("he_uniform", "fan_out")):
        bound = initializer_bound(scheme, 300, 200, mode=mode)
        weights = initialize_weights(scheme, 300, 200, mode=mode)
        assert np.max(np.abs(weights)) <= bound and np.max(np.abs(weights)) > 0.999 * bound
    plain = initialize_weights("uniform", 6, 4)
    assert np.all((plain >= 0) & (plain < 1))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5000), st.integers(1, 5000))
def test_numeric_formulas_equal_the_sympy_derivations(n_in, n_out):
    xavier, he = XAVIER, HE
    values = {N_IN: n_in, N_OUT: n_out}
    assert initializer_std("xavier_normal", n_in, n_out) == pytest.approx(float(xavier.std.subs(values)), rel=1e-12)
    assert initializer_bound("xavier_uniform", n_in, n_out) == pytest.approx(float(xavier.bound.subs(values)), rel=1e-12)
    assert initializer_std("he_normal", n_in, n_out) == pytest.approx(float(he.std_fan_in.subs(values)), rel=1e-12)
    assert initializer_bound("he_uniform", n_in, n_out, mode="fan_out") == pytest.approx(
        float(he.bound_fan_out.subs(values)), rel=1e-12)


def test_derivations_give_the_textbook_formulas():
    uniform = derive_uniform_variance()
    assert sp.simplify(uniform.variance - uniform.a**2 / 3) == 0
    assert sp.simplify(uniform.general_variance - (uniform.high - uniform.low) ** 2 / 12) == 0
    layer = derive_linear_layer_variance(n=2)
    assert layer.cross_term == 0 and sp.simplify(layer.variance_n - 2 * layer.sigma_w**2 * layer.sigma_x**2) == 0
    xavier = derive_xavier_initialization()
    assert sp.simplify(xavier.bound**2 - 6 / (N_IN + N_OUT)) == 0 and sp.simplify(xavier.variance - 2 / (N_IN + N_OUT)) == 0
    relu = derive_relu_second_moment()
    assert sp.simplify(relu.second_moment - relu.s**2 / 2) == 0
    assert float(relu.variance.subs(relu.s, 1)) == pytest.approx(0.5 - 1 / (2 * math.pi))
    he = derive_he_initialization()
    assert sp.simplify(he.variance_fan_in - 2 / N_IN) == 0 and sp.simplify(he.variance_fan_out - 2 / N_OUT) == 0


def test_relu_second_moment_matches_a_large_sample():
    z = np.random.default_rng(0).normal(0, 2.0, size=400_000)
    assert np.mean(np.maximum(z, 0) ** 2) == pytest.approx(2.0, rel=0.01)  # s²/2 with s = 2


@pytest.mark.parametrize("scheme", ["ones", "constant"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_constant_start_keeps_the_hidden_units_exactly_identical_on_the_2_2_2_net(scheme, optimizer):
    run, spreads = replay_with_initialization(scheme, steps=50, optimizer=optimizer, lr=0.1)
    assert len(run) == 50 and np.all(spreads == 0.0)
    assert np.all(run[0]["grads"]["W1"] == 0.0)  # equal rows of W2 and Σδ2 = 0 block layer 1 at step 1
    assert np.any(run[1]["grads"]["W1"] != 0.0) and run.losses[-1] < run.losses[0]


def test_constant_start_keeps_the_hidden_units_exactly_identical_on_a_wider_net():
    run, spreads = replay_with_initialization("constant", hidden=4, x=[1.0, 2.0, -1.0], y=[0.0, 1.0, 0.0], steps=50)
    assert np.all(spreads == 0.0) and run.final_params["W1"].shape == (4, 3)
    assert run.losses[-1] < 0.05


def test_all_zero_start_learns_only_the_output_bias():
    run, _ = replay_with_initialization("zeros", steps=20)
    final = run.final_params
    assert np.all(final["W1"] == 0) and np.all(final["W2"] == 0) and np.all(final["b1"] == 0)
    assert np.allclose(final["b2"], [0.6626, -0.6626], atol=1e-4)
    assert run.losses[0] == pytest.approx(math.log(2))


def test_chapter_numbers_of_the_constant_starts():
    losses = {scheme: replay_with_initialization(scheme, steps=50)[0].losses for scheme in ("zeros", "ones", "constant")}
    assert [round(losses[s][-1], 4) for s in ("zeros", "ones", "constant")] == [0.1078, 0.0355, 0.0369]
    run, _ = replay_with_initialization("constant", steps=1)
    assert np.allclose(run[0]["grads"]["W2"], [[-0.477687, -0.477687], [0.477687, 0.477687]], atol=1e-6)
    assert np.allclose(replay_with_initialization("zeros", steps=50)[0].final_params["b2"], [1.0969, -1.0969], atol=1e-4)


def test_random_start_breaks_the_symmetry():
    _, spreads = replay_with_initialization("xavier_normal", steps=30)
    assert spreads[0] > 0 and np.all(spreads > 0)


def test_hidden_unit_spread_agrees_with_the_network_helper_on_a_hand_made_case():
    params = {"W1": [[0.1, 0.2], [0.1, 0.2]], "b1": [0.0, 0.0], "W2": [[0.5, 0.5], [0.7, 0.7]], "b2": [0.0, 0.0]}
    assert hidden_unit_spread(params) == 0.0
    run = replay_two_layer(**params, steps=5)
    assert all(hidden_unit_spread(step["params"]) == 0.0 for step in run)
    assert hidden_unit_spread({**params, "W2": [[0.5, 0.6], [0.7, 0.7]]}) == pytest.approx(0.1)


def test_activation_experiment_at_the_chapters_settings():
    he_relu = activation_statistics("he_normal", "relu")["std"]
    small_tanh = activation_statistics("normal", "tanh", std=0.01)["std"]
    big_relu = activation_statistics("normal", "relu", std=1.0)["std"]
    assert np.all((he_relu > 0.5) & (he_relu < 2.0))
    assert np.all(np.diff(np.log10(small_tanh)) < -0.9)  # ×0.1 per layer: σ·√width = 0.01·10
    assert big_relu[-1] > 1e7
    assert activation_statistics("he_normal", "relu")["std"] == pytest.approx(he_relu, rel=0, abs=0)  # seeded


def test_layer_products_in_row_blocks_equal_the_plain_product():
    from helpers.initialization import _on_one_thread

    rng = np.random.default_rng(1)
    for rows, width in ((3, 5), (100, 100), (100, 200), (7, 400)):
        a, W = rng.standard_normal((rows, width)), rng.standard_normal((width, width))
        assert np.allclose(_on_one_thread(a, W.T), a @ W.T, rtol=1e-13, atol=1e-12)


def test_panel_shows_the_first_layers_of_the_deepest_run_and_they_match_the_experiment():
    panel = initialization_activation_panel()
    panel.set(depth=7, width=20, activation="relu")
    he = panel.figure.axes[0].get_lines()[3]  # the fourth setting: He (normal)
    expected = activation_statistics("he_normal", "relu", depth=7, width=20, n_samples=100)["std"]
    assert np.array_equal(he.get_xdata(), np.arange(1, 8)) and np.allclose(he.get_ydata(), expected, rtol=1e-12)


def test_backpropagated_weight_gradients_match_finite_differences():
    """grad_std is the std of ∂L/∂W[l] for L = mean over samples of r·a[depth]; rebuild that loss here and
    differentiate it numerically, entry by entry, for every layer."""
    from helpers.gradient_check import numerical_gradient
    depth, width, n, seed = 3, 4, 5, 2
    for activation in ("tanh", "relu"):
        stats = activation_statistics("xavier_normal", activation, depth=depth, width=width, n_samples=n, seed=seed,
                                      gradients=True)
        x = np.random.default_rng(seed).standard_normal((n, width))
        r = np.random.default_rng(seed + 10_000).standard_normal((n, width))
        weights = [initialize_weights("xavier_normal", width, width, seed=seed + layer + 1) for layer in range(depth)]
        act = np.tanh if activation == "tanh" else (lambda z: np.maximum(z, 0.0))

        def loss(flat, layer):
            ws = list(weights)
            ws[layer] = flat.reshape(width, width)
            a = x
            for W in ws:
                a = act(a @ W.T)
            return np.mean(np.sum(r * a, axis=1))

        for layer in range(depth):
            numeric = numerical_gradient(lambda flat: loss(flat, layer), weights[layer].ravel())
            assert stats["grad_std"][layer] == pytest.approx(numeric.std(), rel=1e-5), (activation, layer)


def test_xavier_keeps_tanh_gradients_level_and_sigma_one_saturates():
    """The chapter's claims about the backward pass, at the chapter's settings (10 layers of 100 units)."""
    ratio = {}
    for scheme, std in (("normal", 1.0), ("xavier_normal", 1.0), ("he_normal", 1.0)):
        stats = activation_statistics(scheme, "tanh", std=std, gradients=True)
        ratio[scheme] = stats["grad_std"][0] / stats["grad_std"][-1]
        if scheme == "normal":
            assert np.all(stats["saturated"] > 0.75)
        else:
            assert stats["saturated"][-1] < 0.01
    assert 0.8 < ratio["xavier_normal"] < 1.25 < ratio["he_normal"] < 2.5 and ratio["normal"] > 1000


def test_every_draw_and_every_printed_source_tensor_lies_in_its_schemes_range():
    for scheme in INIT_SCHEMES:
        low, high = initializer_range(scheme, 6, 4, mode="fan_out")
        weights = initialize_weights(scheme, 6, 4, mode="fan_out", seed=5)
        assert np.all((weights >= low) & (weights <= high)), scheme
    for call, (scheme, mode, values) in SOURCE_003_INIT_TENSORS.items():
        low, high = initializer_range(scheme, 6, 4, mode=mode)
        assert np.shape(values) == (4, 6) and low <= np.min(values) and np.max(values) <= high, call
    assert initializer_range("xavier_uniform", 6, 4) == pytest.approx((-math.sqrt(0.6), math.sqrt(0.6)))
    assert initializer_range("he_normal", 6, 4) == (-math.inf, math.inf)


def test_source_printed_tensors_fit_their_schemes():
    kaiming_fan_out = np.array(SOURCE_003_INIT_TENSORS["kaiming_uniform_ (fan_out)"][2])
    bound = initializer_bound("he_uniform", 6, 4, mode="fan_out")
    assert bound == pytest.approx(1.2247, abs=1e-4) and np.max(np.abs(kaiming_fan_out)) <= bound
    # every one of 24 draws inside ±0.9836: unlikely with the bound 1.2247 the code asks for
    assert (0.9836 / bound) ** 24 == pytest.approx(0.0052, abs=1e-4)
    assert initializer_bound("xavier_uniform", 6, 4) == pytest.approx(0.7746, abs=1e-4)


def test_figures_have_titles_that_say_what_to_notice():
    assert "He keeps ReLU steady" in plot_initialization_layer_stds(depth=3, width=10).get_suptitle()
    assert "Xavier's ∂L/∂W is level across layers" in plot_initialization_layer_stds(quantity="gradients", depth=3,
                                                                              width=10).get_suptitle()
    assert "He keeps ReLU steady" in initialization_activation_panel().figure.get_suptitle()
    runs = {"constant": replay_with_initialization("constant", steps=3)[0]}
    assert "coincide" in plot_initialization_symmetry(runs).get_suptitle()


def test_every_panel_of_the_symmetry_figure_says_what_its_own_y_axis_measures():
    # the panels do not share a y-scale (constant start: 0.629 … 0.655; Xavier: 0.04 … 0.69), so none may be unlabelled
    runs = {"constant 0.63": replay_with_initialization("constant", value=0.63, steps=5)[0],
            "Xavier (normal), seed 0": replay_with_initialization("xavier_normal", steps=5)[0]}
    figure = plot_initialization_symmetry(runs)
    assert len(figure.axes) == 2
    for ax in figure.axes:
        assert "$W^{[1]}_{j1}$" in ax.get_ylabel(), ax.get_title()
    assert "(a different scale)" in figure.axes[1].get_ylabel()
    assert "coincide" in figure.get_suptitle()


def test_the_symmetry_figures_weights_move_as_chapter_10_says():
    # chapter 10's text: from the constant start the weight moves by only 0.024 (0.630 → 0.654), from the random start
    # unit 2's moves by 0.21 (0.453 → 0.662): hence the panels' different y-scales
    for scheme, unit, start, end in [("constant", 0, 0.630, 0.654), ("constant", 1, 0.630, 0.654),
                                     ("xavier_normal", 1, 0.453, 0.662)]:
        run, _ = replay_with_initialization(scheme, value=0.63, steps=50, lr=0.1)
        weights = np.array([run.start["W1"]] + [step["params"]["W1"] for step in run])[:, unit, 0]
        assert round(weights[0], 3) == start and round(weights[-1], 3) == end, (scheme, unit)
        assert weights.min() == pytest.approx(min(start, end), abs=5e-4)  # the end is as far as it goes
        assert weights.max() == pytest.approx(max(start, end), abs=5e-4)


@pytest.mark.parametrize("call, name", [
    (lambda: initialize_weights("xavier_normal", 0, 4), "fan_in"),
    (lambda: initialize_weights("xavier_normal", 6, 0), "fan_out"),
    (lambda: initialize_weights("xavier_normal", 2.5, 4), "fan_in"),
    (lambda: initialize_weights("glorot", 6, 4), "scheme"),
    (lambda: initialize_weights("he_normal", 6, 4, mode="fan_avg"), "mode"),
    (lambda: initialize_weights("uniform", 6, 4, low=1.0, high=1.0), "low"),
    (lambda: initialize_weights("normal", 6, 4, std=0.0), "std"),
    (lambda: initialize_weights("constant", 6, 4, value=float("nan")), "value"),
    (lambda: initialize_weights("normal", 6, 4, seed=-1), "seed"),
    (lambda: initializer_bound("xavier_normal", 6, 4), "scheme"),
    (lambda: initializer_std("he_normal", 6, -3), "fan_out"),
    (lambda: activation_statistics("he_normal", "sigmoid"), "activation"),
    (lambda: activation_statistics("he_normal", "relu", depth=0), "depth"),
    (lambda: activation_statistics("he_normal", "relu", width=0), "width"),
    (lambda: replay_with_initialization("constant", hidden=0), "hidden"),
    (lambda: replay_with_initialization("constant", y=[0.5, 0.5]), "y"),
    (lambda: plot_initialization_symmetry({}), "runs"),
    (lambda: initialization_activation_panel(seed=-1), "seed"),
    (lambda: initializer_range("he_uniform", 6, 4, mode="fan_avg"), "mode"),
    (lambda: initializer_range("uniform", 6, 4, low=2.0, high=1.0), "low"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_symmetry_proof_is_not_vacuous_and_matches_backprop_at_a_symmetric_point():
    proof = derive_hidden_unit_symmetry(hidden=2, inputs=2)
    assert proof.grad_W1[0, 0] != 0 and proof.all_hold and len(proof.checks) == 3
    point = {"x_1": 1.0, "x_2": 2.0, "w_11": 0.3, "w_12": -0.2, "c_1": 0.1, "v_11": 0.5, "v_21": -0.4, "d_1": 0.0, "d_2": 0.2}
    values = {symbol: point[symbol.name] for symbol in proof.loss.free_symbols if symbol.name in point}
    run = replay_two_layer(x=[1.0, 2.0], y=[1.0, 0.0], W1=[[0.3, -0.2], [0.3, -0.2]], b1=[0.1, 0.1],
                           W2=[[0.5, 0.5], [-0.4, -0.4]], b2=[0.0, 0.2], steps=1)
    symbolic = np.array(proof.grad_W1.subs(values).evalf(), dtype=float)
    assert np.allclose(symbolic, run[0]["grads"]["W1"], atol=1e-12)


def test_the_symmetry_proof_names_each_layer_as_the_course_writes_it():
    # superscript [l] for layers, written W[1] in plain text, and b[1]_2 for entry 2 of b[1], as chapter 5 writes δ[1]_2
    # ("b1[2]" read as layer 2)
    proof = derive_hidden_unit_symmetry(hidden=3, inputs=3)
    assert list(proof.checks) == ["∂L/∂W[1] row 2 = row 1", "∂L/∂b[1]_2 = ∂L/∂b[1]_1", "∂L/∂W[2] column 2 = column 1",
                                  "∂L/∂W[1] row 3 = row 1", "∂L/∂b[1]_3 = ∂L/∂b[1]_1", "∂L/∂W[2] column 3 = column 1"]


@pytest.mark.parametrize("quantity", ["activations", "gradients"])
def test_static_figure_marks_where_a_line_leaves_the_plot_as_the_panel_does(quantity):
    """A line that leaves the fixed log range (σ = 0.01's activations fall below 1e-8 within ten layers) ends in a
    triangle on the edge it crosses, at the first layer outside, pointing out; lines that stay inside have none."""
    from helpers.initialization import init_experiment_layer_stds
    from helpers.panels.initialization import plot_initialization_layer_stds

    figure = plot_initialization_layer_stds(quantity=quantity)
    key = "std" if quantity == "activations" else "grad_std"
    marked = 0
    for ax, activation in zip(figure.axes[:2], ("tanh", "relu")):
        low, high = ax.get_ylim()
        exits = [line for line in ax.get_lines() if line.get_linestyle() == "None" and len(line.get_xdata())]
        expected = []
        for values in init_experiment_layer_stds(activation, 10, 100, 0, 200, key).values():
            outside = np.flatnonzero((values < low) | (values > high))
            if outside.size:
                below = values[outside[0]] < low
                expected.append((outside[0] + 1, low if below else high, "v" if below else "^"))
        drawn = sorted((int(l.get_xdata()[0]), float(l.get_ydata()[0]), l.get_marker()) for l in exits)
        assert drawn == sorted(expected)
        marked += len(drawn)
    assert quantity == "gradients" or marked >= 2  # σ = 0.01 leaves below under tanh and ReLU
