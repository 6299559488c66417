"""Scanned pages: OCR with Tesseract, the warnings when it cannot run, the OCR text rules."""
from __future__ import annotations

import importlib.machinery
import shutil
import sys
import types
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")

from pipeline.ingest import environment, ingest, ocr  # noqa: E402
from pipeline.ingest.pdf import read_pdf  # noqa: E402

from tests import make_docs  # noqa: E402

HAVE_TESSERACT = ocr.tesseract()[0] is not None
HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body><div class='ocr_page' title='bbox 0 0 2480 3508'>
<div class='ocr_carea'><p class='ocr_par'>
<span class='ocr_line' title="bbox 300 400 2000 450; baseline 0 -10; x_size 42; x_descenders 9; x_ascenders 10">
<span class='ocrx_word' title='bbox 300 400 700 440; x_wconf 91'>Распознанный</span>
<span class='ocrx_word' title='bbox 720 400 900 440; x_wconf 89'>текст</span>
<span class='ocrx_word' title='bbox 920 400 940 440; x_wconf 30'>|</span>
<span class='ocrx_word' title='bbox 960 400 1200 440; x_wconf 80'>страни—</span>
</span>
<span class='ocr_line' title="bbox 300 460 2000 510; baseline 0 -10; x_size 42; x_descenders 9; x_ascenders 10">
<span class='ocrx_word' title='bbox 300 460 420 500; x_wconf 95'>цы</span>
<span class='ocrx_word' title='bbox 440 460 600 500; x_wconf 60'>mae</span>
<span class='ocrx_word' title='bbox 620 460 900 500; x_wconf 90'>2022</span>
<span class='ocrx_word' title='bbox 920 460 1100 500; x_wconf 90'>года.</span>
</span></p></div></div></body></html>"""


def _scan_pdf(tmp_path) -> Path:
    path = tmp_path / "scan.pdf"
    assert make_docs.pdf_with_pages(["Первая страница отчета с обычным текстовым слоем.", make_docs.SCANNED,
                                     "Третья страница отчета тоже имеет текстовый слой."], path) == 3
    return path


@pytest.fixture
def no_cache():
    ocr.tesseract.cache_clear()
    yield
    ocr.tesseract.cache_clear()


def test_scanned_page_without_tesseract_is_a_warning_and_the_rest_is_read(tmp_path, monkeypatch, no_cache):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    raw = read_pdf(_scan_pdf(tmp_path).read_bytes())
    assert raw.pages == 3
    assert "Первая страница отчета" in raw.text and "Третья страница отчета" in raw.text
    assert [c for c, _ in raw.warnings] == ["ocr_unavailable"]
    assert raw.warnings[0][1].startswith("page 2 has no text layer and Tesseract is not installed")
    assert "tesseract-ocr-rus" in raw.warnings[0][1]
    assert environment().startswith("ocr: none (Tesseract is not installed")


def test_missing_russian_data_and_missing_pytesseract_are_named(monkeypatch, no_cache):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: types.SimpleNamespace(
        stdout="tesseract 5.3.0\nList of available languages (2):\neng\nosd\n", stderr=""))
    assert ocr.tesseract()[0] is None and "tesseract-ocr-rus" in ocr.tesseract()[2]
    ocr.tesseract.cache_clear()
    monkeypatch.setitem(sys.modules, "pytesseract", None)
    assert "pip install pytesseract" in ocr.tesseract()[2]


def test_ocr_words_are_placed_on_their_line_and_cleaned(tmp_path, monkeypatch, no_cache):
    """A stand-in for Tesseract's hOCR: words get their line's geometry, a speck is dropped, the dash
    at a line end is a hyphen, Latin look-alikes are Russian, and the confidence is reported."""
    fake = types.ModuleType("pytesseract")
    fake.__spec__ = importlib.machinery.ModuleSpec("pytesseract", None)  # as an installed module has
    fake.image_to_pdf_or_hocr = lambda image, lang=None, extension=None, config="": HOCR.encode()
    monkeypatch.setitem(sys.modules, "pytesseract", fake)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: types.SimpleNamespace(
        stdout="tesseract 5.3.0\nList of available languages (2):\neng\nrus\n", stderr=""))
    path = tmp_path / "scan.pdf"
    make_docs.pdf_with_pages(["Текстовая страница.", ("scan", "Распознанный текст страницы")], path)
    raw = read_pdf(path.read_bytes())
    assert raw.text.split("\n\n")[-1] == "Распознанный текст страницы мае 2022 года."
    assert raw.ocr_confidence == [(2, 85.0)]  # the mean over the words kept (the speck is not a word)
    assert [c for c, _ in raw.warnings] == ["ocr_used"] and "2: 85" in raw.warnings[0][1]
    assert not any("Распознанный" in h for h in raw.headings)  # OCR's type sizes are not trusted for headings
    assert environment() == "ocr: tesseract 5.3.0 rus+eng psm 3 dpi 300"


def test_ocr_word_rules():
    assert ocr.clean_word("|") == "" and ocr.clean_word("‚") == ""
    assert ocr.clean_word("<<Сибирь>>") == "«Сибирь»"
    assert ocr.clean_word("ра3вития") == "развития"
    assert ocr.clean_word("2023") == "2023" and ocr.clean_word("3-х") == "3-х"
    assert ocr.clean_word("сотруд—", line_end=True) == "сотруд-"
    assert ocr.clean_word("Республика’") == "Республика"
    words = [(w, 0, 0, 0, 0, 10) for w in ["развития.", "международных", "в", "г.", "Омске", "и", "mae", "Zoom"]]
    assert [w[0] for w in ocr.fix_latin_words(words)] == ["развития", "международных", "в", "г.", "Омске", "и", "мае", "Zoom"]


@pytest.mark.skipif(not HAVE_TESSERACT, reason="Tesseract with Russian data is not installed")
def test_real_tesseract_reads_a_scanned_page(tmp_path, no_cache):
    path = tmp_path / "scan.pdf"
    make_docs.pdf_with_pages(["Текстовая страница отчета.", ("scan", "Отчет о благоустройстве города")], path)
    raw = read_pdf(path.read_bytes())
    assert "благоустрой" in raw.text.lower() and "Текстовая страница отчета." in raw.text
    assert [c for c, _ in raw.warnings] == ["ocr_used"]
    assert environment().startswith("ocr: tesseract ")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract binary")
def test_a_blank_scan_is_an_ocr_empty_warning_not_a_silent_ok(tmp_path, no_cache):
    from PIL import Image

    path = tmp_path / "blank.pdf"
    pages = [Image.new("L", (1654, 2339), 250), Image.new("L", (1654, 2339), 250)]
    pages[0].save(str(path), "PDF", resolution=200, save_all=True, append_images=pages[1:])
    if not HAVE_TESSERACT:
        pytest.skip("Tesseract without Russian data")
    raw = read_pdf(path.read_bytes())
    assert [c for c, _ in raw.warnings] == ["ocr_empty", "ocr_empty"]
    with pytest.raises(Exception, match="no text"):
        ingest(path, path.read_bytes())


def test_ocr_numbers_and_roman_numerals_read_as_letters():
    assert ocr.clean_word("-l-") == "-1-" and ocr.clean_word("2O22") == "2022" and ocr.clean_word("20l5") == "2015"
    assert ocr.clean_word("Ш") == "III" and ocr.clean_word("ХП") == "XII"
    assert [ocr.clean_word(w) for w in ("l", "Il", "Шаг", "ПП", "Омск")] == ["l", "Il", "Шаг", "ПП", "Омск"]
    words = [(w, 0, 0, 0, 0, 10) for w in ["Визит", "из", "(CLUA)", "и", "из", "Китая", "в", "мае"]]
    assert [w[0] for w in ocr.fix_latin_words(words)][2] == "(США)"
    # a full stop at a line's end ends a sentence even when the next line starts in lower case
    lines = [("годы.", 0, 0, 0, 0, 10), ("г.", 0, 0, 20, 0, 10), ("Ош", 0, 0, 20, 0, 10)] * 3
    assert ocr.fix_latin_words(lines)[0][0] == "годы."


def test_specks_and_grain_are_taken_out_before_ocr():
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(1)
    a = np.full((200, 300), 235.0) + rng.normal(0, 8, (200, 300))
    a[50:150, 100:112] = 20  # a stroke
    specks = rng.random(a.shape) < 0.002
    a[specks & (a > 100)] = 0
    ink = np.asarray(ocr.prepare(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))) < 128
    assert ink[60:140, 102:110].all()  # the stroke is kept, black
    assert not ink[:, :90].any() and not ink[:, 125:].any()  # no speck or grain is left as ink


def test_bold_lines_are_told_by_their_strokes():
    """Two lines of the same size, one in DejaVu Sans Bold: its strokes are about twice as thick."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1600, 300), 255)
    draw = ImageDraw.Draw(img)
    draw.text((50, 40), "Международное сотрудничество", font=ImageFont.truetype(str(make_docs.FONT_DIR / "DejaVuSans-Bold.ttf"), 42), fill=0)
    draw.text((50, 160), "Делегация посетила город-побратим", font=ImageFont.truetype(str(make_docs.FONT_DIR / "DejaVuSans.ttf"), 42), fill=0)
    ink = np.asarray(img) < 128
    bold, regular = ocr._stroke(ink, [40, 30, 1500, 100]), ocr._stroke(ink, [40, 150, 1500, 220])
    assert bold > 1.6 * regular
    words = [("Международное", 0, 0, 10, 20, 10), ("сотрудничество", 0, 0, 10, 20, 10), ("Делегация", 0, 0, 40, 50, 10),
             ("посетила", 0, 0, 40, 50, 10), ("город-побратим", 0, 0, 40, 50, 10), ("Ещё", 0, 0, 60, 70, 10)]
    marked = ocr._bold(words, [(bold, 0, 26), (regular, 2, 30), (regular, 5, 3)])
    assert [w[-1] for w in marked] == [True, True, False, False, False, False]


@pytest.mark.skipif(not HAVE_TESSERACT, reason="Tesseract with Russian data is not installed")
def test_a_noisy_scan_keeps_headings_page_numbers_and_spaces_apart(tmp_path, no_cache):
    """A bold heading is a paragraph of its own, a page number line "- 2 -" is dropped, and words
    stand apart however narrow the space OCR saw between them."""
    text = ("Отчёт о работе\n\nДелегация города посетила Харбин в период с 3 по 5 марта, где прошли переговоры о сотрудничестве "
            "в сфере образования и туризма.\n\n- 2 -\n\nРазвитие туризма\n\nВ III квартале прошёл фестиваль.")
    layer, scan = tmp_path / "layer.pdf", tmp_path / "scan.pdf"
    make_docs.text_to_pdf(text, layer, header=None, page_numbers=False)
    make_docs.scan_pdf(layer, scan, dpi=200, noise=0.03, seed=3)
    got = ingest(scan, scan.read_bytes()).text
    assert "в период с 3 по 5 марта" in got and "- 2 -" not in got and "-2-" not in got
    assert "\n\nРазвитие туризма\n\n" in got and "В III квартале" in got
