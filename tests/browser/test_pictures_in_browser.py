"""Every explorer's picture on a HiDPI screen: sharp, as wide as the notebook allows.

The notebook of the browser-latency benchmark (one cell per explorer) is run
in JupyterLab, in chromium with two device pixels per CSS pixel. Each
explorer's canvas must hold at least as many pixels as the screen shows there,
and at least twice its CSS size, and fill the output area up to its own width.
Screenshots land in ``artifacts/screenshots/`` to look at.
"""

from __future__ import annotations

import pytest

from benchmarks import browser_latency

pytestmark = pytest.mark.browser


def test_every_explorer_is_sharp_and_as_wide_as_the_notebook(browser, jupyter_lab, screenshots):
    explorers = [name for name in browser_latency.factories() if name != browser_latency.FLOOR]
    where = browser_latency.write_notebook(jupyter_lab.root_dir, explorers, {"shipped": {}})
    views = browser_latency.open_explorers(jupyter_lab, browser, where)
    try:
        for (name, _), view in views.items():
            size = view.evaluate(browser_latency.PICTURE_SIZE, browser_latency.PICTURE)
            (pixels_wide, pixels_high), (css_wide, css_high) = size["natural"], size["css"]
            scale = max(2.0, size["device_pixel_ratio"])
            assert size["device_pixel_ratio"] == 2
            assert pixels_wide >= scale * css_wide - 1 and pixels_high >= scale * css_high - 1, (
                f"{name}: {pixels_wide}×{pixels_high} pixels shown at {css_wide}×{css_high}")
            room = view.evaluate("view => view.getBoundingClientRect().width")
            assert css_wide >= min(room, pixels_wide / 2) - 1, f"{name}: narrower than it may be"
            view.screenshot(path=screenshots / f"explorer-{name}.png")
    finally:
        next(iter(views.values())).page.context.close()
        jupyter_lab.shut_down_kernels()
