"""Universal approximation: building any curve from bumps, hats and ReLUs (lesson 5).

One hidden layer of ReLU units followed by a linear output can draw any
continuous function on an interval as closely as you like. This module shows
how, constructively:

- two steep sigmoids make a *bump* (``sigmoid_bump``);
- three ReLUs make a *hat*, a triangle (``relu_hat``, ``hat_weights``);
- a row of hats, or one ReLU per corner, joins points with straight lines
  (``hats_to_network``, ``piecewise_linear_network``);
- ``approximate`` picks the points for a given function and returns the
  network's numbers ``(W1, b1, W2, b2)``; ``fit_least_squares`` fits the output
  layer instead; ``one_hidden_layer`` evaluates such a network and
  ``max_error``/``error_curve`` measure how good it is;
- ``sawtooth`` shows the other side of the story: depth buys pieces far more
  cheaply than width.

The networks here take one number and give one number. Their weights follow
the course's layout (one row per neuron): ``W1`` is ``(n_hidden, 1)``, ``b1``
is ``(n_hidden,)``, ``W2`` is ``(1, n_hidden)``, ``b2`` is ``(1,)``.

>>> W1, b1, W2, b2 = approximate(np.sin, -np.pi, np.pi, 32)
>>> W1.shape, b1.shape, W2.shape, b2.shape
((32, 1), (32,), (1, 32), (1,))
>>> max_error(np.sin, (W1, b1, W2, b2), -np.pi, np.pi) < 0.01
True
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_callable,
    check_hat_points,
    check_interval,
    check_known_name,
    check_one_hidden_layer,
    check_positive_int,
    check_scalar,
)
from nnkit.activations import relu, sigmoid
from nnkit.layers import dense
from nnkit.network import forward

Params = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]

ERROR_CURVE_METHODS = ("interpolate", "uniform", "least_squares")


# ------------------------------------------------------------- bumps and hats


def sigmoid_bump(x, left, right, height, steepness=50.0):
    """A bump: ``height`` between ``left`` and ``right``, about 0 elsewhere (lesson 5).

    Two sigmoid neurons, one stepping up at ``left`` and one stepping up at
    ``right``, subtracted: ``height·(σ(s·(x−left)) − σ(s·(x−right)))`` with
    ``s = steepness``. The steeper, the more it looks like a rectangle.

    >>> np.round(sigmoid_bump([0.0, 0.5, 1.0, 2.0], 0.25, 1.5, 2.0), 3).tolist()
    [0.0, 2.0, 2.0, 0.0]
    >>> float(sigmoid_bump(0.25, 0.25, 1.5, 2.0))  # half-way up the left edge
    1.0
    """
    x = as_float_array(x, "x")
    left, right = check_interval(left, right, "left", "right")
    height = check_scalar(height, "height")
    steepness = check_scalar(steepness, "steepness")
    return height * (sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right)))


def hat_weights(left, peak, right, height):
    """The three ReLU units that draw one hat, as ``(W1, b1, W2)`` (lesson 5).

    The hidden units are ``relu(x − left)``, ``relu(x − peak)`` and
    ``relu(x − right)``; the output weights turn the slope on at ``left``
    (rising to ``height`` at ``peak``), bend it down at ``peak``, and cancel it
    at ``right``, so the hat is flat 0 outside ``[left, right]``.

    >>> W1, b1, W2 = hat_weights(0.0, 1.0, 3.0, 2.0)
    >>> W1.ravel().tolist(), b1.tolist(), W2.ravel().tolist()
    ([1.0, 1.0, 1.0], [-0.0, -1.0, -3.0], [2.0, -3.0, 1.0])
    """
    left, peak, right = check_hat_points(left, peak, right)
    height = check_scalar(height, "height")
    rise = height / (peak - left)  # slope up to the peak
    fall = height / (right - peak)  # slope back down (as a positive number)
    W1 = np.ones((3, 1))
    b1 = -np.array([left, peak, right])
    W2 = np.array([[rise, -rise - fall, fall]])
    return W1, b1, W2


def relu_hat(x, left, peak, right, height):
    """A triangle of three ReLUs: 0 outside ``[left, right]``, ``height`` at ``peak`` (lesson 5).

    ``rise·relu(x−left) − (rise+fall)·relu(x−peak) + fall·relu(x−right)`` where
    ``rise`` and ``fall`` are the slopes of the two sides (see ``hat_weights``).

    >>> relu_hat([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0], 0.0, 1.0, 3.0, 2.0).tolist()
    [0.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0]
    """
    x = as_float_array(x, "x")
    W1, b1, W2 = hat_weights(left, peak, right, height)
    return one_hidden_layer(x, W1, b1, W2, np.zeros(1)).astype(x.dtype, copy=False)


def hats_to_network(hats: Iterable) -> Params:
    """A sum of hats as one hidden layer: three ReLU units per hat (lesson 5).

    ``hats`` is a list of ``(left, peak, right, height)``. The network's output
    is the sum of the hats, so it can be checked against ``relu_hat``.

    >>> W1, b1, W2, b2 = hats_to_network([(0, 1, 2, 1.0), (1, 2, 3, 0.5)])
    >>> W1.shape, W2.shape
    ((6, 1), (1, 6))
    >>> one_hidden_layer([1.0, 1.5, 2.0], W1, b1, W2, b2).tolist()
    [1.0, 0.75, 0.5]
    """
    parts = [hat_weights(*hat) for hat in hats]
    if not parts:
        raise ValueError("hats must list at least one (left, peak, right, height); got none.")
    W1 = np.vstack([W1 for W1, _, _ in parts])
    b1 = np.concatenate([b1 for _, b1, _ in parts])
    W2 = np.hstack([W2 for _, _, W2 in parts])
    return W1, b1, W2, np.zeros(1)


# ------------------------------------------------- joining points with lines


def piecewise_linear_network(knots, values) -> Params:
    """The one-hidden-layer network joining ``(knots[i], values[i])`` by straight lines (lesson 5).

    Unit ``i`` is ``relu(x − knots[i])``: it switches on at ``knots[i]`` and
    changes the slope there by ``W2[0, i]``. The output bias is ``values[0]``.
    ``n`` points need ``n − 1`` hidden units (one per line segment). Beyond the
    last knot the final segment simply continues.

    >>> W1, b1, W2, b2 = piecewise_linear_network([0, 1, 2], [0, 2, 1])
    >>> b1.tolist(), W2.tolist(), b2.tolist()
    ([-0.0, -1.0], [[2.0, -3.0]], [0.0])
    >>> one_hidden_layer([0.0, 0.5, 1.0, 1.5, 2.0], W1, b1, W2, b2).tolist()
    [0.0, 1.0, 2.0, 1.5, 1.0]
    """
    knots = as_float_array(knots, "knots", np.float64)
    values = as_float_array(values, "values", np.float64)
    if knots.ndim != 1 or values.shape != knots.shape or knots.size < 2:
        raise ValueError(
            f"knots and values must be 1-D and of the same length, at least 2; got "
            f"knots.shape={knots.shape} and values.shape={values.shape}."
        )
    if np.any(np.diff(knots) <= 0):
        raise ValueError(f"knots must be strictly increasing; got {np.round(knots, 6).tolist()}.")
    slopes = np.diff(values) / np.diff(knots)
    slope_changes = np.diff(slopes, prepend=0.0)
    n_hidden = slopes.size
    return np.ones((n_hidden, 1)), -knots[:-1], slope_changes[None, :], values[:1].copy()


def _evaluate(f: Callable, x: np.ndarray) -> np.ndarray:
    """``f`` at the points ``x`` (one call, vectorised), as a float array of the same shape."""
    y = as_float_array(f(x), "f(x)", np.float64)
    if y.shape != x.shape:
        raise ValueError(
            f"f must take an array of points and return one value per point (like np.sin); "
            f"given x.shape={x.shape} it returned shape {y.shape}. Wrap a function of one "
            f"number with np.vectorize."
        )
    return y


def _uniform_knots(a: float, b: float, n_hidden: int) -> np.ndarray:
    return np.linspace(a, b, n_hidden + 1)


def _adaptive_knots(f: Callable, a: float, b: float, n_hidden: int, n_points: int):
    """Split ``[a, b]`` into ``n_hidden`` pieces, each time halving the worst piece.

    The error of each piece is measured on ``n_points`` evenly spaced points of
    ``[a, b]`` (the points ``max_error`` uses). Every split only adds a knot, so
    the knots for ``n`` units are among those for ``n + 1``: a finer network
    agrees with the coarser one at all old knots and, wherever ``f`` curves one
    way between two knots, is at least as close to ``f`` at every point.

    Pieces are ranked by error, then width, then position from the right.
    Errors equal up to rounding count as equal (a symmetric ``f`` such as
    ``sin`` has exact twins) and the rightmost twin goes first: a new knot
    only adds zero terms to the network's sum left of it, so the errors
    there do not move, not even by rounding.
    """
    grid = np.linspace(a, b, n_points)
    grid_list = grid.tolist()
    f_grid = _evaluate(f, grid)
    value = dict(zip((a, b), _evaluate(f, np.array([a, b])).tolist(), strict=True))

    def piece_error(left: float, right: float) -> float:
        inside = slice(bisect.bisect_left(grid_list, left), bisect.bisect_left(grid_list, right))
        slope = (value[right] - value[left]) / (right - left)
        line = value[left] + slope * (grid[inside] - left)
        return float(np.abs(f_grid[inside] - line).max(initial=0.0))

    def queued(left: float, right: float) -> tuple:
        # heapq pops the smallest: negate so that the worst piece comes first
        error = round(piece_error(left, right), 12)  # equal up to rounding is equal
        return -error, -(right - left), -left, right

    queue = [queued(a, b)]
    while len(queue) < n_hidden:
        *_, left, right = heapq.heappop(queue)
        left, middle = -left, 0.5 * (-left + right)
        value[middle] = float(_evaluate(f, np.array([middle]))[0])
        heapq.heappush(queue, queued(left, middle))
        heapq.heappush(queue, queued(middle, right))
    knots = np.array(sorted(value))
    return knots, np.array([value[knot] for knot in knots.tolist()])


def approximate(f, a, b, n_hidden, *, spacing="adaptive", n_points=1001) -> Params:
    """A one-hidden-layer ReLU network that joins points of ``f`` on ``[a, b]`` (lesson 5).

    The network is the exact piecewise-linear interpolant of ``f`` through
    ``n_hidden + 1`` points ``a = t₀ < t₁ < … < tₙ = b``: it equals ``f`` at
    every ``tᵢ`` and is a straight line in between, with one ReLU unit per line
    segment (see ``piecewise_linear_network``).

    ``spacing="uniform"`` puts the points evenly. The default ``"adaptive"``
    starts with the whole interval and repeatedly halves the piece where the
    error (measured on ``n_points`` evenly spaced points, as ``max_error``
    does) is largest, so units go where ``f`` curves most. Because each new
    unit only adds a point, **more units never do worse** wherever ``f`` bends
    one way between neighbouring points (for ``sin`` on ``[−π, π]``: the
    largest error never grows from one ``n_hidden`` to the next). Evenly
    spaced points do not have this guarantee when the error is measured on a
    fixed set of points: with ``sin``, 166 units measure worse than 165.

    ``f`` takes a NumPy array of points and returns one value per point
    (``np.sin``, a lambda on arrays, ...). Returns ``(W1, b1, W2, b2)`` with
    shapes ``(n_hidden, 1)``, ``(n_hidden,)``, ``(1, n_hidden)``, ``(1,)``.

    >>> params = approximate(np.sin, -np.pi, np.pi, 32)
    >>> round(max_error(np.sin, params, -np.pi, np.pi), 4)
    0.0046
    >>> round(max_error(np.sin, approximate(np.sin, -np.pi, np.pi, 32, spacing="uniform"),
    ...                 -np.pi, np.pi), 4)
    0.0048
    """
    f = check_callable(f, "f")
    a, b = check_interval(a, b)
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    n_points = check_positive_int(n_points, "n_points")
    spacing = check_known_name(spacing, ("adaptive", "uniform"), "spacing")
    if spacing == "uniform":
        knots = _uniform_knots(a, b, n_hidden)
        values = _evaluate(f, knots)
    else:
        knots, values = _adaptive_knots(f, a, b, n_hidden, n_points)
    return piecewise_linear_network(knots, values)


def fit_least_squares(f, a, b, n_hidden, n_samples=1001) -> Params:
    """Keep the hidden layer fixed, fit the output layer by least squares (lesson 5).

    The hidden units are ``relu(x − tᵢ)`` with evenly spaced knots
    ``tᵢ = a + i·(b − a)/n_hidden`` (as in ``approximate(..., spacing="uniform")``).
    Only ``W2`` and ``b2`` are fitted, to ``n_samples`` evenly spaced points:
    a linear problem, solved exactly by ``np.linalg.lstsq``. This is a simple
    form of *training*: the same architecture, numbers chosen by minimising the
    squared error instead of by construction.

    >>> params = fit_least_squares(np.sin, -np.pi, np.pi, 32)
    >>> round(max_error(np.sin, params, -np.pi, np.pi), 4) < 0.005
    True
    """
    f = check_callable(f, "f")
    a, b = check_interval(a, b)
    n_hidden = check_positive_int(n_hidden, "n_hidden")
    n_samples = check_positive_int(n_samples, "n_samples")
    x = np.linspace(a, b, n_samples)
    W1 = np.ones((n_hidden, 1))
    b1 = -_uniform_knots(a, b, n_hidden)[:-1]
    hidden = dense(x[:, None], W1, b1, relu)
    design = np.hstack([hidden, np.ones((n_samples, 1))])  # last column: the output bias
    solution, *_ = np.linalg.lstsq(design, _evaluate(f, x), rcond=None)
    return W1, b1, solution[None, :-1], solution[-1:]


# ------------------------------------------------------- evaluate and measure


def one_hidden_layer(x, W1, b1, W2, b2):
    """Evaluate a one-input, one-output network with one ReLU hidden layer (lesson 5).

    ``W2 @ relu(W1 @ [x] + b1) + b2`` for every number in ``x``: the forward
    pass of lesson 4 on a batch of one-number inputs. The result has the shape
    of ``x`` (a batch of numbers in, a batch of numbers out).

    >>> W1, b1, W2, b2 = [[1.0], [1.0]], [0.0, -1.0], [[1.0, -2.0]], [0.5]
    >>> one_hidden_layer([-1.0, 0.5, 1.0, 2.0], W1, b1, W2, b2).tolist()
    [0.5, 1.0, 1.5, 0.5]
    """
    x = as_float_array(x, "x")
    W1, b1, W2, b2 = check_one_hidden_layer(W1, b1, W2, b2)
    batch = x.reshape(-1, 1)
    return forward(batch, [(W1, b1, relu), (W2, b2, None)]).reshape(x.shape)


def max_error(f, params, a, b, n_points=1001) -> float:
    """The largest ``|f(x) − network(x)|`` on ``n_points`` even points of ``[a, b]`` (lesson 5).

    ``params`` is ``(W1, b1, W2, b2)``, as returned by ``approximate``.

    >>> params = approximate(np.abs, -1, 1, 2)  # |x| is two straight lines
    >>> max_error(np.abs, params, -1, 1)
    0.0
    """
    f = check_callable(f, "f")
    a, b = check_interval(a, b)
    n_points = check_positive_int(n_points, "n_points")
    x = np.linspace(a, b, n_points)
    return float(np.max(np.abs(_evaluate(f, x) - one_hidden_layer(x, *params))))


def error_curve(f, a, b, hidden_counts, method="interpolate") -> np.ndarray:
    """``max_error`` for each number of hidden units, ready for a log-log plot (lesson 5).

    ``method`` is ``"interpolate"`` (``approximate``, adaptive points),
    ``"uniform"`` (``approximate`` with evenly spaced points) or
    ``"least_squares"`` (``fit_least_squares``). For a smooth function the
    interpolation error falls like ``1/n²``: doubling the units divides it by
    about four, a straight line of slope −2 on log-log axes.

    >>> errors = error_curve(np.sin, -np.pi, np.pi, [8, 16, 32, 64], method="uniform")
    >>> np.round(errors[:-1] / errors[1:], 1).tolist()
    [3.7, 3.9, 4.0]
    """
    method = check_known_name(method, ERROR_CURVE_METHODS, "method")
    counts = [check_positive_int(n, "hidden_counts[i]") for n in hidden_counts]
    errors = []
    for n in counts:
        if method == "least_squares":
            params = fit_least_squares(f, a, b, n)
        else:
            spacing = "uniform" if method == "uniform" else "adaptive"
            params = approximate(f, a, b, n, spacing=spacing)
        errors.append(max_error(f, params, a, b))
    return np.array(errors)


# ------------------------------------------------------- depth versus width


def tent(x):
    """The tent map on ``[0, 1]``, up to 1 and back down: ``2·relu(x) − 4·relu(x − ½)`` (lesson 5).

    >>> tent([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    x = as_float_array(x, "x")
    return 2.0 * relu(x) - 4.0 * relu(x - 0.5)


def sawtooth(x, depth):
    """The tent map applied ``depth`` times: a sawtooth of ``2**depth`` straight pieces (lesson 5).

    Each application is one layer of two ReLUs, and each layer doubles the
    number of pieces on ``[0, 1]``. A deep network of ``depth`` layers (``2·depth``
    units) draws what a single hidden layer needs ``2**depth − 1`` units for (one
    per bend): depth buys pieces exponentially, width only linearly. ``depth=0``
    is ``x``.

    >>> sawtooth([0.0, 0.125, 0.25, 0.375, 0.5], 2).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    x = as_float_array(x, "x")
    depth = check_positive_int(depth + 1, "depth + 1") - 1  # 0 is allowed
    for _ in range(depth):
        x = tent(x)
    return x


def sawtooth_layers(depth) -> list[tuple[np.ndarray, np.ndarray, Callable | None]]:
    """``sawtooth`` as a deep network: ``depth`` ReLU layers of 2 units, linear output (lesson 5).

    The list of ``(W, b, activation)`` runs with ``nnkit.forward``; each layer
    feeds ``tent`` of its input to the next (the output weights ``[2, −4]`` of one
    tent are folded into the next layer's weights).

    >>> layers = sawtooth_layers(3)
    >>> [W.shape for W, b, activation in layers]
    [(2, 1), (2, 2), (2, 2), (1, 2)]
    """
    depth = check_positive_int(depth, "depth")
    first = (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]), relu)
    middle = [(np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]), relu)]
    last = (np.array([[2.0, -4.0]]), np.zeros(1), None)
    return [first, *(middle * (depth - 1)), last]
