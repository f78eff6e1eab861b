"""Chapter 9's code exercises: one right solution and one typical wrong one each (kept out of the notebook)."""
import numpy as np


def minibatch_gradient_right(w, b, X, y):
    error = X @ w + b - y
    return 2 * X.T @ error / len(y), 2 * error.sum() / len(y)


def minibatch_gradient_summed(w, b, X, y):
    error = X @ w + b - y
    return 2 * X.T @ error, 2 * error.sum()


SOLUTIONS = {
    "09.minibatch_gradient": dict(right=minibatch_gradient_right, wrong=minibatch_gradient_summed,
                                  wrong_hint_mentions="divide by B"),
}
