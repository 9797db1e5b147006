"""Test data of 05-universal-approximation: one failing check per recognised mistake."""

from __future__ import annotations

import numpy as np

from nnkit.tutor.checks import check_function
from nnkit.tutor.exercises.e05_universal_approximation import (
    check_abs_network,
    check_approximation,
)
from tests.exercises.common import HAT, HAT_X, XS, bump, hat, interpolant, sig

MISTAKES = {
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
    "abs_network.only_on_an_interval": lambda: check_abs_network(
        lambda: interpolant(np.abs, -10.0, 10.0, 2)),
    "abs_network.identity_not_abs": lambda: check_abs_network(
        lambda: (np.array([[1.0], [-1.0]]), np.zeros(2), np.array([[1.0, -1.0]]), np.zeros(1))),
    "abs_network.one_side_only": lambda: check_abs_network(
        lambda: (np.array([[1.0]]), np.zeros(1), np.array([[1.0]]), np.zeros(1))),
}
"""Each recognised mistake, made on purpose: the check must name it."""


HATS = {"target": "sin", "parts": "hats"}

CHALLENGE_CASES = (
    {**HATS, "n_hidden": 10, "spacing": "uniform"},
    [({**HATS, "n_hidden": 16, "spacing": "adaptive"}, "fewer hidden units can do it"),
     ({**HATS, "n_hidden": 11, "spacing": "uniform"}, "fewer hidden units can do it"),
     ({**HATS, "n_hidden": 9, "spacing": "uniform"}, "not below 0.05"),
     ({**HATS, "n_hidden": 11, "spacing": "adaptive"}, "11 hidden units (12 hats"),
     ({**HATS, "n_hidden": 10, "spacing": "uniform", "parts": "bumps"}, "parts hats")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "sigmoid_bump with an overflowing sigmoid": ("sigmoid_bump", """
        def sigmoid_bump(x, left, right, height, steepness=50.0):
            x = np.asarray(x, dtype=float)
            s = lambda t: 1.0 / (1.0 + np.exp(-t))
            return height * (s(steepness * (x - left)) - s(steepness * (x - right)))
        """, {"test_sigmoid_bump"}),
    "relu_hat assumes the peak is in the middle": ("relu_hat", """
        def relu_hat(x, left, peak, right, height):
            x = np.asarray(x, dtype=float)
            middle = (left + right) / 2
            slope = height / (middle - left)
            return slope * (relu(x - left) - 2 * relu(x - middle) + relu(x - right))
        """, {"test_relu_hat"}),
    "abs_network follows |x| only on an interval": ("abs_network", """
        def abs_network():
            return np.ones((2, 1)), np.array([10.0, 0.0]), np.array([[-1.0, 2.0]]), np.array([10.0])
        """, {"test_abs_network"}),
    "approximate ignores a and b": ("approximate", """
        def approximate(f, a, b, n_hidden):
            knots = np.linspace(-np.pi, np.pi, n_hidden + 1)
            values = np.asarray(f(knots), dtype=float)
            slopes = np.diff(values) / np.diff(knots)
            W1 = np.ones((n_hidden, 1))
            b1 = -knots[:-1]
            W2 = np.diff(slopes, prepend=0.0).reshape(1, n_hidden)
            return W1, b1, W2, np.array([values[0]])
        """, {"test_approximate"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "sigmoid_bump": """
        def sigmoid_bump(x, left, right, height, steepness=50.0):
            x = np.asarray(x, dtype=float)
            return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))
        """,
    "relu_hat": """
        def relu_hat(x, left, peak, right, height):
            return height * np.interp(x, [left, peak, right], [0.0, 1.0, 0.0])
        """,
    "approximate": """
        def approximate(f, a, b, n_hidden):
            knots = np.linspace(a, b, n_hidden + 1)[:-1]
            x = np.linspace(a, b, 4001)
            features = np.maximum(x[:, None] - knots[None, :], 0.0)
            design = np.hstack([features, np.ones((x.size, 1))])
            coef, *_ = np.linalg.lstsq(design, f(x), rcond=None)
            return (np.ones((n_hidden, 1)), -knots, coef[:-1].reshape(1, -1),
                    coef[-1:].copy())
        """,
    "abs_network": """
        def abs_network():
            # |x| = relu(2x)/2 + relu(-2x)/2, as two lists
            return [[2.0], [-2.0]], [0.0, 0.0], [[0.5, 0.5]], [0.0]
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_sin_hats",
                    "view.explorer.set(spacing='uniform', n_hidden=12)\n"
                    "view.explorer.set(n_hidden=10, target='sin', parts='hats')")
"""The challenge's answer cell reached with other values than the solution's."""
