"""How a failed check speaks: the likely mistake first, then the facts, then one hint.

A check that finds a wrong answer raises :class:`CheckFailed`, whose message
reads like a tutor's remark::

    Likely mistake: relu returned positive values for negative inputs: ...
      called:   relu([-2.0, 3.0])
      returned: [2.0, 3.0]  (shape (2,))
      expected: [0.0, 3.0]  (shape (2,))
      first difference at [0]: got 2.0, expected 0.0
    Hint: Negative inputs must give 0: np.maximum(0, z).

The diagnosis comes from :mod:`nnkit.tutor.misconceptions`; everything here
only turns values into short text, safely, whatever a learner's function
returned (an object whose ``__repr__`` fails is still described).

>>> call_text("relu", ([0.0] * 100,))
'relu(<list of shape (100,)>)'
>>> value_text(np.array([1.0, 2.5]))
'[1.0, 2.5]'
"""

from __future__ import annotations

import warnings

import numpy as np

from nnkit.tutor.misconceptions import Attempt, diagnose, hint_for

# Bound at import, before any learner code runs (see nnkit.tutor.checks).
_ndarray = np.ndarray
_np_array = np.array
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says what, why, and what to try.

    Attributes for tools that grade outside a notebook: ``call`` (text),
    ``returned`` and ``expected`` (plain Python numbers or lists, JSON-ready),
    ``misconception`` (a :class:`~nnkit.tutor.misconceptions.Misconception` or
    ``None``) and ``diagnosis`` (its sentence, numbers filled in).
    """

    def __init__(self, message, *, call=None, returned=None, expected=None, misconception=None,
                 diagnosis=None):
        super().__init__(message)
        self.call = call
        self.returned = returned
        self.expected = expected
        self.misconception = misconception
        self.diagnosis = diagnosis


# --- values as text ------------------------------------------------------------------------


def as_numbers(value):
    """``value`` as a plain float64 ndarray, or ``None`` when it is not numbers.

    >>> as_numbers([1, 2]).tolist(), as_numbers("12")
    ([1.0, 2.0], None)
    """
    if value is None or isinstance(value, str | bytes):
        return None
    with _catch_warnings():
        _simplefilter("error")  # complex → float would only warn; here it is wrong
        try:
            array = _np_array(value, dtype=float)
        except Exception:  # not numbers: ragged, complex, or an object that refuses
            return None
    return array if type(array) is _ndarray else None


def plain(value):
    """Plain Python numbers (JSON-ready) for arrays, tuples and lists of arrays.

    >>> plain((np.array([1.0]), [np.array(2.0)]))
    [[1.0], [2.0]]
    """
    if isinstance(value, _ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def number_text(x):
    """A number as a learner reads it: 235,146 for a count, 6 significant digits for a float.

    >>> number_text(235146), number_text(0.1234567891)
    ('235,146', '0.123457')
    """
    if isinstance(x, bool) or x is None:
        return repr(x)
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)
    return repr(float(f"{x:.6g}"))


def _nested_text(values):
    if isinstance(values, list):
        return "[" + ", ".join(_nested_text(v) for v in values) + "]"
    return number_text(values)


def value_text(array, limit=8):
    """A short view of an array of numbers: all of it when small, its start otherwise."""
    if array.shape == ():
        return number_text(float(array.tolist()))
    if array.size <= limit:
        return _nested_text(array.tolist())
    start = ", ".join(number_text(v) for v in array.ravel()[: limit // 2].tolist())
    return f"[{start}, …]"


def shown(array):
    """Values and shape: ``[0.0, 3.0]  (shape (2,))``."""
    return f"{value_text(array)}  (shape {tuple(array.shape)})"


def type_name(value):
    """``None`` or ``a list``, ``a float``... for messages."""
    return "None" if value is None else f"a {type(value).__name__}"


def _arg_text(value, depth=0):
    if callable(value) and not isinstance(value, _ndarray):
        return getattr(value, "__name__", type(value).__name__)
    if isinstance(value, float) and len(repr(value)) > 10:
        return repr(float(f"{value:.6g}"))
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, list | tuple) and (depth > 0 or as_numbers(value) is None):
        inner = ", ".join(_arg_text(v, depth + 1) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    array = as_numbers(value)
    if array is None:
        return type(value).__name__
    if array.size <= (4 if depth else 8):
        if isinstance(value, _ndarray):
            return f"array({_nested_text(array.tolist())})"
        text = repr(value)
        return text if len(text) <= 60 else _nested_text(array.tolist())
    kind = "array" if isinstance(value, _ndarray) else "list"
    return f"<{kind} of shape {tuple(array.shape)}>"


def call_text(name, args, kwargs=None):
    """The call as a learner would type it, cut at 160 characters."""
    parts = [_arg_text(a) for a in args]
    parts += [f"{k}={_arg_text(v)}" for k, v in (kwargs or {}).items()]
    text = f"{name}({', '.join(parts)})"
    return text if len(text) <= 160 else text[:157] + "…)"


def text_of(value):
    """``str(value)``, even for an object whose ``__str__`` fails."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__} that cannot be shown>"


def described(value, limit=150):
    """A short ``repr`` (or the message of an exception), safe for any object."""
    if isinstance(value, BaseException):
        return _short(text_of(value), limit)
    try:
        return _short(repr(value), limit)
    except Exception:
        return f"<{type(value).__name__} that cannot be shown>"


def _short(text, limit=150):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shape_hint(got, expected):
    """One sentence for two common shape mistakes, or ``""``.

    >>> shape_hint((3, 2), (2, 3))
    'The result is transposed: rows and columns are swapped.'
    """
    if expected == () and got != ():
        return "A single number is expected here, not an array (a scalar in gives a scalar out)."
    if tuple(reversed(got)) == expected and got != expected:
        return "The result is transposed: rows and columns are swapped."
    return ""


# --- the failure message ---------------------------------------------------------------


def fail(attempt: Attempt, headline, facts=(), *, expected=None, hint=None, says_more=True):
    """Raise CheckFailed: diagnosis first, then the facts, then one hint.

    ``headline`` names the call as ``{call}``; when a diagnosis comes first, a
    headline that ``says_more`` than "did not give the expected answer" is kept
    on the second line, otherwise that line just shows the call.
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    misconception = diagnose(attempt)
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
    raise CheckFailed("\n".join(lines), call=call, returned=plain(attempt.got),
                      expected=plain(expected), misconception=misconception,
                      diagnosis=diagnosis) from attempt.error


def fail_on_error(attempt: Attempt):
    """Turn an exception raised by the learner's code into a tutor's message."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    error = attempt.error
    where = _where(error)
    fail(attempt, "{call} raised " + f"{type(error).__name__}: {described(error)}",
         [f"in your code: {where}"] if where else [])


def _where(error):
    """The last line of the learner's code in a traceback, as 'function, line n'."""
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
