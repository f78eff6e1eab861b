"""PyTorch as the independent reference: the course's optimizers, losses and backprop against torch.

The course itself never imports torch (students do not need it); these tests do. torch comes from the
``reference`` extra, which the test command installs. Outside CI a missing torch skips this file; in CI
(``CI`` set) it fails, so the reference can never silently stop running.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

from helpers import losses
from helpers.softmax import log_softmax, softmax, softmax_jacobian
from helpers.network import DEFAULT_TWO_LAYER_PARAMS, replay_two_layer
from helpers.optimizers import Optimizer

if os.environ.get("CI"):
    import torch  # noqa: F401  (in CI the reference must be there)
else:
    torch = pytest.importorskip("torch", reason="the reference extra (PyTorch) is not installed")
import torch.nn.functional as F  # noqa: E402

RNG = np.random.default_rng(20261203)


def _tensor(array, grad=False):
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=grad)


# -- the five optimizers against torch.optim, 50 steps ------------------------------------------------
def _gradient(w: np.ndarray) -> np.ndarray:
    """A fixed, non-quadratic gradient field: ∇ of Σ (w²·c/2 + sin(3w)), so every step sees a new gradient."""
    c = np.linspace(0.2, 5.0, w.size)
    return c * w + 3 * np.cos(3 * w)


TORCH_FORMS = {
    "sgd": lambda p, h: torch.optim.SGD([p], lr=h["lr"]),
    "momentum": lambda p, h: torch.optim.SGD([p], lr=h["lr"], momentum=h["momentum"]),
    "adagrad": lambda p, h: torch.optim.Adagrad([p], lr=h["lr"], eps=h["eps"]),
    "rmsprop": lambda p, h: torch.optim.RMSprop([p], lr=h["lr"], alpha=h["beta2"], eps=h["eps"]),
    "adam": lambda p, h: torch.optim.Adam([p], lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"]),
}
SETTINGS = [
    ("sgd", {"lr": 0.01}), ("sgd", {"lr": 0.1}),
    ("momentum", {"lr": 0.01, "momentum": 0.9}), ("momentum", {"lr": 0.1, "momentum": 0.5}),
    ("adagrad", {"lr": 0.5}), ("adagrad", {"lr": 0.05, "eps": 1e-7}),
    ("rmsprop", {"lr": 0.01}), ("rmsprop", {"lr": 0.1, "beta2": 0.9, "eps": 1e-6}),
    ("adam", {"lr": 0.001}), ("adam", {"lr": 0.1, "beta1": 0.93, "beta2": 0.9}), ("adam", {"lr": 0.3, "beta1": 0.0}),
]


@pytest.mark.parametrize("name, settings", SETTINGS, ids=[f"{n}-{s}" for n, s in SETTINGS])
def test_optimizer_takes_torch_optims_steps_for_fifty_steps(name, settings):
    optimizer = Optimizer(name, **settings)
    start = RNG.normal(size=6)
    params, state = {"w": start.copy()}, optimizer.init_state({"w": start})
    reference = _tensor(start, grad=True)
    torch_optimizer = TORCH_FORMS[name](reference, optimizer.hyperparameters)
    for step in range(1, 51):
        gradient = _gradient(params["w"])
        params, state, _ = optimizer.step(params, {"w": gradient}, state)
        reference.grad = _tensor(_gradient(reference.detach().numpy()))
        torch_optimizer.step()
        assert np.allclose(params["w"], reference.detach().numpy(), rtol=0, atol=1e-11), f"step {step}"


# -- every loss and its gradient against torch.nn.functional ------------------------------------------
REDUCTIONS = ("mean", "sum", "none")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_from_logits_is_torchs_cross_entropy(reduction):
    logits, labels = RNG.normal(size=(5, 4)) * 3, RNG.integers(0, 4, size=5)
    z = _tensor(logits, grad=True)
    expected = F.cross_entropy(z, torch.tensor(labels), reduction=reduction)
    assert np.allclose(losses.cross_entropy_from_logits(logits, labels, reduction=reduction), expected.detach().numpy(),
                       rtol=1e-12, atol=1e-14)
    expected.sum().backward()
    assert np.allclose(losses.cross_entropy_from_logits_gradient(logits, labels, reduction=reduction), z.grad.numpy(),
                       rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_from_probabilities_is_torchs_nll_of_the_log(reduction):
    probabilities = softmax(RNG.normal(size=(5, 3)))
    labels = RNG.integers(0, 3, size=5)
    p = _tensor(probabilities, grad=True)
    expected = F.nll_loss(torch.log(p), torch.tensor(labels), reduction=reduction)
    assert np.allclose(losses.cross_entropy(probabilities, labels, reduction=reduction), expected.detach().numpy(),
                       rtol=1e-12)
    expected.sum().backward()
    assert np.allclose(losses.cross_entropy_gradient(probabilities, labels, reduction=reduction), p.grad.numpy(),
                       rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_both_forms_are_torchs(reduction):
    logits, targets = RNG.normal(size=(4, 3)) * 2, RNG.uniform(size=(4, 3))
    probabilities = 1 / (1 + np.exp(-logits))
    z, p = _tensor(logits, grad=True), _tensor(probabilities, grad=True)
    from_logits = F.binary_cross_entropy_with_logits(z, _tensor(targets), reduction=reduction)
    from_probabilities = F.binary_cross_entropy(p, _tensor(targets), reduction=reduction)
    assert np.allclose(losses.binary_cross_entropy_from_logits(logits, targets, reduction=reduction),
                       from_logits.detach().numpy(), rtol=1e-12)
    assert np.allclose(losses.binary_cross_entropy(probabilities, targets, reduction=reduction),
                       from_probabilities.detach().numpy(), rtol=1e-12)
    from_logits.sum().backward()
    from_probabilities.sum().backward()
    assert np.allclose(losses.binary_cross_entropy_from_logits_gradient(logits, targets, reduction=reduction),
                       z.grad.numpy(), rtol=1e-12, atol=1e-15)
    assert np.allclose(losses.binary_cross_entropy_gradient(probabilities, targets, reduction=reduction),
                       p.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("ours, grad, theirs", [(losses.mse, losses.mse_gradient, F.mse_loss),
                                                (losses.mae, losses.mae_gradient, F.l1_loss)], ids=["mse", "mae"])
def test_regression_losses_are_torchs(ours, grad, theirs, reduction):
    predictions, targets = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    y_hat = _tensor(predictions, grad=True)
    expected = theirs(y_hat, _tensor(targets), reduction=reduction)
    assert np.allclose(ours(predictions, targets, reduction=reduction), expected.detach().numpy(), rtol=1e-12)
    expected.sum().backward()
    assert np.allclose(grad(predictions, targets, reduction=reduction), y_hat.grad.numpy(), rtol=1e-12)


def test_softmax_log_softmax_jacobian_and_kl_are_torchs():
    z = RNG.normal(size=(3, 5)) * 4
    assert np.allclose(softmax(z), F.softmax(_tensor(z), dim=-1).numpy(), rtol=1e-12)
    assert np.allclose(log_softmax(z), F.log_softmax(_tensor(z), dim=-1).numpy(), rtol=1e-12)
    jacobian = torch.autograd.functional.jacobian(lambda v: F.softmax(v, dim=-1), _tensor(z[0]))
    assert np.allclose(softmax_jacobian(z[0]), jacobian.numpy(), rtol=1e-12, atol=1e-15)
    p, q = softmax(z[0]), softmax(z[1])
    expected = F.kl_div(torch.log(_tensor(q)), _tensor(p), reduction="sum")  # KL(p ‖ q), torch's argument order
    assert losses.kl_divergence(p, q) == pytest.approx(expected.item(), rel=1e-12)


# -- the 2-2-2 network: backprop against autograd, and the source's PyTorch snippet -----------------------
def _torch_two_layer(params):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 2)).double()
    with torch.no_grad():
        for layer, w, b in ((model[0], "W1", "b1"), (model[2], "W2", "b2")):
            layer.weight.copy_(_tensor(params[w]))
            layer.bias.copy_(_tensor(params[b]))
    return model


def test_two_layer_backprop_gradients_are_autograds_at_random_points():
    x, label = torch.tensor([[1.0, 2.0]], dtype=torch.float64), torch.tensor([0])
    for _ in range(20):
        params = {k: RNG.normal(size=np.shape(v)) * 2 for k, v in DEFAULT_TWO_LAYER_PARAMS.items()}
        model = _torch_two_layer(params)
        F.cross_entropy(model(x), label).backward()
        grads = replay_two_layer(steps=1, **params)[0]["grads"]
        for layer, w, b in ((model[0], "W1", "b1"), (model[2], "W2", "b2")):
            assert np.allclose(grads[w], layer.weight.grad.numpy(), rtol=1e-12, atol=1e-14)
            assert np.allclose(grads[b], layer.bias.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_source_001s_pytorch_snippet_with_hand_set_weights_prints_our_sgd_then_adam_parameters():
    """Source 001's closing snippet: one SGD step, then one Adam step (η = 0.1), from the hand-set weights."""
    model = _torch_two_layer(DEFAULT_TWO_LAYER_PARAMS)
    x, label = torch.tensor([[1.0, 2.0]], dtype=torch.float64), torch.tensor([0])
    for optimizer in (torch.optim.SGD(model.parameters(), lr=0.1), torch.optim.Adam(model.parameters(), lr=0.1)):
        optimizer.zero_grad()
        torch.nn.CrossEntropyLoss()(model(x), label).backward()
        optimizer.step()
    after_sgd = replay_two_layer(optimizer="sgd", lr=0.1, steps=1).final_params
    after_adam = replay_two_layer(optimizer="adam", lr=0.1, steps=1, **after_sgd).final_params
    for layer, w, b in ((model[0], "W1", "b1"), (model[2], "W2", "b2")):
        assert np.allclose(layer.weight.detach().numpy(), after_adam[w], rtol=0, atol=1e-12)
        assert np.allclose(layer.bias.detach().numpy(), after_adam[b], rtol=0, atol=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("sizes", [(2, 16, 16, 2), (3, 5, 4), (4, 7, 6, 5, 3)])
def test_mlp_gradients_are_autograds(sizes, activation):
    """Chapter 11's general backward pass against autograd on an nn.Linear stack of the same weights."""
    from helpers.mlp import mlp_gradients, mlp_init

    params = mlp_init(sizes, activation, seed=3)
    params = [(W, RNG.normal(size=b.shape) * 0.3) for W, b in params]  # non-zero biases exercise ∂L/∂b too
    X, y = RNG.normal(size=(9, sizes[0])), RNG.integers(0, sizes[-1], size=9)
    layers = []
    for index, (W, b) in enumerate(params):
        linear = torch.nn.Linear(W.shape[1], W.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(_tensor(W))
            linear.bias.copy_(_tensor(b))
        layers.append(linear)
        if index < len(params) - 1:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    expected = F.cross_entropy(model(_tensor(X)), torch.tensor(y))
    expected.backward()
    loss, grads = mlp_gradients(params, X, y, activation=activation)
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    for (dW, db), linear in zip(grads, [layer for layer in layers if isinstance(layer, torch.nn.Linear)]):
        assert np.allclose(dW, linear.weight.grad.numpy(), rtol=1e-10, atol=1e-14)
        assert np.allclose(db, linear.bias.grad.numpy(), rtol=1e-10, atol=1e-14)
