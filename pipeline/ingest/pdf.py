"""Read a PDF report into `RawText`: words in reading order, one text line per visual line.

Per page the reader takes the words with their positions (pdfplumber), removes the words that
belong to ruled tables (those come out as "cell | cell" rows at the table's place), drops running
headers/footers and bare page numbers found in the top and bottom margins, detects a two-column
layout from a word-free vertical gutter, and emits the left column before the right one while
full-width lines (a title above the columns, a line spanning the gutter) stay at their vertical
place. A vertical gap larger than the page's usual line spacing, or a first-line indent after a
finished line, becomes a blank line. Lines in a larger font or a bold face are reported as headings.

Pages without a text layer (scans) are recognised with Tesseract when `pytesseract`, the
`tesseract` binary and its Russian data are all present; otherwise the page is skipped with an
"ocr_unavailable" warning.
"""
from __future__ import annotations

import functools
import io
import logging
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field

from .raw import IngestError, RawText

__all__ = ["read_pdf"]

# Horizontal distance (as a fraction of the font size) under which two characters belong to one
# word even without a space character between them.
_X_TOLERANCE_RATIO = 0.15
_Y_TOLERANCE = 3.0
# Share of the page height treated as top / bottom margin when looking for running headers.
_MARGIN_ZONE = 0.10
# A page with fewer visible characters than this and a large image is treated as a scan.
_SCAN_MAX_CHARS = 30

_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–—.|]*(?:(?:стр(?:аница)?|с|page|p)\.?\s*)?"
    r"(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:из|of|/)\s*\d{1,4})?[\s\-–—.|]*$",
    re.IGNORECASE,
)
_SENTENCE_END = tuple(".!?:;…»\")")
_CID_RE = re.compile(r"\(cid:\d+\)")
# Cyrillic text in cp1251 decoded as Latin-1 by a font without a Unicode map: "Îò÷åò"
_MOJIBAKE_RE = re.compile(r"^[\u00c0-\u00ff\u00a8\u00b8]{3,}[.,;:!?)»]*$")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    """One visual line (or one table row) on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0
    bold: bool = False
    table: int | None = None  # index of the table this row belongs to
    flow: int = 0  # lines of one column share a flow id
    col_left: float = 0.0
    col_right: float = 0.0


@dataclass
class _Table:
    x0: float
    top: float
    x1: float
    bottom: float
    rows: list[tuple[float, float, str]]  # (top, bottom, "a | b | c")


@dataclass
class _Page:
    words: list[_Word] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    height: float = 0.0
    width: float = 0.0
    scanned: bool = False  # no text layer at all
    mostly_image: bool = False  # a full-page image with only a few characters of text
    ocr_text: str | None = None
    unmapped: int = 0  # glyphs without a Unicode mapping, "(cid:NN)" in pdfminer's output


# --------------------------------------------------------------------------------------------
# public entry point


def read_pdf(data: bytes) -> RawText:
    """Read PDF bytes into `RawText` (format "pdf", `pages` = page count, pages split by "\\f")."""
    import pdfplumber  # imported here so that other readers work without pdf support

    _check_signature(data)
    try:
        doc = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer errors
        raise _open_error(exc) from exc
    with doc:
        try:
            pages = list(doc.pages)
        except Exception as exc:
            raise _open_error(exc) from exc
        if not pages:
            raise IngestError("PDF has no pages")

        warnings: list[tuple[str, str]] = []
        parsed: list[_Page] = []
        failed = 0
        for number, page in enumerate(pages, 1):
            try:
                parsed.append(_parse_page(page))
                page.close()  # drop pdfplumber's per-page object cache (large reports)
            except Exception as exc:
                failed += 1
                warnings.append(("page_unreadable", f"page {number} could not be read: {_one_line(exc)}"))
                parsed.append(_Page(height=float(page.height or 0), width=float(page.width or 0)))
        if failed == len(pages):
            raise IngestError(f"corrupt PDF: none of its {len(pages)} pages could be read")

        for number, (page, info) in enumerate(zip(pages, parsed), 1):
            if info.scanned or info.mostly_image:
                info.ocr_text = _ocr_page(page, number, warnings, partial=info.mostly_image)

    _check_glyphs(parsed, warnings)
    body_size, bold_share = _body_font(parsed)
    _drop_running_lines(parsed)

    headings: list[str] = []
    # in a document set mostly in bold, bold says nothing about headings
    use_bold = bold_share < 0.4
    page_texts = [_page_text(info, body_size, headings, use_bold) for info in parsed]
    return RawText(
        text="\f".join(page_texts),
        format="pdf",
        encoding=None,
        pages=len(pages),
        headings=headings,
        warnings=warnings,
    )


# --------------------------------------------------------------------------------------------
# opening and errors


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _check_signature(data: bytes) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise IngestError(f"not a PDF: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data.strip():
        raise IngestError("not a PDF: the file is empty")
    if b"%PDF-" not in data[:1024]:
        head = data[:16]
        raise IngestError(f"not a PDF: no %PDF header at the start of the file (starts with {head!r})")


def _open_error(exc: BaseException) -> IngestError:
    inner = exc
    # pdfplumber's PdfminerException carries the original pdfminer exception as its argument
    if exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    name = type(inner).__name__
    try:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - pdfminer always comes with pdfplumber
        PDFEncryptionError = PDFPasswordIncorrect = ()  # type: ignore[assignment]
    if isinstance(inner, PDFPasswordIncorrect) or name == "PDFPasswordIncorrect":
        return IngestError("encrypted PDF: it cannot be opened without a password")
    if isinstance(inner, PDFEncryptionError) or "encrypt" in name.lower():
        return IngestError(f"encrypted PDF: unsupported encryption ({_one_line(inner)})")
    detail = _one_line(inner)
    if name in ("PSEOF",) or "EOF" in detail:
        return IngestError(f"corrupt PDF: the file is truncated or damaged ({detail})")
    return IngestError(f"corrupt PDF: {detail}")


# --------------------------------------------------------------------------------------------
# per-page extraction


def _parse_page(page) -> _Page:
    info = _Page(height=float(page.height), width=float(page.width))
    chars = [c for c in page.chars if not c.get("text", "").isspace()]
    if not chars:
        info.scanned = _has_drawing(page)
        return info
    if len(chars) < _SCAN_MAX_CHARS and _image_share(page) >= 0.6:
        info.mostly_image = True

    tables = _find_tables(page)
    info.tables = tables

    raw_words = page.extract_words(
        x_tolerance=3,
        x_tolerance_ratio=_X_TOLERANCE_RATIO,
        y_tolerance=_Y_TOLERANCE,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    for w in raw_words:
        text = w["text"].strip()
        if "(cid:" in text:
            info.unmapped += len(_CID_RE.findall(text))
            text = _CID_RE.sub("", text)
        if not text:
            continue
        cx = (w["x0"] + w["x1"]) / 2
        cy = (w["top"] + w["bottom"]) / 2
        if any(t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom for t in tables):
            continue
        info.words.append(
            _Word(
                text=text,
                x0=float(w["x0"]),
                x1=float(w["x1"]),
                top=float(w["top"]),
                bottom=float(w["bottom"]),
                size=round(float(w.get("size") or 0.0), 2),
                bold=_is_bold(w.get("fontname") or ""),
            )
        )
    return info


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1].lower()
    return any(k in name for k in ("bold", "heavy", "black", "semibold", "demi"))


def _image_share(page) -> float:
    area = float(page.width) * float(page.height) or 1.0
    covered = 0.0
    for im in page.images:
        w = min(float(im["x1"]), float(page.width)) - max(float(im["x0"]), 0.0)
        h = min(float(im["bottom"]), float(page.height)) - max(float(im["top"]), 0.0)
        covered += max(0.0, w) * max(0.0, h)
    return covered / area


def _has_drawing(page) -> bool:
    """Something drawn on a page without text: a scanned image or text drawn as outlines.

    A truly empty page (or one with a frame only) is not a scan and needs no OCR.
    """
    return bool(page.images) or len(page.curves) > 20


def _find_tables(page) -> list[_Table]:
    try:
        found = page.find_tables()
    except Exception:
        return []
    tables: list[_Table] = []
    for tab in found:
        try:
            rows = tab.rows
            cells = tab.extract(x_tolerance=3, y_tolerance=3)
        except Exception:
            continue
        ncols = max((len(r) for r in cells), default=0)
        if len(cells) < 2 and ncols < 2:
            continue  # a single framed box: read it as ordinary text
        out_rows = []
        for row, row_cells in zip(rows, cells):
            texts = [_cell_text(c) for c in row_cells if c is not None]
            if not any(texts):
                continue
            out_rows.append((float(row.bbox[1]), float(row.bbox[3]), " | ".join(texts)))
        if not out_rows:
            continue
        x0, top, x1, bottom = (float(v) for v in tab.bbox)
        tables.append(_Table(x0=x0, top=top, x1=x1, bottom=bottom, rows=out_rows))
    return tables


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out = ""
    for ln in lines:
        if not out:
            out = ln
        elif re.search(r"\w-$", out) and ln[:1].islower():
            out += ln  # keep the hyphen: "онлайн-формат" must survive, the cleaner may fix the rest
        else:
            out += " " + ln
    return out


def _check_glyphs(pages: list[_Page], warnings: list[tuple[str, str]]) -> None:
    """Repair cp1251-as-Latin-1 words and warn about glyphs that have no Unicode mapping."""
    words = [w for info in pages for w in info.words]
    if not words:
        return
    garbled = [w for w in words if _MOJIBAKE_RE.match(w.text)]
    if len(garbled) >= max(5, 0.2 * len(words)):
        for w in garbled:
            w.text = fix_mojibake(w.text)
        warnings.append(
            ("pdf_mojibake", f"{len(garbled)} words were Cyrillic mis-decoded as Latin-1 and have been re-decoded as cp1251")
        )
    unmapped = sum(info.unmapped for info in pages)
    total = sum(len(w.text) for w in words) + unmapped
    if unmapped and unmapped >= 0.05 * total:
        bad = [str(i) for i, info in enumerate(pages, 1) if info.unmapped]
        warnings.append(
            (
                "pdf_unmapped_glyphs",
                f"{unmapped} characters on pages {', '.join(bad[:10])}{'…' if len(bad) > 10 else ''} "
                "use fonts without a Unicode map and were dropped; OCR may be needed",
            )
        )


def fix_mojibake(text: str) -> str:
    """'Îò÷åò' -> 'Отчет' (cp1251 bytes that were read as Latin-1); other text is returned as is."""
    try:
        return text.encode("latin-1").decode("cp1251")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


# --------------------------------------------------------------------------------------------
# running headers / footers


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove lines in the top/bottom margin that repeat on most pages, and bare page numbers."""
    candidates: list[list[tuple[str, float, list[_Word]]]] = []
    for info in pages:
        found = []
        if info.words and info.height:
            for row in _rows_of(info.words):
                top = min(w.top for w in row)
                bottom = max(w.bottom for w in row)
                if bottom <= info.height * _MARGIN_ZONE or top >= info.height * (1 - _MARGIN_ZONE):
                    found.append((top, row))
        per_page = []
        for top, row in found:
            # a margin row may hold a header at the left and a page number at the right
            for part in _split_wide_gaps(row):
                per_page.append((_norm_key(_join_words(part)), top, part))
        candidates.append(per_page)

    with_text = sum(1 for info in pages if info.words)
    need = max(2, (with_text + 1) // 2)
    # key -> list of tops (one per page)
    seen: dict[str, list[float]] = {}
    for per_page in candidates:
        for key in {k for k, _, _ in per_page}:
            tops = [t for k, t, _ in per_page if k == key]
            seen.setdefault(key, []).append(tops[0])

    repeated = set()
    for key, tops in seen.items():
        if len(tops) < need:
            continue
        # a running header sits at the same height on every page
        ref = statistics.median(tops)
        if sum(1 for t in tops if abs(t - ref) <= 4.0) >= need:
            repeated.add(key)

    for info, per_page in zip(pages, candidates):
        drop: set[int] = set()
        for key, _, part in per_page:
            text = _join_words(part)
            if key in repeated or _PAGE_NUMBER_RE.match(text):
                drop.update(id(w) for w in part)
        if drop:
            info.words = [w for w in info.words if id(w) not in drop]


def _split_wide_gaps(row: list[_Word]) -> list[list[_Word]]:
    row = sorted(row, key=lambda w: w.x0)
    parts = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        if w.x0 - prev.x1 > 3 * max(prev.size, w.size, 1.0):
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts


# --------------------------------------------------------------------------------------------
# lines, columns and reading order


def _rows_of(words: list[_Word]) -> list[list[_Word]]:
    """Cluster words into rows by their top coordinate."""
    rows: list[list[_Word]] = []
    ref = None
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        tol = max(_Y_TOLERANCE, 0.35 * w.size)
        if rows and ref is not None and abs(w.top - ref) <= tol:
            rows[-1].append(w)
        else:
            rows.append([w])
            ref = w.top
    return rows


def _join_words(words: list[_Word]) -> str:
    words = sorted(words, key=lambda w: w.x0)
    out = ""
    prev = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            # pieces of one word split by a font change touch each other
            out += "" if gap < 0.1 * max(prev.size, w.size, 1.0) else " "
        out += w.text
        prev = w
    return out


def _make_line(words: list[_Word], flow: int) -> _Line:
    sizes = []
    bold_chars = 0
    total = 0
    for w in words:
        n = len(w.text)
        sizes.extend([w.size] * n)
        total += n
        if w.bold:
            bold_chars += n
    return _Line(
        text=_join_words(words),
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        size=statistics.median(sizes) if sizes else 0.0,
        bold=total > 0 and bold_chars / total > 0.5,
        flow=flow,
    )


@dataclass
class _Gutter:
    left: float  # x where the gutter starts (right edge of the left column)
    right: float  # x where the gutter ends (left edge of the right column)


def _find_gutter(rows: list[list[_Word]], size: float) -> _Gutter | None:
    """A vertical strip free of words in most rows, with running text on both sides of it.

    Rows of the two columns need not be aligned: a row counts for the left side if it has words
    left of the strip and none inside it, for the right side likewise. Rows crossing the strip
    (a title, a wide table) are allowed when few, or when they form a few solid bands.
    """
    if len(rows) < 6:
        return None
    xmin = min(w.x0 for r in rows for w in r)
    xmax = max(w.x1 for r in rows for w in r)
    width = xmax - xmin
    gmin = max(7.0, 1.0 * size)
    if width < 6 * gmin:
        return None
    n = int(width) + 2
    free = [0] * (n + 1)  # difference arrays over the window start a (window = [a, a + gmin])
    left = [0] * (n + 1)
    right = [0] * (n + 1)

    def add(arr: list[int], lo: float, hi: float) -> None:
        a0 = max(int(lo - xmin) + 1, 0)
        a1 = min(int(hi - xmin - gmin), n - 1)
        if a1 >= a0:
            arr[a0] += 1
            arr[a1 + 1] -= 1

    for row in rows:
        ws = sorted(row, key=lambda w: w.x0)
        edge = xmin - gmin - 2
        first = True
        for w in ws:
            if w.x0 - edge >= gmin:
                add(free, edge, w.x0)
                if not first:
                    add(left, edge, w.x0)
                add(right, edge, w.x0)
            edge = max(edge, w.x1)
            first = False
        add(free, edge, xmax + gmin + 2)
        add(left, edge, xmax + gmin + 2)

    def running(arr: list[int]) -> list[int]:
        out, acc = [], 0
        for v in arr[:n]:
            acc += v
            out.append(acc)
        return out

    free_c, left_c, right_c = running(free), running(left), running(right)
    nrows = len(rows)
    need = max(3, 0.2 * nrows)
    lo = max(int(0.25 * width - gmin / 2), 0)
    hi = min(int(0.75 * width - gmin / 2), n - 1)
    best = None
    for a in range(lo, hi + 1):
        both = min(left_c[a], right_c[a])
        if both < need:
            continue
        # fewest rows crossing the strip first (a river of spaces in one column is crossed by
        # some lines, a real gutter only by full-width titles), then most rows beside it
        key = (-(nrows - free_c[a]), both, -abs(a + gmin / 2 - width / 2))
        if best is None or key > best[0]:
            best = (key, a)
    if best is None:
        return None
    a = best[1]
    wl, wr = xmin + a, xmin + a + gmin

    crossing = [any(w.x0 < wr and w.x1 > wl for w in row) for row in rows]
    if sum(crossing) > 0.3 * nrows:
        runs = sum(1 for i, c in enumerate(crossing) if c and (i == 0 or not crossing[i - 1]))
        if runs > 3:
            return None  # crossing rows interleave with the others: one column with gaps
    lwidths, rwidths, lx1, rx0 = [], [], [], []
    for row, cross in zip(rows, crossing):
        if cross:
            continue
        lw = [w for w in row if w.x1 <= wl]
        rw = [w for w in row if w.x0 >= wr]
        if lw:
            lwidths.append(max(w.x1 for w in lw) - min(w.x0 for w in lw))
            lx1.append(max(w.x1 for w in lw))
        if rw:
            rwidths.append(max(w.x1 for w in rw) - min(w.x0 for w in rw))
            rx0.append(min(w.x0 for w in rw))
    if not lx1 or not rx0:
        return None
    gl, gr = max(lx1), min(rx0)
    if gr - gl < gmin:
        gl, gr = wl, wr
    # both sides must hold running text, not a narrow column of numbers (a table of contents)
    lcol, rcol = gl - xmin, xmax - gr
    if lcol < 0.2 * width or rcol < 0.2 * width:
        return None
    if statistics.median(lwidths) < 0.5 * lcol or statistics.median(rwidths) < 0.5 * rcol:
        return None
    return _Gutter(left=gl, right=gr)


class _FlowIds:
    def __init__(self) -> None:
        self.n = 0

    def new(self) -> int:
        self.n += 1
        return self.n


def _order(words: list[_Word], tables: list[_Table], size: float, flows: _FlowIds, depth: int = 0) -> list[_Line]:
    """Words and tables of a region in reading order, as lines."""
    rows = _rows_of(words)
    # only the page level is split: inside a narrow column, justified lines with few words make
    # "rivers" of spaces that look like gutters (three-column layouts are a known gap)
    gutter = _find_gutter(rows, size) if depth == 0 else None
    if gutter is None:
        flow = flows.new()
        items: list[tuple[float, int, object]] = []
        for row in rows:
            items.append((min(w.top for w in row), 0, _make_line(row, flow)))
        for t in tables:
            items.append((t.top, 1, t))
        items.sort(key=lambda it: (it[0], it[1]))
        out: list[_Line] = []
        for _, _, item in items:
            if isinstance(item, _Table):
                out.extend(_table_lines(item, flows.new()))
            else:
                out.append(item)
        if out:
            lefts = [ln.x0 for ln in out if ln.table is None]
            rights = [ln.x1 for ln in out if ln.table is None]
            cl = min(lefts) if lefts else 0.0
            cr = max(rights) if rights else 0.0
            for ln in out:
                if ln.table is None:
                    ln.col_left, ln.col_right = cl, cr
        return out

    mid = (gutter.left + gutter.right) / 2
    gwidth = gutter.right - gutter.left
    # classify rows: spanning the gutter -> full width; otherwise split into left/right parts
    full: list[tuple[float, str, object]] = []  # (top, kind, payload)
    left_words: list[_Word] = []
    right_words: list[_Word] = []
    for row in rows:
        ws = sorted(row, key=lambda w: w.x0)
        crossing = any(w.x0 < gutter.right - 1 and w.x1 > gutter.left + 1 for w in ws)
        if crossing:
            # a left-column line poking into the gutter next to a right-column line: split at the
            # widest gap near the gutter if there is a real one
            split_at = None
            for a, b in zip(ws, ws[1:]):
                gap = b.x0 - a.x1
                if gap >= 0.6 * gwidth and gutter.left - gwidth <= (a.x1 + b.x0) / 2 <= gutter.right + gwidth:
                    if split_at is None or gap > split_at[0]:
                        split_at = (gap, (a.x1 + b.x0) / 2)
            if split_at is None:
                full.append((min(w.top for w in ws), "row", ws))
                continue
            cut = split_at[1]
            left_words.extend(w for w in ws if w.x1 <= cut)
            right_words.extend(w for w in ws if w.x1 > cut)
            continue
        for w in ws:
            (left_words if (w.x0 + w.x1) / 2 < mid else right_words).append(w)

    left_tables: list[_Table] = []
    right_tables: list[_Table] = []
    for t in tables:
        if t.x1 <= mid + 2:
            left_tables.append(t)
        elif t.x0 >= mid - 2:
            right_tables.append(t)
        else:
            full.append((t.top, "table", t))
    full.sort(key=lambda f: f[0])

    # bands between full-width items: left column first, then the right one
    out: list[_Line] = []
    lower = float("-inf")
    full_flow = None
    for top, kind, payload in full + [(float("inf"), "end", None)]:
        lw = [w for w in left_words if lower <= w.top < top]
        rw = [w for w in right_words if lower <= w.top < top]
        lt = [t for t in left_tables if lower <= t.top < top]
        rt = [t for t in right_tables if lower <= t.top < top]
        if lw or lt or rw or rt:
            full_flow = None
        if lw or lt:
            out.extend(_order(lw, lt, size, flows, depth + 1))
        if rw or rt:
            out.extend(_order(rw, rt, size, flows, depth + 1))
        if kind == "row":
            if full_flow is None:
                full_flow = flows.new()
            line = _make_line(payload, full_flow)
            line.col_left, line.col_right = line.x0, line.x1
            out.append(line)
            lower = top
        elif kind == "table":
            full_flow = None
            out.extend(_table_lines(payload, flows.new()))
            lower = top
    return out


def _table_lines(t: _Table, flow: int) -> list[_Line]:
    return [
        _Line(text=text, x0=t.x0, x1=t.x1, top=top, bottom=bottom, table=flow, flow=flow)
        for top, bottom, text in t.rows
    ]


# --------------------------------------------------------------------------------------------
# page text with paragraph gaps and headings


def _body_font(pages: list[_Page]) -> tuple[float, float]:
    """Median font size of the document's characters and the share of bold characters."""
    sizes: list[float] = []
    bold = 0
    for info in pages:
        for w in info.words:
            sizes.extend([w.size] * len(w.text))
            bold += len(w.text) if w.bold else 0
    if not sizes:
        return 0.0, 0.0
    return statistics.median(sizes), bold / len(sizes)


def _page_text(info: _Page, body_size: float, headings: list[str], use_bold: bool = True) -> str:
    if info.ocr_text is not None:
        return info.ocr_text
    if not info.words and not info.tables:
        return ""
    size = body_size or 10.0
    lines = _order(info.words, info.tables, size, _FlowIds())
    if not lines:
        return ""

    # typical spacing between consecutive lines of one column
    gaps = []
    for a, b in zip(lines, lines[1:]):
        if a.flow == b.flow and a.table is None and b.table is None:
            g = b.top - a.bottom
            if -0.5 * size < g < 1.5 * size:
                gaps.append(g)
    normal_gap = statistics.median(gaps) if gaps else 0.2 * size
    para_gap = normal_gap + max(0.4 * size, 2.0)

    out: list[str] = []
    heading_group: list[_Line] = []

    def flush_heading() -> None:
        if heading_group:
            text = heading_group[0].text
            for ln in heading_group[1:]:
                if re.search(r"[^\W\d_]-$", text) and ln.text[:1].islower():
                    text = text[:-1] + ln.text
                else:
                    text += " " + ln.text
            if len(text) <= 300 and re.search(r"[^\W\d_]", text):
                headings.append(text)
            heading_group.clear()

    def blank() -> None:
        if out and out[-1] != "":
            out.append("")

    prev: _Line | None = None
    prev_heading = False
    for ln in lines:
        is_heading = ln.table is None and _is_heading(ln, size, use_bold)
        if prev is not None:
            if ln.table is not None or prev.table is not None:
                if ln.table != prev.table:
                    blank()
            elif is_heading != prev_heading:
                blank()
            elif ln.flow == prev.flow and ln.top > prev.top:
                if ln.top - prev.bottom > para_gap or _starts_paragraph(prev, ln, size):
                    blank()
            elif ln.flow != prev.flow and ln.top > prev.bottom + para_gap:
                blank()
        if is_heading:
            if not prev_heading or (out and out[-1] == ""):
                flush_heading()
            heading_group.append(ln)
        else:
            flush_heading()
        out.append(ln.text)
        prev, prev_heading = ln, is_heading
    flush_heading()
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _is_heading(ln: _Line, body_size: float, use_bold: bool = True) -> bool:
    if not re.search(r"[^\W\d_]", ln.text):
        return False
    return ln.size > body_size + 0.5 or (use_bold and ln.bold)


def _starts_paragraph(prev: _Line, ln: _Line, size: float) -> bool:
    """First-line indent after a line that ends a sentence or stops short of the column edge."""
    width = ln.col_right - ln.col_left
    if width <= 0:
        return False
    indent = ln.x0 - ln.col_left
    if not (0.8 * size <= indent <= 0.4 * width):
        return False
    short = prev.x1 < ln.col_right - 0.15 * width
    if short:
        return True
    if abs(prev.x0 - ln.x0) < 1.0:
        return False  # an indented block (quote, hanging list): every line starts there
    return prev.text.rstrip().endswith(_SENTENCE_END)


# --------------------------------------------------------------------------------------------
# OCR


_INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-rus"


@functools.lru_cache(maxsize=1)
def _tesseract_langs() -> tuple[str | None, str]:
    """(lang argument for Tesseract, reason) — lang is None when OCR cannot run."""
    try:
        import pytesseract  # noqa: F401  (optional dependency, not in the project)
    except ImportError:
        return None, "Tesseract is not installed (pip install pytesseract; " + _INSTALL_HINT + ")"
    exe = shutil.which("tesseract")
    if not exe:
        return None, f"Tesseract is not installed ({_INSTALL_HINT})"
    try:
        res = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"Tesseract does not run ({_one_line(exc)}; {_INSTALL_HINT})"
    langs = set((res.stdout + "\n" + res.stderr).split())
    if "rus" not in langs:
        return None, "Tesseract has no Russian language data (apt-get install tesseract-ocr-rus)"
    return ("rus+eng" if "eng" in langs else "rus"), ""


def _ocr_page(page, number: int, warnings: list[tuple[str, str]], partial: bool = False) -> str | None:
    """OCR text of a scanned page; None keeps whatever the text layer has (a page number...)."""
    lang, reason = _tesseract_langs()
    what = "is a scanned image with almost no text layer" if partial else "has no text layer"
    if lang is None:
        warnings.append(("ocr_unavailable", f"page {number} {what} and {reason}"))
        return None
    try:
        import pytesseract

        image = page.to_image(resolution=300).original
        text = pytesseract.image_to_string(image, lang=lang)
    except Exception as exc:
        warnings.append(("ocr_failed", f"page {number} {what} and OCR failed: {_one_line(exc)}"))
        return None
    lines = [ln.rstrip() for ln in text.replace("\f", "\n").splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    warnings.append(("ocr_used", f"page {number} {what}; its text was recognised by OCR"))
    return text


logging.getLogger("pdfminer").setLevel(logging.ERROR)
