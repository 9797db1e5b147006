"""Each lesson in JupyterLab: run it, then use every explorer on the page by mouse and keyboard.

A move counts only if the browser shows its effect: the explorer's readout
text and the figure (the pixels on its canvas) both change. A
challenge's **Check my answer** button must answer with a verdict.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

LESSONS = sorted(path.stem for path in (Path(__file__).parents[2] / "lessons").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXPLORER = ".jp-OutputArea-output .widget-vbox:has(> .nnkit-picture)"
CHALLENGE = ".jp-OutputArea-output .widget-vbox:has(> .widget-vbox > .nnkit-picture)"
PICTURE = ":scope > .nnkit-picture canvas"
CHANGE_TIMEOUT = 30_000


@dataclass(frozen=True)
class Move:
    """One thing a learner does to a control of an explorer, found by the control's label."""

    kind: str  # "slider", "dropdown", "toggle" or "text"
    label: str
    value: str = ""
    key: str = "ArrowRight"
    presses: int = 5


# Each explorer, recognised by a label only it has, and what is done to it.
MOVES = {
    "input x1": [Move("slider", "w1"), Move("dropdown", "activation", "tanh")],
    "z range": [Move("slider", "z"), Move("dropdown", "activation", "relu")],
    "temperature T": [Move("slider", "temperature T", key="ArrowLeft")],
    "W1[0,0]": [Move("slider", "b1[0]"), Move("slider", "W2[0,1]", key="ArrowLeft")],
    "layer": [Move("slider", "layer", presses=2), Move("slider", "x1")],
    "hidden layer": [Move("dropdown", "hidden layer", "2"), Move("slider", "x2", presses=8),
                     Move("slider", "x1", key="ArrowLeft", presses=10)],
    "hidden units": [Move("slider", "hidden units"), Move("dropdown", "target", "|x|"),
                     Move("toggle", "parts", "bumps")],
    "layer sizes": [Move("text", "layer sizes", "784, 512, 512, 10"),
                    Move("dropdown", "model", "GPT-2 small"),
                    Move("text", "parameters", "7e9"), Move("dropdown", "dtype", "float16")],
    "learning rate": [Move("slider", "learning rate"),
                      Move("slider", "neurons per layer", key="ArrowLeft")],
}


def _stored_widget_views(notebook_path):
    """How many widget views the stored lesson shows: each is one explorer."""
    cells = json.loads(Path(notebook_path).read_text(encoding="utf-8"))["cells"]
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in cells for output in cell.get("outputs", []))


def _label(page, label):
    return page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$"))


def _control(explorer, kind, label):
    """The control of ``kind`` whose label reads exactly ``label``."""
    css = {"slider": ".widget-slider", "dropdown": ".widget-dropdown",
           "toggle": ".widget-toggle-buttons", "text": ".widget-text"}[kind]
    control = explorer.locator(css).filter(has=_label(explorer.page, label))
    expect(control).to_have_count(1)
    return control


def _moves_for(explorer):
    labels = [text.strip() for text in explorer.locator(".widget-label").all_text_contents()]
    for signature, moves in MOVES.items():
        if signature in labels:
            return moves
    pytest.fail(f"no moves written for the explorer with the controls {labels}")


def _make(move, explorer):
    """Do the move with mouse and keyboard; return what was done, to name it in a failure."""
    control = _control(explorer, move.kind, move.label)
    page = explorer.page
    if move.kind == "slider":
        handle = control.locator(".noUi-handle")
        before = handle.get_attribute("aria-valuenow")
        handle.click()
        for _ in range(move.presses):
            page.keyboard.press(move.key)
        expect(handle).not_to_have_attribute("aria-valuenow", before)
        return f"{move.label}: {before} → {handle.get_attribute('aria-valuenow')}"
    if move.kind == "dropdown":
        control.locator("select").select_option(label=move.value)
    elif move.kind == "toggle":
        control.get_by_role("button", name=move.value, exact=True).click()
    else:
        control.locator("input").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(move.value)
        page.keyboard.press("Enter")
    return f"{move.label} = {move.value}"


def _picture(explorer):
    """What the explorer's canvas shows, as a data URL: it changes with every new picture."""
    return explorer.locator(PICTURE).evaluate("canvas => canvas.toDataURL()")


def _expect_new_picture(explorer, before, what):
    deadline = time.monotonic() + CHANGE_TIMEOUT / 1000
    while _picture(explorer) == before:
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: the figure did not change")
        explorer.page.wait_for_timeout(100)


def _wait_until_settled(explorer, timeout_s=30.0):
    """Wait until the kernel is idle and the readout and figure stay as they are.

    A slider moved by five key presses sends several updates; the figure of
    an update arrives a moment before its readout. Checking the next move (or
    taking the screenshot) before the last update has landed would compare
    against a picture that is about to be replaced.
    """
    page = explorer.page
    status = page.locator("#jp-main-statusbar")
    readout = explorer.locator(":scope > .widget-html")

    def state():
        return status.text_content(), readout.text_content(), _picture(explorer)

    deadline = time.monotonic() + timeout_s
    previous = state()
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        current = state()
        if current == previous and "Idle" in current[0]:
            return
        previous = current
    pytest.fail(f"the explorer kept changing (or the kernel stayed busy) for {timeout_s:.0f} s")


def _use(explorer, lesson):
    """Make every move of this explorer; each must change its readout and its figure."""
    explorer.scroll_into_view_if_needed()
    readout = explorer.locator(":scope > .widget-html")
    for move in _moves_for(explorer):
        text_before, picture_before = readout.text_content(), _picture(explorer)
        done = _make(move, explorer)
        expect(readout, f"{lesson}, {done}: the readout").not_to_have_text(
            text_before, timeout=CHANGE_TIMEOUT)
        _expect_new_picture(explorer, picture_before, f"{lesson}, {done}")
        _wait_until_settled(explorer)


def _check_lesson(lesson, jupyter_lab, open_notebook, screenshots):
    """Run the lesson, use each of its explorers, press each challenge's Check button."""
    path = f"lessons/{lesson}.ipynb"
    n_explorers = _stored_widget_views(jupyter_lab.root_dir / path)
    assert n_explorers >= 1, f"{path} shows no explorer"
    notebook = open_notebook(path)
    notebook.run_all()

    explorers = notebook.notebook.locator(EXPLORER)
    expect(explorers).to_have_count(n_explorers)
    for index in range(n_explorers):
        explorer = explorers.nth(index)
        expect(explorer.locator(PICTURE)).to_be_visible()
        _use(explorer, lesson)
        suffix = "" if index == 0 else f"-{index + 1}"
        explorer.screenshot(path=screenshots / f"{lesson}{suffix}.png")

    challenges = notebook.notebook.locator(CHALLENGE)
    for index in range(challenges.count()):
        view = challenges.nth(index)
        status = view.locator(":scope > .widget-hbox .widget-html")
        before = status.text_content()
        view.get_by_role("button", name="Check my answer").click()
        expect(status).not_to_have_text(before, timeout=CHANGE_TIMEOUT)
        expect(status).to_contain_text("stored in")
        view.screenshot(path=screenshots / f"{lesson}-challenge{index + 1}.png")


# Two halves, so that ``pytest -n 2 --dist loadscope`` can give each to its own worker.
class TestLessonsOneToThree:
    @pytest.mark.parametrize("lesson", LESSONS[:3])
    def test_every_explorer_follows_the_learner(
        self, lesson, jupyter_lab, open_notebook, screenshots
    ):
        _check_lesson(lesson, jupyter_lab, open_notebook, screenshots)


class TestLessonsFourToSix:
    @pytest.mark.parametrize("lesson", LESSONS[3:])
    def test_every_explorer_follows_the_learner(
        self, lesson, jupyter_lab, open_notebook, screenshots
    ):
        _check_lesson(lesson, jupyter_lab, open_notebook, screenshots)
