"""``nnkit-course report``: which tests the class lost points on, as a table and a bar chart.

Reads the course gradebook that ``nnkit-course grade`` filled. One row per
test cell, in notebook order: its points, how many students lost some or all
of them, and the share of the class. The chart (``report.png``) puts the test
cells side by side so the idea most students missed stands out. Beside it,
from the ``mistakes.csv`` that ``grade`` wrote, how many students made each
named mistake (:mod:`nnkit.course.mistakes`): ``report-mistakes.csv`` and
``report-mistakes.png``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from nnkit.course import gradebook, mistakes
from nnkit.course.pipeline import load_spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("assignment", help="assignment id, e.g. 01-neuron")


def in_notebook_order(rows: list[dict], source_notebooks: list[Path]) -> list[dict]:
    """The rows sorted as the test cells appear in the instructor's notebooks."""
    order = {}
    for path in source_notebooks:
        for grade_id in load_spec(path).points:
            order[(path.stem, grade_id)] = len(order)
    return sorted(rows, key=lambda r: order.get((r["notebook"], r["test"]), len(order)))


def table(rows: list[dict]) -> str:
    """The report as aligned text.

    >>> print(table([{"notebook": "n", "test": "test_relu", "points": 2.0,
    ...               "students": 4, "lost": 1}]))
    test cell   points  lost points  of class
    test_relu        2            1       25%
    """
    width = max([len("test cell")] + [len(r["test"]) for r in rows])
    lines = [f"{'test cell':<{width}}  points  lost points  of class"]
    for r in rows:
        share = r["lost"] / r["students"] if r["students"] else 0.0
        lines.append(f"{r['test']:<{width}}  {r['points']:>6g}  {r['lost']:>11d}  "
                     f"{share:>8.0%}")
    return "\n".join(lines)


def chart(rows: list[dict], assignment: str, path: Path) -> Path:
    """A horizontal bar chart of how many students lost each test's points, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 0.45 * len(rows) + 1.5), layout="constrained")
    ax = figure.add_subplot()
    labels = [f"{r['test']} ({r['points']:g} pt)" for r in rows]
    lost = [r["lost"] for r in rows]
    ax.barh(labels[::-1], lost[::-1], color="#c0504d")
    students = max((r["students"] for r in rows), default=0)
    ax.set_xlim(0, max(students, 1))
    ax.set_xlabel(f"students who lost the points (of {students})")
    ax.set_title(f"{assignment}: where the class lost points")
    figure.savefig(path, dpi=100)
    return path


def run(args) -> int:
    """Print the table and write report.csv and report.png; 2 when there is nothing to report."""
    from nnkit.course.course_dir import CourseError, load_course

    try:
        course = load_course(args.course)
    except CourseError as error:
        print(f"nnkit-course report: {error}", file=sys.stderr)
        return 2
    db_url = gradebook.database_url(course.root, course.config)
    try:
        rows = gradebook.lost_points(db_url, args.assignment)
    except Exception as error:  # nbgrader raises MissingEntry for an unknown assignment
        print(f"nnkit-course report: no grades for {args.assignment} in the gradebook "
              f"({type(error).__name__}); run `nnkit-course grade` first", file=sys.stderr)
        return 2
    if not rows or not rows[0]["students"]:
        print(f"nnkit-course report: no graded submissions of {args.assignment} yet; "
              "run `nnkit-course grade` first", file=sys.stderr)
        return 2
    rows = in_notebook_order(rows, sorted((course.source_dir / args.assignment).glob("*.ipynb")))
    out = (args.out or course.root / "grading-output" / args.assignment).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "report.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["notebook", "test", "points", "students",
                                                    "lost"])
        writer.writeheader()
        writer.writerows(rows)
    chart(rows, args.assignment, out / "report.png")
    print(table(rows))
    print(f"\nwrote {out / 'report.csv'} and {out / 'report.png'}\n")
    print(mistakes.report(out, args.assignment, rows[0]["students"]))
    return 0
