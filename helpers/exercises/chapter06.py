"""Chapter 6's exercises: moving averages and Adam."""
import numpy as np

from ..optimizers import adam_step, bias_correction_factor, exponential_moving_average
from .core import CodeExercise, Mistake, NumberExercise, matches, random_cases, register

register(NumberExercise(
    "06.ema_m3_constant_gradient",
    prompt="m_3 for a constant gradient 2, β1 = 0.5, m_0 = 0 (exact)",
    answer=lambda: exponential_moving_average([2.0, 2.0, 2.0], 0.5, convention="zero")[-1],
    tolerance=1e-6,
    hint="Unroll the recursion from m_0 = 0 three times, or use section 2's closed form for a constant gradient.",
    solution="m_1 = 1, m_2 = 1.5, m_3 = 1.75 = (1 − 1/8)·2: the average has not caught up yet; dividing by "
             "1 − 0.5³ = 0.875 gives m̂_3 = 2 exactly.",
))

register(NumberExercise(
    "06.bias_correction_factor_t10",
    prompt="1/(1 − 0.99^10), to three decimals",
    answer=lambda: bias_correction_factor(0.99, 10),
    tolerance=1e-3,
    hint="The correction divides v_t by the share of a full average it has collected after t steps from v_0 = 0.",
    solution="1/(1 − 0.99^10) = 1/(1 − 0.90438) ≈ 10.46: after ten steps v_t holds only about 9.6 % of a full "
             "average of g², so it is scaled up about tenfold (with the default β2 = 0.999 it would be 100.45, the "
             "table in section 2).",
))

register(NumberExercise(
    "06.adam_first_update",
    prompt="Δθ at t = 1 for g = −250, η = 0.001 (exact)",
    answer=lambda: float(adam_step([0.0], [-250.0], [0.0], [0.0], 1, lr=0.001)["update"][0]),
    tolerance=1e-9,
    hint="At t = 1, m̂ = g and √v̂ = |g|: the size of g drops out.",
    solution="Δθ = −η·g/(|g| + ε) = +0.001: the parameter moves up by η, against the negative gradient, whatever "
             "its size.",
))


def _corrected_in_place(x, beta):
    m, out = 0.0, []
    for t, x_t in enumerate(x, start=1):
        m = (beta * m + (1 - beta) * x_t) / (1 - beta**t)
        out.append(m)
    return np.array(out)


def _zero_start(x, beta):
    return exponential_moving_average(x, beta, convention="zero")


register(CodeExercise(
    "06.bias_corrected_average",
    prompt="Adam's bias-corrected moving average m̂_1 … m̂_n of a sequence x (start m_0 = 0)",
    signature="bias_corrected_average(x, beta)",
    reference=lambda x, beta: exponential_moving_average(x, beta, convention="zero", bias_corrected=True),
    outputs=["m̂"],
    cases=[dict(x=np.array([1.0, 1.0, 1.0, -0.5, -0.5]), beta=0.9)]
          + random_cases(lambda rng: dict(x=rng.normal(size=int(rng.integers(2, 9))), beta=float(rng.uniform(0.1, 0.99))),
                         n=5, seed=6),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, _zero_start(case["x"], case["beta"])),
                "these are the zero-start averages m_t themselves: divide each by 1 − β^t"),
        Mistake(lambda got, want, case: matches(got, exponential_moving_average(case["x"], case["beta"])),
                "this is source 003's start S_1 = x_1; Adam starts at m_0 = 0 and then divides by 1 − β^t"),
        Mistake(lambda got, want, case: matches(got, _corrected_in_place(case["x"], case["beta"])),
                "keep the running average m_t uncorrected and divide a copy: the recursion runs on m, not on m̂"),
    ],
    hint="Run m_t = β·m_{t−1} + (1 − β)·x_t from m_0 = 0 and keep m_t/(1 − β^t) at each step t = 1 … n.",
    tolerance=1e-8,
    solution="""One loop keeps the running average m and divides a copy of it by 1 − β^t at each step:

```python
def bias_corrected_average(x, beta):
    m, out = 0.0, []
    for t, x_t in enumerate(x, start=1):
        m = beta * m + (1 - beta) * x_t
        out.append(m / (1 - beta**t))
    return np.array(out)
```

On the chapter's gradients [1, 1, 1, −0.5, −0.5] with β = 0.9 it gives [1, 1, 1, 0.564, 0.304]: the m̂ column of
Adam's table in section 3. A constant sequence comes back unchanged, from the first step.""",
))
