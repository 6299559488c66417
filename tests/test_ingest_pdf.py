"""read_pdf on PDFs generated at test time (tests/make_docs.py): word order, headers, tables, OCR, errors."""
from __future__ import annotations

import difflib
import re
import sys
import types
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")

from pipeline.ingest import pdf as pdf_mod  # noqa: E402
from pipeline.ingest.pdf import read_pdf  # noqa: E402
from pipeline.ingest.raw import IngestError, RawText  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import make_docs  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "raw_reports" / "omsk-2021-international.txt"

OWN_TEXT = """\
Благоустройство и городская среда

Итоги 2021 года

В 2021 году Администрация города продолжила реализацию муниципальной программы формирования современной городской среды. Благоустроены двенадцать общественных территорий и сорок семь дворовых территорий многоквартирных домов, в которых проживают более тридцати тысяч горожан. Работы выполнялись с учетом предложений жителей, собранных в ходе общественных обсуждений и рейтингового голосования.

Особое внимание уделялось созданию безбарьерной среды для маломобильных граждан. На благоустроенных территориях установлены пандусы, тактильные указатели и специализированное игровое оборудование, а пешеходные дорожки выполнены с пониженными бортовыми камнями. Контроль качества работ осуществляли представители общественных организаций инвалидов.

Содержание улично-дорожной сети

За отчетный период отремонтировано шестьдесят три километра автомобильных дорог, в том числе по национальному проекту «Безопасные качественные дороги» приведены в нормативное состояние двадцать восемь участков магистральных улиц. На пересечениях с интенсивным движением установлены светофорные объекты нового поколения, подключенные к автоматизированной системе управления дорожным движением.

В зимний период механизированная уборка выполнялась круглосуточно. С улиц города вывезено более восьмисот тысяч кубических метров снега, для чего привлекались дополнительная техника подрядных организаций и снегоплавильные установки. Жалобы жителей на качество уборки рассматривались в течение суток, а их количество сократилось по сравнению с предыдущим годом почти вдвое.

Озеленение

Весной и осенью проведены массовые посадки деревьев и кустарников: высажено четыре тысячи саженцев, преимущественно липы, клена и березы, а также двадцать тысяч кустарников для живых изгородей. Проведена инвентаризация зеленых насаждений в центральной части города, по ее результатам составлен план санитарных рубок и компенсационного озеленения на ближайшие пять лет.

Совместно с волонтерскими объединениями организованы общегородские субботники, в которых приняли участие более пятнадцати тысяч человек. Молодежные организации взяли шефство над скверами у образовательных учреждений и провели конкурс ландшафтных проектов среди студентов архитектурного факультета.

Задачи на 2022 год

- завершение благоустройства набережной и прилегающих к ней общественных пространств с созданием велосипедной инфраструктуры;
- капитальный ремонт внутриквартальных проездов и тротуаров в исторической части города;
- внедрение системы мониторинга состояния зеленых насаждений с использованием геоинформационных технологий.

Реализация намеченных мероприятий позволит повысить комфортность проживания горожан, улучшить транспортную доступность районов и сохранить природный облик города для будущих поколений. Финансирование запланировано за счет средств бюджета города, областного бюджета и федеральных субсидий, а также внебюджетных источников в рамках концессионных соглашений.

Взаимодействие с жителями

Для обсуждения проектов благоустройства использовались как традиционные публичные слушания, так и электронные сервисы. На городском портале действовал раздел, где жители могли предложить территорию для благоустройства, проголосовать за дизайн-проект и сообщить о недостатках выполненных работ. За год поступило свыше девяти тысяч обращений, на каждое из них подготовлен ответ с указанием сроков устранения замечаний.

В районах работали общественные советы, в состав которых вошли представители территориального общественного самоуправления, управляющих компаний и предпринимательского сообщества. Регулярные выездные совещания позволили оперативно решать спорные вопросы, возникавшие при проведении работ во дворах, и согласовывать с жителями размещение парковочных мест, контейнерных площадок и малых архитектурных форм.

Экологическая безопасность

В сфере обращения с отходами продолжена замена контейнерного парка: установлено более тысячи контейнеров для раздельного накопления пластика, стекла и бумаги. Ликвидировано сто сорок несанкционированных свалок, выявленных с помощью космической съемки и сообщений жителей. На двух предприятиях завершена модернизация очистных сооружений, что позволило снизить сбросы загрязняющих веществ в реку почти на четверть.

Городская лаборатория провела более трех тысяч измерений качества атмосферного воздуха на стационарных и передвижных постах наблюдения. Результаты измерений публиковались ежедневно на официальном сайте Администрации города, а в периоды неблагоприятных метеорологических условий промышленные предприятия переходили на щадящий режим работы.
"""

HEADER = "Ежегодный доклад Главы города — Благоустройство и городская среда"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def joined(text: str) -> str:
    """Minimal rejoin of words hyphenated at line ends (the real cleaner does more).

    Also joins across a page break: a word hyphenated at the bottom of a page continues after "\\f".
    """
    return re.sub(r"-[\n\f]+(\w)", r"\1", text)


def order_ratio(source: str, got: str) -> float:
    return difflib.SequenceMatcher(None, words(source), words(joined(got)), autojunk=False).ratio()


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def _texts(seed_text: str) -> dict[str, str]:
    return {"seed": seed_text, "own": OWN_TEXT}


@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("which", ["seed", "own"])
def test_reading_order_against_source(tmp_path, seed_text, which, columns):
    source = _texts(seed_text)[which]
    header = make_docs.DEFAULT_HEADER if which == "seed" else HEADER
    path = tmp_path / f"{which}-{columns}col.pdf"
    n_pages = make_docs.text_to_pdf(source, path, columns=columns, header=header, page_numbers=True, hyphenate=True)
    assert n_pages >= 2  # running headers are only recognisable when they repeat

    raw = read_pdf(path.read_bytes())

    assert isinstance(raw, RawText)
    assert raw.format == "pdf" and raw.encoding is None
    assert raw.pages == n_pages
    assert raw.text.count("\f") == n_pages - 1
    assert raw.warnings == []
    # the generator really hyphenated some words at line ends
    assert re.search(r"[^\W\d_]-\n[^\W\d_]", raw.text)
    # running header and page numbers are gone
    assert header not in raw.text
    assert not any(tok in raw.text for tok in header.split() if len(tok) > 8 and tok not in source)
    for page in raw.text.split("\f"):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        assert lines and not re.fullmatch(r"\d{1,3}", lines[0].strip())
        assert not re.fullmatch(r"\d{1,3}", lines[-1].strip())

    ratio = order_ratio(source, raw.text)
    assert ratio >= 0.98, f"{which} {columns}-column: word order ratio {ratio:.4f}"


@pytest.mark.parametrize("style", ["gap", "indent"])
@pytest.mark.parametrize("columns", [1, 2])
def test_headings_title_and_paragraph_gaps(tmp_path, columns, style):
    """Paragraphs are found from the vertical gap or, without gaps, from the first-line indent."""
    path = tmp_path / "own.pdf"
    make_docs.text_to_pdf(OWN_TEXT, path, columns=columns, header=HEADER, paragraph_style=style)
    raw = read_pdf(path.read_bytes())
    assert order_ratio(OWN_TEXT, raw.text) >= 0.98

    blocks = make_docs.split_blocks(OWN_TEXT)
    expected_headings = [b for b in blocks if make_docs.is_heading(b)]
    assert raw.headings == expected_headings
    # the title comes first, before anything of the columns
    assert raw.text.splitlines()[0] == "Благоустройство и городская среда"

    # paragraphs start after a blank line (or at the top of a page)
    lines = raw.text.replace("\f", "\n\n").splitlines()
    starts = 0
    for block in blocks:
        if make_docs.is_heading(block) or make_docs.is_list_block(block):
            continue
        flat = " ".join(block.split())
        idx = next(i for i, ln in enumerate(lines) if len(ln) > 12 and flat.startswith(ln.rstrip("-")))
        starts += idx == 0 or lines[idx - 1] == ""
    n_paras = sum(1 for b in blocks if not make_docs.is_heading(b) and not make_docs.is_list_block(b))
    assert starts >= n_paras - 1

    # list items stay on their own lines
    for item in ("- завершение благоустройства", "- капитальный ремонт", "- внедрение системы"):
        assert any(ln.startswith(item) for ln in lines), item


def test_two_columns_are_read_left_then_right(tmp_path):
    # short distinctive paragraphs: if columns were interleaved, their words would mix
    paras = [f"Абзац номер {i} " + " ".join(f"слово{i}x{j}" for j in range(40)) + "." for i in range(1, 15)]
    text = "Заголовок отчета\n\n" + "\n\n".join(paras)
    path = tmp_path / "cols.pdf"
    make_docs.text_to_pdf(text, path, columns=2, hyphenate=False)
    raw = read_pdf(path.read_bytes())
    got = words(raw.text)
    assert got[:2] == ["Заголовок", "отчета"]
    assert got[2:] == words("\n".join(paras))


def test_table_rows_come_out_in_place(tmp_path):
    text = (
        "Показатели благоустройства\n\n"
        "Основные показатели работы за два года приведены в таблице ниже. Они показывают устойчивый рост.\n\n"
        "После таблицы идет заключительный абзац текста, который должен остаться после строк таблицы."
    )
    rows = [
        ["Показатель", "2020", "2021"],
        ["Дворовые территории", "35", "47"],
        ["Общественные территории", "9", "12"],
    ]
    path = tmp_path / "table.pdf"
    make_docs.text_to_pdf(text, path, columns=1, tables={1: rows})
    raw = read_pdf(path.read_bytes())
    lines = [ln for ln in raw.text.splitlines()]
    expected = [" | ".join(r) for r in rows]
    idx = [lines.index(r) for r in expected]
    assert idx == sorted(idx) and idx[2] - idx[0] == 2  # consecutive rows
    text_out = raw.text
    assert text_out.index("приведены в таблице") < text_out.index(expected[0])
    assert text_out.index(expected[-1]) < text_out.index("заключительный абзац")
    # table words are not repeated in the text flow
    assert text_out.count("Дворовые территории") == 1
    assert text_out.count("47") == 1
    assert "Показатель | 2020 | 2021" not in raw.headings


def test_scanned_page_without_ocr_gives_warning_and_other_pages(tmp_path, monkeypatch):
    pages = [
        "Первая страница отчета с обычным текстовым слоем.",
        make_docs.SCANNED,
        "Третья страница отчета тоже имеет текстовый слой.",
    ]
    path = tmp_path / "scan.pdf"
    assert make_docs.pdf_with_pages(pages, path) == 3
    monkeypatch.setattr(pdf_mod.shutil, "which", lambda name: None)
    pdf_mod._tesseract_langs.cache_clear()
    try:
        raw = read_pdf(path.read_bytes())
    finally:
        pdf_mod._tesseract_langs.cache_clear()
    assert raw.pages == 3
    parts = raw.text.split("\f")
    assert len(parts) == 3
    assert "Первая страница отчета" in parts[0]
    assert parts[1] == ""
    assert "Третья страница отчета" in parts[2]
    assert len(raw.warnings) == 1
    code, message = raw.warnings[0]
    assert code == "ocr_unavailable"
    assert message.startswith("page 2 has no text layer and Tesseract is not installed")
    assert "tesseract-ocr-rus" in message


def test_scanned_page_is_ocred_when_tesseract_is_there(tmp_path, monkeypatch):
    """The OCR path with a stand-in for pytesseract and the tesseract binary."""
    path = tmp_path / "scan.pdf"
    make_docs.pdf_with_pages(["Текстовая страница.", ("scan", "Распознанный текст страницы")], path)
    calls = []

    def image_to_string(image, lang=None):
        calls.append((image.size, lang))
        return "Распознанный текст\nстраницы\n\n\n\nВторой абзац\f"

    fake = types.ModuleType("pytesseract")
    fake.image_to_string = image_to_string
    monkeypatch.setitem(sys.modules, "pytesseract", fake)
    monkeypatch.setattr(pdf_mod.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(
        pdf_mod.subprocess,
        "run",
        lambda *a, **k: types.SimpleNamespace(stdout="List of available languages (2):\neng\nrus\n", stderr=""),
    )
    pdf_mod._tesseract_langs.cache_clear()
    try:
        raw = read_pdf(path.read_bytes())
    finally:
        pdf_mod._tesseract_langs.cache_clear()
    assert calls and calls[0][1] == "rus+eng"
    assert raw.text.split("\f")[1] == "Распознанный текст\nстраницы\n\nВторой абзац"
    assert [c for c, _ in raw.warnings] == ["ocr_used"]


def test_real_environment_scan_handling(tmp_path):
    """Whatever is installed here: either OCR text or the ocr_unavailable warning, never a crash."""
    path = tmp_path / "scan.pdf"
    make_docs.pdf_with_pages(["Текстовая страница отчета.", ("scan", "Отчет о благоустройстве города")], path)
    pdf_mod._tesseract_langs.cache_clear()
    raw = read_pdf(path.read_bytes())
    lang, _ = pdf_mod._tesseract_langs()
    if lang is None:
        assert [c for c, _ in raw.warnings] == ["ocr_unavailable"]
    else:
        assert "благоустрой" in raw.text.split("\f")[1].lower()
    assert "Текстовая страница отчета." in raw.text


def _error(data: bytes) -> str:
    with pytest.raises(IngestError) as info:
        read_pdf(data)
    message = str(info.value)
    assert "\n" not in message and message
    return message


def test_errors_have_distinct_one_line_messages(tmp_path):
    path = tmp_path / "ok.pdf"
    make_docs.text_to_pdf(OWN_TEXT, path)
    good = path.read_bytes()

    not_pdf = _error("<html><body>Отчет</body></html>".encode())
    empty = _error(b"")
    truncated = [_error(good[: int(len(good) * f)]) for f in (0.3, 0.6, 0.95)]
    garbage = _error(b"%PDF-1.7\n" + bytes(range(256)) * 40)

    enc_path = tmp_path / "enc.pdf"
    make_docs.text_to_pdf("Секретный отчет\n\nТекст под паролем.", enc_path, encrypt_password="secret")
    encrypted = _error(enc_path.read_bytes())
    no_pages = _error(make_docs.empty_pdf_bytes())

    assert not_pdf.startswith("not a PDF:")
    assert empty.startswith("not a PDF:")
    for m in truncated + [garbage]:
        assert m.startswith("corrupt PDF:"), m
    assert encrypted.startswith("encrypted PDF:")
    assert no_pages == "PDF has no pages"
    assert len({not_pdf.split(":")[0], truncated[0].split(":")[0], encrypted.split(":")[0], no_pages}) == 4


def test_owner_password_only_pdf_is_readable(tmp_path):
    """Encrypted with an empty user password: opens without a password, so it is just read."""
    pdf = make_docs.new_pdf()
    pdf.add_page()
    pdf.multi_cell(0, 5, "Открытый текст с ограничениями прав.")
    pdf.set_encryption(owner_password="owner")
    path = tmp_path / "owner.pdf"
    pdf.output(str(path))
    raw = read_pdf(path.read_bytes())
    assert "Открытый текст с ограничениями прав." in raw.text


def test_cp1251_mojibake_is_repaired():
    garbled = "Администрация города Омска".encode("cp1251").decode("latin-1")
    assert pdf_mod.fix_mojibake(garbled) == "Администрация города Омска"
    assert pdf_mod._MOJIBAKE_RE.match(garbled.split()[0])
    assert not pdf_mod._MOJIBAKE_RE.match("Größe")  # ordinary Latin-1 text is left alone
