"""nnkit: how a neural network computes, one small readable module per lesson.

The concepts, in the order the lessons teach them: ``neuron`` (lesson 1),
``activations`` (2), ``layers`` (3), ``network`` (4), ``approximation`` (5)
and ``counting`` (6); ``examples`` holds the lessons' worked examples. Their
functions are available here under their own names (the function ``neuron``
stays in its module: ``from nnkit.neuron import neuron``). Figures and
explorers are in ``nnkit.explore``, the exercises' tutor in ``nnkit.tutor``;
``import nnkit`` needs only NumPy.

>>> import nnkit
>>> nnkit.mlp_params([784, 256, 128, 10])
235146
"""

__version__ = "0.1.0"

from nnkit import _moved
from nnkit.activations import (
    ACTIVATIONS,
    Activation,
    activation_name,
    gelu,
    gelu_derivative,
    get_activation,
    leaky_relu,
    leaky_relu_derivative,
    linear,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    silu,
    silu_derivative,
    softmax,
    softmax_jacobian,
    step,
    step_derivative,
    swish,
    tanh,
    tanh_derivative,
)
from nnkit.approximation import approximate, relu_hat, sigmoid_bump
from nnkit.counting import (
    bert_params,
    dense_params,
    gpt2_params,
    human_bytes,
    memory_bytes,
    mlp_params,
)
from nnkit.layers import Dense, collapse_linear, dense, xor_network
from nnkit.network import LayerStep, Network, forward, forward_trace, predict
from nnkit.neuron import Neuron, and_gate, or_gate, weighted_sum

# Exercise notebooks already handed out import ``nnkit.checking``, ``nnkit.widgets``...:
# those names lead to the modules' new places, imported only when asked for.
_moved.install()


def __getattr__(name):
    if f"nnkit.{name}" in _moved.MOVED:
        import importlib

        return importlib.import_module(f"nnkit.{name}")
    raise AttributeError(f"module 'nnkit' has no attribute {name!r}")
