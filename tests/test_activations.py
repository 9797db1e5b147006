"""Activation functions: values, derivatives, stability, dtypes and the registry."""

import math

import numpy as np
import pytest

import nnkit
from nnkit import activations as act

ELEMENTWISE = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "step"]
DERIVATIVES = {
    "linear": act.linear_derivative,
    "sigmoid": act.sigmoid_derivative,
    "tanh": act.tanh_derivative,
    "relu": act.relu_derivative,
    "leaky_relu": act.leaky_relu_derivative,
    "gelu": act.gelu_derivative,
    "silu": act.silu_derivative,
    "step": act.step_derivative,
}
ALL_FUNCTIONS = [entry.function for entry in act.ACTIVATIONS.values()] + list(DERIVATIVES.values())
ALL_FUNCTIONS.append(act.softmax_jacobian)
EXTREMES = [-1e4, -1000.0, -710.0, -100.0, -89.0, -1.0, -0.0, 0.0, 1e-8, 1.0, 89.0, 710.0, 1e4]


def phi(z):
    """The standard normal CDF, from math.erf, as the reference for GELU."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


class TestValues:
    def test_sigmoid_reference_values(self):
        z = np.linspace(-30, 30, 61)
        np.testing.assert_allclose(act.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)

    def test_sigmoid_tail_keeps_relative_precision(self):
        assert act.sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-12)

    def test_tanh_is_two_sigmoids(self):
        z = np.linspace(-5, 5, 11)
        np.testing.assert_allclose(act.tanh(z), 2 * act.sigmoid(2 * z) - 1, atol=1e-15)

    def test_relu_and_leaky_relu(self):
        z = [-2.0, -0.0, 0.0, 3.0]
        assert act.relu(z).tolist() == [0.0, 0.0, 0.0, 3.0]
        assert act.leaky_relu(z).tolist() == [-0.02, 0.0, 0.0, 3.0]
        assert act.leaky_relu(z, alpha=0.5).tolist() == [-1.0, 0.0, 0.0, 3.0]

    def test_gelu_is_exact(self):
        z = np.linspace(-6, 6, 121)
        expected = [x * phi(x) for x in z]
        np.testing.assert_allclose(act.gelu(z), expected, rtol=1e-14, atol=1e-300)

    def test_gelu_differs_from_the_tanh_approximation_by_less_than_1e3(self):
        z = np.linspace(-6, 6, 121)
        approx = 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))
        assert np.max(np.abs(act.gelu(z) - approx)) < 1e-3

    def test_silu_and_swish(self):
        assert act.swish is act.silu
        z = np.linspace(-5, 5, 11)
        np.testing.assert_allclose(act.silu(z), z * act.sigmoid(z))

    def test_step_is_strictly_positive(self):
        assert act.step([-1.0, 0.0, 1e-300, 2.0]).tolist() == [0.0, 0.0, 1.0, 1.0]

    def test_softmax_1d_and_2d(self):
        assert act.softmax([0.0, 0.0]).tolist() == [0.5, 0.5]
        out = act.softmax([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
        np.testing.assert_allclose(out.sum(axis=-1), [1.0, 1.0])
        np.testing.assert_allclose(out[1], [1 / 3] * 3)

    def test_softmax_other_axis(self):
        z = np.array([[1.0, 5.0], [2.0, 3.0]])
        np.testing.assert_allclose(act.softmax(z, axis=0), act.softmax(z.T).T)

    def test_softmax_needs_an_axis(self):
        with pytest.raises(ValueError, match="softmax needs a vector"):
            act.softmax(3.0)

    @pytest.mark.parametrize("name", ELEMENTWISE)
    def test_scalar_in_scalar_out(self, name):
        out = act.ACTIVATIONS[name].function(0.5)
        assert np.ndim(out) == 0 and not isinstance(out, np.ndarray)
        assert isinstance(float(out), float)

    @pytest.mark.parametrize("name", ELEMENTWISE)
    def test_any_shape_element_wise(self, name, rng):
        f = act.ACTIVATIONS[name].function
        z = rng.normal(size=(2, 3, 4))
        expected = np.array([float(f(value)) for value in z.ravel()]).reshape(z.shape)
        np.testing.assert_allclose(f(z), expected, rtol=1e-14)


class TestDerivatives:
    @pytest.mark.parametrize("name", [n for n in ELEMENTWISE if n != "step"])
    def test_match_finite_differences(self, name):
        f, df = act.ACTIVATIONS[name].function, DERIVATIVES[name]
        z = np.array([-3.0, -1.3, -0.4, 0.3, 0.9, 2.5])
        h = 1e-6
        numeric = (f(z + h) - f(z - h)) / (2 * h)
        np.testing.assert_allclose(df(z), numeric, rtol=1e-6, atol=1e-9)

    def test_registry_holds_the_derivatives(self):
        for name, derivative in DERIVATIVES.items():
            assert act.ACTIVATIONS[name].derivative is derivative
        assert act.ACTIVATIONS["softmax"].derivative is act.softmax_jacobian

    def test_known_values(self):
        assert float(act.sigmoid_derivative(0.0)) == 0.25
        assert act.relu_derivative([-1.0, 0.0, 2.0]).tolist() == [0.0, 0.0, 1.0]
        assert act.leaky_relu_derivative([-1.0, 0.0, 2.0], alpha=0.2).tolist() == [0.2, 0.2, 1.0]
        assert act.step_derivative([-1.0, 0.0, 3.0]).tolist() == [0.0, 0.0, 0.0]
        assert float(act.gelu_derivative(0.0)) == 0.5
        assert float(act.tanh_derivative(0.0)) == 1.0

    def test_softmax_jacobian(self):
        z = np.array([0.3, -1.0, 2.0])
        s = act.softmax(z)
        J = act.softmax_jacobian(z)
        np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s))
        np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)
        h = 1e-6
        numeric = np.stack(
            [(act.softmax(z + h * e) - act.softmax(z - h * e)) / (2 * h) for e in np.eye(3)],
            axis=1,
        )
        np.testing.assert_allclose(J, numeric, atol=1e-9)

    def test_softmax_jacobian_batch(self):
        z = np.array([[0.3, -1.0, 2.0], [1.0, 1.0, 1.0]])
        J = act.softmax_jacobian(z)
        assert J.shape == (2, 3, 3)
        np.testing.assert_allclose(J[1], act.softmax_jacobian(z[1]))


class TestStability:
    @pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
    def test_no_inf_nan_or_warning_up_to_1e4(self, function, float_dtype, warnings_as_errors):
        z = np.array(EXTREMES, dtype=float_dtype)
        if function in (act.softmax, act.softmax_jacobian):
            z = z.reshape(1, -1)
        out = function(z)
        assert np.all(np.isfinite(out)), f"{function.__name__} gave {out}"

    def test_limits_are_right(self, float_dtype):
        z = np.array([-1e4, 1e4], dtype=float_dtype)
        assert act.sigmoid(z).tolist() == [0.0, 1.0]
        assert act.tanh(z).tolist() == [-1.0, 1.0]
        assert act.gelu(z).tolist() == [0.0, 1e4]
        assert act.silu(z).tolist() == [0.0, 1e4]
        assert act.softmax(z).tolist() == [0.0, 1.0]

    def test_softmax_of_huge_equal_scores(self, warnings_as_errors):
        assert act.softmax([1e4, 1e4]).tolist() == [0.5, 0.5]


class TestDtypes:
    @pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
    def test_float_type_is_kept(self, function, float_dtype):
        z = np.array([[-2.0, 0.5, 3.0]], dtype=float_dtype)
        assert function(z).dtype == float_dtype

    @pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
    def test_lists_and_ints_give_float64(self, function):
        assert function([[1, 2, 3]]).dtype == np.float64

    def test_float32_gelu_is_close_to_float64(self):
        z = np.linspace(-5, 5, 101)
        np.testing.assert_allclose(act.gelu(z.astype(np.float32)), act.gelu(z), atol=1e-6)


class TestNanAndInf:
    """NaN and infinity propagate as in NumPy (documented in the module)."""

    @pytest.mark.parametrize("name", ELEMENTWISE)
    def test_nan_gives_nan(self, name):
        assert math.isnan(float(act.ACTIVATIONS[name].function(np.nan)))

    @pytest.mark.parametrize("name", ELEMENTWISE)
    def test_nan_derivative_gives_nan(self, name):
        assert math.isnan(float(DERIVATIVES[name](np.nan)))

    def test_infinities(self):
        assert act.sigmoid([-np.inf, np.inf]).tolist() == [0.0, 1.0]
        assert act.relu([-np.inf, np.inf]).tolist() == [0.0, np.inf]
        assert act.tanh([np.inf]).tolist() == [1.0]

    def test_softmax_nan_poisons_its_row_only(self):
        out = act.softmax([[np.nan, 1.0], [0.0, 0.0]])
        assert np.isnan(out[0]).all() and out[1].tolist() == [0.5, 0.5]


class TestInputsUnchanged:
    @pytest.mark.parametrize("name", sorted(act.ACTIVATIONS))
    def test_no_activation_changes_its_input(self, name, float_dtype, rng):
        entry = act.ACTIVATIONS[name]
        z = (rng.normal(size=(5, 7)) * 30).astype(float_dtype)
        z[0, :3] = [-1e4, 0.0, 1e4]
        before = z.copy()
        entry.function(z)
        entry.derivative(z)
        np.testing.assert_array_equal(z, before)


class TestRegistry:
    def test_entries(self):
        assert set(act.ACTIVATIONS) == {
            "linear", "step", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "softmax",
        }
        for name, entry in act.ACTIVATIONS.items():
            assert entry.name == name
            assert entry.function.__name__ == name
            assert entry.output_range and entry.typical_use and entry.known_problem

    def test_entries_are_frozen(self):
        with pytest.raises(AttributeError):
            act.ACTIVATIONS["relu"].name = "other"

    @pytest.mark.parametrize(
        ("given", "expected"),
        [("relu", act.relu), ("swish", act.silu), ("identity", act.linear), (None, act.linear)],
    )
    def test_get_activation(self, given, expected):
        assert act.get_activation(given) is expected

    def test_get_activation_passes_callables_through(self):
        def double(z):
            return 2 * z

        assert act.get_activation(double) is double

    def test_unknown_name_lists_the_known_ones(self):
        with pytest.raises(ValueError) as info:
            act.get_activation("rectifier")
        message = str(info.value)
        assert "unknown activation 'rectifier'" in message
        for name in [*act.ACTIVATIONS, "swish"]:
            assert name in message

    def test_wrong_type_names_what_came(self):
        with pytest.raises(TypeError, match="got int 3"):
            act.get_activation(3)

    def test_activation_name(self):
        assert act.activation_name("swish") == "silu"
        assert act.activation_name(act.softmax) == "softmax"
        assert act.activation_name(np.sin) == "sin"

    def test_bad_input_types(self):
        with pytest.raises(TypeError, match="z must be"):
            act.relu("abc")
        with pytest.raises(TypeError, match="z must be"):
            act.softmax(None)


def test_exported_from_nnkit():
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "swish", "softmax",
                 "step", "sigmoid_derivative", "relu_derivative", "softmax_jacobian",
                 "get_activation", "activation_name", "ACTIVATIONS", "Activation"]:
        assert getattr(nnkit, name) is getattr(act, name)
