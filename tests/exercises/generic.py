"""Test data of any function: one failing check per recognised mistake."""

from __future__ import annotations

import math

import numpy as np

from nnkit.tutor.checks import check_function, check_raises, check_stable
from tests.exercises.common import Z, assert_for_lengths, relu, sig

def _softmax_in_place(z):
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


MISTAKES = {
    "any.changed_argument": lambda: check_function(
        "softmax", _softmax_in_place, (np.array([[1.0, 2.0], [3.0, 5.0]]),)),
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
"""Each recognised mistake, made on purpose: the check must name it."""
