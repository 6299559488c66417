"""Lines in reading order -> paragraphs: one text line per paragraph, heading or list item.

A paragraph goes on from line to line, column to column and page to page until the layout says it
ended: a vertical gap larger than the page's usual line spacing, a first-line indent, a line that
stopped short although the next line's first word would have fitted on it, a list marker, a
change between heading and body type. Lines in a larger font or a bold face are headings. A
word cut at a line end is rejoined by the cleaner's dictionary rule. Tables stay whole, as
placeholders; a table cut by a page break is one table again.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..clean import LIST_ITEM, join_hyphenated
from ..raw import RawText, join_blocks
from .model import Line

_SENTENCE_END = tuple(".!?:;…»\")")


@dataclass
class _Unit:
    kind: str  # heading | para | item | table
    lines: list[Line] = field(default_factory=list)
    trusted: bool = True  # a heading told by type the structure stage may trust


def page_gaps(lines: list[Line], size: float) -> float:
    """The vertical gap above which a line starts a new paragraph on this page."""
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.flow == b.flow and a.table is None and b.table is None and -0.5 * size < b.top - a.bottom < 1.5 * size]
    normal = statistics.median(gaps) if gaps else 0.2 * size
    return normal + max(0.4 * size, 2.0)


@dataclass
class PageLines:
    lines: list[Line]  # in reading order
    size: float  # the body font size
    para_gap: float
    use_bold: bool  # bold lines are headings
    slack: float = 0.5  # how far short of the column edge a full line may end (more for OCR'd scans)
    heading_step: float = 0.0  # a heading's type is larger than the body's by this share too (OCR measures roughly)
    trusted: bool = True  # report its headings (OCR's type sizes are too rough: the structure stage then guesses)


def assemble(pages: list[PageLines], raw: RawText) -> str:
    """The pages' lines -> the document's text; headings go to `raw.headings`, tables to `raw.tables`."""
    units: list[_Unit] = []
    prev: Line | None = None
    prev_kind = None
    for page in pages:
        size, para_gap, use_bold, slack = page.size, page.para_gap, page.use_bold, page.slack
        same_page = False
        for ln in page.lines:
            if ln.table is not None:
                units.append(_Unit("table", [ln]))
                prev, prev_kind = None, "table"
                continue
            heading = _is_heading(ln, size, use_bold, page.heading_step)
            kind = "heading" if heading else "item" if LIST_ITEM.match(ln.text) else "para"
            if prev is None or _breaks(prev, prev_kind, ln, kind, same_page, size, para_gap, slack):
                units.append(_Unit(kind, [ln], page.trusted))
                prev_kind = kind
            else:
                units[-1].lines.append(ln)
            prev, same_page = ln, True
    return _render(_merge_tables(units), raw)


def _breaks(prev: Line, prev_kind: str, ln: Line, kind: str, same_page: bool, size: float, para_gap: float,
            slack: float) -> bool:
    if (kind == "heading") != (prev_kind == "heading"):
        return True
    below = same_page and ln.top > prev.top
    if kind == "heading":
        return not (below and ln.flow == prev.flow and ln.top - prev.bottom <= para_gap)
    if kind == "item":  # a dash that starts a line of a paragraph running on is no list marker
        return not (prev_kind == "para" and ln.text.lstrip()[:1] in "-–—" and not _room_left(prev, ln, size, slack)
                    and not prev.text.rstrip().endswith(_SENTENCE_END))
    if below and ln.flow == prev.flow:
        if ln.top - prev.bottom > para_gap or _starts_paragraph(prev, ln, size):
            return True
    elif below and ln.top > prev.bottom + para_gap:
        return True  # a band of columns after a full-width line, or the other way round
    elif _indented(ln, size):
        return True  # a new column or page that starts with an indented line
    elif prev.text.rstrip().endswith((".", "!", "?")) and ln.text[:1].isupper() and prev.x1 < prev.col_right - slack:
        return True  # a sentence ended short of the edge before the column or page break: no gap to see
    return _room_left(prev, ln, size, slack)


def _indented(ln: Line, size: float) -> bool:
    width = ln.col_right - ln.col_left
    return width > 0 and 0.8 * size <= ln.x0 - ln.col_left <= 0.4 * width


def _starts_paragraph(prev: Line, ln: Line, size: float) -> bool:
    """First-line indent after a line that ends a sentence or stops short of the column edge."""
    if not _indented(ln, size):
        return False
    if prev.x1 < ln.col_right - 0.15 * (ln.col_right - ln.col_left):
        return True
    if abs(prev.x0 - ln.x0) < 1.0:
        return False  # an indented block (quote, hanging list): every line starts there
    return prev.text.rstrip().endswith(_SENTENCE_END)


def _room_left(prev: Line, ln: Line, size: float, slack: float) -> bool:
    """The line stopped although the next line's first word would have fitted after it."""
    if re.search(r"\w-$", prev.text) or prev.col_right <= prev.col_left:
        return False
    return prev.x1 + 0.3 * size + ln.first_word_width < prev.col_right - slack


def _is_heading(ln: Line, body_size: float, use_bold: bool, heading_step: float) -> bool:
    if not re.search(r"[^\W\d_]", ln.text):
        return False
    return ln.size > body_size + max(0.5, heading_step * body_size) or (use_bold and ln.bold)


def _merge_tables(units: list[_Unit]) -> list[_Unit]:
    """Two tables in a row with the same number of columns are one table cut by a page or column
    break; a header row repeated on the new page is dropped."""
    out: list[_Unit] = []
    for u in units:
        if u.kind == "table" and out and out[-1].kind == "table":
            a, b = out[-1].lines[0].table, u.lines[0].table
            if a.rows and b.rows and len(a.rows[0]) == len(b.rows[0]):
                a.rows += b.rows[1:] if a.header_rows and b.rows[0] == a.rows[0] else b.rows
                continue
        out.append(u)
    return out


def _render(units: list[_Unit], raw: RawText) -> str:
    blocks: list[tuple[str, str]] = []
    for u in units:
        if u.kind == "table":
            t = u.lines[0].table
            text = raw.add_table(t.rows, t.header_rows)
        else:
            text = _join_lines(u.lines)
            if u.kind == "heading":
                if len(text) > 300:
                    u.kind = "para"
                elif u.trusted:
                    raw.headings.append(text)
        blocks.append((u.kind, text))
    return join_blocks(blocks)


def _join_lines(lines: list[Line]) -> str:
    text = ""
    for ln in lines:
        if not text:
            text = ln.text
        elif re.search(r"\w-$", text) and ln.text[:1].isalnum():
            text += "\n" + ln.text
        else:
            text += " " + ln.text
    return " ".join(join_hyphenated(text).split())
