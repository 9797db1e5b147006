"""One neuron over the input plane: its output, its boundary line, its explorer (lesson 1).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = plot_decision_boundary([1.0, 1.0], -1.5)
>>> ax.get_lines()[0].get_label()
'boundary: z = 0'
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from nnkit.activations import activation_name, get_activation
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, slider
from nnkit.explore.style import (
    DIVERGING,
    NEUTRAL,
    PALETTE,
    REGIONS,
    GridImage,
    grid_points,
    label_axes,
    new_axes,
    scatter_classes,
)


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
    ax = new_axes(ax)
    grid = grid_points(xlim, ylim, resolution)
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
        scatter_classes(ax, points, labels)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="output")
    label_axes(ax, title, "x1", "x2")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return ax


def plot_decision_boundary(w, b, activation="sigmoid", ax=None, xlim=(-3.0, 3.0),
                           ylim=(-3.0, 3.0), points=None, labels=None, resolution=121):
    """A neuron's output over the plane and its boundary line ``w·x + b = 0`` (lesson 1).

    One neuron draws one straight boundary: the output is above its midpoint on
    one side of the line and below on the other. A step neuron has only two
    answers, so its plane gets the two light colours of the decision regions
    (blue for 1) and no colour bar, and points drawn on it stay visible. The
    legend sits below the plot, where it covers nothing.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_decision_boundary([1.0, 1.0], -1.5, points=[[0, 0], [1, 1]], labels=[0, 1])
    >>> ax.get_lines()[0].get_label()
    'boundary: z = 0'
    >>> ax = plot_decision_boundary([1.0, 1.0], -1.5, activation="step")
    >>> len(ax.figure.axes)  # no colour bar for a step neuron's two answers
    1
    """
    function, name = get_activation(activation), activation_name(activation)
    w = np.asarray(w, dtype=float).ravel()
    title = f"One {name} neuron: output and boundary"
    if name == "step":
        ax = new_axes(ax)
        grid = grid_points(xlim, ylim, resolution)
        answers = np.asarray(function(grid @ w + float(b)), dtype=float)
        ax.imshow(answers.reshape(resolution, resolution), origin="lower",
                  extent=(*xlim, *ylim), cmap=REGIONS, vmin=0, vmax=1, aspect="auto",
                  interpolation="nearest")
        label_axes(ax, title, "x1", "x2")
    else:
        low, high = _colour_limits(name) if name in _BOUNDED else (None, None)
        ax = plot_output_plane(
            lambda X: function(X @ w + float(b)), ax=ax, xlim=xlim, ylim=ylim,
            resolution=resolution, threshold=None, title=title, vmin=low, vmax=high,
        )
    line_x, line_y = boundary_segment(w, b, xlim, ylim)
    ax.plot(line_x, line_y, color="k", linewidth=2.2, label="boundary: z = 0")
    if points is not None:
        scatter_classes(ax, points, labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=3, frameon=False)
    return ax


_BOUNDED = ("sigmoid", "tanh")


NEURON_ACTIVATIONS = ("sigmoid", "step", "tanh", "relu", "leaky_relu", "gelu", "silu")


def _colour_limits(name):
    """Colour scale limits for a neuron's output: its range, or ±3 when unbounded."""
    return {"sigmoid": (0.0, 1.0), "step": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(name, (-3.0, 3.0))


class NeuronExplorer(Explorer):
    """One neuron ``activation(w1·x1 + w2·x2 + b)``: its output over the plane (lesson 1)."""

    name = "neuron explorer"
    limits = (-3.0, 3.0)
    resolution = 241

    def _draw(self):
        self._plane_ax, self._curve_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1.25, 1]}
        )
        ax = self._plane_ax
        lo, hi = self.limits
        self._grid = grid_points(self.limits, self.limits, self.resolution)
        self._image = GridImage(ax, (lo, hi, lo, hi), self.resolution, cmap=DIVERGING)
        self._image.set_clim(0.0, 1.0)
        colour_bar = self.figure.colorbar(self._image, ax=ax, label="output")
        (self._boundary,) = ax.plot([], [], color="k", linewidth=2.2, label="boundary z = 0")
        self._point = ax.scatter([0.0], [0.0], s=70, c=PALETTE[1], edgecolors="k", zorder=3,
                                 label="input x")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
        label_axes(ax, "Output over the input plane", "x1", "x2")
        curve = self._curve_ax
        self._z = np.linspace(-8.0, 8.0, 321)
        (self._curve,) = curve.plot(self._z, self._z, color=PALETTE[0], linewidth=2)
        self._marker = curve.scatter([0.0], [0.0], s=70, c=PALETTE[1], edgecolors="k", zorder=3)
        curve.axvline(0.0, color=NEUTRAL, linewidth=0.8)
        curve.set_xlim(self._z[0], self._z[-1])
        label_axes(curve, "activation(z)", "z = w·x + b", "output")
        curve.yaxis.tick_right()  # keep clear of the colour bar's label
        curve.yaxis.set_label_position("right")
        self._animate(self._image, self._boundary, self._point, self._curve, self._marker)
        self._animate_layout(curve.yaxis, curve.title, colour_bar.ax.yaxis)
        self._shown_activation = None

    def _refresh(self):
        v = self.values()
        name = v["activation"]
        function = get_activation(name)
        w = np.array([v["w1"], v["w2"]])
        x = np.array([v["x1"], v["x2"]])
        z = float(w @ x + v["b"])
        output = float(np.asarray(function(np.array([z]))).ravel()[0])
        self._image.set_values(
            np.asarray(function(self._grid @ w + v["b"]), dtype=float).reshape(
                self.resolution, self.resolution
            )
        )
        self._boundary.set_data(*boundary_segment(w, v["b"], self.limits, self.limits))
        self._point.set_offsets([x])
        self._marker.set_offsets([[np.clip(z, self._z[0], self._z[-1]), output]])
        relayout = name != self._shown_activation
        if relayout:
            low, high = _colour_limits(name)
            self._image.set_clim(low, high)
            curve = np.asarray(function(self._z), dtype=float)
            self._curve.set_ydata(curve)
            self._curve.set_label(name)
            span = max(curve.max() - curve.min(), 1e-6)
            self._curve_ax.set_ylim(curve.min() - 0.08 * span, curve.max() + 0.08 * span)
            self._curve_ax.set_title(f"{name}(z)")
            self._shown_activation = name
        side = "positive" if z > 0 else ("negative" if z < 0 else "on the boundary")
        self._results = {"z": z, "output": output}
        bias = f"{'−' if v['b'] < 0 else '+'} {abs(v['b']):.2f}"
        readout = (
            f"z = w1·x1 + w2·x2 + b = {v['w1']:.2f}·{v['x1']:.2f} + {v['w2']:.2f}·{v['x2']:.2f}"
            f" {bias} = <b>{z:.3f}</b> &nbsp; → &nbsp; {name}(z) = <b>{output:.3f}</b>"
            f" &nbsp; (the input is on the {side} side)"
            if side != "on the boundary" else
            f"z = <b>{z:.3f}</b> → {name}(z) = <b>{output:.3f}</b> (the input is on the boundary)"
        )
        return readout, relayout


def neuron_explorer(w1=1.0, w2=1.0, b=-1.0, activation="sigmoid", x=(1.0, 0.5)):
    """Sliders for one neuron's weights, bias, activation and input (lesson 1).

    Shows ``z = w1·x1 + w2·x2 + b``, the output for the chosen input, and the
    output over the input plane with the boundary line ``z = 0``.

    >>> explorer = neuron_explorer(w1=2.0, w2=0.0, b=0.0, x=(1.0, 0.0))
    >>> explorer.results()["z"]
    2.0
    >>> explorer.set(w1=-0.5).results()["z"]
    -0.5
    """
    controls = {
        "w1": slider("w1", w1),
        "w2": slider("w2", w2),
        "b": slider("b", b),
        "activation": widgets.Dropdown(options=list(NEURON_ACTIVATIONS), value=activation,
                                       description="activation", style=SLIDER_STYLE),
        "x1": slider("input x1", x[0]),
        "x2": slider("input x2", x[1]),
    }
    return NeuronExplorer(controls)
