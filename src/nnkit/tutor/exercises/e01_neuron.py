"""Exercise 1, the neuron: a weighted sum, an activation, and logic gates by hand.

The learner writes ``weighted_sum`` and ``neuron``, finds the weights of an
AND and an OR neuron (the lesson prints one choice of each) and of a NAND
neuron, which the lesson does not show. Everything the tutor knows about this
exercise is here: the graded functions and their answer key, the mistakes it
recognises, the check of a gate's truth table, the hints, and the lesson's
challenge.

>>> EXERCISE.id, list(EXERCISE.graded)
('01-neuron', ['weighted_sum', 'neuron', 'and_gate', 'or_gate', 'nand_gate'])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import records_progress, run_learner
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import as_numbers, described, fail, fail_on_error
from nnkit.tutor.misconceptions import RAISES, Misconceptions, gave, numbers, same

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _dot(t):
    return float(np.dot(numbers(t.arg(0, "x")), numbers(t.arg(1, "w"))))


@known("weighted_sum", "forgot_bias", "the bias was left out",
       "the result is Σ wᵢ·xᵢ without the bias: z = Σ wᵢ·xᵢ + b adds b once at the end.",
       "Return np.dot(w, x) + b.")
def _weighted_sum_forgot_bias(t):
    return gave(t, _dot(t))


@known("weighted_sum", "bias_per_input", "the bias added once per input",
       "b was added inside the sum, once per input ({n} times): the bias is added once.",
       "Add b after the loop (or after np.dot), not inside it.")
def _weighted_sum_bias_per_input(t):
    n = len(numbers(t.arg(0, "x")))
    return n > 1 and gave(t, _dot(t) + n * float(t.arg(2, "b"))) and {"n": n}


@known("weighted_sum", "products_not_summed", "products returned without summing",
       "the result is the list of products wᵢ·xᵢ (an array), not their sum (one number).",
       "Sum the products: np.dot(w, x) or sum(wi * xi for wi, xi in zip(w, x)).")
def _weighted_sum_products(t):
    products = numbers(t.arg(0, "x")) * numbers(t.arg(1, "w"))
    return same(t.got, products) or same(t.got, products + float(t.arg(2, "b")))


@known("weighted_sum", "lengths_not_checked", "different lengths go unnoticed",
       "it returned a number although x and w have different lengths: zip() (or a loop "
       "over the shorter one) silently drops the extra values.",
       "Compare len(x) and len(w) first and raise ValueError naming both lengths.",
       modes=RAISES)
def _weighted_sum_lengths(t):
    return t.error is None


def _neuron_act(t, z):
    return numbers(t.arg(3, "activation")(z))


@known("neuron", "activation_not_applied", "the activation was never applied",
       "the result is the weighted sum z itself: the activation was never applied to it.",
       "Return activation(z), with z = weighted_sum(x, w, b).")
def _neuron_no_activation(t):
    return gave(t, _dot(t) + float(t.arg(2, "b")))


@known("neuron", "forgot_bias", "the bias was left out",
       "the result is activation(Σ wᵢ·xᵢ) without the bias b.",
       "Add b before applying the activation: activation(np.dot(w, x) + b).")
def _neuron_forgot_bias(t):
    return gave(t, _neuron_act(t, _dot(t)))


@known("neuron", "activation_inside_sum", "the activation applied term by term",
       "the activation was applied to each input or product separately; it belongs on "
       "the total z = Σ wᵢ·xᵢ + b.",
       "First the weighted sum, then one call of the activation.")
def _neuron_activation_inside(t):
    x, w, b = numbers(t.arg(0, "x")), numbers(t.arg(1, "w")), float(t.arg(2, "b"))
    act = t.arg(3, "activation")
    per_product = float(np.sum(numbers(act(x * w)))) + b
    per_input = float(np.dot(w, numbers(act(x)))) + b
    return gave(t, per_product) or gave(t, per_input)


def _gate(name, target_name, other, other_name):
    """Register the misconceptions of one logic gate (AND or OR)."""

    @known(name, "swapped_pair", "returned (b, w) instead of (w, b)",
           "the pair came back as (b, w): the contract's order is (w, b), weights first.",
           "return w, b — with w a list of two weights and b one number.")
    def _swapped(t):
        return t.details.get("swapped", False)

    @known(name, "inverted", f"the outputs are inverted (NOT {target_name})",
           f"every output is the opposite of {target_name}: the signs of w and b are flipped.",
           "Flip the signs of both weights and the bias.")
    def _inverted(t):
        return "outputs" in t.details and t.details["outputs"] == [
            1.0 - v for v in t.details["target"]]

    @known(name, "threshold_on_input", "the weighted sum is exactly 0 on an input",
           "at x = {x} the weighted sum is exactly 0, and step(0) = 0: the threshold sits "
           "on the input itself, so the neuron does not fire there.",
           "Move the bias by half a step so that no input lands on z = 0.")
    def _threshold(t):
        d = t.details
        for x, z, out, want in zip(d.get("inputs", ()), d.get("z", ()),
                                   d.get("outputs", ()), d.get("target", ()), strict=False):
            if abs(z) < 1e-12 and out != want:
                return {"x": x}
        return False

    @known(name, f"computes_{other}", f"the neuron computes {other_name} instead",
           f"the outputs are those of {other_name}, not {target_name}: the bias sets how "
           "many inputs must be on before the neuron fires.",
           "With equal weights w, the bias decides how many votes it takes: for AND it must "
           "outweigh one vote but not two, for OR not even one.")
    def _other_gate(t):
        return t.details.get("outputs") == list(_TRUTH_TABLES[other])

    @known(name, "fires_without_input", "the neuron fires at x = (0, 0)",
           "at x = (0, 0) the weighted sum is just b, and b > 0 makes the neuron fire "
           "with no input at all.",
           "Make the bias negative.")
    def _fires(t):
        return bool(t.details.get("outputs")) and t.details["outputs"][0] == 1.0


_gate("and_gate", "AND", "or", "OR")
_gate("or_gate", "OR", "and", "AND")


@known("nand_gate", "swapped_pair", "returned (b, w) instead of (w, b)",
       "the pair came back as (b, w): the contract's order is (w, b), weights first.",
       "return w, b — with w a list of two weights and b one number.")
def _nand_swapped(t):
    return t.details.get("swapped", False)


@known("nand_gate", "computes_and", "the outputs are inverted: the neuron computes AND",
       "every output is the opposite of NAND, which is AND: the signs of w and b are flipped.",
       "Flip the signs of both weights and the bias.")
def _nand_and(t):
    return t.details.get("outputs") == list(_TRUTH_TABLES["and"])


@known("nand_gate", "silent_at_origin", "the neuron is silent at x = (0, 0)",
       "at x = (0, 0) the weighted sum is just b, and NAND must answer 1 there: with b ≤ 0 "
       "the neuron cannot fire before any input is on.",
       "Start from (0, 0): which sign must the bias have for the neuron to fire there?")
def _nand_silent(t):
    outputs = t.details.get("outputs")
    return bool(outputs) and outputs[0] == 0.0 and t.details.get("b", 0.0) <= 0


@known("nand_gate", "votes_for", "a weight votes for: an input that turns on raises z",
       "{which}, so an input that turns on raises z; NAND must go from 1 to 0 as inputs "
       "turn on, so every input has to vote against.",
       "Make both weights negative: each input that is on votes 'no'.")
def _nand_votes_for(t):
    w = t.details.get("w")
    positive = [f"w{i + 1} = {v:g}" for i, v in enumerate(w or ()) if v > 0]
    which = (f"the weight {positive[0]} is positive" if len(positive) == 1 else
             f"the weights {' and '.join(positive)} are positive")
    return bool(positive) and t.details.get("outputs") is not None and {"which": which}


@known("nand_gate", "threshold_on_input", "the weighted sum is exactly 0 on an input",
       "at x = {x} the weighted sum is exactly 0, and step(0) = 0: the threshold sits on the "
       "input itself, so the neuron does not fire there.",
       "Move the bias by half a step so that no input lands on z = 0.")
def _nand_threshold(t):
    d = t.details
    for x, z, out, want in zip(d.get("inputs", ()), d.get("z", ()), d.get("outputs", ()),
                               d.get("target", ()), strict=False):
        if abs(z) < 1e-12 and out != want:
            return {"x": x}
    return False


@known("nand_gate", "computes_nor", "the neuron computes NOR: one input already silences it",
       "the outputs are those of NOR (1 only at (0, 0)): a single input's 'no' vote already "
       "outweighs the bias, but NAND stays on until both inputs are on.",
       "The bias must outweigh one 'no' vote but not two.")
def _nand_nor(t):
    return t.details.get("outputs") == [1.0, 0.0, 0.0, 0.0]


# --- checks of this exercise ------------------------------------------------------------


_GATE_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
_TRUTH_TABLES = {"and": (0.0, 0.0, 0.0, 1.0), "or": (0.0, 1.0, 1.0, 1.0),
                 "nand": (1.0, 1.0, 1.0, 0.0)}


def _truth_values(truth_table):
    if isinstance(truth_table, str):
        return _TRUTH_TABLES[truth_table.lower()]
    if isinstance(truth_table, Mapping):
        return tuple(float(truth_table[tuple(int(v) for v in x)]) for x in _GATE_INPUTS)
    if callable(truth_table):
        return tuple(float(bool(truth_table(int(a), int(b)))) for a, b in _GATE_INPUTS)
    return tuple(float(v) for v in truth_table)


@records_progress
def check_gate(student_gate_fn: Callable, truth_table, name: str | None = None):
    """Check that ``student_gate_fn()`` returns ``(w, b)`` computing ``truth_table`` (lesson 1).

    The two arguments may come in either order (``check_gate("and", and_gate)``).
    ``truth_table`` is ``"and"``, ``"or"`` or ``"nand"``, a dict ``{(x1, x2): 0 or 1}``, a function
    of ``(x1, x2)``, or the four outputs for (0,0), (0,1), (1,0), (1,1). The neuron is
    ``step(w·x + b)`` with ``step(z) = 1 if z > 0 else 0``. Returns ``(w, b)`` as
    a float array and a float.

    >>> check_gate(lambda: ([1.0, 1.0], -1.5), "and", name="and_gate")
    ([1.0, 1.0], -1.5)
    >>> from nnkit.tutor.messages import CheckFailed
    >>> try:
    ...     check_gate(lambda: ([1.0, 1.0], -1.0), "or", name="or_gate")
    ... except CheckFailed as e:
    ...     print(str(e).splitlines()[0])
    Likely mistake: at x = (0, 1) the weighted sum is exactly 0, and step(0) = 0: the threshold sits on the input itself, so the neuron does not fire there.
    """  # noqa: E501
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if isinstance(student_gate_fn, str | Mapping) and callable(truth_table):
        student_gate_fn, truth_table = truth_table, student_gate_fn  # check_gate("and", and_gate)
    name = name or _gate_name(student_gate_fn, truth_table)
    target = list(_truth_values(truth_table))
    attempt = run_learner(name, student_gate_fn, ())
    attempt.expected = target
    if attempt.error is not None:
        fail_on_error(attempt)
    w, b = _weights_and_bias(attempt)
    z = [w[0] * x1 + w[1] * x2 + b for x1, x2 in _GATE_INPUTS]
    outputs = [1.0 if v > 0 else 0.0 for v in z]
    attempt.got = outputs
    attempt.details.update(inputs=[(int(a), int(c)) for a, c in _GATE_INPUTS], z=z,
                           outputs=outputs, target=target, w=w, b=b)
    if outputs != target:
        rows = [f"x = ({int(x[0])}, {int(x[1])}): w·x + b = {zi:.3g} → {int(o)}, "
                f"want {int(t)}" for x, zi, o, t in zip(_GATE_INPUTS, z, outputs, target,
                                                          strict=True)]
        fail(attempt, "{call} " + f"returned w = {w}, b = {b:g}, which does not compute "
             "the truth table.", rows, expected=target)
    return w, b


def _gate_name(student_gate_fn, truth_table):
    own = getattr(student_gate_fn, "__name__", "<lambda>")
    if own.isidentifier() and own != "<lambda>":
        return own
    return f"{truth_table.lower()}_gate" if isinstance(truth_table, str) else "gate"


def _weights_and_bias(attempt):
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    result = attempt.result
    try:
        w_raw, b_raw = result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        fail(attempt, "{call} " + f"should return a pair (w, b), but returned "
             f"{described(result, 80)}.", hint="return w, b")
    w, b = as_numbers(w_raw), as_numbers(b_raw)
    if w is not None and b is not None and w.size == 1 and b.shape == (2,):
        attempt.details["swapped"] = True
    if w is None or w.shape != (2,) or b is None or b.size != 1:
        fail(attempt, "{call} " + "should return (w, b): w two weights, b one number; got "
             f"{described(result, 80)}.")
    return w.tolist(), float(b.ravel().tolist()[0])


# --- the slider challenge ---------------------------------------------------------------


def _check_neuron_switch(v):
    if v["activation"] != "sigmoid":
        return Verdict(False, f"The activation is {v['activation']}; this challenge is about "
                              "the sigmoid neuron: choose sigmoid again.")
    high = float(reference.sigmoid(2.0 * v["w1"] + v["b"]))
    low = float(reference.sigmoid(-2.0 * v["w1"] + v["b"]))
    shown = f"output {high:.3f} at x = (2, 0) and {low:.3f} at x = (−2, 0)"
    if high > 0.9 and low < 0.1:
        return Verdict(True, f"Right: {shown}. A large w1 makes the sigmoid steep, a small "
                             "b keeps the switch near x1 = 0.")
    if v["w1"] <= 0:
        hint = "w1 is not positive, so larger x1 cannot give a larger output: make w1 positive."
    elif high <= 0.9 and low >= 0.1:
        hint = "both are too close to 0.5: make w1 larger so the sigmoid is steeper."
    elif high <= 0.9:
        hint = "the output at x1 = 2 is too low: raise b or w1."
    else:
        hint = "the output at x1 = −2 is too high: lower b or raise w1."
    return Verdict(False, f"Not yet: {shown}; {hint}")


HINTS = {
    "weighted_sum": "Multiply each input by its weight, add the products, then add b once. "
                    "Compare the lengths of x and w before anything else.",
    "neuron": "Two steps: the weighted sum z of the inputs, then the activation applied to z.",
    "and_gate": "Only (1, 1) may give z > 0. With two equal weights, the bias must outweigh "
                "one input's vote but not two.",
    "or_gate": "(0, 0) must give z ≤ 0 and either input alone z > 0: the bias must be "
               "negative, but less negative than one weight.",
    "nand_gate": "NAND answers 1 unless both inputs are on. Start at (0, 0), where z = b: "
                 "which sign must b have? Then each input that turns on should vote 'no': "
                 "one 'no' must not be enough to silence the neuron, two must be.",
}


EXERCISE = Exercise(
    id="01-neuron",
    title="The neuron",
    graded={
        "weighted_sum": reference.weighted_sum,
        "neuron": reference.neuron,
        "and_gate": None,  # any (w, b) whose step neuron computes AND passes: check_gate
        "or_gate": None,
        "nand_gate": None,  # the gate the lesson does not show
    },
    mistakes=MISTAKES,
    hints=HINTS,
    challenge=Challenge(
        "neuron-switch",
        "With the sigmoid activation, set w1 and b so that the neuron outputs more than "
        "0.9 at x = (2, 0) and less than 0.1 at x = (−2, 0).",
        "nnkit.explore.neuron:neuron_explorer", {"w1": 1.0, "w2": 0.0, "b": 0.5, "x": (2.0, 0.0)},
        _check_neuron_switch),
)
