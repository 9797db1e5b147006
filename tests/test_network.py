"""The sequential Network and the forward / forward_trace / predict functions."""

import numpy as np
import pytest

import nnkit
from nnkit.activations import ACTIVATIONS, relu
from nnkit.layers import Dense
from nnkit.network import LayerStep, Network, forward, forward_trace, predict

TINY = [
    ([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], [0.1, -0.2, 0.0], "relu"),
    ([[0.7, -0.3, 0.5]], [0.1], None),
]


@pytest.fixture
def net():
    return Network.from_sizes([4, 5, 3], activation="tanh", output="softmax", seed=1)


class TestForward:
    def test_tiny_network(self):
        np.testing.assert_allclose(Network(TINY)([1.0, 2.0]), [0.28])

    def test_equals_the_layers_one_after_another(self, net, rng):
        x = rng.normal(size=(6, 4))
        expected = x
        for layer in net.layers:
            expected = layer(expected)
        np.testing.assert_allclose(net.forward(x), expected, rtol=1e-14)

    def test_batch_rows_equal_single_inputs(self, net, rng):
        X = rng.normal(size=(3, 4))
        np.testing.assert_allclose(net(X), np.stack([net(x) for x in X]), rtol=1e-14)

    def test_input_is_left_alone(self, net):
        x = np.array([1.0, -2.0, 3.0, 0.5])
        before = x.copy()
        net(x)
        np.testing.assert_array_equal(x, before)

    def test_parameters_are_left_alone(self):
        network = Network.from_sizes([3, 4, 2], seed=0)
        before = [p.copy() for p in network.parameters()]
        network(np.ones((5, 3)))
        network.trace(np.ones(3))
        for p, q in zip(network.parameters(), before, strict=True):
            np.testing.assert_array_equal(p, q)

    def test_custom_activation(self):
        network = Network([Dense(np.eye(2), np.zeros(2), lambda z: z * 10)])
        assert network([1.0, 2.0]).tolist() == [10.0, 20.0]

    def test_wrong_input_width_names_both_shapes(self, net):
        with pytest.raises(ValueError) as info:
            net(np.ones((2, 3)))
        assert "x has 3 features (x.shape=(2, 3)), but W expects 4 (W.shape=(5, 4))" in str(
            info.value
        )

    def test_wrong_input_type(self, net):
        with pytest.raises(TypeError, match="x must be"):
            net("four")

    def test_nan_propagates(self, net):
        out = net([np.nan, 0.0, 0.0, 0.0])
        assert np.isnan(out).all()


class TestDtype:
    @pytest.mark.parametrize("activation", [n for n in ACTIVATIONS if n != "softmax"])
    @pytest.mark.parametrize("output", [None, "softmax", "sigmoid"])
    def test_float32_stays_float32_through_every_layer(self, activation, output):
        network = Network.from_sizes([3, 4, 4, 2], activation, output, dtype="float32")
        assert network.dtype == np.float32
        for x in ([0.5, -1.0, 2.0], np.ones((5, 3), dtype=np.float64)):
            assert network(x).dtype == np.float32
            assert all(step.a.dtype == np.float32 for step in network.trace(x))
            assert all(step.z.dtype == np.float32 for step in network.trace(x)[1:])

    def test_float32_close_to_float64(self):
        x = np.linspace(-1, 1, 12).reshape(3, 4)
        out64 = Network.from_sizes([4, 8, 3], output="softmax")(x)
        out32 = Network.from_sizes([4, 8, 3], output="softmax", dtype="float32")(x)
        np.testing.assert_allclose(out32, out64, rtol=1e-5)

    def test_float64_network_turns_float32_input_into_float64(self):
        network = Network.from_sizes([2, 2])
        assert network(np.ones(2, np.float32)).dtype == np.float64

    def test_mixed_dtypes_are_refused(self):
        with pytest.raises(ValueError, match="mix dtypes float32 and float64"):
            Network([Dense.random(2, 3, dtype="float32"), Dense.random(3, 1)])


class TestTrace:
    def test_steps(self):
        steps = Network(TINY).trace([1.0, 2.0])
        assert [step.index for step in steps] == [0, 1, 2]
        assert all(isinstance(step, LayerStep) for step in steps)
        assert steps[0].layer is None and steps[0].z is None
        assert steps[0].a.tolist() == [1.0, 2.0]
        np.testing.assert_allclose(steps[1].z, [0.1, 0.8, 0.7])
        np.testing.assert_allclose(steps[1].a, relu(steps[1].z))
        np.testing.assert_allclose(steps[2].a, [0.28])
        assert steps[2].layer.n_out == 1

    def test_pre_activations_are_kept_before_the_activation(self):
        network = Network([([[1.0]], [0.0], "relu")])
        steps = network.trace([-2.0])
        assert steps[1].z.tolist() == [-2.0] and steps[1].a.tolist() == [0.0]

    def test_last_step_equals_forward(self, net, rng):
        x = rng.normal(size=(4, 4))
        np.testing.assert_allclose(net.trace(x)[-1].a, net.forward(x))

    def test_bad_input(self, net):
        with pytest.raises(ValueError, match="x has 2 features"):
            net.trace([1.0, 2.0])


class TestPredict:
    def test_single_gives_int(self):
        network = Network([(np.eye(3), np.zeros(3))])
        result = network.predict([0.1, 0.9, 0.3])
        assert result == 1 and type(result) is int

    def test_batch_gives_int_array(self):
        network = Network([(np.eye(3), np.zeros(3))])
        result = network.predict([[0.1, 0.9, 0.3], [5.0, 0.0, 0.0]])
        assert result.shape == (2,) and result.dtype.kind == "i"
        assert result.tolist() == [1, 0]


class TestConstruction:
    def test_from_sizes(self):
        network = Network.from_sizes([784, 256, 128, 10])
        assert network.sizes == [784, 256, 128, 10]
        assert network.n_params == 235_146 == sum(p.size for p in network.parameters())
        assert [layer.activation_name for layer in network.layers] == ["relu", "relu", "linear"]
        assert all(not layer.b.any() for layer in network.layers)

    def test_from_sizes_is_seeded(self):
        a, b = Network.from_sizes([3, 4, 2], seed=5), Network.from_sizes([3, 4, 2], seed=5)
        for p, q in zip(a.parameters(), b.parameters(), strict=True):
            np.testing.assert_array_equal(p, q)
        c = Network.from_sizes([3, 4, 2], seed=6)
        assert not np.array_equal(a.layers[0].W, c.layers[0].W)

    def test_from_sizes_init_scales(self):
        network = Network.from_sizes([500, 400, 300], activation="relu", output="sigmoid")
        assert network.layers[0].W.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
        assert network.layers[1].W.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)

    def test_from_sizes_bad_arguments(self):
        with pytest.raises(ValueError, match="at least two layer sizes"):
            Network.from_sizes([3])
        with pytest.raises(ValueError, match="unknown dtype"):
            Network.from_sizes([3, 2], dtype="int8")
        with pytest.raises(ValueError, match="unknown activation"):
            Network.from_sizes([3, 4, 2], activation="rel")

    def test_layers_from_tuples_and_dense(self):
        network = Network([TINY[0], Dense(*TINY[1][:2])])
        assert all(isinstance(layer, Dense) for layer in network.layers)
        assert network.sizes == [2, 3, 1]
        pair = Network([(np.eye(2), np.zeros(2))])
        assert pair.layers[0].activation_name == "linear"

    def test_layer_chain_mismatch(self):
        with pytest.raises(ValueError, match=r"layer 2 expects 4 inputs .* layer 1 gives 3"):
            Network([Dense.random(2, 3), Dense.random(4, 1)])

    def test_empty_and_bad_items(self):
        with pytest.raises(ValueError, match="at least one layer"):
            Network([])
        with pytest.raises(TypeError, match="layer 2 must be a Dense layer or a tuple"):
            Network([Dense.random(2, 3), "relu"])

    def test_repr(self):
        expected = "Network(2 → 3 → 1) of [Dense(2 → 3, relu), Dense(3 → 1, linear)]"
        assert repr(Network(TINY)) == expected


class TestSummary:
    def test_prints_and_returns_the_same_table(self, capsys):
        text = Network.from_sizes([784, 256, 128, 10], output="softmax").summary()
        printed = capsys.readouterr().out
        assert printed == text + "\n"
        assert isinstance(text, str)
        lines = text.splitlines()
        assert lines[0] == "Network 784 → 256 → 128 → 10, float64"
        assert "Dense(784 → 256, relu)" in text and "200,960" in text
        assert "Dense(128 → 10, softmax)" in text and "(batch, 10)" in text
        assert "Total parameters: 235,146" in text
        assert lines[-1] == "Memory (float64, 8 bytes each): 1,881,168 bytes = 1.9 MB"

    def test_memory_follows_the_dtype(self, capsys):
        text = Network.from_sizes([2, 3, 1], dtype="float32").summary()
        assert text.splitlines()[-1] == "Memory (float32, 4 bytes each): 52 bytes = 52 B"

    def test_columns_line_up(self, capsys):
        text = Network.from_sizes([4, 3, 3, 10]).summary()
        table = text.splitlines()[1:-2]
        assert len({len(line) for line in table}) == 1

    def test_notebook_does_not_show_it_twice(self, capsys):
        text = Network.from_sizes([2, 1]).summary()
        assert text._ipython_display_() is None

    def test_large_sizes_in_decimal_units(self, capsys):
        text = Network([Dense(np.zeros((1000, 1000), np.float32), np.zeros(1000, np.float32))])
        assert "= 4.0 MB" in text.summary()


class TestFunctions:
    def test_forward(self):
        np.testing.assert_allclose(forward([1.0, 2.0], TINY), [0.28])
        out = forward(np.ones((5, 2)), TINY)
        assert out.shape == (5, 1)

    def test_forward_with_callables_and_dense(self):
        layers = [(np.array(TINY[0][0]), np.array(TINY[0][1]), relu), Dense(*TINY[1][:2])]
        np.testing.assert_allclose(forward([1.0, 2.0], layers), [0.28])

    def test_forward_of_no_layers_is_the_input(self):
        assert forward([1, 2], []).tolist() == [1.0, 2.0]

    def test_forward_trace(self):
        outputs = forward_trace([1.0, 2.0], TINY)
        assert len(outputs) == len(TINY) + 1
        assert all(isinstance(a, np.ndarray) for a in outputs)
        np.testing.assert_allclose(outputs[1], [0.1, 0.8, 0.7])
        np.testing.assert_allclose(outputs[2], [0.28])

    def test_functions_agree_with_network(self, net, rng):
        layers = [(layer.W, layer.b, layer.activation) for layer in net.layers]
        x = rng.normal(size=(3, 4))
        np.testing.assert_allclose(forward(x, layers), net(x))
        np.testing.assert_array_equal(predict(x, layers), net.predict(x))
        for a, step in zip(forward_trace(x, layers), net.trace(x), strict=True):
            np.testing.assert_allclose(a, step.a)

    def test_predict(self):
        layers = [(np.eye(2), np.zeros(2), None)]
        assert predict([0.0, 1.0], layers) == 1
        assert predict([[0.0, 1.0], [3.0, 1.0]], layers).tolist() == [1, 0]

    def test_errors(self):
        with pytest.raises(ValueError, match="x has 3 features"):
            forward([1.0, 2.0, 3.0], TINY)
        with pytest.raises(TypeError, match="layer 1 must be a Dense layer or a tuple"):
            forward([1.0], [np.eye(1)])


def test_exported_from_nnkit():
    assert nnkit.Network is Network and nnkit.LayerStep is LayerStep
    assert nnkit.forward is forward and nnkit.forward_trace is forward_trace
    assert nnkit.predict is predict
