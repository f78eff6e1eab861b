"""The SymPy derivations, one module per chapter topic; every function is named ``derive_*``."""
from . import initialization, linear, losses, network, optimizers, softmax

__all__ = [name for module in (linear, softmax, losses, network, optimizers, initialization) for name in module.__all__]
for _module in (linear, softmax, losses, network, optimizers, initialization):
    globals().update({name: getattr(_module, name) for name in _module.__all__})
