"""Structure checks for the lessons in lessons/.

nbval (``make test-lessons``) re-runs every lesson and compares its outputs with
the stored ones. These tests read the stored notebooks and check what a lesson
promises a learner, whether or not a kernel is available:

- the lesson exists, is a valid notebook, and was stored executed, top to bottom;
- no cell failed and nothing was written to stderr;
- at least two figures among its outputs, and at least one widget;
- a "Common mistakes" section and a link to its exercise notebook;
- no worked-example numbers typed into the prose: a number the text relies on is
  printed by a code cell, or the sentence itself is rendered by a code cell with
  ``IPython.display.Markdown(f"...")``.
"""

import re
from pathlib import Path

import nbformat
import pytest

from nnkit.tutor.exercises import ASSIGNMENT_IDS

LESSON_IDS = ASSIGNMENT_IDS
ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
FIGURE_MIMES = ("image/png", "image/svg+xml")
IGNORE_OUTPUT_TAG = "nbval-ignore-output"

lesson_ids = pytest.mark.parametrize("lesson_id", LESSON_IDS)


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


# --- what counts as a number typed into prose by hand -------------------------

FENCED_CODE = re.compile(r"```.*?```", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
BARE_URL = re.compile(r"https?://\S+")
HTML_TAG = re.compile(r"<[^>\n]*>")

HAND_TYPED_NUMBER = re.compile(
    r"""
      \d*\.\d+                          # a decimal: 0.93, −0.3, .25
    | \d{1,3}(?:,\d{3})+                # thousands grouped: 235,146
    | \d+\s?(?:[kKMBT]|GB|MB|kB|KB|TB|%)(?![A-Za-z])   # 110M, 175B, 14 GB, 93 %
    | \d{3,}                            # any number of three digits or more ...
    """,
    re.VERBOSE,
)
YEAR = re.compile(r"^(19|20)\d\d$")  # ... except a year, as in "Rosenblatt (1958)"


def hand_typed_numbers(markdown):
    """Numbers in a markdown cell's prose, outside code, links and years."""
    text = markdown
    for pattern in (FENCED_CODE, INLINE_CODE, LINK_TARGET, BARE_URL, HTML_TAG):
        text = pattern.sub(" ", text)
    return [m.group() for m in HAND_TYPED_NUMBER.finditer(text) if not YEAR.match(m.group())]


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("The exam neuron says 0.93.", ["0.93"]),
        ("So z = −0.3 and ReLU gives 0.", ["0.3"]),
        ("That network has 235,146 parameters.", ["235,146"]),
        ("GPT-3 has about 175B parameters, 14 GB in float16.", ["175B", "14 GB"]),
        ("Rosenblatt's perceptron (1958) and Cybenko (1989).", []),
        ("A 2-3-1 network; call `leaky_relu(z, alpha=0.01)` on `[784, 256]`.", []),
        ("See [the plot](https://example.org/fig-0.5.png).", []),
    ],
)
def test_hand_typed_number_detector(markdown, found):
    assert hand_typed_numbers(markdown) == found


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


@lesson_ids
def test_lesson_prose_has_no_hand_typed_numbers(lesson_id):
    offending = {
        index: numbers
        for index, cell in enumerate(load_lesson(lesson_id).cells)
        if cell.cell_type == "markdown" and (numbers := hand_typed_numbers(cell.source))
    }
    assert not offending, (
        f"{lesson_id}: markdown cells (by index) with numbers typed by hand: {offending}. "
        "Print the number from a code cell, or render the sentence from code with "
        'IPython.display.Markdown(f"...")'
    )
