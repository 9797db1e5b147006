"""A control group per sandboxed run: a process count and a memory total for all its processes.

Linux counts processes against ``RLIMIT_NPROC`` per user, and never for
root, so when grading runs as root (as in CI) the only kernel limit that
holds a fork bomb is a control group's ``pids.max``. Where the grader may
create control groups (root on cgroup v1, or a delegated cgroup v2 subtree),
each sandboxed run gets one, nested inside the grader's own (so the grader's
own limits still apply to it), with ``pids.max`` set to the student's process
limit and, where the memory controller is there, a memory total. Where that is
not possible the sandbox falls back to ``RLIMIT_NPROC`` set inside the
sandbox, which bounds a non-root grader's students (each sandbox has its own
user namespace, and the kernel counts processes per user namespace), and
:func:`how_processes_are_limited` says which one is in force.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "nnkit-grading"
_counter = itertools.count()


@dataclass(frozen=True)
class Controller:
    """Where one cgroup controller's hierarchy has this process's own group."""

    name: str
    folder: Path
    version: int


def _own_groups() -> dict[str, str]:
    groups = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return groups
    for line in lines:
        _, names, path = line.split(":", 2)
        for name in names.split(",") if names else ["unified"]:
            groups[name] = path
    return groups


@lru_cache(maxsize=1)
def controllers() -> dict[str, Controller]:
    """The ``pids`` and ``memory`` controllers under which this process may create groups."""
    found = {}
    groups = _own_groups()
    for name in ("pids", "memory"):
        v1 = ROOT / name
        if name in groups and (v1 / "cgroup.procs").exists():
            folder = v1 / groups[name].lstrip("/")
            if _writable(folder):
                found[name] = Controller(name, folder, 1)
            continue
        if "unified" not in groups:
            continue
        base = ROOT if (ROOT / "cgroup.controllers").exists() else ROOT / "unified"
        unified = base / groups["unified"].lstrip("/")
        if name in _read(unified / "cgroup.subtree_control").split() and _writable(unified):
            found[name] = Controller(name, unified, 2)
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _writable(folder: Path) -> bool:
    """Whether a group can be made in ``folder`` and a process moved into it."""
    probe = folder / f"{PREFIX}-probe-{os.getpid()}"
    try:
        probe.mkdir()
    except OSError:
        return False
    try:
        moved = subprocess.run(["/bin/sh", "-c", 'echo $$ > "$1"', "sh",
                                str(probe / "cgroup.procs")],
                               capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        moved = False
    _remove_folder(probe)
    return moved


def _remove_folder(folder: Path) -> None:
    """``rmdir`` a group, waiting a little for killed processes to be gone."""
    for _ in range(200):
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)


def how_processes_are_limited() -> str:
    """One sentence for the log: what bounds the number of a student's processes here."""
    if "pids" in controllers():
        return "a pids control group per sandbox (pids.max)"
    if os.geteuid() == 0:
        return ("nothing in the kernel: running as root without a writable pids control "
                "group, RLIMIT_NPROC does not apply (the notebook time limit still does)")
    return "RLIMIT_NPROC inside each sandbox's own user namespace"


class Group:
    """The control groups of one sandboxed run (empty when none can be made)."""

    def __init__(self, max_processes: int, memory_bytes: int):
        self.folders: list[tuple[Controller, Path]] = []
        name = f"{PREFIX}-{os.getpid()}-{next(_counter)}"
        for controller in controllers().values():
            folder = controller.folder / name
            try:
                folder.mkdir()
                self._configure(controller, folder, max_processes, memory_bytes)
            except OSError:
                with contextlib.suppress(OSError):
                    folder.rmdir()
                continue
            self.folders.append((controller, folder))

    @staticmethod
    def _configure(controller, folder, max_processes, memory_bytes):
        if controller.name == "pids":
            (folder / "pids.max").write_text(str(max_processes))
        elif controller.version == 1:
            (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
        else:
            (folder / "memory.max").write_text(str(memory_bytes))

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` started so that it and everything it starts belong to these groups."""
        if not self.folders:
            return argv
        writes = " && ".join(f'echo $$ > "${index + 1}"' for index in range(len(self.folders)))
        procs = [str(folder / "cgroup.procs") for _, folder in self.folders]
        return ["/bin/sh", "-c", f'{writes} && shift {len(procs)} && exec "$@"', "sh",
                *procs, *argv]

    def limits_hit(self) -> list[str]:
        """Which limits stopped something: ``"processes"`` and/or ``"memory"``."""
        hit = []
        for controller, folder in self.folders:
            if controller.name == "pids" and _event(folder / "pids.events", "max"):
                hit.append("processes")
            if controller.name == "memory" and (
                    _event(folder / "memory.oom_control", "oom_kill")
                    or _event(folder / "memory.events", "oom_kill")):
                hit.append("memory")
        return hit

    def remove(self) -> None:
        """Kill what is left in the groups and remove them."""
        for _, folder in self.folders:
            for pid in _read(folder / "cgroup.procs").split():
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            _remove_folder(folder)
        self.folders = []


def _event(path: Path, name: str) -> int:
    for line in _read(path).splitlines():
        key, _, value = line.partition(" ")
        if key == name and value.strip().isdigit():
            return int(value)
    return 0


def remove_stale(worker_pid: int) -> None:
    """Remove the groups a worker that died left behind (``nnkit-grading-<pid>-*``)."""
    for controller in controllers().values():
        for folder in controller.folder.glob(f"{PREFIX}-{worker_pid}-*"):
            group = Group.__new__(Group)
            group.folders = [(controller, folder)]
            group.remove()
