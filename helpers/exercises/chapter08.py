"""Chapter 8's exercises: the optimizers compared on the elongated bowl x²/20 + y²."""
from ..landscapes import ELONGATED_BOWL, LANDSCAPE_START, effective_step_sizes, run_landscape_trajectory
from ..optimizers import Optimizer
from .core import NumberExercise, register

register(NumberExercise(
    "08.sgd_largest_stable_lr",
    prompt="the largest η for which SGD does not diverge on x²/20 + y²",
    answer=lambda: 1 / ELONGATED_BOWL.b,  # y ← (1 − 2ηb)·y stays bounded while 2ηb ≤ 2
    tolerance=1e-9,
    hint="Each SGD step multiplies y by 1 − 2η. For which η does that factor stay within [−1, 1]?",
    solution="|1 − 2η| ≤ 1 means η ≤ 1; at η = 1 the y-coordinate bounces between ±y for ever.",
))

register(NumberExercise(
    "08.sgd_y_after_10_steps",
    prompt="y after 10 SGD steps with η = 0.95 from (−7, 2)",
    answer=lambda: run_landscape_trajectory(Optimizer("sgd", 0.95), ELONGATED_BOWL, start=LANDSCAPE_START,
                                                  steps=10)["points"][10, 1],
    tolerance=1e-4,
    hint="y is multiplied by the same factor 1 − 2η at every step, starting from y = 2.",
    solution="y₁₀ = 2·(−0.9)¹⁰ ≈ 0.6974: ten sign flips bring it back to the positive side.",
))

register(NumberExercise(
    "08.adagrad_effective_step_t4",
    prompt="AdaGrad's effective step at t = 4 for a constant gradient 2, η = 1",
    answer=lambda: effective_step_sizes(Optimizer("adagrad", 1.0), [2.0] * 4)[-1],
    tolerance=1e-6,
    hint="After 4 steps the sum of squared gradients is s₄ = 4·2². Divide η by its square root.",
    solution="η/√(4·4) = 1/4. From t = 1 (step 1/2) to t = 4 (step 1/4), t doubled twice and the step halved once: "
             "it shrinks like 1/√t.",
))
