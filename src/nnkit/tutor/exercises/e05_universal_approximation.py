"""Exercise 5, universal approximation: bumps, hats, and networks that draw a function.

The learner writes ``sigmoid_bump`` (two steep sigmoids), ``relu_hat`` (three
ReLUs), ``approximate``, which returns the numbers of a one-hidden-layer
ReLU network, and ``abs_network``, two ReLUs that give ``|x|`` for every
``x``; only the returned numbers are evaluated (:func:`check_approximation`,
:func:`check_abs_network`).

>>> APPROXIMATION_MAX_ERROR
0.01
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import fail_if_arguments_changed, records_progress, run_learner
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import as_numbers, call_text, described, fail, fail_on_error
from nnkit.tutor.misconceptions import Attempt, Misconceptions, gave, numbers

# Bound when this module is imported: a learner who replaces np.sin changes nothing here.
_sin = np.sin

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _bump(t, steepness=None, height=None):
    x = numbers(t.arg(0, "x"))
    left, right = float(t.arg(1, "left")), float(t.arg(2, "right"))
    h = float(t.arg(3, "height")) if height is None else height
    s = float(t.arg(4, "steepness", 50.0)) if steepness is None else steepness
    return reference.sigmoid_bump(x, left, right, h, s)


@known("sigmoid_bump", "swapped_sigmoids", "the two sigmoids are swapped (negative bump)",
       "the bump points the wrong way (height −h): the two sigmoids are swapped; "
       "σ(s(x − left)) switches on first, so it comes first.",
       "Which of the two steps switches on first as x grows? That one comes first.")
def _bump_swapped(t):
    return gave(t, -_bump(t))


@known("sigmoid_bump", "steepness_ignored", "steepness ignored (always 50)",
       "the bump has steepness 50 although steepness = {s} was passed: the argument is ignored.",
       "Use the parameter s = steepness inside both sigmoids.")
def _bump_steepness(t):
    s = float(t.arg(4, "steepness", 50.0))
    return s != 50.0 and gave(t, _bump(t, steepness=50.0)) and {"s": s}


@known("sigmoid_bump", "height_ignored", "height ignored",
       "the bump rises to 1 instead of height = {h}: the height factor is missing.",
       "Multiply the difference of the two sigmoids by height.")
def _bump_height(t):
    h = float(t.arg(3, "height"))
    return h != 1.0 and gave(t, _bump(t, height=1.0)) and {"h": h}


@known("sigmoid_bump", "steepness_not_distributed", "σ(s·x − left) instead of σ(s·(x − left))",
       "the steepness multiplies x but not the shift: σ(s·x − left) switches at x = left/s, "
       "not at x = left.",
       "Put the parentheses around the shift: sigmoid(s * (x - left)).")
def _bump_parentheses(t):
    x = numbers(t.arg(0, "x"))
    left, right = float(t.arg(1, "left")), float(t.arg(2, "right"))
    h, s = float(t.arg(3, "height")), float(t.arg(4, "steepness", 50.0))
    return gave(t, h * (reference.sigmoid(s * x - left) - reference.sigmoid(s * x - right)))


def _hat(x, left, peak, right, height, coefficients=None):
    rise, fall = height / (peak - left), height / (right - peak)
    c1, c2, c3 = coefficients or (rise, -(rise + fall), fall)
    relu = reference.relu
    return c1 * relu(x - left) + c2 * relu(x - peak) + c3 * relu(x - right)


def _hat_args(t):
    points = [float(t.arg(i, k)) for i, k in enumerate(("left", "peak", "right", "height"), 1)]
    return (numbers(t.arg(0, "x")), *points)


@known("relu_hat", "missing_third_relu", "only two ReLUs: the line keeps falling after right",
       "after x = right the result keeps falling below 0: the third ReLU, which cancels the "
       "falling slope at right, is missing.",
       "Add + (height / (right − peak)) · relu(x − right).")
def _hat_two(t):
    x, left, peak, right, height = _hat_args(t)
    rise, fall = height / (peak - left), height / (right - peak)
    return gave(t, _hat(x, left, peak, right, height, (rise, -(rise + fall), 0.0)))


@known("relu_hat", "symmetric_peak_assumed", "peak assumed halfway between left and right",
       "the hat peaks halfway between left and right, not at peak = {peak}.",
       "Use the peak argument: the slopes are height/(peak − left) and height/(right − peak).")
def _hat_midpoint(t):
    x, left, peak, right, height = _hat_args(t)
    middle = (left + right) / 2
    return peak != middle and gave(t, _hat(x, left, middle, right, height)) and {"peak": peak}


@known("relu_hat", "symmetric_coefficients", "coefficients (k, −2k, k) on an uneven hat",
       "the ReLUs are weighted k, −2k, k, which only works when peak is halfway; the middle "
       "ReLU must cancel the rising slope and start the falling one: −(rise + fall).",
       "What slope must the sum have after peak? The middle ReLU has to cancel the rise "
       "and start the fall.")
def _hat_coefficients(t):
    x, left, peak, right, height = _hat_args(t)
    rise = height / (peak - left)
    return gave(t, _hat(x, left, peak, right, height, (rise, -2 * rise, rise)))


@known("relu_hat", "height_ignored", "height ignored (peak of 1)",
       "the hat rises to 1 instead of height = {h}.",
       "Scale the slopes by height.")
def _hat_height(t):
    x, left, peak, right, height = _hat_args(t)
    return height != 1.0 and gave(t, _hat(x, left, peak, right, 1.0)) and {"h": height}


@known("approximate", "flat_shapes", "weights returned as flat vectors",
       "the shapes are {shapes}: W1 is (n_hidden, 1) — one row per hidden unit, one column "
       "for the single input — and W2 is (1, n_hidden), one row for the single output.",
       "W1 = slopes.reshape(-1, 1), W2 = weights.reshape(1, -1), b2 = np.array([c]).")
def _approx_flat(t):
    return t.details.get("flat", False) and {"shapes": t.details.get("shapes")}


@known("approximate", "wrong_unit_count", "a different number of hidden units than asked",
       "asked for n_hidden = {asked} units but the network has {got}.",
       "Use exactly n_hidden ReLU units (n_hidden knots, the first one at a).")
def _approx_count(t):
    d = t.details
    return "units" in d and d["units"] != d.get("asked") and {
        "asked": d.get("asked"), "got": d["units"]}


@known("approximate", "constant_offset", "the whole curve is shifted by a constant",
       "the approximation has the right shape but is shifted by {offset:.3g} everywhere: the "
       "output bias b2 should be f(a), the value where the first hat starts.",
       "Set b2 = [f(a)].")
def _approx_offset(t):
    residuals = t.details.get("residuals")
    if not residuals:
        return False
    offset = sum(residuals) / len(residuals)
    spread = max(abs(r - offset) for r in residuals)
    limit = t.details.get("max_error", 0.01)
    return abs(offset) > limit and spread <= limit and {"offset": offset}


@known("approximate", "interval_not_covered", "the knots do not cover [a, b]",
       "the error is small inside but large near {where}: the hidden units' knots do not "
       "cover the whole interval [a, b].",
       "Spread the knots evenly from a to b: np.linspace(a, b, n_hidden + 1).")
def _approx_edges(t):
    residuals = t.details.get("residuals")
    if not residuals:
        return False
    n = len(residuals)
    edge = max(1, n // 20)
    limit = t.details.get("max_error", 0.01)
    inside = max(abs(r) for r in residuals[edge:-edge])
    worst = max(range(n), key=lambda i: abs(residuals[i]))
    if inside > limit or (edge <= worst < n - edge):
        return False
    return {"where": "a" if worst < edge else "b"}


@known("approximate", "more_units_worse", "more hidden units gave a larger error",
       "with {more} hidden units the error ({worse:.3g}) is larger than with {fewer} "
       "({better:.3g}): a random or fitted construction does not improve reliably. Joining "
       "the points of f at evenly spaced knots does here: doubling the units keeps every "
       "knot and halves every chord.",
       "Place the knots evenly and give each unit the change of slope at its knot.")
def _approx_worse(t):
    return t.details.get("worse", False)


def _abs_outputs(t):
    return t.details.get("outputs"), t.details.get("xs")


@known("abs_network", "only_on_an_interval", "|x| only on an interval, not everywhere",
       "the network gives |x| near 0 but not for x = {x:g}: every hidden unit switches on "
       "to the right (its input weight is positive), so far to the left nothing changes any "
       "more. A ReLU can face left too: relu(−x) is on exactly where x < 0.",
       "What does a hidden unit with input weight −1 compute?")
def _abs_interval(t):
    outputs, xs = _abs_outputs(t)
    if outputs is None:
        return False
    wrong = [x for x, y in zip(xs, outputs, strict=True) if abs(y - abs(x)) > 1e-6 * max(1, abs(x))]
    near = [x for x in xs if abs(x) <= 1.0]
    return bool(wrong) and not set(wrong) & set(near) and {"x": max(wrong, key=abs)}


@known("abs_network", "identity_not_abs", "x instead of |x| (the ReLUs subtracted)",
       "the network gives x, not |x|: relu(x) − relu(−x) is x itself. |x| is the sum "
       "relu(x) + relu(−x).",
       "Look at the sign of the output weights.")
def _abs_identity(t):
    outputs, xs = _abs_outputs(t)
    return outputs is not None and all(abs(y - x) <= 1e-6 * max(1, abs(x))
                                       for x, y in zip(xs, outputs, strict=True))


@known("abs_network", "one_side_only", "only one ReLU: 0 for negative x",
       "the network gives 0 for every negative x: only the ReLU that faces right does "
       "any work. |x| needs a second unit that is on for negative x.",
       "relu(x) covers x > 0; which unit covers x < 0?")
def _abs_one_side(t):
    outputs, xs = _abs_outputs(t)
    return outputs is not None and all(abs(y - max(x, 0.0)) <= 1e-6 * max(1, abs(x))
                                       for x, y in zip(xs, outputs, strict=True))


# --- checks of this exercise ------------------------------------------------------------


APPROXIMATION_MAX_ERROR = 0.01
"""The largest error allowed for sin on [−π, π] with 32 hidden units (exercise 5)."""


@records_progress
def check_approximation(student_fn: Callable, f: Callable | None = None, a: float = -math.pi,
                        b: float = math.pi, n_hidden: int = 32,
                        max_error: float = APPROXIMATION_MAX_ERROR,
                        unit_counts=(8, 16, 32, 64), n_points: int = 1001,
                        name: str = "approximate"):
    """Check ``approximate(f, a, b, n) -> (W1, b1, W2, b2)``, one hidden ReLU layer (lesson 5).

    Shapes ``(n, 1), (n,), (1, n), (1,)``; the largest error on ``n_points`` evenly
    spaced points is at most ``max_error`` for ``n_hidden`` units (default: sin on
    [−π, π], 32 units, 0.01); more units (``unit_counts``) never do worse. The
    errors are computed here from the returned numbers only. Returns the four
    arrays for ``n_hidden``.

    >>> import numpy as np
    >>> def approximate(f, a, b, n):
    ...     knots = np.linspace(a, b, n + 1)
    ...     slopes = np.diff(f(knots)) / np.diff(knots)
    ...     W2 = np.diff(slopes, prepend=0.0).reshape(1, n)
    ...     return np.ones((n, 1)), -knots[:-1], W2, np.array([f(a)])
    >>> [p.shape for p in check_approximation(approximate)]
    [(32, 1), (32,), (1, 32), (1,)]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    f = _sin if f is None else f
    xs = [a + (b - a) * i / (n_points - 1) for i in range(n_points)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        ys = as_numbers(f(np.array(xs))).tolist()
    errors, chosen = {}, None
    for n in sorted({*unit_counts, n_hidden}):
        attempt = run_learner(name, student_fn, (f, a, b, n))
        attempt.details.update(asked=n, max_error=max_error)
        if attempt.error is not None:
            fail_on_error(attempt)
        fail_if_arguments_changed(attempt)
        params = _approximation_params(attempt, n)
        residuals = _residuals(params, xs, ys)
        errors[n] = max(abs(r) for r in residuals)
        if n == n_hidden:
            chosen = params
            attempt.details["residuals"] = residuals
            attempt.got = errors[n]
            attempt.expected = max_error
            if not errors[n] <= max_error:
                worst = max(range(n_points), key=lambda i: abs(residuals[i]))
                fail(attempt, "{call} " + f"is not close enough: largest error "
                     f"{errors[n]:.3g} > {max_error:g}.",
                     [f"worst at x = {xs[worst]:.4g}: network {ys[worst] + residuals[worst]:.4g}"
                     f", f(x) = {ys[worst]:.4g}"], expected=max_error)
    counts = sorted(errors)
    for fewer, more in itertools.pairwise(counts):
        if errors[more] > errors[fewer] + 1e-9:
            attempt = Attempt(name, (f, a, b, more), details={
                "call": call_text(name, (f, a, b, more)),
                "worse": {"more": more, "fewer": fewer, "worse": errors[more],
                          "better": errors[fewer]}})
            fail(attempt, "{call} " + f"is worse with {more} units ({errors[more]:.3g}) than "
                 f"with {fewer} ({errors[fewer]:.3g}).",
                 [f"largest errors: {', '.join(f'{n}: {errors[n]:.3g}' for n in counts)}"])
    return chosen


def _four_arrays(attempt):
    """The returned (W1, b1, W2, b2) as arrays of numbers, or a failure that says what came."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    try:
        W1, b1, W2, b2 = attempt.result
    except Exception:  # not four things, or an object whose iteration fails
        attempt.details["unpacked"] = False
        fail(attempt, "{call} " + "should return (W1, b1, W2, b2), but returned "
             f"{described(attempt.result, 80)}.")
    arrays = [as_numbers(v) for v in (W1, b1, W2, b2)]
    if any(v is None for v in arrays):
        fail(attempt, "{call} " + "returned something that is not four arrays of numbers.")
    return arrays


def _approximation_params(attempt, n):
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    arrays = _four_arrays(attempt)
    shapes = [tuple(v.shape) for v in arrays]
    d = attempt.details
    d["shapes"] = shapes
    d["units"] = shapes[1][0] if len(shapes[1]) == 1 else None
    want = [(n, 1), (n,), (1, n), (1,)]
    if shapes != want:
        d["flat"] = shapes[0] == (d["units"],) or shapes[2] == (d["units"],) or shapes[3] == ()
        fail(attempt, "{call} " + f"returned shapes {shapes}; expected {want}.")
    return arrays


def _residuals(params, xs, ys):
    """The network's output minus f at every point, as plain Python floats."""
    W1, b1, W2, b2 = params
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        outputs = reference.forward(np.array(xs)[:, None], [(W1, b1, reference.relu),
                                                            (W2, b2, None)])
    return [float(o) - y for o, y in zip(outputs.ravel().tolist(), ys, strict=True)]


ABS_POINTS = (-1e6, -1e3, -7.5, -1.0, -0.25, 0.0, 0.3, 1.0, 4.0, 1e3, 1e6)
"""Where ``abs_network`` is evaluated: near 0 and far outside any interval."""

ABS_MAX_UNITS = 2


@records_progress
def check_abs_network(student_fn: Callable, xs=ABS_POINTS, name: str = "abs_network"):
    """Check ``abs_network() -> (W1, b1, W2, b2)``: at most two ReLU units giving ``|x|`` (lesson 5).

    The network (ReLU hidden layer, linear output) is evaluated here, from the
    returned numbers only, at ``xs``; every output must equal ``|x|`` (relative
    tolerance 1e-9). Returns the four arrays.

    >>> import numpy as np
    >>> def abs_network():
    ...     return np.array([[1.0], [-1.0]]), np.zeros(2), np.array([[1.0, 1.0]]), np.zeros(1)
    >>> [p.shape for p in check_abs_network(abs_network)]
    [(2, 1), (2,), (1, 2), (1,)]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    attempt = run_learner(name, student_fn, ())
    if attempt.error is not None:
        fail_on_error(attempt)
    arrays = _four_arrays(attempt)
    shapes = [tuple(v.shape) for v in arrays]
    units = shapes[1][0] if len(shapes[1]) == 1 else 0
    if units < 1 or shapes != [(units, 1), (units,), (1, units), (1,)]:
        fail(attempt, "{call} " + f"returned shapes {shapes}; expected (n, 1), (n,), (1, n) "
             "and (1,) for n hidden units.")
    if units > ABS_MAX_UNITS:
        fail(attempt, "{call} " + f"has {units} hidden units; two are enough, and the task "
             f"allows at most {ABS_MAX_UNITS}.")
    xs = [float(x) for x in xs]
    outputs = [float(o) for o in _network_outputs(arrays, xs)]
    attempt.details.update(outputs=outputs, xs=xs)
    attempt.got, attempt.expected = outputs, [abs(x) for x in xs]
    for x, y in zip(xs, outputs, strict=True):
        if not abs(y - abs(x)) <= 1e-9 * max(1.0, abs(x)):
            fail(attempt, "{call} " + f"gives {y:.6g} at x = {x:g}, not |x| = {abs(x):g}.",
                 [f"outputs at {', '.join(f'{v:g}' for v in xs)}:",
                  f"  {', '.join(f'{v:.6g}' for v in outputs)}"], expected=abs(x))
    return arrays


def _network_outputs(params, xs):
    W1, b1, W2, b2 = params
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        outputs = reference.forward(np.array(xs)[:, None], [(W1, b1, reference.relu),
                                                            (W2, b2, None)])
    return outputs.ravel().tolist()


# --- the slider challenge ---------------------------------------------------------------


TARGET_ERROR = 0.05
FEWEST_UNITS = 10  # with evenly spaced knots; the adaptive ones need 12 (tested)
CHALLENGE_START = {"n_hidden": 16, "spacing": "adaptive"}


def _sin_network(n_hidden, spacing):
    from nnkit.approximation import approximate, max_error

    network = approximate(np.sin, -np.pi, np.pi, n_hidden, spacing=spacing)
    return max_error(np.sin, network, -np.pi, np.pi)


def _check_sin_hats(v):
    if v["target"] != "sin" or v["parts"] != "hats":
        return Verdict(False, f"The explorer shows {v['target']} with {v['parts']}; choose the "
                              "target sin and the parts hats.")
    n_hidden = int(v["n_hidden"])
    if v["spacing"] not in ("uniform", "adaptive"):
        raise ValueError(f"unknown spacing {v['spacing']!r}")
    if not 1 <= n_hidden <= 40:
        return Verdict(False, f"{n_hidden} hidden units is outside the explorer's range.")
    error = _sin_network(n_hidden, v["spacing"])
    shown = (f"{n_hidden} hidden units ({n_hidden + 1} hats, {v['spacing']} knots) leave a "
             f"maximum error of {error:.4f}")
    if error >= TARGET_ERROR:
        return Verdict(False, f"Not yet: {shown}, not below {TARGET_ERROR}. More units make "
                              "the chords shorter; where the knots sit matters too.")
    if n_hidden > FEWEST_UNITS:
        return Verdict(False, f"{shown}: below {TARGET_ERROR}, but fewer hidden units can do "
                              "it. Try fewer, and try both ways of placing the knots.")
    one_less = _sin_network(n_hidden - 1, v["spacing"])
    return Verdict(True, f"Right: {shown}; with one unit less the error is {one_less:.4f}. "
                         "Why: a chord misses a curve by about its length squared times how "
                         "much the curve bends, so the longest chords decide the error. "
                         "Evenly spaced knots make every chord as short as the number of "
                         "units allows; the adaptive knots only ever halve a piece, so their "
                         "error stays put until every worst piece is halved.")


HINTS = {
    "sigmoid_bump": "A steep sigmoid is a step that switches on at its shift. Which two steps, "
                    "subtracted, leave something only between left and right? How does "
                    "steepness enter, and where do the parentheses go?",
    "relu_hat": "Walk along x from left to right: the slope is 0, then rises to reach height "
                "at peak, then falls to reach 0 at right, then 0 again. Each ReLU changes "
                "the slope by its weight at one point: which change is needed at each?",
    "approximate": "Join the points (xₖ, f(xₖ)) by straight lines. Each hidden unit "
                   "relu(x − xₖ) starts a new slope at its knot: what output weight changes "
                   "the slope by the right amount there, and what is the output before the "
                   "first knot?",
    "abs_network": "|x| is two straight lines that meet at 0. Which ReLU gives the right one, "
                   "and which gives the left one?",
}


EXERCISE = Exercise(
    id="05-universal-approximation",
    title="Universal approximation",
    graded={
        "sigmoid_bump": reference.sigmoid_bump,
        "relu_hat": reference.relu_hat,
        "approximate": None,  # any network within APPROXIMATION_MAX_ERROR passes
        "abs_network": None,  # any network of at most two units that gives |x| passes
    },
    mistakes=MISTAKES,
    hints=HINTS,
    challenge=Challenge(
        "sin-hats",
        f"ReLU hats approximate sin on [−π, π]. Find the fewest hidden units that bring the "
        f"maximum error below {TARGET_ERROR}; how the knots are spaced is yours to choose.",
        "nnkit.explore.approximation:approximation_explorer", CHALLENGE_START,
        _check_sin_hats),
)
