"""Input checks and their messages, in one place.

Every public nnkit function checks its input at the boundary, the way
scikit-learn does, and says what it expected and what it got, for example
``x has 3 features, but W expects 2 (W.shape=(4, 2))``. The checks live here
so that every message is written once and reads the same everywhere.

Wrong kinds of values (a string, ``None``, complex numbers) raise ``TypeError``;
values of the right kind but the wrong shape or size raise ``ValueError``.
NaN and infinity are ordinary floats here: they are not rejected and flow
through the arithmetic exactly as they do in NumPy.

>>> as_float_array([1, 2], "x").dtype.name
'float64'
>>> check_dense_shapes(np.ones(3), np.ones((4, 2)), np.ones(4))
Traceback (most recent call last):
...
ValueError: x has 3 features, but W expects 2 (W.shape=(4, 2)).
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Callable, Iterable

import numpy as np

FLOAT_DTYPES = ("float32", "float64")


def _describe(value) -> str:
    """A short description of what was given, for error messages."""
    if isinstance(value, np.ndarray):
        return f"a NumPy array of dtype {value.dtype.name} with shape {value.shape}"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def as_float_array(x, name: str, dtype=None) -> np.ndarray:
    """Return ``x`` as a float NumPy array without copying when it already is one.

    Integers and booleans become float64; float32 stays float32 unless
    ``dtype`` asks for another float type.

    >>> as_float_array(np.ones(2, dtype=np.float32), "z").dtype.name
    'float32'
    >>> as_float_array("abc", "z")
    Traceback (most recent call last):
    ...
    TypeError: z must be numbers (a number, a list of numbers or a float array); got str 'abc'.
    """
    if type(x) is np.ndarray and x.dtype.kind == "f" and (dtype is None or x.dtype == dtype):
        return x  # the common case, kept cheap: it runs on every call
    if x is None or isinstance(x, str | bytes):
        raise TypeError(
            f"{name} must be numbers (a number, a list of numbers or a float array); "
            f"got {_describe(x)}."
        )
    try:
        array = np.asarray(x)
    except ValueError as error:
        raise ValueError(
            f"{name} must be a rectangular array of numbers, but its nested lists "
            f"have different lengths: {_describe(x)}."
        ) from error
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be real numbers (a number, a list of numbers or a float array); "
            f"got {_describe(x)}, which NumPy reads as dtype {array.dtype.name}."
        )
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if array.dtype.kind != "f":
        return array.astype(np.float64)
    return array


def check_scalar(value, name: str) -> float:
    """Return ``value`` as a Python float; it must be a single real number.

    >>> check_scalar(np.float64(0.5), "b")
    0.5
    >>> check_scalar([0.1, 0.2], "b")
    Traceback (most recent call last):
    ...
    ValueError: b must be a single number; got shape (2,).
    """
    array = as_float_array(value, name)
    if array.ndim != 0:
        raise ValueError(f"{name} must be a single number; got shape {array.shape}.")
    return float(array)


def check_vector(x, name: str, dtype=None) -> np.ndarray:
    """Return ``x`` as a 1-D float array.

    >>> check_vector([[1, 2]], "w")
    Traceback (most recent call last):
    ...
    ValueError: w must be a 1-D vector; got shape (1, 2).
    """
    array = as_float_array(x, name, dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D vector; got shape {array.shape}.")
    return array


def check_has_axis(z: np.ndarray, name: str, what: str) -> np.ndarray:
    """Return ``z`` if it has at least one axis to work along (not a single number).

    >>> check_has_axis(np.float64(2.0), "z", "softmax")
    Traceback (most recent call last):
    ...
    ValueError: softmax needs a vector of scores (1-D) or a batch of them (2-D); got a ...
    """
    if np.ndim(z) == 0:
        raise ValueError(
            f"{what} needs a vector of scores (1-D) or a batch of them (2-D); "
            f"got a single number."
        )
    return z


def check_matrix(W, name: str, dtype=None) -> np.ndarray:
    """Return ``W`` as a 2-D float array (one row per neuron).

    >>> check_matrix([1, 2], "W")
    Traceback (most recent call last):
    ...
    ValueError: W must be a 2-D array of shape (n_out, n_in), one row per neuron; got shape (2,).
    """
    array = as_float_array(W, name, dtype)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_out, n_in), one row per neuron; "
            f"got shape {array.shape}."
        )
    return array


def check_same_length(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless the last axes of ``a`` and ``b`` have the same length.

    >>> check_same_length(np.ones(3), np.ones(2), "x", "w")
    Traceback (most recent call last):
    ...
    ValueError: x has 3 entries but w has 2; they must have the same length (x.shape=(3,), ...
    """
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(
            f"{name_a} has {a.shape[-1]} entries but {name_b} has {b.shape[-1]}; they must "
            f"have the same length ({name_a}.shape={a.shape}, {name_b}.shape={b.shape})."
        )


def check_one_or_batch(x: np.ndarray, name: str = "x") -> np.ndarray:
    """Return ``x`` if it is one input ``(n_in,)`` or a batch ``(batch, n_in)``.

    >>> check_one_or_batch(np.ones((2, 3, 4)))
    Traceback (most recent call last):
    ...
    ValueError: x must be one input of shape (n_in,) or a batch of shape (batch, n_in); got ...
    """
    if x.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be one input of shape (n_in,) or a batch of shape (batch, n_in); "
            f"got shape {x.shape}."
        )
    return x


def check_dense_shapes(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> None:
    """Check that input ``x``, weights ``W (n_out, n_in)`` and bias ``b (n_out,)`` fit.

    ``x`` is one input ``(n_in,)`` or a batch ``(batch, n_in)``.

    >>> check_dense_shapes(np.ones((5, 2)), np.ones((4, 2)), np.ones(3))
    Traceback (most recent call last):
    ...
    ValueError: b has shape (3,), but W has 4 rows (W.shape=(4, 2)): b needs shape (4,), ...
    """
    check_one_or_batch(x)
    if x.shape[-1] != W.shape[1]:
        where = "" if x.ndim == 1 else f" (x.shape={x.shape})"
        raise ValueError(
            f"x has {x.shape[-1]} features{where}, but W expects {W.shape[1]} "
            f"(W.shape={W.shape})."
        )
    check_bias_shape(b, W)


def check_bias_shape(b: np.ndarray, W: np.ndarray) -> None:
    """Check that ``b`` holds one bias per row of ``W``."""
    if b.shape != (W.shape[0],):
        raise ValueError(
            f"b has shape {b.shape}, but W has {W.shape[0]} rows (W.shape={W.shape}): "
            f"b needs shape ({W.shape[0]},), one bias per neuron."
        )


def check_layer_chain(shapes: list[tuple[int, int]]) -> None:
    """Check that each layer's inputs match the previous layer's outputs.

    ``shapes`` lists every layer's ``W.shape``, i.e. ``(n_out, n_in)``.

    >>> check_layer_chain([(3, 2), (1, 4)])
    Traceback (most recent call last):
    ...
    ValueError: layer 2 expects 4 inputs (W.shape=(1, 4)), but layer 1 gives 3 outputs ...
    """
    for number, (before, after) in enumerate(itertools.pairwise(shapes), start=2):
        if after[1] != before[0]:
            raise ValueError(
                f"layer {number} expects {after[1]} inputs (W.shape={after}), but layer "
                f"{number - 1} gives {before[0]} outputs (W.shape={before})."
            )


def check_same_dtype(dtypes: list[np.dtype]) -> np.dtype:
    """Return the one dtype all layers share; mixing float32 and float64 is an error."""
    distinct = sorted({dtype.name for dtype in dtypes})
    if len(distinct) > 1:
        raise ValueError(
            f"the layers mix dtypes {' and '.join(distinct)}; build every layer with the "
            f"same dtype (for example dtype='float64')."
        )
    return dtypes[0]


def check_dtype_name(dtype, known: Iterable[str] = FLOAT_DTYPES) -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is one of the ``known`` names.

    >>> check_dtype_name("float32").name
    'float32'
    >>> check_dtype_name("float8")
    Traceback (most recent call last):
    ...
    ValueError: unknown dtype 'float8'; known dtypes: float32, float64.
    """
    known = tuple(known)
    if isinstance(dtype, str) and dtype not in known:
        raise ValueError(f"unknown dtype {dtype!r}; known dtypes: {', '.join(known)}.")
    try:
        result = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(
            f"dtype must be a name such as {known[0]!r}; got {_describe(dtype)}."
        ) from error
    if result.name not in known:
        raise ValueError(f"unknown dtype {dtype!r}; known dtypes: {', '.join(known)}.")
    return result


def check_positive_int(n, name: str) -> int:
    """Return ``n`` as an ``int``; it must be a whole number of at least 1.

    >>> check_positive_int(3, "n_out")
    3
    >>> check_positive_int(2.5, "n_out")
    Traceback (most recent call last):
    ...
    TypeError: n_out must be a whole number (int); got float 2.5.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (int); got {_describe(n)}.")
    if n < 1:
        raise ValueError(f"{name} must be at least 1; got {n}.")
    return int(n)


def check_layer_sizes(sizes) -> list[int]:
    """Return ``sizes`` as a list of ints: at least two sizes (inputs, outputs), each ≥ 1.

    >>> check_layer_sizes((784, 10))
    [784, 10]
    >>> check_layer_sizes([784])
    Traceback (most recent call last):
    ...
    ValueError: sizes must list at least two layer sizes (inputs and outputs); got [784].
    """
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Iterable):
        raise TypeError(f"sizes must be a list of layer sizes; got {_describe(sizes)}.")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least two layer sizes (inputs and outputs); got {sizes}."
        )
    return [check_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]


def check_known_name(name, known: Iterable[str], what: str) -> str:
    """Return ``name`` if it is one of ``known``; otherwise say which names exist.

    >>> check_known_name("relu", ["relu", "tanh"], "activation")
    'relu'
    >>> check_known_name("rleu", ["relu", "tanh"], "activation")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'rleu' (did you mean 'relu'?); known activations: relu, tanh.
    """
    known = sorted(known)
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a name (str); got {_describe(name)}.")
    if name not in known:
        import difflib  # only needed for the message

        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown {what} {name!r}{hint}; known {what}s: {', '.join(known)}.")
    return name


def check_callable(function, name: str) -> Callable:
    """Return ``function`` if it can be called.

    >>> check_callable(42, "activation")
    Traceback (most recent call last):
    ...
    TypeError: activation must be a function, a name or None; got int 42.
    """
    if not callable(function):
        raise TypeError(f"{name} must be a function, a name or None; got {_describe(function)}.")
    return function


def check_interval(a, b, name_a: str = "a", name_b: str = "b") -> tuple[float, float]:
    """Return ``(a, b)`` as floats; both finite and ``a < b``.

    >>> check_interval(0, 1)
    (0.0, 1.0)
    >>> check_interval(1.0, -1.0)
    Traceback (most recent call last):
    ...
    ValueError: the interval needs a < b; got a=1.0 and b=-1.0.
    """
    a, b = check_scalar(a, name_a), check_scalar(b, name_b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(
            f"{name_a} and {name_b} must be finite; got {name_a}={a} and {name_b}={b}."
        )
    if not a < b:
        raise ValueError(
            f"the interval needs {name_a} < {name_b}; got {name_a}={a} and {name_b}={b}."
        )
    return a, b


def check_hat_points(left, peak, right) -> tuple[float, float, float]:
    """Return ``(left, peak, right)`` as floats; they must satisfy ``left < peak < right``.

    >>> check_hat_points(0, 2, 1)
    Traceback (most recent call last):
    ...
    ValueError: a hat needs left < peak < right; got left=0.0, peak=2.0, right=1.0.
    """
    left, peak, right = (
        check_scalar(left, "left"), check_scalar(peak, "peak"), check_scalar(right, "right")
    )
    if not left < peak < right:
        raise ValueError(
            f"a hat needs left < peak < right; got left={left}, peak={peak}, right={right}."
        )
    return left, peak, right


def check_one_hidden_layer(W1, b1, W2, b2) -> tuple[np.ndarray, ...]:
    """Check the numbers of a 1-input, 1-output network with one hidden layer.

    Expected shapes: ``W1 (n, 1)``, ``b1 (n,)``, ``W2 (1, n)``, ``b2 (1,)``.

    >>> check_one_hidden_layer(np.ones((3, 1)), np.ones(3), np.ones((3, 1)), np.ones(1))
    Traceback (most recent call last):
    ...
    ValueError: expected W1 (n, 1), b1 (n,), W2 (1, n), b2 (1,) with one n; got W1 (3, 1), ...
    """
    names = ("W1", "b1", "W2", "b2")
    arrays = tuple(as_float_array(v, n) for v, n in zip((W1, b1, W2, b2), names, strict=True))
    n = arrays[0].shape[0] if arrays[0].ndim == 2 else -1
    if [a.shape for a in arrays] != [(n, 1), (n,), (1, n), (1,)]:
        given = ", ".join(f"{name} {a.shape}" for name, a in zip(names, arrays, strict=True))
        raise ValueError(
            f"expected W1 (n, 1), b1 (n,), W2 (1, n), b2 (1,) with one n; got {given}."
        )
    return arrays


def check_count(n, name: str) -> int:
    """Return ``n`` as an ``int``; it must be a whole number of at least 0.

    >>> check_count(-1, "n_params")
    Traceback (most recent call last):
    ...
    ValueError: n_params must be 0 or more; got -1.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (int); got {_describe(n)}.")
    if n < 0:
        raise ValueError(f"{name} must be 0 or more; got {n}.")
    return int(n)


def check_layer_item(item, number: int) -> tuple:
    """Return ``(W, b, activation)`` from a layer given as ``(W, b)`` or ``(W, b, activation)``.

    >>> check_layer_item("relu", 2)
    Traceback (most recent call last):
    ...
    TypeError: layer 2 must be a Dense layer or a tuple (W, b, activation); got str 'relu'.
    """
    if not isinstance(item, tuple | list) or len(item) not in (2, 3):
        raise TypeError(
            f"layer {number} must be a Dense layer or a tuple (W, b, activation); "
            f"got {_describe(item)}."
        )
    W, b, *rest = item
    return W, b, (rest[0] if rest else None)


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have exactly the same shape (lesson 7).

    NumPy would broadcast ``(3, 1)`` against ``(3,)`` into ``(3, 3)`` without a word;
    a loss compares outputs and targets one by one, so their shapes must match.

    >>> check_same_shape(np.ones((3, 1)), np.ones(3), "y_pred", "y_true")
    Traceback (most recent call last):
    ...
    ValueError: y_pred has shape (3, 1) but y_true has shape (3,); they must have the same ...
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must have "
            f"the same shape (one {name_b} value for each {name_a} value)."
        )


def check_class_labels(labels, probabilities: np.ndarray) -> np.ndarray:
    """Return ``labels`` as an integer array: one class index per row of ``probabilities``.

    ``probabilities`` has shape ``(n_classes,)`` (one example, a single label) or
    ``(batch, n_classes)`` (a batch, labels of shape ``(batch,)``) (lesson 7).

    >>> check_class_labels([0, 2], np.full((2, 2), 0.5))
    Traceback (most recent call last):
    ...
    ValueError: labels must be class indices from 0 to 1 (probabilities has 2 classes); got 2.
    """
    if probabilities.ndim not in (1, 2):
        raise ValueError(
            f"probabilities must be one row of class probabilities (n_classes,) or a batch "
            f"(batch, n_classes); got shape {probabilities.shape}."
        )
    array = np.asarray(labels)
    if array.dtype.kind not in "iu" or array.shape != probabilities.shape[:-1]:
        wanted = "one whole number" if probabilities.ndim == 1 else (
            f"whole numbers of shape {probabilities.shape[:-1]}, one per row")
        raise ValueError(
            f"labels must be class indices, {wanted} (probabilities has shape "
            f"{probabilities.shape}); got {_describe(labels)}."
        )
    n_classes = probabilities.shape[-1]
    outside = array[(array < 0) | (array >= n_classes)]
    if outside.size:
        raise ValueError(
            f"labels must be class indices from 0 to {n_classes - 1} (probabilities has "
            f"{n_classes} classes); got {int(outside.ravel()[0])}."
        )
    return array


def check_gradient_shape(gradient: np.ndarray, shape: tuple, name: str, name_like: str) -> None:
    """A gradient has the shape of what it is the gradient of (lesson 7).

    >>> check_gradient_shape(np.ones((2, 3)), (3, 2), "grad_W", "W")
    Traceback (most recent call last):
    ...
    ValueError: grad_W has shape (2, 3) but W has shape (3, 2); a gradient has the shape of ...
    """
    if gradient.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {gradient.shape} but {name_like} has shape {tuple(shape)}; a "
            f"gradient has the shape of the numbers it belongs to."
        )


def check_learning_rate(learning_rate) -> float:
    """Return the learning rate as a float; it must be a finite number above 0 (lesson 7).

    >>> check_learning_rate(-0.1)
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be a finite number above 0; got -0.1.
    """
    value = check_scalar(learning_rate, "learning_rate")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"learning_rate must be a finite number above 0; got {value}.")
    return value
