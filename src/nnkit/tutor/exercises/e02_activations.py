"""Exercise 2, activation functions: element-wise, for any shape, numerically stable.

The learner writes the sigmoid, tanh, ReLU, leaky ReLU, GELU, softmax and two
derivatives, and applies the two-class link of lesson 2 (a softmax over two
logits is the sigmoid of their difference) to a case the lesson did not print:
``two_class_logits(d)`` turns a yes/no score into two logits
(:func:`check_two_class_logits`). "Numerically stable" means no inf/nan and no
RuntimeWarning for inputs up to |z| = 10⁴ (:func:`nnkit.tutor.checks.check_stable`).

>>> EXERCISE.tolerances["gelu"]
Tolerance(rtol=1e-06, atol=0.001)
"""

from __future__ import annotations

import math

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import (
    STABLE_RANGE,
    Tolerance,
    compare,
    converted,
    records_progress,
    run_learner,
    tolerance_for,
)
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import as_numbers, fail, shown
from nnkit.tutor.misconceptions import (
    STABLE,
    Misconceptions,
    gave,
    not_finite,
    numbers,
    overflowed,
    same,
)

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _z(t):
    return numbers(t.arg(0, "z"))


@known("sigmoid", "exponent_sign", "1 / (1 + e^z): the sign of the exponent",
       "the result is 1 / (1 + e^z), the sign in the exponent is flipped: that is "
       "σ(−z) = 1 − σ(z), large for negative z.",
       "σ(z) = 1 / (1 + e^(−z)).")
def _sigmoid_sign(t):
    return gave(t, 1 / (1 + np.exp(_z(t))))


@known("sigmoid", "overflow", "e^(−z) overflows for large negative z",
       "for large negative z, e^(−z) overflows to inf (e^10000 does not fit in a float), "
       "giving nan/inf or a RuntimeWarning.",
       "Never exponentiate a large positive number: use e = np.exp(-np.abs(z)) and "
       "σ = 1/(1+e) where z ≥ 0, e/(1+e) where z < 0.")
def _sigmoid_overflow(t):
    return overflowed(t)


@known("sigmoid", "derivative_instead", "returned the derivative σ(z)(1 − σ(z))",
       "the result is σ(z)·(1 − σ(z)), the derivative, not the sigmoid itself.",
       "Return σ(z) = 1 / (1 + e^(−z)).")
def _sigmoid_derivative_instead(t):
    s = reference.sigmoid(_z(t))
    return gave(t, s * (1 - s))


@known("tanh", "missing_factor_two", "2σ(z) − 1 instead of 2σ(2z) − 1",
       "the result is 2σ(z) − 1: the identity is tanh(z) = 2σ(2z) − 1, with 2z inside.",
       "Use np.tanh(z), or 2 * sigmoid(2 * z) - 1.")
def _tanh_factor(t):
    return gave(t, 2 * reference.sigmoid(_z(t)) - 1)


@known("tanh", "sigmoid_instead", "returned the sigmoid",
       "the result is σ(z), which runs from 0 to 1; tanh runs from −1 to 1.",
       "tanh(z) = 2σ(2z) − 1, or np.tanh(z).")
def _tanh_sigmoid(t):
    return gave(t, reference.sigmoid(_z(t)))


@known("tanh", "overflow", "(e^z − e^−z)/(e^z + e^−z) overflows",
       "the formula (e^z − e^(−z)) / (e^z + e^(−z)) becomes inf/inf = nan for large |z|.",
       "Use np.tanh(z), or the stable 2σ(2z) − 1.")
def _tanh_overflow(t):
    return overflowed(t)


@known("relu", "absolute_value", "relu computed |z|",
       "relu returned positive values for negative inputs: that is the absolute value |z|, "
       "not max(0, z).",
       "Negative inputs must give 0: np.maximum(0, z).")
def _relu_abs(t):
    return gave(t, np.abs(_z(t)))


@known("relu", "min_instead_of_max", "min(0, z) instead of max(0, z)",
       "the result is min(0, z): it keeps the negative part and drops the positive one.",
       "np.maximum(0, z) keeps the positive part.")
def _relu_min(t):
    return gave(t, np.minimum(0.0, _z(t)))


@known("relu", "derivative_instead", "returned the derivative (0 or 1)",
       "the result is 1 where z > 0 and 0 elsewhere: that is relu's derivative (a mask), "
       "not relu itself.",
       "Keep the value, not just its sign: np.maximum(0, z) or z * (z > 0).")
def _relu_mask(t):
    return gave(t, (_z(t) > 0).astype(float))


def _alpha(t):
    return float(t.arg(1, "alpha", 0.01))


@known("leaky_relu", "alpha_ignored", "alpha ignored (always 0.01)",
       "negative inputs were multiplied by 0.01 although alpha = {alpha} was passed: "
       "the alpha argument is ignored.",
       "Use the parameter: np.where(z > 0, z, alpha * z).")
def _leaky_alpha(t):
    z, alpha = _z(t), _alpha(t)
    return alpha != 0.01 and gave(t, np.where(z > 0, z, 0.01 * z)) and {"alpha": alpha}


@known("leaky_relu", "plain_relu", "negative inputs give 0 (plain ReLU)",
       "negative inputs gave 0: that is plain ReLU; leaky ReLU lets alpha·z through.",
       "np.where(z > 0, z, alpha * z).")
def _leaky_plain(t):
    return gave(t, reference.relu(_z(t)))


@known("leaky_relu", "alpha_on_wrong_side", "alpha applied to the positive side",
       "alpha multiplied the positive inputs and the negative ones passed unchanged: the "
       "two branches are swapped.",
       "z where z > 0, alpha·z otherwise.")
def _leaky_swapped(t):
    z = _z(t)
    return gave(t, np.where(z > 0, _alpha(t) * z, z))


@known("gelu", "phi_only", "returned Φ(z) without the factor z",
       "the result is Φ(z), the normal CDF; GELU is z·Φ(z).",
       "Multiply by z: z * 0.5 * (1 + erf(z / sqrt(2))).")
def _gelu_phi(t):
    return gave(t, reference.normal_cdf(_z(t)))


@known("gelu", "sigmoid_approximation", "the z·σ(1.702z) approximation",
       "this is the approximation z·σ(1.702·z), which is off by up to 0.02; only the exact "
       "form or the tanh approximation are within the tolerance of 1e-3.",
       "Use z·Φ(z) with Φ from the error function (math.erf / scipy.special.erf), or the "
       "tanh form 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))).")
def _gelu_sigmoid(t):
    z = _z(t)
    return gave(t, z * reference.sigmoid(1.702 * z))


@known("gelu", "tanh_without_cubic", "the tanh approximation without 0.044715·z³",
       "the tanh approximation lost its cubic term: it is "
       "0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))).",
       "Put z + 0.044715 * z**3 inside the tanh.")
def _gelu_cubic(t):
    z = _z(t)
    return gave(t, 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * z)))


@known("softmax", "global_max", "subtracted the maximum of the whole array",
       "subtracting the largest value of the whole array (not each row's own) makes rows far "
       "below it underflow to 0/0 = nan.",
       "Subtract each row's maximum: z - z.max(axis=-1, keepdims=True).")
def _softmax_global(t):
    z = _z(t)
    e = np.exp(z - np.max(z))
    return z.ndim == 2 and not_finite(t) and same(t.got, e / e.sum(axis=-1, keepdims=True))


@known("softmax", "max_not_subtracted", "the maximum was not subtracted (nan for large logits)",
       "softmax gave nan/inf (or a RuntimeWarning) for large logits: e^z overflows, because "
       "the maximum was not subtracted before exponentiating.",
       "Subtract each row's maximum first; softmax does not change when a constant is "
       "subtracted from a row.")
def _softmax_overflow(t):
    return overflowed(t)


@known("softmax", "wrong_axis", "normalised along the wrong axis",
       "the rows do not each sum to one: the sum ran over the wrong axis (down the columns "
       "or over the whole array).",
       "Sum along the last axis with keepdims: e / e.sum(axis=-1, keepdims=True).")
def _softmax_axis(t):
    z = _z(t)
    if z.ndim < 2:
        return False
    e = np.exp(z - np.max(z))
    return gave(t, reference.softmax(z.T).T) or gave(t, e / e.sum())


@known("softmax", "not_normalised", "exponentiated but not divided by the sum",
       "the result is e^z (shifted or not) without dividing by the sum: it does not add up "
       "to one.",
       "Divide by e.sum(axis=-1, keepdims=True).")
def _softmax_unnormalised(t):
    z = _z(t)
    return gave(t, np.exp(z)) or gave(t, np.exp(z - np.max(z, axis=-1, keepdims=True)))


@known("softmax", "no_exponential", "divided by the sum without exponentiating",
       "the result is z / Σz: without e^z negative logits give negative 'probabilities'.",
       "Exponentiate first: e = np.exp(z - max), then e / e.sum(...).")
def _softmax_no_exp(t):
    z = _z(t)
    return gave(t, z / np.sum(z, axis=-1, keepdims=True))


@known("sigmoid_derivative", "formula_on_z", "z·(1 − z) instead of σ(z)·(1 − σ(z))",
       "the result is z·(1 − z): the formula σ'(z) = σ(z)·(1 − σ(z)) needs σ(z), not z.",
       "s = sigmoid(z); return s * (1 - s).")
def _sd_on_z(t):
    z = _z(t)
    return gave(t, z * (1 - z))


@known("sigmoid_derivative", "sigmoid_instead", "returned σ(z) itself",
       "the result is σ(z), the sigmoid, not its derivative.",
       "σ'(z) = σ(z)·(1 − σ(z)); its largest value is 0.25 at z = 0.")
def _sd_sigmoid(t):
    return gave(t, reference.sigmoid(_z(t)))


@known("sigmoid_derivative", "overflow", "overflow for large |z|",
       "the derivative gave nan/inf (or a RuntimeWarning) for large |z|: it was computed "
       "with an unstable sigmoid.",
       "Compute it from a stable sigmoid: s = sigmoid(z); s * (1 - s).")
def _sd_overflow(t):
    return overflowed(t)


@known("relu_derivative", "one_at_zero", "relu_derivative(0) = 1",
       "relu_derivative(0) gave 1: the contract uses 0 at z = 0 (1 only where z > 0 strictly).",
       "Use z > 0, not z >= 0: np.where(z > 0, 1.0, 0.0).")
def _rd_zero(t):
    z = _z(t)
    return bool(np.any(z == 0)) and gave(t, (z >= 0).astype(float))


@known("relu_derivative", "relu_instead", "returned relu(z) itself",
       "the result is max(0, z), relu itself, not its slope (which is 0 or 1).",
       "The slope of relu is 1 where z > 0 and 0 elsewhere.")
def _rd_relu(t):
    return gave(t, reference.relu(_z(t)))


@known("relu_derivative", "inverted", "1 for negative inputs, 0 for positive",
       "the result is 1 where z < 0 and 0 where z > 0: the comparison is the wrong way round.",
       "np.where(z > 0, 1.0, 0.0).")
def _rd_inverted(t):
    z = _z(t)
    return gave(t, (z <= 0).astype(float)) or gave(t, (z < 0).astype(float))


def _score(t):
    return numbers(t.arg(0, "d"))


def _difference(t):
    """First logit minus second, for logits of the right shape (else None)."""
    got = numbers(t.got)
    d = _score(t)
    if got is None or d is None or got.shape != (*d.shape, 2):
        return None
    return got[..., 0] - got[..., 1]


@known("two_class_logits", "difference_doubled", "logits d and −d: their difference is 2d",
       "the two logits differ by 2d, so softmax gives σ(2d), not σ(d): only the difference "
       "of the two logits counts, and it must be d itself.",
       "Pick two logits whose difference is d; the second one can be anything, e.g. 0.")
def _two_class_doubled(t):
    difference = _difference(t)
    d = _score(t)
    return difference is not None and bool(np.any(d != 0)) and same(difference, 2 * d)


@known("two_class_logits", "probabilities_as_logits", "returned σ(d) and 1 − σ(d)",
       "the result is the two probabilities themselves; they are what the softmax should "
       "give, and softmax turns them into other numbers. Logits are scores before the softmax.",
       "Softmax of two logits is σ(first − second): choose logits whose difference is d.")
def _two_class_probabilities(t):
    d = _score(t)
    return same(t.got, np.stack([reference.sigmoid(d), reference.sigmoid(-d)], axis=-1))


@known("two_class_logits", "swapped", "the two logits in the other order",
       "softmax of these logits gives 1 − σ(d) first: the difference is −d; the first "
       "logit belongs to the class whose probability is σ(d).",
       "Swap the two logits, so that the first minus the second is d.")
def _two_class_swapped(t):
    difference = _difference(t)
    d = _score(t)
    return difference is not None and bool(np.any(d != 0)) and same(difference, -d)


@known("two_class_logits", "wrong_axis", "the logits stacked along the first axis",
       "the first logits of all scores come as one row and the second logits as another: "
       "softmax reads the last axis, so the two logits of each score must sit side by side "
       "there.",
       "np.stack([first, second], axis=-1).")
def _two_class_axis(t):
    got, d = numbers(t.got), _score(t)
    return (got is not None and d.ndim >= 1 and got.shape == (2, *d.shape)
            and same(got[0] - got[1], d))


@known("two_class_logits", "log_of_zero", "log σ(d) overflows for large |d|",
       "the logits log σ(d) and log(1 − σ(d)) are right in exact arithmetic, but for large |d| "
       "one probability rounds to 0 and its log is −inf (NumPy warns: divide by zero).",
       "You need no logarithm: any two logits whose difference is d will do.", modes=STABLE)
def _two_class_log(t):
    return overflowed(t) or any("divide by zero" in w for w in t.warnings)


# --- checks of this exercise ------------------------------------------------------------


@records_progress
def check_two_class_logits(student_fn, d, name: str = "two_class_logits"):
    """Check that the softmax of ``student_fn(d)`` is ``[σ(d), 1 − σ(d)]`` (lesson 2).

    ``d`` is a yes/no score, a number or an array. The logits come back with
    shape ``d.shape + (2,)``, finite and without a RuntimeWarning for |d| up
    to 10⁴, and their softmax along the last axis gives σ(d) first. Any two
    logits whose difference is d pass. Returns the logits as an array.

    >>> def two_class_logits(d):
    ...     d = np.asarray(d, dtype=float)
    ...     return np.stack([d, np.zeros_like(d)], axis=-1)
    >>> check_two_class_logits(two_class_logits, [-1.0, 2.0]).tolist()
    [[-1.0, 0.0], [2.0, 0.0]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    d_values = as_numbers(d)
    if d_values is None:
        raise TypeError(f"check_two_class_logits needs scores d that are numbers, got {d!r}")
    want = np.stack([reference.sigmoid(d_values), reference.sigmoid(-d_values)], axis=-1)
    attempt = run_learner(name, student_fn, (d,), mode="stable")
    attempt.expected = want
    got = converted(attempt)
    if got.shape != want.shape:
        fail(attempt, "{call} " + f"returned logits of shape {got.shape}; expected "
             f"{want.shape}: two logits for each score, along the last axis.",
             [f"returned: {shown(got)}"], expected=want)
    limit = f"|d| up to {STABLE_RANGE:.0e}".replace("e+0", "e")
    if not np.all(np.isfinite(got)):
        fail(attempt, "{call} " + f"must give finite logits ({limit}), but it returned inf "
             "or nan.", [f"returned: {shown(got)}"], expected=want)
    runtime = [w for w in attempt.warnings if w.startswith(("RuntimeWarning", "FloatingPoint"))]
    if runtime:
        fail(attempt, "{call} " + f"must run without a RuntimeWarning ({limit}), but it "
             f"warned: {runtime[0]}", [f"returned: {shown(got)}"], expected=want)
    compare(attempt, reference.softmax(got), want, tolerance_for(name),
            what="softmax gave")
    return got


# --- the slider challenge ---------------------------------------------------------------


SOFTMAX_LOGITS = (2.0, 1.0, 0.1, -1.0)


SHIFT_TOLERANCE = 0.005
"""How far each probability may move in the softmax-shift challenge."""


def _rounded(values):
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


def _check_softmax_shift(v):
    logits = np.array([v[f"z{i + 1}"] for i in range(len(SOFTMAX_LOGITS))], dtype=float)
    temperature = float(v["temperature"])
    if abs(temperature - 1.0) > 1e-6:
        return Verdict(False, f"The temperature is {temperature:.2f}: put it back to 1. This "
                              "challenge is about the logits alone.")
    start = reference.softmax(np.array(SOFTMAX_LOGITS))
    now = reference.softmax(logits)
    not_negative = [f"z{i + 1} = {z:.2f}" for i, z in enumerate(logits) if z >= 0]
    moved = float(np.max(np.abs(now - start))) > SHIFT_TOLERANCE
    if not not_negative and not moved:
        return Verdict(True, f"Right: all four logits are negative ({_rounded(logits)}) and the "
                             f"probabilities are still {_rounded(now)}. Adding the same number "
                             "to every logit multiplies every e^z by the same factor, which "
                             "cancels in the fraction: only the differences between logits "
                             "count.")
    problems = []
    if not_negative:
        problems.append(f"{', '.join(not_negative)} {'is' if len(not_negative) == 1 else 'are'} "
                        "not negative yet")
    if moved:
        problems.append(f"the probabilities moved to {_rounded(now)} (at the start "
                        f"{_rounded(start)}): what change of the logits leaves every "
                        "difference between two of them as it is?")
    return Verdict(False, f"Not yet: {'; '.join(problems)}.")


HINTS = {
    "sigmoid": "σ(z) = 1 / (1 + e^(−z)), element by element. For a large negative z, e^(−z) "
               "overflows: find a form of σ that only ever exponentiates numbers ≤ 0.",
    "tanh": "Lesson 2 writes tanh as a rescaled sigmoid; built on your stable sigmoid, it is "
            "stable too.",
    "relu": "Keep each positive value and replace each negative one by 0, element by element "
            "(an `if` asks about one number, not a whole array).",
    "leaky_relu": "Two cases, element by element: z where z > 0, alpha·z elsewhere, with the "
                  "alpha you are given.",
    "gelu": "z times the normal CDF Φ(z) = (1 + erf(z/√2)) / 2; math.erf takes one number at "
            "a time.",
    "softmax": "Subtracting a row's largest value changes nothing and keeps every exponent "
               "≤ 0; then divide by the row's sum. Work along the last axis.",
    "two_class_logits": "Softmax of two logits is σ(first − second). What must their "
                        "difference be, and does the second one matter?",
    "sigmoid_derivative": "σ'(z) = σ(z)·(1 − σ(z)): compute σ(z) once, with your stable sigmoid.",
    "relu_derivative": "The slope of max(0, z): 1 where z > 0, 0 where z < 0, and the course's "
                       "convention at z = 0 is 0.",
}


EXERCISE = Exercise(
    id="02-activations",
    title="Activation functions",
    graded={
        **{name: getattr(reference, name) for name in (
            "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax")},
        "two_class_logits": None,  # any two logits whose difference is d: check_two_class_logits
        **{name: getattr(reference, name) for name in ("sigmoid_derivative", "relu_derivative")},
    },
    mistakes=MISTAKES,
    hints=HINTS,
    # The exercise accepts the tanh approximation of GELU (off by at most 5e-4).
    tolerances={"gelu": Tolerance(rtol=1e-6, atol=1e-3)},
    challenge=Challenge(
        "softmax-shift",
        "Keep the temperature at 1 and move the logits so that all four are negative while "
        "the four probabilities stay as they are at the start (each within 0.005).",
        "nnkit.explore.activations:softmax_explorer", {}, _check_softmax_shift),
)
