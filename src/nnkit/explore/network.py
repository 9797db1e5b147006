"""A network drawn, its layers' values, the forward-pass stepper and the hidden units' maps.

Lessons 3 and 4. Node colours share one scale for the whole figure (blue for
positive values, orange-red for negative ones, white for zero), shown by a
colour bar and, in small diagrams, by the values written on the nodes.

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
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize

from nnkit.examples import two_moons_network
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, html_table, slider
from nnkit.explore.style import (
    DIVERGING,
    NEGATIVE,
    NEUTRAL,
    PALETTE,
    POSITIVE,
    REGIONS,
    grid_points,
    label_axes,
    new_axes,
    scatter_classes,
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

    def set_values(self, values, upto=None, scale=None):
        """Colour the nodes by their values (one array per layer) on one scale; return it.

        The scale is the largest ``|value|`` of the layers coloured (``scale``
        fixes it): the same colour means the same number in every layer. Layers
        after ``upto`` stay grey.
        """
        coloured = [layer for layer in range(len(self.shown))
                    if values is not None and (upto is None or layer <= upto)]
        shown_values = {layer: np.asarray(values[layer], dtype=float).ravel()[self.shown[layer]]
                        for layer in coloured}
        if scale is None:
            scale = value_scale(list(shown_values.values()))
        colours = []
        for layer, shown in enumerate(self.shown):
            if layer in shown_values:
                colours.extend(DIVERGING(value_colour_position(shown_values[layer], scale)))
            else:
                colours.extend([(0.9, 0.9, 0.9, 1.0)] * len(shown))
        self.nodes.set_facecolor(colours)
        return scale


def value_scale(arrays):
    """The largest ``|value|`` among the arrays (1 when there is none): one colour scale.

    >>> value_scale([np.array([0.1, -0.8]), np.array([0.28])])
    0.8
    """
    largest = max((float(np.max(np.abs(a))) for a in arrays if np.size(a)), default=0.0)
    return largest if largest > 0 else 1.0


def value_colour_position(values, scale):
    """Where each value sits on the diverging colour map: 0 → 0, 0.5 → white, 1 → +scale."""
    return 0.5 + 0.5 * np.clip(np.asarray(values, dtype=float) / scale, -1.0, 1.0)


def value_colour_bar(figure, ax, scale, label="value"):
    """A colour bar beside ``ax`` for node colours from ``-scale`` to ``+scale``."""
    mappable = ScalarMappable(Normalize(-scale, scale), DIVERGING)
    return figure.colorbar(mappable, ax=ax, shrink=0.75, pad=0.02, label=label)


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
                 title=None, show_values=None):
    """Draw a network: one column of nodes per layer, one line per weight (lessons 3 and 4).

    Edge colour is the weight's sign (blue positive, orange-red negative), edge width
    its magnitude. ``network`` is an ``nnkit.Network``, a list of layers, or just the
    layer sizes. ``node_values`` (one array per layer, e.g. from ``Network.trace``)
    colours the nodes on one scale for the whole figure, shown by a colour bar;
    ``show_values`` writes each value on its node (by default when no layer shows
    more than six nodes). Layers after ``upto`` stay grey. Layers wider than
    ``max_nodes`` show their first and last nodes around a ``⋮``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from nnkit.layers import xor_network
    >>> ax = draw_network(xor_network())
    >>> len(ax.collections[0].get_segments()), ax.get_title()
    (6, 'A 2-2-1 network')
    >>> ax = draw_network(xor_network(), node_values=[[1.0, 0.0], [1.0, 0.0], [1.0]])
    >>> sorted(text.get_text() for text in ax.texts)
    ['0.00', '0.00', '1.00', '1.00', '1.00']
    """
    ax = new_axes(ax, figsize=(5.6, 3.2))
    sizes, weights = _network_shape(network)
    diagram = network_diagram(ax, sizes, weights, max_nodes=max_nodes, layer_names=layer_names)
    if node_values is not None:
        scale = diagram.set_values(node_values, upto=upto)
        if show_values is None:
            show_values = max(len(shown) for shown in diagram.shown) <= 6
        if show_values:
            diagram.nodes.set_sizes([900])  # room for the numbers
            _write_values(ax, diagram, node_values, upto, scale)
        value_colour_bar(ax.figure, ax, scale, label="the neuron's output")
    ax.set_title(title or "A " + "-".join(str(n) for n in sizes) + " network")
    ax.set_xlabel("layer (number of units)")
    return ax


def _write_values(ax, diagram, values, upto, scale):
    """Each node's value written on it, white on the darkest colours."""
    for layer, (shown, centres) in enumerate(zip(diagram.shown, diagram.positions, strict=True)):
        if upto is not None and layer > upto:
            continue
        layer_values = np.asarray(values[layer], dtype=float).ravel()[shown]
        for value, (x, y) in zip(layer_values, centres, strict=True):
            dark = abs(value) / scale > 0.6
            ax.text(x, y, f"{value:.2f}".replace("-", "−"), ha="center", va="center",
                    fontsize="x-small", color="white" if dark else "black", zorder=3)


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
    """Step through a network's layers and watch each one's values (lesson 4).

    The diagram colours every neuron on one scale (the colour bar); the bars show
    the values of the layer the ``layer`` slider points at, one bar per unit.
    """

    name = "forward-pass stepper"
    figsize = (9.6, 3.8)
    max_nodes = 10

    def __init__(self, controls, network, fixed_input):
        self.network = network
        self._fixed_input = fixed_input
        self._scale = None
        self._shown_layer = None
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
        self._colour_bar = value_colour_bar(self.figure, self._net_ax, 1.0)
        widest = max(self.network.sizes)
        shown = min(widest, 32)
        self._bars = self._bar_ax.bar(np.arange(shown), np.zeros(shown), color=PALETTE[0])
        zero_line = self._bar_ax.axhline(0.0, color=NEUTRAL, linewidth=0.8)
        self._bar_ax.set_ylim(-1.0, 1.0)
        label_axes(self._bar_ax, "values of the layer", "unit of the layer", "value")
        self._animate(self._bar_ax.title, self._diagram.nodes, *self._bars)
        self._animate_layout(zero_line, self._bar_ax.xaxis, self._bar_ax.yaxis,
                             self._colour_bar.ax.yaxis)

    def _refresh(self):
        steps = self.network.trace(self._input())
        layer = int(self.values()["layer"])
        values = [np.asarray(step.a, dtype=float).ravel() for step in steps]
        relayout = self._set_colour_scale(values)
        self._diagram.set_values(values, upto=layer, scale=self._scale)
        current = values[layer][: len(self._bars)]
        relayout |= self._show_units(current.size, layer)
        colour = PALETTE[layer % len(PALETTE)]
        for index, bar in enumerate(self._bars):
            visible = index < current.size
            bar.set_visible(visible)
            if visible:
                bar.set_height(current[index])
                bar.set_color(colour)
        every = np.concatenate(values)  # one scale for all layers: stepping never rescales
        relayout |= self._fit_limits(self._bar_ax, every.min(), every.max())
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

    def _set_colour_scale(self, values):
        """One colour scale for every layer: the largest value, rounded up."""
        scale = _round_up(value_scale(values))
        if scale == self._scale:
            return False
        self._scale = scale
        self._colour_bar.mappable.set_clim(-scale, scale)
        return True

    def _show_units(self, n_units, layer):
        """The bar chart's axis spans the units of the layer shown, one tick per unit."""
        if layer == self._shown_layer:
            return False
        self._shown_layer = layer
        self._bar_ax.set_xlim(-0.6, n_units - 0.4)
        self._bar_ax.set_xticks(range(n_units))
        self._bar_ax.set_xticklabels([str(i) if n_units <= 10 or i % 2 == 0 else ""
                                      for i in range(n_units)])
        return True


def _round_up(value):
    """``value`` rounded up to one significant digit: a colour scale that rarely moves.

    >>> _round_up(0.7), _round_up(6.84), _round_up(10.0), _round_up(0.123)
    (0.7, 7.0, 10.0, 0.2)
    """
    digits = -int(np.floor(np.log10(value)))
    return float(round(np.ceil(round(value * 10.0**digits, 9)) / 10.0**digits, digits))


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


# --- what each hidden unit computes -------------------------------------------------------

#: Blue for a unit's positive outputs, darker for larger; grey where it is off (0); white
#: between the tiles.
UNIT_OUTPUT = LinearSegmentedColormap.from_list(
    "nnkit_unit_output", ["#eef5fb", POSITIVE]).with_extremes(under="#cfcfcf", bad="white")


class HiddenUnitMaps(Explorer):
    """Each hidden unit's output over the input plane, beside the network's classes (lesson 4).

    Every small map is one unit of the chosen hidden layer: grey where the unit is off
    (ReLU gives 0), blue where it is on, darker for larger outputs, on one scale for
    the whole layer. The black line in every map is the network's decision boundary;
    the ring marks the point ``(x1, x2)``, whose numbers the readout gives. The small
    maps are tiles of one image, so that the figure stays quick to draw.
    """

    name = "hidden-unit maps"
    figsize = (9.6, 4.4)
    xlim = (-2.0, 2.0)
    ylim = (-1.5, 1.5)
    resolution = 61
    gap = (6, 16)  # pixels between the tiles: across, and down (room for a tile's name)

    def __init__(self, controls, network, points, labels):
        self.network = network
        self.points, self.labels = points, labels
        grid = grid_points(self.xlim, self.ylim, self.resolution)
        self._grid_steps = network.trace(grid)  # every unit over the plane, computed once
        self._grid_classes = np.argmax(self._grid_steps[-1].a, axis=-1)
        self._hidden = list(range(1, len(network.layers)))
        widest = max(network.sizes[layer] for layer in self._hidden)
        self._columns = int(np.ceil(np.sqrt(widest)))
        self._rows = int(np.ceil(widest / self._columns))
        self._shown_layer = None
        super().__init__(controls)

    def _square(self, values):
        return np.asarray(values, dtype=float).reshape(self.resolution, self.resolution)

    def _corner(self, unit):
        """Where tile ``unit`` starts in the mosaic, in pixels: (left, bottom)."""
        row, column = divmod(unit, self._columns)
        step_x, step_y = self.resolution + self.gap[0], self.resolution + self.gap[1]
        return column * step_x, (self._rows - 1 - row) * step_y

    def _mosaic(self, per_unit):
        """One picture of the tiles ``per_unit`` (a list of squares); NaN between them."""
        width = self._columns * (self.resolution + self.gap[0]) - self.gap[0]
        height = self._rows * (self.resolution + self.gap[1])
        mosaic = np.full((height, width), np.nan)
        for unit, square in enumerate(per_unit):
            left, bottom = self._corner(unit)
            mosaic[bottom:bottom + self.resolution, left:left + self.resolution] = square
        return mosaic

    def _in_tiles(self, x, n_units):
        """The point ``x`` of the plane in each of the first ``n_units`` tiles (pixels)."""
        fraction = [(x[0] - self.xlim[0]) / (self.xlim[1] - self.xlim[0]),
                    (x[1] - self.ylim[0]) / (self.ylim[1] - self.ylim[0])]
        corners = np.array([self._corner(unit) for unit in range(n_units)], dtype=float)
        return corners + np.clip(fraction, 0.0, 1.0) * (self.resolution - 1)

    def _draw(self):
        self._plane_ax, self._tiles_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1.0, 1.5]})
        classes = self._square(self._grid_classes)
        ax = self._plane_ax
        ax.imshow(classes, origin="lower", extent=(*self.xlim, *self.ylim), cmap=REGIONS,
                  vmin=0, vmax=1, aspect="auto", interpolation="nearest")
        xs = np.linspace(*self.xlim, self.resolution)
        ys = np.linspace(*self.ylim, self.resolution)
        ax.contour(xs, ys, classes, levels=[0.5], colors="k", linewidths=0.8)
        if self.points is not None:
            for artist in scatter_classes(ax, self.points, self.labels):
                artist.set_sizes([12])
        (self._plane_mark,) = ax.plot([], [], marker="o", markersize=10, markerfacecolor="none",
                                      markeredgecolor="k", markeredgewidth=2, linestyle="none")
        label_axes(ax, "the network's class: 0 orange, 1 blue", "x1", "x2")

        tiles = self._tiles_ax
        widest = self._rows * self._columns
        height, width = self._mosaic([]).shape
        self._image = tiles.imshow(np.full((height, width), np.nan), origin="lower",
                                   cmap=UNIT_OUTPUT, norm=Normalize(1e-9, 1.0),
                                   interpolation="nearest", aspect="auto",
                                   extent=(-0.5, width - 0.5, -0.5, height - 0.5))
        boundary = self._mosaic([classes] * widest)
        tiles.contour(np.arange(width), np.arange(height), boundary, levels=[0.5],
                      colors="k", linewidths=0.6)
        self._names = [tiles.text(left, bottom + self.resolution + 1, f"unit {unit}",
                                  va="bottom")
                       for unit in range(widest) for left, bottom in [self._corner(unit)]]
        (self._tile_marks,) = tiles.plot([], [], marker="o", markersize=5,
                                         markerfacecolor="none", markeredgecolor="k",
                                         markeredgewidth=1.2, linestyle="none")
        tiles.set_xticks([])
        tiles.set_yticks([])
        for side in tiles.spines.values():
            side.set_visible(False)
        self._colour_bar = self.figure.colorbar(self._image, ax=tiles, shrink=0.8, pad=0.02,
                                                extend="min", label="unit's output (grey: off)")
        self._animate(self._plane_mark, self._tile_marks)

    def _refresh(self):
        v = self.values()
        layer, x = int(v["layer"]), np.array([v["x1"], v["x2"]])
        relayout = self._show_layer(layer)
        steps = self.network.trace(x)
        outputs = steps[layer].a
        self._plane_mark.set_data([x[0]], [x[1]])
        self._tile_marks.set_data(*self._in_tiles(x, outputs.size).T)
        probabilities = steps[-1].a
        predicted = int(np.argmax(probabilities))
        on = [int(i) for i in np.flatnonzero(outputs > 0)]
        never_on = [int(i) for i in np.flatnonzero(self._grid_steps[layer].a.max(axis=0) <= 0)]
        self._results = {"layer": layer, "point": [float(x[0]), float(x[1])],
                         "predicted": predicted,
                         "probabilities": [float(p) for p in probabilities],
                         "values": [float(a) for a in outputs], "on": on}
        readout = (
            f"(x1, x2) = ({x[0]:.2f}, {x[1]:.2f}): class <b>{predicted}</b> "
            f"(probability {probabilities[predicted]:.3f}).<br>"
            f"Hidden layer {layer}: {len(on)} of {outputs.size} units on here: "
            f"{', '.join(map(str, on)) or 'none'}."
        )
        if never_on:
            readout += f" Off on the whole plane shown: {', '.join(map(str, never_on))}."
        return readout, relayout

    def _show_layer(self, layer):
        """Put the chosen layer's units in the tiles (then the whole figure is redrawn)."""
        if layer == self._shown_layer:
            return False
        self._shown_layer = layer
        outputs = self._grid_steps[layer].a
        self._image.set_data(self._mosaic([self._square(column) for column in outputs.T]))
        self._image.set_norm(Normalize(1e-9, max(float(outputs.max()), 1e-6)))
        for unit, name in enumerate(self._names):
            name.set_visible(unit < outputs.shape[1])
        self._tiles_ax.set_title(f"hidden layer {layer}: each unit's output over the plane")
        return True


def hidden_unit_maps(network=None, layer=1, x=(1.5, -0.5)):
    """A map of every hidden unit's output over the plane, beside the classes (lesson 4).

    ``network`` is a network with two inputs and at least one hidden layer; by default
    the shipped two-moons classifier (2 → 16 → 16 → 2), drawn with its training
    points. ``layer`` picks the hidden layer shown, ``x`` the point marked.

    >>> maps = hidden_unit_maps()
    >>> maps.results()["predicted"], maps.set(layer=2).results()["layer"]
    (1, 2)
    """
    points = labels = None
    if network is None:
        network, points, labels = two_moons_network()
    else:
        network = as_network(network)
    if network.sizes[0] != 2 or len(network.layers) < 2:
        raise ValueError("expected a network with 2 inputs and at least one hidden layer; got "
                         f"layer sizes {network.sizes}")
    hidden = list(range(1, len(network.layers)))
    controls = {
        "layer": widgets.Dropdown(options=hidden, value=layer, description="hidden layer",
                                  style=SLIDER_STYLE),
        "x1": slider("x1", float(x[0]), *HiddenUnitMaps.xlim, 0.05),
        "x2": slider("x2", float(x[1]), *HiddenUnitMaps.ylim, 0.05),
    }
    return HiddenUnitMaps(controls, network, points, labels)
