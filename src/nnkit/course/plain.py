"""Values as plain JSON numbers, so a verdict never trusts an object's methods.

A student's function may return anything, including an object whose ``==``
is always true. Results are turned into JSON-safe data (arrays become nested
lists of floats) inside the sandbox with references taken before any student
code ran, and turned back into fresh NumPy arrays in the grader's own process.
"""

from __future__ import annotations

import builtins
import contextlib
import math

import numpy as np

_asarray = np.asarray
_ndarray = np.ndarray
_generic = np.generic
_isinstance = isinstance
_float = float
_int = int
_str = str
_repr = repr
_len = len
_type = type
_callable = callable
_getattr = getattr

MAX_ELEMENTS = 200_000


class Unconvertible:
    """Stands in for a result that could not be turned into numbers.

    Every comparison with it is false and it cannot become an array, so a check
    that meets it fails.

    >>> Unconvertible("<object>") == 1
    False
    """

    def __init__(self, description):
        self.description = description

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = None

    def __array__(self, *args, **kwargs):
        raise TypeError(f"the function returned {self.description}, which is not a number")

    def __float__(self):
        raise TypeError(f"the function returned {self.description}, which is not a number")

    def __repr__(self):
        return self.description


def _number(value):
    value = _float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _unnumber(value):
    return _float(value) if _isinstance(value, _str) else value


def encode(value, depth: int = 0):
    """A JSON-safe description of ``value`` (numbers, arrays, tuples, lists, dicts).

    >>> encode((np.array([1.0, 2.0]), 3))["tuple"][1]
    {'int': 3}
    """
    if depth > 20:
        return {"opaque": "a structure nested too deeply"}
    kind = _type(value)
    if value is None:
        return {"none": None}
    if kind is bool or kind is np.bool_:
        return {"bool": bool(value)}
    if kind is int:
        return {"int": value} if abs(value) < MAX_INT else {"opaque": "a very large integer"}
    if kind is float:
        return {"float": _number(value)}
    if kind is str:
        return {"str": value[:1000]}
    if kind is tuple or kind is list:
        return {kind.__name__: [encode(item, depth + 1) for item in value[:1000]]}
    if kind is dict:
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)]
                         for k, v in list(value.items())[:1000]]}
    if _isinstance(value, type) and issubclass(value, BaseException):
        return {"exception_type": _str(value.__name__)[:100]}
    if _callable(value) and not _isinstance(value, (_ndarray, _generic)):
        return {"callable": _str(_getattr(value, "__name__", "function"))[:100]}
    return _encode_array_like(value, kind)


def _encode_array_like(value, kind):
    if kind is not _ndarray and not issubclass(kind, _generic):
        return _encode_other(value, kind)
    array = value
    if array.size > MAX_ELEMENTS:
        return {"opaque": f"an array of {array.size} numbers (too large to compare)"}
    scalar = kind is not _ndarray
    dtype = _str(array.dtype)
    if dtype not in ALLOWED_DTYPES:
        return _encode_other(value, kind)
    if array.dtype.kind in "biu":
        data = array.astype(np.int64).ravel().tolist()
    else:
        data = [_number(x) for x in array.astype(np.float64).ravel().tolist()]
    return {"array": data, "dtype": dtype, "shape": list(array.shape), "scalar": scalar}


def _encode_other(value, kind):
    """An object of another type: kept only as the numbers it converts to."""
    try:
        array = _asarray(value, dtype=np.float64)
    except Exception:  # the object refused; it stays a non-number
        array = None
    if _type(array) is not _ndarray or array.size > MAX_ELEMENTS:
        return {"opaque": f"an object of type {kind.__name__}"[:200],
                "claims_equal": _claims_equality(value)}
    data = [_number(x) for x in array.ravel().tolist()]
    return {"converted": data, "type": kind.__name__[:100], "shape": list(array.shape)}


class _Stranger:
    """A fresh object nothing honest can be equal to."""


def _claims_equality(value) -> bool:
    """Whether ``value`` says it equals an object it has never seen (an always-true ``==``)."""
    try:
        return bool(value == _Stranger())
    except Exception:  # a comparison that fails claims nothing
        return False


def decode(data):
    """The value :func:`encode` described, rebuilt from plain numbers.

    ``data`` must have passed :func:`validate` (the grader's schema).

    >>> decode(encode(np.array([[1.5, float("nan")]]))).tolist()
    [[1.5, nan]]
    """
    tag = next(iter(data))
    value = data[tag]
    if tag == "none":
        return None
    if tag in ("bool", "int", "str"):
        return value
    if tag == "float":
        return _unnumber(value)
    if tag == "tuple":
        return tuple(decode(item) for item in value)
    if tag == "list":
        return [decode(item) for item in value]
    if tag == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in value}
    if tag == "array":
        return _array(data)
    if tag == "converted":
        return _ConvertedNumbers(data)
    if tag == "exception_type":
        return getattr(builtins, value, Exception)
    if tag == "callable":
        return _NamedCallable(value)
    return Unconvertible(value)


class Malformed(ValueError):
    """Data that is not what :func:`encode` makes: the reply is not trusted."""


ALLOWED_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64")
_EXTRA_KEYS = {"array": ("dtype", "shape", "scalar"), "converted": ("type", "shape"),
               "opaque": ("claims_equal",)}
MAX_ITEMS = 1000
MAX_DEPTH = 21
MAX_INT = 10 ** 30


def validate(data, budget: list | None = None, depth: int = 0) -> None:
    """Raise :class:`Malformed` unless ``data`` is a value :func:`encode` could have made.

    Types, lengths, nesting, dtypes and the number of elements (at most
    :data:`MAX_ELEMENTS` in all) are checked; nothing is converted.

    >>> validate(encode([np.arange(3), 2.5]))
    >>> validate({"array": [1.0], "dtype": "object", "shape": [1], "scalar": False})
    Traceback (most recent call last):
    ...
    nnkit.course.plain.Malformed: array of dtype 'object'
    """
    budget = [MAX_ELEMENTS] if budget is None else budget
    if depth > MAX_DEPTH or _type(data) is not dict or _len(data) == 0:
        raise Malformed("not a value")
    tag = next(iter(data))
    if set(data) - {tag, *_EXTRA_KEYS.get(tag, ())}:
        raise Malformed(f"unexpected keys {sorted(data)[:5]}")
    _check_tag(tag, data, budget, depth)


def _check_tag(tag, data, budget, depth):
    value = data[tag]
    scalars = {"none": value is None, "bool": _type(value) is bool,
               "int": _type(value) is int and abs(value) < MAX_INT, "float": _is_number(value)}
    if tag in scalars:
        _require(scalars[tag], tag)
    elif tag in ("str", "callable", "exception_type", "opaque"):
        _require(_type(value) is str and _len(value) <= MAX_ITEMS, tag)
        _require(_type(data.get("claims_equal", False)) is bool, "claims_equal")
    elif tag in ("tuple", "list", "dict"):
        _require(_type(value) is list and _len(value) <= MAX_ITEMS, tag)
        items = value if tag != "dict" else [part for pair in value for part in _pair(pair)]
        for item in items:
            validate(item, budget, depth + 1)
    elif tag in ("array", "converted"):
        _check_numbers(tag, data, budget)
    else:
        raise Malformed(f"unknown tag {tag[:30]!r}")


def _pair(pair):
    _require(_type(pair) is list and _len(pair) == 2, "dict item")
    return pair


def _check_numbers(tag, data, budget):
    shape, flat = data.get("shape"), data[tag]
    _require(_type(shape) is list and _len(shape) <= 32
             and all(_type(n) is int and 0 <= n <= MAX_ELEMENTS for n in shape), "shape")
    _require(_type(flat) is list and _len(flat) == math.prod(shape), "array size")
    budget[0] -= _len(flat)
    _require(budget[0] >= 0, "too many numbers")
    _require(all(_is_number(x) for x in flat), "array values")
    if tag == "array":
        if data.get("dtype") not in ALLOWED_DTYPES:
            raise Malformed(f"array of dtype {_str(data.get('dtype'))[:30]!r}")
        _require(_type(data.get("scalar")) is bool and (not data["scalar"] or not shape),
                 "scalar")
    else:
        _require(_type(data.get("type")) is str and _len(data["type"]) <= 100, "type")


def _is_number(value) -> bool:
    kind = _type(value)
    return (kind is float or (kind is int and abs(value) < MAX_INT)
            or (kind is str and value in ("nan", "inf", "-inf")))


def _require(condition, what):
    if not condition:
        raise Malformed(f"bad {what}")


def _hashable(value):
    return tuple(value) if _isinstance(value, list) else value


def _array(data):
    values = [_unnumber(x) for x in data["array"]]
    dtype = data.get("dtype", "float64")
    array = np.array(values, dtype=np.float64).reshape(data["shape"])
    with contextlib.suppress(TypeError):
        array = array.astype(dtype)
    return array[()] if data.get("scalar") else array


class _ConvertedNumbers(Unconvertible):
    """An object that was not an array but converts to these numbers.

    It behaves like the object did under ``np.asarray(..., dtype=float)`` and
    nothing else: comparisons with ``==`` stay false.
    """

    def __init__(self, data):
        super().__init__(f"an object of type {data['type']}")
        self._numbers = np.array([_unnumber(x) for x in data["converted"]],
                                 dtype=np.float64).reshape(data["shape"])

    def __array__(self, dtype=None, copy=None):
        return self._numbers if dtype is None else self._numbers.astype(dtype)

    def __float__(self):
        return float(self._numbers)

    def __len__(self):
        return len(self._numbers)

    def __iter__(self):
        return iter(self._numbers)

    def __getitem__(self, index):
        return self._numbers[index]


class _NamedCallable:
    """A function argument, compared by its name only."""

    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        raise TypeError(f"{self.__name__} cannot be called while results are replayed")


def same_arguments(first, second) -> bool:
    """Whether two encoded argument lists describe the same call.

    >>> same_arguments(encode(([1.0],)), encode(([1.0],)))
    True
    """
    return first == second
