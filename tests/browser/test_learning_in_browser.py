"""Lesson 7 in JupyterLab: the training explorer plays, pauses, steps, follows its controls.

Everything is done as a learner does it, by mouse and keyboard in chromium, and
every claim is read off the page: the pixels of the explorer's canvas, the
pictures drawn on it, and the readout's step counter.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_lessons_in_browser import EXPLORER, PICTURE

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

LESSON = "lessons/07-learning.ipynb"

# New pictures drawn on the canvas in ``seconds``: one picture may come as several
# patches, drawn in the same animation frame, so frames with a draw are counted.
COUNT_PICTURES = """([canvas, seconds]) => new Promise(resolve => {
    const context = canvas.getContext('2d');
    const draw = context.drawImage;
    let pictures = 0, inFrame = false;
    context.drawImage = function (...args) {
        if (!inFrame) {
            inFrame = true;
            pictures += 1;
            requestAnimationFrame(() => { inFrame = false; });
        }
        return draw.apply(this, args);
    };
    setTimeout(() => { delete context.drawImage; resolve(pictures); }, seconds * 1000);
})"""


def shown(canvas):
    """What the canvas shows, as a data URL."""
    return canvas.evaluate("canvas => canvas.toDataURL()")


def wait_for_a_new_picture(canvas, picture):
    canvas.page.wait_for_function("([canvas, before]) => canvas.toDataURL() !== before",
                                  arg=[canvas.element_handle(), picture], timeout=30_000)


def step_shown(readout):
    match = re.search(r"step ([\d,]+)", readout.text_content())
    assert match, readout.text_content()
    return int(match.group(1).replace(",", ""))


def wait_until_still(canvas, readout, seconds=1.5, tries=12):
    """The step shown once neither it nor the picture has changed for ``seconds``.

    The last frames and the sharp picture drawn on pause may still be on their way
    when the button turns back to play; a busy machine only makes this wait longer.
    """
    for _ in range(tries):
        step = step_shown(readout)
        changes = canvas.page.evaluate(COUNT_PICTURES, [canvas.element_handle(), seconds])
        if changes == 0 and step_shown(readout) == step:
            return step
    raise AssertionError(f"the picture still changed {seconds * tries:.0f} s after pause")


def test_the_training_explorer_plays_pauses_steps_and_follows_its_controls(
        open_notebook, screenshots):
    notebook = open_notebook(LESSON)
    notebook.run_all()
    explorer = notebook.notebook.locator(EXPLORER).first
    explorer.scroll_into_view_if_needed()
    canvas = explorer.locator(PICTURE)
    readout = explorer.locator(":scope > .widget-html")
    expect(readout).to_contain_text("step 0")
    page = explorer.page

    # play: the picture changes again and again, and the steps add up
    explorer.get_by_role("button", name="play").click()
    changes = page.evaluate(COUNT_PICTURES, [canvas.element_handle(), 3.0])
    assert changes >= 3, f"only {changes} new pictures in 3 s of play"
    assert step_shown(readout) > 0

    # pause: the picture and the step counter stop
    explorer.get_by_role("button", name="pause").click()
    expect(explorer.get_by_role("button", name="play")).to_be_visible()
    paused_at, picture = wait_until_still(canvas, readout), shown(canvas)

    # one step: exactly one more step, a new picture
    explorer.get_by_role("button", name="one step").click()
    expect(readout).to_contain_text(f"step {paused_at + 1:,}")
    wait_for_a_new_picture(canvas, picture)

    # the learning-rate slider, moved by keyboard: the readout and the picture follow
    picture = shown(canvas)
    slider = explorer.locator(".widget-slider").filter(has_text="learning rate")
    slider.locator(".noUi-handle").click()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(readout).not_to_contain_text("learning rate 0.3 ")
    wait_for_a_new_picture(canvas, picture)
    assert step_shown(readout) == paused_at + 1  # a new rate does not restart the training

    # reset: back to the start, the picture too
    picture = shown(canvas)
    explorer.get_by_role("button", name="reset").click()
    expect(readout).to_contain_text("step 0")
    wait_for_a_new_picture(canvas, picture)
    page.wait_for_timeout(500)
    explorer.screenshot(path=screenshots / "07-learning-played.png")
