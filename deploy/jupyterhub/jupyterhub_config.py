# JupyterHub for one nnkit course, with nbgrader's exchange.
#
# Users are the machine's Unix accounts, logging in with their password
# (PAM); each gets a single-user JupyterLab started as that account
# (LocalProcessSpawner), from the same Python environment as the hub. The
# instructors see nbgrader's formgrader; students get a configuration
# directory they cannot write (student-config/, installed root-owned) that
# switches the formgrader, create-assignment and course-list parts of
# nbgrader off. See docs/jupyterhub.md for the setup, step by step.
#
# Three settings can be changed from the environment of the `jupyterhub`
# command (the defaults are the paths docs/jupyterhub.md installs to):
#   NNKIT_HUB_INSTRUCTORS       comma-separated instructor accounts ("instructor")
#   NNKIT_HUB_NBGRADER_CONFIG   folder with the shared nbgrader_config.py ("/etc/jupyter")
#   NNKIT_HUB_STUDENT_CONFIG    the students' locked configuration ("/etc/jupyter/nnkit-students")

import os
import sys

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

INSTRUCTORS = set(filter(None, os.environ.get("NNKIT_HUB_INSTRUCTORS", "instructor").split(",")))
NBGRADER_CONFIG = os.environ.get("NNKIT_HUB_NBGRADER_CONFIG", "/etc/jupyter")
STUDENT_CONFIG = os.environ.get("NNKIT_HUB_STUDENT_CONFIG", "/etc/jupyter/nnkit-students")

c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # loopback only; a TLS proxy goes in front
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Authenticator.admin_users = set(INSTRUCTORS)
c.Authenticator.allow_all = True  # every Unix account of the machine may log in
c.Spawner.default_url = "/lab"
# the single-user server of the hub's own environment (nnkit, JupyterLab, nbgrader)
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]


def _course_config(spawner):
    """Shared nbgrader settings for everybody; the locked configuration first for students."""
    path = [NBGRADER_CONFIG]
    if spawner.user.name not in INSTRUCTORS:
        path.insert(0, STUDENT_CONFIG)
    spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join(path)


c.Spawner.pre_spawn_hook = _course_config
