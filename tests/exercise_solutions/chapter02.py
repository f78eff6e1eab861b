"""Chapter 2's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""
import numpy as np


def sgd_step_right(w, b, x, y, lr):
    error = np.dot(w, x) + b - y
    return w - lr * 2 * error * x, b - lr * 2 * error


def sgd_step_with_the_half_loss(w, b, x, y, lr):
    error = np.dot(w, x) + b - y  # forgets that (ŷ − y)² has no ½: the step is half as long
    return w - lr * error * x, b - lr * error


SOLUTIONS = {
    "02.sgd_step": dict(right=sgd_step_right, wrong=sgd_step_with_the_half_loss, wrong_hint_mentions="no ½"),
}
