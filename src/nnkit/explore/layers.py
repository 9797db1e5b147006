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

XOR_NAMES = ("w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c")


class XorExplorer(Explorer):
    """A 2-2-1 ReLU network, every weight on a slider: can it compute XOR? (lesson 3)."""

    name = "XOR explorer"
    figsize = (9.6, 3.8)
    limits = (-0.5, 1.5)
    resolution = 161

    def _layers(self):
        v = self.values()
        W1 = np.array([[v["w11"], v["w12"]], [v["w21"], v["w22"]]])
        b1 = np.array([v["b1"], v["b2"]])
        W2 = np.array([[v["v1"], v["v2"]]])
        c = np.array([v["c"]])
        return W1, b1, W2, c

    @staticmethod
    def _output(X, W1, b1, W2, c):
        return forward(X, [(W1, b1, relu), (W2, c, None)]).ravel()

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
        W1, b1, W2, c = self._layers()
        self._diagram.set_weights([W1, W2])
        for text, (layer, row, col) in zip(self._weight_texts, self._diagram.edge_index,
                                           strict=True):
            value = (W1, W2)[layer][row, col]
            text.set_text(f"{value:.1f}")
        for text, bias in zip(self._bias_texts, [*b1, *c], strict=True):
            text.set_text(f"b={bias:.1f}")
        grid_classes = (self._output(self._grid, W1, b1, W2, c) > 0.5).astype(float)
        self._image.set_values(grid_classes.reshape(self.resolution, self.resolution))
        outputs = self._output(XOR_INPUTS, W1, b1, W2, c)
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


def xor_explorer(W1=((1.0, 1.0), (1.0, 1.0)), b1=(0.0, -1.0), W2=((1.0, -1.0),), b2=(0.0,)):
    """Sliders for every weight and bias of a 2-2-1 ReLU network (lesson 3).

    Shows the network (edge colour = sign, width = magnitude), its decision regions
    (output above 0.5 counts as 1) and on which of the four XOR inputs it is right.
    The starting weights are right on three inputs: one slider away from XOR.

    >>> explorer = xor_explorer()
    >>> explorer.results()["n_right"]
    3
    >>> explorer.set(v2=-2.0).results()["solved"]
    True
    """
    W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2, b2))
    start = [W1[0, 0], W1[0, 1], W1[1, 0], W1[1, 1], b1[0], b1[1], W2[0, 0], W2[0, 1], b2[0]]
    controls = {name: slider(name, float(value), -3.0, 3.0, 0.1)
                for name, value in zip(XOR_NAMES, start, strict=True)}
    return XorExplorer(controls)
