"""The explorer: controls, a readout and a figure redrawn in place on every change.

Each explorer of the lessons is an :class:`Explorer`, an ``ipywidgets.VBox``
that shows its controls, a readout with the numbers, and a figure. The figure
is drawn once; a change of a control updates the artists already on it (line
data, image data, bar heights, colours, an axis whose limits move) and redraws
only those over a cached background. The picture is drawn at twice the
resolution it is shown at, as wide as a notebook, with the fonts of the
lessons' other figures, and only the part of it that changed goes to the
browser (see :mod:`nnkit.explore.picture`). So dragging a slider stays smooth
and sharp, and no new matplotlib figure is made per step.

While the learner looks, the explorer also draws the states one input away
(a step of a slider either way, every other option of a dropdown, the text
typed in a box and not yet entered: :mod:`nnkit.explore.ahead`), of the
control moved last or, when it is first shown, of every control, and sends
them to the browser, which shows one at once when its controls reach that
state: an arrow key shows its picture without waiting for the kernel.

Every explorer has the same small interface, usable outside the lessons:

- ``.controls``: a dict from name to control widget;
- ``.values()``: the controls' current values as plain Python numbers and strings;
- ``.results()``: the numbers the explorer shows (``z``, the output, an error...);
- ``.set(**values)``: move several controls at once, then update once;
- ``.readout``: the HTML widget with the numbers, ``.figure``, ``.image`` (the
  picture widget), ``.png()``.

``import nnkit`` does not import this module; ipywidgets and matplotlib are only
needed by those who explore.

>>> from nnkit.explore.neuron import neuron_explorer
>>> explorer = neuron_explorer()
>>> sorted(explorer.values())
['activation', 'b', 'w1', 'w2', 'x1', 'x2']
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from nnkit.explore.ahead import Queue, browser_attribute, browser_state, one_input_away, same_state
from nnkit.explore.picture import Picture, encode
from nnkit.explore.textbox import TextBox

SLIDER_STYLE = {"description_width": "initial"}

#: The states one input away from where each explorer is, drawn in the kernel's spare time.
AHEAD = Queue()

#: CSS pixels per inch of figure: what the inline backend shows the lessons' other figures at.
CSS_DPI = 100


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


def slider(description, value, low=-3.0, high=3.0, step=0.1):
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, readout_format=".2f", style=SLIDER_STYLE,
        layout=widgets.Layout(width="260px"),
    )


def html_table(rows, header=None):
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
    change with ``self._animate(...)``, and those that change only with the
    layout with ``self._animate_layout(...)``) and move them in ``_refresh()``,
    which returns the readout's HTML and whether the figure's layout (axis
    limits, ticks) changed. ``_refresh()`` reads the controls through
    ``self.values()`` only: drawing ahead puts the values of another state
    there, and then the ones before (state that ``_refresh()`` changes beyond
    the artists is saved by ``_view_now()`` and put back by ``_restore_view()``).
    """

    figsize = (9.6, 3.8)  # inches: 960 CSS pixels wide, a notebook's width
    scale = 2  # pixels per CSS pixel: sharp on a HiDPI screen
    image_format = "jpeg"
    send_changes_only = True
    draws_ahead = True  # the pictures one input away, sent before they are asked for
    name = "explorer"

    def __init__(self, controls):
        self.controls = dict(controls)
        self.figure = Figure(figsize=self.figsize, dpi=CSS_DPI * self.scale, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.readout = widgets.HTML()
        self.image = Picture(image_format=self.image_format, changes_only=self.send_changes_only,
                             scale=self.scale, readout=self.readout,
                             controls=list(self.controls.values()),
                             attributes=[browser_attribute(c) for c in self.controls.values()])
        self.image.on_msg(self._on_view_ready)
        self._results = {}
        self._pretend = {}  # values drawn ahead, in place of the controls' own
        self._before = None  # the state, picture and readout before the last update
        self._dynamic = []
        self._layout = []
        self._static = self._background = None
        self._holding = False
        self._draw()
        rows = _control_rows(list(self.controls.values()))
        super().__init__(children=[*rows, self.readout, self.image])
        for name, control in self.controls.items():
            control.observe(self._on_change, names="value")
            if isinstance(control, TextBox):  # typed, not entered: drawn ahead
                control.observe(lambda _, name=name: self._plan_ahead(moved=name),
                                names="draft")
        self.update()

    # -- the interface ----------------------------------------------------------

    def values(self):
        """The controls' current values: a dict of plain Python numbers and strings."""
        values = {name: _plain(control.value) for name, control in self.controls.items()}
        return {**values, **{name: _plain(value) for name, value in self._pretend.items()}}

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
        self._plan_ahead()
        return self

    def update(self):
        """Recompute from the controls, move the artists, redraw, show the new picture."""
        readout, relayout = self._refresh()
        if self.image.shown is not None:  # the way back, drawn already
            self._before = (self.image.state, self.image.shown, self.readout.value)
        # the picture first: it is what is watched
        self.image.show(self._drawn(relayout), browser_state(self.controls))
        self.readout.value = readout

    def draw_ahead(self, values):
        """Draw the picture for ``values`` (a dict of control values) and send it ahead.

        The controls stay where they are, and so does the figure: the browser
        keeps the picture until its controls read ``values``, then shows it at
        once, with its readout. Nothing is drawn while the explorer may not draw
        ahead (the training explorer while it plays: each frame is a new picture).
        """
        if not self._may_draw_ahead():
            return
        state = browser_state(self.controls, values)
        if self._before is not None and same_state(self._before[0], state):
            before_state, pixels, readout = self._before
            self.image.draw_ahead(pixels, before_state, readout)
            return
        saved = self._view_now()
        self._pretend = dict(values)
        try:
            readout, relayout = self._refresh()
            self.image.draw_ahead(self._drawn(relayout), state, readout)
        finally:
            self._pretend = {}
            self._restore_view(saved)

    def draw_at(self, scale):
        """Draw at ``scale`` pixels per CSS pixel from now on; the size on screen stays.

        At ``scale=1`` a picture has a quarter of the pixels of the sharp default
        of 2: quicker to draw, send and decode when it changes many times a second.
        """
        if scale == self.figure.dpi / CSS_DPI:
            return self
        self.figure.set_dpi(CSS_DPI * scale)
        self.image.scale = scale
        self._static = self._background = None  # the cached pictures have the old size
        return self

    def png(self):
        """The figure as it is shown now, as PNG bytes (e.g. to save it)."""
        return encode(self._drawn(relayout=False), "png")

    def __repr__(self):
        return f"{type(self).__name__}(controls: {', '.join(self.controls)})"

    def _repr_mimebundle_(self, **kwargs):
        # A static viewer (nbviewer, GitHub) cannot run the widget: give it the picture.
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = repr(self)
            bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
            width = round(self.figure.get_figwidth() * CSS_DPI)  # shown at its CSS size: sharp
            return bundle, {"image/png": {"width": width}}
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

    def _animate_layout(self, *artists):
        """Mark artists that change only with the layout, e.g. ``ax.yaxis`` or ``ax.title``.

        They are drawn again only when ``_refresh()`` reports a new layout, and
        kept in the cached background until the next one; the rest of the
        figure is not drawn again.
        """
        for artist in artists:
            artist.set_animated(True)
            self._layout.append(artist)

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

    def _drawn(self, relayout):
        """Draw the changing artists over the cached background; the pixels.

        Two pictures are cached: the static figure, drawn once, and the
        background, which adds the artists of the layout. A new layout draws
        those artists again over the static figure; an explorer without any
        draws the whole figure again.
        """
        canvas = self.figure.canvas
        layout = self.figure.get_layout_engine()
        if isinstance(layout, ConstrainedLayoutEngine):  # laid out once: the axes never jump
            # room to spare, for tick labels that grow when limits change later
            layout.set(w_pad=0.15, h_pad=0.05, wspace=0.06)
            layout.execute(self.figure)
            self.figure.set_layout_engine("none")
        if self._static is None or (relayout and not self._layout):
            canvas.draw()
            self._static = canvas.copy_from_bbox(self.figure.bbox)
            relayout = True
        if relayout:
            canvas.restore_region(self._static)
            self._draw_artists(self._layout)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        self._draw_artists(self._dynamic)
        return np.asarray(canvas.buffer_rgba())

    def _draw_artists(self, artists):
        for artist in artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)

    def _on_change(self, change):
        if not self._holding:
            self.update()
            self._plan_ahead(moved=next(name for name, control in self.controls.items()
                                        if control is change.owner))

    # -- drawing ahead ------------------------------------------------------------

    def _may_draw_ahead(self):
        return self.draws_ahead

    def _plan_ahead(self, moved=None):
        """Draw the states one input away, between the kernel's messages.

        After the learner moved a control, those of that control come first (it
        is the one likely moved next); those of the others, which the network
        carries too, wait until the learner pauses, the next controls on screen
        first.
        """
        names = list(self.controls) if self._may_draw_ahead() else []
        now, later = names, []
        if moved is not None and names:
            at = names.index(moved)
            now, later = [moved], names[at + 1:] + names[:at]
        AHEAD.plan(self, self._one_input_away(now), after_a_pause=self._one_input_away(later))

    def _one_input_away(self, names):
        return one_input_away({name: self.controls[name] for name in names})

    def _on_view_ready(self, _, message, buffers):
        if message.get("type") == "ready":
            self._plan_ahead()

    def _view_now(self):
        """What drawing ahead changes: axis limits, cached pictures, results."""
        limits = [(ax, ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes]
        return limits, self._static, self._background, dict(self._results)

    def _restore_view(self, saved):
        limits, self._static, background, self._results = saved
        for ax, xlim, ylim in limits:
            ax.set_xlim(xlim)
            ax.set_ylim(ylim)
        self._refresh()  # the artists as the controls say
        self._background = background


def _control_rows(controls, per_row=3):
    rows = []
    for start in range(0, len(controls), per_row):
        rows.append(widgets.HBox(controls[start:start + per_row]))
    return rows
