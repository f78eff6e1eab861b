"""Does a kernel give memory back when a panel cell is re-run? (A benchmark, not a test.)

    .venv/bin/python benchmarks/panel_memory.py               # 20 builds of every panel (a quarter of an hour on a loaded machine)
    .venv/bin/python benchmarks/panel_memory.py --rebuilds 5 --panel adam-network-optimizers

It does what a student does who opens every panel once and then re-runs the panel cells while reading: build
and display a panel, move a slider a few times, build it again, ... (``helpers.PANEL_FACTORIES``, default
arguments), ``--rebuilds`` builds of each panel in one process. Every panel built stays referenced, as IPython's
output history (``Out[n]``, ``_``) keeps a displayed object: only what the panel itself lets go of can be freed.
No ``gc.collect()`` runs between builds (a kernel does not run one either), only before each RSS reading.

Resident memory (RSS, /proc/self/status) is read at three points:
  before: no panel built yet (helpers imported);
  warm:   after the first build of every panel: one-time costs (imports a panel makes, matplotlib's font,
          text-layout and mathtext caches, each bounded, the panels' first runs), and the open panels themselves
          (the last drawn with its fast-redraw buffers, the others as far as DRAWING_BUFFER_BUDGET allows);
  after:  after every panel's other builds: the growth warm → after is what the rebuilds leave behind;
  closed: after closing every panel (the chapters' notebooks shut down): what is never given back.
The growth per panel is RSS after its rebuilds minus RSS before them. The target, growth ≤ 50 MB in all, is
judged on before → after (the issue's "before and after") with every panel still open, and on before → closed
(the issue measured panels dropped and collected); warm → after is printed beside them, and peak RSS
(VmHWM). matplotlib's lru_caches are counted at the end: they are bounded, and their fill is the warm-up.
"""
from __future__ import annotations

import argparse
import functools
import gc
import sys
import weakref

import matplotlib
from ipywidgets.widgets.widget import _instances as live_widgets  # ipywidgets' registry of open widgets

import helpers

TARGET_MB = 50.0


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status ("VmRSS", "VmHWM"), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_mb() -> float:
    """This process's resident set size now, in MB, after a full garbage collection."""
    gc.collect()
    return status_mb("VmRSS")


def slider_moves(panel, count: int = 3) -> list[dict]:
    """A few values of the panel's first slider with a grid (else its first), as a student tries them."""
    name = next(iter(panel.grid), next(iter(panel.sliders)))
    values = panel.grid.get(name) or [panel.sliders[name].value]
    return [{name: values[k % len(values)]} for k in range(1, count + 1)]


def build_and_use(factory, held: list, figures: list) -> None:
    """Build a panel, display it (its cell's output) and move a slider, as a student does; keep it as Out[n]."""
    panel = factory()
    panel._repr_mimebundle_()
    held.append(panel)
    figures.append(weakref.ref(panel.figure))
    for values in slider_moves(panel):
        panel.set(**values)


def matplotlib_lru_caches() -> list[tuple[str, int, int]]:
    """(name, entries, maxsize) of every functools.lru_cache in matplotlib's modules."""
    caches = []
    for obj in gc.get_objects():
        if isinstance(obj, functools._lru_cache_wrapper) and getattr(obj, "__module__", "").startswith("matplotlib"):
            info = obj.cache_info()
            caches.append((f"{obj.__module__}.{obj.__qualname__}", info.currsize, info.maxsize))
    return sorted(caches)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=20, help="builds of each panel (default 20)")
    parser.add_argument("--panel", action="append", choices=sorted(helpers.PANEL_FACTORIES),
                        help="only this panel (may be repeated)")
    arguments = parser.parse_args(argv)
    names = arguments.panel or list(helpers.PANEL_FACTORIES)
    held: list = []
    figures = {name: [] for name in names}
    before = rss_mb()
    for name in names:
        build_and_use(helpers.PANEL_FACTORIES[name], held, figures[name])
    warm = rss_mb()
    rows = []
    for name in names:
        start = rss_mb()
        for _ in range(arguments.rebuilds - 1):
            build_and_use(helpers.PANEL_FACTORIES[name], held, figures[name])
        rows.append((name, start, rss_mb(), sum(figure() is not None for figure in figures[name][:-1])))
    after, peak = rss_mb(), status_mb("VmHWM")
    for panel in held:  # the student moves on: each chapter's panels are closed (its notebook shut down)
        panel.close()
    closed = rss_mb()
    width = max(len(name) for name in names)
    print(f"{arguments.rebuilds} builds of each panel, slider moves in between, every panel kept referenced "
          f"(matplotlib {matplotlib.__version__})")
    print(f"{'panel':{width}}  RSS before rebuilds  after rebuilds   growth   old figures alive")
    for name, start, end, alive in rows:
        print(f"{name:{width}}  {start:14.1f} MB  {end:11.1f} MB  {end - start:+7.1f} MB  "
              f"{alive:3d} of {arguments.rebuilds - 1}")
    print(f"RSS before any panel {before:.1f} MB; warm (first build of every panel) {warm:.1f} MB: "
          f"one-time {warm - before:+.1f} MB")
    print(f"RSS after {arguments.rebuilds - 1} rebuilds of every panel {after:.1f} MB: rebuilds {after - warm:+.1f} MB "
          f"({(after - warm) / max(len(names) * (arguments.rebuilds - 1), 1):+.2f} MB a rebuild); peak RSS {peak:.1f} MB; "
          f"live widgets {len(live_widgets)}")
    caches = matplotlib_lru_caches()
    print(f"matplotlib lru_caches (bounded): {sum(entries for _, entries, _ in caches)} entries in {len(caches)} caches; "
          + ", ".join(f"{name.rsplit('.', 1)[-1]} {entries}/{size}" for name, entries, size in caches if entries))
    total = after - before
    print(f"growth before -> after, every panel's last build still open: {total:.1f} MB in all: "
          f"{'meets' if total <= TARGET_MB else 'misses'} the {TARGET_MB:g} MB target "
          f"({len(names)} panels open at once; a chapter's kernel holds 1 to 5)")
    kept = closed - before
    print(f"growth before -> after closing every panel (what the rebuilds and the panels never give back): "
          f"{kept:.1f} MB in all: {'meets' if kept <= TARGET_MB else 'misses'} the {TARGET_MB:g} MB target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
