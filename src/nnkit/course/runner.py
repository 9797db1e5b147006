"""The student's notebook, run cell by cell inside the sandbox (``python -m``).

The grader sends one cell at a time as a JSON line on stdin and waits for its
result before sending the next, so a cell never sees the tests that come after
it. Tests are compiled without their source in ``linecache``: an error inside
one is reported by name and message only, never by the hidden lines.
"""

from __future__ import annotations

import json
import linecache
import os
import sys


def _register_source(filename, source):
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)


def main():
    """Read limits, then cells, from stdin; report each cell's outcome on the channel."""
    from nnkit.course import cellexec

    channel = cellexec.open_channel()
    requests = sys.stdin
    setup = json.loads(requests.readline())
    limits = setup["limits"]
    cellexec.preload_real_modules()
    cellexec.apply_limits(limits)
    budget = {"cell": int(limits["cell_output_bytes"]),
              "notebook": int(limits["notebook_output_bytes"])}
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    cellexec.send(channel, {"ready": True})
    for line in requests:
        cell = json.loads(line)
        if cell.get("done"):
            break
        filename = f"<{cell['kind']} cell {cell['index']}>"
        shows_code = cell["kind"] in ("answer", "extra")
        if shows_code:
            _register_source(filename, cell["source"])
        budget["cell"] = int(limits["cell_output_bytes"])
        outcome = cellexec.run_cell(cell["source"], namespace, filename,
                                    limits["cell_timeout"], budget, shows_code)
        index = cell["index"]
        cell.clear()
        cellexec.send(channel, {"index": index, **outcome})
    channel.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
