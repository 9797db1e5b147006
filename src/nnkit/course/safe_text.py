"""Text that came from a student, made safe to store, show and open in a spreadsheet.

Student text reaches grades.csv, the feedback pages, the gradebook and the
log: exception messages, printed output, file and folder names. It may hold
lone surrogates (``"\\ud800"`` passes through JSON), NUL bytes, terminal
escape sequences, bytes that are not UTF-8 (a folder name from a zip made on
another system) or a leading ``=`` that a spreadsheet runs as a formula. One
policy, applied where such text enters the grader's process:

- :func:`clean` replaces what cannot be encoded as UTF-8 with U+FFFD and drops
  control characters other than newline and tab (so writing never fails);
- :func:`for_csv` also keeps a spreadsheet from reading a formula;
- HTML escaping is done where the page is made (:mod:`nnkit.course.feedback`).
"""

from __future__ import annotations

import os
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean(text, limit: int | None = None) -> str:
    """``text`` as a str that UTF-8 can always encode, without control characters.

    >>> clean("ok\\x00 \\ud800 done\\x1b[31m")
    'ok \\ufffd done[31m'
    >>> clean("x" * 10, limit=4)
    'xxxx'
    """
    if not isinstance(text, str):
        text = str(text)
    text = _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))
    return text if limit is None else text[:limit]


def from_file_name(name: str) -> str:
    """A file or folder name as readable text (bytes that are not UTF-8 become U+FFFD).

    Python keeps such bytes as lone surrogates (``surrogateescape``).

    >>> from_file_name(os.fsdecode(b"caf\\xe9"))
    'caf\\ufffd'
    """
    raw = os.fsencode(name)
    return clean(unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace")))


def student_id(folder_name: str) -> str:
    """The student a submission folder belongs to: its name, cleaned and NFC-normalised.

    Two folders whose names differ only in how the same letters were encoded
    (``é`` as one character or as ``e`` + accent) belong to the same student.

    >>> student_id("Jose\\u0301 ") == student_id("Jos\\u00e9")
    True
    """
    text = " ".join(from_file_name(folder_name).split())
    return text if text not in ("", ".", "..") else "(unnamed folder)"


def for_csv(text) -> str:
    """A grades.csv cell: clean text that a spreadsheet shows as text, never as a formula.

    >>> for_csv("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> for_csv("graded")
    'graded'
    """
    text = clean(text).replace("\r", " ")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def one_line(text, limit: int = 500) -> str:
    """Clean text on one line (newlines and tabs become spaces), at most ``limit`` characters.

    >>> one_line("a\\n  b\\tc")
    'a b c'
    """
    return " ".join(clean(text).split())[:limit]
