"""Redrawing from kept axes frames (helpers.blitting) must give the very picture a full redraw gives.

The reference for every comparison is drawn the plain way: the whole figure without its animated
artists (``canvas.draw()``), then the animated artists of each axes on top, in the same order the
frame cache uses. Any stale frame, misplaced tile or text clipped at a tile's edge shows up as a
differing pixel.
"""
from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.transforms import Bbox
from PIL import Image

import helpers
from helpers import blitting
from helpers.blitting import AxesFrameCache, frame_box, tiles_around


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_redraw(figure) -> np.ndarray:
    """The figure drawn from scratch, animated artists last, the axes' then the figure's (what the cached frames
    must reproduce)."""
    figure.canvas.draw()
    for ax in figure.axes:
        if ax.get_visible():
            for artist in sorted((a for a in ax.get_children() if a.get_animated() and a.get_visible()),
                                 key=lambda a: a.get_zorder()):
                ax.draw_artist(artist)
    for artist in sorted((a for a in figure.get_children() if a.get_animated() and a.get_visible()),
                         key=lambda a: a.get_zorder()):
        figure.draw_artist(artist)
    return np.asarray(figure.canvas.buffer_rgba()).copy()


# Moves that change limits, scales, titles, the log/linear choice and divergence, then come back.
ADAM_MOVES = [{"lr": 1e-3}, {"lr": 0.5}, {"optimizer": "sgd"}, {"lr": 1.0, "beta1": 0.999, "beta2": 0.9},
              {"optimizer": "momentum", "parameter": "b[1]_2"}, {"optimizer": "rmsprop", "eps": 1e-12},
              {"steps": 1}, {"steps": 500, "optimizer": "adam", "lr": 1.0}, {"lr": 1e-4, "eps": 1.0},
              {"optimizer": "adam", "lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "steps": 200,
               "parameter": "W[2]_11"}]


@pytest.fixture(scope="module")
def adam():
    return helpers.adam_panel()


def test_the_adam_panel_redraws_from_kept_frames(adam):
    assert adam.frames is not None
    assert len(adam.frames.tiles) == len(adam.figure.axes)


@pytest.mark.parametrize("move", range(len(ADAM_MOVES)))
def test_each_move_shows_what_a_full_redraw_shows(adam, move):
    for earlier in ADAM_MOVES[:move + 1]:  # the same history every time, up to this move
        adam.set(**earlier)
    shown = decoded(adam.png)
    expected = full_redraw(adam.figure)
    differing = np.argwhere(np.any(shown != expected, axis=-1))
    assert differing.size == 0, (f"after {ADAM_MOVES[:move + 1]}: {len(differing)} pixels differ from a full "
                                 f"redraw, e.g. at (row, column) {differing[:3].tolist()}")


def test_coming_back_to_a_setting_draws_no_frame_again():
    panel = helpers.adam_panel()
    for name in helpers.TWO_LAYER_PARAMETER_LABELS[:4]:
        panel.set(parameter=name)
    drawn = panel.frames.frames_drawn
    for name in helpers.TWO_LAYER_PARAMETER_LABELS[:4]:
        panel.set(parameter=name)
    assert panel.frames.frames_drawn == drawn


def test_no_more_frame_bytes_are_kept_than_allowed():
    panel = helpers.adam_panel()
    panel.frames.keep_bytes = 2 * 2**20
    for lr in np.geomspace(1e-4, 1.0, 12):
        panel.set(lr=float(lr))
    assert set(on_screen(panel)) <= set(panel.frames.frames), "the frames on screen are kept"
    assert 2**20 < panel.frames.kept_bytes <= 2 * 2**20
    panel.frames.keep_bytes = 1  # less than the frames on screen: those stay, every other goes
    panel.set(lr=1e-4)
    assert set(panel.frames.frames) == set(on_screen(panel))


def on_screen(panel) -> list:
    """The keys of the frames a panel's picture is made of now."""
    return [(index, blitting._frame_key(ax)) for index, ax in enumerate(panel.figure.axes)]
    assert panel.frames.kept_bytes == sum(4 * int(panel.frames.tiles[i].width) * int(panel.frames.tiles[i].height)
                                          for i, _ in panel.frames.frames)


def test_a_changed_text_that_is_not_animated_gets_a_new_frame():
    figure, ax = helpers.new_figure()
    ax.plot([0, 1], [0, 1])
    figure.set_layout_engine(None)
    cache = AxesFrameCache(figure, tiles_around(figure, [figure.bbox]))
    cache.draw()
    ax.set_title("a new title")
    cache.draw()
    assert cache.frames_drawn == 2
    assert np.array_equal(np.asarray(figure.canvas.buffer_rgba()), full_redraw(figure))


def test_a_figure_whose_height_in_pixels_is_not_whole_in_floating_point_is_drawn_whole():
    figure, ax = helpers.new_figure(width=9.0, height=4.6)  # 4.6 in × 100 dpi = 459.99999999999994 px
    ax.plot([0, 1], [0, 1])
    figure.draw_without_rendering()
    figure.set_layout_engine(None)
    cache = AxesFrameCache(figure, tiles_around(figure, [ax.get_tightbbox()]))
    cache.draw()
    assert np.array_equal(np.asarray(figure.canvas.buffer_rgba()), full_redraw(figure))


def test_a_changed_side_title_gets_a_new_frame():
    figure, ax = helpers.new_figure()
    ax.plot([0, 1], [0, 1])
    figure.set_layout_engine(None)
    cache = AxesFrameCache(figure, tiles_around(figure, [figure.bbox]))
    cache.draw()
    for loc in ("left", "right"):
        ax.set_title(f"a {loc} title", loc=loc)
        cache.draw()
        assert np.array_equal(np.asarray(figure.canvas.buffer_rgba()), full_redraw(figure))
    assert cache.frames_drawn == 3


def test_an_animated_figure_heading_is_drawn_over_the_kept_frames():
    figure, ax = helpers.new_figure()
    ax.plot([0, 1], [0, 1])
    heading = figure.suptitle("first heading", animated=True)
    figure.draw_without_rendering()
    figure.set_layout_engine(None)
    cache = AxesFrameCache(figure, tiles_around(figure, [ax.get_tightbbox()]))
    for text in ("first heading", "a second, longer heading"):
        heading.set_text(text)
        cache.draw()
        assert np.array_equal(np.asarray(figure.canvas.buffer_rgba()), full_redraw(figure)), text
    assert cache.frames_drawn == 1  # the heading changed, the axes' frame did not


def test_an_axes_frame_box_leaves_out_its_animated_artists():
    figure, ax = helpers.new_figure()
    ax.set_title("a title far wider than the axes it belongs to " * 3)
    figure.set_layout_engine(None)
    renderer = figure.canvas.get_renderer()
    assert frame_box(ax, renderer).width == ax.get_tightbbox(renderer).width  # nothing animated: the tight box
    ax.title.set_animated(True)
    assert frame_box(ax, renderer).width < ax.get_tightbbox(renderer).width
    assert ax.title.get_visible()


def test_tiles_grow_to_the_middle_of_each_gap_and_are_cut_apart_at_corners():
    figure, axes = helpers.new_figure(1, 2)  # 700 × 400 pixels
    tiles = tiles_around(figure, [Bbox([[10.2, 20], [300, 380]]), Bbox([[350, 20], [690, 399.5]])], pad=2)
    assert [list(np.ravel(t.get_points())) for t in tiles] == [[0, 0, 325, 400], [325, 0, 700, 400]]
    grid_figure, _ = helpers.new_figure(2, 2)  # a wide box top left, a wide one bottom right: corners meet
    boxes = [Bbox([[10, 210], [380, 390]]), Bbox([[420, 260], [690, 390]]), Bbox([[10, 10], [300, 190]]),
             Bbox([[340, 10], [690, 200]])]
    tiles = tiles_around(grid_figure, boxes, pad=0)
    for i, first in enumerate(tiles):
        assert first.contains(*boxes[i].p0) and first.contains(*boxes[i].p1)
        for second in tiles[i + 1:]:
            assert not (first.x0 < second.x1 and second.x0 < first.x1 and first.y0 < second.y1 and second.y0 < first.y1)
    with pytest.raises(ValueError, match="overlap"):
        tiles_around(figure, [Bbox([[10, 20], [360, 380]]), Bbox([[350, 20], [690, 380]])])
    with pytest.raises(ValueError, match="boxes"):
        tiles_around(figure, [Bbox([[10, 20], [300, 380]])])
    with pytest.raises(ValueError, match="pad"):
        tiles_around(figure, [Bbox([[10, 20], [300, 380]])] * 2, pad=-1)


def test_encode_png_round_trips_every_pixel():
    rgba = np.random.default_rng(0).integers(0, 256, size=(37, 51, 4), dtype=np.uint8)
    for level in (0, 1, 9):
        assert np.array_equal(decoded(helpers.encode_png(rgba, compress_level=level)), rgba)


def test_encode_png_with_kept_bands_gives_the_bytes_of_a_fresh_encoding_whatever_came_before():
    rng = np.random.default_rng(1)
    kept: list = []
    image = rng.integers(0, 256, size=(3 * helpers.plots.PNG_BAND_ROWS + 5, 20, 4), dtype=np.uint8)
    for level, rows_changed in [(1, []), (1, [0]), (1, [40, -1]), (9, []), (1, slice(None)), (1, [])]:
        image = image.copy()
        image[rows_changed] = rng.integers(0, 256, size=image[rows_changed].shape, dtype=np.uint8)
        png = helpers.encode_png(image, compress_level=level, kept_bands=kept)
        assert png == helpers.encode_png(image, compress_level=level) and np.array_equal(decoded(png), image)
    smaller = image[:7, :9]  # another size: nothing kept answers
    assert helpers.encode_png(smaller, kept_bands=kept) == helpers.encode_png(smaller)
    assert np.array_equal(decoded(helpers.encode_png(smaller, kept_bands=kept)), smaller)


@pytest.mark.parametrize("factory, slider, values", [
    ("linear-two-samples-learning-rate", "lr", np.linspace(0.01, 1.0, 12)),
    ("batching-batch-size", "batch_size", np.linspace(1, 100, 12).round().astype(int)),
])
def test_sweeping_a_panels_first_slider_draws_few_frames_and_its_loss_axes_hold_the_curves(factory, slider, values):
    # axes limits follow the curves but are rounded (nice_limits), so nearby values share a kept frame
    panel = helpers.PANEL_FACTORIES[factory]()
    drawn = panel.frames.frames_drawn
    for value in values:
        panel.set(**{slider: value.item()})
        for ax in (ax for ax in panel.figure.axes if ax.get_yscale() == "log"):  # the loss axes follow the curves
            low, high = ax.get_ylim()
            for line in (line for line in ax.get_lines() if line.get_transform() is ax.transData):  # not axhline
                y = np.asarray(line.get_ydata(), dtype=float)
                y = y[np.isfinite(y)]
                assert y.size == 0 or low <= y.min() and y.max() <= high
    assert panel.frames.frames_drawn - drawn <= len(values) // 2


def test_sweeping_the_adam_panels_learning_rate_mostly_pastes_kept_frames():
    # η's whole range in a dozen moves (a third of a decade each): its log axes' limits fall on powers of 10 two
    # decades apart below (and above, for the rates, which scale with η), θ's on ±1, 2.5 or 5 × 10^k, so most
    # moves draw no new frame (whole decades and tight linear limits drew 30 frames, a new one on 11 moves of 12)
    panel = helpers.adam_panel()
    new_frames = []
    for lr in np.geomspace(1e-4, 1.0, 12):
        drawn = panel.frames.frames_drawn
        panel.set(lr=float(lr))
        new_frames.append(panel.frames.frames_drawn - drawn)
        for ax in panel.figure.axes:  # and the limits still hold the curves: all but a brief dip to 0 of a moment
            low, high = ax.get_ylim()    # (its lowest 2 %); not the rates' ceiling η/ε, a 2-point line drawn only
            for line in (line for line in ax.get_lines() if len(line.get_ydata()) > 2):  # where it falls within
                y = np.asarray(line.get_ydata(), dtype=float)
                assert low <= np.percentile(y, 2) and y.max() <= high, (lr, ax.get_title(), low, high)
    assert new_frames.count(0) >= 6 and sum(new_frames) <= 16, new_frames


def test_an_axis_labels_place_from_the_last_draw_does_not_make_a_second_frame():
    # the y label sits where the widest tick labels put it when the layout froze (10⁻¹² ticks are wider than 10⁻⁴
    # ones), not where the last draw's tick labels would
    panel = helpers.linear_two_sample_lr_panel()
    panel.set(lr=0.2)
    panel.set(lr=0.45)  # the y label moves left for the wide 10⁻¹² labels
    drawn = panel.frames.frames_drawn
    panel.set(lr=0.2)
    assert panel.frames.frames_drawn == drawn
    assert np.array_equal(decoded(panel.png), full_redraw(panel.figure))  # the kept frame has its label in place
