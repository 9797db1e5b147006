"""Due dates, extensions and late penalties, kept in nbgrader's gradebook.

A due date comes from ``--due``, else from ``c.NnkitGrading.due_dates`` in
``course/nbgrader_config.py``, else from the gradebook (``nbgrader db
assignment add --duedate``). Extensions come from a small CSV (``student,
extension``, e.g. ``4711,2 days``). The late policy is one sentence:
``none``, ``zero``, or ``10% per day up to 50%`` / ``2% per hour up to 30%``
— the share of the score a late submission loses for every *started* hour
or day, never more than the cap.

Everything lands where nbgrader keeps it: the assignment's ``duedate``, each
submission's ``timestamp`` and ``extension``, and each notebook's
``late_submission_penalty``, computed by nbgrader's own ``AssignLatePenalties``
step with :class:`LatePenalty` as its plugin (a late marker without a time,
which nbgrader cannot see, gets the penalty of the least lateness in the same
field). So the formgrader, ``nbgrader
export`` and ``nbgrader autograde`` (with ``c.AssignLatePenalties.plugin_class``
set as in the course's configuration) all agree with ``grades.csv``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nbgrader.plugins import LateSubmissionPlugin

CSV_COLUMNS = ["name", "submitted_at", "minutes_late", "raw_score", "late_penalty"]
PERIODS = {"hour": 3600, "day": 86400}
UNITS = {"m": 60, "min": 60, "minute": 60, "minutes": 60, "h": 3600, "hour": 3600,
         "hours": 3600, "d": 86400, "day": 86400, "days": 86400, "w": 604800,
         "week": 604800, "weeks": 604800}
POLICY = re.compile(r"^(?P<rate>\d+(?:\.\d+)?)\s*%\s*per\s*(?:started\s+)?(?P<period>hour|day)"
                    r"(?:\s*,?\s*up\s+to\s+(?P<cap>\d+(?:\.\d+)?)\s*%)?$")


@dataclass(frozen=True)
class LatePolicy:
    """What a late submission loses: nothing, everything, or a share per started period.

    >>> policy = LatePolicy.parse("10% per day up to 50%")
    >>> policy.fraction(60)            # one minute late: one started day
    0.1
    >>> policy.fraction(3 * 86400)     # three days late to the second: three days
    0.3
    >>> policy.fraction(30 * 86400)    # a month late: the cap
    0.5
    >>> LatePolicy.parse("zero").fraction(1)
    1.0
    """

    kind: str = "none"
    rate: float = 0.0
    period: str = "day"
    cap: float = 1.0

    @classmethod
    def parse(cls, text: str) -> LatePolicy:
        """The policy a sentence states; ``ValueError`` naming the accepted forms otherwise."""
        words = " ".join(str(text).lower().split())
        if words in ("none", "zero"):
            return cls(kind=words)
        found = POLICY.match(words)
        if found is None:
            raise ValueError(f"late policy {text!r} not understood; expected 'none', 'zero', "
                             "or a share per started hour or day with an optional cap, "
                             "e.g. '10% per day up to 50%' or '2% per hour'")
        rate, cap = float(found["rate"]) / 100, float(found["cap"] or 100) / 100
        if not (0 < rate <= 1 and 0 < cap <= 1):
            raise ValueError(f"late policy {text!r}: the share and the cap must be between "
                             "0% and 100%")
        return cls(kind="per", rate=rate, period=found["period"], cap=cap)

    def fraction(self, seconds_late: float) -> float:
        """The share of the score lost after ``seconds_late`` seconds."""
        if seconds_late <= 0 or self.kind == "none":
            return 0.0
        if self.kind == "zero":
            return 1.0
        started = math.ceil(seconds_late / PERIODS[self.period])
        return round(min(self.rate * started, self.cap), 10)

    def __str__(self) -> str:
        if self.kind != "per":
            return self.kind
        cap = f" up to {self.cap:.0%}" if self.cap < 1 else ""
        return f"{self.rate:.0%} per started {self.period}{cap}"


class LatePenalty(LateSubmissionPlugin):
    """nbgrader's late-submission plugin, with the policy of ``c.NnkitGrading.late_policy``.

    ``c.AssignLatePenalties.plugin_class = "nnkit.course.deadlines.LatePenalty"``
    makes ``nbgrader autograde`` apply the course's policy too.
    """

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """The points a notebook scoring ``score`` loses when ``total_seconds_late`` late."""
        section = self.config.get("NnkitGrading", {})
        policy = LatePolicy.parse(section.get("late_policy", "none"))
        return score * policy.fraction(total_seconds_late)


def parse_due(text: str) -> datetime:
    """A due date with its time zone, as a timezone-aware datetime.

    >>> parse_due("2025-03-14 23:59 Europe/Berlin").isoformat()
    '2025-03-14T23:59:00+01:00'
    >>> parse_due("2025-03-14T22:59:00Z").isoformat()
    '2025-03-14T22:59:00+00:00'
    """
    text = " ".join(str(text).split())
    expected = ("expected a date and time with its time zone, e.g. "
                "'2025-03-14 23:59 Europe/Berlin' or '2025-03-14T23:59+01:00'")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        head, _, zone = text.rpartition(" ")
        try:
            moment = datetime.fromisoformat(head).replace(tzinfo=ZoneInfo(zone))
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError(f"due date {text!r} not understood; {expected}") from None
    if moment.tzinfo is None:
        raise ValueError(f"due date {text!r} has no time zone; {expected}")
    return moment


def parse_duration(text: str) -> timedelta:
    """An extension such as ``2 days``, ``36h`` or ``1 day 12 hours``.

    >>> parse_duration("1 day 12 hours")
    datetime.timedelta(days=1, seconds=43200)
    >>> parse_duration("90 minutes")
    datetime.timedelta(seconds=5400)
    """
    pieces = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]+)", text.lower())
    leftover = re.sub(r"(\d+(?:\.\d+)?)\s*([a-z]+)|[\s,]+|and", "", text.lower())
    if not pieces or leftover or any(unit not in UNITS for _, unit in pieces):
        raise ValueError(f"{text!r} is not a duration; expected e.g. '2 days', '36 hours', "
                         "'90 minutes' or '1 day 12 hours'")
    return timedelta(seconds=sum(float(n) * UNITS[unit] for n, unit in pieces))


def read_extensions(path: Path, assignment: str) -> dict[str, timedelta]:
    """``{student: extension}`` from a CSV with columns ``student`` and ``extension``.

    An ``assignment`` column, when present, limits a row to that assignment;
    other columns (a name, a reason) are ignored.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the extensions file {path}: {error}") from None
    rows = csv.DictReader(text.splitlines())
    missing = {"student", "extension"} - set(rows.fieldnames or ())
    if missing:
        raise ValueError(f"{path} needs the columns student and extension (e.g. "
                         f"'4711,2 days'); found {', '.join(rows.fieldnames or ['none'])}")
    extensions = {}
    for line, row in enumerate(rows, start=2):
        if row.get("assignment") and row["assignment"].strip() != assignment:
            continue
        try:
            extensions[row["student"].strip()] = parse_duration(row["extension"] or "")
        except ValueError as error:
            raise ValueError(f"{path}, line {line}: {error}") from None
    return extensions


@dataclass
class Schedule:
    """The due date, extensions and policy one grading run applies."""

    due: datetime | None = None
    policy: LatePolicy = field(default_factory=LatePolicy)
    extensions: dict | None = None

    @classmethod
    def for_run(cls, course, assignment: str, args) -> Schedule:
        """Command line first, then ``c.NnkitGrading`` in the course configuration."""
        section = course.config.get("NnkitGrading", {})
        due = args.due or dict(section.get("due_dates", {})).get(assignment)
        policy = args.late_policy or section.get("late_policy", "none")
        extensions = args.extensions or (course.root / section["extensions"]
                                         if section.get("extensions") else None)
        return cls(due=parse_due(due) if due else None, policy=LatePolicy.parse(policy),
                   extensions=read_extensions(extensions, assignment) if extensions else None)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The deadline options of ``nnkit-course grade``."""
    group = parser.add_argument_group("deadlines (default: c.NnkitGrading in the course config)")
    group.add_argument("--due", default=None,
                       help="due date with time zone, e.g. '2025-03-14 23:59 Europe/Berlin'")
    group.add_argument("--late-policy", default=None,
                       help="'none', 'zero', or e.g. '10%% per day up to 50%%'")
    group.add_argument("--extensions", type=Path, default=None,
                       help="CSV with columns student,extension (e.g. 4711,2 days)")


# --- into the gradebook, and back --------------------------------------------------------

@dataclass
class Lateness:
    """One student's submission time against the due date, as the gradebook holds it."""

    submitted_at: datetime | None = None
    seconds_late: float | None = None
    raw: float = 0.0
    penalty: float = 0.0
    zone: object = UTC

    def cells(self) -> list[str]:
        """``submitted_at, minutes_late, raw_score, late_penalty`` for grades.csv."""
        when = self.submitted_at.astimezone(self.zone).isoformat(timespec="seconds") \
            if self.submitted_at else ""
        minutes = "" if self.seconds_late is None else str(math.ceil(self.seconds_late / 60))
        return [when, minutes, f"{self.raw:g}", f"{self.penalty:g}"]


def csv_cells(result) -> list[str]:
    """The round-trip columns of one grades.csv row (:data:`CSV_COLUMNS`)."""
    lateness = getattr(result, "lateness", None) or Lateness(raw=result.score)
    return [getattr(result, "name", ""), *lateness.cells()]


def apply(db_url: str, assignment: str, schedule: Schedule, results: list, students: dict,
          config) -> None:
    """Put due date, times and extensions in the gradebook, let nbgrader compute penalties.

    ``students`` maps each result's student key to its :class:`~nnkit.course.lms.Student`.
    Each result gets its :class:`Lateness`, its final ``score`` and a note when late.
    """
    due = _store_schedule(db_url, assignment, schedule, results, students)
    timed = [r for r in results if due and schedule.policy.kind != "none"
             and getattr(students.get(r.student), "submitted_at", None)]
    untimed = {r.student for r in results} - {r.student for r in timed}
    _clear_penalties(db_url, assignment, [r for r in results if r.student in untimed])
    _nbgrader_penalties(db_url, assignment, schedule, timed, config)
    _marker_penalties(db_url, assignment, schedule, results, students, due)
    _read_back(db_url, assignment, schedule, results, students, due)


def _store_schedule(db_url, assignment, schedule, results, students):
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        if schedule.due is not None:
            gradebook.update_or_create_assignment(assignment, duedate=schedule.due)
        stored = gradebook.find_assignment(assignment).duedate
        for result in results:
            student = students.get(result.student)
            submission = _submission(gradebook, assignment, result.student)
            if submission is None:
                continue
            if getattr(student, "name", ""):
                gradebook.update_or_create_student(result.student, last_name=student.name)
            moment = getattr(student, "submitted_at", None)
            submission.timestamp = moment.astimezone(UTC).replace(tzinfo=None) \
                if moment else None
            if schedule.extensions is not None:
                submission.extension = schedule.extensions.get(result.student)
        gradebook.db.commit()
    return stored.replace(tzinfo=UTC) if stored else None


def _submission(gradebook, assignment, student):
    """The student's submission in the gradebook, or ``None`` when it was not recorded."""
    from nbgrader.api import MissingEntry

    try:
        return gradebook.find_submission(assignment, student)
    except MissingEntry:
        return None


def _clear_penalties(db_url, assignment, results):
    """No penalty where none can apply (what nbgrader's step would find), in one session."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        for result in results:
            for notebook in result.notebooks:
                try:
                    entry = gradebook.find_submission_notebook(notebook, assignment,
                                                               result.student)
                except MissingEntry:
                    continue
                entry.late_submission_penalty = None
        gradebook.db.commit()


def _nbgrader_penalties(db_url, assignment, schedule, results, config):
    """nbgrader's own AssignLatePenalties step, once per timed submission and notebook."""
    import nbformat
    from nbgrader.preprocessors import AssignLatePenalties

    settings = copy.deepcopy(config)
    settings.NnkitGrading.late_policy = str(schedule.policy)
    settings.AssignLatePenalties.plugin_class = LatePenalty
    step = AssignLatePenalties(config=settings)
    for result in results:
        if result.status == "grader error" and not result.notebooks:
            continue
        for notebook in result.notebooks:
            resources = {"nbgrader": {"notebook": notebook, "assignment": assignment,
                                      "student": result.student, "db_url": db_url}}
            step.preprocess(nbformat.v4.new_notebook(), resources)


def _marker_penalties(db_url, assignment, schedule, results, students, due):
    """A LATE marker without a time: the penalty of the least lateness it can mean."""
    from nbgrader.api import Gradebook

    marked = [r for r in results if getattr(students.get(r.student), "late_marker", False)
              and getattr(students.get(r.student), "submitted_at", None) is None]
    if not marked or schedule.policy.kind == "none":
        return
    with Gradebook(db_url) as gradebook:
        for result in marked:
            submission = _submission(gradebook, assignment, result.student)
            if submission is None or submission.extension:
                continue
            for notebook in result.notebooks:
                entry = gradebook.find_submission_notebook(notebook, assignment, result.student)
                entry.late_submission_penalty = entry.score * schedule.policy.fraction(1)
        gradebook.db.commit()


def _read_back(db_url, assignment, schedule, results, students, due):
    from nbgrader.api import Gradebook

    zone = schedule.due.tzinfo if schedule.due else UTC
    with Gradebook(db_url) as gradebook:
        for result in results:
            submission = _submission(gradebook, assignment, result.student)
            student = students.get(result.student)
            result.name = getattr(student, "name", "")
            if submission is None:
                continue
            known = submission.timestamp is not None and due is not None
            result.lateness = Lateness(
                submitted_at=submission.timestamp.replace(tzinfo=UTC)
                if submission.timestamp else None,
                seconds_late=submission.total_seconds_late if known else None,
                raw=float(submission.score), zone=zone,
                penalty=float(submission.late_submission_penalty or 0.0))
            result.score = max(0.0, result.lateness.raw - result.lateness.penalty)
            note = _note(result.lateness, submission, student, schedule, due)
            if note:
                result.notes.append(note)


def _note(lateness, submission, student, schedule, due) -> str:
    """What grades.csv says about lateness (nothing for a submission on time)."""
    extension = submission.extension
    granted = f", with an extension of {_shown(extension)}" if extension else ""
    if lateness.seconds_late:
        return (f"late by {_shown(timedelta(seconds=lateness.seconds_late))}{granted}; "
                f"{schedule.policy}: −{lateness.penalty:g} points")
    if lateness.seconds_late == 0:
        return f"on time{granted}" if extension else ""
    if getattr(student, "late_marker", False):
        if schedule.policy.kind == "none":
            return student.time_note
        if extension:
            return (f"{student.time_note}; an extension of {_shown(extension)} is granted "
                    "here, so it may be on time: not penalised (check the time in the LMS)")
        return (f"{student.time_note}: penalised for one started {schedule.policy.period}, "
                f"the least it can be late ({schedule.policy}: −{lateness.penalty:g} points)")
    if due is None or getattr(student, "late_marker", None) is False:
        return ""  # no due date, or the LMS itself says it came on time
    return f"{getattr(student, 'time_note', '') or 'no submission time'}: not checked " \
           "against the due date"


def _shown(delta: timedelta) -> str:
    """A duration in words.

    >>> _shown(timedelta(days=1, minutes=1))
    '1 day 1 minute'
    """
    seconds = math.ceil(delta.total_seconds())
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    if seconds and not parts:
        parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
    return " ".join(parts) or "0 minutes"
