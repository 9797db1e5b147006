"""Widgets: from a control's change to the redrawn picture, against the naive way.

An nnkit explorer draws its figure once and, on each change, moves the
artists that change over a cached background and sends the new picture. The
naive way, which ``ipywidgets.interact`` invites, builds a new matplotlib
figure on every step, draws all of it, encodes it as PNG (what the inline
backend shows) and closes it. Both are timed on the same view: the naive
variant runs the same explorer's drawing code on a fresh pyplot figure, so
the two differ only in how the picture is made.

Before timing, each step is checked to give a picture, and the fast variant
to change both its readout and its picture.

Also timed, without a target: what drawing ahead costs the kernel after each
input, i.e. drawing and encoding every state one input away from the start
(done between the kernel's messages, while the learner looks).
"""

from __future__ import annotations

import io

from benchmarks import compare, row

AREA = "widgets"
TARGET_MEDIAN_S = 0.060
TARGET_RATIO = 0.5  # at least twice as fast as the naive way


def two_values(control):
    """Two values to move ``control`` between: two options, or two slider positions."""
    options = getattr(control, "options", None)
    if options:
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        return values[0], values[1]
    low, high, first = control.min, control.max, control.value
    move = max((high - low) / 10, 1) if isinstance(first, int) else (high - low) / 10
    second = first + move if first + move <= high else low
    return first, type(first)(second)


def movable_control(explorer):
    """The first slider a learner drags (dragging must stay smooth), else a dropdown."""
    sliders = [name for name, control in explorer.controls.items()
               if hasattr(control, "max") and isinstance(control.value, int | float)]
    menus = [name for name, control in explorer.controls.items()
             if getattr(control, "options", None)]
    if not sliders + menus:
        raise ValueError(f"{type(explorer).__name__} has no slider or dropdown")
    return (sliders + menus)[0]


def redraw_from_scratch(explorer):
    """The naive step: a new pyplot figure, everything drawn, PNG bytes, figure closed."""
    from matplotlib import pyplot

    figure = pyplot.figure(figsize=explorer.figsize, dpi=explorer.figure.dpi,
                           layout="constrained")
    explorer.figure, explorer._dynamic, explorer._layout = figure, [], []
    try:
        explorer._draw()
        explorer._refresh()
        for artist in explorer._dynamic + explorer._layout:
            artist.set_animated(False)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def stepper(explorer, name, values, naive):
    """A function that moves the control to the other value and returns the new picture."""
    control, state = explorer.controls[name], {"next": 1}

    def step():
        value = values[state["next"]]
        state["next"] = 1 - state["next"]
        if naive:
            explorer._holding = True  # no in-place update: the naive view redraws itself
            control.value = value
            return redraw_from_scratch(explorer)
        control.value = value  # the picture is sent to the browser: nothing to return

    return step


def check_pictures(fast, slow, explorer):
    before = explorer.png()
    fast()
    if explorer.png() == before:
        raise AssertionError(f"{type(explorer).__name__}: the picture did not change")
    if not slow():
        raise AssertionError(f"{type(explorer).__name__}: the naive view drew nothing")


def measure(factory_name, rounds):
    import matplotlib

    matplotlib.use("Agg")
    from nnkit.explore import all_explorers

    factory = all_explorers()[factory_name]
    explorer, naive_explorer = factory(), factory()
    name = movable_control(explorer)
    values = two_values(explorer.controls[name])
    fast = stepper(explorer, name, values, naive=False)
    slow = stepper(naive_explorer, name, values, naive=True)
    check_pictures(fast, slow, explorer)
    medians = compare({"in place": fast, "naive": slow}, rounds=rounds, seconds=0.0)
    return name, medians["in place"], medians["naive"]


def time_drawing_ahead(factory_name, rounds):
    """Seconds to draw every state one input away once, how many, and the bytes sent."""
    import time

    from nnkit.explore import all_explorers
    from nnkit.explore.ahead import one_input_away

    explorer = all_explorers()[factory_name]()
    moves = one_input_away(explorer.controls)
    sent = []
    explorer.image.send = lambda content, buffers=None: sent.append(sum(map(len, buffers or [])))
    times = []
    for _ in range(rounds):
        sent.clear()
        started = time.perf_counter()
        for values in moves:
            explorer.draw_ahead(values)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2], len(moves), sum(sent)


def run(smoke: bool) -> list[dict]:
    rounds = 2 if smoke else 25
    rows = []
    from nnkit.explore import all_explorers

    for factory_name in all_explorers():
        control, fast_s, naive_s = measure(factory_name, rounds)
        label = f"{factory_name}: move {control}"
        rows.append(row(AREA, label, "naive (new figure per step)", naive_s))
        rows.append(row(AREA, label, "nnkit in place / naive", fast_s, fast_s / naive_s,
                        TARGET_RATIO, note=f"median {fast_s * 1e3:.1f} ms "
                        f"(target ≤ {TARGET_MEDIAN_S * 1e3:.0f} ms)"))
        rows.append(row(AREA, label, "nnkit in place / 60 ms", fast_s,
                        fast_s / TARGET_MEDIAN_S, 1.0))
        ahead_s, states, sent = time_drawing_ahead(factory_name, 1 if smoke else 5)
        rows.append(row(AREA, f"{factory_name}: draw ahead", f"{states} states one input away",
                        ahead_s, note=f"{ahead_s / states * 1e3:.1f} ms and "
                        f"{sent / states / 1e3:.0f} kB a state"))
    return rows
