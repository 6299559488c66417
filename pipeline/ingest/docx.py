"""Read a Word (.docx) report into `RawText`.

The body is read in document order with paragraphs and tables interleaved (content controls are
entered). Paragraphs are separated by a blank line; consecutive list items by a single newline,
each prefixed with its rendered number ("1.", "а)", ...) or "- " for bullets. Paragraphs with a
heading style ("Heading N", "Заголовок N", "Title", or an outline level) are reported in
`headings`. Tables are kept as data (`RawText.tables`, a placeholder line in the text); rows
marked to repeat on every page are the header, else the first row. Section headers and footers, footnotes,
comments and deleted tracked changes are not part of the text.
"""
from __future__ import annotations

import io
import re
import zipfile

from .raw import IngestError, RawTable, RawText, join_blocks, placeholder

__all__ = ["read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _val(el, attr: str = "val") -> str | None:
    if el is None:
        return None
    return el.get(_q(attr))


# elements whose content is not part of the visible body text
_SKIP = {
    _q("del"),
    _q("moveFrom"),
    _q("drawing"),
    _q("pict"),
    _q("object"),
    _q("txbxContent"),
    _q("footnoteReference"),
    _q("endnoteReference"),
    _q("commentReference"),
    _q("instrText"),
    _q("delText"),
    _q("rPr"),
    _q("pPr"),
    _q("sdtPr"),
    _q("sdtEndPr"),
}
_HEADING_NAME_RE = re.compile(r"^(?:heading|заголовок)\s*\d+$", re.IGNORECASE)
_TITLE_NAMES = {"title", "название", "заголовок", "название объекта"}
_BULLET_PREFIX_RE = re.compile(r"^[\s\-–—•·▪●◦○■□‣⁃*]+\s*")

_RU_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def read_docx(data: bytes) -> RawText:
    """Read .docx bytes into `RawText` (format "docx", `pages` None)."""
    import docx  # python-docx

    data = bytes(data)
    if not data:
        raise IngestError("corrupt DOCX: the file is empty")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise IngestError(
            "corrupt DOCX: this is an OLE2 file (a legacy .doc or a password-protected DOCX), not a DOCX package"
        )
    if not data.startswith(b"PK"):
        raise IngestError(f"corrupt DOCX: not a zip package (starts with {data[:8]!r})")
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise IngestError(f"corrupt DOCX: damaged zip package ({_one_line(exc)})") from exc
    except KeyError as exc:
        raise IngestError(f"corrupt DOCX: a required part is missing ({_one_line(exc)})") from exc
    except Exception as exc:
        raise IngestError(f"corrupt DOCX: {_one_line(exc)}") from exc

    try:
        reader = _Reader(document)
        reader.read_body()
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"corrupt DOCX: cannot read the document body ({_one_line(exc)})") from exc
    return RawText(
        text=reader.text(),
        format="docx",
        encoding=None,
        pages=None,
        headings=reader.headings,
        warnings=reader.warnings,
        reflowed=True,
        tables=reader.tables,
    )


def _one_line(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.blocks: list[tuple[str, str]] = []  # (kind, text); kind: para | item | table | heading
        self.headings: list[str] = []
        self.tables: list[RawTable] = []
        self.warnings: list[tuple[str, str]] = []
        self._styles = self._load_styles()
        self._default_pstyle = next(
            (sid for sid, el in self._styles.items() if el.get(_q("type")) == "paragraph" and el.get(_q("default")) in ("1", "true")),
            None,
        )
        self._nums, self._abstracts = self._load_numbering()
        self._counters: dict[str, dict[int, int]] = {}

    # ---- styles and numbering -------------------------------------------------------------

    def _load_styles(self) -> dict[str, object]:
        try:
            root = self.document.styles.element
        except Exception:
            return {}
        return {el.get(_q("styleId")): el for el in root.iter(_q("style")) if el.get(_q("styleId"))}

    def _load_numbering(self):
        nums: dict[str, tuple[str, dict[int, int]]] = {}
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        try:
            root = self.document.part.numbering_part.element
        except Exception:
            return nums, abstracts
        for ab in root.iter(_q("abstractNum")):
            levels = {}
            for lvl in ab.findall(_q("lvl")):
                try:
                    ilvl = int(lvl.get(_q("ilvl")) or 0)
                    start = int(_val(lvl.find(_q("start"))) or 1)
                except ValueError:
                    continue
                fmt = _val(lvl.find(_q("numFmt"))) or "decimal"
                text = _val(lvl.find(_q("lvlText")))
                levels[ilvl] = (fmt, text if text is not None else f"%{ilvl + 1}.", start)
            abstracts[ab.get(_q("abstractNumId"))] = levels
        for num in root.iter(_q("num")):
            overrides = {}
            for ov in num.findall(_q("lvlOverride")):
                so = ov.find(_q("startOverride"))
                if so is not None:
                    try:
                        overrides[int(ov.get(_q("ilvl")) or 0)] = int(_val(so) or 1)
                    except ValueError:
                        pass
            nums[num.get(_q("numId"))] = (_val(num.find(_q("abstractNumId"))), overrides)
        return nums, abstracts

    def _style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            el = self._styles[style_id]
            yield el
            style_id = _val(el.find(_q("basedOn")))

    def _para_props(self, p):
        """(style name, numId, ilvl, outline level) of a paragraph, resolved through its styles."""
        ppr = p.find(_q("pPr"))
        style_id = _val(ppr.find(_q("pStyle"))) if ppr is not None else None
        style_id = style_id or self._default_pstyle
        num_id = ilvl = outline = None
        if ppr is not None:
            numpr = ppr.find(_q("numPr"))
            if numpr is not None:
                num_id = _val(numpr.find(_q("numId")))
                ilvl = _val(numpr.find(_q("ilvl")))
            outline = _val(ppr.find(_q("outlineLvl")))
        name = ""
        for i, st in enumerate(self._style_chain(style_id)):
            if i == 0:
                name = _val(st.find(_q("name"))) or ""
            sppr = st.find(_q("pPr"))
            if sppr is None:
                continue
            if num_id is None:
                numpr = sppr.find(_q("numPr"))
                if numpr is not None:
                    num_id = _val(numpr.find(_q("numId")))
                    if ilvl is None:
                        ilvl = _val(numpr.find(_q("ilvl")))
            if outline is None:
                outline = _val(sppr.find(_q("outlineLvl")))
        try:
            level = int(ilvl or 0)
        except ValueError:
            level = 0
        try:
            outline_level = int(outline) if outline is not None else None
        except ValueError:
            outline_level = None
        return name, num_id, level, outline_level

    def _number_prefix(self, num_id: str, ilvl: int) -> str | None:
        """Rendered list marker of the next item ("1.", "а)"), or None for a bullet."""
        abstract_id, overrides = self._nums.get(num_id, (None, {}))
        levels = self._abstracts.get(abstract_id or "", {})
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, {})
        fmt, _, start = levels[ilvl]
        start = overrides.get(ilvl, start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return None
        lvl_text = levels[ilvl][1]

        def render(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            f, _, s = levels[k]
            n = counters.get(k, overrides.get(k, s))
            return _format_number(n, f)

        text = re.sub(r"%(\d)", render, lvl_text).strip()
        return text if re.search(r"\w", text) else None

    # ---- text ----------------------------------------------------------------------------------

    def _run_text(self, el) -> str:
        parts: list[str] = []

        def walk(node) -> None:
            for child in node:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIP:
                    continue
                if tag == _q("t"):
                    parts.append(child.text or "")
                elif tag in (_q("tab"), _q("ptab")):
                    parts.append("\t")
                elif tag == _q("br"):
                    if child.get(_q("type")) in (None, "textWrapping"):
                        parts.append("\n")
                elif tag == _q("cr"):
                    parts.append("\n")
                elif tag == _q("noBreakHyphen"):
                    parts.append("-")
                elif tag == _q("softHyphen"):
                    pass
                elif tag == f"{{{_MC}}}AlternateContent":
                    # the fallback holds the plain version (drawings inside are skipped)
                    fallback = child.find(f"{{{_MC}}}Fallback")
                    if fallback is not None:
                        walk(fallback)
                elif tag == _q("p"):
                    # a paragraph nested in something (not expected inside a paragraph)
                    if parts:
                        parts.append(" ")
                    walk(child)
                else:
                    walk(child)

        walk(el)
        text = "".join(parts).replace("\u00ad", "").replace("\xa0", " ")
        lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
        return "\n".join(ln for ln in lines if ln)

    # ---- body ----------------------------------------------------------------------------------

    def read_body(self) -> None:
        body = self.document.element.body
        self._read_container(body)

    def _read_container(self, container) -> None:
        for child in container:
            tag = child.tag
            if tag == _q("p"):
                self._read_paragraph(child)
            elif tag == _q("tbl"):
                self._read_table(child)
            elif tag in (_q("sdt"),):
                content = child.find(_q("sdtContent"))
                if content is not None:
                    self._read_container(content)
            elif tag in (_q("customXml"), _q("ins"), _q("moveTo"), _q("smartTag")):
                self._read_container(child)
            elif tag == _q("altChunk"):
                self.warnings.append(
                    ("docx_altchunk", "the document embeds another document (altChunk) whose text is not read")
                )

    def _read_paragraph(self, p) -> None:
        text = self._run_text(p)
        name, num_id, ilvl, outline = self._para_props(p)
        lname = name.strip().lower()
        is_heading = bool(_HEADING_NAME_RE.match(lname)) or lname in _TITLE_NAMES or (
            outline is not None and 0 <= outline <= 8
        )
        numbered = num_id not in (None, "0")
        prefix = None
        if numbered:
            prefix = self._number_prefix(num_id, ilvl)  # count even empty items like Word does
        if not text:
            return
        if is_heading:
            if prefix:
                text = f"{prefix} {text}"
            heading = " ".join(text.split())
            self.headings.append(heading)
            self.blocks.append(("heading", text))
            return
        is_list = numbered or "list" in lname or "список" in lname
        if is_list:
            if prefix:
                text = f"{prefix} {text}"
            else:
                text = "- " + _BULLET_PREFIX_RE.sub("", text, count=1)
            self.blocks.append(("item", text))
            return
        self.blocks.append(("para", text))

    def _read_table(self, tbl) -> None:
        rows, header_rows = [], 0
        for tr in _children(tbl, _q("tr")):
            cells = []
            for tc in _children(tr, _q("tc")):
                tcpr = tc.find(_q("tcPr"))
                vmerge = tcpr.find(_q("vMerge")) if tcpr is not None else None
                if vmerge is not None and _val(vmerge) in (None, "continue"):
                    cells.append("")  # continuation of a vertically merged cell
                    continue
                texts = [self._run_text(p) for p in tc.iter(_q("p"))]
                cells.append(" ".join(" ".join(t.split()) for t in texts if t))
            if any(cells):
                trpr = tr.find(_q("trPr"))
                if trpr is not None and trpr.find(_q("tblHeader")) is not None and header_rows == len(rows):
                    header_rows += 1  # rows Word repeats on every page: the table's header
                rows.append(cells)
        if rows:
            # without a marked header row, the first row of a table of several rows is its header
            self.tables.append(RawTable(rows=rows, header_rows=header_rows or int(len(rows) > 1)))
            self.blocks.append(("table", placeholder(len(self.tables) - 1)))

    def text(self) -> str:
        return join_blocks(self.blocks)


def _children(el, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == _q("sdt"):
            content = child.find(_q("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _q("customXml"):
            yield from _children(child, tag)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalHalfWidth", "decimalFullWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n, "abcdefghijklmnopqrstuvwxyz")
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("russianLower", "russianUpper"):
        s = _letters(n, _RU_LETTERS)
        return s.upper() if fmt == "russianUpper" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    return str(n)


def _letters(n: int, alphabet: str) -> str:
    # Word repeats the letter after the alphabet ends: a..z, aa..zz, ...
    if n < 1:
        return str(n)
    k = len(alphabet)
    return alphabet[(n - 1) % k] * ((n - 1) // k + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out += sym
            n -= value
    return out
