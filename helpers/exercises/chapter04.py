"""Chapter 4's exercises: the loss functions."""
import numpy as np

from ..losses import (binary_cross_entropy, binary_cross_entropy_from_logits_gradient, cross_entropy_from_logits, mae,
                      mse, sigmoid)
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, matches, random_cases, register

_Y_HAT, _Y = [2.5, 5.0, 9.0], [3.0, 5.0, 2.5]
#: Source 003's four BCE samples: predictions ŷ and labels y; their logits are z = log(ŷ / (1 − ŷ)).
_BCE_PREDICTIONS, _BCE_LABELS = np.array([0.7, 0.2, 0.9, 0.7]), np.array([1.0, 0.0, 1.0, 0.0])


register(NumberExercise(
    "04.mae_mse_with_outlier",
    prompt="[MAE, MSE] for ŷ = [2.5, 5.0, 9.0], y = [3.0, 5.0, 2.5], to four decimals",
    answer=lambda: [mae(_Y_HAT, _Y), mse(_Y_HAT, _Y)],
    tolerance=1e-4,
    hint="Only the third prediction changed: work out the three errors ŷ − y, then average their absolute values, and "
         "then their squares.",
    solution="MAE = (0.5 + 0 + 6.5)/3 = 7/3 ≈ 2.3333 grew 7-fold; MSE = (0.25 + 0 + 42.25)/3 = 42.5/3 ≈ 14.1667 grew "
             "85-fold: the square magnifies the outlier.",
    wrong_answers=[
        WrongAnswer([7.0, 42.5], "those are sums: MAE and MSE are means, so divide by N = 3."),
        WrongAnswer([7 / 3, 42.5 / 6], "this chapter's MSE has no ½: the mean of the squared errors."),
        WrongAnswer([7 / 3, np.sqrt(42.5 / 3)], "that is the root of the MSE; the MSE is the mean of the squares itself."),
    ],
))

register(NumberExercise(
    "04.bce_confident_wrong",
    prompt="the BCE of the prediction ŷ = 0.1 for the label y = 1, to four decimals",
    answer=lambda: binary_cross_entropy([0.1], [1.0]),
    tolerance=1e-4,
    hint="With y = 1, which of the two terms of the BCE is left? The log is the natural logarithm.",
    solution="−log 0.1 ≈ 2.3026, about 6.5 times sample 1's 0.3567 for a model 0.7 sure of the right class.",
    wrong_answers=[
        WrongAnswer(1.0, "that is log base 10; the BCE uses the natural logarithm, ln."),
        WrongAnswer(lambda: binary_cross_entropy([0.1], [0.0]),
                    "with y = 1 the term y·log ŷ stays: −log 0.1, not −log 0.9."),
    ],
))

register(NumberExercise(
    "04.cross_entropy_equal_logits",
    prompt="the cross-entropy of the logits [0, 0, 0, 0], to four decimals",
    answer=lambda: cross_entropy_from_logits([0.0, 0.0, 0.0, 0.0], 0),
    tolerance=1e-4,
    hint="Equal logits give equal probabilities. What is each probability, and what is −log of it?",
    solution="Each class gets 1/4, so L = −log(1/4) = log 4 ≈ 1.3863: the loss of knowing nothing.",
    wrong_answers=[
        WrongAnswer(2.0, "that is log base 2 (bits); the loss uses the natural logarithm, ln."),
        WrongAnswer(0.25, "0.25 is each class's probability; the loss is −log of it."),
    ],
))


def _bce_case(rng) -> dict:
    size = int(rng.integers(1, 7))
    return dict(z=rng.normal(scale=2.0, size=size), y=rng.integers(0, 2, size=size).astype(float))


register(CodeExercise(
    "04.bce_gradient_from_logits",
    prompt="the gradient ∂L/∂z of the binary cross-entropy L = −[y log σ(z) + (1 − y) log(1 − σ(z))], one entry per sample",
    signature="bce_gradient_from_logits(z, y)",
    reference=lambda z, y: binary_cross_entropy_from_logits_gradient(z, y, reduction="none"),
    outputs=["∂L/∂z"],
    cases=[dict(z=np.log(_BCE_PREDICTIONS / (1 - _BCE_PREDICTIONS)), y=_BCE_LABELS)]
          + random_cases(_bce_case, n=5, seed=4),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, -want), "check the sign: prediction minus label, σ(z) − y"),
        Mistake(lambda got, want, case: matches(got, case["z"] - case["y"]),
                "the prediction is the probability σ(z), not the logit z"),
        Mistake(lambda got, want, case: matches(got, want / np.size(want)),
                "one entry per sample: do not average over the samples"),
        Mistake(lambda got, want, case: matches(got, want * sigmoid(case["z"]) * (1 - sigmoid(case["z"]))),
                "the sigmoid's slope σ(1 − σ) cancels against ∂L/∂σ = (σ − y)/(σ(1 − σ)): do not multiply by it again"),
        Mistake(lambda got, want, case: matches(got, want / (sigmoid(case["z"]) * (1 - sigmoid(case["z"])))),
                "that is ∂L/∂σ: multiply by the sigmoid's slope dσ/dz = σ(1 − σ)"),
    ],
    hint="Chain rule: ∂L/∂z = ∂L/∂σ · dσ/dz, with the sigmoid's slope dσ/dz = σ(1 − σ); section 5 simplifies the product.",
    tolerance=1e-8,
    solution="""By the chain rule, ∂L/∂z = ∂L/∂σ · dσ/dz = (σ − y)/(σ(1 − σ)) · σ(1 − σ) = σ(z) − y: prediction minus
label, the twin of softmax + cross-entropy's a − y.

```python
def bce_gradient_from_logits(z, y):
    return sigmoid(z) - y
```

On the source's four samples: [−0.3, 0.2, −0.1, 0.7].""",
))
