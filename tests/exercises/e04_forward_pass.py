"""Test data of 04-forward-pass: one failing check per recognised mistake."""

from __future__ import annotations

import numpy as np

from nnkit.tutor.checks import check_function
from nnkit.tutor.exercises.e04_forward_pass import (
    check_active_units,
    check_forward_trace,
    check_predict,
)
from tests.exercises.common import (
    BATCH,
    LAYERS,
    OUT,
    SQUARE_LAYERS,
    X,
    first_layer_w_at_x,
    net,
    relu,
    trace_in_place,
)

# Two hidden ReLU layers, some units on and some off at X_ON.
DEEP = [(np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0]]), np.array([0.0, -1.0, 0.5]), relu),
        (np.array([[1.0, 1.0, 0.0], [-1.0, 0.0, 1.0]]), np.array([0.0, 0.0]), relu),
        (np.array([[1.0, -1.0]]), np.zeros(1), None)]
X_ON = np.array([2.0, 1.0])

MISTAKES = {
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
    "active_units.input_included": lambda: check_active_units(
        lambda x, layers: [np.flatnonzero(a > 0) for a in net(x, DEEP)[:-1]], X_ON, DEEP),
    "active_units.output_included": lambda: check_active_units(
        lambda x, layers: [np.flatnonzero(a > 0) for a in net(x, DEEP)[1:]], X_ON, DEEP),
    "active_units.mask_not_indices": lambda: check_active_units(
        lambda x, layers: [(a > 0).astype(int) for a in net(x, DEEP)[1:-1]], X_ON, DEEP),
    "active_units.zero_counted_as_on": lambda: check_active_units(
        lambda x, layers: [np.flatnonzero(a >= 0) for a in net(x, DEEP)[1:-1]], X_ON, DEEP),
    "active_units.one_based": lambda: check_active_units(
        lambda x, layers: [np.flatnonzero(a > 0) + 1 for a in net(x, DEEP)[1:-1]], X_ON, DEEP),
}
"""Each recognised mistake, made on purpose: the check must name it."""


CHALLENGE_CASES = (
    {"layer": 2, "x1": -0.5, "x2": 0.0},
    [({"layer": 1, "x1": 1.5, "x2": -0.5}, "unit 6 of hidden layer 2 is on"),
     ({"layer": 2, "x1": 0.0, "x2": 1.0}, "but the network says class 0"),
     ({"layer": 2, "x1": 3.0, "x2": 0.0}, "outside the plane")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "forward ignores the activations": ("forward", """
        def forward(x, layers):
            a = np.asarray(x, dtype=float)
            for W, b, activation in layers:
                a = a @ np.asarray(W).T + b
            return a
        """, {"test_forward", "test_forward_batch", "test_predict"}),
    "forward_trace leaves out the input": ("forward_trace", """
        def forward_trace(x, layers):
            a, outputs = np.asarray(x, dtype=float), []
            for W, b, activation in layers:
                z = a @ np.asarray(W).T + b
                a = z if activation is None else activation(z)
                outputs.append(a)
            return outputs
        """, {"test_forward_trace", "test_active_units"}),
    "predict takes the argmax of the flattened batch": ("predict", """
        def predict(x, layers):
            return int(np.argmax(forward(x, layers)))
        """, {"test_predict"}),
    "active_units keeps the output layer": ("active_units", """
        def active_units(x, layers):
            return [np.flatnonzero(a > 0) for a in forward_trace(x, layers)[1:]]
        """, {"test_active_units"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "forward": """
        def forward(x, layers):
            x = np.asarray(x, dtype=float)
            batch = np.atleast_2d(x)
            for W, b, activation in layers:
                batch = np.stack([np.asarray(W) @ row + b for row in batch])
                if activation is not None:
                    batch = activation(batch)
            return batch if x.ndim == 2 else batch[0]
        """,
    "forward_trace": """
        def forward_trace(x, layers):
            trace = [np.asarray(x, dtype=float)]
            for depth in range(1, len(layers) + 1):
                trace.append(forward(x, layers[:depth]))
            return trace
        """,
    "predict": """
        def predict(x, layers):
            out = np.asarray(forward(x, layers))
            if out.ndim == 1:
                return int(np.argsort(out)[-1])
            return np.array([max(range(len(row)), key=lambda i: row[i]) for row in out])
        """,
    "active_units": """
        def active_units(x, layers):
            a = np.asarray(x, dtype=float)
            on = []
            for W, b, activation in layers[:-1]:
                a = np.asarray(W) @ a + b
                if activation is not None:
                    a = activation(a)
                on.append([i for i, value in enumerate(a) if value > 0])
            return on
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_forward_prediction",
                    "view.explorer.set(x1=-0.25, x2=0.25)")
"""The challenge's answer cell reached with other values than the solution's."""
