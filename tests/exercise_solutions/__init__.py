"""Solutions to the code exercises, kept in the test suite (never in a notebook).

Each chapter's owner keeps ``chapterNN.py`` here, defining::

    SOLUTIONS = {"NN.slug": dict(right=<a correct function>, wrong=<a typical wrong one>,
                                 wrong_hint_mentions="words the hint for the wrong one must contain")}

``all_solutions()`` gathers every chapter's entries; tests/test_exercise_bank.py runs them.
"""
from __future__ import annotations

import importlib
import pkgutil

KEYS = {"right", "wrong", "wrong_hint_mentions"}


def all_solutions() -> dict:
    """{exercise id: {"right", "wrong", "wrong_hint_mentions"}} from every chapterNN.py in this folder."""
    found: dict = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("chapter")):
        solutions = importlib.import_module(f"{__name__}.{module}").SOLUTIONS
        for key, entry in solutions.items():
            if key in found:
                raise ValueError(f"{key} has solutions in two files")
            if set(entry) != KEYS:
                raise ValueError(f"{key}: an entry holds exactly {sorted(KEYS)}; got {sorted(entry)}")
            found[key] = entry
    return found
