"""Chapter 6's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""
import numpy as np


def bias_corrected_average_right(x, beta):
    """Not the loop of the worked solution (tested on its own): the unrolled form, a weighted mean of x_1 … x_t with
    weights β^(t−k), m̂_t = Σ_k β^(t−k) x_k / Σ_k β^(t−k) (for β < 1 the same as m_t / (1 − β^t))."""
    x = np.asarray(x, dtype=float)
    ages = np.subtract.outer(np.arange(len(x)), np.arange(len(x)))   # t − k, step t's row
    weights = np.where(ages >= 0, float(beta) ** np.maximum(ages, 0), 0.0)
    return weights @ x / weights.sum(axis=1)


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
