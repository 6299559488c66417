"""Read a PDF report into `RawText`: one text line per paragraph, in reading order.

Per page the reader takes the words with their positions (pdfplumber, or Tesseract for a page
that is a scanned image), sets ruled tables apart (`ruled`), drops running headers/footers and
page numbers in the margins (`furniture`), finds the reading order of one- and two-column and
mixed pages (`columns`) and tables set without rules (`grid`); then paragraphs, headings and list
items are made across columns and pages (`paragraphs`).
"""
from __future__ import annotations

import io
import logging

from ..limits import bound_pdf_streams
from ..ocr import ocr_page, report_ocr
from ..raw import IngestError, RawText
from .columns import FlowIds, order
from .document import check_signature, one_line, open_error
from .furniture import drop_running_lines
from .grid import find_grids
from .model import Page, Word
from .paragraphs import PageLines, assemble, page_gaps
from .words import MOJIBAKE_RE, body_font, check_glyphs, fix_mojibake, parse_page

__all__ = ["MOJIBAKE_RE", "fix_mojibake", "read_pdf"]


def read_pdf(data: bytes) -> RawText:
    """Read PDF bytes into `RawText` (format "pdf", `pages` = page count, `reflowed`)."""
    import pdfplumber  # imported here so that other readers work without pdf support

    check_signature(data)
    bound_pdf_streams()
    try:
        doc = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer errors
        raise open_error(exc) from exc
    raw = RawText(text="", format="pdf", reflowed=True)
    try:
        try:
            pages = list(doc.pages)
        except Exception as exc:
            raise open_error(exc) from exc
        if not pages:
            raise IngestError("PDF has no pages")
        raw.pages = len(pages)
        parsed: list[Page] = []
        failed = 0
        for number, page in enumerate(pages, 1):
            try:
                info = parse_page(page)
                if info.scanned or info.mostly_image:
                    words = ocr_page(page, number, info.mostly_image, raw)
                    if words:  # they replace what the text layer had (a page number...)
                        info.words, info.ocr = [Word(*w, spaced=True) for w in words], True
                parsed.append(info)
                page.close()  # drop pdfplumber's per-page object cache (large reports)
            except Exception as exc:
                failed += 1
                raw.warnings.append(("page_unreadable", f"page {number} could not be read: {one_line(exc)}"))
                parsed.append(Page(height=float(page.height or 0), width=float(page.width or 0)))
        if failed == len(pages):
            raise IngestError(f"corrupt PDF: none of its {len(pages)} pages could be read")
    finally:
        try:
            doc.close()  # pdfplumber's close() walks the pages again: a damaged file can fail there too
        except Exception:
            pass

    check_glyphs([p for p in parsed if not p.ocr], raw.warnings)
    report_ocr(raw)
    drop_running_lines(parsed)
    # the text layer's type and the OCR's are measured apart
    fonts = {kind: body_font([p for p in parsed if p.ocr == kind]) for kind in (False, True)}
    laid_out = []
    for info in parsed:
        size, bold_share = fonts[info.ocr]
        size = size or 10.0
        lines = order(info.words, info.tables, size, FlowIds())
        if not info.ocr:  # OCR positions are too rough to find a table's columns without rules
            lines = find_grids(lines, size)
        # in a document set mostly in bold, bold says nothing about headings
        laid_out.append(PageLines(lines, size, page_gaps(lines, size), use_bold=bold_share < 0.4,
                                  slack=1.5 * size if info.ocr else 0.5, heading_step=0.12 if info.ocr else 0.0,
                                  trusted=not info.ocr))
    raw.page_probes = [next((ln.text for ln in page.lines if not ln.table and len(ln.text.strip()) >= 12), "")
                       for page in laid_out]
    raw.text = assemble(laid_out, raw)
    return raw


logging.getLogger("pdfminer").setLevel(logging.ERROR)
