"""How a known mistake is registered and recognised, and the mistakes of any function.

Every graded function has a few known wrong answers. Each is a
:class:`Misconception`: a small predicate over an :class:`Attempt` (the
arguments, what came back, what was expected) and a sentence saying what the
mistake means. An exercise's spec (:mod:`nnkit.tutor.exercises`) registers its
own with ``@MISTAKES.known(...)`` on a :class:`Misconceptions` list; the
mistakes any function can make are :data:`GENERIC`. When a check fails, it
asks :func:`diagnose` which mistake fits and puts that sentence first in its
message.

>>> attempt = Attempt("relu", args=([-2.0, 3.0],), got=[2.0, 3.0], expected=[0.0, 3.0])
>>> diagnose(attempt).id
'relu.absolute_value'

The full list, by exercise, is kept in ``docs/checks.md`` by
:mod:`nnkit.tutor.catalogue`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# Bound once, so that a learner who later replaces np.allclose cannot change a diagnosis.
_allclose = np.allclose
_array = np.array
_errstate = np.errstate

VALUE = frozenset({"value", "stable"})
STABLE = frozenset({"stable"})
RAISES = frozenset({"raises"})
ANY_MODE = VALUE | RAISES


@dataclass
class Attempt:
    """One call of a learner's function, as a check saw it.

    ``result`` is what came back (``None`` if the call raised ``error``),
    ``got`` the same converted to numbers (``None`` when it could not be),
    ``expected`` the right answer as plain numbers, ``warnings`` the warnings
    the call emitted, ``details`` whatever else a check measured.
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
    that fill the ``{placeholders}`` of ``explanation``. ``function`` is
    ``"*"`` for a mistake any function can make.
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

        >>> GENERIC.entries[0].id
        'any.changed_argument'
        """
        return f"{'any' if self.function == ANY else self.function}.{self.key}"

    @property
    def assignment(self) -> str:
        """The exercise this mistake belongs to (``"any"`` for generic ones).

        >>> diagnose(Attempt("mlp_params", got=234752, expected=235146,
        ...                  args=([784, 256, 128, 10],))).assignment
        '06-parameter-counting'
        """
        from nnkit.tutor import exercises

        owner = exercises.owner_of(self.function)
        return owner.id if owner is not None else "any"

    def describe(self, attempt: Attempt) -> str:
        """The explanation, with this attempt's numbers filled in."""
        found = _quietly(self.matches, attempt)
        values = found if isinstance(found, dict) else {}
        try:
            return self.explanation.format(**values)
        except (KeyError, IndexError, ValueError):
            return self.explanation


ANY = "*"
"""The ``function`` of a mistake any function can make."""


class Misconceptions:
    """The known mistakes of one exercise (or of any function): register with ``known``.

    >>> mistakes = Misconceptions()
    >>> @mistakes.known("relu", "negated", "returned −relu(z)", "the sign is flipped.",
    ...                 "Drop the minus.")
    ... def _negated(t):
    ...     return False
    >>> [m.id for m in mistakes.entries]
    ['relu.negated']
    """

    def __init__(self):
        self.entries: list[Misconception] = []

    def known(self, function, key, title, explanation, hint, modes=VALUE):
        """Register the decorated predicate as a mistake of ``function``."""

        def register(predicate):
            self.entries.append(
                Misconception(function, key, title, explanation, hint, predicate, modes))
            return predicate

        return register

    def of(self, function: str) -> list[Misconception]:
        """The mistakes registered for ``function``, in the order they were registered."""
        return [m for m in self.entries if m.function == function]


GENERIC = Misconceptions()
"""The mistakes any graded function can make; tried after the function's own."""


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
    from nnkit.tutor import exercises

    owner = exercises.owner_of(attempt.name)
    own = owner.mistakes.of(attempt.name) if owner is not None else []
    for misconception in [*own, *GENERIC.entries]:
        if attempt.mode in misconception.modes and _quietly(misconception.matches, attempt):
            return misconception
    return None


def all_misconceptions() -> list[Misconception]:
    """Every registered mistake, in exercise order, generic ones last.

    >>> len(all_misconceptions()) >= 18
    True
    """
    from nnkit.tutor import exercises

    ordered = [m for exercise in exercises.all_exercises() for name in exercise.graded
               for m in exercise.mistakes.of(name)]
    return ordered + GENERIC.entries


def hint_for(name: str) -> str:
    """The general hint for ``name`` when no known mistake fits.

    >>> print(hint_for("relu"))  # doctest: +NORMALIZE_WHITESPACE
    Keep each positive value and replace each negative one by 0,
    element by element (an `if` asks about one number, not a whole array).
    """
    from nnkit.tutor import exercises

    owner = exercises.owner_of(name)
    if owner is not None and name in owner.hints:
        return owner.hints[name]
    return "Compare your function with the formula in the exercise, step by step."


# --- small helpers for the predicates -------------------------------------------------


def _quietly(predicate, attempt):
    """Run a predicate with warnings silenced; a predicate that fails matches nothing."""
    with warnings.catch_warnings(), _errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return predicate(attempt)
        except Exception:  # a diagnosis is advice: a predicate that cannot tell says no
            return False


def numbers(value):
    """``value`` as a float array, or ``None`` when it is not numbers.

    >>> numbers([1, 2]).tolist(), numbers("x")
    ([1.0, 2.0], None)
    """
    if value is None or isinstance(value, str | bytes):
        return None
    try:
        return _array(value, dtype=float)
    except (TypeError, ValueError):
        return None


def same(value, reference, rtol=1e-5, atol=1e-8) -> bool:
    """Whether ``value`` equals ``reference`` as numbers (same shape, nan where nan).

    >>> same([1.0, 2.0], (1, 2)), same([1.0], [1.0, 1.0])
    (True, False)
    """
    a, b = numbers(value), numbers(reference)
    if a is None or b is None or a.shape != b.shape:
        return False
    return bool(_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def gave(attempt, wrong_answer) -> bool:
    """The attempt gave ``wrong_answer``, which is not the expected answer.

    >>> gave(Attempt("relu", got=[2.0], expected=[0.0]), [2.0])
    True
    """
    return same(attempt.got, wrong_answer) and not same(attempt.got, attempt.expected)


def not_finite(attempt) -> bool:
    """What came back holds inf or nan."""
    got = numbers(attempt.got if attempt.got is not None else attempt.result)
    return got is not None and not bool(np.all(np.isfinite(got)))


def overflowed(attempt) -> bool:
    """The call warned of overflow, or gave inf/nan where the answer has none."""
    warned = any(("overflow" in w or "invalid value" in w) for w in attempt.warnings)
    return warned or (not_finite(attempt) and not same(attempt.got, attempt.expected))


def error_says(attempt, kind, *fragments) -> bool:
    """The call raised a ``kind`` whose message holds one of ``fragments``."""
    error = attempt.error
    return isinstance(error, kind) and any(f in str(error) for f in fragments)


# --- any function ----------------------------------------------------------------------


@GENERIC.known(ANY, "changed_argument", "an argument changed in place",
               "{name} changed its argument {argument} in place (with -=, *=, a slice "
               "assignment or an out= argument): the caller's array is not the same "
               "afterwards, and a function must leave its inputs as they were.",
               "Compute into a new array: z = z - m makes one, z -= m changes the caller's.",
               modes=ANY_MODE)
def _changed_argument(t):
    changed = t.details.get("changed")
    return bool(changed) and {"name": t.name, "argument": changed[0]}


@GENERIC.known(ANY, "returned_none", "the function returned None",
               "the function returned None: it computes something but has no `return` "
               "statement (or returns before the end).",
               "End the function with `return` and the result.",
               modes=frozenset({"value", "stable"}))
def _returned_none(t):
    return t.error is None and t.result is None and t.got is None and "unpacked" not in t.details


@GENERIC.known(ANY, "math_on_arrays", "the math module used on an array",
               "the math module (math.exp, math.tanh, …) works on one number at a time, "
               "and this input is an array.",
               "Use NumPy's element-wise versions: np.exp, np.tanh, np.maximum.")
def _math_on_arrays(t):
    return error_says(t, TypeError, "only length-1 arrays", "only 0-dimensional arrays",
                       "only size-1 arrays", "must be real number, not")


@GENERIC.known(ANY, "if_on_array", "an `if` (or Python's max) on an array",
               "an `if`, `and`/`or` or Python's max() asks one yes/no question, but z is an "
               "array with many values.",
               "Work element-wise: np.where(z > 0, a, b) or np.maximum(0, z).")
def _if_on_array(t):
    return error_says(t, ValueError, "truth value of an array")


@GENERIC.known(ANY, "list_arithmetic", "arithmetic on Python lists",
               "Python lists do not compute element by element ([1, 2] * 2 repeats the list, "
               "and a list times a float is an error).",
               "Convert the inputs first: x = np.asarray(x, dtype=float).")
def _list_arithmetic(t):
    return error_says(t, TypeError, "can't multiply sequence", "unsupported operand type(s)",
                       "can only concatenate list", "bad operand type for unary -: 'list'",
                       "not supported between instances of 'list'")


@GENERIC.known(ANY, "warned_but_right", "right numbers, but a RuntimeWarning on the way",
               "the numbers are right, but NumPy warned (overflow or invalid value) on the way: "
               "np.where computes both branches for every element, so a branch you throw away "
               "still overflows.",
               "Only exponentiate numbers ≤ 0, e.g. e = np.exp(-np.abs(z)), then combine.",
               modes=STABLE)
def _warned_but_right(t):
    return bool(t.warnings) and same(t.got, t.expected)


@GENERIC.known(ANY, "assert_for_validation", "assert used to check the input",
               "the check uses `assert`, which raises AssertionError (and is skipped entirely "
               "under python -O), not the ValueError the exercise asks for.",
               "Write `if <bad>: raise ValueError(\"expected …, got …\")`.", modes=RAISES)
def _assert_for_validation(t):
    return isinstance(t.error, AssertionError)

