"""Chapter 10's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""
import numpy as np


def xavier_uniform_bound_right(fan_in, fan_out):
    return np.sqrt(6 / (fan_in + fan_out))


def xavier_uniform_bound_as_the_normal_std(fan_in, fan_out):
    return np.sqrt(2 / (fan_in + fan_out))


SOLUTIONS = {
    "10.xavier_uniform_bound_code": dict(right=xavier_uniform_bound_right, wrong=xavier_uniform_bound_as_the_normal_std,
                                         wrong_hint_mentions="normal version's standard deviation"),
}
