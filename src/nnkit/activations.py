"""Activation functions and their derivatives (lesson 2).

An activation is the non-linear function a neuron applies to its weighted sum
``z``. Every function here works element-wise on a number, a list or a NumPy
array of any shape (softmax works along the last axis), and returns a NumPy
array (a NumPy scalar for a number).

Conventions:

- Numerically stable: no ``inf``/``nan`` and no ``RuntimeWarning`` for inputs
  up to ``|z| = 1e4``, in float64 and in float32.
- float32 in, float32 out; integers and lists become float64.
- NaN and infinity propagate as they do in NumPy: ``sigmoid(nan)`` is ``nan``,
  ``relu(inf)`` is ``inf``, and NumPy's own warnings (such as ``inf - inf`` in a
  softmax row of infinities) are not hidden.

Layers and networks name their activation (``"relu"``) or take any callable;
``get_activation`` turns either into a function, using the registry
``ACTIVATIONS``.

>>> np.round(sigmoid([-1.0, 0.0, 1.0]), 3).tolist()
[0.269, 0.5, 0.731]
>>> get_activation("relu") is relu
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_callable,
    check_has_axis,
    check_known_name,
)

_SQRT_HALF = math.sqrt(0.5)  # Python floats keep float32 arrays float32
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _scalar_or_array(result: np.ndarray):
    """A number came in: give a NumPy scalar back instead of a 0-d array."""
    return result[()] if result.ndim == 0 else result


# ---------------------------------------------------------------- functions


def linear(z):
    """The identity, ``f(z) = z``: a layer without an activation (lesson 3).

    >>> linear([-2.0, 3.0]).tolist()
    [-2.0, 3.0]
    """
    return _scalar_or_array(as_float_array(z, "z"))


def sigmoid(z):
    """The logistic sigmoid ``1 / (1 + e^(−z))``, squashing any number into (0, 1) (lesson 2).

    Computed as ``1 / (1 + e^(−|z|))`` for ``z ≥ 0`` and ``e^(−|z|) / (1 + e^(−|z|))``
    for ``z < 0``: ``e^(−|z|)`` is at most 1, so nothing overflows.

    >>> float(sigmoid(0.0))
    0.5
    >>> np.round(sigmoid([-1e4, 2.6, 1e4]), 3).tolist()
    [0.0, 0.931, 1.0]
    """
    z = as_float_array(z, "z")
    small = np.exp(-np.abs(z))  # e^(−|z|), in (0, 1]
    return _scalar_or_array(np.where(z >= 0, 1.0, small) / (1.0 + small))


def tanh(z):
    """The hyperbolic tangent, into (−1, 1); equal to ``2·sigmoid(2z) − 1`` (lesson 2).

    >>> np.round(tanh([-1.0, 0.0, 1.0]), 3).tolist()
    [-0.762, 0.0, 0.762]
    """
    return _scalar_or_array(np.tanh(as_float_array(z, "z")))


def relu(z):
    """The rectified linear unit ``max(0, z)`` (lesson 2).

    >>> relu([-0.3, 0.0, 2.0]).tolist()
    [0.0, 0.0, 2.0]
    """
    return _scalar_or_array(np.maximum(as_float_array(z, "z"), 0.0))


def leaky_relu(z, alpha=0.01):
    """``z`` where ``z > 0``, ``alpha·z`` elsewhere: a ReLU that never goes fully flat (lesson 2).

    >>> leaky_relu([-2.0, 3.0]).tolist()
    [-0.02, 3.0]
    """
    z = as_float_array(z, "z")
    return _scalar_or_array(np.where(z > 0, z, float(alpha) * z))


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function element-wise, exactly, via ``math.erf`` (NumPy has no erf)."""
    values = np.fromiter(map(math.erf, x.ravel().tolist()), dtype=np.float64, count=x.size)
    return values.reshape(x.shape).astype(x.dtype, copy=False)


def gelu(z):
    """The Gaussian error linear unit ``z·Φ(z)``, Φ the standard normal CDF (lesson 2).

    Exact: ``Φ(z) = (1 + erf(z/√2)) / 2``. (The popular tanh formula
    approximates it to about 1e-3.)

    >>> np.round(gelu([-1.0, 0.0, 1.0]), 4).tolist()
    [-0.1587, 0.0, 0.8413]
    """
    z = as_float_array(z, "z")
    cdf = 0.5 * (1.0 + _erf(z * _SQRT_HALF))
    return _scalar_or_array(z * cdf)


def silu(z):
    """The sigmoid linear unit ``z·sigmoid(z)``, also called swish (lesson 2).

    >>> np.round(silu([-1.0, 0.0, 1.0]), 3).tolist()
    [-0.269, 0.0, 0.731]
    """
    z = as_float_array(z, "z")
    return _scalar_or_array(z * sigmoid(z))


swish = silu


def softmax(z, axis=-1):
    """Turn scores into probabilities along ``axis`` (default: the last) (lesson 2).

    ``e^(z_i) / Σ_j e^(z_j)``, computed after subtracting each row's maximum,
    which changes nothing mathematically but keeps ``e^`` from overflowing.
    Every row sums to 1, and adding a constant to a row leaves it unchanged.

    >>> np.round(softmax([1.0, 2.0, 3.0]), 3).tolist()
    [0.09, 0.245, 0.665]
    >>> softmax([[1e4, 0.0]]).tolist()
    [[1.0, 0.0]]
    """
    z = check_has_axis(as_float_array(z, "z"), "z", "softmax")
    exps = np.exp(z - z.max(axis=axis, keepdims=True))
    return exps / exps.sum(axis=axis, keepdims=True)


def step(z):
    """The step function: ``1.0`` where ``z > 0``, else ``0.0`` (lesson 1's perceptron).

    >>> step([-1.0, 0.0, 0.5]).tolist()
    [0.0, 0.0, 1.0]
    """
    return _scalar_or_array(np.heaviside(as_float_array(z, "z"), 0.0))


# ------------------------------------------------------------- derivatives


def linear_derivative(z):
    """The slope of the identity: 1 everywhere (lesson 2).

    >>> linear_derivative([-2.0, 3.0]).tolist()
    [1.0, 1.0]
    """
    z = as_float_array(z, "z")
    return _scalar_or_array(np.where(np.isnan(z), z, 1.0))  # NaN stays NaN


def sigmoid_derivative(z):
    """The slope of the sigmoid, ``σ(z)·(1 − σ(z))``; at most 0.25, at ``z = 0`` (lesson 2).

    >>> np.round(sigmoid_derivative([0.0, 5.0]), 4).tolist()
    [0.25, 0.0066]
    """
    s = sigmoid(as_float_array(z, "z"))
    return s * (1.0 - s)


def tanh_derivative(z):
    """The slope of tanh, ``1 − tanh(z)²`` (lesson 2).

    >>> np.round(tanh_derivative([0.0, 2.0]), 4).tolist()
    [1.0, 0.0707]
    """
    t = tanh(as_float_array(z, "z"))
    return 1.0 - t * t


def relu_derivative(z):
    """The slope of ReLU: ``1.0`` where ``z > 0``, else ``0.0`` (also at ``z = 0``) (lesson 2).

    >>> relu_derivative([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    return step(z)


def leaky_relu_derivative(z, alpha=0.01):
    """The slope of leaky ReLU: ``1.0`` where ``z > 0``, else ``alpha`` (lesson 2).

    >>> leaky_relu_derivative([-1.0, 2.0]).tolist()
    [0.01, 1.0]
    """
    z = as_float_array(z, "z")
    slope = np.where(z > 0, 1.0, float(alpha)).astype(z.dtype, copy=False)
    return _scalar_or_array(np.where(np.isnan(z), z, slope))


def gelu_derivative(z):
    """The slope of GELU, ``Φ(z) + z·φ(z)`` with φ the standard normal density (lesson 2).

    >>> np.round(gelu_derivative([0.0, 1.0]), 4).tolist()
    [0.5, 1.0833]
    """
    z = as_float_array(z, "z")
    cdf = 0.5 * (1.0 + _erf(z * _SQRT_HALF))
    density = _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    return _scalar_or_array(cdf + z * density)


def silu_derivative(z):
    """The slope of SiLU, ``σ(z)·(1 + z·(1 − σ(z)))`` (lesson 2).

    >>> np.round(silu_derivative([0.0, 1.0]), 4).tolist()
    [0.5, 0.9277]
    """
    z = as_float_array(z, "z")
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def step_derivative(z):
    """The slope of the step function: 0 wherever it is defined (lesson 2).

    This is why a perceptron cannot learn by gradient descent. At ``z = 0``
    the step has no slope; 0 is returned there too.

    >>> step_derivative([-1.0, 0.0, 1.0]).tolist()
    [0.0, 0.0, 0.0]
    """
    z = as_float_array(z, "z")
    return _scalar_or_array(np.where(np.isnan(z), z, 0.0))  # NaN stays NaN


def softmax_jacobian(z):
    """The matrix of slopes ``∂softmax_i/∂z_j = s_i·(δ_ij − s_j)`` (lesson 2).

    For ``z`` of shape ``(n,)`` the result has shape ``(n, n)``; for a batch
    ``(batch, n)`` it has shape ``(batch, n, n)``. Each row sums to 0: raising
    one score takes probability from the others.

    >>> np.round(softmax_jacobian([0.0, 0.0]), 3).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    s = softmax(z)
    return s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype) - s[..., :, None] * s[..., None, :]


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class Activation:
    """One activation with its derivative and what the lessons say about it (lesson 2).

    >>> ACTIVATIONS["relu"].output_range
    '[0, ∞)'
    """

    name: str
    function: Callable
    derivative: Callable
    output_range: str
    typical_use: str
    known_problem: str


ACTIVATIONS: dict[str, Activation] = {
    activation.name: activation
    for activation in (
        Activation(
            "linear", linear, linear_derivative, "(−∞, ∞)",
            "output layer of a regression network",
            "stacking linear layers collapses into one linear layer",
        ),
        Activation(
            "step", step, step_derivative, "{0, 1}",
            "the perceptron of the 1950s, logic gates",
            "its slope is 0 wherever it is defined, so it passes no learning signal",
        ),
        Activation(
            "sigmoid", sigmoid, sigmoid_derivative, "(0, 1)",
            "output of a yes/no classifier (a probability)",
            "saturates: for large |z| its slope (never above 0.25) is close to 0",
        ),
        Activation(
            "tanh", tanh, tanh_derivative, "(−1, 1)",
            "hidden layers of small and recurrent networks; zero-centred",
            "saturates like the sigmoid for large |z|",
        ),
        Activation(
            "relu", relu, relu_derivative, "[0, ∞)",
            "hidden layers of many deep networks: cheap, does not saturate for z > 0",
            "dying ReLU: a neuron with z < 0 for every input stops learning",
        ),
        Activation(
            "leaky_relu", leaky_relu, leaky_relu_derivative, "(−∞, ∞)",
            "hidden layers, where dying ReLUs are a problem",
            "one more choice to make: the slope alpha for z < 0",
        ),
        Activation(
            "gelu", gelu, gelu_derivative, "[≈−0.17, ∞)",
            "hidden layers of transformers (BERT, GPT-2)",
            "costlier than ReLU; often replaced by its tanh approximation",
        ),
        Activation(
            "silu", silu, silu_derivative, "[≈−0.28, ∞)",
            "hidden layers of modern vision and language models",
            "costlier than ReLU",
        ),
        Activation(
            "softmax", softmax, softmax_jacobian, "(0, 1), each row sums to 1",
            "output of a classifier with several classes",
            "acts on a whole row, not element-wise; its derivative is a matrix",
        ),
    )
}

_ALIASES = {"swish": "silu", "identity": "linear"}


def get_activation(activation) -> Callable:
    """Turn a name, a callable or ``None`` into an activation function (lesson 3).

    ``None`` means no activation (the identity). Unknown names raise a
    ``ValueError`` listing the known ones.

    >>> get_activation("sigmoid") is sigmoid
    True
    >>> get_activation(None) is linear
    True
    """
    if activation is None:
        return linear
    if isinstance(activation, str):
        name = _ALIASES.get(activation, activation)
        check_known_name(name, [*ACTIVATIONS, *_ALIASES], "activation")
        return ACTIVATIONS[name].function
    return check_callable(activation, "activation")


def activation_name(activation) -> str:
    """The registry name of an activation, or the function's own name (lesson 3).

    >>> activation_name(relu)
    'relu'
    >>> activation_name(None)
    'linear'
    >>> activation_name(lambda z: 2 * z)
    '<lambda>'
    """
    function = get_activation(activation)
    for entry in ACTIVATIONS.values():
        if entry.function is function:
            return entry.name
    return getattr(function, "__name__", type(function).__name__)
