"""Bounded windows of a text (issue 19): what a model sees at once, so that time grows in a straight
line with the report and memory with the window, not the report.

`spans(text, size, line)` cuts the text into consecutive (start, end) windows of whole lines of at most
`size` characters; a line longer than `line` is cut at the last sentence end before the limit (else
the last space, else anywhere) and reported in `long_lines`. The windows cover the text exactly.
"""
import re
from dataclasses import dataclass, field

from pipeline import rules

LIMITS = rules.load("limits")["windows"]
SENTENCE_END = re.compile(r"[.!?…][»\")]*\s+(?=\S)")


@dataclass
class Windows:
    spans: list[tuple[int, int]] = field(default_factory=list)
    long_lines: list[tuple[int, int]] = field(default_factory=list)   # (start, end) of every line that was cut


def cut(text: str, size: int | None = None, line: int | None = None) -> Windows:
    size, line = size or LIMITS["chars"], line or LIMITS["line_chars"]
    out = Windows()
    a, n = 0, len(text)
    while a < n:
        b = min(n, a + size)
        if b < n:
            nl = text.rfind("\n", a, b)
            if nl >= 0:
                b = nl + 1
            else:  # one line longer than the window
                b = _line_cut(text, a, min(b, a + line))
                end = text.find("\n", a)
                span = (text.rfind("\n", 0, a) + 1, n if end < 0 else end)
                if not out.long_lines or out.long_lines[-1] != span:
                    out.long_lines.append(span)
        out.spans.append((a, b))
        a = b
    return out


def split_long_lines(text: str, line: int | None = None) -> tuple[str, int]:
    """The text with every line longer than `line` characters broken into lines at sentence ends (else
    at spaces), so that no stage reads a paragraph of megabytes; and how many lines were broken."""
    line = line or LIMITS["line_chars"]
    if len(text) <= line or all(len(x) <= line for x in text.split("\n")):
        return text, 0
    out, broken = [], 0
    for x in text.split("\n"):
        if len(x) <= line:
            out.append(x)
            continue
        broken += 1
        a = 0
        while len(x) - a > line:
            b = _line_cut(x, a, a + line)
            out.append(x[a:b].rstrip())
            a = b
        out.append(x[a:])
    return "\n".join(out), broken


def _line_cut(text: str, a: int, b: int) -> int:
    """Where to cut text[a:b] inside one line: after its last sentence end, else its last space."""
    last = None
    for m in SENTENCE_END.finditer(text, a + (b - a) // 2, b):
        last = m.end()
    if last is not None:
        return last
    space = text.rfind(" ", a + (b - a) // 2, b)
    return space + 1 if space >= 0 else b
