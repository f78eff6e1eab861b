"""Chapter 2's exercises: two features, two samples."""
from ..linear import LINEAR_LOSS_CONVENTIONS, LINEAR_TWO_SAMPLE_EXAMPLE as EXAMPLE
from ..linear import linear_critical_learning_rate, replay_linear
from .core import NumberExercise, register


def _prediction_at_step_3() -> float:
    replay = replay_linear(EXAMPLE["w"], EXAMPLE["b"], EXAMPLE["x"], EXAMPLE["y"], EXAMPLE["lr"], steps=3,
                           convention="plain")
    return replay.steps[2]["prediction"]  # step 3 uses sample 1 again


register(NumberExercise(
    "02.prediction_step3_sample1",
    prompt="the prediction for sample 1 at step 3",
    answer=_prediction_at_step_3,
    tolerance=1e-4,
    hint="ŷ = w1·x1 + w2·x2 + b with sample 1's inputs x = (0.1, 0.8).",
    solution="ŷ = 0.04536·0.1 + 0.145616·0.8 + 0.21872 = 0.004536 + 0.1164928 + 0.21872 ≈ 0.3397: up from 0 at "
             "step 1, still short of the label 0.8.",
))

register(NumberExercise(
    "02.half_loss_matching_lr",
    prompt="the η for the ½ loss that matches η = 0.1 for the plain loss",
    answer=lambda: 0.1 * LINEAR_LOSS_CONVENTIONS["plain"] / LINEAR_LOSS_CONVENTIONS["half"],
    tolerance=1e-9,
    hint="Without the ½ every gradient is twice as large. What must η be to make up for it?",
    solution="2 × 0.1 = 0.2: η·2(ŷ − y) = (2η)·(ŷ − y).",
))

register(NumberExercise(
    "02.critical_lr_sample1_plain",
    prompt="the critical η for sample 1 alone, plain loss",
    answer=lambda: linear_critical_learning_rate([EXAMPLE["x"][0]], "plain"),
    tolerance=1e-3,
    hint="Chapter 1: one step multiplies the error by 1 − 2η(x1² + x2² + 1) with this loss. When is that −1?",
    solution="x1² + x2² + 1 = 0.01 + 0.64 + 1 = 1.65, and 2η·1.65 = 2 gives η = 1/1.65 ≈ 0.606.",
))
