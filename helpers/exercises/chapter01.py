"""Chapter 1's exercises: one sample, one step (ŷ = w·x + b, L = ½(ŷ − y)²)."""
import numpy as np

from ..linear import LINEAR_ONE_SAMPLE_EXAMPLE as EXAMPLE
from ..linear import linear_critical_learning_rate, linear_gradients, linear_loss, linear_predict, linear_step
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, random_cases, register


#: Exercise 2 redoes the first step with half the worked example's η: its loss is printed nowhere in the chapter.
HALF_LR = EXAMPLE["lr"] / 2


def _loss_after_first_step(lr: float, *, move_b: bool = True) -> float:
    """L = ½(ŷ − y)² on the worked example's sample after one step of size ``lr`` (b held if not ``move_b``)."""
    w, b, x, y = (EXAMPLE[key] for key in ("w", "b", "x", "y"))
    step = linear_step(w, b, x, y, lr)
    return linear_loss(linear_predict(step["w_new"], step["b_new"] if move_b else b, x), y)


register(NumberExercise(
    "01.loss_after_first_step",
    prompt="the loss after the first step with η = 0.05 (exact)",
    answer=lambda: _loss_after_first_step(HALF_LR),
    tolerance=1e-6,
    hint="The gradients at the start are the ones of §2; step w and b with η = 0.05, then ŷ = w·2 + b and "
         "L = ½(ŷ − 4)².",
    solution="The gradients at the start are ∂L/∂w = −4 and ∂L/∂b = −2, so w = 1 + 0.05·4 = 1.2 and "
             "b = 0 + 0.05·2 = 0.1. Then ŷ = 1.2·2 + 0.1 = 2.5 and L = ½(2.5 − 4)² = 1.125: the error shrank by "
             "the factor 1 − 0.05·(2² + 1) = 0.75, so the loss by 0.75² = 0.5625.",
    wrong_answers=[
        WrongAnswer(lambda: _loss_after_first_step(EXAMPLE["lr"]),
                    "that is the loss after the first step with η = 0.1, the one in §4's table; this step uses "
                    "η = 0.05."),
        WrongAnswer(lambda: 2 * _loss_after_first_step(HALF_LR),
                    "that is (ŷ − y)², without the ½ of this chapter's loss."),
        WrongAnswer(lambda: _loss_after_first_step(HALF_LR, move_b=False),
                    "you moved w but not b: the bias takes a step too, b ← b − η·∂L/∂b."),
    ],
))

register(NumberExercise(
    "01.critical_learning_rate_x3",
    prompt="the critical learning rate for x = 3 (exact)",
    answer=lambda: linear_critical_learning_rate(3.0),
    tolerance=1e-6,
    hint="The error is multiplied by 1 − η(x² + 1) each step; find the η where that factor reaches −1.",
    solution="1 − η(3² + 1) = −1 gives η = 2 / (3² + 1) = 0.2. A larger input makes the loss steeper, so the safe "
             "steps get smaller.",
    wrong_answers=[
        WrongAnswer(2 / 3.0**2, "the factor is 1 − η(x² + 1): the +1 comes from the bias, which moves too "
                                "(∂ŷ/∂b = 1)."),
        WrongAnswer(1 / (3.0**2 + 1), "at that η the factor 1 − η(x² + 1) is 0 (one step lands on the label); "
                                      "the run diverges only once the factor passes −1."),
        WrongAnswer(lambda: linear_critical_learning_rate(EXAMPLE["x"]),
                    "that is the critical rate of the worked example's x = 2 (§5); this sample has x = 3."),
    ],
))

def _start_gradients(convention: str) -> dict:
    """linear_gradients at the worked example's start (w = 1, b = 0, x = 2, y = 4) for ``convention``."""
    return linear_gradients(EXAMPLE["w"], EXAMPLE["b"], EXAMPLE["x"], EXAMPLE["y"], convention)


register(NumberExercise(
    "01.plain_loss_gradient_b",
    prompt="∂L/∂b for L = (ŷ − y)² at the start (exact)",
    answer=lambda: _start_gradients("plain")["grad_b"],
    tolerance=1e-6,
    hint="Differentiating (ŷ − y)² gives 2(ŷ − y); and ∂ŷ/∂b = 1.",
    solution="∂L/∂b = 2(ŷ − y)·1 = 2·(2 − 4) = −4: twice the half-loss gradient, so every step is twice as long for "
             "the same η.",
    wrong_answers=[
        WrongAnswer(lambda: _start_gradients("half")["grad_b"],
                    "that is ∂L/∂b for ½(ŷ − y)²; without the ½, differentiating the square brings down a 2."),
        WrongAnswer(lambda: -_start_gradients("plain")["grad_b"],
                    "check the sign: the error is ŷ − y = 2 − 4, prediction minus label."),
        WrongAnswer(lambda: _start_gradients("plain")["grad_w"],
                    "that is ∂L/∂w, which carries the factor x; ∂ŷ/∂b = 1."),
    ],
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
