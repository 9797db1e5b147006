# JupyterHub for one nnkit course, with nbgrader's exchange.
#
# Users are the machine's Unix accounts (PAM); each gets a single-user
# JupyterLab started as that user (LocalProcessSpawner). The instructor sees
# nbgrader's formgrader; students get a configuration directory they cannot
# write (student-config/, installed root-owned) that switches the formgrader,
# create-assignment and course-list parts of nbgrader off.
# See docs/jupyterhub.md for the setup, step by step.

import os

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))
INSTRUCTORS = {"instructor"}
STUDENT_CONFIG = os.environ.get("NNKIT_STUDENT_CONFIG", "/etc/jupyter/nnkit-students")

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = 8000
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Authenticator.admin_users = set(INSTRUCTORS)
c.Authenticator.allow_all = True  # every Unix account of the machine may log in
c.Spawner.default_url = "/lab"
c.Spawner.cmd = ["jupyterhub-singleuser"]
# nbgrader's exchange and course id, the same for everybody.
c.Spawner.environment = {"NNKIT_NBGRADER_CONFIG": os.path.join(HERE, "nbgrader_config.py")}


def _student_config(spawner):
    """Point a student's server at the locked configuration directory."""
    if spawner.user.name not in INSTRUCTORS:
        spawner.environment["JUPYTER_CONFIG_PATH"] = STUDENT_CONFIG


c.Spawner.pre_spawn_hook = _student_config
