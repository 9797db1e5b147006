"""The weighted sum, the neuron function, the Neuron class and the logic gates."""

import itertools

import numpy as np
import pytest

import nnkit
from nnkit.activations import relu, sigmoid, step
from nnkit.neuron import Neuron, and_gate, neuron, or_gate, weighted_sum

CORNERS = list(itertools.product([0, 1], repeat=2))


class TestWeightedSum:
    def test_single_input_gives_a_python_float(self):
        z = weighted_sum([2, 3, -1], [0.5, -0.2, 0.8], 0.1)
        assert type(z) is float
        assert z == pytest.approx(-0.3)

    def test_batch_gives_one_sum_per_row(self):
        z = weighted_sum(np.array([[2, 3, -1], [0, 0, 0]]), [0.5, -0.2, 0.8], 0.1)
        np.testing.assert_allclose(z, [-0.3, 0.1])

    def test_length_mismatch_names_both(self):
        with pytest.raises(ValueError, match=r"x has 3 entries but w has 2.*x.shape=\(3,\)"):
            weighted_sum([1, 2, 3], [1, 2], 0.0)

    def test_bias_must_be_a_number(self):
        with pytest.raises(ValueError, match="b must be a single number"):
            weighted_sum([1, 2], [1, 2], [0.0, 1.0])
        with pytest.raises(TypeError, match="b must be"):
            weighted_sum([1, 2], [1, 2], "zero")

    def test_weights_must_be_a_vector(self):
        with pytest.raises(ValueError, match="w must be a 1-D vector"):
            weighted_sum([1, 2], [[1, 2]], 0.0)

    def test_input_must_be_one_input_or_a_batch(self):
        with pytest.raises(ValueError, match="x must be one input"):
            weighted_sum(np.ones((2, 2, 2)), [1, 2], 0.0)

    def test_wrong_type_of_input(self):
        with pytest.raises(TypeError, match="x must be"):
            weighted_sum("12", [1, 2], 0.0)

    def test_nan_propagates(self):
        assert np.isnan(weighted_sum([np.nan, 1.0], [1.0, 1.0], 0.0))


class TestNeuronFunction:
    def test_callable_name_or_none(self):
        x, w, b = [2, 3, -1], [0.5, -0.2, 0.8], 0.1
        assert float(neuron(x, w, b, relu)) == 0.0
        assert float(neuron(x, w, b, "relu")) == 0.0
        assert float(neuron(x, w, b, None)) == pytest.approx(-0.3)
        assert float(neuron(x, w, b, sigmoid)) == pytest.approx(1 / (1 + np.exp(0.3)))

    def test_student_style_callable(self):
        assert neuron([1.0], [2.0], 0.0, lambda z: z * 10) == pytest.approx(20.0)

    def test_unknown_activation(self):
        with pytest.raises(ValueError, match="unknown activation 'sigmiod'"):
            neuron([1.0], [1.0], 0.0, "sigmiod")


class TestNeuronClass:
    def test_call_single_and_batch(self):
        n = Neuron([0.7, 0.3], -4.0)
        assert float(n([6, 8])) == pytest.approx(sigmoid(2.6))
        np.testing.assert_allclose(n([[6, 8], [0, 0]]), sigmoid(np.array([2.6, -4.0])))

    def test_attributes(self):
        n = Neuron([1, 2, 3], 0.5, activation="tanh")
        assert n.w.dtype == np.float64 and n.w.tolist() == [1.0, 2.0, 3.0]
        assert n.b == 0.5
        assert n.activation is nnkit.tanh and n.activation_name == "tanh"
        assert n.n_params == 4
        assert len(n.parameters()) == 2

    def test_repr_reads_like_the_diagram(self):
        assert repr(Neuron([1, 2, 3], 0.0, "relu")) == "Neuron(3 → 1, relu)"
        assert repr(Neuron([1], 0.0, None)) == "Neuron(1 → 1, linear)"

    def test_bad_parameters(self):
        with pytest.raises(ValueError, match="w must be a 1-D vector"):
            Neuron(1.0, 0.0)
        with pytest.raises(ValueError, match="b must be a single number"):
            Neuron([1.0], [0.0])
        with pytest.raises(TypeError, match="activation must be a function"):
            Neuron([1.0], 0.0, activation=1)


@pytest.mark.parametrize(
    ("gate", "truth"), [(and_gate, lambda a, b: a and b), (or_gate, lambda a, b: a or b)]
)
def test_gates(gate, truth):
    w, b = gate()
    assert len(w) == 2
    for x in CORNERS:
        assert float(step(weighted_sum(x, w, b))) == float(truth(*x))


def test_exported_from_nnkit():
    assert nnkit.weighted_sum is weighted_sum
    import nnkit.neuron as module

    assert nnkit.neuron is module and module.neuron is neuron  # no name clash: one place each
    assert nnkit.Neuron is Neuron
    assert nnkit.and_gate is and_gate and nnkit.or_gate is or_gate
