"""Lesson 7 in JupyterLab: the training explorer plays, pauses, steps, follows its controls.

Everything is done as a learner does it, by mouse and keyboard in chromium, and
every claim is read off the page: the picture the browser shows (the image's
``src``) and the readout's step counter.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_lessons_in_browser import EXPLORER

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

LESSON = "lessons/07-learning.ipynb"

COUNT_PICTURES = """([image, seconds]) => new Promise(resolve => {
    const seen = new Set([image.src]);
    const observer = new MutationObserver(() => seen.add(image.src));
    observer.observe(image, {attributes: true, attributeFilter: ['src']});
    setTimeout(() => { observer.disconnect(); resolve(seen.size - 1); }, seconds * 1000);
})"""


def step_shown(readout):
    match = re.search(r"step ([\d,]+)", readout.text_content())
    assert match, readout.text_content()
    return int(match.group(1).replace(",", ""))


def test_the_training_explorer_plays_pauses_steps_and_follows_its_controls(
        open_notebook, screenshots):
    notebook = open_notebook(LESSON)
    notebook.run_all()
    explorer = notebook.notebook.locator(EXPLORER).first
    explorer.scroll_into_view_if_needed()
    image = explorer.locator(":scope > .widget-image")
    readout = explorer.locator(":scope > .widget-html")
    expect(readout).to_contain_text("step 0")
    page = explorer.page

    # play: the picture changes again and again, and the steps add up
    explorer.get_by_role("button", name="play").click()
    changes = page.evaluate(COUNT_PICTURES, [image.element_handle(), 3.0])
    assert changes >= 10, f"only {changes} new pictures in 3 s of play"
    assert step_shown(readout) > 0

    # pause: the picture and the step counter stop
    explorer.get_by_role("button", name="pause").click()
    expect(explorer.get_by_role("button", name="play")).to_be_visible()
    page.wait_for_timeout(1000)
    paused_at, picture = step_shown(readout), image.get_attribute("src")
    assert page.evaluate(COUNT_PICTURES, [image.element_handle(), 1.5]) == 0
    assert step_shown(readout) == paused_at

    # one step: exactly one more step, a new picture
    explorer.get_by_role("button", name="one step").click()
    expect(readout).to_contain_text(f"step {paused_at + 1:,}")
    expect(image).not_to_have_attribute("src", picture)

    # the learning-rate slider, moved by keyboard: the readout and the picture follow
    picture = image.get_attribute("src")
    slider = explorer.locator(".widget-slider").filter(has_text="learning rate")
    slider.locator(".noUi-handle").click()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(readout).not_to_contain_text("learning rate 0.3 ")
    expect(image).not_to_have_attribute("src", picture)
    assert step_shown(readout) == paused_at + 1  # a new rate does not restart the training

    # reset: back to the start, the picture too
    picture = image.get_attribute("src")
    explorer.get_by_role("button", name="reset").click()
    expect(readout).to_contain_text("step 0")
    expect(image).not_to_have_attribute("src", picture)
    page.wait_for_timeout(500)
    explorer.screenshot(path=screenshots / "07-learning-played.png")
