"""The exercises: ``Exercise``/``Feedback`` (a checked answer) and the bank of exercises by id.

Each ``chapterNN.py`` here registers its chapter's exercises; ``exercise("NN.slug")`` finds one.
"""
import importlib
import pkgutil

from .core import (CodeExercise, Exercise, Feedback, Mistake, NumberExercise, Solution, WrongAnswer,  # noqa: F401
                   exercise, random_cases, register, registered)

__all__ = ["Exercise", "Feedback"]

for _module in sorted(module.name for module in pkgutil.iter_modules(__path__)):
    if _module.startswith("chapter"):
        importlib.import_module(f"{__name__}.{_module}")
