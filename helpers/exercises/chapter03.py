"""Chapter 3's exercises: softmax and cross-entropy."""
import numpy as np
import sympy as sp

from ..losses import cross_entropy_from_logits_gradient
from ..softmax import softmax, softmax_jacobian
from .core import CodeExercise, Mistake, NumberExercise, WrongAnswer, matches, random_cases, register


#: Exercise 1's logits: not the worked example's [2, 1, 0.1], whose a − y for any true class the temperature panel
#: prints at T = 1 (the answer must be computed, not read off); the true class, class 2, gets only 3.5 %.
_EXERCISE_LOGITS = [1.0, -1.0, 2.0]

register(NumberExercise(
    "03.cross_entropy_logit_gradient",
    prompt="∂L/∂z for z = [1, −1, 2] and y = [0, 1, 0], to three decimals",
    answer=lambda: cross_entropy_from_logits_gradient(_EXERCISE_LOGITS, 1),
    tolerance=1e-3,
    hint="The gradient is a − y: first the probabilities a = softmax(z) of these logits (exponentiate each, divide "
         "by the sum), then subtract 1 at the true class.",
    solution="e^z = [2.718, 0.368, 7.389], their sum 10.475, so a = [0.259, 0.035, 0.705] and a − y = "
             "[0.259, 0.035 − 1, 0.705] = [0.259, −0.965, 0.705]. The true class gets only 3.5 %, so its entry is "
             "close to −1: descent raises z2 hard, and lowers z3 (a3 = 0.705) far more than z1.",
    wrong_answers=[
        WrongAnswer(lambda: cross_entropy_from_logits_gradient([2.0, 1.0, 0.1], 0),
                    "that is the chapter's worked example (z = [2, 1, 0.1], true class 1); here z = [1, −1, 2] and "
                    "the true class is class 2: compute a = softmax(z) of these logits first."),
        WrongAnswer(lambda: cross_entropy_from_logits_gradient([2.0, 1.0, 0.1], 1),
                    "that is the gradient for the chapter's logits [2, 1, 0.1]; here z = [1, −1, 2]: compute "
                    "a = softmax(z) of these logits first."),
        WrongAnswer(lambda: cross_entropy_from_logits_gradient(_EXERCISE_LOGITS, 0),
                    "that is the gradient for true class 1, y = [1, 0, 0]; here the true class is class 2, "
                    "y = [0, 1, 0]."),
        WrongAnswer(lambda: cross_entropy_from_logits_gradient(_EXERCISE_LOGITS, 2),
                    "that subtracts 1 at the third entry; class 2 is the second entry (z2 = −1), y = [0, 1, 0] "
                    "(if you used the helpers: they count classes from 0, so class 2 is label 1)."),
        WrongAnswer(lambda: -cross_entropy_from_logits_gradient(_EXERCISE_LOGITS, 1),
                    "check the sign: the gradient is a − y, not y − a (the true class's entry is negative)."),
        WrongAnswer(lambda: softmax(_EXERCISE_LOGITS), "those are the probabilities a; the gradient is a − y."),
        WrongAnswer(lambda: np.exp(_EXERCISE_LOGITS) - [0.0, 1.0, 0.0],
                    "divide the exponentials by their sum first: the probabilities a add up to 1."),
        WrongAnswer(lambda: np.subtract(_EXERCISE_LOGITS, [0.0, 1.0, 0.0]),
                    "a − y takes the probabilities a = softmax(z), not the logits z."),
    ],
))

register(NumberExercise(
    "03.softmax_jacobian_off_diagonal",
    prompt="∂a2/∂z3 in terms of a2 and a3",
    answer=lambda: -sp.Symbol("a_2") * sp.Symbol("a_3"),  # the definition: the i ≠ j case of the Jacobian
    hint="i = 2 and j = 3 differ, so use the case i ≠ j of the Jacobian; mind the sign: raising z3 takes probability "
         "away from class 2.",
    solution="Raising z3 takes probability away from class 2: ∂a2/∂z3 = −a2·a3.",
))

register(NumberExercise(
    "03.softmax_large_logits",
    prompt="softmax([1000, 1001, 1002]), to three decimals",
    answer=lambda: softmax([1000.0, 1001.0, 1002.0]),
    tolerance=1e-3,
    hint="Subtract the same number from every logit first; softmax does not change.",
    solution="It equals softmax([0, 1, 2]) = [0.090, 0.245, 0.665]: only differences between logits matter.",
    wrong_answers=[
        WrongAnswer(lambda: softmax([2.0, 1.0, 0.0]),
                    "the largest logit, 1002, gets the largest probability: keep the order of the logits."),
        WrongAnswer([1 / 3, 1 / 3, 1 / 3], "the logits are not equal: they differ by 1, and only the differences matter."),
    ],
))

register(CodeExercise(
    "03.softmax_jacobian",
    prompt="the softmax Jacobian J[i, j] = ∂a_i/∂z_j (an n × n matrix)",
    signature="softmax_jacobian_by_hand(z)",
    reference=softmax_jacobian,
    outputs=["J"],
    cases=[dict(z=np.array([2.0, 1.0, 0.1]))]
          + random_cases(lambda rng: dict(z=rng.normal(scale=2.0, size=int(rng.integers(2, 6)))), n=5, seed=3),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, -want),
                "check the sign: the diagonal a_i(1 − a_i) is positive, the entries off it −a_i·a_j negative"),
        Mistake(lambda got, want, case: matches(got, np.diag(np.diag(want))),
                "the entries off the diagonal are not 0: raising z_j lowers a_i by a_i·a_j"),
        Mistake(lambda got, want, case: matches(got, np.diag(case["z"]) - np.outer(case["z"], case["z"])),
                "J is written in the probabilities a = softmax(z), not in the logits z"),
        Mistake(lambda got, want, case: matches(got, np.diag(softmax(case["z"])) - softmax(case["z"])),
                "a aᵀ is an outer product (np.outer(a, a)), not the vector a"),
    ],
    hint="Start from a = softmax(z); section 2 gives the entries for i = j and for i ≠ j (np.diag and np.outer build "
         "matrices from a vector).",
    tolerance=1e-8,
    solution="""Each a_i depends on every logit through S = Σ_k e^{z_k}. The quotient rule gives ∂a_i/∂z_i = a_i(1 − a_i)
and ∂a_i/∂z_j = −a_i a_j for i ≠ j, both at once a_i(δ_ij − a_j), or as a matrix J = diag(a) − a aᵀ:

```python
def softmax_jacobian_by_hand(z):
    a = softmax(z)
    return np.diag(a) - np.outer(a, a)
```

At z = [2, 1, 0.1] its first row is [0.225, −0.160, −0.065]; every row sums to 0.""",
))
