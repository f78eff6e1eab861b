"""Chapter 4's code exercises: one right solution and one typical wrong one each (kept out of the notebook)."""
import numpy as np


def bce_gradient_right(z, y):
    return 1 / (1 + np.exp(-np.asarray(z))) - y


def bce_gradient_of_the_logit(z, y):
    return np.asarray(z) - y


SOLUTIONS = {
    "04.bce_gradient_from_logits": dict(right=bce_gradient_right, wrong=bce_gradient_of_the_logit,
                                        wrong_hint_mentions="probability σ(z)"),
}
