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
import importlib.util
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
_TO_DIGITS = str.maketrans(R["words"]["digit_lookalikes"])
_LOOKS_NUMERIC = re.compile(f"[-–—]?[\\d{re.escape(''.join(R['words']['digit_lookalikes']))}]+[-–—]?")
_TO_ROMAN = str.maketrans(R["words"]["roman_lookalikes"])
_ROMAN_LOOKALIKE = re.compile(f"[IVXХ{''.join(R['words']['roman_lookalikes'])}]+")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ABBREVIATIONS = set(R["periods"]["abbreviations"])
_WHAT = {False: "has no text layer", True: "is a scanned image with almost no text layer"}


@functools.lru_cache(maxsize=1)
def tesseract() -> tuple[str | None, str, str]:
    """(lang argument, version, reason): lang is None, and reason says why, when OCR cannot run."""
    if importlib.util.find_spec("pytesseract") is None:  # found, not imported: this is asked while the models load
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
    if _LOOKS_NUMERIC.fullmatch(text) and (re.search(r"\d", text) or text[0] in "-–—" and text[-1] in "-–—"):
        text = text.translate(_TO_DIGITS)  # "2O22", "-l-" (a page number)
    if _ROMAN_LOOKALIKE.fullmatch(text) and _ROMAN.fullmatch(roman := text.translate(_TO_ROMAN).replace("Х", "X")) \
            and roman != text:
        text = roman  # "Ш квартал" is "III квартал", "ХП" is "XII"
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
        m = re.fullmatch(r"(\W*)([^\W\d_]+)(\W*)", text)
        if m and re.fullmatch("[A-Za-z]{2,}", m.group(2)):
            cand = m.group(2)
            for latin, cyrillic in R["lookalikes"]["pairs"].items():
                cand = cand.replace(latin, cyrillic)
            cand = cand.translate(_TO_CYR)
            p = morph.parse(cand.lower())[0]
            if not re.search("[A-Za-z]", cand) and p.is_known and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer":
                text = m.group(1) + cand + m.group(3)
        on_line = i + 1 < len(words) and abs(words[i + 1][3] - w[3]) < 0.5 * w[5]
        nxt = words[i + 1][0] if on_line else ""  # a full stop that ends a line ends its sentence
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
        image = prepare(page.to_image(resolution=dpi).original)
        hocr = pytesseract.image_to_pdf_or_hocr(image, lang=lang, extension="hocr",
                                                config=f"--psm {R['tesseract']['psm']}")
        words, confs = _hocr_words(hocr, 72.0 / dpi, image)
    except Exception as exc:
        raw.warnings.append(("ocr_failed", f"page {number} {_WHAT[partial]} and OCR failed: {' '.join(str(exc).split())[:200]}"))
        return None
    if not words:
        raw.warnings.append(("ocr_empty", f"page {number} {_WHAT[partial]} and OCR found no text on it"))
        return None
    raw.ocr_confidence.append((number, round(sum(confs) / len(confs), 1)))
    return fix_latin_words(words)


def prepare(image):
    """The page image as Tesseract reads it best: grey, scanner grain and specks taken out by a
    median filter, then black on white at the page's own threshold (Otsu), so that a speck is no
    full stop and grain no letter."""
    import numpy as np
    from PIL import Image, ImageFilter

    grey = image.convert("L")
    if R["image"]["median"] > 1:
        grey = grey.filter(ImageFilter.MedianFilter(R["image"]["median"]))
    if not R["image"]["binarize"]:
        return grey
    a = np.asarray(grey)
    return Image.fromarray(np.where(a > _otsu(a), 255, 0).astype(np.uint8))


def _otsu(a) -> int:
    """The grey level that best splits the image's histogram into ink and paper (Otsu's method)."""
    import numpy as np

    p = np.bincount(a.ravel(), minlength=256) / a.size
    w, m = np.cumsum(p), np.cumsum(p * np.arange(256))
    between = (m[-1] * w - m) ** 2 / np.maximum(w * (1 - w), 1e-12)
    return int(np.argmax(between))


def _title(el) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in el.get("title", "").split(";") if part.split()}


def _hocr_words(hocr: bytes, scale: float, image=None) -> tuple[list[tuple], list[float]]:
    """Words of Tesseract's hOCR in PDF points. A word's top and bottom come from its line's
    baseline and type size, not from its own box: "туризм" and "Администрации" on one line then
    stand on the same line, and every line of one type has the same height. With the page `image`,
    the words of a line set in strokes much thicker than the page's usual ones are bold."""
    import xml.etree.ElementTree as ET

    ink = _ink(image)
    words, confs, strokes = [], [], []  # strokes: (stroke width, index of the line's first word, letters)
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
        if ink is not None and spans:
            strokes.append((_stroke(ink, [float(v) for v in t["bbox"]]), len(words),
                            sum(len(re.findall(r"[^\W\d_]", "".join(w.itertext()))) for w in spans)))
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
    return _bold(words, strokes), confs


def _ink(image):
    """The image's ink as a boolean array (the prepared image is black on white), or None."""
    if image is None:
        return None
    import numpy as np

    return np.asarray(image.convert("L")) < 128


def _stroke(ink, bbox: list[float]) -> float:
    """The mean width of the horizontal runs of ink in a line's box: the thickness of its vertical
    strokes, about twice as large in bold type as in regular type of the same size."""
    x0, y0, x1, y1 = (int(v) for v in bbox)
    box = ink[max(0, y0):y1, max(0, x0):x1]
    if box.size == 0:
        return 0.0
    runs = int((box[:, 1:] & ~box[:, :-1]).sum() + box[:, 0].sum())
    return float(box.sum()) / runs if runs else 0.0


def _bold(words: list[tuple], strokes: list[tuple[float, int, int]]) -> list[tuple]:
    """Words with a seventh field, bold: their line's strokes are `bold_stroke` times the page's
    usual stroke (the median over its letters) or thicker."""
    if not strokes:
        return words
    by_letters = sorted((w, n) for w, _, n in strokes if n)
    total = sum(n for _, n in by_letters)
    if not total:
        return words
    acc, usual = 0, by_letters[-1][0]
    for width, n in by_letters:
        acc += n
        if acc >= total / 2:
            usual = width
            break
    bold = [False] * len(words)
    for (width, first, _), nxt in zip(strokes, [x[1] for x in strokes[1:]] + [len(words)]):
        if usual and width >= R["image"]["bold_stroke"] * usual:
            bold[first:nxt] = [True] * (nxt - first)
    return [(*w, b) for w, b in zip(words, bold)]


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
