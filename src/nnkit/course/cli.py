"""``nnkit-course``: the instructor's command.

Each subcommand lives in its own module of this package, exposing
``add_arguments(parser)`` and ``run(args) -> int``. Only the module of the
subcommand being run is imported, so ``nnkit-course --help`` is instant and
one subcommand's dependencies never slow down another.
"""

from __future__ import annotations

import argparse
import importlib
import sys

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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s module is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog="nnkit-course",
        description="Build, check and grade the nnkit course's nbgrader exercises.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, summary) in SUBCOMMANDS.items():
        subparser = subparsers.add_parser(name, help=summary, description=summary)
        if name == command:
            importlib.import_module(module_name).add_arguments(subparser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``nnkit-course`` with ``argv`` (default: the command line); return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    args = build_parser(command if command in SUBCOMMANDS else None).parse_args(argv)
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
