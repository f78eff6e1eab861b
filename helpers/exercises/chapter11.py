"""Chapter 11's exercises: the training advice as code (clipping by norm, the cosine schedule)."""
import numpy as np

from ..mlp import _clip, learning_rate_schedule
from .core import CodeExercise, Mistake, matches, random_cases, register


register(CodeExercise(
    "11.clip_by_norm",
    prompt="a gradient vector g clipped to norm at most c (clipping by norm)",
    signature="clip_by_norm(g, max_norm)",
    reference=lambda g, max_norm: _clip(np.asarray(g, dtype=float), max_norm)[0],
    outputs=["clipped g"],
    cases=[dict(g=np.array([3.0, 4.0, 12.0]), max_norm=6.5)]
          + random_cases(lambda rng: dict(g=rng.normal(size=int(rng.integers(2, 8))) * rng.choice([0.1, 10.0]),
                                          max_norm=float(rng.uniform(0.5, 3.0))), n=5, seed=11),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, np.clip(case["g"], -case["max_norm"], case["max_norm"])),
                "that caps each entry on its own (clipping by value), which turns the vector; scale the whole g by "
                "c/‖g‖ instead, so the direction stays"),
        Mistake(lambda got, want, case: matches(got, case["g"] * case["max_norm"] / np.linalg.norm(case["g"])),
                "a gradient whose norm is already at most c must stay as it is: scale only when ‖g‖ > c"),
    ],
    hint="Compute ‖g‖ = √(Σ g_i²); if it is larger than c, multiply every entry by c/‖g‖, else return g unchanged.",
    tolerance=1e-10,
    solution="""Scale the whole vector, and only when it is too long:

```python
def clip_by_norm(g, max_norm):
    norm = np.sqrt(np.sum(g**2))
    return g * (max_norm / norm) if norm > max_norm else g
```

For g = [3, 4, 12] the norm is √(9 + 16 + 144) = 13, so with c = 6.5 every entry is halved: [1.5, 2, 6], pointing
the same way with norm 6.5. Capping each entry at ±6.5 instead would give [3, 4, 6.5], a different direction.""",
))

register(CodeExercise(
    "11.cosine_schedule",
    prompt="the cosine schedule η_t = η·½(1 + cos(πt/T)) for the steps t = 0 … T − 1",
    signature="cosine_schedule(lr, total_steps)",
    reference=lambda lr, total_steps: learning_rate_schedule("cosine", lr, total_steps),
    outputs=["η_t"],
    cases=[dict(lr=0.1, total_steps=4)]
          + random_cases(lambda rng: dict(lr=float(rng.uniform(0.001, 1.0)), total_steps=int(rng.integers(2, 40))),
                         n=5, seed=12),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, case["lr"] * 0.5 * (1 + np.cos(np.pi * np.arange(1, case["total_steps"] + 1)
                                                                            / case["total_steps"]))),
                "count t from 0: the first step uses the full η, and the last one a small η > 0"),
        Mistake(lambda got, want, case: matches(got, case["lr"] * 0.5 * (1 + np.cos(np.pi * np.arange(case["total_steps"])
                                                                            / (case["total_steps"] - 1)))),
                "divide by T, not T − 1: with T − 1 the last step gets η = 0 and is wasted"),
    ],
    hint="The rate starts at η and follows half a cosine wave down towards 0 over the T steps t = 0 … T − 1 "
         "(section 5 gives the formula); NumPy can compute all T values at once.",
    tolerance=1e-10,
    solution="""One line on the array of step numbers:

```python
def cosine_schedule(lr, total_steps):
    t = np.arange(total_steps)
    return lr * 0.5 * (1 + np.cos(np.pi * t / total_steps))
```

For η = 0.1 and T = 4: [0.1, 0.0854, 0.05, 0.0146]. Half-way (t = T/2) the rate is η/2; it never reaches 0, so the
last step still moves the parameters a little.""",
))
