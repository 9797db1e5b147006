"""Tests for nnkit.approximation (lesson 5)."""

import itertools

import numpy as np
import pytest

import nnkit
from nnkit.approximation import (
    approximate,
    error_curve,
    fit_least_squares,
    hat_weights,
    hats_to_network,
    max_error,
    one_hidden_layer,
    piecewise_linear_network,
    relu_hat,
    sawtooth,
    sawtooth_layers,
    sigmoid_bump,
    tent,
)

PI = np.pi
GRID = np.linspace(-PI, PI, 1001)  # the contract's 1001 evenly spaced points


def contract_error(params):
    """The contract's measure, written independently of the library."""
    W1, b1, W2, b2 = params
    hidden = np.maximum(0.0, GRID[:, None] @ W1.T + b1)
    return float(np.max(np.abs(np.sin(GRID) - (hidden @ W2.T + b2)[:, 0])))


def squared_error(params):
    return float(np.sum((np.sin(GRID) - one_hidden_layer(GRID, *params)) ** 2))


# ---------------------------------------------------------------- bumps, hats


def test_sigmoid_bump_matches_its_formula():
    x = np.linspace(-1, 3, 41)
    s, left, right, height = 7.0, 0.5, 2.0, 1.5
    sigma = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    expected = height * (sigma(s * (x - left)) - sigma(s * (x - right)))
    np.testing.assert_allclose(sigmoid_bump(x, left, right, height, steepness=s), expected)


def test_sigmoid_bump_is_stable_for_steep_edges():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        values = sigmoid_bump(np.array([-1e4, 0.0, 1e4]), -1.0, 1.0, 2.0, steepness=1e4)
    assert values.tolist() == [0.0, 2.0, 0.0]


def test_sigmoid_bump_keeps_float32():
    assert sigmoid_bump(np.zeros(3, dtype=np.float32), -1, 1, 1.0).dtype == np.float32


def test_sigmoid_bump_needs_left_below_right():
    with pytest.raises(ValueError, match="left < right"):
        sigmoid_bump(0.0, 1.0, 0.0, 1.0)


def test_relu_hat_is_the_triangle():
    x = np.linspace(-2, 5, 71)
    left, peak, right, height = 0.0, 1.0, 3.0, 2.0
    expected = np.interp(x, [left, peak, right], [0, height, 0])
    np.testing.assert_allclose(relu_hat(x, left, peak, right, height), expected, atol=1e-12)


def test_relu_hat_is_three_relus():
    W1, b1, W2 = hat_weights(-1.0, 0.5, 1.0, 3.0)
    assert W1.shape == (3, 1) and b1.shape == (3,) and W2.shape == (1, 3)
    np.testing.assert_allclose(b1, [1.0, -0.5, -1.0])
    assert W2.sum() == pytest.approx(0.0)  # flat again to the right of the hat


@pytest.mark.parametrize("points", [(0, 0, 1), (0, 1, 1), (2, 1, 0)])
def test_relu_hat_rejects_points_out_of_order(points):
    with pytest.raises(ValueError, match="left < peak < right"):
        relu_hat(0.5, *points, 1.0)


def test_hats_to_network_sums_the_hats():
    hats = [(0, 1, 2, 1.0), (1, 2, 4, -0.5), (3, 3.5, 4, 2.0)]
    x = np.linspace(-1, 5, 61)
    expected = sum(relu_hat(x, *hat) for hat in hats)
    W1, b1, W2, b2 = hats_to_network(hats)
    assert W1.shape == (9, 1)
    np.testing.assert_allclose(one_hidden_layer(x, W1, b1, W2, b2), expected, atol=1e-12)


def test_hats_to_network_needs_a_hat():
    with pytest.raises(ValueError, match="at least one"):
        hats_to_network([])


# ------------------------------------------------------------- interpolation


def test_piecewise_linear_network_goes_through_its_points():
    knots = np.array([-1.0, 0.0, 0.5, 2.0])
    values = np.array([1.0, -1.0, 3.0, 0.0])
    params = piecewise_linear_network(knots, values)
    x = np.linspace(-1, 2, 301)
    np.testing.assert_allclose(one_hidden_layer(knots, *params), values, atol=1e-12)
    expected = np.interp(x, knots, values)
    np.testing.assert_allclose(one_hidden_layer(x, *params), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("knots", "values", "message"),
    [
        ([0, 1], [0, 1, 2], "same length"),
        ([0], [1], "at least 2"),
        ([0, 0, 1], [0, 1, 2], "increasing"),
    ],
)
def test_piecewise_linear_network_rejects_bad_points(knots, values, message):
    with pytest.raises(ValueError, match=message):
        piecewise_linear_network(knots, values)


@pytest.mark.parametrize("spacing", ["adaptive", "uniform"])
def test_approximate_meets_the_contract_for_sin(spacing):
    params = approximate(np.sin, -PI, PI, 32, spacing=spacing)
    W1, b1, W2, b2 = params
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((32, 1), (32,), (1, 32), (1,))
    assert contract_error(params) <= 0.01
    assert max_error(np.sin, params, -PI, PI) == pytest.approx(contract_error(params), abs=1e-15)


def test_more_units_never_do_worse_on_sin():
    """From 1 to 256 units the largest error on the 1001 points never grows.

    Neighbouring counts can tie (sin is symmetric, so two pieces can be equally
    bad); a tie may then differ in the last bits, hence the 1e-12.
    """
    errors = np.array([contract_error(approximate(np.sin, -PI, PI, n)) for n in range(1, 257)])
    growth = np.diff(errors)
    assert growth.max() <= 1e-12, f"grows at n={int(np.argmax(growth)) + 2}: {growth.max()}"
    assert errors[255] < errors[31] / 50  # and it does get much better


def test_evenly_spaced_points_can_do_worse_which_is_why_adaptive_is_the_default():
    errors = [
        contract_error(approximate(np.sin, -PI, PI, n, spacing="uniform")) for n in (165, 166)
    ]
    assert errors[1] > errors[0] + 1e-7


def test_approximate_interpolates_f_at_its_knots():
    f = lambda x: np.exp(x) * np.cos(3 * x)  # noqa: E731
    W1, b1, W2, b2 = approximate(f, -1.0, 2.0, 12)
    knots = np.append(-b1, 2.0)
    assert knots[0] == -1.0 and np.all(np.diff(knots) > 0)
    np.testing.assert_allclose(one_hidden_layer(knots, W1, b1, W2, b2), f(knots), atol=1e-12)


def test_approximate_is_nested_each_unit_adds_one_knot():
    knots = [set((-approximate(np.sin, -PI, PI, n)[1]).tolist()) for n in range(1, 40)]
    for small, large in itertools.pairwise(knots):
        assert small < large and len(large - small) == 1


def test_approximate_puts_units_where_f_curves():
    _, b1, _, _ = approximate(lambda x: x**4, -1.0, 1.0, 20)
    knots = -b1
    assert np.sum(np.abs(knots) > 0.5) > np.sum(np.abs(knots) <= 0.5)


def test_approximate_is_exact_for_a_line_and_one_unit():
    params = approximate(lambda x: 3 * x - 1, 0, 2, 1)
    assert max_error(lambda x: 3 * x - 1, params, 0, 2) < 1e-12


def test_approximate_accepts_numpy_integers_and_keeps_float64():
    params = approximate(np.sin, np.int64(0), np.int32(3), np.int64(4))
    assert all(p.dtype == np.float64 for p in params)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((np.sin, 0, 1, 0), ValueError, "n_hidden must be at least 1"),
        ((np.sin, 0, 1, 2.5), TypeError, "n_hidden must be a whole number"),
        ((np.sin, 1, 0, 4), ValueError, "a < b"),
        ((np.sin, 0, np.inf, 4), ValueError, "finite"),
        (("sin", 0, 1, 4), TypeError, "f must be a function"),
        ((lambda x: 1.0, 0, 1, 4), ValueError, "one value per point"),
    ],
)
def test_approximate_rejects_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        approximate(*args)


def test_approximate_rejects_unknown_spacing():
    with pytest.raises(ValueError, match="known spacings: adaptive, uniform"):
        approximate(np.sin, 0, 1, 4, spacing="random")


def test_fit_least_squares_fits_at_least_as_well_as_the_uniform_interpolant():
    for n in (4, 16, 64):
        fitted = fit_least_squares(np.sin, -PI, PI, n)
        interpolated = approximate(np.sin, -PI, PI, n, spacing="uniform")
        assert squared_error(fitted) <= squared_error(interpolated) + 1e-12
        assert [p.shape for p in fitted] == [(n, 1), (n,), (1, n), (1,)]


def test_fit_least_squares_recovers_a_network_exactly():
    target = piecewise_linear_network([0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 1.0, -1.0, 0.5, 0.5])
    f = lambda x: one_hidden_layer(x, *target)  # noqa: E731
    params = fit_least_squares(f, 0.0, 1.0, 4)
    assert max_error(f, params, 0.0, 1.0) < 1e-10


# ------------------------------------------------------- evaluate and measure


def test_one_hidden_layer_is_the_dense_formula():
    rng = np.random.default_rng(1)
    W1, b1 = rng.normal(size=(5, 1)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(1, 5)), rng.normal(size=1)
    for x in (0.3, -1.2):
        expected = W2 @ np.maximum(0, W1 @ [x] + b1) + b2
        assert float(one_hidden_layer(x, W1, b1, W2, b2)) == pytest.approx(float(expected[0]))


def test_one_hidden_layer_keeps_the_shape_of_x():
    params = approximate(np.sin, 0, 1, 3)
    assert one_hidden_layer(np.zeros((4, 2)), *params).shape == (4, 2)
    assert one_hidden_layer(0.5, *params).shape == ()


def test_one_hidden_layer_names_all_shapes_when_they_do_not_fit():
    with pytest.raises(ValueError, match=r"got W1 \(3, 1\), b1 \(2,\), W2 \(1, 3\), b2 \(1,\)"):
        one_hidden_layer(0.0, np.ones((3, 1)), np.ones(2), np.ones((1, 3)), np.ones(1))


def test_max_error_is_zero_where_the_network_is_exact():
    params = approximate(np.abs, -1, 1, 2)
    assert max_error(np.abs, params, -1, 1) < 1e-15


def test_error_curve_falls_like_one_over_n_squared():
    counts = [4, 8, 16, 32, 64, 128]
    for method in ("interpolate", "uniform", "least_squares"):
        errors = error_curve(np.sin, -PI, PI, counts, method=method)
        assert errors.shape == (6,)
        slope = np.polyfit(np.log(counts), np.log(errors), 1)[0]
        assert -2.3 < slope < -1.7, (method, slope)


def test_error_curve_rejects_an_unknown_method():
    with pytest.raises(ValueError, match="known methods"):
        error_curve(np.sin, 0, 1, [2], method="gradient")


# ---------------------------------------------------------- depth and width


def test_tent_is_the_tent_map():
    x = np.linspace(0, 1, 101)
    np.testing.assert_allclose(tent(x), 1 - np.abs(2 * x - 1), atol=1e-15)


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 5])
def test_sawtooth_doubles_its_pieces_per_layer(depth):
    pieces = 2**depth
    x = np.linspace(0, 1, 64 * pieces + 1)  # knots at k / pieces fall on the grid
    slopes = np.round(np.diff(sawtooth(x, depth)) / np.diff(x), 6)
    runs = 1 + np.count_nonzero(np.diff(slopes))
    assert runs == pieces
    assert np.all(np.abs(slopes) == pieces)


@pytest.mark.parametrize("depth", [1, 2, 4])
def test_sawtooth_layers_compute_the_sawtooth(depth):
    x = np.linspace(0, 1, 257)
    a = x[:, None]
    for W, b, activation in sawtooth_layers(depth):
        a = a @ W.T + b
        a = a if activation is None else activation(a)
    np.testing.assert_allclose(a[:, 0], sawtooth(x, depth), atol=1e-12)
    assert sum(W.shape[0] for W, _, _ in sawtooth_layers(depth)[:-1]) == 2 * depth


def test_sawtooth_rejects_negative_depth():
    with pytest.raises(ValueError):
        sawtooth(0.5, -1)


def test_the_contract_functions_are_nnkit_top_level():
    assert nnkit.sigmoid_bump is sigmoid_bump
    assert nnkit.relu_hat is relu_hat
    assert nnkit.approximate is approximate

