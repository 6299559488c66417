"""read_docx on Word documents generated at test time (tests/make_docs.py and python-docx)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from pipeline.ingest import ingest  # noqa: E402
from pipeline.ingest.docx import read_docx  # noqa: E402
from pipeline.ingest.raw import IngestError, RawText  # noqa: E402

from tests import make_docs  # noqa: E402

from tests.conftest import SEED  # noqa: E402

TEXT = """\
Отчет о деятельности управления образования

Общие сведения

В городе работают сто двенадцать школ и сто семьдесят детских садов. Численность обучающихся выросла на три процента.

Основные направления работы в 2021 году:

- строительство новых школ в растущих микрорайонах;
- капитальный ремонт зданий детских садов;
• развитие дополнительного образования.

Итоги года

Все запланированные мероприятия выполнены, результаты приведены в таблице.

Заключительный абзац после таблицы.
"""

ROWS = [
    ["Показатель", "2020", "2021"],
    ["Школы", "110", "112"],
    ["Детские сады", "168", "170"],
]


def _read(path: Path) -> RawText:
    return read_docx(path.read_bytes())


def test_headings_lists_and_table_in_order(tmp_path):
    path = tmp_path / "report.docx"
    make_docs.text_to_docx(TEXT, path, table=ROWS, table_after=8, header="Колонтитул отчета", footer="Нижний колонтитул")
    raw = _read(path)

    assert raw.format == "docx" and raw.pages is None and raw.encoding is None
    assert raw.headings == ["Отчет о деятельности управления образования", "Общие сведения", "Итоги года"]
    assert raw.warnings == []
    # section header and footer are not part of the text
    assert "колонтитул" not in raw.text.lower()

    expected = (
        "Отчет о деятельности управления образования\n\n"
        "Общие сведения\n\n"
        "В городе работают сто двенадцать школ и сто семьдесят детских садов. "
        "Численность обучающихся выросла на три процента.\n\n"
        "Основные направления работы в 2021 году:\n\n"
        "- строительство новых школ в растущих микрорайонах;\n"
        "- капитальный ремонт зданий детских садов;\n"
        "- развитие дополнительного образования.\n\n"
        "Итоги года\n\n"
        "Все запланированные мероприятия выполнены, результаты приведены в таблице.\n\n"
        "Показатель | 2020 | 2021\n"
        "Школы | 110 | 112\n"
        "Детские сады | 168 | 170\n\n"
        "Заключительный абзац после таблицы.\n"
    )
    ing = ingest(path, path.read_bytes())
    assert ing.text == expected
    assert raw.tables[0].rows == ROWS and raw.tables[0].header_rows == 1
    (table,) = ing.tables
    assert [c.text for c in table.header] == ROWS[0]
    assert [[c.text for c in r] for r in table.rows] == ROWS[1:]


def test_numbered_list_and_heading_styles(tmp_path):
    d = docx.Document()
    d.add_heading("Название отчета", level=0)  # Title style
    d.add_heading("Раздел первый", level=1)
    d.add_paragraph("Первый пункт", style="List Number")
    d.add_paragraph("Второй пункт", style="List Number")
    d.add_paragraph("Обычный абзац между списками.")
    d.add_paragraph("Маркер", style="List Bullet")
    d.add_heading("Подраздел", level=3)
    d.add_paragraph("")  # empty paragraphs do not make extra blank lines
    d.add_paragraph("Текст с переносом\nстроки внутри абзаца.")
    path = tmp_path / "numbers.docx"
    d.save(str(path))

    raw = _read(path)
    assert raw.headings == ["Название отчета", "Раздел первый", "Подраздел"]
    assert raw.text == (
        "Название отчета\n\nРаздел первый\n\n"
        "1. Первый пункт\n2. Второй пункт\n\n"
        "Обычный абзац между списками.\n\n"
        "- Маркер\n\n"
        "Подраздел\n\n"
        "Текст с переносом\nстроки внутри абзаца."
    )


def test_seed_report_as_docx_keeps_every_word(tmp_path):
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED}")
    source = SEED.read_text(encoding="utf-8")
    path = tmp_path / "seed.docx"
    make_docs.text_to_docx(source, path)
    raw = _read(path)
    # list markers are normalised to "- ", everything else word for word
    norm = lambda t: re.findall(r"\w+", t.replace("•", "-"))  # noqa: E731
    assert norm(raw.text) == norm(source)
    assert "Развитие туризма" in raw.headings
    assert "Международная деятельность" in raw.headings
    assert raw.text.count("\n\n") >= source.count("\n\n") - 2


def test_merged_cells_and_tracked_changes(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    a = t.cell(0, 0).merge(t.cell(0, 1))
    a.text = "Объединенная"
    t.cell(0, 2).text = "Итого"
    t.cell(1, 0).text = "А"
    t.cell(1, 1).text = "Б"
    t.cell(1, 2).text = "В"
    p = d.add_paragraph("Текст ")
    # a deleted run (tracked change) must not appear, an inserted one must
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>удален</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>вставлен</w:t></w:r></w:ins>'))
    path = tmp_path / "merged.docx"
    d.save(str(path))
    assert ingest(path, path.read_bytes()).text == "Объединенная | Итого\nА | Б | В\n\nТекст вставлен\n"


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b"<html>not a word file</html>", "not a zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "legacy .doc"),
        (b"PK\x03\x04" + b"\0" * 100, "corrupt DOCX"),
    ],
)
def test_corrupt_docx_raises(data, fragment):
    with pytest.raises(IngestError) as info:
        read_docx(data)
    message = str(info.value)
    assert message.startswith("corrupt DOCX:")
    assert fragment in message
    assert "\n" not in message


def test_truncated_and_wrong_zip(tmp_path):
    path = tmp_path / "ok.docx"
    make_docs.text_to_docx(TEXT, path)
    good = path.read_bytes()
    with pytest.raises(IngestError, match=r"^corrupt DOCX:"):
        read_docx(good[: len(good) // 2])

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "это zip, но не docx")
    with pytest.raises(IngestError, match=r"^corrupt DOCX:"):
        read_docx(buf.getvalue())
