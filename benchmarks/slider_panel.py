"""How fast does the Adam panel of chapter 7 answer a slider? (A benchmark, not a test.)

    .venv/bin/python benchmarks/slider_panel.py            # 100 changes each way (about a minute)
    .venv/bin/python benchmarks/slider_panel.py --changes 30

For 200 Adam steps on the 2-2-2 network it times, over the same sequence of η values (each one new,
so every change replays the network):

- ours:  ``panel.set(lr=η)`` on the panel built once: replay, update the existing artists, check the
         drawn data, redraw on the Agg canvas and encode the PNG the widget shows;
- naive: what ``interact`` with a plotting function does: a fresh call that replays and builds a new
         figure (same drawing code, new Figure with its layout pass) and renders it;
and, to show where the time goes: the replay alone, the artist update alone, the Agg redraw alone,
the redraw + PNG encoding, and a change that needs no replay (choosing another parameter).
Prints the median and the 95th percentile of each, in milliseconds of wall-clock time and of this
process's CPU time (the two differ when other processes share the CPUs; the load average is printed),
and the naive/ours ratio. Target for ours: median ≤ 30 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from helpers import adam_panel, figure_to_png, replay_two_layer
from helpers.panels.adam import AdamPanelFigure

STEPS = 200
TARGET_MS = 30.0


def timed(function, arguments) -> np.ndarray:
    """Milliseconds each call of ``function(argument)`` took: wall-clock time (row 0) and this
    process's CPU time (row 1; what the call costs when it has a core to itself)."""
    times = []
    for argument in arguments:
        wall, cpu = time.perf_counter(), time.process_time()
        function(argument)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return 1e3 * np.array(times).T


def naive_change(lr: float) -> bytes:
    """One slider change done the naive way: recompute, build a new figure, render it."""
    run = replay_two_layer(optimizer="adam", lr=lr, steps=STEPS)
    drawing = AdamPanelFigure(STEPS)
    drawing.show(run, optimizer="adam", lr=lr, beta1=0.9, beta2=0.999, eps=1e-8, steps=STEPS, parameter="W2[1,1]")
    return figure_to_png(drawing.figure, compress_level=1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100, help="slider changes per measurement (default 100)")
    changes = parser.parse_args(argv).changes
    # Distinct η values on the slider's log scale, shuffled so neighbouring changes differ as in a drag
    # back and forth; none repeats, so the panel's run cache never answers.
    rates = np.random.default_rng(0).permutation(np.geomspace(1e-3, 1.0, changes))

    panel = adam_panel(optimizer="adam", lr=0.1, steps=STEPS)
    figure = panel.figure
    panel.set(lr=0.5)  # warm up fonts and caches
    ours = timed(lambda lr: panel.set(lr=float(lr)), rates)
    parameters = [panel.sliders["parameter"].options[k % 12] for k in range(changes)]
    no_replay = timed(lambda name: panel.set(parameter=name), parameters)

    replay = timed(lambda lr: replay_two_layer(optimizer="adam", lr=float(lr), steps=STEPS), rates)
    runs = {float(lr): replay_two_layer(optimizer="adam", lr=float(lr), steps=STEPS) for lr in rates[:10]}
    update_only = timed(lambda lr: panel.update_function(optimizer="adam", lr=lr, beta1=0.9, beta2=0.999, eps=1e-8,
                                                         steps=STEPS, parameter="W2[1,1]"),
                        [float(lr) for lr in list(runs) * (changes // 10)])  # cached runs: artists only
    draw = timed(lambda _: figure.canvas.draw(), range(changes))
    png = timed(lambda _: figure_to_png(figure, compress_level=1), range(changes))
    naive = timed(naive_change, rates)

    rows = [("ours: panel.set(lr=η), replay + update + redraw + PNG", ours),
            ("naive: recompute + new figure + render", naive),
            ("  replay alone (200 Adam steps)", replay),
            ("  update the artists alone (run cached)", update_only),
            ("  Agg redraw alone (canvas.draw)", draw),
            ("  redraw + PNG encoding (figure_to_png)", png),
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
    for clock, index in (("wall clock", 0), ("CPU time", 1)):
        ratio = np.median(naive[index]) / np.median(ours[index])
        verdict = "meets" if np.median(ours[index]) <= TARGET_MS else "misses"
        print(f"{clock}: naive / ours (medians) {ratio:.1f}×; ours {verdict} the {TARGET_MS:g} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
