"""How long each lesson and exercise takes to work through: an estimate, not a measurement.

Nobody has timed learners on this course yet, so the start page and the README
quote an estimate made from the notebooks themselves, with these rates:

- reading: 150 words of markdown a minute, a careful pace for technical prose;
- a lesson's code cell: 1 minute to run it and read what it prints;
- an explorer (a widget on the page): 5 minutes to try what the text suggests;
- an exercise's answer cell: 6 minutes to write it, run its test and fix it once.

Run ``python scripts/study_time.py`` from the repository root; it prints one row
per notebook. The rates are the assumption; change them here and the estimate
follows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_MINUTE = 150
MINUTES_PER_CODE_CELL = 1
MINUTES_PER_EXPLORER = 5
MINUTES_PER_ANSWER = 6
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def words(markdown: str) -> int:
    """Words a reader reads: code, LaTeX and link targets count as words too (they are read)."""
    return len(re.findall(r"\S+", markdown))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def lesson_minutes(path: Path) -> float:
    """Reading, running every code cell, and trying every explorer the lesson shows."""
    notebook = cells(path)
    reading = sum(words(source(c)) for c in notebook if c["cell_type"] == "markdown")
    code = [c for c in notebook if c["cell_type"] == "code" and source(c).strip()]
    explorers = sum(any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))
                    for c in code)
    return (reading / WORDS_PER_MINUTE + MINUTES_PER_CODE_CELL * len(code)
            + MINUTES_PER_EXPLORER * explorers)


def exercise_minutes(path: Path) -> float:
    """Reading the student notebook and filling in every answer cell."""
    notebook = cells(path)
    reading = sum(words(source(c)) for c in notebook if c["cell_type"] == "markdown")
    answers = sum(c.get("metadata", {}).get("nbgrader", {}).get("solution", False)
                  for c in notebook if c["cell_type"] == "code")
    return reading / WORDS_PER_MINUTE + MINUTES_PER_ANSWER * answers


def main() -> None:
    rows = [(p, lesson_minutes(p)) for p in sorted((ROOT / "lessons").glob("*.ipynb"))]
    rows += [(p, exercise_minutes(p)) for p in sorted((ROOT / "exercises").glob("*/*.ipynb"))]
    width = max(len(p.relative_to(ROOT).as_posix()) for p, _ in rows)
    print(f"{'notebook':{width}}  minutes (estimated)")
    for path, minutes in rows:
        print(f"{path.relative_to(ROOT).as_posix():{width}}  {minutes:4.0f}")


if __name__ == "__main__":
    main()
