"""Chapter 3's code exercises: one right solution and one typical wrong one each (kept out of the notebook)."""
import numpy as np

from helpers.softmax import softmax


def softmax_jacobian_right(z):
    a = softmax(z)
    return np.diag(a) - np.outer(a, a)


def softmax_jacobian_only_the_diagonal(z):
    a = softmax(z)
    return np.diag(a * (1 - a))


SOLUTIONS = {
    "03.softmax_jacobian": dict(right=softmax_jacobian_right, wrong=softmax_jacobian_only_the_diagonal,
                                wrong_hint_mentions="not 0"),
}
