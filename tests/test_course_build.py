"""``nnkit-course build`` and ``check`` with real nbgrader, on a copy of the course.

The committed ``exercises/`` must be exactly what ``build`` produces, and
``check`` must pass on the committed course and fail, naming the notebook and
the reason, when an exercise is stale, a solution fails its tests, or a blank
notebook earns points.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import nbformat
import pytest

from nnkit.course import cli
from nnkit.course.course_dir import find_course_root, load_course
from nnkit.tutor.exercises import ASSIGNMENT_IDS

pytestmark = pytest.mark.grading

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = list(ASSIGNMENT_IDS)


def copy_course(target: Path) -> Path:
    """A copy of what a fresh clone has of the course: config, solutions, exercises."""
    (target / "course").mkdir(parents=True)
    shutil.copy2(ROOT / "course" / "nbgrader_config.py", target / "course")
    for folder in ("solutions", "exercises"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return target / "course"


def edit_cell(notebook: Path, grade_id: str, change) -> None:
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = change(cell.source)
            break
    else:
        raise AssertionError(f"no cell {grade_id} in {notebook}")
    nbformat.write(nb, notebook)


@pytest.fixture
def course(tmp_path):
    return copy_course(tmp_path / "clone")


def test_the_configuration_makes_course_the_root_over_solutions_and_exercises():
    course = load_course(ROOT / "course")
    assert course.root == ROOT / "course"
    assert course.source_dir == ROOT / "solutions"
    assert course.release_dir == ROOT / "exercises"
    assert list(course.assignments) == ASSIGNMENTS
    for assignment in ASSIGNMENTS:
        assert course.source_notebook(assignment).is_file()
        assert course.release_notebook(assignment).is_file()


def test_the_course_is_found_from_the_repository_and_below_it(tmp_path):
    assert find_course_root(ROOT) == ROOT / "course"
    assert find_course_root(ROOT / "solutions" / "01-neuron") == ROOT / "course"
    with pytest.raises(Exception, match=r"nbgrader_config\.py"):
        find_course_root(tmp_path)


def test_build_reproduces_the_committed_exercises_and_check_passes(course, capsys):
    assert cli.main(["build", "--course", str(course)]) == 0
    built = course.parent / "exercises"
    for assignment in ASSIGNMENTS:
        name = f"{assignment}/{assignment}.ipynb"
        assert filecmp.cmp(built / name, ROOT / "exercises" / name, shallow=False), (
            f"exercises/{name} is not what `nnkit-course build` produces; rebuild and commit it")
    assert (course / "gradebook.db").is_file()  # build records the assignments, as nbgrader does

    assert cli.main(["check", "--course", str(course)]) == 0
    out = capsys.readouterr().out
    for assignment in ASSIGNMENTS:
        assert f"{assignment}: ok" in out


def test_check_fails_on_a_stale_exercise(course, capsys):
    solution = course.parent / "solutions" / "01-neuron" / "01-neuron.ipynb"
    edit_cell(solution, "test_weighted_sum", lambda source: source.replace("Well done.", "Good."))

    assert cli.main(["check", "01-neuron", "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert "exercises/01-neuron/01-neuron.ipynb" in out
    assert "'test_weighted_sum': its source differs" in out
    assert "nnkit-course build" in out
    assert not (course / "gradebook.db").exists()  # check leaves the instructor's gradebook alone


def test_check_fails_on_a_hand_edited_or_missing_exercise(course, capsys):
    student = course.parent / "exercises" / "06-parameter-counting" / "06-parameter-counting.ipynb"
    edit_cell(student, "dense_params", lambda source: source + "\n# a hint added by hand")
    (course.parent / "exercises" / "06-parameter-counting" / "notes.txt").write_text("extra")

    assert cli.main(["check", "06-parameter-counting", "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert "06-parameter-counting.ipynb: differs from a fresh build" in out
    assert "cell" in out and "'dense_params'" in out
    assert "notes.txt: is not produced by the build" in out


def test_check_fails_when_a_solution_fails_or_a_blank_earns_points(course, capsys):
    solution = course.parent / "solutions" / "06-parameter-counting" / "06-parameter-counting.ipynb"
    # A solution that forgets the biases fails its own test ...
    edit_cell(solution, "dense_params",
              lambda source: source.replace("int(n_in) * int(n_out) + int(n_out)",
                                            "int(n_in) * int(n_out)"))
    # ... and a test that does not call the learner's code gives points for nothing.
    edit_cell(solution, "test_memory_bytes_errors",
              lambda source: "print('memory_bytes: no check at all')")
    # ... and a test cell that ends with a value: nbgrader would take it as the score.
    edit_cell(solution, "test_memory_bytes", lambda source: source + "\nmemory_bytes(2, \"int8\")")
    assert cli.main(["build", "06-parameter-counting", "--course", str(course)]) == 0
    capsys.readouterr()

    assert cli.main(["check", "06-parameter-counting", "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert "solutions/06-parameter-counting/06-parameter-counting.ipynb: test cell " \
           "'test_dense_params' fails on the solution" in out
    assert "test cell 'test_memory_bytes_errors' gives 1 of 1 points before anything " \
           "is implemented" in out
    assert "test cell 'test_memory_bytes' shows a value (2); nbgrader takes a number" in out


def test_the_command_explains_its_subcommands_and_refuses_unknown_assignments(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "check", "grade", "report"):
        assert command in out

    assert cli.main(["build", "07-transformers", "--course", str(ROOT / "course")]) == 2
    err = capsys.readouterr().err
    assert "unknown assignment 07-transformers" in err
    assert "01-neuron" in err
