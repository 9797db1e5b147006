"""Right answers written plainly for the tests: they rely on neither the library nor the
answer key, so that they can catch a mistake in either."""

from __future__ import annotations

import math

import numpy as np

from nnkit.tutor.exercises.e01_neuron import check_gate


def sig(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def naive_sig(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def phi(z):
    return np.vectorize(lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2))))(z)


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def relu(z):
    return np.maximum(0.0, z)


Z = [-2.0, -0.5, 0.0, 1.5, 3.0]
Z_GELU = [-3.0, -1.0, 0.5, 1.0, 2.0]
ROWS = [[1.0, 2.0], [3.0, 5.0], [0.0, 0.0]]

W1 = np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]])
B1 = np.array([0.1, -0.2, 0.0])
W2 = np.array([[0.7, -0.3, 0.5], [0.1, 0.2, -0.4]])
B2 = np.array([0.1, 0.0])
LAYERS = [(W1, B1, relu), (W2, B2, None)]
X = np.array([2.0, -1.0])  # the third hidden unit is negative before ReLU
BATCH = np.array([[2.0, -1.0], [1.0, 2.0], [0.0, 3.0]])


def net(x, layers=LAYERS, activations=True, keep=None):
    a = np.asarray(x, dtype=float)
    trace = [a]
    for W, b, act in layers:
        z = a @ W.T + b
        a = act(z) if (act is not None and activations) else z
        trace.append(z if keep == "z" else a)
    return trace


OUT = net(X)[-1]


def bump(x, left, right, height, steepness=50.0):
    x = np.asarray(x, dtype=float)
    return height * (sig(steepness * (x - left)) - sig(steepness * (x - right)))


XS = np.linspace(-1.0, 2.0, 13)
HAT_X = np.linspace(-3.0, 3.0, 13)
HAT = (-2.0, 1.0, 1.5, 0.75)  # left, peak, right, height: the peak is not halfway


def hat(x, left, peak, right, height, coefficients=None):
    rise, fall = height / (peak - left), height / (right - peak)
    c1, c2, c3 = coefficients or (rise, -(rise + fall), fall)
    x = np.asarray(x, dtype=float)
    return c1 * relu(x - left) + c2 * relu(x - peak) + c3 * relu(x - right)


def interpolant(f, a, b, n, knots_from=None, offset=0.0):
    start = a if knots_from is None else knots_from
    knots = np.linspace(start, b, n + 1)
    slopes = np.diff(f(knots)) / np.diff(knots)
    W2 = np.diff(slopes, prepend=0.0).reshape(1, n)
    return np.ones((n, 1)), -knots[:-1], W2, np.array([f(start) + offset])


def gpt2(L, d, V, P):
    return V * d + P * d + L * (12 * d * d + 13 * d) + 2 * d


GPT2_SMALL = (12, 768, 50_257, 1_024)


def and_gate_check(w, b):
    return check_gate(lambda: (w, b), "and", name="and_gate")


def or_gate_check(w, b):
    return check_gate(lambda: (w, b), "or", name="or_gate")


def nand_gate_check(w, b):
    return check_gate(lambda: (w, b), "nand", name="nand_gate")


def weighted(x, w, b):
    return float(np.dot(x, w)) + b


def assert_for_lengths(x, w, b):
    assert len(x) == len(w), "lengths differ"
    return weighted(x, w, b)


def trace_in_place(x, layers):
    a = np.array(x, dtype=float)
    trace = [a.copy()]
    for W, b, act in layers:
        z = W @ a + b
        a[:] = z if act is None else act(z)
        trace.append(a)
    return trace


SQUARE_LAYERS = [(np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.0, -1.0]), relu),
                 (np.array([[1.0, 1.0], [-1.0, 0.5]]), np.array([0.5, 0.0]), None)]


def memory_table(dtype, bfloat16=True):
    sizes = {"float64": 8, "float32": 4, "float16": 2, "int8": 1, "int4": 0.5}
    if bfloat16:
        sizes["bfloat16"] = 2
    if dtype not in sizes:
        raise ValueError(f"unknown dtype {dtype}")
    return sizes[dtype]



COLLAPSE = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0]),
            np.array([[0.5, -1.0], [1.5, 0.5]]), np.array([0.25, 2.0]))


def first_layer_w_at_x(x, layers):
    a = np.asarray(x, dtype=float)
    for W, b, act in layers:
        z = W @ a + b
        a = z if act is None else act(z)
    return a


