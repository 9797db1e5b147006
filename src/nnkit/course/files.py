"""Reading a student's folder without trusting it: no links followed, regular files only, capped.

A submission is a folder the student controls. A symbolic link in it may
point at the instructor's solution or a classmate's notebook; a FIFO blocks
whoever opens it; ``/dev/zero`` under another name never ends. So the grader
walks the folder itself, opening every folder and file relative to its parent
with ``O_NOFOLLOW`` (a link anywhere on the way is refused, not followed),
opens files non-blocking and reads them only when ``fstat`` says they are
regular files, and stops reading at a cap it counts itself (not trusting
``st_size``). Everything else is listed, so that the student's row can say
what was not read and why.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = (Path(folder) / "notes.txt").write_text("hello")
...     os.symlink("/etc/passwd", Path(folder) / "passwd")
...     found = inventory(Path(folder))
...     print([e.relative for e in found.files], [e.describe() for e in found.refused])
['notes.txt'] ['passwd is a link to /etc/passwd (not followed)']
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nnkit.course.safe_text import from_file_name

MAX_ENTRIES = 5_000
MAX_DEPTH = 16
CHUNK = 1 << 20


class Refused(Exception):
    """A file or folder the grader does not read; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One thing in a submission folder: its path inside the folder and what it is."""

    relative: str
    kind: str  # "file", "folder", "link", "pipe", "socket", "device" or "other"
    size: int = 0
    target: str | None = None

    @property
    def leaves_folder(self) -> bool:
        """Whether a link points outside the submission folder (absolute or via ``..``).

        >>> Entry("a/n.ipynb", "link", target="../../bob/n.ipynb").leaves_folder
        True
        >>> Entry("n.ipynb", "link", target="work/n.ipynb").leaves_folder
        False
        """
        if self.target is None:
            return False
        if self.target.startswith("/"):
            return True
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.relative),
                                                   self.target))
        return joined == ".." or joined.startswith("../")

    def describe(self) -> str:
        """Why the entry is not read, in words for the student's row."""
        name = from_file_name(self.relative)
        if self.kind == "link":
            return f"{name} is a link to {from_file_name(self.target or '?')} (not followed)"
        what = {"pipe": "a named pipe (FIFO)", "socket": "a socket", "device": "a device file",
                "too deep": "nested too deeply", "too many": "one file too many"}
        return f"{name} is {what.get(self.kind, 'not a regular file')} (not read)"


@dataclass
class Inventory:
    """What a submission folder holds: regular files, and entries that are refused."""

    files: list = field(default_factory=list)
    refused: list = field(default_factory=list)

    def notebooks(self) -> list[Entry]:
        """Regular ``.ipynb`` files outside hidden and system folders."""
        return [e for e in self.files if e.relative.lower().endswith(".ipynb")
                and not any(part.startswith((".", "__")) for part in e.relative.split("/")[:-1])]

    def linked_notebooks(self) -> list[Entry]:
        """Links named like notebooks (never followed)."""
        return [e for e in self.refused if e.kind == "link"
                and e.relative.lower().endswith(".ipynb")]


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "link"),
                       (stat.S_ISFIFO, "pipe"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device")):
        if test(mode):
            return name
    return "other"


def open_folder(path: Path, dir_fd: int | None = None) -> int:
    """A file descriptor of the folder ``path``; :class:`Refused` when it is a link or no folder."""
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                       dir_fd=dir_fd)
    except OSError as error:
        raise Refused(f"{from_file_name(str(path))} is not a folder one can enter without "
                      f"following a link ({error.strerror})") from None


def inventory(folder: Path) -> Inventory:
    """Every entry of ``folder`` and below, links and special files listed but never opened."""
    found = Inventory()
    fd = open_folder(folder)
    try:
        _walk(fd, "", 0, found)
    finally:
        os.close(fd)
    return found


def _walk(fd: int, prefix: str, depth: int, found: Inventory) -> None:
    for name in sorted(os.listdir(fd)):
        relative = f"{prefix}{name}"
        if len(found.files) + len(found.refused) >= MAX_ENTRIES:
            found.refused.append(Entry(relative, "too many"))
            return
        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        kind = _kind(info.st_mode)
        if kind == "file":
            found.files.append(Entry(relative, kind, info.st_size))
        elif kind == "folder" and depth >= MAX_DEPTH:
            found.refused.append(Entry(relative, "too deep"))
        elif kind == "folder":
            child = open_folder(Path(name), dir_fd=fd)
            try:
                _walk(child, f"{relative}/", depth + 1, found)
            finally:
                os.close(child)
        elif kind == "link":
            found.refused.append(Entry(relative, kind, target=os.readlink(name, dir_fd=fd)))
        else:
            found.refused.append(Entry(relative, kind))


def open_regular(folder: Path, relative: str) -> int:
    """A read-only descriptor of the regular file ``relative`` inside ``folder``.

    Every folder on the way and the file itself are opened without following
    links; the file is opened non-blocking, so a FIFO cannot hang the grader,
    and refused unless it is a regular file.
    """
    parts = relative.split("/")
    fd = open_folder(folder)
    try:
        for part in parts[:-1]:
            child = open_folder(Path(part), dir_fd=fd)
            os.close(fd)
            fd = child
        try:
            file_fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
                              | os.O_CLOEXEC, dir_fd=fd)
        except OSError as error:
            raise Refused(f"{from_file_name(relative)} cannot be opened without following "
                          f"a link ({error.strerror})") from None
    finally:
        os.close(fd)
    kind = _kind(os.fstat(file_fd).st_mode)
    if kind != "file":
        os.close(file_fd)
        raise Refused(Entry(relative, kind).describe())
    os.set_blocking(file_fd, True)
    return file_fd


def read_capped(fd: int, max_bytes: int, name: str = "the file") -> bytes:
    """At most ``max_bytes`` from ``fd``, counted while reading; :class:`Refused` past that."""
    chunks, total = [], 0
    while True:
        chunk = os.read(fd, min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise Refused(f"{name} is larger than the {max_bytes:,} bytes the grader reads")


def read_file(folder: Path, relative: str, max_bytes: int) -> bytes:
    """The bytes of a regular file inside ``folder`` (no links, no FIFOs, capped)."""
    fd = open_regular(folder, relative)
    try:
        return read_capped(fd, max_bytes, from_file_name(relative))
    finally:
        os.close(fd)


def copy_files(folder: Path, found: Inventory, target: Path, max_file_bytes: int,
               max_total_bytes: int, skip: frozenset = frozenset()) -> list[str]:
    """Copy the regular files of ``found`` into ``target``; sentences about what was left out."""
    target.mkdir(parents=True, exist_ok=True)
    left_out, total = [], 0
    for entry in found.files:
        if entry.relative in skip:
            continue
        name = from_file_name(entry.relative)
        if entry.size > max_file_bytes or total + entry.size > max_total_bytes:
            left_out.append(f"{name} ({entry.size / 1e6:.1f} MB) was not copied into the "
                            "sandbox (file or disk limit)")
            continue
        try:
            data = read_file(folder, entry.relative, max_file_bytes)
        except (Refused, OSError) as error:
            left_out.append(f"{name}: {error}")
            continue
        total += len(data)
        destination = target / entry.relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return left_out
