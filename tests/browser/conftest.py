"""A JupyterLab server and a headless chromium, one of each per test process.

The server is the learner's JupyterLab, started by the function ``make lab``
starts it with (``make.start_lab``: the learner's configuration, the served
folder as its root), from the environment the tests run in, which holds
nbgrader too. Only what a test needs differs: a free loopback port, a random
token, no browser opened by the server, this run's own settings, and a
throw-away copy of the repository's notebooks (``start.ipynb``, ``lessons/``,
``exercises/``) as the folder served, so that the repository's notebooks are
never touched. Under ``pytest -n 2`` each worker has its own server and browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

import make

ROOT = Path(__file__).resolve().parents[2]
# What a learner's JupyterLab serves that the tests use: the start page, lessons, exercises.
SERVED = ("start.ipynb", "lessons", "exercises")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# How long an assertion about the page may wait for it (Playwright's default is 5 s): a
# busy 2-core machine renders a long lesson more slowly than that.
ASSERTION_TIMEOUT_MS = 30_000
with contextlib.suppress(ImportError):
    from playwright.sync_api import expect

    expect.set_options(timeout=ASSERTION_TIMEOUT_MS)

SERVER_START_TIMEOUT = 90.0


@dataclass
class Lab:
    """A running JupyterLab: where it is, how to get in, what it serves."""

    url: str
    token: str
    root_dir: Path
    log: Path

    @property
    def start_url(self):
        """The address JupyterLab opens in the learner's browser when it starts."""
        return f"{self.url}/?token={self.token}"

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

    def status(self, path):
        """The HTTP status of a GET on one of the server's pages, e.g. ``/formgrader``."""
        request = urllib.request.Request(f"{self.url}{path}",
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def kernel_process(self, path=None):
        """The process id of the kernel of the notebook at ``path``, or of the only kernel."""
        if path is None:
            (kernel,) = self.api("kernels")
        else:
            (kernel,) = [session["kernel"] for session in self.api("sessions")
                         if session["path"] == path]
        for command_line in Path("/proc").glob("[0-9]*/cmdline"):
            with contextlib.suppress(OSError):
                if f"kernel-{kernel['id']}.json" in command_line.read_text():
                    return int(command_line.parent.name)
        raise LookupError(f"no process runs kernel {kernel['id']}")

    def shut_down_kernels(self):
        """Stop every kernel, so that the next notebook has the machine to itself.

        A kernel the page started may still be starting or ending when the
        kernels are listed; the server may then answer 500 (the list is asked
        for again) or 404 for a kernel already gone.
        """
        for attempt in range(5):
            try:
                kernels = self.api("kernels")
                break
            except urllib.error.HTTPError as error:
                if error.code < 500 or attempt == 4:
                    raise
                time.sleep(1)
        for kernel in kernels:
            try:
                self.api(f"kernels/{kernel['id']}", method="DELETE")
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise


@contextlib.contextmanager
def stopped(process):
    """The process stopped (SIGSTOP) inside the block: it answers nothing."""
    os.kill(process, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process, signal.SIGCONT)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _test_options(port, token, state_dir):
    """What a test's server does differently from a learner's: where it listens, its state."""
    return [
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        # this run's own settings and workspaces, not the machine user's
        f"--LabApp.user_settings_dir={state_dir / 'settings'}",
        f"--LabApp.workspaces_dir={state_dir / 'workspaces'}",
    ]


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


def copy_of_the_notebooks(destination):
    """The repository's notebooks, as a learner's clone holds them, copied to ``destination``."""
    for name in SERVED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copy2(source, destination / name)
    return destination


@contextlib.contextmanager
def _running_lab(tmp_path_factory, learner=True):
    """A JupyterLab on a copy of the notebooks: the learner's, or (``learner=False``) the same
    command without the learner's configuration, as a plain ``jupyter lab`` would be."""
    root_dir = copy_of_the_notebooks(tmp_path_factory.mktemp("course"))
    state_dir = tmp_path_factory.mktemp("lab-state")
    port, token = _free_port(), secrets.token_hex(24)
    log = state_dir / "jupyter-lab.log"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime")}
    options = _test_options(port, token, state_dir)
    with log.open("wb") as log_file:
        output = {"stdout": log_file, "stderr": subprocess.STDOUT, "stdin": subprocess.DEVNULL}
        if learner:
            process = make.start_lab(Path(sys.executable), root_dir, options, env=env, **output)
        else:
            command = make.lab_command(Path(sys.executable), root_dir, options)
            process = subprocess.Popen(command, cwd=root_dir, env=env, **output)
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
def jupyter_lab(tmp_path_factory):
    """The learner's JupyterLab serving a copy of the notebooks; stopped at the end."""
    with _running_lab(tmp_path_factory) as lab:
        yield lab


@pytest.fixture(scope="session")
def plain_jupyter_lab(tmp_path_factory):
    """The same JupyterLab without the learner's configuration: what the learner is spared."""
    with _running_lab(tmp_path_factory, learner=False) as lab:
        yield lab


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
