"""The catalogue in the docs: the assignments, every exercise's own checks and known mistakes.

The tables are generated from the exercises' specs, between marker comments
of ``docs/checks.md``, ``docs/instructors.md`` and ``docs/challenges.md``;
``python -m nnkit.tutor.catalogue --update docs/checks.md docs/instructors.md
docs/challenges.md`` rewrites them, and a
test fails when a file is out of date.

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

SECTIONS = {"ASSIGNMENTS": "assignments_markdown", "EXERCISE CHECKS": "exercise_checks_markdown",
            "MISCONCEPTIONS": "mistakes_markdown", "CHALLENGES": "challenges_markdown"}
"""Each section a file may mark, and the function that writes it."""


def assignments_markdown() -> str:
    """A table of the assignments: id, graded functions and slider challenge.

    >>> print(assignments_markdown().splitlines()[2])
    | `01-neuron` | `weighted_sum`, `neuron`, `and_gate`, `or_gate`, `nand_gate` | `neuron-switch` |
    """
    lines = ["| assignment | graded functions | slider challenge |", "|---|---|---|"]
    for exercise in exercises.all_exercises():
        functions = ", ".join(f"`{name}`" for name in exercise.graded)
        challenge = f"`{exercise.challenge.id}`" if exercise.challenge else "—"
        lines.append(f"| `{exercise.id}` | {functions} | {challenge} |")
    return "\n".join(lines) + "\n"


def challenges_markdown() -> str:
    """A table of the slider challenges: lesson, id, explorer and the goal as the learner reads it.

    >>> print(challenges_markdown().splitlines()[2][:48])
    | 1 | `neuron-switch` | `neuron_explorer` | With
    """
    lines = ["| lesson | id | explorer | goal |", "|---|---|---|---|"]
    for exercise in exercises.all_exercises():
        challenge = exercise.challenge
        if challenge is not None:
            explorer = challenge.explorer.rpartition(":")[2]
            goal = " ".join(challenge.statement.split())
            lines.append(f"| {exercise.lesson} | `{challenge.id}` | `{explorer}` | {goal} |")
    return "\n".join(lines) + "\n"


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
    """``text`` with every section it marks regenerated; it must mark at least one."""
    found = False
    for marker, function in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {marker}:[^\n]*-->\n).*?(<!-- /{marker} -->)", re.S)
        if not pattern.search(text):
            continue
        found = True
        content = globals()[function]()
        text = pattern.sub(lambda m, content=content: f"{m.group(1)}\n{content}\n{m.group(2)}",
                           text)
    if not found:
        raise ValueError("no section marked '<!-- NAME: ... -->' ... '<!-- /NAME -->' in the "
                         f"file; known names: {', '.join(SECTIONS)}")
    return text


def main(argv=None) -> None:
    """Print the catalogue, or rewrite its sections in a file with ``--update FILE``."""
    parser = argparse.ArgumentParser(prog="python -m nnkit.tutor.catalogue",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="FILE", nargs="+",
                        help="rewrite the marked sections of each FILE")
    args = parser.parse_args(argv)
    for name in args.update or ():
        path = Path(name)
        path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {path}")
    if not args.update:
        print(assignments_markdown())
        print(exercise_checks_markdown())
        print(mistakes_markdown(), end="")


if __name__ == "__main__":
    main()
