"""The hostile and broken submissions: one small generator function per case.

Each generator writes one student's folder (or, for the cases about the top
of SUBMISSIONS, whatever entry it is about). :data:`CASES` keeps, for every
case, what grading it must give: the score (``full``, ``zero`` or ``partial``,
i.e. more than 0 and less than full), the status in grades.csv, whether it is
flagged as suspected tampering, the limits its row must name, and whether
the case needs the sandbox to behave (reading the instructor's files succeeds
without it, by design of the fallback). ``student`` is the row's student
when it differs from the case's name; a case with ``row=False`` gets no row
but a warning containing ``warning_has``.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
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
    limits: tuple = ()
    student: str | None = None
    row: bool = True
    warning_has: str = ""
    kill_worker: bool = False
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


@case("partial", flagged=None)
def calls_the_library(folder, ctx):
    """relu that hands the work to nnkit.relu, and tries again when the call is refused."""
    write(folder, student_notebook(good_answers(relu="""
        import nnkit

        def relu(z):
            try:
                return nnkit.relu(z)
            except Exception:
                return nnkit.relu(z)
        """)))


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
def patches_nnkit_checks(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=RELU_ONLY_SCALARS))
    write(folder, insert_cell(notebook, "setup", """
        import numpy as np
        import nnkit.checking, nnkit.tutor, nnkit.tutor.checks
        for checks in (nnkit.checking, nnkit.tutor, nnkit.tutor.checks):
            for name in dir(checks):
                if name.startswith("check"):
                    setattr(checks, name, lambda *a, **k: None)
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


# --- files a student folder should not hold --------------------------------------

@case("zero", status="refused", flagged=True, message_has="is a link to",
      feedback_lacks=("*",))
def notebook_links_to_the_solution(folder, ctx):
    folder.mkdir(parents=True)
    os.symlink(ctx["instructor_paths"][0], folder / NOTEBOOK)


@case("zero", status="refused", flagged=True, message_has="is a link to",
      feedback_lacks=("*",))
def notebook_links_to_a_classmate(folder, ctx):
    folder.mkdir(parents=True)
    os.symlink(f"../{ctx['classmate']}/{NOTEBOOK}", folder / NOTEBOOK)


@case("zero", status="refused", flagged=True, message_has="is a link to another folder",
      feedback_lacks=("*",))
def folder_is_a_link(folder, ctx):
    os.symlink(ctx["classmate"], folder)


@case("full", message_has="is a named pipe (FIFO) (not read)")
def fifo_in_the_folder(folder, ctx):
    write(folder, student_notebook(good_answers()))
    os.mkfifo(folder / "data.csv")
    os.mkfifo(folder / "scratch.ipynb")


@case("full", message_has="is a socket (not read)")
def socket_and_device_in_the_folder(folder, ctx):
    import socket

    write(folder, student_notebook(good_answers()))
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "listening"))
    server.close()
    with contextlib.suppress(OSError):  # not root: the socket alone makes the case
        os.mknod(folder / "zero", 0o600 | stat.S_IFCHR, os.makedev(1, 5))


@case("full", message_has="data.txt is a link to /etc/passwd (not followed)")
def data_file_links_outside(folder, ctx):
    write(folder, student_notebook(good_answers()))
    os.symlink("/etc/passwd", folder / "data.txt")


# --- replies the grader did not ask for ---------------------------------------

CHANNEL = """
import os
channel = []
for fd in os.listdir("/proc/self/fd"):
    try:
        if int(fd) > 2 and os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
            channel.append(int(fd))
    except OSError:
        pass
"""


@case("partial", status="grader error", flagged=True, message_has="malformed reply")
def writes_garbage_on_the_reply_channel(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "test_weighted_sum", CHANNEL + """
for fd in channel:
    os.write(fd, b"this is not a reply\\n")
"""))


@case("zero", status="grader error", flagged=True, message_has="malformed reply")
def forges_passing_replies(folder, ctx):
    notebook = student_notebook(good_answers(weighted_sum=WRONG_SUM, relu=WRONG_RELU))
    write(folder, insert_cell(notebook, "setup", CHANNEL + """
import json
for fd in channel:
    for index in range(2, 7):
        os.write(fd, (json.dumps({"index": index, "stdout": "", "result": None,
                                  "error": None, "seconds": 0.0}) + "\\n").encode())
"""))


# --- student text that must stay text ---------------------------------------

@case("partial", message_has="as 00-tiny.ipynb",
      feedback_has=("<script>alert('nnkit-xss')</script>",))
def html_and_script_in_messages(folder, ctx):
    notebook = student_notebook(good_answers(relu="""
        def relu(z):
            print("<b id='nnkit-xss'>bold</b>")
            raise ValueError("<script>alert('nnkit-xss')</script>")
        """))
    write(folder, notebook, name="<img src=x onerror=alert('nnkit-xss')>.ipynb")


@case("zero", status="invalid notebook", student="'=HYPERLINK(\"evil.example\",\"y\")",
      message_has="is not valid JSON", feedback_lacks=("*",))
def formula_in_the_folder_name(folder, ctx):
    folder = folder.parent / '=HYPERLINK("evil.example","y")'
    folder.mkdir(parents=True)
    (folder / "@SUM(1+1).ipynb").write_text('{"cells": [')


@case("partial", student="caf\ufffd-student")
def lone_surrogates_nul_and_a_non_utf8_name(folder, ctx):
    folder = Path(os.fsdecode(os.fsencode(folder.parent) + b"/caf\xe9-student"))
    write(folder, student_notebook(good_answers(relu="""
        def relu(z):
            print("lone \\ud800 surrogate and a NUL \\x00 byte")
            raise ValueError("bad \\udcff text \\x00 here")
        """)))


@case("zero", status="refused", student="Jos\u00e9", message_has="all belong to student",
      feedback_lacks=("*",))
def two_folders_one_student(folder, ctx):
    for name in ("Jos\u00e9", "Jose\u0301"):
        write(folder.parent / name, student_notebook(good_answers()))


@case("zero", row=False, warning_has="skipped stray-file-at-the-top.ipynb: a file")
def stray_file_at_the_top(folder, ctx):
    folder.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student_notebook(good_answers()), folder.parent / f"{folder.name}.ipynb")


@case("zero", row=False, warning_has="skipped .hidden-folder-at-the-top: a hidden")
def hidden_folder_at_the_top(folder, ctx):
    write(folder.parent / f".{folder.name}", student_notebook(good_answers()))


# --- one student's limits -----------------------------------------------------

@case("full", sandbox=True, limits=("processes",))
def fork_bomb(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "test_relu", """
import os, threading, time
started = 0
try:
    for _ in range(10_000):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        started += 1
except OSError:
    pass
try:
    for _ in range(10_000):
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
except RuntimeError:
    pass
print("started", started, "processes before the limit")
"""))


@case("full", sandbox=True, limits=("disk",), feedback_has=("disk-full",))
def fills_the_disk(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "test_relu", """
import os
try:
    for number in range(1000):
        with open(f"filler-{number}.bin", "wb") as handle:
            handle.write(b"x" * 10_000_000)
except OSError as error:
    print("disk-full" if error.errno == 28 else f"other error {error}")
    raise
"""))


@case("full", sandbox=True, limits=("shared memory",), feedback_has=("shm-full", "dev-read-only"))
def fills_shared_memory(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "test_relu", """
try:
    open("/dev/planted", "w").write("x")
    print("dev-writable")
except OSError:
    print("dev-read-only")
try:
    with open("/dev/shm/filler", "wb") as handle:
        for _ in range(1000):
            handle.write(b"x" * 1_000_000)
            handle.flush()
except OSError as error:
    print("shm-full" if error.errno == 28 else f"other error {error}")
    raise
"""))


@case("partial", limits=("output",), feedback_lacks=("y" * 5000, "z" * 5000))
def floods_output_through_errors_and_values(folder, ctx):
    notebook = student_notebook(good_answers(relu="""
        def relu(z):
            raise ValueError("z" * 10_000_000)
        """))
    write(folder, insert_cell(notebook, "relu", '"y" * 5_000_000\n'))


@case("full", limits=("cells",), message_has="cell limit")
def ten_thousand_cells(folder, ctx):
    notebook = student_notebook(good_answers())
    notebook.cells.extend(nbformat.v4.new_code_cell(f"x{i} = {i}") for i in range(10_000))
    write(folder, notebook)


@case("full", limits=("notebook time",), message_has="notebook time limit")
def sleeps_in_every_cell(folder, ctx):
    notebook = student_notebook(good_answers())
    notebook.cells.extend(nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)")
                          for _ in range(40))
    write(folder, notebook)


@case("zero", status="grader error", kill_worker=True, message_has="grading worker died",
      feedback_lacks=("*",))
def worker_killed_mid_batch(folder, ctx):
    # honest work that takes a few seconds, so the kill half a second in always
    # lands while it is being graded, however quick the machine
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "setup", "import time\ntime.sleep(4)\n"))


# --- nothing of the grader's reaches student code -------------------------------

@case("full", sandbox=True, feedback_has=("environment-clean",),
      feedback_lacks=("grader-secret-6b1f", "environment-leaked"))
def reads_the_graders_environment(folder, ctx):
    notebook = student_notebook(good_answers())
    write(folder, insert_cell(notebook, "setup", """
import glob, os
seen = dict(os.environ)
for path in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline"):
    try:
        seen[path] = open(path, "rb").read().decode(errors="replace")
    except OSError:
        pass
text = repr(seen)
print("environment-" + ("leaked" if "grader-secret" in text else "clean"))
print(text[:3000])
"""))


STACK_WALK = """
import gc
import sys

NEEDLES = ("BEGIN " + "HIDDEN", "assert " + "relu(-7.0)", "different " + "lengths should")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in list(value.values()):
            if isinstance(item, str):
                yield item
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, str):
                yield item


def hidden_source_found():
    found = []
    frame = sys._getframe()
    values = []
    while frame is not None:
        values += list(frame.f_locals.values()) + list(frame.f_globals.values())
        frame = frame.f_back
    values += gc.get_objects()
    for value in values:
        for text in _strings(value):
            if text not in NEEDLES and any(needle in text for needle in NEEDLES):
                found.append(text[:200])
    return found
"""


@case("full", feedback_lacks=("BEGIN HIDDEN", "hidden source found"))
def walks_the_stack_for_hidden_tests(folder, ctx):
    notebook = student_notebook(good_answers(relu=STACK_WALK + """
import numpy as np


def relu(z):
    found = hidden_source_found()
    if found:
        raise RuntimeError("hidden source " + "found: " + " | ".join(found))
    return np.maximum(0.0, np.asarray(z, dtype=float))
"""))
    write(folder, notebook)
