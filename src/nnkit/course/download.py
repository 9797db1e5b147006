"""An LMS bulk download, zip or unpacked folder, as a list of files read safely.

The names inside such a download come from students (the LMS builds them
from the names of the files they uploaded), so nothing about it is trusted:

- every path is checked before it is used: no ``..``, no absolute path or
  drive letter, no control characters, ``\\`` read as a separator, each part
  normalised to Unicode NFC; names that are not valid UTF-8 are skipped (in a
  folder) or read as the zip format says (CP437 when a zip does not mark them
  UTF-8);
- links and special files are skipped, never followed;
- the number of files, each file's size, the total size and each zip
  member's compression ratio are capped, and the sizes are counted again
  while bytes are copied, so a zip bomb is refused instead of filling the disk;
- nothing is ever extracted by name: :meth:`Download.copy` writes one file to
  a target the caller built from checked parts, refusing to overwrite.

A problem with one file skips that file and says why; only a download that is
not a zip at all, or is too large as a whole, is refused (:class:`DownloadError`).
"""

from __future__ import annotations

import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class Caps:
    """How much a download may hold.

    >>> Caps().max_file_bytes // 1_000_000
    300
    """

    max_files: int = 20_000
    """Files (zip members) in the whole download."""
    max_file_bytes: int = 300_000_000
    """Bytes of one file once unpacked (a larger file is skipped)."""
    max_total_bytes: int = 4_000_000_000
    """Bytes of the whole download once unpacked (a larger download is refused)."""
    max_ratio: float = 1_000.0
    """Unpacked size over packed size of one zip member larger than 1 MB."""


def size(count: float) -> str:
    """A number of bytes as people write it.

    >>> size(20_000_000), size(4_000_000_000), size(10_000)
    ('20 MB', '4.0 GB', '10 kB')
    """
    if count >= 1e9:
        return f"{count / 1e9:.1f} GB"
    return f"{count / 1e6:.0f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


class DownloadError(ValueError):
    """The download as a whole cannot be read; the message says why, for the instructor."""


class Skipped(Exception):
    """One file that is not copied; the message says why."""


@dataclass(frozen=True)
class File:
    """One regular file of the download: its checked path parts and declared size."""

    parts: tuple[str, ...]
    size: int
    modified: datetime | None = None
    source: object = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The path inside the download, with ``/`` between its parts."""
        return "/".join(self.parts)


def checked_parts(name: str) -> tuple[str, ...]:
    """The parts of a path found in a download; :class:`Skipped` when it is unsafe.

    >>> checked_parts("Anna Müller_17_assignsubmission_file/sub\\\\01-neuron.ipynb")
    ('Anna Müller_17_assignsubmission_file', 'sub', '01-neuron.ipynb')
    >>> checked_parts("../../etc/passwd")
    Traceback (most recent call last):
    ...
    nnkit.course.download.Skipped: the path goes up with '..'
    >>> checked_parts("/etc/passwd")
    Traceback (most recent call last):
    ...
    nnkit.course.download.Skipped: the path is absolute
    """
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise Skipped("the path is absolute")
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise Skipped("the name holds control characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Skipped("the name is not valid UTF-8") from None
    parts = tuple(unicodedata.normalize("NFC", part) for part in text.split("/")
                  if part not in ("", "."))
    if ".." in parts:
        raise Skipped("the path goes up with '..'")
    if not parts:
        raise Skipped("the name is empty")
    if any(len(part.encode("utf-8")) > 255 for part in parts):
        raise Skipped("a part of the name is longer than 255 bytes")
    return parts


class Download:
    """The files of a zip or a folder; use :func:`open_download`, as a context manager."""

    def __init__(self, path: Path, caps: Caps):
        self.path = path
        self.caps = caps
        self.files: list[File] = []
        self.folders: list[tuple[str, ...]] = []
        self.skipped: list[tuple[str, str]] = []
        self.kind = "folder"
        self._zip: zipfile.ZipFile | None = None
        self._copied = 0

    def __enter__(self) -> Download:
        return self

    def __exit__(self, *exc) -> None:
        if self._zip is not None:
            self._zip.close()

    def skip(self, name: str, reason: str) -> None:
        """Note a file that is left out, and why."""
        self.skipped.append((name, reason))

    def copy(self, file: File, target: Path, modified: float | None = None) -> None:
        """Write ``file`` to ``target`` (which must not exist), counting every byte."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._open(file) as source, open(target, "xb") as out:
                self._stream(source, out, file)
        except Skipped:
            target.unlink(missing_ok=True)
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            target.unlink(missing_ok=True)
            raise Skipped(f"damaged in the zip ({error})") from None
        if modified is not None:
            os.utime(target, (modified, modified))

    def _open(self, file: File):
        if self._zip is not None:
            return self._zip.open(file.source)
        try:
            descriptor = os.open(file.source, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            raise Skipped(f"cannot be read ({error.strerror})") from None
        return os.fdopen(descriptor, "rb")

    def _stream(self, source, out, file: File) -> None:
        written = 0
        while chunk := source.read(CHUNK):
            written += len(chunk)
            self._copied += len(chunk)
            if written > self.caps.max_file_bytes:
                raise Skipped(f"larger than {size(self.caps.max_file_bytes)}")
            if self._copied > self.caps.max_total_bytes:
                raise Skipped(f"the download's total of {size(self.caps.max_total_bytes)} "
                              "was reached")
            out.write(chunk)


def open_download(path: Path, caps: Caps = Caps()) -> Download:
    """The download at ``path``: a ``.zip`` file or a folder."""
    download = Download(Path(path), caps)
    if download.path.is_dir():
        _list_folder(download)
    elif download.path.is_file():
        _list_zip(download)
    else:
        raise DownloadError(f"{path} is neither a folder nor a zip file")
    declared = sum(file.size for file in download.files)
    if declared > caps.max_total_bytes:
        download.__exit__()
        raise DownloadError(f"{path} unpacks to {size(declared)}, more than the "
                            f"{size(caps.max_total_bytes)} a download may have")
    return download


def _list_zip(download: Download) -> None:
    try:
        archive = zipfile.ZipFile(download.path)
    except zipfile.BadZipFile as error:
        raise DownloadError(f"{download.path} is not a zip file ({error}); expected the "
                            "LMS's download as it came, or the folder it unpacks to") from None
    except UnicodeDecodeError:
        raise DownloadError(f"{download.path} marks its file names as UTF-8 but they are "
                            "not: it is not a download as the LMS made it") from None
    download._zip = archive
    download.kind = "zip"
    members = archive.infolist()
    if len(members) > download.caps.max_files:
        archive.close()
        raise DownloadError(f"{download.path} holds {len(members)} files, more than the "
                            f"{download.caps.max_files} a download may have")
    for info in members:
        shown = _zip_name(info)
        if info.is_dir():
            try:
                download.folders.append(checked_parts(shown))
            except Skipped as reason:
                download.skip(shown, str(reason))
            continue
        try:
            parts = checked_parts(shown)
            _check_member(info, download.caps)
        except Skipped as reason:
            download.skip(shown, str(reason))
            continue
        modified = datetime(*info.date_time, tzinfo=UTC) \
            if info.date_time[0] >= 1980 else None
        download.files.append(File(parts, info.file_size, modified, info))


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The member's name; UTF-8 that a tool forgot to mark as such is read as UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _check_member(info: zipfile.ZipInfo, caps: Caps) -> None:
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when only permissions are recorded
    if info.create_system == 3 and kind:
        if stat.S_ISLNK(kind):
            raise Skipped("a symbolic link")
        if not stat.S_ISREG(kind):
            raise Skipped("not a regular file")
    if info.flag_bits & 0x1:
        raise Skipped("encrypted")
    if info.file_size > caps.max_file_bytes:
        raise Skipped(f"unpacks to {size(info.file_size)}, more than "
                      f"{size(caps.max_file_bytes)}")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1_000_000 and ratio > caps.max_ratio:
        raise Skipped(f"compressed {ratio:.0f} to 1, like a zip bomb")


def _list_folder(download: Download) -> None:
    pending = [(download.path, ())]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                shown = "/".join((*prefix, os.fsdecode(entry.name)))
                try:
                    parts = checked_parts(shown)
                except Skipped as reason:
                    download.skip(shown.encode("utf-8", "replace").decode("utf-8"), str(reason))
                    continue
                if entry.is_symlink():
                    download.skip(shown, "a symbolic link")
                elif entry.is_dir(follow_symlinks=False):
                    download.folders.append(parts)
                    pending.append((Path(entry.path), parts))
                elif not entry.is_file(follow_symlinks=False):
                    download.skip(shown, "not a regular file")
                else:
                    _add_folder_file(download, entry, parts)
        if len(download.files) > download.caps.max_files:
            raise DownloadError(f"{download.path} holds more than {download.caps.max_files} "
                                "files, more than a download may have")


def _add_folder_file(download: Download, entry: os.DirEntry, parts: tuple) -> None:
    info = entry.stat(follow_symlinks=False)
    if info.st_size > download.caps.max_file_bytes:
        download.skip("/".join(parts), f"larger than {size(download.caps.max_file_bytes)}")
        return
    modified = datetime.fromtimestamp(info.st_mtime, tz=UTC)
    download.files.append(File(parts, info.st_size, modified, Path(entry.path)))
