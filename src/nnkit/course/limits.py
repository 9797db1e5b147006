"""What one submission may use while it is graded: time, memory and output.

The defaults suit the course's exercises (each runs in a few seconds); an
instructor changes them in the ``NnkitGrading`` section of
``course/nbgrader_config.py`` or with ``nnkit-course grade`` options.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    """Resource limits of one graded notebook.

    >>> Limits().cell_timeout
    30.0
    >>> Limits.from_mapping({"memory_mb": 512}).memory_mb
    512
    """

    cell_timeout: float = 30.0
    """Seconds one cell may run before it is interrupted (it then fails)."""
    notebook_timeout: float = 300.0
    """Seconds the whole notebook may run before its process is stopped."""
    memory_mb: int = 1024
    """Address space of the student's process; allocating past it fails."""
    cell_output_bytes: int = 10_000
    """Characters of printed output kept per cell (the rest is cut)."""
    notebook_output_bytes: int = 100_000
    """Characters of printed output kept for the whole notebook."""
    notebook_file_mb: int = 300
    """A submitted file larger than this is not read at all."""
    file_write_mb: int = 50
    """Largest file the student's code may write in its folder."""

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
        return replace(base, **{key: type(getattr(base, key))(value)
                                for key, value in values.items()})

    def to_dict(self) -> dict:
        """The limits as plain numbers (sent to the sandboxed runner)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
