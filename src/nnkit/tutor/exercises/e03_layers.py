"""Exercise 3, layers: one matrix product for a whole batch, depth that collapses, XOR.

The learner writes ``dense`` (one input or a batch), ``collapse_linear`` (two
linear layers as one), the weights of a ReLU network that computes XOR
(:func:`check_xor_network`), and, a case the lesson did not print, one that
computes the XOR of three inputs (:func:`check_xor3_network`).

>>> list(EXERCISE.graded)
['dense', 'collapse_linear', 'xor_network', 'xor3_network']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import compare, records_progress, run_learner, tolerance_for
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import as_numbers, described, fail, fail_on_error
from nnkit.tutor.misconceptions import RAISES, Misconceptions, gave, numbers, same

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _dense_parts(t):
    x, W, b = numbers(t.arg(0, "x")), numbers(t.arg(1, "W")), numbers(t.arg(2, "b"))
    return x, W, b, t.arg(3, "activation")


def _apply(act, z):
    return z if act is None else numbers(act(z))


@known("dense", "no_batch", "works for one input but not for a batch",
       "the layer works for a single input but not for a batch: for X of shape (batch, n_in) "
       "the product is X @ W.T + b, shape (batch, n_out); W @ X does not fit.",
       "Write it once for both: np.asarray(x) @ W.T + b works for (n_in,) and (batch, n_in).")
def _dense_batch(t):
    x, W, b, act = _dense_parts(t)
    if x.ndim != 2:
        return False
    if t.error is not None:
        return isinstance(t.error, ValueError | TypeError)
    return gave(t, _apply(act, W @ x.T + b[:, None]))


@known("dense", "W_not_transposed", "used x @ W (W read as (n_in, n_out))",
       "the result is x @ W: that reads W as (n_in, n_out), but W has one row per neuron, "
       "shape (n_out, n_in), so a single input gives W @ x.",
       "W @ x + b for one input, X @ W.T + b for a batch.")
def _dense_transposed(t):
    x, W, b, act = _dense_parts(t)
    if t.error is not None:
        return x.ndim == 1 and W.shape[0] != W.shape[1] and isinstance(t.error, ValueError)
    return W.shape[0] == W.shape[1] and gave(t, _apply(act, x @ W + b))


@known("dense", "forgot_bias", "the bias was left out",
       "the result has no bias: every neuron adds its own bᵢ to its weighted sum.",
       "z = X @ W.T + b, then the activation.")
def _dense_bias(t):
    x, W, _, act = _dense_parts(t)
    return gave(t, _apply(act, x @ W.T))


@known("dense", "activation_ignored", "the activation was not applied",
       "the result is the linear part z = W·x + b: the activation passed in was not applied.",
       "Return activation(z) when activation is not None, z otherwise.")
def _dense_activation(t):
    x, W, b, act = _dense_parts(t)
    return act is not None and gave(t, x @ W.T + b)


@known("dense", "shapes_not_checked", "shapes that do not fit go unnoticed",
       "it returned a result although x, W and b do not fit: NumPy broadcasting stretched "
       "one of them silently.",
       "Check W.shape[1] == x.shape[-1] and b.shape == (W.shape[0],) and raise a ValueError "
       "naming all the shapes.", modes=RAISES)
def _dense_unchecked(t):
    return t.error is None


def _collapse_inputs(t):
    return [numbers(t.arg(i, k)) for i, k in enumerate(("W1", "b1", "W2", "b2"))]


def _collapse_got(t):
    """(W, b) returned; a check of one of the two alone gives the other as None."""
    if isinstance(t.got, tuple):
        return t.got
    got = numbers(t.got)
    if got is None:
        return None, None
    return (got, None) if got.ndim == 2 else (None, got)


@known("collapse_linear", "wrong_order", "W1 @ W2 instead of W2 @ W1",
       "the combined weights are W1 @ W2, but the layer applied first stands on the right: "
       "y = W2 (W1 x + b1) + b2, so W = W2 @ W1.",
       "W = W2 @ W1, b = W2 @ b1 + b2.")
def _collapse_order(t):
    W1, _, W2, _ = _collapse_inputs(t)
    if t.error is not None:
        return isinstance(t.error, ValueError)
    W, _ = _collapse_got(t)
    return W1.shape[1] == W2.shape[0] and same(W, W1 @ W2) and not same(W, W2 @ W1)


@known("collapse_linear", "bias_not_through_W2", "b = b1 + b2",
       "the combined bias is b1 + b2, but b1 passes through the second layer's weights: "
       "b = W2 @ b1 + b2.",
       "b = W2 @ b1 + b2.")
def _collapse_bias_sum(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return b1.shape == b2.shape and same(b, b1 + b2) and not same(b, W2 @ b1 + b2)


@known("collapse_linear", "forgot_b2", "the second bias b2 was left out",
       "the combined bias is W2 @ b1 without the second layer's own bias b2.",
       "b = W2 @ b1 + b2.")
def _collapse_no_b2(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return same(b, W2 @ b1) and not same(b, W2 @ b1 + b2)


@known("collapse_linear", "bias_only_b2", "the first bias b1 was left out",
       "the combined bias is b2 alone: the first layer's bias b1, carried through W2, is missing.",
       "b = W2 @ b1 + b2.")
def _collapse_only_b2(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return same(b, b2) and not same(b, W2 @ b1 + b2)


def _network_mistakes(name, n_inputs, enough):
    """Register the shape mistakes a network of ``n_inputs`` inputs can make."""

    @known(name, "W1_transposed", "W1 written with one column per hidden unit",
           "W1 has shape {shape}: weight matrices have one row per neuron, so the hidden "
           f"layer's W1 is (n_hidden, {n_inputs}): one row per hidden unit, one column per input.",
           "Transpose it: one row per hidden unit, each row holding that unit's "
           f"{n_inputs} input weights.")
    def _transposed(t):
        return t.details.get("transposed", False) and {"shape": t.details.get("W1_shape")}

    @known(name, "too_many_units", "more than four hidden units",
           "the hidden layer has {n} units; the exercise allows at most 4 "
           f"({enough} are enough).",
           "Use fewer hidden units: think about what each one has to detect.")
    def _units(t):
        n = t.details.get("n_hidden", 0)
        return n > 4 and {"n": n}

    @known(name, "output_shape", "the output layer is not (1, n_hidden) and (1,)",
           "the output layer has W2 of shape {W2_shape} and b2 of shape {b2_shape}: one output "
           "neuron means W2 of shape (1, n_hidden) and b2 of shape (1,).",
           "W2 = np.array([[...]]) with one weight per hidden unit, b2 = np.array([...]).")
    def _output_shape(t):
        d = t.details
        return d.get("bad_output_shape", False) and {
            "W2_shape": d.get("W2_shape"), "b2_shape": d.get("b2_shape")}



def _linear_mistake(name):
    """Register the mistake of a network whose ReLUs never bend."""

    @known(name, "linear", "ReLU never bends: the network is linear",
           "every hidden unit has the same sign on all the inputs, so ReLU never bends and the "
           "whole network is linear — and no linear function computes XOR.",
           "Give a hidden unit a bias so that it is off for some inputs and on for others.")
    def _linear(t):
        return t.details.get("linear", False)


_network_mistakes("xor_network", 2, 2)
_linear_mistake("xor_network")


@known("xor_network", "computes_or", "the network computes OR",
       "the output at (1, 1) is about 1: the network computes OR; XOR must come back down "
       "to 0 when both inputs are on.",
       "Add a hidden unit that is on only when both inputs are, and give it an output weight "
       "that brings (1, 1) back down to 0.")
def _xor_or(t):
    return _outputs_near(t, (0.0, 1.0, 1.0, 1.0))


@known("xor_network", "inverted", "the network computes XNOR (inverted XOR)",
       "the outputs are 1 − XOR (1 where the inputs are equal): the output layer's signs are "
       "flipped.",
       "Negate W2 and set b2 so that (0, 0) gives 0.")
def _xor_inverted(t):
    return _outputs_near(t, (1.0, 0.0, 0.0, 1.0))


_network_mistakes("xor3_network", 3, 3)


@known("xor3_network", "two_input_trick", "the two-input trick alone: (1, 1, 1) gives −1",
       "the output follows 0, 1, 0, −1 as the number of inputs that are on goes 0, 1, 2, 3: "
       "the lesson's two units make it rise and fall, but it keeps falling after 2, and "
       "three inputs that are on must give 1.",
       "Add a unit that switches on once three inputs are on and makes the output rise again.")
def _xor3_two_units(t):
    return _outputs_near(t, [count - 2 * max(count - 1, 0) for count in XOR3_COUNTS])


@known("xor3_network", "counts", "the output counts the inputs that are on",
       "the output is the number of inputs that are on (0, 1, 2 or 3); XOR of three is 1 for "
       "an odd count and 0 for an even one.",
       "Keep the count in a hidden unit, and add units that bend the output down after one "
       "input and up again after two.")
def _xor3_counts(t):
    return _outputs_near(t, XOR3_COUNTS)


@known("xor3_network", "ignores_x3", "the third input is ignored (x₁ XOR x₂)",
       "the outputs are x₁ XOR x₂ whatever x₃ is: the third input has no effect.",
       "Every hidden unit that counts should read all three inputs: a weight on x₃ too.")
def _xor3_two_inputs(t):
    return _outputs_near(t, [float(x1 != x2) for x1, x2, _ in XOR3_INPUTS])


_linear_mistake("xor3_network")  # after the mistakes that say more, such as "counts"


def _outputs_near(t, truth_table):
    """The network's outputs are all within the XOR tolerance of ``truth_table``."""
    out = t.details.get("outputs")
    return out is not None and len(out) == len(truth_table) and all(
        abs(o - v) <= XOR_TOLERANCE for o, v in zip(out, truth_table, strict=True))


# --- checks of this exercise ------------------------------------------------------------


XOR_TOLERANCE = 0.1
"""How far the XOR networks' outputs may be from 0 or 1."""

XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_TRUTH = (0.0, 1.0, 1.0, 0.0)

XOR3_INPUTS = tuple(tuple(float(v) for v in bits) for bits in itertools.product((0, 1), repeat=3))
XOR3_COUNTS = tuple(sum(bits) for bits in XOR3_INPUTS)
XOR3_TRUTH = tuple(float(count % 2) for count in XOR3_COUNTS)

MAX_HIDDEN = 4
"""At most this many hidden units, in both XOR networks."""


def _matrix(value, label, attempt):
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    array = as_numbers(value)
    if array is None:
        fail(attempt, "{call} " + f"returned a {label} that is not numbers: "
             f"{described(value, 60)}.")
    return array


def _check_truth_network(name, student_fn, inputs, truth):
    """Run ``student_fn()``, check the shapes of its 2-layer ReLU network and its truth table."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    n_inputs = len(inputs[0])
    attempt = run_learner(name, student_fn, ())
    attempt.expected = list(truth)
    if attempt.error is not None:
        fail_on_error(attempt)
    try:
        (W1, b1), (W2, b2) = attempt.result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        fail(attempt, "{call} " + "should return [(W1, b1), (W2, b2)], but returned "
             f"{described(attempt.result, 80)}.")
    W1, b1, W2, b2 = (_matrix(v, label, attempt)
                      for v, label in ((W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2")))
    d = attempt.details
    d.update(W1_shape=W1.shape, W2_shape=W2.shape, b2_shape=b2.shape)
    if W1.ndim != 2 or W1.shape[1] != n_inputs or b1.shape != (W1.shape[0],):
        d["transposed"] = (W1.ndim == 2 and W1.shape[0] == n_inputs
                           and b1.shape == (W1.shape[1],))
        fail(attempt, "{call} " + f"returned W1 of shape {W1.shape} and b1 of shape "
             f"{b1.shape}; expected W1 (n_hidden, {n_inputs}) and b1 (n_hidden,).")
    n_hidden = d["n_hidden"] = W1.shape[0]
    if n_hidden > MAX_HIDDEN:
        fail(attempt, "{call} " + f"has {n_hidden} hidden units; at most {MAX_HIDDEN} are "
             "allowed.")
    if W2.shape != (1, n_hidden) or b2.shape != (1,):
        d["bad_output_shape"] = True
        fail(attempt, "{call} " + f"returned W2 of shape {W2.shape} and b2 of shape "
             f"{b2.shape}; expected (1, {n_hidden}) and (1,).")
    layers = [(W1, b1, reference.relu), (W2, b2, None)]
    outputs = d["outputs"] = reference.forward(inputs, layers).ravel().tolist()
    # ReLU only bends a unit whose pre-activation changes sign over the inputs.
    hidden = reference.dense(inputs, W1, b1)
    d["linear"] = bool(np.all((hidden >= 0).all(axis=0) | (hidden <= 0).all(axis=0)))
    attempt.got = outputs
    if not _outputs_near(attempt, truth):
        rows = [f"x = ({', '.join(str(int(v)) for v in x)}): output {o:.3g}, want {int(t)}"
                for x, o, t in zip(inputs, outputs, truth, strict=True)]
        fail(attempt, "{call} " + f"does not compute XOR within {XOR_TOLERANCE}.", rows,
             expected=list(truth))
    return W1, b1, W2, b2


@records_progress
def check_xor_network(student_fn: Callable, name: str = "xor_network"):
    """Check that ``student_fn()`` returns ``[(W1, b1), (W2, b2)]`` computing XOR (lesson 3).

    2 inputs → at most 4 ReLU hidden units → 1 linear output, within
    :data:`XOR_TOLERANCE` of x₁ XOR x₂ on all four inputs. Returns the four arrays.

    >>> W1, b1 = [[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]
    >>> W2, b2 = [[1.0, -2.0]], [0.0]
    >>> [a.tolist() for a in check_xor_network(lambda: [(W1, b1), (W2, b2)])][2]
    [[1.0, -2.0]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    return _check_truth_network(name, student_fn, XOR_INPUTS, XOR_TRUTH)


@records_progress
def check_xor3_network(student_fn: Callable, name: str = "xor3_network"):
    """Check that ``student_fn()`` returns a network computing XOR of three inputs (lesson 3).

    3 inputs → at most 4 ReLU hidden units → 1 linear output, within
    :data:`XOR_TOLERANCE` of x₁ XOR x₂ XOR x₃ (1 when an odd number of inputs
    is 1) on all eight inputs of {0, 1}³. Returns the four arrays.

    >>> W1, b1 = [[1.0, 1.0, 1.0]] * 3, [0.0, -1.0, -2.0]
    >>> W2, b2 = [[1.0, -2.0, 2.0]], [0.0]
    >>> check_xor3_network(lambda: [(W1, b1), (W2, b2)])[0].shape
    (3, 3)
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    return _check_truth_network(name, student_fn, XOR3_INPUTS, XOR3_TRUTH)


@records_progress
def check_collapse(student_fn: Callable, W1, b1, W2, b2, rtol=None, atol=None,
                   name: str = "collapse_linear"):
    """Check that ``student_fn(W1, b1, W2, b2)`` returns the one equivalent layer (lesson 3).

    Expected: ``W = W2 @ W1``, ``b = W2 @ b1 + b2``. Returns ``(W, b)`` as arrays.

    >>> import numpy as np
    >>> W, b = check_collapse(lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2),
    ...     np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros(2),
    ...     np.array([[0.5, -1.0], [1.5, 0.5]]), np.zeros(2))
    >>> W.tolist()
    [[-2.5, -3.0], [3.0, 5.0]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    tol = tolerance_for(name, rtol, atol)
    want_W, want_b = reference.collapse_linear(W1, b1, W2, b2)
    attempt = run_learner(name, student_fn, (W1, b1, W2, b2))
    attempt.expected = (want_W, want_b)
    if attempt.error is not None:
        fail_on_error(attempt)
    try:
        W, b = attempt.result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        fail(attempt, "{call} " + "should return a pair (W, b), but returned "
             f"{described(attempt.result, 80)}.", hint="return W, b")
    W, b = as_numbers(W), as_numbers(b)
    if W is None or b is None:
        fail(attempt, "{call} " + "should return (W, b) as arrays of numbers.")
    attempt.got = (W, b)
    compare(attempt, W, want_W, tol, what="W")
    compare(attempt, b, want_b, tol, what="b")
    return W, b


# --- the slider challenge ---------------------------------------------------------------


XOR_SLIDERS = ("W1[0,0]", "W1[0,1]", "b1[0]", "W1[1,0]", "W1[1,1]", "b1[1]",
               "W2[0,0]", "W2[0,1]", "b2[0]")
"""The XOR explorer's sliders, named after the entries of W1, b1, W2 and b2 they set."""

XOR_CHALLENGE_START = {"W1": ((1.0, 1.0), (1.0, 1.0)), "b1": (0.0, -1.0),
                       "W2": ((1.0, 0.0),), "b2": (0.0,)}
"""The lesson's network with W2[0,1] = 0: it computes OR, and its second hidden bias is −1."""


def _check_xor(v):
    W1 = [[v["W1[0,0]"], v["W1[0,1]"]], [v["W1[1,0]"], v["W1[1,1]"]]]
    b1 = [v["b1[0]"], v["b1[1]"]]
    layers = [(W1, b1, reference.relu), ([[v["W2[0,0]"], v["W2[0,1]"]]], [v["b2[0]"]], None)]
    outputs = reference.forward(XOR_INPUTS, layers).ravel().tolist()
    wrong = [f"({x1:g}, {x2:g}) gives {output:.2f} but XOR is {target:g}"
             for (x1, x2), output, target in zip(XOR_INPUTS, outputs, XOR_TRUTH, strict=True)
             if float(output > 0.5) != target]
    biased = [f"b1[{i}] = {bias:.2f}" for i, bias in enumerate(b1) if abs(bias) > 1e-6]
    if not wrong and not biased:
        return Verdict(True, "Right: XOR with both hidden biases at 0. Without a bias a hidden "
                             "unit cannot wait until both inputs are on, so the lesson's "
                             "counting trick is out; instead each hidden unit fires for one of "
                             "XOR's two 'on' inputs and stays silent at (1, 1), which a "
                             "difference of the two inputs does, and the output adds them.")
    problems = []
    if biased:
        problems.append(f"both hidden biases must be 0, and {' and '.join(biased)}")
    if wrong:
        problems.append(f"right on {4 - len(wrong)} of 4 inputs: {'; '.join(wrong)} (an output "
                        "above 0.5 counts as 1)")
    hint = ("Without a bias, can a hidden unit fire for (1, 0) but stay silent for (0, 1) and "
            "(1, 1)? A negative weight is a vote against.")
    return Verdict(False, f"Not yet: {'; and '.join(problems)}. {hint}")


HINTS = {
    "dense": "Each neuron is one row of W: for one input x that is W @ x + b. A batch has one "
             "input per row; which product gives one row of outputs per input row? Check the "
             "shapes before multiplying.",
    "collapse_linear": "Write the second layer applied to the first, W2 (W1 x + b1) + b2, and "
                       "multiply out: what multiplies x, and what is left over?",
    "xor_network": "h = relu(W1 x + b1), y = W2 h + b2. Let one hidden unit count how many "
                   "inputs are on and another fire only when both are; how must the output "
                   "combine them?",
    "xor3_network": "Let hidden units read the count of inputs that are on. XOR of three is "
                    "0, 1, 0, 1 as the count goes 0, 1, 2, 3: the output must rise, fall and "
                    "rise again, and each ReLU that switches on at a count changes the slope "
                    "from there on.",
}


EXERCISE = Exercise(
    id="03-layers",
    title="Layers",
    graded={
        "dense": reference.dense,
        "collapse_linear": reference.collapse_linear,
        "xor_network": None,  # any network within XOR_TOLERANCE of XOR passes
        "xor3_network": None,  # likewise for the XOR of three inputs
    },
    mistakes=MISTAKES,
    hints=HINTS,
    challenge=Challenge(
        "xor",
        "Make the 2-2-1 ReLU network compute XOR (output above 0.5 exactly for (0, 1) and "
        "(1, 0)) with both hidden biases, b1[0] and b1[1], at 0.",
        "nnkit.explore.layers:xor_explorer", XOR_CHALLENGE_START, _check_xor),
)
