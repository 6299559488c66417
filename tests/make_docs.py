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


def _write_blocks(
    pdf, blocks: list[str], columns: int, hyphenate: bool, font_size: float, paragraph_style: str = "gap"
) -> None:
    indent = paragraph_style == "indent"
    with pdf.text_columns(ncols=columns, gutter=8, text_align="J", line_height=1.2) as cols:
        for block in blocks:
            if is_heading(block):
                pdf.set_font("DejaVu", "B", font_size + 1.5)
                with cols.paragraph(text_align="L", top_margin=4.5, bottom_margin=1.5) as par:
                    par.write(block.strip())
                pdf.set_font("DejaVu", "", font_size)
            elif is_list_block(block):
                pdf.set_font("DejaVu", "", font_size)
                for i, line in enumerate(ln.strip() for ln in block.splitlines() if ln.strip()):
                    line = soft_hyphenate(line) if hyphenate else line
                    with cols.paragraph(top_margin=2.5 if i == 0 else 0.6) as par:
                        par.write(line)
            else:
                pdf.set_font("DejaVu", "", font_size)
                text = " ".join(ln.strip() for ln in block.splitlines())
                text = soft_hyphenate(text) if hyphenate else text
                if indent:  # Russian style: first-line indent, no space between paragraphs
                    with cols.paragraph(first_line_indent=10) as par:
                        par.write(text)
                else:
                    with cols.paragraph(top_margin=2.5) as par:
                        par.write(text)


def _write_table(pdf, rows: list[list[str]], font_size: float) -> None:
    pdf.set_font("DejaVu", "", font_size - 1)
    pdf.ln(4)
    with pdf.table(first_row_as_headings=False, line_height=5, text_align="LEFT") as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.ln(2)
    pdf.set_font("DejaVu", "", font_size)


def text_to_pdf(
    text: str,
    path: str | Path,
    columns: int = 1,
    header: str | None = DEFAULT_HEADER,
    page_numbers: bool = True,
    hyphenate: bool = True,
    tables: dict[int, list[list[str]]] | None = None,
    font_size: float = 10,
    encrypt_password: str | None = None,
    paragraph_style: str = "gap",
) -> int:
    """Write `text` as an A4 PDF and return its page count.

    columns=2: a first heading block is set in full width above the two columns (a report title);
    the rest flows through two columns. `tables` maps a block index to table rows inserted after
    that block (the text columns are closed around the table). Headings are DejaVuSans-Bold and
    1.5 pt larger; a running header and page numbers are added on every page.
    paragraph_style "gap" puts space between paragraphs, "indent" a first-line indent instead.
    """
    pdf = new_pdf(header, page_numbers)
    pdf.add_page()
    blocks = split_blocks(text)
    if columns > 1 and blocks and is_heading(blocks[0]):
        pdf.set_font("DejaVu", "B", font_size + 4)
        pdf.multi_cell(0, 8, blocks[0].strip(), align="C")
        pdf.ln(3)
        pdf.set_font("DejaVu", "", font_size)
        blocks = blocks[1:]
        start = 1
    else:
        start = 0
    tables = tables or {}
    chunk: list[str] = []
    for index, block in enumerate(blocks, start):
        chunk.append(block)
        if index in tables:
            _write_blocks(pdf, chunk, columns, hyphenate, font_size, paragraph_style)
            chunk = []
            _write_table(pdf, tables[index], font_size)
    if chunk:
        _write_blocks(pdf, chunk, columns, hyphenate, font_size, paragraph_style)
    if encrypt_password:
        pdf.set_encryption(owner_password=encrypt_password + "-owner", user_password=encrypt_password)
    pdf.output(str(path))
    return pdf.page


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
            _write_blocks(pdf, split_blocks(item), 1, False, 10)
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
    """Write `text` as .docx: the first heading as Heading 1, later ones as Heading 2, list lines
    ("- ", "• ") as List Bullet, "1) " lines as List Number, other blocks as paragraphs.
    `table` (rows of cells) is inserted after block number `table_after` (default: at the end).
    The section header/footer get `header`/`footer` so that tests can check they are left out."""
    import docx

    doc = docx.Document()
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    blocks = split_blocks(text)
    first_heading = True

    def add_table() -> None:
        t = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
        t.style = "Table Grid"
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value

    for index, block in enumerate(blocks):
        if is_heading(block):
            doc.add_heading(block.strip(), level=1 if first_heading else 2)
            first_heading = False
        elif is_list_block(block):
            for line in (ln.strip() for ln in block.splitlines() if ln.strip()):
                if re.match(r"^\d{1,2}[).]\s+", line):
                    doc.add_paragraph(re.sub(r"^\d{1,2}[).]\s+", "", line), style="List Number")
                else:
                    doc.add_paragraph(re.sub(r"^[-•–]\s+", "", line), style="List Bullet")
        else:
            doc.add_paragraph(" ".join(ln.strip() for ln in block.splitlines()))
        if table and table_after == index:
            add_table()
    if table and (table_after is None or table_after >= len(blocks)):
        add_table()
    doc.save(str(path))
