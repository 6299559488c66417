"""Tables as data: each table's rows are put into the clean text, and every cell keeps its offsets.

Readers leave one placeholder line per table in the raw text (`RawText.add_table`). Cleaning never
touches those lines; `place_tables` then renders every table at its placeholder as one line per
row, "cell | cell | cell", and records where each cell stands, against the final text:
`text[cell.start:cell.end] == cell.text` for every cell.
"""
import re
from dataclasses import dataclass, field

from pipeline.ingest.clean import fix_lookalikes, join_hyphenated, normalise_spaces
from pipeline.ingest.raw import TABLE_INDEX_BASE, TABLE_MARK, RawTable

SEPARATOR = " | "
PLACEHOLDER = re.compile(f"{TABLE_MARK}(.){TABLE_MARK}")


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class Table:
    """A table in the clean text: `start`/`end` span its rows; `header` is its header row (empty when
    it has none) and `rows` its other rows, in reading order."""

    start: int
    end: int
    header: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)


def clean_cell(text: str) -> str:
    """A cell's text as one line, cleaned like the body text."""
    text = join_hyphenated(fix_lookalikes(normalise_spaces(text)))
    return " ".join(text.replace(TABLE_MARK, " ").split())


def place_tables(text: str, raw_tables: list[RawTable]) -> tuple[str, list[Table]]:
    """Replace each placeholder line by its table's rows; returns the final text and the tables."""
    out: list[str] = []
    pos = 0  # length of the text built so far

    def put(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    tables: list[Table] = []
    last = 0
    for m in PLACEHOLDER.finditer(text):
        put(text[last:m.start()])
        last = m.end()
        index = ord(m.group(1)) - TABLE_INDEX_BASE
        raw = raw_tables[index] if 0 <= index < len(raw_tables) else RawTable(rows=[])
        rows = [[clean_cell(c) for c in r] for r in raw.rows]
        has_header = bool(raw.header_rows and rows and any(rows[0]))
        rows = [r for r in rows if any(r)]
        if not rows:
            continue
        if pos and not out[-1].endswith("\n"):  # a table always starts a line of its own
            put("\n\n")
        table = Table(start=pos, end=pos)
        for n, row in enumerate(rows):
            if n:
                put("\n")
            cells = []
            for c in row:
                if cells:
                    put(SEPARATOR)
                cells.append(Cell(pos, pos + len(c), c))
                put(c)
            if n == 0 and has_header:
                table.header = cells
            else:
                table.rows.append(cells)
        table.end = pos
        tables.append(table)
        if text[last:last + 1] not in ("", "\n"):
            put("\n\n")
    put(text[last:])
    return "".join(out), tables
