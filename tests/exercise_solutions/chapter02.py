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


def full_batch_gradient_right(w, b, X, Y):
    errors = X @ w + b - Y
    return 2 * X.T @ errors / len(Y), 2 * errors.mean()


def full_batch_gradient_summed(w, b, X, Y):
    errors = X @ w + b - Y  # sums the samples' gradients instead of averaging them
    return 2 * X.T @ errors, 2 * errors.sum()


SOLUTIONS["02.full_batch_gradient"] = dict(right=full_batch_gradient_right, wrong=full_batch_gradient_summed,
                                           wrong_hint_mentions="mean")
