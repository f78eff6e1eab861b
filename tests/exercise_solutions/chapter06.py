"""Chapter 6's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""
import numpy as np


def bias_corrected_average_right(x, beta):
    m, out = 0.0, []
    for t, x_t in enumerate(x, start=1):
        m = beta * m + (1 - beta) * x_t
        out.append(m / (1 - beta**t))
    return np.array(out)


def bias_corrected_average_without_the_correction(x, beta):
    m, out = 0.0, []
    for x_t in x:
        m = beta * m + (1 - beta) * x_t
        out.append(m)
    return np.array(out)


SOLUTIONS = {
    "06.bias_corrected_average": dict(right=bias_corrected_average_right,
                                      wrong=bias_corrected_average_without_the_correction,
                                      wrong_hint_mentions="divide each by 1 − β^t"),
}
