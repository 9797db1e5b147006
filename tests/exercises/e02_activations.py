"""Test data of 02-activations: one failing check per recognised mistake."""

from __future__ import annotations

import math

import numpy as np

from nnkit.tutor.checks import check_function, check_stable
from nnkit.tutor.exercises.e02_activations import check_two_class_logits
from tests.exercises.common import ROWS, Z_GELU, Z, naive_sig, phi, relu, sig, softmax

MISTAKES = {
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
    "two_class_logits.difference_doubled": lambda: check_two_class_logits(
        lambda d: np.stack([np.asarray(d, dtype=float), -np.asarray(d, dtype=float)], axis=-1),
        [-1.0, 0.5, 2.0]),
    "two_class_logits.probabilities_as_logits": lambda: check_two_class_logits(
        lambda d: np.stack([sig(d), sig(-np.asarray(d, dtype=float))], axis=-1), [-1.0, 2.0]),
    "two_class_logits.swapped": lambda: check_two_class_logits(
        lambda d: np.stack([np.zeros(np.shape(d)), np.asarray(d, dtype=float)], axis=-1),
        [-1.0, 2.0]),
    "two_class_logits.wrong_axis": lambda: check_two_class_logits(
        lambda d: np.stack([np.asarray(d, dtype=float), np.zeros(np.shape(d))]), [-1.0, 2.0]),
    "two_class_logits.log_of_zero": lambda: check_two_class_logits(
        lambda d: np.stack([np.log(naive_sig(d)), np.log(1 - naive_sig(d))], axis=-1),
        [-1e4, 0.0, 1e4]),
    "relu_derivative.one_at_zero": lambda: check_function(
        "relu_derivative", lambda z: (np.asarray(z) >= 0).astype(float), ([-1.0, 0.0, 2.0],),
        expected=[0.0, 0.0, 1.0]),
    "relu_derivative.relu_instead": lambda: check_function(
        "relu_derivative", relu, ([-1.0, 0.0, 2.0],), expected=[0.0, 0.0, 1.0]),
    "relu_derivative.inverted": lambda: check_function(
        "relu_derivative", lambda z: (np.asarray(z) < 0).astype(float), ([-1.0, 0.0, 2.0],),
        expected=[0.0, 0.0, 1.0]),
}
"""Each recognised mistake, made on purpose: the check must name it."""


SOFTMAX = {"z1": 2.0, "z2": 1.0, "z3": 0.1, "z4": -1.0, "temperature": 1.0}

CHALLENGE_CASES = (
    {**SOFTMAX, "z1": -0.1, "z2": -1.1, "z3": -2.0, "z4": -3.1},
    [(SOFTMAX, "z1 = 2.00, z2 = 1.00, z3 = 0.10 are not negative"),
     ({**SOFTMAX, "z1": -0.5}, "the probabilities moved"),
     ({**SOFTMAX, "z1": -0.1, "z2": -1.1, "z3": -2.0, "z4": -5.0}, "what change of the logits"),
     ({**SOFTMAX, "z1": -0.1, "z2": -1.1, "z3": -2.0, "z4": -3.1, "temperature": 0.5},
      "put it back to 1")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "sigmoid overflows for large negative z": ("sigmoid", """
        def sigmoid(z):
            return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
        """, {"test_sigmoid", "test_tanh", "test_sigmoid_derivative"}),
    "softmax does not subtract the maximum": ("softmax", """
        def softmax(z):
            exps = np.exp(np.asarray(z, dtype=float))
            return exps / exps.sum(axis=-1, keepdims=True)
        """, {"test_softmax"}),
    "softmax normalises over the whole batch": ("softmax", """
        def softmax(z):
            z = np.asarray(z, dtype=float)
            exps = np.exp(z - z.max())
            return exps / exps.sum()
        """, {"test_softmax"}),
    "two_class_logits gives logits d and -d": ("two_class_logits", """
        def two_class_logits(d):
            d = np.asarray(d, dtype=float)
            return np.stack([d, -d], axis=-1)
        """, {"test_two_class_logits"}),
    "relu_derivative is 1 at z = 0, leaky_relu ignores alpha": ("derivatives", """
        def sigmoid_derivative(z):
            s = sigmoid(z)
            return s * (1.0 - s)

        def relu_derivative(z):
            return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.0)
        """, {"test_relu_derivative"}),
    "leaky_relu ignores alpha": ("relu", """
        def relu(z):
            return np.maximum(np.asarray(z, dtype=float), 0.0)

        def leaky_relu(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, z, 0.01 * z)
        """, {"test_leaky_relu"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "sigmoid": """
        def sigmoid(z):
            return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
        """,
    "tanh": """
        def tanh(z):
            return np.tanh(z)
        """,
    "relu": """
        def relu(z):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, z, 0.0)

        def leaky_relu(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.maximum(z, 0.0) + alpha * np.minimum(z, 0.0)
        """,
    "gelu": """
        def gelu(z):
            z = np.asarray(z, dtype=float)
            inner = np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)
            return 0.5 * z * (1.0 + np.tanh(inner))
        """,
    "softmax": """
        def softmax(z):
            z = np.asarray(z, dtype=float)
            log_norm = z.max(axis=-1, keepdims=True)
            log_norm = log_norm + np.log(np.exp(z - log_norm).sum(axis=-1, keepdims=True))
            return np.exp(z - log_norm)
        """,
    "two_class_logits": """
        def two_class_logits(d):
            half = np.asarray(d, dtype=float) / 2
            return np.stack([half, -half], axis=-1)
        """,
    "derivatives": """
        def sigmoid_derivative(z):
            return sigmoid(z) * sigmoid(-np.asarray(z, dtype=float))

        def relu_derivative(z):
            return (np.asarray(z) > 0).astype(float)
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_softmax_shift",
                    'view.explorer.set(z1=-1.0, z2=-2.0, z3=-2.9, z4=-4.0)')
"""The challenge's answer cell reached with other values than the solution's."""
