"""The answer key: every graded function of the exercises, written plainly once.

The checks compare a learner's answer with these, never with the public
library: a mistake in :mod:`nnkit` cannot hide the same mistake in an
answer, and switching nothing off is needed while a learner's function runs.
They follow the exercises' conventions: float64 NumPy, one input
``(n_in,)`` or a batch ``(batch, n_in)``, weights one row per neuron. They
check nothing: the checks call them only with the inputs of their own tests.

>>> round(weighted_sum([2, 3, -1], [0.5, -0.2, 0.8], 0.1), 10)
-0.3
>>> mlp_params([784, 256, 128, 10])
235146
"""

from __future__ import annotations

import itertools
import math

import numpy as np


def _floats(x):
    return np.asarray(x, dtype=float)


# --- 01-neuron ---------------------------------------------------------------------------


def weighted_sum(x, w, b):
    """``Σ wᵢ·xᵢ + b``, a float.

    >>> round(weighted_sum([6, 8], [0.7, 0.3], -4), 10)
    2.6
    """
    return float(np.dot(_floats(w), _floats(x)) + b)


def neuron(x, w, b, activation):
    """``activation(weighted_sum(x, w, b))``.

    >>> round(float(neuron([6, 8], [0.7, 0.3], -4, relu)), 10)
    2.6
    """
    return activation(weighted_sum(x, w, b))


def step(z):
    """``1.0`` where ``z > 0``, else ``0.0``: the perceptron's activation.

    >>> step([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    return np.where(_floats(z) > 0, 1.0, 0.0)


# --- 02-activations ----------------------------------------------------------------------


def sigmoid(z):
    """``1 / (1 + e^(−z))``, with ``e`` only ever raised to a power ≤ 0.

    >>> sigmoid([-1e4, 0.0, 1e4]).tolist()
    [0.0, 0.5, 1.0]
    """
    z = _floats(z)
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def tanh(z):
    """The hyperbolic tangent.

    >>> tanh(0.0).tolist()
    0.0
    """
    return np.tanh(_floats(z))


def relu(z):
    """``max(0, z)``.

    >>> relu([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    return np.maximum(_floats(z), 0.0)


def leaky_relu(z, alpha=0.01):
    """``z`` where ``z > 0``, ``alpha·z`` elsewhere.

    >>> leaky_relu([-2.0, 3.0], alpha=0.1).tolist()
    [-0.2, 3.0]
    """
    z = _floats(z)
    return np.where(z > 0, z, alpha * z)


def normal_cdf(z):
    """Φ(z), the standard normal distribution's CDF: ``(1 + erf(z/√2)) / 2``.

    >>> normal_cdf([0.0]).tolist()
    [0.5]
    """
    z = _floats(z)
    erf = np.vectorize(math.erf, otypes=[float])
    return 0.5 * (1.0 + erf(z / math.sqrt(2.0)))


def gelu(z):
    """``z·Φ(z)``.

    >>> round(float(gelu(1.0)), 4)
    0.8413
    """
    z = _floats(z)
    return z * normal_cdf(z)


def softmax(z):
    """``e^(zᵢ) / Σⱼ e^(zⱼ)`` along the last axis, each row's maximum subtracted first.

    >>> softmax([[1e4, 0.0]]).tolist()
    [[1.0, 0.0]]
    """
    z = _floats(z)
    exps = np.exp(z - z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def sigmoid_derivative(z):
    """``σ(z)·(1 − σ(z))``.

    >>> sigmoid_derivative(0.0).tolist()
    0.25
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def relu_derivative(z):
    """``1.0`` where ``z > 0``, else ``0.0``.

    >>> relu_derivative([0.0, 1.0]).tolist()
    [0.0, 1.0]
    """
    return step(z)


# --- 03-layers ---------------------------------------------------------------------------


def dense(x, W, b, activation=None):
    """``activation(x @ W.T + b)`` for one input or a batch; no activation when ``None``.

    >>> dense([1.0, 2.0], [[1.0, 1.0]], [0.5]).tolist()
    [3.5]
    """
    z = _floats(x) @ _floats(W).T + _floats(b)
    return z if activation is None else activation(z)


def collapse_linear(W1, b1, W2, b2):
    """``(W2 @ W1, W2 @ b1 + b2)``: two linear layers as one.

    >>> [a.tolist() for a in collapse_linear([[2.0]], [1.0], [[3.0]], [0.5])]
    [[[6.0]], [3.5]]
    """
    W1, b1, W2, b2 = (_floats(a) for a in (W1, b1, W2, b2))
    return W2 @ W1, W2 @ b1 + b2


# --- 04-forward-pass ---------------------------------------------------------------------


def forward_trace(x, layers):
    """``[x, a₁, …, a_L]`` for layers ``(W, b, activation)``.

    >>> [a.tolist() for a in forward_trace([1.0, 2.0], [([[1.0, -1.0]], [0.0], relu)])]
    [[1.0, 2.0], [0.0]]
    """
    trace = [_floats(x)]
    for W, b, activation in layers:
        trace.append(dense(trace[-1], W, b, activation))
    return trace


def forward(x, layers):
    """The network's output: the last entry of the trace.

    >>> forward([1.0, 2.0], [([[1.0, 1.0]], [0.0], None)]).tolist()
    [3.0]
    """
    return forward_trace(x, layers)[-1]


def predict(x, layers):
    """The index of the largest output: an int for one input, an int array for a batch.

    >>> predict([1.0, 2.0], [([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], None)])
    1
    """
    index = np.argmax(forward(x, layers), axis=-1)
    return int(index) if index.ndim == 0 else index


def active_units(x, layers):
    """For one input, the indices of the units that are on (output > 0) in each hidden layer.

    >>> [a.tolist() for a in active_units([1.0, 2.0], [([[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0],
    ...                                                  relu), ([[1.0, 1.0]], [0.0], None)])]
    [[0]]
    """
    return [np.flatnonzero(a > 0) for a in forward_trace(x, layers)[1:-1]]


# --- 05-universal-approximation ----------------------------------------------------------


def sigmoid_bump(x, left, right, height, steepness=50.0):
    """``height·(σ(s·(x − left)) − σ(s·(x − right)))`` with ``s = steepness``.

    >>> sigmoid_bump([0.0, 1.0, 2.0], 0.5, 1.5, 2.0).round(3).tolist()
    [0.0, 2.0, 0.0]
    """
    x = _floats(x)
    return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))


def relu_hat(x, left, peak, right, height):
    """The triangle of three ReLUs: 0 outside ``[left, right]``, ``height`` at ``peak``.

    >>> relu_hat([0.0, 1.0, 2.0, 3.0], 0.0, 1.0, 3.0, 2.0).tolist()
    [0.0, 2.0, 1.0, 0.0]
    """
    x = _floats(x)
    rise, fall = height / (peak - left), height / (right - peak)
    return rise * relu(x - left) - (rise + fall) * relu(x - peak) + fall * relu(x - right)


# --- 06-parameter-counting ---------------------------------------------------------------

BYTES_PER_PARAMETER = {"float64": 8, "float32": 4, "float16": 2, "bfloat16": 2, "int8": 1,
                       "int4": 0.5}


def dense_params(n_in, n_out):
    """``n_in·n_out + n_out``.

    >>> dense_params(784, 256)
    200960
    """
    return n_in * n_out + n_out


def mlp_params(sizes):
    """The sum of ``dense_params`` over consecutive sizes.

    >>> mlp_params([2, 3, 1])
    13
    """
    return sum(dense_params(n_in, n_out) for n_in, n_out in itertools.pairwise(sizes))


def memory_bytes(n_params, dtype):
    """Bytes for ``n_params`` numbers of ``dtype``, rounded up to a whole byte.

    >>> memory_bytes(3, "int4")
    2
    """
    return math.ceil(n_params * BYTES_PER_PARAMETER[dtype])


def gpt2_params(n_layers, d_model, vocab_size, n_positions):
    """A GPT-2-style decoder: embeddings, blocks, a final LayerNorm; the head is tied.

    >>> gpt2_params(12, 768, 50257, 1024)
    124439808
    """
    d = d_model
    attention = 4 * dense_params(d, d)
    mlp = dense_params(d, 4 * d) + dense_params(4 * d, d)
    layer_norms = 2 * 2 * d
    embeddings = (vocab_size + n_positions) * d
    return embeddings + n_layers * (attention + mlp + layer_norms) + 2 * d


def sequential_params(n_features, units):
    """A Keras-style model: ``n_features`` inputs, then one dense layer per entry of ``units``.

    >>> sequential_params(4, [3, 2])
    23
    """
    return mlp_params([n_features, *units])


# --- 07-learning -------------------------------------------------------------------------


def mse(y_pred, y_true):
    """The mean of ``(y_pred − y_true)²`` over all elements, a float.

    >>> mse([1.0, 3.0], [0.0, 1.0])
    2.5
    """
    return float(np.mean((_floats(y_pred) - _floats(y_true)) ** 2))


def mse_gradient(y_pred, y_true):
    """``2·(y_pred − y_true) / n``, ``n`` the number of elements.

    >>> mse_gradient([1.0, 3.0], [0.0, 1.0]).tolist()
    [1.0, 2.0]
    """
    y_pred = _floats(y_pred)
    return 2.0 * (y_pred - _floats(y_true)) / y_pred.size


def numerical_gradient(f, x, eps=1e-5):
    """Central differences ``(f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps)`` for every element.

    >>> numerical_gradient(lambda v: float(v @ v), np.array([1.0, 2.0])).round(6).tolist()
    [2.0, 4.0]
    """
    x = np.array(x, dtype=float)  # a copy: the caller's x is never touched
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        up = f(x)
        x[index] = saved - eps
        down = f(x)
        x[index] = saved
        gradient[index] = (up - down) / (2.0 * eps)
    return gradient


def dense_backward(x, W, b, grad_z):
    """``(grad_W, grad_b, grad_x)`` of ``z = W @ x + b`` (or ``X @ W.T + b``), batch summed.

    >>> [g.tolist() for g in dense_backward([1.0, 2.0], [[3.0, 4.0]], [0.0], [0.5])]
    [[[0.5, 1.0]], [0.5], [1.5, 2.0]]
    """
    x, W, grad_z = _floats(x), _floats(W), _floats(grad_z)
    if x.ndim == 1:
        return np.outer(grad_z, x), grad_z.copy(), W.T @ grad_z
    return grad_z.T @ x, grad_z.sum(axis=0), grad_z @ W


def gradient_step(W, b, grad_W, grad_b, learning_rate):
    """``(W − learning_rate·grad_W, b − learning_rate·grad_b)``, new arrays.

    >>> [a.tolist() for a in gradient_step([[1.0]], [1.0], [[2.0]], [4.0], 0.5)]
    [[[0.0]], [-1.0]]
    """
    return (_floats(W) - learning_rate * _floats(grad_W),
            _floats(b) - learning_rate * _floats(grad_b))
