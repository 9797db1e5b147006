"""What a lesson in lessons/ promises a learner, read from the stored notebook.

nbval (``make test-lessons``) re-runs every lesson and compares its outputs with
the stored ones. These tests read the stored notebooks, whether or not a kernel
is available, and check:

- the lesson exists, is a valid notebook, and was stored executed, top to bottom;
- no cell failed and nothing was written to stderr;
- at least two figures among its outputs, and at least one widget;
- a "Common mistakes" section and a link to its exercise notebook;
- prose in markdown, code that computes and prints: every number a markdown
  cell quotes appears in the output of an earlier code cell of the same lesson
  (the rules of what counts are in ``tests/lesson_text.py``), and no lesson
  opens with helper code or builds its sentences in code.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

from nnkit import _moved
from nnkit.tutor.exercises import ASSIGNMENT_IDS
from tests.lesson_text import printed_numbers, quoted_numbers, shows

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
LESSON_IDS = sorted({path.stem for path in LESSONS.glob("*.ipynb")} | set(ASSIGNMENT_IDS))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
FIGURE_MIMES = ("image/png", "image/svg+xml")
IGNORE_OUTPUT_TAG = "nbval-ignore-output"

lesson_ids = pytest.mark.parametrize("lesson_id", LESSON_IDS)

prose_rule = pytest.mark.parametrize("lesson_id", LESSON_IDS)


def load_lesson(lesson_id):
    path = LESSONS / f"{lesson_id}.ipynb"
    if not path.exists():
        pytest.fail(f"lessons/{lesson_id}.ipynb does not exist; every exercise has a lesson")
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]


def markdown_sources(notebook):
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def shows_widget(cell):
    return any(WIDGET_MIME in output.get("data", {}) for output in cell.outputs)


def figure_count(notebook):
    """Figures a reader sees on a static viewer (widget cells not counted)."""
    return sum(
        1
        for cell in code_cells(notebook)
        if not shows_widget(cell)
        for output in cell.outputs
        if any(mime in output.get("data", {}) for mime in FIGURE_MIMES)
    )


# --- the lessons ---------------------------------------------------------------


@lesson_ids
def test_lesson_is_a_valid_notebook(lesson_id):
    nbformat.validate(load_lesson(lesson_id))


@lesson_ids
def test_lesson_is_stored_executed_top_to_bottom(lesson_id):
    counts = [cell.execution_count for cell in code_cells(load_lesson(lesson_id))]
    assert counts, f"{lesson_id} has no code cells"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{lesson_id}: execution counts {counts} are not 1, 2, 3, ...; store the lesson "
        "executed from a fresh kernel (jupyter nbconvert --to notebook --execute --inplace)"
    )


@lesson_ids
def test_lesson_stores_its_explorers_pictures_as_they_are_drawn_now(lesson_id):
    """Before its kernel runs, a lesson shows the saved state of its widgets: the
    explorers' canvases (anywidget) with their first picture, not an older widget."""
    state = load_lesson(lesson_id).metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    models = {model["model_name"] for model in state.values()}
    assert "AnyModel" in models and "ImageModel" not in models, (
        f"{lesson_id} stores widgets {sorted(models)}: execute it again with the current "
        "explorers (jupyter nbconvert --to notebook --execute --inplace)")


@lesson_ids
def test_lesson_has_no_errors_and_nothing_on_stderr(lesson_id):
    for index, cell in enumerate(load_lesson(lesson_id).cells):
        for output in cell.get("outputs", []):
            assert output.output_type != "error", (
                f"{lesson_id} cell {index} stored an error: {output.get('ename')}: "
                f"{output.get('evalue')}"
            )
            is_stderr = output.output_type == "stream" and output.name == "stderr"
            assert not is_stderr, (
                f"{lesson_id} cell {index} wrote to stderr: {output.text[:200]!r}"
            )


@lesson_ids
def test_lesson_has_at_least_two_figures(lesson_id):
    count = figure_count(load_lesson(lesson_id))
    assert count >= 2, f"{lesson_id} stores {count} figure(s) outside its widgets; expected 2+"


@lesson_ids
def test_lesson_has_a_widget_whose_output_nbval_ignores(lesson_id):
    widget_cells = [cell for cell in code_cells(load_lesson(lesson_id)) if shows_widget(cell)]
    assert widget_cells, f"{lesson_id} shows no widget (no {WIDGET_MIME} output stored)"
    for cell in widget_cells:
        tags = cell.metadata.get("tags", [])
        assert IGNORE_OUTPUT_TAG in tags, (
            f"{lesson_id}: the widget cell starting {cell.source[:60]!r} is not tagged "
            f"{IGNORE_OUTPUT_TAG!r} (a widget's model id changes on every run)"
        )


@lesson_ids
def test_lesson_has_a_common_mistakes_section(lesson_id):
    heading = re.compile(r"^#{1,6}\s+.*common mistakes", re.IGNORECASE | re.MULTILINE)
    assert any(heading.search(source) for source in markdown_sources(load_lesson(lesson_id))), (
        f"{lesson_id} has no markdown heading containing 'Common mistakes'"
    )


@lesson_ids
def test_lesson_links_to_its_exercise(lesson_id):
    target = f"../exercises/{lesson_id}/{lesson_id}.ipynb"
    links = [
        match.group(1)
        for source in markdown_sources(load_lesson(lesson_id))
        for match in re.finditer(r"\]\(([^)\s]+)\)", source)
    ]
    assert target in links, f"{lesson_id} has no markdown link to {target}"
    assert (LESSONS / target).resolve().exists(), f"{lesson_id} links to {target}, missing"


# --- prose in markdown, numbers printed by the code above them ---------------------


def _output_text(output):
    """The text a reader sees of one output; a figure's or a widget's repr is not a result."""
    if output.output_type == "stream":
        return output.text
    data = output.get("data", {})
    if output.output_type in ("execute_result", "display_data") and not (
            WIDGET_MIME in data or any(mime in data for mime in FIGURE_MIMES)):
        return data.get("text/plain", "")
    return ""


def _starts(source, length=50):
    first = " ".join(source.split())
    return first if len(first) <= length else first[: length - 1] + "…"


def unprinted_numbers(notebook):
    """A sentence per number a markdown cell quotes that no earlier code output shows.

    Outputs of cells tagged nbval-ignore-output do not count: nbval does not
    compare them, so they could change without the test noticing.
    """
    printed = []
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            if IGNORE_OUTPUT_TAG not in cell.metadata.get("tags", []):
                for output in cell.get("outputs", []):
                    printed.extend(printed_numbers(_output_text(output)))
            continue
        if cell.cell_type != "markdown":
            continue
        for quoted in quoted_numbers(cell.source):
            if not shows(quoted, printed):
                problems.append(
                    f"cell {index} ({_starts(cell.source)!r}) quotes {quoted.text!r}, which no "
                    f"output of a code cell above it shows ({quoted.value:g}, rounded as written)")
    return problems


def _notebook(*cells):
    """A small notebook from ("md", text) and ("code", printed text, tags) tuples."""
    notebook = nbformat.v4.new_notebook()
    for kind, text, *tags in cells:
        if kind == "md":
            notebook.cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            cell = nbformat.v4.new_code_cell("print(...)")
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
            cell.metadata["tags"] = list(tags[0]) if tags else []
            notebook.cells.append(cell)
    return notebook


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("The exam neuron says 0.93, so $z = −0.3$ and ReLU gives 0.", ["0.93", "−0.3", "0"]),
        ("That network has 235,146 parameters, about 110M in BERT.", ["235,146", "110M"]),
        ("After 12 layers: $6.0 \\times 10^{-8}$, or 6.0 × 10⁻⁸; |z| up to 10⁴.",
         ["12", "6.0 \\times 10^{-8}", "6.0 × 10⁻⁸", "10⁴"]),
        ("## 4. One line\n\n1. Try it\n2. Then lesson 3, lessons 4 and 5.", []),
        ("Neuron 3 of layer 2 reads input 1 and answers class 0; 3 neurons.", ["3"]),
        ("Rosenblatt's perceptron (1958); float64, GPT-2, a 2D plot, x₁ and [01-neuron](x).",
         []),
        ("$z = w_1 x_1 + w_{12} x_2 + b$, $W^{(1)}$, $x^2$, $e^{-z}$", []),
        ("Call `leaky_relu(z, alpha=0.01)`, see <b>this</b> and https://ex.org/0.5.png.", []),
        ("A 2-3-1 network, and $x_1 + x_2 − 1$.", ["2", "3", "1", "1"]),
    ],
)
def test_quoted_numbers_are_found_and_names_indices_years_are_not(markdown, found):
    assert [q.text for q in quoted_numbers(markdown)] == found


def test_a_number_is_shown_only_by_an_earlier_output_rounded_as_written():
    notebook = _notebook(
        ("md", "Before any code: 0.93."),
        ("code", "sigmoid(z) = 0.9308615796566533\nz = -0.3\n"),
        ("md", "It gives 0.93 (not 0.94), z = −0.3 and 0.3 below zero, 1,000 tries."),
        ("code", "tries: 1,000\n"),
        ("code", "widget says 7.5\n", ["nbval-ignore-output"]),
        ("md", "And 1,000 and 7.5."),
    )
    problems = unprinted_numbers(notebook)
    assert [re.search(r"quotes '(.*?)', which", p).group(1) for p in problems] == [
        "0.93", "0.94", "1,000", "7.5"]
    assert problems[0].startswith("cell 0 ('Before any code: 0.93.')")


@prose_rule
def test_every_number_the_prose_quotes_is_printed_above_it(lesson_id):
    problems = unprinted_numbers(load_lesson(lesson_id))
    assert not problems, (
        f"lessons/{lesson_id}.ipynb: {len(problems)} number(s) in the text that no earlier "
        "output shows. Print each one in a code cell above the sentence (rounded as the text "
        "writes it), or take it out of the text; tests/lesson_text.py says what counts as "
        "a number.\n- " + "\n- ".join(problems))


# --- no helper boilerplate, no sentences built in code ----------------------------------

def _statements(source):
    """The Python statements of a cell, IPython's %magics left out."""
    python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
    return ast.parse(python).body


def _setup_cells(notebook):
    """The code cells before the second markdown cell: the set-up, after the introduction."""
    markdown_seen = 0
    setup = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            markdown_seen += 1
            if markdown_seen == 2:
                break
        elif cell.cell_type == "code" and cell.source.strip():
            setup.append(cell)
    return setup


def boilerplate(notebook):
    """Sentences naming each place a lesson opens with helpers or builds prose in code."""
    problems = []
    cells = code_cells(notebook)
    if cells and not all(isinstance(node, ast.Import | ast.ImportFrom)
                         for node in _statements(cells[0].source)):
        problems.append("the first code cell does more than import")
    for number, cell in enumerate(_setup_cells(notebook), start=1):
        defined = [node.name for node in ast.walk(ast.Module(_statements(cell.source), []))
                   if isinstance(node, ast.FunctionDef | ast.ClassDef)]
        if defined:
            problems.append(f"code cell {number} defines {', '.join(defined)} before the lesson "
                            "has taught anything: helpers belong in the library, with a docstring")
    for cell in cells:
        if re.search(r"\bMarkdown\(|\bsay\(", cell.source):
            problems.append(f"the code cell {_starts(cell.source)!r} builds text with "
                            "Markdown(...): write the sentence in a markdown cell")
        if any("text/markdown" in output.get("data", {}) for output in cell.outputs):
            problems.append(f"the code cell {_starts(cell.source)!r} shows markdown output")
        old = sorted({name for name in _moved.MOVED
                      if re.search(rf"\b{re.escape(name)}\b|from nnkit import .*\b"
                                   rf"{name.rpartition('.')[2]}\b", cell.source)})
        if old:
            problems.append(f"the code cell {_starts(cell.source)!r} imports the old "
                            f"path(s) {old}: import from nnkit.explore or nnkit.tutor")
    return problems


def test_boilerplate_is_found():
    notebook = _notebook(("md", "Intro"))
    notebook.cells += [
        nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np\nx = 1"),
        nbformat.v4.new_code_cell("def fmt(v):\n    return str(v)"),
        nbformat.v4.new_code_cell('from nnkit import plotting\nsay(f"z = {x}")'),
        nbformat.v4.new_markdown_cell("## 1. The first section"),
        nbformat.v4.new_code_cell("def taught_here(z):\n    return z"),
    ]
    problems = boilerplate(notebook)
    assert [p.split(" ")[1:3] for p in problems] == [
        ["first", "code"], ["cell", "2"], ["code", "cell"], ["code", "cell"]]
    assert "['nnkit.plotting']" in problems[-1]
    plain = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np\n"
                                  "from nnkit.explore import neuron"),
        nbformat.v4.new_code_cell("print(np.round(0.5, 2))")])
    assert boilerplate(plain) == []


@prose_rule
def test_lesson_opens_without_helpers_and_writes_its_prose_in_markdown(lesson_id):
    problems = boilerplate(load_lesson(lesson_id))
    assert not problems, f"lessons/{lesson_id}.ipynb:\n- " + "\n- ".join(problems)
