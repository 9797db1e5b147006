"""Running student code where it can write only its own folder and read nothing of ours.

On Linux, bubblewrap (Debian's ``bubblewrap`` package, no root needed where
user namespaces are allowed) gives the process a file system made only of the
operating system, Python and its installed packages, read-only, plus the
student's working folder as ``/home/student``: a RAM-backed tmpfs of
``disk_mb`` into which the process copies the student's files (from a
read-only view, ``/home/.submission``) before any student code runs, so that
everything the student's code writes together is bounded. ``/dev`` is
read-only but for a small ``/dev/shm``. The repository, the instructor's
notebooks, the gradebook and the other students' folders do not exist
inside. There is no network and no view of other processes, and bubblewrap
itself starts with the same clean environment as the student's process (so
``/proc/1/environ`` shows nothing of the grader's). Where bubblewrap is
missing the same command runs unsandboxed, and the grader says so loudly (see
docs/security.md).
"""

from __future__ import annotations

import logging
import os
import shutil
import site
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from nnkit.course.limits import Limits

log = logging.getLogger(__name__)

SANDBOX_HOME = "/home/student"
SUBMISSION_VIEW = "/home/.submission"
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/passwd",
                "/etc/group", "/etc/nsswitch.conf", "/etc/alternatives")


def bwrap_path() -> str | None:
    """Where the ``bwrap`` program is, or ``None``."""
    return shutil.which("bwrap")


@lru_cache(maxsize=1)
def sandbox_works() -> bool:
    """Whether bubblewrap is installed and allowed to create its namespaces here."""
    program = bwrap_path()
    if program is None:
        return False
    try:
        probe = subprocess.run([*_bwrap_options(program, Path("/"), Limits()), "--", "true"],
                               capture_output=True, timeout=30, check=False,
                               env=clean_environment("/"), cwd="/")
    except (OSError, subprocess.TimeoutExpired):
        return False
    if probe.returncode != 0:
        log.warning("bubblewrap is installed but cannot create a sandbox here: %s",
                    probe.stderr.decode(errors="replace").strip())
    return probe.returncode == 0


def python_folders() -> list[str]:
    """The folders this Python needs to read: its installation, environment and packages."""
    candidates = [sys.base_prefix, sys.prefix, *site.getsitepackages()]
    candidates += [entry for entry in sys.path if entry and os.path.isdir(entry)]
    folders: list[str] = []
    for folder in sorted({os.path.realpath(c) for c in candidates}, key=len):
        if folder in ("/", os.path.realpath(os.getcwd())):
            continue
        if not any(folder == kept or folder.startswith(kept + os.sep) for kept in folders):
            folders.append(folder)
    return [f for f in folders if not f.startswith(SYSTEM_FOLDERS)]


def _bwrap_options(program: str, submission: Path, limits: Limits) -> list[str]:
    options = [program, "--unshare-all", "--die-with-parent", "--new-session",
               "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev",
               "--size", str(limits.shm_mb << 20), "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
    for folder in SYSTEM_FOLDERS:
        options += ["--ro-bind-try", folder, folder]
    for path in SYSTEM_FILES:
        options += ["--ro-bind-try", path, path]
    for folder in python_folders():
        options += ["--ro-bind", folder, folder]
    options += ["--size", str(limits.disk_mb << 20), "--tmpfs", SANDBOX_HOME,
                "--ro-bind", str(submission), SUBMISSION_VIEW,
                "--chdir", SANDBOX_HOME, "--remount-ro", "/"]
    return options


def clean_environment(home: str) -> dict[str, str]:
    """The only environment variables student code sees (no grader variables).

    Besides the basics: ``NBGRADER_EXECUTION`` (no progress is recorded while
    grading) and the ``NNKIT_STUDENT_ID`` being graded (its variant's numbers).
    """
    return {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/bin", "/bin"]),
        "HOME": home, "TMPDIR": home, "MPLCONFIGDIR": home, "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
        **{name: os.environ[name] for name in ("NNKIT_STUDENT_ID",) if name in os.environ},
    }


def command(module: str, submission: Path, sandboxed: bool,
            limits: Limits) -> tuple[list[str], dict, str, str | None]:
    """The command line, environment and working folder that run ``python -m module``.

    Also the folder the process copies the student's files from before any
    student code runs (``None``: it works in ``submission`` itself, unsandboxed).
    Python starts in isolated mode (``-I``): neither the working folder nor
    ``PYTHON*`` variables can put a student's ``numpy.py`` ahead of the real one.
    """
    python = [sys.executable, "-I", "-X", "faulthandler", "-m", module]
    if not sandboxed:
        return python, clean_environment(str(submission)), str(submission), None
    options = _bwrap_options(bwrap_path(), submission, limits)
    options += ["--clearenv"]
    environment = clean_environment(SANDBOX_HOME)
    for name, value in environment.items():
        options += ["--setenv", name, value]
    return [*options, "--", *python], environment, "/", SUBMISSION_VIEW


def describe(sandboxed: bool) -> str:
    """One line for the log and the report saying how student code is isolated."""
    if sandboxed:
        return f"student code runs in a bubblewrap sandbox ({bwrap_path()})"
    return ("WARNING: bubblewrap is not available; student code runs UNSANDBOXED with the "
            "grader's permissions (it can read the instructor's files). Install bubblewrap "
            "(apt-get install bubblewrap) before grading untrusted submissions.")
