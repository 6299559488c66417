"""A PDF page's text layer as words with position, size and weight; glyph problems found on the way."""
from __future__ import annotations

import re
import statistics

from .model import Page, Word
from .ruled import find_tables

# Horizontal distance (as a fraction of the font size) under which two characters belong to one
# word even without a space character between them.
_X_TOLERANCE_RATIO = 0.15
_Y_TOLERANCE = 3.0
# A page with fewer visible characters than this and a large image is treated as a scan.
_SCAN_MAX_CHARS = 30
_CID_RE = re.compile(r"\(cid:\d+\)")
# Cyrillic text in cp1251 decoded as Latin-1 by a font without a Unicode map: "Îò÷åò"
MOJIBAKE_RE = re.compile(r"^[\u00c0-\u00ff\u00a8\u00b8]{3,}[.,;:!?)»]*$")


def parse_page(page) -> Page:
    info = Page(height=float(page.height), width=float(page.width))
    chars = [c for c in page.chars if not c.get("text", "").isspace()]
    if not chars:
        info.scanned = _has_drawing(page)
        return info
    if len(chars) < _SCAN_MAX_CHARS and _image_share(page) >= 0.6:
        info.mostly_image = True

    info.tables = tables = find_tables(page)
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
        info.words.append(Word(text=text, x0=float(w["x0"]), x1=float(w["x1"]), top=float(w["top"]),
                               bottom=float(w["bottom"]), size=round(float(w.get("size") or 0.0), 2),
                               bold=_is_bold(w.get("fontname") or "")))
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


def check_glyphs(pages: list[Page], warnings: list[tuple[str, str]]) -> None:
    """Repair cp1251-as-Latin-1 words and warn about glyphs that have no Unicode mapping."""
    words = [w for info in pages for w in info.words]
    if not words:
        return
    garbled = [w for w in words if MOJIBAKE_RE.match(w.text)]
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


def body_font(pages: list[Page]) -> tuple[float, float]:
    """Median font size of the pages' characters and the share of bold characters."""
    sizes: list[float] = []
    bold = 0
    for info in pages:
        for w in info.words:
            sizes.extend([w.size] * len(w.text))
            bold += len(w.text) if w.bold else 0
    if not sizes:
        return 0.0, 0.0
    return statistics.median(sizes), bold / len(sizes)
