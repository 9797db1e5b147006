"""A fully connected (dense) layer: many neurons reading the same input (lesson 3).

A layer of ``n_out`` neurons, each with ``n_in`` weights, stores its weights
as a matrix ``W`` of shape ``(n_out, n_in)``, one row per neuron, and its
biases as a vector ``b`` of shape ``(n_out,)`` (PyTorch's ``nn.Linear`` layout).

- One input ``x`` of shape ``(n_in,)`` gives ``W @ x + b``, shape ``(n_out,)``.
- A batch ``X`` of shape ``(batch, n_in)``, one example per row, gives
  ``X @ W.T + b``, shape ``(batch, n_out)``: row ``i`` is the layer's output
  for example ``i``.

Both are computed as ``x @ W.T + b``. Shapes that do not fit raise a
``ValueError`` naming them. NaN and infinity propagate as in NumPy.

>>> layer = Dense([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], [0.1, -0.2, 0.0], "relu")
>>> layer
Dense(2 → 3, relu)
>>> np.round(layer([1.0, 2.0]), 3).tolist()
[0.1, 0.8, 0.7]
"""

from __future__ import annotations

import math

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_bias_shape,
    check_dense_shapes,
    check_dtype_name,
    check_layer_chain,
    check_matrix,
    check_positive_int,
)
from nnkit.activations import activation_name, get_activation

_RELU_FAMILY = frozenset({"relu", "leaky_relu", "gelu", "silu"})


class Dense:
    """A fully connected layer ``activation(x @ W.T + b)`` (lesson 3).

    ``W`` has shape ``(n_out, n_in)`` (one row per neuron), ``b`` shape
    ``(n_out,)``; ``activation`` is a name such as ``"relu"``, a function, or
    ``None`` for none. The layer computes in ``W``'s dtype and keeps its own
    copy of ``W`` and ``b``: change them through ``layer.W`` and ``layer.b``
    (in place, ``layer.W[0, 1] = 0.5``, or by assigning a new array, which is
    checked like the first one).

    >>> layer = Dense(np.ones((3, 2)), np.zeros(3), activation="relu")
    >>> layer.n_in, layer.n_out, layer.n_params
    (2, 3, 9)
    >>> layer(np.ones((5, 2))).shape
    (5, 3)
    """

    def __init__(self, W, b, activation=None):
        self._W = check_matrix(W, "W").copy()
        self.b = b
        self.activation = activation

    def __call__(self, x) -> np.ndarray:
        """The layer's output ``activation(x @ W.T + b)``."""
        return self.activation(self.linear(x))

    def linear(self, x) -> np.ndarray:
        """The pre-activations ``z = x @ W.T + b`` for one input or a batch.

        >>> Dense([[1.0, 2.0]], [0.5]).linear([[1.0, 1.0], [0.0, 1.0]]).tolist()
        [[3.5], [2.5]]
        """
        x = as_float_array(x, "x", self.dtype)
        check_dense_shapes(x, self.W, self.b)
        return x @ self.W.T + self.b

    @property
    def W(self) -> np.ndarray:
        """The weights, shape ``(n_out, n_in)``, one row per neuron."""
        return self._W

    @W.setter
    def W(self, W) -> None:
        W = check_matrix(W, "W", self.dtype)
        check_bias_shape(self.b, W)
        self._W = W.copy()

    @property
    def b(self) -> np.ndarray:
        """The biases, shape ``(n_out,)``, one per neuron."""
        return self._b

    @b.setter
    def b(self, b) -> None:
        b = as_float_array(b, "b", self.dtype)
        check_bias_shape(b, self.W)
        self._b = b.copy()

    @property
    def activation(self):
        """The activation function (assign a name, a function or ``None`` to change it)."""
        return self._activation

    @activation.setter
    def activation(self, activation) -> None:
        self._activation = get_activation(activation)

    @property
    def activation_name(self) -> str:
        """The activation's name, as the lessons write it: ``"relu"``, ``"linear"``..."""
        return activation_name(self.activation)

    @classmethod
    def random(cls, n_in, n_out, activation=None, rng=None, dtype="float64") -> Dense:
        """A layer with random weights and zero biases (lesson 4).

        Weights are drawn from a normal distribution with standard deviation
        ``initial_weight_scale(n_in, n_out, activation)`` (He for the ReLU
        family, Glorot otherwise). ``rng`` is a ``numpy.random.Generator``, a
        seed, or ``None`` for fresh randomness.

        >>> layer = Dense.random(784, 256, "relu", rng=0, dtype="float32")
        >>> layer, layer.W.dtype.name, round(float(layer.W.std()), 2)
        (Dense(784 → 256, relu), 'float32', 0.05)
        """
        n_in = check_positive_int(n_in, "n_in")
        n_out = check_positive_int(n_out, "n_out")
        dtype = check_dtype_name(dtype)
        rng = np.random.default_rng(rng)
        scale = initial_weight_scale(n_in, n_out, activation)
        W = rng.normal(0.0, scale, size=(n_out, n_in)).astype(dtype)
        return cls(W, np.zeros(n_out, dtype=dtype), activation)

    @property
    def n_in(self) -> int:
        """Number of inputs each neuron reads (columns of ``W``)."""
        return self.W.shape[1]

    @property
    def n_out(self) -> int:
        """Number of neurons (rows of ``W``)."""
        return self.W.shape[0]

    @property
    def n_params(self) -> int:
        """Weights plus biases: ``n_out·n_in + n_out``."""
        return self.W.size + self.b.size

    @property
    def dtype(self) -> np.dtype:
        """The float type the layer computes in."""
        return self.W.dtype

    def parameters(self) -> list[np.ndarray]:
        """The layer's arrays, ``[W, b]``.

        >>> [p.shape for p in Dense(np.ones((3, 2)), np.zeros(3)).parameters()]
        [(3, 2), (3,)]
        """
        return [self.W, self.b]

    def __repr__(self) -> str:
        return f"Dense({self.n_in} → {self.n_out}, {self.activation_name})"


def initial_weight_scale(n_in, n_out, activation=None) -> float:
    """Standard deviation for a layer's random initial weights (lesson 4).

    He: ``√(2/n_in)`` for ReLU-like activations, which zero about half of
    their inputs; Glorot (Xavier): ``√(2/(n_in + n_out))`` otherwise. Either
    keeps the size of the signal roughly constant from layer to layer.

    >>> round(initial_weight_scale(50, 10, "relu"), 3), round(initial_weight_scale(50, 50), 3)
    (0.2, 0.141)
    """
    if activation_name(activation) in _RELU_FAMILY:
        return math.sqrt(2.0 / n_in)
    return math.sqrt(2.0 / (n_in + n_out))


def dense(x, W, b, activation=None) -> np.ndarray:
    """One fully connected layer, ``activation(x @ W.T + b)`` (lesson 3).

    ``x`` is one input ``(n_in,)`` or a batch ``(batch, n_in)``; ``activation``
    a function, a name, or ``None`` (identity).

    >>> W = [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]]
    >>> np.round(dense([1.0, 2.0], W, [0.1, -0.2, 0.0], "relu"), 3).tolist()
    [0.1, 0.8, 0.7]
    >>> dense([[1.0, 2.0, 3.0]], W, [0.1, -0.2, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: x has 3 features (x.shape=(1, 3)), but W expects 2 (W.shape=(3, 2)).
    """
    W = check_matrix(W, "W")
    b = as_float_array(b, "b")
    x = as_float_array(x, "x")
    check_dense_shapes(x, W, b)
    return get_activation(activation)(x @ W.T + b)


def collapse_linear(W1, b1, W2, b2) -> tuple[np.ndarray, np.ndarray]:
    """The single linear layer equal to two stacked linear layers (lesson 3).

    ``W2 @ (W1 @ x + b1) + b2 = (W2 @ W1) @ x + (W2 @ b1 + b2)``: without an
    activation in between, depth buys nothing.

    >>> W, b = collapse_linear([[1, 2], [3, 4]], [0, 0], [[0.5, -1], [1.5, 0.5]], [0, 0])
    >>> W.tolist(), b.tolist()
    ([[-2.5, -3.0], [3.0, 5.0]], [0.0, 0.0])
    """
    W1, W2 = check_matrix(W1, "W1"), check_matrix(W2, "W2")
    b1, b2 = as_float_array(b1, "b1"), as_float_array(b2, "b2")
    check_bias_shape(b1, W1)
    check_bias_shape(b2, W2)
    check_layer_chain([W1.shape, W2.shape])
    return W2 @ W1, W2 @ b1 + b2


def xor_network() -> list[tuple[np.ndarray, np.ndarray]]:
    """Weights ``[(W1, b1), (W2, b2)]`` of a 2 → 2 → 1 network computing XOR (lesson 3).

    The hidden ReLUs compute ``h₁ = relu(x₁ + x₂)`` and ``h₂ = relu(x₁ + x₂ − 1)``,
    the linear output ``h₁ − 2·h₂``: 0, 1, 1, 0 on the four corners. No single
    neuron can do this, because XOR is not linearly separable.

    >>> (W1, b1), (W2, b2) = xor_network()
    >>> corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> dense(dense(corners, W1, b1, "relu"), W2, b2).ravel().tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0, -2.0]])
    b2 = np.array([0.0])
    return [(W1, b1), (W2, b2)]
