"""A network drawn, its layers' values, and the forward-pass stepper (lessons 3 and 4).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from nnkit.layers import xor_network
>>> draw_network(xor_network()).get_title()
'A 2-2-1 network'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from nnkit.examples import two_moons_network
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, html_table, slider
from nnkit.explore.style import (
    DIVERGING,
    NEGATIVE,
    NEUTRAL,
    PALETTE,
    POSITIVE,
    label_axes,
    new_axes,
)
from nnkit.layers import Dense
from nnkit.network import Network


def as_network(network):
    """An ``nnkit.Network`` from a Network, a list of Dense layers or of ``(W, b[, activation])``.

    >>> from nnkit.layers import xor_network
    >>> as_network(xor_network()).sizes
    [2, 2, 1]
    """
    if isinstance(network, Network):
        return network
    if isinstance(network, (list, tuple)):
        layers = []
        for index, layer in enumerate(network):
            if isinstance(layer, Dense):
                layers.append(layer)
            elif isinstance(layer, (list, tuple)) and len(layer) in (2, 3):
                activation = layer[2] if len(layer) == 3 else (
                    "relu" if index < len(network) - 1 else None
                )
                layers.append(Dense(layer[0], layer[1], activation))
            else:
                break
        else:
            return Network(layers)
    raise TypeError(
        "expected an nnkit.Network or a list of layers, each a Dense or a tuple "
        f"(W, b) or (W, b, activation); got {type(network).__name__}"
    )


@dataclass
class NetworkDiagram:
    """The artists of a network diagram, kept so that a widget can recolour them."""

    edges: LineCollection
    nodes: object  # a PathCollection
    positions: list  # per layer, an array (n_shown, 2) of node centres
    shown: list  # per layer, the indices of the nodes drawn
    edge_index: list  # per edge, (layer, row, column) of its weight
    max_width: float = 4.0

    def set_weights(self, weights):
        """Recolour and resize the edges for a list of weight matrices (one per layer)."""
        values = np.array([weights[layer][row, col] for layer, row, col in self.edge_index])
        scale = max(float(np.max(np.abs(values))), 1e-12) if values.size else 1.0
        self.edges.set_color([POSITIVE if v > 0 else NEGATIVE for v in values])
        self.edges.set_linewidth(0.3 + self.max_width * np.abs(values) / scale)

    def set_values(self, values, upto=None):
        """Colour the nodes by their values (one array per layer), layers after ``upto`` grey."""
        colours = []
        for layer, shown in enumerate(self.shown):
            if values is None or (upto is not None and layer > upto):
                colours.extend([(0.9, 0.9, 0.9, 1.0)] * len(shown))
                continue
            layer_values = np.asarray(values[layer], dtype=float).ravel()[shown]
            scale = max(float(np.max(np.abs(layer_values))), 1e-12)
            colours.extend(DIVERGING(0.5 + 0.5 * layer_values / scale))
        self.nodes.set_facecolor(colours)


def _network_shape(network):
    """(sizes, weight matrices or None) for a network or a list of layer sizes."""
    if isinstance(network, (list, tuple)) and all(
        isinstance(n, (int, np.integer)) for n in network
    ):
        return [int(n) for n in network], None
    network = as_network(network)
    return list(network.sizes), [np.asarray(layer.W, dtype=float) for layer in network.layers]


def _shown_nodes(size, max_nodes):
    if size <= max_nodes:
        return np.arange(size)
    half = max_nodes // 2
    return np.concatenate([np.arange(half), np.arange(size - (max_nodes - half), size)])


def network_diagram(ax, sizes, weights=None, max_nodes=10, layer_names=None):
    shown = [_shown_nodes(n, max_nodes) for n in sizes]
    tallest = max(len(s) for s in shown)
    positions = []
    for layer, nodes in enumerate(shown):
        ys = (len(nodes) - 1) / 2 - np.arange(len(nodes)) + 0.0
        positions.append(np.column_stack([np.full(len(nodes), float(layer)), ys]))
    segments, edge_index = [], []
    for layer in range(len(sizes) - 1):
        for col, start in zip(shown[layer], positions[layer], strict=True):
            for row, end in zip(shown[layer + 1], positions[layer + 1], strict=True):
                segments.append([start, end])
                edge_index.append((layer, int(row), int(col)))
    edges = LineCollection(segments, colors=NEUTRAL, linewidths=1.0, zorder=1)
    ax.add_collection(edges)
    centres = np.concatenate(positions)
    nodes = ax.scatter(centres[:, 0], centres[:, 1], s=420 if tallest <= 6 else 160,
                       c="white", edgecolors="k", linewidths=1.2, zorder=2)
    for layer, size in enumerate(sizes):
        if size > len(shown[layer]):
            ax.text(layer, 0.0, "⋮", ha="center", va="center", fontsize=14, zorder=3)
    names = layer_names or (["input"] + [f"layer {i}" for i in range(1, len(sizes))])
    ax.set_xticks(range(len(sizes)))
    ax.set_xticklabels([f"{name}\n({size})" for name, size in zip(names, sizes, strict=True)])
    ax.set_yticks([])
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-tallest / 2, tallest / 2)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    diagram = NetworkDiagram(edges, nodes, positions, shown, edge_index)
    if weights is not None:
        diagram.set_weights(weights)
    return diagram


def draw_network(network, ax=None, node_values=None, upto=None, max_nodes=10, layer_names=None,
                 title=None):
    """Draw a network: one column of nodes per layer, one line per weight (lessons 3 and 4).

    Edge colour is the weight's sign (blue positive, orange-red negative), edge width
    its magnitude. ``network`` is an ``nnkit.Network``, a list of layers, or just the
    layer sizes. ``node_values`` (one array per layer, e.g. from ``Network.trace``)
    colours the nodes; layers after ``upto`` stay grey. Layers wider than
    ``max_nodes`` show their first and last nodes around a ``⋮``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from nnkit.layers import xor_network
    >>> ax = draw_network(xor_network())
    >>> len(ax.collections[0].get_segments()), ax.get_title()
    (6, 'A 2-2-1 network')
    """
    ax = new_axes(ax, figsize=(5.0, 3.2))
    sizes, weights = _network_shape(network)
    diagram = network_diagram(ax, sizes, weights, max_nodes=max_nodes, layer_names=layer_names)
    if node_values is not None:
        diagram.set_values(node_values, upto=upto)
    ax.set_title(title or "A " + "-".join(str(n) for n in sizes) + " network")
    ax.set_xlabel("layer (number of units)")
    return ax


def plot_layer_values(values, ax=None, names=None, current=None):
    """Bars of every layer's values side by side, the ``current`` layer highlighted (lesson 4).

    ``values`` is a list of 1-D arrays, e.g. ``[step.a for step in network.trace(x)]``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_layer_values([[1.0, 0.5], [0.0, 2.0, 1.0], [0.28]])
    >>> len(ax.patches), ax.get_title()
    (6, "Each layer's values")
    """
    ax = new_axes(ax, figsize=(6.0, 3.0))
    names = names or (["input"] + [f"layer {i}" for i in range(1, len(values))])
    position, centres = 0, []
    for layer, layer_values in enumerate(values):
        layer_values = np.asarray(layer_values, dtype=float).ravel()
        xs = position + np.arange(layer_values.size)
        faded = current is not None and layer != current
        ax.bar(xs, layer_values, color=PALETTE[layer % len(PALETTE)],
               alpha=0.35 if faded else 1.0, width=0.8)
        centres.append(xs.mean())
        position += layer_values.size + 1
    ax.axhline(0.0, color=NEUTRAL, linewidth=0.8)
    ax.set_xticks(centres)
    ax.set_xticklabels(names)
    label_axes(ax, "Each layer's values", "layer", "value")
    return ax


def _two_moons():
    """The shipped two-moons classifier (2 → 16 → 16 → 2) and a training point."""
    network, points, _ = two_moons_network()
    return network, points[0]


class ForwardPassStepper(Explorer):
    """Step through a network's layers and watch each one's values (lesson 4)."""

    name = "forward-pass stepper"
    figsize = (9.6, 3.8)
    max_nodes = 10

    def __init__(self, controls, network, fixed_input):
        self.network = network
        self._fixed_input = fixed_input
        super().__init__(controls)

    def _input(self):
        v = self.values()
        if self._fixed_input is not None:
            return self._fixed_input
        return np.array([v[f"x{i + 1}"] for i in range(self.network.sizes[0])])

    def _draw(self):
        self._net_ax, self._bar_ax = self.figure.subplots(1, 2)
        self._diagram = network_diagram(self._net_ax, list(self.network.sizes),
                                               [np.asarray(layer.W, dtype=float)
                                                for layer in self.network.layers],
                                               max_nodes=self.max_nodes)
        self._net_ax.set_title("-".join(str(n) for n in self.network.sizes) + " network")
        self._net_ax.set_xlabel("layer (number of units)")
        widest = max(self.network.sizes)
        shown = min(widest, 32)
        self._bars = self._bar_ax.bar(np.arange(shown), np.zeros(shown), color=PALETTE[0])
        zero_line = self._bar_ax.axhline(0.0, color=NEUTRAL, linewidth=0.8)
        self._bar_ax.set_xlim(-0.6, shown - 0.4)
        self._bar_ax.set_ylim(-1.0, 1.0)
        label_axes(self._bar_ax, "values of the layer", "unit", "value")
        self._animate(self._bar_ax.title, self._diagram.nodes, *self._bars)
        self._animate_layout(zero_line, self._bar_ax.yaxis)

    def _refresh(self):
        steps = self.network.trace(self._input())
        layer = int(self.values()["layer"])
        values = [np.asarray(step.a, dtype=float).ravel() for step in steps]
        self._diagram.set_values(values, upto=layer)
        current = values[layer][: len(self._bars)]
        colour = PALETTE[layer % len(PALETTE)]
        for index, bar in enumerate(self._bars):
            visible = index < current.size
            bar.set_visible(visible)
            if visible:
                bar.set_height(current[index])
                bar.set_color(colour)
        every = np.concatenate(values)  # one scale for all layers: stepping never rescales
        relayout = self._fit_limits(self._bar_ax, every.min(), every.max())
        step = steps[layer]
        if layer == 0:
            what = "input x"
            self._bar_ax.set_title("layer 0: the input")
        else:
            what = f"layer {layer} ({self.network.layers[layer - 1].activation_name})"
            self._bar_ax.set_title(f"layer {layer}: a = activation(W·a_prev + b)")
        self._results = {"layer": layer, "values": [float(a) for a in values[layer]],
                         "output": [float(a) for a in values[-1]]}
        rows = []
        if step.z is not None:
            rows.append(["z = W·a + b", _short_vector(step.z)])
        rows.append(["a" if layer else "x", _short_vector(step.a)])
        readout = f"<b>{html.escape(what)}</b>, shape {tuple(np.shape(step.a))}" + html_table(rows)
        if layer == len(self.network.layers):
            readout += f"predicted class: <b>{int(np.argmax(values[-1]))}</b>"
        return readout, relayout


def _short_vector(values, limit=8):
    values = np.asarray(values, dtype=float).ravel()
    text = ", ".join(f"{v:.3f}" for v in values[:limit])
    return f"[{text}{', …' if values.size > limit else ''}]"


def forward_pass_stepper(network=None, x=None):
    """Move through a network's layers: the diagram lights up, bars show the values (lesson 4).

    ``network`` is an ``nnkit.Network`` or a list of layers (``Dense`` or
    ``(W, b, activation)``); by default the shipped two-moons classifier
    (2 → 16 → 16 → 2). Networks with at most four inputs get one slider per input.

    >>> stepper = forward_pass_stepper()
    >>> stepper.set(layer=3).results()["layer"], len(stepper.results()["values"])
    (3, 2)
    """
    if network is None:
        network, default_x = _two_moons()
        x = default_x if x is None else x
    else:
        network = as_network(network)
    n_in = network.sizes[0]
    controls = {"layer": widgets.IntSlider(value=0, min=0, max=len(network.layers),
                                           description="layer", style=SLIDER_STYLE)}
    fixed_input = None
    x = np.zeros(n_in) if x is None else np.asarray(x, dtype=float).ravel()
    if n_in <= 4:
        for i in range(n_in):
            controls[f"x{i + 1}"] = slider(f"x{i + 1}", float(x[i]))
    else:
        fixed_input = x
    return ForwardPassStepper(controls, network, fixed_input)
