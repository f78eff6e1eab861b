"""Every slider panel that redraws from kept axes frames (``freeze_layout(blit=True)``) shows, after any
history of moves, the very picture a full redraw of its figure gives: no stale frame, no stale artist."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import helpers
from test_blitting import full_redraw  # the reference picture: one definition for both files

KEEPS_FRAMES = ["adam-ema-bias", "adam-network-optimizers", "batching-batch-size", "graph-linear", "graph-two-layer",
                "initialization-activation-stds", "landscapes-optimizer", "linear-one-sample-learning-rate",
                "linear-two-samples-learning-rate", "losses-mae-mse-outlier", "mlp-training", "network-learning-rate",
                "softmax-temperature"]


def test_the_panels_that_keep_frames_are_the_listed_ones():
    keeping = sorted(name for name, factory in helpers.PANEL_FACTORIES.items() if factory().frames is not None)
    assert keeping == KEEPS_FRAMES


@pytest.mark.parametrize("name", KEEPS_FRAMES)
def test_a_panel_drawn_from_kept_frames_shows_what_a_full_redraw_shows(name):
    panel = helpers.PANEL_FACTORIES[name]()
    rng = np.random.default_rng(1)
    moves = [{slider: values[rng.integers(len(values))] for slider, values in panel.grid.items()} for _ in range(10)]
    for move in moves + moves[:3]:  # the first three again: drawn from frames kept earlier
        panel.set(**move)
        shown = np.asarray(Image.open(io.BytesIO(panel.png)).convert("RGBA"))
        differing = np.argwhere(np.any(shown != full_redraw(panel.figure), axis=-1))
        assert differing.size == 0, f"{name} at {move}: {len(differing)} pixels differ, e.g. {differing[:3].tolist()}"
