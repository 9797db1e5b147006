"""A layer's decision regions, and the XOR explorer of a 2-2-1 network (lesson 3).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from nnkit.layers import xor_network
>>> ax = plot_decision_regions(xor_network(), xlim=(-0.5, 1.5), ylim=(-0.5, 1.5))
>>> ax.get_title()
'Decision regions'
"""

from __future__ import annotations

import numpy as np

from nnkit.activations import relu
from nnkit.explore.explorer import Explorer, html_table, slider
from nnkit.explore.network import as_network, network_diagram
from nnkit.explore.style import (
    NEGATIVE,
    OKABE_ITO,
    POSITIVE,
    REGIONS,
    GridImage,
    grid_points,
    label_axes,
    new_axes,
    scatter_classes,
)
from nnkit.network import forward


def plot_decision_regions(network, ax=None, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0),
                          points=None, labels=None, resolution=151, threshold=0.5):
    """The class a network predicts at every point of the plane (lessons 3 and 4).

    ``network`` is an ``nnkit.Network``, a list of ``(W, b)`` or ``(W, b, activation)``
    layers, or any callable on a ``(n, 2)`` batch. With one output the class is
    ``output > threshold``; with several it is the largest output.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from nnkit.layers import xor_network
    >>> ax = plot_decision_regions(xor_network(), xlim=(-0.5, 1.5), ylim=(-0.5, 1.5),
    ...                            points=[[0, 0], [0, 1], [1, 0], [1, 1]], labels=[0, 1, 1, 0])
    >>> len(ax.images), len(ax.collections)
    (1, 2)
    """
    ax = new_axes(ax)
    function = network if callable(network) and not isinstance(network, list) else None
    if function is None:
        function = as_network(network)
    grid = grid_points(xlim, ylim, resolution)
    image = ax.imshow(
        predicted_classes(function, grid, threshold).reshape(resolution, resolution),
        origin="lower", extent=(*xlim, *ylim), cmap=REGIONS, vmin=0, vmax=1, aspect="auto",
        interpolation="nearest",
    )
    image.set_gid("regions")
    if points is not None:
        scatter_classes(ax, points, labels)
    label_axes(ax, "Decision regions", "x1", "x2")
    return ax


def predicted_classes(function, X, threshold=0.5):
    """Class per row of ``X``: ``output > threshold`` for one output, else the largest.

    >>> predicted_classes(lambda X: X[:, :1], np.array([[0.2, 0.0], [0.9, 0.0]])).tolist()
    [0, 1]
    """
    outputs = np.asarray(function(X), dtype=float)
    if outputs.ndim == 1 or outputs.shape[-1] == 1:
        return (outputs.reshape(len(X)) > threshold).astype(int)
    return np.argmax(outputs, axis=-1)


XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])

XOR_TARGETS = np.array([0, 1, 1, 0])

# One slider per entry of the lesson's arrays, named as NumPy indexes them (from 0), and
# grouped one neuron per row: hidden neuron h₁ (row 0 of W1), h₂ (row 1), the output.
XOR_NAMES = ("W1[0,0]", "W1[0,1]", "b1[0]",
             "W1[1,0]", "W1[1,1]", "b1[1]",
             "W2[0,0]", "W2[0,1]", "b2[0]")


class XorExplorer(Explorer):
    """A 2-2-1 ReLU network, every weight on a slider: can it compute XOR? (lesson 3).

    The sliders are named after the entries of ``W1``, ``b1``, ``W2`` and ``b2``
    as NumPy indexes them: ``W1[1,0]`` is hidden neuron 2's weight on input 1.
    """

    name = "XOR explorer"
    figsize = (9.6, 3.8)
    limits = (-0.5, 1.5)
    resolution = 161

    def layers(self):
        """The network the sliders show, ``[(W1, b1), (W2, b2)]`` as arrays."""
        v = self.values()
        W1 = np.array([[v["W1[0,0]"], v["W1[0,1]"]], [v["W1[1,0]"], v["W1[1,1]"]]])
        b1 = np.array([v["b1[0]"], v["b1[1]"]])
        W2 = np.array([[v["W2[0,0]"], v["W2[0,1]"]]])
        b2 = np.array([v["b2[0]"]])
        return [(W1, b1), (W2, b2)]

    def set_layers(self, layers):
        """Move every slider to the network ``[(W1, b1), (W2, b2)]``, then update once.

        >>> explorer = xor_explorer()
        >>> explorer.set_layers([([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]).results()["solved"]
        True
        """
        (W1, b1), (W2, b2) = ((np.asarray(W, dtype=float), np.asarray(b, dtype=float))
                              for W, b in layers)
        if W1.shape != (2, 2) or b1.shape != (2,) or W2.shape != (1, 2) or b2.shape != (1,):
            raise ValueError("the XOR explorer shows a 2-2-1 network: expected W1 (2, 2), b1 (2,),"
                             f" W2 (1, 2) and b2 (1,); got W1 {W1.shape}, b1 {b1.shape}, "
                             f"W2 {W2.shape} and b2 {b2.shape}")
        return self.set(**dict(zip(XOR_NAMES, _slider_order(W1, b1, W2, b2), strict=True)))

    @staticmethod
    def _output(X, W1, b1, W2, b2):
        return forward(X, [(W1, b1, relu), (W2, b2, None)]).ravel()

    def _draw(self):
        self._net_ax, self._plane_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1, 1.1]}
        )
        self._diagram = network_diagram(
            self._net_ax, [2, 2, 1], layer_names=["input", "hidden (ReLU)", "output"]
        )
        self._net_ax.set_title("blue +, orange −, width = size", fontsize="medium")
        self._weight_texts = [
            self._net_ax.text(0, 0, "", ha="center", va="center",
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                    "alpha": 0.8}, zorder=4)
            for _ in range(6)
        ]
        for text, (start, end) in zip(self._weight_texts, self._diagram.edges.get_segments(),
                                      strict=True):
            text.set_position(tuple(0.7 * np.asarray(start) + 0.3 * np.asarray(end)))
        node_centres = np.concatenate(self._diagram.positions[1:])  # hidden, then output
        self._bias_texts = [
            self._net_ax.text(x, y - 0.42, "", ha="center", va="top")
            for x, y in node_centres
        ]
        ax = self._plane_ax
        lo, hi = self.limits
        self._grid = grid_points(self.limits, self.limits, self.resolution)
        self._image = GridImage(ax, (lo, hi, lo, hi), self.resolution, cmap=REGIONS)
        self._image.set_clim(0, 1)
        colours = [POSITIVE if t else NEGATIVE for t in XOR_TARGETS]
        self._points = ax.scatter(XOR_INPUTS[:, 0], XOR_INPUTS[:, 1], s=90, c=colours,
                                  edgecolors="k", linewidths=1.5, zorder=3)
        self._marks = [ax.text(x + 0.09, y + 0.09, "", fontsize="large", fontweight="bold")
                       for x, y in XOR_INPUTS]
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        label_axes(ax, "decision regions (output > 0.5 is blue)", "x1", "x2")
        self._animate(self._diagram.edges, self._diagram.nodes, *self._weight_texts,
                      *self._bias_texts, self._image, self._points, *self._marks)

    def _refresh(self):
        (W1, b1), (W2, b2) = self.layers()
        self._diagram.set_weights([W1, W2])
        for text, (layer, row, col) in zip(self._weight_texts, self._diagram.edge_index,
                                           strict=True):
            value = (W1, W2)[layer][row, col]
            text.set_text(f"{value:.1f}")
        bias_names = ["b1[0]", "b1[1]", "b2[0]"]
        for text, name, bias in zip(self._bias_texts, bias_names, [*b1, *b2], strict=True):
            text.set_text(f"{name} = {bias:.1f}")
        grid_classes = (self._output(self._grid, W1, b1, W2, b2) > 0.5).astype(float)
        self._image.set_values(grid_classes.reshape(self.resolution, self.resolution))
        outputs = self._output(XOR_INPUTS, W1, b1, W2, b2)
        right = (outputs > 0.5).astype(int) == XOR_TARGETS
        for mark, ok in zip(self._marks, right, strict=True):
            mark.set_text("✓" if ok else "✗")
            mark.set_color(OKABE_ITO["bluish green"] if ok else NEGATIVE)
        self._results = {
            "outputs": [float(o) for o in outputs],
            "right": [bool(r) for r in right],
            "n_right": int(right.sum()),
            "solved": bool(right.all()),
        }
        rows = [[f"({int(x1)}, {int(x2)})", int(t), f"{o:.2f}", "right" if ok else "wrong"]
                for (x1, x2), t, o, ok in zip(XOR_INPUTS, XOR_TARGETS, outputs, right,
                                               strict=True)]
        verdict = ("<b>XOR solved</b>: right on all four inputs." if right.all() else
                   f"Right on <b>{int(right.sum())} of 4</b> inputs.")
        readout = html_table(rows, header=["input", "XOR", "output", ""]) + verdict
        return readout, False


def _slider_order(W1, b1, W2, b2):
    """The nine numbers in the order of :data:`XOR_NAMES`: one neuron after the other."""
    return [W1[0, 0], W1[0, 1], b1[0], W1[1, 0], W1[1, 1], b1[1], W2[0, 0], W2[0, 1], b2[0]]


def xor_explorer(W1=((1.0, 0.0), (0.0, 1.0)), b1=(0.0, 0.0), W2=((1.0, 1.0),), b2=(0.0,)):
    """Sliders for every weight and bias of a 2-2-1 ReLU network (lesson 3).

    Shows the network (edge colour = sign, width = magnitude), its decision regions
    (output above 0.5 counts as 1) and on which of the four XOR inputs it is right.
    The sliders are named after the entries they set (``W1[0,1]``, ``b1[1]``, ...).
    By default each hidden neuron copies one input and the output adds them: the
    network computes OR, right on three of XOR's four inputs.

    >>> explorer = xor_explorer()
    >>> explorer.results()["right"], list(explorer.values())[:3]
    ([True, True, True, False], ['W1[0,0]', 'W1[0,1]', 'b1[0]'])
    >>> explorer.set(**{"b2[0]": -1.0}).results()["right"]  # now AND: (0, 1), (1, 0) are wrong
    [True, False, False, False]
    """
    W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2, b2))
    controls = {name: slider(name, float(value), -3.0, 3.0, 0.1)
                for name, value in zip(XOR_NAMES, _slider_order(W1, b1, W2, b2), strict=True)}
    return XorExplorer(controls)
