"""A real JupyterHub on loopback with throw-away Unix users, and a browser to use it.

Everything here is made for one test run and removed afterwards, also when a
test fails: the Unix accounts (an instructor and two students, with names
no other run uses) and their homes, the hub and every process it started,
the exchange folder and the configuration folders. The hub loads
``deploy/jupyterhub/jupyterhub_config.py`` and changes only what a test must:
a password-only DummyAuthenticator instead of PAM, free ports, its state in a
scratch folder, and the exchange in a scratch folder.

The browser runs in its own thread: a second Playwright sync session in the
thread that already drives the JupyterLab browser tests (same pytest worker)
would be refused.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "jupyterhub"
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
]
HUB_START_TIMEOUT = 60.0
COURSE_STATE = ("gradebook.db", "grading-output", "submitted", "autograded", "feedback",
                ".ipynb_checkpoints", "__pycache__")


def _closed_folders():
    """Folders on the way to the project's Python and code that other users cannot enter
    (e.g. an interpreter installed under /root); each test user is let through by an ACL."""
    closed = set()
    for target in (Path(os.path.realpath(sys.executable)), BIN, ROOT / "src"):
        for folder in target.parents:
            if not folder.stat().st_mode & 0o001:
                closed.add(folder)
    return sorted(closed)


def _missing_requirements():
    """What this machine lacks for the hub test, as a list of sentences."""
    missing = []
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        missing.append("not root (creating Unix users and spawning their servers needs root)")
    for program in ("useradd", "userdel"):
        if shutil.which(program) is None:
            missing.append(f"no `{program}`")
    for program in ("jupyterhub", "jupyterhub-singleuser"):
        if not (BIN / program).exists():
            missing.append(f"no `{program}` in {BIN} (pip install jupyterhub)")
    if shutil.which("configurable-http-proxy") is None:
        missing.append("no `configurable-http-proxy` (npm install -g configurable-http-proxy, "
                       "or `make system-deps`)")
    if not CHROMIUM.exists():
        missing.append(f"no chromium at {CHROMIUM}")
    if _closed_folders() and shutil.which("setfacl") is None:
        missing.append(f"`setfacl` (package acl) to let test users through "
                       f"{', '.join(map(str, _closed_folders()))}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("no playwright")
    return missing


@pytest.fixture(scope="module")
def hub_requirements():
    """Skip (or, in CI, fail) with the reason when the hub test cannot run here."""
    missing = _missing_requirements()
    if missing:
        reason = "JupyterHub test needs: " + "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} — CI must run it")
        pytest.skip(reason)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scratch_folder(prefix, mode):
    """A folder under /tmp that the throw-away users can reach (pytest's tmp_path cannot)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(mode)
    return folder


@dataclass
class UnixUser:
    """A throw-away account: commands run as it with the project's environment."""

    name: str
    uid: int
    gid: int
    home: Path
    config_path: str = ""

    def env(self, **extra):
        """A clean environment for this account: its home, the project's Python first."""
        env = {
            "HOME": str(self.home), "USER": self.name, "LOGNAME": self.name,
            "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "JUPYTER_CONFIG_PATH": self.config_path,
        }
        env.update(extra)
        return env

    def run(self, command, cwd=None, timeout=300, check=True):
        """Run ``command`` as this user; the finished process (its output as text)."""
        result = subprocess.run(
            [str(c) for c in command], cwd=cwd or self.home, env=self.env(), user=self.uid,
            group=self.gid, extra_groups=[], capture_output=True, text=True, timeout=timeout,
        )
        if check and result.returncode != 0:
            pytest.fail(f"`{' '.join(map(str, command))}` as {self.name} exited with "
                        f"{result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def write(self, path, data: bytes):
        """Write a file in this user's name (owner and mode as the user would get)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chown(path, self.uid, self.gid)


def _create_user(name):
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment",
                    "nnkit hub test (throw-away)", name], check=True, capture_output=True)
    entry = pwd.getpwnam(name)
    for folder in _closed_folders():
        subprocess.run(["setfacl", "--modify", f"u:{entry.pw_uid}:x", folder], check=True)
    return UnixUser(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def _processes_of(uid):
    """Ids of the processes still running as ``uid`` (the throw-away user's, so ours)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                continue
    return pids


def _remove_user(user):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in _processes_of(user.uid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 5
        while _processes_of(user.uid) and time.monotonic() < deadline:
            time.sleep(0.1)
    subprocess.run(["userdel", "--remove", user.name], capture_output=True)
    shutil.rmtree(user.home, ignore_errors=True)


def _saved_acls(folders):
    """The access lists of ``folders`` as getfacl prints them (to put back afterwards)."""
    if not folders:
        return ""
    return subprocess.run(["getfacl", "--absolute-names", *map(str, folders)],
                          check=True, capture_output=True, text=True).stdout


def _restore_acls(saved):
    if saved:
        subprocess.run(["setfacl", "--restore=-"], input=saved, text=True, capture_output=True)


@dataclass
class HubUsers:
    """The three accounts of a run: one instructor, two students."""

    instructor: UnixUser
    students: list = field(default_factory=list)

    @property
    def everybody(self):
        return [self.instructor, *self.students]


@pytest.fixture(scope="module")
def hub_users(hub_requirements):
    """An instructor and two students with unique names; deleted with their homes afterwards."""
    tag = secrets.token_hex(3)
    created = []
    acls = _saved_acls(_closed_folders())
    try:
        for role in ("i", "s", "t"):
            created.append(_create_user(f"nnk{role}{tag}"))
        yield HubUsers(created[0], created[1:])
    finally:
        for user in created:
            _remove_user(user)
        _restore_acls(acls)


@dataclass
class CourseSetup:
    """Where the course's shared pieces live for this run."""

    exchange: Path
    nbgrader_config: Path
    student_config: Path
    course: Path


@pytest.fixture(scope="module")
def course_setup(hub_users):
    """The exchange (1777), the shared nbgrader configuration, the students' locked
    configuration (root-owned), and the instructor's copy of the course."""
    folders = []
    try:
        exchange = _scratch_folder("nnkit-exchange-", 0o1777)
        shared = _scratch_folder("nnkit-nbgrader-config-", 0o755)
        locked = _scratch_folder("nnkit-student-config-", 0o755)
        folders += [exchange, shared, locked]
        config_text = (DEPLOY / "nbgrader_config.py").read_text()
        (shared / "nbgrader_config.py").write_text(
            f"{config_text}\n# this test run's exchange\nc.Exchange.root = {str(exchange)!r}\n")
        shutil.copytree(DEPLOY / "student-config", locked, dirs_exist_ok=True)
        for path in [locked, *locked.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)

        instructor = hub_users.instructor
        course_root = instructor.home / "nnkit"
        for folder in ("course", "solutions", "exercises"):
            shutil.copytree(ROOT / folder, course_root / folder,
                            ignore=shutil.ignore_patterns(*COURSE_STATE))
        for path in [course_root, *course_root.rglob("*")]:
            os.chown(path, instructor.uid, instructor.gid, follow_symlinks=False)

        instructor.config_path = str(shared)
        for student in hub_users.students:
            student.config_path = os.pathsep.join([str(locked), str(shared)])
        yield CourseSetup(exchange, shared / "nbgrader_config.py", locked, course_root / "course")
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Hub:
    """A running JupyterHub: its address, the test password, its log."""

    url: str
    password: str
    log: Path

    def get(self, path, cookies=""):
        """Status code of a GET (None while nothing answers)."""
        request = urllib.request.Request(f"{self.url}{path}", headers={"Cookie": cookies})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None


def _hub_config(state, port, users, setup, password):
    names = sorted(u.name for u in users.everybody)
    return f"""
c = get_config()  # noqa: F821
load_subconfig({str(DEPLOY / "jupyterhub_config.py")!r})  # noqa: F821
# What the test changes: a password for the throw-away users, free ports, scratch state.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = False
c.Authenticator.allowed_users = set({names!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.pid_file = {str(state / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{state / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(state / "cookie_secret")!r}
c.JupyterHub.cleanup_servers = True
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
"""


def _wait_for_hub(hub, process):
    deadline = time.monotonic() + HUB_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyterhub exited with {process.returncode}:\n{hub.log.read_text()}")
        if hub.get("/hub/api/") == 200:
            return
        time.sleep(0.3)
    pytest.fail(f"the hub did not answer within {HUB_START_TIMEOUT:.0f} s:\n{hub.log.read_text()}")


def _stop(process):
    """Stop the hub's process group (hub and proxy); the hub stops the users' servers first."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(scope="module")
def hub(hub_users, course_setup):
    """JupyterHub with deploy/jupyterhub's configuration, on a free loopback port."""
    state = _scratch_folder("nnkit-hub-state-", 0o700)
    port, password = _free_port(), secrets.token_urlsafe(16)
    (state / "jupyterhub_config.py").write_text(
        _hub_config(state, port, hub_users, course_setup, password))
    env = {
        **os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "NNKIT_HUB_INSTRUCTORS": hub_users.instructor.name,
        "NNKIT_HUB_NBGRADER_CONFIG": str(course_setup.nbgrader_config.parent),
        "NNKIT_HUB_STUDENT_CONFIG": str(course_setup.student_config),
    }
    log = state / "jupyterhub.log"
    process = None
    try:
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(state / "jupyterhub_config.py")],
                cwd=state, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        running = Hub(f"http://127.0.0.1:{port}", password, log)
        _wait_for_hub(running, process)
        yield running
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(state, ignore_errors=True)


class BrowserThread:
    """Headless chromium driven through Playwright in a thread of its own.

    ``call(fn, *args)`` runs ``fn(browser, *args)`` in that thread and returns
    its result (or raises its exception) in the caller's.
    """

    def __init__(self):
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="hub-browser")
        self._playwright = self._browser = None
        self.call(lambda _: self._start())

    def _start(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)

    def call(self, fn, *args):
        return self._pool.submit(lambda: fn(self._browser, *args)).result()

    def close(self):
        def stop(_):
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self.call(stop)
        finally:
            self._pool.shutdown()


@pytest.fixture(scope="module")
def hub_browser(hub_requirements):
    """Debian's chromium, headless, in its own thread."""
    browser = BrowserThread()
    try:
        yield browser
    finally:
        browser.close()
