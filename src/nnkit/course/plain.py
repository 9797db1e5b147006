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
        return {"int": _int(value)}
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
        return {"exception_type": value.__name__}
    if _callable(value) and not _isinstance(value, (_ndarray, _generic)):
        return {"callable": _str(_getattr(value, "__name__", "function"))}
    return _encode_array_like(value, kind)


def _encode_array_like(value, kind):
    if kind is not _ndarray and not issubclass(kind, _generic):
        return _encode_other(value, kind)
    array = value
    if array.size > MAX_ELEMENTS:
        return {"opaque": f"an array of {array.size} numbers (too large to compare)"}
    scalar = kind is not _ndarray
    if array.dtype.kind in "biu":
        data = array.astype(np.int64).tolist()
        return {"array": data, "dtype": _str(array.dtype), "shape": list(array.shape),
                "scalar": scalar}
    if array.dtype.kind == "f":
        data = [_number(x) for x in array.astype(np.float64).ravel().tolist()]
        return {"array": _nest(data, array.shape), "dtype": _str(array.dtype),
                "shape": list(array.shape), "scalar": scalar}
    return _encode_other(value, kind)


def _encode_other(value, kind):
    """An object of another type: kept only as the numbers it converts to."""
    try:
        array = _asarray(value, dtype=np.float64)
    except Exception:  # the object refused; it stays a non-number
        return {"opaque": f"an object of type {kind.__name__}"}
    if _type(array) is not _ndarray or array.size > MAX_ELEMENTS:
        return {"opaque": f"an object of type {kind.__name__}"}
    data = [_number(x) for x in array.ravel().tolist()]
    return {"converted": _nest(data, array.shape), "type": kind.__name__,
            "shape": list(array.shape)}


def _nest(flat, shape):
    if not shape:
        return flat[0]
    if _len(shape) == 1:
        return flat
    step = _int(np.prod(shape[1:]))
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def _denest(data):
    if _isinstance(data, list):
        return [_denest(item) for item in data]
    return _unnumber(data)


def decode(data):
    """The value :func:`encode` described, rebuilt from plain numbers.

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


def _hashable(value):
    return tuple(value) if _isinstance(value, list) else value


def _array(data):
    values = _denest(data["array"])
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
        self._numbers = np.array(_denest(data["converted"]), dtype=np.float64).reshape(
            data["shape"])

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
