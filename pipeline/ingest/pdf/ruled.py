"""Ruled tables: pdfplumber finds them from the lines drawn around their cells."""
from __future__ import annotations

import re

from .model import TableBox


def find_tables(page) -> list[TableBox]:
    try:
        found = page.find_tables()
    except Exception:
        return []
    tables: list[TableBox] = []
    for tab in found:
        try:
            cells = tab.extract(x_tolerance=3, y_tolerance=3)
        except Exception:
            continue
        ncols = max((len(r) for r in cells), default=0)
        if len(cells) < 2 and ncols < 2:
            continue  # a single framed box: read it as ordinary text
        rows = [[cell_text(c) for c in row] for row in cells]
        rows = [r for r in rows if any(r)]
        if not rows:
            continue
        x0, top, x1, bottom = (float(v) for v in tab.bbox)
        tables.append(TableBox(x0=x0, top=top, x1=x1, bottom=bottom, rows=rows, header_rows=1 if len(rows) > 1 else 0))
    return tables


def cell_text(text: str | None) -> str:
    """A cell's lines as one text; a word cut at a cell's line end is whole again."""
    if not text:
        return ""
    out = ""
    for ln in (x.strip() for x in text.splitlines() if x.strip()):
        if not out:
            out = ln
        elif re.search(r"\w-$", out) and ln[:1].isalpha():
            out += "\n" + ln  # the cleaner decides: "онлайн-\nформат" keeps its hyphen, "сотруд-\nничество" not
        else:
            out += " " + ln
    return out
