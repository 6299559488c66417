"""The `tables` stage on generated documents: ties tables give tied places with their country and
year, indicator tables give quantities with their unit and year, and no year cell is a quantity;
DOCX, ODT, RTF and PDF (ruled and without rules), scored with the referee against a gold written here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.documents import score
from pipeline.doc import ReportDoc
from pipeline.extract import ON_FILE, ON_TEXT, analyse_text, to_json
from pipeline.ingest.raw import RawTable, placeholder
from pipeline.ingest.tables import place_tables
from pipeline.report import build
from pipeline.tables import _unit
from tests import make_docs

TEXT = """Отчёт Администрации города Омска за 2022 год

Международное сотрудничество

Администрация города Омска поддерживает связи с городами-побратимами и городами-партнёрами. Их перечень приведён в таблице.

В 2022 году в Омске побывали 12 иностранных делегаций, основные показатели приведены ниже.

После таблицы отчёт продолжается обычным абзацем о работе с городами в отчётном году."""

TIES = [["Город", "Страна", "Статус", "Год"], ["Ниигата", "Япония", "побратим", "1992"],
        ["Пусан", "Республика Корея", "побратим", "1991"], ["Харбин", "КНР", "партнёр", "2007"],
        ["Бишкек", "Киргизская Республика", "партнёр", "2015"], ["Гродно", "Республика Беларусь", "побратим", "2003"],
        ["Пловдив", "Болгария", "побратим", "1967"]]
# another wording and order: the year in a date, the status as the tie's document
TIES_VARIANT = [["Государство", "Дата подписания", "Город-партнёр", "Форма связи"],
                ["Япония", "12.05.1992", "г. Ниигата", "Соглашение о побратимстве"],
                ["Республика Корея", "1991 г.", "Пусан", "соглашение о сотрудничестве"],
                ["КНР", "2007", "Харбин", "партнёрские связи"],
                ["Киргизская Республика", "2015", "Бишкек", "соглашение о сотрудничестве"]]
INDICATORS = [["Показатель", "2022", "2023"], ["Число иностранных туристов, чел.", "1 500", "1 800"],
              ["Объём инвестиций, млн руб.", "12,5", "14"], ["Количество мероприятий", "47", "52"],
              ["Доля мероприятий в онлайн-формате, %", "35,5", "40"]]
# one row per year, the indicators across
YEAR_ROWS = [["Год", "Число туристов", "Объём инвестиций, млн руб."], ["2021", "980", "10,2"], ["2022", "1 500", "12,5"]]

YEARS = {"Ниигата": 1992, "Пусан": 1991, "Харбин": 2007, "Бишкек": 2015, "Гродно": 2003, "Пловдив": 1967}
COUNTRY = {"Ниигата": "JP", "Пусан": "KR", "Харбин": "CN", "Бишкек": "KG", "Гродно": "BY", "Пловдив": "BG"}


def _gold(ties: list[list[str]], city_col: str, status_col: str | None, quantities: list[dict]) -> dict:
    head = ties[0]
    rows = [dict(zip(head, r)) for r in ties[1:]]
    places = [{"name": "Омск", "kind": "city", "country_code": "RU"}]
    for r in rows:
        name = r[city_col].removeprefix("г. ")
        status = (r[status_col] if status_col else "").lower()
        places.append({"name": name, "kind": "city", "country_code": COUNTRY[name],
                       "relation": "twin" if "побратим" in status else "partner"})
    return {"city": "Омск", "year": 2022, "places": places, "persons": [], "organisations": [], "dates": [],
            "quantities": quantities, "events": [], "sections": [], "answers": [], "tasks": [],
            "optional": {"places": ["Япония", "Республика Корея", "Китай", "Киргизия", "Беларусь", "Болгария"]}}


def _extract(tmp_path: Path, kind: str, table: list[list[str]]) -> tuple[ReportDoc, dict]:
    path = tmp_path / f"report.{kind if kind in ('docx', 'odt', 'rtf') else 'pdf'}"
    if kind not in ("docx", "odt", "rtf"):
        pytest.importorskip("fpdf")
    make_docs.text_with_table(kind, TEXT, path, table, after=2)
    doc = ReportDoc(path=path, data=path.read_bytes())
    for s in ON_FILE:
        s.run(doc)
    return doc, json.loads(to_json(build(doc)))


KINDS = ["docx", "odt", "rtf", "ruled", "unruled"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("ties, city_col, status_col", [(TIES, "Город", "Статус"),
                                                        (TIES_VARIANT, "Город-партнёр", "Форма связи")],
                         ids=["plain", "variant"])
def test_a_ties_table_gives_every_tie_with_its_country_and_year(tmp_path, kind, ties, city_col, status_col):
    doc, report = _extract(tmp_path, kind, ties)
    res = score_gold(tmp_path, _gold(ties, city_col, status_col, [{"value": 12, "unit": "делегация"}]), report)
    assert res["places_relation"]["f1"] == 1.0, res["places_relation"]
    assert res["places_country_acc"] == 1.0
    head = ties[0]
    years = {n: y for n, y in YEARS.items() if any(n in c for r in ties for c in r)}
    tied = {p["name"]: p for p in report["places"] if p["relation"]}
    assert {n: p["tie_since"] for n, p in tied.items()} == years
    for p in tied.values():  # the tie's mention is the city cell's name
        (m,) = p["mentions"]
        assert m["text"] == p["name"] and report["text"][m["start"]:m["end"]] == p["name"]
    # no year cell is a quantity (it used to give {1992, "ниигата"})
    assert [(q["value"], q["unit"]) for q in report["quantities"]] == [(12, "делегация")]
    assert report["tables"][0]["id"] == "tab-1" and [c["text"] for c in report["tables"][0]["header"]] == head


def score_gold(tmp_path: Path, gold: dict, report: dict) -> dict:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return score(path, json.dumps(report, ensure_ascii=False))


@pytest.mark.parametrize("kind", KINDS)
def test_an_indicator_table_gives_every_value_with_its_unit_and_year(tmp_path, kind):
    doc, report = _extract(tmp_path, kind, INDICATORS)
    expected = {(1500, "турист", 2022), (1800, "турист", 2023), (12_500_000, "рубль", 2022), (14_000_000, "рубль", 2023),
                (47, "мероприятие", 2022), (52, "мероприятие", 2023), (35.5, "процент", 2022), (40, "процент", 2023)}
    got = {(q.value, q.unit, q.year) for q in doc.quantities if q.year}
    assert got == expected
    for q in doc.quantities:
        if q.year:  # each value's mention is its cell
            assert doc.text[q.start:q.end] in {c for r in INDICATORS for c in r}
    gold = _gold(TIES[:1], "Город", None, [{"value": v, "unit": u} for v, u, _ in expected]
                 + [{"value": 12, "unit": "делегация"}])
    assert score_gold(tmp_path, gold, report)["quantities"]["f1"] == 1.0


@pytest.mark.parametrize("kind", ["docx", "unruled"])
def test_a_table_with_a_row_per_year(tmp_path, kind):
    doc, _ = _extract(tmp_path, kind, YEAR_ROWS)
    assert {(q.value, q.unit, q.year) for q in doc.quantities if q.year} == {
        (980, "турист", 2021), (1500, "турист", 2022), (10_200_000, "рубль", 2021), (12_500_000, "рубль", 2022)}
    assert not any(q.value in (2021, 2022) for q in doc.quantities)


@pytest.mark.parametrize("kind", ["docx", "unruled"])
def test_a_ties_table_without_a_header_is_read_by_what_its_columns_hold(tmp_path, kind):
    """Readers take a table's first row for its header; one that names no column is a row of ties."""
    _, report = _extract(tmp_path, kind, TIES[1:])
    res = score_gold(tmp_path, _gold(TIES, "Город", "Статус", [{"value": 12, "unit": "делегация"}]), report)
    assert res["places_relation"]["f1"] == 1.0 and res["places_country_acc"] == 1.0
    assert {p["name"]: p["tie_since"] for p in report["places"] if p["relation"]} == YEARS


def _on_text(rows: list[list[str]], before: str = "Показатели работы с городами.") -> ReportDoc:
    text, tables = place_tables(f"{before}\n\n{placeholder(0)}\n\nКонец отчёта.\n", [RawTable(rows, header_rows=1)])
    doc = ReportDoc(text=text, tables=tables)
    for s in ON_TEXT:
        s.run(doc)
    return doc


def test_values_by_city_or_row_number_have_no_unit_to_give():
    """'Пекин | 12 | 15' does not say what is counted; a '№' column holds no values; year cells are
    still no quantities."""
    doc = _on_text([["Город", "2022", "2023"], ["Пекин", "12", "15"], ["Харбин", "8", "9"]])
    assert [q for q in doc.quantities if q.year] == []
    doc = _on_text([["№", "Год", "Число туристов"], ["1", "2021", "980"], ["2", "2022", "1 500"]])
    assert {(q.value, q.unit, q.year) for q in doc.quantities} == {(980, "турист", 2021), (1500, "турист", 2022)}


def test_a_city_table_without_a_word_of_ties_gives_no_ties():
    doc = _on_text([["Город", "Страна", "Год визита"], ["Ниигата", "Япония", "2022"], ["Харбин", "КНР", "2021"]],
                   before="Визиты делегаций в отчётном году.")
    assert not any(p.relation for p in doc.places)
    assert doc.quantities == []


def test_units_of_labels_are_named_as_the_quantities_stage_names_them():
    assert _unit("Число иностранных туристов", "") == ("турист", 1)
    assert _unit("Количество проведённых мероприятий, ед.", "") == ("мероприятие", 1)
    assert _unit("Объём инвестиций, млн руб.", "") == ("рубль", 1_000_000)
    assert _unit("Туристический поток, тыс. чел.", "") == ("человек", 1000)
    assert _unit("Уровень безработицы", "%") == ("процент", 1)
    assert _unit("Протяжённость дорог, км", "") == ("км", 1)
    assert _unit("Мероприятия, проведённые онлайн", "") == ("мероприятие", 1)  # the comma names no measure


def test_without_tables_the_stage_changes_nothing():
    text = ("Администрация города Омска поддерживает связи с городами-побратимами: Ниигата (Япония) с 1992 года.\n\n"
            "Город | Страна | Год\nНиигата | Япония | 1992")  # a .txt's bars are text, not a table
    doc = analyse_text(text, upto="tables")
    before = analyse_text(text, upto="ties")  # the stage before tables
    assert doc.tables == [] and doc.places == before.places and doc.quantities == before.quantities
