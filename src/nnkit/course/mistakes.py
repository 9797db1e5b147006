"""The class's named mistakes: which known wrong answer each student's tests ran into.

When the grader replays a test cell (:mod:`nnkit.course.replay`) and a check
fails, the check has already asked :mod:`nnkit.tutor.misconceptions` which known
mistake fits and put it on the exception (``CheckFailed.misconception``).
``nnkit-course grade`` keeps those ids, one row per failed test cell, in
``mistakes.csv`` beside ``grades.csv``; ``nnkit-course report`` counts how many
students made each mistake and draws the chart, so an instructor sees what to
teach again (the most common mistake first).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

CSV_NAME = "mistakes.csv"
COLUMNS = ["student", "notebook", "test", "mistake"]
UNNAMED = ""


@cache
def registry() -> dict:
    """``{mistake id: Misconception}`` of every mistake the checks recognise."""
    from nnkit.tutor.misconceptions import all_misconceptions

    return {m.id: m for m in all_misconceptions()}


def named(error: BaseException) -> str:
    """The id of the known mistake a failed check recognised, or ``""`` when none.

    Only a ``CheckFailed`` raised in the grader's own process counts, and only
    with an id the registry knows.

    >>> from nnkit.tutor import check_function
    >>> try:
    ...     check_function("relu", lambda z: abs(z), (-2.0,), expected=0.0)
    ... except AssertionError as error:
    ...     print(named(error))
    relu.absolute_value
    >>> named(ValueError("no check"))
    ''
    """
    from nnkit.tutor.messages import CheckFailed

    mistake = getattr(error, "misconception", None) if isinstance(error, CheckFailed) else None
    found = getattr(mistake, "id", UNNAMED)
    return found if found in registry() else UNNAMED


def write(out: Path, results: list) -> Path:
    """``mistakes.csv``: one row per test cell a student failed, with its mistake's id."""
    path = Path(out) / CSV_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for result in sorted(results, key=lambda r: r.student):
            for notebook, tests in sorted(getattr(result, "mistakes", {}).items()):
                for test, mistake in sorted(tests.items()):
                    writer.writerow([result.student, notebook, test, mistake])
    return path


def tally(path: Path) -> tuple[list[dict], int]:
    """Per named mistake, the students who made it; and how many failed with no named one.

    Rows are ordered by how many students made the mistake, then as the
    registry lists them (exercise order).
    """
    students, unnamed = defaultdict(set), set()
    tests = defaultdict(set)
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["mistake"] in registry():
                students[row["mistake"]].add(row["student"])
                tests[row["mistake"]].add(row["test"])
            else:
                unnamed.add(row["student"])
    order = list(registry())
    rows = [{"mistake": mistake, "title": registry()[mistake].title,
             "function": registry()[mistake].function, "students": len(who),
             "tests": "; ".join(sorted(tests[mistake]))}
            for mistake, who in students.items()]
    rows.sort(key=lambda r: (-r["students"], order.index(r["mistake"])))
    return rows, len(unnamed - set().union(*students.values()))


def table(rows: list[dict], class_size: int, unnamed: int = 0) -> str:
    """The named mistakes as aligned text, most common first.

    >>> print(table([{"mistake": "weighted_sum.forgot_bias", "students": 3,
    ...               "title": "the bias was left out"}], class_size=8, unnamed=1))
    named mistake                                     students  of class
    the bias was left out (weighted_sum.forgot_bias)         3       38%
    1 more student failed a test with no named mistake.
    """
    labels = [f"{r['title']} ({r['mistake']})" for r in rows]
    width = max([len("named mistake"), *map(len, labels)])
    lines = [f"{'named mistake':<{width}}  students  of class"]
    for label, r in zip(labels, rows, strict=True):
        share = r["students"] / class_size if class_size else 0.0
        lines.append(f"{label:<{width}}  {r['students']:>8d}  {share:>8.0%}")
    if not rows:
        lines.append("(no named mistake: every failed check was one the checks do not name)")
    if unnamed:
        plural = "students" if unnamed != 1 else "student"
        lines.append(f"{unnamed} more {plural} failed a test with no named mistake.")
    return "\n".join(lines)


def chart(rows: list[dict], assignment: str, class_size: int, path: Path, top: int = 12):
    """A horizontal bar chart of how many students made each named mistake (PNG or SVG)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    shown = rows[:top]
    figure = Figure(figsize=(8, 0.45 * len(shown) + 1.6), layout="constrained")
    ax = figure.add_subplot()
    labels = [f"{r['function']}: {r['title']}" for r in shown][::-1]
    counts = [r["students"] for r in shown][::-1]
    bars = ax.barh(labels, counts, color="#4f81bd")
    ax.bar_label(bars, labels=[f"{c / class_size:.0%}" if class_size else "" for c in counts],
                 padding=3)
    ax.set_xlim(0, max([class_size, *counts, 1]) * 1.08)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(f"students who made the mistake (of {class_size})")
    figure.suptitle(f"{assignment}: the named mistakes, most common first")
    figure.savefig(path, dpi=100)
    return path


def report(out: Path, assignment: str, class_size: int) -> str:
    """The named-mistake table for ``nnkit-course report``; its CSV and chart go to ``out``."""
    source = out / CSV_NAME
    if not source.is_file():
        return (f"no {CSV_NAME} in {out}: grade again with this version of "
                "nnkit-course to see the class's named mistakes")
    rows, unnamed = tally(source)
    with (out / "report-mistakes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["mistake", "title", "function", "students",
                                                    "tests"])
        writer.writeheader()
        writer.writerows(rows)
    written = [out / "report-mistakes.csv"]
    if rows:
        written.append(chart(rows, assignment, class_size, out / "report-mistakes.png"))
    return (table(rows, class_size, unnamed) + "\n\nwrote "
            + " and ".join(str(path) for path in written))
