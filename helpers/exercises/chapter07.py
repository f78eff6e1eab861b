"""Chapter 7's exercises: Adam on the 2-2-2 network."""
from ..derivations import derive_adam_step_that_equalizes_rows
from ..network import replay_two_layer
from ..optimizers import adam_step
from .core import NumberExercise, register


def _second_to_first_step_ratio() -> float:
    g = 0.5  # any gradient: the ratio does not depend on it
    one = adam_step([0.0], [g], [0.0], [0.0], 1, lr=0.1)
    two = adam_step(one["theta"], [0.0], one["m"], one["v"], 2, lr=0.1)
    return abs(float(two["update"][0] / one["update"][0]))


register(NumberExercise(
    "07.b2_after_adam_step1",
    prompt="b^{[2]} after Adam's step 1",
    answer=lambda: replay_two_layer(optimizer="adam", lr=0.1, steps=1)[0]["params"]["b2"],
    tolerance=1e-6,
    hint="b^{[2]} starts at 0 and its gradient is δ^{[2]} = ŷ − y = (−0.563, +0.563); Adam's first step is "
         "−η·sign(g).",
    solution="$b^{[2]}$ = (0 + 0.1, 0 − 0.1) = (0.1, −0.1): the size 0.563 plays no part.",
))

register(NumberExercise(
    "07.lr_equalizing_rows",
    prompt="the η that equalizes rows 0.3 apart",
    answer=lambda: float(derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.8, 0.9]]).eta),
    tolerance=1e-9,
    hint="Row 1 rises by η and row 2 falls by η: they meet when 2η equals the gap.",
    solution="2η = 0.3 gives η = 0.15; `derive_adam_step_that_equalizes_rows(W2=[[0.5, 0.6], [0.8, 0.9]])` solves "
             "it the same way.",
))

register(NumberExercise(
    "07.adam_step2_ratio",
    prompt="|Δθ_2| / |Δθ_1| when g_2 = 0",
    answer=_second_to_first_step_ratio,
    tolerance=1e-5,
    hint="m̂_2 = 0.9·0.1·g_1/(1 − 0.9²) and v̂_2 = 0.999·0.001·g_1²/(1 − 0.999²).",
    solution="(0.09/0.19)/√(0.000999/0.001999) = 0.4737/0.7069 ≈ 0.670: layer 1's step-2 change of −0.0670 in "
             "the table above.",
))
