"""nnkit.learning: losses, gradients, backpropagation and gradient descent (lesson 7).

Every gradient is checked three ways: against a number worked out by hand, against
numerical gradients on random networks (hypothesis), and, where PyTorch is
installed, against PyTorch's autograd on the same weights. CI installs PyTorch (the
bench extra): there the comparison must run, not skip.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nnkit.layers import Dense
from nnkit.learning import (
    Trainer,
    activation_backward,
    backward,
    cross_entropy,
    cross_entropy_gradient,
    dense_backward,
    gradient_step,
    loss_and_gradients,
    mse,
    mse_gradient,
    numerical_gradient,
    two_moons_trainer,
)
from nnkit.network import Network

# --- losses ------------------------------------------------------------------------------


def test_mse_and_its_gradient_by_hand():
    y_pred, y_true = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[0.0, 2.0], [3.0, 1.0]])
    assert mse(y_pred, y_true) == pytest.approx((1 + 0 + 0 + 16) / 4)
    assert mse_gradient(y_pred, y_true).tolist() == [[0.5, 0.0], [0.0, 2.0]]
    assert isinstance(mse(y_pred, y_true), float)


def test_mse_refuses_shapes_that_numpy_would_broadcast():
    with pytest.raises(ValueError, match=r"y_pred has shape \(3, 1\) but y_true has shape \(3,\)"):
        mse(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="same shape"):
        mse_gradient([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="y_true must be numbers"):
        mse([1.0], "1.0")


def test_cross_entropy_is_the_mean_surprise_of_the_true_class():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert cross_entropy(p, [0, 2]) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 2)
    assert cross_entropy(p[0], 1) == pytest.approx(-np.log(0.2))
    assert cross_entropy_gradient(p, [0, 2]) == pytest.approx(
        np.array([[-1 / 1.4, 0.0, 0.0], [0.0, 0.0, -1 / 1.6]]))


@pytest.mark.parametrize(("labels", "words"), [
    ([0, 3], "from 0 to 2"), ([0.0, 1.0], "class indices"), ([0], "shape (2,)"),
    ([-1, 0], "got -1"),
])
def test_cross_entropy_says_what_labels_it_expected(labels, words):
    with pytest.raises(ValueError) as error:
        cross_entropy(np.full((2, 3), 1 / 3), labels)
    assert words in str(error.value)


def test_softmax_then_cross_entropy_gives_p_minus_one_hot_over_n():
    z = np.array([[2.0, -1.0, 0.5], [0.0, 0.3, -0.2]])
    labels = np.array([1, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    grad_z = activation_backward("softmax", z, cross_entropy_gradient(p, labels))
    assert grad_z == pytest.approx((p - np.eye(3)[labels]) / 2)


# --- numerical gradients -------------------------------------------------------------------


def test_numerical_gradient_uses_central_differences_and_leaves_x_alone():
    x = np.array([[0.1, -0.7], [1.3, 2.0]])
    before = x.copy()
    gradient = numerical_gradient(lambda v: float(np.sum(v ** 3)), x, eps=1e-3)
    # a central difference of v³ is off by eps² exactly; a one-sided one by about 3·v·eps
    assert gradient == pytest.approx(3 * x ** 2 + 1e-6, abs=1e-9)
    assert np.array_equal(x, before) and gradient.shape == x.shape


@pytest.mark.parametrize("eps", [0.0, -1e-5, float("nan")])
def test_numerical_gradient_needs_a_positive_step(eps):
    with pytest.raises(ValueError, match="eps must be"):
        numerical_gradient(np.sum, np.ones(2), eps=eps)


def test_numerical_gradient_wants_f_to_return_one_number():
    with pytest.raises(ValueError, match=r"f\(x\) must be a single number"):
        numerical_gradient(lambda v: v * 2, np.ones(2))


# --- one layer -----------------------------------------------------------------------------


def test_dense_backward_by_hand_for_one_input():
    grad_W, grad_b, grad_x = dense_backward([1.0, -2.0], [[1.0, 0.5], [0.0, -1.0], [2.0, 1.0]],
                                            [0.0, 0.0, 0.0], [1.0, 0.0, -0.5])
    assert grad_W.tolist() == [[1.0, -2.0], [0.0, 0.0], [-0.5, 1.0]]
    assert grad_b.tolist() == [1.0, 0.0, -0.5]
    assert grad_x.tolist() == [0.0, 0.0]


def test_a_batch_sums_the_gradients_of_its_examples():
    rng = np.random.default_rng(7)
    x, W, b, grad_z = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4), \
        rng.normal(size=(5, 4))
    grad_W, grad_b, grad_x = dense_backward(x, W, b, grad_z)
    singles = [dense_backward(x[i], W, b, grad_z[i]) for i in range(5)]
    assert grad_W == pytest.approx(sum(s[0] for s in singles))
    assert grad_b == pytest.approx(sum(s[1] for s in singles))
    assert grad_x == pytest.approx(np.stack([s[2] for s in singles]))
    assert (grad_W.shape, grad_b.shape, grad_x.shape) == (W.shape, b.shape, x.shape)


def test_dense_backward_names_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"grad_z has shape \(2,\) but z = x @ W.T \+ b has "
                                         r"shape \(3,\)"):
        dense_backward(np.ones(2), np.ones((3, 2)), np.zeros(3), np.ones(2))
    with pytest.raises(ValueError, match="x has 4 features"):
        dense_backward(np.ones((5, 4)), np.ones((3, 2)), np.zeros(3), np.ones((5, 3)))


def test_an_activation_without_a_known_derivative_is_refused():
    with pytest.raises(ValueError, match=r"known: linear, step, .*got 'double'"):
        def double(z):
            return 2 * z
        activation_backward(double, np.ones(2), np.ones(2))


# --- a whole network, against numerical gradients -----------------------------------------

ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear", "leaky_relu", "gelu", "silu"]


def random_network(seed, sizes, hidden, output):
    rng = np.random.default_rng(seed)
    activations = [hidden] * (len(sizes) - 2) + [output]
    layers = [Dense(rng.normal(size=(n_out, n_in)), rng.normal(scale=0.5, size=n_out), act)
              for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations, strict=True)]
    return Network(layers), rng


def numerical_layer_gradients(network, x, targets, loss):
    """Each layer's (grad_W, grad_b) by nudging its numbers one at a time."""
    def loss_with(layer, name):
        def f(values):
            original = getattr(layer, name)
            setattr(layer, name, values)
            try:
                return loss_and_gradients(network, x, targets, loss)[0]
            finally:
                setattr(layer, name, original)
        return f

    return [(numerical_gradient(loss_with(layer, "W"), layer.W),
             numerical_gradient(loss_with(layer, "b"), layer.b)) for layer in network.layers]


def away_from_kinks(network, x, margin=1e-3):
    """No ReLU-like unit sits within ``margin`` of its kink (where the slope jumps)."""
    kinked = {"relu", "leaky_relu"}
    return all(np.min(np.abs(step.z)) > margin for step in network.trace(x)[1:]
               if step.layer.activation_name in kinked)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1),
       sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
       hidden=st.sampled_from(ACTIVATIONS), batch=st.sampled_from([None, 1, 3]),
       classify=st.booleans())
def test_backpropagation_agrees_with_numerical_gradients(seed, sizes, hidden, batch, classify):
    if classify:
        sizes = [*sizes[:-1], max(sizes[-1], 2)]
    network, rng = random_network(seed, sizes, hidden, "softmax" if classify else None)
    shape = (sizes[0],) if batch is None else (batch, sizes[0])
    x = rng.normal(size=shape)
    assume(away_from_kinks(network, x))
    if classify:
        targets = rng.integers(0, sizes[-1], size=shape[:-1])
        loss = "cross_entropy"
    else:
        targets = rng.normal(size=(*shape[:-1], sizes[-1]))
        loss = "mse"
    _, analytic = loss_and_gradients(network, x, targets, loss)
    numeric = numerical_layer_gradients(network, x, targets, loss)
    for (grad_W, grad_b), (num_W, num_b) in zip(analytic, numeric, strict=True):
        assert grad_W.shape == num_W.shape and grad_b.shape == num_b.shape
        np.testing.assert_allclose(grad_W, num_W, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(grad_b, num_b, rtol=1e-5, atol=1e-7)


def test_backward_returns_one_pair_per_layer_in_order():
    network, rng = random_network(3, [3, 5, 4, 2], "relu", None)
    steps = network.trace(rng.normal(size=(6, 3)))
    gradients = backward(steps, np.ones((6, 2)))
    assert [(gW.shape, gb.shape) for gW, gb in gradients] == [
        ((5, 3), (5,)), ((4, 5), (4,)), ((2, 4), (2,))]
    with pytest.raises(ValueError, match=r"grad_output has shape \(2,\)"):
        backward(steps, np.ones(2))


# --- gradient descent -----------------------------------------------------------------------


def test_gradient_step_goes_downhill_and_returns_new_arrays():
    W, b = np.array([[1.0, -1.0]]), np.array([0.5])
    grad_W, grad_b = np.array([[2.0, -4.0]]), np.array([1.0])
    new_W, new_b = gradient_step(W, b, grad_W, grad_b, 0.25)
    assert new_W.tolist() == [[0.5, 0.0]] and new_b.tolist() == [0.25]
    assert W.tolist() == [[1.0, -1.0]] and b.tolist() == [0.5]
    assert new_W is not W and new_b is not b


@pytest.mark.parametrize(("arguments", "words"), [
    ((np.ones((2, 3)), np.ones(2), np.ones((3, 2)), np.ones(2), 0.1),
     r"grad_W has shape \(3, 2\) but W has shape \(2, 3\)"),
    ((np.ones((2, 3)), np.ones(2), np.ones((2, 3)), np.ones(3), 0.1),
     r"grad_b has shape \(3,\) but b has shape \(2,\)"),
    ((np.ones((2, 3)), np.ones(2), np.ones((2, 3)), np.ones(2), 0.0), "above 0; got 0.0"),
])
def test_gradient_step_says_what_does_not_fit(arguments, words):
    with pytest.raises(ValueError, match=words):
        gradient_step(*arguments)


def test_float32_trains_in_float32():
    network = Network.from_sizes([2, 4, 1], seed=0, dtype="float32")
    x = np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32)
    _, gradients = loss_and_gradients(network, x, np.zeros((8, 1), np.float32), "mse")
    assert {g.dtype.name for pair in gradients for g in pair} == {"float32"}
    trainer = Trainer(network, x, np.zeros((8, 1), np.float32), loss="mse", learning_rate=0.1)
    trainer.train(3)
    assert {p.dtype.name for p in network.parameters()} == {"float32"}


def test_the_trainer_lowers_the_loss_and_counts_its_steps():
    trainer = two_moons_trainer(0.5, neurons=8)
    trainer.train(100)
    assert trainer.steps_done == 100 and trainer.losses[-1] < 0.5 * trainer.losses[0]
    assert not trainer.diverged
    assert trainer.current_loss() < trainer.losses[-1]
    assert repr(trainer) == "Trainer(cross_entropy, learning rate 0.5, 100 steps)"


def test_a_diverging_run_is_noticed_and_stops():
    network = Network.from_sizes([1, 1], seed=0)
    x = np.linspace(-3.0, 3.0, 20)[:, None]
    trainer = Trainer(network, x, 2 * x, loss="mse", learning_rate=10.0)
    trainer.train(1000)
    assert trainer.diverged and trainer.steps_done < 1000
    assert not np.isfinite(trainer.losses[-1])


def test_the_trainer_names_unknown_losses_and_bad_rates():
    network = Network.from_sizes([1, 1], seed=0)
    with pytest.raises(ValueError, match="unknown loss 'mae'"):
        Trainer(network, [[1.0]], [[1.0]], loss="mae")
    trainer = Trainer(network, [[1.0]], [[1.0]])
    with pytest.raises(ValueError, match="learning_rate must be"):
        trainer.learning_rate = -1


# --- against PyTorch's autograd ---------------------------------------------------------------


def _torch():
    if os.environ.get("CI") == "true":
        import torch  # CI installs the bench extra: the comparison must run there

        return torch
    return pytest.importorskip("torch", reason="PyTorch is optional (pip install -e '.[bench]')")


@pytest.mark.parametrize(("sizes", "hidden", "classify"), [
    ([3, 5, 4, 2], "relu", True), ([2, 6, 1], "tanh", False), ([4, 3, 3, 3], "sigmoid", True),
    ([2, 16, 16, 2], "relu", True),
])
def test_backpropagation_agrees_with_pytorch_autograd(sizes, hidden, classify):
    torch = _torch()
    network, rng = random_network(11, sizes, hidden, "softmax" if classify else None)
    x = rng.normal(size=(7, sizes[0]))
    targets = (rng.integers(0, sizes[-1], size=7) if classify
               else rng.normal(size=(7, sizes[-1])))
    loss_name = "cross_entropy" if classify else "mse"
    ours, gradients = loss_and_gradients(network, x, targets, loss_name)

    parameters = [torch.tensor(p, dtype=torch.float64, requires_grad=True)
                  for p in network.parameters()]
    activation = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[hidden]
    a = torch.tensor(x)
    for index in range(len(network.layers)):
        W, b = parameters[2 * index], parameters[2 * index + 1]
        a = torch.nn.functional.linear(a, W, b)  # the same layout: W is (n_out, n_in)
        if index < len(network.layers) - 1:
            a = activation(a)
    if classify:
        theirs = torch.nn.functional.cross_entropy(a, torch.tensor(targets))
    else:
        theirs = torch.nn.functional.mse_loss(a, torch.tensor(targets))
    theirs.backward()

    assert ours == pytest.approx(theirs.item(), rel=1e-12)
    for mine, parameter in zip([g for pair in gradients for g in pair], parameters, strict=True):
        np.testing.assert_allclose(mine, parameter.grad.numpy(), rtol=1e-9, atol=1e-12)
