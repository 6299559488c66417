"""Tables as data: DOCX, ODT, RTF and PDF (ruled and unruled) tables reach the result with every
cell's offsets into the final clean text."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.ingest.raw import RawTable
from pipeline.ingest.tables import place_tables

from tests import make_docs  # noqa: E402

TEXT = """Международное сотрудничество

Город поддерживает побратимские и партнёрские связи с городами разных стран. Их перечень приведён в таблице ниже вместе с годом установления связей.

После таблицы отчёт продолжается обычным абзацем текста о работе с городами-побратимами в отчётном году."""
TIES = [["Город", "Страна", "Статус", "Год"], ["Ниигата", "Япония", "побратим", "1992"], ["Пусан", "Республика Корея", "побратим", "1991"],
        ["Харбин", "КНР", "партнёр", "2007"], ["Бишкек", "Киргизская Республика", "партнёр", "2015"],
        ["Гродно", "Республика Беларусь", "побратим", "2003"], ["Пловдив", "Болгария", "побратим", "1967"]]


def _write(kind: str, path: Path) -> None:
    if kind == "docx":
        make_docs.text_to_docx(TEXT, path, table=TIES, table_after=1)
    elif kind == "odt":
        make_docs.text_to_odt(TEXT, path, table=TIES, table_after=1)
    elif kind == "rtf":
        make_docs.text_to_rtf(TEXT, path, table=TIES, table_after=1)
    else:
        pytest.importorskip("fpdf")
        make_docs.text_to_pdf(TEXT, path, tables={1: TIES}, ruled=kind.startswith("ruled"), columns=2 if kind.endswith("2col") else 1)


@pytest.mark.parametrize("kind", ["docx", "odt", "rtf", "ruled", "unruled", "ruled-2col", "unruled-2col"])
def test_a_ties_table_is_data_with_grounded_cells(tmp_path, kind):
    path = tmp_path / f"ties.{kind if kind in ('docx', 'odt', 'rtf') else 'pdf'}"
    _write(kind, path)
    ing = ingest(path, path.read_bytes())
    (table,) = ing.tables
    assert [c.text for c in table.header] == TIES[0]
    assert [[c.text for c in r] for r in table.rows] == TIES[1:]
    for cell in table.header + [c for r in table.rows for c in r]:
        assert ing.text[cell.start:cell.end] == cell.text
    # the rows stand in the text in reading order, between the paragraphs around the table
    assert ing.text[table.start:table.end] == "\n".join(" | ".join(r) for r in TIES)
    assert ing.text.index("установления связей.") < table.start < table.end < ing.text.index("После таблицы")


def test_cell_offsets_hold_after_cleaning_changes_lengths():
    """Cells are cleaned like the text (soft hyphens, look-alikes, words cut at a line end) and the
    offsets are taken in the final text, after every step that moves characters."""
    raw = [RawTable(rows=[["Пока\u00adзатель", "2022"], ["Дворовые тер-\nритории", "47"], ["OMCK", "  12 "]], header_rows=1)]
    text, (table,) = place_tables("Начало\u00a0текста.\n\n\ue000\ue100\ue000\n\nКонец.\n", raw)
    assert [c.text for c in table.header] == ["Показатель", "2022"]
    assert [[c.text for c in r] for r in table.rows] == [["Дворовые территории", "47"], ["ОМСК", "12"]]
    assert all(text[c.start:c.end] == c.text for c in table.header + [c for r in table.rows for c in r])
    assert text.endswith("ОМСК | 12\n\nКонец.\n")


def test_running_text_in_narrow_columns_is_no_table(tmp_path):
    """Justified lines of a narrow column line their spaces up by chance: no table is made of them."""
    pytest.importorskip("fpdf")
    paras = [f"Абзац номер {i} " + " ".join(f"слово{i}x{j}" for j in range(40)) + "." for i in range(1, 15)]
    path = tmp_path / "cols.pdf"
    make_docs.text_to_pdf("Заголовок отчета\n\n" + "\n\n".join(paras), path, columns=2, hyphenate=False)
    assert ingest(path, path.read_bytes()).tables == []
