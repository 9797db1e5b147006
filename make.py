"""Set the course up and run it, on Linux, macOS and Windows alike.

    python make.py lab     # install what the lessons need, open lesson 1 in JupyterLab
    python make.py test    # install the test tools too, run every test

(On Windows, ``py make.py lab``.) The Makefile's ``make lab`` and ``make test``
call this file, so with or without make the same steps run:

1. ``.venv/`` is created with the Python that runs this file (3.11 or newer);
2. nnkit is installed into it with one extra, ``lab`` or ``test``, at the
   versions pinned in ``requirements/<extra>.txt`` (the versions CI tests).
   The installer is uv: a ``uv`` on PATH, or else uv installed into ``.venv``
   from PyPI; pip when uv cannot be had. Nothing is installed again until
   ``pyproject.toml`` or the pinned versions change;
3. ``lab`` starts JupyterLab on the repository folder with the learner's
   configuration, ``deploy/learner-config/`` (no instructor tools, no news
   pop-up, lesson 1 open); ``test`` runs ruff and pytest as CI does.

More: ``python make.py install lab`` (steps 1 and 2 only), ``python make.py
lock`` (pin the extras again after editing ``pyproject.toml``), ``--dry-run``
(print the commands instead of running them), ``--help``.

Only the standard library is used: a fresh clone has nothing else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCKS = ROOT / "requirements"
LEARNER_CONFIG = ROOT / "deploy" / "learner-config"
# What is recorded about the last install, inside the environment it describes.
STATE_FILE = "nnkit-installed.json"
# The uv put into .venv when no uv is on PATH; it also writes the lock files.
UV = "uv==0.13.9"
# The extras this file installs; an environment with "test" has all of "lab"
# (tests/test_locks.py checks that requirements/lab.txt is part of test.txt).
EXTRAS = ("lab", "test")
COVERS = {"lab": ("lab",), "test": ("test", "lab")}

PYTEST = ["-m", "pytest", "-n", "2", "--dist", "loadscope"]
TEST_PARTS = {
    "library": [
        ["-m", "ruff", "check", "src", "tests", "benchmarks", "make.py"],
        [*PYTEST, "--cov=nnkit", "--cov-report=term:skip-covered"],
    ],
    "lessons": [
        [*PYTEST, "--nbval", "lessons", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "-o", "addopts="],
    ],
    "solutions": [
        [*PYTEST, "--nbval-lax", "solutions", "-o", "addopts="],
    ],
}


class SetupError(Exception):
    """A step that cannot go on; the message says what was expected and how to fix it."""


# --------------------------------------------------------------------------
# Where things are
# --------------------------------------------------------------------------

def venv_script(venv, name, os_name=None):
    """The path of a program inside a virtual environment, on Windows or elsewhere.

    >>> venv_script(Path("/course/.venv"), "python", "posix").as_posix()
    '/course/.venv/bin/python'
    >>> venv_script(Path("C:/course/.venv"), "python", "nt").as_posix()
    'C:/course/.venv/Scripts/python.exe'
    """
    if (os_name or os.name) == "nt":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


def lock_file(extra):
    """The pinned requirements of one extra, e.g. ``requirements/lab.txt``."""
    return LOCKS / f"{extra}.txt"


def format_command(command, os_name=None):
    """A command as one would type it in this system's shell.

    >>> format_command(["python", "-m", "pip", "install", "-e", ".[lab]"], "posix")
    "python -m pip install -e '.[lab]'"
    """
    words = [str(word) for word in command]
    if (os_name or os.name) == "nt":
        return subprocess.list2cmdline(words)
    return shlex.join(words)


def check_python(version_info=None):
    """Stop with a clear message on a Python older than 3.11."""
    version = tuple((version_info or sys.version_info)[:2])
    if version < MIN_PYTHON:
        wanted = ".".join(map(str, MIN_PYTHON))
        raise SetupError(
            f"nnkit needs Python {wanted} or newer, but {sys.executable} is "
            f"{'.'.join(map(str, version))}. Run this file with a newer Python "
            f"(on Windows: py -{wanted} make.py ...).")


# --------------------------------------------------------------------------
# Running commands, or only showing them
# --------------------------------------------------------------------------

class Runner:
    """Runs commands in the repository folder, each shown first; a dry run only shows them."""

    def __init__(self, dry_run=False):
        self.dry_run = dry_run

    def show(self, command):
        print(format_command(command), flush=True)

    def run(self, command, check=True):
        """Run ``command``; its exit code (0 in a dry run). With ``check``, a failure stops."""
        self.show(command)
        if self.dry_run:
            return 0
        code = subprocess.run(command, cwd=ROOT, check=False).returncode
        if check and code != 0:
            raise SetupError(f"this command failed with exit code {code}:\n  "
                             f"{format_command(command)}")
        return code


# --------------------------------------------------------------------------
# The environment: .venv and what is installed in it
# --------------------------------------------------------------------------

def _python_works(python):
    probe = "import sys; sys.exit(sys.version_info[:2] < (3, 11))"
    try:
        return subprocess.run([str(python), "-c", probe], check=False,
                              capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


def ensure_venv(runner, venv=VENV):
    """Create ``venv`` with this Python unless it holds a working one; its python."""
    python = venv_script(venv, "python")
    if python.exists() and _python_works(python):
        return python
    # Without pip: pip_command() needs none there, and the install brings it. (Putting it
    # there with ensurepip took 15 to 27 s on the course's busy 2-core CI machine.)
    command = [sys.executable, "-m", "venv", "--without-pip", str(venv)]
    if venv.exists():
        command.insert(3, "--clear")  # left by another Python or system: start again
    runner.run(command)
    return python


def fingerprint(extra):
    """What an install of ``extra`` depends on: pyproject.toml and the extra's pins."""
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", lock_file(extra)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_state(venv=VENV):
    """The fingerprints of the extras last installed into ``venv`` ({} if none)."""
    try:
        return json.loads((venv / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(state, venv=VENV):
    (venv / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def is_installed(extra, venv=VENV):
    """True when ``extra`` was installed into ``venv`` from today's pyproject.toml and pins."""
    return read_state(venv).get(extra) == fingerprint(extra)


class Installer:
    """uv or pip, as the command that installs into one environment."""

    def __init__(self, name, command):
        self.name = name
        self.command = list(command)

    def install_command(self, extra):
        """Install nnkit (editable) with ``extra`` at the versions pinned for it, and pip
        (for ``%pip install`` in a notebook)."""
        lock = lock_file(extra).relative_to(ROOT).as_posix()
        return [*self.command, "--quiet", "-r", lock, "-e", f".[{extra}]", "pip"]


def _can_target_other_environments():
    """True when this Python's pip can install into another environment (pip 22.3's --python)."""
    try:
        version = tuple(int(part) for part in metadata.version("pip").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return version >= (22, 3)


def pip_command(python, runner):
    """How to run pip for the environment of ``python``: this Python's pip pointed at it,
    or, where this Python has no such pip, the environment's own (put there first)."""
    if _can_target_other_environments():
        return [sys.executable, "-m", "pip", "--python", str(python)]
    if not venv_script(python.parent.parent, "pip").exists():
        try:
            runner.run([str(python), "-m", "ensurepip", "--default-pip"])
        except SetupError as error:
            raise SetupError(f"{error}\nThis Python has no pip to install with. On Debian and "
                             "Ubuntu: sudo apt install python3-pip python3-venv") from None
    return [str(python), "-m", "pip"]


def pip_installer(python, runner):
    return Installer("pip", [*pip_command(python, runner), "install"])


def uv_installer(uv, python):
    return Installer("uv", [str(uv), "pip", "install", "--python", str(python)])


def venv_uv(python, runner):
    """The uv inside the environment of ``python``, installed there from PyPI if missing.

    None when it cannot be installed (no network, or no uv for this system).
    """
    uv = venv_script(python.parent.parent, "uv")
    if uv.exists():
        return uv
    code = runner.run([*pip_command(python, runner), "install", "--quiet", UV], check=False)
    return uv if code == 0 else None


def choose_installer(python, runner, wanted="auto", which=shutil.which):
    """uv where it can be had (on PATH, or in the environment), else pip.

    ``wanted`` is "auto", "uv" (stop without it) or "pip".
    """
    if wanted == "pip":
        return pip_installer(python, runner)
    uv = which("uv") or venv_uv(python, runner)
    if uv:
        return uv_installer(uv, python)
    if wanted == "uv":
        raise SetupError(f"could not install {UV} into {python.parent.parent} (see above)")
    print(f"make.py: could not install {UV}; installing with pip instead", flush=True)
    return pip_installer(python, runner)


def install(extra, runner, wanted="auto", venv=VENV):
    """Make sure ``venv`` holds nnkit with ``extra`` at the pinned versions; its python."""
    python = ensure_venv(runner, venv)
    if not runner.dry_run and is_installed(extra, venv):
        return python
    installer = choose_installer(python, runner, wanted)
    print(f"make.py: installing nnkit[{extra}] from requirements/{extra}.txt with "
          f"{installer.name}", flush=True)
    started = time.monotonic()
    runner.run(installer.install_command(extra))
    if not runner.dry_run:
        state = read_state(venv)
        state.update({covered: fingerprint(covered) for covered in COVERS[extra]})
        write_state(state, venv)
        print(f"make.py: installed in {time.monotonic() - started:.0f} s", flush=True)
    return python


# --------------------------------------------------------------------------
# The learner's JupyterLab
# --------------------------------------------------------------------------

def running_as_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(python, root=ROOT, extra_args=()):
    """``jupyter lab`` serving ``root`` (lessons, exercises and start page all reachable)."""
    command = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if running_as_root():
        command.append("--allow-root")  # JupyterLab refuses root unless told it is meant
    return [*command, *extra_args]


def lab_environment(base=None):
    """``base`` (default: this process's environment) with the learner's configuration first.

    The folder on JUPYTER_CONFIG_PATH switches nbgrader's menus, panels and
    server extensions off, as well as JupyterLab's news and update checks, and
    opens lesson 1; see deploy/learner-config/README.md.
    """
    env = dict(os.environ if base is None else base)
    paths = [str(LEARNER_CONFIG)]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def start_lab(python, root=ROOT, extra_args=(), env=None, **popen_options):
    """Start the learner's JupyterLab; the running process (``make lab`` and the tests use this)."""
    return subprocess.Popen(lab_command(python, root, extra_args), cwd=root,
                            env=lab_environment(env), **popen_options)


def serve_lab(python, extra_args, runner):
    """Run JupyterLab until it stops; its exit code. A SIGTERM stops JupyterLab too."""
    runner.show(lab_command(python, ROOT, extra_args))
    if runner.dry_run:
        return 0
    process = start_lab(python, ROOT, extra_args)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue  # JupyterLab got the Ctrl+C too and asks whether to stop


# --------------------------------------------------------------------------
# The lock files
# --------------------------------------------------------------------------

def lock_commands(uv, upgrade=False):
    """uv's commands that write requirements/test.txt, then lab.txt as a part of it.

    One resolution for every system and every Python from 3.11 on (markers pick
    what applies), the fewest versions per package, so that a learner on any
    system gets the versions CI tested; the pins already there are kept unless
    ``upgrade``.
    """
    common = [str(uv), "pip", "compile", "pyproject.toml", "--quiet", "--universal",
              "--python-version", ".".join(map(str, MIN_PYTHON)), "--fork-strategy", "fewest",
              "--custom-compile-command", "python make.py lock"]
    if upgrade:
        common.append("--upgrade")
    return [
        [*common, "--extra", "test", "-o", "requirements/test.txt"],
        [*common, "--extra", "lab", "-c", "requirements/test.txt", "-o", "requirements/lab.txt"],
    ]


def lock(runner, upgrade=False, check=False):
    """Write the lock files (or, with ``check``, say whether they are what uv would write)."""
    python = ensure_venv(runner)
    uv = venv_uv(python, runner)  # the pinned uv, not one on PATH: the same uv, the same pins
    if uv is None:
        raise SetupError(f"writing the lock files needs {UV}, which could not be installed")
    commands = lock_commands(uv, upgrade)
    if not check:
        for command in commands:
            runner.run(command)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        shutil.copy2(ROOT / "pyproject.toml", scratch / "pyproject.toml")
        shutil.copytree(LOCKS, scratch / "requirements")
        for command in commands:
            runner.show(command)
            if not runner.dry_run:
                subprocess.run(command, cwd=scratch, check=True)
        stale = [name for name in ("test.txt", "lab.txt")
                 if (scratch / "requirements" / name).read_text(encoding="utf-8")
                 != (LOCKS / name).read_text(encoding="utf-8")]
    if stale:
        print(f"make.py: requirements/{' and requirements/'.join(stale)} do not match "
              "pyproject.toml: run `python make.py lock`", flush=True)
        return 1
    print("make.py: the lock files match pyproject.toml", flush=True)
    return 0


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

def parse_arguments(argv):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dry-run", action="store_true",
                        help="print the commands instead of running them")
    common.add_argument("--installer", choices=("auto", "uv", "pip"), default="auto",
                        help="auto (the default): uv where it can be had, else pip")
    parser = argparse.ArgumentParser(prog="make.py", description="Set up and run the nnkit course.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "lab", parents=[common], help="install the lab extra and open lesson 1 in JupyterLab",
        epilog="Other options go to JupyterLab, e.g. `python make.py lab --no-browser`.")
    test = commands.add_parser("test", parents=[common],
                               help="install the test extra and run every test")
    test.add_argument("parts", nargs="*", metavar="PART",
                      help=f"only some of: {', '.join(TEST_PARTS)} (default: all)")
    setup = commands.add_parser("install", parents=[common],
                                help="create .venv and install one extra")
    setup.add_argument("extra", choices=EXTRAS)
    locking = commands.add_parser("lock", parents=[common],
                                  help="pin the extras' versions again, with uv")
    locking.add_argument("--upgrade", action="store_true", help="take the newest versions")
    locking.add_argument("--check", action="store_true",
                         help="only say whether the lock files are what uv would write")
    arguments, rest = parser.parse_known_args(argv)
    if rest and arguments.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    unknown = sorted(set(getattr(arguments, "parts", [])) - set(TEST_PARTS))
    if unknown:
        parser.error(f"no test part {', '.join(unknown)}; the parts are {', '.join(TEST_PARTS)}")
    arguments.lab_args = rest
    return arguments


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    runner = Runner(dry_run=arguments.dry_run)
    try:
        check_python()
        if arguments.command == "lab":
            python = install("lab", runner, arguments.installer)
            return serve_lab(python, arguments.lab_args, runner)
        if arguments.command == "install":
            install(arguments.extra, runner, arguments.installer)
            return 0
        if arguments.command == "lock":
            return lock(runner, arguments.upgrade, arguments.check)
        python = install("test", runner, arguments.installer)
        for part in arguments.parts or TEST_PARTS:
            for command in TEST_PARTS[part]:
                code = runner.run([str(python), *command], check=False)
                if code != 0:
                    return code
        return 0
    except SetupError as error:
        print(f"make.py: {error}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
