"""Cross-entropy and the other losses of the course, each with its gradient (softmax itself is in
:mod:`helpers.softmax`).

Conventions (the same for every function here):

- Shapes: a batch is a 2-D array, one sample per row, classes along the last axis; a single
  sample may be a 1-D vector.
- Losses take the prediction first and the truth second: ``loss(prediction, truth, reduction=...)``.
- Each loss ``f`` has a twin ``f_gradient`` with the same arguments that returns ∂f/∂prediction,
  shaped like the prediction, with the reduction's factor (1/m for "mean") already applied.
- ``reduction``: "mean" (default) averages, "sum" adds, "none" returns the per-sample losses
  (their gradient is the gradient of each sample's own loss, i.e. that of "sum").
  Cross-entropy averages over samples (rows); BCE, MAE and MSE over every element, as PyTorch does.
- Probabilities or logits: ``cross_entropy`` and ``binary_cross_entropy`` take probabilities;
  ``cross_entropy_from_logits`` and ``binary_cross_entropy_from_logits`` take logits and are the
  numerically stable choice (they never form a probability that could round to 0).
- Logarithms are natural (losses in nats); the information measures take ``base=2`` for bits.
- A probability of exactly 0 where the truth puts weight gives an infinite loss (−log 0 = inf),
  returned as ``inf`` without a warning; 0·log 0 counts as 0 (its limit).
"""
from __future__ import annotations

import math

import numpy as np

from .softmax import log_softmax, softmax
from .validation import as_float_array, check_choice, check_integer, check_positive, check_same_shape

__all__ = [
    "one_hot",
    "cross_entropy",
    "cross_entropy_gradient",
    "cross_entropy_from_logits",
    "cross_entropy_from_logits_gradient",
    "sigmoid",
    "binary_cross_entropy",
    "binary_cross_entropy_gradient",
    "binary_cross_entropy_from_logits",
    "binary_cross_entropy_from_logits_gradient",
    "mae",
    "mae_gradient",
    "mse",
    "mse_gradient",
    "best_constant_predictions",
    "information_content",
    "entropy",
    "kl_divergence",
]

REDUCTIONS = ("mean", "sum", "none")
#: How far a row of probabilities may sum from 1 (rounding in float64 is ~1e-16 per term).
SUM_TOLERANCE = 1e-6


def _class_scores(name: str, value) -> np.ndarray:
    """Probabilities or logits of one sample (n,) or of a batch (m, n)."""
    array = as_float_array(name, value)
    if array.ndim not in (1, 2):
        raise ValueError(f"{name} must have shape (n,) or (m, n) (classes along the last axis); "
                         f"got shape {array.shape}")
    return array


# -- labels ---------------------------------------------------------------------------------
def one_hot(labels, n_classes: int) -> np.ndarray:
    """Rows e_k (1 at the class, 0 elsewhere) for integer class indices.

    ``labels``: whole numbers in [0, n_classes − 1], shape (m,) → array (m, n_classes), or a scalar →
    (n_classes,). ``n_classes``: a whole number ≥ 1.
    """
    n_classes = check_integer("n_classes", n_classes, low=1)
    indices = _class_indices(labels, n_classes)
    return np.eye(n_classes)[indices]


def _class_indices(labels, n_classes: int) -> np.ndarray:
    """Integer class indices in [0, n_classes − 1] (whole-valued floats accepted, booleans not)."""
    array = np.asarray(labels)
    if array.dtype.kind == "b" or array.dtype.kind not in "iuf":
        raise ValueError(f"labels must be whole numbers in [0, {n_classes - 1}] (class indices); "
                         f"got {_short(labels)}")
    if array.size == 0:
        raise ValueError(f"labels must not be empty; got shape {array.shape}")
    if array.dtype.kind == "f" and not (np.all(np.isfinite(array)) and np.all(array == np.round(array))):
        raise ValueError(f"labels must be whole numbers in [0, {n_classes - 1}] (class indices); "
                         f"got {_short(labels)}")
    if np.any(array < 0) or np.any(array > n_classes - 1):
        raise ValueError(f"labels must be class indices in [0, {n_classes - 1}]; got {_short(labels)}")
    return array.astype(np.int64)


def _target_distribution(labels, shape: tuple) -> np.ndarray:
    """The true distribution y, shaped like the predictions, from class indices or from rows.

    ``labels`` of shape ``shape[:-1]`` are class indices; ``labels`` of shape ``shape`` are rows
    of a distribution (one-hot, or soft labels) with entries in [0, 1] summing to 1.
    """
    if labels is None or isinstance(labels, (str, bytes)):
        raise ValueError(f"labels must be class indices or one-hot rows; got {_short(labels)}")
    label_shape = np.shape(labels)
    if label_shape == tuple(shape[:-1]):
        return np.eye(shape[-1])[_class_indices(labels, shape[-1])]
    if label_shape == tuple(shape):
        y = as_float_array("labels", labels)
        _check_probability_rows("labels", y)
        return y
    raise ValueError(f"labels must be class indices of shape {tuple(shape[:-1])} or one-hot rows of shape "
                     f"{tuple(shape)} (to match the predictions); got shape {label_shape}")


def _check_unit_interval(name: str, values: np.ndarray) -> None:
    if np.any(values < 0) or np.any(values > 1):
        worst = values[(values < 0) | (values > 1)].flat[0]
        raise ValueError(f"{name} must be probabilities in [0, 1]; got a value {worst!r}")


def _check_probability_rows(name: str, values: np.ndarray) -> None:
    _check_unit_interval(name, values)
    sums = values.sum(axis=-1)
    if np.any(np.abs(sums - 1) > SUM_TOLERANCE):
        worst = float(np.atleast_1d(sums)[np.argmax(np.abs(np.atleast_1d(sums) - 1))])
        raise ValueError(f"each row of {name} must sum to 1 (a probability distribution over the classes); "
                         f"got a row summing to {worst!r}")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reduce(per_sample: np.ndarray, reduction: str):
    if reduction == "none":
        return float(per_sample) if per_sample.ndim == 0 else per_sample
    total = per_sample.sum() if reduction == "sum" else per_sample.mean()
    return float(total)


def _scale(per_sample_shape: tuple, reduction: str) -> float:
    """The factor the reduction puts in front of each sample's gradient."""
    return 1.0 / math.prod(per_sample_shape) if reduction == "mean" else 1.0


# -- cross-entropy --------------------------------------------------------------------------
def cross_entropy(probabilities, labels, *, reduction: str = "mean"):
    """L = −Σ_k y_k log a_k per sample, averaged ("mean") or added ("sum") over the samples.

    ``probabilities`` a: shape (n,) or (m, n), entries in [0, 1], rows summing to 1 (e.g. softmax output).
    ``labels`` y: class indices (shape (m,), or a scalar for one sample, each in [0, n − 1]) or rows of
    the true distribution shaped like ``probabilities`` (one-hot or soft labels; rows sum to 1).
    ``reduction``: "mean", "sum" or "none". Returns a float (or the per-sample losses for "none").
    A probability of exactly 0 for a class with y_k > 0 gives ``inf``; 0·log 0 counts as 0.
    With a distribution P as labels and Q as probabilities this is H(P, Q).
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    a = _class_scores("probabilities", probabilities)
    _check_probability_rows("probabilities", a)
    y = _target_distribution(labels, a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, -y * np.log(a), 0.0)
    return _reduce(terms.sum(axis=-1), reduction)


def cross_entropy_gradient(probabilities, labels, *, reduction: str = "mean") -> np.ndarray:
    """∂L/∂a_k = −y_k / a_k (times 1/m for "mean", m samples), shaped like ``probabilities``.

    Same arguments and allowed values as :func:`cross_entropy`. Entries with y_k = 0 are 0;
    a_k = 0 with y_k > 0 gives −inf.
    Chained through the softmax Jacobian this becomes a − y (see ``cross_entropy_from_logits_gradient``).
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    a = _class_scores("probabilities", probabilities)
    _check_probability_rows("probabilities", a)
    y = _target_distribution(labels, a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        gradient = np.where(y > 0, -y / a, 0.0)
    return gradient * _scale(a.shape[:-1], reduction)


def cross_entropy_from_logits(logits, labels, *, reduction: str = "mean"):
    """L = −Σ_k y_k log softmax(z)_k: log-softmax followed by the negative log-likelihood.

    ``logits`` z: shape (n,) or (m, n), any finite values; ``labels`` as in :func:`cross_entropy`.
    Uses :func:`log_softmax`, so it is finite for any finite logits (no probability rounds to 0 first).
    This is what PyTorch's ``nn.CrossEntropyLoss`` computes.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    z = _class_scores("logits", logits)
    y = _target_distribution(labels, z.shape)
    terms = np.where(y > 0, -y * log_softmax(z), 0.0)
    return _reduce(terms.sum(axis=-1), reduction)


def cross_entropy_from_logits_gradient(logits, labels, *, reduction: str = "mean") -> np.ndarray:
    """∂L/∂z = softmax(z) − y (times 1/m for "mean", m samples), shaped like ``logits``.

    Same arguments and allowed values as :func:`cross_entropy_from_logits`. In general
    ∂L/∂z_i = a_i Σ_k y_k − y_i; the labels' rows sum to 1, which leaves a − y.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    z = _class_scores("logits", logits)
    y = _target_distribution(labels, z.shape)
    return (softmax(z) - y) * _scale(z.shape[:-1], reduction)


# -- binary cross-entropy -------------------------------------------------------------------
def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|. Same shape as ``z``."""
    z = as_float_array("z", z)
    exp_minus_abs = np.exp(-np.abs(z))  # ≤ 1, cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + exp_minus_abs), exp_minus_abs / (1.0 + exp_minus_abs))


def _binary_pair(name: str, prediction, targets):
    p = as_float_array(name, prediction)
    y = as_float_array("targets", targets)
    check_same_shape(**{name: p, "targets": y})
    _check_unit_interval("targets", y)
    return p, y


def binary_cross_entropy(probabilities, targets, *, reduction: str = "mean"):
    """L = −[y log ŷ + (1 − y) log(1 − ŷ)] per element, averaged ("mean") or added ("sum").

    ``probabilities`` ŷ: predicted P(class 1), entries in [0, 1], any shape; ``targets`` y (the labels): same
    shape, entries in [0, 1] (0/1 labels, or soft labels); ``reduction``: "mean", "sum" or "none" (per element).
    ŷ = 0 with y > 0 (or ŷ = 1 with y < 1) gives inf.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _binary_pair("probabilities", probabilities, targets)
    _check_unit_interval("probabilities", y_hat)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -(np.where(y > 0, y * np.log(y_hat), 0.0) + np.where(y < 1, (1 - y) * np.log1p(-y_hat), 0.0))
    return _reduce(terms, reduction)


def binary_cross_entropy_gradient(probabilities, targets, *, reduction: str = "mean") -> np.ndarray:
    """∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ) = (ŷ − y) / (ŷ(1 − ŷ)), times 1/N for "mean" (N elements).

    Same arguments and allowed values as :func:`binary_cross_entropy`; shaped like ŷ. ŷ = 0 with y > 0 gives −inf,
    ŷ = 1 with y < 1 gives +inf.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _binary_pair("probabilities", probabilities, targets)
    _check_unit_interval("probabilities", y_hat)
    with np.errstate(divide="ignore", invalid="ignore"):
        gradient = np.where(y > 0, -y / y_hat, 0.0) + np.where(y < 1, (1 - y) / (1 - y_hat), 0.0)
    return gradient * _scale(y_hat.shape, reduction)


def binary_cross_entropy_from_logits(logits, targets, *, reduction: str = "mean"):
    """BCE of ŷ = σ(z), computed as max(z, 0) − z·y + log(1 + e^(−|z|)): finite for any finite z.

    ``logits`` z: finite, any non-empty shape; ``targets`` y (the labels): same shape, in [0, 1]. ``reduction`` as in
    :func:`binary_cross_entropy`. This is what PyTorch's ``nn.BCEWithLogitsLoss`` computes.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    z, y = _binary_pair("logits", logits, targets)
    terms = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return _reduce(terms, reduction)


def binary_cross_entropy_from_logits_gradient(logits, targets, *, reduction: str = "mean") -> np.ndarray:
    """∂L/∂z = σ(z) − y (times 1/N for "mean", N elements): the twin of softmax + cross-entropy's a − y.

    Same arguments and allowed values as :func:`binary_cross_entropy_from_logits`; shaped like ``logits``.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    z, y = _binary_pair("logits", logits, targets)
    return (sigmoid(z) - y) * _scale(z.shape, reduction)


# -- regression losses ----------------------------------------------------------------------
def _regression_pair(predictions, targets):
    y_hat = as_float_array("predictions", predictions)
    y = as_float_array("targets", targets)
    check_same_shape(predictions=y_hat, targets=y)
    return y_hat, y


def mae(predictions, targets, *, reduction: str = "mean"):
    """Mean absolute error (L1 loss): (1/N) Σ |ŷ_i − y_i| over all N elements ("sum" drops the 1/N).

    ``predictions`` ŷ and ``targets`` y: same shape (any), finite, non-empty; ``reduction``: "mean",
    "sum" or "none" (per element).
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _regression_pair(predictions, targets)
    return _reduce(np.abs(y_hat - y), reduction)


def mae_gradient(predictions, targets, *, reduction: str = "mean") -> np.ndarray:
    """∂MAE/∂ŷ_i = sign(ŷ_i − y_i) / N: ±1/N whatever the size of the error (0 where ŷ_i = y_i).

    Same arguments and allowed values as :func:`mae`; shaped like ``predictions``.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _regression_pair(predictions, targets)
    return np.sign(y_hat - y) * _scale(y_hat.shape, reduction)


def mse(predictions, targets, *, reduction: str = "mean"):
    """Mean squared error (L2 loss): (1/N) Σ (ŷ_i − y_i)² over all N elements ("sum" drops the 1/N).

    No ½ in front (chapter 1's loss had one; it only rescales the gradient).
    ``predictions`` ŷ and ``targets`` y: same shape (any), finite, non-empty; ``reduction``: "mean",
    "sum" or "none" (per element).
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _regression_pair(predictions, targets)
    return _reduce((y_hat - y) ** 2, reduction)


def mse_gradient(predictions, targets, *, reduction: str = "mean") -> np.ndarray:
    """∂MSE/∂ŷ_i = 2(ŷ_i − y_i) / N: grows with the error, so an outlier pulls hardest.

    Same arguments and allowed values as :func:`mse`; shaped like ``predictions``.
    """
    reduction = check_choice("reduction", reduction, REDUCTIONS)
    y_hat, y = _regression_pair(predictions, targets)
    return 2 * (y_hat - y) * _scale(y_hat.shape, reduction)


def best_constant_predictions(data) -> dict:
    """The single number c that minimises each loss over ``data`` (1-D, finite, non-empty).

    MSE: Σ 2(c − y_i) = 0 gives the mean. MAE: Σ sign(c − y_i) = 0 needs as many points above c as below,
    which is the median. Returns {"mse": mean, "mae": median}.
    """
    data = as_float_array("data", data, ndim=1)
    return {"mse": float(np.mean(data)), "mae": float(np.median(data))}


# -- information measures -------------------------------------------------------------------
def _log_base(base) -> float:
    base = check_positive("base", base)
    if base == 1:
        raise ValueError("base must be a positive number other than 1 (e.g. e for nats, 2 for bits); got 1.0")
    return math.log(base)


def information_content(p, *, base: float = math.e):
    """I(x) = −log P(x): rarer events carry more information. ``p`` in [0, 1] (any shape); p = 0 gives inf.

    ``base``: a positive number other than 1; natural log (nats) by default, ``base=2`` gives bits.
    Returns a float for a scalar ``p``, else an array shaped like ``p``.
    """
    p = as_float_array("p", p)
    _check_unit_interval("p", p)
    with np.errstate(divide="ignore"):
        value = -np.log(p) / _log_base(base)
    return float(value) if value.ndim == 0 else value


def entropy(p, *, base: float = math.e):
    """H(P) = −Σ_k p_k log p_k, the expected information, over the last axis (0·log 0 = 0).

    ``p``: shape (n,) → a float; (m, n) → one entropy per row. Rows in [0, 1] summing to 1.
    ``base`` as in :func:`information_content` (e for nats, 2 for bits).
    """
    p = as_float_array("p", p)
    _check_probability_rows("p", p)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=-1) / _log_base(base)
    return float(value) if value.ndim == 0 else value


def kl_divergence(p, q, *, base: float = math.e):
    """KL(P‖Q) = Σ_k p_k log(p_k / q_k) ≥ 0: the information lost when Q stands in for P.

    ``p`` (the true distribution) and ``q``: same shape, (n,) or (m, n), rows in [0, 1] summing to 1.
    ``base`` as in :func:`information_content`. q_k = 0 where p_k > 0 gives inf.
    H(P, Q) = H(P) + KL(P‖Q), with H(P, Q) = ``cross_entropy(q, p)`` (the model first, like every loss here).
    """
    p = as_float_array("p", p)
    q = as_float_array("q", q)
    check_same_shape(p=p, q=q)
    _check_probability_rows("p", p)
    _check_probability_rows("q", q)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0).sum(axis=-1) / _log_base(base)
    return float(value) if value.ndim == 0 else value
