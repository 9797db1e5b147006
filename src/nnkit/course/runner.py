"""The student's notebook, run cell by cell inside the sandbox (``python -m``).

The grader sends one cell at a time as a JSON line on stdin and waits for its
result before sending the next, so a cell never sees the cells that come
after it. Test cells arrive without their hidden tests (those run only in the
re-check, :mod:`nnkit.course.recheck`): nothing in this process, where the
student's printed output goes straight to the feedback page, ever held them.
Tests are compiled without their source in ``linecache``, and no cell's
source stays in a frame once it has been compiled.
"""

from __future__ import annotations

import linecache
import os

from nnkit.course.outcome import CellKind


def _register_source(filename, source):
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)


def main():
    """Read limits, then cells, from stdin; report each cell's outcome on the channel."""
    from nnkit.course import cellexec

    channel = cellexec.open_channel()
    setup = cellexec.next_request()
    limits = setup["limits"]
    cellexec.copy_submission(setup.get("copy_from"))
    cellexec.preload_real_modules()
    cellexec.apply_limits(limits)
    budget = {"cell": int(limits["cell_output_bytes"]),
              "notebook": int(limits["notebook_output_bytes"])}
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    cellexec.send(channel, {"ready": True})
    while not (request := cellexec.next_request()).get("done"):
        filename = f"<{request['kind']} cell {request['index']}>"
        shows_code = request["kind"] in (CellKind.ANSWER, CellKind.EXTRA)
        if shows_code:
            _register_source(filename, request["source"])
        budget["cell"] = int(limits["cell_output_bytes"])
        outcome = cellexec.run_cell(request, namespace, filename, budget, shows_code)
        cellexec.send(channel, outcome.to_message())
    channel.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
