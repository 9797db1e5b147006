"""Every recognised misconception: a wrong implementation, fed to its check, is named.

Each entry of WRONG_ANSWERS runs a check on a plausible wrong answer; the test
asserts that the check fails with a CheckFailed whose first line is that
misconception's sentence. A test also makes sure no registered misconception is
left without its wrong answer here, and that docs/checks.md lists them all.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from nnkit import misconceptions
from nnkit.checking import (
    CheckFailed,
    check_approximation,
    check_collapse,
    check_count,
    check_forward_trace,
    check_function,
    check_gate,
    check_predict,
    check_raises,
    check_stable,
    check_xor_network,
)
from nnkit.misconceptions import Attempt, all_misconceptions, diagnose

DOCS = Path(__file__).resolve().parents[1] / "docs" / "checks.md"


# --- right answers, written here so the tests do not depend on the library -----------------


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


# --- one wrong answer per misconception -------------------------------------------------------

WRONG_ANSWERS = {
    # 01-neuron
    "weighted_sum.forgot_bias": lambda: check_function(
        "weighted_sum", lambda x, w, b: float(np.dot(x, w)),
        ([2, 3, -1], [0.5, -0.2, 0.8], 0.1), expected=-0.3),
    "weighted_sum.bias_per_input": lambda: check_function(
        "weighted_sum", lambda x, w, b: sum(xi * wi + b for xi, wi in zip(x, w, strict=True)),
        ([2, 3, -1], [0.5, -0.2, 0.8], 0.1), expected=-0.3),
    "weighted_sum.products_not_summed": lambda: check_function(
        "weighted_sum", lambda x, w, b: np.multiply(x, w),
        ([2, 3, -1], [0.5, -0.2, 0.8], 0.1), expected=-0.3),
    "weighted_sum.lengths_not_checked": lambda: check_raises(
        "weighted_sum", lambda x, w, b: sum(a * c for a, c in zip(x, w, strict=False)) + b,
        ([1.0, 2.0, 3.0], [0.5, 0.5], 0.0)),
    "neuron.activation_not_applied": lambda: check_function(
        "neuron", lambda x, w, b, act: weighted(x, w, b),
        ([6, 8], [0.7, 0.3], -4, sig), expected=float(sig(2.6))),
    "neuron.forgot_bias": lambda: check_function(
        "neuron", lambda x, w, b, act: act(np.dot(x, w)),
        ([6, 8], [0.7, 0.3], -4, sig), expected=float(sig(2.6))),
    "neuron.activation_inside_sum": lambda: check_function(
        "neuron", lambda x, w, b, act: sum(act(xi * wi) for xi, wi in zip(x, w, strict=True)) + b,
        ([6, 8], [0.7, 0.3], -4, sig), expected=float(sig(2.6))),
    "and_gate.swapped_pair": lambda: and_gate_check(-1.5, [1.0, 1.0]),
    "and_gate.inverted": lambda: and_gate_check([-1.0, -1.0], 1.5),
    "and_gate.threshold_on_input": lambda: and_gate_check([1.0, 1.0], -2.0),
    "and_gate.computes_or": lambda: and_gate_check([1.0, 1.0], -0.5),
    "and_gate.fires_without_input": lambda: and_gate_check([1.0, 1.0], 0.5),
    "or_gate.swapped_pair": lambda: or_gate_check(-0.5, [1.0, 1.0]),
    "or_gate.inverted": lambda: or_gate_check([-1.0, -1.0], 0.5),
    "or_gate.threshold_on_input": lambda: or_gate_check([1.0, 1.0], -1.0),
    "or_gate.computes_and": lambda: or_gate_check([1.0, 1.0], -1.5),
    "or_gate.fires_without_input": lambda: or_gate_check([1.0, 1.0], 0.5),
    # 02-activations
    "sigmoid.exponent_sign": lambda: check_function(
        "sigmoid", lambda z: 1 / (1 + np.exp(np.asarray(z))), (Z,), expected=sig(Z)),
    "sigmoid.overflow": lambda: check_stable(
        "sigmoid", naive_sig, ([-1e4, 0.0, 1e4],), expected=[0.0, 0.5, 1.0]),
    "sigmoid.derivative_instead": lambda: check_function(
        "sigmoid", lambda z: sig(z) * (1 - sig(z)), (Z,), expected=sig(Z)),
    "tanh.missing_factor_two": lambda: check_function(
        "tanh", lambda z: 2 * sig(z) - 1, (Z,), expected=np.tanh(Z)),
    "tanh.sigmoid_instead": lambda: check_function("tanh", sig, (Z,), expected=np.tanh(Z)),
    "tanh.overflow": lambda: check_stable(
        "tanh", lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
        (np.array([-1e4, 1e4]),), expected=[-1.0, 1.0]),
    "relu.absolute_value": lambda: check_function("relu", np.abs, (Z,), expected=relu(Z)),
    "relu.min_instead_of_max": lambda: check_function(
        "relu", lambda z: np.minimum(0, z), (Z,), expected=relu(Z)),
    "relu.derivative_instead": lambda: check_function(
        "relu", lambda z: (np.asarray(z) > 0).astype(float), (Z,), expected=relu(Z)),
    "leaky_relu.alpha_ignored": lambda: check_function(
        "leaky_relu", lambda z, alpha=0.01: np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z)),
        (Z, 0.2), expected=np.where(np.asarray(Z) > 0, Z, 0.2 * np.asarray(Z))),
    "leaky_relu.plain_relu": lambda: check_function(
        "leaky_relu", lambda z, alpha=0.01: relu(z), (Z,),
        expected=np.where(np.asarray(Z) > 0, Z, 0.01 * np.asarray(Z))),
    "leaky_relu.alpha_on_wrong_side": lambda: check_function(
        "leaky_relu", lambda z, alpha=0.01: np.where(np.asarray(z) > 0, alpha * np.asarray(z), z),
        (Z, 0.1), expected=np.where(np.asarray(Z) > 0, Z, 0.1 * np.asarray(Z))),
    "gelu.phi_only": lambda: check_function("gelu", phi, (Z_GELU,), expected=Z_GELU * phi(Z_GELU)),
    "gelu.sigmoid_approximation": lambda: check_function(
        "gelu", lambda z: np.asarray(z) * sig(1.702 * np.asarray(z)), (Z_GELU,),
        expected=Z_GELU * phi(Z_GELU)),
    "gelu.tanh_without_cubic": lambda: check_function(
        "gelu", lambda z: 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * z)),
        (np.array(Z_GELU),), expected=Z_GELU * phi(Z_GELU)),
    "softmax.global_max": lambda: check_function(
        "softmax", lambda z: (lambda e: e / e.sum(axis=-1, keepdims=True))(
            np.exp(np.asarray(z) - np.max(z))),
        ([[0.0, 1.0], [1000.0, 1001.0]],), expected=softmax([[0.0, 1.0], [1000.0, 1001.0]])),
    "softmax.max_not_subtracted": lambda: check_function(
        "softmax", lambda z: np.exp(z) / np.exp(z).sum(), ([1000.0, 1001.0],),
        expected=softmax([1000.0, 1001.0])),
    "softmax.wrong_axis": lambda: check_function(
        "softmax", lambda z: np.exp(z) / np.exp(z).sum(axis=0), (ROWS,), expected=softmax(ROWS)),
    "softmax.not_normalised": lambda: check_function(
        "softmax", np.exp, ([2.0, 1.0, 0.1],), expected=softmax([2.0, 1.0, 0.1])),
    "softmax.no_exponential": lambda: check_function(
        "softmax", lambda z: np.asarray(z) / np.sum(z), ([2.0, 1.0, 0.1],),
        expected=softmax([2.0, 1.0, 0.1])),
    "sigmoid_derivative.formula_on_z": lambda: check_function(
        "sigmoid_derivative", lambda z: np.asarray(z) * (1 - np.asarray(z)), (Z,),
        expected=sig(Z) * (1 - sig(Z))),
    "sigmoid_derivative.sigmoid_instead": lambda: check_function(
        "sigmoid_derivative", sig, (Z,), expected=sig(Z) * (1 - sig(Z))),
    "sigmoid_derivative.overflow": lambda: check_stable(
        "sigmoid_derivative", lambda z: naive_sig(z) * (1 - naive_sig(z)), ([-1e4, 1e4],),
        expected=[0.0, 0.0]),
    "relu_derivative.one_at_zero": lambda: check_function(
        "relu_derivative", lambda z: (np.asarray(z) >= 0).astype(float), ([-1.0, 0.0, 2.0],),
        expected=[0.0, 0.0, 1.0]),
    "relu_derivative.relu_instead": lambda: check_function(
        "relu_derivative", relu, ([-1.0, 0.0, 2.0],), expected=[0.0, 0.0, 1.0]),
    "relu_derivative.inverted": lambda: check_function(
        "relu_derivative", lambda z: (np.asarray(z) < 0).astype(float), ([-1.0, 0.0, 2.0],),
        expected=[0.0, 0.0, 1.0]),
    # 03-layers
    "dense.no_batch": lambda: check_function(
        "dense", lambda x, W, b, activation=None: W @ x + b, (BATCH, W1, B1),
        expected=BATCH @ W1.T + B1),
    "dense.W_not_transposed": lambda: check_function(
        "dense", lambda x, W, b, activation=None: np.asarray(x) @ W + b, (X, W1, B1),
        expected=W1 @ X + B1),
    "dense.forgot_bias": lambda: check_function(
        "dense", lambda x, W, b, activation=None: W @ x, (X, W1, B1), expected=W1 @ X + B1),
    "dense.activation_ignored": lambda: check_function(
        "dense", lambda x, W, b, activation=None: W @ x + b, (X, W1, B1, relu),
        expected=relu(W1 @ X + B1)),
    "dense.shapes_not_checked": lambda: check_raises(
        "dense", lambda x, W, b, activation=None: np.asarray(x) @ W.T + b,
        (np.ones(2), np.ones((3, 2)), np.ones(1))),
    "collapse_linear.wrong_order": lambda: check_collapse(
        lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2), *COLLAPSE),
    "collapse_linear.bias_not_through_W2": lambda: check_collapse(
        lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2), *COLLAPSE),
    "collapse_linear.forgot_b2": lambda: check_collapse(
        lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1), *COLLAPSE),
    "collapse_linear.bias_only_b2": lambda: check_collapse(
        lambda W1, b1, W2, b2: (W2 @ W1, b2), *COLLAPSE),
    "xor_network.W1_transposed": lambda: check_xor_network(
        lambda: [(np.ones((2, 3)), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))]),
    "xor_network.too_many_units": lambda: check_xor_network(
        lambda: [(np.ones((5, 2)), np.zeros(5)), (np.ones((1, 5)), np.zeros(1))]),
    "xor_network.output_shape": lambda: check_xor_network(
        lambda: [(np.ones((2, 2)), np.array([0.0, -1.0])), (np.array([1.0, -2.0]), 0.0)]),
    "xor_network.linear": lambda: check_xor_network(
        lambda: [(np.ones((2, 2)), np.array([1.0, 2.0])), (np.array([[1.0, -2.0]]), np.zeros(1))]),
    "xor_network.computes_or": lambda: check_xor_network(
        lambda: [(np.ones((2, 2)), np.array([0.0, -1.0])), (np.array([[1.0, -1.0]]), np.zeros(1))]),
    "xor_network.inverted": lambda: check_xor_network(
        lambda: [(np.ones((2, 2)), np.array([0.0, -1.0])), (np.array([[-1.0, 2.0]]), np.ones(1))]),
    # 04-forward-pass
    "forward.returns_trace": lambda: check_function(
        "forward", lambda x, layers: net(x, layers), (X, LAYERS), expected=OUT),
    "forward.first_layer_only": lambda: check_function(
        "forward", lambda x, layers: net(x, layers[:1])[-1], (X, LAYERS), expected=OUT),
    "forward.activations_skipped": lambda: check_function(
        "forward", lambda x, layers: net(x, layers, activations=False)[-1], (X, LAYERS),
        expected=OUT),
    "forward.no_batch": lambda: check_function(
        "forward", lambda x, layers: first_layer_w_at_x(x, layers), (BATCH, LAYERS),
        expected=net(BATCH)[-1]),
    "forward_trace.missing_input": lambda: check_forward_trace(
        lambda x, layers: net(x, layers)[1:], X, LAYERS),
    "forward_trace.pre_activations": lambda: check_forward_trace(
        lambda x, layers: net(x, layers, keep="z"), X, LAYERS),
    "forward_trace.output_only": lambda: check_forward_trace(
        lambda x, layers: net(x, layers)[-1], X, LAYERS),
    "forward_trace.same_array_appended": lambda: check_forward_trace(
        trace_in_place, [1.0, 2.0], SQUARE_LAYERS),
    "predict.float_for_single": lambda: check_predict(
        lambda x, layers: float(np.argmax(net(x, layers)[-1])), X, LAYERS),
    "predict.array_for_single": lambda: check_predict(
        lambda x, layers: np.argmax(net(x, layers)[-1], keepdims=True), X, LAYERS),
    "predict.outputs_not_index": lambda: check_predict(
        lambda x, layers: net(x, layers)[-1], X, LAYERS),
    "predict.max_value_not_index": lambda: check_predict(
        lambda x, layers: float(np.max(net(x, layers)[-1])), X, LAYERS),
    "predict.batch_wrong_axis": lambda: check_predict(
        lambda x, layers: np.argmax(net(x, layers)[-1], axis=0), BATCH, LAYERS),
    "predict.one_based": lambda: check_predict(
        lambda x, layers: np.argmax(net(x, layers)[-1], axis=-1) + 1, BATCH, LAYERS),
    # 05-universal-approximation
    "sigmoid_bump.swapped_sigmoids": lambda: check_function(
        "sigmoid_bump", lambda x, left, right, height, steepness=50.0: bump(
            x, right, left, height, steepness), (XS, 0.0, 1.0, 2.0), expected=bump(XS, 0, 1, 2)),
    "sigmoid_bump.steepness_ignored": lambda: check_function(
        "sigmoid_bump", lambda x, left, right, height, steepness=50.0: bump(x, left, right, height),
        (XS, 0.0, 1.0, 2.0, 5.0), expected=bump(XS, 0, 1, 2, 5.0)),
    "sigmoid_bump.height_ignored": lambda: check_function(
        "sigmoid_bump", lambda x, left, right, height, steepness=50.0: bump(
            x, left, right, 1.0, steepness), (XS, 0.0, 1.0, 2.0), expected=bump(XS, 0, 1, 2)),
    "sigmoid_bump.steepness_not_distributed": lambda: check_function(
        "sigmoid_bump", lambda x, left, right, height, steepness=50.0: height * (
            sig(steepness * x - left) - sig(steepness * x - right)),
        (XS, 0.5, 1.5, 1.0), expected=bump(XS, 0.5, 1.5, 1.0)),
    "relu_hat.missing_third_relu": lambda: check_function(
        "relu_hat", lambda x, left, peak, right, height: hat(
            x, left, peak, right, height, (height / (peak - left),
                                           -(height / (peak - left) + height / (right - peak)), 0)),
        (HAT_X, *HAT), expected=hat(HAT_X, *HAT)),
    "relu_hat.symmetric_peak_assumed": lambda: check_function(
        "relu_hat", lambda x, left, peak, right, height: hat(
            x, left, (left + right) / 2, right, height), (HAT_X, *HAT), expected=hat(HAT_X, *HAT)),
    "relu_hat.symmetric_coefficients": lambda: check_function(
        "relu_hat", lambda x, left, peak, right, height: hat(
            x, left, peak, right, height, (height / (peak - left), -2 * height / (peak - left),
                                           height / (peak - left))),
        (HAT_X, *HAT), expected=hat(HAT_X, *HAT)),
    "relu_hat.height_ignored": lambda: check_function(
        "relu_hat", lambda x, left, peak, right, height: hat(x, left, peak, right, 1.0),
        (HAT_X, *HAT), expected=hat(HAT_X, *HAT)),
    "approximate.flat_shapes": lambda: check_approximation(
        lambda f, a, b, n: [p.ravel() for p in interpolant(f, a, b, n)]),
    "approximate.wrong_unit_count": lambda: check_approximation(
        lambda f, a, b, n: interpolant(f, a, b, n + 1)),
    "approximate.constant_offset": lambda: check_approximation(
        lambda f, a, b, n: interpolant(f, a, b, n, offset=0.3)),
    "approximate.interval_not_covered": lambda: check_approximation(
        lambda f, a, b, n: interpolant(f, a, b, n, knots_from=a + 0.3)),
    "approximate.more_units_worse": lambda: check_approximation(
        lambda f, a, b, n: interpolant(f, a, b, n, offset=0.05 if n > 32 else 0.0)),
    # 06-parameter-counting
    "dense_params.weights_only": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in * n_out, (784, 256), expected=200_960),
    "dense_params.bias_per_input": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in * n_out + n_in, (784, 256), expected=200_960),
    "dense_params.added_not_multiplied": lambda: check_count(
        "dense_params", lambda n_in, n_out: n_in + n_out, (784, 256), expected=200_960),
    "mlp_params.forgot_biases": lambda: check_count(
        "mlp_params", lambda s: sum(a * b for a, b in itertools.pairwise(s)),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.input_biases": lambda: check_count(
        "mlp_params", lambda s: sum(a * b for a, b in itertools.pairwise(s)) + sum(s),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.neurons_counted": lambda: check_count(
        "mlp_params", sum, ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.last_layer_missing": lambda: check_count(
        "mlp_params", lambda s: sum(a * b + b for a, b in itertools.pairwise(s[:-1])),
        ([784, 256, 128, 10],), expected=235_146),
    "mlp_params.sizes_not_checked": lambda: check_raises(
        "mlp_params", lambda s: sum(a * b + b for a, b in itertools.pairwise(s)), ([784],)),
    "memory_bytes.int4_rounds_down": lambda: check_count(
        "memory_bytes", lambda n, dtype: int(n * memory_table(dtype)), (7, "int4"), expected=4),
    "memory_bytes.int4_not_rounded": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * memory_table(dtype), (7, "int4"), expected=4),
    "memory_bytes.bits_not_bytes": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * 32, (10, "float32"), expected=40),
    "memory_bytes.int4_full_byte": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * max(1, int(memory_table(dtype))), (7, "int4"),
        expected=4),
    "memory_bytes.bfloat16_missing": lambda: check_count(
        "memory_bytes", lambda n, dtype: n * memory_table(dtype, bfloat16=False),
        (10, "bfloat16"), expected=20),
    "memory_bytes.unknown_dtype_accepted": lambda: check_raises(
        "memory_bytes", lambda n, dtype: n * {"float32": 4}.get(dtype, 4), (10, "float8")),
    "memory_bytes.key_error": lambda: check_raises(
        "memory_bytes", lambda n, dtype: n * {"float32": 4}[dtype], (10, "float8")),
    "gpt2_params.head_counted_twice": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) + V * d, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.positions_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - P * d, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.mlp_width_d": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - L * (6 * d * d + 3 * d), GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.biases_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - 9 * d * L, GPT2_SMALL,
        expected=124_439_808),
    "gpt2_params.layernorms_missing": lambda: check_count(
        "gpt2_params", lambda L, d, V, P: gpt2(L, d, V, P) - 4 * d * L - 2 * d, GPT2_SMALL,
        expected=124_439_808),
    # any function
    "any.returned_none": lambda: check_function("relu", lambda z: None, (Z,), expected=relu(Z)),
    "any.math_on_arrays": lambda: check_function(
        "sigmoid", lambda z: 1 / (1 + math.exp(-z)), (np.array(Z),), expected=sig(Z)),
    "any.if_on_array": lambda: check_function(
        "relu", lambda z: z if z > 0 else 0 * z, (np.array(Z),), expected=relu(Z)),
    "any.list_arithmetic": lambda: check_function(
        "weighted_sum", lambda x, w, b: sum(x * w) + b, ([1.0, 2.0], [3.0, 4.0], 0.5),
        expected=11.5),
    "any.warned_but_right": lambda: check_stable(
        "relu", lambda z: np.where(np.asarray(z) > 0, z, 0 * np.exp(z)), (np.array([-1e4, 1e4]),),
        expected=[0.0, 1e4]),
    "any.assert_for_validation": lambda: check_raises(
        "weighted_sum", assert_for_lengths, ([1.0, 2.0, 3.0], [0.5, 0.5], 0.0)),
}

COLLAPSE = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0]),
            np.array([[0.5, -1.0], [1.5, 0.5]]), np.array([0.25, 2.0]))


def first_layer_w_at_x(x, layers):
    a = np.asarray(x, dtype=float)
    for W, b, act in layers:
        z = W @ a + b
        a = z if act is None else act(z)
    return a


def _fragments(template):
    """The literal parts of an explanation template (between its {placeholders})."""
    return [part.strip() for part in re.split(r"\{[^}]*\}", template) if len(part.strip()) > 3]


@pytest.mark.parametrize("misconception_id", sorted(WRONG_ANSWERS))
def test_the_wrong_answer_is_named(misconception_id):
    with pytest.raises(CheckFailed) as failure:
        WRONG_ANSWERS[misconception_id]()
    error = failure.value
    assert error.misconception is not None, str(error)
    assert error.misconception.id == misconception_id, str(error)
    message = str(error)
    assert message.splitlines()[0] == f"Likely mistake: {error.diagnosis}"
    for fragment in _fragments(error.misconception.explanation):
        assert fragment in message
    assert error.misconception.hint in message


def test_every_registered_misconception_has_a_wrong_answer_here():
    registered = {m.id for m in all_misconceptions()}
    assert registered == set(WRONG_ANSWERS)


def test_misconception_ids_are_unique():
    ids = [m.id for m in all_misconceptions()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("assignment", list(misconceptions.ASSIGNMENTS))
def test_at_least_three_misconceptions_per_assignment(assignment):
    assert sum(m.assignment == assignment for m in all_misconceptions()) >= 3


@pytest.mark.parametrize("name", [n for names in misconceptions.ASSIGNMENTS.values()
                                  for n in names])
def test_every_graded_function_has_a_misconception_and_a_hint(name):
    assert misconceptions.REGISTRY.get(name)
    assert name in misconceptions.HINTS


@pytest.mark.parametrize("phrase, misconception_id", [
    ("the 394 biases", "mlp_params.forgot_biases"),
    ("38,597,376 too high", "gpt2_params.head_counted_twice"),
    ("absolute value", "relu.absolute_value"),
    ("maximum was not subtracted", "softmax.max_not_subtracted"),
    ("wrong axis", "softmax.wrong_axis"),
    ("relu_derivative(0) gave 1", "relu_derivative.one_at_zero"),
    ("single input but not for a batch", "dense.no_batch"),
    ("without the bias", "weighted_sum.forgot_bias"),
    ("1 / (1 + e^z)", "sigmoid.exponent_sign"),
    ("alpha = 0.2 was passed", "leaky_relu.alpha_ignored"),
    ("rounded up", "memory_bytes.int4_rounds_down"),
    ("first layer's output", "forward.first_layer_only"),
    ("the list of every layer's output", "forward.returns_trace"),
    ("a float", "predict.float_for_single"),
    ("two sigmoids are swapped", "sigmoid_bump.swapped_sigmoids"),
])
def test_the_messages_named_in_the_course_plan(phrase, misconception_id):
    with pytest.raises(CheckFailed) as failure:
        WRONG_ANSWERS[misconception_id]()
    assert phrase in str(failure.value).splitlines()[0]


def test_a_right_answer_matches_no_value_misconception():
    attempt = Attempt("relu", args=(Z,), got=relu(Z), expected=relu(Z))
    assert diagnose(attempt) is None


def test_a_predicate_that_breaks_matches_nothing():
    attempt = Attempt("mlp_params", args=("not sizes",), got=3, expected=4)
    assert diagnose(attempt) is None


def test_docs_list_every_misconception():
    text = DOCS.read_text(encoding="utf-8")
    assert misconceptions.markdown() in text, (
        "docs/checks.md is out of date: paste the output of `python -m nnkit.misconceptions` "
        "between its MISCONCEPTIONS markers")


def test_main_prints_the_markdown_list(capsys):
    misconceptions.main()
    out = capsys.readouterr().out
    assert "### 06-parameter-counting" in out
    assert "`gpt2_params.head_counted_twice`" in out
