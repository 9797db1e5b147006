"""What happened to one cell, and the one rule that says whether a test cell passed.

``nnkit-course check`` (nbgrader's executed notebooks), ``nnkit-course grade``
(replies of the sandboxed process) and the tests all turn what they saw into
a :class:`CellOutcome` and ask :func:`passed`. The names of cell kinds,
grades.csv flags and limits live here too, so that no copy of a string can
drift from another.

>>> passed(CellOutcome(index=3))
True
>>> passed(CellOutcome(index=3, error=CellError("AssertionError", "the bias is not added")))
False
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class CellKind:
    """The kinds of cell in a rebuilt notebook (see :mod:`nnkit.course.repair`)."""

    ANSWER = "answer"
    """The student's code, in a cell the instructor left for it."""
    TEST = "test"
    """The instructor's test cell, hidden tests included; it carries points."""
    FIXED = "fixed"
    """Any other instructor cell: the student may not change it."""
    EXTRA = "extra"
    """A code cell the student added."""


class Flag:
    """The words of grades.csv's ``flags`` column."""

    TAMPERING = "suspected tampering"
    """Something only cheating explains: look at this submission by hand."""
    CELLS_RESTORED = "cells restored"
    """Test or locked cells were changed or deleted and were put back."""
    UNSANDBOXED = "unsandboxed"
    """bubblewrap was missing: the student's code ran with the grader's rights."""
    REFUSED_FILES = "files refused"
    """Links, pipes or devices in the folder were not read."""

    @staticmethod
    def limit(name: str) -> str:
        """The flag of a limit the submission ran into.

        >>> Flag.limit("disk")
        'limit: disk'
        """
        return f"limit: {name}"


class Limit:
    """Names of the per-student limits, as they appear in grades.csv."""

    CELL_TIME = "cell time"
    NOTEBOOK_TIME = "notebook time"
    MEMORY = "memory"
    DISK = "disk"
    SHARED_MEMORY = "shared memory"
    FILE_SIZE = "file size"
    PROCESSES = "processes"
    OUTPUT = "output"
    CELLS = "cells"
    NOTEBOOK_SIZE = "notebook size"

    ALL = (CELL_TIME, NOTEBOOK_TIME, MEMORY, DISK, SHARED_MEMORY, FILE_SIZE, PROCESSES, OUTPUT,
           CELLS, NOTEBOOK_SIZE)


NOT_RUN = "NotRun"
STOPPED = "Stopped"


@dataclass(frozen=True)
class CellError:
    """An error a cell ended with: its name, message and the student's traceback lines."""

    ename: str
    evalue: str
    lines: tuple = ()

    @property
    def text(self) -> str:
        """``Name: message`` in one line.

        >>> CellError("ValueError", "x and w differ").text
        'ValueError: x and w differ'
        """
        return f"{self.ename}: {self.evalue}".strip().rstrip(":")


@dataclass(frozen=True)
class CellOutcome:
    """What one code cell did: its printed output, shown value, error and time.

    ``dropped`` counts the characters of output cut by the output limits;
    ``limit`` names the limit (:class:`Limit`) the cell ran into, if any.
    """

    index: int
    stdout: str = ""
    result: str | None = None
    error: CellError | None = None
    seconds: float = 0.0
    dropped: int = 0
    limit: str | None = None

    def to_message(self) -> dict:
        """The outcome as plain JSON data (what the sandboxed process sends)."""
        message = asdict(self)
        if self.error is not None:
            message["error"]["lines"] = list(self.error.lines)
        return message

def passed(outcome: CellOutcome) -> bool:
    """Whether a test cell passed: it ran to its end without an error.

    This is nbgrader's own rule for an autograded test cell (an error output
    fails it, and so does anything written to stderr, which
    :func:`from_nbgrader_cell` turns into an error).
    """
    return outcome.error is None


def not_run(index: int, reason: str, stopped_here: bool = False) -> CellOutcome:
    """The outcome of a cell that did not run because its process had stopped.

    >>> not_run(4, "it was killed").error.evalue
    'this cell did not run: it was killed'
    """
    if stopped_here:
        return CellOutcome(index, error=CellError(STOPPED, f"the notebook stopped here: {reason}"))
    return CellOutcome(index, error=CellError(NOT_RUN, f"this cell did not run: {reason}"))


@dataclass
class _Outputs:
    stdout: list = field(default_factory=list)
    error: CellError | None = None


def from_nbgrader_cell(cell, index: int = 0) -> CellOutcome:
    """The outcome of a cell of a notebook executed by nbgrader (``nnkit-course check``).

    >>> cell = {"outputs": [{"output_type": "stream", "name": "stderr", "text": "careful"}]}
    >>> from_nbgrader_cell(cell).error.text
    'stderr: careful'
    """
    seen = _Outputs()
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error" and seen.error is None:
            seen.error = CellError(str(output.get("ename", "")), str(output.get("evalue", "")),
                                   tuple(output.get("traceback", [])))
        elif kind == "stream" and output.get("name") == "stderr" and seen.error is None:
            seen.error = CellError("stderr", str(output.get("text", ""))[:300])
        elif kind == "stream":
            seen.stdout.append(str(output.get("text", "")))
    return CellOutcome(index=index, stdout="".join(seen.stdout), error=seen.error)
