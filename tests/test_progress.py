"""nnkit.tutor.progress: recording passes, showing them, download and restore, merging."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest

import nnkit
from nnkit.tutor import CheckFailed, check_count, check_function, exercises, progress


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "home" / ".nnkit" / "progress.json"
    monkeypatch.setenv("NNKIT_PROGRESS", str(path))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return path


def test_a_passing_check_is_recorded_under_its_assignment(store):
    check_function("relu", lambda z: np.maximum(0, z), ([-1.0, 2.0],))
    check_count("mlp_params", lambda s: 235146, ([784, 256, 128, 10],))
    assert progress.passed() == {"02-activations": ["relu"], "06-parameter-counting":
                                 ["mlp_params"]}
    entry = json.loads(store.read_text())["passed"]["02-activations"]["relu"]
    assert entry["count"] == 1 and entry["first"] == entry["last"]


def test_a_failing_check_records_nothing(store):
    with pytest.raises(CheckFailed):
        check_function("relu", np.abs, ([-1.0, 2.0],))
    assert progress.passed() == {}


def test_passing_twice_counts_and_keeps_the_first_time(store):
    progress.record("01-neuron", "neuron", when="2026-01-02T00:00:00+00:00")
    progress.record("01-neuron", "neuron", when="2026-01-01T00:00:00+00:00")
    entry = progress.load()["passed"]["01-neuron"]["neuron"]
    assert entry == {"first": "2026-01-01T00:00:00+00:00",
                     "last": "2026-01-02T00:00:00+00:00", "count": 2}


def test_challenges_record_with_the_same_function(store):
    assert progress.record("01-neuron", "challenge: neuron-switch")
    assert "challenge: neuron-switch" in progress.passed()["01-neuron"]


def test_the_display_lists_every_graded_function_and_marks_the_passed(store):
    progress.record("03-layers", "dense")
    progress.record("01-neuron", "challenge: neuron-switch")
    text = str(nnkit.progress())
    graded = sum(len(exercise.graded) for exercise in exercises.all_exercises())
    assert f"1 of {graded} graded functions passed" in text
    assert "  [x] dense" in text and "  [ ] collapse_linear" in text
    assert "  [x] challenge: neuron-switch" in text
    html = nnkit.progress()._repr_html_()
    assert "<code>dense</code></td><td>✔ passed" in html
    assert "<code>xor_network</code></td><td>·" in html


def test_nothing_is_written_while_nbgrader_grades(store, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    check_function("relu", lambda z: np.maximum(0, z), ([-1.0, 2.0],))
    assert progress.record("01-neuron", "neuron") is False
    assert not store.exists()


def test_a_file_that_cannot_be_written_never_fails_a_check(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NNKIT_PROGRESS", str(blocker / "progress.json"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    got = check_function("relu", lambda z: np.maximum(0, z), ([-1.0, 2.0],))
    assert got.tolist() == [0.0, 2.0]
    assert progress.record("01-neuron", "neuron") is False


def test_a_corrupted_file_is_reported_clearly_and_left_alone(store):
    store.parent.mkdir(parents=True)
    store.write_text('{"format": "nnkit-progress", "passed": {')
    with pytest.raises(progress.ProgressError, match=r"is not a progress file \(it is not "
                                                     r"valid JSON.*line 1"):
        progress.load()
    report = nnkit.progress()
    assert "could not read it" in str(report) and "not valid JSON" in str(report)
    assert check_function("relu", lambda z: np.maximum(0, z), ([1.0],)).tolist() == [1.0]
    assert store.read_text() == '{"format": "nnkit-progress", "passed": {'


def test_json_of_the_wrong_kind_is_refused(store):
    with pytest.raises(progress.ProgressError, match='expected a JSON object with "format"'):
        progress.parse("[1, 2, 3]", "upload.json")


def test_download_and_restore_round_trip_into_a_new_session(store, tmp_path, monkeypatch):
    progress.record("01-neuron", "weighted_sum")
    progress.record("05-universal-approximation", "approximate")
    downloaded = progress.export_bytes()
    link = progress.download_link()
    assert link.startswith('<a download="nnkit-progress.json" href="data:application/json;'
                           'base64,')
    monkeypatch.setenv("NNKIT_PROGRESS", str(tmp_path / "new-session" / "progress.json"))
    assert progress.passed() == {}
    progress.restore(downloaded)
    assert progress.passed() == {"01-neuron": ["weighted_sum"],
                                 "05-universal-approximation": ["approximate"]}
    saved = tmp_path / "saved.json"
    saved.write_bytes(downloaded)
    progress.restore(saved)  # a path works too, and restoring twice changes nothing
    assert progress.load() == progress.parse(downloaded)


def test_restore_merges_keeping_the_union(store):
    progress.record("02-activations", "relu", when="2026-03-01T00:00:00+00:00")
    other = progress.empty()
    other["passed"] = {"02-activations": {"relu": {"first": "2026-01-01T00:00:00+00:00",
                                                   "last": "2026-01-01T00:00:00+00:00",
                                                   "count": 3}},
                       "04-forward-pass": {"forward": {"first": "t", "last": "t", "count": 1}}}
    merged = progress.restore(json.dumps(other).encode())
    assert merged["passed"]["02-activations"]["relu"] == {
        "first": "2026-01-01T00:00:00+00:00", "last": "2026-03-01T00:00:00+00:00", "count": 3}
    assert progress.passed() == {"02-activations": ["relu"], "04-forward-pass": ["forward"]}


def test_restoring_garbage_changes_nothing(store):
    progress.record("02-activations", "relu")
    before = store.read_bytes()
    with pytest.raises(progress.ProgressError, match="the uploaded file is not a progress file"):
        progress.restore(b"\x89PNG not json")
    assert store.read_bytes() == before


def test_the_widget_restores_an_uploaded_file(store):
    pytest.importorskip("ipywidgets")
    other = progress.empty()
    other["passed"] = {"03-layers": {"dense": {"first": "t", "last": "t", "count": 1}}}
    box = progress.widget()
    table, row, message = box.children
    upload = row.children[1]
    upload.value = ({"name": "nnkit-progress.json", "type": "application/json", "size": 1,
                     "content": memoryview(json.dumps(other).encode()),
                     "last_modified": datetime(2026, 1, 1, tzinfo=UTC)},)
    assert "Restored nnkit-progress.json" in message.value
    assert progress.passed() == {"03-layers": ["dense"]}
    assert "<code>dense</code></td><td>✔ passed" in table.value


def test_the_start_page_shows_the_progress_widget(store):
    from pathlib import Path

    import nbformat

    start = Path(__file__).resolve().parents[1] / "start.ipynb"
    notebook = nbformat.read(start, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "nnkit.progress.widget()" in code
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
