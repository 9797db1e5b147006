"""Everything that comes back from a sandboxed process, decoded against a schema.

The sandboxed processes run student code, and student code can write on
their reply channel. So the grader's process never takes a reply as it comes:
each one is parsed with a size cap, checked field by field (types, lengths,
numbers of items, allowed names), and turned into the grader's own types
(:class:`~nnkit.course.outcome.CellOutcome`, plain values). Anything else
raises :class:`MalformedReply`; the student's row then says "grader error:
malformed reply" and is flagged as suspected tampering, since the grader's
own processes never send such a thing.
"""

from __future__ import annotations

import json
import math

from nnkit.course import plain
from nnkit.course.outcome import CellError, CellOutcome, Limit
from nnkit.course.safe_text import clean

MAX_ENAME = 100
MAX_EVALUE = 2_000
MAX_RESULT = 2_000
MAX_LINES = 10
MAX_LINE = 400
MAX_CALLS = 2_000
MAX_CONTAINERS = 20_000
CUT_NOTE_ROOM = 200


class MalformedReply(ValueError):
    """A reply the grader's own processes would never send."""


def parse_line(line: bytes) -> dict:
    """One JSON object from a reply line, refusing structures built to exhaust memory."""
    if line.count(b"[") + line.count(b"{") > MAX_CONTAINERS:
        raise MalformedReply("a reply with too many nested values")
    try:
        message = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise MalformedReply(f"a reply that is not JSON ({type(error).__name__})") from None
    if not isinstance(message, dict):
        raise MalformedReply("a reply that is not a JSON object")
    return message


def _no_constant(name):
    raise ValueError(f"JSON constant {name}")


def _keys(message: dict, allowed: set, required: set = frozenset()) -> None:
    if not isinstance(message, dict):
        raise MalformedReply("a reply that is not an object")
    extra = set(message) - allowed
    missing = set(required) - set(message)
    if extra or missing:
        raise MalformedReply(f"a reply with keys {sorted(map(str, message))[:8]}")


def _text(value, limit: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise MalformedReply(f"a reply whose {what} is not a string of at most {limit} characters")
    return clean(value)


def _count(value, what: str) -> int:
    if type(value) is not int or value < 0:
        raise MalformedReply(f"a reply whose {what} is not a count")
    return value


def decode_error(data) -> CellError | None:
    """A cell's error: its name, message and at most ten short traceback lines."""
    if data is None:
        return None
    _keys(data, {"ename", "evalue", "lines"}, {"ename", "evalue"})
    lines = data.get("lines", [])
    if not isinstance(lines, list) or len(lines) > MAX_LINES:
        raise MalformedReply("a reply with too many traceback lines")
    return CellError(_text(data["ename"], MAX_ENAME, "error name"),
                     _text(data["evalue"], MAX_EVALUE, "error message"),
                     tuple(_text(line, MAX_LINE, "traceback line") for line in lines))


def decode_outcome(message: dict, index: int, max_stdout: int) -> CellOutcome:
    """The outcome of cell ``index`` as the notebook's process reported it."""
    _keys(message, {"index", "stdout", "result", "error", "seconds", "dropped", "limit"},
          {"index", "error"})
    if message["index"] != index or type(message["index"]) is not int:
        raise MalformedReply(f"a reply for cell {str(message['index'])[:20]} when cell {index} "
                             "was asked for")
    seconds = message.get("seconds", 0.0)
    if type(seconds) not in (int, float) or not math.isfinite(seconds) or seconds < 0:
        raise MalformedReply("a reply whose time is not a number of seconds")
    result = message.get("result")
    limit = message.get("limit")
    if limit is not None and limit not in Limit.ALL:
        raise MalformedReply("a reply naming an unknown limit")
    return CellOutcome(
        index=index,
        stdout=_text(message.get("stdout", ""), max_stdout + CUT_NOTE_ROOM, "output"),
        result=None if result is None else _text(result, MAX_RESULT, "shown value"),
        error=decode_error(message["error"]),
        seconds=float(seconds),
        dropped=_count(message.get("dropped", 0), "cut output"),
        limit=limit)


def decode_recorded(message: dict, index: int, graded_names: list) -> dict:
    """A test cell's recorded calls from the re-check process, every value validated."""
    _keys(message, {"index", "calls", "error", "limit"}, {"index", "calls", "error"})
    if message["index"] != index:
        raise MalformedReply(f"a re-check reply for cell {str(message['index'])[:20]} when "
                             f"cell {index} was asked for")
    calls = message["calls"]
    if not isinstance(calls, list) or len(calls) > MAX_CALLS:
        raise MalformedReply("a re-check reply with too many calls")
    budget = [plain.MAX_ELEMENTS * 4]
    return {"index": index, "calls": [_decode_call(call, graded_names, budget)
                                      for call in calls],
            "error": decode_error(message["error"])}


def _decode_call(call, graded_names, budget) -> dict:
    _keys(call, {"name", "args", "result", "raised", "message", "after"}, {"name", "args"})
    if call["name"] not in graded_names:
        raise MalformedReply("a recorded call of a function that is not graded")
    if ("result" in call) == ("raised" in call):
        raise MalformedReply("a recorded call that both returned and raised (or neither)")
    try:
        plain.validate(call["args"], budget)
        if "result" in call:
            plain.validate(call["result"], budget)
        if "after" in call:
            plain.validate(call["after"], budget)
    except plain.Malformed as error:
        raise MalformedReply(f"a recorded value that is not plain data ({error})") from None
    entry = {"name": call["name"], "args": call["args"]}
    if "after" in call:
        entry["after"] = call["after"]
    if "result" in call:
        entry["result"] = call["result"]
    else:
        entry["raised"] = _text(call["raised"], MAX_ENAME, "exception name")
        entry["message"] = _text(call.get("message", ""), 500, "exception message")
    return entry


def decode_ack(message: dict, index: int) -> CellError | None:
    """The re-check process's reply to an instructor or answer cell: only its error."""
    _keys(message, {"index", "error", "limit"}, {"index", "error"})
    if message["index"] != index:
        raise MalformedReply("a re-check reply for another cell")
    return decode_error(message["error"])


def decode_answers(message: dict) -> dict:
    """Stored slider-challenge answers: ``{challenge id: {name: number or text}}``."""
    _keys(message, {"answers"}, {"answers"})
    answers = message["answers"]
    if not isinstance(answers, dict) or len(answers) > 50:
        raise MalformedReply("stored challenge answers that are not a small mapping")
    decoded = {}
    for challenge_id, values in answers.items():
        if not isinstance(values, dict) or len(values) > 50 or len(challenge_id) > 100:
            raise MalformedReply("a stored challenge answer that is not a small mapping")
        decoded[challenge_id] = {_text(k, 100, "answer name"): _answer_value(v)
                                 for k, v in values.items()}
    return decoded


def _answer_value(value):
    if type(value) in (int, float, bool) or (isinstance(value, str) and len(value) <= 200):
        return value
    raise MalformedReply("a stored challenge value that is not a number or a short text")


def decode_cells(data: bytes, name: str) -> tuple[list[dict], list[str]]:
    """The notebook reader's answer: the cells and notes on what was cut, or its refusal."""
    from nnkit.course.intake import MAX_CELL_SOURCE, MAX_TOTAL_SOURCE, SubmissionError

    if len(data) > 8 * MAX_TOTAL_SOURCE:
        raise SubmissionError("grader error", f"malformed reply: reading {name} gave too much")
    try:
        message = parse_line(data)
        if "status" in message:
            _keys(message, {"status", "message"}, {"status", "message"})
            raise SubmissionError(_text(message["status"], 40, "status"),
                                  _text(message["message"], 1000, "message"))
        _keys(message, {"cells", "notes"}, {"cells", "notes"})
        cells = [_decode_cell(cell, MAX_CELL_SOURCE) for cell in _list(message["cells"])]
        notes = [_text(note, 500, "note") for note in _list(message["notes"])]
    except MalformedReply as error:
        raise SubmissionError("grader error", f"malformed reply when reading {name}: "
                              f"{error}") from None
    return cells, notes


def _list(value) -> list:
    if not isinstance(value, list):
        raise MalformedReply("a list that is not a list")
    return value


def _decode_cell(cell, max_source: int) -> dict:
    _keys(cell, {"cell_type", "source", "metadata"}, {"cell_type", "source", "metadata"})
    if cell["cell_type"] not in ("code", "markdown", "raw"):
        raise MalformedReply("a cell of an unknown type")
    metadata = cell["metadata"]
    _keys(metadata, {"nbgrader"})
    info = metadata.get("nbgrader", {})
    _keys(info, {"grade_id", "solution", "grade", "locked", "task", "points", "schema_version"})
    return {"cell_type": cell["cell_type"], "source": _text(cell["source"], max_source, "source"),
            "metadata": {"nbgrader": dict(info)} if info else {}}
