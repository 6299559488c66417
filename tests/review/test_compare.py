"""review.compare over the corpus: every table's rows are the JSON's items, in CSV and DuckDB alike."""
import copy
import csv
import json
from collections import Counter

import duckdb
import pytest

from review.compare import EVENT_TYPES, TABLES, compare
from tests.fixtures.corpus.make_corpus import CORPUS_DIR, load_all


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def foreign_or_tied(place, home):
    return bool(place["relation"]) or (place["country_code"] is not None and home is not None
                                       and place["country_code"] != home and place["kind"] != "other")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    compare(CORPUS_DIR, folder)
    return folder


def test_corpus_spans_six_reports_three_cities_two_years():
    docs = load_all()
    assert len(docs) >= 6
    assert len({d["city"]["name"] for d in docs}) >= 3
    assert len({d["year"] for d in docs}) >= 2


def test_row_counts_equal_the_json(out):
    docs = load_all()
    expected = {
        "reports": len(docs),
        "events": sum(len(d["events"]) for d in docs),
        "persons": sum(len(d["persons"]) for d in docs),
        "quantities": sum(len(d["quantities"]) for d in docs),
        "partners": sum(foreign_or_tied(p, d["city"]["country_code"]) for d in docs for p in d["places"]),
    }
    csv_counts = {t: len(read_csv(out / f"{t}.csv")) for t in TABLES}
    assert csv_counts == expected
    con = duckdb.connect(str(out / "compare.duckdb"), read_only=True)
    try:
        db_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        per_report = dict(con.execute("SELECT report_id, events FROM reports").fetchall())
    finally:
        con.close()
    assert db_counts == expected
    assert per_report == {d["report_id"]: len(d["events"]) for d in docs}


def test_reports_table_counts_per_category_and_event_type(out):
    rows = {r["report_id"]: r for r in read_csv(out / "reports.csv")}
    for d in load_all():
        row = rows[d["report_id"]]
        assert (row["city"], int(row["year"])) == (d["city"]["name"], d["year"])
        for cat in ("places", "persons", "organisations", "dates", "quantities", "events", "tasks"):
            assert int(row[cat]) == len(d[cat]), (d["report_id"], cat)
        types = Counter(e["type"] for e in d["events"])
        assert {t: int(row[f"events_{t}"]) for t in EVENT_TYPES} == {t: types.get(t, 0) for t in EVENT_TYPES}
        online = sum(e["format"] == "online" for e in d["events"])
        assert int(row["format_online"]) == online


def test_persons_and_partners_rows_carry_the_json_values(out):
    docs = {d["report_id"]: d for d in load_all()}
    for r in read_csv(out / "persons.csv"):
        person = next(p for p in docs[r["report_id"]]["persons"] if p["name"] == r["person"])
        assert r["posts"] == "; ".join(x["title"] for x in person["positions"])
    for r in read_csv(out / "partners.csv"):
        place = next(p for p in docs[r["report_id"]]["places"] if p["name"] == r["partner"])
        assert r["country"] == (place["country_code"] or "") and r["relation"] == (place["relation"] or "")


def test_overview_is_self_contained_with_three_charts(out):
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "<script" not in page


def test_report_strings_are_escaped_in_the_overview(tmp_path):
    doc = copy.deepcopy(load_all()[0])
    doc["city"]["name"] = '<script>alert(1)</script>" onmouseover="alert(2)'
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    compare(tmp_path / "in", tmp_path / "out")
    page = (tmp_path / "out" / "overview.html").read_text(encoding="utf-8")
    assert "<script>" not in page and '" onmouseover="' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;alert(2)" in page


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path):
    """OWASP's CSV-injection rule: a text cell starting with = + - @ (or a tab, a carriage return)
    gets a leading apostrophe; numbers stay numbers."""
    from tests.review.edits import write

    doc = copy.deepcopy(load_all()[0])
    doc["events"][0]["title"] = '=HYPERLINK("http://evil","click")'
    doc["persons"][0]["positions"] = [{"title": "+cmd|' /C calc'!A0", "organisation_id": None}]
    doc["places"][0].update(name="@SUM(1+1)", relation="twin")
    doc["quantities"][0]["value"] = -5
    src = tmp_path / "in"
    src.mkdir()
    write(src / f"{doc['report_id']}.json", doc)
    compare(src, tmp_path / "out")
    events, persons = read_csv(tmp_path / "out" / "events.csv"), read_csv(tmp_path / "out" / "persons.csv")
    partners, quantities = read_csv(tmp_path / "out" / "partners.csv"), read_csv(tmp_path / "out" / "quantities.csv")
    assert events[0]["title"] == "'" + doc["events"][0]["title"]
    assert persons[0]["posts"].startswith("'+cmd")
    assert any(p["partner"] == "'@SUM(1+1)" for p in partners)
    assert quantities[0]["value"] == "-5"
