"""Your progress through the course, kept in a small JSON file on your own computer.

Every check of :mod:`nnkit.checking` that passes, and every slider challenge
solved, is recorded here: which lesson or exercise, which check, when. Nothing
leaves your computer; there is no account. ``nnkit.progress()`` shows the
table; on Binder, where the session is thrown away, download the file
(:func:`download_link`, :func:`widget`) and :func:`restore` it in the next
session (the two are merged: nothing passed is ever lost).

The file is ``~/.nnkit/progress.json`` (``NNKIT_PROGRESS`` names another).
Nothing is written while nbgrader grades (``NBGRADER_EXECUTION`` is set), and
a file that cannot be written never makes a check fail. Introduced on the
course's start page (``start.ipynb``); ``docs/progress.md`` explains it.

>>> import os, tempfile
>>> os.environ["NNKIT_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "progress.json")
>>> record("01-neuron", "weighted_sum", when="2026-01-01T10:00:00+00:00")
True
>>> passed()["01-neuron"]
['weighted_sum']
>>> del os.environ["NNKIT_PROGRESS"]
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import types
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from nnkit.tutor import exercises

FORMAT = "nnkit-progress"
VERSION = 1
GRADING_VARIABLE = "NBGRADER_EXECUTION"
PATH_VARIABLE = "NNKIT_PROGRESS"


class ProgressError(ValueError):
    """A progress file (or uploaded bytes) that is not a readable progress record."""


# --- where and whether ----------------------------------------------------------------------


def progress_path() -> Path:
    """The progress file: ``$NNKIT_PROGRESS`` or ``~/.nnkit/progress.json`` (start page).

    >>> progress_path().name
    'progress.json'
    """
    chosen = os.environ.get(PATH_VARIABLE)
    return Path(chosen).expanduser() if chosen else Path.home() / ".nnkit" / "progress.json"


def recording_enabled() -> bool:
    """False while nbgrader (or ``nnkit-course grade``) runs the notebook (start page).

    >>> isinstance(recording_enabled(), bool)
    True
    """
    return not os.environ.get(GRADING_VARIABLE)


# --- the record as data ----------------------------------------------------------------------


def empty() -> dict:
    """A record with nothing passed yet (start page).

    >>> empty()["passed"]
    {}
    """
    return {"format": FORMAT, "version": VERSION, "passed": {}}


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _valid_entry(entry) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("first"), str)
            and isinstance(entry.get("last"), str) and isinstance(entry.get("count"), int))


def parse(data: bytes | str, source: str = "the progress data") -> dict:
    """Read a progress record from JSON; :class:`ProgressError` says what is wrong (start page).

    >>> parse('{"format": "nnkit-progress", "version": 1, "passed": {}}')["passed"]
    {}
    >>> try:
    ...     parse("{not json", "progress.json")
    ... except ProgressError as e:
    ...     print(str(e).split(":")[0])
    progress.json is not a progress file (it is not valid JSON
    """
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    try:
        record_ = json.loads(data)
    except json.JSONDecodeError as error:
        raise ProgressError(f"{source} is not a progress file (it is not valid JSON: "
                            f"{error.msg} at line {error.lineno}, column {error.colno}). "
                            "Restore a downloaded copy with nnkit.progress.restore(...), or "
                            "delete the file to start again.") from None
    passed = record_.get("passed") if isinstance(record_, dict) else None
    if (not isinstance(record_, dict) or record_.get("format") != FORMAT
            or not isinstance(passed, dict)):
        raise ProgressError(f"{source} is not a progress file: expected a JSON object with "
                            f'"format": "{FORMAT}" and a "passed" table, got '
                            f"{type(record_).__name__} {str(record_)[:60]!r}.")
    clean = empty()
    for place, checks in passed.items():
        if not isinstance(checks, dict):
            raise ProgressError(f"{source}: the entry for {place!r} should be a table of "
                                f"checks, got {type(checks).__name__}.")
        good = {str(name): dict(entry) for name, entry in checks.items() if _valid_entry(entry)}
        if good:
            clean["passed"][str(place)] = good
    return clean


def merge(first: dict, second: dict) -> dict:
    """The union of two records: every check passed in either (earliest first pass kept).

    >>> a = {"passed": {"01-neuron": {"neuron": {"first": "1", "last": "2", "count": 1}}}}
    >>> b = {"passed": {"01-neuron": {"and_gate": {"first": "3", "last": "3", "count": 2}}}}
    >>> sorted(merge(a, b)["passed"]["01-neuron"])
    ['and_gate', 'neuron']
    """
    merged = empty()
    for record_ in (first, second):
        for place, checks in record_.get("passed", {}).items():
            table = merged["passed"].setdefault(place, {})
            for name, entry in checks.items():
                known = table.get(name)
                if known is None:
                    table[name] = dict(entry)
                else:
                    table[name] = {"first": min(known["first"], entry["first"]),
                                   "last": max(known["last"], entry["last"]),
                                   "count": max(known["count"], entry["count"])}
    return merged


# --- the file --------------------------------------------------------------------------------


def load(path: str | os.PathLike | None = None) -> dict:
    """The stored record (empty when there is no file yet); ProgressError when unreadable.

    >>> import os, tempfile
    >>> load(os.path.join(tempfile.mkdtemp(), "none-yet.json"))["passed"]
    {}
    """
    path = Path(path) if path is not None else progress_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return empty()
    return parse(data, str(path))


def save(record_: dict, path: str | os.PathLike | None = None) -> Path:
    """Write the record atomically (a half-written file is never left behind) (start page).

    >>> import tempfile, os
    >>> save(empty(), os.path.join(tempfile.mkdtemp(), "p.json")).name
    'p.json'
    """
    path = Path(path) if path is not None else progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".progress-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record_, out, indent=1, sort_keys=True)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def record(place: str, check: str, when: str | None = None) -> bool:
    """Note that ``check`` of lesson/exercise ``place`` passed; True when it was stored.

    Never raises: while grading, or when the file cannot be read or written,
    it stores nothing and returns False (a check never fails because of it).
    Called by every passing check of :mod:`nnkit.checking` and by the slider
    challenges (start page).

    >>> import os, tempfile
    >>> os.environ["NNKIT_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "p.json")
    >>> record("02-activations", "relu")
    True
    >>> os.environ["NBGRADER_EXECUTION"] = "autograde"
    >>> record("02-activations", "sigmoid")
    False
    >>> del os.environ["NBGRADER_EXECUTION"], os.environ["NNKIT_PROGRESS"]
    """
    if not recording_enabled():
        return False
    when = when or _now()
    try:
        stored = load()
        entry = {"first": when, "last": when, "count": 1}
        known = stored["passed"].get(place, {}).get(check)
        if known is not None:
            entry = {"first": min(known["first"], when), "last": max(known["last"], when),
                     "count": known["count"] + 1}
        stored["passed"].setdefault(place, {})[check] = entry
        save(stored)
    except (OSError, ProgressError, TypeError, ValueError):
        return False
    return True


def place_of(check: str) -> str:
    """The assignment (and lesson) whose graded function ``check`` is, else ``"other"``.

    >>> place_of("softmax")
    '02-activations'
    """
    owner = exercises.owner_of(check)
    return owner.id if owner is not None else "other"


def record_check(check: str) -> bool:
    """Record a passing check of a graded function under its assignment.

    >>> import os
    >>> os.environ["NBGRADER_EXECUTION"] = "autograde"
    >>> record_check("dense")
    False
    >>> del os.environ["NBGRADER_EXECUTION"]
    """
    return record(place_of(check), check)


def restore(path_or_bytes, path: str | os.PathLike | None = None) -> dict:
    """Merge a downloaded progress file (a path, or its bytes) into this session's (start page).

    Returns the merged record; ProgressError when the data is not a progress file
    (nothing is changed then).

    >>> import os, tempfile
    >>> here = os.path.join(tempfile.mkdtemp(), "p.json")
    >>> data = b'{"format": "nnkit-progress", "version": 1, "passed": {"03-layers": ' \\
    ...        b'{"dense": {"first": "t", "last": "t", "count": 1}}}}'
    >>> sorted(restore(data, here)["passed"])
    ['03-layers']
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        incoming = parse(bytes(path_or_bytes), "the uploaded file")
    else:
        source = Path(path_or_bytes)
        incoming = parse(source.read_bytes(), str(source))
    merged = merge(load(path), incoming)
    save(merged, path)
    return merged


def export_bytes(path: str | os.PathLike | None = None) -> bytes:
    """The stored record as the bytes of a JSON file, ready to download (start page).

    >>> import os, tempfile
    >>> export_bytes(os.path.join(tempfile.mkdtemp(), "p.json"))[:30]
    b'{\\n "format": "nnkit-progress",'
    """
    return json.dumps(load(path), indent=1, sort_keys=True).encode("utf-8")


def passed(path: str | os.PathLike | None = None) -> dict[str, list[str]]:
    """``{lesson or exercise: sorted names of the checks passed}`` (start page).

    >>> import os, tempfile
    >>> passed(os.path.join(tempfile.mkdtemp(), "p.json"))
    {}
    """
    return {place: sorted(checks) for place, checks in sorted(load(path)["passed"].items())}


# --- showing it ------------------------------------------------------------------------------


@dataclass
class Report:
    """What ``nnkit.progress()`` shows: a plain-text table, HTML in a notebook (start page)."""

    record: dict
    error: str | None = None

    def rows(self) -> list[tuple[str, str, bool]]:
        """``(place, check, passed)`` for every graded function, then every other check passed.

        >>> Report(empty()).rows()[0]
        ('01-neuron', 'weighted_sum', False)
        """
        done = self.record["passed"]
        rows = [(place, name, name in done.get(place, {}))
                for place, names in exercises.ASSIGNMENTS.items() for name in names]
        expected = {(place, name) for place, name, _ in rows}
        rows += [(place, name, True) for place in sorted(done) for name in sorted(done[place])
                 if (place, name) not in expected]
        return rows

    def counts(self) -> tuple[int, int]:
        """(graded functions passed, graded functions in the course)."""
        assignments = exercises.ASSIGNMENTS
        graded = [ok for place, name, ok in self.rows() if name in assignments.get(place, ())]
        return sum(graded), len(graded)

    def __str__(self) -> str:
        lines = [f"Progress ({progress_path()})"]
        if self.error:
            lines.append(f"  could not read it: {self.error}")
        done, total = self.counts()
        lines.append(f"  {done} of {total} graded functions passed")
        current = None
        for place, name, ok in self.rows():
            if place != current:
                lines.append(f"{place}:")
                current = place
            lines.append(f"  [{'x' if ok else ' '}] {name}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from html import escape

        done, total = self.counts()
        cells = "".join(
            f"<tr><td>{escape(place)}</td><td><code>{escape(name)}</code></td>"
            f"<td>{'✔ passed' if ok else '·'}</td></tr>" for place, name, ok in self.rows())
        error = f"<p><b>Could not read the file:</b> {escape(self.error)}</p>" if self.error \
            else ""
        return (f"<p>{done} of {total} graded functions passed "
                f"(<code>{escape(str(progress_path()))}</code>)</p>{error}"
                f"<table><tr><th>lesson / exercise</th><th>check</th><th></th></tr>"
                f"{cells}</table>")


def show() -> Report:
    """The progress table (what ``nnkit.progress()`` returns); never raises (start page).

    >>> import os, tempfile
    >>> os.environ["NNKIT_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "p.json")
    >>> print(str(show()).splitlines()[1])
      0 of ... graded functions passed
    >>> del os.environ["NNKIT_PROGRESS"]
    """
    try:
        return Report(load())
    except (ProgressError, OSError) as error:
        return Report(empty(), error=str(error))


def download_link(filename: str = "nnkit-progress.json") -> str:
    """HTML of a link that downloads the progress file from the browser (start page).

    Works on Binder too: the file's bytes are inside the link (a ``data:`` URL).

    >>> download_link().startswith('<a download="nnkit-progress.json"')
    True
    """
    payload = base64.b64encode(export_bytes()).decode("ascii")
    return (f'<a download="{filename}" href="data:application/json;base64,{payload}">'
            f"Download your progress ({filename})</a>")


def widget():
    """A download link and an upload button that restores (merges) a saved file (start page).

    Needs ipywidgets (imported here, not by ``import nnkit``).
    """
    import ipywidgets

    link = ipywidgets.HTML(download_link())
    upload = ipywidgets.FileUpload(accept=".json", multiple=False,
                                   description="Restore progress")
    message = ipywidgets.HTML()
    table = ipywidgets.HTML(show()._repr_html_())

    def restored(change):
        files = change["new"] or ()
        for item in files:
            try:
                restore(bytes(item["content"]))
                message.value = f"Restored {item['name']}: merged with this session's progress."
            except ProgressError as error:
                message.value = f"<b>Not restored:</b> {error}"
        table.value = show()._repr_html_()
        link.value = download_link()

    upload.observe(restored, names="value")
    return ipywidgets.VBox([table, ipywidgets.HBox([link, upload]), message])


class _CallableModule(types.ModuleType):
    """``nnkit.progress()`` shows the table; ``nnkit.progress.restore(...)`` etc. still work."""

    def __call__(self) -> Report:
        return show()


sys.modules[__name__].__class__ = _CallableModule
