"""Drawing ahead: the states of an explorer one input away from where it is.

A learner moves a control one input at a time: an arrow key moves a slider by
one step, a dropdown or a row of toggle buttons goes to another option. Every
state one such input away can be drawn while the learner looks at the picture,
and sent to the browser before it is asked for; when the input comes, the
browser shows that picture at once, without waiting for the kernel. These
functions list those states.

A state is written as the browser holds it: a slider's ``value``, but the
``index`` of the chosen option of a dropdown or toggle buttons.

>>> import ipywidgets as widgets
>>> controls = {"w": widgets.FloatSlider(value=0.5, min=-1, max=1, step=0.5),
...             "f": widgets.Dropdown(options=["sigmoid", "relu", "tanh"], value="relu")}
>>> for values in one_input_away(controls):
...     print(values)
{'w': 1.0}
{'w': 0.0}
{'f': 'sigmoid'}
{'f': 'tanh'}
>>> browser_state(controls, {"f": "tanh"})
[0.5, 2]
"""

from __future__ import annotations

import asyncio
import math
import time

import ipywidgets as widgets

from nnkit.explore.textbox import TextBox


def one_input_away(controls):
    """Every change of one control that one input makes, as ``{name: new value}`` dicts.

    A :class:`~nnkit.explore.textbox.TextBox` gives the text typed and not yet
    entered; other text boxes are left out: what will be typed cannot be known.
    """
    return [{name: value} for name, control in controls.items()
            for value in _next_values(control)]


def browser_state(controls, values=None):
    """The controls' state as the browser holds it, with ``values`` put in place of theirs."""
    values = values or {}
    state = []
    for name, control in controls.items():
        value = values.get(name, control.value)
        if _chooses_an_option(control):
            value = _option_values(control).index(value)
        state.append(list(value) if isinstance(value, tuple) else value)
    return state


def values_from_browser(controls, state):
    """The values of ``controls`` for ``state``, as :func:`browser_state` writes it.

    >>> import ipywidgets as widgets
    >>> controls = {"w": widgets.FloatSlider(value=0.5),
    ...             "f": widgets.Dropdown(options=["sigmoid", "relu"], value="relu")}
    >>> values_from_browser(controls, [0.25, 0])
    {'w': 0.25, 'f': 'sigmoid'}
    """
    if not isinstance(state, list) or len(state) != len(controls):
        raise ValueError(f"expected the browser's state of {len(controls)} controls as a list, "
                         f"got {state!r:.80}")
    values = {}
    for (name, control), value in zip(controls.items(), state, strict=True):
        if _chooses_an_option(control):
            options = _option_values(control)
            if not isinstance(value, int) or not 0 <= value < len(options):
                raise ValueError(f"expected an option index below {len(options)} for {name!r}, "
                                 f"got {value!r:.80}")
            value = options[value]
        values[name] = tuple(value) if isinstance(value, list) else value
    return values


def browser_attribute(control):
    """The attribute of ``control`` that the browser changes: ``"index"`` or ``"value"``."""
    return "index" if _chooses_an_option(control) else "value"


def same_state(one, other, tolerance=1e-9):
    """True if two browser states agree, numbers to a relative ``tolerance``.

    The browser adds a slider's step in JavaScript, so its 0.30000000000000004
    is the kernel's 0.3.

    >>> same_state([0.1 + 0.2, 2, [1.0, 2.0]], [0.3, 2, [1.0, 2.0]])
    True
    >>> same_state([0.3, "a"], [0.3, "b"])
    False
    """
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(same_state, one, other))
    numbers = (int, float)
    if isinstance(one, numbers) and isinstance(other, numbers):
        return math.isclose(one, other, rel_tol=tolerance, abs_tol=tolerance)
    return one == other


class Queue:
    """States to draw ahead, drawn one at a time between the kernel's messages.

    One queue serves every explorer of the kernel, the last one moved first, so
    that a notebook of explorers never keeps a message waiting for more than
    one picture. Some states wait until the learner has paused for
    ``pause`` seconds (no new plan for that explorer meanwhile). Outside a
    running event loop (a script, a test) nothing is drawn ahead.
    """

    pause = 1.0  # s: longer than a learner takes between two steps of one control

    def __init__(self):
        self._waiting = []  # (explorer, values, not before this time.monotonic())
        self._task = None

    def plan(self, explorer, moves, after_a_pause=()):
        """Draw ``moves`` for ``explorer`` next, instead of what was planned for it."""
        later = time.monotonic() + self.pause
        others = [item for item in self._waiting if item[0] is not explorer]
        self._waiting = ([(explorer, values, 0.0) for values in moves] + others
                         + [(explorer, values, later) for values in after_a_pause])
        if self._task is None or self._task.done():
            try:
                self._task = asyncio.get_running_loop().create_task(self._draw())
            except RuntimeError:
                self._waiting = []

    async def _draw(self):
        while self._waiting:
            await asyncio.sleep(0.005)  # a message that came meanwhile goes first
            now = time.monotonic()
            ready = [item for item in self._waiting if item[2] <= now]
            if not ready:  # look again soon: a new plan may bring states to draw now
                await asyncio.sleep(min(min(item[2] for item in self._waiting) - now, 0.05))
                continue
            self._waiting.remove(ready[0])
            explorer, values, _ = ready[0]
            try:
                explorer.draw_ahead(values)
            except Exception:  # the same error shows when the learner really goes there
                self._waiting = [item for item in self._waiting if item[0] is not explorer]


def _next_values(control):
    """The values one input gives ``control``: a step up and down, or every other option."""
    if _chooses_an_option(control):
        if isinstance(control, widgets.SelectionSlider):
            return [_option_values(control)[i] for i in _steps(control.index, 1, 0,
                                                                len(control.options) - 1)]
        return [value for value in _option_values(control) if value != control.value]
    if isinstance(control, widgets.FloatLogSlider):
        exponent = math.log(control.value, control.base)
        return [control.base ** e for e in _steps(exponent, control.step, control.min,
                                                  control.max)]
    if isinstance(control, (widgets.FloatRangeSlider, widgets.IntRangeSlider)):
        low, high = control.value
        return ([(new, high) for new in _steps(low, control.step, control.min, high)]
                + [(low, new) for new in _steps(high, control.step, low, control.max)])
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        return _steps(control.value, control.step, control.min, control.max)
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not control.value]
    if isinstance(control, TextBox):
        return [control.draft] if control.draft != control.value else []
    return []


def _steps(value, step, low, high):
    """``value + step`` and ``value - step``, those within ``[low, high]``."""
    return [new for new in (value + step, value - step) if low - 1e-12 <= new <= high + 1e-12]


def _chooses_an_option(control):
    return isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons,
                                widgets.SelectionSlider))


def _option_values(control):
    """The values of a selection widget's options, whose index the browser holds."""
    return [option[1] if isinstance(option, tuple) else option for option in control.options]
