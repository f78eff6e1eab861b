"""Chapter 7's exercises: Adam on the 2-2-2 network."""
import numpy as np

from ..derivations import derive_adam_step_that_equalizes_rows
from ..network import replay_two_layer
from ..optimizers import OPTIMIZERS, adam_step, bias_correction_factor
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, matches, random_cases, register


def _second_to_first_step_ratio() -> float:
    g = 0.5  # any gradient: the ratio does not depend on it
    one = adam_step([0.0], [g], [0.0], [0.0], 1, lr=0.1, beta1=0.8, beta2=0.99)
    two = adam_step(one["theta"], [0.0], one["m"], one["v"], 2, lr=0.1, beta1=0.8, beta2=0.99)
    return abs(float(two["update"][0] / one["update"][0]))


register(NumberExercise(
    "07.b2_after_adam_step1",
    prompt="b^{[2]} after Adam's step 1 with the label class 2 and η = 0.05 (exact)",
    answer=lambda: replay_two_layer(optimizer="adam", lr=0.05, steps=1, y=[0.0, 1.0])[0]["params"]["b2"],
    tolerance=1e-6,
    hint="Only the signs of b^{[2]}'s two gradients matter on step 1 (section 2); with the label class 2 the "
         "output error is δ^{[2]} = ŷ − y for y = (0, 1).",
    solution="ŷ is the same as in the chapter, (0.437, 0.563), so δ^{[2]} = ŷ − (0, 1) = (+0.437, −0.437): the "
             "signs are swapped. Adam's first step is −η·sign(g), so $b^{[2]}$ = (0 − 0.05, 0 + 0.05) = "
             "(−0.05, 0.05); the size 0.437 plays no part.",
))

register(NumberExercise(
    "07.lr_equalizing_rows",
    prompt="the η that equalizes rows 0.3 apart (exact)",
    answer=lambda: float(derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.8, 0.9]]).eta),
    tolerance=1e-9,
    hint="On step 1 every weight of W^{[2]} moves by exactly η (section 2): which way does each row move, "
         "and how far apart do the rows start?",
    solution="2η = 0.3 gives η = 0.15; `derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.8, 0.9]])` solves "
             "it the same way.",
))

register(NumberExercise(
    "07.adam_step2_ratio",
    prompt="the ratio |Δθ_2| / |Δθ_1| (new over old) when g_2 = 0, to three decimals",
    answer=_second_to_first_step_ratio,
    tolerance=5e-4,  # 0.630, as the solution rounds it, counts
    wrong_answers=[WrongAnswer(lambda: 1 / _second_to_first_step_ratio(),
                               "That is the inverse, |Δθ_1| / |Δθ_2| (old over new): the question asks for the "
                               "step-2 change divided by the step-1 change.")],
    hint="Run both averages two steps from m_0 = v_0 = 0 with g_2 = 0, divide each by its 1 − β^2, and take "
         "m̂_2/√v̂_2; section 3 does the same with the default β's.",
    solution="m_2 = 0.8·0.2·g_1 = 0.16·g_1 and v_2 = 0.99·0.01·g_1² = 0.0099·g_1², so m̂_2 = 0.16/0.36·g_1 = "
             "0.4444·g_1 and √v̂_2 = √(0.0099/0.0199)·|g_1| = 0.7053·|g_1|: the ratio is 0.4444/0.7053 ≈ 0.630 "
             "(with the defaults 0.9 and 0.999 it is the 0.670 of section 3).",
))


def _adam_change(m, v, t, lr, beta1, beta2, eps, *, correct_m=True, correct_v=True):
    m_hat = m * bias_correction_factor(beta1, t) if correct_m else m
    v_hat = v * bias_correction_factor(beta2, t) if correct_v else v
    return -lr * m_hat / (np.sqrt(v_hat) + eps)


def _layer_one_at_step_two() -> dict:
    record = replay_two_layer(optimizer="adam", lr=0.1, steps=2)[1]["optimizer"]["W1"]
    return dict(m=record["m"], v=record["v"], t=2, lr=0.1, **OPTIMIZERS["adam"].defaults)  # the replay's β1, β2, ε


def _random_moments(rng) -> dict:
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    return dict(m=rng.normal(scale=0.1, size=shape), v=rng.uniform(1e-4, 0.1, size=shape), t=int(rng.integers(1, 50)),
                lr=float(10 ** rng.uniform(-3, -0.5)), beta1=float(rng.uniform(0.5, 0.95)),
                beta2=float(rng.uniform(0.9, 0.9999)), eps=1e-8)


register(CodeExercise(
    "07.adam_change",
    prompt="Adam's change Δθ = −η·m̂_t/(√v̂_t + ε) from the moving averages m_t and v_t after step t",
    signature="adam_change(m, v, t, lr, beta1, beta2, eps)",
    reference=lambda m, v, t, lr, beta1, beta2, eps: _adam_change(m, v, t, lr, beta1, beta2, eps),
    outputs=["Δθ"],
    cases=lambda: [_layer_one_at_step_two()] + random_cases(_random_moments, n=5, seed=7),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, -want), "Δθ goes against m̂: put a minus sign in front of η"),
        Mistake(lambda got, want, case: matches(got, _adam_change(**case, correct_m=False, correct_v=False)),
                "divide m by 1 − β1^t and v by 1 − β2^t before using them (the bias correction)"),
        Mistake(lambda got, want, case: matches(got, _adam_change(**case, correct_v=False)),
                "v needs its correction too: v̂ = v/(1 − β2^t)"),
        Mistake(lambda got, want, case: matches(got, _adam_change(**case, correct_m=False)),
                "m needs its correction too: m̂ = m/(1 − β1^t)"),
    ],
    hint="m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), then Δθ = −η·m̂/(√v̂ + ε), entry by entry (NumPy works on whole arrays).",
    tolerance=1e-8,
    solution="""The last three lines of Adam's update, on whole arrays at once:

```python
def adam_change(m, v, t, lr, beta1, beta2, eps):
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return -lr * m_hat / (np.sqrt(v_hat) + eps)
```

On the worked example (layer 1's averages after step 2, where its gradient was 0) every entry is −0.0670: m̂ and
√v̂ both remember step 1, and their ratio (0.09/0.19)/√(0.000999/0.001999) = 0.670 is the same for all four
weights.""",
))
