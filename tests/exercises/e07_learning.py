"""Test data of 07-learning: one failing check per recognised mistake, wrong and other answers."""

from __future__ import annotations

import numpy as np

from nnkit.tutor.checks import check_function, check_raises
from nnkit.tutor.exercises.e07_learning import (
    check_dense_backward,
    check_gradient_step,
    check_numerical_gradient,
)

Y_PRED = np.array([[1.0, 2.0], [3.0, 5.0], [0.5, -1.0]])
Y_TRUE = np.array([[0.0, 2.0], [3.0, 1.0], [1.5, 0.0]])
D = Y_PRED - Y_TRUE
N = Y_PRED.size

X_NUDGE = np.array([0.1, 0.7, -1.3, 2.9])  # 0.1 + eps − 2·eps + eps is not 0.1 again


def cube_sum(v):
    return float(np.sum(np.asarray(v) ** 3))


def central(f, x, eps=1e-5, divide_by=None):
    x = np.array(x, dtype=float)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        gradient[index] = (f(up) - f(down)) / (divide_by or 2 * eps)
    return gradient


def forward_differences(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        up = x.copy()
        up[index] += eps
        gradient[index] = (f(up) - f(x)) / eps
    return gradient


def left_nudged(f, x, eps=1e-5):
    gradient = np.zeros_like(x)
    for i in range(len(x)):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        gradient[i] = (up - f(x)) / (2 * eps)
    return gradient


def restored_by_arithmetic(f, x, eps=1e-5):
    gradient = np.zeros_like(x)
    for i in range(len(x)):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        down = f(x)
        x[i] += eps
        gradient[i] = (up - down) / (2 * eps)
    return gradient


def one_dimensional_only(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    gradient = np.zeros(len(x))
    for i in range(len(x)):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        gradient[i] = (f(up) - f(down)) / (2 * eps)
    return gradient


X1 = np.array([1.0, -2.0])
W = np.array([[1.0, 0.5], [0.0, -1.0], [2.0, 1.0]])
B = np.zeros(3)
GZ1 = np.array([1.0, 0.0, -0.5])
XB = np.array([[1.0, -2.0], [0.5, 1.0]])
GZB = np.array([[1.0, 0.0, -0.5], [2.0, 1.0, 0.0]])
W_SQUARE = np.array([[1.0, 2.0], [-1.0, 0.5]])
GZ_SQUARE = np.array([[1.0, -1.0], [0.5, 2.0]])


def backward_single(x, W, b, grad_z):
    return np.outer(grad_z, x), np.asarray(grad_z, dtype=float), grad_z @ W


STEP = (np.array([[1.0, -1.0]]), np.array([0.5]), np.array([[2.0, -4.0]]), np.array([1.0]),
        0.25)


def step_in_place(W, b, grad_W, grad_b, learning_rate):
    W -= learning_rate * grad_W
    b -= learning_rate * grad_b
    return W, b


MISTAKES = {
    "mse.sum_not_mean": lambda: check_function(
        "mse", lambda p, t: float(np.sum((np.asarray(p) - t) ** 2)), (Y_PRED, Y_TRUE)),
    "mse.not_squared": lambda: check_function(
        "mse", lambda p, t: float(np.mean(np.abs(np.asarray(p) - t))), (Y_PRED, Y_TRUE)),
    "mse.root_taken": lambda: check_function(
        "mse", lambda p, t: float(np.sqrt(np.mean((np.asarray(p) - t) ** 2))), (Y_PRED, Y_TRUE)),
    "mse.mean_per_column": lambda: check_function(
        "mse", lambda p, t: np.mean((np.asarray(p) - t) ** 2, axis=0), (Y_PRED, Y_TRUE)),
    "mse.broadcast_shapes": lambda: check_raises(
        "mse", lambda p, t: float(np.mean((np.asarray(p) - t) ** 2)),
        (np.ones((3, 1)), np.ones(3)), because="the shapes differ"),
    "mse_gradient.missing_factor_two": lambda: check_function(
        "mse_gradient", lambda p, t: (np.asarray(p) - t) / np.size(p), (Y_PRED, Y_TRUE)),
    "mse_gradient.missing_mean": lambda: check_function(
        "mse_gradient", lambda p, t: 2 * (np.asarray(p) - t), (Y_PRED, Y_TRUE)),
    "mse_gradient.divided_by_rows": lambda: check_function(
        "mse_gradient", lambda p, t: 2 * (np.asarray(p) - t) / len(p), (Y_PRED, Y_TRUE)),
    "mse_gradient.sign_flipped": lambda: check_function(
        "mse_gradient", lambda p, t: 2 * (t - np.asarray(p)) / np.size(p), (Y_PRED, Y_TRUE)),
    "mse_gradient.returned_the_loss": lambda: check_function(
        "mse_gradient", lambda p, t: float(np.mean((np.asarray(p) - t) ** 2)), (Y_PRED, Y_TRUE)),
    "numerical_gradient.forward_differences": lambda: check_numerical_gradient(
        forward_differences, cube_sum, X_NUDGE),
    "numerical_gradient.divided_by_eps": lambda: check_numerical_gradient(
        lambda f, x, eps=1e-5: central(f, x, eps, divide_by=eps), cube_sum, X_NUDGE),
    "numerical_gradient.x_left_nudged": lambda: check_numerical_gradient(
        left_nudged, cube_sum, X_NUDGE),
    "numerical_gradient.restored_by_arithmetic": lambda: check_numerical_gradient(
        restored_by_arithmetic, cube_sum, X_NUDGE),
    "numerical_gradient.eps_ignored": lambda: check_numerical_gradient(
        lambda f, x, eps=1e-5: central(f, x), cube_sum, X_NUDGE, eps=1e-3),
    "numerical_gradient.one_dimensional_only": lambda: check_numerical_gradient(
        one_dimensional_only, cube_sum, X_NUDGE.reshape(2, 2)),
    "dense_backward.grad_W_transposed": lambda: check_dense_backward(
        lambda x, W, b, g: (np.outer(x, g), np.asarray(g), g @ W), X1, W, B, GZ1),
    "dense_backward.batch_not_summed": lambda: check_dense_backward(
        lambda x, W, b, g: (g[:, :, None] * x[:, None, :], g.sum(axis=0), g @ W), XB, W, B, GZB),
    "dense_backward.batch_averaged": lambda: check_dense_backward(
        lambda x, W, b, g: (g.T @ x / len(x), g.mean(axis=0), g @ W), XB, W, B, GZB),
    "dense_backward.grad_x_with_W_transposed": lambda: check_dense_backward(
        lambda x, W, b, g: (g.T @ x, g.sum(axis=0), g @ W.T), XB, W_SQUARE, np.zeros(2),
        GZ_SQUARE),
    "gradient_step.updated_in_place": lambda: check_gradient_step(step_in_place, *STEP),
    "gradient_step.plus_instead_of_minus": lambda: check_gradient_step(
        lambda W, b, gW, gb, lr: (W + lr * gW, b + lr * gb), *STEP),
    "gradient_step.learning_rate_ignored": lambda: check_gradient_step(
        lambda W, b, gW, gb, lr: (W - gW, b - gb), *STEP),
    "gradient_step.returned_the_change": lambda: check_gradient_step(
        lambda W, b, gW, gb, lr: (lr * gW, lr * gb), *STEP),
}
"""Each recognised mistake, made on purpose: the check must name it."""


CHALLENGE_CASES = (
    {"learning_rate": 0.631, "neurons": 16},
    [({"learning_rate": 0.01, "neurons": 16}, "too small to get there in time"),
     ({"learning_rate": 3.16, "neurons": 16}, "rose above its start"),
     ({"learning_rate": 0.631, "neurons": 40}, "not between 2 and 16")],
)
"""A right answer to the challenge, then wrong ones with words their message must hold."""


WRONG_ANSWERS = {
    "mse sums instead of averaging": ("mse", """
        def mse(y_pred, y_true):
            y_pred, y_true = np.asarray(y_pred, dtype=float), np.asarray(y_true, dtype=float)
            if y_pred.shape != y_true.shape:
                raise ValueError(f"shapes {y_pred.shape} and {y_true.shape} differ")
            return float(np.sum((y_pred - y_true) ** 2))
        """, {"test_mse"}),
    "mse lets NumPy broadcast": ("mse", """
        def mse(y_pred, y_true):
            return float(np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2))
        """, {"test_mse_shapes"}),
    "mse_gradient forgets the 1/n": ("mse_gradient", """
        def mse_gradient(y_pred, y_true):
            return 2.0 * (np.asarray(y_pred, dtype=float) - np.asarray(y_true))
        """, {"test_mse_gradient", "test_numerical_gradient", "test_fit_layer"}),
    "numerical_gradient takes one-sided differences": ("numerical_gradient", """
        def numerical_gradient(f, x, eps=1e-5):
            x = np.array(x, dtype=float)
            gradient = np.zeros_like(x)
            for index in np.ndindex(x.shape):
                nudged = x.copy()
                nudged[index] += eps
                gradient[index] = (f(nudged) - f(x)) / eps
            return gradient
        """, {"test_numerical_gradient"}),
    "dense_backward averages over the batch": ("dense_backward", """
        def dense_backward(x, W, b, grad_z):
            x, W, grad_z = (np.asarray(a, dtype=float) for a in (x, W, grad_z))
            if x.ndim == 1:
                return np.outer(grad_z, x), grad_z, grad_z @ W
            return grad_z.T @ x / len(x), grad_z.mean(axis=0), grad_z @ W
        """, {"test_dense_backward_batch", "test_fit_layer"}),
    "gradient_step climbs": ("gradient_step", """
        def gradient_step(W, b, grad_W, grad_b, learning_rate):
            return W + learning_rate * np.asarray(grad_W), b + learning_rate * np.asarray(grad_b)
        """, {"test_gradient_step", "test_fit_layer"}),
    "fit_layer stops too early": ("fit_layer", """
        def fit_layer(X, Y):
            W, b = np.zeros((Y.shape[1], X.shape[1])), np.zeros(Y.shape[1])
            for _ in range(5):
                grad_W, grad_b, _ = dense_backward(X, W, b, mse_gradient(X @ W.T + b, Y))
                W, b = gradient_step(W, b, grad_W, grad_b, learning_rate=0.1)
            return W, b
        """, {"test_fit_layer"}),
}
"""Wrong answers to the notebook: label → (answer cell, its code, the test cells it loses)."""

OTHER_CORRECT_ANSWERS = {
    "mse": """
        def mse(y_pred, y_true):
            y_pred, y_true = np.array(y_pred, dtype=float), np.array(y_true, dtype=float)
            if np.shape(y_pred) != np.shape(y_true):
                raise ValueError("y_pred is " + str(y_pred.shape) + ", y_true is "
                                 + str(y_true.shape))
            total = 0.0
            for p, t in zip(y_pred.ravel(), y_true.ravel()):
                total += (p - t) * (p - t)
            return total / y_pred.size
        """,
    "mse_gradient": """
        def mse_gradient(y_pred, y_true):
            difference = np.subtract(y_pred, y_true, dtype=float)
            return difference * (2 / difference.size)
        """,
    "numerical_gradient": """
        def numerical_gradient(f, x, eps=1e-5):
            x = np.asarray(x, dtype=float)
            gradient = np.empty_like(x)
            for i in range(x.size):
                step = np.zeros(x.size)
                step[i] = eps
                step = step.reshape(x.shape)
                gradient.flat[i] = (f(x + step) - f(x - step)) / (2 * eps)
            return gradient
        """,
    "dense_backward": """
        def dense_backward(x, W, b, grad_z):
            X = np.atleast_2d(np.asarray(x, dtype=float))
            G = np.atleast_2d(np.asarray(grad_z, dtype=float))
            grad_W = sum(np.outer(g, row) for g, row in zip(G, X))
            grad_x = G @ np.asarray(W, dtype=float)
            return grad_W, G.sum(axis=0), grad_x.reshape(np.shape(x))
        """,
    "gradient_step": """
        def gradient_step(W, b, grad_W, grad_b, learning_rate):
            new_W = np.array(W, dtype=float)
            new_b = np.array(b, dtype=float)
            new_W -= learning_rate * np.asarray(grad_W)
            new_b -= learning_rate * np.asarray(grad_b)
            return new_W, new_b
        """,
    "fit_layer": """
        def fit_layer(X, Y):
            W, b = np.full((Y.shape[1], X.shape[1]), 0.1), np.zeros(Y.shape[1])
            step = 0
            while step < 2000:
                grad_W, grad_b, _ = dense_backward(X, W, b, mse_gradient(X @ W.T + b, Y))
                W, b = gradient_step(W, b, grad_W, grad_b, 0.2)
                step += 1
            return W, b
        """,
}
"""Each answer cell written another way; every one must still get full marks."""

CHALLENGE_ANSWER = ("challenge_answer_learning_rate",
                    "view.explorer.set(learning_rate=0.8, neurons=8)")
"""The challenge's answer cell reached with other values than the solution's."""
