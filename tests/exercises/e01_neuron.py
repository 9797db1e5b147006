"""Test data of 01-neuron: one failing check per recognised mistake."""

from __future__ import annotations

import numpy as np

from nnkit.tutor.checks import check_function, check_raises
from tests.exercises.common import and_gate_check, nand_gate_check, or_gate_check, sig, weighted

MISTAKES = {
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
    "nand_gate.swapped_pair": lambda: nand_gate_check(1.5, [-1.0, -1.0]),
    "nand_gate.computes_and": lambda: nand_gate_check([1.0, 1.0], -1.5),
    "nand_gate.silent_at_origin": lambda: nand_gate_check([-1.0, -1.0], -0.5),
    "nand_gate.votes_for": lambda: nand_gate_check([1.0, -1.0], 1.0),
    "nand_gate.threshold_on_input": lambda: nand_gate_check([-1.0, -1.0], 1.0),
    "nand_gate.computes_nor": lambda: nand_gate_check([-1.0, -1.0], 0.5),
}
"""Each recognised mistake, made on purpose: the check must name it."""


NEURON = {"w1": 1.0, "w2": 0.0, "b": 0.5, "activation": "sigmoid", "x1": 2.0, "x2": 0.0}

CHALLENGE_CASES = (
    {**NEURON, "w1": 2.0, "b": 0.0},
    [(NEURON, "lower b"),
     ({**NEURON, "w1": -2.0}, "make w1 positive"),
     ({**NEURON, "w1": 0.2, "b": 0.0}, "steeper"),
     ({**NEURON, "w1": 2.0, "b": 0.0, "activation": "tanh"}, "choose sigmoid")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "weighted_sum truncates to the shorter of x and w": ("weighted_sum", """
        def weighted_sum(x, w, b):
            return float(sum(wi * xi for wi, xi in zip(w, x)) + b)
        """, {"test_weighted_sum_lengths"}),
    "neuron returns z and forgets the activation": ("neuron", """
        def neuron(x, w, b, activation):
            return weighted_sum(x, w, b)
        """, {"test_neuron"}),
    "nand_gate keeps AND's weights and flips only the bias": ("nand_gate", """
        def nand_gate():
            return [1.0, 1.0], 1.5
        """, {"test_nand_gate"}),
    "and_gate puts the border too low (that is OR)": ("and_gate", """
        def and_gate():
            return [1.0, 1.0], -0.5
        """, {"test_and_gate"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "weighted_sum": """
        def weighted_sum(x, w, b):
            x, w = list(x), list(w)
            if len(x) != len(w):
                raise ValueError(f"{len(x)} inputs but {len(w)} weights")
            total = b
            for xi, wi in zip(x, w):
                total += xi * wi
            return total
        """,
    "neuron": """
        def neuron(x, w, b, activation):
            z = weighted_sum(x, w, b)
            a = activation(z)
            return a
        """,
    "and_gate": """
        def and_gate():
            return np.array([2.0, 2.0]), -3.0
        """,
    "or_gate": """
        def or_gate():
            return (0.7, 0.7), np.float64(-0.2)
        """,
    "nand_gate": """
        def nand_gate():
            return np.array([-2.0, -3.0]), 4
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_neuron_switch", "view.explorer.set(w1=3.0, b=0.5)")
"""The challenge's answer cell reached with other values than the solution's."""
