"""The course's worked examples, written down once.

Lessons, exercises and tests take these numbers from here rather than typing
them again. Inputs and weights are tuples (they cannot be changed by
accident); the functions build fresh ``Neuron``, ``Network`` or arrays from
them. The expected results are the ones the lessons print, rounded as there.

>>> from nnkit import examples
>>> float(examples.single_neuron()(examples.SINGLE_NEURON_X))
0.0
>>> examples.digit_network()
Network(4 → 3 → 3 → 10) of [Dense(4 → 3, relu), Dense(3 → 3, relu), Dense(3 → 10, softmax)]
"""

from __future__ import annotations

import numpy as np

from nnkit.layers import Dense
from nnkit.network import Network
from nnkit.neuron import Neuron

# ----------------------------------------------------- lesson 1: one neuron

SINGLE_NEURON_X = (2.0, 3.0, -1.0)
SINGLE_NEURON_W = (0.5, -0.2, 0.8)
SINGLE_NEURON_B = 0.1
SINGLE_NEURON_Z = -0.3  # 1.0 − 0.6 − 0.8 + 0.1
SINGLE_NEURON_RELU = 0.0


def single_neuron() -> Neuron:
    """The first neuron of lesson 1, with a ReLU: z = −0.3, output 0.

    >>> float(single_neuron()(SINGLE_NEURON_X))
    0.0
    """
    return Neuron(SINGLE_NEURON_W, SINGLE_NEURON_B, activation="relu")


# The exam neuron: will a student pass, from hours studied and hours slept?
EXAM_W = (0.7, 0.3)
EXAM_B = -4.0
EXAM_X = (6.0, 8.0)  # 6 hours of study, 8 hours of sleep
EXAM_Z = 2.6  # 4.2 + 2.4 − 4
EXAM_PROBABILITY = 0.93  # sigmoid(2.6) = 0.9309...


def exam_neuron() -> Neuron:
    """The exam neuron of lesson 1: ``sigmoid(0.7·study + 0.3·sleep − 4)``.

    >>> round(float(exam_neuron()(EXAM_X)), 2)
    0.93
    """
    return Neuron(EXAM_W, EXAM_B, activation="sigmoid")


# --------------------------------------- lesson 3: a layer, depth, collapse

TINY_X = (1.0, 2.0)
TINY_W1 = ((0.2, -0.1), (0.4, 0.3), (-0.5, 0.6))
TINY_B1 = (0.1, -0.2, 0.0)
TINY_W2 = ((0.7, -0.3, 0.5),)
TINY_B2 = (0.1,)
TINY_HIDDEN = (0.1, 0.8, 0.7)
TINY_OUTPUT = 0.28


def tiny_network() -> Network:
    """The 2-3-1 network: ReLU hidden layer, linear output.

    >>> steps = tiny_network().trace(TINY_X)
    >>> np.round(steps[1].a, 3).tolist(), np.round(steps[2].a, 3).tolist()
    ([0.1, 0.8, 0.7], [0.28])
    """
    return Network([Dense(TINY_W1, TINY_B1, "relu"), Dense(TINY_W2, TINY_B2)])


COLLAPSE_W1 = ((1.0, 2.0), (3.0, 4.0))
COLLAPSE_W2 = ((0.5, -1.0), (1.5, 0.5))
COLLAPSE_X = (1.0, 1.0)
COLLAPSE_W = ((-2.5, -3.0), (3.0, 5.0))  # W2 @ W1
COLLAPSE_Y = (-5.5, 8.0)


def linear_collapse() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two linear layers without biases, ``(W1, b1, W2, b2)``, that collapse into one.

    >>> from nnkit.layers import collapse_linear
    >>> W, b = collapse_linear(*linear_collapse())
    >>> W.tolist(), (W @ COLLAPSE_X + b).tolist()
    ([[-2.5, -3.0], [3.0, 5.0]], [-5.5, 8.0])
    """
    return (np.array(COLLAPSE_W1), np.zeros(2), np.array(COLLAPSE_W2), np.zeros(2))


# ------------------------------------- lesson 4: the 4 → 3 → 3 → 10 digit network

DIGIT_X = (0.2, 0.8, 0.1, 0.9)
DIGIT_W1 = (
    (0.5, -0.3, 0.7, 0.1),
    (-0.2, 0.8, -0.1, 0.4),
    (0.3, -0.5, 0.6, -0.2),
)
DIGIT_B1 = (0.1, -0.2, 0.05)
DIGIT_Z1 = (0.12, 0.75, -0.41)  # what these weights really give
DIGIT_H1 = (0.12, 0.75, 0.0)
# A version of this example printed in a tutorial gives these values, which the
# weights above do not give; the lesson shows them next to the true ones.
DIGIT_Z1_MISPRINTED = (0.30, 0.60, 0.03)

DIGIT_W2 = (
    (0.6, -0.4, 0.2),
    (-0.3, 0.9, 0.5),
    (0.4, 0.2, -0.7),
)
DIGIT_B2 = (0.0, 0.1, -0.1)
DIGIT_W3 = (
    (0.2, 0.1, -0.3),
    (-0.1, -0.2, 0.4),
    (0.3, 0.3, 0.1),
    (0.1, 0.9, -0.2),
    (-0.4, -0.4, 0.5),
    (0.5, 0.2, 0.3),
    (0.0, 0.0, 0.2),
    (-0.2, 0.5, 0.6),
    (0.4, -0.1, -0.5),
    (-0.3, 0.4, 0.1),
)
DIGIT_B3 = (0.0, 0.0, 0.1, 0.0, -0.1, 0.0, 0.0, 0.1, 0.0, 0.0)
DIGIT_Z2 = (-0.228, 0.739, 0.098)
DIGIT_H2 = (0.0, 0.739, 0.098)
DIGIT_PREDICTION = 3  # an untrained network: the scores are close together


def digit_network() -> Network:
    """The 4 → 3 → 3 → 10 network of lesson 4: ReLU, ReLU, softmax over ten digits.

    >>> steps = digit_network().trace(DIGIT_X)
    >>> np.round(steps[1].z, 2).tolist(), np.round(steps[1].a, 2).tolist()
    ([0.12, 0.75, -0.41], [0.12, 0.75, 0.0])
    >>> digit_network().predict(DIGIT_X)
    3
    """
    return Network(
        [
            Dense(DIGIT_W1, DIGIT_B1, "relu"),
            Dense(DIGIT_W2, DIGIT_B2, "relu"),
            Dense(DIGIT_W3, DIGIT_B3, "softmax"),
        ]
    )


# ------------------------------------ lessons 4 and 6: a real digit classifier

MNIST_MLP_SIZES = (784, 256, 128, 10)
MNIST_MLP_LAYER_PARAMS = (200_960, 32_896, 1_290)  # 784·256 + 256, 256·128 + 128, 128·10 + 10
MNIST_MLP_PARAMS = 235_146


def mnist_mlp(seed=0, dtype="float64") -> Network:
    """The 784 → 256 → 128 → 10 classifier for 28×28 images, with seeded random weights.

    >>> net = mnist_mlp()
    >>> [layer.n_params for layer in net.layers], net.n_params
    ([200960, 32896, 1290], 235146)
    """
    return Network.from_sizes(
        MNIST_MLP_SIZES, activation="relu", output="softmax", seed=seed, dtype=dtype
    )


# ------------------------------- lesson 4: a trained classifier on two moons

TWO_MOONS_FILE = "data/two_moons.npz"  # written by scripts/train_two_moons.py


def two_moons_network() -> tuple[Network, np.ndarray, np.ndarray]:
    """The small trained classifier of lesson 4, and the points it was trained on.

    A 2 → 16 → 16 → 2 network (ReLU hidden layers, softmax output) trained once
    by ``scripts/train_two_moons.py`` on two interleaving half circles ("two
    moons"). Returns ``(network, points, labels)``: the points as a ``(200, 2)``
    array and their classes, 0 or 1, as a ``(200,)`` integer array.

    >>> network, points, labels = two_moons_network()
    >>> network.sizes, points.shape, labels.shape
    ([2, 16, 16, 2], (200, 2), (200,))
    >>> float(np.mean(network.predict(points) == labels))
    0.99
    """
    from importlib import resources

    with resources.files("nnkit").joinpath(TWO_MOONS_FILE).open("rb") as handle:
        data = dict(np.load(handle))
    network = Network(
        [
            Dense(data["W1"], data["b1"], "relu"),
            Dense(data["W2"], data["b2"], "relu"),
            Dense(data["W3"], data["b3"], "softmax"),
        ]
    )
    return network, data["X"], data["y"]
