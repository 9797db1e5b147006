"""nnkit: how a neural network computes, one small readable module per lesson.

The functions the exercises ask for are available here under the same names,
so lessons, tests and tools share one implementation:

>>> import nnkit
>>> nnkit.mlp_params([784, 256, 128, 10])
235146
"""

__version__ = "0.1.0"

# activations (lesson 2)
# Old import paths (``nnkit.checking``, ``nnkit.widgets``, ...) of notebooks
# already handed out: found at their new places, imported only when asked for.
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

# approximation (lesson 5)
from nnkit.approximation import approximate, relu_hat, sigmoid_bump

# counting (lesson 6)
from nnkit.counting import (
    bert_params,
    dense_params,
    gpt2_params,
    human_bytes,
    memory_bytes,
    mlp_params,
)

# layers (lesson 3)
from nnkit.layers import Dense, collapse_linear, dense, xor_network

# network (lesson 4)
from nnkit.network import LayerStep, Network, forward, forward_trace, predict

# neuron (lesson 1); ``nnkit.neuron`` is the function, and the module is still
# importable by name: ``from nnkit.neuron import Neuron``
from nnkit.neuron import Neuron, and_gate, neuron, or_gate, weighted_sum

_moved.install()


def __getattr__(name):
    if f"nnkit.{name}" in _moved.MOVED:
        import importlib

        return importlib.import_module(f"nnkit.{name}")
    raise AttributeError(f"module 'nnkit' has no attribute {name!r}")
