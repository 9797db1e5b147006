"""Parsing a submitted notebook in a process of its own, so that its size cannot hurt the grader.

A 300 MB notebook of tiny outputs takes gigabytes once parsed into Python
objects. The grader therefore never parses a submission itself: it opens the
file safely (:mod:`nnkit.course.files`) and hands the open file to
``python -I notebook_json.py`` (:mod:`nnkit.course.notebook_json`, standard
library only, so it starts in milliseconds) as its standard input. That
process limits its own memory, reads at most the allowed bytes, drops the
outputs and answers with the cells only, which the grader decodes against
its schema (:func:`nnkit.course.replies.decode_cells`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nnkit.course import notebook_json
from nnkit.course.files import open_regular
from nnkit.course.intake import SubmissionError
from nnkit.course.limits import Limits
from nnkit.course.safe_text import from_file_name

READ_SECONDS = 120.0


def read_isolated(folder: Path, relative: str, limits: Limits) -> tuple[list[dict], list[str]]:
    """The cells of ``folder/relative`` and notes on cells dropped, parsed in another process."""
    from nnkit.course import replies

    name = from_file_name(relative.rsplit("/", 1)[-1])
    max_bytes = limits.notebook_file_mb * 1_000_000
    memory = 4 * max_bytes + (512 << 20)
    fd = _open(folder, relative)
    try:
        process = subprocess.run(
            [sys.executable, "-I", notebook_json.__file__, str(max_bytes),
             str(limits.max_cells), str(memory), name],
            stdin=fd, capture_output=True, timeout=READ_SECONDS, check=False,
            env={"PATH": os.path.dirname(sys.executable), "LANG": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        raise SubmissionError("invalid notebook", f"{name} could not be read within "
                              f"{READ_SECONDS:.0f} s") from None
    finally:
        os.close(fd)
    if process.returncode != 0:
        raise SubmissionError("invalid notebook", f"{name} could not be read (the reading "
                              f"process ended with code {process.returncode})")
    return replies.decode_cells(process.stdout, name)


def _open(folder: Path, relative: str) -> int:
    from nnkit.course.files import Refused

    try:
        return open_regular(folder, relative)
    except Refused as error:
        raise SubmissionError("refused", str(error)) from None

