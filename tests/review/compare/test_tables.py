"""review.compare over the frozen corpus (schema 1.0 documents, no keys): every table's rows are the
JSON's items; CSV, Parquet and DuckDB hold the same rows; the dictionary is current."""
import csv
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from review.compare import TABLES, compare
from review.compare.tables import EVENT_TYPES, dictionary
from tests.fixtures.corpus.make_corpus import CORPUS_DIR, load_all

ROOT = Path(__file__).resolve().parents[3]


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    compare(CORPUS_DIR, folder)
    return folder


def happened(doc):
    return [e for e in doc["events"] if e.get("status", "happened") == "happened"]


def test_per_report_tables_have_one_row_per_json_item(out):
    docs = load_all()
    expected = {"reports": len(docs), "places": sum(len(d["places"]) for d in docs),
                "events": sum(len(d["events"]) for d in docs), "persons": sum(len(d["persons"]) for d in docs),
                "organisations": sum(len(d["organisations"]) for d in docs),
                "quantities": sum(len(d["quantities"]) for d in docs), "tasks": sum(len(d["tasks"]) for d in docs),
                "event_places": sum(len(e["place_ids"]) for d in docs for e in d["events"]),
                "event_persons": sum(len(e["person_ids"]) for d in docs for e in d["events"])}
    assert {t: len(read_csv(out / f"{t}.csv")) for t in expected} == expected


def test_csv_parquet_and_duckdb_hold_the_same_rows(out):
    con = duckdb.connect(str(out / "compare.duckdb"), read_only=True)
    try:
        for t in TABLES:
            rows = read_csv(out / f"{t.name}.csv")
            parquet = pq.read_table(out / f"{t.name}.parquet")
            assert parquet.column_names == t.names and list(rows[0].keys() if rows else t.names) == t.names
            assert parquet.num_rows == len(rows) == con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0], t.name
            as_text = [["" if v is None else str(v) for v in r.values()] for r in parquet.to_pylist()]
            from_csv = [list(r.values()) for r in rows]
            for a, b in zip(as_text, from_csv):  # the same values, the CSV's floats and bools aside
                assert [x for x, c in zip(a, t.columns) if c.type in ("str", "int")] == \
                       [y for y, c in zip(b, t.columns) if c.type in ("str", "int")], t.name
            comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [t.name]).fetchone()[0]
            assert comment == t.doc
    finally:
        con.close()


def test_duckdb_partner_counts_equal_the_json(out):
    want = Counter()
    for d in load_all():
        tied = {(p["name"], p["country_code"]) for p in d["places"] if p["relation"]}
        want[(d["city"]["name"], d["year"])] += len(tied)
    con = duckdb.connect(str(out / "compare.duckdb"), read_only=True)
    try:
        got = dict(((c, y), n) for c, y, n in con.execute(
            "SELECT city, year, count(*) FROM partners WHERE relation IS NOT NULL GROUP BY ALL").fetchall())
    finally:
        con.close()
    assert got == {k: n for k, n in want.items() if n}


def test_only_happened_events_are_counted(out):
    rows = {r["report_id"]: r for r in read_csv(out / "reports.csv")}
    for d in load_all():
        row, events = rows[d["report_id"]], happened(d)
        types = Counter(e["type"] for e in events)
        assert int(row["events_counted"]) == len(events)
        assert {t: int(row[f"events_{t}"]) for t in EVENT_TYPES} == {t: types.get(t, 0) for t in EVENT_TYPES}
        assert row["label"].startswith(f"{d['city']['name']} · {d['year']}")


def test_partners_hold_only_stated_ties_and_foreign_places_the_rest(out):
    for r in read_csv(out / "partners.csv"):
        assert r["relation"] in ("twin", "partner") and r["key"]
    partners = {(r["city"], r["year"], r["key"]) for r in read_csv(out / "partners.csv")}
    foreign = read_csv(out / "foreign_places.csv")
    assert foreign and not partners & {(r["city"], r["year"], r["key"]) for r in foreign}
    assert all(r["country_code"] and r["country_ru"] for r in foreign)


def test_link_tables_cite_entities_of_their_report(out):
    keys = {(r["report_id"], r["place_id"]): r["key"] for r in read_csv(out / "places.csv")}
    for r in read_csv(out / "event_places.csv"):
        assert keys[(r["report_id"], r["place_id"])] == r["key"]


def test_country_names_in_russian_beside_the_codes(out):
    names = {r["country_code"]: r["country_ru"] for r in read_csv(out / "places.csv") if r["country_code"]}
    assert names["CN"] == "Китай" and names["RU"] == "Россия"
    assert all(n and any("а" <= ch <= "я" for ch in n.lower()) for n in names.values())


def test_the_data_dictionary_page_is_current():
    page = (ROOT / "docs" / "compare-tables.md").read_text(encoding="utf-8")
    assert page == dictionary(), "regenerate: .venv/bin/python -c 'from review.compare.tables import dictionary; " \
                                 "print(dictionary(), end=\"\")' > docs/compare-tables.md"
    assert all(c.doc for t in TABLES for c in t.columns)
