"""Parameter counts drawn, from a digit classifier to GPT-3, and the counter (lesson 6).

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> plot_parameter_counts({"digit MLP": 235146, "GPT-2 small": 124439808}).get_xscale()
'log'
"""

from __future__ import annotations

import html
from itertools import pairwise

import ipywidgets as widgets

from nnkit.counting import (
    DTYPE_BYTES,
    FAMOUS_MODELS,
    count_params,
    dense_params,
    human_bytes,
    memory_bytes,
    mlp_params,
    parse_sizes,
)
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, html_table
from nnkit.explore.style import HIGHLIGHT, NEGATIVE, PALETTE, label_axes, new_axes


def famous_parameter_counts():
    """Parameter counts from a digit classifier to GPT-3, smallest first (lesson 6).

    >>> counts = famous_parameter_counts()
    >>> min(counts.values()) < 10**6 < 10**11 < max(counts.values())
    True
    """
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
    ax = new_axes(ax, figsize=(6.0, 3.2))
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
    label_axes(ax, "Parameters, from a digit classifier to GPT-3", "parameters (log scale)", "")
    return ax


def _short_count(n):
    """235146 → '235K', 124439808 → '124M'."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(int(n))


YOUR_NETWORK = "(your layer sizes)"


class ParameterCounter(Explorer):
    """Layer sizes or a famous model, and a dtype → a table, the total, memory (lesson 6)."""

    name = "parameter counter"
    figsize = (9.6, 3.8)

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        self._famous = famous_parameter_counts()
        names = [YOUR_NETWORK, *self._famous]
        values = [1.0, *self._famous.values()]
        self._bars = ax.barh(names, values, color=PALETTE[0])
        for bar, value in zip(self._bars[1:], values[1:], strict=True):
            ax.text(value * 1.2, bar.get_y() + bar.get_height() / 2,
                    _short_count(value), va="center")
        self._your_text = ax.text(1.0, self._bars[0].get_y() + self._bars[0].get_height() / 2,
                                  "", va="center")
        ax.set_xscale("log")
        ax.set_xlim(1.0, max(values) * 50)
        ax.invert_yaxis()
        label_axes(ax, "parameters", "parameters (log scale)", "")
        self._animate(ax.title, *self._bars, self._your_text)

    def _refresh(self):

        v = self.values()
        dtype = v["dtype"]
        chosen = v["model"]
        rows, error = [], None
        if chosen == YOUR_NETWORK:
            try:
                sizes = parse_sizes(v["sizes"])
                total = mlp_params(sizes)
                rows = _layer_rows(sizes)
            except (ValueError, TypeError) as problem:
                error, total = str(problem), 0
        else:
            total = int(count_params(chosen))
            rows = [[chosen, f"{total:,}"]]
        for bar, name in zip(self._bars, [YOUR_NETWORK, *self._famous], strict=True):
            bar.set_color(HIGHLIGHT if name == chosen else PALETTE[0])
        if chosen == YOUR_NETWORK and total:
            self._bars[0].set_width(total)
            self._your_text.set_x(total * 1.2)
            self._your_text.set_text(_short_count(total))
        memory = int(memory_bytes(total, dtype)) if total else 0
        self._ax.set_title(
            f"{chosen}: {_short_count(total)} parameters, {human_bytes(memory)} in {dtype}"
            if total else "parameters"
        )
        self._results = {"total": int(total), "memory_bytes": memory, "dtype": dtype,
                         "bytes_per_parameter": float(DTYPE_BYTES[dtype])}
        if error:
            readout = f"<span style='color:{NEGATIVE}'>{html.escape(error)}</span>"
        else:
            readout = (
                html_table(rows, header=["layer", "parameters"])
                + f"total <b>{total:,}</b> parameters; in {dtype} "
                f"({DTYPE_BYTES[dtype]:g} bytes each) that is <b>{human_bytes(memory)}</b>"
            )
        return readout, False


def _layer_rows(sizes):

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
    controls = {
        "sizes": widgets.Text(value=sizes, description="layer sizes", continuous_update=False,
                              style=SLIDER_STYLE),
        "model": widgets.Dropdown(options=[YOUR_NETWORK, *FAMOUS_MODELS], value=model,
                                  description="model", style=SLIDER_STYLE),
        "dtype": widgets.Dropdown(options=list(DTYPE_BYTES), value=dtype, description="dtype",
                                  style=SLIDER_STYLE),
    }
    return ParameterCounter(controls)
