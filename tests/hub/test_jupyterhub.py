"""The JupyterHub deployment in deploy/jupyterhub/ loads and locks students out of grading."""

import json
from pathlib import Path

from traitlets.config import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"


def _load(name):
    return PyFileConfigLoader(name, path=str(DEPLOY)).load_config()


def test_hub_config_uses_pam_local_processes_on_loopback():
    config = _load("jupyterhub_config.py")
    assert config.JupyterHub.ip == "127.0.0.1"
    assert config.JupyterHub.authenticator_class == "jupyterhub.auth.PAMAuthenticator"
    assert config.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    assert "instructor" in config.Authenticator.admin_users


class _FakeSpawner:
    def __init__(self, name):
        self.user = type("User", (), {"name": name})()
        self.environment = {}


def test_only_students_get_the_locked_config_path():
    hook = _load("jupyterhub_config.py").Spawner.pre_spawn_hook
    student, instructor = _FakeSpawner("student1"), _FakeSpawner("instructor")
    hook(student)
    hook(instructor)
    assert "JUPYTER_CONFIG_PATH" in student.environment
    assert "JUPYTER_CONFIG_PATH" not in instructor.environment


def test_nbgrader_config_sets_the_shared_exchange_and_course():
    config = _load("nbgrader_config.py")
    assert config.Exchange.root == "/srv/nbgrader/exchange"
    assert config.CourseDirectory.course_id == "nnkit"


def test_student_config_disables_formgrader_and_create_assignment():
    server = json.loads((DEPLOY / "student-config" / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    page = json.loads((DEPLOY / "student-config" / "labconfig" / "page_config.json").read_text())
    disabled = page["disabledExtensions"]
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert disabled[f"@jupyter/nbgrader:{plugin}"] is True
    assert "@jupyter/nbgrader:assignment-list" not in disabled


def test_a_student_server_really_starts_without_formgrader():
    import os
    import subprocess
    import sys

    probe = (
        "from jupyter_server.serverapp import ServerApp\n"
        "app = ServerApp(); app.initialize(argv=['--no-browser', '--port=0'])\n"
        "print(sorted(k for k, on in app.jpserver_extensions.items() if on and 'nbgrader' in k))\n"
    )
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(DEPLOY / "student-config"))
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.strip().splitlines()[-1]
    assert "formgrader" not in out
    assert "nbgrader.server_extensions.assignment_list" in out
