"""The input checks of nnkit._validation: what they accept and what they say."""

import re

import numpy as np
import pytest

from nnkit import _validation as v


class TestAsFloatArray:
    def test_float_array_passes_through_without_a_copy(self):
        x = np.ones(3)
        assert v.as_float_array(x, "x") is x

    def test_float32_stays_float32(self):
        assert v.as_float_array(np.ones(2, np.float32), "x").dtype == np.float32

    @pytest.mark.parametrize("value", [[1, 2], (True, False), np.arange(3), 7])
    def test_ints_bools_and_lists_become_float64(self, value):
        assert v.as_float_array(value, "x").dtype == np.float64

    def test_dtype_argument_converts(self):
        out = v.as_float_array([1.0, 2.0], "x", np.float32)
        assert out.dtype == np.float32 and out.tolist() == [1.0, 2.0]

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("abc", "got str 'abc'"),
            (None, "got NoneType None"),
            ([1, "a"], "dtype str"),
            ([1 + 2j], "dtype complex128"),
            ({"a": 1}, "got dict"),
        ],
    )
    def test_wrong_types_raise_type_error_naming_what_came(self, value, fragment):
        with pytest.raises(TypeError, match="x must be") as info:
            v.as_float_array(value, "x")
        assert fragment in str(info.value)

    def test_long_values_are_shortened_in_the_message(self):
        with pytest.raises(TypeError) as info:
            v.as_float_array("a" * 200, "x")
        assert "..." in str(info.value) and len(str(info.value)) < 200

    def test_ragged_lists_raise_value_error(self):
        with pytest.raises(ValueError, match="different lengths"):
            v.as_float_array([[1, 2], [3]], "x")

    def test_nan_and_inf_are_accepted(self):
        out = v.as_float_array([np.nan, np.inf], "x")
        assert np.isnan(out[0]) and np.isinf(out[1])


def test_check_scalar():
    assert v.check_scalar(np.array(2.5), "b") == 2.5
    assert isinstance(v.check_scalar(3, "b"), float)
    with pytest.raises(ValueError, match=r"b must be a single number; got shape \(2,\)"):
        v.check_scalar([1, 2], "b")


def test_check_vector_and_matrix():
    assert v.check_vector([1, 2], "w").shape == (2,)
    assert v.check_matrix([[1, 2]], "W").shape == (1, 2)
    with pytest.raises(ValueError, match=r"w must be a 1-D vector; got shape \(\)"):
        v.check_vector(1.0, "w")
    with pytest.raises(ValueError, match=r"one row per neuron; got shape \(2, 2, 2\)"):
        v.check_matrix(np.ones((2, 2, 2)), "W")


def test_check_has_axis():
    z = np.ones(2)
    assert v.check_has_axis(z, "z", "softmax") is z
    with pytest.raises(ValueError, match="softmax needs a vector of scores"):
        v.check_has_axis(np.array(1.0), "z", "softmax")


def test_check_same_length_names_both_shapes():
    v.check_same_length(np.ones((4, 3)), np.ones(3), "x", "w")
    with pytest.raises(ValueError) as info:
        v.check_same_length(np.ones(3), np.ones(2), "x", "w")
    assert "x.shape=(3,)" in str(info.value) and "w.shape=(2,)" in str(info.value)


class TestDenseShapes:
    def test_fitting_shapes_pass(self):
        v.check_dense_shapes(np.ones(2), np.ones((4, 2)), np.ones(4))
        v.check_dense_shapes(np.ones((7, 2)), np.ones((4, 2)), np.ones(4))

    def test_single_input_message(self):
        with pytest.raises(ValueError) as info:
            v.check_dense_shapes(np.ones(3), np.ones((4, 2)), np.ones(4))
        assert str(info.value) == "x has 3 features, but W expects 2 (W.shape=(4, 2))."

    def test_batch_message_names_both_shapes(self):
        with pytest.raises(ValueError, match=r"x.shape=\(5, 3\).*W.shape=\(4, 2\)"):
            v.check_dense_shapes(np.ones((5, 3)), np.ones((4, 2)), np.ones(4))

    @pytest.mark.parametrize("shape", [(), (2, 2, 2)])
    def test_x_must_be_one_input_or_a_batch(self, shape):
        with pytest.raises(ValueError, match=re.escape(f"got shape {shape}")):
            v.check_dense_shapes(np.ones(shape), np.ones((4, 2)), np.ones(4))

    @pytest.mark.parametrize("b_shape", [(3,), (), (4, 1), (1, 4)])
    def test_bias_must_have_one_entry_per_neuron(self, b_shape):
        with pytest.raises(ValueError, match=r"b needs shape \(4,\), one bias per neuron"):
            v.check_dense_shapes(np.ones(2), np.ones((4, 2)), np.ones(b_shape))


def test_check_layer_chain():
    v.check_layer_chain([(3, 2), (1, 3)])
    v.check_layer_chain([(3, 2)])
    with pytest.raises(ValueError, match=r"layer 3 expects 4 inputs .* layer 2 gives 1 outputs"):
        v.check_layer_chain([(3, 2), (1, 3), (5, 4)])


def test_check_same_dtype():
    assert v.check_same_dtype([np.dtype("float32")] * 2) == np.float32
    with pytest.raises(ValueError, match="mix dtypes float32 and float64"):
        v.check_same_dtype([np.dtype("float64"), np.dtype("float32")])


class TestDtypeName:
    @pytest.mark.parametrize("dtype", ["float32", np.float32, np.dtype("float32")])
    def test_accepts_names_types_and_dtypes(self, dtype):
        assert v.check_dtype_name(dtype) == np.float32

    @pytest.mark.parametrize("dtype", ["float16", "int8", "f8x", np.int64])
    def test_unknown_dtype_lists_the_known_ones(self, dtype):
        with pytest.raises(ValueError, match="known dtypes: float32, float64"):
            v.check_dtype_name(dtype)

    def test_other_known_lists(self):
        assert v.check_dtype_name("float16", ["float16", "float32"]) == np.float16

    def test_not_a_dtype_at_all_is_a_type_error(self):
        with pytest.raises(TypeError, match="dtype must be a name such as 'float32'"):
            v.check_dtype_name(object())


class TestPositiveInt:
    @pytest.mark.parametrize("n", [1, 784, np.int64(3)])
    def test_accepts_whole_numbers(self, n):
        assert v.check_positive_int(n, "n") == int(n)
        assert type(v.check_positive_int(n, "n")) is int

    @pytest.mark.parametrize("n", [2.0, "3", True, None])
    def test_rejects_other_types(self, n):
        with pytest.raises(TypeError, match="n must be a whole number"):
            v.check_positive_int(n, "n")

    @pytest.mark.parametrize("n", [0, -3])
    def test_rejects_zero_and_negatives(self, n):
        with pytest.raises(ValueError, match=f"n must be at least 1; got {n}"):
            v.check_positive_int(n, "n")


class TestLayerSizes:
    def test_returns_a_list_of_ints(self):
        assert v.check_layer_sizes(np.array([4, 3, 10])) == [4, 3, 10]

    @pytest.mark.parametrize("sizes", [[], [784]])
    def test_needs_two_sizes(self, sizes):
        with pytest.raises(ValueError, match="at least two layer sizes"):
            v.check_layer_sizes(sizes)

    def test_names_the_bad_size(self):
        with pytest.raises(ValueError, match=r"sizes\[1\] must be at least 1"):
            v.check_layer_sizes([4, 0, 2])

    @pytest.mark.parametrize("sizes", ["784", 784, None])
    def test_not_a_list(self, sizes):
        with pytest.raises(TypeError, match="sizes must be a list"):
            v.check_layer_sizes(sizes)


class TestKnownName:
    def test_known_name_returns_it(self):
        assert v.check_known_name("tanh", {"tanh"}, "activation") == "tanh"

    def test_unknown_name_lists_all_known(self):
        with pytest.raises(ValueError) as info:
            v.check_known_name("xyz", ["b", "a"], "thing")
        assert str(info.value) == "unknown thing 'xyz'; known things: a, b."

    def test_suggests_a_close_name(self):
        with pytest.raises(ValueError, match="did you mean 'sigmoid'"):
            v.check_known_name("sigmod", ["sigmoid", "relu"], "activation")

    def test_not_a_string(self):
        with pytest.raises(TypeError, match="activation must be a name"):
            v.check_known_name(3, ["relu"], "activation")


def test_check_callable():
    assert v.check_callable(len, "f") is len
    with pytest.raises(TypeError, match="got str 'x'"):
        v.check_callable("x", "activation")


def test_check_layer_item():
    assert v.check_layer_item(([[1.0]], [0.0]), 1)[2] is None
    assert v.check_layer_item(([[1.0]], [0.0], "relu"), 1)[2] == "relu"
    with pytest.raises(TypeError, match=r"layer 3 must be a Dense layer or a tuple"):
        v.check_layer_item((1, 2, 3, 4), 3)
