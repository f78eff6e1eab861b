"""Root pytest configuration: nbval compares the figures too, and the order in which test files are handed out.

nbval skips image outputs unless asked; here every stored PNG must come back byte for byte from a fresh
kernel, like the text. So one nbval run executes each notebook once and checks all its outputs — text,
LaTeX and figures (the course's outputs are deterministic: seeded draws, no dates, fixed PNG metadata).
"""
from __future__ import annotations

import gc

COMPARED_IMAGES = ("image/png",)


def pytest_runtest_setup(item):
    notebook = getattr(item, "parent", None)
    if type(item).__name__ == "IPyNbCell" and hasattr(notebook, "skip_compare"):
        notebook.skip_compare = tuple(key for key in notebook.skip_compare if key not in COMPARED_IMAGES)


def pytest_collection_modifyitems(config, items):
    """The order in which `make test`'s workers take whole files (pytest-xdist with --no-loadscope-reorder):
    first the files that time what a student waits for (marked latency: JupyterLab in Chromium, about a
    minute), so that the other worker meanwhile runs plain unit tests, not another browser; then the files
    without slow or browser tests, most tests first (the order pytest-xdist would choose); last the other
    slow or browser files (the static pages in Chromium, the lock on four Pythons), which then share the
    machine with each other. (Sorted by test count alone, the JupyterLab file came last and left the other
    worker idle for most of a minute.)"""
    def has(marker):
        return {item.path for item in items if item.get_closest_marker(marker)}

    latency, slow = has("latency"), has("slow") | has("browser")
    count: dict = {}
    for item in items:
        count[item.path] = count.get(item.path, 0) + 1
    # stable: a file's tests keep their order, and stay together
    items.sort(key=lambda item: (0 if item.path in latency else 2 if item.path in slow else 1, -count[item.path]))


def pytest_collection_finish(session):
    """What collection loaded (numpy, sympy, matplotlib, the course's modules, the tests) lives as long as the
    process: moved out of the garbage collector's sight, so each full collection, which the panel tests ask
    for a few hundred times (a rebuilt panel is freed at once), looks at what the tests made since."""
    gc.collect()
    gc.freeze()
