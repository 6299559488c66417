"""OpenDocument text (.odt) reports through odfpy.

The body is read in order: headings (text:h) are reported in `headings`; paragraphs are one line
each with a blank line between them; list items one line each, numbered as their list style says
("1.", "2.") or "- " for bullets; tables are kept as data, the rows in table:table-header-rows
being the header (else the first row). Sections and other containers are entered; frames,
drawings, notes and tracked deletions are not part of the text.
"""
from __future__ import annotations

import io
import zipfile

from .raw import IngestError, RawText, join_blocks

_SKIP = {"note", "annotation", "tracked-changes", "frame", "custom-shape", "soft-page-break", "sequence-decls"}


def read_odt(data: bytes) -> RawText:
    from odf import teletype
    from odf.opendocument import load

    data = bytes(data)
    if not data.startswith(b"PK"):
        raise IngestError(f"corrupt ODT: not a zip package (starts with {data[:8]!r})")
    try:
        doc = load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise IngestError(f"corrupt ODT: damaged package ({' '.join(str(exc).split())[:200]})") from exc
    except Exception as exc:
        raise IngestError(f"corrupt ODT: {' '.join(str(exc).split())[:200] or type(exc).__name__}") from exc
    if "opendocument.text" not in (doc.mimetype or ""):
        raise IngestError(f"not an OpenDocument text: the package is {doc.mimetype or 'of no known type'}")
    raw = RawText(text="", format="odt", reflowed=True)
    reader = _Reader(doc, raw, teletype.extractText)
    reader.container(doc.text)
    raw.text = join_blocks(reader.blocks)
    return raw


def _name(el) -> str:
    return el.qname[1] if getattr(el, "qname", None) else ""


class _Reader:
    def __init__(self, doc, raw: RawText, extract) -> None:
        self.raw, self.extract = raw, extract
        self.blocks: list[tuple[str, str]] = []
        self.numbered = self._numbered_styles(doc)

    @staticmethod
    def _numbered_styles(doc) -> set[str]:
        """List styles whose first level is numbered."""
        out = set()
        for styles in (doc.automaticstyles, doc.styles):
            for st in styles.childNodes:
                if _name(st) == "list-style":
                    first = next((c for c in st.childNodes if _name(c).startswith("list-level-style")), None)
                    if first is not None and _name(first) == "list-level-style-number":
                        out.add(st.getAttribute("name"))
        return out

    def text(self, el) -> str:
        return " ".join(self.extract(el).split())

    def container(self, el) -> None:
        for child in el.childNodes:
            name = _name(child)
            if name in _SKIP or not name:
                continue
            if name == "h":
                text = self.text(child)
                if text:
                    self.raw.headings.append(text)
                    self.blocks.append(("heading", text))
            elif name == "p":
                text = self.text(child)
                if text:
                    self.blocks.append(("para", text))
            elif name == "list":
                self.list(child, child.getAttribute("stylename") in self.numbered)
            elif name == "table":
                self.table(child)
            else:  # sections, indexes and other containers
                self.container(child)

    def list(self, el, numbered: bool) -> None:
        n = 0
        for item in el.childNodes:
            if _name(item) not in ("list-item", "list-header"):
                continue
            for child in item.childNodes:
                if _name(child) == "list":
                    self.list(child, child.getAttribute("stylename") in self.numbered or numbered)
                elif _name(child) in ("p", "h"):
                    text = self.text(child)
                    if text:
                        n += 1
                        self.blocks.append(("item", f"{n}. {text}" if numbered else f"- {text}"))

    def table(self, el) -> None:
        rows, header = [], 0
        for part in el.childNodes:
            name = _name(part)
            if name in ("table-header-rows", "table-rows", "table-row-group"):
                for row in part.childNodes:
                    if _name(row) == "table-row":
                        rows.append(self.row(row))
                        header += name == "table-header-rows"
            elif name == "table-row":
                rows.append(self.row(part))
        rows = [r for r in rows if any(r)]
        if rows:
            self.blocks.append(("table", self.raw.add_table(rows, header_rows=header or int(len(rows) > 1))))

    def row(self, row) -> list[str]:
        cells = []
        for cell in row.childNodes:
            if _name(cell) not in ("table-cell", "covered-table-cell"):
                continue
            text = " ".join(self.text(p) for p in cell.childNodes if _name(p) in ("p", "h", "list") and self.text(p))
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            cells += [text] * (min(repeat, 50) if text else min(repeat, 1))
        while cells and not cells[-1]:
            cells.pop()
        return cells
