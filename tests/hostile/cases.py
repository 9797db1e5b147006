"""The hostile and broken submissions: one small generator function per case.

Each generator writes one student's folder. :data:`CASES` keeps, for every
case, what grading it must give: the score (``full``, ``zero`` or ``partial``,
i.e. more than 0 and less than full), the status in grades.csv, whether it is
flagged as suspected tampering, and whether the case needs the sandbox to
behave (reading the instructor's files succeeds without it, by design of the
fallback).
"""

from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tests.hostile.course import ASSIGNMENT, solution_code, student_notebook

NOTEBOOK = f"{ASSIGNMENT}.ipynb"


@dataclass(frozen=True)
class Case:
    """One hostile submission and what grading it must give."""

    name: str
    make: object
    score: str
    status: str = "graded"
    flagged: bool | None = False
    sandbox: bool = False
    feedback_has: tuple = ()
    feedback_lacks: tuple = ()
    message_has: str = ""
    notes: dict = field(default_factory=dict)


CASES: dict[str, Case] = {}


def case(score, **expected):
    """Register the decorated generator as a case named after it."""
    def register(make):
        name = make.__name__.replace("_", "-")
        CASES[name] = Case(name=name, make=make, score=score, **expected)
        return make
    return register


def good_answers(**replaced):
    """The instructor's answers, some replaced by other code."""
    answers = {"weighted_sum": solution_code("weighted_sum"), "relu": solution_code("relu")}
    answers.update({k: textwrap.dedent(v) for k, v in replaced.items()})
    return answers


WRONG_RELU = "import numpy as np\ndef relu(z):\n    return np.asarray(z, dtype=float)\n"
WRONG_SUM = "def weighted_sum(x, w, b):\n    return 0.0\n"
# Right for a single number, wrong for arrays: passes the tests once np.allclose lies.
RELU_ONLY_SCALARS = """import numpy as np
def relu(z):
    z = np.asarray(z, dtype=float)
    return z if z.ndim else max(float(z), 0.0)
"""


def write(folder: Path, notebook, name: str = NOTEBOOK) -> Path:
    """Write ``notebook`` into the student's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)
    return folder / name


def insert_cell(notebook, after_id, source):
    """A student code cell without nbgrader metadata, placed after cell ``after_id``."""
    index = next(i for i, c in enumerate(notebook.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == after_id)
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(textwrap.dedent(source)))
    return notebook


def cell_with_id(notebook, grade_id):
    """The (first) cell carrying ``grade_id``."""
    return next(c for c in notebook.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


# --- controls -------------------------------------------------------------

@case("full")
def good(folder, ctx):
    write(folder, student_notebook(good_answers()))


@case("zero")
def blank(folder, ctx):
    write(folder, student_notebook())


@case("partial")
def half_right(folder, ctx):
    write(folder, student_notebook(good_answers(relu=WRONG_RELU)))


# --- files that are broken or missing -------------------------------------

@case("zero", status="invalid notebook", feedback_lacks=("*",))
def invalid_json(folder, ctx):
    folder.mkdir(parents=True)
    text = nbformat.writes(student_notebook(good_answers()))
    (folder / NOTEBOOK).write_text(text[: len(text) // 2])


@case("zero", status="invalid notebook", feedback_lacks=("*",))
def json_but_not_a_notebook(folder, ctx):
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_text(json.dumps({"nbformat": 5, "content": "an essay"}))


@case("full")
def old_nbformat_3(folder, ctx):
    folder.mkdir(parents=True)
    notebook = student_notebook(good_answers())
    cells = [{"cell_type": c.cell_type, "metadata": dict(c.metadata),
              ("input" if c.cell_type == "code" else "source"): c.source,
              "outputs": [], "language": "python"} for c in notebook.cells]
    document = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                "worksheets": [{"cells": cells, "metadata": {}}]}
    (folder / NOTEBOOK).write_text(json.dumps(document))


@case("full", feedback_lacks=("AAAAAAAAAAAAAAAA",))
def hundred_mb_of_output(folder, ctx):
    notebook = student_notebook(good_answers())
    blob = "A" * (100 * 1024 * 1024)
    cell = cell_with_id(notebook, "weighted_sum")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": blob})]
    write(folder, notebook)


@case("zero", status="no notebook", feedback_lacks=("*",))
def no_notebook(folder, ctx):
    folder.mkdir(parents=True)
    (folder / "answers.py").write_text("def relu(z):\n    return max(0, z)\n")


@case("zero", status="no notebook", feedback_lacks=("*",))
def empty_folder(folder, ctx):
    folder.mkdir(parents=True)


@case("full", message_has="ignored")
def two_notebooks(folder, ctx):
    write(folder, student_notebook(good_answers()))
    write(folder, student_notebook(), name="scratch.ipynb")


@case("full", message_has="2 notebooks found")
def two_browser_copies(folder, ctx):
    old = write(folder, student_notebook(), name=f"{ASSIGNMENT} (1).ipynb")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    write(folder, student_notebook(good_answers()), name=f"{ASSIGNMENT} (2).ipynb")


@case("full", message_has="as 00-tiny.ipynb")
def renamed_by_browser(folder, ctx):
    write(folder, student_notebook(good_answers()), name=f"{ASSIGNMENT} (1).ipynb")


@case("full", message_has="as 00-tiny.ipynb")
def renamed_completely(folder, ctx):
    write(folder, student_notebook(good_answers()), name="my homework FINAL.ipynb")


@case("full")
def nested_in_a_subfolder(folder, ctx):
    write(folder / "submission" / "files", student_notebook(good_answers()))


# --- tampering with cells ---------------------------------------------------

@case("full", message_has="duplicated")
def duplicated_test_cell(folder, ctx):
    notebook = student_notebook(good_answers())
    copy = nbformat.from_dict(json.loads(json.dumps(cell_with_id(notebook, "test_relu"))))
    copy["id"] = "copy-of-test-relu"
    notebook.cells.append(copy)
    write(folder, notebook)


@case("full")
def split_test_cell(folder, ctx):
    notebook = student_notebook(good_answers())
    test = cell_with_id(notebook, "test_weighted_sum")
    first, second = test.source.split("\n", 1)
    test.source = first
    index = notebook.cells.index(test)
    tail = nbformat.from_dict(json.loads(json.dumps(test)))
    tail.source = second
    tail["id"] = "second-half"
    notebook.cells.insert(index + 1, tail)
    write(folder, notebook)


@case("partial", message_has="deleted")
def deleted_test_cell(folder, ctx):
    notebook = student_notebook(good_answers(relu=WRONG_RELU))
    notebook.cells.remove(cell_with_id(notebook, "test_relu"))
    write(folder, notebook)


@case("partial", message_has="edited")
def edited_test_cell(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM))
    cell_with_id(notebook, "test_weighted_sum").source = "print('all tests pass!')"
    write(folder, notebook)


@case("partial", message_has="changed to markdown")
def test_cell_made_markdown(folder, ctx):
    notebook = student_notebook(good_answers(relu=WRONG_RELU))
    test = cell_with_id(notebook, "test_relu")
    index = notebook.cells.index(test)
    notebook.cells[index] = nbformat.v4.new_markdown_cell(test.source, metadata=test.metadata)
    write(folder, notebook)


@case("full", message_has="lost its nbgrader metadata")
def metadata_stripped(folder, ctx):
    notebook = student_notebook(good_answers())
    for cell in notebook.cells:
        cell.metadata = {}
    write(folder, notebook)


@case("zero", message_has="setup was edited")
def edited_locked_cell(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=WRONG_RELU))
    cell_with_id(notebook, "setup").source = (
        "import numpy as np\nnp.allclose = lambda *a, **k: True\n")
    write(folder, notebook)


# --- code that prints, crashes, hangs or grows --------------------------------

@case("full")
def warning_on_stderr(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        import sys
        import warnings
        import numpy as np
        def relu(z):
            warnings.warn("relu: I am deprecated (not really)")
            print("debug: relu called", file=sys.stderr)
            return np.maximum(0.0, np.asarray(z, dtype=float))
        """)))


@case("partial", message_has="")
def infinite_loop(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        def relu(z):
            while True:
                pass
        """)))


@case("partial", message_has="ignored the interruption")
def loop_that_swallows_interrupts(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        import time
        def relu(z):
            while True:
                try:
                    time.sleep(0.05)
                except BaseException:
                    pass
        """)))


@case("partial", message_has="exited (code 0)")
def os_exit(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        import os
        def relu(z):
            os._exit(0)
        """)))


@case("full")
def sys_exit_in_a_scratch_cell(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "weighted_sum", "import sys\nsys.exit()\n"))


@case("partial", message_has="SIGSEGV")
def segfault(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        import ctypes
        def relu(z):
            return ctypes.string_at(0)
        """)))


@case("partial")
def memory_bomb(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        def relu(z):
            hoard = []
            while True:
                hoard.append(bytearray(50_000_000))
        """)))


@case("full", feedback_lacks=("line 199999",))
def two_hundred_thousand_lines(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "relu",
                              "for i in range(200_000):\n    print('line', i)\n"))


# --- code that tries to fool the checks -------------------------------------

@case("zero", flagged=True)
def allclose_always_true(folder, ctx):
    write(folder, student_notebook(good_answers(weighted_sum="""
        import numpy as np
        np.allclose = lambda *a, **k: True
        def weighted_sum(x, w, b):
            return 0.0
        """, relu=RELU_ONLY_SCALARS)))


@case("partial", flagged=True)
def always_equal_object(folder, ctx):
    write(folder, student_notebook(good_answers(relu="""
        import numpy as np
        class AlwaysEqual:
            def __eq__(self, other):
                return True
        def relu(z):
            if np.ndim(z) == 0:
                return AlwaysEqual()
            return np.maximum(0.0, np.asarray(z, dtype=float))
        """)))


@case("zero")
def numpy_py_beside_the_notebook(folder, ctx):
    write(folder, student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=WRONG_RELU)))
    fake = "def allclose(*a, **k):\n    return True\nasarray = None\n"
    (folder / "numpy.py").write_text(fake)
    (folder / "nnkit").mkdir()
    (folder / "nnkit" / "__init__.py").write_text("raise SystemExit('fake nnkit')\n")
    (folder / "conftest.py").write_text("import os\nos._exit(3)\n")
    (folder / "sitecustomize.py").write_text("import os\nos._exit(4)\n")


@case("zero", flagged=True)
def shadowing_numpy_at_run_time(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu="""
        def relu(z):
            return 0.0 if isinstance(z, float) and z < 0 else z
        """))
    folder.mkdir(parents=True)
    (folder / "numpy.py").write_text(
        "def allclose(*a, **k):\n    return True\n"
        "def asarray(x, dtype=None):\n    return type('A', (), {'shape': ()})()\n"
        "def array(x, dtype=None):\n    return x\n")
    write(folder, insert_cell(notebook, "setup", """
        import sys
        sys.path.insert(0, ".")
        for name in [m for m in sys.modules if m == "numpy" or m.startswith("numpy.")]:
            del sys.modules[name]
        import numpy as np
        """))


@case("zero", flagged=True)
def patches_nnkit_checking(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=RELU_ONLY_SCALARS))
    write(folder, insert_cell(notebook, "setup", """
        import sys, types
        import numpy as np
        try:
            import nnkit.checking as checking
        except ImportError:
            checking = types.ModuleType("nnkit.checking")
            sys.modules["nnkit.checking"] = checking
        for name in dir(checking):
            if name.startswith("check"):
                setattr(checking, name, lambda *a, **k: None)
        np.allclose = lambda *a, **k: True
        """))


@case("zero", flagged=True)
def behaves_differently_when_graded(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=RELU_ONLY_SCALARS))
    write(folder, insert_cell(notebook, "setup", """
        import os
        import numpy as np
        graded = any(k.startswith("NBGRADER") for k in os.environ) or "/home/student" != os.getcwd()
        print("grader detected" if graded else "no grader variables seen")
        np.allclose = lambda *a, **k: True
        """))


READ_ATTEMPT = """
import glob, os
found = []
targets = {targets!r}
for pattern in targets:
    for path in glob.glob(pattern, recursive=True):
        try:
            with open(path, "rb") as handle:
                found.append((path, handle.read(100)))
        except OSError:
            pass
print("read-" + ("succeeded" if found else "failed"), [p for p, _ in found])
source = [p for p in glob.glob("../../source/**/*.ipynb", recursive=True)]
print("source-" + ("visible" if source else "invisible"))
"""


@case("zero", sandbox=True, feedback_has=("read-failed", "source-invisible"),
      feedback_lacks=("read-succeeded", "source-visible"))
def reads_the_instructors_files(folder, ctx):
    targets = [str(Path(p)) for p in ctx["instructor_paths"]] + [
        "../../source/**/*.ipynb", "../../*/gradebook.db", "/work/*/solutions/*/*.ipynb",
        "/root/*.ipynb"]
    notebook = student_notebook()
    write(folder, insert_cell(notebook, "setup", READ_ATTEMPT.format(targets=targets)))


@case("zero", sandbox=True, feedback_has=("hidden-tests-not-found",),
      feedback_lacks=("hidden-tests-found",))
def searches_the_disk_for_hidden_tests(folder, ctx):
    notebook = student_notebook()
    write(folder, insert_cell(notebook, "setup", """
        import os
        import time
        hits, started = [], time.monotonic()
        skipped = ("/proc", "/sys", "/dev", "/usr")
        for top, dirs, files in os.walk("/"):
            dirs[:] = [d for d in dirs if os.path.join(top, d) not in skipped]
            if time.monotonic() - started > 1:
                break
            for name in files:
                if name.endswith(".ipynb"):
                    try:
                        with open(os.path.join(top, name), encoding="utf-8") as handle:
                            text = handle.read()
                    except (OSError, UnicodeDecodeError):
                        continue
                    if "BEGIN " + "HIDDEN TESTS" in text and "weighted_sum" in text:
                        hits.append(os.path.join(top, name))
        print("hidden-tests-" + ("found" if hits else "not-found"), hits[:3])
        """))


@case("zero", sandbox=True, feedback_has=("write-refused",),
      feedback_lacks=("write-allowed",))
def writes_outside_its_folder(folder, ctx):
    targets = [str(Path(p).parent / "planted.txt") for p in ctx["instructor_paths"]]
    notebook = student_notebook()
    write(folder, insert_cell(notebook, "setup", f"""
        written = []
        for path in {targets!r} + ["/tmp/planted.txt", "../planted.txt"]:
            try:
                with open(path, "w") as handle:
                    handle.write("x")
                written.append(path)
            except OSError:
                pass
        print("write-" + ("allowed" if written else "refused"), written)
        """))
