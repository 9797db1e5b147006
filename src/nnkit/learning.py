"""How the weights are found: a loss, its gradient, and steps downhill (lesson 7).

Lessons 1 to 6 used weights that someone chose. Training finds them:

1. a **loss** measures how wrong the network's outputs are (``mse`` for numbers,
   ``cross_entropy`` for class probabilities);
2. its **gradient**, one number per weight, says how fast the loss grows when that
   weight grows. **Backpropagation** computes all of them at once by running the
   chain rule backwards through the forward pass that ``Network.trace`` recorded
   (lesson 4): ``activation_backward`` through an activation, ``dense_backward``
   through a layer, ``backward`` through the whole network;
3. **gradient descent** moves every weight a small step against its gradient
   (``gradient_step``), and repeats (``Trainer``).

``numerical_gradient`` measures the same slopes by nudging each number, which is
slow but needs no calculus: the way to check a backward pass.

Shapes follow the course's layout (``W`` is ``(n_out, n_in)``, one row per
neuron); every gradient has the shape of the numbers it belongs to. A layer's
gradients are computed in its weights' dtype, so a float32 network trains in
float32. Over a batch, a loss is the *mean* over the examples, and a layer's
weight and bias gradients are *sums* over the examples (the mean's ``1/n`` is
already in the gradient of the loss).

>>> net = Network.from_sizes([2, 3, 1], seed=0)
>>> x, y = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[1.0], [0.0]])
>>> loss, gradients = loss_and_gradients(net, x, y, "mse")
>>> [(grad_W.shape, grad_b.shape) for grad_W, grad_b in gradients]
[((3, 2), (3,)), ((1, 3), (1,))]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_bias_shape,
    check_callable,
    check_class_labels,
    check_dense_shapes,
    check_gradient_shape,
    check_known_name,
    check_learning_rate,
    check_matrix,
    check_same_shape,
    check_scalar,
)
from nnkit.activations import ACTIVATIONS, activation_name, softmax_jacobian
from nnkit.network import LayerStep, Network

# ------------------------------------------------------------------ losses


def mse(y_pred, y_true) -> float:
    """Mean squared error: the mean of ``(y_pred − y_true)²`` over all elements (lesson 7).

    ``y_pred`` and ``y_true`` must have the same shape (NumPy would otherwise
    broadcast ``(3, 1)`` against ``(3,)`` into nine differences).

    >>> mse([0.5, 2.0, -1.0], [1.0, 2.0, 0.0])
    0.4166666666666667
    """
    y_pred = as_float_array(y_pred, "y_pred")
    y_true = as_float_array(y_true, "y_true")
    check_same_shape(y_pred, y_true, "y_pred", "y_true")
    return float(np.mean((y_pred - y_true) ** 2))


def mse_gradient(y_pred, y_true) -> np.ndarray:
    """The gradient of ``mse`` with respect to ``y_pred``: ``2·(y_pred − y_true) / n`` (lesson 7).

    ``n`` is the number of elements: each one enters the mean with weight
    ``1/n``, and the slope of ``d²`` is ``2·d``. Same shape as ``y_pred``.

    >>> mse_gradient([0.5, 2.0, -1.0], [1.0, 2.0, 0.0]).round(4).tolist()
    [-0.3333, 0.0, -0.6667]
    """
    y_pred = as_float_array(y_pred, "y_pred")
    y_true = as_float_array(y_true, "y_true")
    check_same_shape(y_pred, y_true, "y_pred", "y_true")
    return 2 * (y_pred - y_true) / y_pred.size


def cross_entropy(probabilities, labels) -> float:
    """Mean of ``−log(p)``, ``p`` the probability each example gives its true class (lesson 7).

    ``probabilities`` is a softmax output, one row per example (or one row);
    ``labels`` the true class of each row. A sure right answer (``p = 1``) costs
    0; a sure wrong one (``p → 0``) costs without bound.

    >>> round(cross_entropy([[0.9, 0.1], [0.2, 0.8]], [0, 1]), 4)
    0.1643
    """
    probabilities = as_float_array(probabilities, "probabilities")
    labels = check_class_labels(labels, probabilities)
    rows, labels = np.atleast_2d(probabilities), np.atleast_1d(labels)
    true_class = rows[np.arange(len(rows)), labels]  # each row's probability of its label
    return float(-np.mean(np.log(true_class)))


def cross_entropy_gradient(probabilities, labels) -> np.ndarray:
    """The gradient of ``cross_entropy`` with respect to the probabilities (lesson 7).

    Only each row's true class matters: its entry is ``−1 / (n·p)``, the others
    are 0. Same shape as ``probabilities``. (Through a softmax, the chain rule
    turns this into ``(p − one_hot(labels)) / n`` for the scores.)

    >>> cross_entropy_gradient([[0.5, 0.5], [0.2, 0.8]], [0, 1]).tolist()
    [[-1.0, 0.0], [0.0, -0.625]]
    """
    probabilities = as_float_array(probabilities, "probabilities")
    labels = check_class_labels(labels, probabilities)
    rows, labels = np.atleast_2d(probabilities), np.atleast_1d(labels)
    gradient = np.zeros_like(rows)
    picked = np.arange(len(rows)), labels
    gradient[picked] = -1.0 / (len(rows) * rows[picked])
    return gradient.reshape(probabilities.shape)


LOSSES: dict[str, tuple[Callable, Callable]] = {
    "mse": (mse, mse_gradient),
    "cross_entropy": (cross_entropy, cross_entropy_gradient),
}
"""Each loss by name, with its gradient with respect to the network's output."""


# ------------------------------------------------------- measuring a slope


def numerical_gradient(f, x, eps=1e-5) -> np.ndarray:
    """The slope of ``f`` in every element of ``x``, measured by central differences (lesson 7).

    For each element ``xᵢ``: ``(f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps)``, where
    ``eᵢ`` is 1 at position ``i`` and 0 elsewhere. ``f`` takes an array shaped like
    ``x`` and returns one number. The error of a central difference shrinks
    like ``eps²`` (a one-sided one only like ``eps``). The nudges are made in
    float64 on a copy, so ``x`` is left exactly as it was; the result is float64
    with ``x``'s shape. Slow (two calls of ``f`` per element): a way to check
    a gradient, not to train.

    >>> numerical_gradient(lambda v: float(np.sum(v ** 2)), np.array([1.0, -2.0])).round(6).tolist()
    [2.0, -4.0]
    """
    check_callable(f, "f")
    eps = check_scalar(eps, "eps")
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a small finite number above 0; got {eps}.")
    nudged = as_float_array(x, "x").astype(np.float64)  # a copy: the caller's x stays as it is
    gradient = np.zeros_like(nudged)
    for index in np.ndindex(nudged.shape):
        original = nudged[index]
        nudged[index] = original + eps
        up = check_scalar(f(nudged), "f(x)")
        nudged[index] = original - eps
        down = check_scalar(f(nudged), "f(x)")
        nudged[index] = original  # put the saved value back: adding eps again could round
        gradient[index] = (up - down) / (2 * eps)
    return gradient


# ---------------------------------------------------------- backpropagation


def dense_backward(x, W, b, grad_z) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gradients of one layer ``z = x @ W.T + b`` from ``grad_z = ∂L/∂z`` (lesson 7).

    Returns ``(grad_W, grad_b, grad_x)``, shaped like ``W``, ``b`` and ``x``:

    - ``grad_W = grad_z.T @ x``: weight ``W[i, j]`` carries ``x[j]`` into ``z[i]``,
      so its slope is ``grad_z[i]·x[j]`` (summed over a batch);
    - ``grad_b``: bias ``b[i]`` adds to ``z[i]`` with slope 1, so it is ``grad_z``
      (summed over a batch);
    - ``grad_x = grad_z @ W``: input ``x[j]`` reaches every neuron ``i`` through
      ``W[i, j]``; the paths add up. This is what the layer before receives.

    ``x`` is one input ``(n_in,)`` with ``grad_z`` of shape ``(n_out,)``, or a
    batch ``(batch, n_in)`` with ``grad_z`` of shape ``(batch, n_out)``.

    >>> grad_W, grad_b, grad_x = dense_backward([1.0, 2.0], [[0.5, -1.0]], [0.0], [3.0])
    >>> grad_W.tolist(), grad_b.tolist(), grad_x.tolist()
    ([[3.0, 6.0]], [3.0], [1.5, -3.0])
    """
    W = check_matrix(W, "W")
    b = as_float_array(b, "b", W.dtype)
    x = as_float_array(x, "x", W.dtype)
    check_dense_shapes(x, W, b)
    grad_z = as_float_array(grad_z, "grad_z", W.dtype)
    check_gradient_shape(grad_z, (*x.shape[:-1], W.shape[0]), "grad_z", "z = x @ W.T + b")
    examples, slopes = np.atleast_2d(x), np.atleast_2d(grad_z)  # one input: a batch of one
    grad_W = slopes.T @ examples
    grad_b = slopes.sum(axis=0)
    grad_x = grad_z @ W
    return grad_W, grad_b, grad_x


def activation_backward(activation, z, grad_a) -> np.ndarray:
    """``∂L/∂z`` from ``∂L/∂a`` for ``a = activation(z)``: the chain rule through it (lesson 7).

    An element-wise activation multiplies by its slope, ``grad_a · f′(z)``,
    with the derivatives of lesson 2. Softmax mixes a whole row, each output
    depending on every score, so its matrix of slopes (the Jacobian ``J``, one
    per row) multiplies the row: ``J @ grad_a`` (``J`` is symmetric).
    ``activation`` is a name such as ``"relu"``, the function itself, or ``None``.

    >>> activation_backward("relu", np.array([-1.0, 2.0]), np.array([5.0, 5.0])).tolist()
    [0.0, 5.0]
    """
    name = activation_name(activation)
    if name not in ACTIVATIONS:
        raise ValueError(
            f"backpropagation needs the derivative of the activation; known: "
            f"{', '.join(ACTIVATIONS)}; got {name!r}, whose derivative nnkit does not know."
        )
    z = as_float_array(z, "z")
    grad_a = as_float_array(grad_a, "grad_a", z.dtype)
    check_same_shape(grad_a, z, "grad_a", "z")
    if name == "softmax":
        jacobian = softmax_jacobian(z)  # (n, n), or (batch, n, n)
        return (jacobian @ grad_a[..., None])[..., 0]
    return grad_a * ACTIVATIONS[name].derivative(z)


def backward(steps: list[LayerStep], grad_output) -> list[tuple[np.ndarray, np.ndarray]]:
    """Backpropagation: every layer's ``(grad_W, grad_b)`` from a recorded forward pass (lesson 7).

    ``steps`` is what ``Network.trace(x)`` returned (the input, then each
    layer's ``z`` and ``a``), ``grad_output`` the loss's gradient with respect to
    the network's output ``a_L``. Starting from the last layer, the chain rule
    goes back one layer at a time: through the activation (``activation_backward``),
    then through the weights (``dense_backward``), whose ``grad_x`` is the
    ``grad_a`` of the layer before. Returns the gradients first layer first.

    >>> net = Network.from_sizes([4, 3, 2], seed=0)
    >>> steps = net.trace(np.ones(4))
    >>> [(gW.shape, gb.shape) for gW, gb in backward(steps, np.ones(2))]
    [((3, 4), (3,)), ((2, 3), (2,))]
    """
    grad_a = as_float_array(grad_output, "grad_output", steps[-1].a.dtype)
    check_same_shape(grad_a, steps[-1].a, "grad_output", "the network's output")
    gradients = []
    for index in range(len(steps) - 1, 0, -1):  # the last layer first
        step, before = steps[index], steps[index - 1]
        grad_z = activation_backward(step.layer.activation, step.z, grad_a)
        grad_W, grad_b, grad_a = dense_backward(before.a, step.layer.W, step.layer.b, grad_z)
        gradients.insert(0, (grad_W, grad_b))
    return gradients


def loss_and_gradients(network: Network, x, targets, loss="mse"):
    """The loss of ``network`` on ``(x, targets)`` and each layer's ``(grad_W, grad_b)`` (lesson 7).

    One forward pass (``network.trace``), the loss and its gradient at the
    output, one backward pass. ``loss`` is ``"mse"`` (targets shaped like the
    output) or ``"cross_entropy"`` (targets: class labels, softmax output).

    >>> net = Network.from_sizes([2, 2], output="softmax", seed=1)
    >>> value, gradients = loss_and_gradients(net, [[1.0, 0.0]], [1], "cross_entropy")
    >>> round(value, 4), gradients[0][0].shape
    (0.6985, (2, 2))
    """
    loss_function, loss_gradient = LOSSES[check_known_name(loss, LOSSES, "loss")]
    steps = network.trace(x)
    output = steps[-1].a
    return loss_function(output, targets), backward(steps, loss_gradient(output, targets))


# ---------------------------------------------------------- gradient descent


def gradient_step(W, b, grad_W, grad_b, learning_rate) -> tuple[np.ndarray, np.ndarray]:
    """One step of gradient descent: ``(W − lr·grad_W, b − lr·grad_b)`` as new arrays (lesson 7).

    The gradient points to where the loss grows fastest, so the step goes the
    other way, ``learning_rate`` times as far. ``W`` and ``b`` are not changed.

    >>> W, b = gradient_step([[1.0, 2.0]], [0.5], [[10.0, -10.0]], [1.0], 0.1)
    >>> W.tolist(), b.tolist()
    ([[0.0, 3.0]], [0.4])
    """
    W = check_matrix(W, "W")
    b = as_float_array(b, "b", W.dtype)
    check_bias_shape(b, W)
    grad_W = as_float_array(grad_W, "grad_W", W.dtype)
    grad_b = as_float_array(grad_b, "grad_b", W.dtype)
    check_gradient_shape(grad_W, W.shape, "grad_W", "W")
    check_gradient_shape(grad_b, b.shape, "grad_b", "b")
    learning_rate = check_learning_rate(learning_rate)
    return W - learning_rate * grad_W, b - learning_rate * grad_b


class Trainer:
    """Full-batch gradient descent on a network, one step at a time (lesson 7).

    Each ``step()`` runs the network on all of ``x``, computes the loss and
    every gradient (``loss_and_gradients``) and moves every layer's weights
    with ``gradient_step``. ``losses`` keeps the loss measured at each step,
    before its move. A step whose loss is not a finite number marks the run as
    ``diverged`` (the weights grew without bound); NumPy's overflow warnings
    are not shown during a step, since ``diverged`` says it. The network is
    trained in place.

    >>> net = Network.from_sizes([1, 8, 1], seed=0)
    >>> x = np.linspace(-1.0, 1.0, 20)[:, None]
    >>> trainer = Trainer(net, x, x ** 2, loss="mse", learning_rate=0.1)
    >>> first = trainer.step()
    >>> last = trainer.train(200)
    >>> trainer.steps_done, last < first
    (201, True)
    """

    def __init__(self, network: Network, x, targets, loss="mse", learning_rate=0.1):
        self.network = network
        self.x = as_float_array(x, "x", network.dtype)
        self.targets = targets
        self.loss = check_known_name(loss, LOSSES, "loss")
        self.learning_rate = learning_rate
        self.losses: list[float] = []

    @property
    def learning_rate(self) -> float:
        """How far each step goes, in units of the gradient."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = check_learning_rate(value)

    @property
    def steps_done(self) -> int:
        """How many steps have been taken."""
        return len(self.losses)

    @property
    def diverged(self) -> bool:
        """True once a step's loss was not a finite number."""
        return any(not math.isfinite(value) for value in self.losses[-1:])

    def step(self) -> float:
        """One step of gradient descent on every layer; returns the loss before the step."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value, gradients = loss_and_gradients(self.network, self.x, self.targets, self.loss)
            for layer, (grad_W, grad_b) in zip(self.network.layers, gradients, strict=True):
                layer.W, layer.b = gradient_step(layer.W, layer.b, grad_W, grad_b,
                                                 self.learning_rate)
        self.losses.append(value)
        return value

    def train(self, steps: int) -> float:
        """Take ``steps`` steps (fewer if the run diverges); returns the last loss measured."""
        for _ in range(steps):
            if self.diverged:
                break
            self.step()
        return self.losses[-1] if self.losses else self.current_loss()

    def current_loss(self) -> float:
        """The loss of the network as it is now, without taking a step."""
        loss_function, _ = LOSSES[self.loss]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return loss_function(self.network(self.x), self.targets)

    def __repr__(self) -> str:
        return (f"Trainer({self.loss}, learning rate {self.learning_rate:g}, "
                f"{self.steps_done} steps)")


def two_moons_trainer(learning_rate, neurons=16, seed=0) -> Trainer:
    """Lesson 7's training run: lesson 4's two-moons network, from random weights.

    A ``2 → neurons → neurons → 2`` network (ReLU hidden layers, softmax output),
    He-initialised from ``seed`` with zero biases, to be trained on the 200 points
    of ``nnkit.examples.two_moons_network`` with the cross-entropy loss. The
    lesson's explorer and its challenge both start from here, so the same
    learning rate gives the same losses in both.

    >>> trainer = two_moons_trainer(0.5)
    >>> trainer.network.sizes, trainer.train(20) < trainer.losses[0]
    ([2, 16, 16, 2], True)
    """
    from nnkit.examples import two_moons_network

    _, points, labels = two_moons_network()
    network = Network.from_sizes([2, neurons, neurons, 2], output="softmax", seed=seed)
    return Trainer(network, points, labels, loss="cross_entropy", learning_rate=learning_rate)
