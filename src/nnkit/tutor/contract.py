"""The exercise contract as data: the six assignments and the functions each grades.

Lessons, exercises, the checks and the grading tools all name assignments by
these ids, in this (teaching) order:

>>> from nnkit.tutor.contract import ASSIGNMENTS
>>> list(ASSIGNMENTS)[:2]
['01-neuron', '02-activations']
>>> ASSIGNMENTS["03-layers"]
('dense', 'collapse_linear', 'xor_network')
"""

ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    "01-neuron": ("weighted_sum", "neuron", "and_gate", "or_gate"),
    "02-activations": (
        "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax",
        "sigmoid_derivative", "relu_derivative",
    ),
    "03-layers": ("dense", "collapse_linear", "xor_network"),
    "04-forward-pass": ("forward", "forward_trace", "predict"),
    "05-universal-approximation": ("sigmoid_bump", "relu_hat", "approximate"),
    "06-parameter-counting": ("dense_params", "mlp_params", "memory_bytes", "gpt2_params"),
}
"""The graded functions of each exercise, by assignment id."""

ASSIGNMENT_IDS: tuple[str, ...] = tuple(ASSIGNMENTS)
"""The assignment ids in teaching order; lesson N and exercise N share id N."""
