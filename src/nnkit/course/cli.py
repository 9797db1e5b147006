"""``nnkit-course``: the instructor's command.

Each subcommand lives in its own module of this package, exposing
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the
subcommand being run is imported, so ``nnkit-course --help`` is instant and
one subcommand's dependencies never slow down another. The options every
subcommand shares (``--course``, and ``--out`` for those that write files)
come from one parent parser, :func:`common_options`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .course_dir import CourseError

SUBCOMMANDS = {
    "build": ("nnkit.course.build", "generate the student notebooks (exercises/) from solutions/"),
    "check": ("nnkit.course.check",
              "fail unless exercises/ is up to date, the solutions pass and the blanks score 0"),
    "grade": ("nnkit.course.grade",
              "autograde an LMS download or a folder of submissions into grades.csv and feedback"),
    "report": ("nnkit.course.report",
               "show which tests the class lost points on and which mistakes it made"),
    "export": ("nnkit.course.export", "write the grades as the file Canvas or Moodle imports"),
    "demo-class": ("nnkit.course.demo",
                   "write a made-up class with known mistakes, as Canvas or Moodle hands it over"),
}
WRITES_FILES = {"grade": "grades.csv and feedback/", "report": "report.csv and report.png"}


def common_options(writes: str | None = None) -> argparse.ArgumentParser:
    """The parent parser of every subcommand: ``--course``, and ``--out`` when it writes files.

    >>> common_options("grades.csv").parse_args(["--out", "here"]).out.as_posix()
    'here'
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--course", metavar="DIR", type=Path, default=None,
                        help="the nbgrader course root (default: found from the working directory)")
    if writes:
        parent.add_argument("--out", metavar="DIR", type=Path, default=None,
                            help=f"where {writes} go (default: COURSE/grading-output/ASSIGNMENT)")
    return parent


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s module is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog="nnkit-course",
        description="Build, check and grade the nnkit course's nbgrader exercises.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, summary) in SUBCOMMANDS.items():
        subparser = subparsers.add_parser(name, help=summary, description=summary,
                                          parents=[common_options(WRITES_FILES.get(name))])
        if name == command:
            importlib.import_module(module_name).add_arguments(subparser)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """``argv`` (subcommand first) parsed as ``nnkit-course`` parses it.

    >>> parse_args(["build", "01-neuron"]).assignments
    ['01-neuron']
    """
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return build_parser(command if command in SUBCOMMANDS else None).parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run ``nnkit-course`` with ``argv`` (default: the command line); return its exit code."""
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    module = importlib.import_module(SUBCOMMANDS[args.command][0])
    try:
        return module.run(args)
    except CourseError as error:
        print(f"nnkit-course {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"nnkit-course {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
