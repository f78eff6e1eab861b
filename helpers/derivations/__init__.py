"""The SymPy derivations, one module per chapter topic; every function is named ``derive_*`` and returns
one type, :class:`helpers.symbolic.Derivation`; ``exact_moving_average`` gives exact numbers, not a derivation."""
from . import batching, initialization, landscapes, linear, losses, network, optimizers, softmax

_MODULES = (linear, softmax, losses, network, optimizers, landscapes, batching, initialization)
__all__ = [name for module in _MODULES for name in module.__all__]
for _module in _MODULES:
    globals().update({name: getattr(_module, name) for name in _module.__all__})
