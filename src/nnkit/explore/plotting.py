"""Figures for the six lessons, drawn with matplotlib.

Every helper takes ``ax=None`` (a new figure is made when no Axes is given),
gives its figure a title and labelled axes, and returns the Axes it drew on;
none of them calls ``plt.show()``. Colours come from one colour-blind-safe
palette, Okabe and Ito's, defined here once; matplotlib's global settings are
never changed.

``import nnkit`` does not import this module, so matplotlib is only needed by
those who draw.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from nnkit.explore import plotting
>>> ax = plotting.plot_activation("relu")
>>> ax.get_title()
'relu and its derivative'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct
# for the common forms of colour blindness.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: The order in which lines and bars take their colours.
PALETTE = [
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue")
]
POSITIVE = OKABE_ITO["blue"]  # positive weights, class 1
NEGATIVE = OKABE_ITO["vermillion"]  # negative weights, class 0
NEUTRAL = "#999999"
HIGHLIGHT = OKABE_ITO["orange"]

#: Orange (low) through white to blue (high): for outputs over the input plane.
DIVERGING = LinearSegmentedColormap.from_list(
    "nnkit_diverging", [OKABE_ITO["vermillion"], "#f7f7f7", OKABE_ITO["blue"]]
)
#: Two light colours for the decision regions of a two-class classifier.
REGIONS = ListedColormap(["#f6c9a6", "#a9cde6"], name="nnkit_regions")


# --- small shared pieces -------------------------------------------------------


def _new_axes(ax, figsize=(5.0, 3.6)):
    """Return ``ax``, or the Axes of a new pyplot figure when ``ax`` is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _label(ax, title, xlabel, ylabel):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _activation(activation):
    """(function, name) for an activation given by name, callable or None."""
    from nnkit.activations import activation_name, get_activation

    return get_activation(activation), activation_name(activation)


def _derivative(activation):
    """The derivative of a registered activation, or None when the registry has none."""
    from nnkit.activations import ACTIVATIONS, activation_name

    entry = ACTIVATIONS.get(activation_name(activation))
    return None if entry is None else entry.derivative


def _grid(xlim, ylim, resolution):
    """Points of a resolution × resolution grid as a (resolution², 2) batch."""
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def _scatter_labelled(ax, points, labels):
    """Points coloured by their 0/1 label (circles for 0, squares for 1)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if labels is None:
        return [ax.scatter(points[:, 0], points[:, 1], c="k", s=30, zorder=3)]
    labels = np.asarray(labels).ravel()
    artists = []
    for value, colour, marker in ((0, NEGATIVE, "o"), (1, POSITIVE, "s")):
        chosen = points[labels == value]
        artists.append(
            ax.scatter(
                chosen[:, 0], chosen[:, 1], c=colour, marker=marker, s=36,
                edgecolors="k", linewidths=0.6, zorder=3, label=f"class {value}",
            )
        )
    return artists


def boundary_segment(w, b, xlim, ylim):
    """End points of the line ``w[0]·x1 + w[1]·x2 + b = 0`` inside the box (lesson 1).

    Returns two lists ``([x1_start, x1_end], [x2_start, x2_end])``, empty when the
    line misses the box or when ``w`` is zero.

    >>> boundary_segment([1.0, 1.0], -1.0, (-2, 2), (-2, 2))
    ([-1.0, 2.0], [2.0, -1.0])
    """
    w1, w2 = float(w[0]), float(w[1])
    b = float(b)
    candidates = []
    if w2 != 0.0:
        for x1 in xlim:
            candidates.append((float(x1), -(w1 * x1 + b) / w2))
    if w1 != 0.0:
        for x2 in ylim:
            candidates.append((-(w2 * x2 + b) / w1, float(x2)))
    inside = [
        (x1, x2)
        for x1, x2 in candidates
        if xlim[0] - 1e-9 <= x1 <= xlim[1] + 1e-9 and ylim[0] - 1e-9 <= x2 <= ylim[1] + 1e-9
    ]
    inside = sorted(set(inside))
    if len(inside) < 2:
        return [], []
    (a1, a2), (c1, c2) = inside[0], inside[-1]
    return [a1, c1], [a2, c2]


# --- lesson 2: activations -------------------------------------------------------


def plot_activation(activation, ax=None, xlim=(-5.0, 5.0), derivative=True, n_points=401):
    """Draw an activation function and, dashed, its derivative (lesson 2).

    ``activation`` is a registered name (``"sigmoid"``, ``"relu"``, ...) or a callable.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_activation("sigmoid")
    >>> [line.get_label() for line in ax.get_lines()[2:]]
    ['sigmoid', "sigmoid'"]
    """
    ax = _new_axes(ax)
    function, name = _activation(activation)
    x = np.linspace(xlim[0], xlim[1], n_points)
    ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.axvline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.plot(x, function(x), color=PALETTE[0], linewidth=2.2, label=name)
    slope = _derivative(activation) if derivative else None
    if slope is not None:
        ax.plot(x, slope(x), color=PALETTE[1], linewidth=1.8, linestyle="--", label=f"{name}'")
    _label(ax, f"{name} and its derivative" if slope else name, "z", "output")
    ax.set_xlim(*xlim)
    ax.legend(loc="upper left", frameon=False)
    return ax


def plot_activations(activations=("sigmoid", "tanh", "relu", "gelu"), ax=None,
                     xlim=(-4.0, 4.0), derivative=False, n_points=401):
    """Draw several activations on one Axes, or their derivatives (lesson 2).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_activations(["sigmoid", "relu"], derivative=True)
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('Derivatives of activation functions', ["sigmoid'", "relu'"])
    """
    ax = _new_axes(ax)
    x = np.linspace(xlim[0], xlim[1], n_points)
    for index, activation in enumerate(activations):
        function, name = _activation(activation)
        colour = PALETTE[index % len(PALETTE)]
        if derivative:
            slope = _derivative(activation)
            if slope is not None:
                ax.plot(x, slope(x), color=colour, linewidth=2, label=f"{name}'")
        else:
            ax.plot(x, function(x), color=colour, linewidth=2, label=name)
    what = "Derivatives of activation functions" if derivative else "Activation functions"
    _label(ax, what, "z", "derivative" if derivative else "output")
    ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.set_xlim(*xlim)
    ax.legend(frameon=False)
    return ax


def plot_vanishing_gradient(max_depth=12, ax=None, factor=0.25):
    """The largest gradient that survives ``depth`` sigmoid layers: 0.25 per layer (lesson 2).

    The sigmoid's slope is at most 0.25 (at z = 0), so after ``d`` layers the
    backward signal is at most ``0.25 ** d`` times what it was; a ReLU's slope is 1.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_vanishing_gradient(10)
    >>> ax.get_yscale(), len(ax.patches)
    ('log', 10)
    """
    ax = _new_axes(ax)
    depths = np.arange(1, max_depth + 1)
    ax.bar(depths, float(factor) ** depths, color=PALETTE[0], label=f"sigmoid: {factor} per layer")
    ax.axhline(1.0, color=PALETTE[1], linestyle="--", label="ReLU (active units): 1 per layer")
    ax.set_yscale("log")
    _label(ax, "Vanishing gradient across depth", "number of layers", "largest gradient factor")
    ax.set_xticks(depths)
    ax.legend(frameon=False, loc="lower left")
    return ax


def plot_softmax_bars(logits, temperature=1.0, ax=None, labels=None):
    """Bars of ``softmax(logits / temperature)``, each labelled with its probability (lesson 2).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_softmax_bars([2.0, 1.0, 0.1])
    >>> [round(float(p.get_height()), 3) for p in ax.patches]
    [0.659, 0.242, 0.099]
    """
    from nnkit.activations import softmax

    ax = _new_axes(ax)
    logits = np.asarray(logits, dtype=float).ravel()
    probabilities = softmax(logits / float(temperature))
    labels = list(labels) if labels is not None else [f"z{i + 1}" for i in range(logits.size)]
    colours = [PALETTE[i % len(PALETTE)] for i in range(logits.size)]
    bars = ax.bar(labels, probabilities, color=colours)
    for bar, p in zip(bars, probabilities, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, p + 0.02, f"{p:.2f}", ha="center")
    ax.set_ylim(0.0, 1.1)
    _label(ax, f"softmax at temperature {float(temperature):g}", "class", "probability")
    return ax


# --- lesson 1 and 3: outputs over the input plane ---------------------------------------


def plot_output_plane(function, ax=None, xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), resolution=121,
                      points=None, labels=None, threshold=0.5, vmin=None, vmax=None,
                      title="Output over the input plane", colorbar=True):
    """Colour the input plane by a model's output and draw its ``threshold`` contour.

    ``function`` maps a batch of shape ``(n, 2)`` to ``n`` outputs (shape ``(n,)``
    or ``(n, 1)``): a neuron, a network, any callable. Optional ``points`` with
    0/1 ``labels`` are drawn on top (lessons 1 and 3).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_output_plane(lambda X: X[:, 0] + X[:, 1], threshold=0.0)
    >>> len(ax.images), ax.get_xlabel()
    (1, 'x1')
    """
    ax = _new_axes(ax)
    grid = _grid(xlim, ylim, resolution)
    values = np.asarray(function(grid), dtype=float).reshape(resolution, resolution)
    image = ax.imshow(
        values, origin="lower", extent=(*xlim, *ylim), cmap=DIVERGING, aspect="auto",
        vmin=vmin, vmax=vmax, interpolation="bilinear",
    )
    if threshold is not None and values.min() < threshold < values.max():
        xs = np.linspace(xlim[0], xlim[1], resolution)
        ys = np.linspace(ylim[0], ylim[1], resolution)
        ax.contour(xs, ys, values, levels=[threshold], colors="k", linewidths=2)
    if points is not None:
        _scatter_labelled(ax, points, labels)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="output")
    _label(ax, title, "x1", "x2")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return ax


def plot_decision_boundary(w, b, activation="sigmoid", ax=None, xlim=(-3.0, 3.0),
                           ylim=(-3.0, 3.0), points=None, labels=None, resolution=121):
    """A neuron's output over the plane and its boundary line ``w·x + b = 0`` (lesson 1).

    One neuron draws one straight boundary: the output is above its midpoint on
    one side of the line and below on the other.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_decision_boundary([1.0, 1.0], -1.5, points=[[0, 0], [1, 1]], labels=[0, 1])
    >>> ax.get_lines()[0].get_label()
    'boundary: z = 0'
    """
    function, name = _activation(activation)
    w = np.asarray(w, dtype=float).ravel()
    ax = plot_output_plane(
        lambda X: function(X @ w + float(b)), ax=ax, xlim=xlim, ylim=ylim, resolution=resolution,
        threshold=None, title=f"One {name} neuron: output and boundary",
    )
    line_x, line_y = boundary_segment(w, b, xlim, ylim)
    ax.plot(line_x, line_y, color="k", linewidth=2.2, label="boundary: z = 0")
    if points is not None:
        _scatter_labelled(ax, points, labels)
    ax.legend(loc="upper right", framealpha=0.8)
    return ax


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
    ax = _new_axes(ax)
    function = network if callable(network) and not isinstance(network, list) else None
    if function is None:
        function = as_network(network)
    grid = _grid(xlim, ylim, resolution)
    image = ax.imshow(
        predicted_classes(function, grid, threshold).reshape(resolution, resolution),
        origin="lower", extent=(*xlim, *ylim), cmap=REGIONS, vmin=0, vmax=1, aspect="auto",
        interpolation="nearest",
    )
    image.set_gid("regions")
    if points is not None:
        _scatter_labelled(ax, points, labels)
    _label(ax, "Decision regions", "x1", "x2")
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


# --- lessons 3 and 4: networks ------------------------------------------------------


def as_network(network):
    """An ``nnkit.Network`` from a Network, a list of Dense layers or of ``(W, b[, activation])``.

    >>> from nnkit.layers import xor_network
    >>> as_network(xor_network()).sizes
    [2, 2, 1]
    """
    from nnkit.layers import Dense
    from nnkit.network import Network

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


def _draw_network(ax, sizes, weights=None, max_nodes=10, layer_names=None):
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
    ax = _new_axes(ax, figsize=(5.0, 3.2))
    sizes, weights = _network_shape(network)
    diagram = _draw_network(ax, sizes, weights, max_nodes=max_nodes, layer_names=layer_names)
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
    ax = _new_axes(ax, figsize=(6.0, 3.0))
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
    _label(ax, "Each layer's values", "layer", "value")
    return ax


# --- lesson 5: universal approximation ---------------------------------------------------


@dataclass
class ApproximationCurves:
    """Everything ``plot_approximation`` draws, computed once."""

    x: np.ndarray
    target: np.ndarray
    approximation: np.ndarray
    parts: np.ndarray  # (n_parts, len(x))
    max_error: float
    worst_x: float


def approximation_curves(f, a, b, n_hidden, parts="hats", n_points=1001, steepness=None,
                         spacing="adaptive"):
    """The target, a one-hidden-layer approximation and its parts on ``[a, b]`` (lesson 5).

    ``parts="hats"``: ``nnkit.approximate`` gives ``n_hidden`` ReLU units whose sum is
    the piecewise-linear interpolant; the parts are the triangular hats of that
    interpolant, one per knot (``spacing`` as in ``approximate``).
    ``parts="bumps"``: ``n_hidden // 2`` sigmoid bumps (two sigmoid units each),
    each as high as the target at its centre.

    >>> curves = approximation_curves(np.sin, -np.pi, np.pi, 16)
    >>> curves.parts.shape[1] == curves.x.size, curves.max_error < 0.05
    (True, True)
    """
    x = np.linspace(a, b, n_points)
    target = np.asarray(f(x), dtype=float)
    if parts == "hats":
        approximation, pieces = _hat_parts(f, a, b, n_hidden, x, spacing)
    elif parts == "bumps":
        approximation, pieces = _bump_parts(f, a, b, n_hidden, x, steepness)
    else:
        raise ValueError(f"parts must be 'hats' or 'bumps'; got {parts!r}")
    error = np.abs(approximation - target)
    worst = int(np.argmax(error))
    return ApproximationCurves(x, target, approximation, pieces, float(error[worst]),
                               float(x[worst]))


def _hat_parts(f, a, b, n_hidden, x, spacing):
    from nnkit.approximation import approximate, one_hidden_layer

    W1, b1, W2, b2 = approximate(f, a, b, n_hidden, spacing=spacing)
    approximation = np.asarray(one_hidden_layer(x, W1, b1, W2, b2), dtype=float).reshape(x.shape)
    w1 = np.asarray(W1, dtype=float).ravel()
    active = w1 != 0
    kinks = -np.asarray(b1, dtype=float).ravel()[active] / w1[active]
    knots = np.unique(np.clip(np.concatenate([[a, b], kinks]), a, b))
    heights = np.asarray(one_hidden_layer(knots, W1, b1, W2, b2), dtype=float).reshape(knots.shape)
    pieces = np.array([np.interp(x, knots, np.eye(knots.size)[i]) * heights[i]
                       for i in range(knots.size)])
    return approximation, pieces


def _bump_parts(f, a, b, n_hidden, x, steepness):
    from nnkit.approximation import sigmoid_bump

    n_bumps = max(1, int(n_hidden) // 2)
    edges = np.linspace(a, b, n_bumps + 1)
    width = (b - a) / n_bumps
    steepness = steepness if steepness is not None else 20.0 / width
    centres = (edges[:-1] + edges[1:]) / 2
    heights = np.asarray(f(centres), dtype=float)
    pieces = np.array([
        sigmoid_bump(x, left, right, height, steepness)
        for left, right, height in zip(edges[:-1], edges[1:], heights, strict=True)
    ])
    return pieces.sum(axis=0), pieces


def plot_approximation(f, a, b, n_hidden=8, parts="hats", ax=None, show_parts=True,
                       name="f(x)"):
    """A target, its one-hidden-layer approximation, the parts and the worst error (lesson 5).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_approximation(np.sin, -np.pi, np.pi, n_hidden=6)
    >>> [line.get_label() for line in ax.get_lines()[:2]]
    ['sin(x)', 'approximation']
    """
    ax = _new_axes(ax, figsize=(6.0, 3.6))
    curves = approximation_curves(f, a, b, n_hidden, parts)
    if name == "f(x)" and getattr(f, "__name__", "<lambda>") != "<lambda>":
        name = f"{f.__name__}(x)"
    if show_parts:
        ax.add_collection(LineCollection(
            [np.column_stack([curves.x, part]) for part in curves.parts],
            colors=PALETTE[2], linewidths=1.0, alpha=0.7, label=parts,
        ))
    ax.plot(curves.x, curves.target, color="k", linewidth=2.0, label=name)
    ax.plot(curves.x, curves.approximation, color=PALETTE[0], linewidth=2.0,
            label="approximation")
    worst_y = np.interp(curves.worst_x, curves.x, curves.approximation)
    target_y = np.interp(curves.worst_x, curves.x, curves.target)
    ax.plot([curves.worst_x, curves.worst_x], [target_y, worst_y], color=PALETTE[3],
            linewidth=2.5, label=f"max error {curves.max_error:.3g}")
    _label(ax, f"{n_hidden} hidden units ({parts})", "x", "y")
    ax.legend(frameon=False, fontsize="small", loc="best")
    return ax


def plot_error_curve(hidden_counts, errors, ax=None, label="max error", reference_slope=-2.0):
    """Maximum error against the number of hidden units, log-log (lesson 5).

    A straight line of slope −2 is the error of a piecewise-linear interpolant of a
    smooth function: double the units, a quarter of the error.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_error_curve([4, 8, 16, 32], [0.2, 0.05, 0.0125, 0.003])
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    ax = _new_axes(ax)
    counts = np.asarray(hidden_counts, dtype=float)
    errors = np.asarray(errors, dtype=float)
    ax.loglog(counts, errors, marker="o", color=PALETTE[0], linewidth=2, label=label)
    if reference_slope is not None:
        reference = errors[0] * (counts / counts[0]) ** float(reference_slope)
        ax.loglog(counts, reference, linestyle=":", color=NEUTRAL,
                  label=f"slope {reference_slope:g}")
    _label(ax, "Error against hidden units", "hidden units", "maximum error")
    ax.legend(frameon=False)
    return ax


def plot_sawtooth(depths=(1, 2, 3, 4), ax=None, n_points=1025):
    """The composed tent map: each extra layer doubles the number of pieces (lesson 5).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_sawtooth((1, 2))
    >>> len(ax.get_lines())
    2
    """
    from nnkit.approximation import sawtooth

    ax = _new_axes(ax)
    x = np.linspace(0.0, 1.0, n_points)
    for index, depth in enumerate(depths):
        ax.plot(x, sawtooth(x, depth), color=PALETTE[index % len(PALETTE)],
                label=f"depth {depth}: {2 ** depth} pieces")
    _label(ax, "Depth doubles the pieces", "x", "output")
    ax.legend(frameon=False, fontsize="small", loc="upper right")
    return ax


# --- lesson 6: parameter counting ---------------------------------------------------


def famous_parameter_counts():
    """Parameter counts from a digit classifier to GPT-3, smallest first (lesson 6).

    >>> counts = famous_parameter_counts()
    >>> min(counts.values()) < 10**6 < 10**11 < max(counts.values())
    True
    """
    from nnkit.counting import FAMOUS_MODELS, count_params

    counts = {name: int(count_params(name)) for name in FAMOUS_MODELS}
    return dict(sorted(counts.items(), key=lambda item: item[1]))


def plot_parameter_counts(counts=None, ax=None, highlight=None):
    """A log-scale bar chart of parameter counts (lesson 6).

    ``counts`` maps a model's name to its number of parameters; by default the
    famous models from ``nnkit.counting``. The bar named ``highlight`` is orange.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_parameter_counts({"digit MLP": 235146, "GPT-2 small": 124439808})
    >>> ax.get_xscale(), len(ax.patches)
    ('log', 2)
    """
    ax = _new_axes(ax, figsize=(6.0, 3.2))
    counts = famous_parameter_counts() if counts is None else dict(counts)
    names = list(counts)
    values = [counts[name] for name in names]
    colours = [HIGHLIGHT if name == highlight else PALETTE[0] for name in names]
    bars = ax.barh(names, values, color=colours)
    for bar, value in zip(bars, values, strict=True):
        ax.text(value * 1.15, bar.get_y() + bar.get_height() / 2, _short_count(value),
                va="center", fontsize="small")
    ax.set_xscale("log")
    ax.set_xlim(left=max(1.0, min(values) / 3), right=max(values) * 30)
    _label(ax, "Parameters, from a digit classifier to GPT-3", "parameters (log scale)", "")
    return ax


def _short_count(n):
    """235146 → '235K', 124439808 → '124M'."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(int(n))

