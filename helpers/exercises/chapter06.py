"""Chapter 6's exercises: moving averages and Adam."""
from ..optimizers import adam_step, bias_correction_factor, exponential_moving_average
from .core import NumberExercise, register

register(NumberExercise(
    "06.ema_m3_constant_gradient",
    prompt="m_3 for a constant gradient 2, β1 = 0.5, m_0 = 0",
    answer=lambda: exponential_moving_average([2.0, 2.0, 2.0], 0.5, convention="zero")[-1],
    tolerance=1e-6,
    hint="m_t = (1 − β^t)·g for a constant gradient: here (1 − 0.5³)·2.",
    solution="m_1 = 1, m_2 = 1.5, m_3 = 1.75 = (1 − 1/8)·2: the average has not caught up yet; dividing by "
             "1 − 0.5³ = 0.875 gives m̂_3 = 2 exactly.",
))

register(NumberExercise(
    "06.bias_correction_factor_t10",
    prompt="1/(1 − 0.999^10)",
    answer=lambda: bias_correction_factor(0.999, 10),
    tolerance=1e-3,
    hint="The factor is 1/(1 − β2^t); 0.999^10 ≈ 0.99004.",
    solution="1/(1 − 0.999^10) ≈ 100.45: after ten steps v_t holds only about 1 % of a full average of g², so it "
             "is scaled up a hundredfold.",
))

register(NumberExercise(
    "06.adam_first_update",
    prompt="Δθ at t = 1 for g = −250, η = 0.001",
    answer=lambda: float(adam_step([0.0], [-250.0], [0.0], [0.0], 1, lr=0.001)["update"][0]),
    tolerance=1e-9,
    hint="At t = 1, m̂ = g and √v̂ = |g|: the size of g drops out.",
    solution="Δθ = −η·g/(|g| + ε) = +0.001: the parameter moves up by η, against the negative gradient, whatever "
             "its size.",
))
