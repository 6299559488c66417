"""OCR of scanned pages with Tesseract (pytesseract), words cleaned by rules/ocr.toml.

A page without a text layer is rendered, recognised word by word with positions and confidence,
and handed back as ordinary words, so that columns, paragraphs, headings (by line height) and
page furniture are found as on any other page. What happened is one warning per document:

- `ocr_used`: pages read by OCR, with each page's mean word confidence (also in
  `RawText.ocr_confidence`);
- `ocr_low_confidence`: pages whose mean word confidence is below the rules' threshold;
- `ocr_unavailable`: scanned pages not read because Tesseract, its Russian data or pytesseract
  is missing (the message says what to install);
- `ocr_empty`: scanned pages where OCR found no text;
- `ocr_failed`: scanned pages where Tesseract failed (the error is in the message).

`environment()` names what outside the file changes these results, for the batch's decision
whether a file must be read again.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess

from pipeline import rules
from pipeline.ingest.raw import RawText

R = rules.load("ocr")
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-rus"
_STRAY = set(R["words"]["stray"])
_DIGIT_IN_WORD = R["words"]["digit_in_word"]
_DIGITS = re.compile(f"(?<=[а-яё])[{''.join(_DIGIT_IN_WORD)}](?=[а-яё])", re.I)
_LINE_END_HYPHEN = re.compile(f"(?<=[^\\W\\d_])[{R['words']['line_end_hyphen']}]$")
_TO_CYR = str.maketrans(R["lookalikes"]["latin"], R["lookalikes"]["cyrillic"])
_ABBREVIATIONS = set(R["periods"]["abbreviations"])
_WHAT = {False: "has no text layer", True: "is a scanned image with almost no text layer"}


@functools.lru_cache(maxsize=1)
def tesseract() -> tuple[str | None, str, str]:
    """(lang argument, version, reason): lang is None, and reason says why, when OCR cannot run."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return None, "", "pytesseract is not installed (pip install pytesseract)"
    exe = shutil.which("tesseract")
    if not exe:
        return None, "", f"Tesseract is not installed ({INSTALL_HINT})"
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, "", f"Tesseract does not run ({' '.join(str(exc).split())[:200]}; {INSTALL_HINT})"
    first = (version.stdout + version.stderr).strip().splitlines()
    number = first[0].split()[-1] if first else "unknown"
    langs = set((listed.stdout + "\n" + listed.stderr).split())
    for choice in R["tesseract"]["languages"]:
        if set(choice.split("+")) <= langs:
            return choice, number, ""
    return None, number, "Tesseract has no Russian language data (apt-get install tesseract-ocr-rus)"


def environment() -> str:
    """What outside the file changes ingest results: whether OCR runs, Tesseract's version, languages."""
    lang, version, reason = tesseract()
    if lang is None:
        return f"ocr: none ({reason})"
    return f"ocr: tesseract {version} {lang} psm {R['tesseract']['psm']} dpi {R['tesseract']['dpi']}"


def clean_word(text: str, line_end: bool = False) -> str:
    """One recognised word as it should read; "" for a speck."""
    for rep in R["words"]["replace"]:
        text = text.replace(rep["from"], rep["to"])
    if all(ch in _STRAY for ch in text):
        return ""
    text = text.strip(R["words"]["edge_marks"]) or text
    text = _DIGITS.sub(lambda m: _case(_DIGIT_IN_WORD[m.group()], m), text)
    if line_end:
        text = _LINE_END_HYPHEN.sub("-", text)
    return text


def fix_latin_words(words: list[tuple]) -> list[tuple]:
    """On a page read mostly in Cyrillic, Latin words that are Russian words in look-alike letters
    become Cyrillic; a full stop before a word in lower case that ends no abbreviation is a speck."""
    from pipeline import morph

    cyr = sum(1 for w in words if re.search("[а-яё]", w[0], re.I))
    if cyr < 0.7 * len(words):
        return words
    out = []
    for i, w in enumerate(words):
        text = w[0]
        m = re.fullmatch(r"([^\W\d_]+)(\W*)", text)
        if m and re.fullmatch("[A-Za-z]{2,}", m.group(1)):
            cand = m.group(1).translate(_TO_CYR)
            p = morph.parse(cand.lower())[0]
            if not re.search("[A-Za-z]", cand) and p.is_known and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer":
                text = cand + m.group(2)
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        stem = text[:-1].lower().lstrip("«(\"")
        if text.endswith(".") and not text.endswith("..") and nxt[:1].islower() and stem.isalpha() and stem not in _ABBREVIATIONS \
                and len(stem) > 1:
            text = text[:-1]
        out.append((text, *w[1:]))
    return out


def _case(letter: str, m: re.Match) -> str:
    s = m.string
    near = s[max(0, m.start() - 1):m.start()] + s[m.end():m.end() + 1]
    return letter.upper() if near and all(c.isupper() for c in near if c.isalpha()) and any(c.isalpha() for c in near) else letter


def ocr_page(page, number: int, partial: bool, raw: RawText) -> list[tuple] | None:
    """Recognise a scanned pdfplumber page: its words as (text, x0, x1, top, bottom, size) in
    points, or None (with a warning) when it cannot be read."""
    lang, _, reason = tesseract()
    if lang is None:
        raw.warnings.append(("ocr_unavailable", f"page {number} {_WHAT[partial]} and {reason}"))
        return None
    dpi = R["tesseract"]["dpi"]
    try:
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per page: the batch runs pages in parallel
        image = page.to_image(resolution=dpi).original
        hocr = pytesseract.image_to_pdf_or_hocr(image, lang=lang, extension="hocr",
                                                config=f"--psm {R['tesseract']['psm']}")
        words, confs = _hocr_words(hocr, 72.0 / dpi)
    except Exception as exc:
        raw.warnings.append(("ocr_failed", f"page {number} {_WHAT[partial]} and OCR failed: {' '.join(str(exc).split())[:200]}"))
        return None
    if not words:
        raw.warnings.append(("ocr_empty", f"page {number} {_WHAT[partial]} and OCR found no text on it"))
        return None
    raw.ocr_confidence.append((number, round(sum(confs) / len(confs), 1)))
    return fix_latin_words(words)


def _title(el) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in el.get("title", "").split(";") if part.split()}


def _hocr_words(hocr: bytes, scale: float) -> tuple[list[tuple], list[float]]:
    """Words of Tesseract's hOCR in PDF points. A word's top and bottom come from its line's
    baseline and type size, not from its own box: "туризм" and "Администрации" on one line then
    stand on the same line, and every line of one type has the same height."""
    import xml.etree.ElementTree as ET

    words, confs = [], []
    for line in ET.fromstring(hocr).iter():
        if not str(line.get("class", "")).startswith("ocr_") or line.get("class") in ("ocr_page", "ocr_carea", "ocr_par"):
            continue
        t = _title(line)
        if "bbox" not in t or "x_size" not in t:
            continue
        lx0, _, _, ly1 = (float(v) for v in t["bbox"])
        slope, offset = (float(v) for v in t.get("baseline", ["0", "0"]))
        x_size = float(t["x_size"][0])
        spans = [w for w in line if w.get("class") == "ocrx_word" and "".join(w.itertext()).strip()]
        for k, w in enumerate(spans):
            wt = _title(w)
            x0, _, x1, _ = (float(v) for v in wt["bbox"])
            text = clean_word("".join(w.itertext()).strip(), line_end=k == len(spans) - 1)
            if not text:
                continue
            base = ly1 + offset + slope * (x0 - lx0)
            confs.append(float(wt.get("x_wconf", ["0"])[0]))
            prev = words[-1] if words and k else None
            if prev and re.search(r"\w-$", prev[0]) and text[:1].isalnum() and x0 * scale - prev[2] < 0.5 * x_size * scale:
                words[-1] = (prev[0] + text, prev[1], x1 * scale, *prev[3:])  # "23-" "25", "туристско-" "информационный"
                continue
            words.append((text, x0 * scale, x1 * scale, (base - 0.8 * x_size) * scale, (base + 0.2 * x_size) * scale,
                          round(x_size * scale, 1)))
    return words, confs


def report_ocr(raw: RawText) -> None:
    """One warning for the pages read by OCR, with their confidence, and one for those read badly."""
    if not raw.ocr_confidence:
        return
    pages = ", ".join(f"{n}: {c:.0f}" for n, c in raw.ocr_confidence)
    raw.warnings.append(("ocr_used", f"{len(raw.ocr_confidence)} scanned pages were read by OCR "
                                     f"(mean word confidence by page, 0-100: {pages})"))
    low = [n for n, c in raw.ocr_confidence if c < R["tesseract"]["low_confidence"]]
    if low:
        raw.warnings.append(("ocr_low_confidence", f"OCR read pages {', '.join(map(str, low))} with a mean word "
                                                   f"confidence below {R['tesseract']['low_confidence']}: check their text"))
