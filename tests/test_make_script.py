"""make.py, the set-up without make: its choices one by one, then run as a Windows user runs it.

The last tests copy the working tree to a throw-away folder, as a fresh clone
holds it, and run ``python make.py ...`` there with this Python, as a list of
arguments (no shell, no make): ``lab`` must create ``.venv``, install the lab
extra alone at the pinned versions and serve the whole course with lesson 1
open; ``install lab --installer pip`` must install the same versions with pip;
``test --dry-run`` must show every command and change nothing.
"""

from __future__ import annotations

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
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

import make

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 900


class Recorder:
    """Stands in for make.Runner: records the commands; each answers with ``code``."""

    dry_run = False

    def __init__(self, code=0):
        self.code = code
        self.commands = []

    def run(self, command, check=True):
        self.commands.append([str(word) for word in command])
        return self.code

    def show(self, command):
        self.commands.append([str(word) for word in command])


@pytest.fixture
def venv(tmp_path):
    """A folder laid out like a virtual environment whose python is this one."""
    folder = tmp_path / ".venv"
    (folder / "bin").mkdir(parents=True)
    (folder / "bin" / "python").symlink_to(sys.executable)
    return folder


# --------------------------------------------------------------------------
# Paths on each system
# --------------------------------------------------------------------------

def test_windows_environments_keep_programs_in_scripts_with_exe():
    venv = Path("C:/Users/ada/nnkit/.venv")
    assert make.venv_script(venv, "python", "nt") == venv / "Scripts" / "python.exe"
    assert make.venv_script(venv, "uv", "nt") == venv / "Scripts" / "uv.exe"


def test_linux_and_macos_environments_keep_programs_in_bin():
    venv = Path("/home/ada/nnkit/.venv")
    assert make.venv_script(venv, "python", "posix") == venv / "bin" / "python"
    assert make.venv_script(venv, "uv", "posix") == venv / "bin" / "uv"


def test_commands_are_shown_as_each_system_quotes_them():
    command = ["C:/Program Files/Python311/python.exe", "-m", "venv", ".venv"]
    assert make.format_command(command, "nt") == (
        '"C:/Program Files/Python311/python.exe" -m venv .venv')
    assert make.format_command(command, "posix") == (
        "'C:/Program Files/Python311/python.exe' -m venv .venv")


def test_an_old_python_is_refused_with_the_version_it_needs():
    with pytest.raises(make.SetupError, match=r"Python 3\.11 or newer.* is 3\.10"):
        make.check_python((3, 10, 12))
    make.check_python((3, 11, 0))


# --------------------------------------------------------------------------
# The installer
# --------------------------------------------------------------------------

def test_a_uv_on_path_is_used_as_it_is(venv):
    runner = Recorder()
    python = venv / "bin" / "python"
    installer = make.choose_installer(python, runner, which=lambda name: "/opt/uv/bin/uv")
    assert installer.name == "uv"
    assert installer.command == ["/opt/uv/bin/uv", "pip", "install", "--python", str(python)]
    assert runner.commands == []


def test_without_uv_on_path_the_pinned_uv_is_installed_into_the_environment(venv):
    runner = Recorder()
    python = venv / "bin" / "python"
    installer = make.choose_installer(python, runner, which=lambda name: None)
    assert runner.commands == [[sys.executable, "-m", "pip", "--python", str(python),
                                "install", "--quiet", make.UV]]
    assert installer.name == "uv"
    assert installer.command[0] == str(venv / "bin" / "uv")


def test_this_pythons_pip_installs_into_the_environment_which_needs_none_of_its_own(venv):
    runner = Recorder()
    python = venv / "bin" / "python"
    assert make.pip_command(python, runner) == [sys.executable, "-m", "pip", "--python",
                                                str(python)]
    assert runner.commands == []


def test_without_a_pip_here_the_environment_gets_its_own(venv, monkeypatch):
    monkeypatch.setattr(make, "_can_target_other_environments", lambda: False)
    runner = Recorder()
    python = venv / "bin" / "python"
    assert make.pip_command(python, runner) == [str(python), "-m", "pip"]
    assert runner.commands == [[str(python), "-m", "ensurepip", "--default-pip"]]


def test_a_uv_already_in_the_environment_is_not_installed_again(venv):
    (venv / "bin" / "uv").touch()
    runner = Recorder()
    installer = make.choose_installer(venv / "bin" / "python", runner, which=lambda name: None)
    assert installer.command[0] == str(venv / "bin" / "uv")
    assert runner.commands == []


def test_pip_installs_when_uv_cannot_be_had(venv, capsys):
    python = venv / "bin" / "python"
    installer = make.choose_installer(python, Recorder(code=1), which=lambda name: None)
    assert installer.name == "pip"
    assert installer.command == [*make.pip_command(python, Recorder()), "install"]
    assert "installing with pip instead" in capsys.readouterr().out
    with pytest.raises(make.SetupError, match="could not install uv=="):
        make.choose_installer(python, Recorder(code=1), "uv", which=lambda name: None)


def test_pip_when_asked_for(venv):
    runner = Recorder()
    installer = make.choose_installer(venv / "bin" / "python", runner, "pip",
                                      which=lambda name: "/opt/uv/bin/uv")
    assert installer.name == "pip"
    assert runner.commands == []


@pytest.mark.parametrize("extra", make.EXTRAS)
def test_both_installers_install_nnkit_with_the_extra_at_its_pins(extra):
    for installer in (make.pip_installer(Path("py"), Recorder()),
                      make.uv_installer("uv", Path("py"))):
        assert installer.install_command(extra)[-5:] == [
            "-r", f"requirements/{extra}.txt", "-e", f".[{extra}]", "pip"]


def test_an_install_happens_once_until_the_pins_change(venv, tmp_path, monkeypatch):
    locks = tmp_path / "requirements"
    shutil.copytree(make.LOCKS, locks)
    shutil.copy2(make.ROOT / "pyproject.toml", tmp_path)
    monkeypatch.setattr(make, "ROOT", tmp_path)
    monkeypatch.setattr(make, "LOCKS", locks)
    (venv / "bin" / "uv").touch()
    runner = Recorder()
    monkeypatch.setattr(make.shutil, "which", lambda name: None)

    make.install("test", runner, venv=venv)
    assert len(runner.commands) == 1 and "requirements/test.txt" in runner.commands[0]
    make.install("test", runner, venv=venv)
    make.install("lab", runner, venv=venv)  # the test extra holds the lab extra
    assert len(runner.commands) == 1

    with (locks / "lab.txt").open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    make.install("lab", runner, venv=venv)
    assert len(runner.commands) == 2 and "requirements/lab.txt" in runner.commands[1]
    assert make.is_installed("lab", venv) and make.is_installed("test", venv)


def test_a_failed_install_is_not_recorded(venv, monkeypatch):
    (venv / "bin" / "uv").touch()
    monkeypatch.setattr(make.shutil, "which", lambda name: None)

    class Failing(Recorder):
        def run(self, command, check=True):
            super().run(command, check)
            raise make.SetupError("the install failed")

    with pytest.raises(make.SetupError):
        make.install("lab", Failing(), venv=venv)
    assert not make.is_installed("lab", venv)


# --------------------------------------------------------------------------
# The learner's JupyterLab
# --------------------------------------------------------------------------

def test_jupyterlab_serves_the_repository_folder(monkeypatch):
    monkeypatch.setattr(make, "running_as_root", lambda: False)
    command = make.lab_command(Path("py"), make.ROOT, ["--no-browser"])
    assert command == ["py", "-m", "jupyterlab", f"--ServerApp.root_dir={make.ROOT}",
                       "--no-browser"]


def test_as_root_jupyterlab_is_told_that_it_is_meant(monkeypatch):
    monkeypatch.setattr(make, "running_as_root", lambda: True)
    assert "--allow-root" in make.lab_command(Path("py"))


def test_the_learner_configuration_comes_first_and_keeps_the_users_own():
    env = make.lab_environment({"PATH": "/bin"})
    assert env == {"PATH": "/bin", "JUPYTER_CONFIG_PATH": str(make.LEARNER_CONFIG)}
    env = make.lab_environment({"JUPYTER_CONFIG_PATH": "/etc/mine"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(make.LEARNER_CONFIG), "/etc/mine"]


def test_the_learner_configuration_turns_off_nbgrader_and_the_news_and_opens_lesson_one():
    server = json.loads((make.LEARNER_CONFIG / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions == {f"nbgrader.server_extensions.{name}": False for name in
                          ("assignment_list", "course_list", "formgrader", "validate_assignment")}
    assert server["LabApp"]["default_url"] == "/lab/tree/lessons/01-neuron.ipynb"
    assert (ROOT / "lessons" / "01-neuron.ipynb").exists()
    page = json.loads((make.LEARNER_CONFIG / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {
        "@jupyter/nbgrader": True, "@jupyterlab/apputils-extension:announcements": True}


def test_every_nbgrader_server_extension_installed_is_turned_off():
    """nbgrader's own list of what it switches on is what the learner's config switches off."""
    enabled = Path(sys.prefix, "etc", "jupyter", "jupyter_server_config.d", "nbgrader.json")
    if not enabled.exists():
        pytest.skip("nbgrader is not installed here")
    on = json.loads(enabled.read_text())["ServerApp"]["jpserver_extensions"]
    server = json.loads((make.LEARNER_CONFIG / "jupyter_server_config.json").read_text())
    assert set(on) == set(server["ServerApp"]["jpserver_extensions"])


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

def test_options_lab_does_not_know_go_to_jupyterlab():
    arguments = make.parse_arguments(["lab", "--no-browser", "--port", "9000", "--dry-run"])
    assert (arguments.command, arguments.dry_run) == ("lab", True)
    assert arguments.lab_args == ["--no-browser", "--port", "9000"]


def test_test_takes_parts_and_refuses_others(capsys):
    assert make.parse_arguments(["test", "lessons", "solutions"]).parts == ["lessons", "solutions"]
    with pytest.raises(SystemExit):
        make.parse_arguments(["test", "lesson"])
    assert "no test part lesson" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        make.parse_arguments(["install", "lab", "--no-browser"])


# --------------------------------------------------------------------------
# Run as a user without make runs it: a fresh copy, `python make.py ...`, no shell
# --------------------------------------------------------------------------

def fresh_copy(destination):
    """The working tree as a clone of it holds it: tracked and new files, nothing ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def plain_environment(tmp_path):
    """This process's environment without a uv on PATH or an active virtual environment,
    so that make.py installs its own uv as on a learner's new machine."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"VIRTUAL_ENV", "JUPYTER_CONFIG_PATH", "PYTHONPATH"}}
    env["PATH"] = os.pathsep.join(
        folder for folder in env.get("PATH", "").split(os.pathsep)
        if folder and not (Path(folder) / "uv").exists())
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    return env


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, token):
    """(status, Location header) of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location")


def installed_versions(python):
    listing = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"],
                             capture_output=True, text=True, check=True).stdout
    return {canonicalize_name(item["name"]): item["version"] for item in json.loads(listing)}


def lab_pins_here():
    from packaging.markers import default_environment

    from tests.test_locks import pins_for

    return pins_for("lab", {**default_environment(), "extra": ""})


def assert_the_lab_extra_alone_at_its_pins(python):
    installed = installed_versions(python)
    wrong = {name: (installed.get(name), pinned) for name, pinned in lab_pins_here().items()
             if installed.get(name) != pinned}
    assert wrong == {}, "installed ≠ requirements/lab.txt"
    for test_tool in ("nbgrader", "pytest", "playwright", "jupyterhub"):
        assert test_tool not in installed, f"the learner's environment has {test_tool}"


class TestWithoutMake:
    def test_lab_in_a_fresh_copy_serves_the_whole_course_from_its_own_environment(
        self, tmp_path
    ):
        clone = fresh_copy(tmp_path / "nnkit")
        port, token = _free_port(), secrets.token_hex(16)
        url = f"http://127.0.0.1:{port}"
        log = tmp_path / "make-lab.log"
        command = [sys.executable, "make.py", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={token}"]
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=clone, env=plain_environment(tmp_path),
                                       stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, shell=False)
        try:
            lesson = f"{url}/api/contents/lessons/01-neuron.ipynb?content=0"
            deadline = time.monotonic() + INSTALL_TIMEOUT
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if _get(lesson, token)[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                time.sleep(0.5)
            else:
                pytest.fail(f"`python make.py lab` served no lesson 1:\n{log.read_text()}")

            notebooks = [*ROOT.glob("lessons/*.ipynb"), *ROOT.glob("exercises/*/*.ipynb")]
            served = ["start.ipynb", *sorted(p.relative_to(ROOT).as_posix() for p in notebooks)]
            statuses = {path: _get(f"{url}/api/contents/{path}?content=0", token)[0]
                        for path in served}
            assert statuses == dict.fromkeys(served, 200)
            assert any(path.startswith("exercises/") for path in served)
            status, location = _get(f"{url}/", token)
            assert status == 302
            assert location.split("?")[0] == "/lab/tree/lessons/01-neuron.ipynb"
            assert _get(f"{url}/formgrader", token)[0] == 404

            python = make.venv_script(clone / ".venv", "python")
            assert_the_lab_extra_alone_at_its_pins(python)
            assert make.venv_script(clone / ".venv", "uv").exists(), "uv was not installed"
            assert "with uv" in log.read_text()
        finally:
            process.send_signal(signal.SIGTERM)  # make.py passes it on to JupyterLab
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                pytest.fail("make.py did not stop JupyterLab on SIGTERM")
        with pytest.raises(urllib.error.URLError):
            _get(f"{url}/api/status", token)


class TestWithoutMakeOrUv:
    def test_pip_installs_the_same_versions(self, tmp_path):
        clone = fresh_copy(tmp_path / "nnkit")
        result = subprocess.run(
            [sys.executable, "make.py", "install", "lab", "--installer", "pip"], cwd=clone,
            env=plain_environment(tmp_path), capture_output=True, text=True,
            timeout=INSTALL_TIMEOUT, shell=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "with pip" in result.stdout
        python = make.venv_script(clone / ".venv", "python")
        assert_the_lab_extra_alone_at_its_pins(python)
        assert not make.venv_script(clone / ".venv", "uv").exists()

    def test_test_dry_run_shows_every_command_and_changes_nothing(self, tmp_path):
        clone = fresh_copy(tmp_path / "nnkit")
        result = subprocess.run([sys.executable, "make.py", "test", "--dry-run"], cwd=clone,
                                env=plain_environment(tmp_path), capture_output=True,
                                text=True, timeout=120, shell=False, check=True)
        venv = clone / ".venv"
        python = make.venv_script(venv, "python")
        expected = [
            make.format_command([sys.executable, "-m", "venv", "--without-pip", str(venv)]),
            make.format_command([sys.executable, "-m", "pip", "--python", python, "install",
                                 "--quiet", make.UV]),
            make.format_command([make.venv_script(venv, "uv"), "pip", "install", "--python",
                                 python, "--quiet", "-r", "requirements/test.txt", "-e",
                                 ".[test]", "pip"]),
            *(make.format_command([python, *command])
              for part in make.TEST_PARTS.values() for command in part),
        ]
        shown = [line for line in result.stdout.splitlines() if not line.startswith("make.py:")]
        assert shown == expected
        assert not venv.exists()
