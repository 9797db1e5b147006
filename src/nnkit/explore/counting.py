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
from matplotlib.ticker import LogLocator

from nnkit.counting import (
    DTYPE_BYTES,
    FAMOUS_MODELS,
    count_params,
    dense_params,
    human_bytes,
    memory_bytes,
    mlp_params,
    parse_count,
    parse_sizes,
)
from nnkit.explore.explorer import SLIDER_STYLE, Explorer, html_table
from nnkit.explore.style import HIGHLIGHT, NEGATIVE, PALETTE, label_axes, new_axes
from nnkit.explore.textbox import TextBox


def famous_parameter_counts():
    """Parameter counts from a digit classifier to GPT-3, smallest first (lesson 6).

    >>> counts = famous_parameter_counts()
    >>> min(counts.values()) < 10**6 < 10**11 < max(counts.values())
    True
    """
    counts = {name: int(count_params(name)) for name in FAMOUS_MODELS}
    return dict(sorted(counts.items(), key=lambda item: item[1]))


def plot_parameter_counts(counts=None, ax=None, highlight=None):
    """Parameter counts as dots on a logarithmic axis, smallest at the top (lesson 6).

    ``counts`` maps a model's name to its number of parameters; by default the
    famous models from ``nnkit.counting``, in the order the parameter counter
    shows them. A dot's position is its count; every grid line is ten times the
    one before. The dot named ``highlight`` is orange.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_parameter_counts({"digit MLP": 235146, "GPT-2 small": 124439808})
    >>> ax.get_xscale(), [label.get_text() for label in ax.get_yticklabels()]
    ('log', ['digit MLP', 'GPT-2 small'])
    """
    ax = new_axes(ax, figsize=(6.4, 3.2))
    counts = famous_parameter_counts() if counts is None else dict(counts)
    names = list(counts)
    values = [counts[name] for name in names]
    colours = [HIGHLIGHT if name == highlight else PALETTE[0] for name in names]
    rows = range(len(names))
    ax.scatter(values, rows, s=70, c=colours, zorder=3)
    for row, value in zip(rows, values, strict=True):
        ax.text(value * 2.0, row, _short_count(value), va="center", fontsize="small")
    _count_axes(ax, names, left=min(values) / 10, right=max(values) * 100)
    label_axes(ax, "Parameters, from a digit classifier to GPT-3",
               "parameters (log scale: each grid line is 10 × the one before)", "")
    return ax


def _count_axes(ax, names, left, right):
    """A log x axis with a decade grid, one row per name, the first row at the top."""
    ax.set_xscale("log")
    ax.set_xlim(left, right)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.xaxis.set_major_locator(LogLocator(base=10, numticks=20))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.8)
    ax.set_axisbelow(True)


def _short_count(n):
    """235146 → '235K', 124439808 → '124M'."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g}{suffix}"
    return str(int(n))


YOUR_NETWORK = "(your layer sizes)"
PARAMETER_COUNT = "(a parameter count)"
SHOWN = (1.0, 1e13)  # the counter's axis: from one parameter to ten trillion
BOXES = (("sizes", YOUR_NETWORK), ("parameters", PARAMETER_COUNT))  # a text box, what it counts


class ParameterCounter(Explorer):
    """Layer sizes, a parameter count or a famous model, and a dtype → table, memory (lesson 6).

    Typing in ``layer sizes`` or ``parameters`` makes that box the one counted.
    """

    name = "parameter counter"
    figsize = (9.6, 3.8)

    def _draw(self):
        ax = self._ax = self.figure.subplots()
        self._famous = famous_parameter_counts()
        names = ["yours", *self._famous]
        values = list(self._famous.values())
        self._famous_dots = ax.scatter(values, range(1, len(names)), s=60, c=PALETTE[0],
                                       zorder=3)
        for row, value in enumerate(values, start=1):
            ax.text(value * 2.0, row, _short_count(value), va="center")
        (self._your_dot,) = ax.plot([], [], marker="o", markersize=8, color=HIGHLIGHT,
                                    linestyle="none", zorder=3)
        self._your_text = ax.text(1.0, 0, "", va="center")
        _count_axes(ax, names, *SHOWN)
        label_axes(ax, "parameters", "parameters (log scale)", "")
        self._animate(ax.title, self._famous_dots, self._your_dot, self._your_text)

    def set(self, **values):
        """Move several controls; a box given without a ``model`` is the one counted."""
        return super().set(**_counting_the_box(values))

    def draw_ahead(self, values):
        return super().draw_ahead(_counting_the_box(values))

    def _on_change(self, change):
        # typing in a box counts that box
        for name, model in BOXES:
            if (not self._holding and change.owner is self.controls[name]
                    and self.controls["model"].value != model):
                self.set(model=model)
                return
        super()._on_change(change)

    def _refresh(self):
        v = self.values()
        dtype = v["dtype"]
        chosen = v["model"]
        rows, error = [], None
        try:
            if chosen == YOUR_NETWORK:
                sizes = parse_sizes(v["sizes"])
                total = mlp_params(sizes)
                rows = _layer_rows(sizes)
            elif chosen == PARAMETER_COUNT:
                total = parse_count(v["parameters"])
                rows = [["your count", f"{total:,}"]]
            else:
                total = int(count_params(chosen))
                rows = [[chosen, f"{total:,}"]]
        except (ValueError, TypeError) as problem:
            error, total = str(problem), 0
        self._famous_dots.set_facecolor([HIGHLIGHT if name == chosen else PALETTE[0]
                                         for name in self._famous])
        yours = chosen in (YOUR_NETWORK, PARAMETER_COUNT) and total
        shown = min(max(float(total), SHOWN[0]), SHOWN[1])
        self._your_dot.set_data([shown] if yours else [], [0] if yours else [])
        self._your_text.set_position((shown * 2.0, 0))
        self._your_text.set_text(_short_count(total) if yours else "")
        memory = int(memory_bytes(total, dtype)) if total else 0
        name = {YOUR_NETWORK: "your network", PARAMETER_COUNT: "your count"}.get(chosen, chosen)
        self._ax.set_title(
            f"{name}: {_short_count(total)} parameters, {human_bytes(memory)} in {dtype}"
            if total else "parameters"
        )
        self._results = {"total": int(total), "memory_bytes": memory, "dtype": dtype,
                         "bytes_per_parameter": float(DTYPE_BYTES[dtype])}
        if error:
            readout = f"<span style='color:{NEGATIVE}'>{html.escape(error)}</span>"
        else:
            readout = (
                html_table(rows, header=["layer" if chosen == YOUR_NETWORK else "model",
                                         "parameters"])
                + f"total <b>{total:,}</b> parameters; in {dtype} "
                f"({DTYPE_BYTES[dtype]:g} bytes each) that is <b>{human_bytes(memory)}</b>"
            )
        return readout, False


def _counting_the_box(values):
    """``values`` with the ``model`` of the one box they give, unless they choose one."""
    given = [model for name, model in BOXES if name in values]
    if "model" not in values and len(given) == 1:
        return {**values, "model": given[0]}
    return values


def _layer_rows(sizes):

    rows = []
    for index, (n_in, n_out) in enumerate(pairwise(sizes), start=1):
        rows.append([f"dense {index}: {n_in} → {n_out} ({n_in}·{n_out} + {n_out})",
                     f"{int(dense_params(n_in, n_out)):,}"])
    return rows


def parameter_counter(sizes="784, 256, 128, 10", model=YOUR_NETWORK, dtype="float32",
                      parameters="1000000"):
    """Type layer sizes or a parameter count, or choose a famous model; pick a dtype.

    Shows the per-layer table, the total, the memory and where the model sits among
    the famous ones. Introduced in lesson 6.

    >>> counter = parameter_counter("784, 256, 128, 10")
    >>> counter.results()["total"]
    235146
    >>> counter.set(dtype="float16").results()["memory_bytes"]
    470292
    >>> counter.controls["parameters"].value = "7e9"  # typing a count counts it
    >>> counter.values()["model"], counter.results()["memory_bytes"]
    ('(a parameter count)', 14000000000)
    >>> counter.set(sizes="2, 3, 1").results()["total"]  # so does setting it
    13
    """
    controls = {
        "sizes": TextBox(value=sizes, description="layer sizes"),
        "parameters": TextBox(value=parameters, description="parameters"),
        "model": widgets.Dropdown(options=[YOUR_NETWORK, PARAMETER_COUNT, *FAMOUS_MODELS],
                                  value=model, description="model", style=SLIDER_STYLE),
        "dtype": widgets.Dropdown(options=list(DTYPE_BYTES), value=dtype, description="dtype",
                                  style=SLIDER_STYLE),
    }
    return ParameterCounter(controls)
