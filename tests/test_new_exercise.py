"""A new lesson is its own files: a throw-away exercise added by its spec, lesson and solution.

The throw-away exercise takes the number after the course's last lesson (``NUMBER``,
8 while the course has seven lessons). A copy of the course gets three new files and
nothing else: the spec ``src/nnkit/tutor/exercises/e08_doubling.py`` (one graded
function with its reference, one known mistake, a hint and a slider challenge), the
lesson ``lessons/08-doubling.ipynb`` and the instructor's notebook
``solutions/08-doubling/08-doubling.ipynb``. A Python environment that imports
nnkit from the copy then shows that everything that lists exercises picks the
new one up: the registry and the course's assignments, ``nnkit-course build``
(the student notebook), the catalogue in ``docs/checks.md``, the checks and
their diagnosis, progress, the challenge, and ``nnkit-course grade`` with real
nbgrader (full marks, the mistake named, the challenge point from a stored answer).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPOSITORY = Path(__file__).resolve().parents[1]
from nnkit.tutor.exercises import all_exercises  # noqa: E402

NUMBER = 1 + max(exercise.lesson for exercise in all_exercises())
ASSIGNMENT = f"{NUMBER:02d}-doubling"

SPEC = '''\
"""Exercise NUMBER, doubling: a throw-away exercise that only exists in a test."""

import numpy as np

from nnkit.tutor.challenges import Challenge, Verdict
from nnkit.tutor.exercises import Exercise
from nnkit.tutor.misconceptions import Misconceptions, gave, numbers

MISTAKES = Misconceptions()


@MISTAKES.known("double", "halved", "halved instead of doubled",
                "the result is x / 2: the input was divided by 2 instead of multiplied.",
                "Multiply by 2.")
def _halved(t):
    return gave(t, numbers(t.arg(0, "x")) / 2)


def double(x):
    """The answer key: 2·x."""
    return 2.0 * np.asarray(x, dtype=float)


def _check_w1_is_two(values):
    if values["w1"] == 2.0:
        return Verdict(True, "Right: w1 is 2.")
    return Verdict(False, f"Not yet: w1 is {values['w1']}; set it to 2.")


EXERCISE = Exercise(
    id="ASSIGNMENT",
    title="Doubling",
    graded={"double": double},
    mistakes=MISTAKES,
    hints={"double": "Multiply by 2."},
    challenge=Challenge("doubling-w1", "Set w1 to 2.", "nnkit.explore.neuron:neuron_explorer",
                        {}, _check_w1_is_two),
)
'''.replace("NUMBER", str(NUMBER)).replace("ASSIGNMENT", ASSIGNMENT)

SOLUTION_CELLS = [
    ("setup", "code", {"locked": True}, "import numpy as np"),
    ("double", "code", {"solution": True},
     "def double(x):\n    ### BEGIN SOLUTION\n    return 2.0 * np.asarray(x, dtype=float)\n"
     "    ### END SOLUTION"),
    ("test_double", "code", {"grade": True, "locked": True, "points": 2},
     "from nnkit.tutor import check_function\n\n"
     "check_function(\"double\", double, ([1.0, 2.0],))\n"
     "### BEGIN HIDDEN TESTS\ncheck_function(\"double\", double, ([[3.0, -1.0]],))\n"
     "### END HIDDEN TESTS\nprint(\"double: right.\")"),
    ("test_challenge_doubling_w1", "code", {"grade": True, "locked": True, "points": 1},
     "from nnkit.tutor.challenges import check_stored\n\nprint(check_stored(\"doubling-w1\"))"),
]


def _solution_notebook():
    cells = [new_markdown_cell("# Exercise 7 — doubling")]
    for grade_id, _, flags, source in SOLUTION_CELLS:
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": False, "locked": False, "solution": False,
                                     "schema_version": 3, "grade_id": grade_id, **flags}
        cells.append(cell)
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


@pytest.fixture(scope="module")
def course_with_a_new_exercise(tmp_path_factory):
    """A copy of the course with the new exercise's three files, and a Python that imports it."""
    root = tmp_path_factory.mktemp("new-exercise")
    copy = root / "course-copy"
    for folder in ("src", "course", "solutions", "exercises", "lessons", "docs"):
        shutil.copytree(REPOSITORY / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "gradebook.db",
                                                      "challenge-answers", "*.egg-info"))
    (copy / f"src/nnkit/tutor/exercises/e{NUMBER:02d}_doubling.py").write_text(SPEC,
                                                                           encoding="utf-8")
    lesson = new_notebook(cells=[new_markdown_cell("# Lesson 7 — doubling"),
                                 new_code_cell("print(2 * 21)")])
    nbformat.write(lesson, copy / "lessons" / f"{ASSIGNMENT}.ipynb")
    (copy / "solutions" / ASSIGNMENT).mkdir()
    nbformat.write(_solution_notebook(), copy / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    environment = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)], check=True)
    packages = next(environment.glob("lib/python*/site-packages"))
    # the copy first, then everything this environment has installed (nbgrader, numpy, ...)
    (packages / "00-course-copy.pth").write_text(f"{copy / 'src'}\n", encoding="utf-8")
    (packages / "zz-installed.pth").write_text(
        "".join(f"import site; site.addsitedir({folder!r})\n"
                for folder in site.getsitepackages()), encoding="utf-8")
    return {"copy": copy, "python": str(environment / "bin" / "python"), "root": root}


def _python(course, code):
    # the installed commands nbgrader runs (alembic, ...) and the templates of the feedback
    # pages live beside this Python
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    jupyter = os.path.join(sys.prefix, "share", "jupyter")
    result = subprocess.run([course["python"], "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, cwd=course["root"], timeout=600,
                            env={**os.environ, "PATH": path, "JUPYTER_PATH": jupyter})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_copy_is_what_the_new_python_imports(course_with_a_new_exercise):
    out = _python(course_with_a_new_exercise, "import nnkit; print(nnkit.__file__)")
    assert out.startswith(str(course_with_a_new_exercise["copy"]))


def test_the_registry_the_checks_progress_and_the_challenge_know_the_new_exercise(
        course_with_a_new_exercise):
    out = _python(course_with_a_new_exercise, """
        import json
        from nnkit.tutor import check_function, exercises, progress
        from nnkit.tutor.challenges import check_answer, get_challenge
        from nnkit.tutor.messages import CheckFailed

        facts = {"ids": list(exercises.ASSIGNMENT_IDS),
                 "lesson": exercises.find("NEW_ASSIGNMENT").lesson,
                 "place": progress.place_of("double"),
                 "rows": [r for r in progress.Report(progress.empty()).rows()
                          if r[0] == "NEW_ASSIGNMENT"],
                 "challenge_lesson": get_challenge("doubling-w1").lesson,
                 "challenge": check_answer("doubling-w1", {"w1": 2.0}).passed}
        check_function("double", lambda x: [2.0, 4.0], ([1.0, 2.0],))
        try:
            check_function("double", lambda x: [0.5, 1.0], ([1.0, 2.0],))
        except CheckFailed as failure:
            facts["diagnosis"] = failure.misconception.id
        print(json.dumps(facts))
    """.replace("NEW_ASSIGNMENT", ASSIGNMENT))
    facts = json.loads(out)
    assert facts["ids"][-1] == ASSIGNMENT and len(facts["ids"]) == len(set(facts["ids"]))
    assert facts["lesson"] == NUMBER and facts["challenge_lesson"] == NUMBER
    assert facts["challenge"]
    assert facts["place"] == ASSIGNMENT
    assert facts["rows"] == [[ASSIGNMENT, "double", False]]
    assert facts["diagnosis"] == "double.halved"


DOCS = ("checks.md", "instructors.md", "challenges.md")


def test_the_catalogues_in_the_docs_list_the_new_exercise(course_with_a_new_exercise):
    copy = course_with_a_new_exercise["copy"]
    _python(course_with_a_new_exercise,
            "from nnkit.tutor import catalogue; catalogue.main(['--update', "
            + ", ".join(repr(str(copy / "docs" / name)) for name in DOCS) + "])")
    text = (copy / "docs" / "checks.md").read_text(encoding="utf-8")
    assert f"### {ASSIGNMENT}" in text and "`double.halved`" in text
    assignments = (copy / "docs" / "instructors.md").read_text(encoding="utf-8")
    assert f"| `{ASSIGNMENT}` | `double` | `doubling-w1` |" in assignments
    challenges = (copy / "docs" / "challenges.md").read_text(encoding="utf-8")
    assert f"| {NUMBER} | `doubling-w1` | `neuron_explorer` | Set w1 to 2. |" in challenges


@pytest.mark.grading
def test_build_and_grade_pick_up_the_new_exercise(course_with_a_new_exercise):
    course = course_with_a_new_exercise
    copy = course["copy"]
    _python(course, f"""
        from nnkit.course import cli
        raise SystemExit(cli.main(["build", "{ASSIGNMENT}", "--course", "{copy / 'course'}"]))
    """)
    student = nbformat.read(copy / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                            as_version=4)
    sources = "\n".join(cell.source for cell in student.cells)
    assert "raise NotImplementedError()" in sources and "HIDDEN TESTS" not in sources
    submissions = course["root"] / "submissions"
    answers = {"right": "return 2.0 * np.asarray(x, dtype=float)",
               "halved": "return np.asarray(x, dtype=float) / 2"}
    for name, body in answers.items():
        notebook = nbformat.read(copy / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                 as_version=4)
        notebook.cells[2].source = f"def double(x):\n    {body}"
        (submissions / name).mkdir(parents=True)
        nbformat.write(notebook, submissions / name / f"{ASSIGNMENT}.ipynb")
    _python(course, f"""
        from nnkit.tutor.challenges import save_answer
        save_answer("doubling-w1", {{"w1": 2.0}}, "{submissions / 'right'}")
        from nnkit.course import cli
        raise SystemExit(cli.main(["grade", "{ASSIGNMENT}", "{submissions}", "--course",
                                   "{copy / 'course'}", "--out", "{course['root'] / 'out'}",
                                   "--no-progress"]))
    """)
    with (course["root"] / "out" / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert float(rows["right"]["score"]) == float(rows["right"]["max_score"]) == 3.0
    assert float(rows["halved"]["score"]) == 0.0
    assert rows["right"]["status"] == rows["halved"]["status"] == "graded", rows
    feedback = course["root"] / "out" / "feedback" / "halved" / f"{ASSIGNMENT}.html"
    assert "divided by 2 instead of multiplied" in feedback.read_text(encoding="utf-8")
