"""Activation functions drawn, the softmax's bars, and their explorers (lesson 2).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = plot_activation("relu")
>>> ax.get_title()
'relu and its derivative'
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from nnkit.activations import ACTIVATIONS, activation_name, get_activation, softmax
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, html_table, slider
from nnkit.explore.style import NEUTRAL, PALETTE, label_axes, new_axes


def _activation(activation):
    """(function, name) for an activation given by name, callable or None."""
    return get_activation(activation), activation_name(activation)


def _derivative(activation):
    """The derivative of a registered activation, or None when the registry has none."""
    entry = ACTIVATIONS.get(activation_name(activation))
    return None if entry is None else entry.derivative


def plot_activation(activation, ax=None, xlim=(-5.0, 5.0), derivative=True, n_points=401):
    """Draw an activation function and, dashed, its derivative (lesson 2).

    ``activation`` is a registered name (``"sigmoid"``, ``"relu"``, ...) or a callable.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_activation("sigmoid")
    >>> [line.get_label() for line in ax.get_lines()[2:]]
    ['sigmoid', "sigmoid'"]
    """
    ax = new_axes(ax)
    function, name = _activation(activation)
    x = np.linspace(xlim[0], xlim[1], n_points)
    ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.axvline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.plot(x, function(x), color=PALETTE[0], linewidth=2.2, label=name)
    slope = _derivative(activation) if derivative else None
    if slope is not None:
        ax.plot(x, slope(x), color=PALETTE[1], linewidth=1.8, linestyle="--", label=f"{name}'")
    label_axes(ax, f"{name} and its derivative" if slope else name, "z", "output")
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
    ax = new_axes(ax)
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
    label_axes(ax, what, "z", "derivative" if derivative else "output")
    ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0)
    ax.set_xlim(*xlim)
    ax.legend(frameon=False)
    return ax


def plot_gradient_factors(factors, ax=None):
    """How a small change grows or shrinks along a chain of neurons, on a log scale (lesson 2).

    ``factors`` maps a label (such as ``"w = 8"``) to the factor by which a
    small change of the chain's input is scaled after 1, 2, … neurons. Below
    the line 1 the change shrinks (the gradient vanishes), above it, it grows
    (the gradient explodes). The legend sits to the right of the plot, clear
    of the curves.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> curves = {"w = 1": [0.25, 0.0625, 0.015625], "w = 8": [2.0, 4.0, 8.0]}
    >>> ax = plot_gradient_factors(curves)
    >>> ax.get_yscale(), [line.get_label() for line in ax.get_lines()][:2]
    ('log', ['w = 1', 'w = 8'])
    """
    ax = new_axes(ax, figsize=(7.0, 3.6))
    for index, (label, values) in enumerate(factors.items()):
        depths = np.arange(1, len(values) + 1)
        ax.plot(depths, values, "o-", color=PALETTE[index % len(PALETTE)], label=label)
        ax.set_xticks(depths)
    ax.set_yscale("log")
    ax.axhline(1.0, color=NEUTRAL, linewidth=0.8)
    label_axes(ax, "A small change through a chain of neurons", "neurons in the chain",
               "factor on a small change")
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return ax


def plot_softmax_bars(logits, temperature=1.0, ax=None, labels=None):
    """Bars of ``softmax(logits / temperature)``, each labelled with its probability (lesson 2).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_softmax_bars([2.0, 1.0, 0.1])
    >>> [round(float(p.get_height()), 3) for p in ax.patches]
    [0.659, 0.242, 0.099]
    """
    ax = new_axes(ax)
    logits = np.asarray(logits, dtype=float).ravel()
    probabilities = softmax(logits / float(temperature))
    labels = list(labels) if labels is not None else [f"z{i + 1}" for i in range(logits.size)]
    colours = [PALETTE[i % len(PALETTE)] for i in range(logits.size)]
    bars = ax.bar(labels, probabilities, color=colours)
    for bar, p in zip(bars, probabilities, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, p + 0.02, f"{p:.2f}", ha="center")
    ax.set_ylim(0.0, 1.1)
    label_axes(ax, f"softmax at temperature {float(temperature):g}", "class", "probability")
    return ax


def _fmt(value, digits=3):
    return f"{float(value):.{digits}g}" if abs(float(value)) < 1e4 else f"{float(value):.3e}"


EXPLORED_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "step")


class ActivationExplorer(Explorer):
    """An activation and its derivative over a range, read at one point ``z`` (lesson 2)."""

    name = "activation explorer"
    figsize = (9.6, 3.6)
    n_points = 301

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        (self._function,) = ax.plot([], [], color=PALETTE[0], linewidth=2.2, label="function")
        (self._slope,) = ax.plot([], [], color=PALETTE[1], linewidth=1.8, linestyle="--",
                                 label="derivative")
        self._points = ax.scatter([0.0, 0.0], [0.0, 0.0], s=60, c=[PALETTE[0], PALETTE[1]],
                                  edgecolors="k", zorder=3)
        zero_lines = (ax.axhline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0),
                      ax.axvline(0.0, color=NEUTRAL, linewidth=0.8, zorder=0))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        label_axes(ax, "activation", "z", "output")
        self._animate(self._function, self._slope, self._points)
        self._animate_layout(*zero_lines, ax.xaxis, ax.yaxis, ax.title)
        self._shown = None

    def _refresh(self):
        v = self.values()
        name = v["activation"]
        low, high = v["range"]
        function, _ = _activation(name)
        slope = _derivative(name)
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
        "z": slider("z", z, -12.0, 12.0, 0.1),
    }
    return ActivationExplorer(controls)


class SoftmaxExplorer(Explorer):
    """Logits and a temperature in, probability bars out (lesson 2)."""

    name = "softmax explorer"
    figsize = (9.6, 3.6)

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
        label_axes(self._logit_ax, "logits z / T", "class", "z / T")
        self._bars = self._prob_ax.bar(self.labels, np.zeros(len(self.labels)), color=colours)
        self._texts = [
            self._prob_ax.text(bar.get_x() + bar.get_width() / 2, 0.0, "", ha="center")
            for bar in self._bars
        ]
        self._prob_ax.set_ylim(0.0, 1.12)
        label_axes(self._prob_ax, "softmax(z / T)", "class", "probability")
        self._animate(*self._logit_bars, *self._bars, *self._texts)

    def _refresh(self):

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
            html_table(rows, header=["class", "logit", "probability"])
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
    controls = {label: slider(label, float(z), -5.0, 5.0, 0.1)
                for label, z in zip(labels, logits, strict=True)}
    controls["temperature"] = widgets.FloatLogSlider(
        value=temperature, base=10, min=-1, max=2, step=0.05, description="temperature T",
        style=SLIDER_STYLE, readout_format=".2f",
    )
    return SoftmaxExplorer(controls, labels)
