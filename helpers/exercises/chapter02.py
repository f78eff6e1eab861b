"""Chapter 2's exercises: two features, two samples."""
import numpy as np

from ..linear import LINEAR_LOSS_CONVENTIONS, LINEAR_TWO_SAMPLE_EXAMPLE as EXAMPLE
from ..linear import linear_critical_learning_rate, linear_gradients, linear_step, replay_linear
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, random_cases, register


def _prediction_at_step_3(sample: int = 0, *, with_bias: bool = True) -> float:
    """ŷ = w·x + b (b left out unless ``with_bias``) for sample ``sample`` (0-based) with the worked example's
    parameters after step 2: step 3's prediction is sample 1's."""
    replay = replay_linear(EXAMPLE["w"], EXAMPLE["b"], EXAMPLE["x"], EXAMPLE["y"], EXAMPLE["lr"], steps=3,
                           convention="plain")
    before = replay.steps[2]  # step 3's parameters are the ones after step 2
    return float(np.dot(before["w"], EXAMPLE["x"][sample]) + (before["b"] if with_bias else 0.0))


register(NumberExercise(
    "02.prediction_step3_sample1",
    prompt="the prediction for sample 1 at step 3, to four decimals",
    answer=_prediction_at_step_3,
    tolerance=1e-4,
    hint="ŷ = w1·x1 + w2·x2 + b with sample 1's inputs x = (0.1, 0.8).",
    solution="ŷ = 0.04536·0.1 + 0.145616·0.8 + 0.21872 = 0.004536 + 0.1164928 + 0.21872 ≈ 0.3397: up from 0 at "
             "step 1, still short of the label 0.8.",
    wrong_answers=[
        WrongAnswer(lambda: _prediction_at_step_3(1), "those are sample 2's inputs; step 3 visits sample 1 again, "
                                                      "x = (0.1, 0.8)."),
        WrongAnswer(lambda: _prediction_at_step_3(with_bias=False), "add the bias b = 0.21872: ŷ = w·x + b."),
    ],
))

#: A learning rate chapter 1 ran (§5) with its loss ½(ŷ − y)²; exercise 4 asks for the same steps with (ŷ − y)².
CHAPTER_1_LR = 0.3
_HALF_PER_PLAIN = LINEAR_LOSS_CONVENTIONS["plain"] / LINEAR_LOSS_CONVENTIONS["half"]  # the ½ loss's gradients are half

register(NumberExercise(
    "02.plain_loss_matching_lr",
    prompt="the η for the plain loss (ŷ − y)² that matches chapter 1's η = 0.3 with ½(ŷ − y)² (exact)",
    answer=lambda: CHAPTER_1_LR / _HALF_PER_PLAIN,
    tolerance=1e-9,
    hint="Without the ½ every gradient is twice as large. What must η be so that η·∂L/∂w stays the same?",
    solution="0.3 / 2 = 0.15: (ŷ − y)² has gradients twice those of ½(ŷ − y)², so 0.15·2(ŷ − y) = 0.3·(ŷ − y): the "
             "same step.",
    wrong_answers=[
        WrongAnswer(lambda: CHAPTER_1_LR * _HALF_PER_PLAIN,
                    "that goes the wrong way: (ŷ − y)² has the larger gradients, so it needs the smaller η "
                    "(§2 turns this chapter's η into chapter 1's; here it is the other way round)."),
        WrongAnswer(CHAPTER_1_LR, "with the same η the steps on (ŷ − y)² are twice as long: its gradients are "
                                  "twice as large."),
    ],
))

#: Exercise 5's sample, trained alone: a third one, so its critical η is printed nowhere in the chapter.
THIRD_SAMPLE = (0.2, 0.4)


def _size(x) -> float:
    """x1² + x2² + 1: how strongly a step on sample x moves its own prediction (per unit of η·∂L/∂ŷ)."""
    return float(np.dot(x, x)) + 1.0


register(NumberExercise(
    "02.critical_lr_third_sample_plain",
    prompt="the critical η for the sample x = (0.2, 0.4) alone, plain loss, to three decimals",
    answer=lambda: linear_critical_learning_rate([THIRD_SAMPLE], "plain"),
    tolerance=1e-3,
    hint="§7: one step multiplies this sample's error by 1 − 2η(x1² + x2² + 1) with this loss. When is that −1?",
    solution="x1² + x2² + 1 = 0.04 + 0.16 + 1 = 1.2, and 2η·1.2 = 2 gives η = 1/1.2 ≈ 0.833: a smaller input than "
             "sample 1's (0.606) or sample 2's (0.746), so larger steps are safe.",
    wrong_answers=[
        WrongAnswer(lambda: linear_critical_learning_rate([THIRD_SAMPLE], "half"),
                    "that is the critical η of ½(ŷ − y)²; this loss has no ½, so the factor is 1 − 2η(x1² + x2² + 1)."),
        WrongAnswer(lambda: 1 / (_size(THIRD_SAMPLE) - 1),
                    "the factor is 1 − 2η(x1² + x2² + 1): the +1 comes from the bias, which moves too."),
        WrongAnswer(lambda: 1 / (2 * _size(THIRD_SAMPLE)),
                    "at that η the factor 1 − 2η(x1² + x2² + 1) is 0 (one step lands on the label); the run "
                    "diverges only once the factor passes −1."),
        WrongAnswer(lambda: 1 / (sum(THIRD_SAMPLE) + 1),
                    "square the inputs: the factor is 1 − 2η(x1² + x2² + 1)."),
        *(WrongAnswer(lambda i=i: linear_critical_learning_rate([EXAMPLE["x"][i]], "plain"),
                      f"that is sample {i + 1}'s critical η from §7; compute x1² + x2² + 1 for x = (0.2, 0.4).")
          for i in range(2)),
        WrongAnswer(lambda: linear_critical_learning_rate(EXAMPLE["x"], "plain"),
                    "that is §7's critical η for the chapter's two samples visited in turn; this sample is trained "
                    "alone, x = (0.2, 0.4)."),
    ],
))


def _sgd_step(w, b, x, y, lr):
    step = linear_step(w, b, x, y, lr, "plain")
    return step["w_new"], step["b_new"]


def _random_step(rng) -> dict:
    w, x = np.round(rng.uniform(-2, 2, size=(2, 2)), 3)
    b, y = (round(float(v), 3) for v in rng.uniform(-2, 2, size=2))
    return {"w": w, "b": b, "x": x, "y": y, "lr": round(float(rng.uniform(0.01, 0.3)), 3)}


def _moved(got, want, case, times: float) -> bool:
    """Whether the learner's move from the start is ``times`` the right move (w has shape (2,), b is a number)."""
    start = np.asarray(case["w"] if np.ndim(want) else case["b"], dtype=float)
    return np.allclose(got - start, times * (want - start))


register(CodeExercise(
    "02.sgd_step",
    prompt="(new w, new b) after one SGD step on L = (ŷ − y)² at one sample of two features",
    signature="sgd_step(w, b, x, y, lr)",
    reference=_sgd_step,
    outputs=["new w", "new b"],
    cases=lambda: [{"w": np.array(EXAMPLE["w"]), "b": EXAMPLE["b"], "x": np.array(EXAMPLE["x"][0]),
                    "y": EXAMPLE["y"][0], "lr": EXAMPLE["lr"]}] + random_cases(_random_step, n=5, seed=2),
    mistakes=[
        Mistake(lambda got, want, case: _moved(got, want, case, 0.5),
                "your step is half as long: this loss has no ½, so ∂L/∂ŷ = 2(ŷ − y)."),
        Mistake(lambda got, want, case: _moved(got, want, case, -1.0),
                "your step goes uphill: check the sign of the error ŷ − y and step against the gradient, "
                "w ← w − η·∂L/∂w."),
        Mistake(lambda got, want, case: _moved(got, want, case, 1.0 / case["lr"]),
                "your step is not scaled by the learning rate: w ← w − η·∂L/∂w."),
    ],
    hint="ŷ = w·x + b (w·x = w1·x1 + w2·x2), ∂L/∂ŷ = 2(ŷ − y); then w ← w − η·∂L/∂ŷ·x and b ← b − η·∂L/∂ŷ.",
    tolerance=1e-8,
    solution="""Forward, then one gradient per parameter (the error signal times what the parameter multiplies),
then the step:

```python
def sgd_step(w, b, x, y, lr):
    prediction = w @ x + b                # w1·x1 + w2·x2 + b
    dL_dprediction = 2 * (prediction - y)  # no ½ in this loss
    return w - lr * dL_dprediction * x, b - lr * dL_dprediction
```

On step 1 of the worked example: ŷ = 0, ∂L/∂ŷ = −1.6, so w = (0.016, 0.128) and b = 0.16, the source's numbers.""",
))


def _full_batch_gradient(w, b, X, Y):
    parts = linear_gradients(w, b, X, Y, "plain")
    return parts["grad_w"], parts["grad_b"]


def _random_data_set(rng) -> dict:
    n = int(rng.integers(2, 6))
    return {"w": np.round(rng.uniform(-2, 2, size=2), 3), "b": round(float(rng.uniform(-2, 2)), 3),
            "X": np.round(rng.uniform(-2, 2, size=(n, 2)), 3), "Y": np.round(rng.uniform(-2, 2, size=n), 3)}


register(CodeExercise(
    "02.full_batch_gradient",
    prompt="(∂L̄/∂w, ∂L̄/∂b) of the mean loss L̄ = (1/N)·Σ(ŷ_i − y_i)² over a data set of N samples with two features",
    signature="full_batch_gradient(w, b, X, Y)",
    reference=_full_batch_gradient,
    outputs=["∂L/∂w", "∂L/∂b"],
    cases=lambda: [{"w": np.array(EXAMPLE["w"]), "b": EXAMPLE["b"], "X": np.array(EXAMPLE["x"]),
                    "Y": np.array(EXAMPLE["y"])}] + random_cases(_random_data_set, n=5, seed=3),
    mistakes=[
        Mistake(lambda got, want, case: np.allclose(got, len(case["Y"]) * want),
                "this is the sum of the samples' gradients; the loss is their mean, so divide by N."),
        Mistake(lambda got, want, case: np.allclose(got, 0.5 * want),
                "half the right size: this loss has no ½, so each sample's ∂L/∂ŷ is 2(ŷ − y)."),
        Mistake(lambda got, want, case: np.allclose(got, -want),
                "check the sign of the error: ŷ − y, prediction minus label."),
    ],
    hint="ŷ = X @ w + b (one prediction per sample); each sample's gradient is 2(ŷ_i − y_i)·(x_i1, x_i2) for w and "
         "2(ŷ_i − y_i) for b; the full-batch gradient is their mean.",
    tolerance=1e-8,
    solution="""The gradient of a mean is the mean of the gradients: compute every sample's error at once, then
average the per-sample gradients:

```python
def full_batch_gradient(w, b, X, Y):
    errors = X @ w + b - Y                  # ŷ_i − y_i, one per sample
    n = len(Y)
    return 2 * X.T @ errors / n, 2 * errors.sum() / n
```

At the worked example's start (all parameters 0) the errors are (−0.8, −0.5), so ∂L/∂w = (−0.33, −0.79) and
∂L/∂b = −1.3: the mean of the two samples' gradients in §5's table.""",
))
