"""A network: layers applied one after another, the forward pass (lesson 4).

The output of each layer is the input of the next:
``a₀ = x``, ``aₖ = activationₖ(aₖ₋₁ @ Wₖ.T + bₖ)``, and the network's output
is the last ``a``. ``Network`` holds ``Dense`` layers; the functions
``forward``, ``forward_trace`` and ``predict`` do the same for a plain list of
``(W, b, activation)`` tuples, the form the exercises use.

A ``Network`` computes in one dtype: built with ``dtype="float32"`` it turns
its input into float32 and stays float32 to the output; the function forms
build a ``Network`` from the tuples, so their layers share one dtype too.
NaN and infinity propagate as in NumPy.

>>> net = Network.from_sizes([4, 3, 3, 10], output="softmax", seed=0)
>>> net
Network(4 → 3 → 3 → 10) of [Dense(4 → 3, relu), Dense(3 → 3, relu), Dense(3 → 10, softmax)]
>>> net.n_params, net([0.2, 0.8, 0.1, 0.9]).shape
(67, (10,))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnkit._validation import (
    as_float_array,
    check_dtype_name,
    check_layer_chain,
    check_layer_item,
    check_layer_sizes,
    check_same_dtype,
)
from nnkit.counting import human_bytes, memory_bytes
from nnkit.layers import Dense


@dataclass
class LayerStep:
    """One step of a forward pass: layer ``index``, its pre-activation ``z`` and output ``a``.

    Step 0 is the input itself: ``layer`` and ``z`` are ``None`` and ``a`` is ``x``.

    >>> LayerStep(0, None, None, np.ones(2)).a.tolist()
    [1.0, 1.0]
    """

    index: int
    layer: Dense | None
    z: np.ndarray | None
    a: np.ndarray


def _as_dense(item, number: int) -> Dense:
    """A ``Dense`` layer, or one built from a tuple ``(W, b)`` or ``(W, b, activation)``."""
    if isinstance(item, Dense):
        return item
    return Dense(*check_layer_item(item, number))


class Network:
    """A sequential network of ``Dense`` layers (lesson 4).

    ``layers`` is a list of ``Dense`` layers or of tuples ``(W, b, activation)``.
    Call the network (or ``forward``) on one input ``(n_in,)`` or a batch
    ``(batch, n_in)``.

    >>> net = Network([Dense([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], [0.1, -0.2, 0.0], "relu"),
    ...                Dense([[0.7, -0.3, 0.5]], [0.1])])
    >>> net.sizes, round(float(net([1.0, 2.0])[0]), 3)
    ([2, 3, 1], 0.28)
    """

    def __init__(self, layers):
        self.layers = [_as_dense(item, number) for number, item in enumerate(layers, start=1)]
        if not self.layers:
            raise ValueError("a network needs at least one layer; got an empty list.")
        check_layer_chain([layer.W.shape for layer in self.layers])
        self.dtype = check_same_dtype([layer.dtype for layer in self.layers])

    @classmethod
    def from_sizes(cls, sizes, activation="relu", output=None, seed=0, dtype="float64") -> Network:
        """A network with seeded random weights and zero biases (lesson 4).

        ``sizes`` lists the width of every layer, inputs first: ``[784, 256, 128, 10]``.
        Hidden layers use ``activation``, the last layer ``output`` (``None``:
        linear). Weights are He-initialised for ReLU-like activations and
        Glorot-initialised otherwise (see ``nnkit.layers.initial_weight_scale``);
        the same ``seed`` gives the same weights.

        >>> net = Network.from_sizes([784, 256, 128, 10], dtype="float32")
        >>> net.n_params, net.dtype.name
        (235146, 'float32')
        """
        sizes = check_layer_sizes(sizes)
        dtype = check_dtype_name(dtype)
        rng = np.random.default_rng(seed)
        activations = [activation] * (len(sizes) - 2) + [output]
        return cls(
            Dense.random(n_in, n_out, act, rng=rng, dtype=dtype)
            for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations, strict=True)
        )

    @property
    def sizes(self) -> list[int]:
        """The width of every layer, inputs first."""
        return [self.layers[0].n_in] + [layer.n_out for layer in self.layers]

    @property
    def n_params(self) -> int:
        """All weights and biases: the sum over the layers."""
        return sum(layer.n_params for layer in self.layers)

    def parameters(self) -> list[np.ndarray]:
        """Every layer's arrays, ``[W1, b1, W2, b2, ...]``.

        >>> sum(p.size for p in Network.from_sizes([2, 3, 1]).parameters())
        13
        """
        return [array for layer in self.layers for array in layer.parameters()]

    def forward(self, x) -> np.ndarray:
        """The network's output for one input ``(n_in,)`` or a batch ``(batch, n_in)``.

        Each layer's output is the next layer's input.

        >>> Network.from_sizes([2, 3, 1]).forward(np.zeros((4, 2))).shape
        (4, 1)
        """
        x = as_float_array(x, "x", self.dtype)
        for layer in self.layers:
            x = layer(x)
        return x

    __call__ = forward

    def trace(self, x) -> list[LayerStep]:
        """Every step of the forward pass: the input, then each layer's ``z`` and ``a`` (lesson 4).

        >>> steps = Network.from_sizes([4, 3, 2]).trace([0.2, 0.8, 0.1, 0.9])
        >>> [(step.index, None if step.z is None else step.z.shape, step.a.shape) for step in steps]
        [(0, None, (4,)), (1, (3,), (3,)), (2, (2,), (2,))]
        """
        a = as_float_array(x, "x", self.dtype)
        steps = [LayerStep(0, None, None, a)]
        for index, layer in enumerate(self.layers, start=1):
            z = layer.linear(a)
            a = layer.activation(z)
            steps.append(LayerStep(index, layer, z, a))
        return steps

    def predict(self, x):
        """The index of the largest output: an ``int`` for one input, an array for a batch.

        >>> net = Network([Dense(np.eye(3), np.zeros(3))])
        >>> net.predict([0.1, 0.7, 0.2]), net.predict([[1, 0, 0], [0, 0, 1]]).tolist()
        (1, [0, 2])
        """
        return _largest(self.forward(x))

    def summary(self) -> str:
        """Print a table of the layers, their output shapes and parameters, and return it.

        Like Keras's ``model.summary()`` (lesson 4): the last lines give the total
        number of parameters and the memory they take in the network's dtype.
        In a notebook the table shows once, even as the last line of a cell.

        >>> text = Network.from_sizes([784, 256, 128, 10]).summary()
        Network 784 → 256 → 128 → 10, float64
        ────────────────────────────────────────────────────
        #  Layer                    Output shape  Parameters
        ════════════════════════════════════════════════════
        0  Input                    (batch, 784)           0
        1  Dense(784 → 256, relu)   (batch, 256)     200,960
        2  Dense(256 → 128, relu)   (batch, 128)      32,896
        3  Dense(128 → 10, linear)  (batch, 10)        1,290
        ════════════════════════════════════════════════════
        Total parameters: 235,146
        Memory (float64, 8 bytes each): 1,881,168 bytes = 1.9 MB
        """
        rows = [("0", "Input", f"(batch, {self.sizes[0]})", "0")]
        for index, layer in enumerate(self.layers, start=1):
            rows.append(
                (str(index), repr(layer), f"(batch, {layer.n_out})", f"{layer.n_params:,}")
            )
        header = ("#", "Layer", "Output shape", "Parameters")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]

        def line(row):
            return (
                f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  "
                f"{row[2]:<{widths[2]}}  {row[3]:>{widths[3]}}"
            )

        width = len(line(header))
        n_bytes = memory_bytes(self.n_params, self.dtype.name)
        text = "\n".join(
            [
                f"Network {' → '.join(map(str, self.sizes))}, {self.dtype.name}",
                "─" * width,
                line(header),
                "═" * width,
                *(line(row) for row in rows),
                "═" * width,
                f"Total parameters: {self.n_params:,}",
                f"Memory ({self.dtype.name}, {self.dtype.itemsize} bytes each): "
                f"{n_bytes:,} bytes = {human_bytes(n_bytes)}",
            ]
        )
        print(text)
        return _PrintedText(text)

    def __repr__(self) -> str:
        sizes = " → ".join(map(str, self.sizes))
        return f"Network({sizes}) of [{', '.join(map(repr, self.layers))}]"


class _PrintedText(str):
    """Text already printed: Jupyter shows nothing more when a cell ends with it."""

    def _ipython_display_(self) -> None:
        pass


def _largest(outputs: np.ndarray):
    """Index of the largest output along the last axis; an ``int`` for one input."""
    index = np.argmax(outputs, axis=-1)
    return int(index) if np.ndim(index) == 0 else index


def forward(x, layers) -> np.ndarray:
    """The output of a network given as a list of ``(W, b, activation)`` (lesson 4).

    The last entry of ``forward_trace(x, layers)``: with no layers, the input.

    >>> layers = [([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], [0.1, -0.2, 0.0], "relu"),
    ...           ([[0.7, -0.3, 0.5]], [0.1], None)]
    >>> np.round(forward([1.0, 2.0], layers), 3).tolist()
    [0.28]
    """
    return forward_trace(x, layers)[-1]


def forward_trace(x, layers) -> list[np.ndarray]:
    """Every layer's output, ``[x, a₁, …, a_L]``, for a list of ``(W, b, activation)`` (lesson 4).

    >>> layers = [([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]], [0.1, -0.2, 0.0], "relu"),
    ...           ([[0.7, -0.3, 0.5]], [0.1], None)]
    >>> [np.round(a, 3).tolist() for a in forward_trace([1.0, 2.0], layers)]
    [[1.0, 2.0], [0.1, 0.8, 0.7], [0.28]]
    """
    if not layers:
        return [as_float_array(x, "x")]
    return [step.a for step in Network(layers).trace(x)]


def predict(x, layers):
    """The index of the largest output of a list of ``(W, b, activation)`` (lesson 4).

    An ``int`` for one input, an integer array of shape ``(batch,)`` for a batch.

    >>> predict([0.1, 0.7, 0.2], [(np.eye(3), np.zeros(3), None)])
    1
    """
    return _largest(forward(x, layers))
