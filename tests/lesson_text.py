"""The numbers a lesson's prose quotes, and the numbers its code printed.

A lesson's rule: every number the markdown quotes must appear in the output of
an earlier code cell of the same lesson, so that text and computation cannot
drift apart. :func:`quoted_numbers` finds the numbers in a markdown cell,
:func:`printed_numbers` those in a code cell's output, and :func:`shows`
decides whether an output shows a quoted number.

What counts as a quoted number, and what does not:

- counted: integers and decimals (``3``, ``−0.3``, ``.25``), thousands grouped
  with commas (``235,146``), powers of ten (``6.0 × 10⁻⁸``, ``10⁴``,
  ``6.0 \\times 10^{-8}``, ``1e-3``), multipliers (``110M``, ``175B``),
  percentages (``93 %``), in prose and inside LaTeX;
- not counted: code (fenced or inline), link targets, URLs and HTML tags;
  section numbers of headings (``## 4. Layers``) and list markers (``1.``);
  years (1800 to 2029, as in "Rosenblatt (1958)"); numbers that name a lesson,
  exercise, section, chapter, part, figure, cell, step, neuron, unit, input,
  layer, row, column or class ("lesson 3", "lessons 4 and 5", "neuron 2");
  digits that belong to a name (``float64``, ``x1``, ``GPT-2``, ``2D``, ``01-neuron``);
  indices and powers of symbols in LaTeX (``w_1``, ``x_{12}``, ``W^{(1)}``, ``x^2``).

A minus sign is a sign when it touches the digits (``−0.3``, ``-2``); spaced
(``x − 1``) it is an operator and the number is unsigned. An unsigned number
may be shown by a negative output (``0.3`` by ``-0.3``); a signed one needs
the sign. A number is shown when an output value rounds to it at the digits
written: ``0.93`` is shown by ``0.9308615796566533``, ``5.7`` by
``5.714285714285714``, ``175B`` by ``175,181,291,520``; a percentage also by
the fraction (``93 %`` by ``0.9308``).

>>> [q.text for q in quoted_numbers("The exam neuron gives $z = 2.6$ and 93 %.")]
['2.6', '93 %']
>>> shows(quoted_numbers("about 0.93")[0], printed_numbers("sigmoid(z) = 0.9308615796566533"))
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MINUS = "−"  # U+2212, the minus sign the lessons write

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
MULTIPLIERS = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


@dataclass(frozen=True)
class Quoted:
    """A number as the prose writes it: its value, the place of its last digit, its sign."""

    text: str
    value: float
    unit: float  # the place value of the last digit written: 0.01 for "0.93"
    signed: bool  # a minus sign was written
    percent: bool = False


# --- what is not prose ---------------------------------------------------------------

FENCED_CODE = re.compile(r"```.*?```", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
IMAGE_OR_LINK_TARGET = re.compile(r"\]\([^)]*\)")
BARE_URL = re.compile(r"https?://\S+")
HTML_TAG = re.compile(r"<[^>\n]*>")
HEADING_NUMBER = re.compile(r"^(#{1,6}[ \t]+)\d+(?:\.\d+)*\.?(?=\s)", re.MULTILINE)
LIST_MARKER = re.compile(r"^([ \t]*)\d+[.)](?=[ \t])", re.MULTILINE)
# A number after one of these words names something ("lesson 3", "neuron 2", "class 1",
# "lessons 4 and 5"); a number before it counts ("3 neurons") and is checked.
REFERENCE = re.compile(
    r"\b(?:lessons?|exercises?|sections?|chapters?|parts?|figures?|cells?|steps?|"
    r"neurons?|units?|inputs?|layers?|rows?|columns?|class(?:es)?)\s+\d+"
    r"(?:\s*(?:,|and|or|to|–|-)\s*\d+)*", re.IGNORECASE)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
# Inside LaTeX: indices (w_1, x_{ij}), superscript labels (W^{(1)}, W^\top) and powers of
# a symbol (x^2, e^{-z}); a power of ten is a number and is kept (10^{-8}).
LATEX_INDEX = re.compile(r"_(?:\{[^{}]*\}|\\?[A-Za-z0-9])")
LATEX_LABEL = re.compile(r"\^(?:\{\s*\([^{}]*\)\s*\}|\{?\\top\}?|\{?T\}?(?![A-Za-z]))")
LATEX_POWER = re.compile(r"(?<![0-9])(?<=[A-Za-z)}|'])\^(?:\{[^{}]*\}|[0-9])")

# --- numbers -------------------------------------------------------------------------

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_POWER_OF_TEN = (r"(?:\s*(?:×|\\times|\\cdot|·)\s*10(?:\^\{?(?P<exp>[-−]?\d+)\}?"
                 r"|(?P<uexp>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
                 r"|[eE](?P<eexp>[-+−]?\d+)(?![A-Za-z]))")
QUOTED = re.compile(
    rf"(?P<sign>[-{MINUS}])?(?P<digits>{_DIGITS})"
    rf"(?:{_POWER_OF_TEN}|(?P<super>(?<=10)[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
    r"(?:\s?(?P<percent>%)|(?P<multiplier>[kKMBT])(?![A-Za-z]))?")
_NAME_BEFORE = re.compile(r"[A-Za-z_\\]-?$")  # float64, x1, GPT-2, \frac12
_SIGN_CONTEXT = re.compile(r"(?:^|[\s(\[{=,;:$≈<>/+*])$")


def _prose_only(markdown: str) -> str:
    """The markdown with code, links, HTML, numbering, references and LaTeX labels blanked."""
    text = markdown
    for pattern in (FENCED_CODE, INLINE_CODE, IMAGE_OR_LINK_TARGET, BARE_URL, HTML_TAG):
        text = pattern.sub(" ", text)
    text = HEADING_NUMBER.sub(r"\1", text)
    text = LIST_MARKER.sub(r"\1", text)
    text = REFERENCE.sub(" ", text)

    def plain_math(match):
        math_text = LATEX_INDEX.sub(" ", match.group())
        math_text = LATEX_LABEL.sub(" ", math_text)
        return LATEX_POWER.sub(" ", math_text)

    return MATH.sub(plain_math, text)


def _is_year(match) -> bool:
    digits = match.group("digits")
    plain = not any(match.group(k) for k in ("sign", "exp", "uexp", "eexp", "super",
                                             "percent", "multiplier"))
    return plain and re.fullmatch(r"\d{4}", digits) is not None and 1800 <= int(digits) <= 2029


def _decimals(digits: str) -> int:
    return len(digits.partition(".")[2])


def quoted_numbers(markdown: str) -> list[Quoted]:
    """The numbers a markdown cell's prose quotes, in order (see the module's rules).

    >>> [q.text for q in quoted_numbers("## 4. After 12 layers, 6.0 × 10⁻⁸ is left (lesson 2).")]
    ['12', '6.0 × 10⁻⁸']
    >>> q = quoted_numbers("$b = -1.5$")[0]
    >>> q.value, q.unit, q.signed
    (-1.5, 0.1, True)
    >>> [q.text for q in quoted_numbers("Rosenblatt (1958), `np.round(x, 2)`, float64, x₁")]
    []
    >>> [(q.text, q.value) for q in quoted_numbers("$w_1 x_1 + b$, $x^2$, 10⁴ and 175B")]
    [('10⁴', 10000.0), ('175B', 175000000000.0)]
    """
    text = _prose_only(markdown)
    found = []
    for match in QUOTED.finditer(text):
        before = text[: match.start()]
        before_digits = text[: match.start("digits")]
        if _NAME_BEFORE.search(before_digits) or re.search(r"[\d.,]$", before_digits):
            continue  # part of a name (float64, GPT-2) or of a longer number
        after = text[match.end():]
        if re.match(r"[A-Za-z_]", after) and not match.group("multiplier"):
            continue  # a name that starts with digits: 2D, 1st, 01-neuron's 1
        digits = match.group("digits")
        if re.fullmatch(r"0\d+", digits) or _is_year(match):
            continue
        sign = match.group("sign")
        if sign and not _SIGN_CONTEXT.search(before):
            sign = None  # 2-3-1, or a minus between two numbers
        value = float(digits.replace(",", ""))
        unit = 10.0 ** -_decimals(digits)
        exponent = _exponent(match)
        if exponent is not None:
            if match.group("super") is not None:  # 10⁴: the digits were the base
                value, unit = 10.0 ** exponent, 1.0
            else:
                value, unit = value * 10.0 ** exponent, unit * 10.0 ** exponent
        multiplier = MULTIPLIERS.get(match.group("multiplier") or "", 1.0)
        value, unit = value * multiplier, unit * multiplier
        if sign:
            value = -value
        start = match.start() if sign else match.start("digits")
        shown_text = text[start: match.end()].strip()
        found.append(Quoted(shown_text, value, unit, bool(sign),
                            percent=bool(match.group("percent"))))
    return found


def _exponent(match) -> int | None:
    for key in ("exp", "eexp"):
        if match.group(key) is not None:
            return int(match.group(key).replace(MINUS, "-"))
    for key in ("uexp", "super"):
        if match.group(key) is not None:
            return int(match.group(key).translate(SUPERSCRIPT))
    return None


# --- what the code printed -------------------------------------------------------------

PRINTED = re.compile(
    rf"(?<![A-Za-z_\d.])[-{MINUS}]?(?:\d{{1,3}}(?:,\d{{3}})+(?![\d])|\d+\.?\d*|\.\d+)"
    r"(?:[eE][-+]?\d+)?")


def printed_numbers(text: str) -> list[float]:
    """Every number in an output's text (digits glued to a name, as in float64, excluded).

    >>> printed_numbers("x = [2, 3, −1]  w = [0.5 -0.2]  float64  1.7e+308  235,146")
    [2.0, 3.0, -1.0, 0.5, -0.2, 1.7e+308, 235146.0]
    """
    numbers = []
    for match in PRINTED.finditer(text):
        token = match.group().replace(MINUS, "-").replace(",", "")
        try:
            number = float(token)
        except ValueError:
            continue
        if math.isfinite(number):
            numbers.append(number)
    return numbers


def shows(quoted: Quoted, printed: list[float]) -> bool:
    """Whether some printed value, rounded at the quoted number's last digit, is that number.

    >>> shows(quoted_numbers("5.7")[0], [5.714285714285714])
    True
    >>> shows(quoted_numbers("5.8")[0], [5.714285714285714])
    False
    >>> shows(quoted_numbers("0.3")[0], [-0.3]), shows(quoted_numbers("−0.3")[0], [0.3])
    (True, False)
    >>> shows(quoted_numbers("93 %")[0], [0.9308])
    True
    """
    tolerance = quoted.unit / 2 + 1e-9 * abs(quoted.value)
    candidates = set(printed)
    if not quoted.signed:
        candidates |= {abs(v) for v in printed}
    if quoted.percent:
        candidates |= {100 * v for v in candidates}
    return any(abs(v - quoted.value) <= tolerance for v in candidates)
