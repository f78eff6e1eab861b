"""Chapter 9's exercises: batch, mini-batch and stochastic gradient descent."""
import numpy as np

from ..batching import count_steps, make_regression_data, minibatch_gradient_noise
from ..linear import linear_gradients
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, matches, random_cases, register


def _noise_ratio() -> float:
    data = make_regression_data(100, 3, seed=0)
    w, b = np.zeros(3), 0.0
    return (minibatch_gradient_noise(data["X"], data["y"], w, b, 1)
            / minibatch_gradient_noise(data["X"], data["y"], w, b, 10))


register(NumberExercise(
    "09.steps_minibatch_30",
    prompt="the number of steps for N = 100, B = 30, 50 epochs (a whole number)",
    answer=lambda: count_steps(100, 30, 50),
    tolerance=0,
    hint="Count the batches in one epoch (30 does not divide 100: what happens to the samples left over?), then "
         "multiply by the epochs.",
    solution="⌈100/30⌉ = 4 batches per epoch (30, 30, 30, 10), so 4 × 50 = 200 steps.",
))

register(NumberExercise(
    "09.noise_ratio_b1_b10",
    prompt="the noise ratio B = 1 : B = 10 for N = 100, to two decimals",
    answer=_noise_ratio,
    tolerance=0.01,
    hint="Use the factor (N − B)/(B(N − 1)) for B = 1 and for B = 10 and divide the first by the second.",
    wrong_answers=[WrongAnswer(10.0, "that is 1/B alone; drawing 10 of only 100 samples without replacement removes "
                                     "some extra noise: the factor (N − B)/(N − 1)"),
                   WrongAnswer(1 / 11, "that is B = 10's noise over B = 1's: the question asks how many times smaller, "
                                       "B = 1's over B = 10's")],
    solution="1 / (90/990) = 11: a bit more than 10, because drawing 10 of only 100 samples without replacement "
             "removes some extra noise.",
))

register(NumberExercise(
    "09.steps_batch_64",
    prompt="the number of steps of the source's first snippet (1000 samples, 100 epochs) with batch_size=64 (a whole number)",
    answer=lambda: count_steps(1000, 64, 100),
    tolerance=0,
    hint="How many batches does one epoch hold when 1000 samples are cut into batches of 64 (the last one may be "
         "smaller)? One step per batch.",
    solution="⌈1000/64⌉ = 16 batches per epoch (15 of 64 and one of 40), one step each: 16 × 100 = 1600 steps, "
             "against 100 for the whole data set as one batch.",
))


def _gradients(w, b, X, y):
    parts = linear_gradients(w, b, X, y, convention="plain")
    return parts["grad_w"], parts["grad_b"]


def _chapter_batch() -> dict:
    """The worked example: the first 20 samples of the chapter's data set, at w = 0, b = 0."""
    data = make_regression_data(100, 3, seed=0)
    return dict(w=np.zeros(3), b=0.0, X=data["X"][:20], y=data["y"][:20])


def _batch_case(rng) -> dict:
    size = int(rng.integers(1, 9))
    return dict(w=rng.normal(size=3), b=float(rng.normal()), X=rng.normal(size=(size, 3)), y=rng.normal(size=size))


register(CodeExercise(
    "09.minibatch_gradient",
    prompt="the gradients (∂L/∂w, ∂L/∂b) of the mini-batch loss L = (1/B) Σ (w·x_i + b − y_i)² over the B rows of X",
    signature="minibatch_gradient(w, b, X, y)",
    reference=_gradients,
    outputs=["∂L/∂w", "∂L/∂b"],
    cases=lambda: [_chapter_batch()] + random_cases(_batch_case, n=5, seed=9),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, len(case["y"]) * np.asarray(want)),
                "average over the B samples (divide by B): the loss is a mean, not a sum"),
        Mistake(lambda got, want, case: matches(got, np.asarray(want) / 2),
                "this loss has no ½ in front: the derivative of r² is 2r"),
        Mistake(lambda got, want, case: matches(got, -np.asarray(want)),
                "check the sign: the error is ŷ − y, prediction minus label"),
    ],
    hint="The loss is a mean over the batch, so its gradient is the mean of the per-sample gradients "
         "2(ŷ_i − y_i)·x_i (for w) and 2(ŷ_i − y_i) (for b).",
    tolerance=1e-8,
    solution="""The mini-batch loss is a mean, so its gradient is the mean of the per-sample gradients 2(ŷ_i − y_i)·(x_i, 1):

```python
def minibatch_gradient(w, b, X, y):
    error = X @ w + b - y                 # ŷ − y, one entry per sample
    B = len(y)
    return 2 * X.T @ error / B, 2 * error.sum() / B
```

On the first 20 samples at w = 0, b = 0 every error is −y_i, so ∂L/∂b = −2·mean(y).""",
))
