"""The learner's JupyterLab, as ``make lab`` opens it, in a real browser.

The server comes from the function ``make lab`` uses (see conftest.py), in the
test environment, where nbgrader is installed: the learner's configuration has
to hide it. The page is the one JupyterLab opens when it starts. Then every
link of the start page and each lesson's link to its exercise is clicked as a
learner clicks it, and the notebook it points to must open.

A control runs the same command without the learner's configuration and must
show what the learner is spared (nbgrader's menu, panel and button, the news
pop-up): so the checks can tell.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import nbformat
import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "lessons").glob("*.ipynb"))
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
NBGRADER_PAGES = ("/formgrader", "/formgraders", "/assignments")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def nbgrader_on_the_page(page):
    """What of nbgrader's the page shows: its menu, sidebar panels, notebook toolbar button."""
    shown = []
    if page.locator(".lm-MenuBar-item", has_text="Nbgrader").count():
        shown.append("the Nbgrader menu")
    titles = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
        "tabs => tabs.map(tab => tab.title || tab.innerText)")
    shown += [f"the sidebar panel {title!r}" for title in titles if "nbgrader" in title.lower()]
    if page.locator(f"{PANEL} .jp-Toolbar").get_by_text("Validate", exact=True).count():
        shown.append("the Validate button")
    return shown


def pop_ups(page):
    """Notifications and dialogs on the page, by their text."""
    return page.locator(".Toastify__toast, .jp-Dialog").all_inner_texts()


def wait_until_started(page):
    """Wait for the first notebook's cells and its kernel, as a learner waits for the page."""
    page.locator(f"{PANEL} .jp-Cell").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=90_000)


def open_start_page(browser, lab):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(lab.start_url)
    wait_until_started(page)
    return page


def links(notebook):
    """The notebook's relative links as (link text, path from the served folder)."""
    found = []
    for cell in nbformat.read(ROOT / notebook, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for text, href in MARKDOWN_LINK.findall(cell.source):
            if "://" not in href and not href.startswith("#"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(notebook), href))
                found.append((text, target))
    return found


def first_line(notebook):
    """The first line of a notebook's first cell, as the learner sees it at the top."""
    source = nbformat.read(ROOT / notebook, as_version=4).cells[0].source
    return source.splitlines()[0].lstrip("# ").strip()


def click_link(page, text, target):
    """Click the link, scrolled to as a learner scrolls; return once ``target`` is open."""
    link = page.locator(PANEL).get_by_role("link", name=text, exact=True)
    expect(link, f"the link {text!r}").to_have_count(1)
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(re.compile(rf"/tree/{re.escape(target)}(\?|$)"))
    panel = page.locator(PANEL)
    expect(panel.locator(".jp-Cell").first).to_contain_text(first_line(target))
    assert pop_ups(page) == [], f"opening {target} from the link {text!r}: {pop_ups(page)}"


def close_current_tab(page):
    """Click the close button on the current tab, as a learner does."""
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current")
    tab.locator(".lm-TabBar-tabCloseIcon").click()


class TestTheLearnersLab:
    def test_lesson_one_opens_with_no_instructor_tools_and_no_pop_up(
        self, browser, jupyter_lab, screenshots
    ):
        page = open_start_page(browser, jupyter_lab)
        try:
            assert page.url.startswith(f"{jupyter_lab.url}/lab/tree/lessons/01-neuron.ipynb")
            expect(page.locator(PANEL).locator(".jp-Cell").first).to_contain_text(
                first_line("lessons/01-neuron.ipynb"))
            menus = page.locator(".lm-MenuBar-item").all_inner_texts()
            assert {"File", "Run", "Kernel"} <= set(menus), menus
            assert nbgrader_on_the_page(page) == []
            assert pop_ups(page) == []
            # nothing lies over the lesson: the topmost element at its centre is the lesson's
            box = page.locator(PANEL).locator(".jp-Notebook").bounding_box()
            centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            assert page.evaluate(
                "([x, y, panel]) => document.querySelector(panel).contains("
                "document.elementFromPoint(x, y))", [*centre, PANEL])
            page.screenshot(path=screenshots / "learner-lab.png")
        finally:
            page.context.close()
            jupyter_lab.shut_down_kernels()

    def test_the_server_has_no_nbgrader_pages_and_serves_the_whole_course(self, jupyter_lab):
        assert {path: jupyter_lab.status(path) for path in NBGRADER_PAGES} == dict.fromkeys(
            NBGRADER_PAGES, 404)
        listing = {item["name"] for item in jupyter_lab.api("contents")["content"]}
        assert {"start.ipynb", "lessons", "exercises"} <= listing

    def test_without_the_learner_configuration_nbgrader_and_the_news_show(
        self, browser, plain_jupyter_lab
    ):
        """The control: the same server without deploy/learner-config/ shows all of it."""
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(plain_jupyter_lab.page_url("lessons/01-neuron.ipynb", "control"))
            wait_until_started(page)
            assert nbgrader_on_the_page(page) == [
                "the Nbgrader menu", "the sidebar panel 'Nbgrader Create Assignment'",
                "the Validate button"]
            expect(page.locator(".Toastify__toast")).to_contain_text("news")
            assert plain_jupyter_lab.status("/formgrader") != 404
        finally:
            page.context.close()
            plain_jupyter_lab.shut_down_kernels()


class TestLinks:
    def test_every_link_of_the_start_page_opens_its_notebook(self, browser, jupyter_lab):
        targets = links("start.ipynb")
        assert len(targets) >= 2 * len(LESSONS), targets
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(jupyter_lab.page_url("start.ipynb", "start-page"))
            wait_until_started(page)
            for text, target in targets:
                click_link(page, text, target)
                close_current_tab(page)
                page.wait_for_url(re.compile(r"/tree/start\.ipynb(\?|$)"))
        finally:
            page.context.close()
            jupyter_lab.shut_down_kernels()

    @pytest.mark.parametrize("lesson", LESSONS)
    def test_the_lesson_links_to_its_exercise(self, lesson, open_notebook):
        exercise = f"exercises/{Path(lesson).stem}/{Path(lesson).name}"
        targets = links(lesson)
        assert [target for _, target in targets if target.startswith("exercises/")] == [exercise]
        notebook = open_notebook(lesson)
        for text, target in targets:
            click_link(notebook.page, text, target)
