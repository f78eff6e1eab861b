"""The course's canvas keeps each text's glyph bitmaps (helpers.plots.TextKeepingRenderer): a text drawn again is
blended from them, so its pixels must be exactly those matplotlib's own Agg renderer draws.

Independent reference: the same figure drawn by matplotlib's FigureCanvasAgg, which renders every glyph anew.
"""
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import helpers.plots as plots
from helpers.plots import CourseCanvas, TextKeepingRenderer, new_figure


def texts_figure():
    """A figure with tick labels, a title, bold, italic, rotated, small and mathtext texts, some at fractional
    pixel places."""
    figure, ax = new_figure(width=5.0, height=3.0)
    ax.plot([0, 1, 2], [0.3, 1.7, 0.9])
    ax.set_title("loss after 200 steps: 0.0123")
    ax.set_xlabel("step t")
    ax.set_ylabel("loss $L$")
    ax.text(0.31, 0.77, "W[1]_11 = −0.2531", fontsize=8.5, fontweight="bold")
    ax.text(1.1, 0.5, "tilted 37°", rotation=37, style="italic", color="#D55E00", alpha=0.6)
    figure.set_layout_engine(None)
    return figure


def pixels(figure, canvas_class):
    canvas_class(figure)
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def recolour_texts(figure, colour):
    for ax in figure.axes:
        for text in (ax.title, *ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels()):
            text.set_color(colour)


def test_the_course_canvas_draws_with_the_text_keeping_renderer():
    figure, _ = new_figure()
    assert isinstance(figure.canvas, CourseCanvas)
    assert isinstance(figure.canvas.get_renderer(), TextKeepingRenderer)


def test_texts_drawn_again_from_kept_glyphs_have_matplotlibs_pixels_whatever_their_colour():
    figure = texts_figure()
    reference = pixels(figure, FigureCanvasAgg)
    CourseCanvas(figure)
    first = pixels_on_current(figure)
    renderer = figure.canvas.get_renderer()
    assert len(renderer.kept_texts) >= 10 and renderer.kept_text_bytes > 0  # the ticks, title, labels, texts
    again = pixels_on_current(figure)  # every non-math text now from kept glyphs
    assert np.array_equal(first, reference) and np.array_equal(again, reference)
    # The colour and alpha come from this draw, not from the one that kept the glyphs.
    recolour_texts(figure, "#0072B2")
    recoloured = pixels_on_current(figure)
    assert not np.array_equal(recoloured, reference)
    assert np.array_equal(recoloured, pixels(figure, FigureCanvasAgg))


def pixels_on_current(figure):
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def test_a_text_moved_by_a_fraction_of_a_pixel_is_rendered_anew_not_shifted(monkeypatch):
    figure = texts_figure()
    CourseCanvas(figure)
    figure.canvas.draw()
    text = figure.axes[0].texts[0]
    x, y = text.get_position()
    text.set_position((x + 0.0013, y))  # a third of a pixel: FreeType places its glyphs differently
    assert np.array_equal(pixels_on_current(figure), pixels(figure, FigureCanvasAgg))


def test_kept_glyphs_stay_within_their_byte_bound_and_the_oldest_go_first(monkeypatch):
    monkeypatch.setattr(plots, "KEPT_TEXT_BYTES", 30_000)  # a few of the texts below
    figure, ax = new_figure(width=4.0, height=3.0)
    figure.set_layout_engine(None)
    ax.set_axis_off()
    label = ax.text(0.1, 0.5, "")
    renderer = figure.canvas.get_renderer()
    for k in range(40):
        label.set_text(f"value {k:03d} = {k / 7:.6f}")
        figure.canvas.draw()
        assert 0 < renderer.kept_text_bytes <= 30_000
        assert renderer.kept_text_bytes == sum(plots._kept_bytes(glyphs) for glyphs in renderer.kept_texts.values())
    kept = [key[0] for key in renderer.kept_texts]
    assert "value 039 = 5.571429" in kept and "value 000 = 0.000000" not in kept
    label.set_text("value 000 = 0.000000")  # dropped, so drawn anew, and still right
    assert np.array_equal(pixels_on_current(figure), pixels(figure, FigureCanvasAgg))


@pytest.mark.parametrize("size", [(5.0, 3.0), (6.0, 2.0)])
def test_a_new_size_gets_a_new_renderer_with_nothing_kept(size):
    figure = texts_figure()
    figure.canvas.draw()
    before = figure.canvas.get_renderer()
    figure.set_size_inches(*size)
    after = figure.canvas.get_renderer()
    if size == (5.0, 3.0):
        assert after is before
    else:
        assert after is not before and isinstance(after, TextKeepingRenderer) and not after.kept_texts
        assert (after.width, after.height) == (600, 200)


def many_new_texts_figure(seed: int):
    """Texts never drawn before made of glyphs drawn before: numbers, rotated labels, mathtext with a fraction's
    bar, at fractional places, one hanging off the canvas's left and bottom edges."""
    rng = np.random.default_rng(seed)
    figure, ax = new_figure(width=5.0, height=3.0)
    figure.set_layout_engine(None)
    ax.set_axis_off()
    for k in range(24):
        ax.text(rng.uniform(-0.1, 0.9), rng.uniform(-0.1, 0.95), f"θ = {rng.normal():.4f}, ∂L/∂w[{k}] = {rng.normal():.3e}",
                fontsize=rng.choice([7.5, 9.0, 10.5]), rotation=rng.choice([0.0, 0.0, 90.0, 33.0]),
                fontweight=rng.choice(["normal", "bold"]), transform=ax.transAxes)
    ax.text(0.2, 0.4, r"$\frac{m}{\sqrt{v} + \epsilon} = 0.%d$" % rng.integers(1000), fontsize=11, transform=ax.transAxes)
    return figure


def test_new_texts_drawn_from_kept_single_glyphs_have_matplotlibs_pixels():
    figure = many_new_texts_figure(0)
    figure.canvas.draw()  # keeps the glyphs
    renderer = figure.canvas.get_renderer()
    for seed in (1, 2, 3):  # new texts, the same glyphs at other places
        for text in list(figure.axes[0].texts):
            text.remove()
        for text in many_new_texts_figure(seed).axes[0].texts:
            figure.axes[0].text(*text.get_position(), text.get_text(), fontsize=text.get_fontsize(),
                                rotation=text.get_rotation(), fontweight=text.get_fontweight(),
                                transform=figure.axes[0].transAxes)
        drawn = pixels_on_current(figure)
        assert np.array_equal(drawn, pixels(figure, FigureCanvasAgg)), f"seed {seed}"
        CourseCanvas(figure)
        figure.canvas.renderer = renderer  # keep drawing with the renderer that holds the glyphs
    assert renderer.kept_glyph_bytes == sum(b.nbytes + plots._GLYPH_OVERHEAD_BYTES for b, *_ in renderer.kept_glyphs.values())


def test_kept_single_glyphs_stay_within_their_byte_bound(monkeypatch):
    monkeypatch.setattr(plots, "KEPT_GLYPH_BYTES", 20_000)
    figure = many_new_texts_figure(4)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    assert 0 < renderer.kept_glyph_bytes <= 20_000
    assert renderer.kept_bytes == renderer.kept_text_bytes + renderer.kept_glyph_bytes
    assert np.array_equal(pixels_on_current(figure), pixels(figure, FigureCanvasAgg))


def test_a_new_text_a_whole_number_of_pixels_away_renders_no_glyph_anew():
    # the same text 37 px right and 21 px down: a new text to the text-level keeping (another place), the same
    # glyphs at the same places within a pixel, so each is taken from the kept ones and moved by whole pixels
    figure, ax = new_figure(width=5.0, height=3.0)
    figure.set_layout_engine(None)
    ax.set_axis_off()
    first = ax.text(0.1234, 0.4321, "loss 0.8274 → 2.572e-12, W[1]_11 = −0.2531", transform=ax.transAxes)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    kept = len(renderer.kept_glyphs)
    x, y = ax.transAxes.transform(first.get_position())
    ax.text(x + 37, y - 21, first.get_text(), transform=None)
    assert np.array_equal(pixels_on_current(figure), pixels(figure, FigureCanvasAgg))
    assert len(renderer.kept_glyphs) == kept and len(renderer.kept_texts) == 2  # a new text, no new glyph
