"""Chapter 5's exercises: the 2-2-2 network, one step by hand."""
import numpy as np

from ..losses import cross_entropy_from_logits
from ..network import DEFAULT_TWO_LAYER_PARAMS, replay_two_layer
from .core import NumberExercise, register


def _b2_after_sgd_then_adam() -> np.ndarray:
    after_sgd = replay_two_layer(steps=1)[0]["params"]
    return replay_two_layer(optimizer="adam", lr=0.1, steps=1, **after_sgd)[0]["params"]["b2"]


register(NumberExercise(
    "05.delta1_hidden_unit1",
    prompt="δ^{[1]} of hidden unit 1 at step 1",
    answer=lambda: replay_two_layer(steps=1)[0]["delta1"][0],
    tolerance=2e-4,
    hint="Column 1 of W^{[2]} is (0.5, 0.7); δ^{[2]} = (−0.5628, 0.5628); tanh′(0.5) = 1 − 0.4621².",
    solution="$δ^{[1]}_1$ = (0.5·(−0.5628) + 0.7·0.5628)·0.7864 = 0.1126·0.7864 ≈ 0.0885 "
             "(the source's 0.0884 comes from its rounded 0.1124).",
))

register(NumberExercise(
    "05.lowest_loss_layer2_frozen",
    prompt="the lowest loss with layer 2 frozen",
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
    prompt="b^{[2]} after the SGD step and then the Adam step",
    answer=_b2_after_sgd_then_adam,
    tolerance=1e-4,
    hint="After SGD, b^{[2]} = (0.05628, −0.05628). The step-2 gradient of b^{[2]} is δ^{[2]} = (−0.5091, 0.5091); "
         "a fresh Adam moves each entry by 0.1 against the sign of its gradient.",
    solution="$b^{[2]}$ = (0.05628 + 0.1, −0.05628 − 0.1) = (0.15628, −0.15628): the size 0.5091 of the gradient "
             "plays no part in Adam's first step.",
))
