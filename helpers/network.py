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
:mod:`helpers.optimizers` and keeps every intermediate of every step (the slider panels call
``_replay_two_layer_flat``, the same loop on one flat vector: the same records, in two thirds of the time).
"""
from __future__ import annotations

import inspect
import math

import numpy as np

from .softmax import _softmax_and_log_softmax, softmax
from .optimizers import OPTIMIZER_NAMES, OPTIMIZERS, Optimizer
from .sources import SOURCE_001_TWO_LAYER
from .validation import as_float_array, check_choice, check_integer, check_positive

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
    "TWO_LAYER_TRAINED",
    "two_layer_history",
    "two_layer_update_bounds",
    "audit_two_layer_source",
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


def forward_two_layer(x, W1, b1, W2, b2, y=None) -> dict:
    """The forward pass: ``z1``, ``a1``, ``z2``, ``y_hat`` and, when the label ``y`` is given, ``loss``.

    z1 = W1·x + b1, a1 = tanh(z1), z2 = W2·a1 + b2, ŷ = softmax(z2), L = −Σ y log ŷ.
    Shapes as in :func:`two_layer_params`; x has shape (n,), y shape (k,) and is one-hot.
    """
    params = two_layer_params(W1, b1, W2, b2)
    x = _check_x(x, params)
    label = None if y is None else _label(_check_y(y, params))
    with np.errstate(over="ignore", invalid="ignore"):  # overflowing parameters give NaN, without a warning
        return _forward(x, params, label)


def _label(y: np.ndarray) -> int:
    """The class a checked one-hot ``y`` marks (the index of its 1)."""
    return int(y.argmax())


def _forward(x, params, label) -> dict:
    # Inputs already checked: the replay loop calls this directly, once per step. ``label`` is the
    # true class (see _label), or None for no loss. Callers ignore overflow (np.errstate): it means
    # divergence, reported by the replay, or the NaN of forward_two_layer.
    z1 = params["W1"] @ x + params["b1"]
    a1 = np.tanh(z1)
    z2 = params["W2"] @ a1 + params["b2"]
    if np.isfinite(z2).all():
        y_hat, log_y_hat = _softmax_and_log_softmax(z2)
    else:  # overflowing parameters: NaN everywhere, and the caller reports divergence
        y_hat = log_y_hat = np.full_like(z2, np.nan)
    out = {"z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat}
    if label is not None:
        # −Σ y log ŷ = −log ŷ[label] for a one-hot y, through log-softmax (what cross_entropy_from_logits
        # computes, without re-checking its inputs): finite for any finite z2, even where ŷ rounds to 0.
        # Written 0.0 − …, so that a perfect prediction's loss is 0.0, as the sum gives, not −0.0.
        out["loss"] = 0.0 - float(log_y_hat[label])
    return out


def backward_two_layer(x, y, forward: dict, W2) -> dict:
    """The backward pass from one forward pass: ``delta2``, ``delta1`` and ``grads`` (a dict of 4 arrays).

    δ2 = ŷ − y;  δ1 = (W2ᵀ·δ2) ⊙ (1 − a1²)  (tanh' = 1 − tanh²);
    ∂L/∂W2 = δ2·a1ᵀ, ∂L/∂b2 = δ2, ∂L/∂W1 = δ1·xᵀ, ∂L/∂b1 = δ1 (outer products, shapes of the parameters).
    ``forward`` is what :func:`forward_two_layer` returned (a dict with ``y_hat`` (k,) and ``a1`` (h,));
    ``W2`` is the (k, h) weight matrix it used; ``x`` the input, shape (n,); ``y`` the one-hot label, shape (k,).
    """
    if not isinstance(forward, dict) or not {"y_hat", "a1"} <= set(forward):
        raise ValueError(f"forward must be the dict forward_two_layer returned (with y_hat and a1); got {forward!r}"[:200])
    y_hat = as_float_array("forward['y_hat']", forward["y_hat"], ndim=1)
    a1 = as_float_array("forward['a1']", forward["a1"], ndim=1)
    W2 = as_float_array("W2", W2, shape=(y_hat.size, a1.size))  # (classes, hidden units), as forward used it
    x = as_float_array("x", x, ndim=1)
    y = _check_y(y, {"W2": W2})
    return _backward(x, y, y_hat, a1, W2)


def _backward(x, y, y_hat, a1, W2) -> dict:
    # Inputs already checked: the replay loop calls this directly, once per step.
    delta2 = y_hat - y
    delta1 = (W2.T @ delta2) * (1.0 - a1 ** 2)
    grads = {"W1": delta1[:, None] * x, "b1": delta1.copy(), "W2": delta2[:, None] * a1,  # outer products
             "b2": delta2.copy()}
    return {"delta2": delta2, "delta1": delta1, "grads": grads}


def two_layer_loss(params: dict, x=DEFAULT_TWO_LAYER_X, y=DEFAULT_TWO_LAYER_Y) -> float:
    """L(W1, b1, W2, b2) for one example: the loss alone (what finite differences perturb).

    ``params``: a dict with the four arrays "W1", "b1", "W2", "b2" (shapes as in :func:`two_layer_params`);
    ``x``: the input, shape (n,); ``y``: the one-hot label, shape (k,).
    """
    if not isinstance(params, dict) or not set(TWO_LAYER_PARAMETERS) <= set(params):
        raise ValueError(f"params must be a dict with {', '.join(TWO_LAYER_PARAMETERS)}; "
                         f"got {sorted(params) if isinstance(params, dict) else type(params).__name__}")
    if any(params[name] is None for name in TWO_LAYER_PARAMETERS):
        raise ValueError(f"params must hold four arrays; got None for {[n for n in TWO_LAYER_PARAMETERS if params[n] is None]}")
    try:
        checked = two_layer_params(*(params[name] for name in TWO_LAYER_PARAMETERS))
    except ValueError as error:
        raise ValueError(f"params: {error}") from None
    return forward_two_layer(x, *(checked[name] for name in TWO_LAYER_PARAMETERS), y=y)["loss"]


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


def replay_two_layer(*, x=None, y=None, W1=None, b1=None, W2=None, b2=None, optimizer: str = "sgd",
                     lr: float = 0.1, momentum: float | None = None, beta1: float | None = None,
                     beta2: float | None = None, eps: float | None = None, steps: int = 1,
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
      ``m_hat``, ``v_hat``, ``effective_learning_rate`` for Adam; ``velocity`` for momentum; ...).

    No two records share an array (changing one changes no other step, nor ``run.start``), except
    that ``params_before`` of step t + 1 is ``params`` of step t, the same dict.

    Parameters (defaults: source 001's 2-2-2 network, x = [1, 2], y = [1, 0]):
      x: input, shape (n,); y: one-hot label, shape (k,);
      W1 (h, n), b1 (h,), W2 (k, h), b2 (k,): starting parameters (copied, never changed);
      optimizer: a name in OPTIMIZER_NAMES (helpers.optimizers: PyTorch's update rules);
      lr: learning rate η > 0; momentum: μ in [0, 1); beta1, beta2: decay rates in [0, 1); eps: ε > 0
        (each of these four left None takes the optimizer's default, OPTIMIZERS[optimizer].defaults);
      steps: number of steps, a whole number in [1, 100000];
      trainable: the parameter names the optimizer updates (the others stay fixed), a non-empty
        subset of ("W1", "b1", "W2", "b2"); e.g. ("W2", "b2") trains the output layer only.

    Divergence never raises: if step k's loss or updated parameters are not finite (inf or NaN),
    the run stops, keeps the k − 1 steps before it and sets ``run.diverged_at = k``
    (``run.status == "diverged at step k"``). Check ``run.diverged_at`` before using ``run.losses``.
    Bad input raises ValueError naming the parameter.
    """
    x, y, params, opt, steps, trained = _checked_replay_settings(
        x=x, y=y, W1=W1, b1=b1, W2=W2, b2=b2, optimizer=optimizer, lr=lr, momentum=momentum, beta1=beta1,
        beta2=beta2, eps=eps, steps=steps, trainable=trainable)
    label = _label(y)
    start = {name: array.copy() for name, array in params.items()}
    state = opt.init_state({name: params[name] for name in trained})
    records, diverged_at = [], None
    with np.errstate(over="ignore", invalid="ignore"):  # overflow means divergence, reported below
        for t in range(1, steps + 1):
            forward = _forward(x, params, label)
            if not math.isfinite(forward["loss"]):
                diverged_at = t
                break
            backward = _backward(x, y, forward["y_hat"], forward["a1"], params["W2"])
            updated, state, optimizer_record = opt.step({name: params[name] for name in trained},
                                                        {name: backward["grads"][name] for name in trained}, state)
            if not all(np.isfinite(array).all() for array in updated.values()):
                diverged_at = t
                break
            # The fixed parameters are copied, and the optimizer's record too (its "theta" is the new
            # parameter, its m and v the state the next step reads): no two records share an array.
            new_params = {name: updated[name] if name in updated else params[name].copy()
                          for name in TWO_LAYER_PARAMETERS}
            records.append({"step": t, "params_before": params, **forward, **backward, "params": new_params,
                            "optimizer": {name: {entry: array.copy() for entry, array in record.items()}
                                          for name, record in optimizer_record.items()}})
            params = new_params
    return TwoLayerRun(records, start=start, diverged_at=diverged_at, optimizer=opt)


def _checked_replay_settings(*, x, y, W1, b1, W2, b2, optimizer, lr, momentum, beta1, beta2, eps, steps, trainable):
    """replay_two_layer's arguments, checked: (x, y, params, Optimizer, steps, trained parameter names)."""
    check_choice("optimizer", optimizer, OPTIMIZER_NAMES)
    steps = check_integer("steps", steps, low=1, high=100_000)
    opt = Optimizer(optimizer, lr, momentum=momentum, beta1=beta1, beta2=beta2, eps=eps)
    if isinstance(trainable, str):
        trainable = (trainable,)
    trainable = tuple(trainable) if isinstance(trainable, (list, tuple, set, frozenset)) else ()
    if not trainable or any(name not in TWO_LAYER_PARAMETERS for name in trainable):
        raise ValueError(f"trainable must be a non-empty subset of {TWO_LAYER_PARAMETERS}; got {trainable!r}")
    params = two_layer_params(W1, b1, W2, b2)
    x = _check_x(DEFAULT_TWO_LAYER_X if x is None else x, params)
    y = _check_y(DEFAULT_TWO_LAYER_Y if y is None else y, params)
    trained = tuple(dict.fromkeys(trainable))  # in the order given, repeats dropped
    return x, y, params, opt, steps, trained


# -- The same replay, fast: what the slider panels call ----------------------------------------

def _replay_two_layer_flat(**settings) -> TwoLayerRun:
    """:func:`replay_two_layer` (same arguments, same defaults), the same records bit for bit, in two
    thirds of the time (500 Adam steps: 44 ms of CPU instead of 65): what the slider panels call
    (chapter 7's panel replays up to 500 Adam steps per move).

    One flat vector, theta, holds the parameters end to end: the trained ones first, then the fixed
    ones, which ride along unchanged. The optimizer updates the trained part in one call per step:
    on a dozen numbers a NumPy call costs the same whatever its size, so one call on the whole vector
    beats one call per array, with the same numbers (every update rule works element by element).
    The parameters in the records are views of theta (reshaped slices), the optimizer's entries
    views of one table made at the end (see _add_optimizer_records).
    """
    arguments = inspect.signature(replay_two_layer).bind(**settings)
    arguments.apply_defaults()
    x, y, params, opt, steps, trained = _checked_replay_settings(**arguments.arguments)
    label = _label(y)
    start = {name: array.copy() for name, array in params.items()}
    fixed = tuple(name for name in TWO_LAYER_PARAMETERS if name not in trained)
    layout = _flat_layout(params, order=trained + fixed)
    n_trained = sum(params[name].size for name in trained)
    theta = np.concatenate([params[name] for name in trained + fixed], axis=None)
    params = _views(theta, layout)
    state = opt.init_state({"parameters": theta[:n_trained]})
    records, optimizer_records, diverged_at = [], [], None
    with np.errstate(over="ignore", invalid="ignore"):  # overflow means divergence, reported below
        for t in range(1, steps + 1):
            forward = _forward(x, params, label)
            if not math.isfinite(forward["loss"]):
                diverged_at = t
                break
            backward = _backward(x, y, forward["y_hat"], forward["a1"], params["W2"])
            grad = np.concatenate([backward["grads"][name] for name in trained], axis=None)
            updated, state, record = opt.step({"parameters": theta[:n_trained]}, {"parameters": grad}, state)
            if not np.isfinite(updated["parameters"]).all():
                diverged_at = t
                break
            # The next theta: the optimizer's new vector, the fixed parameters copied after it. A new
            # array every step, so no two steps share one.
            theta = np.concatenate((updated["parameters"], theta[n_trained:])) if fixed else updated["parameters"]
            new_params = _views(theta, layout)
            records.append({"step": t, "params_before": params, **forward, **backward, "params": new_params})
            optimizer_records.append(record["parameters"])
            params = new_params
    _add_optimizer_records(records, optimizer_records, layout, trained)
    return TwoLayerRun(records, start=start, diverged_at=diverged_at, optimizer=opt)


def _flat_layout(arrays: dict, order) -> dict:
    """Where each of ``arrays`` sits when they are laid end to end in one flat vector in ``order``:
    name → (slice of the vector, shape of the array), in the order of ``arrays``."""
    slices, start = {}, 0
    for name in order:
        slices[name] = slice(start, start + arrays[name].size)
        start += arrays[name].size
    return {name: (slices[name], array.shape) for name, array in arrays.items()}


def _views(flat: np.ndarray, layout: dict) -> dict:
    """name → its array as a view of ``flat`` (its slice, reshaped: no copy), for each name of ``layout``."""
    return {name: flat[where].reshape(shape) for name, (where, shape) in layout.items()}


def _add_optimizer_records(records: list, flat_records: list, layout: dict, names) -> None:
    """Give each step record its ``"optimizer"`` entry, name → {"theta", "update", "m", ...} for each
    of ``names``, cut out of the flat records the optimizer returned (``flat_records[i]`` for ``records[i]``).

    All steps at once: one table (steps, entries, numbers), whose blocks NumPy hands out as views,
    costs far less than a slice and a reshape per entry, parameter and step (7 × 4 × 200 of them for
    200 Adam steps). The table is a copy, so the records share no array with the optimizer's state.
    """
    for record in records:
        record["optimizer"] = {}
    if not records:
        return
    entries = list(flat_records[0])
    table = np.array([list(flat.values()) for flat in flat_records])
    for name in names:
        where, shape = layout[name]
        blocks = table[:, :, where].reshape(len(records), len(entries), *shape)
        for record, block in zip(records, blocks):
            record["optimizer"][name] = dict(zip(entries, block))


#: The variants of chapter 5's layer comparison: which parameters each one trains.
TWO_LAYER_TRAINED = {"both layers": TWO_LAYER_PARAMETERS, "layer 2 only": ("W2", "b2"), "layer 1 only": ("W1", "b1")}


def two_layer_history(lr: float = 0.1, steps: int = 25, variant: str = "both layers", optimizer: str = "sgd") -> dict:
    """Loss, ŷ and a[1] after 0, 1, ..., ``steps`` steps of training source 001's network.

    ``lr`` > 0; ``steps`` a whole number in [1, 200]; ``variant`` a key of TWO_LAYER_TRAINED;
    ``optimizer`` a name in OPTIMIZER_NAMES (with its defaults from OPTIMIZERS).
    Returns ``steps_done`` (0..steps), ``loss``, ``y_hat`` (steps+1, 2), ``a1`` (steps+1, 2) and
    ``diverged_at`` (None or a step). Entries at and after a divergence are NaN, so they are not drawn.
    """
    lr = check_positive("lr", lr)
    steps = check_integer("steps", steps, low=1, high=200)
    if variant not in TWO_LAYER_TRAINED:
        raise ValueError(f"variant must be one of {', '.join(map(repr, TWO_LAYER_TRAINED))}; got {variant!r}")
    # The forward pass of step t + 1 measures the network after t updates.
    run = _replay_two_layer_flat(optimizer=optimizer, lr=lr, steps=steps + 1, trainable=TWO_LAYER_TRAINED[variant])
    loss = np.full(steps + 1, np.nan)
    y_hat, a1 = np.full((steps + 1, 2), np.nan), np.full((steps + 1, 2), np.nan)
    for t, step in enumerate(run):
        loss[t], y_hat[t], a1[t] = step["loss"], step["y_hat"], step["a1"]
    return {"steps_done": np.arange(steps + 1), "loss": loss, "y_hat": y_hat, "a1": a1,
            "diverged_at": run.diverged_at}


def two_layer_update_bounds(run: TwoLayerRun, x=DEFAULT_TWO_LAYER_X) -> dict:
    """How far one SGD step of ``run`` moved each layer, beside the bound that caps it.

    Softmax keeps |δ[2]_i| ≤ 1 and tanh keeps |a[1]_j| ≤ 1, whatever the parameters, so one step at
    learning rate η moves each entry of W[2] and b[2] by at most η. Layer 1's gradient carries W[2]:
    |∂L/∂W[1]_jk| = |Σ_i W[2]_ij δ[2]_i| (1 − a[1]_j²) |x_k| ≤ Σ_i |W[2]_ij| · |x_k|, so an entry of
    W[1] or b[1] moves by at most η · max(1, max_k |x_k|) · max_j Σ_i |W[2]_ij|, with W[2] as it was
    before the step: a bound that grows as W[2] grows (at most η per step), never by a factor.

    ``run``: a :func:`replay_two_layer` run with optimizer "sgd" that trained all four parameters;
    ``x``: the input it used, shape (n,). Returns arrays with one entry per step: ``step`` (1, 2, ...),
    ``output_change`` (the largest |change| of a W[2] or b[2] entry), ``output_bound`` (η),
    ``hidden_change`` (the largest |change| of a W[1] or b[1] entry) and ``hidden_bound``.
    """
    if not isinstance(run, TwoLayerRun) or run.optimizer.name != "sgd" or not run \
            or set(run[0]["optimizer"]) != set(TWO_LAYER_PARAMETERS):
        raise ValueError("run must be a replay_two_layer(optimizer='sgd', ...) run of at least one step that "
                         f"trained all four parameters; got {run!r}"[:200])
    x = as_float_array("x", x, shape=(run.start["W1"].shape[1],))
    lr = run.optimizer.lr

    def largest_change(step, names):
        return max(float(np.abs(step["params"][n] - step["params_before"][n]).max()) for n in names)

    return {
        "step": np.array([step["step"] for step in run]),
        "output_change": np.array([largest_change(step, ("W2", "b2")) for step in run]),
        "output_bound": np.full(len(run), lr),
        "hidden_change": np.array([largest_change(step, ("W1", "b1")) for step in run]),
        "hidden_bound": np.array([lr * max(1.0, float(np.abs(x).max()))
                                  * float(np.abs(step["params_before"]["W2"]).sum(axis=0).max()) for step in run]),
    }


# -- Source 001, number by number ----------------------------------------------------------------

def _source_001_values(run) -> dict:
    """key of SOURCE_001_TWO_LAYER → (the replay's value, the value from the source's own printed inputs or None).

    "From printed inputs" redoes the source's arithmetic on the rounded numbers it printed before,
    which tells a rounding drift (the arithmetic is right) from a slip (the arithmetic is wrong).
    """
    r1, r2 = run[0], run[1]
    x = DEFAULT_TWO_LAYER_X
    W1_0, W2_0 = DEFAULT_TWO_LAYER_PARAMS["W1"], DEFAULT_TWO_LAYER_PARAMS["W2"]
    z_example = np.array([2.0, 1.0, 0.1])
    e, a = np.exp(z_example), softmax(z_example)
    # The source's own rounded numbers, as printed, that later lines build on.
    p = {key: np.asarray(number.printed, dtype=float) for key, number in SOURCE_001_TWO_LAYER.items()
         if number.decimals is not None}

    def products(W, v):  # the four terms of W·v, as the source writes them out
        return [W[0, 0] * v[0], W[0, 1] * v[1], W[1, 0] * v[0], W[1, 1] * v[1]]

    adam = OPTIMIZERS["adam"].defaults
    return {
        "z1": (r1["z1"], None),
        "a1": (r1["a1"], None),
        "W2_a1_terms": (products(W2_0, r1["a1"]), products(W2_0, p["a1"])),
        "z2": (r1["z2"], None),
        "exp_z2": (np.exp(r1["z2"]), None),
        "y_hat": (r1["y_hat"], p["exp_z2"] / p["exp_z2"].sum()),
        "loss": ([r1["loss"]], -np.log(p["y_hat"][:1])),
        "delta2": (r1["delta2"], p["y_hat"] - [1, 0]),
        "grad_W2": (r1["grads"]["W2"], np.outer(p["delta2"], p["a1"])),
        "grad_b2": (r1["grads"]["b2"], p["y_hat"] - [1, 0]),
        "W2T_delta2": (W2_0.T @ r1["delta2"], W2_0.T @ p["delta2"]),
        "tanh_prime": (1 - r1["a1"] ** 2, None),
        "delta1": (r1["delta1"], p["W2T_delta2"][0] * p["tanh_prime"]),
        "grad_W1": (r1["grads"]["W1"], np.outer(p["delta1"], x)),
        "grad_b1": (r1["grads"]["b1"], p["W2T_delta2"][0] * p["tanh_prime"]),
        "W2_after": (r1["params"]["W2"], None),
        "b2_gradient_name": ("∂L/∂b[2]", None),  # the gradient the update uses
        "b2_after": (r1["params"]["b2"], -0.1 * p["delta2"]),
        "W1_after": (r1["params"]["W1"], W1_0 - 0.1 * np.outer(p["delta1"], x)),
        "b1_after": (r1["params"]["b1"], -0.1 * p["delta1"]),
        "example_exp": (e, None),
        "example_sum": ([e.sum()], [p["example_exp"].sum()]),
        "example_softmax": (a, None),
        "example_gradient": (a - [1, 0, 0], None),
        "example_jacobian_row": ([a[0] * (1 - a[0]), -a[0] * a[1], -a[0] * a[2]],
                                 p["example_softmax"][0] * (np.array([1.0, 0.0, 0.0]) - p["example_softmax"])),
        "step2_b1": (r1["params"]["b1"], -0.1 * p["delta1"]),
        "step2_z1": (r2["z1"], p["W1_after"] @ x + p["step2_b1"]),
        "step2_a1": (r2["a1"], np.tanh(p["step2_z1"])),
        "step2_W2_a1_terms": (products(r2["params_before"]["W2"], r2["a1"]), products(p["W2_after"], p["step2_a1"])),
        "step2_z2": (r2["z2"], [p["step2_W2_a1_terms"][0] + p["step2_W2_a1_terms"][1] + p["b2_after"][0],
                                p["step2_W2_a1_terms"][2] + p["step2_W2_a1_terms"][3] + p["b2_after"][1]]),
        "step2_exp_z2": (np.exp(r2["z2"]), np.exp(p["step2_z2"])),
        "step2_exp_sum": ([np.exp(r2["z2"]).sum()], [p["step2_exp_z2"].sum()]),
        "step2_y_hat": (r2["y_hat"], p["step2_exp_z2"] / p["step2_exp_sum"]),
        "step2_loss": ([r2["loss"]], -np.log(p["step2_y_hat"][:1])),
        "step2_delta2": (r2["delta2"], p["step2_y_hat"] - [1, 0]),
        "step2_grad_W2": (r2["grads"]["W2"], np.outer(p["step2_delta2"], p["step2_a1"])),
        "step2_grad_b2": (r2["grads"]["b2"], p["step2_y_hat"] - [1, 0]),
        "step2_W2T_delta2": (r2["params_before"]["W2"].T @ r2["delta2"], p["W2_after"].T @ p["step2_delta2"]),
        "step2_tanh_prime": (1 - r2["a1"] ** 2, 1 - p["step2_a1"] ** 2),
        "step2_delta1": (r2["delta1"], p["step2_W2T_delta2"] * p["step2_tanh_prime"]),
        "step2_grad_W1": (r2["grads"]["W1"], np.outer(p["step2_delta1"], x)),
        "step2_W2_after": (r2["params"]["W2"], p["W2_after"] - 0.1 * p["step2_grad_W2"]),
        "step2_W1_after": (r2["params"]["W1"], p["W1_after"] - 0.1 * np.outer(p["step2_delta1"], x)),
        "adam_settings": ([adam["beta1"], adam["beta2"], adam["eps"]], None),
    }


def _decimals(printed, decimals) -> np.ndarray:
    shape = np.shape(printed)
    return np.broadcast_to(np.asarray(decimals), (int(np.prod(shape)),)).reshape(shape)


def _rounded(values, decimals) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.vectorize(lambda v, d: round(float(v), int(d)))(values, _decimals(values, decimals))


def _show(values, decimals) -> str:
    values = np.asarray(values, dtype=float)
    digits = _decimals(values, decimals)

    def text(v, d):
        return f"{v:.{d}f}" if abs(v) >= 1e-4 or v == 0 else f"{v:g}"

    if values.ndim == 2:
        return "[" + ", ".join("[" + ", ".join(text(v, d) for v, d in zip(row, drow)) + "]"
                               for row, drow in zip(values, digits)) + "]"
    if values.size == 1:
        return text(float(values.ravel()[0]), int(digits.ravel()[0]))
    return "[" + ", ".join(text(v, d) for v, d in zip(values.ravel(), digits.ravel())) + "]"


def _verdict(printed, decimals, value, from_printed) -> str:
    printed = np.asarray(printed, dtype=float)
    if np.array_equal(_rounded(value, decimals), _rounded(printed, decimals)):
        return "holds"
    if from_printed is None:
        return "wrong"
    chain = _rounded(np.reshape(from_printed, printed.shape), decimals)
    if np.array_equal(chain, _rounded(printed, decimals)):
        return "carried over"
    units = np.abs(chain - printed) / 10.0 ** -_decimals(printed, decimals).astype(float)
    return "last-digit slip" if np.max(units) <= 2.5 else "wrong"


def audit_two_layer_source() -> list:
    """Every number source 001 prints for the 2-2-2 network (``helpers.sources.SOURCE_001_TWO_LAYER``),
    beside the replay's value.

    Returns one dict per printed quantity: ``where``, ``quantity``, ``source`` (as printed), ``replay``
    (the replay at the same decimals), ``value`` (full precision), ``verdict`` and ``note``. Verdicts:
    "holds" (the replay shows the same digits); "carried over" (redoing the source's arithmetic on
    the rounded numbers it printed before gives what it prints: the arithmetic is right, the digits
    differ because of earlier rounding or an earlier slip);
    "last-digit slip" (that arithmetic is off by at most 2 in the last digit); "erratum" (a mistake the
    chapter corrects; ``check`` then holds the mechanical verdict, never "holds").
    """
    values = _source_001_values(replay_two_layer(steps=2))
    rows = []
    for key, (where, quantity, printed, decimals, note, erratum) in SOURCE_001_TWO_LAYER.items():
        value, from_printed = values[key]
        if decimals is None:  # a label, not a number
            check = "holds" if printed == value else "wrong"
            source, replay, full = printed, value, None
        else:
            check = _verdict(printed, decimals, value, from_printed)
            source, replay, full = _show(printed, decimals), _show(value, decimals), np.asarray(value, dtype=float)
        rows.append({"where": where, "quantity": quantity, "source": source, "replay": replay, "value": full,
                     "verdict": "erratum" if erratum else check, "check": check, "note": note})
    return rows
