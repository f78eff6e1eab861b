"""Where a path leaves a plot's box (helpers.plots.path_exits), which chapters 1 and 8 mark with a triangle.

Independent references: crossing points worked out by hand on the box [-1, 1] × [-1, 1], and a brute-force
walk along each segment in small steps that notes where it goes from inside to outside.
"""
import warnings

import numpy as np
import pytest

from helpers.plots import EDGE_MARKERS, PathExit, path_exits

BOX = (-1.0, 1.0), (-1.0, 1.0)


@pytest.mark.parametrize("end, where, edge", [
    ((2.0, 0.5), (1.0, 0.25), "right"),
    ((-3.0, 1.0), (-1.0, 1 / 3), "left"),
    ((0.5, -2.0), (0.25, -1.0), "bottom"),
    ((-0.2, 4.0), (-0.05, 1.0), "top"),
])
def test_a_step_out_of_the_box_leaves_it_on_the_edge_it_crosses_with_the_triangle_pointing_out(end, where, edge):
    (exit_,) = path_exits([0.0, end[0]], [0.0, end[1]], *BOX)
    assert (exit_.x, exit_.y) == pytest.approx(where)
    assert (exit_.edge, exit_.marker, exit_.step) == (edge, EDGE_MARKERS[edge], 0)


def test_a_step_through_a_corner_counts_as_leaving_by_the_left_or_right_edge():
    assert path_exits([0.0, 2.0], [0.0, 2.0], *BOX) == [PathExit(1.0, 1.0, "right", ">", 0)]
    assert path_exits([0.0, -2.0], [0.0, -2.0], *BOX) == [PathExit(-1.0, -1.0, "left", "<", 0)]


def test_a_path_that_stays_inside_or_on_the_edges_never_leaves():
    assert path_exits([0.0, 0.5, 1.0, -1.0, 0.3], [0.0, -0.5, 1.0, -1.0, 1.0], *BOX) == []
    assert path_exits([0.2], [0.3], *BOX) == []  # one point: no step at all


def test_a_path_leaves_from_a_point_on_the_edge_when_its_next_step_goes_out():
    assert path_exits([0.0, 1.0, 2.0], [0.0, 0.0, 0.5], *BOX) == [PathExit(1.0, 0.0, "right", ">", 1)]


def test_a_still_step_neither_leaves_nor_hides_the_next_one():
    assert path_exits([0.0, 0.0], [0.5, 0.5], *BOX) == []
    assert path_exits([3.0, 3.0], [3.0, 3.0], *BOX) == []  # still, outside
    assert path_exits([0.5, 0.5, 0.5], [0.0, 0.0, -3.0], *BOX) == [PathExit(0.5, -1.0, "bottom", "v", 1)]


def test_a_nearly_still_step_neither_leaves_nor_warns():
    """A step of 5e-324 (the smallest float) puts the edges ±inf steps away: no overflow warning on the way."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert path_exits([0.0, 5e-324, 3.0], [0.0, 0.0, 0.0], *BOX) == [PathExit(1.0, 0.0, "right", ">", 1)]


def test_a_path_that_starts_outside_leaves_only_after_it_has_entered():
    assert path_exits([-3.0, -2.0, -2.0], [0.0, 0.0, 5.0], *BOX) == []  # never enters
    assert path_exits([-3.0, 3.0], [0.0, 0.0], *BOX) == [PathExit(1.0, 0.0, "right", ">", 0)]  # straight through
    (through,) = path_exits([0.0, 1.0], [3.0, -3.0], *BOX)  # in at the top (x = 1/3), out at the bottom
    assert (through.x, through.y, through.edge, through.step) == (pytest.approx(2 / 3), -1.0, "bottom", 0)
    assert path_exits([-3.0, 0.0, 0.0], [0.0, 0.0, -3.0], *BOX) == [PathExit(0.0, -1.0, "bottom", "v", 1)]


def test_a_path_bouncing_across_the_box_has_each_exit_once_in_path_order():
    """0 → 2 → −2 → 2 → −2 along y = x/4 (out right, out left, then the same two points again), then out at the
    top."""
    xs = np.array([0.0, 2.0, -2.0, 2.0, -2.0, 0.0, 0.0])
    ys = np.append(xs[:5] / 4, [0.0, 5.0])
    exits = path_exits(xs, ys, *BOX)
    assert [(e.edge, e.step) for e in exits] == [("right", 0), ("left", 1), ("top", 5)]
    assert [c for e in exits for c in (e.x, e.y)] == pytest.approx([1.0, 0.25, -1.0, -0.25, 0.0, 1.0])


def test_exits_agree_with_a_walk_along_each_step_in_small_steps():
    rng = np.random.default_rng(18)
    xlim, ylim = (-2.0, 3.0), (-1.0, 0.5)
    low, high = np.array([xlim[0], ylim[0]]), np.array([xlim[1], ylim[1]])
    for _ in range(200):
        points = rng.uniform(-4.0, 4.0, size=(6, 2))
        fractions = np.linspace(0.0, 1.0, 20001)
        walked = []
        for step, (p, q) in enumerate(zip(points[:-1], points[1:])):
            along = p + fractions[:, None] * (q - p)
            inside = np.all((along >= low) & (along <= high), axis=1)
            for index in np.flatnonzero(inside[:-1] & ~inside[1:]):
                walked.append((step, *along[index]))
        exits = path_exits(points[:, 0], points[:, 1], xlim, ylim)
        assert len(exits) == len(walked)
        for exit_, (step, x, y) in zip(exits, walked):
            assert exit_.step == step and (exit_.x, exit_.y) == pytest.approx((x, y), abs=1e-3)
            assert {"left": exit_.x == xlim[0], "right": exit_.x == xlim[1],
                    "bottom": exit_.y == ylim[0], "top": exit_.y == ylim[1]}[exit_.edge]


@pytest.mark.parametrize("arguments, name", [
    (([0.0, np.nan], [0.0, 1.0], *BOX), "xs"),
    (([0.0, 1.0], [0.0], *BOX), "ys"),
    (([], [], *BOX), "xs"),
    (([0.0, 1.0], [0.0, 1.0], (1.0, 1.0), BOX[1]), "xlim"),
    (([0.0, 1.0], [0.0, 1.0], BOX[0], (0.0,)), "ylim"),
    (([0.0, 1.0], [0.0, 1.0], BOX[0], "ab"), "ylim"),
])
def test_bad_input_raises_a_value_error_naming_the_parameter(arguments, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b.*got"):
        path_exits(*arguments)
