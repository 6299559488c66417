"""read_pdf on PDFs generated at test time (tests/make_docs.py): reading order, paragraphs, headings, errors.

Tables: test_ingest_tables.py; scanned pages: test_ingest_ocr.py; scores: test_ingest_documents.py."""
from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")

from pipeline.ingest import pdf as pdf_mod  # noqa: E402
from pipeline.ingest.pdf import read_pdf  # noqa: E402
from pipeline.ingest.raw import IngestError, RawText  # noqa: E402

from tests import make_docs  # noqa: E402

from tests.conftest import SEED  # noqa: E402

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


def paragraph_lines(source: str) -> list[str]:
    """The source's paragraphs and list items as the reader must give them: one line each."""
    return [text for kind, text in make_docs.blocks_of(source) if kind != "heading"]


@pytest.mark.parametrize("columns", [1, 2, "mixed"])
@pytest.mark.parametrize("which", ["seed", "own"])
def test_reading_order_and_whole_paragraphs(tmp_path, seed_text, which, columns):
    source = _texts(seed_text)[which]
    header = make_docs.DEFAULT_HEADER if which == "seed" else HEADER
    path = tmp_path / f"{which}-{columns}col.pdf"
    n_pages = make_docs.text_to_pdf(source, path, columns=columns, header=header, page_numbers=True, hyphenate=True)
    assert n_pages >= 2  # running headers are only recognisable when they repeat

    raw = read_pdf(path.read_bytes())

    assert isinstance(raw, RawText)
    assert raw.format == "pdf" and raw.encoding is None and raw.reflowed
    assert raw.pages == n_pages
    assert raw.warnings == [] and raw.tables == []
    # running header and page numbers are gone
    assert header not in raw.text
    lines = raw.text.splitlines()
    assert not any(re.fullmatch(r"\d{1,3}", ln.strip()) for ln in lines)
    # every paragraph and list item is one line: no column or page break inside it, the words
    # the generator hyphenated at line ends are whole again
    expected = paragraph_lines(source)
    whole = [p for p in expected if p in lines]
    assert len(whole) == len(expected), [p[:60] for p in expected if p not in lines]
    assert order_ratio(source, raw.text) >= 0.98


@pytest.mark.parametrize("style", ["gap", "indent"])
@pytest.mark.parametrize("columns", [1, 2])
def test_headings_title_and_paragraphs(tmp_path, columns, style):
    """Paragraphs are found from the vertical gap or, without gaps, from the first-line indent."""
    path = tmp_path / "own.pdf"
    make_docs.text_to_pdf(OWN_TEXT, path, columns=columns, header=HEADER, paragraph_style=style)
    raw = read_pdf(path.read_bytes())
    assert order_ratio(OWN_TEXT, raw.text) >= 0.98
    assert raw.headings == [b for k, b in make_docs.blocks_of(OWN_TEXT) if k == "heading"]
    lines = raw.text.splitlines()
    # the title comes first, before anything of the columns
    assert lines[0] == "Благоустройство и городская среда"
    # paragraphs are whole lines, each after a blank line; list items one line each
    for p in paragraph_lines(OWN_TEXT):
        i = lines.index(p)
        assert lines[i - 1] == "" or p.startswith("- ") and lines[i - 1].startswith("- ")


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
    assert pdf_mod.MOJIBAKE_RE.match(garbled.split()[0])
    assert not pdf_mod.MOJIBAKE_RE.match("Größe")  # ordinary Latin-1 text is left alone


def test_numbered_tasks_stay_whole_across_a_column_break(tmp_path):
    """Long numbered items at the bottom of a column go on in the next one without breaking."""
    items = [f"{i}. Задача номер {i}: " + " ".join(["провести работу по развитию международных связей города"] * 3) + "."
             for i in range(1, 9)]
    text = "Задачи на 2023 год\n\n" + "Вводный абзац раздела о задачах. " * 40 + "\n\n" + "\n".join(items)
    path = tmp_path / "tasks.pdf"
    make_docs.text_to_pdf(text, path, columns=2)
    lines = read_pdf(path.read_bytes()).text.splitlines()
    assert [ln for ln in lines if re.match(r"\d\. ", ln)] == items


def test_every_mention_of_a_pdf_carries_its_page(tmp_path):
    from pipeline.extract import extract, to_json
    import json
    pages = ["Отчёт о международных связях города Пскова за 2022 год\n\n"
             "В 2022 году делегация Пскова посетила город Нарву и провела встречу с мэром города.",
             "Во втором полугодии в Пскове прошли Дни Тарту: гости из Тарту представили выставку эстонских художников.",
             "В декабре 2022 года состоялся визит делегации Гродно, подписан план совместных мероприятий."]
    path = tmp_path / "report.pdf"
    make_docs.pdf_with_pages(pages, path)
    report = json.loads(to_json(extract(path, path.read_bytes())))
    page = {p["name"]: {m["page"] for m in p["mentions"]} for p in report["places"]}
    assert page["Нарва"] == {1} and page["Тарту"] == {2} and page["Гродно"] == {3}
    text_report = json.loads(to_json(extract(tmp_path / "r.txt", "\n\n".join(pages).encode())))
    assert all("page" not in m for p in text_report["places"] for m in p["mentions"])
