"""Lesson 7's training explorer: how many pictures a second it shows while playing.

Kernel side: one update of *play* is ``steps_per_frame`` steps of gradient
descent on the two-moons network, then the redraw (the decision map, the mosaic
of hidden neurons and the loss curve blitted over the cached background) and
the JPEG the browser is sent. It is timed as a whole, and in its two parts, at
the figure's own resolution and at twice that (the HiDPI drawing). The target
is at least 20 updates a second, i.e. an update in at most 50 ms.

Browser side (full run only, where Debian's chromium and Playwright are
installed): the learner's JupyterLab (``make lab``'s own function) shows the
explorer in a fresh notebook; *play* is pressed in headless chromium, and the
page counts how often the picture it shows changes in a few seconds; then
*pause*, and how long the picture keeps changing after it. That figure
includes everything a learner waits for: the kernel, the websocket, the
browser decoding and drawing each JPEG.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks import compare, row

AREA = "learning"
TARGET_UPDATES_PER_S = 20.0
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_SECONDS = 6.0


def kernel_side(rounds: int, dpi: int | None = None) -> dict[str, float]:
    """Median seconds of one update of *play*, and of its two parts."""
    import matplotlib

    matplotlib.use("Agg")
    from nnkit.explore.learning import TrainingExplorer, training_explorer

    original = TrainingExplorer.dpi
    if dpi is not None:
        TrainingExplorer.dpi = dpi
    try:
        explorer = training_explorer(learning_rate=0.05)  # small steps: it trains all along
    finally:
        TrainingExplorer.dpi = original
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

NOTEBOOK_CELL = "from nnkit.explore.learning import training_explorer\ntraining_explorer()"

COUNT_CHANGES = """(seconds) => new Promise(resolve => {
    const image = document.querySelector('.jp-OutputArea-output .widget-image');
    const seen = new Set([image.src]);
    let changes = 0;
    const observer = new MutationObserver(() => {
        if (!seen.has(image.src)) { seen.add(image.src); changes += 1; }
    });
    observer.observe(image, {attributes: true, attributeFilter: ['src']});
    setTimeout(() => { observer.disconnect(); resolve(changes); }, seconds * 1000);
})"""

LAST_CHANGE_AFTER = """(seconds) => new Promise(resolve => {
    const image = document.querySelector('.jp-OutputArea-output .widget-image');
    const start = performance.now();
    let last = 0;
    const observer = new MutationObserver(() => { last = performance.now() - start; });
    observer.observe(image, {attributes: true, attributeFilter: ['src']});
    setTimeout(() => { observer.disconnect(); resolve(last / 1000); }, seconds * 1000);
})"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _lab(folder: Path):
    import make

    port, token = _free_port(), secrets.token_hex(16)
    options = ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               f"--IdentityProvider.token={token}",
               f"--LabApp.user_settings_dir={folder / 'settings'}",
               f"--LabApp.workspaces_dir={folder / 'workspaces'}"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder / "runtime")}
    log = (folder / "lab.log").open("wb")
    process = make.start_lab(Path(sys.executable), folder, options, env=env, stdout=log,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request = urllib.request.Request(f"{url}/api/status",
                                                 headers={"Authorization": f"token {token}"})
                urllib.request.urlopen(request, timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start: {folder / 'lab.log'}") \
                        from None
                time.sleep(0.25)
        yield url, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def browser_side(seconds: float) -> dict[str, float]:
    """Picture changes a second while playing, and seconds of changes after *pause*."""
    import nbformat
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="nnkit-bench-learning-"))
    try:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        nbformat.write(notebook, folder / "watch.ipynb")
        with _lab(folder) as (url, token), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(90_000)
                page.goto(f"{url}/lab/workspaces/bench/tree/watch.ipynb?reset&token={token}")
                page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for()
                page.locator(".jp-Notebook .jp-Cell").first.click()
                page.keyboard.press("Shift+Enter")
                page.locator(".jp-OutputArea-output .widget-image").wait_for()
                page.get_by_role("button", name="play").click()
                page.wait_for_timeout(1000)  # the first frames, while the kernel warms up
                changes = page.evaluate(COUNT_CHANGES, seconds)
                page.get_by_role("button", name="pause").click()
                settle = page.evaluate(LAST_CHANGE_AFTER, 3.0)
            finally:
                browser.close()
        return {"per_second": changes / seconds, "after_pause": settle}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(smoke: bool) -> list[dict]:
    rounds = 3 if smoke else 40
    target_s = 1.0 / TARGET_UPDATES_PER_S
    rows = []
    for dpi, label in ((None, "figure as drawn"), (144, "at 144 dpi (HiDPI)")):
        medians = kernel_side(rounds, dpi)
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
                         f"{measured['after_pause']:.2f} s more; load average "
                         f"{os.getloadavg()[0]:.1f}"))
    return rows


if __name__ == "__main__":
    print(json.dumps(run(smoke="--smoke" in sys.argv), indent=1, ensure_ascii=False))
