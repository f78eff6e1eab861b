"""The chapters' figures and slider panels, one module per chapter topic (``plot_*``, ``*_panel``)."""
from . import batching, graph, initialization, landscapes, linear, losses, mlp, network, optimizers, softmax

_MODULES = (linear, softmax, losses, network, optimizers, landscapes, batching, initialization, graph, mlp)
__all__ = [name for module in _MODULES for name in module.__all__]
for _module in _MODULES:
    globals().update({name: getattr(_module, name) for name in _module.__all__})
