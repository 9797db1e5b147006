"""Dense layers, the dense function, collapsing linear layers and the XOR network."""

import itertools

import numpy as np
import pytest

import nnkit
from nnkit.activations import relu, sigmoid
from nnkit.layers import Dense, collapse_linear, dense, initial_weight_scale, xor_network

W = [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]]
B = [0.1, -0.2, 0.0]


class TestDense:
    def test_single_input(self):
        out = Dense(W, B, "relu")([1.0, 2.0])
        assert out.shape == (3,)
        np.testing.assert_allclose(out, [0.1, 0.8, 0.7])

    def test_batch_rows_are_examples(self):
        X = np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 3.0]])
        layer = Dense(W, B, "sigmoid")
        out = layer(X)
        assert out.shape == (3, 3)
        for row, x in zip(out, X, strict=True):
            np.testing.assert_allclose(row, layer(x))

    def test_linear_is_w_x_plus_b(self):
        x = np.array([1.0, 2.0])
        np.testing.assert_allclose(Dense(W, B).linear(x), np.array(W) @ x + np.array(B))

    def test_attributes(self):
        layer = Dense(W, B, sigmoid)
        assert (layer.n_in, layer.n_out, layer.n_params) == (2, 3, 9)
        assert layer.activation is sigmoid and layer.activation_name == "sigmoid"
        assert [p.shape for p in layer.parameters()] == [(3, 2), (3,)]
        assert layer.dtype == np.float64

    def test_no_activation_is_linear(self):
        layer = Dense(W, B)
        assert layer.activation_name == "linear"
        np.testing.assert_allclose(layer([1.0, 2.0]), layer.linear([1.0, 2.0]))

    def test_keeps_its_own_copy(self):
        weights, bias = np.array(W), np.array(B)
        layer = Dense(weights, bias)
        weights[0, 0], bias[0] = 10.0, 10.0
        assert layer.W[0, 0] == 0.2 and layer.b[0] == 0.1

    def test_changes_through_the_layer_take_effect(self):
        layer = Dense(W, B)
        layer.W[0, 0] = 1.2  # in place: W is a view of what the layer computes with
        layer.b[0] = 0.0
        assert layer([1.0, 0.0])[0] == pytest.approx(1.2)
        layer.W = np.zeros((3, 2))
        assert layer([1.0, 2.0]).tolist() == [0.0, -0.2, 0.0]
        assert layer.W.shape == (3, 2) and layer.n_in == 2 and layer.n_out == 3

    def test_assigning_an_activation_by_name(self):
        layer = Dense(W, B)
        layer.activation = "relu"
        assert layer.activation is relu and layer.activation_name == "relu"
        assert repr(layer) == "Dense(2 → 3, relu)"
        with pytest.raises(ValueError, match="unknown activation"):
            layer.activation = "rleu"

    def test_assigning_weights_is_checked(self):
        layer = Dense(W, B)
        with pytest.raises(ValueError, match=r"b has shape \(3,\), but W has 2 rows"):
            layer.W = np.zeros((2, 2))
        with pytest.raises(ValueError, match="W must be a 2-D array"):
            layer.W = [1.0, 2.0]
        layer.W = np.ones((3, 2), dtype=np.float32)  # converted to the layer's dtype
        assert layer.W.dtype == np.float64
        with pytest.raises(ValueError, match=r"b has shape \(1,\), but W has 3 rows"):
            layer.b = [0.5]
        layer.b = [1, 2, 3]
        assert layer.b.tolist() == [1.0, 2.0, 3.0] and layer.b.dtype == np.float64

    def test_repr(self):
        assert repr(Dense(W, B, "relu")) == "Dense(2 → 3, relu)"
        assert repr(Dense(W, B)) == "Dense(2 → 3, linear)"

        def custom(z):
            return z

        assert repr(Dense(W, B, custom)) == "Dense(2 → 3, custom)"

    def test_float32_stays_float32(self):
        layer = Dense(np.array(W, np.float32), B, "relu")
        assert layer.b.dtype == np.float32
        assert layer([1.0, 2.0]).dtype == np.float32  # the list input is converted
        assert layer(np.ones((4, 2))).dtype == np.float32

    def test_wrong_feature_count_names_both_shapes(self):
        with pytest.raises(ValueError) as info:
            Dense(np.ones((4, 2)), np.zeros(4))([1.0, 2.0, 3.0])
        assert str(info.value) == "x has 3 features, but W expects 2 (W.shape=(4, 2))."

    def test_bad_bias(self):
        with pytest.raises(ValueError, match=r"b has shape \(2,\), but W has 3 rows"):
            Dense(W, [0.0, 0.0])
        with pytest.raises(ValueError, match=r"b has shape \(\)"):
            Dense([[1.0, 2.0]], 0.5)

    def test_bad_weights_and_types(self):
        with pytest.raises(ValueError, match="W must be a 2-D array"):
            Dense([1.0, 2.0], [0.0])
        with pytest.raises(TypeError, match="W must be"):
            Dense("weights", [0.0])
        with pytest.raises(ValueError, match="unknown activation 'rlu'"):
            Dense(W, B, "rlu")


class TestRandom:
    def test_shapes_dtype_and_zero_bias(self, float_dtype):
        layer = Dense.random(5, 3, "relu", rng=0, dtype=float_dtype.name)
        assert layer.W.shape == (3, 5) and layer.W.dtype == float_dtype
        assert layer.b.tolist() == [0.0, 0.0, 0.0] and layer.b.dtype == float_dtype

    def test_seeded_and_generator(self):
        np.testing.assert_array_equal(Dense.random(4, 3, rng=7).W, Dense.random(4, 3, rng=7).W)
        generator = np.random.default_rng(7)
        np.testing.assert_array_equal(Dense.random(4, 3, rng=generator).W,
                                      Dense.random(4, 3, rng=7).W)
        assert not np.array_equal(Dense.random(4, 3, rng=1).W, Dense.random(4, 3, rng=2).W)

    def test_float32_weights_are_the_float64_ones_rounded(self):
        w64 = Dense.random(6, 4, rng=3).W
        w32 = Dense.random(6, 4, rng=3, dtype="float32").W
        np.testing.assert_array_equal(w32, w64.astype(np.float32))

    @pytest.mark.parametrize(
        ("activation", "expected"),
        [("relu", np.sqrt(2 / 400)), ("gelu", np.sqrt(2 / 400)), ("leaky_relu", np.sqrt(2 / 400)),
         ("tanh", np.sqrt(2 / 600)), (None, np.sqrt(2 / 600)), ("sigmoid", np.sqrt(2 / 600))],
    )
    def test_he_for_relu_family_glorot_otherwise(self, activation, expected):
        assert initial_weight_scale(400, 200, activation) == pytest.approx(expected)
        layer = Dense.random(400, 200, activation, rng=0)
        assert layer.W.std() == pytest.approx(expected, rel=0.02)

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="n_out must be at least 1"):
            Dense.random(3, 0)
        with pytest.raises(TypeError, match="n_in must be a whole number"):
            Dense.random(3.5, 2)
        with pytest.raises(ValueError, match="unknown dtype 'float16'"):
            Dense.random(3, 2, dtype="float16")


class TestDenseFunction:
    def test_single_and_batch(self):
        np.testing.assert_allclose(dense([1.0, 2.0], W, B, relu), [0.1, 0.8, 0.7])
        out = dense([[1.0, 2.0], [1.0, 2.0]], W, B, "relu")
        assert out.shape == (2, 3)
        np.testing.assert_allclose(out[1], [0.1, 0.8, 0.7])

    def test_none_is_identity(self):
        np.testing.assert_allclose(dense([-1.0, 0.0], W, B), [-0.1, -0.6, 0.5])

    def test_shape_errors_name_the_shapes(self):
        with pytest.raises(ValueError, match=r"x has 3 features \(x.shape=\(2, 3\)\)"):
            dense(np.ones((2, 3)), W, B)
        with pytest.raises(ValueError, match=r"W.shape=\(3, 2\)"):
            dense([1.0, 2.0], W, [0.0])


class TestCollapse:
    def test_equals_two_layers(self, rng):
        W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
        W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
        W_, b_ = collapse_linear(W1, b1, W2, b2)
        assert W_.shape == (2, 3) and b_.shape == (2,)
        x = rng.normal(size=(5, 3))
        np.testing.assert_allclose(dense(x, W_, b_), dense(dense(x, W1, b1), W2, b2))

    def test_mismatch_names_both_layers(self):
        with pytest.raises(ValueError, match=r"layer 2 expects 3 inputs .*W.shape=\(4, 2\)"):
            collapse_linear(np.ones((4, 2)), np.ones(4), np.ones((1, 3)), np.ones(1))
        with pytest.raises(ValueError, match="b needs shape"):
            collapse_linear(np.ones((4, 2)), np.ones(3), np.ones((1, 4)), np.ones(1))


def test_xor_network():
    (W1, b1), (W2, b2) = xor_network()
    assert W1.shape == (2, 2) and b1.shape == (2,) and W2.shape == (1, 2) and b2.shape == (1,)
    for x in itertools.product([0, 1], repeat=2):
        hidden = dense(x, W1, b1, relu)
        assert float(dense(hidden, W2, b2)[0]) == float(x[0] ^ x[1])


def test_exported_from_nnkit():
    assert nnkit.Dense is Dense and nnkit.dense is dense
    assert nnkit.collapse_linear is collapse_linear and nnkit.xor_network is xor_network
