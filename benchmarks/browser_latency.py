"""What a learner waits for: from a key press on a control to the new picture on screen.

    python -m benchmarks.browser_latency [--smoke] [--rounds N] [--variant NAME:SETTINGS ...]
                                         [--only EXPLORER ...] [--json PATH]

(``make bench-browser`` runs it with the defaults.) JupyterLab is started as
the browser tests start it (``make.start_lab``, the learner's configuration,
a throw-away copy of the notebooks) and Debian's chromium opens, through
Playwright, a notebook with one cell per explorer of ``nnkit.explore.all_explorers()``
(so a new explorer is measured without an edit here), on a HiDPI screen
(device pixel ratio 2).

Every control of every explorer is then moved, one input at a time, as a
learner moves it: a slider by an arrow key on its handle (to and fro), a
dropdown by choosing another option, toggle buttons by a click on the other
button, a text box by typing another value and, 200 ms later (a quick
typist's pause between two keys), Enter. The time is measured
in the page: from the input event (``keydown``, ``change`` or ``click``, its
``event.timeStamp``) to the first animation frame after the new picture is in
the page, decoded: drawn onto the explorer's canvas (``drawImage``), or, for an
``<img>`` picture, its ``src`` changed (a ``MutationObserver``) and
``img.decode()`` done. That is what the learner sees: the kernel's work, the
messages both ways and the browser's decoding are all in it. The next input
waits until the picture has stayed the same for a while.

Each explorer starts in a state in which every one of its controls changes the
picture (found here by trying, e.g. a target other than sin, for which even
and adaptive knots coincide), and each control is moved back to where it
started before the next. A reference row, ``one dot``, is the pipeline's own
time: a one-inch figure whose dot a slider moves, through the same widgets.

``--variant NAME:attribute=value,...`` builds the explorers once more with
class attributes of the ``Explorer`` base set (e.g. ``--variant 1x:scale=1``),
and the variants are measured in alternation, round after round, on the same
page, so that the machine's changing load falls on all of them alike. The
load average is written next to every figure.

The table gives, per control and per explorer (all its controls' inputs
together), the median and the 90th percentile in milliseconds. Targets: a
median of at most 40 ms and a 90th percentile of at most 80 ms. ``--smoke``
moves each control twice: it proves that the code runs, its times mean nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "artifacts" / "browser-latency.json"
NOTEBOOK = "browser-latency.ipynb"
TARGET_MEDIAN_MS = 40.0
TARGET_P90_MS = 80.0
QUIET_MS = 200  # no new picture for this long: the input has been dealt with
TYPING_PAUSE_MS = 200  # from the last key typed to Enter: a quick typist's pause between keys
FLOOR = "one dot"
TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1400, "height": 1000}
DEVICE_SCALE_FACTOR = 2
# The explorer's view in the page, and its picture: a canvas (nnkit's Picture) or an image.
VIEW = ".jp-OutputArea-output .widget-vbox:has(> .nnkit-picture, > .widget-image)"
PICTURE = ":scope > .nnkit-picture canvas, :scope > .widget-image"

# Before the page's own scripts: every drawImage on a canvas tells the canvas.
ON_EVERY_PAGE = """{
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        drawImage.apply(this, args);
        this.canvas.dispatchEvent(new Event('drawn'));
    };
}"""

# Installed once per view: times every input event and every new picture in the page.
INSTRUMENT = """(view, selector) => {
    const picture = view.querySelector(selector);
    const state = {armed: false, input: null, shown: [], last: performance.now()};
    const onInput = (event) => {
        if (state.armed && state.input === null) state.input = event.timeStamp;
    };
    for (const type of ['keydown', 'change', 'click']) view.addEventListener(type, onInput, true);
    const shownNextFrame = (changed) => requestAnimationFrame(() => {
        state.shown.push({changed, shown: performance.now()});
        state.last = performance.now();
    });
    if (picture.tagName === 'CANVAS') {
        picture.addEventListener('drawn', () => {
            state.last = performance.now();
            shownNextFrame(state.last);
        });
    } else {
        new MutationObserver(() => {
            const changed = state.last = performance.now();
            picture.decode().catch(() => null).then(() => shownNextFrame(changed));
        }).observe(picture, {attributes: true, attributeFilter: ['src']});
    }
    view.latency = state;
}"""

ARM = "(view) => { Object.assign(view.latency, {armed: true, input: null, shown: []}); }"

# True once the input has been seen, a picture shown after it, and nothing new for QUIET_MS.
SETTLED = """([view, quiet]) => {
    const state = view.latency;
    return state.input !== null && state.shown.some((s) => s.changed >= state.input)
        && performance.now() - state.last > quiet;
}"""

# What the page saw of the last input, when no settled picture came.
WHAT_WAS_SEEN = """(view) => ({input: view.latency.input, now: performance.now(),
    shown: view.latency.shown, ahead: view.querySelector('.nnkit-picture')?.dataset.ahead,
    readout: view.querySelector('.widget-html-content')?.textContent})"""

# Milliseconds from the input to the first picture shown after it.
LATENCY = """(view) => {
    const state = view.latency;
    const first = state.shown.find((s) => s.changed >= state.input);
    state.armed = false;
    return first.shown - state.input;
}"""

PICTURE_SIZE = """(view, selector) => {
    const picture = view.querySelector(selector);
    const box = picture.getBoundingClientRect();
    const canvas = picture.tagName === 'CANVAS';
    return {natural: canvas ? [picture.width, picture.height]
                            : [picture.naturalWidth, picture.naturalHeight],
            css: [box.width, box.height], device_pixel_ratio: window.devicePixelRatio};
}"""


# -- what to do to each control ----------------------------------------------------


@dataclass
class Control:
    """One control of an explorer as the page shows it, and how to move it to and fro."""

    name: str
    label: str
    kind: str  # "slider", "dropdown", "toggle" or "text"
    values: tuple = ()  # the two values to alternate between (dropdown, toggle, text)
    moves: int = field(default=0, init=False)

    def locate(self, view):
        css = {"slider": ".widget-slider", "dropdown": ".widget-dropdown",
               "toggle": ".widget-toggle-buttons", "text": ".widget-text"}[self.kind]
        label = view.page.locator(".widget-label").filter(has_text=_exactly(self.label))
        return view.locator(css).filter(has=label).first

    def prepare(self, view):
        """What comes before the input that is timed (focus, text typed)."""
        control = self.locate(view)
        if self.kind == "slider":
            control.locator(".noUi-handle").first.focus()
        elif self.kind == "text":
            control.locator("input").fill(self.values[(self.moves + 1) % 2])
            view.page.wait_for_timeout(TYPING_PAUSE_MS)

    def move(self, view):
        """The input that is timed."""
        control, page = self.locate(view), view.page
        self.moves += 1
        if self.kind == "slider":  # right, left, right...: back where it started after two
            handle = control.locator(".noUi-handle").first
            now, low, high = (float(handle.get_attribute(f"aria-value{end}"))
                              for end in ("now", "min", "max"))
            forward = (self.moves % 2 == 1 or now <= low) and now < high
            page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
        elif self.kind == "dropdown":
            control.locator("select").select_option(label=self.values[self.moves % 2])
        elif self.kind == "toggle":
            control.get_by_role("button", name=self.values[self.moves % 2], exact=True).click()
        else:
            page.keyboard.press("Enter")


def _one_step(slider):
    """The value one arrow key gives: a step up (the lower end, for a range), down at the top."""
    value = slider.value
    if isinstance(value, tuple):
        return (min(value[0] + slider.step, value[1]), value[1])
    if value + slider.step <= slider.max:
        return value + slider.step
    return value - slider.step


def _exactly(text):
    import re

    return re.compile(rf"^{re.escape(text)}$")


def controls_of(explorer):
    """The explorer's controls, each with the way a learner moves it (and the value it gives)."""
    import ipywidgets as widgets

    from nnkit.explore.textbox import TextBox

    found = []
    for name, widget in explorer.controls.items():
        label = widget.description
        if isinstance(widget, widgets.Text | TextBox):
            first = widget.value
            found.append(Control(name, label, "text", (first, first[:-1] or "1")))
        elif isinstance(widget, widgets.ToggleButtons | widgets.Dropdown):
            options = [option[0] if isinstance(option, tuple) else str(option)
                       for option in widget.options]
            current = options[widget.index]
            other = next(option for option in options if option != current)
            kind = "toggle" if isinstance(widget, widgets.ToggleButtons) else "dropdown"
            found.append(Control(name, label, kind, (current, other)))
        elif hasattr(widget, "max"):
            found.append(Control(name, label, "slider", (widget.value, _one_step(widget))))
        else:
            raise TypeError(f"{type(explorer).__name__}.{name}: no way to move a "
                            f"{type(widget).__name__} is written in {__name__}")
    return found


# -- the notebook and the page -----------------------------------------------------------


def _picture(explorer):
    import numpy as np

    return np.asarray(explorer.figure.canvas.buffer_rgba()).tobytes()


def unmoved(explorer):
    """The controls whose move leaves the picture as it is, in the explorer's present state."""
    found = []
    for control in controls_of(explorer):
        widget, before = explorer.controls[control.name], _picture(explorer)
        start = widget.value
        if control.kind in ("dropdown", "toggle"):
            widget.label = control.values[1]  # the values of a menu are the labels shown
        else:
            widget.value = control.values[1]
        if _picture(explorer) == before:
            found.append(control.name)
        widget.value = start
    return found


def start_state(factory):
    """Values for the dropdowns and toggles after which every control changes the picture.

    The explorer's own start if it will do, else one choice moved (e.g. the
    approximation explorer's target).
    """
    explorer = factory()
    if not unmoved(explorer):
        return {}
    for control in controls_of(explorer):
        if control.kind in ("dropdown", "toggle"):
            widget = explorer.controls[control.name]
            for option in widget.options:
                value = option[1] if isinstance(option, tuple) else option
                candidate = factory()
                candidate.controls[control.name].value = value
                if not unmoved(candidate):
                    return {control.name: value}
    raise ValueError(f"{type(explorer).__name__}: in no state tried here does moving "
                     f"{', '.join(unmoved(explorer))} change the picture")


def one_dot():
    """The reference: a one-inch figure, one dot that a slider moves; next to nothing to draw."""
    from nnkit.explore.explorer import Explorer, slider

    class OneDot(Explorer):
        figsize = (1.0, 1.0)
        name = FLOOR

        def _draw(self):
            self.figure.set_layout_engine("none")
            ax = self.figure.add_axes((0, 0, 1, 1), xlim=(-3.5, 3.5), ylim=(-1, 1))
            ax.set_axis_off()
            self._dot = ax.scatter([0.0], [0.0], s=60)
            self._animate(self._dot)

        def _refresh(self):
            x = self.values()["x"]
            self._dot.set_offsets([[x, 0.0]])
            return f"x = {x:.2f}", False

    return OneDot({"x": slider("x", 0.0)})


def factories():
    """Every explorer's factory by name, and the reference."""
    from nnkit.explore import all_explorers

    return {**all_explorers(), FLOOR: one_dot}


def parse_variant(text):
    """``"2x png:scale=2,image_format='png'"`` → (name, {attribute: value})."""
    import ast

    name, _, settings = text.partition(":")
    values = {}
    for item in filter(None, settings.split(",")):
        attribute, _, value = item.partition("=")
        values[attribute.strip()] = ast.literal_eval(value.strip())
    return name.strip(), values


SETUP = '''\
import contextlib
import sys
sys.path.insert(0, __ROOT__)
from benchmarks.browser_latency import factories
from nnkit.explore.explorer import Explorer

@contextlib.contextmanager
def settings(**values):
    saved = {name: getattr(Explorer, name) for name in values}
    for name, value in values.items():
        setattr(Explorer, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(Explorer, name, value)

def build(name, start, **values):
    with settings(**values):
        explorer = factories()[name]()
    for attribute, value in values.items():  # for those read after it is built, too
        setattr(explorer, attribute, value)
    return explorer.set(**start)
'''


def write_notebook(folder, explorers, variants):
    """One cell per explorer and variant, in that order; the cell indices of the views."""
    import nbformat

    cells = [nbformat.v4.new_code_cell(SETUP.replace("__ROOT__", repr(str(ROOT))))]
    where = {}
    for name in explorers:
        start = start_state(factories()[name])
        for variant, values in variants.items():
            arguments = "".join(f", {key}={value!r}" for key, value in values.items())
            where[name, variant] = len(cells)
            cells.append(nbformat.v4.new_code_cell(f"build({name!r}, {start!r}{arguments})"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, folder / NOTEBOOK)
    return where


class _Folders:
    """What the browser tests' server fixture asks of pytest's ``tmp_path_factory``."""

    def __init__(self, base):
        self.base = Path(base)

    def mktemp(self, name):
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.base))


@contextlib.contextmanager
def lab_and_browser(scratch):
    """The learner's JupyterLab on a copy of the notebooks, and Debian's headless chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _running_lab

    if not CHROMIUM.exists():
        raise RuntimeError(f"no chromium at {CHROMIUM} (install the Debian package `chromium`)")
    with _running_lab(_Folders(scratch)) as lab, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield lab, browser
        finally:
            browser.close()


def open_explorers(lab, browser, where):
    """The notebook opened and run; each explorer's view, instrumented."""
    from tests.browser.conftest import NotebookPage

    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR)
    context.add_init_script(ON_EVERY_PAGE)
    page = context.new_page()
    page.set_default_timeout(60_000)
    notebook = NotebookPage(page).open(lab, NOTEBOOK)
    notebook.run_all()
    views = {}
    for key, index in where.items():
        view = notebook.cell(index).locator(VIEW)
        view.locator(PICTURE).wait_for()
        view.scroll_into_view_if_needed()
        view.evaluate(INSTRUMENT, PICTURE)
        views[key] = view
    return views


def time_one_input(view, control, tries=2):
    """Milliseconds from one input on ``control`` to the new picture on screen.

    An input the page never saw (a key pressed before the focus landed) is made
    again; an input seen and never answered by a settled picture is an error.
    """
    view.scroll_into_view_if_needed()
    control.prepare(view)
    view.evaluate(ARM)
    control.move(view)
    try:
        view.page.wait_for_function(SETTLED, arg=[view.element_handle(), QUIET_MS],
                                    timeout=TIMEOUT_MS, polling=50)
    except Exception as error:  # say what the page saw, for the next one to look into
        seen = view.evaluate(WHAT_WAS_SEEN)
        if seen["input"] is None and tries > 1:
            control.moves -= 1  # the same move again
            return time_one_input(view, control, tries - 1)
        raise RuntimeError(f"{control.name}: no settled new picture within {TIMEOUT_MS} ms "
                           f"of the input; the page saw {seen}") from error
    return view.evaluate(LATENCY)


# -- the figures -------------------------------------------------------------------------


def summary(milliseconds):
    values = np.asarray(milliseconds, dtype=float)
    return {"n": int(values.size), "median_ms": float(np.median(values)),
            "p90_ms": float(np.percentile(values, 90))}


def meets(figures):
    return figures["median_ms"] <= TARGET_MEDIAN_MS and figures["p90_ms"] <= TARGET_P90_MS


def measure(views, explorers, variants, rounds, log=print):
    """Per explorer, control and variant: the times, and the load average meanwhile."""
    import matplotlib

    matplotlib.use("Agg")
    results = []
    for name in explorers:
        factory = factories()[name]
        for control in controls_of(factory().set(**start_state(factory))):
            per_variant = {variant: [] for variant in variants}
            controls = {variant: Control(control.name, control.label, control.kind,
                                         control.values) for variant in variants}
            load = [os.getloadavg()[0]]
            for number in range(rounds):
                order = list(variants)
                shift = number % len(order)
                for variant in order[shift:] + order[:shift]:
                    per_variant[variant].append(
                        time_one_input(views[name, variant], controls[variant]))
            for variant in variants if rounds % 2 else ():  # back to where it started
                time_one_input(views[name, variant], controls[variant])
            load.append(os.getloadavg()[0])
            for variant, times in per_variant.items():
                item = {"explorer": name, "control": control.name, "kind": control.kind,
                        "variant": variant, "times_ms": times, "load": load, **summary(times)}
                results.append(item)
                log(f"{name:24} {control.name:12} {variant:10} median {item['median_ms']:6.1f}"
                    f"  p90 {item['p90_ms']:6.1f} ms  (load {load[0]:.1f}–{load[1]:.1f})")
    return results


def per_explorer(results):
    """Every input of an explorer's controls together, per variant."""
    grouped = {}
    for item in results:
        grouped.setdefault((item["explorer"], item["variant"]), []).append(item)
    rows = []
    for (name, variant), items in grouped.items():
        times = [t for item in items for t in item["times_ms"]]
        loads = [load for item in items for load in item["load"]]
        slowest = max(items, key=lambda item: item["p90_ms"])
        rows.append({"explorer": name, "variant": variant, **summary(times),
                     "load": [min(loads), max(loads)], "slowest_control": slowest["control"],
                     "slowest_p90_ms": slowest["p90_ms"],
                     "every_control_meets": all(meets(item) for item in items)})
    return rows


def table(results, pictures):
    """The README's table: per explorer, all its controls' inputs together, and the slowest."""
    lines = ["| explorer | variant | picture (CSS px → pixels) | median | p90 | slowest control"
             " (p90) | every control ≤ 40 / 80 ms | load |",
             "|---|---|---|---|---|---|---|---|"]
    for row in per_explorer(results):
        picture = pictures.get(f"{row['explorer']}/{row['variant']}", {})
        size = (f"{picture['css'][0]:.0f}×{picture['css'][1]:.0f} → "
                f"{picture['natural'][0]}×{picture['natural'][1]}" if picture else "")
        lines.append(
            f"| {row['explorer']} | {row['variant']} | {size} | {row['median_ms']:.0f} ms | "
            f"{row['p90_ms']:.0f} ms | {row['slowest_control']} ({row['slowest_p90_ms']:.0f} ms)"
            f" | {'yes' if row['every_control_meets'] else 'no'} | "
            f"{row['load'][0]:.1f}–{row['load'][1]:.1f} |")
    return "\n".join(lines)


def run(explorers=None, variants=None, rounds=20, log=print):
    """Start JupyterLab and chromium, measure, stop them; the report as a dict."""
    import matplotlib

    matplotlib.use("Agg")
    explorers = list(explorers or factories())
    variants = variants or {"as shipped": {}}
    with tempfile.TemporaryDirectory(prefix="nnkit-browser-latency-") as scratch, \
            lab_and_browser(scratch) as (lab, browser):
        where = write_notebook(lab.root_dir, explorers, variants)
        views = open_explorers(lab, browser, where)
        pictures = {f"{name}/{variant}": view.evaluate(PICTURE_SIZE, PICTURE)
                    for (name, variant), view in views.items()}
        results = measure(views, explorers, variants, rounds, log=log)
    return {"rounds": rounds, "variants": variants, "pictures": pictures, "results": results,
            "explorers": per_explorer(results), "machine": machine()}


def machine():
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average": os.getloadavg()}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser_latency",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="two inputs per control")
    parser.add_argument("--rounds", type=int, default=20, help="inputs per control and variant")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:SETTINGS",
                        help="also measure with these Explorer class attributes, "
                        "e.g. '1x:scale=1' (repeatable)")
    parser.add_argument("--only", nargs="+", metavar="EXPLORER", help="these explorers only")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    arguments = parser.parse_args(argv)
    variants = {"as shipped": {}}
    variants.update(parse_variant(text) for text in arguments.variant)
    report = run(arguments.only, variants, 2 if arguments.smoke else arguments.rounds)
    report["smoke"] = arguments.smoke
    print(table(report["results"], report["pictures"]))
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {arguments.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
