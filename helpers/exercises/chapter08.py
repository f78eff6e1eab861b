"""Chapter 8's exercises: the optimizers compared on the elongated bowl x²/20 + y²."""
import numpy as np

from ..landscapes import (ELONGATED_BOWL, LANDSCAPE_START, QuadraticBowl, effective_learning_rates,
                          run_landscape_trajectory)
from ..optimizers import Optimizer, momentum_step
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, matches, random_cases, register

register(NumberExercise(
    "08.sgd_largest_stable_lr",
    prompt="the largest η for which SGD does not diverge on the steeper bowl x²/20 + 4y² (exact)",
    answer=lambda: 1 / QuadraticBowl(a=1 / 20, b=4.0).b,  # y ← (1 − 2ηb)·y stays bounded while 2ηb ≤ 2
    tolerance=1e-9,
    hint="Work out, as §2 does for x²/20 + y², what one SGD step multiplies y by on this bowl; for which η does "
         "that factor stay within [−1, 1]?",
    solution="∂f/∂y = 8y, so a step multiplies y by 1 − 8η; |1 − 8η| ≤ 1 means η ≤ 1/4. At η = 1/4 the y-coordinate "
             "bounces between ±y for ever. Four times the curvature, a quarter of the step.",
))

register(NumberExercise(
    "08.sgd_y_after_12_steps",
    prompt="y after 12 SGD steps with η = 0.95 from (−7, 2), to four decimals",
    answer=lambda: run_landscape_trajectory(Optimizer("sgd", 0.95), ELONGATED_BOWL, start=LANDSCAPE_START,
                                                  steps=12)["points"][12, 1],
    tolerance=1e-4,
    hint="y is multiplied by the same factor 1 − 2η at every step, starting from y = 2.",
    wrong_answers=[WrongAnswer(lambda: -2 * 0.9 ** 12, "check the sign: the factor 1 − 2η = −0.9 is raised to an even "
                                                       "power, 12, so y is back on the positive side")],
    solution="y₁₂ = 2·(−0.9)¹² = 2·0.28243 ≈ 0.5649: twelve sign flips bring it back to the positive side.",
))

register(NumberExercise(
    "08.adagrad_effective_rate_t4",
    prompt="AdaGrad's effective learning rate η/√s_t at t = 4 for a constant gradient 2, η = 1 (exact)",
    answer=lambda: effective_learning_rates(Optimizer("adagrad", 1.0), [2.0] * 4)[-1],
    tolerance=1e-6,
    hint="s_t adds one squared gradient per step, and the effective rate is η/√s_t (§6).",
    solution="η/√(4·4) = 1/4. From t = 1 (rate 1/2) to t = 4 (rate 1/4), t doubled twice and the rate halved once: "
             "it shrinks like 1/√t, and the step, rate × g, with it.",
))


def _momentum_reference(theta, u, g, lr, mu):
    out = momentum_step(theta, g, u, lr=lr, momentum=mu)
    return out["theta"], out["velocity"]


def _momentum_cases(rng):
    size = int(rng.integers(1, 5))
    return dict(theta=rng.normal(size=size), u=rng.normal(size=size), g=rng.normal(size=size),
                lr=float(rng.uniform(0.01, 1.5)), mu=float(rng.uniform(0.0, 0.95)))


register(CodeExercise(
    "08.momentum_step",
    prompt="one Momentum step in the course's (PyTorch's) form: u ← μu + g, then θ ← θ − ηu",
    signature="momentum_step(theta, u, g, lr, mu)",
    reference=_momentum_reference,
    outputs=["new θ", "new u"],
    # the worked example: step 2 from (−7, 2) at the derived best η ≈ 1.336, μ ≈ 0.403 (§4), rounded to 1.3358 and
    # 0.4026: step 1 gave u = ∇f(−7, 2) = (−0.7, 4) and θ = (−6.06494, −3.3432), where ∇f = (−0.606494, −6.6864)
    cases=[dict(theta=np.array([-6.06494, -3.3432]), u=np.array([-0.7, 4.0]), g=np.array([-0.606494, -6.6864]),
                lr=1.3358, mu=0.4026)]
          + random_cases(_momentum_cases, n=5, seed=8),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, case["theta"] + case["mu"] * case["u"] - case["lr"] * case["g"]),
                "this is source 004's form (u ← μu − ηg, θ ← θ + u); the course's u is in gradient units: "
                "u ← μu + g, θ ← θ − ηu"),
        Mistake(lambda got, want, case: matches(got, case["mu"] * case["u"] - case["lr"] * case["g"]),
                "this is source 004's velocity u ← μu − ηg; the course's u is in gradient units: u ← μu + g"),
        Mistake(lambda got, want, case: matches(got, case["theta"] - case["lr"] * case["u"]),
                "θ moved with the old u: first update u ← μu + g, then step θ ← θ − η·(new u)"),
        Mistake(lambda got, want, case: matches(got, case["theta"] + case["lr"] * (case["mu"] * case["u"] + case["g"])),
                "the step goes against the velocity: θ − ηu, not θ + ηu"),
        Mistake(lambda got, want, case: matches(got, case["theta"] - case["lr"] * case["g"]),
                "this is plain SGD's step: Momentum steps with the velocity u, not with g alone"),
    ],
    hint="The velocity u collects the gradients (it is in gradient units); update it before θ moves, then step θ "
         "against it with the learning rate (the rule stands in §7 beside the Momentum panel).",
    tolerance=1e-10,
    solution="""Update the velocity first, then step with it:

```python
def momentum_step(theta, u, g, lr, mu):
    u_new = mu * u + g
    theta_new = theta - lr * u_new
    return theta_new, u_new
```

On the worked example (step 2 from (−7, 2), where step 1 left u = (−0.7, 4) and θ = (−6.0649, −3.3432)):
u_new = 0.4026·(−0.7, 4) + (−0.6065, −6.6864) = (−0.8883, −5.0760), and θ moves by −1.3358·u_new to (−4.8783, 3.4373):
y swings across the valley floor again. At η > 1 every step overshoots in y; the velocity's memory of the previous
swing is what keeps the swings bounded and, over the next steps, shrinking (§4). Source 004 keeps u' = −ηu instead (u' ← μu' − ηg, θ ← θ + u'): the same path while η is
constant (§5).""",
))
