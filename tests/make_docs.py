"""Generate PDF and DOCX test documents from plain text at test time (no binary fixtures).

Text format: blocks separated by blank lines. A one-line block that is short and does not end
with a period is a heading; lines starting with "- ", "• " or "1) " are list items; every other
block is a paragraph (its lines are joined).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEFAULT_HEADER = "Доклад о деятельности Администрации города за 2021 год"
SCANNED = object()  # marker for `pdf_with_pages`: a page that is only an image

_VOWELS = set("аеёиоуыэюяaeiouy")
_LIST_RE = re.compile(r"^(?:[-•–]\s+|\d{1,2}[).]\s+)")


# --------------------------------------------------------------------------------------------
# text structure


def split_blocks(text: str) -> list[str]:
    return [b.strip("\n") for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def is_heading(block: str) -> bool:
    """Short one-line block without a final period (a heading in the generated documents)."""
    if "\n" in block or _LIST_RE.match(block):
        return False
    line = block.strip()
    return 0 < len(line) <= 120 and not line.endswith((".", ";", ",", ":"))


def is_list_block(block: str) -> bool:
    lines = [ln for ln in block.splitlines() if ln.strip()]
    return bool(lines) and all(_LIST_RE.match(ln.strip()) for ln in lines)


def _join_lines(lines: list[str]) -> str:
    """Lines of a hard-wrapped paragraph as the author meant it: one line, words cut at a line end
    ('преиму-' + 'щественно') whole again, a hyphen before a capital ('Усть-' + 'Каменогорск') kept."""
    out = ""
    for ln in (x.strip() for x in lines):
        if re.search(r"\w-$", out) and ln[:1].islower():
            out = out[:-1] + ln
        elif re.search(r"\w-$", out):
            out += ln
        else:
            out = f"{out} {ln}" if out else ln
    return out


def blocks_of(text: str) -> list[tuple[str, str]]:
    """The document's blocks in order: ("heading" | "para" | "item", text), one line each.

    In a hard-wrapped text, every line of a block that starts with a list marker ("- ", "• ",
    "1) ", "2. ") starts an item and the lines after it continue the item; lines before the first
    item are a paragraph. Elsewhere every line is a paragraph or item of its own."""
    out: list[tuple[str, str]] = []
    lengths = sorted(len(x) for x in text.splitlines() if x.strip())
    wrapped = bool(lengths) and lengths[int(len(lengths) * 0.98)] <= 100  # else every line is a paragraph
    for block in split_blocks(text):
        if is_heading(block):
            out.append(("heading", block.strip()))
            continue
        units: list[tuple[str, list[str]]] = []
        prev = ""
        for ln in (x for x in block.splitlines() if x.strip()):
            # in a wrapped text a short line ends its paragraph; a word broken at a line's end goes on
            broken = prev.rstrip().endswith("-") and prev.rstrip()[-2:-1].isalpha()
            if not broken and (_LIST_RE.match(ln.strip()) or not units or not wrapped or len(prev) < 0.6 * lengths[-1]):
                units.append(("item" if _LIST_RE.match(ln.strip()) else "para", [ln]))
            else:
                units[-1][1].append(ln)
            prev = ln
        out.extend((kind, _join_lines(lines)) for kind, lines in units)
    return out


def _split_point(word: str) -> int | None:
    """Where to hyphenate a long word: a vowel-consonant boundary near the middle."""
    n = len(word)
    low = word.lower()
    best = None
    for i in range(3, n - 2):
        a, b = low[i - 1], low[i]
        c = low[i + 1] if i + 1 < n else ""
        if b in "ьъй" or a == "ъ":
            continue
        ok = (a in _VOWELS and b not in _VOWELS and c in _VOWELS) or (
            a not in _VOWELS and b not in _VOWELS and low[i - 2] in _VOWELS and c in _VOWELS
        )
        if ok and (best is None or abs(i - n / 2) < abs(best - n / 2)):
            best = i
    return best


def soft_hyphenate(text: str, min_len: int = 11) -> str:
    """Put one soft hyphen into every word longer than 10 letters.

    fpdf2 breaks lines at a soft hyphen only when the word would overflow the line and then
    prints a real "-", so long words get hyphenated exactly where they would not fit.
    """

    def repl(m: re.Match) -> str:
        w = m.group(0)
        i = _split_point(w)
        return w if i is None else w[:i] + "\u00ad" + w[i:]

    return re.sub(r"[^\W\d_]{%d,}" % min_len, repl, text)


# --------------------------------------------------------------------------------------------
# PDF


def _fpdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        running_header: str = ""
        page_numbers: bool = True
        plain_pages: set = set()  # pages without header and footer (scans)

        def header(self) -> None:  # noqa: D401 - fpdf2 hook
            if self.running_header and self.page not in self.plain_pages:
                y = self.y
                self.set_font("DejaVu", "", 8)
                self.set_xy(self.l_margin, 10)
                self.cell(0, 4, self.running_header, align="C")
                self.set_draw_color(150, 150, 150)
                self.line(self.l_margin, 15.5, self.w - self.r_margin, 15.5)
                self.set_y(max(y, self.t_margin))

        def footer(self) -> None:
            if self.page_numbers and self.page not in self.plain_pages:
                self.set_y(-14)
                self.set_font("DejaVu", "", 9)
                self.cell(0, 5, str(self.page_no()), align="C")

    return ReportPDF


def new_pdf(header: str | None = DEFAULT_HEADER, page_numbers: bool = True):
    pdf = _fpdf_class()(format="A4", unit="mm")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.running_header = header or ""
    pdf.page_numbers = page_numbers
    pdf.set_margins(18, 22, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font("DejaVu", "", 10)
    return pdf


def _write_blocks(pdf, blocks: list[tuple[str, str]], columns: int, hyphenate: bool, font_size: float,
                  paragraph_style: str = "gap", balance: bool = False) -> None:
    indent = paragraph_style == "indent"
    with pdf.text_columns(ncols=columns, gutter=8, text_align="J", line_height=1.2, balance=balance) as cols:
        prev = None
        for kind, text in blocks:
            if kind == "heading":
                pdf.set_font("DejaVu", "B", font_size + 1.5)
                # balanced columns start level: a top margin at the start would shift one column only
                top = 0 if balance and prev is None else 4.5
                with cols.paragraph(text_align="L", top_margin=top, bottom_margin=1.5) as par:
                    par.write(text)
                pdf.set_font("DejaVu", "", font_size)
                prev = kind
                continue
            pdf.set_font("DejaVu", "", font_size)
            text = soft_hyphenate(text) if hyphenate else text
            if kind == "item":
                with cols.paragraph(top_margin=0.6 if prev == "item" else 2.5) as par:
                    par.write(text)
            elif indent:  # Russian style: first-line indent, no space between paragraphs
                with cols.paragraph(first_line_indent=10) as par:
                    par.write(text)
            else:
                with cols.paragraph(top_margin=2.5) as par:
                    par.write(text)
            prev = kind


def _write_table(pdf, rows: list[list[str]], font_size: float, ruled: bool = True) -> None:
    pdf.set_font("DejaVu", "", font_size - 1)
    pdf.ln(4)
    with pdf.table(first_row_as_headings=False, line_height=5, text_align="LEFT",
                   borders_layout="ALL" if ruled else "NONE") as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", font_size)


def text_to_pdf(
    text: str,
    path: str | Path,
    columns: int | str = 1,
    header: str | None = DEFAULT_HEADER,
    page_numbers: bool = True,
    hyphenate: bool = True,
    tables: dict[int, list[list[str]]] | None = None,
    font_size: float = 10,
    encrypt_password: str | None = None,
    paragraph_style: str = "gap",
    ruled: bool = True,
) -> int:
    """Write `text` as an A4 PDF and return its page count.

    columns=2: a first heading block is set in full width above the two columns (a report title);
    the rest flows through two columns. columns="mixed": the sections (a heading and what follows
    it) alternate between one column and two balanced columns, so that pages mix both. `tables`
    maps a block index (of `blocks_of(text)`) to table rows inserted after that block (the text
    columns are closed around the table), ruled or, with ruled=False, without any lines.
    Headings are DejaVuSans-Bold and 1.5 pt larger; a running header and page numbers are added on
    every page. paragraph_style "gap" puts space between paragraphs, "indent" a first-line indent.
    """
    pdf = new_pdf(header, page_numbers)
    pdf.add_page()
    blocks = blocks_of(text)
    start = 0
    if columns != 1 and blocks and blocks[0][0] == "heading":
        pdf.set_font("DejaVu", "B", font_size + 4)
        pdf.multi_cell(0, 8, blocks[0][1], align="C")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", font_size)
        start = 1
    tables = tables or {}
    chunks: list[tuple[int, list[tuple[str, str]]]] = []  # (columns, blocks)
    section = 0
    for index in range(start, len(blocks)):
        block = blocks[index]
        if columns == "mixed" and block[0] == "heading" and index > start and blocks[index - 1][0] != "heading":
            section += 1
        ncols = (1 + section % 2) if columns == "mixed" else int(columns)
        if not chunks or chunks[-1][0] != ncols or chunks[-1][1] and chunks[-1][1][-1][0] == "table":
            chunks.append((ncols, []))
        chunks[-1][1].append(block)
        if index in tables:
            chunks[-1][1].append(("table", index))
    for ncols, chunk in chunks:
        part: list[tuple[str, str]] = []
        for block in chunk + [("end", "")]:
            if block[0] in ("table", "end"):
                if part:
                    if columns == "mixed":
                        pdf.ln(4)
                    _write_blocks(pdf, part, ncols, hyphenate, font_size, paragraph_style, balance=columns == "mixed")
                    part = []
                if block[0] == "table":
                    _write_table(pdf, tables[block[1]], font_size, ruled)
            else:
                part.append(block)
    if encrypt_password:
        pdf.set_encryption(owner_password=encrypt_password + "-owner", user_password=encrypt_password)
    pdf.output(str(path))
    return pdf.page


def scan_pdf(src: str | Path, dst: str | Path, dpi: int = 200, noise: float = 0.03, seed: int = 0,
             skew: float = 0.3) -> int:
    """Render every page of the PDF `src` as a grey image at `dpi`, add mild scanner noise (a
    slight skew, grain, specks) and write the images as a PDF without a text layer."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    pages = []
    doc = pypdfium2.PdfDocument(str(src))
    for page in doc:
        img = page.render(scale=dpi / 72).to_pil().convert("L")
        img = img.rotate(skew * (1 if len(pages) % 2 else -1), resample=Image.BICUBIC, fillcolor=255, expand=False)
        a = np.asarray(img, dtype=np.float32)
        a = a * 0.9 + 20 + rng.normal(0, 255 * noise, a.shape)  # grey paper, grain
        specks = rng.random(a.shape) < noise / 30
        a[specks] = rng.choice([0.0, 255.0], size=int(specks.sum()))
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.4))
        pages.append(img)
    doc.close()
    pages[0].save(str(dst), "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return len(pages)


def scan_image(text: str, width: int = 1240, height: int = 1754):
    """A Pillow image that looks like a scanned page (text rendered as pixels)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (width, height), 248)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 28)
    except OSError:
        font = ImageFont.load_default()
    y = 120
    for para in split_blocks(text):
        words = para.split()
        line = ""
        for w in words:
            trial = (line + " " + w).strip()
            if draw.textlength(trial, font=font) > width - 240 and line:
                draw.text((120, y), line, fill=20, font=font)
                y += 40
                line = w
            else:
                line = trial
        if line:
            draw.text((120, y), line, fill=20, font=font)
            y += 60
    return img


def pdf_with_pages(pages: list, path: str | Path, header: str | None = DEFAULT_HEADER) -> int:
    """One PDF page per item: a text (set in one column) or `SCANNED` / ("scan", text) for an
    image-only page without a text layer. Returns the page count."""
    pdf = new_pdf(header, page_numbers=True)
    pdf.plain_pages = {i for i, item in enumerate(pages, 1) if item is SCANNED or isinstance(item, tuple)}
    for item in pages:
        pdf.add_page()
        if item is SCANNED or isinstance(item, tuple):
            scan_text = item[1] if isinstance(item, tuple) else "Отсканированная страница отчёта"
            buf = io.BytesIO()
            scan_image(scan_text).save(buf, format="PNG")
            buf.seek(0)
            pdf.image(buf, x=0, y=0, w=pdf.w, h=pdf.h)
        else:
            pdf.set_y(max(pdf.y, pdf.t_margin))
            _write_blocks(pdf, blocks_of(item), 1, False, 10)
    pdf.output(str(path))
    return pdf.page


def empty_pdf_bytes() -> bytes:
    """A syntactically valid PDF whose page tree has no pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------------------------
# DOCX


def text_to_docx(
    text: str,
    path: str | Path,
    table: list[list[str]] | None = None,
    table_after: int | None = None,
    header: str | None = DEFAULT_HEADER,
    footer: str | None = "Страница",
) -> None:
    """Write `text` as .docx: the first heading as Heading 1, later ones as Heading 2, list items
    ("- ", "• ") as List Bullet, "1) " / "1. " items as List Number, other blocks as paragraphs.
    `table` (rows of cells, the first one marked as the header row) is inserted after block number
    `table_after` of `blocks_of(text)` (default: at the end). The section header/footer get
    `header`/`footer` so that tests can check they are left out."""
    import docx
    from docx.oxml import OxmlElement

    doc = docx.Document()
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    blocks = blocks_of(text)
    first_heading = True

    def add_table() -> None:
        t = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
        t.style = "Table Grid"
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    for index, (kind, block) in enumerate(blocks):
        if kind == "heading":
            doc.add_heading(block, level=1 if first_heading else 2)
            first_heading = False
        elif kind == "item":
            if re.match(r"^\d{1,2}[).]\s+", block):
                doc.add_paragraph(re.sub(r"^\d{1,2}[).]\s+", "", block), style="List Number")
            else:
                doc.add_paragraph(re.sub(r"^[-•–]\s+", "", block), style="List Bullet")
        else:
            doc.add_paragraph(block)
        if table and table_after == index:
            add_table()
    if table and (table_after is None or table_after >= len(blocks)):
        add_table()
    doc.save(str(path))


def text_with_table(kind: str, text: str, path: str | Path, table: list[list[str]], after: int) -> None:
    """`text` as a document of `kind` with `table` after block `after` of `blocks_of(text)`: docx, odt,
    rtf, or a PDF: "ruled", "unruled", "ruled-2col", "unruled-2col"."""
    if kind == "docx":
        text_to_docx(text, path, table=table, table_after=after)
    elif kind == "odt":
        text_to_odt(text, path, table=table, table_after=after)
    elif kind == "rtf":
        text_to_rtf(text, path, table=table, table_after=after)
    else:
        text_to_pdf(text, path, tables={after: table}, ruled=kind.startswith("ruled"), columns=2 if kind.endswith("2col") else 1)


# --------------------------------------------------------------------------------------------
# RTF, OpenDocument and legacy Word


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


def text_to_rtf(text: str, path: str | Path, table: list[list[str]] | None = None, table_after: int | None = None) -> None:
    """Write `text` as RTF as a word processor saves it: headings bold and larger with an outline
    level, one \\par per paragraph or list item, Cyrillic as \\u escapes, `table` as a real RTF
    table (\\trowd … \\cell … \\row) after block `table_after` of `blocks_of(text)`."""
    parts = ["{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0\\froman\\fcharset204 Times New Roman;}}\n"]

    def add_table() -> None:
        width = 9000 // max(len(r) for r in table)
        for row in table:
            parts.append("\\trowd" + "".join(f"\\cellx{width * (i + 1)}" for i in range(len(row))) + "\n")
            parts.append("".join(f"\\pard\\intbl {_rtf_escape(c)}\\cell " for c in row) + "\\row\n")
        parts.append("\\pard\n")

    blocks = blocks_of(text)
    for index, (kind, block) in enumerate(blocks):
        if kind == "heading":
            parts.append(f"{{\\pard\\outlinelevel1\\b\\fs28 {_rtf_escape(block)}\\par}}\n")
        else:
            parts.append(f"{{\\pard\\fs24 {_rtf_escape(block)}\\par}}\n")
        if table and table_after == index:
            add_table()
    if table and (table_after is None or table_after >= len(blocks)):
        add_table()
    parts.append("}")
    Path(path).write_text("".join(parts), encoding="ascii")


def text_to_odt(text: str, path: str | Path, table: list[list[str]] | None = None, table_after: int | None = None) -> None:
    """Write `text` as OpenDocument text (odfpy): headings as text:h with an outline level, "- "
    items as a bulleted list, "1. " items as a numbered list, `table` with its first row in
    table:table-header-rows, after block `table_after` of `blocks_of(text)`."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

    doc = OpenDocumentText()
    bullets = ListStyle(name="Bullets")
    bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
    numbers = ListStyle(name="Numbers")
    numbers.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    for style in (bullets, numbers):
        style.childNodes[0].addElement(ListLevelProperties())
        doc.automaticstyles.addElement(style)

    def add_table() -> None:
        t = Table(name="Table1")
        t.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in table)))
        for r, row in enumerate(table):
            tr = TableRow()
            for cell in row:
                tc = TableCell()
                tc.addElement(P(text=cell))
                tr.addElement(tc)
            if r == 0:
                head = TableHeaderRows()
                head.addElement(tr)
                t.addElement(head)
            else:
                t.addElement(tr)
        doc.text.addElement(t)

    blocks = blocks_of(text)
    current = None  # the open list and its kind
    for index, (kind, block) in enumerate(blocks):
        numbered = kind == "item" and bool(re.match(r"^\d{1,2}[).]\s+", block))
        if kind == "item":
            style = "numbered" if numbered else "bullet"
            if current is None or current[1] != style:
                current = (List(stylename=numbers if numbered else bullets), style)
                doc.text.addElement(current[0])
            item = ListItem()
            item.addElement(P(text=re.sub(r"^(?:\d{1,2}[).]|[-•–])\s+", "", block)))
            current[0].addElement(item)
        else:
            current = None
            doc.text.addElement(H(outlinelevel=1, text=block) if kind == "heading" else P(text=block))
        if table and table_after == index:
            current = None
            add_table()
    if table and (table_after is None or table_after >= len(blocks)):
        add_table()
    doc.save(str(path))


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file (the container of .doc files, version 3) holding `streams` (each padded
    to at least 4096 bytes, so that no mini stream is needed)."""
    import struct

    sec = 512
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = list(streams)
    datas = [streams[n].ljust(max(4096, -(-len(streams[n]) // sec) * sec), b"\0") for n in names]
    fat: list[int] = []
    starts = []
    for d in datas:
        starts.append(len(fat))
        n = len(d) // sec
        fat += [len(fat) + i + 1 for i in range(n - 1)] + [end]
    dir_sector = len(fat)
    fat.append(end)
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * (sec // 4):
        n_fat += 1
    fat_start = len(fat)
    fat += [fat_mark] * n_fat
    fat += [free] * (n_fat * (sec // 4) - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child) + b"\0" * 16
                + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    # the directory is a red-black tree ordered by name length, then name: one level suffices here
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    entries = [entry("Root Entry", 5, free, free, order[-1] + 1, end, 0)]
    for i, name in enumerate(names):
        left = order[order.index(i) - 1] + 1 if i == order[-1] and len(order) > 1 else free
        entries.append(entry(name, 2, left if i == order[-1] else free, free, free, starts[i], len(datas[i])))
    if len(order) > 2:
        raise ValueError("two streams at most")
    directory = b"".join(entries).ljust(sec, b"\0")
    difat = [fat_start + i for i in range(n_fat)] + [free] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_sector, 0, 4096, end, 0, end, 0) + struct.pack("<109I", *difat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + b"".join(datas) + directory + fat_bytes


def text_to_doc(text: str, path: str | Path) -> None:
    """Write `text` as a legacy Word 97 .doc (a FIB, the text as UTF-16, a one-piece table), the
    least antiword and catdoc read: one paragraph per block, list items with their markers."""
    import struct

    body = "\r".join(block for _, block in blocks_of(text)) + "\r"
    data = body.encode("utf-16-le")
    text_at = 1024
    fib = bytearray(text_at)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0419, 0)
    struct.pack_into("<H", fib, 10, 0x0200 | 0x1000)  # 1Table, extended characters
    struct.pack_into("<H", fib, 12, 0x00BF)
    struct.pack_into("<II", fib, 24, text_at, text_at + len(data))  # fcMin, fcMac
    struct.pack_into("<H", fib, 32, 14)
    struct.pack_into("<H", fib, 62, 22)
    struct.pack_into("<I", fib, 64 + 3 * 4, len(body))  # ccpText
    struct.pack_into("<H", fib, 152, 0x5D)
    plc = struct.pack("<II", 0, len(body)) + struct.pack("<HIH", 0, text_at, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 154 + 33 * 8, 0, len(clx))  # fcClx, lcbClx
    Path(path).write_bytes(_cfb({"WordDocument": bytes(fib) + data, "1Table": clx}))
