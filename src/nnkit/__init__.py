"""nnkit: how a neural network computes, one small readable module per lesson.

The functions the exercises ask for are available here under the same names,
so lessons, tests and tools share one implementation:

>>> import nnkit
>>> nnkit.mlp_params([784, 256, 128, 10])
235146
"""

__version__ = "0.1.0"

# activations (lesson 2)

# neuron (lesson 1)

# layers (lesson 3)

# network (lesson 4)

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
