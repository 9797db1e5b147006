"""One artificial neuron: a weighted sum and an activation (lesson 1).

A neuron multiplies each input by a weight, adds the products and a bias,
``z = w·x + b``, and passes ``z`` through an activation function.

Inputs may be a list or an array of shape ``(n,)`` (one example) or
``(batch, n)`` (one example per row). NaN and infinity in the inputs propagate
as they do in NumPy.

>>> round(weighted_sum([2, 3, -1], [0.5, -0.2, 0.8], 0.1), 10)
-0.3
>>> Neuron([0.5, -0.2, 0.8], 0.1, activation="relu")
Neuron(3 → 1, relu)
"""

from __future__ import annotations

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_one_or_batch,
    check_same_length,
    check_scalar,
    check_vector,
)
from nnkit.activations import activation_name, get_activation


def weighted_sum(x, w, b):
    """``z = Σ wᵢ·xᵢ + b`` (lesson 1).

    A Python float for one input ``x`` of shape ``(n,)``; an array of shape
    ``(batch,)`` for a batch of shape ``(batch, n)``. ``ValueError`` when ``x``
    and ``w`` differ in length.

    >>> round(weighted_sum([2, 3, -1], [0.5, -0.2, 0.8], 0.1), 10)
    -0.3
    >>> np.round(weighted_sum([[6, 8], [2, 4]], [0.7, 0.3], -4), 3).tolist()
    [2.6, -1.4]
    """
    w = check_vector(w, "w")
    x = check_one_or_batch(as_float_array(x, "x"))
    check_same_length(x, w, "x", "w")
    z = x @ w + check_scalar(b, "b")
    return float(z) if z.ndim == 0 else z


def neuron(x, w, b, activation):
    """A neuron's output, ``activation(weighted_sum(x, w, b))`` (lesson 1).

    ``activation`` is a function, a name such as ``"relu"``, or ``None`` (no activation).

    >>> float(neuron([2, 3, -1], [0.5, -0.2, 0.8], 0.1, "relu"))
    0.0
    >>> round(float(neuron([6, 8], [0.7, 0.3], -4, "sigmoid")), 2)
    0.93
    """
    return get_activation(activation)(weighted_sum(x, w, b))


class Neuron:
    """A neuron with its own weights ``w``, bias ``b`` and activation (lesson 1).

    Call it on an input to get its output.

    >>> exam = Neuron([0.7, 0.3], -4.0, activation="sigmoid")
    >>> round(float(exam([6, 8])), 2)
    0.93
    >>> exam.n_params
    3
    """

    def __init__(self, w, b, activation="sigmoid"):
        self.w = check_vector(w, "w")
        self.b = check_scalar(b, "b")
        self.activation = get_activation(activation)
        self.activation_name = activation_name(self.activation)

    def __call__(self, x):
        """The neuron's output for one input ``(n,)`` or a batch ``(batch, n)``."""
        return self.activation(weighted_sum(x, self.w, self.b))

    def parameters(self) -> list:
        """The weights and the bias, ``[w, b]``.

        >>> [np.size(p) for p in Neuron([1.0, 2.0], 0.5).parameters()]
        [2, 1]
        """
        return [self.w, self.b]

    @property
    def n_params(self) -> int:
        """Number of parameters: one weight per input plus the bias."""
        return self.w.size + 1

    def __repr__(self) -> str:
        return f"Neuron({self.w.size} → 1, {self.activation_name})"


def and_gate():
    """Weights and bias ``(w, b)`` making ``step(w·x + b)`` compute ``x₁ AND x₂`` (lesson 1).

    Only ``(1, 1)`` gives ``1 + 1 − 1.5 > 0``.

    >>> from nnkit.activations import step
    >>> w, b = and_gate()
    >>> [float(step(weighted_sum(x, w, b))) for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    [0.0, 0.0, 0.0, 1.0]
    """
    return np.array([1.0, 1.0]), -1.5


def or_gate():
    """Weights and bias ``(w, b)`` making ``step(w·x + b)`` compute ``x₁ OR x₂`` (lesson 1).

    Any single 1 gives ``1 − 0.5 > 0``.

    >>> from nnkit.activations import step
    >>> w, b = or_gate()
    >>> [float(step(weighted_sum(x, w, b))) for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    [0.0, 1.0, 1.0, 1.0]
    """
    return np.array([1.0, 1.0]), -0.5
