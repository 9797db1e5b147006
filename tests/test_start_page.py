"""The start page (start.ipynb): every lesson and exercise linked, and its claims about time true.

The browser tests click the links; these read them, with no browser, so that
a lesson added to lessons/ without its line on the start page is noticed
everywhere. The time per lesson and per exercise is an estimate made by
scripts/study_time.py from the notebooks; the range the start page and the
README quote must hold for every notebook, so a new or longer lesson that
falls outside it fails here until the text is changed.
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "start.ipynb"
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")

LESSON_MINUTES = (35, 65)
EXERCISE_MINUTES = (30, 60)
STATED = (f"About {LESSON_MINUTES[0]} to {LESSON_MINUTES[1]} minutes per lesson and "
          f"{EXERCISE_MINUTES[0]} to {EXERCISE_MINUTES[1]} per exercise")


def start_page_text():
    return "\n".join(cell.source for cell in nbformat.read(START, as_version=4).cells
                     if cell.cell_type == "markdown")


def relative_links(text):
    return [href for href in LINK.findall(text) if "://" not in href and not href.startswith("#")]


def study_time():
    spec = importlib.util.spec_from_file_location("study_time", ROOT / "scripts" / "study_time.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_start_page_links_every_lesson_and_its_exercise():
    links = relative_links(start_page_text())
    for lesson in LESSONS:
        exercise = f"exercises/{lesson.stem}/{lesson.name}"
        assert f"lessons/{lesson.name}" in links, f"start.ipynb has no link to {lesson.name}"
        assert exercise in links, f"start.ipynb has no link to {exercise}"


def test_every_relative_link_of_the_start_page_exists():
    for href in relative_links(start_page_text()):
        assert (ROOT / href).exists(), f"start.ipynb links to {href}, which does not exist"


def test_the_start_page_says_what_is_assumed_and_what_is_left_out():
    text = start_page_text()
    for heading in ("## Before you start", "## How long it takes", "## What the course leaves out"):
        assert heading in text
    assert "https://numpy.org/doc/stable/user/absolute_beginners.html" in text


@pytest.mark.parametrize("document", ["start.ipynb", "README.md"])
def test_the_time_quoted_is_the_estimate_and_says_how_it_is_made(document):
    text = start_page_text() if document == "start.ipynb" else (ROOT / "README.md").read_text()
    assert STATED in " ".join(text.split()), f"{document} does not say {STATED!r}"
    assert "scripts/study_time.py" in text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_each_lesson_and_exercise_is_within_the_time_quoted(lesson):
    estimate = study_time()
    minutes = estimate.lesson_minutes(lesson)
    assert LESSON_MINUTES[0] <= minutes <= LESSON_MINUTES[1], (
        f"{lesson.name}: estimated {minutes:.0f} minutes, outside the {LESSON_MINUTES} the "
        "start page and the README quote: change the text (or the lesson)")
    exercise = ROOT / "exercises" / lesson.stem / lesson.name
    if exercise.exists():
        minutes = estimate.exercise_minutes(exercise)
        assert EXERCISE_MINUTES[0] <= minutes <= EXERCISE_MINUTES[1], (
            f"{exercise.name}: estimated {minutes:.0f} minutes, outside the {EXERCISE_MINUTES} "
            "the start page and the README quote: change the text (or the exercise)")
