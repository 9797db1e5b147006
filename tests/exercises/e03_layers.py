"""Test data of 03-layers: one failing check per recognised mistake."""

from __future__ import annotations

import numpy as np

from nnkit.tutor.checks import check_function, check_raises
from nnkit.tutor.exercises.e03_layers import (
    check_collapse,
    check_xor3_network,
    check_xor_network,
)
from tests.exercises.common import B1, BATCH, COLLAPSE, W1, X, relu

MISTAKES = {
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
    "xor3_network.W1_transposed": lambda: check_xor3_network(
        lambda: [(np.ones((3, 2)), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))]),
    "xor3_network.too_many_units": lambda: check_xor3_network(
        lambda: [(np.ones((6, 3)), np.zeros(6)), (np.ones((1, 6)), np.zeros(1))]),
    "xor3_network.output_shape": lambda: check_xor3_network(
        lambda: [(np.ones((3, 3)), np.zeros(3)), (np.ones(3), np.zeros(1))]),
    "xor3_network.linear": lambda: check_xor3_network(
        lambda: [(np.ones((3, 3)), np.ones(3)), (np.array([[1.0, -1.0, 1.0]]), np.zeros(1))]),
    "xor3_network.two_input_trick": lambda: check_xor3_network(
        lambda: [(np.ones((2, 3)), np.array([0.0, -1.0])), (np.array([[1.0, -2.0]]),
                                                            np.zeros(1))]),
    "xor3_network.counts": lambda: check_xor3_network(
        lambda: [(np.ones((1, 3)), np.zeros(1)), (np.ones((1, 1)), np.zeros(1))]),
    "xor3_network.ignores_x3": lambda: check_xor3_network(
        lambda: [(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]), np.array([0.0, -1.0])),
                 (np.array([[1.0, -2.0]]), np.zeros(1))]),
}
"""Each recognised mistake, made on purpose: the check must name it."""


XOR_START = {"W1[0,0]": 1.0, "W1[0,1]": 1.0, "b1[0]": 0.0, "W1[1,0]": 1.0, "W1[1,1]": 1.0,
             "b1[1]": -1.0, "W2[0,0]": 1.0, "W2[0,1]": 0.0, "b2[0]": 0.0}
"""The challenge's start: the lesson's network with W2[0,1] = 0, which computes OR."""

XOR_SOLVED = {**XOR_START, "W1[0,1]": -1.0, "b1[1]": 0.0, "W1[1,0]": -1.0, "W2[0,1]": 1.0}
"""XOR with both hidden biases at 0: relu(x₁ − x₂) + relu(x₂ − x₁)."""

CHALLENGE_CASES = (
    XOR_SOLVED,
    [(XOR_START, "right on 3 of 4"),
     (XOR_START, "b1[1] = -1.00"),
     ({**XOR_START, "W2[0,1]": -2.0}, "both hidden biases must be 0"),
     ({**XOR_SOLVED, "W2[0,0]": 0.0, "W2[0,1]": 0.0}, "right on 2 of 4")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "dense works for one input only": ("dense", """
        def dense(x, W, b, activation=None):
            z = np.asarray(W, dtype=float) @ np.asarray(x, dtype=float) + np.asarray(b)
            return z if activation is None else activation(z)
        """, {"test_dense_batch", "test_dense_activation", "test_dense_shapes"}),
    "collapse_linear adds the biases": ("collapse_linear", """
        def collapse_linear(W1, b1, W2, b2):
            return np.asarray(W2) @ np.asarray(W1), np.asarray(b1) + np.asarray(b2)
        """, {"test_collapse_linear"}),
    "collapse_linear multiplies in the wrong order": ("collapse_linear", """
        def collapse_linear(W1, b1, W2, b2):
            W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
            return W1 @ W2, W2 @ np.asarray(b1, dtype=float) + np.asarray(b2, dtype=float)
        """, {"test_collapse_linear"}),
    "xor3_network keeps falling after two inputs": ("xor3_network", """
        def xor3_network():
            W1 = np.ones((2, 3))
            b1 = np.array([0.0, -1.0])
            return [(W1, b1), (np.array([[1.0, -2.0]]), np.array([0.0]))]
        """, {"test_xor3_network"}),
    "xor_network computes OR": ("xor_network", """
        def xor_network():
            hidden = (np.array([[1.0, 1.0]]), np.array([0.0]))
            return [hidden, (np.array([[1.0]]), np.array([0.0]))]
        """, {"test_xor_network"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "dense": """
        def dense(x, W, b, activation=None):
            W = [list(map(float, row)) for row in W]
            b = list(map(float, b))
            single = np.ndim(x) == 1
            rows = [list(x)] if single else [list(r) for r in x]
            if len(b) != len(W) or any(len(r) != len(W[0]) for r in rows):
                raise ValueError(f"x of shape {np.shape(x)} does not fit W of shape "
                                 f"{np.shape(W)} and b of shape {np.shape(b)}")
            out = []
            for r in rows:
                z = [sum(w * v for w, v in zip(wr, r)) + bi for wr, bi in zip(W, b)]
                out.append(z)
            out = np.array(out)
            if activation is not None:
                out = activation(out)
            return out[0] if single else out
        """,
    "collapse_linear": """
        def collapse_linear(W1, b1, W2, b2):
            W = np.einsum("ij,jk->ik", W2, W1)
            b = np.einsum("ij,j->i", W2, b1) + b2
            return W.tolist(), b.tolist()
        """,
    "xor_network": """
        def xor_network():
            W1 = [[1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]]
            b1 = [0.0, 0.0, 0.0]
            W2 = [[1.0, 1.0, 0.0]]
            b2 = [0.0]
            return [(W1, b1), (W2, b2)]
        """,
    "xor3_network": """
        def xor3_network():
            W1 = [[2.0, 2.0, 2.0]] * 3      # twice the count, three times
            b1 = [0.0, -2.0, -4.0]
            W2 = [[0.5, -1.0, 1.0]]
            b2 = [0.0]
            return [(W1, b1), (W2, b2)]
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_xor",
                    "view.explorer.set_layers([([[2.0, -2.0], [-1.0, 1.0]], [0.0, 0.0]), "
                    "([[1.0, 1.0]], [0.0])])")
"""The challenge's answer cell reached with other values than the solution's."""
