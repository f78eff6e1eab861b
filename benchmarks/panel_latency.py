"""How long does a student wait for each slider panel? (A benchmark, not a test.)

    OPENBLAS_NUM_THREADS=1 MPLBACKEND=Agg .venv/bin/python benchmarks/panel_latency.py
    OPENBLAS_NUM_THREADS=1 MPLBACKEND=Agg .venv/bin/python benchmarks/panel_latency.py --panel mlp-training

One row per registered panel (``helpers.PANEL_FACTORIES``, default arguments): the kernel time of one
``panel.set(...)`` (recompute, update the artists, redraw, encode the PNG the widget shows), median over 12
values of the panel's first numeric slider spread over its range. "first visit": each value set for the first
time (its run not cached yet); "revisit": the same values again (runs and axes frames kept, as when a student
drags back); "back": a value seen before, set right after another panel drew (as when a student scrolls back to
this panel): a panel over helpers.widgets.DRAWING_BUFFER_BUDGET has let go of its kept frames and canvas by
then and draws afresh. Wall-clock milliseconds and this process's CPU milliseconds (``time.process_time``): on a shared
machine the wall clock is inflated by other processes, the CPU time is what a change costs on a core of its own.
Target: median ≤ 30 ms.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: one core, as a student's kernel mostly has
os.environ.setdefault("MPLBACKEND", "Agg")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402

import helpers  # noqa: E402

TARGET_MS = 30.0
CHANGES = 12


def timed(function, arguments) -> np.ndarray:
    """Milliseconds each call of ``function(argument)`` took: wall-clock time (row 0) and this
    process's CPU time (row 1; what the call costs when it has a core to itself)."""
    times = []
    for argument in arguments:
        wall, cpu = time.perf_counter(), time.process_time()
        function(argument)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return 1e3 * np.array(times).T


def numeric_values(slider, count: int = CHANGES) -> list:
    """``count`` values spread over a numeric slider's range, in slider order (log-spaced on a log slider)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return [float(v) for v in slider.base ** np.linspace(slider.min, slider.max, count)]
    values = np.linspace(slider.min, slider.max, count)
    if isinstance(slider, widgets.IntSlider):
        return sorted({int(round(v)) for v in values})
    return [float(v) for v in values]


def first_numeric_slider(panel) -> str:
    """The name of the panel's first slider with a numeric range (not a dropdown)."""
    return next(name for name, slider in panel.sliders.items() if hasattr(slider, "min") and not hasattr(slider, "options"))


OTHER_PANELS = ("adam-ema-bias", "landscapes-optimizer")  # drawn between the "back" changes (the first that is
                                                          # not the panel measured)


def panel_rows(names) -> list[tuple[str, str, np.ndarray, np.ndarray, np.ndarray]]:
    """(panel, slider, first-visit ms, revisit ms, back ms) per panel: wall clock and CPU time of each
    ``panel.set``."""
    rows = []
    for name in names:
        panel = helpers.PANEL_FACTORIES[name]()
        slider = first_numeric_slider(panel)
        values = [v for v in numeric_values(panel.sliders[slider]) if v != panel.sliders[slider].value]
        first = timed(lambda v: panel.set(**{slider: v}), values)
        again = timed(lambda v: panel.set(**{slider: v}), values)
        other = helpers.PANEL_FACTORIES[next(n for n in OTHER_PANELS if n != name)]()
        other_slider = first_numeric_slider(other)
        other_values = numeric_values(other.sliders[other_slider], 2)

        def back(k):
            other.set(**{other_slider: other_values[k % 2]})  # not timed
            wall, cpu = time.perf_counter(), time.process_time()
            panel.set(**{slider: values[k]})
            return time.perf_counter() - wall, time.process_time() - cpu

        returns = 1e3 * np.array([back(k) for k in range(len(values))]).T
        rows.append((name, slider, first, again, returns))
        other.close()
        panel.close()
    return rows


def print_rows(rows) -> None:
    width = max(len(f"{name} ({slider})") for name, slider, *_ in rows)
    print(f"One panel.set() per change, median over the values of the panel's first numeric slider; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'':{width}}  first visit (ms)    revisit, cached (ms)    back, after another panel (ms)")
    print(f"{'panel (slider)':{width}}  wall     CPU        wall     CPU            wall     CPU")
    for name, slider, first, again, returns in rows:
        print(f"{name + f' ({slider})':{width}}  {np.median(first[0]):6.1f}  {np.median(first[1]):6.1f}     "
              f"{np.median(again[0]):6.1f}  {np.median(again[1]):6.1f}         "
              f"{np.median(returns[0]):6.1f}  {np.median(returns[1]):6.1f}")
    slow = [name for name, _, first, *_ in rows if np.median(first[1]) > TARGET_MS]
    print(f"CPU-time medians over the {TARGET_MS:g} ms target (first visit): {', '.join(slow) or 'none'}\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel", action="append", choices=sorted(helpers.PANEL_FACTORIES),
                        help="only this panel (may be repeated)")
    arguments = parser.parse_args(argv)
    print_rows(panel_rows(arguments.panel or list(helpers.PANEL_FACTORIES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
