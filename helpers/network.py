"""The two-layer tanh network of chapter 5, one number at a time: forward, backward, update.

    z1 = W1·x + b1      a1 = tanh(z1)          (hidden layer)
    z2 = W2·a1 + b2     ŷ = softmax(z2)        (output layer)
    L  = −Σ_i y_i log ŷ_i                     (cross-entropy, y one-hot)

Backward, with the error terms δ[l] = ∂L/∂z[l]:

    δ2 = ŷ − y                    ∂L/∂W2 = δ2·a1ᵀ    ∂L/∂b2 = δ2
    δ1 = (W2ᵀ·δ2) ⊙ (1 − a1²)     ∂L/∂W1 = δ1·xᵀ     ∂L/∂b1 = δ1

Shapes: x (n,), W1 (h, n), b1 (h,), W2 (k, h), b2 (k,), y (k,) one-hot with k ≥ 2.
The worked example (source 001) is the 2-2-2 network in the ``DEFAULT_*`` constants.
:func:`replay_two_layer` trains it for a few steps with any optimizer of
:mod:`helpers.optimizers` and keeps every intermediate of every step.
"""
from __future__ import annotations

import numpy as np

from .losses import softmax
from .optimizers import OPTIMIZER_NAMES, Optimizer
from .validation import as_float_array, check_choice, check_integer

__all__ = [
    "TWO_LAYER_PARAMETERS",
    "DEFAULT_TWO_LAYER_X",
    "DEFAULT_TWO_LAYER_Y",
    "DEFAULT_TWO_LAYER_PARAMS",
    "two_layer_params",
    "forward_two_layer",
    "backward_two_layer",
    "two_layer_loss",
    "TwoLayerRun",
    "replay_two_layer",
]

#: The parameter names, in the order the chapter lists them (12 numbers for the 2-2-2 network).
TWO_LAYER_PARAMETERS = ("W1", "b1", "W2", "b2")
#: Source 001's input and its one-hot label (class 1).
DEFAULT_TWO_LAYER_X = np.array([1.0, 2.0])
DEFAULT_TWO_LAYER_Y = np.array([1.0, 0.0])
#: Source 001's hand-set starting weights (η = 0.1 in the source).
DEFAULT_TWO_LAYER_PARAMS = {
    "W1": np.array([[0.1, 0.2], [0.3, 0.4]]),
    "b1": np.array([0.0, 0.0]),
    "W2": np.array([[0.5, 0.6], [0.7, 0.8]]),
    "b2": np.array([0.0, 0.0]),
}
for _array in (DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, *DEFAULT_TWO_LAYER_PARAMS.values()):
    _array.flags.writeable = False  # shared defaults: nobody may change them by accident


def two_layer_params(W1=None, b1=None, W2=None, b2=None) -> dict:
    """Validated float64 copies of the four parameter arrays (the worked example's for any left None).

    Shapes must fit one network: W1 (h, n), b1 (h,), W2 (k, h), b2 (k,), with k ≥ 2 classes.
    Raises ValueError naming the parameter whose shape or values are wrong.
    """
    given = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    params = {name: DEFAULT_TWO_LAYER_PARAMS[name].copy() if value is None else as_float_array(name, value)
              for name, value in given.items()}
    W1, b1, W2, b2 = (params[name] for name in TWO_LAYER_PARAMETERS)
    if W1.ndim != 2:
        raise ValueError(f"W1 must be a matrix of shape (hidden units, inputs); got shape {W1.shape}")
    hidden = W1.shape[0]
    if b1.shape != (hidden,):
        raise ValueError(f"b1 must have shape ({hidden},) to match W1 {W1.shape}; got shape {b1.shape}")
    if W2.ndim != 2 or W2.shape[1] != hidden:
        raise ValueError(f"W2 must have shape (classes, {hidden}) to follow W1 {W1.shape}; got shape {W2.shape}")
    if W2.shape[0] < 2:
        raise ValueError(f"W2 must have at least 2 rows (one per class); got shape {W2.shape}")
    if b2.shape != (W2.shape[0],):
        raise ValueError(f"b2 must have shape ({W2.shape[0]},) to match W2 {W2.shape}; got shape {b2.shape}")
    return params


def _check_x(x, params) -> np.ndarray:
    inputs = params["W1"].shape[1]
    return as_float_array("x", x, shape=(inputs,))


def _check_y(y, params) -> np.ndarray:
    classes = params["W2"].shape[0]
    y = as_float_array("y", y, shape=(classes,))
    if not (np.all((y == 0) | (y == 1)) and y.sum() == 1):
        raise ValueError(f"y must be one-hot (one entry 1, the others 0); got {y.tolist()}")
    return y


def _cross_entropy(y, y_hat) -> float:
    # −Σ y log ŷ over the entries where y = 1 only, so a 0 in ŷ elsewhere cannot make 0·(−inf) = NaN.
    # A ŷ that underflows to 0 at the true class gives inf: the run has diverged.
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(y[y > 0] * np.log(y_hat[y > 0])))


def forward_two_layer(x, W1, b1, W2, b2, y=None) -> dict:
    """The forward pass: ``z1``, ``a1``, ``z2``, ``y_hat`` and, when the label ``y`` is given, ``loss``.

    z1 = W1·x + b1, a1 = tanh(z1), z2 = W2·a1 + b2, ŷ = softmax(z2), L = −Σ y log ŷ.
    Shapes as in :func:`two_layer_params`; x has shape (n,), y shape (k,) and is one-hot.
    """
    params = two_layer_params(W1, b1, W2, b2)
    x = _check_x(x, params)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow means divergence, reported by the caller
        z1 = params["W1"] @ x + params["b1"]
        a1 = np.tanh(z1)
        z2 = params["W2"] @ a1 + params["b2"]
        y_hat = softmax(z2) if np.all(np.isfinite(z2)) else np.full_like(z2, np.nan)
    out = {"z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat}
    if y is not None:
        out["loss"] = _cross_entropy(_check_y(y, params), y_hat)
    return out


def backward_two_layer(x, y, forward: dict, W2) -> dict:
    """The backward pass from one forward pass: ``delta2``, ``delta1`` and ``grads`` (a dict of 4 arrays).

    δ2 = ŷ − y;  δ1 = (W2ᵀ·δ2) ⊙ (1 − a1²)  (tanh' = 1 − tanh²);
    ∂L/∂W2 = δ2·a1ᵀ, ∂L/∂b2 = δ2, ∂L/∂W1 = δ1·xᵀ, ∂L/∂b1 = δ1 (outer products, shapes of the parameters).
    ``forward`` is what :func:`forward_two_layer` returned; ``W2`` is the weight matrix it used.
    """
    x, y, W2 = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), np.asarray(W2, dtype=np.float64)
    delta2 = forward["y_hat"] - y
    delta1 = (W2.T @ delta2) * (1.0 - forward["a1"] ** 2)
    grads = {"W1": np.outer(delta1, x), "b1": delta1.copy(), "W2": np.outer(delta2, forward["a1"]),
             "b2": delta2.copy()}
    return {"delta2": delta2, "delta1": delta1, "grads": grads}


def two_layer_loss(params: dict, x=DEFAULT_TWO_LAYER_X, y=DEFAULT_TWO_LAYER_Y) -> float:
    """L(W1, b1, W2, b2) for one example: the loss alone (what finite differences perturb)."""
    return forward_two_layer(x, params["W1"], params["b1"], params["W2"], params["b2"], y=y)["loss"]


class TwoLayerRun(list):
    """The steps of :func:`replay_two_layer`: a list of step records, plus how the run ended.

    ``diverged_at`` is None, or the step k (counted from 1) whose loss or updated parameters were
    not finite; the run stopped there and holds the k − 1 finite steps before it. ``status`` is
    None or the text "diverged at step k" (what a slider panel shows). ``losses`` is the loss of
    each kept step; ``final_params`` the parameters after the last kept step (the start if none).
    """

    def __init__(self, steps, *, start: dict, diverged_at: int | None, optimizer: Optimizer):
        super().__init__(steps)
        self.start = start
        self.diverged_at = diverged_at
        self.optimizer = optimizer

    @property
    def status(self) -> str | None:
        return None if self.diverged_at is None else f"diverged at step {self.diverged_at}"

    @property
    def losses(self) -> np.ndarray:
        return np.array([step["loss"] for step in self], dtype=np.float64)

    @property
    def final_params(self) -> dict:
        return self[-1]["params"] if self else self.start

    def __repr__(self) -> str:
        ending = f", {self.status}" if self.diverged_at else ""
        return f"TwoLayerRun({self.optimizer.name}, lr={self.optimizer.lr:g}, {len(self)} steps{ending})"


def _all_finite(arrays) -> bool:
    return all(np.all(np.isfinite(a)) for a in arrays)


def replay_two_layer(*, x=None, y=None, W1=None, b1=None, W2=None, b2=None, optimizer: str = "sgd",
                     lr: float = 0.1, momentum: float = 0.9, beta1: float = 0.9, beta2: float | None = None,
                     eps: float | None = None, steps: int = 1,
                     trainable=TWO_LAYER_PARAMETERS) -> TwoLayerRun:
    """Train the two-layer network on one example for ``steps`` steps, keeping every intermediate.

    Each step is one forward pass, one backward pass and one update of the trainable parameters by
    the optimizer (all from the same forward pass). Returns a :class:`TwoLayerRun`, a list whose
    item ``s = run[t - 1]`` is a plain dict for step t:

    - ``s["step"]`` (t), ``s["params_before"]`` (the parameters the forward pass used);
    - ``s["z1"]``, ``s["a1"]``, ``s["z2"]``, ``s["y_hat"]``, ``s["loss"]`` (forward pass);
    - ``s["delta2"]``, ``s["delta1"]``, ``s["grads"]["W1" | "b1" | "W2" | "b2"]`` (backward pass);
    - ``s["params"][...]``: the parameters after this step's update;
    - ``s["optimizer"][name]``: the optimizer's record for each trained parameter, as returned by
      the ``*_step`` functions of :mod:`helpers.optimizers` (``update`` always; ``m``, ``v``,
      ``m_hat``, ``v_hat``, ``step_size`` for Adam; ``velocity`` for momentum; ...).

    Parameters (defaults: source 001's 2-2-2 network, x = [1, 2], y = [1, 0]):
      x: input, shape (n,); y: one-hot label, shape (k,);
      W1 (h, n), b1 (h,), W2 (k, h), b2 (k,): starting parameters (copied, never changed);
      optimizer: one of "sgd", "momentum", "adagrad", "rmsprop", "adam" (PyTorch's update rules);
      lr: learning rate η > 0; momentum: μ in [0, 1); beta1, beta2: decay rates in [0, 1);
      eps: ε > 0 (beta2 and eps default to PyTorch's default for the optimizer);
      steps: number of steps, a whole number ≥ 1;
      trainable: the parameter names the optimizer updates (the others stay fixed), a non-empty
        subset of ("W1", "b1", "W2", "b2"); e.g. ("W2", "b2") trains the output layer only.

    Divergence never raises: if step k's loss or updated parameters are not finite (inf or NaN),
    the run stops, keeps the k − 1 steps before it and sets ``run.diverged_at = k``
    (``run.status == "diverged at step k"``). Check ``run.diverged_at`` before using ``run.losses``.
    Bad input raises ValueError naming the parameter.
    """
    check_choice("optimizer", optimizer, OPTIMIZER_NAMES)
    steps = check_integer("steps", steps, low=1)
    opt = Optimizer(optimizer, lr, momentum=momentum, beta1=beta1, beta2=beta2, eps=eps)
    if isinstance(trainable, str):
        trainable = (trainable,)
    trainable = tuple(trainable)
    if not trainable or any(name not in TWO_LAYER_PARAMETERS for name in trainable):
        raise ValueError(f"trainable must be a non-empty subset of {TWO_LAYER_PARAMETERS}; got {trainable!r}")
    params = two_layer_params(W1, b1, W2, b2)
    x = _check_x(DEFAULT_TWO_LAYER_X if x is None else x, params)
    y = _check_y(DEFAULT_TWO_LAYER_Y if y is None else y, params)

    start = {name: array.copy() for name, array in params.items()}
    state = opt.init_state({name: params[name] for name in trainable})
    records, diverged_at = [], None
    for t in range(1, steps + 1):
        forward = forward_two_layer(x, y=y, **params)
        if not np.isfinite(forward["loss"]):
            diverged_at = t
            break
        backward = backward_two_layer(x, y, forward, params["W2"])
        with np.errstate(over="ignore", invalid="ignore"):
            updated, state, record = opt.step({n: params[n] for n in trainable},
                                              {n: backward["grads"][n] for n in trainable}, state)
        if not _all_finite(updated.values()):
            diverged_at = t
            break
        new_params = {name: updated.get(name, params[name]).copy() for name in TWO_LAYER_PARAMETERS}
        records.append({"step": t, "params_before": params, **forward, **backward, "params": new_params,
                        "optimizer": record})
        params = new_params
    return TwoLayerRun(records, start=start, diverged_at=diverged_at, optimizer=opt)
