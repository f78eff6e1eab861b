"""Backprop by Hand: the numerics, derivations, plots and slider panels the chapters share.

Each concept lives in one module named for it (``helpers/losses.py`` holds the losses,
``helpers/optimizers.py`` the optimizers, ...); everything public is importable from here.
"""
from .validation import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403
from .symbolic import *  # noqa: F401,F403
from .exercises import *  # noqa: F401,F403
from .gradient_check import *  # noqa: F401,F403
from .widgets import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .network import *  # noqa: F401,F403

use_course_style()  # noqa: F405
