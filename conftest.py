"""Root pytest configuration: nbval compares the figures too.

nbval skips image outputs unless asked; here every stored PNG must come back byte for byte from a fresh
kernel, like the text. So one nbval run executes each notebook once and checks all its outputs — text,
LaTeX and figures (the course's outputs are deterministic: seeded draws, no dates, fixed PNG metadata).
"""
from __future__ import annotations

COMPARED_IMAGES = ("image/png",)


def pytest_runtest_setup(item):
    notebook = getattr(item, "parent", None)
    if type(item).__name__ == "IPyNbCell" and hasattr(notebook, "skip_compare"):
        notebook.skip_compare = tuple(key for key in notebook.skip_compare if key not in COMPARED_IMAGES)
