"""The linear model ŷ = w·x + b trained by gradient descent, one number at a time (chapters 1 and 2).

Two loss conventions appear in the sources, and both are here:

==========  ================  =====================  ==========================
convention  loss L            ∂L/∂ŷ                  used by
==========  ================  =====================  ==========================
``half``    ½(ŷ − y)²         ŷ − y                  chapter 1 (source 000)
``plain``   (ŷ − y)²          2(ŷ − y)               chapter 2 (source 002)
==========  ================  =====================  ==========================

By the chain rule ∂L/∂w = ∂L/∂ŷ · x and ∂L/∂b = ∂L/∂ŷ, so the ``plain`` convention with learning
rate η makes exactly the steps the ``half`` convention makes with 2η.

Shapes: ``w`` is a number (one feature) or a vector of d weights; one sample ``x`` is shaped like
``w`` and its label ``y`` is a number; a data set is ``x`` of shape (n, d) (or (n,) when ``w`` is a
number) with ``y`` of shape (n,).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .validation import as_float_array, check_choice, check_integer, check_number, check_positive

__all__ = [
    "LINEAR_LOSS_CONVENTIONS",
    "LINEAR_ONE_SAMPLE_EXAMPLE",
    "LINEAR_TWO_SAMPLE_EXAMPLE",
    "linear_predict",
    "linear_loss",
    "linear_gradients",
    "linear_step",
    "replay_linear",
    "LinearReplay",
    "linear_error_factor",
    "linear_learning_rate_regime",
    "linear_epoch_error_map",
    "linear_epoch_contraction",
    "linear_critical_learning_rate",
    "linear_learning_rate_verdict",
    "linear_epochs_to_shrink",
]

#: The factor c in L = c·(ŷ − y)², by convention name.
LINEAR_LOSS_CONVENTIONS = {"half": 0.5, "plain": 1.0}

#: Chapter 1's worked example (source 000): one sample, one feature, L = ½(ŷ − y)².
LINEAR_ONE_SAMPLE_EXAMPLE = {"w": 1.0, "b": 0.0, "x": 2.0, "y": 4.0, "lr": 0.1, "convention": "half"}

#: Chapter 2's worked example (source 002): two samples, two features, L = (ŷ − y)².
LINEAR_TWO_SAMPLE_EXAMPLE = {"w": [0.0, 0.0], "b": 0.0, "x": [[0.1, 0.8], [0.5, 0.3]], "y": [0.8, 0.5],
                             "lr": 0.1, "convention": "plain"}

#: A run "diverges" at the first step after which the mean loss over the data exceeds this (or a number
#: stops being finite).
DEFAULT_DIVERGENCE_LOSS = 1e6


# -- checking what comes in ---------------------------------------------------------------------
def _convention(convention: str) -> float:
    return LINEAR_LOSS_CONVENTIONS[check_choice("convention", convention, LINEAR_LOSS_CONVENTIONS)]


def _parameters(w, b) -> tuple[np.ndarray, float, bool]:
    """(w as a 1-D array, b, whether w was a single number)."""
    scalar = np.ndim(w) == 0 and not isinstance(w, (list, tuple))
    w = as_float_array("w", w, ndim=0 if scalar else 1)
    return w.reshape(-1), check_number("b", b), scalar


def _data(x, y, d: int, scalar: bool) -> tuple[np.ndarray, np.ndarray, bool]:
    """(x as an (n, d) array, y as an (n,) array, whether a single sample was given)."""
    x = as_float_array("x", x)
    y = as_float_array("y", y)
    single = y.ndim == 0
    if single:
        expected = () if scalar else (d,)
        if x.shape != expected:
            raise ValueError(f"x must have shape {expected} for one sample with w of shape {expected or '()'}; "
                             f"got shape {x.shape}")
        return x.reshape(1, d), y.reshape(1), True
    if y.ndim != 1:
        raise ValueError(f"y must be one number or a 1-D array of labels; got shape {y.shape}")
    expected = (y.size,) if scalar else (y.size, d)
    if x.shape != expected:
        raise ValueError(f"x must have shape {expected} (one row per label in y, one column per weight in w); "
                         f"got shape {x.shape}")
    return x.reshape(y.size, d), y, False


def _as_given(value: np.ndarray, scalar: bool):
    """A weight or gradient vector back in the shape the caller used (a float for one feature)."""
    return float(value[0]) if scalar else value.copy()


# -- one sample or a batch ---------------------------------------------------------------------
def linear_predict(w, b, x):
    """ŷ = w·x + b.

    ``w``: a number or shape (d,); ``b``: a number; ``x``: one sample (shaped like ``w``) or a data
    set of shape (n, d) (or (n,) when ``w`` is a number). Returns a float for one sample, else (n,).
    """
    w, b, scalar = _parameters(w, b)
    x = as_float_array("x", x)
    if x.shape == ((() if scalar else (w.size,))):
        return float(x.reshape(-1) @ w + b)
    if (scalar and x.ndim == 1) or (not scalar and x.ndim == 2 and x.shape[1] == w.size):
        return x.reshape(-1, w.size) @ w + b
    one, many = ("()", "(n,)") if scalar else (f"({w.size},)", f"(n, {w.size})")
    raise ValueError(f"x must have shape {one} (one sample) or {many} (n samples) for w of shape "
                     f"{one}; got shape {x.shape}")


def linear_loss(prediction, y, convention: str = "half"):
    """L = c·(ŷ − y)² with c = ½ (``convention="half"``) or 1 (``"plain"``), element by element.

    ``prediction`` and ``y``: finite numbers or non-empty arrays of one shape. Returns a float or an array.
    """
    c = _convention(convention)
    prediction, y = as_float_array("prediction", prediction), as_float_array("y", y)
    if prediction.shape != y.shape:
        raise ValueError(f"prediction and y must have the same shape; got prediction {prediction.shape}, y {y.shape}")
    loss = c * (prediction - y) ** 2
    return float(loss) if loss.ndim == 0 else loss


def _forward_backward(w: np.ndarray, b: float, x: np.ndarray, y: float, c: float) -> dict:
    """Every intermediate for one sample (already-checked arrays): the chain rule written out."""
    prediction = float(x @ w + b)
    error = prediction - float(y)
    dL_dprediction = 2 * c * error          # d/dŷ of c·(ŷ − y)²
    loss = float(c * np.float64(error) ** 2)  # a NumPy square overflows to inf (checked by callers), not OverflowError
    return {"prediction": prediction, "error": error, "loss": loss, "dL_dprediction": dL_dprediction,
            "grad_w": dL_dprediction * x,   # ∂ŷ/∂w = x
            "grad_b": dL_dprediction}       # ∂ŷ/∂b = 1


def linear_gradients(w, b, x, y, convention: str = "half") -> dict:
    """The forward pass and the gradients of the loss, with every intermediate.

    One sample: ŷ = w·x + b, error = ŷ − y, L = c·error², ∂L/∂ŷ = 2c·error, ∂L/∂w = ∂L/∂ŷ·x,
    ∂L/∂b = ∂L/∂ŷ (c = ½ for ``"half"``, 1 for ``"plain"``). A data set (n samples): the same for
    the mean loss (1/n)·Σ L_i, whose gradients are the means of the per-sample gradients (this is
    what full-batch gradient descent uses). ``w``: a number or a vector of d weights; ``b``: a number;
    ``x`` and ``y``: one sample or a data set (shapes in the module docstring), all finite;
    ``convention``: ``"half"`` or ``"plain"``. Returns a dict with ``prediction``, ``error``, ``loss``,
    ``dL_dprediction`` (per sample for a data set), ``grad_w`` (shaped like ``w``) and ``grad_b``.
    """
    c = _convention(convention)
    w, b, scalar = _parameters(w, b)
    x, y, single = _data(x, y, w.size, scalar)
    with np.errstate(over="ignore", invalid="ignore"):
        parts = [_forward_backward(w, b, xi, yi, c) for xi, yi in zip(x, y)]
    if not all(math.isfinite(p[key]) for p in parts for key in ("loss", "dL_dprediction")) \
            or not all(np.all(np.isfinite(p["grad_w"])) for p in parts):
        raise ValueError("w, b, x and y must keep the error ŷ − y and its gradients within float64 "
                         "(|ŷ − y| below about 1e154); got a loss or gradient that overflows")
    if single:
        out = parts[0]
        out["grad_w"] = _as_given(out["grad_w"], scalar)
        return out
    column = lambda key: np.array([p[key] for p in parts])  # noqa: E731
    return {"prediction": column("prediction"), "error": column("error"), "loss": float(column("loss").mean()),
            "dL_dprediction": column("dL_dprediction"),
            "grad_w": _as_given(column("grad_w").mean(axis=0), scalar), "grad_b": float(column("grad_b").mean())}


def linear_step(w, b, x, y, lr: float, convention: str = "half") -> dict:
    """One gradient-descent step: w ← w − η·∂L/∂w,  b ← b − η·∂L/∂b.

    ``lr`` (η): a finite number > 0. ``w``, ``b``, ``x``, ``y`` and ``convention`` as in
    :func:`linear_gradients` (one sample, or a data set for one full-batch step). Returns that function's
    dict plus ``w``, ``b`` (before) and ``w_new``, ``b_new`` (after).
    """
    lr = check_positive("lr", lr)
    out = linear_gradients(w, b, x, y, convention)
    w_array, b, scalar = _parameters(w, b)
    grad_w = np.reshape(out["grad_w"], -1)
    out.update(w=_as_given(w_array, scalar), b=b, w_new=_as_given(w_array - lr * grad_w, scalar),
               b_new=b - lr * out["grad_b"])
    return out


# -- many steps ---------------------------------------------------------------------------------
@dataclass
class LinearReplay:
    """What :func:`replay_linear` did: one dict per step, and where (if anywhere) it diverged.

    ``steps[k]`` holds step k + 1: ``step``, ``epoch``, ``sample`` (1-based, as the sources count),
    ``x``, ``y``, ``w``, ``b`` (before the step), ``prediction``, ``error``, ``loss``,
    ``dL_dprediction``, ``grad_w``, ``grad_b``, ``w_new``, ``b_new`` and ``mean_loss_after`` (the mean
    loss over the whole data set after the step). ``diverged_at`` is the first step after which the mean
    loss exceeded ``divergence_loss`` or a number stopped being finite (the run stopped there; that step
    is not in ``steps``), else None. Every number kept is finite.
    """

    steps: list = field(default_factory=list)
    diverged_at: int | None = None
    start_mean_loss: float = 0.0
    samples_per_epoch: int = 1
    requested_steps: int = 0
    lr: float = 0.0
    convention: str = "half"
    start_w: object = None
    start_b: float = 0.0

    @property
    def message(self) -> str | None:
        """"diverged at step k" (with the epoch when there are several samples), or None."""
        if self.diverged_at is None:
            return None
        if self.samples_per_epoch == 1:
            return f"diverged at step {self.diverged_at}"
        epoch = (self.diverged_at - 1) // self.samples_per_epoch + 1
        return f"diverged at step {self.diverged_at} (epoch {epoch})"

    def column(self, key: str) -> np.ndarray:
        """One intermediate across all completed steps, e.g. ``replay.column("loss")``."""
        return np.array([record[key] for record in self.steps])

    @property
    def losses(self) -> np.ndarray:
        """The loss on the sample used at each step (before that step's update)."""
        return self.column("loss")

    def mean_losses(self) -> np.ndarray:
        """Mean loss over the data set at the start and after every completed step (length = steps + 1)."""
        return np.array([self.start_mean_loss, *(record["mean_loss_after"] for record in self.steps)])

    def epoch_mean_losses(self) -> np.ndarray:
        """Mean loss over the data set at the start and after every completed epoch."""
        return self.mean_losses()[:: self.samples_per_epoch]

    def epochs_to_shrink_errors(self, factor: float = 1e3) -> int | None:
        """The first completed epoch k after which the errors are ``factor`` times smaller than at the start,
        counted on this run: ‖e_k‖ ≤ ‖e_0‖ / factor, with ‖e‖ = √(Σ_i (ŷ_i − y_i)²) = √(n·mean loss / c).

        ``factor``: a finite number > 1. None if the run stopped (diverged or ended) before that.
        """
        factor = check_number("factor", factor, low=1.0, low_open=True)
        means = self.epoch_mean_losses()
        reached = np.flatnonzero(means <= means[0] / factor**2)
        return int(reached[0]) if reached.size else None

    def parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """(w, b) at the start and after every completed step: w of shape (steps + 1,) or (steps + 1, d)."""
        w = [self.start_w, *(record["w_new"] for record in self.steps)]
        b = [self.start_b, *(record["b_new"] for record in self.steps)]
        return np.array(w), np.array(b)


def replay_linear(w, b, x, y, lr: float, steps: int | None = None, *, epochs: int | None = None,
                  convention: str = "half", divergence_loss: float = DEFAULT_DIVERGENCE_LOSS) -> LinearReplay:
    """Train ŷ = w·x + b by stochastic gradient descent, one sample per step, and keep everything.

    Step t uses sample ((t − 1) mod n) + 1, in the order given (sample 1, sample 2, sample 1, ...),
    as source 002 does; with one sample every step uses it, so this is also plain gradient descent.
    ``w``, ``b``, ``x`` and ``y``: the start and the data, finite, shaped as in :func:`linear_gradients`.
    Give ``steps`` (a whole number in [1, 100000]) or ``epochs`` (same range; steps = epochs·n).
    ``lr`` (η): a finite number > 0. ``convention``: ``"half"`` or ``"plain"``. ``divergence_loss``:
    a finite number > 0; the run stops at the first step after which the mean loss over the data
    exceeds it (or any number of the step is not finite), and reports that step in ``diverged_at``.
    Returns a :class:`LinearReplay`.
    """
    c = _convention(convention)
    lr = check_positive("lr", lr)
    divergence_loss = check_positive("divergence_loss", divergence_loss)
    w, b, scalar = _parameters(w, b)
    x, y, _ = _data(x, y, w.size, scalar)
    n = y.size
    if (steps is None) == (epochs is None):
        raise ValueError(f"give exactly one of steps and epochs (whole numbers in [1, 100000]); "
                         f"got steps={steps!r}, epochs={epochs!r}")
    if steps is not None:
        steps = check_integer("steps", steps, low=1, high=100_000)
    else:
        steps = check_integer("epochs", epochs, low=1, high=100_000) * n
        if steps > 100_000:
            raise ValueError(f"epochs must be a whole number in [1, {100_000 // n}] for {n} samples; got {epochs}")

    def mean_loss(w, b):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported as divergence below
            return float(np.mean(c * (x @ w + b - y) ** 2))

    replay = LinearReplay(start_mean_loss=mean_loss(w, b), samples_per_epoch=n, requested_steps=steps, lr=lr,
                          convention=convention, start_w=_as_given(w, scalar), start_b=b)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is detected below and reported as divergence
        for t in range(1, steps + 1):
            i = (t - 1) % n
            record = _forward_backward(w, b, x[i], y[i], c)
            w_new = w - lr * record["grad_w"]
            b_new = float(b - lr * record["grad_b"])
            after = mean_loss(w_new, b_new)
            numbers = [record["loss"], after, b_new, *w_new, *record["grad_w"]]
            if not all(math.isfinite(v) for v in numbers) or after > divergence_loss:
                replay.diverged_at = t
                break
            record.update(step=t, epoch=(t - 1) // n + 1, sample=i + 1, x=_as_given(x[i], scalar), y=float(y[i]),
                          w=_as_given(w, scalar), b=b, grad_w=_as_given(record["grad_w"], scalar),
                          w_new=_as_given(w_new, scalar), b_new=b_new, mean_loss_after=after)
            replay.steps.append(record)
            w, b = w_new, b_new
    return replay


# -- when does it converge? ---------------------------------------------------------------------
def linear_error_factor(x, lr: float, convention: str = "half") -> float:
    """For one sample, the number each step multiplies the error e = ŷ − y by: 1 − 2c·η·(|x|² + 1).

    With c = ½ (``"half"``) this is 1 − η(x² + 1): for x = 2, 1 − 5η. ``x``: one sample (a number or
    a vector); ``lr``: a finite number > 0; ``convention``: ``"half"`` or ``"plain"``. |factor| < 1
    converges, a negative factor oscillates.
    """
    c = _convention(convention)
    lr = check_positive("lr", lr)
    x = as_float_array("x", x)
    if x.ndim > 1:
        raise ValueError(f"x must be one sample (a number or a 1-D vector); got shape {x.shape}")
    return 1.0 - 2 * c * lr * (float(np.sum(x**2)) + 1.0)


def linear_learning_rate_regime(x, lr: float, convention: str = "half", *, tolerance: float = 1e-9) -> str:
    """Name what gradient descent on one sample does at this learning rate, from the error factor f.

    Returns one of ``"converges"`` (0 < f < 1), ``"converges in one step"`` (f = 0),
    ``"oscillates and converges"`` (−1 < f < 0), ``"oscillates forever"`` (f = −1), ``"diverges"``
    (f < −1). ``x``, ``lr`` and ``convention`` as in :func:`linear_error_factor`; ``tolerance`` (≥ 0)
    decides when f counts as exactly 0 or −1 (slider values are rounded).
    """
    factor = linear_error_factor(x, lr, convention)
    tolerance = check_number("tolerance", tolerance, low=0.0)
    if abs(factor) <= tolerance:
        return "converges in one step"
    if abs(factor + 1) <= tolerance:
        return "oscillates forever"
    if factor > 0:
        return "converges"
    return "oscillates and converges" if factor > -1 else "diverges"


def linear_epoch_error_map(x, lr: float, convention: str = "half") -> np.ndarray:
    """The matrix M with e_after_epoch = M·e_before for one epoch of :func:`replay_linear` (in order).

    e is the vector of errors ŷ_i − y_i on all n samples. A step on sample i changes every error:
    e_j ← e_j − 2c·η·(a_j·a_i)·e_i, with a = (x, 1) (the features and a 1 for the bias), so the step is
    M_i = I − 2c·η·G[:, i]·e_iᵀ with G the Gram matrix a_j·a_i, and M = M_n ⋯ M_1.
    ``x``: a data set of shape (n, d), or (n,) for n samples of one feature, or a number for one
    sample of one feature (one sample of d features is shape (1, d)), finite; ``lr``: a finite number
    > 0; ``convention``: ``"half"`` or ``"plain"``. Returns an (n, n) array.
    """
    c = _convention(convention)
    lr = check_positive("lr", lr)
    x = as_float_array("x", x)
    if x.ndim > 2:
        raise ValueError(f"x must have shape (n, d), (n,) or (d,); got shape {x.shape}")
    features = x.reshape(1, 1) if x.ndim == 0 else x.reshape(len(x), -1)
    a = np.hstack([features, np.ones((len(features), 1))])
    gram = a @ a.T
    n = len(a)
    epoch = np.eye(n)
    for i in range(n):
        step = np.eye(n)
        step[:, i] -= 2 * c * lr * gram[:, i]
        epoch = step @ epoch
    return epoch


def linear_epoch_contraction(x, lr: float, convention: str = "half") -> float:
    """ρ = the largest |eigenvalue| of :func:`linear_epoch_error_map`: roughly how much each epoch
    multiplies the errors by in the long run. ρ < 1 converges, ρ > 1 diverges.

    ``x``, ``lr`` and ``convention`` as in :func:`linear_epoch_error_map`.
    """
    return float(np.max(np.abs(np.linalg.eigvals(linear_epoch_error_map(x, lr, convention)))))


def linear_critical_learning_rate(x, convention: str = "half", *, lr_max: float = 100.0) -> float:
    """The smallest η > 0 at which one epoch stops shrinking the errors (ρ(η) = 1); above it, the run diverges.

    For one sample this is 2 / (2c·(|x|² + 1)): 0.4 for x = 2 with the ``"half"`` loss. Found by
    scanning η on a fine grid up to ``lr_max`` (> 0) and bisecting the first crossing to 1e-12.
    ``x`` and ``convention`` as in :func:`linear_epoch_error_map`; ``x`` must hold samples whose errors
    can all shrink together (no repeated or linearly dependent samples (x, 1)).
    """
    lr_max = check_positive("lr_max", lr_max)
    rho = lambda lr: linear_epoch_contraction(x, lr, convention)  # noqa: E731
    grid = np.geomspace(lr_max * 1e-6, lr_max, 4001)
    if rho(grid[0]) >= 1.0 - 1e-12:
        raise ValueError("x must hold samples whose errors can all shrink together (no repeated or linearly "
                         "dependent samples (x, 1)), for which no learning rate makes every error go to 0; "
                         f"got {np.asarray(x).tolist()}"[:300])
    above = [lr for lr in grid if rho(lr) >= 1.0]
    if not above:
        raise ValueError(f"lr_max must be large enough for the run to diverge (ρ ≥ 1 somewhere below it); "
                         f"got {lr_max!r}, with ρ < 1 all the way")
    high = above[0]
    index = int(np.searchsorted(grid, high))
    low = grid[index - 1] if index > 0 else 0.0
    while high - low > 1e-12:
        middle = 0.5 * (low + high)
        low, high = (middle, high) if rho(middle) < 1.0 else (low, middle)
    return 0.5 * (low + high)


def linear_learning_rate_verdict(x, lr: float, convention: str = "half", *, slow_epochs: int = 50) -> str:
    """The source's three cases, decided by the epoch contraction ρ (:func:`linear_epoch_contraction`).

    ``"too large"`` when ρ ≥ 1 (the errors do not shrink: oscillation that never settles, or
    divergence); ``"too small"`` when by the long-run estimate shrinking the errors 1000-fold takes
    more than ``slow_epochs`` epochs (a whole number ≥ 1), i.e. ρ^slow_epochs > 10⁻³; otherwise
    ``"about right"``. (A replay's fast first epochs can get there sooner: at η = 0.2 on chapter 2's
    data, 45 epochs against the estimate's 62; :meth:`LinearReplay.epochs_to_shrink_errors` counts.) ``x``, ``lr``
    and ``convention`` as in :func:`linear_epoch_error_map`.
    """
    slow_epochs = check_integer("slow_epochs", slow_epochs, low=1)
    rho = linear_epoch_contraction(x, lr, convention)
    if rho >= 1.0:
        return "too large"
    return "too small" if rho**slow_epochs > 1e-3 else "about right"


def linear_epochs_to_shrink(rho: float, factor: float = 1e3) -> int | None:
    """The long-run estimate ⌈ln factor / −ln ρ⌉ of the epochs until errors that shrink ×ρ per epoch are
    ``factor`` times smaller (None if ρ ≥ 1). A replay that starts with a faster transient gets there
    sooner: :meth:`LinearReplay.epochs_to_shrink_errors` counts on the run itself.

    ``rho`` (ρ): a finite number ≥ 0; ``factor``: a finite number > 1.
    """
    rho = check_number("rho", rho, low=0.0)
    factor = check_number("factor", factor, low=1.0, low_open=True)
    if rho >= 1.0:
        return None
    if rho == 0.0:
        return 1
    return max(1, math.ceil(math.log(factor) / -math.log(rho)))
