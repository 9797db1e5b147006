"""The second, independent run: the student's functions alone, their results recorded.

Run as ``python -m nnkit.course.recheck`` inside the sandbox, in a fresh
process: it runs only the instructor's fixed cells and the student's answer
cells (not the cells a student added), then each test cell with every graded
function wrapped so that each call's arguments and result are recorded as plain
JSON numbers (:mod:`nnkit.course.plain`), converted with references taken
before any student code ran. It decides nothing: the grader replays the
recordings against the instructor's tests in its own clean process
(:mod:`nnkit.course.replay`). This is the only sandboxed process that runs
hidden tests; each test's source is compiled and dropped before it runs, so
no frame a student's function can walk up to holds it.
"""

from __future__ import annotations

import os

from nnkit.course.outcome import CellKind, Limit


def recording(name, function, calls, plain):
    """``function`` wrapped so that each outermost call is appended to ``calls``.

    When the call changed its arguments in place (a softmax that subtracts the
    maximum from the caller's array), the arguments as they are afterwards are
    recorded too, so that the grader's replay changes its own copies the same
    way and a check that inputs are unchanged sees it. When it called nnkit's
    own function of the same name (:func:`nnkit.tutor.checks.library_refused`),
    the call is recorded as refused even if the function caught the refusal.
    """
    from nnkit.tutor.checks import LibraryRefused, library_refused

    depth = [0]

    def recorded(*args, **kwargs):
        entry = {"name": name, "args": plain.encode((args, kwargs))} if depth[0] == 0 else None
        depth[0] += 1
        try:
            with library_refused(name) as watch:
                value = function(*args, **kwargs)
            if entry is not None and (watch.refused or watch.switched_off):
                raise LibraryRefused(name, watch.refused or "nnkit")
        except BaseException as error:  # recorded, then passed on unchanged
            if entry is not None:
                entry["raised"] = type(error).__name__[:100]
                entry["message"] = _message(error)
                calls.append(entry)
            raise
        finally:
            depth[0] -= 1
        if entry is not None:
            entry["result"] = plain.encode(value)
            after = plain.encode((args, kwargs))
            if after != entry["args"]:
                entry["after"] = after
            calls.append(entry)
        return value

    recorded.__name__ = name
    recorded.__qualname__ = name
    return recorded


def _message(error) -> str:
    try:
        return str(error)[:500]
    except Exception:  # an exception whose __str__ fails is still recorded
        return "(the message could not be shown)"


def _limit(outcome):
    """The limit a cell hit; not the output limit, since this run keeps no output at all."""
    return None if outcome.limit == Limit.OUTPUT else outcome.limit


def stored_answers() -> dict:
    """The slider-challenge answers stored in this folder, numbers and short texts only."""
    from nnkit.tutor import challenges

    answers = {}
    for challenge_id, values in challenges.stored_answers(os.getcwd()).items():
        answers[challenge_id] = {str(k)[:100]: v for k, v in list(values.items())[:50]
                                 if type(v) in (int, float, bool)
                                 or (type(v) is str and len(v) <= 200)}
    return answers


def main():
    """Read limits and graded names, then cells; reply with each test cell's recorded calls."""
    from nnkit.course import cellexec, plain

    channel = cellexec.open_channel()
    setup = cellexec.next_request()
    limits = setup["limits"]
    graded = list(setup["graded_names"])
    cellexec.copy_submission(setup.get("copy_from"))
    cellexec.preload_real_modules()
    cellexec.apply_limits(limits)
    budget = {"cell": 0, "notebook": 0}
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    cellexec.send(channel, {"ready": True})
    while not (request := cellexec.next_request()).get("done"):
        if request.get("answers"):
            cellexec.send(channel, {"answers": stored_answers()})
            continue
        if request["kind"] != CellKind.TEST:
            outcome = cellexec.run_cell(request, namespace, "<cell>", budget, False)
            cellexec.send(channel, {"index": outcome.index, "error": outcome.to_message()["error"],
                                    "limit": _limit(outcome)})
            continue
        calls: list = []
        scope = dict(namespace)
        for name in graded:
            if callable(namespace.get(name)):
                scope[name] = recording(name, namespace[name], calls, plain)
        outcome = cellexec.run_cell(request, scope, "<test>", budget, False)
        for key, value in scope.items():
            if key not in graded:
                namespace.setdefault(key, value)
        cellexec.send(channel, {"index": outcome.index, "calls": calls,
                                "error": outcome.to_message()["error"], "limit": _limit(outcome)})
    channel.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
