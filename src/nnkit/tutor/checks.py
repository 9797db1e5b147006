"""The checks that exercise test cells call: a wrong answer reads like a tutor's remark.

Each check runs the learner's function, converts what came back to plain
numbers, compares shape and values with the answer key
(:mod:`nnkit.tutor.reference`) and, when they differ, raises
:class:`~nnkit.tutor.messages.CheckFailed` with a short message: the likely
mistake, what was called, what came back, what was expected, the first
position that differs, and one hint (:mod:`nnkit.tutor.messages`). The same
checks serve the learner's self-check, nbgrader's autograde and the CI gate.
Checks special to one exercise live in its spec (:mod:`nnkit.tutor.exercises`).

>>> import numpy as np
>>> def my_relu(z):
...     return np.abs(z)
>>> try:
...     check_function("relu", my_relu, ([-2.0, 3.0],))
... except CheckFailed as e:
...     print(e)
Likely mistake: relu returned positive values for negative inputs: that is the absolute value |z|, not max(0, z).
  called:   relu([-2.0, 3.0])
  returned: [2.0, 3.0]  (shape (2,))
  expected: [0.0, 3.0]  (shape (2,))
  first difference at [0]: got 2.0, expected 0.0
Hint: Negative inputs must give 0: np.maximum(0, z).

Rules the checks keep (and the tests prove):

- results are compared as numbers: ``np.array(result, dtype=float)`` (or a
  whole number for counts) first, then shape, then every value as a Python
  float within the exercise's tolerance; an object whose ``==`` is always
  true, or a replaced ``np.allclose``, changes nothing (NumPy's functions are
  bound when this module is imported);
- the learner's function gets copies of the arguments, and a function that
  changes its arguments in place fails, with a message that says so;
- while the learner's function runs, any nnkit function with the graded
  function's own name refuses to run (:class:`LibraryRefused`): calling
  ``nnkit.sigmoid`` inside ``sigmoid`` is not an answer;
- the checks never write to stderr: warnings raised by the learner's code are
  recorded and named in the message, and only :func:`check_stable` fails on them;
- ``NotImplementedError`` (the untouched exercise) passes through unchanged.
"""  # noqa: E501

from __future__ import annotations

import copy
import functools
import inspect
import math
import operator
import os
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnkit.tutor.messages import (
    CheckFailed,
    as_numbers,
    call_text,
    described,
    fail,
    fail_on_error,
    shape_hint,
    shown,
    text_of,
    type_name,
    value_text,
)
from nnkit.tutor.misconceptions import Attempt

# Bound when this module is imported, so that learner code that later replaces
# NumPy's functions cannot change a verdict. Values are compared as Python floats.
_ndarray = np.ndarray
_errstate = np.errstate
_isfinite = math.isfinite
_isnan = math.isnan
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_getprofile = sys.getprofile
_setprofile = sys.setprofile


@dataclass(frozen=True)
class Tolerance:
    """How close is close enough: ``|got − expected| ≤ atol + rtol·|expected|``."""

    rtol: float
    atol: float


DEFAULT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)

STABLE_RANGE = 1e4
"""Numerically stable means no inf/nan and no RuntimeWarning for |z| up to this."""


def tolerance_for(name: str, rtol: float | None = None, atol: float | None = None) -> Tolerance:
    """The tolerance of ``name``'s exercise, with ``rtol``/``atol`` overriding it when given.

    >>> tolerance_for("gelu")
    Tolerance(rtol=1e-06, atol=0.001)
    >>> tolerance_for("sigmoid", atol=0.0)
    Tolerance(rtol=1e-06, atol=0.0)
    """
    from nnkit.tutor import exercises

    owner = exercises.owner_of(name)
    base = owner.tolerances.get(name, DEFAULT_TOLERANCE) if owner else DEFAULT_TOLERANCE
    return Tolerance(base.rtol if rtol is None else rtol, base.atol if atol is None else atol)


# --- the library's own version refuses to run --------------------------------------------


_NNKIT_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _in_nnkit(code) -> bool:
    """Whether a function's code was read from nnkit's own files."""
    return code.co_filename.startswith(_NNKIT_FOLDER)


class LibraryRefused(CheckFailed):
    """Raised inside an nnkit function that has the name of the graded function being checked."""

    def __init__(self, name, module):
        super().__init__(f"{module}.{name} refuses to run while your {name} is checked: write "
                         f"your own {name} instead of calling nnkit's.")
        self.name = name
        self.module = module


class library_refused:
    """While the block runs, any nnkit function named ``name`` raises :class:`LibraryRefused`.

    Python's profiling hook (``sys.setprofile``) sees every function call; a
    call of a function called ``name`` whose code is in nnkit's files is
    refused. No function is replaced, and the learner's own functions of that
    name (in a notebook, a test file or a doctest) run as usual. Afterwards ``refused`` names the module whose
    function was refused (or is ``None``), and ``switched_off`` tells whether the
    code that ran removed the hook.

    >>> import nnkit
    >>> with library_refused("mlp_params") as watch:
    ...     try:
    ...         nnkit.mlp_params([2, 1])
    ...     except CheckFailed as e:
    ...         print(e)
    nnkit.counting.mlp_params refuses to run while your mlp_params is checked: write your own mlp_params instead of calling nnkit's.
    >>> watch.refused, nnkit.mlp_params([2, 1])
    ('nnkit.counting', 3)
    """  # noqa: E501

    def __init__(self, name: str):
        self.name = name
        self.refused = None  # the module whose function was refused
        self.switched_off = False

    def _hook(self, frame, event, arg):
        if event != "call" or frame.f_code.co_name != self.name:
            return
        if _in_nnkit(frame.f_code):
            self.refused = frame.f_globals.get("__name__", "nnkit")
            raise LibraryRefused(self.name, self.refused)

    def __enter__(self):
        self._previous = _getprofile()
        _setprofile(self._hook)
        return self

    def __exit__(self, *exc_info):
        # Python removes a hook that raised: only a missing hook without a refusal is news.
        self.switched_off = _getprofile() != self._hook and self.refused is None
        _setprofile(self._previous)
        return False


# --- running the learner's function ------------------------------------------------------


def run_learner(name, student_fn, args=(), kwargs=None, *, mode="value", display=None):
    """Call ``student_fn`` on copies of the arguments, the library refused, warnings recorded.

    Returns the :class:`~nnkit.tutor.misconceptions.Attempt`: what came back
    (or the error raised), the warnings, and in ``details["changed"]`` the
    arguments the function changed in place. ``mode`` is ``"value"``,
    ``"stable"`` (NumPy's overflow reporting on) or ``"raises"``.
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    kwargs = dict(kwargs or {})
    attempt = Attempt(name=name, args=tuple(args), kwargs=kwargs, mode=mode)
    attempt.details["call"] = display or call_text(name, args, kwargs)
    if not callable(student_fn):
        raise CheckFailed(
            f"{name} should be a function, but it is {type_name(student_fn)}: did a later "
            f"cell assign to the name {name}?", call=attempt.details["call"])
    if _is_nnkits_own(name, student_fn):
        raise CheckFailed(
            f"The {name} being checked is nnkit's own {name} (imported with "
            f"`from nnkit import {name}`?): write your own {name} in the cell above.",
            call=attempt.details["call"])
    given_args, given_kwargs = _copied((tuple(args), kwargs))
    with _catch_warnings(record=True) as caught:
        _simplefilter("always")
        stability = _errstate(over="warn", divide="warn", invalid="warn") if mode == "stable" \
            else _errstate()
        try:
            with stability, library_refused(name) as watch:
                attempt.result = student_fn(*given_args, **given_kwargs)
        except NotImplementedError:
            raise
        except Exception as error:  # the learner's bug becomes the tutor's message
            attempt.error = error
    attempt.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    if watch.refused is not None:
        raise CheckFailed(
            f"Your {name} called {watch.refused}.{name}, nnkit's own version, which refuses to "
            f"run while your answer is checked. Write your own {name}.",
            call=attempt.details["call"]) from None
    if watch.switched_off:
        raise CheckFailed(
            f"Your {name} switched off Python's profiling hook (sys.setprofile), which the "
            f"check uses to make sure your own {name} runs; leave it alone.",
            call=attempt.details["call"]) from None
    attempt.details["changed"] = _changed_arguments(student_fn, args, kwargs,
                                                    given_args, given_kwargs)
    return attempt


def _is_nnkits_own(name, function):
    code = getattr(function, "__code__", None)
    return code is not None and code.co_name == name and _in_nnkit(code)


def _copied(value):
    """A deep copy, so a function that changes its input cannot change the next test."""
    try:
        return copy.deepcopy(value)
    except Exception:  # something that cannot be copied (a generator, a file) is passed as is
        return value


def _changed_arguments(function, args, kwargs, given_args, given_kwargs) -> list[str]:
    """The names of the arguments whose numbers the function changed in place."""
    names = _parameter_names(function, len(args))
    changed = [names[i] for i, (before, after) in enumerate(zip(args, given_args, strict=False))
               if not _same_numbers(before, after)]
    changed += [key for key, before in kwargs.items()
                if key in given_kwargs and not _same_numbers(before, given_kwargs[key])]
    return changed


def _parameter_names(function, count):
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):  # a builtin or an object without a signature
        parameters = []
    return [parameters[i] if i < len(parameters) else f"argument {i + 1}" for i in range(count)]


def _same_numbers(before, after) -> bool:
    """Whether ``after`` still holds the numbers of ``before`` (non-numbers are not compared)."""
    if before is after:
        return True
    if isinstance(before, list | tuple) and isinstance(after, list | tuple):
        return len(before) == len(after) and all(
            _same_numbers(b, a) for b, a in zip(before, after, strict=True))
    old, new = as_numbers(before), as_numbers(after)
    if old is None or new is None:
        return True
    return old.shape == new.shape and all(
        g == w or (_isnan(g) and _isnan(w))
        for g, w in zip(new.ravel().tolist(), old.ravel().tolist(), strict=True))


def expected_answer(name, args, kwargs, expected, convert):
    """The expected answer as plain numbers: ``expected``, or the answer key's result."""
    if expected is None:
        from nnkit.tutor import exercises

        reference = exercises.reference_for(name)
        if reference is None:
            raise LookupError(f"no exercise has a reference answer for {name}; "
                              f"pass expected=... to the check.")
        with _catch_warnings(), _errstate(all="ignore"):
            _simplefilter("ignore")
            args, kwargs = _copied((tuple(args), dict(kwargs or {})))
            expected = reference(*args, **kwargs)
    converted = convert(expected)
    if converted is None:
        raise TypeError(f"the expected answer for {name} is not numbers: {expected!r}")
    return converted


def fail_if_arguments_changed(attempt):
    """A function must leave its arguments as they were: fail when it changed one."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    changed = attempt.details.get("changed")
    if changed:
        fail(attempt, "{call} " + f"changed its argument {changed[0]} in place.",
             says_more=True)


# --- converting and comparing --------------------------------------------------------------


def as_count(value):
    """``value`` as a Python int, or ``None`` (a float is accepted when it is whole).

    >>> as_count(235146.0), as_count(2.5)
    (235146, None)
    """
    if value is None or isinstance(value, str | bytes | bool):
        return None
    try:
        return int(operator.index(value))
    except Exception:  # not an integer type; a whole float is still a count
        pass
    array = as_numbers(value)
    if array is None or array.shape != ():
        return None
    number = float(array.tolist())
    return int(number) if _isfinite(number) and number.is_integer() else None


def _close(got: float, want: float, tol: Tolerance) -> bool:
    if _isnan(got) or _isnan(want):
        return _isnan(got) and _isnan(want)
    if got == want:
        return True
    if not (_isfinite(got) and _isfinite(want)):
        return False
    return abs(got - want) <= tol.atol + tol.rtol * abs(want)


def _first_difference(got, expected, tol):
    """(position, got value, expected value) of the first mismatch, or ``None``."""
    flat_got, flat_expected = got.ravel().tolist(), expected.ravel().tolist()
    for i, (g, e) in enumerate(zip(flat_got, flat_expected, strict=True)):
        if not _close(float(g), float(e), tol):
            return position(i, expected.shape), float(g), float(e)
    return None


def position(flat_index, shape):
    """The index ``[i, j, …]`` of a flat position in an array of ``shape``.

    >>> position(5, (2, 3))
    [1, 2]
    """
    index = []
    for size in reversed(shape):
        flat_index, rest = divmod(flat_index, size)
        index.append(rest)
    return list(reversed(index))


def compare(attempt, got, expected, tol, *, what="returned"):
    """Fail unless ``got`` has the shape and values of ``expected``."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if got.shape != expected.shape:
        fail(attempt, "{call} " + f"{what} the wrong shape.",
             [f"{what + ':':9} {shown(got)}", f"expected: {shown(expected)}"],
             expected=expected, hint=shape_hint(got.shape, expected.shape) or None,
             says_more=False)
    difference = _first_difference(got, expected, tol)
    if difference is not None:
        place, g, e = difference
        where = f" at {place}" if place else ""
        fail(attempt, "{call} did not give the expected answer.",
             [f"{what + ':':9} {shown(got)}", f"expected: {shown(expected)}",
              f"first difference{where}: got {g!r}, expected {e!r}"],
             expected=expected, says_more=False)


def converted(attempt, convert=as_numbers):
    """The attempt's result as numbers, or a CheckFailed explaining why it is not."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if attempt.error is not None:
        fail_on_error(attempt)
    got = convert(attempt.result)
    attempt.got = got
    if got is None:
        if attempt.result is None:
            fail(attempt, "{call} returned None.", says_more=False)
        shown_result = described(attempt.result, 80)
        fail(attempt, "{call} " + f"returned {type_name(attempt.result)}, which is not "
             f"{'a whole number' if convert is as_count else 'numbers'}: {shown_result}",
             hint="Return numbers: a float, a NumPy array, or a list of numbers.")
    fail_if_arguments_changed(attempt)
    return got


# --- the checks ----------------------------------------------------------------------------


def records_progress(check):
    """``check`` that also notes each pass in the progress file (:mod:`nnkit.tutor.progress`)."""

    @functools.wraps(check)
    def recorded(*args, **kwargs):
        __tracebackhide__ = True  # tracebacks show the test cell, not the checker
        result = check(*args, **kwargs)
        _note_pass(check, args, kwargs)
        return result

    return recorded


def _note_pass(check, args, kwargs):
    try:
        bound = inspect.signature(check).bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = bound.arguments
        name = arguments.get("name")
        if not isinstance(name, str):
            student = next((v for v in arguments.values() if callable(v)), None)
            name = getattr(student, "__name__", None)
        if isinstance(name, str):
            from nnkit.tutor import progress

            progress.record_check(name)
    except Exception:  # progress is a convenience: it never changes a check's verdict
        return


@records_progress
def check_function(name: str, student_fn: Callable, args, expected=None, kwargs=None,
                   rtol: float | None = None, atol: float | None = None) -> np.ndarray:
    """Check that ``student_fn(*args, **kwargs)`` gives the right numbers (any lesson).

    ``expected`` defaults to the answer key's result (:mod:`nnkit.tutor.reference`),
    computed before the learner's function runs. The result is converted with
    ``np.array(result, dtype=float)``; its shape and every value are compared
    (:func:`tolerance_for`). Returns the converted result.

    >>> import numpy as np
    >>> check_function("relu", lambda z: np.maximum(0, z), ([-1.0, 2.0],)).tolist()
    [0.0, 2.0]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    tol = tolerance_for(name, rtol, atol)
    want = expected_answer(name, args, kwargs, expected, as_numbers)
    attempt = run_learner(name, student_fn, args, kwargs)
    attempt.expected = want
    got = converted(attempt)
    compare(attempt, got, want, tol)
    return got


@records_progress
def check_stable(name: str, student_fn: Callable, args, expected=None, kwargs=None,
                 rtol: float | None = None, atol: float | None = None) -> np.ndarray:
    """Like :func:`check_function`, and also: no inf/nan, no RuntimeWarning.

    This is the exercise's "numerically stable" (inputs up to |z| = 1e4): the
    learner's call runs with NumPy's overflow/invalid/divide reporting on.

    >>> import numpy as np
    >>> def naive_softmax(z):
    ...     e = np.exp(z)
    ...     return e / e.sum()
    >>> try:
    ...     check_stable("softmax", naive_softmax, ([1000.0, 1001.0],))
    ... except CheckFailed as e:
    ...     print(e)
    Likely mistake: softmax gave nan/inf (or a RuntimeWarning) for large logits: e^z overflows, because the maximum was not subtracted before exponentiating.
      softmax([1000.0, 1001.0]) must be numerically stable (no inf/nan and no RuntimeWarning for |z| up to 1e4), but it returned inf or nan.
      returned: [nan, nan]  (shape (2,))
      expected: [0.268941, 0.731059]  (shape (2,))
      first inf/nan at [0]
      your code also warned: RuntimeWarning: overflow encountered in exp (and 1 more)
    Hint: Subtract each row's maximum first; softmax does not change when a constant is subtracted from a row.
    """  # noqa: E501
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    tol = tolerance_for(name, rtol, atol)
    want = expected_answer(name, args, kwargs, expected, as_numbers)
    attempt = run_learner(name, student_fn, args, kwargs, mode="stable")
    attempt.expected = want
    got = converted(attempt)
    limit = f"{STABLE_RANGE:.0e}".replace("e+0", "e")
    stability = f"must be numerically stable (no inf/nan and no RuntimeWarning for |z| up to " \
                f"{limit})"
    bad = [i for i, (g, e) in enumerate(zip(got.ravel().tolist(), want.ravel().tolist(),
                                            strict=False))
           if not _isfinite(g) and _isfinite(e)]
    if bad:
        fail(attempt, "{call} " + stability + ", but it returned inf or nan.",
             [f"returned: {shown(got)}", f"expected: {shown(want)}",
              f"first inf/nan at {position(bad[0], got.shape)}"], expected=want)
    runtime = [w for w in attempt.warnings if w.startswith(("RuntimeWarning", "FloatingPoint"))]
    if runtime:
        fail(attempt, "{call} " + stability + f", but it warned: {runtime[0]}",
             [f"returned: {shown(got)}"], expected=want)
    compare(attempt, got, want, tol)
    return got


@records_progress
def check_count(name: str, student_fn: Callable, args, expected=None, kwargs=None) -> int:
    """Check a count (parameters, bytes): a whole number, exactly right (lesson 6).

    The result is converted with ``int(...)`` (a float is accepted when it is
    whole); returns the count.

    >>> def mlp_params(sizes):
    ...     return sum(a * b for a, b in zip(sizes, sizes[1:]))
    >>> try:
    ...     check_count("mlp_params", mlp_params, ([784, 256, 128, 10],))
    ... except CheckFailed as e:
    ...     print(e)
    Likely mistake: 234,752 counts only the weights: the 394 biases (one per neuron of every layer after the input) were forgotten.
      called:   mlp_params([784, 256, 128, 10])
      returned: 234,752
      expected: 235,146 (394 fewer)
    Hint: Each layer has n_in × n_out weights and n_out biases.
    """  # noqa: E501
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    want = expected_answer(name, args, kwargs, expected, as_count)
    attempt = run_learner(name, student_fn, args, kwargs)
    attempt.expected = want
    if attempt.error is None and attempt.result is not None and as_count(attempt.result) is None:
        number = as_numbers(attempt.result)
        if number is not None and number.shape == ():
            attempt.details["not_whole"] = float(number.tolist())
    got = converted(attempt, as_count)
    if got != want:
        difference = got - want
        relation = f"{abs(difference):,} {'more' if difference > 0 else 'fewer'}"
        fail(attempt, "{call} " + "did not give the expected count.",
             [f"returned: {got:,}", f"expected: {want:,} ({relation})"], expected=want,
             says_more=False)
    return got


@records_progress
def check_raises(name: str, student_fn: Callable, args, exception=ValueError,
                 match: str | None = None, kwargs=None, because: str | None = None):
    """Check that ``student_fn(*args)`` raises ``exception`` whose message matches ``match``.

    ``because`` says in words why the input is bad (it goes into the message).
    Returns the exception raised.

    >>> def weighted_sum(x, w, b):
    ...     return sum(xi * wi for xi, wi in zip(x, w)) + b
    >>> try:
    ...     check_raises("weighted_sum", weighted_sum, ([1, 2, 3], [1, 2], 0.0),
    ...                  because="x and w differ in length")
    ... except CheckFailed as e:
    ...     print(str(e).splitlines()[0])
    Likely mistake: it returned a number although x and w have different lengths: zip() (or a loop over the shorter one) silently drops the extra values.
    """  # noqa: E501
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    wanted = getattr(exception, "__name__", None) or " or ".join(e.__name__ for e in exception)
    reason = f" because {because}" if because else ""
    attempt = run_learner(name, student_fn, args, kwargs, mode="raises")
    error = attempt.error
    if error is None:
        result = as_numbers(attempt.result)
        attempt.got = result
        returned = described(attempt.result, 80) if result is None else value_text(result)
        fail(attempt, "{call} " + f"should raise {wanted}{reason}, but it returned {returned}.",
             hint=f"Check the input first and `raise {wanted}(...)` with a message that "
                  "says what was expected and what was given.")
    if not isinstance(error, exception):
        fail(attempt, "{call} " + f"raised {type(error).__name__}: {described(error)}",
             [f"expected: {wanted}{reason}"],
             hint=f"Check the input yourself and raise {wanted} before anything else fails.")
    if match is not None and not re.search(match, text_of(error)):
        fail(attempt, "{call} " + f"raised {wanted} as it should, but its message does not "
             "say enough.", [f"message:  {described(error)}",
                             f"expected a message matching {match!r}"],
             hint="Name what was expected and what was given (e.g. both shapes).")
    return error


check_no_warnings = check_stable
"""Another name for :func:`check_stable`."""
