"""The course's worked examples, computed through the public API."""

import numpy as np
import pytest

import nnkit
from nnkit import examples as ex


def test_single_neuron():
    z = nnkit.weighted_sum(ex.SINGLE_NEURON_X, ex.SINGLE_NEURON_W, ex.SINGLE_NEURON_B)
    assert z == pytest.approx(ex.SINGLE_NEURON_Z) == pytest.approx(-0.3)
    assert float(nnkit.relu(z)) == ex.SINGLE_NEURON_RELU == 0.0
    assert float(ex.single_neuron()(ex.SINGLE_NEURON_X)) == 0.0
    assert float(nnkit.neuron.neuron(ex.SINGLE_NEURON_X, ex.SINGLE_NEURON_W, ex.SINGLE_NEURON_B,
                                     nnkit.relu)) == 0.0


def test_exam_neuron():
    z = nnkit.weighted_sum(ex.EXAM_X, ex.EXAM_W, ex.EXAM_B)
    assert z == pytest.approx(ex.EXAM_Z) == pytest.approx(2.6)
    probability = float(ex.exam_neuron()(ex.EXAM_X))
    assert round(probability, 2) == ex.EXAM_PROBABILITY == 0.93
    assert probability == pytest.approx(1 / (1 + np.exp(-2.6)))


def test_tiny_network():
    x = ex.TINY_X
    hidden = nnkit.dense(x, ex.TINY_W1, ex.TINY_B1, nnkit.relu)
    np.testing.assert_allclose(hidden, ex.TINY_HIDDEN)
    np.testing.assert_allclose(hidden, [0.1, 0.8, 0.7])
    output = nnkit.dense(hidden, ex.TINY_W2, ex.TINY_B2)
    assert float(output[0]) == pytest.approx(ex.TINY_OUTPUT) == pytest.approx(0.28)
    network = ex.tiny_network()
    assert network.sizes == [2, 3, 1]
    assert float(network(x)[0]) == pytest.approx(0.28)
    layers = [(ex.TINY_W1, ex.TINY_B1, nnkit.relu), (ex.TINY_W2, ex.TINY_B2, None)]
    assert float(nnkit.forward(x, layers)[0]) == pytest.approx(0.28)


def test_linear_collapse():
    W1, b1, W2, b2 = ex.linear_collapse()
    W, b = nnkit.collapse_linear(W1, b1, W2, b2)
    np.testing.assert_allclose(W, ex.COLLAPSE_W)
    np.testing.assert_allclose(W, [[-2.5, -3.0], [3.0, 5.0]])
    y = nnkit.dense(ex.COLLAPSE_X, W, b)
    np.testing.assert_allclose(y, ex.COLLAPSE_Y)
    np.testing.assert_allclose(y, [-5.5, 8.0])
    two_layers = nnkit.dense(nnkit.dense(ex.COLLAPSE_X, W1, b1), W2, b2)
    np.testing.assert_allclose(two_layers, y)


class TestDigitNetwork:
    def test_first_layer_gives_the_true_numbers(self):
        z1 = nnkit.dense(ex.DIGIT_X, ex.DIGIT_W1, ex.DIGIT_B1)
        np.testing.assert_allclose(z1, ex.DIGIT_Z1, atol=1e-12)
        np.testing.assert_allclose(z1, [0.12, 0.75, -0.41], atol=1e-12)
        np.testing.assert_allclose(nnkit.relu(z1), [0.12, 0.75, 0.0], atol=1e-12)
        np.testing.assert_allclose(nnkit.relu(z1), ex.DIGIT_H1, atol=1e-12)

    def test_the_printed_numbers_are_wrong(self):
        z1 = nnkit.dense(ex.DIGIT_X, ex.DIGIT_W1, ex.DIGIT_B1)
        assert ex.DIGIT_Z1_MISPRINTED == (0.30, 0.60, 0.03)
        assert not np.allclose(z1, ex.DIGIT_Z1_MISPRINTED, atol=0.05)

    def test_whole_network(self):
        network = ex.digit_network()
        assert network.sizes == [4, 3, 3, 10]
        assert [layer.activation_name for layer in network.layers] == ["relu", "relu", "softmax"]
        steps = network.trace(ex.DIGIT_X)
        np.testing.assert_allclose(steps[1].z, ex.DIGIT_Z1, atol=1e-12)
        np.testing.assert_allclose(steps[2].z, ex.DIGIT_Z2, atol=1e-12)
        np.testing.assert_allclose(steps[2].a, ex.DIGIT_H2, atol=1e-12)
        probabilities = steps[3].a
        assert probabilities.shape == (10,)
        assert probabilities.sum() == pytest.approx(1.0)
        assert network.predict(ex.DIGIT_X) == ex.DIGIT_PREDICTION
        assert np.array(ex.DIGIT_W3).shape == (10, 3) and len(ex.DIGIT_B3) == 10

    def test_functions_agree_with_the_network(self):
        layers = [(layer.W, layer.b, layer.activation) for layer in ex.digit_network().layers]
        outputs = nnkit.forward_trace(ex.DIGIT_X, layers)
        np.testing.assert_allclose(outputs[1], ex.DIGIT_H1, atol=1e-12)
        assert nnkit.predict(ex.DIGIT_X, layers) == ex.DIGIT_PREDICTION


def test_mnist_mlp_sizes():
    network = ex.mnist_mlp()
    assert tuple(network.sizes) == ex.MNIST_MLP_SIZES == (784, 256, 128, 10)
    assert [layer.n_params for layer in network.layers] == list(ex.MNIST_MLP_LAYER_PARAMS)
    assert ex.MNIST_MLP_LAYER_PARAMS == (200_960, 32_896, 1_290)
    assert network.n_params == ex.MNIST_MLP_PARAMS == 235_146
    assert ex.mnist_mlp(dtype="float32")(np.zeros(784)).dtype == np.float32


def test_constructors_give_fresh_objects():
    a, b = ex.digit_network(), ex.digit_network()
    a.layers[0].W[0, 0] = 100.0
    assert b.layers[0].W[0, 0] == 0.5
    assert ex.DIGIT_W1[0][0] == 0.5
