"""Chapter 1's code exercise: one right solution and one typical wrong one (kept out of the notebook)."""


def half_loss_gradients_right(w, b, x, y):
    error = w * x + b - y
    return error * x, error


def half_loss_gradients_label_minus_prediction(w, b, x, y):
    error = y - (w * x + b)  # the sign flipped: label minus prediction
    return error * x, error


SOLUTIONS = {
    "01.half_loss_gradients": dict(right=half_loss_gradients_right, wrong=half_loss_gradients_label_minus_prediction,
                                   wrong_hint_mentions="sign"),
}
