"""The second, independent run: the student's functions alone, their results recorded.

Run as ``python -m nnkit.course.recheck`` inside the sandbox, in a fresh
process: it runs only the instructor's fixed cells and the student's answer
cells (not the cells a student added), then each test cell with every graded
function wrapped so that each call's arguments and result are recorded as plain
JSON numbers (:mod:`nnkit.course.plain`), converted with references taken
before any student code ran. It decides nothing: the grader replays the
recordings against the instructor's tests in its own clean process
(:mod:`nnkit.course.replay`).
"""

from __future__ import annotations

import json
import sys


def recording(name, function, calls, plain):
    """``function`` wrapped so that each outermost call is appended to ``calls``."""
    depth = [0]

    def recorded(*args, **kwargs):
        entry = {"name": name, "args": plain.encode((args, kwargs))} if depth[0] == 0 else None
        depth[0] += 1
        try:
            value = function(*args, **kwargs)
        except BaseException as error:  # recorded, then passed on unchanged
            if entry is not None:
                entry["raised"] = type(error).__name__
                entry["message"] = str(error)[:500]
                calls.append(entry)
            raise
        finally:
            depth[0] -= 1
        if entry is not None:
            entry["result"] = plain.encode(value)
            calls.append(entry)
        return value

    recorded.__name__ = name
    recorded.__qualname__ = name
    return recorded


def main():
    """Read limits and graded names, then cells; reply with each test cell's recorded calls."""
    from nnkit.course import cellexec, plain

    channel = cellexec.open_channel()
    setup = json.loads(sys.stdin.readline())
    limits = setup["limits"]
    graded = list(setup["graded_names"])
    cellexec.preload_real_modules()
    cellexec.apply_limits(limits)
    budget = {"cell": 0, "notebook": 0}
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    cellexec.send(channel, {"ready": True})
    for line in sys.stdin:
        cell = json.loads(line)
        if cell.get("done"):
            break
        if cell["kind"] != "test":
            outcome = cellexec.run_cell(cell["source"], namespace, "<cell>",
                                        limits["cell_timeout"], budget, False)
            cellexec.send(channel, {"index": cell["index"], "error": outcome["error"]})
            continue
        calls: list = []
        scope = dict(namespace)
        for name in graded:
            if callable(namespace.get(name)):
                scope[name] = recording(name, namespace[name], calls, plain)
        outcome = cellexec.run_cell(cell["source"], scope, "<test>", limits["cell_timeout"],
                                    budget, False)
        for key, value in scope.items():
            if key not in graded:
                namespace.setdefault(key, value)
        cellexec.send(channel, {"index": cell["index"], "calls": calls,
                                "error": outcome["error"]})
    channel.flush()
    import os
    os._exit(0)


if __name__ == "__main__":
    main()
