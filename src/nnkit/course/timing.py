"""Time limits that follow the honest work: multiples of what the instructor's solution needs.

At the start of a batch the instructor's solution notebook is graded once,
through the same sandbox, and each of its cells is timed. A student's cell
then gets ``time_factor`` times what the solution's same cell needed, between
``min_cell_timeout`` and ``cell_timeout``; a cell the student added gets as
long as the slowest cell of the solution may; the whole notebook gets
``time_factor`` times the solution's total, between ``min_notebook_timeout``
and ``notebook_timeout`` (:class:`~nnkit.course.limits.Limits`). So a student
who hangs costs the batch a small multiple of the honest work, not minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnkit.course.limits import Limits


@dataclass(frozen=True)
class TimeLimits:
    """Seconds each cell (by the instructor cell it stands for) and the notebook may run.

    >>> limits = TimeLimits.measured(Limits(), {3: 0.01, 5: 1.5}, total=2.0)
    >>> limits.cells, limits.extra, limits.notebook
    ({3: 2.0, 5: 15.0}, 15.0, 60.0)
    """

    cells: dict = field(default_factory=dict)
    extra: float = 30.0
    notebook: float = 300.0

    @classmethod
    def configured(cls, limits: Limits) -> TimeLimits:
        """The configured ceilings, for when the solution could not be timed."""
        return cls({}, limits.cell_timeout, limits.notebook_timeout)

    @classmethod
    def measured(cls, limits: Limits, seconds: dict, total: float) -> TimeLimits:
        """Limits from the solution's seconds per instructor cell and in all."""
        cells = {origin: limits.cell_seconds(taken) for origin, taken in seconds.items()}
        extra = limits.cell_seconds(max(seconds.values(), default=None))
        return cls(cells, extra, limits.notebook_seconds(total))

    def for_cell(self, cell) -> float:
        """The limit of one cell of a rebuilt notebook (a student's own cell: :attr:`extra`)."""
        return self.cells.get(cell.origin, self.extra) if cell.origin is not None else self.extra
