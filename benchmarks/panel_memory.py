"""Does a kernel give memory back when a panel cell is re-run? (A benchmark, not a test.)

    .venv/bin/python benchmarks/panel_memory.py               # 20 rebuilds of every panel (a few minutes)
    .venv/bin/python benchmarks/panel_memory.py --rebuilds 5 --panel adam-network-optimizers

For every registered panel (``helpers.PANEL_FACTORIES``, default arguments) it does what a student does who
re-runs the panel's cell while reading: build and display the panel, move a slider a few times, build it
again, ... ``--rebuilds`` times in one process. Every panel built stays referenced, as IPython's output
history (``Out[n]``, ``_``) keeps a displayed object: only what the panel itself lets go of can be freed.
Prints the process's resident memory (RSS, from /proc/self/status) after the first build and after the
last rebuild (with ``gc.collect()``), the growth, and how many of the old panels' figures are still alive;
then the total RSS again after glibc's ``malloc_trim(0)``: freed memory the C allocator keeps for reuse
instead of giving back to the system counts in RSS but is not held by anything (where glibc is present).
Target: growth ≤ 50 MB in all.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import sys
import weakref

from ipywidgets.widgets.widget import _instances as live_widgets  # ipywidgets' registry of open widgets

import helpers

TARGET_MB = 50.0


def rss_mb() -> float:
    """This process's resident set size now, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def slider_moves(panel, count: int = 3) -> list[dict]:
    """A few values of the panel's first slider with a grid (else its first), as a student tries them."""
    name = next(iter(panel.grid), next(iter(panel.sliders)))
    values = panel.grid.get(name) or [panel.sliders[name].value]
    return [{name: values[k % len(values)]} for k in range(1, count + 1)]


def rebuild(factory, rebuilds: int, held: list) -> tuple[float, float, int]:
    """RSS after the first build and after the last rebuild (MB), and the old figures still alive."""
    figures = []
    for k in range(rebuilds):
        panel = factory()
        panel._repr_mimebundle_()  # displayed, as the cell's output
        held.append(panel)  # and kept, as Out[n] would
        figures.append(weakref.ref(panel.figure))
        for values in slider_moves(panel):
            panel.set(**values)
        if k == 0:
            gc.collect()
            first = rss_mb()
    del panel
    gc.collect()
    return first, rss_mb(), sum(figure() is not None for figure in figures[:-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=20, help="builds of each panel (default 20)")
    parser.add_argument("--panel", action="append", choices=sorted(helpers.PANEL_FACTORIES),
                        help="only this panel (may be repeated)")
    arguments = parser.parse_args(argv)
    names = arguments.panel or list(helpers.PANEL_FACTORIES)
    held: list = []
    gc.collect()
    start = rss_mb()
    rows = []
    for name in names:
        first, last, alive = rebuild(helpers.PANEL_FACTORIES[name], arguments.rebuilds, held)
        rows.append((name, first, last, alive))
    end = rss_mb()
    width = max(len(name) for name in names)
    print(f"{arguments.rebuilds} builds of each panel, slider moves in between, every panel kept referenced")
    print(f"{'panel':{width}}  RSS after 1st build  after last   growth   old figures alive")
    for name, first, last, alive in rows:
        print(f"{name:{width}}  {first:13.1f} MB  {last:8.1f} MB  {last - first:+7.1f} MB  "
              f"{alive:3d} of {arguments.rebuilds - 1}")
    total = end - start
    print(f"{'all':{width}}  {start:13.1f} MB  {end:8.1f} MB  {total:+7.1f} MB  "
          f"(live widgets: {len(live_widgets)})")
    print(f"growth {total:.1f} MB in all: {'meets' if total <= TARGET_MB else 'misses'} the {TARGET_MB:g} MB target")
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return 0
    print(f"after malloc_trim(0) (freed memory handed back to the system): {rss_mb():.1f} MB, "
          f"growth {rss_mb() - start:+.1f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
