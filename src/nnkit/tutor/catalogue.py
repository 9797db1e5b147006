"""The catalogue in ``docs/checks.md``: every exercise's own checks and known mistakes.

Both lists are generated from the exercises' specs, between marker comments
of ``docs/checks.md``; ``python -m nnkit.tutor.catalogue --update docs/checks.md``
rewrites them, and a test fails when the file is out of date.

>>> print(mistakes_markdown().splitlines()[2])
- `weighted_sum` — **the bias was left out** (`weighted_sum.forgot_bias`)
>>> print(exercise_checks_markdown().splitlines()[2].split(" | ")[0])
| `check_gate(student_gate_fn, truth_table, name=None)`
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
from pathlib import Path

from nnkit.tutor import exercises
from nnkit.tutor.misconceptions import GENERIC

SECTIONS = {"EXERCISE CHECKS": "exercise_checks_markdown", "MISCONCEPTIONS": "mistakes_markdown"}
"""Each marked section of docs/checks.md and the function that writes it."""


def mistakes_markdown() -> str:
    """Every known mistake, by exercise, generic ones last."""
    lines = []
    for exercise in exercises.all_exercises():
        lines.append(f"### {exercise.id}\n")
        lines.extend(f"- `{m.function}` — **{m.title}** (`{m.id}`)"
                     for name in exercise.graded for m in exercise.mistakes.of(name))
        lines.append("")
    lines.append("### any function\n")
    lines.extend(f"- any function — **{m.title}** (`{m.id}`)" for m in GENERIC.entries)
    return "\n".join(lines).rstrip() + "\n"


def exercise_checks_markdown() -> str:
    """A table of the checks defined in the exercises' specs, with their first docstring line."""
    lines = ["| check | exercise | what it checks |", "|---|---|---|"]
    for exercise in exercises.all_exercises():
        module = importlib.import_module(exercise.module)
        for name, function in vars(module).items():
            if name.startswith("check_") and getattr(function, "__module__", "") == module.__name__:
                summary = inspect.getdoc(function).splitlines()[0].replace("``", "`")
                signature = _without_annotations(inspect.signature(function))
                lines.append(f"| `{name}{signature}` | {exercise.id} | {summary} |")
    return "\n".join(lines) + "\n"


def _without_annotations(signature: inspect.Signature) -> str:
    plain = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=plain, return_annotation=inspect.Signature.empty))


def updated(text: str) -> str:
    """``text`` with every marked section regenerated."""
    for marker, function in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {marker}:[^\n]*-->\n).*?(<!-- /{marker} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"no section marked '<!-- {marker}: ... -->' ... "
                             f"'<!-- /{marker} -->' in the file")
        content = globals()[function]()
        text = pattern.sub(lambda m, content=content: f"{m.group(1)}\n{content}\n{m.group(2)}",
                           text)
    return text


def main(argv=None) -> None:
    """Print the catalogue, or rewrite its sections in a file with ``--update FILE``."""
    parser = argparse.ArgumentParser(prog="python -m nnkit.tutor.catalogue",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="FILE", help="rewrite the marked sections of FILE")
    args = parser.parse_args(argv)
    if args.update:
        path = Path(args.update)
        path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {path}")
    else:
        print(exercise_checks_markdown())
        print(mistakes_markdown(), end="")


if __name__ == "__main__":
    main()
