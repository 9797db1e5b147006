"""What one student may use while graded: time, memory, disk, processes and output.

Every limit holds for the student as a whole (all the processes of one run
together), not per file or per process. Time limits follow the instructor's
solution: at the start of a batch the solution is graded once, and a cell may
run ``time_factor`` times as long as the solution's cell took, never less
than ``min_cell_timeout`` and never more than ``cell_timeout`` (the whole
notebook likewise, between ``min_notebook_timeout`` and ``notebook_timeout``).
The defaults suit the course's exercises; an instructor changes them in the
``NnkitGrading`` section of ``course/nbgrader_config.py`` or with
``nnkit-course grade`` options. docs/security.md explains each one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    """Resource limits of one graded student.

    >>> Limits().cell_timeout
    30.0
    >>> Limits.from_mapping({"memory_mb": 512}).memory_mb
    512
    """

    cell_timeout: float = 30.0
    """Most seconds one cell may run before it is interrupted (it then fails)."""
    notebook_timeout: float = 300.0
    """Most seconds the whole notebook may run before its process is stopped."""
    time_factor: float = 10.0
    """A cell may run this many times as long as the same cell of the solution."""
    min_cell_timeout: float = 2.0
    """... but always at least this many seconds."""
    min_notebook_timeout: float = 60.0
    """The whole notebook always gets at least this many seconds."""
    memory_mb: int = 1024
    """Address space of each of the student's processes; allocating past it fails."""
    disk_mb: int = 100
    """Size of the student's writable folder (a RAM-backed tmpfs holding a copy of it)."""
    shm_mb: int = 16
    """Size of /dev/shm (shared memory) inside the sandbox."""
    max_processes: int = 64
    """Processes and threads the student's code may have at once (Python's own included)."""
    cell_output_bytes: int = 10_000
    """Characters of output (printed text, shown values, errors) kept per cell."""
    notebook_output_bytes: int = 100_000
    """Characters of output kept for the whole notebook."""
    max_cells: int = 500
    """Cells of a submitted notebook that are read; the rest are dropped."""
    notebook_file_mb: int = 300
    """A submitted file larger than this is not read at all."""
    file_write_mb: int = 50
    """Largest single file the student's code may write."""

    @classmethod
    def from_mapping(cls, values) -> Limits:
        """Limits from a mapping (e.g. a traitlets config section), unknown keys refused."""
        known = {field.name: field.type for field in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(
                f"unknown grading limit(s) {', '.join(unknown)}; expected some of "
                f"{', '.join(sorted(known))}"
            )
        base = cls()
        limits = replace(base, **{key: type(getattr(base, key))(value)
                                  for key, value in values.items()})
        limits.check()
        return limits

    def check(self) -> None:
        """Refuse limits that cannot work (zero or negative)."""
        bad = [field.name for field in fields(self) if getattr(self, field.name) <= 0]
        if bad:
            raise ValueError(f"grading limit(s) {', '.join(bad)} must be positive")

    def to_dict(self) -> dict:
        """The limits as plain numbers (sent to the sandboxed processes)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def cell_seconds(self, reference: float | None) -> float:
        """The time limit of a cell whose solution took ``reference`` seconds.

        >>> Limits().cell_seconds(0.01), Limits().cell_seconds(1.5), Limits().cell_seconds(None)
        (2.0, 15.0, 30.0)
        """
        if reference is None:
            return self.cell_timeout
        return min(self.cell_timeout, max(self.min_cell_timeout, self.time_factor * reference))

    def notebook_seconds(self, reference: float | None) -> float:
        """The time limit of a notebook whose solution took ``reference`` seconds.

        >>> Limits().notebook_seconds(0.5), Limits().notebook_seconds(None)
        (60.0, 300.0)
        """
        if reference is None:
            return self.notebook_timeout
        return min(self.notebook_timeout,
                   max(self.min_notebook_timeout, self.time_factor * reference))
