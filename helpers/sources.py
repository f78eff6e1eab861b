"""What the source posts printed, number for number, each with the post it comes from.

The course checks the sources' arithmetic instead of copying it: the numbers typed in here are the
sources' own (rounded as they print them), and the helpers that check them read them from here
(:func:`helpers.network.audit_two_layer_source` for source 001, chapter 10 for source 003).
A post's id is the start of its file name in the course's sources (``SOURCE_POSTS``).
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["SOURCE_POSTS", "SOURCE_001_TWO_LAYER", "SOURCE_003_INIT_TENSORS"]

#: The source posts by id: id → file name.
SOURCE_POSTS = {
    "000": "000_5d6e6fff41ea309e.txt",
    "001": "001_060527e014434766.txt",
    "002": "002_817fa073b5da8671.txt",
    "003": "003_e52da6f4bc462db0.txt",
    "004": "004_06ceb0c396301bc1.txt",
}


class PrintedNumber(NamedTuple):
    """One quantity a source prints: ``where`` in the post, ``quantity`` (its formula), ``printed`` (the
    number, vector or matrix as printed, or a text), ``decimals`` (one number, or one per printed entry where
    the post mixes them; None for a text), and the chapter's reading of it: ``note``, and ``erratum`` (True
    for a mistake the chapter corrects)."""

    where: str
    quantity: str
    printed: object
    decimals: object
    note: str = ""
    erratum: bool = False


_SLIP = "carries the ŷ slip"

#: Source 001 (post 001): every number it prints for the 2-2-2 network (x = [1, 2], y = [1, 0], η = 0.1),
#: its two steps and its softmax example, in the post's order. Keys name the quantity for the audit.
SOURCE_001_TWO_LAYER = {
    "z1": PrintedNumber("step 1 · forward", "z[1] = W[1]·x + b[1]", [0.5, 1.1], 1),
    "a1": PrintedNumber("step 1 · forward", "a[1] = tanh(z[1])", [0.4621, 0.8005], 4),
    "W2_a1_terms": PrintedNumber("step 1 · forward", "terms of W[2]·a[1]", [0.23105, 0.4803, 0.32347, 0.6404],
                                 [5, 4, 5, 4], "products of the rounded a[1]"),
    "z2": PrintedNumber("step 1 · forward", "z[2] = W[2]·a[1] + b[2]", [0.7114, 0.9639], 4),
    "exp_z2": PrintedNumber("step 1 · forward", "exp(z[2])", [2.037, 2.622], 3),
    "y_hat": PrintedNumber("step 1 · forward", "ŷ = softmax(z[2])", [0.4378, 0.5622], 4,
                           "2.037 / 4.659 = 0.4372: an arithmetic slip", True),
    "loss": PrintedNumber("step 1 · loss", "L = −log ŷ1", [0.825], 3,
                          "right value 0.8274 (even −log 0.4378 is 0.826)", True),
    "delta2": PrintedNumber("step 1 · backward", "δ[2] = ŷ − y", [-0.5622, 0.5622], 4, _SLIP),
    "grad_W2": PrintedNumber("step 1 · backward", "∂L/∂W[2] = δ[2]·a[1]ᵀ", [[-0.260, -0.450], [0.260, 0.450]], 3,
                             _SLIP),
    "grad_b2": PrintedNumber("step 1 · backward", "∂L/∂b[2] = δ[2]", [-0.5622, 0.5622], 4, _SLIP),
    "W2T_delta2": PrintedNumber("step 1 · backward", "W[2]ᵀ·δ[2]", [0.1124, 0.1124], 4, _SLIP),
    "tanh_prime": PrintedNumber("step 1 · backward", "tanh′(z[1]) = 1 − tanh²(z[1])", [0.7864, 0.3592], 4),
    "delta1": PrintedNumber("step 1 · backward", "δ[1] = (W[2]ᵀ·δ[2]) ⊙ tanh′(z[1])", [0.0884, 0.0404], 4,
                            "carries the ŷ slip (0.1124 for 0.1126)"),
    "grad_W1": PrintedNumber("step 1 · backward", "∂L/∂W[1] = δ[1]·xᵀ", [[0.0884, 0.1768], [0.0404, 0.0808]], 4),
    "grad_b1": PrintedNumber("step 1 · backward", "∂L/∂b[1] = δ[1]", [0.0884, 0.0404], 4),
    "W2_after": PrintedNumber("step 1 · update", "W[2] − η·∂L/∂W[2]", [[0.526, 0.645], [0.674, 0.755]], 3),
    "b2_gradient_name": PrintedNumber("step 1 · update", "gradient named in the b[2] update", "∂L/∂b[1]", None,
                                      "a label slip: b[2] moves against ∂L/∂b[2]", True),
    "b2_after": PrintedNumber("step 1 · update", "b[2] − η·∂L/∂b[2]", [0.05622, -0.05622], 5, _SLIP),
    "W1_after": PrintedNumber("step 1 · update", "W[1] − η·∂L/∂W[1]", [[0.09116, 0.18232], [0.29596, 0.39192]], 5),
    "b1_after": PrintedNumber("step 1 · update", "b[1] − η·∂L/∂b[1]", [-0.0884, -0.0404], 4,
                              "0.1 × 0.0884 = 0.00884: a factor of 10 (step 2 uses the right value)", True),
    "example_exp": PrintedNumber("softmax example", "exp([2, 1, 0.1])", [7.389, 2.718, 1.105], 3),
    "example_sum": PrintedNumber("softmax example", "S = Σ exp", [11.212], 3, "sum of the rounded terms"),
    "example_softmax": PrintedNumber("softmax example", "a = softmax([2, 1, 0.1])", [0.659, 0.242, 0.099], 3),
    "example_gradient": PrintedNumber("softmax example", "∂L/∂z = a − y", [-0.341, 0.242, 0.099], 3),
    "example_jacobian_row": PrintedNumber("softmax example", "∂a1/∂z (Jacobian row 1)", [0.225, -0.159, -0.065], 3,
                                          "products of the rounded a"),
    "step2_b1": PrintedNumber("step 2 · start", "b[1] after step 1, as step 2 uses it", [-0.00884, -0.00404], 5,
                              "the other parameters repeat step 1's values"),
    "step2_z1": PrintedNumber("step 2 · forward", "z[1]", [0.447, 1.0758], [3, 4], "from step 1's rounded parameters"),
    "step2_a1": PrintedNumber("step 2 · forward", "a[1] = tanh(z[1])", [0.4196, 0.7912], 4,
                              "tanh(0.447) = 0.4194 and tanh(1.0758) = 0.7916: a slip carried through step 2", True),
    "step2_W2_a1_terms": PrintedNumber("step 2 · forward", "terms of W[2]·a[1]", [0.2207, 0.5103, 0.2827, 0.5974], 4,
                                       "0.674 × 0.4196 = 0.2828"),
    "step2_z2": PrintedNumber("step 2 · forward", "z[2] = W[2]·a[1] + b[2]", [0.7872, 0.8239], 4),
    "step2_exp_z2": PrintedNumber("step 2 · forward", "exp(z[2])", [2.197, 2.279], 3),
    "step2_exp_sum": PrintedNumber("step 2 · forward", "Σ exp(z[2])", [4.476], 3),
    "step2_y_hat": PrintedNumber("step 2 · forward", "ŷ", [0.4908, 0.5092], 4),
    "step2_loss": PrintedNumber("step 2 · loss", "L = −log ŷ1", [0.711], 3, "right value 0.7116, which rounds to 0.712"),
    "step2_delta2": PrintedNumber("step 2 · backward", "δ[2] = ŷ − y", [-0.5092, 0.5092], 4),
    "step2_grad_W2": PrintedNumber("step 2 · backward", "∂L/∂W[2] = δ[2]·a[1]ᵀ", [[-0.2138, -0.4028], [0.2138, 0.4028]],
                                   4, "0.5092 × 0.4196 = 0.2137, 0.5092 × 0.7912 = 0.4029"),
    "step2_grad_b2": PrintedNumber("step 2 · backward", "∂L/∂b[2] = δ[2]", [-0.5092, 0.5092], 4),
    "step2_W2T_delta2": PrintedNumber("step 2 · backward", "W[2]ᵀ·δ[2]", [0.0754, 0.0561], 4, "0.110 × 0.5092 = 0.0560"),
    "step2_tanh_prime": PrintedNumber("step 2 · backward", "tanh′(z[1]) = 1 − a[1]²", [0.8239, 0.3739], 4,
                                      "1 − 0.7912² = 0.3740"),
    "step2_delta1": PrintedNumber("step 2 · backward", "δ[1]", [0.0621, 0.0210], 4),
    "step2_grad_W1": PrintedNumber("step 2 · backward", "∂L/∂W[1] = δ[1]·xᵀ", [[0.0621, 0.1242], [0.0210, 0.0420]], 4),
    "step2_W2_after": PrintedNumber("step 2 · SGD update", "W[2] − η·∂L/∂W[2]", [[0.5474, 0.6853], [0.6526, 0.7147]], 4),
    "step2_W1_after": PrintedNumber("step 2 · SGD update", "W[1] − η·∂L/∂W[1]",
                                    [[0.08495, 0.16988], [0.29386, 0.38772]], 5, "0.18232 − 0.01242 = 0.16990"),
    "adam_settings": PrintedNumber("step 2 · Adam", "β1, β2, ε", [0.9, 0.999, 1e-8], [1, 3, 8],
                                   "PyTorch's defaults, as in helpers.Optimizer"),
}

#: The 4 × 6 weight tensors source 003 (post 003, section 四) prints for ``nn.Linear(6, 4)`` (unseeded draws),
#: by the nn.init call that made them: (the scheme in helpers.initialization, its mode, the printed values).
SOURCE_003_INIT_TENSORS = {
    "uniform_": ("uniform", "fan_in", [[0.4080, 0.7444, 0.7616, 0.0565, 0.2589, 0.0562],
                                       [0.1485, 0.9544, 0.3323, 0.9802, 0.1847, 0.6254],
                                       [0.6256, 0.2047, 0.5049, 0.3547, 0.9279, 0.8045],
                                       [0.1994, 0.7670, 0.8306, 0.1364, 0.4395, 0.0412]]),
    "normal_": ("normal", "fan_in", [[1.5321, 0.2394, 0.0622, 0.4482, 0.0757, -0.6056],
                                     [1.0632, 1.8069, 1.1189, 0.2448, 0.8095, -0.3486],
                                     [-0.8975, 1.8253, -0.9931, 0.7488, 0.2736, -1.3892],
                                     [-0.3752, 0.0500, -0.1723, -0.4370, -1.5334, -0.5393]]),
    "xavier_normal_": ("xavier_normal", "fan_in", [[-0.4838, 0.4121, -0.3171, -0.2214, -0.8666, -0.4340],
                                                   [0.1059, 0.6740, -0.1025, -0.1006, 0.5757, -0.1117],
                                                   [0.7467, -0.0554, -0.5593, -0.1513, -0.5867, -0.1564],
                                                   [-0.1058, 0.5266, 0.0243, -0.5646, -0.4982, -0.1844]]),
    "xavier_uniform_": ("xavier_uniform", "fan_in", [[-0.5263, 0.3455, 0.6449, 0.2807, -0.3698, -0.6890],
                                                     [0.1578, -0.3161, -0.1910, -0.4318, -0.5760, 0.3746],
                                                     [0.2017, -0.6320, -0.4060, 0.3903, 0.3103, -0.5881],
                                                     [0.6212, 0.3077, 0.0783, -0.6187, 0.3109, -0.6060]]),
    "kaiming_normal_ (fan_in)": ("he_normal", "fan_in", [[1.4020, 0.2030, 0.3585, -0.7419, 0.6077, 0.0178],
                                                         [-0.2860, -1.2135, 0.0773, -0.3750, -0.5725, 0.9756],
                                                         [0.2938, -0.6159, -1.1721, 0.2093, 0.4212, 0.9079],
                                                         [0.2050, 0.3866, -0.3129, -0.3009, -0.6659, -0.2261]]),
    "kaiming_uniform_ (fan_out)": ("he_uniform", "fan_out", [[-0.1924, -0.6155, -0.7438, -0.2796, -0.1671, -0.2979],
                                                             [0.7609, 0.9836, -0.0961, 0.7139, -0.8044, -0.3827],
                                                             [0.1416, 0.6636, 0.9539, 0.4735, -0.2384, -0.1330],
                                                             [0.7254, -0.4056, -0.7621, -0.6139, -0.6093, -0.2577]]),
}
