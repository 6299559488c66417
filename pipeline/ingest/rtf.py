"""RTF reports through striprtf: one line per paragraph, tables kept as tables.

striprtf turns a table's cell ends into "|" and row ends into line ends; before it runs, the
cell and row ends are replaced by private-use characters, so that a "|" in the text stays text
and every row's cells are known.
"""
from __future__ import annotations

import re

from .raw import IngestError, RawText

_CELL, _ROW = "\uf000", "\uf001"
_CONTROL_CELL = re.compile(r"\\(?:nest)?cell(?![a-z])(?:-?\d+)? ?")
_CONTROL_ROW = re.compile(r"\\(?:nest)?row(?![a-z])(?:-?\d+)? ?")


def read_rtf(data: bytes) -> RawText:
    from striprtf.striprtf import rtf_to_text

    data = bytes(data)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise IngestError("not an RTF file: it does not start with {\\rtf")
    m = re.search(rb"\\ansicpg(\d+)", data[:2000])
    codepage = f"cp{m.group(1).decode()}" if m else "cp1252"
    try:
        source = data.decode(codepage, errors="replace")
    except LookupError:
        source = data.decode("cp1252", errors="replace")
    source = _CONTROL_ROW.sub(r"\\u%d?" % (ord(_ROW) - 65536), _CONTROL_CELL.sub(r"\\u%d?" % (ord(_CELL) - 65536), source))
    try:
        text = rtf_to_text(source, errors="replace")
    except Exception as exc:
        raise IngestError(f"corrupt RTF: {' '.join(str(exc).split())[:200] or type(exc).__name__}") from exc
    raw = RawText(text="", format="rtf", reflowed=True)
    raw.text = _tables(text.replace("\r", ""), raw)
    return raw


def _tables(text: str, raw: RawText) -> str:
    """Rows ("cell\\uf000cell\\uf000\\uf001") -> one placeholder per run of rows."""
    out: list[str] = []
    rows: list[list[str]] = []
    pos = 0
    for m in re.finditer(f"[^{_ROW}]*{_ROW}", text):
        piece = m.group()[:-1]
        start = piece.rfind("\n", 0, piece.find(_CELL) if _CELL in piece else len(piece))
        before, row = piece[:start + 1], piece[start + 1:]
        if before.strip() and rows:
            out += ["\n\n", raw.add_table(rows, header_rows=int(len(rows) > 1)), "\n\n"]
            rows = []
        out.append(before)
        cells = row.split(_CELL)
        rows.append([" ".join(c.split()) for c in (cells[:-1] if len(cells) > 1 and not cells[-1].strip() else cells)])
        pos = m.end()
    if rows:
        out += ["\n\n", raw.add_table(rows, header_rows=int(len(rows) > 1)), "\n\n"]
    out.append(text[pos:])
    return "".join(out).replace(_CELL, " ")
