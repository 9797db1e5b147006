"""Approximations drawn with their parts and worst error, and their explorer (lesson 5).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = plot_approximation(np.sin, -np.pi, np.pi, n_hidden=6)
>>> [line.get_label() for line in ax.get_lines()[:2]]
['sin(x)', 'approximation']
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from nnkit.approximation import approximate, one_hidden_layer, sawtooth, sigmoid_bump
from nnkit.explore.explorer import SLIDER_STYLE, Explorer
from nnkit.explore.style import NEUTRAL, PALETTE, label_axes, new_axes


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
                       name="f(x)", spacing="adaptive"):
    """A target, its one-hidden-layer approximation, the parts and the worst error (lesson 5).

    ``spacing`` places the hats' knots as ``nnkit.approximate`` does (``"uniform"``
    or ``"adaptive"``); bumps are always evenly spaced.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_approximation(np.sin, -np.pi, np.pi, n_hidden=6)
    >>> [line.get_label() for line in ax.get_lines()[:2]]
    ['sin(x)', 'approximation']
    """
    ax = new_axes(ax, figsize=(7.2, 3.6))
    curves = approximation_curves(f, a, b, n_hidden, parts, spacing=spacing)
    if name == "f(x)" and getattr(f, "__name__", "<lambda>") != "<lambda>":
        name = f"{f.__name__}(x)"
    if show_parts:
        ax.add_collection(LineCollection(
            [np.column_stack([curves.x, part]) for part in curves.parts],
            colors=PALETTE[2], linewidths=1.0, alpha=0.7, label=f"{len(curves.parts)} {parts}",
        ))
    ax.plot(curves.x, curves.target, color="k", linewidth=2.0, label=name)
    ax.plot(curves.x, curves.approximation, color=PALETTE[0], linewidth=2.0,
            label="approximation")
    worst_y = np.interp(curves.worst_x, curves.x, curves.approximation)
    target_y = np.interp(curves.worst_x, curves.x, curves.target)
    ax.plot([curves.worst_x, curves.worst_x], [target_y, worst_y], color=PALETTE[3],
            linewidth=2.5, label=f"max error {curves.max_error:.3g}")
    label_axes(ax, f"{n_hidden} hidden units: {_parts_text(n_hidden, parts, curves)}", "x", "y")
    ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def _parts_text(n_hidden, parts, curves):
    """What the hidden units make: ``"9 hats"`` (one per knot), ``"4 bumps of 2 units"``."""
    if parts == "hats":
        return f"{len(curves.parts)} hats"
    used = 2 * len(curves.parts)
    unused = f", {n_hidden - used} unused" if n_hidden > used else ""
    return f"{len(curves.parts)} bumps of 2 units{unused}"


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
    ax = new_axes(ax)
    counts = np.asarray(hidden_counts, dtype=float)
    errors = np.asarray(errors, dtype=float)
    ax.loglog(counts, errors, marker="o", color=PALETTE[0], linewidth=2, label=label)
    if reference_slope is not None:
        reference = errors[0] * (counts / counts[0]) ** float(reference_slope)
        ax.loglog(counts, reference, linestyle=":", color=NEUTRAL,
                  label=f"slope {reference_slope:g}")
    label_axes(ax, "Error against hidden units", "hidden units", "maximum error")
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
    ax = new_axes(ax, figsize=(6.4, 3.6))
    x = np.linspace(0.0, 1.0, n_points)
    for index, depth in enumerate(depths):
        ax.plot(x, sawtooth(x, depth), color=PALETTE[index % len(PALETTE)],
                label=f"depth {depth}: {2 ** depth} pieces")
    label_axes(ax, "Depth doubles the pieces", "x", "output")
    ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


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
    figsize = (9.6, 3.8)

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        self._parts = LineCollection([], colors=PALETTE[2], linewidths=1.0, alpha=0.75,
                                     label="parts")
        ax.add_collection(self._parts)
        (self._target,) = ax.plot([], [], color="k", linewidth=2.0, label="target")
        (self._approx,) = ax.plot([], [], color=PALETTE[0], linewidth=2.0,
                                  label="approximation")
        (self._error,) = ax.plot([], [], color=PALETTE[3], linewidth=3.0, label="max error")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        label_axes(ax, "approximation", "x", "y")
        self._animate(ax.title, self._parts, self._target, self._approx, self._error)
        self._animate_layout(ax.xaxis, ax.yaxis)
        self._shown_target = None

    def _refresh(self):
        v = self.values()
        f, a, b = TARGETS[v["target"]]
        curves = approximation_curves(f, a, b, v["n_hidden"], v["parts"],
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
        made = _parts_text(v["n_hidden"], v["parts"], curves)
        self._ax.set_title(f"{v['target']}: {v['n_hidden']} hidden units, {made}")
        self._results = {"max_error": curves.max_error, "worst_x": curves.worst_x,
                         "n_parts": len(curves.parts)}
        units = "ReLU" if v["parts"] == "hats" else "sigmoid"
        readout = (
            f"{v['n_hidden']} hidden {units} units → {made}; "
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
