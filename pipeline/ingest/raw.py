"""What every format reader returns before the common cleaning steps."""
from dataclasses import dataclass, field


class IngestError(Exception):
    """A file that cannot be read as a report; the message is one clear line."""


# A table stands in the raw text as one line of three private-use characters: the marker, the
# table's index (as a character), the marker. No cleaning step changes such a line; the table's rows
# are put in its place once the text is clean (pipeline/ingest/tables.py).
TABLE_MARK = "\ue000"
TABLE_INDEX_BASE = 0xE100


@dataclass
class RawTable:
    """A table as read: rows of cell texts; the first `header_rows` rows are its header."""

    rows: list[list[str]]
    header_rows: int = 0


@dataclass
class RawText:
    """Text as read from a file.

    `text` keeps the file's lines; pages may be separated by form feeds ("\\f") so that the cleaner
    can find running headers, footers and page numbers. `headings` are lines the reader knows to
    be headings (from font size, bold or a heading style); the structure stage trusts them.
    `reflowed`: the reader already made every paragraph one line (PDF, Word, OpenDocument), so
    the cleaner must not rejoin lines as it does for hard-wrapped plain text. `tables` are the
    tables the reader found; each stands in `text` as the line `placeholder(i)`. `ocr_confidence`
    lists (page number, mean word confidence 0-100) for every page read by OCR. `page_probes`: the
    first line of each page's text, by which pipeline.ingest.pages finds where a page starts in the
    cleaned text.
    """

    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    headings: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    reflowed: bool = False
    tables: list[RawTable] = field(default_factory=list)
    ocr_confidence: list[tuple[int, float]] = field(default_factory=list)
    page_probes: list[str] = field(default_factory=list)   # a PDF page's first line of text ("" when none)

    def add_table(self, rows: list[list[str]], header_rows: int = 0) -> str:
        """Record a table; returns the placeholder line to put in the text where it stands."""
        self.tables.append(RawTable(rows=rows, header_rows=header_rows))
        return placeholder(len(self.tables) - 1)


def placeholder(index: int) -> str:
    return TABLE_MARK + chr(TABLE_INDEX_BASE + index) + TABLE_MARK


def join_blocks(blocks: list[tuple[str, str]]) -> str:
    """(kind, text) blocks in order -> text: a blank line between blocks, one newline between list items."""
    out: list[str] = []
    prev = None
    for kind, text in blocks:
        if out:
            out.append("\n" if kind == prev == "item" else "\n\n")
        out.append(text)
        prev = kind
    return "".join(out)
