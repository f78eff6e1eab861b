"""Backprop by Hand: the numerics, derivations, plots and slider panels the chapters share.

Each concept lives in one place named for it:
- numerics in ``helpers/<concept>.py`` (``losses``, ``optimizers``, ``network``, ``linear``, ...);
- its SymPy derivations in ``helpers/derivations/<topic>.py`` (functions named ``derive_*``);
- its figures and slider panels in ``helpers/panels/<topic>.py`` (``plot_*``, ``*_panel``);
- shared pieces: ``validation``, ``plots`` (course style), ``widgets`` (SliderPanel), ``symbolic``
  (SymPy = NumPy checks), ``exercises``, ``tables``, ``gradient_check`` (finite differences),
  ``sources`` (what the source posts printed, which the audits check).
Everything public is importable from ``helpers`` itself.
"""
from .validation import *  # noqa: F401,F403
from .plots import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403
from .symbolic import *  # noqa: F401,F403
from .exercises import *  # noqa: F401,F403
from .gradient_check import *  # noqa: F401,F403
from .widgets import *  # noqa: F401,F403
from .sources import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .softmax import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .network import *  # noqa: F401,F403
from .landscapes import *  # noqa: F401,F403
from .batching import *  # noqa: F401,F403
from .initialization import *  # noqa: F401,F403
from .mlp import *  # noqa: F401,F403
from .graph import *  # noqa: F401,F403
from .derivations import *  # noqa: F401,F403
from .panels import *  # noqa: F401,F403

use_course_style()  # noqa: F405
