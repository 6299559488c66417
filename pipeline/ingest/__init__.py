"""Ingest: a report file in any supported format -> cleaned text (what every offset refers to)."""
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.clean import clean, fix_lookalikes, normalise_spaces
from pipeline.ingest.raw import IngestError, RawText

MAX_BYTES = 50 * 1024 * 1024


def _readers():
    from pipeline.ingest.docx import read_docx
    from pipeline.ingest.pdf import read_pdf
    from pipeline.ingest.txt import read_txt

    return {".txt": read_txt, ".text": read_txt, ".pdf": read_pdf, ".docx": read_docx}


SUFFIXES = (".txt", ".text", ".pdf", ".docx")


@dataclass
class Ingested:
    text: str
    raw: RawText


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        raise IngestError(f"unsupported file type {path.suffix or '(none)'}: expected one of {', '.join(SUFFIXES)}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"file too large: {size} bytes, limit {max_bytes}")
        return path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read file: {e.strerror or e}") from e


def ingest(path: Path, data: bytes) -> Ingested:
    """Read `data` (the bytes of `path`) with the reader for its extension, then clean."""
    raw = _readers()[path.suffix.lower()](data)
    text = clean(_unbreak_headings(raw.text, raw.headings))
    raw.headings = [fix_lookalikes(normalise_spaces(h)).strip() for h in raw.headings]
    if not text.strip():
        raise IngestError("no text found in the file")
    return Ingested(text=text, raw=raw)


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


__all__ = ["IngestError", "Ingested", "RawText", "SUFFIXES", "ingest", "read_bytes"]
