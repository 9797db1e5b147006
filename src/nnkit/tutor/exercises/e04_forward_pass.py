"""Exercise 4, the forward pass: layer after layer, for one input or a batch.

A network is a list of layers ``(W, b, activation)``. The learner writes
``forward``, ``forward_trace`` (every layer's output, the input first),
``predict`` (the index of the largest output) and ``active_units`` (which
hidden units an input switches on).

>>> list(EXERCISE.graded)
['forward', 'forward_trace', 'predict', 'active_units']
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import (
    DEFAULT_TOLERANCE,
    compare,
    records_progress,
    run_learner,
    tolerance_for,
)
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import as_numbers, described, fail, fail_on_error, type_name, value_text
from nnkit.tutor.misconceptions import Misconceptions, gave, numbers, same

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _layers(t):
    return [(numbers(W), numbers(b), act) for W, b, act in t.arg(1, "layers")]


def _trace(t, activations=True):
    """The right trace ``[x, a₁, …]`` of the attempt's call (without activations if asked)."""
    layers = [(W, b, act if activations else None) for W, b, act in _layers(t)]
    return reference.forward_trace(t.arg(0, "x"), layers)


def _pre_activations(t):
    """Each layer's ``z = W·a + b``, before its activation, on the right trace."""
    return [reference.dense(a, W, b) for a, (W, b, _) in zip(_trace(t), _layers(t),
                                                                strict=False)]


@known("forward", "returns_trace", "returned every layer's output (the trace)",
       "the result is the list of every layer's output; forward returns only the last one, "
       "the network's output.",
       "Keep only the last activation: return a (after the loop).")
def _forward_trace(t):
    layers = t.arg(1, "layers")
    result = t.result
    return (isinstance(result, list | tuple) and len(result) in (len(layers), len(layers) + 1)
            and len(layers) > 1 and same(result[-1], t.expected))


@known("forward", "first_layer_only", "stopped after the first layer",
       "the result is the first layer's output: the loop ended after one layer (a `return` "
       "inside the loop?).",
       "Return after the loop, once every layer has been applied.")
def _forward_first(t):
    return len(_layers(t)) > 1 and gave(t, _trace(t)[1])


@known("forward", "activations_skipped", "the activations were not applied",
       "the result is what the layers give without their activations: each layer is "
       "activation(W·a + b).",
       "a = activation(a @ W.T + b) when activation is not None.")
def _forward_linear(t):
    return any(act is not None for *_, act in _layers(t)) and gave(
        t, _trace(t, activations=False)[-1])


@known("forward", "no_batch", "works for one input but not for a batch",
       "the forward pass works for a single input but not for a batch of shape (batch, n_in): "
       "W @ a only fits one input.",
       "Use a @ W.T + b, which works for (n_in,) and (batch, n_in) alike.")
def _forward_batch(t):
    x = numbers(t.arg(0, "x"))
    return x.ndim == 2 and (t.error is not None or same(t.got, np.transpose(t.expected)))


@known("forward_trace", "missing_input", "the list does not start with the input x",
       "the list has {n} entries, one per layer: the trace starts with the input x itself, "
       "so it is len(layers) + 1 long.",
       "Start with trace = [x], then append each layer's output.")
def _trace_missing_input(t):
    layers = t.arg(1, "layers")
    return isinstance(t.result, list | tuple) and len(t.result) == len(layers) and {
        "n": len(t.result)}


@known("forward_trace", "pre_activations", "recorded z (before the activation) instead of a",
       "the trace holds the pre-activations z = W·a + b; it should hold each layer's output "
       "a = activation(z).",
       "Append the value after the activation.")
def _trace_z(t):
    zs, trace, result = _pre_activations(t), _trace(t), t.result
    return (isinstance(result, list | tuple) and len(result) == len(trace)
            and all(same(r, z) for r, z in zip(result[1:], zs, strict=True))
            and not all(same(r, a) for r, a in zip(result[1:], trace[1:], strict=True)))


@known("forward_trace", "output_only", "returned only the final output",
       "the result is the network's output alone; forward_trace returns the list "
       "[x, a₁, …, a_L] of every layer's output.",
       "Collect each layer's output in a list and return the list.")
def _trace_output(t):
    return not isinstance(t.result, list | tuple) and same(t.result, _trace(t)[-1])


@known("forward_trace", "same_array_appended", "the same array object appended every time",
       "every entry of the list is the same (the last) array: the loop changed one array in "
       "place and appended that same object again and again.",
       "Append a new array each time (a = activation(a @ W.T + b) makes a new one).")
def _trace_aliased(t):
    result = t.result
    return (isinstance(result, list | tuple) and len(result) > 2
            and all(r is result[-1] for r in result[1:]))


def _outputs(t):
    return _trace(t)[-1]


@known("predict", "float_for_single", "a float for a single input",
       "for a single input predict returned {value!r}, a float: an index is an int.",
       "return int(np.argmax(output)).")
def _predict_float(t):
    value = t.result
    single = numbers(t.arg(0, "x")).ndim == 1
    number = numbers(value)
    return (single and number is not None and number.shape == () and
            np.asarray(value).dtype.kind == "f" and float(number) == t.expected
            and {"value": value})


@known("predict", "array_for_single", "an array holding the index, for a single input",
       "for a single input predict returned an array {value} instead of one int: an index "
       "inside a list or array is not an index.",
       "int(np.argmax(output)) gives a plain int.")
def _predict_array_single(t):
    number = numbers(t.result)
    single = numbers(t.arg(0, "x")).ndim == 1
    return (single and number is not None and number.size == 1 and number.ndim >= 1
            and float(number.ravel()[0]) == t.expected and {"value": number.tolist()})


@known("predict", "outputs_not_index", "returned the outputs, not the index",
       "the result is the network's output values; predict returns the position of the "
       "largest one.",
       "np.argmax(output, axis=-1).")
def _predict_outputs(t):
    return same(t.result, _outputs(t))


@known("predict", "max_value_not_index", "the largest value instead of its index",
       "the result is the largest output value (np.max); predict wants its position "
       "(np.argmax).",
       "np.argmax, not np.max.")
def _predict_max(t):
    return same(t.result, np.max(_outputs(t), axis=-1))


@known("predict", "batch_wrong_axis", "argmax over the wrong axis for a batch",
       "for a batch the argmax ran over the wrong axis (or the whole array): each row is one "
       "input, so the argmax runs along axis=1 (or -1).",
       "np.argmax(outputs, axis=-1), shape (batch,).")
def _predict_axis(t):
    out = _outputs(t)
    return out.ndim == 2 and (same(t.result, np.argmax(out, axis=0))
                              or same(t.result, np.argmax(out)))


@known("predict", "one_based", "counted from 1",
       "every index is one too large: Python counts positions from 0.",
       "np.argmax already counts from 0; do not add 1.")
def _predict_one_based(t):
    return same(t.result, np.argmax(_outputs(t), axis=-1) + 1)


def _hidden_outputs(t):
    """Each hidden layer's output (the right trace without the input and the output)."""
    return _trace(t)[1:-1]


def _index_lists(result):
    """The attempt's result as a list of integer index lists, or None."""
    if not isinstance(result, list | tuple):
        return None
    lists = []
    for entry in result:
        array = numbers(entry)
        if array is None or array.ndim != 1:
            return None
        lists.append([float(v) for v in array.tolist()])
    return lists


def _gave_indices(t, wanted):
    got = _index_lists(t.result)
    return got is not None and got == [[float(i) for i in w] for w in wanted]


@known("active_units", "input_included", "the input counted as a layer of units",
       "the first list holds the input's positions: the input layer computes nothing, it only "
       "holds x; the hidden layers are the layers between the input and the output.",
       "Which entries of the trace belong to hidden layers? Not the first, not the last.")
def _units_input(t):
    trace = _trace(t)
    return _gave_indices(t, [np.flatnonzero(a > 0) for a in trace[:-1]])


@known("active_units", "output_included", "the output layer counted as hidden",
       "the last list holds the output layer's units: the output layer is not hidden, it is "
       "the network's answer.",
       "Stop one layer before the output: there is one list per hidden layer.")
def _units_output(t):
    trace = _trace(t)
    return _gave_indices(t, [np.flatnonzero(a > 0) for a in trace[1:]])


@known("active_units", "mask_not_indices", "a True/False mask instead of the indices",
       "each list has one entry per unit, 1 for on and 0 for off: the exercise asks for the "
       "positions of the units that are on.",
       "np.flatnonzero turns a mask into the positions where it is True.")
def _units_mask(t):
    return _gave_indices(t, [(a > 0).astype(float) for a in _hidden_outputs(t)])


@known("active_units", "zero_counted_as_on", "a unit whose output is 0 counted as on",
       "units with output exactly 0 were counted as on (>= 0): a ReLU unit with output 0 is "
       "off, it passes nothing to the next layer.",
       "On means output > 0.")
def _units_zero(t):
    hidden = _hidden_outputs(t)
    return any(np.any(a == 0) for a in hidden) and _gave_indices(
        t, [np.flatnonzero(a >= 0) for a in hidden])


@known("active_units", "one_based", "units counted from 1",
       "every position is one too large: Python counts positions from 0, so the first unit "
       "of a layer is unit 0.",
       "Positions start at 0, as the index of the unit's output in its layer's array.")
def _units_one_based(t):
    return _gave_indices(t, [np.flatnonzero(a > 0) + 1 for a in _hidden_outputs(t)])


# --- checks of this exercise ------------------------------------------------------------


def _right_trace(x, layers):
    """The answer key's trace ``[x, a₁, …]`` as plain float arrays."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return [as_numbers(a) for a in reference.forward_trace(x, layers)]


@records_progress
def check_forward_trace(student_fn: Callable, x, layers, expected=None, rtol=None, atol=None,
                        name: str = "forward_trace"):
    """Check that ``student_fn(x, layers)`` returns ``[x, a₁, …, a_L]`` (lesson 4).

    ``layers`` is a list of ``(W, b, activation)``. Returns the trace as a list of
    arrays.

    >>> import numpy as np
    >>> layers = [(np.array([[1.0, -1.0]]), np.array([0.5]), None)]
    >>> def forward_trace(x, layers):
    ...     trace = [np.asarray(x, dtype=float)]
    ...     for W, b, act in layers:
    ...         z = trace[-1] @ W.T + b
    ...         trace.append(z if act is None else act(z))
    ...     return trace
    >>> [a.tolist() for a in check_forward_trace(forward_trace, [2.0, 1.0], layers)]
    [[2.0, 1.0], [1.5]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    tol = tolerance_for(name, rtol, atol)
    want = [as_numbers(a) for a in expected] if expected is not None else _right_trace(x, layers)
    attempt = run_learner(name, student_fn, (x, layers))
    attempt.expected = want
    if attempt.error is not None:
        fail_on_error(attempt)
    result = attempt.result
    if not isinstance(result, list | tuple) or len(result) != len(want):
        length = f"a list of {len(result)} entries" if isinstance(result, list | tuple) \
            else type_name(result)
        fail(attempt, "{call} " + f"returned {length}; expected a list of {len(want)} "
             f"arrays [x, a₁, …, a_{len(want) - 1}].", expected=want)
    got = []
    for i, (entry, w) in enumerate(zip(result, want, strict=True)):
        array = as_numbers(entry)
        if array is None:
            fail(attempt, "{call} " + f"entry {i} is not numbers: {described(entry, 60)}.")
        got.append(array)
        attempt.got = got
        label = "x" if i == 0 else f"a{i}"
        compare(attempt, array, w, tol, what=f"entry {i} ({label})")
    return got


@records_progress
def check_predict(student_fn: Callable, x, layers, expected=None, name: str = "predict"):
    """Check ``predict(x, layers)``: an int for one input, an int array for a batch (lesson 4).

    Returns the prediction (an ``int``, or an integer array of shape ``(batch,)``).

    >>> import numpy as np
    >>> layers = [(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2), None)]
    >>> check_predict(lambda x, layers: int(np.argmax(x)), [0.2, 0.9], layers)
    1
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if expected is None:
        expected = _right_trace(x, layers)[-1].argmax(axis=-1)
    want = np.array(expected)
    single = want.ndim == 0
    attempt = run_learner(name, student_fn, (x, layers))
    attempt.expected = want.tolist()
    if attempt.error is not None:
        fail_on_error(attempt)
    result = attempt.result
    array = as_numbers(result)
    attempt.got = array
    kind = np.asarray(result).dtype.kind if array is not None else ""
    if single:
        if array is None or array.shape != () or kind not in "iu" or isinstance(result, bool):
            shown = described(result, 60)
            fail(attempt, "{call} " + f"returned {shown}; for a single input predict returns "
                 "one int, the index of the largest output.", [f"expected: {want.tolist()}"],
                 expected=want.tolist(), hint="return int(np.argmax(output))")
        got = int(array.tolist())
        if got != want.tolist():
            fail(attempt, "{call} " + f"returned {got}, expected {want.tolist()}.",
                 expected=want.tolist())
        return got
    if array is None or array.shape != want.shape or kind not in "iu":
        shown = "not numbers" if array is None else f"{kind and np.asarray(result).dtype} " \
                                                    f"values of shape {array.shape}"
        fail(attempt, "{call} " + f"returned {shown}; for a batch predict returns an integer "
             f"array of shape {want.shape}.", [f"expected: {value_text(want)}"],
             expected=want.tolist(), hint="np.argmax(outputs, axis=-1)")
    compare(attempt, array, want.astype(float), DEFAULT_TOLERANCE)
    return np.array(array.tolist(), dtype=np.int64)


@records_progress
def check_active_units(student_fn: Callable, x, layers, expected=None,
                       name: str = "active_units"):
    """Check ``active_units(x, layers)``: per hidden layer, the units whose output is > 0 (lesson 4).

    Each list may be any sequence of whole numbers in increasing order. Returns the
    lists as integer arrays.

    >>> import numpy as np
    >>> layers = [(np.array([[1.0, 0.0], [0.0, -1.0]]), np.zeros(2), lambda z: np.maximum(z, 0)),
    ...           (np.ones((1, 2)), np.zeros(1), None)]
    >>> def active_units(x, layers):
    ...     a = np.asarray(x, dtype=float)
    ...     on = []
    ...     for W, b, activation in layers[:-1]:
    ...         a = activation(a @ W.T + b)
    ...         on.append(np.flatnonzero(a > 0))
    ...     return on
    >>> [a.tolist() for a in check_active_units(active_units, [2.0, 3.0], layers)]
    [[0]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if expected is None:
        expected = [np.flatnonzero(a > 0) for a in _right_trace(x, layers)[1:-1]]
    want = [[int(i) for i in np.ravel(w)] for w in expected]
    attempt = run_learner(name, student_fn, (x, layers))
    attempt.expected = want
    if attempt.error is not None:
        fail_on_error(attempt)
    result = attempt.result
    n_hidden = len(want)
    if not isinstance(result, list | tuple) or len(result) != n_hidden:
        length = f"a list of {len(result)} entries" if isinstance(result, list | tuple) \
            else type_name(result)
        fail(attempt, "{call} " + f"returned {length}; expected a list of {n_hidden}: one "
             "list of positions per hidden layer.", expected=want)
    got = []
    for layer, (entry, w) in enumerate(zip(result, want, strict=True), start=1):
        array = as_numbers(entry)
        if array is None or array.ndim != 1 or not np.all(array == np.round(array)):
            fail(attempt, "{call} " + f"entry {layer - 1} (hidden layer {layer}) is not a list "
                 f"of positions: {described(entry, 60)}.", expected=want)
        positions = [int(v) for v in array.tolist()]
        got.append(positions)
        attempt.got = got
        if positions != w:
            fail(attempt, "{call} " + f"gave the wrong units for hidden layer {layer}.",
                 [f"returned: {positions}", f"expected: {w}"], expected=want)
    return [np.array(positions, dtype=np.int64) for positions in got]


# --- the slider challenge ---------------------------------------------------------------


CHALLENGE_LAYER = 2
CHALLENGE_UNIT = 6
PLANE = ((-2.0, 2.0), (-1.5, 1.5))  # the plane the hidden-unit maps show


def _check_unit_off_class_one(v):
    from nnkit.examples import two_moons_network

    network = two_moons_network()[0]
    x = np.array([float(v["x1"]), float(v["x2"])])
    where = f"({x[0]:.2f}, {x[1]:.2f})"
    name = f"unit {CHALLENGE_UNIT} of hidden layer {CHALLENGE_LAYER}"
    if not all(low <= value <= high for value, (low, high) in zip(x, PLANE, strict=True)):
        return Verdict(False, f"The point {where} lies outside the plane the maps show; "
                              "choose one inside it.")
    steps = network.trace(x)
    unit = float(steps[CHALLENGE_LAYER].a[CHALLENGE_UNIT])
    probabilities = steps[-1].a
    predicted = int(np.argmax(probabilities))
    if unit > 0:
        return Verdict(False, f"At {where} {name} is on (output {unit:.2f}). Choose hidden "
                              f"layer {CHALLENGE_LAYER} and look at unit {CHALLENGE_UNIT}'s "
                              "map: grey is where it is off.")
    if predicted != 1:
        return Verdict(False, f"At {where} {name} is off, but the network says class "
                              f"{predicted}. Look for a place that is grey in unit "
                              f"{CHALLENGE_UNIT}'s map and blue in the network's map.")
    W, b = network.layers[-1].W, network.layers[-1].b
    hidden = steps[CHALLENGE_LAYER].a
    push = (W[1] - W[0]) * hidden  # each unit's share of (score of class 1 − score of class 0)
    strongest = [int(i) for i in np.argsort(-push)[:2] if push[i] > 0]
    if strongest:
        units = " and ".join(f"unit {i}" for i in strongest)
        amounts = " and ".join(f"{push[i]:.2f}" for i in strongest)
        evidence = (f"here {units} push hardest towards class 1, adding {amounts} to the "
                    "class-1 score minus the class-0 score")
    else:
        evidence = "here no unit that is on favours class 1: the output biases alone do"
    return Verdict(True, f"Right: at {where} {name} is off, and the network still says class 1 "
                         f"(probability {probabilities[1]:.3f}). Why: the output layer adds up "
                         f"every unit of layer {CHALLENGE_LAYER}, each with its own weights; "
                         f"{evidence}. One hidden unit is one feature, not the decision: the "
                         "next layer combines the features that are on.")


HINTS = {
    "forward": "Each layer reads what the layer before it produced: keep one variable for "
               "'what the next layer reads', start it at x, and update it once per layer. "
               "What must happen when a layer's activation is None? Which product fits both "
               "a single input (n_in,) and a batch (batch, n_in)?",
    "forward_trace": "The same loop as forward; what should the list hold before the first "
                     "layer runs, and what does each layer add to it?",
    "predict": "The class is the position of the largest output, not the largest output "
               "itself. For a batch, along which axis do you look for it? And what type is a "
               "position for one input?",
    "active_units": "Which entries of the trace are hidden layers? For each, which positions "
                    "hold an output above 0?",
}


EXERCISE = Exercise(
    id="04-forward-pass",
    title="The forward pass",
    graded={"forward": reference.forward, "forward_trace": reference.forward_trace,
            "predict": reference.predict, "active_units": reference.active_units},
    mistakes=MISTAKES,
    hints=HINTS,
    challenge=Challenge(
        "forward-prediction",
        f"In the two-moons network, find a point where unit {CHALLENGE_UNIT} of hidden layer "
        f"{CHALLENGE_LAYER} is off (its output is 0) but the network still says class 1. "
        "Move x1 and x2; the maps show where each unit is on.",
        "nnkit.explore.network:hidden_unit_maps", {"layer": 1, "x": (1.5, -0.5)},
        _check_unit_off_class_one),
)
