"""Chapter 1's exercises: one sample, one step (ŷ = w·x + b, L = ½(ŷ − y)²)."""
import numpy as np

from ..linear import LINEAR_ONE_SAMPLE_EXAMPLE as EXAMPLE
from ..linear import linear_critical_learning_rate, linear_gradients, linear_loss, linear_predict, linear_step
from .core import CodeExercise, Mistake, NumberExercise, random_cases, register


def _loss_after_first_step() -> float:
    w, b, x, y, lr = (EXAMPLE[key] for key in ("w", "b", "x", "y", "lr"))
    step = linear_step(w, b, x, y, lr)
    return linear_loss(linear_predict(step["w_new"], step["b_new"], x), y)


register(NumberExercise(
    "01.loss_after_first_step",
    prompt="the loss after the first step",
    answer=_loss_after_first_step,
    tolerance=1e-6,
    hint="First the prediction ŷ = 1.4·2 + 0.2, then L = ½(ŷ − 4)².",
    solution="ŷ = 1.4·2 + 0.2 = 3.0, so L = ½(3 − 4)² = 0.5: a quarter of the starting loss 2, because the error "
             "halved.",
))

register(NumberExercise(
    "01.critical_learning_rate_x3",
    prompt="the critical learning rate for x = 3",
    answer=lambda: linear_critical_learning_rate(3.0),
    tolerance=1e-6,
    hint="The error is multiplied by 1 − η(x² + 1) each step; find the η where that factor reaches −1.",
    solution="1 − η(3² + 1) = −1 gives η = 2 / (3² + 1) = 0.2. A larger input makes the loss steeper, so the safe "
             "steps get smaller.",
))

register(NumberExercise(
    "01.plain_loss_gradient_b",
    prompt="∂L/∂b for L = (ŷ − y)² at the start",
    answer=lambda: linear_gradients(EXAMPLE["w"], EXAMPLE["b"], EXAMPLE["x"], EXAMPLE["y"], "plain")["grad_b"],
    tolerance=1e-6,
    hint="Differentiating (ŷ − y)² gives 2(ŷ − y); and ∂ŷ/∂b = 1.",
    solution="∂L/∂b = 2(ŷ − y)·1 = 2·(2 − 4) = −4: twice the half-loss gradient, so every step is twice as long for "
             "the same η.",
))


def _half_loss_gradients(w, b, x, y):
    parts = linear_gradients(w, b, x, y, "half")
    return parts["grad_w"], parts["grad_b"]


def _random_sample(rng) -> dict:
    w, b, x, y = (round(float(v), 3) for v in rng.uniform(-3, 3, size=4))
    return {"w": w, "b": b, "x": x, "y": y}


register(CodeExercise(
    "01.half_loss_gradients",
    prompt="(∂L/∂w, ∂L/∂b) for ŷ = w·x + b and L = ½(ŷ − y)² at one sample",
    signature="half_loss_gradients(w, b, x, y)",
    reference=_half_loss_gradients,
    outputs=["∂L/∂w", "∂L/∂b"],
    cases=lambda: [{key: EXAMPLE[key] for key in ("w", "b", "x", "y")}] + random_cases(_random_sample, n=5, seed=1),
    mistakes=[
        Mistake(lambda got, want, case: np.allclose(got, -want),
                "check the sign: the error is ŷ − y (prediction minus label), not y − ŷ."),
        Mistake(lambda got, want, case: np.allclose(got, 2 * want),
                "that is the gradient of (ŷ − y)², without the ½: the ½ cancels the 2 that differentiating the "
                "square brings down."),
        Mistake(lambda got, want, case: np.allclose(got * case["x"], want),
                "∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w, and ∂ŷ/∂w = x: multiply the error by x (∂L/∂w comes first, ∂L/∂b second)."),
    ],
    hint="Follow the chain rule of §2: first ∂L/∂ŷ, then multiply it by how ŷ changes when w moves, and when b moves.",
    tolerance=1e-8,
    solution="""The forward pass gives the prediction, the backward pass multiplies the local derivatives
(∂L/∂ŷ = ŷ − y, ∂ŷ/∂w = x, ∂ŷ/∂b = 1):

```python
def half_loss_gradients(w, b, x, y):
    prediction = w * x + b
    dL_dprediction = prediction - y       # the ½ cancels the 2 of the square
    return dL_dprediction * x, dL_dprediction * 1.0
```

On the worked example: ŷ = 2, ∂L/∂ŷ = −2, so (∂L/∂w, ∂L/∂b) = (−4, −2).""",
))
