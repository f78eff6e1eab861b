"""Chapter 5's exercises: the 2-2-2 network, one step by hand, and the backward pass as code."""
import numpy as np

from ..losses import cross_entropy_from_logits
from ..network import (DEFAULT_TWO_LAYER_PARAMS, DEFAULT_TWO_LAYER_X, DEFAULT_TWO_LAYER_Y, backward_two_layer,
                       forward_two_layer, replay_two_layer)
from .core import CodeExercise, Mistake, NumberExercise, matches, random_cases, register


def _b2_after_sgd_then_adam() -> np.ndarray:
    after_sgd = replay_two_layer(steps=1)[0]["params"]
    return replay_two_layer(optimizer="adam", lr=0.1, steps=1, **after_sgd)[0]["params"]["b2"]


register(NumberExercise(
    "05.delta1_other_label",
    prompt="δ^{[1]} of hidden unit 1 at step 1 if the label were class 2, y = (0, 1), to four decimals",
    answer=lambda: replay_two_layer(y=[0.0, 1.0], steps=1)[0]["delta1"][0],
    tolerance=2e-4,
    hint="The forward pass does not change, only δ[2] = ŷ − y with the new y = (0, 1): ŷ = (0.4372, 0.5628). "
         "Column 1 of W[2] is (0.5, 0.7); tanh′(0.5) = 1 − 0.4621².",
    solution="δ[2] = (0.4372, 0.5628) − (0, 1) = (0.4372, −0.4372); δ[1]_1 = (0.5·0.4372 + 0.7·(−0.4372))·0.7864 "
             "= (−0.0874)·0.7864 ≈ −0.0688: the other sign of step 1's 0.0885, and smaller in size, because the "
             "label now agrees with the class the network already leans to (ŷ_2 = 0.5628).",
))

register(NumberExercise(
    "05.lowest_loss_layer2_frozen",
    prompt="the lowest loss with layer 2 frozen, to three decimals",
    # layer 2 frozen (b^{[2]} = 0): the loss is lowest when tanh saturates both hidden units at −1
    answer=lambda: cross_entropy_from_logits(DEFAULT_TWO_LAYER_PARAMS["W2"] @ np.array([-1.0, -1.0]), 0),
    tolerance=1e-3,
    hint="The gap z^{[2]}_1 − z^{[2]}_2 = −0.2·a^{[1]}_1 − 0.2·a^{[1]}_2 is largest when both entries of a^{[1]} "
         "are −1.",
    solution="A gap of 0.4 gives L = log(1 + e^−0.4) ≈ 0.5130: the floor the 'layer 1 only' curve flattens onto "
             "in the slider panel.",
))

register(NumberExercise(
    "05.b2_after_sgd_then_adam",
    prompt="b^{[2]} after the SGD step and then the Adam step, to four decimals",
    answer=_b2_after_sgd_then_adam,
    tolerance=1e-4,
    hint="Two moves in a row: first the SGD step of section 4, then a fresh Adam's first step from there. Section 7 "
         "says how far that Adam step moves every parameter, and in which direction.",
    solution="$b^{[2]}$ = (0.05628 + 0.1, −0.05628 − 0.1) = (0.15628, −0.15628): the size 0.5091 of the gradient "
             "plays no part in Adam's first step.",
))


def _worked_example() -> dict:
    """The worked example as keyword arguments: x, y and the four starting parameters (fresh copies)."""
    return {"x": DEFAULT_TWO_LAYER_X.copy(), "y": DEFAULT_TWO_LAYER_Y.copy(),
            **{name: array.copy() for name, array in DEFAULT_TWO_LAYER_PARAMS.items()}}


def _random_network(rng) -> dict:
    """A network of random size (2-3 inputs, 2-4 hidden units, 2-3 classes), weights and one-hot label."""
    n, h, k = (int(v) for v in rng.integers([2, 2, 2], [4, 5, 4]))
    return {"x": rng.normal(size=n), "y": np.eye(k)[rng.integers(k)], "W1": rng.normal(size=(h, n)),
            "b1": rng.normal(size=h), "W2": rng.normal(size=(k, h)), "b2": rng.normal(size=k)}


def _backprop(case) -> dict:
    """forward_two_layer and backward_two_layer at one case, with z1, a1, ŷ, δ^{[2]}, δ^{[1]} and the gradients."""
    forward = forward_two_layer(case["x"], case["W1"], case["b1"], case["W2"], case["b2"], y=case["y"])
    return {**forward, **backward_two_layer(case["x"], case["y"], forward, case["W2"])}


def _backsent(case) -> np.ndarray:
    """W^{[2]ᵀ} δ^{[2]}: the output error sent back to the hidden units, before tanh′."""
    return case["W2"].T @ _backprop(case)["delta2"]


# -- code exercises ----------------------------------------------------------------------------------

register(CodeExercise(
    "05.error_terms",
    prompt="the error terms δ^{[2]} = ∂L/∂z^{[2]} and δ^{[1]} = ∂L/∂z^{[1]} of the two-layer tanh-softmax network",
    signature="error_terms(x, y, W1, b1, W2, b2)",
    reference=lambda x, y, W1, b1, W2, b2: (lambda r: (r["delta2"], r["delta1"]))(
        _backprop(dict(x=x, y=y, W1=W1, b1=b1, W2=W2, b2=b2))),
    outputs=["δ^{[2]}", "δ^{[1]}"],
    cases=[_worked_example()] + random_cases(_random_network, n=5, seed=5),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, -want), "check the sign of δ^{[2]} = ŷ − y (prediction minus label)"),
        Mistake(lambda got, want, case: matches(got, _backsent(case) * _backprop(case)["a1"]),
                "multiply by tanh′(z^{[1]}) = 1 − a^{[1]}² (1 − a², not a)"),
        Mistake(lambda got, want, case: matches(got, _backsent(case) * (1 - _backprop(case)["z1"] ** 2)),
                "tanh′(z) = 1 − tanh²(z) = 1 − a^{[1]}²: square the activation a^{[1]}, not z^{[1]}"),
        Mistake(lambda got, want, case: matches(got, _backsent(case)),
                "the error must also pass through tanh: multiply W^{[2]ᵀ}δ^{[2]} by 1 − a^{[1]}² entry by entry"),
        Mistake(lambda got, want, case: case["W2"].shape[0] == case["W2"].shape[1] and matches(
            got, (case["W2"] @ _backprop(case)["delta2"]) * (1 - _backprop(case)["a1"] ** 2)),
                "use W^{[2]ᵀ}, not W^{[2]}: the error goes back along the weights it came through (W2.T @ delta2)"),
    ],
    hint="Forward first (z^{[1]}, a^{[1]} = tanh z^{[1]}, z^{[2]}, ŷ = softmax z^{[2]}); then δ^{[2]} = ŷ − y and "
         "δ^{[1]} = (W^{[2]ᵀ} δ^{[2]}) ⊙ (1 − a^{[1]}²).",
    tolerance=1e-8,
    solution="""The forward pass gives a^{[1]} and ŷ; the backward pass needs nothing else.

```python
def error_terms(x, y, W1, b1, W2, b2):
    a1 = np.tanh(W1 @ x + b1)
    z2 = W2 @ a1 + b2
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()   # softmax, shifted for safety
    delta2 = y_hat - y                                             # δ^{[2]} = ŷ − y
    delta1 = (W2.T @ delta2) * (1 - a1 ** 2)                       # δ^{[1]} = (W^{[2]ᵀ} δ^{[2]}) ⊙ tanh′(z^{[1]})
    return delta2, delta1
```

On the worked example δ^{[2]} = (−0.5628, 0.5628) and δ^{[1]} = (0.0885, 0.0404).""",
))

register(CodeExercise(
    "05.two_layer_gradients",
    prompt="the four gradients ∂L/∂W^{[1]}, ∂L/∂b^{[1]}, ∂L/∂W^{[2]}, ∂L/∂b^{[2]} of the two-layer network",
    signature="two_layer_gradients(x, y, W1, b1, W2, b2)",
    reference=lambda x, y, W1, b1, W2, b2: (lambda g: (g["W1"], g["b1"], g["W2"], g["b2"]))(
        _backprop(dict(x=x, y=y, W1=W1, b1=b1, W2=W2, b2=b2))["grads"]),
    outputs=["∂L/∂W^{[1]}", "∂L/∂b^{[1]}", "∂L/∂W^{[2]}", "∂L/∂b^{[2]}"],
    cases=[_worked_example()] + random_cases(_random_network, n=5, seed=6),
    mistakes=[
        Mistake(lambda got, want, case: matches(got, -want), "check the sign of δ^{[2]} = ŷ − y (prediction minus label)"),
        Mistake(lambda got, want, case: matches(got, np.transpose(want)),
                "∂L/∂W^{[l]} = δ^{[l]} a^{[l−1]}ᵀ has one row per unit of layer l: np.outer(delta, a), not np.outer(a, delta)"),
        Mistake(lambda got, want, case: matches(got, np.outer(_backprop(case)["delta1"], _backprop(case)["a1"])),
                "layer 1's input is x: ∂L/∂W^{[1]} = δ^{[1]} xᵀ, not δ^{[1]} a^{[1]ᵀ}"),
        Mistake(lambda got, want, case: matches(got, np.outer(_backprop(case)["delta2"], case["x"])),
                "layer 2's input is a^{[1]}: ∂L/∂W^{[2]} = δ^{[2]} a^{[1]ᵀ}, not δ^{[2]} xᵀ"),
        Mistake(lambda got, want, case: case["W2"].shape[0] == case["W2"].shape[1] and matches(
            got, np.outer((case["W2"] @ _backprop(case)["delta2"]) * (1 - _backprop(case)["a1"] ** 2), case["x"])),
                "use W^{[2]ᵀ}, not W^{[2]}, to send δ^{[2]} back: δ^{[1]} = (W^{[2]ᵀ} δ^{[2]}) ⊙ (1 − a^{[1]}²)"),
        Mistake(lambda got, want, case: matches(got, np.outer(_backsent(case) * _backprop(case)["a1"], case["x"])),
                "multiply by tanh′(z^{[1]}) = 1 − a^{[1]}² (1 − a², not a)"),
    ],
    hint="δ^{[2]} = ŷ − y and δ^{[1]} = (W^{[2]ᵀ} δ^{[2]}) ⊙ (1 − a^{[1]}²); then each weight gradient is "
         "δ^{[l]} times the layer's input, transposed (np.outer), and each bias gradient is δ^{[l]}.",
    tolerance=1e-8,
    solution="""Every weight's gradient is "the error where it arrives × the signal it carries".

```python
def two_layer_gradients(x, y, W1, b1, W2, b2):
    a1 = np.tanh(W1 @ x + b1)
    z2 = W2 @ a1 + b2
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    delta2 = y_hat - y
    delta1 = (W2.T @ delta2) * (1 - a1 ** 2)
    return np.outer(delta1, x), delta1, np.outer(delta2, a1), delta2
```

On the worked example ∂L/∂W^{[1]} = [[0.0885, 0.1770], [0.0404, 0.0809]] and ∂L/∂W^{[2]} = [[−0.2601, −0.4505], [0.2601, 0.4505]].""",
))
