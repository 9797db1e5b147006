"""Lesson 7's training explorer: how many pictures a second it shows while playing.

Kernel side: one update of *play* is ``steps_per_frame`` steps of gradient
descent on the two-moons network, then the redraw (the decision map, the mosaic
of hidden neurons and the loss curve blitted over the cached background) and
the patches of the picture the browser is sent. It is timed as a whole, and in
its two parts, at the CSS size (how the explorer draws while it plays) and at
twice that (how it draws when paused: sharp on a HiDPI screen). The target is
at least 20 updates a second, i.e. an update in at most 50 ms.

Browser side (full run only, where Debian's chromium and Playwright are
installed): the learner's JupyterLab, as the browser tests start it, shows the
explorer in a notebook; *play* is pressed in headless chromium, and the page
counts the animation frames in which a new picture is drawn on the explorer's
canvas in a few seconds; then *pause*, and how long drawing goes on after it.
That figure includes everything a learner waits for: the kernel, the websocket,
the browser decoding and drawing each patch.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import compare, row

AREA = "learning"
TARGET_UPDATES_PER_S = 20.0
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_SECONDS = 6.0


def kernel_side(rounds: int, scale: int | None = None) -> dict[str, float]:
    """Median seconds of one update of *play*, and of its two parts."""
    import matplotlib

    matplotlib.use("Agg")
    from nnkit.explore.learning import TrainingExplorer, training_explorer

    original = TrainingExplorer.scale
    if scale is not None:
        TrainingExplorer.scale = scale
    try:
        explorer = training_explorer(learning_rate=0.05)  # small steps: it trains all along
    finally:
        TrainingExplorer.scale = original
    explorer.advance(explorer.steps_per_frame)
    before = bytes(explorer.image.value)
    explorer.advance(explorer.steps_per_frame)
    if bytes(explorer.image.value) == before:
        raise AssertionError("an update of the training explorer did not change its picture")
    n = explorer.steps_per_frame
    medians = compare({
        "update": lambda: explorer.advance(n),
        "training steps": lambda: explorer.trainer.train(n),
        "redraw and encode": explorer.update,
    }, rounds=rounds, seconds=0.0)
    durations = []
    for _ in range(rounds):
        start = time.perf_counter()
        explorer.advance(n)
        durations.append(time.perf_counter() - start)
    medians["fastest update"] = min(durations)  # the least disturbed by other jobs
    return medians


# --- the browser -------------------------------------------------------------------------

NOTEBOOK = "watch.ipynb"
NOTEBOOK_CELL = "from nnkit.explore.learning import training_explorer\ntraining_explorer()"
CANVAS = ".jp-OutputArea-output .nnkit-picture canvas"

# One picture may come as several patches, drawn in one animation frame: frames with
# a draw are what a learner sees change.
WATCH_DRAWS = """(canvas) => {
    const context = canvas.getContext('2d');
    const draw = context.drawImage;
    window.nnkitDraws = [];
    let inFrame = false;
    context.drawImage = function (...args) {
        if (!inFrame) {
            inFrame = true;
            window.nnkitDraws.push(performance.now());
            requestAnimationFrame(() => { inFrame = false; });
        }
        return draw.apply(this, args);
    };
}"""

DRAWS_SINCE = "(since) => window.nnkitDraws.filter(t => t >= since).length"
LAST_DRAW = "() => window.nnkitDraws.length ? window.nnkitDraws.at(-1) : 0"
NOW = "() => performance.now()"
STEP = r"""() => Number(document.querySelector('.jp-OutputArea-output .widget-html')
    .textContent.match(/step ([\d,]+)/)[1].replace(/,/g, ''))"""


def browser_side(seconds: float) -> dict[str, float]:
    """Pictures drawn a second while playing, and seconds of drawing after *pause*."""
    import nbformat

    from benchmarks.browser_latency import lab_and_browser
    from tests.browser.conftest import NotebookPage

    scratch = Path(tempfile.mkdtemp(prefix="nnkit-bench-learning-"))
    try:
        with lab_and_browser(scratch) as (lab, browser):
            folder = Path(lab.root_dir)
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
            notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}
            nbformat.write(notebook, folder / NOTEBOOK)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(90_000)
            NotebookPage(page).open(lab, NOTEBOOK).run_all()
            canvas = page.locator(CANVAS).first
            canvas.wait_for()
            canvas.evaluate(WATCH_DRAWS)
            page.get_by_role("button", name="play").click()
            page.wait_for_timeout(1000)  # the first frames, while the kernel warms up
            start, first_step = page.evaluate(NOW), page.evaluate(STEP)
            page.wait_for_timeout(seconds * 1000)
            drawn, last_step = page.evaluate(DRAWS_SINCE, start), page.evaluate(STEP)
            page.get_by_role("button", name="pause").click()
            paused = page.evaluate(NOW)
            page.wait_for_timeout(3000)
            settle = max(0.0, page.evaluate(LAST_DRAW) - paused) / 1000
        return {"per_second": drawn / seconds, "after_pause": settle,
                "steps_per_second": (last_step - first_step) / seconds}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(smoke: bool) -> list[dict]:
    rounds = 3 if smoke else 40
    target_s = 1.0 / TARGET_UPDATES_PER_S
    rows = []
    for scale, label in ((1, "at CSS size, as drawn while playing"),
                         (None, "at 2× CSS size, as drawn when paused")):
        medians = kernel_side(rounds, scale)
        update = medians["update"]
        rows.append(row(AREA, "training explorer, one update of play (kernel)", label, update,
                        update / target_s, 1.0,
                        note=f"{1 / update:.0f} updates/s (target ≥ {TARGET_UPDATES_PER_S:.0f}); "
                             f"steps {medians['training steps'] * 1e3:.1f} ms + redraw and JPEG "
                             f"{medians['redraw and encode'] * 1e3:.1f} ms; fastest update "
                             f"{medians['fastest update'] * 1e3:.1f} ms; load average "
                             f"{os.getloadavg()[0]:.1f}"))
        if smoke:
            break
    if smoke:
        return rows
    if not CHROMIUM.exists():
        rows.append(row(AREA, "training explorer, playing (browser)", "chromium", None,
                        note=f"skipped: no chromium at {CHROMIUM}"))
        return rows
    measured = browser_side(BROWSER_SECONDS)
    per_second = measured["per_second"]
    rows.append(row(AREA, "training explorer, playing (browser)", "chromium, picture changes",
                    1.0 / per_second if per_second else None,
                    TARGET_UPDATES_PER_S / per_second if per_second else None, 1.0,
                    note=f"{per_second:.1f} pictures/s over {BROWSER_SECONDS:.0f} s; "
                         f"after pause the picture changed for "
                         f"{measured['after_pause']:.2f} s more; the kernel trained "
                         f"{measured['steps_per_second']:.0f} steps/s; load average "
                         f"{os.getloadavg()[0]:.1f}"))
    return rows


if __name__ == "__main__":
    print(json.dumps(run(smoke="--smoke" in sys.argv), indent=1, ensure_ascii=False))
