"""Exercise 7, learning: a loss, its gradient, backpropagation through a layer, one step.

The learner writes ``mse`` and ``mse_gradient``, ``numerical_gradient`` (central
differences, ``x`` left as it was: :func:`check_numerical_gradient`),
``dense_backward`` (:func:`check_dense_backward`) and ``gradient_step``
(:func:`check_gradient_step`), then uses them to learn a layer's weights from
examples (:func:`check_fitted_layer`), and finds a learning rate in the slider
challenge.

>>> list(EXERCISE.graded)
['mse', 'mse_gradient', 'numerical_gradient', 'dense_backward', 'gradient_step']
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nnkit.tutor import reference
from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.checks import (
    Tolerance,
    compare,
    fail_if_arguments_changed,
    records_progress,
    run_learner,
    tolerance_for,
)
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.messages import (
    CheckFailed,
    as_numbers,
    call_text,
    described,
    fail,
    fail_on_error,
    shape_hint,
    type_name,
    value_text,
)
from nnkit.tutor.misconceptions import RAISES, Misconceptions, gave, numbers, same

# Bound when this module is imported: learner code that replaces them changes nothing here.
_sqrt, _abs, _mean = np.sqrt, np.abs, np.mean

# --- known mistakes ----------------------------------------------------------------------

MISTAKES = Misconceptions()
known = MISTAKES.known


def _difference(t):
    return numbers(t.arg(0, "y_pred")) - numbers(t.arg(1, "y_true"))


@known("mse", "sum_not_mean", "the sum of the squares, not their mean",
       "the result is the sum of the squared differences: the mean divides it by the number "
       "of elements ({n}), so that the loss does not grow with the size of the batch.",
       "Average the squares over every element.")
def _mse_sum(t):
    d = _difference(t)
    return d.size > 1 and gave(t, float(np.sum(d ** 2))) and {"n": d.size}


@known("mse", "not_squared", "the differences were not squared",
       "the result is the mean of the differences themselves (or of their absolute values): "
       "each difference must be squared, so that errors of either sign count, large ones "
       "most.",
       "Square each difference before averaging.")
def _mse_not_squared(t):
    d = _difference(t)
    return gave(t, float(_mean(d))) or gave(t, float(_mean(_abs(d))))


@known("mse", "root_taken", "the square root of the mean (RMSE)",
       "the result is the square root of the mean squared error (the RMSE); mse stops at the "
       "mean.",
       "Leave out the square root.")
def _mse_root(t):
    return gave(t, float(_sqrt(_mean(_difference(t) ** 2))))


@known("mse", "mean_per_column", "one mean per column instead of one number",
       "the result holds one mean per column (axis=0): mse is a single number, the mean over "
       "every element.",
       "np.mean without an axis averages over all elements.")
def _mse_per_column(t):
    d = _difference(t)
    return d.ndim == 2 and gave(t, _mean(d ** 2, axis=0))


@known("mse", "broadcast_shapes", "shapes broadcast silently instead of refused",
       "mse returned a number for y_pred of shape {a} and y_true of shape {b}: NumPy broadcast "
       "them to {c} and compared every output with every target.",
       "Compare y_pred.shape with y_true.shape first and raise ValueError naming both.",
       modes=RAISES)
def _mse_broadcast(t):
    a, b = numbers(t.arg(0, "y_pred")), numbers(t.arg(1, "y_true"))
    if t.error is not None or a.shape == b.shape:
        return False
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        return False
    return {"a": a.shape, "b": b.shape, "c": shape}


def _gradient_parts(t):
    y_pred, y_true = numbers(t.arg(0, "y_pred")), numbers(t.arg(1, "y_true"))
    return y_pred - y_true, y_pred.size


@known("mse_gradient", "missing_factor_two", "the factor 2 is missing",
       "the result is (y_pred − y_true) / n, half the gradient: the slope of d² is 2·d.",
       "Keep the 2 that comes down from the square.")
def _grad_no_two(t):
    d, n = _gradient_parts(t)
    return gave(t, d / n)


@known("mse_gradient", "missing_mean", "the 1/n of the mean is missing",
       "the result is 2·(y_pred − y_true), {n} times too large: every element enters the mean "
       "with weight 1/n, and so does its slope.",
       "Divide by the number of elements, n = y_pred.size.")
def _grad_no_mean(t):
    d, n = _gradient_parts(t)
    return n > 1 and gave(t, 2 * d) and {"n": n}


@known("mse_gradient", "divided_by_rows", "divided by the number of rows, not of elements",
       "the result is 2·(y_pred − y_true) / {rows}, divided by the number of rows: the mean runs "
       "over all {n} elements, rows times columns.",
       "n = y_pred.size, not len(y_pred).")
def _grad_rows(t):
    d, n = _gradient_parts(t)
    return d.ndim == 2 and d.shape[1] > 1 and gave(t, 2 * d / d.shape[0]) and {
        "rows": d.shape[0], "n": n}


@known("mse_gradient", "sign_flipped", "the sign is flipped: y_true − y_pred",
       "the result is 2·(y_true − y_pred) / n: the gradient points the way the loss grows, "
       "which is where y_pred moves away from y_true.",
       "The derivative of (y_pred − y_true)² with respect to y_pred is 2·(y_pred − y_true).")
def _grad_sign(t):
    d, n = _gradient_parts(t)
    return gave(t, -2 * d / n)


@known("mse_gradient", "returned_the_loss", "returned the loss, not its gradient",
       "the result is one number, the loss itself: the gradient has one entry per element of "
       "y_pred, the slope of the loss in that element.",
       "Return an array shaped like y_pred.")
def _grad_loss(t):
    d, _ = _gradient_parts(t)
    got = numbers(t.got)
    return d.size > 1 and got is not None and got.shape == ()


def _central(t, eps=None):
    f, x = t.arg(0, "f"), numbers(t.arg(1, "x"))
    eps = float(t.arg(2, "eps", 1e-5)) if eps is None else eps
    return x, eps, f


def _one_sided(f, x, eps):
    base = float(f(x.copy()))
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        nudged = x.copy()
        nudged[index] += eps
        gradient[index] = (float(f(nudged)) - base) / eps
    return gradient


@known("numerical_gradient", "forward_differences", "one-sided instead of central differences",
       "the result is (f(x + eps·eᵢ) − f(x)) / eps, a one-sided difference: its error shrinks "
       "only like eps, a central difference's like eps².",
       "Nudge both ways: (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps).")
def _ng_forward(t):
    x, eps, f = _central(t)
    return gave(t, _one_sided(f, x, eps)) or gave(t, -_one_sided(f, x, -eps))


@known("numerical_gradient", "divided_by_eps", "divided by eps instead of 2·eps",
       "the result is twice the slope: x + eps and x − eps are 2·eps apart, and the change of "
       "f is divided by that distance.",
       "Divide by 2 * eps.")
def _ng_twice(t):
    x, eps, f = _central(t)
    return gave(t, 2 * reference.numerical_gradient(f, x, eps))


@known("numerical_gradient", "x_left_nudged", "x is left nudged afterwards",
       "after the call x is not what it was (it differs by up to {diff:.3g}): the nudged value "
       "was never put back, so the caller's array and every later element are off.",
       "Work on a copy of x, or save x[i] and put the saved value back after the two calls.")
def _ng_left(t):
    diff = t.details.get("x_moved")
    return diff is not None and diff >= 0.1 * t.details.get("eps", 1e-5) and {"diff": diff}


@known("numerical_gradient", "restored_by_arithmetic", "x restored by adding eps back",
       "after the call x differs from what it was by {diff:.3g}, a rounding error: adding eps "
       "and subtracting it again does not always give the same float back.",
       "Save the value first (saved = x[i]) and put it back with x[i] = saved, or nudge a copy.")
def _ng_rounding(t):
    diff = t.details.get("x_moved")
    return diff is not None and 0 < diff < 0.1 * t.details.get("eps", 1e-5) and {"diff": diff}


@known("numerical_gradient", "eps_ignored", "the eps argument is ignored",
       "the result is what eps = 1e-5 gives, although eps = {eps:g} was passed.",
       "Use the eps parameter, not a fixed number.")
def _ng_eps(t):
    x, eps, f = _central(t)
    return eps != 1e-5 and gave(t, reference.numerical_gradient(f, x, 1e-5)) and {"eps": eps}


@known("numerical_gradient", "one_dimensional_only", "works only for a 1-D x",
       "x has shape {shape} and the result does not: the loop reaches only the elements of a "
       "1-D array (x[i] of a 2-D array is a whole row).",
       "Loop over every position: for index in np.ndindex(x.shape), with x[index].")
def _ng_flat(t):
    x = numbers(t.arg(1, "x"))
    if x.ndim < 2:
        return False
    got = numbers(t.got if t.got is not None else t.result)
    flat = got is not None and got.shape in ((x.size,), (len(x),))
    return (t.error is not None or flat) and {"shape": x.shape}


def _backward_args(t):
    return tuple(numbers(t.arg(i, k)) for i, k in enumerate(("x", "W", "b", "grad_z")))


def _part(t, index):
    parts = t.details.get("parts") or []
    return parts[index] if index < len(parts) else None


@known("dense_backward", "grad_W_transposed", "grad_W transposed",
       "grad_W is the transpose of the right answer: W has shape (n_out, n_in), and so does "
       "its gradient, entry [i, j] being grad_z[i]·x[j].",
       "For one input np.outer(grad_z, x); for a batch grad_z.T @ x.")
def _db_transposed(t):
    right = reference.dense_backward(*_backward_args(t))[0]
    got = _part(t, 0)
    return got is not None and same(got, right.T) and not same(got, right)


@known("dense_backward", "batch_not_summed", "one gradient per example, not summed",
       "for a batch, grad_W or grad_b has one entry per example (shape {shape}): every "
       "example's share must be added up into one gradient shaped like W (or b).",
       "grad_z.T @ x sums over the batch for grad_W; grad_z.sum(axis=0) for grad_b.")
def _db_not_summed(t):
    x, W, b, grad_z = _backward_args(t)
    if x.ndim != 2:
        return False
    for index, like in ((0, W), (1, b)):
        got = _part(t, index)
        if got is not None and got.shape == (len(x), *like.shape):
            return {"shape": got.shape}
    return False


@known("dense_backward", "batch_averaged", "averaged over the batch instead of summed",
       "grad_W (or grad_b) is the batch's mean, {n} times too small: the loss's own mean "
       "already divided by the batch, so here the examples' shares are added.",
       "Sum over the batch; do not divide by its size.")
def _db_averaged(t):
    x, W, b, grad_z = _backward_args(t)
    if x.ndim != 2 or len(x) < 2:
        return False
    right = reference.dense_backward(x, W, b, grad_z)
    n = len(x)
    averaged = any(_part(t, i) is not None and same(_part(t, i), right[i] / n)
                   and not same(right[i], 0 * right[i]) for i in (0, 1))
    return averaged and {"n": n}


@known("dense_backward", "grad_x_with_W_transposed", "grad_x computed with W.T",
       "grad_x went through W.T: on the way forward x[j] reaches z[i] through W[i, j], so on the "
       "way back grad_x[j] collects grad_z[i]·W[i, j] over i, which is grad_z @ W.",
       "grad_x = grad_z @ W (W.T @ grad_z for one input).")
def _db_grad_x(t):
    x, W, b, grad_z = _backward_args(t)
    got = _part(t, 2)
    if got is None or W.shape[0] != W.shape[1]:
        return False
    return same(got, grad_z @ W.T) and not same(got, grad_z @ W)


def _step_args(t):
    names = ("W", "b", "grad_W", "grad_b")
    arrays = [numbers(t.arg(i, k)) for i, k in enumerate(names)]
    return (*arrays, float(t.arg(4, "learning_rate")))


def _step_gave(t, W, b):
    return same(_part(t, 0), W) and same(_part(t, 1), b)


@known("gradient_step", "updated_in_place", "W or b changed in place (-=)",
       "gradient_step changed its argument {argument} in place (W -= …): the caller's weights "
       "are gone, and comparing the loss before and after a step is no longer possible.",
       "W_new = W - learning_rate * grad_W makes a new array; return the new ones.")
def _gs_in_place(t):
    changed = [name for name in t.details.get("changed") or [] if name in ("W", "b")]
    return bool(changed) and {"argument": changed[0]}


@known("gradient_step", "plus_instead_of_minus", "+ instead of − in the step",
       "the step went up the gradient: W + learning_rate·grad_W. The gradient points to where "
       "the loss grows fastest, so descent goes the other way.",
       "Subtract: W - learning_rate * grad_W.")
def _gs_plus(t):
    W, b, grad_W, grad_b, lr = _step_args(t)
    return _step_gave(t, W + lr * grad_W, b + lr * grad_b)


@known("gradient_step", "learning_rate_ignored", "the learning rate is ignored",
       "the step moved by the whole gradient, as if learning_rate were 1, although "
       "learning_rate = {lr:g} was passed.",
       "Multiply the gradient by learning_rate.")
def _gs_no_rate(t):
    W, b, grad_W, grad_b, lr = _step_args(t)
    return lr != 1.0 and _step_gave(t, W - grad_W, b - grad_b) and {"lr": lr}


@known("gradient_step", "returned_the_change", "returned the change, not the new weights",
       "the result is the change learning_rate·grad (with some sign), not the weights after "
       "the step.",
       "Return W - learning_rate * grad_W and b - learning_rate * grad_b.")
def _gs_change(t):
    W, b, grad_W, grad_b, lr = _step_args(t)
    return _step_gave(t, lr * grad_W, lr * grad_b) or _step_gave(t, -lr * grad_W, -lr * grad_b)


# --- checks of this exercise ------------------------------------------------------------


def _parts(attempt, names, likes, wants, tol):
    """Fail unless the result is a tuple of arrays shaped and valued like ``wants``.

    ``likes`` names, for each part, the argument whose shape it must have.
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    parts = _unpacked(attempt, names, likes, wants)
    for name, part, want in zip(names, parts, wants, strict=True):
        compare(attempt, part, want, tol, what=name)
    return parts


def _unpacked(attempt, names, likes, wants):
    """The result as a list of arrays shaped like ``wants``, the arguments left unchanged."""
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    if attempt.error is not None:
        fail_on_error(attempt)
    result = attempt.result
    if not isinstance(result, tuple | list) or len(result) != len(names):
        attempt.details["unpacked"] = False
        fail(attempt, "{call} " + f"should return ({', '.join(names)}), but returned "
             f"{described(result, 80) if result is not None else 'None'}.",
             hint=f"return {', '.join(names)}")
    parts = [as_numbers(value) for value in result]
    attempt.details["parts"] = parts
    attempt.got = parts
    for name, part, value in zip(names, parts, result, strict=True):
        if part is None:
            fail(attempt, "{call} " + f"returned for {name} {type_name(value)}, which is not "
                 f"an array of numbers: {described(value, 60)}.")
    fail_if_arguments_changed(attempt)
    for name, like, part, want in zip(names, likes, parts, wants, strict=True):
        if part.shape != want.shape:
            fail(attempt, "{call} " + f"returned {name} with shape {part.shape}; it has the "
                 f"shape of {like}, {want.shape}.", [f"{name + ':':9} {value_text(part)}",
                                                    f"expected: {value_text(want)}"],
                 expected=wants, hint=shape_hint(part.shape, want.shape) or None)
    return parts


def _expected(function, *args):
    with np.errstate(all="ignore"):
        return [as_numbers(value) for value in function(*args)]


@records_progress
def check_dense_backward(student_fn: Callable, x, W, b, grad_z, expected=None,
                         name: str = "dense_backward"):
    """Check ``dense_backward(x, W, b, grad_z) -> (grad_W, grad_b, grad_x)`` (lesson 7).

    Each of the three is compared with the answer key, by shape and value;
    ``expected`` may give them. Returns the three arrays.

    >>> import numpy as np
    >>> def dense_backward(x, W, b, grad_z):  # right for a batch
    ...     x, W, grad_z = (np.asarray(a, dtype=float) for a in (x, W, grad_z))
    ...     return grad_z.T @ x, grad_z.sum(axis=0), grad_z @ W
    >>> [a.tolist() for a in check_dense_backward(dense_backward, [[1.0, 2.0]], [[3.0, 4.0]],
    ...                                           [0.0], [[0.5]])]
    [[[0.5, 1.0]], [0.5], [[1.5, 2.0]]]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    wants = [as_numbers(v) for v in expected] if expected is not None else _expected(
        reference.dense_backward, x, W, b, grad_z)
    attempt = run_learner(name, student_fn, (x, W, b, grad_z))
    attempt.expected = wants
    return _parts(attempt, ("grad_W", "grad_b", "grad_x"), ("W", "b", "x"), wants,
                  tolerance_for(name))


@records_progress
def check_gradient_step(student_fn: Callable, W, b, grad_W, grad_b, learning_rate,
                        expected=None, name: str = "gradient_step"):
    """Check ``gradient_step(W, b, grad_W, grad_b, learning_rate) -> (W, b)`` (lesson 7).

    The new weights and biases are compared with the answer key's; the given
    arrays must be left unchanged. Returns the two new arrays.

    >>> check_gradient_step(lambda W, b, gW, gb, lr: (W - lr * gW, b - lr * gb),
    ...                     np.ones((1, 2)), np.zeros(1), np.ones((1, 2)), np.ones(1), 0.5)[0]
    array([[0.5, 0.5]])
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    args = (W, b, grad_W, grad_b, learning_rate)
    wants = [as_numbers(v) for v in expected] if expected is not None else _expected(
        reference.gradient_step, *args)
    attempt = run_learner(name, student_fn, args)
    attempt.expected = wants
    return _parts(attempt, ("W", "b"), ("W", "b"), wants, tolerance_for(name))


@records_progress
def check_numerical_gradient(student_fn: Callable, f: Callable, x, eps=None,
                             name: str = "numerical_gradient"):
    """Check ``numerical_gradient(f, x[, eps])``: central differences, ``x`` left as it was.

    The result is compared with central differences of ``f`` at ``x`` with the
    same ``eps`` (the default 1e-5 when ``eps`` is ``None``), closely enough that
    one-sided differences fail. ``x`` must hold exactly the same numbers
    afterwards. Returns the gradient.

    >>> import numpy as np
    >>> def numerical_gradient(f, x, eps=1e-5):
    ...     gradient = np.zeros_like(x)
    ...     for i in np.ndindex(x.shape):
    ...         step = np.zeros_like(x)
    ...         step[i] = eps
    ...         gradient[i] = (f(x + step) - f(x - step)) / (2 * eps)
    ...     return gradient
    >>> check_numerical_gradient(numerical_gradient, lambda v: float(v @ v),
    ...                          np.array([1.0, 2.0])).round(6).tolist()
    [2.0, 4.0]
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    x = np.array(x, dtype=float)
    seen = []

    def watched(values):  # f as the learner's code calls it; the last array it saw is kept
        seen.append(values)
        return f(values)

    watched.__name__ = getattr(f, "__name__", "f")
    args = (watched, x) if eps is None else (watched, x, eps)
    shown_args = (f, x) if eps is None else (f, x, eps)
    with np.errstate(all="ignore"):
        want = reference.numerical_gradient(f, x, 1e-5 if eps is None else eps)
    attempt = run_learner(name, student_fn, args, display=call_text(name, shown_args))
    attempt.args = shown_args
    attempt.expected = want
    attempt.details["eps"] = 1e-5 if eps is None else float(eps)
    if "x" in (attempt.details.get("changed") or []) and seen:
        after = numbers(seen[-1])
        if after is not None and after.shape == x.shape:
            attempt.details["x_moved"] = float(np.max(np.abs(after - x)))
    if attempt.error is not None:
        fail_on_error(attempt)
    got = as_numbers(attempt.result)
    attempt.got = got
    if got is None:
        fail(attempt, "{call} " + f"returned {type_name(attempt.result)}, not an array of "
             f"numbers: {described(attempt.result, 60)}.")
    fail_if_arguments_changed(attempt)
    compare(attempt, got, want, tolerance_for(name))
    return got


def layer_data(stream: int = 700, student_id: str | None = None):
    """Examples for the exercise's last task: ``(X, Y)`` made by a layer to be found.

    ``X`` has shape ``(40, 3)`` and ``Y = X @ W.T + b`` shape ``(40, 2)``, for a
    ``W`` and ``b`` of small round numbers drawn for the student (the default
    variant without an id; see :mod:`nnkit.tutor.variants`); ``stream`` picks
    another draw (the hidden test's).

    >>> X, Y = layer_data()
    >>> X.shape, Y.shape
    ((40, 3), (40, 2))
    """
    from nnkit.tutor.variants import for_student

    rng = for_student("07-learning", student_id).rng(stream)
    W = rng.integers(-6, 7, size=(2, 3)) / 2.0
    b = rng.integers(-4, 5, size=2) / 2.0
    X = np.round(rng.normal(size=(40, 3)), 2)
    return X, X @ W.T + b


FIT_TOLERANCE = 1e-3
"""How close the learned weights must come to the best ones (exercise 7's last task)."""


@records_progress
def check_fitted_layer(student_fn: Callable, X, Y, name: str = "fit_layer"):
    """Check ``fit_layer(X, Y) -> (W, b)``: the layer that turns ``X`` into ``Y`` (lesson 7).

    The best layer is found here by least squares; each returned weight and bias
    must be within ``FIT_TOLERANCE`` of it. A message says whether the weights are
    transposed, not finite (the training diverged), or still far away, with the
    loss they reach. Returns the tutor's sentence for a right answer.

    >>> def fit_layer(X, Y):
    ...     ones = np.column_stack([X, np.ones(len(X))])
    ...     solution = np.linalg.lstsq(ones, Y, rcond=None)[0]
    ...     return solution[:-1].T, solution[-1]
    >>> check_fitted_layer(fit_layer, *layer_data())
    'fit_layer found the layer: every weight and bias within 0.001 of the best ones.'
    """
    __tracebackhide__ = True  # tracebacks show the test cell, not the checker
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    ones = np.column_stack([X, np.ones(len(X))])
    solution = np.linalg.lstsq(ones, Y, rcond=None)[0]
    best_W, best_b = solution[:-1].T, solution[-1]
    attempt = run_learner(name, student_fn, (X, Y))
    attempt.expected = [best_W, best_b]
    W, b = _unpacked(attempt, ("W", "b"), ("the best layer's W", "the best layer's b"),
                     [best_W, best_b])
    facts = [f"W:        {value_text(W)}", f"expected: {value_text(best_W)}",
             f"b:        {value_text(b)}", f"expected: {value_text(best_b)}"]
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        fail(attempt, "{call} returned weights that are inf or nan: the training diverged, "
             "each step overshooting further than the last.", facts,
             hint="Try a smaller learning rate.")
    distance = float(max(np.max(np.abs(W - best_W)), np.max(np.abs(b - best_b))))
    if distance > FIT_TOLERANCE:
        loss, start = reference.mse(X @ W.T + b, Y), reference.mse(np.zeros_like(Y), Y)
        if loss > start:
            where, hint = ("higher than all-zero weights give: the steps went uphill",
                           "Check the direction of the step.")
        else:
            where, hint = ("lower than at the start, but not yet at the bottom",
                           "Take more steps, or larger ones (a larger learning rate).")
        fail(attempt, "{call} " + f"returned a layer up to {distance:.3g} away from the best "
             f"one (allowed {FIT_TOLERANCE}); its loss is {loss:.3g}, {where}.", facts,
             hint=hint)
    return (f"{name} found the layer: every weight and bias within {FIT_TOLERANCE} of the "
            "best ones.")


# --- the slider challenge ---------------------------------------------------------------

GOAL_STEPS = 100
GOAL_LOSS = 0.065


def _check_learning_rate(v):
    from nnkit.learning import two_moons_trainer

    learning_rate, neurons = float(v["learning_rate"]), int(v["neurons"])
    if not 2 <= neurons <= 16:
        return Verdict(False, f"{neurons} neurons per layer is not between 2 and 16.")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        return Verdict(False, f"The learning rate must be a number above 0; got "
                              f"{learning_rate}.")
    trainer = two_moons_trainer(learning_rate, neurons)
    trainer.train(GOAL_STEPS)
    losses = [*trainer.losses, trainer.current_loss()]
    start, final = losses[0], losses[-1]
    shown = f"at learning rate {learning_rate:.3g} with {neurons} neurons per layer"
    worst = max(range(len(losses)), key=lambda step: losses[step] if math.isfinite(
        losses[step]) else math.inf)
    if not all(math.isfinite(value) for value in losses) or losses[worst] > start:
        return Verdict(False, f"Not yet: {shown} the loss rose above its start "
                              f"({start:.3g}) to {losses[worst]:.3g} at step {worst}: steps "
                              "that large overshoot the bottom of the valley. Try a smaller "
                              "learning rate.")
    if not final < GOAL_LOSS:
        return Verdict(False, f"Not yet: {shown} the loss is still {final:.3g} after "
                              f"{GOAL_STEPS} steps, not below {GOAL_LOSS}: the steps are too "
                              "small to get there in time. Try a larger learning rate.")
    return Verdict(True, f"Right: {shown} the loss falls from {start:.3g} to {final:.3g} "
                         f"in {GOAL_STEPS} steps and never rises above where it started. Each "
                         "step moves every weight by learning rate × slope: too small a rate "
                         "covers too little ground, too large a one jumps across the valley "
                         "and uphill.")


HINTS = {
    "mse": "Compare the shapes before NumPy broadcasts them; the mean runs over every element, "
           "whatever the shape.",
    "mse_gradient": "Write the loss as a sum of one term per element, (y_pred − y_true)² / n, "
                    "and ask how one term changes when its y_pred changes.",
    "numerical_gradient": "Nudge one element at a time, up and down by eps, on a copy (or put "
                          "the saved value back), and divide the change of f by the distance "
                          "between the two points.",
    "dense_backward": "Write z[i] = Σⱼ W[i, j]·x[j] + b[i] and ask, for each number, which z "
                      "it changes and by how much; then check the shapes: grad_W like W, "
                      "grad_b like b, grad_x like x.",
    "gradient_step": "The gradient points uphill; a step of descent goes the other way, "
                     "learning_rate times the gradient, into new arrays.",
}


EXERCISE = Exercise(
    id="07-learning",
    title="How the weights are learned",
    graded={
        "mse": reference.mse,
        "mse_gradient": reference.mse_gradient,
        "numerical_gradient": reference.numerical_gradient,
        "dense_backward": reference.dense_backward,
        "gradient_step": reference.gradient_step,
    },
    mistakes=MISTAKES,
    hints=HINTS,
    tolerances={"numerical_gradient": Tolerance(rtol=1e-7, atol=1e-9)},
    challenge=Challenge(
        "learning-rate",
        f"Press reset, then find a learning rate with which the loss falls below {GOAL_LOSS} "
        f"within {GOAL_STEPS} steps and never rises above where it started (the dashed lines "
        "on the loss plot mark the goal).",
        "nnkit.explore.learning:training_explorer",
        {"learning_rate": 0.01, "goal": (GOAL_STEPS, GOAL_LOSS)}, _check_learning_rate),
)
