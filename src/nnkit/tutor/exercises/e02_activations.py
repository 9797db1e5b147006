"""Exercise 2, activation functions: element-wise, for any shape, numerically stable.

The learner writes the sigmoid, tanh, ReLU, leaky ReLU, GELU, softmax and two
derivatives. "Numerically stable" means no inf/nan and no RuntimeWarning for
inputs up to |z| = 10⁴ (:func:`nnkit.tutor.checks.check_stable`).

>>> EXERCISE.tolerances["gelu"]
Tolerance(rtol=1e-06, atol=0.001)
"""

from __future__ import annotations

import math

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import Tolerance
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.misconceptions import (
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


# --- the slider challenge ---------------------------------------------------------------


SOFTMAX_LOGITS = (2.0, 1.0, 0.1, -1.0)


def _check_softmax_temperature(v):
    logits = np.array([v[f"z{i + 1}"] for i in range(len(SOFTMAX_LOGITS))])
    if not np.allclose(logits, SOFTMAX_LOGITS, atol=1e-9):
        return Verdict(False, f"The logits were moved (now {np.round(logits, 2).tolist()}); "
                              f"put them back to {list(SOFTMAX_LOGITS)} and use the "
                              "temperature alone.")
    top = float(reference.softmax(logits / v["temperature"]).max())
    shown = f"at T = {v['temperature']:.3f} the top class gets {top:.3f}"
    if 0.9 <= top <= 0.95:
        return Verdict(True, f"Right: {shown}. Dividing the logits by T < 1 widens their gaps, "
                             "so the largest one takes more of the probability.")
    direction = "lower the temperature" if top < 0.9 else "raise the temperature a little"
    return Verdict(False, f"Not yet: {shown}, outside 0.90–0.95; {direction}.")


HINTS = {
    "sigmoid": "σ(z) = 1 / (1 + e^(−z)), element-wise; for stability only exponentiate "
               "numbers ≤ 0.",
    "tanh": "tanh(z) = 2σ(2z) − 1, or np.tanh(z).",
    "relu": "relu(z) is np.maximum(0, z): element-wise, for scalars and arrays alike.",
    "leaky_relu": "np.where(z > 0, z, alpha * z), using the alpha argument.",
    "gelu": "gelu(z) = z·Φ(z) with Φ(z) = 0.5·(1 + erf(z/√2)); the tanh approximation also "
            "passes.",
    "softmax": "e = np.exp(z - z.max(axis=-1, keepdims=True)); e / e.sum(axis=-1, "
               "keepdims=True).",
    "sigmoid_derivative": "s = sigmoid(z); return s * (1 - s).",
    "relu_derivative": "1.0 where z > 0, else 0.0 (also at z = 0).",
}


EXERCISE = Exercise(
    id="02-activations",
    title="Activation functions",
    graded={name: getattr(reference, name) for name in (
        "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax",
        "sigmoid_derivative", "relu_derivative")},
    mistakes=MISTAKES,
    hints=HINTS,
    # The exercise accepts the tanh approximation of GELU (off by at most 5e-4).
    tolerances={"gelu": Tolerance(rtol=1e-6, atol=1e-3)},
    challenge=Challenge(
        "softmax-temperature",
        "Leave the logits (2, 1, 0.1, −1) as they are and set the temperature so that "
        "the most likely class gets between 0.90 and 0.95 of the probability.",
        "nnkit.explore.activations:softmax_explorer", {}, _check_softmax_temperature),
)
