"""The typical wrong answers to the exercises, and what each one means.

Every graded function of the six exercises has a few known mistakes. Each is
a :class:`Misconception`: a small predicate over an :class:`Attempt` (the
arguments, what came back, what was expected) and a sentence saying what the
mistake means. When a check in :mod:`nnkit.checking` fails, it asks
:func:`diagnose` which mistake fits and puts that sentence first in its
message. Used by every exercise (lessons 1–6).

>>> from nnkit.tutor.misconceptions import Attempt, diagnose
>>> attempt = Attempt("relu", args=([-2.0, 3.0],), got=[2.0, 3.0], expected=[0.0, 3.0])
>>> diagnose(attempt).id
'relu.absolute_value'

The full list, by exercise, is printed by ``python -m nnkit.misconceptions``
and kept in ``docs/checks.md``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nnkit.tutor.contract import ASSIGNMENTS

# Bound once, so that a learner who later replaces np.allclose cannot change a diagnosis.
_allclose = np.allclose
_array = np.array
_errstate = np.errstate

VALUE = frozenset({"value", "stable"})
STABLE = frozenset({"stable"})
RAISES = frozenset({"raises"})


GENERIC = "*"
"""Registry key of the mistakes that can happen in any function."""


@dataclass
class Attempt:
    """One call of a learner's function, as a check saw it.

    ``result`` is what came back (``None`` if the call raised ``error``),
    ``got`` the same converted to numbers (``None`` when it could not be),
    ``expected`` the right answer as plain numbers, ``warnings`` the warnings
    the call emitted, ``details`` whatever else a special check measured.
    ``mode`` is ``"value"``, ``"stable"`` or ``"raises"``.
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    mode: str = "value"
    result: object = None
    error: BaseException | None = None
    warnings: list[str] = field(default_factory=list)
    got: object = None
    expected: object = None
    details: dict = field(default_factory=dict)

    def arg(self, index: int, keyword: str | None = None, default=None):
        """The argument at position ``index`` (or passed as ``keyword``).

        >>> Attempt("leaky_relu", args=([-1.0],), kwargs={"alpha": 0.2}).arg(1, "alpha", 0.01)
        0.2
        """
        if keyword is not None and keyword in self.kwargs:
            return self.kwargs[keyword]
        if index < len(self.args):
            return self.args[index]
        return default


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer: where it happens, how to recognise it, what it means.

    ``matches(attempt)`` returns a false value, ``True``, or a dict of numbers
    that fill the ``{placeholders}`` of ``explanation``.
    """

    function: str
    key: str
    title: str
    explanation: str
    hint: str
    matches: Callable[[Attempt], object]
    modes: frozenset = VALUE

    @property
    def id(self) -> str:
        """``function.key``, e.g. ``"softmax.max_not_subtracted"`` (``any.…`` if generic).

        >>> [m.id for m in REGISTRY["relu"]][0]
        'relu.absolute_value'
        """
        return f"{'any' if self.function == GENERIC else self.function}.{self.key}"

    @property
    def assignment(self) -> str:
        """The exercise this mistake belongs to (``"any"`` for generic ones).

        >>> REGISTRY["gpt2_params"][0].assignment
        '06-parameter-counting'
        """
        for assignment, names in ASSIGNMENTS.items():
            if self.function in names:
                return assignment
        return "any"

    def describe(self, attempt: Attempt) -> str:
        """The explanation, with this attempt's numbers filled in."""
        found = _quietly(self.matches, attempt)
        values = found if isinstance(found, dict) else {}
        try:
            return self.explanation.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.explanation


REGISTRY: dict[str, list[Misconception]] = {}
"""Known mistakes by graded function name (``"*"`` for any function)."""


def _known(function, key, title, explanation, hint, modes=VALUE):
    """Register the decorated predicate as a misconception of ``function``."""

    def register(predicate):
        misconception = Misconception(function, key, title, explanation, hint, predicate, modes)
        REGISTRY.setdefault(function, []).append(misconception)
        return predicate

    return register


def diagnose(attempt: Attempt) -> Misconception | None:
    """The first known mistake that fits ``attempt``, or ``None``.

    The mistakes of the function itself are tried before the generic ones.

    >>> attempt = Attempt("mlp_params", args=([784, 256, 128, 10],),
    ...                   got=234752, expected=235146)
    >>> m = diagnose(attempt)
    >>> m.id
    'mlp_params.forgot_biases'
    >>> print(m.describe(attempt))
    234,752 counts only the weights: the 394 biases (one per neuron of every layer after the input) were forgotten.
    """  # noqa: E501
    for misconception in [*REGISTRY.get(attempt.name, ()), *REGISTRY[GENERIC]]:
        if attempt.mode in misconception.modes and _quietly(misconception.matches, attempt):
            return misconception
    return None


def all_misconceptions() -> list[Misconception]:
    """Every registered misconception, in exercise order, generic ones last.

    >>> len(all_misconceptions()) >= 18
    True
    """
    ordered = [name for names in ASSIGNMENTS.values() for name in names] + [GENERIC]
    return [m for name in ordered for m in REGISTRY.get(name, ())]


def markdown() -> str:
    """The list of recognised misconceptions as Markdown (for ``docs/checks.md``).

    >>> print(markdown().splitlines()[2])
    - `weighted_sum` — **the bias was left out** (`weighted_sum.forgot_bias`)
    """
    lines = []
    for assignment, names in [*ASSIGNMENTS.items(), ("any function", (GENERIC,))]:
        lines.append(f"### {assignment}\n")
        for name in names:
            for m in REGISTRY.get(name, ()):
                shown = "any function" if name == GENERIC else f"`{name}`"
                lines.append(f"- {shown} — **{m.title}** (`{m.id}`)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def hint_for(name: str) -> str:
    """The general hint for ``name`` when no known mistake fits.

    >>> hint_for("relu")
    'relu(z) is np.maximum(0, z): element-wise, for scalars and arrays alike.'
    """
    return HINTS.get(name, "Compare your function with the formula in the exercise, step by step.")


# --- small helpers for the predicates -------------------------------------------------


def _quietly(predicate, attempt):
    """Run a predicate with warnings silenced; a predicate that fails matches nothing."""
    with warnings.catch_warnings(), _errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return predicate(attempt)
        except Exception:  # a diagnosis is advice: a predicate that cannot tell says no
            return False


def _numbers(value):
    """``value`` as a float array, or ``None`` when it is not numbers."""
    if value is None or isinstance(value, str | bytes):
        return None
    try:
        return _array(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _same(value, reference, rtol=1e-5, atol=1e-8) -> bool:
    """Whether ``value`` equals ``reference`` as numbers (same shape, nan where nan)."""
    a, b = _numbers(value), _numbers(reference)
    if a is None or b is None or a.shape != b.shape:
        return False
    return bool(_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _wrong(attempt, reference) -> bool:
    """The attempt equals ``reference`` but not the expected answer."""
    return _same(attempt.got, reference) and not _same(attempt.got, attempt.expected)


def _sigmoid(z):
    z = _numbers(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _relu(z):
    return np.maximum(0.0, _numbers(z))


def _not_finite(attempt) -> bool:
    got = _numbers(attempt.got if attempt.got is not None else attempt.result)
    return got is not None and not bool(np.all(np.isfinite(got)))


def _overflowed(attempt) -> bool:
    """The call warned of overflow, or gave inf/nan where the answer has none."""
    warned = any(("overflow" in w or "invalid value" in w) for w in attempt.warnings)
    return warned or (_not_finite(attempt) and not _same(attempt.got, attempt.expected))


def _error_says(attempt, kind, *fragments) -> bool:
    error = attempt.error
    return isinstance(error, kind) and any(f in str(error) for f in fragments)


def _layers(attempt):
    return [(_numbers(W), _numbers(b), act) for W, b, act in attempt.arg(1, "layers")]


def _forward_steps(x, layers, activations=True):
    """Every layer's (z, a) for input ``x`` (single or batch)."""
    a = _numbers(x)
    steps = []
    for W, b, act in layers:
        z = a @ W.T + b
        a = _numbers(act(z)) if (activations and act is not None) else z
        steps.append((z, a))
    return steps


# --- any function ------------------------------------------------------------------------


@_known(GENERIC, "returned_none", "the function returned None",
        "the function returned None: it computes something but has no `return` "
        "statement (or returns before the end).",
        "End the function with `return` and the result.",
        modes=frozenset({"value", "stable"}))
def _returned_none(t):
    return t.error is None and t.result is None and t.got is None and "unpacked" not in t.details


@_known(GENERIC, "math_on_arrays", "the math module used on an array",
        "the math module (math.exp, math.tanh, …) works on one number at a time, "
        "and this input is an array.",
        "Use NumPy's element-wise versions: np.exp, np.tanh, np.maximum.")
def _math_on_arrays(t):
    return _error_says(t, TypeError, "only length-1 arrays", "only 0-dimensional arrays",
                       "only size-1 arrays", "must be real number, not")


@_known(GENERIC, "if_on_array", "an `if` (or Python's max) on an array",
        "an `if`, `and`/`or` or Python's max() asks one yes/no question, but z is an "
        "array with many values.",
        "Work element-wise: np.where(z > 0, a, b) or np.maximum(0, z).")
def _if_on_array(t):
    return _error_says(t, ValueError, "truth value of an array")


@_known(GENERIC, "list_arithmetic", "arithmetic on Python lists",
        "Python lists do not compute element by element ([1, 2] * 2 repeats the list, "
        "and a list times a float is an error).",
        "Convert the inputs first: x = np.asarray(x, dtype=float).")
def _list_arithmetic(t):
    return _error_says(t, TypeError, "can't multiply sequence", "unsupported operand type(s)",
                       "can only concatenate list", "bad operand type for unary -: 'list'",
                       "not supported between instances of 'list'")


@_known(GENERIC, "warned_but_right", "right numbers, but a RuntimeWarning on the way",
        "the numbers are right, but NumPy warned (overflow or invalid value) on the way: "
        "np.where computes both branches for every element, so a branch you throw away "
        "still overflows.",
        "Only exponentiate numbers ≤ 0, e.g. e = np.exp(-np.abs(z)), then combine.",
        modes=STABLE)
def _warned_but_right(t):
    return bool(t.warnings) and _same(t.got, t.expected)


@_known(GENERIC, "assert_for_validation", "assert used to check the input",
        "the check uses `assert`, which raises AssertionError (and is skipped entirely "
        "under python -O), not the ValueError the exercise asks for.",
        "Write `if <bad>: raise ValueError(\"expected …, got …\")`.", modes=RAISES)
def _assert_for_validation(t):
    return isinstance(t.error, AssertionError)


# --- 01-neuron -----------------------------------------------------------------------------


def _dot(t):
    return float(np.dot(_numbers(t.arg(0, "x")), _numbers(t.arg(1, "w"))))


@_known("weighted_sum", "forgot_bias", "the bias was left out",
        "the result is Σ wᵢ·xᵢ without the bias: z = Σ wᵢ·xᵢ + b adds b once at the end.",
        "Return np.dot(w, x) + b.")
def _weighted_sum_forgot_bias(t):
    return _wrong(t, _dot(t))


@_known("weighted_sum", "bias_per_input", "the bias added once per input",
        "b was added inside the sum, once per input ({n} times): the bias is added once.",
        "Add b after the loop (or after np.dot), not inside it.")
def _weighted_sum_bias_per_input(t):
    n = len(_numbers(t.arg(0, "x")))
    return n > 1 and _wrong(t, _dot(t) + n * float(t.arg(2, "b"))) and {"n": n}


@_known("weighted_sum", "products_not_summed", "products returned without summing",
        "the result is the list of products wᵢ·xᵢ (an array), not their sum (one number).",
        "Sum the products: np.dot(w, x) or sum(wi * xi for wi, xi in zip(w, x)).")
def _weighted_sum_products(t):
    products = _numbers(t.arg(0, "x")) * _numbers(t.arg(1, "w"))
    return _same(t.got, products) or _same(t.got, products + float(t.arg(2, "b")))


@_known("weighted_sum", "lengths_not_checked", "different lengths go unnoticed",
        "it returned a number although x and w have different lengths: zip() (or a loop "
        "over the shorter one) silently drops the extra values.",
        "Compare len(x) and len(w) first and raise ValueError naming both lengths.",
        modes=RAISES)
def _weighted_sum_lengths(t):
    return t.error is None


def _neuron_act(t, z):
    return _numbers(t.arg(3, "activation")(z))


@_known("neuron", "activation_not_applied", "the activation was never applied",
        "the result is the weighted sum z itself: the activation was never applied to it.",
        "Return activation(z), with z = weighted_sum(x, w, b).")
def _neuron_no_activation(t):
    return _wrong(t, _dot(t) + float(t.arg(2, "b")))


@_known("neuron", "forgot_bias", "the bias was left out",
        "the result is activation(Σ wᵢ·xᵢ) without the bias b.",
        "Add b before applying the activation: activation(np.dot(w, x) + b).")
def _neuron_forgot_bias(t):
    return _wrong(t, _neuron_act(t, _dot(t)))


@_known("neuron", "activation_inside_sum", "the activation applied term by term",
        "the activation was applied to each input or product separately; it belongs on "
        "the total z = Σ wᵢ·xᵢ + b.",
        "First the weighted sum, then one call of the activation.")
def _neuron_activation_inside(t):
    x, w, b = _numbers(t.arg(0, "x")), _numbers(t.arg(1, "w")), float(t.arg(2, "b"))
    act = t.arg(3, "activation")
    per_product = float(np.sum(_numbers(act(x * w)))) + b
    per_input = float(np.dot(w, _numbers(act(x)))) + b
    return _wrong(t, per_product) or _wrong(t, per_input)


def _gate(name, target_name, other, other_name):
    """Register the misconceptions of one logic gate (AND or OR)."""

    @_known(name, "swapped_pair", "returned (b, w) instead of (w, b)",
            "the pair came back as (b, w): the contract's order is (w, b), weights first.",
            "return w, b — with w a list of two weights and b one number.")
    def _swapped(t):
        return t.details.get("swapped", False)

    @_known(name, "inverted", f"the outputs are inverted (NOT {target_name})",
            f"every output is the opposite of {target_name}: the signs of w and b are flipped.",
            "Flip the signs of both weights and the bias.")
    def _inverted(t):
        return "outputs" in t.details and t.details["outputs"] == [
            1.0 - v for v in t.details["target"]]

    @_known(name, "threshold_on_input", "the weighted sum is exactly 0 on an input",
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

    @_known(name, f"computes_{other}", f"the neuron computes {other_name} instead",
            f"the outputs are those of {other_name}, not {target_name}: the bias sets how "
            "many inputs must be on before the neuron fires.",
            "With w = [1, 1]: b = −1.5 needs both inputs (AND), b = −0.5 needs one (OR).")
    def _other_gate(t):
        table = {"AND": [0.0, 0.0, 0.0, 1.0], "OR": [0.0, 1.0, 1.0, 1.0]}
        return t.details.get("outputs") == table[other_name]

    @_known(name, "fires_without_input", "the neuron fires at x = (0, 0)",
            "at x = (0, 0) the weighted sum is just b, and b > 0 makes the neuron fire "
            "with no input at all.",
            "Make the bias negative.")
    def _fires(t):
        return bool(t.details.get("outputs")) and t.details["outputs"][0] == 1.0


_gate("and_gate", "AND", "or", "OR")
_gate("or_gate", "OR", "and", "AND")


# --- 02-activations ---------------------------------------------------------------------


def _z(t):
    return _numbers(t.arg(0, "z"))


@_known("sigmoid", "exponent_sign", "1 / (1 + e^z): the sign of the exponent",
        "the result is 1 / (1 + e^z), the sign in the exponent is flipped: that is "
        "σ(−z) = 1 − σ(z), large for negative z.",
        "σ(z) = 1 / (1 + e^(−z)).")
def _sigmoid_sign(t):
    return _wrong(t, 1 / (1 + np.exp(_z(t))))


@_known("sigmoid", "overflow", "e^(−z) overflows for large negative z",
        "for large negative z, e^(−z) overflows to inf (e^10000 does not fit in a float), "
        "giving nan/inf or a RuntimeWarning.",
        "Never exponentiate a large positive number: use e = np.exp(-np.abs(z)) and "
        "σ = 1/(1+e) where z ≥ 0, e/(1+e) where z < 0.")
def _sigmoid_overflow(t):
    return _overflowed(t)


@_known("sigmoid", "derivative_instead", "returned the derivative σ(z)(1 − σ(z))",
        "the result is σ(z)·(1 − σ(z)), the derivative, not the sigmoid itself.",
        "Return σ(z) = 1 / (1 + e^(−z)).")
def _sigmoid_derivative_instead(t):
    s = _sigmoid(_z(t))
    return _wrong(t, s * (1 - s))


@_known("tanh", "missing_factor_two", "2σ(z) − 1 instead of 2σ(2z) − 1",
        "the result is 2σ(z) − 1: the identity is tanh(z) = 2σ(2z) − 1, with 2z inside.",
        "Use np.tanh(z), or 2 * sigmoid(2 * z) - 1.")
def _tanh_factor(t):
    return _wrong(t, 2 * _sigmoid(_z(t)) - 1)


@_known("tanh", "sigmoid_instead", "returned the sigmoid",
        "the result is σ(z), which runs from 0 to 1; tanh runs from −1 to 1.",
        "tanh(z) = 2σ(2z) − 1, or np.tanh(z).")
def _tanh_sigmoid(t):
    return _wrong(t, _sigmoid(_z(t)))


@_known("tanh", "overflow", "(e^z − e^−z)/(e^z + e^−z) overflows",
        "the formula (e^z − e^(−z)) / (e^z + e^(−z)) becomes inf/inf = nan for large |z|.",
        "Use np.tanh(z), or the stable 2σ(2z) − 1.")
def _tanh_overflow(t):
    return _overflowed(t)


@_known("relu", "absolute_value", "relu computed |z|",
        "relu returned positive values for negative inputs: that is the absolute value |z|, "
        "not max(0, z).",
        "Negative inputs must give 0: np.maximum(0, z).")
def _relu_abs(t):
    return _wrong(t, np.abs(_z(t)))


@_known("relu", "min_instead_of_max", "min(0, z) instead of max(0, z)",
        "the result is min(0, z): it keeps the negative part and drops the positive one.",
        "np.maximum(0, z) keeps the positive part.")
def _relu_min(t):
    return _wrong(t, np.minimum(0.0, _z(t)))


@_known("relu", "derivative_instead", "returned the derivative (0 or 1)",
        "the result is 1 where z > 0 and 0 elsewhere: that is relu's derivative (a mask), "
        "not relu itself.",
        "Keep the value, not just its sign: np.maximum(0, z) or z * (z > 0).")
def _relu_mask(t):
    return _wrong(t, (_z(t) > 0).astype(float))


def _alpha(t):
    return float(t.arg(1, "alpha", 0.01))


@_known("leaky_relu", "alpha_ignored", "alpha ignored (always 0.01)",
        "negative inputs were multiplied by 0.01 although alpha = {alpha} was passed: "
        "the alpha argument is ignored.",
        "Use the parameter: np.where(z > 0, z, alpha * z).")
def _leaky_alpha(t):
    z, alpha = _z(t), _alpha(t)
    return alpha != 0.01 and _wrong(t, np.where(z > 0, z, 0.01 * z)) and {"alpha": alpha}


@_known("leaky_relu", "plain_relu", "negative inputs give 0 (plain ReLU)",
        "negative inputs gave 0: that is plain ReLU; leaky ReLU lets alpha·z through.",
        "np.where(z > 0, z, alpha * z).")
def _leaky_plain(t):
    return _wrong(t, _relu(_z(t)))


@_known("leaky_relu", "alpha_on_wrong_side", "alpha applied to the positive side",
        "alpha multiplied the positive inputs and the negative ones passed unchanged: the "
        "two branches are swapped.",
        "z where z > 0, alpha·z otherwise.")
def _leaky_swapped(t):
    z = _z(t)
    return _wrong(t, np.where(z > 0, _alpha(t) * z, z))


def _phi(z):
    return np.vectorize(lambda v: 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))))(z)


@_known("gelu", "phi_only", "returned Φ(z) without the factor z",
        "the result is Φ(z), the normal CDF; GELU is z·Φ(z).",
        "Multiply by z: z * 0.5 * (1 + erf(z / sqrt(2))).")
def _gelu_phi(t):
    return _wrong(t, _phi(_z(t)))


@_known("gelu", "sigmoid_approximation", "the z·σ(1.702z) approximation",
        "this is the approximation z·σ(1.702·z), which is off by up to 0.02; only the exact "
        "form or the tanh approximation are within the tolerance of 1e-3.",
        "Use z·Φ(z) with Φ from the error function (math.erf / scipy.special.erf), or the "
        "tanh form 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))).")
def _gelu_sigmoid(t):
    z = _z(t)
    return _wrong(t, z * _sigmoid(1.702 * z))


@_known("gelu", "tanh_without_cubic", "the tanh approximation without 0.044715·z³",
        "the tanh approximation lost its cubic term: it is "
        "0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))).",
        "Put z + 0.044715 * z**3 inside the tanh.")
def _gelu_cubic(t):
    z = _z(t)
    return _wrong(t, 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * z)))


def _softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@_known("softmax", "global_max", "subtracted the maximum of the whole array",
        "subtracting the largest value of the whole array (not each row's own) makes rows far "
        "below it underflow to 0/0 = nan.",
        "Subtract each row's maximum: z - z.max(axis=-1, keepdims=True).")
def _softmax_global(t):
    z = _z(t)
    e = np.exp(z - np.max(z))
    return z.ndim == 2 and _not_finite(t) and _same(t.got, e / e.sum(axis=-1, keepdims=True))


@_known("softmax", "max_not_subtracted", "the maximum was not subtracted (nan for large logits)",
        "softmax gave nan/inf (or a RuntimeWarning) for large logits: e^z overflows, because "
        "the maximum was not subtracted before exponentiating.",
        "Subtract each row's maximum first; softmax does not change when a constant is "
        "subtracted from a row.")
def _softmax_overflow(t):
    return _overflowed(t)


@_known("softmax", "wrong_axis", "normalised along the wrong axis",
        "the rows do not each sum to one: the sum ran over the wrong axis (down the columns "
        "or over the whole array).",
        "Sum along the last axis with keepdims: e / e.sum(axis=-1, keepdims=True).")
def _softmax_axis(t):
    z = _z(t)
    if z.ndim < 2:
        return False
    e = np.exp(z - np.max(z))
    return _wrong(t, _softmax(z, axis=0)) or _wrong(t, e / e.sum())


@_known("softmax", "not_normalised", "exponentiated but not divided by the sum",
        "the result is e^z (shifted or not) without dividing by the sum: it does not add up "
        "to one.",
        "Divide by e.sum(axis=-1, keepdims=True).")
def _softmax_unnormalised(t):
    z = _z(t)
    return _wrong(t, np.exp(z)) or _wrong(t, np.exp(z - np.max(z, axis=-1, keepdims=True)))


@_known("softmax", "no_exponential", "divided by the sum without exponentiating",
        "the result is z / Σz: without e^z negative logits give negative 'probabilities'.",
        "Exponentiate first: e = np.exp(z - max), then e / e.sum(...).")
def _softmax_no_exp(t):
    z = _z(t)
    return _wrong(t, z / np.sum(z, axis=-1, keepdims=True))


@_known("sigmoid_derivative", "formula_on_z", "z·(1 − z) instead of σ(z)·(1 − σ(z))",
        "the result is z·(1 − z): the formula σ'(z) = σ(z)·(1 − σ(z)) needs σ(z), not z.",
        "s = sigmoid(z); return s * (1 - s).")
def _sd_on_z(t):
    z = _z(t)
    return _wrong(t, z * (1 - z))


@_known("sigmoid_derivative", "sigmoid_instead", "returned σ(z) itself",
        "the result is σ(z), the sigmoid, not its derivative.",
        "σ'(z) = σ(z)·(1 − σ(z)); its largest value is 0.25 at z = 0.")
def _sd_sigmoid(t):
    return _wrong(t, _sigmoid(_z(t)))


@_known("sigmoid_derivative", "overflow", "overflow for large |z|",
        "the derivative gave nan/inf (or a RuntimeWarning) for large |z|: it was computed "
        "with an unstable sigmoid.",
        "Compute it from a stable sigmoid: s = sigmoid(z); s * (1 - s).")
def _sd_overflow(t):
    return _overflowed(t)


@_known("relu_derivative", "one_at_zero", "relu_derivative(0) = 1",
        "relu_derivative(0) gave 1: the contract uses 0 at z = 0 (1 only where z > 0 strictly).",
        "Use z > 0, not z >= 0: np.where(z > 0, 1.0, 0.0).")
def _rd_zero(t):
    z = _z(t)
    return bool(np.any(z == 0)) and _wrong(t, (z >= 0).astype(float))


@_known("relu_derivative", "relu_instead", "returned relu(z) itself",
        "the result is max(0, z), relu itself, not its slope (which is 0 or 1).",
        "The slope of relu is 1 where z > 0 and 0 elsewhere.")
def _rd_relu(t):
    return _wrong(t, _relu(_z(t)))


@_known("relu_derivative", "inverted", "1 for negative inputs, 0 for positive",
        "the result is 1 where z < 0 and 0 where z > 0: the comparison is the wrong way round.",
        "np.where(z > 0, 1.0, 0.0).")
def _rd_inverted(t):
    z = _z(t)
    return _wrong(t, (z <= 0).astype(float)) or _wrong(t, (z < 0).astype(float))


# --- 03-layers -------------------------------------------------------------------------------


def _dense_parts(t):
    x, W, b = _numbers(t.arg(0, "x")), _numbers(t.arg(1, "W")), _numbers(t.arg(2, "b"))
    return x, W, b, t.arg(3, "activation")


def _apply(act, z):
    return z if act is None else _numbers(act(z))


@_known("dense", "no_batch", "works for one input but not for a batch",
        "the layer works for a single input but not for a batch: for X of shape (batch, n_in) "
        "the product is X @ W.T + b, shape (batch, n_out); W @ X does not fit.",
        "Write it once for both: np.asarray(x) @ W.T + b works for (n_in,) and (batch, n_in).")
def _dense_batch(t):
    x, W, b, act = _dense_parts(t)
    if x.ndim != 2:
        return False
    if t.error is not None:
        return isinstance(t.error, ValueError | TypeError)
    return _wrong(t, _apply(act, W @ x.T + b[:, None]))


@_known("dense", "W_not_transposed", "used x @ W (W read as (n_in, n_out))",
        "the result is x @ W: that reads W as (n_in, n_out), but W has one row per neuron, "
        "shape (n_out, n_in), so a single input gives W @ x.",
        "W @ x + b for one input, X @ W.T + b for a batch.")
def _dense_transposed(t):
    x, W, b, act = _dense_parts(t)
    if t.error is not None:
        return x.ndim == 1 and W.shape[0] != W.shape[1] and isinstance(t.error, ValueError)
    return W.shape[0] == W.shape[1] and _wrong(t, _apply(act, x @ W + b))


@_known("dense", "forgot_bias", "the bias was left out",
        "the result has no bias: every neuron adds its own bᵢ to its weighted sum.",
        "z = X @ W.T + b, then the activation.")
def _dense_bias(t):
    x, W, _, act = _dense_parts(t)
    return _wrong(t, _apply(act, x @ W.T))


@_known("dense", "activation_ignored", "the activation was not applied",
        "the result is the linear part z = W·x + b: the activation passed in was not applied.",
        "Return activation(z) when activation is not None, z otherwise.")
def _dense_activation(t):
    x, W, b, act = _dense_parts(t)
    return act is not None and _wrong(t, x @ W.T + b)


@_known("dense", "shapes_not_checked", "shapes that do not fit go unnoticed",
        "it returned a result although x, W and b do not fit: NumPy broadcasting stretched "
        "one of them silently.",
        "Check W.shape[1] == x.shape[-1] and b.shape == (W.shape[0],) and raise a ValueError "
        "naming all the shapes.", modes=RAISES)
def _dense_unchecked(t):
    return t.error is None


def _collapse_inputs(t):
    return [_numbers(t.arg(i, k)) for i, k in enumerate(("W1", "b1", "W2", "b2"))]


def _collapse_got(t):
    """(W, b) returned; a check of one of the two alone gives the other as None."""
    if isinstance(t.got, tuple):
        return t.got
    got = _numbers(t.got)
    if got is None:
        return None, None
    return (got, None) if got.ndim == 2 else (None, got)


@_known("collapse_linear", "wrong_order", "W1 @ W2 instead of W2 @ W1",
        "the combined weights are W1 @ W2, but the layer applied first stands on the right: "
        "y = W2 (W1 x + b1) + b2, so W = W2 @ W1.",
        "W = W2 @ W1, b = W2 @ b1 + b2.")
def _collapse_order(t):
    W1, _, W2, _ = _collapse_inputs(t)
    if t.error is not None:
        return isinstance(t.error, ValueError)
    W, _ = _collapse_got(t)
    return W1.shape[1] == W2.shape[0] and _same(W, W1 @ W2) and not _same(W, W2 @ W1)


@_known("collapse_linear", "bias_not_through_W2", "b = b1 + b2",
        "the combined bias is b1 + b2, but b1 passes through the second layer's weights: "
        "b = W2 @ b1 + b2.",
        "b = W2 @ b1 + b2.")
def _collapse_bias_sum(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return b1.shape == b2.shape and _same(b, b1 + b2) and not _same(b, W2 @ b1 + b2)


@_known("collapse_linear", "forgot_b2", "the second bias b2 was left out",
        "the combined bias is W2 @ b1 without the second layer's own bias b2.",
        "b = W2 @ b1 + b2.")
def _collapse_no_b2(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return _same(b, W2 @ b1) and not _same(b, W2 @ b1 + b2)


@_known("collapse_linear", "bias_only_b2", "the first bias b1 was left out",
        "the combined bias is b2 alone: the first layer's bias b1, carried through W2, is missing.",
        "b = W2 @ b1 + b2.")
def _collapse_only_b2(t):
    _, b1, W2, b2 = _collapse_inputs(t)
    _, b = _collapse_got(t)
    return _same(b, b2) and not _same(b, W2 @ b1 + b2)


@_known("xor_network", "W1_transposed", "W1 written with one column per hidden unit",
        "W1 has shape {shape}: weight matrices have one row per neuron, so the hidden layer's "
        "W1 is (n_hidden, 2) — two inputs, one row per hidden unit.",
        "Transpose it: W1 = np.array([[w11, w12], [w21, w22], ...]), one row per hidden unit.")
def _xor_transposed(t):
    return t.details.get("transposed", False) and {"shape": t.details.get("W1_shape")}


@_known("xor_network", "too_many_units", "more than four hidden units",
        "the hidden layer has {n} units; the exercise allows at most 4 (2 are enough).",
        "Two ReLU units suffice: one for x₁ + x₂, one that fires only when both are on.")
def _xor_units(t):
    n = t.details.get("n_hidden", 0)
    return n > 4 and {"n": n}


@_known("xor_network", "output_shape", "the output layer is not (1, n_hidden) and (1,)",
        "the output layer has W2 of shape {W2_shape} and b2 of shape {b2_shape}: one output "
        "neuron means W2 of shape (1, n_hidden) and b2 of shape (1,).",
        "W2 = np.array([[a, b]]), b2 = np.array([c]).")
def _xor_output_shape(t):
    d = t.details
    return d.get("bad_output_shape", False) and {
        "W2_shape": d.get("W2_shape"), "b2_shape": d.get("b2_shape")}


@_known("xor_network", "linear", "ReLU never bends: the network is linear",
        "every hidden unit has the same sign on all four inputs, so ReLU never bends and the "
        "whole network is linear — and no linear function computes XOR.",
        "Give a hidden unit a bias so that it is off for some inputs and on for others, e.g. "
        "h₂ = relu(x₁ + x₂ − 1), which is on only at (1, 1).")
def _xor_linear(t):
    return t.details.get("linear", False)


@_known("xor_network", "computes_or", "the network computes OR",
        "the output at (1, 1) is about 1: the network computes OR; XOR must come back down "
        "to 0 when both inputs are on.",
        "Add a hidden unit relu(x₁ + x₂ − 1) that is on only at (1, 1), with output weight −2.")
def _xor_or(t):
    out = t.details.get("outputs")
    return out is not None and all(
        abs(o - v) <= 0.1 for o, v in zip(out, (0.0, 1.0, 1.0, 1.0), strict=True))


@_known("xor_network", "inverted", "the network computes XNOR (inverted XOR)",
        "the outputs are 1 − XOR (1 where the inputs are equal): the output layer's signs are "
        "flipped.",
        "Negate W2 and set b2 so that (0, 0) gives 0.")
def _xor_inverted(t):
    out = t.details.get("outputs")
    return out is not None and all(
        abs(o - v) <= 0.1 for o, v in zip(out, (1.0, 0.0, 0.0, 1.0), strict=True))


# --- 04-forward-pass ---------------------------------------------------------------------


@_known("forward", "returns_trace", "returned every layer's output (the trace)",
        "the result is the list of every layer's output; forward returns only the last one, "
        "the network's output.",
        "Keep only the last activation: return a (after the loop).")
def _forward_trace(t):
    layers = t.arg(1, "layers")
    result = t.result
    return (isinstance(result, list | tuple) and len(result) in (len(layers), len(layers) + 1)
            and len(layers) > 1 and _same(result[-1], t.expected))


@_known("forward", "first_layer_only", "stopped after the first layer",
        "the result is the first layer's output: the loop ended after one layer (a `return` "
        "inside the loop?).",
        "Return after the loop, once every layer has been applied.")
def _forward_first(t):
    layers = _layers(t)
    return len(layers) > 1 and _wrong(t, _forward_steps(t.arg(0, "x"), layers)[0][1])


@_known("forward", "activations_skipped", "the activations were not applied",
        "the result is what the layers give without their activations: each layer is "
        "activation(W·a + b).",
        "a = activation(a @ W.T + b) when activation is not None.")
def _forward_linear(t):
    layers = _layers(t)
    return any(act is not None for *_, act in layers) and _wrong(
        t, _forward_steps(t.arg(0, "x"), layers, activations=False)[-1][1])


@_known("forward", "no_batch", "works for one input but not for a batch",
        "the forward pass works for a single input but not for a batch of shape (batch, n_in): "
        "W @ a only fits one input.",
        "Use a @ W.T + b, which works for (n_in,) and (batch, n_in) alike.")
def _forward_batch(t):
    x = _numbers(t.arg(0, "x"))
    return x.ndim == 2 and (t.error is not None or _same(t.got, np.transpose(t.expected)))


@_known("forward_trace", "missing_input", "the list does not start with the input x",
        "the list has {n} entries, one per layer: the trace starts with the input x itself, "
        "so it is len(layers) + 1 long.",
        "Start with trace = [x], then append each layer's output.")
def _trace_missing_input(t):
    layers = t.arg(1, "layers")
    return isinstance(t.result, list | tuple) and len(t.result) == len(layers) and {
        "n": len(t.result)}


@_known("forward_trace", "pre_activations", "recorded z (before the activation) instead of a",
        "the trace holds the pre-activations z = W·a + b; it should hold each layer's output "
        "a = activation(z).",
        "Append the value after the activation.")
def _trace_z(t):
    steps = _forward_steps(t.arg(0, "x"), _layers(t))
    result = t.result
    return (isinstance(result, list | tuple) and len(result) == len(steps) + 1
            and all(_same(r, z) for r, (z, _) in zip(result[1:], steps, strict=True))
            and not all(_same(r, a) for r, (_, a) in zip(result[1:], steps, strict=True)))


@_known("forward_trace", "output_only", "returned only the final output",
        "the result is the network's output alone; forward_trace returns the list "
        "[x, a₁, …, a_L] of every layer's output.",
        "Collect each layer's output in a list and return the list.")
def _trace_output(t):
    steps = _forward_steps(t.arg(0, "x"), _layers(t))
    return not isinstance(t.result, list | tuple) and _same(t.result, steps[-1][1])


@_known("forward_trace", "same_array_appended", "the same array object appended every time",
        "every entry of the list is the same (the last) array: the loop changed one array in "
        "place and appended that same object again and again.",
        "Append a new array each time (a = activation(a @ W.T + b) makes a new one).")
def _trace_aliased(t):
    result = t.result
    return (isinstance(result, list | tuple) and len(result) > 2
            and all(r is result[-1] for r in result[1:]))


def _outputs(t):
    return _forward_steps(t.arg(0, "x"), _layers(t))[-1][1]


@_known("predict", "float_for_single", "a float for a single input",
        "for a single input predict returned {value!r}, a float: an index is an int.",
        "return int(np.argmax(output)).")
def _predict_float(t):
    value = t.result
    single = _numbers(t.arg(0, "x")).ndim == 1
    number = _numbers(value)
    return (single and number is not None and number.shape == () and
            np.asarray(value).dtype.kind == "f" and float(number) == t.expected
            and {"value": value})


@_known("predict", "array_for_single", "an array holding the index, for a single input",
        "for a single input predict returned an array {value} instead of one int: an index "
        "inside a list or array is not an index.",
        "int(np.argmax(output)) gives a plain int.")
def _predict_array_single(t):
    number = _numbers(t.result)
    single = _numbers(t.arg(0, "x")).ndim == 1
    return (single and number is not None and number.size == 1 and number.ndim >= 1
            and float(number.ravel()[0]) == t.expected and {"value": number.tolist()})


@_known("predict", "outputs_not_index", "returned the outputs, not the index",
        "the result is the network's output values; predict returns the position of the "
        "largest one.",
        "np.argmax(output, axis=-1).")
def _predict_outputs(t):
    return _same(t.result, _outputs(t))


@_known("predict", "max_value_not_index", "the largest value instead of its index",
        "the result is the largest output value (np.max); predict wants its position "
        "(np.argmax).",
        "np.argmax, not np.max.")
def _predict_max(t):
    return _same(t.result, np.max(_outputs(t), axis=-1))


@_known("predict", "batch_wrong_axis", "argmax over the wrong axis for a batch",
        "for a batch the argmax ran over the wrong axis (or the whole array): each row is one "
        "input, so the argmax runs along axis=1 (or -1).",
        "np.argmax(outputs, axis=-1), shape (batch,).")
def _predict_axis(t):
    out = _outputs(t)
    return out.ndim == 2 and (_same(t.result, np.argmax(out, axis=0))
                              or _same(t.result, np.argmax(out)))


@_known("predict", "one_based", "counted from 1",
        "every index is one too large: Python counts positions from 0.",
        "np.argmax already counts from 0; do not add 1.")
def _predict_one_based(t):
    return _same(t.result, np.argmax(_outputs(t), axis=-1) + 1)


# --- 05-universal-approximation ------------------------------------------------------------


def _bump(t, steepness=None, height=None):
    x = _numbers(t.arg(0, "x"))
    left, right = float(t.arg(1, "left")), float(t.arg(2, "right"))
    h = float(t.arg(3, "height")) if height is None else height
    s = float(t.arg(4, "steepness", 50.0)) if steepness is None else steepness
    return h * (_sigmoid(s * (x - left)) - _sigmoid(s * (x - right)))


@_known("sigmoid_bump", "swapped_sigmoids", "the two sigmoids are swapped (negative bump)",
        "the bump points the wrong way (height −h): the two sigmoids are swapped; "
        "σ(s(x − left)) switches on first, so it comes first.",
        "height * (sigmoid(s * (x - left)) - sigmoid(s * (x - right))).")
def _bump_swapped(t):
    return _wrong(t, -_bump(t))


@_known("sigmoid_bump", "steepness_ignored", "steepness ignored (always 50)",
        "the bump has steepness 50 although steepness = {s} was passed: the argument is ignored.",
        "Use the parameter s = steepness inside both sigmoids.")
def _bump_steepness(t):
    s = float(t.arg(4, "steepness", 50.0))
    return s != 50.0 and _wrong(t, _bump(t, steepness=50.0)) and {"s": s}


@_known("sigmoid_bump", "height_ignored", "height ignored",
        "the bump rises to 1 instead of height = {h}: the height factor is missing.",
        "Multiply the difference of the two sigmoids by height.")
def _bump_height(t):
    h = float(t.arg(3, "height"))
    return h != 1.0 and _wrong(t, _bump(t, height=1.0)) and {"h": h}


@_known("sigmoid_bump", "steepness_not_distributed", "σ(s·x − left) instead of σ(s·(x − left))",
        "the steepness multiplies x but not the shift: σ(s·x − left) switches at x = left/s, "
        "not at x = left.",
        "Put the parentheses around the shift: sigmoid(s * (x - left)).")
def _bump_parentheses(t):
    x = _numbers(t.arg(0, "x"))
    left, right = float(t.arg(1, "left")), float(t.arg(2, "right"))
    h, s = float(t.arg(3, "height")), float(t.arg(4, "steepness", 50.0))
    return _wrong(t, h * (_sigmoid(s * x - left) - _sigmoid(s * x - right)))


def _hat(x, left, peak, right, height, coefficients=None):
    rise, fall = height / (peak - left), height / (right - peak)
    c1, c2, c3 = coefficients or (rise, -(rise + fall), fall)
    return c1 * _relu(x - left) + c2 * _relu(x - peak) + c3 * _relu(x - right)


def _hat_args(t):
    numbers = [float(t.arg(i, k)) for i, k in enumerate(("left", "peak", "right", "height"), 1)]
    return (_numbers(t.arg(0, "x")), *numbers)


@_known("relu_hat", "missing_third_relu", "only two ReLUs: the line keeps falling after right",
        "after x = right the result keeps falling below 0: the third ReLU, which cancels the "
        "falling slope at right, is missing.",
        "Add + (height / (right − peak)) · relu(x − right).")
def _hat_two(t):
    x, left, peak, right, height = _hat_args(t)
    rise, fall = height / (peak - left), height / (right - peak)
    return _wrong(t, _hat(x, left, peak, right, height, (rise, -(rise + fall), 0.0)))


@_known("relu_hat", "symmetric_peak_assumed", "peak assumed halfway between left and right",
        "the hat peaks halfway between left and right, not at peak = {peak}.",
        "Use the peak argument: the slopes are height/(peak − left) and height/(right − peak).")
def _hat_midpoint(t):
    x, left, peak, right, height = _hat_args(t)
    middle = (left + right) / 2
    return peak != middle and _wrong(t, _hat(x, left, middle, right, height)) and {"peak": peak}


@_known("relu_hat", "symmetric_coefficients", "coefficients (k, −2k, k) on an uneven hat",
        "the ReLUs are weighted k, −2k, k, which only works when peak is halfway; the middle "
        "ReLU must cancel the rising slope and start the falling one: −(rise + fall).",
        "rise = height/(peak − left), fall = height/(right − peak); weights rise, "
        "−(rise + fall), fall.")
def _hat_coefficients(t):
    x, left, peak, right, height = _hat_args(t)
    rise = height / (peak - left)
    return _wrong(t, _hat(x, left, peak, right, height, (rise, -2 * rise, rise)))


@_known("relu_hat", "height_ignored", "height ignored (peak of 1)",
        "the hat rises to 1 instead of height = {h}.",
        "Scale the slopes by height.")
def _hat_height(t):
    x, left, peak, right, height = _hat_args(t)
    return height != 1.0 and _wrong(t, _hat(x, left, peak, right, 1.0)) and {"h": height}


@_known("approximate", "flat_shapes", "weights returned as flat vectors",
        "the shapes are {shapes}: W1 is (n_hidden, 1) — one row per hidden unit, one column "
        "for the single input — and W2 is (1, n_hidden), one row for the single output.",
        "W1 = slopes.reshape(-1, 1), W2 = weights.reshape(1, -1), b2 = np.array([c]).")
def _approx_flat(t):
    return t.details.get("flat", False) and {"shapes": t.details.get("shapes")}


@_known("approximate", "wrong_unit_count", "a different number of hidden units than asked",
        "asked for n_hidden = {asked} units but the network has {got}.",
        "Use exactly n_hidden ReLU units (n_hidden knots, the first one at a).")
def _approx_count(t):
    d = t.details
    return "units" in d and d["units"] != d.get("asked") and {
        "asked": d.get("asked"), "got": d["units"]}


@_known("approximate", "constant_offset", "the whole curve is shifted by a constant",
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


@_known("approximate", "interval_not_covered", "the knots do not cover [a, b]",
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


@_known("approximate", "more_units_worse", "more hidden units gave a larger error",
        "with {more} hidden units the error ({worse:.3g}) is larger than with {fewer} "
        "({better:.3g}): a random or fitted construction does not improve reliably; the exact "
        "piecewise-linear interpolant always does.",
        "Place the knots evenly and give each unit the change of slope at its knot.")
def _approx_worse(t):
    return t.details.get("worse", False)


# --- 06-parameter-counting -------------------------------------------------------------------


def _n_in_out(t):
    return int(t.arg(0, "n_in")), int(t.arg(1, "n_out"))


@_known("dense_params", "weights_only", "only the weights, not the biases",
        "{got:,} = n_in × n_out counts only the weights: each of the {n_out} neurons also has "
        "a bias.",
        "n_in * n_out + n_out.")
def _dp_weights(t):
    n_in, n_out = _n_in_out(t)
    return t.got == n_in * n_out and {"got": t.got, "n_out": n_out}


@_known("dense_params", "bias_per_input", "one bias per input instead of per neuron",
        "the count adds n_in biases; there is one bias per neuron, n_out of them.",
        "n_in * n_out + n_out.")
def _dp_bias_inputs(t):
    n_in, n_out = _n_in_out(t)
    return n_in != n_out and t.got == n_in * n_out + n_in


@_known("dense_params", "added_not_multiplied", "n_in + n_out instead of n_in × n_out",
        "the sizes were added: every one of the n_out neurons has a weight for each of the "
        "n_in inputs, n_in × n_out weights.",
        "n_in * n_out + n_out.")
def _dp_added(t):
    n_in, n_out = _n_in_out(t)
    return t.got in (n_in + n_out, n_in + 2 * n_out, n_in + n_out + 1)


def _sizes(t):
    return [int(s) for s in t.arg(0, "sizes")]


def _weights(sizes):
    return sum(a * b for a, b in itertools.pairwise(sizes))


@_known("mlp_params", "forgot_biases", "the biases were forgotten",
        "{got:,} counts only the weights: the {biases:,} biases (one per neuron of every layer "
        "after the input) were forgotten.",
        "Each layer has n_in × n_out weights and n_out biases.")
def _mlp_biases(t):
    sizes = _sizes(t)
    return t.got == _weights(sizes) and {"got": t.got, "biases": sum(sizes[1:])}


@_known("mlp_params", "input_biases", "biases counted for the input layer too",
        "{got:,} is {extra:,} too many: the input layer has no neurons, so no biases.",
        "Biases: sizes[1] + sizes[2] + … (not sizes[0]).")
def _mlp_input_biases(t):
    sizes = _sizes(t)
    return t.got == t.expected + sizes[0] and {"got": t.got, "extra": sizes[0]}


@_known("mlp_params", "neurons_counted", "counted neurons, not parameters",
        "{got:,} is the number of neurons (the sum of the sizes); parameters are the weights "
        "between consecutive layers plus the biases.",
        "Sum n_in × n_out + n_out over consecutive pairs of sizes.")
def _mlp_neurons(t):
    return t.got == sum(_sizes(t)) and {"got": t.got}


@_known("mlp_params", "last_layer_missing", "the last layer was left out",
        "{got:,} stops one layer early: the loop over consecutive pairs of sizes skipped the "
        "last pair.",
        "for n_in, n_out in zip(sizes[:-1], sizes[1:]).")
def _mlp_last(t):
    sizes = _sizes(t)
    short = sizes[:-1]
    return len(short) >= 2 and t.got == _weights(short) + sum(short[1:]) and {"got": t.got}


@_known("mlp_params", "sizes_not_checked", "too few sizes or a size below 1 accepted",
        "it returned a count for sizes that describe no network (fewer than two sizes, or a "
        "size below 1).",
        "if len(sizes) < 2 or min(sizes) < 1: raise ValueError(...) naming the sizes given.",
        modes=RAISES)
def _mlp_unchecked(t):
    return t.error is None


def _n_params_dtype(t):
    return int(t.arg(0, "n_params")), str(t.arg(1, "dtype"))


@_known("memory_bytes", "int4_rounds_down", "int4 rounded down",
        "{n:,} int4 numbers need {need:,} bytes: half a byte each, rounded up — {n:,} // 2 "
        "drops the last half byte.",
        "(n_params + 1) // 2, or math.ceil(n_params / 2).")
def _mem_int4_down(t):
    n, dtype = _n_params_dtype(t)
    return dtype == "int4" and n % 2 == 1 and t.got == n // 2 and {"n": n, "need": n // 2 + 1}


@_known("memory_bytes", "int4_not_rounded", "int4 gives half a byte, not a whole number",
        "the result {value} is not a whole number of bytes: int4 takes half a byte per "
        "parameter, rounded up to a whole byte.",
        "(n_params + 1) // 2.", modes=frozenset({"value"}))
def _mem_int4_half(t):
    n, dtype = _n_params_dtype(t)
    value = t.details.get("not_whole")
    return dtype == "int4" and value is not None and value == n / 2 and {"value": value}


@_known("memory_bytes", "bits_not_bytes", "counted bits, not bytes",
        "the result is 8 times too large: it counts bits; a byte is 8 bits "
        "(float32 is 4 bytes).",
        "float64: 8, float32: 4, float16/bfloat16: 2, int8: 1 byte per parameter.")
def _mem_bits(t):
    return t.expected is not None and t.got == 8 * t.expected and t.got != 0


@_known("memory_bytes", "int4_full_byte", "a whole byte per int4 number",
        "int4 was counted as one byte per parameter; 4 bits are half a byte.",
        "(n_params + 1) // 2.")
def _mem_int4_byte(t):
    n, dtype = _n_params_dtype(t)
    return dtype == "int4" and n > 1 and t.got == n


@_known("memory_bytes", "bfloat16_missing", "bfloat16 not recognised",
        "bfloat16 (the 'brain float' of TPUs and modern GPUs) was not recognised: it is a "
        "2-byte format like float16.",
        "Add \"bfloat16\": 2 to the table of sizes.")
def _mem_bfloat16(t):
    return t.arg(1, "dtype") == "bfloat16" and t.error is not None


@_known("memory_bytes", "unknown_dtype_accepted", "an unknown dtype name accepted",
        "it returned a size for a dtype it does not know (a dict.get with a default?).",
        "Raise ValueError naming the known dtypes when the name is not in the table.",
        modes=RAISES)
def _mem_unknown(t):
    return t.error is None


@_known("memory_bytes", "key_error", "a KeyError instead of a ValueError",
        "an unknown dtype raised KeyError (a plain dictionary lookup); the exercise asks for "
        "a ValueError that names the known dtypes.",
        "if dtype not in SIZES: raise ValueError(f\"unknown dtype {dtype!r}; known: …\").",
        modes=RAISES)
def _mem_key_error(t):
    return isinstance(t.error, KeyError)


def _gpt2(t):
    names = ("n_layers", "d_model", "vocab_size", "n_positions")
    return [int(t.arg(i, k)) for i, k in enumerate(names)]


def _gpt2_off_by(t, amount):
    return t.got is not None and t.expected is not None and t.got - t.expected == amount


@_known("gpt2_params", "head_counted_twice", "the tied output head counted again",
        "{diff:,} too high, exactly vocab_size × d_model: the output head was counted as well "
        "as the token embedding, but GPT-2 ties them (the same matrix is used twice).",
        "Count the token embedding once; the output head adds no parameters.")
def _gpt2_head(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, V * d) and {"diff": V * d}


@_known("gpt2_params", "positions_missing", "the position embeddings were left out",
        "{diff:,} too few, exactly n_positions × d_model: the learned position embeddings "
        "are missing.",
        "Add n_positions * d_model.")
def _gpt2_positions(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -P * d) and {"diff": P * d}


@_known("gpt2_params", "mlp_width_d", "MLP of width d_model instead of 4·d_model",
        "the MLP was counted with width d_model; GPT-2's MLP is 4·d_model wide "
        "(d → 4d → d, with biases).",
        "Per block the MLP has d·4d + 4d + 4d·d + d parameters.")
def _gpt2_mlp(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -L * (6 * d * d + 3 * d))


@_known("gpt2_params", "biases_missing", "the linear layers' biases were left out",
        "{diff:,} too few, 9·d_model per block: the biases of Q, K, V, the attention output "
        "and the two MLP layers are missing.",
        "Q, K, V and output: 4 biases of d; MLP: 4d + d.")
def _gpt2_biases(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    return _gpt2_off_by(t, -9 * d * L) and {"diff": 9 * d * L}


@_known("gpt2_params", "layernorms_missing", "the LayerNorms were left out",
        "{diff:,} too few: the LayerNorms (a scale and a shift of d_model each; two per "
        "block and a final one) are missing.",
        "2 · 2 · d_model per block, plus 2 · d_model at the end.")
def _gpt2_layernorms(t):
    L, d, V, P = _gpt2(t)  # noqa: RUF059 (the four numbers, named as in the exercise)
    for diff in (4 * d * L + 2 * d, 4 * d * L, 2 * d):
        if _gpt2_off_by(t, -diff):
            return {"diff": diff}
    return False


HINTS: dict[str, str] = {
    "weighted_sum": "z = Σ wᵢ·xᵢ + b: np.dot(w, x) + b, returned as a float.",
    "neuron": "First z = weighted_sum(x, w, b), then return activation(z).",
    "and_gate": "Pick w and b so that w·x + b > 0 only for x = (1, 1), e.g. w = [1, 1], "
                "b = −1.5.",
    "or_gate": "Pick w and b so that w·x + b > 0 unless x = (0, 0), e.g. w = [1, 1], b = −0.5.",
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
    "dense": "z = np.asarray(x) @ W.T + b works for (n_in,) and (batch, n_in); then the "
             "activation, if any.",
    "collapse_linear": "W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2).",
    "xor_network": "h = relu(W1 x + b1), y = W2 h + b2; one hidden unit for x₁ + x₂, one that "
                   "fires only at (1, 1).",
    "forward": "a = x; for each (W, b, activation): a = activation(a @ W.T + b); return a.",
    "forward_trace": "Like forward, but collect [x, a₁, …, a_L] in a list.",
    "predict": "int(np.argmax(output)) for one input, np.argmax(outputs, axis=-1) for a batch.",
    "sigmoid_bump": "height · (σ(s·(x − left)) − σ(s·(x − right))), s = steepness.",
    "relu_hat": "rise·relu(x − left) − (rise + fall)·relu(x − peak) + fall·relu(x − right).",
    "approximate": "Knots evenly from a to b; unit i is relu(x − knotᵢ) with output weight the "
                   "change of slope there; b2 = f(a).",
    "dense_params": "n_in × n_out weights plus n_out biases.",
    "mlp_params": "Sum n_in × n_out + n_out over consecutive pairs of sizes.",
    "memory_bytes": "n_params × bytes per parameter; int4 is half a byte, rounded up.",
    "gpt2_params": "Embeddings V·d + P·d; per block 12d² + 13d; final LayerNorm 2d; the output "
                   "head is tied.",
}


def main() -> None:
    """Print the list of recognised misconceptions as Markdown.

    >>> main()  # doctest: +ELLIPSIS
    ### 01-neuron
    ...
    """
    print(markdown(), end="")


if __name__ == "__main__":
    main()
