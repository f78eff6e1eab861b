"""Chapter 7's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""
import numpy as np


def adam_change_right(m, v, t, lr, beta1, beta2, eps):
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return -lr * m_hat / (np.sqrt(v_hat) + eps)


def adam_change_without_the_correction(m, v, t, lr, beta1, beta2, eps):
    return -lr * m / (np.sqrt(v) + eps)


SOLUTIONS = {
    "07.adam_change": dict(right=adam_change_right, wrong=adam_change_without_the_correction,
                           wrong_hint_mentions="1 − β1^t"),
}
