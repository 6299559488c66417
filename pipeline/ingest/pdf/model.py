"""What the PDF reader's steps pass along: words, tables and lines with their place on the page."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass
class TableBox:
    """A table found on a page: its bounding box and its rows of cell texts."""

    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[list[str]]
    header_rows: int = 1


@dataclass
class Line:
    """One visual line of text (or, with `table` set, a whole table) in reading order.

    Lines of one column share a `flow` id; `col_left`/`col_right` are the edges of the column the
    line is set in, which tell a first-line indent and a line that ends short of the edge."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0
    bold: bool = False
    words: list[Word] = field(default_factory=list)
    flow: int = 0
    col_left: float = 0.0
    col_right: float = 0.0
    table: TableBox | None = None

    @property
    def first_word_width(self) -> float:
        return self.words[0].x1 - self.words[0].x0 if self.words else 0.0


@dataclass
class Page:
    words: list[Word] = field(default_factory=list)
    tables: list[TableBox] = field(default_factory=list)
    height: float = 0.0
    width: float = 0.0
    scanned: bool = False  # no text layer at all
    mostly_image: bool = False  # a full-page image with only a few characters of text
    ocr: bool = False  # the words come from OCR
    unmapped: int = 0  # glyphs without a Unicode mapping, "(cid:NN)" in pdfminer's output
