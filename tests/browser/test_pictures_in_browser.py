"""Every explorer's picture on a HiDPI screen: sharp, as wide as the notebook allows.

The notebook of the browser-latency benchmark (one cell per explorer) is run
in JupyterLab, in chromium with two device pixels per CSS pixel. Each
explorer's canvas must hold at least as many pixels as the screen shows there,
and at least twice its CSS size, and fill the output area up to its own width.
Screenshots land in ``artifacts/screenshots/`` to look at. And a slider's
step is shown from the picture drawn ahead, in the browser alone.
"""

from __future__ import annotations

import pytest

from benchmarks import browser_latency
from tests.browser.conftest import stopped

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


CANVAS_PICTURE = "view => view.querySelector('.nnkit-picture canvas').toDataURL()"
READOUT = "view => view.querySelector('.widget-html-content').textContent"


def test_a_slider_step_is_shown_from_the_picture_drawn_ahead_while_the_kernel_is_stopped(
        browser, jupyter_lab):
    jupyter_lab.shut_down_kernels()
    where = browser_latency.write_notebook(jupyter_lab.root_dir, ["neuron_explorer"],
                                           {"shipped": {}})
    views = browser_latency.open_explorers(jupyter_lab, browser, where)
    view = views["neuron_explorer", "shipped"]
    page = view.page
    try:
        # w1 is the first control: its two steps are the first pictures drawn ahead
        page.wait_for_function(
            "view => Number(view.querySelector('.nnkit-picture').dataset.ahead) >= 2",
            arg=view.element_handle())
        picture, readout = view.evaluate(CANVAS_PICTURE), view.evaluate(READOUT)
        handle = view.locator(".widget-slider").first.locator(".noUi-handle")
        handle.focus()
        with stopped(jupyter_lab.kernel_process()):
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"([view, before]) => ({CANVAS_PICTURE})(view) !== before",
                                   arg=[view.element_handle(), picture], timeout=5_000)
            stepped, stepped_readout = view.evaluate(CANVAS_PICTURE), view.evaluate(READOUT)
        assert stepped_readout != readout, "the readout did not follow the picture drawn ahead"
        # the kernel, going on, agrees: the same picture and readout stay
        page.wait_for_timeout(1_500)
        assert view.evaluate(CANVAS_PICTURE) == stepped
        assert view.evaluate(READOUT) == stepped_readout
    finally:
        page.context.close()
        jupyter_lab.shut_down_kernels()
