"""Explorers: sliders next to a figure that follows them, one per lesson idea.

Each function here returns an :class:`Explorer`, an ``ipywidgets.VBox`` that
shows its controls, a readout with the numbers, and a figure. The figure is
drawn once; a change of a control updates the artists already on it (line
data, image data, bar heights, colours) and redraws only those over a cached
background, then shows the result as PNG bytes in an ``ipywidgets.Image``. So
dragging a slider stays smooth, no new matplotlib figure is made per step,
and the figure shows with the default inline backend (no ipympl needed).

Every explorer has the same small interface, usable outside the lessons:

- ``.controls``: a dict from name to control widget;
- ``.values()``: the controls' current values as plain Python numbers and strings;
- ``.results()``: the numbers the explorer shows (``z``, the output, an error...);
- ``.set(**values)``: move several controls at once, then update once;
- ``.readout``: the HTML widget with the numbers, ``.figure``, ``.image``.

``import nnkit`` does not import this module; ipywidgets and matplotlib are only
needed by those who explore.

>>> from nnkit.explore.widgets import neuron_explorer
>>> explorer = neuron_explorer()
>>> sorted(explorer.values())
['activation', 'b', 'w1', 'w2', 'x1', 'x2']
"""

from __future__ import annotations

import base64
import html
import io
from importlib import resources
from itertools import pairwise

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from nnkit.explore import plotting
from nnkit.explore.plotting import NEGATIVE, NEUTRAL, PALETTE, POSITIVE

SLIDER_STYLE = {"description_width": "initial"}


def _plain(value):
    """A control's value as a plain Python number, string or tuple."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (tuple, list)):
        return tuple(_plain(item) for item in value)
    return value


def _slider(description, value, low=-3.0, high=3.0, step=0.1):
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, readout_format=".2f", style=SLIDER_STYLE,
        layout=widgets.Layout(width="260px"),
    )


def _fmt(value, digits=3):
    return f"{float(value):.{digits}g}" if abs(float(value)) < 1e4 else f"{float(value):.3e}"


def _table(rows, header=None):
    """A small HTML table from rows of cells (already strings)."""
    cells = ""
    if header:
        cells += "<tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr>"
    for row in rows:
        cells += "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
    return f"<table style='border-collapse:collapse'>{cells}</table>"


class Explorer(widgets.VBox):
    """Controls, a readout and a figure that is redrawn in place on every change.

    Subclasses create their artists once in ``_draw()`` (marking the ones that
    change with ``self._animate(...)``) and move them in ``_refresh()``, which
    returns the readout's HTML and whether the figure's layout (axis limits,
    ticks) changed so that the static background must be drawn again.
    """

    figsize = (7.6, 3.1)
    dpi = 72
    name = "explorer"

    def __init__(self, controls):
        self.controls = dict(controls)
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="jpeg")
        self._results = {}
        self._dynamic = []
        self._background = None
        self._relayout = True
        self._holding = False
        self._draw()
        rows = _control_rows(list(self.controls.values()))
        super().__init__(children=[*rows, self.readout, self.image])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # -- the interface ----------------------------------------------------------

    def values(self):
        """The controls' current values: a dict of plain Python numbers and strings."""
        return {name: _plain(control.value) for name, control in self.controls.items()}

    def results(self):
        """The numbers the explorer currently shows, as plain Python values."""
        return dict(self._results)

    def set(self, **values):
        """Move several controls, then update the figure once."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"{self.name} has the controls {sorted(self.controls)}; got {unknown}"
            )
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()
        return self

    def update(self):
        """Recompute from the controls, move the artists, redraw, show the new image."""
        readout, relayout = self._refresh()
        self.readout.value = readout
        self._render(full=relayout or self._relayout)
        self._relayout = False

    def png(self):
        """The figure as it is shown now, as PNG bytes (e.g. to save it)."""
        return self._encode("png")

    def __repr__(self):
        return f"{type(self).__name__}(controls: {', '.join(self.controls)})"

    def _repr_mimebundle_(self, **kwargs):
        # A static viewer (nbviewer, GitHub) cannot run the widget: give it the picture.
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
            bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle

    # -- for subclasses ---------------------------------------------------------

    def _draw(self):
        raise NotImplementedError

    def _refresh(self):
        raise NotImplementedError

    def _animate(self, *artists):
        """Mark artists as the ones that change: drawn over the cached background."""
        for artist in artists:
            artist.set_animated(True)
            self._dynamic.append(artist)

    @staticmethod
    def _fit_limits(ax, low, high, axis="y", pad=0.08):
        """Widen (or, when far too wide, narrow) the limits to ``[low, high]``; True if moved."""
        get = ax.get_ylim if axis == "y" else ax.get_xlim
        put = ax.set_ylim if axis == "y" else ax.set_xlim
        low, high = float(min(low, 0.0)), float(max(high, 0.0))
        span = max(high - low, 1e-6)
        current_low, current_high = get()
        fits = current_low <= low and high <= current_high
        too_wide = (current_high - current_low) > 4 * span + 1e-9
        if fits and not too_wide:
            return False
        put(low - pad * span, high + pad * span)
        return True

    # -- drawing ------------------------------------------------------------------

    def _render(self, full):
        """Draw the changing artists over the cached background, show the picture.

        A full redraw (new axis limits or ticks) caches a new background; the
        figure is laid out once, at the first one, so the axes never jump. The
        picture is sent as JPEG: several times faster to encode than PNG here,
        and a third of the bytes to send to the browser.
        """
        canvas = self.figure.canvas
        if self._background is None:
            # room to spare, for tick labels that grow when limits change later
            self.figure.get_layout_engine().set(w_pad=0.15, h_pad=0.05, wspace=0.06)
            self.figure.get_layout_engine().execute(self.figure)
            self.figure.set_layout_engine("none")
        if full or self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = self._encode("jpeg")

    def _encode(self, image_format):
        pixels = np.asarray(self.figure.canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        if image_format == "png":
            PILImage.fromarray(pixels).save(buffer, format="png", compress_level=1)
        else:
            PILImage.fromarray(pixels).save(buffer, format="jpeg", quality=92)
        return buffer.getvalue()

    def _on_change(self, change):
        if not self._holding:
            self.update()


def _control_rows(controls, per_row=3):
    rows = []
    for start in range(0, len(controls), per_row):
        rows.append(widgets.HBox(controls[start:start + per_row]))
    return rows


# --- lesson 1: the neuron ---------------------------------------------------------------

NEURON_ACTIVATIONS = ("sigmoid", "step", "tanh", "relu", "leaky_relu", "gelu", "silu")


def _colour_limits(name):
    """Colour scale limits for a neuron's output: its range, or ±3 when unbounded."""
    return {"sigmoid": (0.0, 1.0), "step": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(name, (-3.0, 3.0))


class NeuronExplorer(Explorer):
    """One neuron ``activation(w1·x1 + w2·x2 + b)``: its output over the plane (lesson 1)."""

    name = "neuron explorer"
    limits = (-3.0, 3.0)
    resolution = 81

    def _draw(self):
        self._plane_ax, self._curve_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1.25, 1]}
        )
        ax = self._plane_ax
        lo, hi = self.limits
        self._grid = plotting._grid(self.limits, self.limits, self.resolution)
        self._image = ax.imshow(
            np.zeros((self.resolution, self.resolution)), origin="lower", extent=(lo, hi, lo, hi),
            cmap=plotting.DIVERGING, vmin=0.0, vmax=1.0, aspect="auto", interpolation="bilinear",
        )
        self.figure.colorbar(self._image, ax=ax, label="output")
        (self._boundary,) = ax.plot([], [], color="k", linewidth=2.2, label="boundary z = 0")
        self._point = ax.scatter([0.0], [0.0], s=70, c=PALETTE[1], edgecolors="k", zorder=3,
                                 label="input x")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.legend(loc="upper right", fontsize="x-small", framealpha=0.8)
        plotting._label(ax, "Output over the input plane", "x1", "x2")
        curve = self._curve_ax
        self._z = np.linspace(-8.0, 8.0, 321)
        (self._curve,) = curve.plot(self._z, self._z, color=PALETTE[0], linewidth=2)
        self._marker = curve.scatter([0.0], [0.0], s=70, c=PALETTE[1], edgecolors="k", zorder=3)
        curve.axvline(0.0, color=NEUTRAL, linewidth=0.8)
        curve.set_xlim(self._z[0], self._z[-1])
        plotting._label(curve, "activation(z)", "z = w·x + b", "output")
        curve.yaxis.tick_right()  # keep clear of the colour bar's label
        curve.yaxis.set_label_position("right")
        self._animate(self._image, self._boundary, self._point, self._curve, self._marker)
        self._shown_activation = None

    def _refresh(self):
        from nnkit.activations import get_activation

        v = self.values()
        name = v["activation"]
        function = get_activation(name)
        w = np.array([v["w1"], v["w2"]])
        x = np.array([v["x1"], v["x2"]])
        z = float(w @ x + v["b"])
        output = float(np.asarray(function(np.array([z]))).ravel()[0])
        self._image.set_data(
            np.asarray(function(self._grid @ w + v["b"]), dtype=float).reshape(
                self.resolution, self.resolution
            )
        )
        self._boundary.set_data(*plotting.boundary_segment(w, v["b"], self.limits, self.limits))
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
        readout = (
            f"z = w1·x1 + w2·x2 + b = {v['w1']:.2f}·{v['x1']:.2f} + {v['w2']:.2f}·{v['x2']:.2f}"
            f" + {v['b']:.2f} = <b>{z:.3f}</b> &nbsp; → &nbsp; {name}(z) = <b>{output:.3f}</b>"
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
        "w1": _slider("w1", w1),
        "w2": _slider("w2", w2),
        "b": _slider("b", b),
        "activation": widgets.Dropdown(options=list(NEURON_ACTIVATIONS), value=activation,
                                       description="activation", style=SLIDER_STYLE),
        "x1": _slider("input x1", x[0]),
        "x2": _slider("input x2", x[1]),
    }
    return NeuronExplorer(controls)


# --- lesson 2: activations -----------------------------------------------------------

EXPLORED_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "step")


class ActivationExplorer(Explorer):
    """An activation and its derivative over a range, read at one point ``z`` (lesson 2)."""

    name = "activation explorer"
    figsize = (6.4, 3.0)
    n_points = 301

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        (self._function,) = ax.plot([], [], color=PALETTE[0], linewidth=2.2, label="function")
        (self._slope,) = ax.plot([], [], color=PALETTE[1], linewidth=1.8, linestyle="--",
                                 label="derivative")
        self._points = ax.scatter([0.0, 0.0], [0.0, 0.0], s=60, c=[PALETTE[0], PALETTE[1]],
                                  edgecolors="k", zorder=3)
        ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
        ax.axvline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
        ax.legend(loc="upper left", frameon=False, fontsize="small")
        plotting._label(ax, "activation", "z", "output")
        self._animate(self._function, self._slope, self._points)
        self._shown = None

    def _refresh(self):
        v = self.values()
        name = v["activation"]
        low, high = v["range"]
        function, _ = plotting._activation(name)
        slope = plotting._derivative(name)
        z = float(np.clip(v["z"], low, high))
        relayout = (name, low, high) != self._shown
        if relayout:
            xs = np.linspace(low, high, self.n_points)
            ys = np.asarray(function(xs), dtype=float)
            ds = np.asarray(slope(xs), dtype=float) if slope is not None else np.zeros_like(xs)
            self._function.set_data(xs, ys)
            self._slope.set_data(xs, ds)
            self._ax.set_xlim(low, high)
            top, bottom = max(ys.max(), ds.max()), min(ys.min(), ds.min())
            span = max(top - bottom, 1e-6)
            self._ax.set_ylim(bottom - 0.08 * span, top + 0.08 * span)
            self._ax.set_title(f"{name} and its derivative")
            self._shown = (name, low, high)
        value = float(np.asarray(function(np.array([z]))).ravel()[0])
        gradient = float(np.asarray(slope(np.array([z]))).ravel()[0]) if slope else float("nan")
        self._points.set_offsets([[z, value], [z, gradient]])
        self._results = {"z": z, "output": value, "derivative": gradient}
        ys, ds = self._function.get_ydata(), self._slope.get_ydata()
        readout = (
            f"{name}({z:.2f}) = <b>{value:.4f}</b> &nbsp; {name}'({z:.2f}) = <b>{gradient:.4f}</b>"
            f"<br>on [{low:g}, {high:g}]: {name} runs from {np.min(ys):.3g} to {np.max(ys):.3g},"
            f" its slope is at most {np.max(ds):.3g}"
        )
        return readout, relayout


def activation_explorer(activation="sigmoid", z=0.0, zrange=(-6.0, 6.0)):
    """An activation function and its derivative over a range, read at a point (lesson 2).

    >>> explorer = activation_explorer("sigmoid", z=0.0)
    >>> explorer.results()["derivative"]
    0.25
    >>> round(explorer.set(activation="relu", z=2.0).results()["output"], 3)
    2.0
    """
    controls = {
        "activation": widgets.Dropdown(options=list(EXPLORED_ACTIVATIONS), value=activation,
                                       description="activation", style=SLIDER_STYLE),
        "range": widgets.FloatRangeSlider(value=zrange, min=-12.0, max=12.0, step=0.5,
                                          description="z range", style=SLIDER_STYLE),
        "z": _slider("z", z, -12.0, 12.0, 0.1),
    }
    return ActivationExplorer(controls)


class SoftmaxExplorer(Explorer):
    """Logits and a temperature in, probability bars out (lesson 2)."""

    name = "softmax explorer"
    figsize = (6.6, 3.0)

    def __init__(self, controls, labels):
        self.labels = list(labels)
        super().__init__(controls)

    def _draw(self):
        self._logit_ax, self._prob_ax = self.figure.subplots(1, 2)
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(self.labels))]
        self._logit_bars = self._logit_ax.bar(self.labels, np.zeros(len(self.labels)),
                                              color=colours)
        self._logit_ax.set_ylim(-10.0, 10.0)  # fixed: taller bars are cut at the edge
        self._logit_ax.axhline(0.0, color=NEUTRAL, linewidth=0.8)
        plotting._label(self._logit_ax, "logits z / T", "class", "z / T")
        self._bars = self._prob_ax.bar(self.labels, np.zeros(len(self.labels)), color=colours)
        self._texts = [
            self._prob_ax.text(bar.get_x() + bar.get_width() / 2, 0.0, "", ha="center",
                               fontsize="small")
            for bar in self._bars
        ]
        self._prob_ax.set_ylim(0.0, 1.12)
        plotting._label(self._prob_ax, "softmax(z / T)", "class", "probability")
        self._animate(*self._logit_bars, *self._bars, *self._texts)

    def _refresh(self):
        from nnkit.activations import softmax

        v = self.values()
        logits = np.array([v[label] for label in self.labels])
        temperature = v["temperature"]
        scaled = logits / temperature
        probabilities = np.asarray(softmax(scaled), dtype=float)
        for bar, value in zip(self._logit_bars, scaled, strict=True):
            bar.set_height(value)
        for bar, text, p in zip(self._bars, self._texts, probabilities, strict=True):
            bar.set_height(p)
            text.set_position((text.get_position()[0], p + 0.02))
            text.set_text(f"{p:.2f}")
        self._results = {
            "probabilities": [float(p) for p in probabilities],
            "largest": self.labels[int(np.argmax(probabilities))],
        }
        rows = [[label, _fmt(z), f"{p:.4f}"]
                for label, z, p in zip(self.labels, logits, probabilities, strict=True)]
        readout = (
            _table(rows, header=["class", "logit", "probability"])
            + f"temperature T = {temperature:.2f}; the probabilities sum to "
            f"{float(probabilities.sum()):.4f}"
        )
        return readout, False


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.0), temperature=1.0):
    """Sliders on logits and a temperature; bars of the softmax probabilities (lesson 2).

    >>> explorer = softmax_explorer(logits=(2.0, 1.0, 0.1))
    >>> [round(p, 3) for p in explorer.results()["probabilities"]]
    [0.659, 0.242, 0.099]
    >>> explorer.set(temperature=100.0).results()["largest"]
    'z1'
    """
    labels = [f"z{i + 1}" for i in range(len(logits))]
    controls = {label: _slider(label, float(z), -5.0, 5.0, 0.1)
                for label, z in zip(labels, logits, strict=True)}
    controls["temperature"] = widgets.FloatLogSlider(
        value=temperature, base=10, min=-1, max=2, step=0.05, description="temperature T",
        style=SLIDER_STYLE, readout_format=".2f",
    )
    return SoftmaxExplorer(controls, labels)


# --- lesson 3: layers, XOR ------------------------------------------------------------------

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([0, 1, 1, 0])
XOR_NAMES = ("w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c")


class XorExplorer(Explorer):
    """A 2-2-1 ReLU network, every weight on a slider: can it compute XOR? (lesson 3)."""

    name = "XOR explorer"
    figsize = (7.6, 3.2)
    limits = (-0.5, 1.5)
    resolution = 81

    def _layers(self):
        v = self.values()
        W1 = np.array([[v["w11"], v["w12"]], [v["w21"], v["w22"]]])
        b1 = np.array([v["b1"], v["b2"]])
        W2 = np.array([[v["v1"], v["v2"]]])
        c = np.array([v["c"]])
        return W1, b1, W2, c

    @staticmethod
    def _output(X, W1, b1, W2, c):
        from nnkit.activations import relu

        return (relu(X @ W1.T + b1) @ W2.T + c).ravel()

    def _draw(self):
        self._net_ax, self._plane_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1, 1.1]}
        )
        self._diagram = plotting._draw_network(
            self._net_ax, [2, 2, 1], layer_names=["input", "hidden (ReLU)", "output"]
        )
        self._net_ax.set_title("blue +, orange −, width = size", fontsize="medium")
        self._weight_texts = [
            self._net_ax.text(0, 0, "", fontsize="x-small", ha="center", va="center",
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                    "alpha": 0.8}, zorder=4)
            for _ in range(6)
        ]
        for text, (start, end) in zip(self._weight_texts, self._diagram.edges.get_segments(),
                                      strict=True):
            text.set_position(tuple(0.7 * np.asarray(start) + 0.3 * np.asarray(end)))
        node_centres = np.concatenate(self._diagram.positions[1:])  # hidden, then output
        self._bias_texts = [
            self._net_ax.text(x, y - 0.42, "", fontsize="x-small", ha="center", va="top")
            for x, y in node_centres
        ]
        ax = self._plane_ax
        lo, hi = self.limits
        self._grid = plotting._grid(self.limits, self.limits, self.resolution)
        self._image = ax.imshow(
            np.zeros((self.resolution, self.resolution)), origin="lower",
            extent=(lo, hi, lo, hi), cmap=plotting.REGIONS, vmin=0, vmax=1, aspect="auto",
            interpolation="nearest",
        )
        colours = [POSITIVE if t else NEGATIVE for t in XOR_TARGETS]
        self._points = ax.scatter(XOR_INPUTS[:, 0], XOR_INPUTS[:, 1], s=90, c=colours,
                                  edgecolors="k", linewidths=1.5, zorder=3)
        self._marks = [ax.text(x + 0.09, y + 0.09, "", fontsize="large", fontweight="bold")
                       for x, y in XOR_INPUTS]
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        plotting._label(ax, "decision regions (output > 0.5 is blue)", "x1", "x2")
        self._animate(self._diagram.edges, *self._weight_texts, *self._bias_texts, self._image,
                      self._points, *self._marks)

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
        self._image.set_data(grid_classes.reshape(self.resolution, self.resolution))
        outputs = self._output(XOR_INPUTS, W1, b1, W2, c)
        right = (outputs > 0.5).astype(int) == XOR_TARGETS
        for mark, ok in zip(self._marks, right, strict=True):
            mark.set_text("✓" if ok else "✗")
            mark.set_color(plotting.OKABE_ITO["bluish green"] if ok else NEGATIVE)
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
        readout = _table(rows, header=["input", "XOR", "output", ""]) + verdict
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
    controls = {name: _slider(name, float(value), -3.0, 3.0, 0.1)
                for name, value in zip(XOR_NAMES, start, strict=True)}
    return XorExplorer(controls)


# --- lesson 4: the forward pass ---------------------------------------------------------------


def _two_moons():
    """The shipped two-moons classifier (2 → 16 → 16 → 2) and a training point."""
    from nnkit.layers import Dense
    from nnkit.network import Network

    with resources.files("nnkit").joinpath("data/two_moons.npz").open("rb") as handle:
        data = dict(np.load(handle))
    network = Network([
        Dense(data["W1"], data["b1"], "relu"),
        Dense(data["W2"], data["b2"], "relu"),
        Dense(data["W3"], data["b3"], "softmax"),
    ])
    return network, data["X"][0]


class ForwardPassStepper(Explorer):
    """Step through a network's layers and watch each one's values (lesson 4)."""

    name = "forward-pass stepper"
    figsize = (7.8, 3.3)
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
        self._diagram = plotting._draw_network(self._net_ax, list(self.network.sizes),
                                               [np.asarray(layer.W, dtype=float)
                                                for layer in self.network.layers],
                                               max_nodes=self.max_nodes)
        self._net_ax.set_title("-".join(str(n) for n in self.network.sizes) + " network")
        self._net_ax.set_xlabel("layer (number of units)")
        widest = max(self.network.sizes)
        shown = min(widest, 32)
        self._bars = self._bar_ax.bar(np.arange(shown), np.zeros(shown), color=PALETTE[0])
        self._bar_ax.axhline(0.0, color=NEUTRAL, linewidth=0.8)
        self._bar_ax.set_xlim(-0.6, shown - 0.4)
        self._bar_ax.set_ylim(-1.0, 1.0)
        plotting._label(self._bar_ax, "values of the layer", "unit", "value")
        self._animate(self._bar_ax.title, self._diagram.nodes, *self._bars)

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
        readout = f"<b>{html.escape(what)}</b>, shape {tuple(np.shape(step.a))}" + _table(rows)
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
        network = plotting.as_network(network)
    n_in = network.sizes[0]
    controls = {"layer": widgets.IntSlider(value=0, min=0, max=len(network.layers),
                                           description="layer", style=SLIDER_STYLE)}
    fixed_input = None
    x = np.zeros(n_in) if x is None else np.asarray(x, dtype=float).ravel()
    if n_in <= 4:
        for i in range(n_in):
            controls[f"x{i + 1}"] = _slider(f"x{i + 1}", float(x[i]))
    else:
        fixed_input = x
    return ForwardPassStepper(controls, network, fixed_input)


# --- lesson 5: universal approximation ----------------------------------------------------------


def _step_target(x):
    return np.where(np.asarray(x) >= 0.0, 1.0, 0.0)


def _gaussian_target(x):
    return np.exp(-2.0 * np.asarray(x) ** 2)


TARGETS = {
    "sin": (np.sin, -np.pi, np.pi),
    "|x|": (np.abs, -2.0, 2.0),
    "x²": (np.square, -2.0, 2.0),
    "gaussian": (_gaussian_target, -3.0, 3.0),
    "step (discontinuous)": (_step_target, -2.0, 2.0),
}


class ApproximationExplorer(Explorer):
    """A one-hidden-layer approximation of a target, its parts and its worst error (lesson 5)."""

    name = "approximation explorer"
    figsize = (6.8, 3.2)

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        from matplotlib.collections import LineCollection

        self._parts = LineCollection([], colors=PALETTE[2], linewidths=1.0, alpha=0.75,
                                     label="parts")
        ax.add_collection(self._parts)
        (self._target,) = ax.plot([], [], color="k", linewidth=2.0, label="target")
        (self._approx,) = ax.plot([], [], color=PALETTE[0], linewidth=2.0,
                                  label="approximation")
        (self._error,) = ax.plot([], [], color=PALETTE[3], linewidth=3.0, label="max error")
        ax.legend(loc="upper left", fontsize="x-small", frameon=False, ncols=2)
        plotting._label(ax, "approximation", "x", "y")
        self._animate(ax.title, self._parts, self._target, self._approx, self._error)
        self._shown_target = None

    def _refresh(self):
        v = self.values()
        f, a, b = TARGETS[v["target"]]
        curves = plotting.approximation_curves(f, a, b, v["n_hidden"], v["parts"],
                                              spacing=v["spacing"])
        self._parts.set_segments([np.column_stack([curves.x, p]) for p in curves.parts])
        self._target.set_data(curves.x, curves.target)
        self._approx.set_data(curves.x, curves.approximation)
        worst_target = np.interp(curves.worst_x, curves.x, curves.target)
        worst_approx = np.interp(curves.worst_x, curves.x, curves.approximation)
        self._error.set_data([curves.worst_x] * 2, [worst_target, worst_approx])
        relayout = v["target"] != self._shown_target
        if relayout:
            low, high = curves.target.min(), curves.target.max()
            span = max(high - low, 1e-6)
            self._ax.set_xlim(a, b)
            self._ax.set_ylim(low - 0.25 * span, high + 0.45 * span)
            self._shown_target = v["target"]
        self._ax.set_title(f"{v['target']}: {v['n_hidden']} hidden units as {v['parts']}")
        self._results = {"max_error": curves.max_error, "worst_x": curves.worst_x,
                         "n_parts": len(curves.parts)}
        readout = (
            f"{v['n_hidden']} hidden units → {len(curves.parts)} {v['parts']}; "
            f"maximum error <b>{curves.max_error:.4f}</b> at x = {curves.worst_x:.3f}"
        )
        return readout, relayout


def approximation_explorer(target="sin", n_hidden=8, parts="hats", spacing="uniform"):
    """Choose a target, a number of hidden units, bumps or hats → the approximation (lesson 5).

    Hats are the pieces of the piecewise-linear interpolant ``nnkit.approximate``
    builds, their knots evenly spaced (``"uniform"``) or placed where the target
    curves most (``"adaptive"``); bumps are pairs of steep sigmoids. The maximum
    error is measured on 1001 evenly spaced points, as ``nnkit.approximation.max_error``
    does.

    >>> explorer = approximation_explorer("sin", n_hidden=4)
    >>> coarse = explorer.results()["max_error"]
    >>> explorer.set(n_hidden=32).results()["max_error"] < coarse
    True
    """
    controls = {
        "target": widgets.Dropdown(options=list(TARGETS), value=target, description="target",
                                   style=SLIDER_STYLE),
        "n_hidden": widgets.IntSlider(value=n_hidden, min=2, max=40, description="hidden units",
                                      style=SLIDER_STYLE),
        "spacing": widgets.ToggleButtons(options=["uniform", "adaptive"], value=spacing,
                                         description="hat knots", style=SLIDER_STYLE),
        "parts": widgets.ToggleButtons(options=["hats", "bumps"], value=parts,
                                       description="parts", style=SLIDER_STYLE),
    }
    return ApproximationExplorer(controls)


# --- lesson 6: parameter counting ----------------------------------------------------------------

YOUR_NETWORK = "(your layer sizes)"


def _parse_sizes(text):
    from nnkit.counting import mlp_params

    try:
        sizes = [int(part) for part in str(text).replace("→", ",").replace("-", ",").split(",")
                 if part.strip()]
    except ValueError:
        raise ValueError(
            f"expected layer sizes as whole numbers separated by commas, e.g. "
            f"'784, 256, 10'; got {text!r}"
        ) from None
    return sizes, int(mlp_params(sizes))


class ParameterCounter(Explorer):
    """Layer sizes or a famous model, and a dtype → a table, the total, memory (lesson 6)."""

    name = "parameter counter"
    figsize = (6.8, 3.2)

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        self._famous = plotting.famous_parameter_counts()
        names = [YOUR_NETWORK, *self._famous]
        values = [1.0, *self._famous.values()]
        self._bars = ax.barh(names, values, color=PALETTE[0])
        for bar, value in zip(self._bars[1:], values[1:], strict=True):
            ax.text(value * 1.2, bar.get_y() + bar.get_height() / 2,
                    plotting._short_count(value), va="center", fontsize="x-small")
        self._your_text = ax.text(1.0, self._bars[0].get_y() + self._bars[0].get_height() / 2,
                                  "", va="center", fontsize="x-small")
        ax.set_xscale("log")
        ax.set_xlim(1.0, max(values) * 50)
        ax.invert_yaxis()
        plotting._label(ax, "parameters", "parameters (log scale)", "")
        self._animate(ax.title, *self._bars, self._your_text)

    def _refresh(self):
        from nnkit.counting import DTYPE_BYTES, count_params, human_bytes, memory_bytes

        v = self.values()
        dtype = v["dtype"]
        chosen = v["model"]
        rows, error = [], None
        if chosen == YOUR_NETWORK:
            try:
                sizes, total = _parse_sizes(v["sizes"])
                rows = _layer_rows(sizes)
            except (ValueError, TypeError) as problem:
                error, total = str(problem), 0
        else:
            total = int(count_params(chosen))
            rows = [[chosen, f"{total:,}"]]
        for bar, name in zip(self._bars, [YOUR_NETWORK, *self._famous], strict=True):
            bar.set_color(plotting.HIGHLIGHT if name == chosen else PALETTE[0])
        if chosen == YOUR_NETWORK and total:
            self._bars[0].set_width(total)
            self._your_text.set_x(total * 1.2)
            self._your_text.set_text(plotting._short_count(total))
        memory = int(memory_bytes(total, dtype)) if total else 0
        self._ax.set_title(
            f"{chosen}: {plotting._short_count(total)} parameters, {human_bytes(memory)} in {dtype}"
            if total else "parameters"
        )
        self._results = {"total": int(total), "memory_bytes": memory, "dtype": dtype,
                         "bytes_per_parameter": float(DTYPE_BYTES[dtype])}
        if error:
            readout = f"<span style='color:{NEGATIVE}'>{html.escape(error)}</span>"
        else:
            readout = (
                _table(rows, header=["layer", "parameters"])
                + f"total <b>{total:,}</b> parameters; in {dtype} "
                f"({DTYPE_BYTES[dtype]:g} bytes each) that is <b>{human_bytes(memory)}</b>"
            )
        return readout, False


def _layer_rows(sizes):
    from nnkit.counting import dense_params

    rows = []
    for index, (n_in, n_out) in enumerate(pairwise(sizes), start=1):
        rows.append([f"dense {index}: {n_in} → {n_out} ({n_in}·{n_out} + {n_out})",
                     f"{int(dense_params(n_in, n_out)):,}"])
    return rows


def parameter_counter(sizes="784, 256, 128, 10", model=YOUR_NETWORK, dtype="float32"):
    """Type layer sizes or choose a famous model, pick a dtype → table, total, memory, chart.

    Introduced in lesson 6.

    >>> counter = parameter_counter("784, 256, 128, 10")
    >>> counter.results()["total"]
    235146
    >>> counter.set(dtype="float16").results()["memory_bytes"]
    470292
    """
    from nnkit.counting import DTYPE_BYTES, FAMOUS_MODELS

    controls = {
        "sizes": widgets.Text(value=sizes, description="layer sizes", continuous_update=False,
                              style=SLIDER_STYLE),
        "model": widgets.Dropdown(options=[YOUR_NETWORK, *FAMOUS_MODELS], value=model,
                                  description="model", style=SLIDER_STYLE),
        "dtype": widgets.Dropdown(options=list(DTYPE_BYTES), value=dtype, description="dtype",
                                  style=SLIDER_STYLE),
    }
    return ParameterCounter(controls)
