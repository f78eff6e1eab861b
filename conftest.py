"""Root pytest configuration: nbval compares the figures too, and the slow test files are handed out first.

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
    """The test files with a test marked slow or browser first, then the others, most tests first (the order
    pytest-xdist would choose). `make test` runs pytest-xdist with --no-loadscope-reorder, so its workers take
    whole files in this order: a minute-long file (JupyterLab in Chromium, the lock on four Pythons) drawn last
    would leave the other worker idle meanwhile."""
    slow = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    count: dict = {}
    for item in items:
        count[item.path] = count.get(item.path, 0) + 1
    items.sort(key=lambda item: (item.path not in slow, -count[item.path]))  # stable: a file's tests keep their order


def pytest_collection_finish(session):
    """What collection loaded (numpy, sympy, matplotlib, the course's modules, the tests) lives as long as the
    process: moved out of the garbage collector's sight, so each full collection, which the panel tests ask
    for a few hundred times (a rebuilt panel is freed at once), looks at what the tests made since."""
    gc.collect()
    gc.freeze()
