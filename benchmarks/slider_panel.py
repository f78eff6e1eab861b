"""How fast does each slider panel answer a slider? (A benchmark, not a test.)

    .venv/bin/python benchmarks/slider_panel.py            # every panel, then the Adam panel in detail
    .venv/bin/python benchmarks/slider_panel.py --changes 30
    .venv/bin/python benchmarks/slider_panel.py --panels-only

Every panel: the table of ``benchmarks/panel_latency.py`` (one row per registered panel).

The Adam panel in detail: for 200 Adam steps on the 2-2-2 network it times slider changes of η, each to a value not seen before
(the panel's run cache is emptied before every change), so every change replays the network:

- ours, drag:  ``panel.set(lr=η)`` on the panel built once, η moving one slider position (0.05 decade)
               at a time, up from 1e-4 to 1 and back down, as a student drags: replay, update the
               existing artists, check the drawn data, redraw (kept axes frames + the data on top) and
               encode the PNG the widget shows;
- ours, jumps: the same, but each change jumps to a random η in [1e-3, 1] (a click anywhere on the slider);
               the axes' limits change more often, so more axes frames must be drawn anew;
- naive:       what ``interact`` with a plotting function does: a fresh call that replays and builds a
               new figure (same drawing code, new Figure with its layout pass) and renders it;
and, to show where the time goes: the replay alone, the artist update alone, the redraw from kept frames
alone, the PNG encoding alone, a full Agg redraw (what a redraw costs without kept frames) and a change
that needs no replay (choosing another parameter). For "ours" it also prints how many axes frames had to
be drawn per change and the memory the kept frames hold.
Prints the median and the 95th percentile of each, in milliseconds of wall-clock time and of this
process's CPU time (the two differ when other processes share the CPUs; the load average is printed),
and the naive/ours ratio. Target for ours: median ≤ 30 ms.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

import helpers
from helpers import adam_panel, encode_png, figure_to_png, replay_two_layer
from helpers.panels.optimizers import AdamPanelFigure

from panel_latency import TARGET_MS, panel_rows, print_rows, timed

STEPS = 200


def naive_change(lr: float) -> bytes:
    """One slider change done the naive way: recompute, build a new figure, render it."""
    run = replay_two_layer(optimizer="adam", lr=lr, steps=STEPS)
    drawing = AdamPanelFigure(STEPS)
    drawing.show(run, optimizer="adam", lr=lr, beta1=0.9, beta2=0.999, eps=1e-8, steps=STEPS, parameter="W[2]_11")
    return figure_to_png(drawing.figure, compress_level=1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100, help="slider changes per Adam measurement (default 100)")
    parser.add_argument("--panels-only", action="store_true", help="only the every-panel table")
    parser.add_argument("--panel", action="append", choices=sorted(helpers.PANEL_FACTORIES),
                        help="only this panel in the every-panel table (may be repeated)")
    arguments = parser.parse_args(argv)
    print_rows(panel_rows(arguments.panel or list(helpers.PANEL_FACTORIES)))
    if arguments.panels_only:
        return 0
    changes = arguments.changes
    positions = np.round(np.arange(-4.0, 0.001, 0.05), 2)  # the η slider's positions (log10), as in the panel
    sweep = np.concatenate([positions, positions[-2::-1]])
    drag = 10.0 ** np.resize(sweep[1:], changes)  # one position per change, up and back down
    jumps = np.random.default_rng(0).permutation(np.geomspace(1e-3, 1.0, changes))

    def panel_timings(rates):
        panel = adam_panel(optimizer="adam", lr=float(rates[0]) if rates is drag else 0.1, steps=STEPS)
        drawn = panel.frames.frames_drawn

        def change(lr):
            panel.replay_cache.clear()  # every change replays, even where a drag comes back
            panel.set(lr=float(lr))

        times = timed(change, rates)
        return panel, times, (panel.frames.frames_drawn - drawn) / len(rates)

    panel, ours_drag, drawn_drag = panel_timings(drag)
    _, ours_jumps, drawn_jumps = panel_timings(jumps)
    figure = panel.figure
    kept = panel.frames.kept_bytes
    parameters = [panel.sliders["parameter"].options[k % 12] for k in range(changes)]
    no_replay = timed(lambda name: panel.set(parameter=name), parameters)

    replay = timed(lambda lr: replay_two_layer(optimizer="adam", lr=float(lr), steps=STEPS), jumps)
    runs = {float(lr): replay_two_layer(optimizer="adam", lr=float(lr), steps=STEPS) for lr in jumps[:10]}
    update_only = timed(lambda lr: panel.update_function(optimizer="adam", lr=lr, beta1=0.9, beta2=0.999, eps=1e-8,
                                                         steps=STEPS, parameter="W[2]_11"),
                        [float(lr) for lr in list(runs) * (changes // 10)])  # cached runs: artists only
    panel.set(lr=0.1)
    frames = timed(lambda _: panel.frames.draw(), range(changes))
    png = timed(lambda _: encode_png(np.asarray(figure.canvas.buffer_rgba()), compress_level=1), range(changes))
    full = timed(lambda _: figure.canvas.draw(), range(changes))
    naive = timed(naive_change, jumps)

    rows = [("ours, drag: panel.set(lr=η), replay + update + redraw + PNG", ours_drag),
            ("ours, jumps: the same, η anywhere on the slider", ours_jumps),
            ("naive: recompute + new figure + render", naive),
            ("  replay alone (200 Adam steps)", replay),
            ("  update the artists alone (run cached)", update_only),
            ("  redraw from kept frames alone", frames),
            ("  PNG encoding alone (encode_png)", png),
            ("  full Agg redraw, for comparison (canvas.draw)", full),
            ("ours, no replay needed (another parameter)", no_replay)]
    width = max(len(name) for name, _ in rows)
    load = os.getloadavg()
    print(f"Adam panel, 2-2-2 network, {STEPS} steps, {changes} changes per row; "
          f"load average {load[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'':{width}}  wall clock (ms)    CPU time (ms)")
    print(f"{'':{width}}  median    p95      median    p95")
    for name, (wall, cpu) in rows:
        print(f"{name:{width}}  {np.median(wall):6.1f}  {np.percentile(wall, 95):6.1f}    "
              f"{np.median(cpu):6.1f}  {np.percentile(cpu, 95):6.1f}")
    print(f"axes frames drawn anew per change: drag {drawn_drag:.2f}, jumps {drawn_jumps:.2f} (of 6 axes); "
          f"kept frames hold {kept / 1e6:.1f} MB")
    for label, ours in (("drag", ours_drag), ("jumps", ours_jumps)):
        for clock, index in (("wall clock", 0), ("CPU time", 1)):
            ratio = np.median(naive[index]) / np.median(ours[index])
            verdict = "meets" if np.median(ours[index]) <= TARGET_MS else "misses"
            print(f"{label}, {clock}: naive / ours (medians) {ratio:.1f}×; ours {verdict} the {TARGET_MS:g} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
