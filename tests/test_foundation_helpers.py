import asyncio

import ipywidgets as widgets
import numpy as np
import pytest
import sympy

from helpers import SliderPanel, Table, check_agreement, evaluate, new_figure, numerical_gradient, show_figure, format_number
from helpers.plots import nice_limits, nice_step


def make_panel(diverge_above=0.5):
    figure, ax = new_figure()
    (line,) = ax.plot([], [])
    calls = []

    def update(lr, steps):
        calls.append((lr, steps))
        x = np.arange(steps)
        line.set_data(x, lr * x)
        return f"diverged at step {steps}" if lr > diverge_above else None

    sliders = {"lr": widgets.FloatSlider(value=0.1, min=0.01, max=1.0), "steps": widgets.IntSlider(value=5, min=1, max=50)}
    return SliderPanel(sliders, figure, update, description="test panel"), line, calls


def test_panel_draws_once_at_start_and_updates_the_same_artist_on_change():
    panel, line, calls = make_panel()
    first_png = panel.png
    assert calls == [(0.1, 5)] and first_png.startswith(b"\x89PNG")
    panel.sliders["lr"].value = 0.2
    assert calls[-1] == (0.2, 5)
    assert panel.png != first_png and bytes(panel.image.value) == panel.png
    assert panel.figure.axes[0].get_lines() == [line]


def test_in_a_kernels_event_loop_a_change_redraws_at_once_and_quicker_changes_share_the_next_redraw():
    panel, _, calls = make_panel()
    panel.debounce_seconds = 0.5

    async def student_moves_the_slider():
        await asyncio.sleep(0.5)  # the panel's first drawing is debounce_seconds old
        panel.sliders["lr"].value = 0.2
        assert calls[-1] == (0.2, 5)  # drawn at once (a key press waits for nothing)
        drawn = len(calls)
        panel.sliders["lr"].value = 0.3
        panel.sliders["lr"].value = 0.4
        assert len(calls) == drawn  # too soon after a redraw: the next one takes both
        await asyncio.sleep(0.8)
        assert calls[drawn:] == [(0.4, 5)] and panel.values()["lr"] == 0.4

    asyncio.run(student_moves_the_slider())


def test_panel_set_moves_several_sliders_with_one_redraw_and_reports_status():
    panel, _, calls = make_panel()
    message = panel.set(lr=0.9, steps=7)
    assert calls[-1] == (0.9, 7) and len(calls) == 2
    assert message == "diverged at step 7" and "diverged at step 7" in panel.status.value


def test_panel_render_restores_the_sliders():
    panel, _, _ = make_panel()
    png = panel.render(lr=0.3)
    assert png.startswith(b"\x89PNG") and panel.values() == {"lr": 0.1, "steps": 5}


def test_panel_rejects_unknown_slider_names():
    panel, _, _ = make_panel()
    with pytest.raises(ValueError, match="unknown slider"):
        panel.set(beta=0.5)


def test_panel_text_form_is_its_description_and_it_carries_a_png_fallback():
    panel, _, _ = make_panel()
    bundle = panel._repr_mimebundle_()
    assert bundle["text/plain"] == "test panel"
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_panel_refuses_to_draw_infinite_values():
    figure, ax = new_figure()
    (line,) = ax.plot([], [])

    def update(lr):
        line.set_data([0, 1], [0, np.inf])

    with pytest.raises(RuntimeError, match="inf"):
        SliderPanel({"lr": widgets.FloatSlider()}, figure, update, description="broken")


def test_figures_show_as_png_with_their_title_as_text():
    figure, ax = new_figure()
    ax.set_title("What to notice")
    bundle, metadata = show_figure(figure)._repr_mimebundle_()
    assert bundle["text/plain"] == "Figure: What to notice"
    assert metadata == {"image/png": {"alt": "What to notice"}}  # the static pages' alt text


def test_a_figures_alt_text_gives_its_title_then_each_axes_title_in_plain_words():
    figure, (left, right) = new_figure(1, 2)
    figure.suptitle("Every step lowers the loss and moves $\\hat y_1$ toward 1")
    left.set_title("loss")
    right.set_title("probability of\nthe true class")
    _, metadata = show_figure(figure, description="Training the network")._repr_mimebundle_()
    assert metadata["image/png"]["alt"] == "Training the network; loss; probability of the true class"
    _, metadata = show_figure(figure)._repr_mimebundle_()
    assert metadata["image/png"]["alt"] == ("Every step lowers the loss and moves ŷ_1 toward 1; loss; "
                                            "probability of the true class")


def test_table_rounds_for_display_and_keeps_full_precision():
    table = Table([[0.123456789, np.array([1.0, -0.00004])]], ["a", "b"], digits=3)
    assert "0.123" in repr(table) and table.rows[0][0] == 0.123456789
    assert "<td>0.123</td>" in table._repr_html_()


def test_negative_zero_is_printed_as_zero():
    assert format_number(-1e-12, 4) == "-1.0000e-12"
    assert format_number(-0.0, 4) == "0.0000"
    assert format_number(np.array([-0.0, 2]), 2) == "[0.00, 2.00]"


def test_agreement_passes_within_tolerance_and_raises_outside():
    w = sympy.Symbol("w")
    assert check_agreement("d/dw", sympy.diff(w**3, w), 12.0, values={w: 2})
    with pytest.raises(AssertionError, match="DISAGREE"):
        check_agreement("d/dw", sympy.diff(w**3, w), 12.1, values={w: 2})


def test_evaluate_names_the_missing_symbols():
    a, b = sympy.symbols("a b")
    with pytest.raises(ValueError, match="missing \\['b'\\]"):
        evaluate(a + b, {a: 1})
    assert np.allclose(evaluate(sympy.Matrix([[a, 2 * a]]), {a: 1.5}), [[1.5, 3.0]])


def test_numerical_gradient_matches_a_known_gradient():
    point = np.array([[1.0, -2.0], [0.5, 3.0]])
    estimate = numerical_gradient(lambda p: float(np.sum(p**3)), point)
    assert np.allclose(estimate, 3 * point**2, atol=1e-6)


def test_freeze_layout_keeps_the_frame_still_and_drops_the_engine():
    panel, line, _ = make_panel()
    panel.freeze_layout(lr=1.0, steps=50)
    position = panel.figure.axes[0].get_position().bounds
    assert panel.figure.get_layout_engine() is None
    panel.set(lr=0.02, steps=2)
    panel.render(lr=0.5)
    assert panel.figure.axes[0].get_position().bounds == position
    assert panel.values() == {"lr": 0.02, "steps": 2}


def make_scaling_panel():
    """A panel whose labels need other room on the left and on top as the slider moves (1e-6 … 1e6)."""
    figure, ax = new_figure()
    (line,) = ax.plot([], [])

    def update(scale):
        line.set_data([0, 1], [0, scale])
        ax.relim()
        ax.autoscale_view()
        ax.set_ylabel("value" if scale < 1 else "value\nin\nmillions")  # wider on the left
        ax.set_title("small\nvalues\nhere" if scale < 1 else "large")  # taller on top

    slider = widgets.FloatLogSlider(value=1.0, base=10, min=-6, max=6)
    return SliderPanel({"scale": slider}, figure, update, description="scaling panel")


def test_freeze_layout_over_several_settings_keeps_the_box_inside_each_of_their_layouts():
    boxes = [make_scaling_panel().freeze_layout(scale=s).figure.axes[0].get_position().get_points() for s in (1e-6, 1e6)]
    both = make_scaling_panel().freeze_layout({"scale": 1e-6}, {"scale": 1e6}).figure.axes[0].get_position().get_points()
    assert not np.allclose(boxes[0], boxes[1])  # the two settings need different room
    assert np.allclose(both[0], np.maximum(boxes[0][0], boxes[1][0]))
    assert np.allclose(both[1], np.minimum(boxes[0][1], boxes[1][1]))


def test_freeze_layout_with_fixed_ticks_keeps_the_tick_labels_it_laid_out():
    panel = make_scaling_panel().freeze_layout(scale=1e6, fix_ticks=True)
    axis = panel.figure.axes[0].yaxis
    ticks, labels = list(axis.get_majorticklocs()), [t.get_text() for t in axis.get_majorticklabels()]
    panel.set(scale=1e-3)
    assert list(axis.get_majorticklocs()) == ticks
    assert [t.get_text() for t in axis.get_majorticklabels()] == labels and labels
    with pytest.raises(ValueError, match="unknown slider"):
        make_scaling_panel().freeze_layout({"lr": 1.0})


# -- nice_limits: round axis limits that nearby data share -----------------------------------------------
@pytest.mark.parametrize("log", [False, True])
def test_nice_limits_round_outwards_hold_the_data_and_leave_it_over_40_percent(log):
    rng = np.random.default_rng(0)
    for _ in range(2000):
        if log:
            low = 10.0 ** rng.uniform(-14, 6)
            high = low * 10.0 ** rng.uniform(0, 15)
        else:
            low = rng.uniform(-1e3, 1e3) * 10.0 ** rng.integers(-6, 4)
            high = low + rng.uniform(0, 2e3) * 10.0 ** rng.integers(-6, 4)
        first, last = nice_limits(low, high, log=log)
        assert first <= low and high <= last and first < last, (low, high, first, last)
        if log:  # whole decades, and data spanning at least one decade fill over 40 % of them
            assert np.log10(first) == round(np.log10(first)) and np.log10(last) == round(np.log10(last))
            if high >= 10 * low:
                assert np.log10(high / low) > 0.4 * np.log10(last / first)
        elif high > low:  # whole multiples of a 1, 2 or 5 × 10^k step
            step = nice_step(high - low, 4)
            assert f"{step:.1e}"[0] in "125"
            assert np.isclose(first / step, round(first / step)) and np.isclose(last / step, round(last / step))
            assert high - low > 0.4 * (last - first)


def test_nice_limits_of_a_slider_sweep_take_few_distinct_values():
    tops = np.linspace(3.0, 9.0, 60)  # a curve's top drifting as a slider moves
    assert nice_limits(0.0, 3.7) == (0.0, 4.0) and nice_limits(0.0, 7.2) == (0.0, 8.0)
    assert len({nice_limits(0.0, top) for top in tops}) <= 6
    lowest = np.geomspace(1e-3, 1e-12, 60)  # a loss falling further as η grows
    assert nice_limits(1e-12, 1.0, log=True, pieces=3) == (1e-15, 1.0)
    assert len({nice_limits(low, 1.0, log=True, pieces=3) for low in lowest}) <= 5


def test_nice_limits_with_a_fixed_step_of_decades_land_on_its_multiples_and_hold_the_data():
    rng = np.random.default_rng(1)
    for decades in (1, 2, 3):
        for _ in range(500):
            low = 10.0 ** rng.uniform(-14, 6)
            high = low * 10.0 ** rng.uniform(0, 15)
            first, last = nice_limits(low, high, log=True, decades=decades)
            exponents = np.log10([first, last])
            assert first <= low and high <= last and first < last, (decades, low, high, first, last)
            assert np.all(exponents == np.round(exponents)) and np.all(np.round(exponents) % decades == 0)
            assert np.log10(low / first) < decades and np.log10(last / high) < decades  # less than a step past each end
    assert nice_limits(3e-5, 2.6, log=True, decades=2) == (1e-6, 100.0)
    assert nice_limits(3e-5, 2.6, log=True, pieces=10) == (1e-5, 10.0)  # steps of 1 decade
    lowest = np.geomspace(1e-3, 1e-12, 60)  # a loss falling further as η grows: every other decade
    assert len({nice_limits(low, 1.0, log=True, decades=2) for low in lowest}) == 5
    with pytest.raises(ValueError, match="decades is for log axes only"):
        nice_limits(1.0, 2.0, decades=2)


def test_nice_limits_of_equal_ends_are_one_step_apart_and_bad_input_is_named():
    assert nice_limits(2.0, 2.0) == (2.0, 2.5) and nice_limits(0.0, 0.0) == (0.0, 0.5)
    assert nice_limits(3.0, 3.0, log=True) == (1.0, 10.0)
    with pytest.raises(ValueError, match="high must be a number ≥ low"):
        nice_limits(2.0, 1.0)
    with pytest.raises(ValueError, match="low must be a finite number in \\(0"):
        nice_limits(0.0, 1.0, log=True)
    with pytest.raises(ValueError, match="pieces"):
        nice_limits(0.0, 1.0, pieces=0)
    with pytest.raises(ValueError, match="high"):
        nice_limits(0.0, float("nan"))
