"""Ingest: a report file in any supported format -> cleaned text (what every offset refers to)."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.clean import clean, fix_lookalikes, join_hyphenated, normalise_spaces
from pipeline.ingest.limits import check_text
from pipeline.ingest.ocr import environment
from pipeline.ingest.pages import page_starts
from pipeline.ingest.raw import IngestError, RawText
from pipeline.ingest.tables import Cell, Table, place_tables
from pipeline.windows import LIMITS as WINDOWS, split_long_lines

MAX_BYTES = 50 * 1024 * 1024
LINE_CHARS = WINDOWS["line_chars"]


def _readers():
    from pipeline.ingest.doc import read_doc
    from pipeline.ingest.docx import read_docx
    from pipeline.ingest.odt import read_odt
    from pipeline.ingest.pdf import read_pdf
    from pipeline.ingest.rtf import read_rtf
    from pipeline.ingest.txt import read_txt

    return {".txt": read_txt, ".text": read_txt, ".pdf": read_pdf, ".docx": read_docx, ".rtf": read_rtf,
            ".odt": read_odt, ".doc": read_doc}


SUFFIXES = (".txt", ".text", ".pdf", ".docx", ".rtf", ".odt", ".doc")


@dataclass
class Ingested:
    """The clean text, what the reader found (headings, warnings, ...), and the tables with their
    cells' offsets into `text`."""

    text: str
    raw: RawText
    tables: list[Table] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)   # a PDF's page starts in `text` (pipeline.ingest.pages)


def ingest(path: Path, data: bytes) -> Ingested:
    """Read `data` (the bytes of `path`) with the reader for its extension, then clean."""
    raw = _readers()[path.suffix.lower()](data)
    check_text(raw.text)
    text = clean(_unbreak_headings(raw.text, raw.headings), reflowed=raw.reflowed)
    text, broken = split_long_lines(text)
    if broken:
        raw.warnings.append(("long_line", f"{broken} line(s) longer than {LINE_CHARS} characters broken at "
                                          f"sentence ends (limits.toml windows.line_chars)"))
    text, tables = place_tables(text, raw.tables)
    raw.headings = [" ".join(join_hyphenated(fix_lookalikes(normalise_spaces(h))).split()) for h in raw.headings]
    if not text.strip():
        raise IngestError("no text found in the file")
    return Ingested(text=text, raw=raw, tables=tables, page_starts=page_starts(raw.page_probes, text))


def _unbreak_headings(text: str, headings: list[str]) -> str:
    """A heading the reader knows, broken over lines in a narrow column ('торгово-\nэкономическое'),
    is put back on one line so that the structure stage finds it."""
    for h in headings:
        if "\n" not in text or h in text:
            continue
        parts = []
        for a, b in zip(h, h[1:] + " "):
            parts.append(r"\s+" if a == " " else re.escape(a) + (r"(?:-?\n)?" if a.isalnum() and b.isalnum() else ""))
        text = re.sub("".join(parts), lambda m: h, text)
    return text


__all__ = ["Cell", "IngestError", "Ingested", "MAX_BYTES", "RawText", "SUFFIXES", "Table", "environment", "ingest"]
