"""Chapter 10's exercises: initialization and symmetry."""
import numpy as np

from ..initialization import INIT_WIDE_EXAMPLE, initializer_bound, initializer_std, replay_with_initialization
from .core import CodeExercise, Mistake, NumberExercise, matches, random_cases, register


def _parameters_that_change_from_zeros() -> int:
    run, _ = replay_with_initialization("zeros", **INIT_WIDE_EXAMPLE, steps=10)
    return sum(int(np.sum(run.final_params[name] != run.start[name])) for name in run.start)


register(NumberExercise(
    "10.xavier_uniform_bound",
    prompt="the Xavier uniform bound for nn.Linear(30, 20), to four decimals",
    answer=lambda: initializer_bound("xavier_uniform", 30, 20),
    tolerance=1e-4,
    hint="U(−a, a) has variance a²/3, and Xavier wants 2/(fan_in + fan_out); nn.Linear(30, 20) has 30 inputs and "
         "20 outputs.",
    solution="a²/3 = 2/50, so a = √(6/50) = √0.12 ≈ 0.3464.",
))

register(NumberExercise(
    "10.he_normal_std",
    prompt="He normal's std, fan_in mode, 512 inputs (exact)",
    answer=lambda: initializer_std("he_normal", 512, 256),
    tolerance=1e-5,
    hint="He's variance is 2/n with n = fan_in in fan_in mode; take the square root.",
    solution="√(2/512) = √(1/256) = 1/16 = 0.0625; the 256 outputs only matter in fan_out mode.",
))

register(NumberExercise(
    "10.parameters_changing_from_zeros",
    prompt="the number of parameters that ever change from an all-zero start on the 3-4-3 network of §1 (a whole number)",
    answer=_parameters_that_change_from_zeros,
    tolerance=0,
    hint="With a^{[1]} = tanh(0) = 0 and W^{[2]} = 0, which gradients can be non-zero? Look at the formulas of "
         "∂L/∂W^{[2]} and δ^{[1]}.",
    solution="Only the three entries of $b^{[2]}$ (one per class), of 3·4 + 4 + 4·3 + 3 = 31: ∂L/∂$W^{[2]}$ = $δ^{[2]}$·($a^{[1]}$)ᵀ = 0 and "
             "$δ^{[1]}$ = (($W^{[2]}$)ᵀ$δ^{[2]}$) ⊙ (1 − ($a^{[1]}$)²) = 0, for ever.",
))


def _xavier_reference(fan_in, fan_out):
    return initializer_bound("xavier_uniform", fan_in, fan_out)


def _fans(rng):
    return dict(fan_in=int(rng.integers(1, 1000)), fan_out=int(rng.integers(1, 1000)))


register(CodeExercise(
    "10.xavier_uniform_bound_code",
    prompt="Xavier's uniform bound a for a layer with fan_in inputs and fan_out outputs, so that U(−a, a) has "
           "variance 2/(fan_in + fan_out)",
    signature="xavier_uniform_bound(fan_in, fan_out)",
    reference=_xavier_reference,
    outputs=["a"],
    cases=[dict(fan_in=6, fan_out=4)] + random_cases(_fans, n=5, seed=10),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, np.sqrt(2 / (case["fan_in"] + case["fan_out"]))),
                "√(2/(fan_in + fan_out)) is the normal version's standard deviation; U(−a, a) has variance a²/3, "
                "so a² = 3 × 2/(fan_in + fan_out)"),
        Mistake(lambda got, want, case: matches(got, 6 / (case["fan_in"] + case["fan_out"])),
                "that is a², the bound squared: take the square root"),
        Mistake(lambda got, want, case: matches(got, np.sqrt(6 / case["fan_in"])),
                "√(6/fan_in) is He's uniform bound (fan_in mode); Xavier averages both fans: 6/(fan_in + fan_out)"),
    ],
    hint="U(−a, a) has variance a²/3 (§3); set it equal to 2/(fan_in + fan_out) and solve for a.",
    tolerance=1e-12,
    solution="""a²/3 = 2/(fan_in + fan_out), so a = √(6/(fan_in + fan_out)):

```python
def xavier_uniform_bound(fan_in, fan_out):
    return np.sqrt(6 / (fan_in + fan_out))
```

For `nn.Linear(6, 4)`: √(6/10) ≈ 0.7746, and every printed `xavier_uniform_` value in source 003 lies inside ±0.7746.""",
))
