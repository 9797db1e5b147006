"""The checks that exercise test cells call: a wrong answer reads like a tutor's remark.

Each check runs the learner's function, converts what came back to plain
numbers, compares shape and values with the right answer and, when they
differ, raises :class:`CheckFailed` with a short message: the likely mistake
(from :mod:`nnkit.misconceptions`), what was called, what came back, what was
expected, the first position that differs, and one hint. The same checks
serve the learner's self-check, nbgrader's autograde and the CI gate.
Used by the exercises of lessons 1–6; ``docs/checks.md`` explains them.

>>> import numpy as np
>>> from nnkit.tutor.checking import CheckFailed, check_function
>>> def my_relu(z):
...     return np.abs(z)
>>> try:
...     check_function("relu", my_relu, ([-2.0, 3.0],), expected=[0.0, 3.0])
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
  float with :data:`TOLERANCES`; an object whose ``==`` is always true, or a
  replaced ``np.allclose``, changes nothing;
- the library's own version of the graded function is switched off while the
  learner's runs (:func:`library_disabled`); the expected answer is computed
  before;
- the checks never write to stderr: warnings raised by the learner's code are
  recorded and named in the message, and only :func:`check_stable` fails on them;
- ``NotImplementedError`` (the untouched exercise) passes through unchanged.
"""  # noqa: E501

from __future__ import annotations

import copy
import functools
import inspect
import itertools
import math
import operator
import re
import sys
import types
import warnings
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from nnkit.tutor.misconceptions import Attempt, Misconception, diagnose, hint_for

# Bound when nnkit.checking is imported, so that learner code that later replaces
# NumPy's functions cannot change a verdict. Values are compared as Python floats.
_np_array = np.array
_ndarray = np.ndarray
_errstate = np.errstate
_sin = np.sin
_isfinite = math.isfinite
_isnan = math.isnan
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter


@dataclass(frozen=True)
class Tolerance:
    """How close is close enough: ``|got − expected| ≤ atol + rtol·|expected|``."""

    rtol: float
    atol: float


DEFAULT_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)

TOLERANCES: Mapping[str, Tolerance] = MappingProxyType({
    "default": DEFAULT_TOLERANCE,
    # The exercise accepts the tanh approximation of GELU (off by at most 5e-4).
    "gelu": Tolerance(rtol=1e-6, atol=1e-3),
})
"""Tolerances by graded function; every other function uses ``"default"``."""

XOR_TOLERANCE = 0.1
"""How far the XOR network's output may be from 0 or 1 (exercise 3)."""

APPROXIMATION_MAX_ERROR = 0.01
"""The largest error allowed for sin on [−π, π] with 32 hidden units (exercise 5)."""

STABLE_RANGE = 1e4
"""Numerically stable means no inf/nan and no RuntimeWarning for |z| up to this."""


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says what, why, and what to try.

    Attributes for tools that grade outside a notebook: ``call`` (text),
    ``returned`` and ``expected`` (plain Python numbers or lists, JSON-ready),
    ``misconception`` (a :class:`~nnkit.misconceptions.Misconception` or ``None``) and
    ``diagnosis`` (its sentence, numbers filled in).
    """

    def __init__(self, message, *, call=None, returned=None, expected=None, misconception=None,
                 diagnosis=None):
        super().__init__(message)
        self.call = call
        self.returned = returned
        self.expected = expected
        self.misconception = misconception
        self.diagnosis = diagnosis


class LibraryDisabled(CheckFailed):
    """Raised when a learner's function calls the library version of itself."""

    def __init__(self, name):
        super().__init__(
            f"nnkit.{name} is switched off while your {name} is checked: write your own "
            f"{name} instead of calling the library's."
        )
        self.name = name


def tolerance_for(name: str, rtol: float | None = None, atol: float | None = None) -> Tolerance:
    """The tolerance for ``name``, with ``rtol``/``atol`` overriding it when given.

    >>> tolerance_for("gelu")
    Tolerance(rtol=1e-06, atol=0.001)
    >>> tolerance_for("sigmoid", atol=0.0)
    Tolerance(rtol=1e-06, atol=0.0)
    """
    base = TOLERANCES.get(name, TOLERANCES["default"])
    return Tolerance(base.rtol if rtol is None else rtol, base.atol if atol is None else atol)


# --- the library's own version, switched off ---------------------------------------------


def _library_function(name):
    """``nnkit.<name>`` if the library has it (looked up at call time), else ``None``.

    A submodule of the same name (``nnkit.neuron`` before the package exports the
    function ``neuron``) is not the function.
    """
    try:
        import nnkit
    except ImportError:
        return None
    function = getattr(nnkit, name, None)
    return None if isinstance(function, types.ModuleType) else function


def _refusing_call(*args, **kwargs):
    """Body of a switched-off library function (runs under the function's own name)."""
    import sys

    import nnkit.tutor.checking

    raise nnkit.tutor.checking.LibraryDisabled(sys._getframe(0).f_code.co_name)


def _refusing_code(name):
    return _refusing_call.__code__.replace(co_name=name, co_qualname=name)


@contextmanager
def library_disabled(name: str):
    """Switch off ``nnkit.<name>`` for the duration of a ``with`` block.

    The attribute on ``nnkit`` and on the defining module is replaced, and the
    function's own code too, so an alias taken earlier
    (``from nnkit import mlp_params as lib_count``) is switched off as well. Everything
    is restored on exit.

    >>> import nnkit
    >>> with library_disabled("mlp_params"):
    ...     try:
    ...         nnkit.mlp_params([2, 1])
    ...     except CheckFailed as e:
    ...         print(e)
    nnkit.mlp_params is switched off while your mlp_params is checked: write your own mlp_params instead of calling the library's.
    >>> nnkit.mlp_params([2, 1])
    3
    """  # noqa: E501
    replaced, recoded = [], []
    try:
        original = _library_function(name)
        if callable(original):
            stub = types.FunctionType(_refusing_code(name), _refusing_call.__globals__, name)
            for owner in _owners(name, original):
                replaced.append((owner, getattr(owner, name)))
                setattr(owner, name, stub)
            if isinstance(original, types.FunctionType) and not original.__code__.co_freevars:
                recoded.append((original, original.__code__, original.__defaults__,
                                original.__kwdefaults__))
                original.__code__ = _refusing_code(name)
                original.__defaults__ = original.__kwdefaults__ = None
        yield
    finally:
        for function, code, defaults, kwdefaults in reversed(recoded):
            function.__code__ = code
            function.__defaults__, function.__kwdefaults__ = defaults, kwdefaults
        for owner, value in reversed(replaced):
            setattr(owner, name, value)


def _owners(name, function):
    """The modules that hold ``function`` under ``name``: nnkit and where it was defined."""
    owners = [sys.modules["nnkit"]]
    module = sys.modules.get(getattr(function, "__module__", None) or "")
    if module is not None and module not in owners and getattr(module, name, None) is function:
        owners.append(module)
    return owners


# --- running the learner's function ------------------------------------------------------


def _run(name, student_fn, args=(), kwargs=None, *, mode="value", display=None):
    """Call ``student_fn`` on copies of the arguments, library off, warnings recorded."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    kwargs = dict(kwargs or {})
    attempt = Attempt(name=name, args=tuple(args), kwargs=kwargs, mode=mode)
    attempt.details["call"] = display or _call_text(name, args, kwargs)
    if not callable(student_fn):
        raise CheckFailed(
            f"{name} should be a function, but it is {_type_name(student_fn)}: did a later "
            f"cell assign to the name {name}?", call=attempt.details["call"])
    if student_fn is _library_function(name):
        raise CheckFailed(
            f"The {name} being checked is nnkit's own {name} (imported with "
            f"`from nnkit import {name}`?): write your own {name} in the cell above.",
            call=attempt.details["call"])
    student_args, student_kwargs = _copied((tuple(args), kwargs))
    with _catch_warnings(record=True) as caught, library_disabled(name):
        _simplefilter("always")
        stability = _errstate(over="warn", divide="warn", invalid="warn") if mode == "stable" \
            else _errstate()
        try:
            with stability:
                attempt.result = student_fn(*student_args, **student_kwargs)
        except NotImplementedError:
            raise
        except LibraryDisabled as refused:
            raise CheckFailed(
                f"Your {name} called nnkit.{refused.name}, the library's own version, which is "
                f"switched off while your answer is checked. Write your own {name}.",
                call=attempt.details["call"]) from None
        except Exception as error:  # the learner's bug becomes the tutor's message
            attempt.error = error
    attempt.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    return attempt


def _copied(value):
    """A deep copy, so a function that changes its input cannot change the next test."""
    try:
        return copy.deepcopy(value)
    except Exception:  # something that cannot be copied (a generator, a file) is passed as is
        return value


def _reference(name, args, kwargs, expected, convert):
    """The expected answer as plain numbers: ``expected`` or the library's result."""
    if expected is None:
        function = _library_function(name)
        if function is None:
            raise LookupError(f"nnkit has no {name} to compute the expected answer; "
                              f"pass expected=... to the check.")
        with _catch_warnings(), _errstate(all="ignore"):
            _simplefilter("ignore")
            args, kwargs = _copied((tuple(args), dict(kwargs or {})))
            expected = function(*args, **kwargs)
    converted = convert(expected)
    if converted is None:
        raise TypeError(f"the expected answer for {name} is not numbers: {expected!r}")
    return converted


# --- converting and comparing --------------------------------------------------------------


def _as_array(value):
    """``value`` as a plain float64 ndarray, or ``None`` when it is not numbers."""
    if value is None or isinstance(value, str | bytes):
        return None
    with _catch_warnings():
        _simplefilter("error")  # complex → float would only warn; here it is a wrong answer
        try:
            array = _np_array(value, dtype=float)
        except Exception:  # not numbers: ragged, complex, or an object that refuses
            return None
    return array if type(array) is _ndarray else None


def _as_count(value):
    """``value`` as a Python int, or ``None`` (a float is accepted when it is whole)."""
    if value is None or isinstance(value, str | bytes | bool):
        return None
    try:
        return int(operator.index(value))
    except Exception:  # not an integer type; a whole float is still a count
        pass
    array = _as_array(value)
    if array is None or array.shape != ():
        return None
    number = float(array.tolist())
    return int(number) if _isfinite(number) and number.is_integer() else None


def _plain(value):
    """Plain Python numbers (JSON-ready) for arrays, tuples and lists of arrays."""
    if isinstance(value, _ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


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
            return _position(i, expected.shape), float(g), float(e)
    return None


def _position(flat_index, shape):
    index = []
    for size in reversed(shape):
        flat_index, rest = divmod(flat_index, size)
        index.append(rest)
    return list(reversed(index))


# --- messages -----------------------------------------------------------------------------


def _number_text(x):
    if isinstance(x, bool) or x is None:
        return repr(x)
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    return repr(float(f"{x:.6g}"))


def _nested_text(values):
    if isinstance(values, list):
        return "[" + ", ".join(_nested_text(v) for v in values) + "]"
    return _number_text(values)


def _value_text(array, limit=8):
    """A short view of an array of numbers: all of it when small, its start otherwise."""
    if array.shape == ():
        return _number_text(float(array.tolist()))
    if array.size <= limit:
        return _nested_text(array.tolist())
    start = ", ".join(_number_text(v) for v in array.ravel()[: limit // 2].tolist())
    return f"[{start}, …]"


def _shown(array):
    return f"{_value_text(array)}  (shape {tuple(array.shape)})"


def _type_name(value):
    return "None" if value is None else f"a {type(value).__name__}"


def _arg_text(value, depth=0):
    if callable(value) and not isinstance(value, _ndarray):
        return getattr(value, "__name__", type(value).__name__)
    if isinstance(value, float) and len(repr(value)) > 10:
        return repr(float(f"{value:.6g}"))
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, list | tuple) and (depth > 0 or _as_array(value) is None):
        inner = ", ".join(_arg_text(v, depth + 1) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    array = _as_array(value)
    if array is None:
        return type(value).__name__
    if array.size <= (4 if depth else 8):
        if isinstance(value, _ndarray):
            return f"array({_nested_text(array.tolist())})"
        text = repr(value)
        return text if len(text) <= 60 else _nested_text(array.tolist())
    kind = "array" if isinstance(value, _ndarray) else "list"
    return f"<{kind} of shape {tuple(array.shape)}>"


def _call_text(name, args, kwargs=None):
    parts = [_arg_text(a) for a in args]
    parts += [f"{k}={_arg_text(v)}" for k, v in (kwargs or {}).items()]
    text = f"{name}({', '.join(parts)})"
    return text if len(text) <= 160 else text[:157] + "…)"


def _fail(attempt, headline, facts=(), *, expected=None, hint=None, says_more=True):
    """Raise CheckFailed: diagnosis first, then the facts, then one hint.

    ``headline`` names the call as ``{call}``; when a diagnosis comes first, a
    headline that ``says_more`` than "did not give the expected answer" is kept
    on the second line, otherwise that line just shows the call.
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    misconception: Misconception | None = diagnose(attempt)
    call = attempt.details["call"]
    lines = []
    diagnosis = misconception.describe(attempt) if misconception is not None else None
    if diagnosis is None:
        lines.append(headline.format(call=call))
    else:
        lines.append(f"Likely mistake: {diagnosis}")
        lines.append(f"  {headline.format(call=call)}" if says_more else f"  called:   {call}")
    lines.extend(f"  {fact}" for fact in facts)
    if attempt.warnings:
        more = f" (and {len(attempt.warnings) - 1} more)" if len(attempt.warnings) > 1 else ""
        lines.append(f"  your code also warned: {attempt.warnings[0]}{more}")
    lines.append(f"Hint: {misconception.hint if misconception else hint or hint_for(attempt.name)}")
    raise CheckFailed("\n".join(lines), call=call, returned=_plain(attempt.got),
                      expected=_plain(expected), misconception=misconception,
                      diagnosis=diagnosis) from attempt.error


def _fail_on_error(attempt):
    """Turn an exception raised by the learner's code into a tutor's message."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    error = attempt.error
    where = _where(error)
    _fail(attempt, "{call} raised " + f"{type(error).__name__}: {_described(error)}",
          [f"in your code: {where}"] if where else [])


def _where(error):
    """The last line of the learner's code in a traceback, as 'file, line n'."""
    frames = [f for f in _traceback_frames(error) if "nnkit" not in f[0].replace("\\", "/")]
    if not frames:
        return ""
    _filename, lineno, function = frames[-1]
    return f"{function}, line {lineno}"


def _traceback_frames(error):
    tb = error.__traceback__
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames[1:]


def _text(value):
    """``str(value)``, even for an object whose ``__str__`` fails."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__} that cannot be shown>"


def _described(value, limit=150):
    """A short ``repr`` (or the message of an exception), safe for any object."""
    if isinstance(value, BaseException):
        return _short(_text(value), limit)
    try:
        return _short(repr(value), limit)
    except Exception:
        return f"<{type(value).__name__} that cannot be shown>"


def _short(text, limit=150):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compare(attempt, got, expected, tol, *, what="returned"):
    """Fail unless ``got`` has the shape and values of ``expected``."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if got.shape != expected.shape:
        _fail(attempt, "{call} " + f"{what} the wrong shape.",
              [f"{what + ':':9} {_shown(got)}", f"expected: {_shown(expected)}"],
              expected=expected, hint=_shape_hint(got.shape, expected.shape) or None,
              says_more=False)
    difference = _first_difference(got, expected, tol)
    if difference is not None:
        position, g, e = difference
        place = f" at {position}" if position else ""
        _fail(attempt, "{call} did not give the expected answer.",
              [f"{what + ':':9} {_shown(got)}", f"expected: {_shown(expected)}",
               f"first difference{place}: got {g!r}, expected {e!r}"],
              expected=expected, says_more=False)


def _shape_hint(got, expected):
    if expected == () and got != ():
        return "A single number is expected here, not an array (a scalar in gives a scalar out)."
    if tuple(reversed(got)) == expected and got != expected:
        return "The result is transposed: rows and columns are swapped."
    return ""


def _converted(attempt, convert=_as_array):
    """The attempt's result as numbers, or a CheckFailed explaining why it is not."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if attempt.error is not None:
        _fail_on_error(attempt)
    got = convert(attempt.result)
    attempt.got = got
    if got is None:
        if attempt.result is None:
            _fail(attempt, "{call} returned None.", says_more=False)
        described = _described(attempt.result, 80)
        _fail(attempt, "{call} " + f"returned {_type_name(attempt.result)}, which is not "
              f"{'a whole number' if convert is _as_count else 'numbers'}: {described}",
              hint="Return numbers: a float, a NumPy array, or a list of numbers.")
    return got


# --- the checks ----------------------------------------------------------------------------


def _records_progress(check):
    """``check`` that also notes each pass in the progress file (:mod:`nnkit.progress`)."""

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


@_records_progress
def check_function(name: str, student_fn: Callable, args, expected=None, kwargs=None,
                   rtol: float | None = None, atol: float | None = None) -> np.ndarray:
    """Check that ``student_fn(*args, **kwargs)`` gives the right numbers (any lesson).

    ``expected`` defaults to what the library's ``nnkit.<name>`` returns (computed
    before the learner's function runs, with the library's version switched off
    during it). The result is converted with ``np.array(result, dtype=float)``;
    its shape and every value are compared (:func:`tolerance_for`). Returns the
    converted result.

    >>> import numpy as np
    >>> check_function("relu", lambda z: np.maximum(0, z), ([-1.0, 2.0],), expected=[0, 2]).tolist()
    [0.0, 2.0]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    tol = tolerance_for(name, rtol, atol)
    want = _reference(name, args, kwargs, expected, _as_array)
    attempt = _run(name, student_fn, args, kwargs)
    attempt.expected = want
    got = _converted(attempt)
    _compare(attempt, got, want, tol)
    return got


@_records_progress
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
    ...     check_stable("softmax", naive_softmax, ([1000.0, 1001.0],),
    ...                  expected=[0.2689414213699951, 0.7310585786300049])
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
    want = _reference(name, args, kwargs, expected, _as_array)
    attempt = _run(name, student_fn, args, kwargs, mode="stable")
    attempt.expected = want
    got = _converted(attempt)
    limit = f"{STABLE_RANGE:.0e}".replace("e+0", "e")
    stability = f"must be numerically stable (no inf/nan and no RuntimeWarning for |z| up to " \
                f"{limit})"
    bad = [i for i, (g, e) in enumerate(zip(got.ravel().tolist(), want.ravel().tolist(),
                                            strict=False))
           if not _isfinite(g) and _isfinite(e)]
    if bad:
        _fail(attempt, "{call} " + stability + ", but it returned inf or nan.",
              [f"returned: {_shown(got)}", f"expected: {_shown(want)}",
               f"first inf/nan at {_position(bad[0], got.shape)}"], expected=want)
    runtime = [w for w in attempt.warnings if w.startswith(("RuntimeWarning", "FloatingPoint"))]
    if runtime:
        _fail(attempt, "{call} " + stability + f", but it warned: {runtime[0]}",
              [f"returned: {_shown(got)}"], expected=want)
    _compare(attempt, got, want, tol)
    return got


check_no_warnings = check_stable
"""Another name for :func:`check_stable`."""


@_records_progress
def check_count(name: str, student_fn: Callable, args, expected=None, kwargs=None) -> int:
    """Check a count (parameters, bytes): a whole number, exactly right (lesson 6).

    The result is converted with ``int(...)`` (a float is accepted when it is
    whole); returns the count.

    >>> def mlp_params(sizes):
    ...     return sum(a * b for a, b in zip(sizes, sizes[1:]))
    >>> try:
    ...     check_count("mlp_params", mlp_params, ([784, 256, 128, 10],), expected=235146)
    ... except CheckFailed as e:
    ...     print(e)
    Likely mistake: 234,752 counts only the weights: the 394 biases (one per neuron of every layer after the input) were forgotten.
      called:   mlp_params([784, 256, 128, 10])
      returned: 234,752
      expected: 235,146 (394 fewer)
    Hint: Each layer has n_in × n_out weights and n_out biases.
    """  # noqa: E501
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    want = _reference(name, args, kwargs, expected, _as_count)
    attempt = _run(name, student_fn, args, kwargs)
    attempt.expected = want
    if attempt.error is None and attempt.result is not None and _as_count(attempt.result) is None:
        number = _as_array(attempt.result)
        if number is not None and number.shape == ():
            attempt.details["not_whole"] = float(number.tolist())
    got = _converted(attempt, _as_count)
    if got != want:
        difference = got - want
        relation = f"{abs(difference):,} {'more' if difference > 0 else 'fewer'}"
        _fail(attempt, "{call} " + "did not give the expected count.",
              [f"returned: {got:,}", f"expected: {want:,} ({relation})"], expected=want,
              says_more=False)
    return got


@_records_progress
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
    attempt = _run(name, student_fn, args, kwargs, mode="raises")
    error = attempt.error
    if error is None:
        shown = _as_array(attempt.result)
        attempt.got = shown
        returned = _described(attempt.result, 80) if shown is None else _value_text(shown)
        _fail(attempt, "{call} " + f"should raise {wanted}{reason}, but it returned {returned}.",
              hint=f"Check the input first and `raise {wanted}(...)` with a message that "
                   "says what was expected and what was given.")
    if not isinstance(error, exception):
        _fail(attempt, "{call} " + f"raised {type(error).__name__}: {_described(error)}",
              [f"expected: {wanted}{reason}"],
              hint=f"Check the input yourself and raise {wanted} before anything else fails.")
    if match is not None and not re.search(match, _text(error)):
        _fail(attempt, "{call} " + f"raised {wanted} as it should, but its message does not "
              "say enough.", [f"message:  {_described(error)}",
                              f"expected a message matching {match!r}"],
              hint="Name what was expected and what was given (e.g. both shapes).")
    return error


# --- checks of returned weights ---------------------------------------------------------------


_GATE_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
_TRUTH_TABLES = {"and": (0.0, 0.0, 0.0, 1.0), "or": (0.0, 1.0, 1.0, 1.0),
                 "xor": (0.0, 1.0, 1.0, 0.0)}


def _truth_values(truth_table):
    if isinstance(truth_table, str):
        return _TRUTH_TABLES[truth_table.lower()]
    if isinstance(truth_table, Mapping):
        return tuple(float(truth_table[tuple(int(v) for v in x)]) for x in _GATE_INPUTS)
    if callable(truth_table):
        return tuple(float(bool(truth_table(int(a), int(b)))) for a, b in _GATE_INPUTS)
    return tuple(float(v) for v in truth_table)


@_records_progress
def check_gate(student_gate_fn: Callable, truth_table, name: str | None = None):
    """Check that ``student_gate_fn()`` returns ``(w, b)`` computing ``truth_table`` (lesson 1).

    The two arguments may come in either order (``check_gate("and", and_gate)``).
    ``truth_table`` is ``"and"``/``"or"``, a dict ``{(x1, x2): 0 or 1}``, a function
    of ``(x1, x2)``, or the four outputs for (0,0), (0,1), (1,0), (1,1). The neuron is
    ``step(w·x + b)`` with ``step(z) = 1 if z > 0 else 0``. Returns ``(w, b)`` as
    a float array and a float.

    >>> check_gate(lambda: ([1.0, 1.0], -1.5), "and", name="and_gate")
    ([1.0, 1.0], -1.5)
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
    attempt = _run(name, student_gate_fn, ())
    attempt.expected = target
    if attempt.error is not None:
        _fail_on_error(attempt)
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
        _fail(attempt, "{call} " + f"returned w = {w}, b = {b:g}, which does not compute "
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
        _fail(attempt, "{call} " + f"should return a pair (w, b), but returned "
              f"{_described(result, 80)}.", hint="return w, b")
    w, b = _as_array(w_raw), _as_array(b_raw)
    if w is not None and b is not None and w.size == 1 and b.shape == (2,):
        attempt.details["swapped"] = True
    if w is None or w.shape != (2,) or b is None or b.size != 1:
        _fail(attempt, "{call} " + "should return (w, b): w two weights, b one number; got "
              f"{_described(result, 80)}.")
    return w.tolist(), float(b.ravel().tolist()[0])


def _matrix(value, label, attempt):
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    array = _as_array(value)
    if array is None:
        _fail(attempt, "{call} " + f"returned a {label} that is not numbers: "
              f"{_described(value, 60)}.")
    return array


@_records_progress
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
    attempt = _run(name, student_fn, ())
    attempt.expected = list(_TRUTH_TABLES["xor"])
    if attempt.error is not None:
        _fail_on_error(attempt)
    try:
        (W1, b1), (W2, b2) = attempt.result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        _fail(attempt, "{call} " + "should return [(W1, b1), (W2, b2)], but returned "
              f"{_described(attempt.result, 80)}.")
    W1, b1, W2, b2 = (_matrix(v, label, attempt)
                      for v, label in ((W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2")))
    d = attempt.details
    d.update(W1_shape=W1.shape, W2_shape=W2.shape, b2_shape=b2.shape)
    if W1.ndim != 2 or W1.shape[1] != 2 or b1.shape != (W1.shape[0],):
        d["transposed"] = W1.ndim == 2 and W1.shape[0] == 2 and b1.shape == (W1.shape[1],)
        _fail(attempt, "{call} " + f"returned W1 of shape {W1.shape} and b1 of shape "
              f"{b1.shape}; expected W1 (n_hidden, 2) and b1 (n_hidden,).")
    n_hidden = d["n_hidden"] = W1.shape[0]
    if n_hidden > 4:
        _fail(attempt, "{call} " + f"has {n_hidden} hidden units; at most 4 are allowed.")
    if W2.shape != (1, n_hidden) or b2.shape != (1,):
        d["bad_output_shape"] = True
        _fail(attempt, "{call} " + f"returned W2 of shape {W2.shape} and b2 of shape "
              f"{b2.shape}; expected (1, {n_hidden}) and (1,).")
    W1l, b1l, W2l, b2l = W1.tolist(), b1.tolist(), W2.tolist()[0], b2.tolist()[0]
    outputs, hidden = [], []
    for x in _GATE_INPUTS:
        z = [row[0] * x[0] + row[1] * x[1] + bias for row, bias in zip(W1l, b1l, strict=True)]
        hidden.append(z)
        outputs.append(sum(w * max(0.0, v) for w, v in zip(W2l, z, strict=True)) + b2l)
    d["outputs"] = outputs
    # ReLU only bends a unit whose pre-activation changes sign over the four inputs.
    d["linear"] = all(all(z[j] >= 0 for z in hidden) or all(z[j] <= 0 for z in hidden)
                      for j in range(n_hidden))
    attempt.got = outputs
    target = _TRUTH_TABLES["xor"]
    if not all(abs(o - t) <= XOR_TOLERANCE for o, t in zip(outputs, target, strict=True)):
        rows = [f"x = ({int(x[0])}, {int(x[1])}): output {o:.3g}, want {int(t)}"
                for x, o, t in zip(_GATE_INPUTS, outputs, target, strict=True)]
        _fail(attempt, "{call} " + f"does not compute XOR within {XOR_TOLERANCE}.", rows,
              expected=list(target))
    return W1, b1, W2, b2


@_records_progress
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
    W1a, b1a, W2a, b2a = (_as_array(v) for v in (W1, b1, W2, b2))
    want_W, want_b = W2a @ W1a, W2a @ b1a + b2a
    attempt = _run(name, student_fn, (W1, b1, W2, b2))
    attempt.expected = (want_W, want_b)
    if attempt.error is not None:
        _fail_on_error(attempt)
    try:
        W, b = attempt.result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        _fail(attempt, "{call} " + "should return a pair (W, b), but returned "
              f"{_described(attempt.result, 80)}.", hint="return W, b")
    W, b = _as_array(W), _as_array(b)
    if W is None or b is None:
        _fail(attempt, "{call} " + "should return (W, b) as arrays of numbers.")
    attempt.got = (W, b)
    _compare(attempt, W, want_W, tol, what="W")
    _compare(attempt, b, want_b, tol, what="b")
    return W, b


def _layers_as_numbers(layers):
    return [(_as_array(W), _as_array(b), act) for W, b, act in layers]


def _trace(x, layers):
    """The right trace ``[x, a₁, …]``, computed here, not by the library."""
    a = _as_array(x)
    trace = [a]
    with _catch_warnings(), _errstate(all="ignore"):
        _simplefilter("ignore")
        for W, b, act in _layers_as_numbers(layers):
            z = a @ W.T + b
            a = z if act is None else _as_array(act(z))
            trace.append(a)
    return trace


@_records_progress
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
    want = [_as_array(a) for a in expected] if expected is not None else _trace(x, layers)
    attempt = _run(name, student_fn, (x, layers))
    attempt.expected = want
    if attempt.error is not None:
        _fail_on_error(attempt)
    result = attempt.result
    if not isinstance(result, list | tuple) or len(result) != len(want):
        length = f"a list of {len(result)} entries" if isinstance(result, list | tuple) \
            else _type_name(result)
        _fail(attempt, "{call} " + f"returned {length}; expected a list of {len(want)} "
              f"arrays [x, a₁, …, a_{len(want) - 1}].", expected=want)
    got = []
    for i, (entry, w) in enumerate(zip(result, want, strict=True)):
        array = _as_array(entry)
        if array is None:
            _fail(attempt, "{call} " + f"entry {i} is not numbers: {_described(entry, 60)}.")
        got.append(array)
        attempt.got = got
        label = "x" if i == 0 else f"a{i}"
        _compare(attempt, array, w, tol, what=f"entry {i} ({label})")
    return got


@_records_progress
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
        outputs = _trace(x, layers)[-1]
        expected = outputs.argmax(axis=-1)
    want = _np_array(expected)
    single = want.ndim == 0
    attempt = _run(name, student_fn, (x, layers))
    attempt.expected = want.tolist()
    if attempt.error is not None:
        _fail_on_error(attempt)
    result = attempt.result
    array = _as_array(result)
    attempt.got = array
    kind = np.asarray(result).dtype.kind if array is not None else ""
    if single:
        if array is None or array.shape != () or kind not in "iu" or isinstance(result, bool):
            shown = _described(result, 60)
            _fail(attempt, "{call} " + f"returned {shown}; for a single input predict returns "
                  "one int, the index of the largest output.", [f"expected: {want.tolist()}"],
                  expected=want.tolist(), hint="return int(np.argmax(output))")
        got = int(array.tolist())
        if got != want.tolist():
            _fail(attempt, "{call} " + f"returned {got}, expected {want.tolist()}.",
                  expected=want.tolist())
        return got
    if array is None or array.shape != want.shape or kind not in "iu":
        shown = "not numbers" if array is None else f"{kind and np.asarray(result).dtype} " \
                                                    f"values of shape {array.shape}"
        _fail(attempt, "{call} " + f"returned {shown}; for a batch predict returns an integer "
              f"array of shape {want.shape}.", [f"expected: {_value_text(want)}"],
              expected=want.tolist(), hint="np.argmax(outputs, axis=-1)")
    _compare(attempt, array, want.astype(float), DEFAULT_TOLERANCE)
    return _np_array(array.tolist(), dtype=np.int64)


@_records_progress
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
    with _catch_warnings(), _errstate(all="ignore"):
        _simplefilter("ignore")
        ys = _as_array(f(_np_array(xs))).tolist()
    errors, chosen = {}, None
    for n in sorted({*unit_counts, n_hidden}):
        attempt = _run(name, student_fn, (f, a, b, n))
        attempt.details.update(asked=n, max_error=max_error)
        if attempt.error is not None:
            _fail_on_error(attempt)
        params = _approximation_params(attempt, n)
        residuals = _residuals([p.tolist() for p in params], xs, ys)
        errors[n] = max(abs(r) for r in residuals)
        if n == n_hidden:
            chosen = params
            attempt.details["residuals"] = residuals
            attempt.got = errors[n]
            attempt.expected = max_error
            if not errors[n] <= max_error:
                worst = max(range(n_points), key=lambda i: abs(residuals[i]))
                _fail(attempt, "{call} " + f"is not close enough: largest error "
                      f"{errors[n]:.3g} > {max_error:g}.",
                      [f"worst at x = {xs[worst]:.4g}: network {ys[worst] + residuals[worst]:.4g}"
                       f", f(x) = {ys[worst]:.4g}"], expected=max_error)
    counts = sorted(errors)
    for fewer, more in itertools.pairwise(counts):
        if errors[more] > errors[fewer] + 1e-9:
            attempt = Attempt(name, (f, a, b, more), details={
                "call": _call_text(name, (f, a, b, more)),
                "worse": {"more": more, "fewer": fewer, "worse": errors[more],
                          "better": errors[fewer]}})
            _fail(attempt, "{call} " + f"is worse with {more} units ({errors[more]:.3g}) than "
                  f"with {fewer} ({errors[fewer]:.3g}).",
                  [f"largest errors: {', '.join(f'{n}: {errors[n]:.3g}' for n in counts)}"])
    return chosen


def _approximation_params(attempt, n):
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    try:
        W1, b1, W2, b2 = attempt.result
    except Exception:  # not a pair, or an object whose iteration fails
        attempt.details["unpacked"] = False
        _fail(attempt, "{call} " + "should return (W1, b1, W2, b2), but returned "
              f"{_described(attempt.result, 80)}.")
    arrays = [_as_array(v) for v in (W1, b1, W2, b2)]
    if any(v is None for v in arrays):
        _fail(attempt, "{call} " + "returned something that is not four arrays of numbers.")
    shapes = [tuple(v.shape) for v in arrays]
    d = attempt.details
    d["shapes"] = shapes
    d["units"] = shapes[1][0] if len(shapes[1]) == 1 else None
    want = [(n, 1), (n,), (1, n), (1,)]
    if shapes != want:
        d["flat"] = shapes[0] == (d["units"],) or shapes[2] == (d["units"],) or shapes[3] == ()
        _fail(attempt, "{call} " + f"returned shapes {shapes}; expected {want}.")
    return arrays


def _residuals(params, xs, ys):
    """Network output minus f at every point, in plain Python floats."""
    W1, b1, W2, b2 = params
    slopes = [row[0] for row in W1]
    weights = W2[0]
    units = list(zip(slopes, b1, weights, strict=True))
    return [sum(v * max(0.0, s * x + c) for s, c, v in units) + b2[0] - y
            for x, y in zip(xs, ys, strict=True)]
