"""A JupyterLab server and a headless chromium, one of each per test process.

The server is started the way ``make lab`` starts it (the project's own
``jupyter``, news and update checks off), on a free loopback port with a random
token, serving a throw-away copy of ``lessons/`` and ``exercises/`` so that the
repository's notebooks are never touched. Under ``pytest -n 2`` each worker has
its own server and browser.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SERVER_START_TIMEOUT = 90.0


@dataclass
class Lab:
    """A running JupyterLab: where it is, how to get in, what it serves."""

    url: str
    token: str
    root_dir: Path
    log: Path

    def page_url(self, path, workspace):
        """The address that opens ``path`` (relative to the served folder) in its own workspace."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def api(self, path, method="GET"):
        """Call the server's REST API; the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(
            f"{self.url}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self):
        """Stop every kernel, so that the next notebook has the machine to itself."""
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lab_command(port, token, root_dir, settings_dir):
    jupyter = Path(sys.executable).parent / "jupyter"
    command = [str(jupyter), "lab"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return [
        *command,
        # as `make lab`: no news pop-up, no update check
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        # this run's own settings and workspaces, not the machine user's
        f"--LabApp.user_settings_dir={settings_dir / 'settings'}",
        f"--LabApp.workspaces_dir={settings_dir / 'workspaces'}",
    ]


def _quiet_news(settings_dir):
    """Answer JupyterLab's "get notified about news?" question with no, as a learner would.

    ``--LabApp.news_url=None`` stops the fetching but JupyterLab 4 still asks, in a
    toast that would cover part of the notebook.
    """
    plugin = settings_dir / "@jupyterlab" / "apputils-extension"
    settings = plugin / "notification.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"fetchNews": "false"}))


def _wait_until_up(lab, process):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyter lab exited with {process.returncode}:\n{lab.log.read_text()}")
        try:
            lab.api("status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    pytest.fail(f"jupyter lab did not answer /api/status within {SERVER_START_TIMEOUT:.0f} s:\n"
                f"{lab.log.read_text()}")


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory):
    """A JupyterLab serving a copy of ``lessons/`` and ``exercises/``; stopped at the end."""
    root_dir = tmp_path_factory.mktemp("course")
    for folder in ("lessons", "exercises"):
        shutil.copytree(ROOT / folder, root_dir / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    state_dir = tmp_path_factory.mktemp("lab-state")
    port, token = _free_port(), secrets.token_hex(24)
    log = state_dir / "jupyter-lab.log"
    _quiet_news(state_dir / "settings")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime")}
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            _lab_command(port, token, root_dir, state_dir), cwd=root_dir, env=env,
            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, root_dir=root_dir, log=log)
    try:
        _wait_until_up(lab, process)
        yield lab
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, through Playwright's sync API."""
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (install the Debian package `chromium`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the browser tests")
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def lab_page(browser, jupyter_lab):
    """A fresh browser page; afterwards the page is closed and the kernels it started stopped."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()
        jupyter_lab.shut_down_kernels()


@pytest.fixture(scope="session")
def screenshots():
    """The git-ignored folder that keeps one screenshot per lesson."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class NotebookPage:
    """One notebook open in JupyterLab, worked with by mouse and keyboard as a learner would."""

    PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

    def __init__(self, page):
        self.page = page
        self.notebook = page.locator(f"{self.PANEL} .jp-Notebook")

    def open(self, lab, path):
        """Open ``path`` in a fresh workspace; return once its kernel is idle."""
        workspace = Path(path).stem
        self.page.goto(lab.page_url(path, workspace))
        self.notebook.locator(".jp-Cell").first.wait_for()
        self.page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for(timeout=90_000)
        return self

    def cell(self, index):
        return self.notebook.locator(".jp-Cell").nth(index)

    def run_all(self):
        """Run → Run All Cells, then wait until every code cell has its execution count."""
        self.page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        self.page.wait_for_function(
            """(panel) => {
                const selector = panel + ' .jp-CodeCell .jp-InputPrompt';
                const prompts = [...document.querySelectorAll(selector)];
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            arg=self.PANEL, timeout=180_000,
        )
        self.page.locator("#jp-main-statusbar").get_by_text("Idle").wait_for()

    def replace_source(self, index, code):
        """Click into a cell's editor, select everything, and put ``code`` there."""
        editor = self.cell(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+A")
        # inserted as one piece of text, as a paste: no auto-indent or closing brackets added
        self.page.keyboard.insert_text(code)

    def run_cells(self, first, last):
        """Select cell ``first`` and press Shift+Enter until cell ``last`` has run."""
        self.cell(first).locator(".jp-InputPrompt").click()
        for index in range(first, last + 1):
            self.page.keyboard.press("Shift+Enter")
            self.page.wait_for_function(
                """([panel, wanted]) => {
                    const cells = [...document.querySelectorAll(panel + ' .jp-Notebook .jp-Cell')];
                    return cells.findIndex(c => c.classList.contains('jp-mod-active')) === wanted;
                }""",
                arg=[self.PANEL, index + 1],
            )


@pytest.fixture
def open_notebook(lab_page, jupyter_lab):
    """Open a notebook of the served copy (e.g. ``lessons/01-neuron.ipynb``) in the browser."""

    def opener(path):
        return NotebookPage(lab_page).open(jupyter_lab, path)

    return opener
