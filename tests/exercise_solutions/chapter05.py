"""Chapter 5's code exercises: one right solution and one typical wrong one each (kept out of the notebook)."""
import numpy as np


def _forward(x, W1, b1, W2, b2):
    a1 = np.tanh(W1 @ x + b1)
    z2 = W2 @ a1 + b2
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    return a1, y_hat


def error_terms(x, y, W1, b1, W2, b2):
    a1, y_hat = _forward(x, W1, b1, W2, b2)
    delta2 = y_hat - y
    return delta2, (W2.T @ delta2) * (1 - a1 ** 2)


def error_terms_times_a(x, y, W1, b1, W2, b2):
    """Wrong: multiplies by a^{[1]} where tanh′ = 1 − (a^{[1]})² belongs."""
    a1, y_hat = _forward(x, W1, b1, W2, b2)
    delta2 = y_hat - y
    return delta2, (W2.T @ delta2) * a1


def two_layer_gradients(x, y, W1, b1, W2, b2):
    delta2, delta1 = error_terms(x, y, W1, b1, W2, b2)
    a1, _ = _forward(x, W1, b1, W2, b2)
    return np.outer(delta1, x), delta1, np.outer(delta2, a1), delta2


def two_layer_gradients_without_transpose(x, y, W1, b1, W2, b2):
    """Wrong: sends δ^{[2]} back through W^{[2]} instead of W^{[2]ᵀ}."""
    a1, y_hat = _forward(x, W1, b1, W2, b2)
    delta2 = y_hat - y
    delta1 = (W2 @ delta2) * (1 - a1 ** 2)
    return np.outer(delta1, x), delta1, np.outer(delta2, a1), delta2


SOLUTIONS = {
    "05.error_terms": dict(right=error_terms, wrong=error_terms_times_a, wrong_hint_mentions="1 − a"),
    "05.two_layer_gradients": dict(right=two_layer_gradients, wrong=two_layer_gradients_without_transpose,
                                   wrong_hint_mentions="W^{[2]ᵀ}"),
}
