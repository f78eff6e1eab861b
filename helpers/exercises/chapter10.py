"""Chapter 10's exercises: initialization and symmetry."""
import numpy as np

from ..initialization import initializer_bound, initializer_std, replay_with_initialization
from .core import NumberExercise, register


def _parameters_that_change_from_zeros() -> int:
    run, _ = replay_with_initialization("zeros", steps=10)
    return sum(int(np.sum(run.final_params[name] != run.start[name])) for name in run.start)


register(NumberExercise(
    "10.xavier_uniform_bound",
    prompt="the Xavier uniform bound for nn.Linear(6, 4)",
    answer=lambda: initializer_bound("xavier_uniform", 6, 4),
    tolerance=1e-4,
    hint="a = √(6/(fan_in + fan_out)); nn.Linear(6, 4) has 6 inputs and 4 outputs.",
    solution="√(6/10) = √0.6 ≈ 0.7746: every printed xavier_uniform_ value in the source lies inside ±0.7746.",
))

register(NumberExercise(
    "10.he_normal_std",
    prompt="He normal's std, fan_in mode, 512 inputs",
    answer=lambda: initializer_std("he_normal", 512, 256),
    tolerance=1e-5,
    hint="He's variance is 2/n with n = fan_in in fan_in mode; take the square root.",
    solution="√(2/512) = √(1/256) = 1/16 = 0.0625; the 256 outputs only matter in fan_out mode.",
))

register(NumberExercise(
    "10.parameters_changing_from_zeros",
    prompt="the number of parameters that ever change from an all-zero start on the 2-2-2 network",
    answer=_parameters_that_change_from_zeros,
    tolerance=0,
    hint="With a^{[1]} = tanh(0) = 0 and W^{[2]} = 0, which gradients can be non-zero? Look at the formulas of "
         "∂L/∂W^{[2]} and δ^{[1]}.",
    solution="Only the two entries of $b^{[2]}$: ∂L/∂$W^{[2]}$ = $δ^{[2]}$·($a^{[1]}$)ᵀ = 0 and "
             "$δ^{[1]}$ = (($W^{[2]}$)ᵀ$δ^{[2]}$) ⊙ (1 − ($a^{[1]}$)²) = 0, for ever.",
))
