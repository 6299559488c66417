"""What keeps compare's memory flat in the number of reports (benchmarks/compare_many.py measures it):
what spans reports waits in the spill (on disk) and comes back exactly and in order, the pass-one
index keeps no piece of a report's JSON, Parquet row groups are of bounded size, the overview is
written piece by piece, DuckDB's capped buffer has a fallback."""
import gc
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from review.compare import compare, index as pass_one, overview, sinks, spill as spill_module
from review.compare.partners import Tie
from review.compare.persons import Link, PersonRef
from review.compare.read import Reports
from review.compare.spill import Spill
from review.compare.tables import TABLES
from review.compare.tasks import TaskRef
from tests.review.compare.many import write_many


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many") / "in"
    write_many(folder, 30)
    return folder


def test_records_come_back_exactly_per_key_in_the_order_they_came(tmp_path, monkeypatch):
    monkeypatch.setattr(spill_module, "BATCH", 3)   # several flushes in between
    s = Spill(tmp_path / "s.sqlite")
    odd = [1, 1.0, None, True, "Могилёв \"x\" <b>", {"b": [2, 1], "a": None}, 10 ** 30, ""]
    for i, v in enumerate(odd):
        s.add("thing", ["Омск", 2021 + i % 2], [i, v])
    s.add("other", "Омск", "x")
    assert list(s.values("thing", ["Омск", 2021])) == [[i, v] for i, v in enumerate(odd) if i % 2 == 0]
    assert list(s.values("thing")) == [[i, v] for i, v in enumerate(odd)]
    assert [type(v) for _, v in s.values("thing")] == [type(v) for v in odd]
    assert s.keys("thing") == [["Омск", 2021], ["Омск", 2022]]
    assert list(s.values("never")) == [] and s.keys("never") == []


def test_groups_hold_every_record_and_adding_meanwhile_does_not_disturb_them(tmp_path, monkeypatch):
    monkeypatch.setattr(spill_module, "BATCH", 2)
    s = Spill(tmp_path / "s.sqlite")
    for i in range(20):
        s.add("person", ["омск", f"s{i % 4}"], i)
    seen = {}
    for key, records in s.groups("person"):
        seen[tuple(key)] = records
        for r in records:
            s.add("link", r, key)   # what the linking does while it reads the groups
    assert seen == {("омск", f"s{k}"): list(range(k, 20, 4)) for k in range(4)}
    assert [list(s.values("link", i)) for i in range(20)] == [[["омск", f"s{i % 4}"]] for i in range(20)]


def test_the_index_keeps_no_piece_of_a_report(many, tmp_path):
    """In memory after pass one: a Meta per report and the report ids per city and year; no place, person,
    tie or task (nor a dict of the report JSON) is reachable from the index but through the spill."""
    index = pass_one.build(Reports(many), Spill(tmp_path / "s.sqlite"))
    assert len(index.meta) == 30
    todo, seen, found = [index], set(), []
    while todo:
        o = todo.pop()
        if id(o) in seen or isinstance(o, (Spill, type)):
            continue
        seen.add(id(o))
        if isinstance(o, (PersonRef, Link, Tie, TaskRef)) or isinstance(o, dict) and {"mentions", "text", "name"} & set(o):
            found.append(o)
        todo += gc.get_referents(o)
    assert found == []
    assert all(isinstance(m, pass_one.Meta) for m in index.meta.values())
    assert sum(len(v) for v in index.reports_of.values()) == 30


def test_parquet_row_groups_are_of_at_most_batch_rows(many, tmp_path, monkeypatch):
    monkeypatch.setattr(sinks, "BATCH", 7)
    compare(many, tmp_path / "out")
    for t in TABLES:
        meta = pq.ParquetFile(tmp_path / "out" / f"{t.name}.parquet").metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert all(n <= 7 for n in sizes), (t.name, sizes)
        lines = (tmp_path / "out" / f"{t.name}.csv").read_text(encoding="utf-8-sig").count("\n") - 1
        assert sum(sizes) == meta.num_rows
        assert meta.num_rows <= lines   # a CSV cell may hold a line break


def test_the_tables_and_the_overview_do_not_depend_on_when_the_spill_writes(many, tmp_path, monkeypatch):
    compare(many, tmp_path / "a")
    monkeypatch.setattr(spill_module, "BATCH", 1)
    compare(many, tmp_path / "b")
    for name in [f"{t.name}.csv" for t in TABLES] + ["overview.html"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]   # the spill's folder is gone


def test_the_overview_data_written_piece_by_piece_is_the_json_of_it():
    fig = {"data": iter([{"y": ["a <b>", "ё"], "x": [1, 2.5]}, {"x": []}]), "layout": {"h": 1, "m": {"l": None}}}
    pieces = []
    overview._write_json(pieces.append, fig)
    whole = json.dumps({"data": [{"y": ["a <b>", "ё"], "x": [1, 2.5]}, {"x": []}], "layout": {"h": 1, "m": {"l": None}}},
                       ensure_ascii=False).replace("<", "\\u003c")
    assert "".join(pieces) == whole and len(pieces) > 5


def test_duckdb_is_written_again_with_more_memory_when_its_cap_is_too_small(many, tmp_path, monkeypatch):
    monkeypatch.setattr(sinks, "MEMORY_LIMIT", "1MB")
    tries, load = [], sinks._load
    monkeypatch.setattr(sinks, "_load", lambda *a: tries.append(a[-1]) or load(*a))
    summary = compare(many, tmp_path / "out")
    assert tries == ["1MB", sinks.MEMORY_AGAIN]
    con = duckdb.connect(str(tmp_path / "out" / "compare.duckdb"), read_only=True)
    try:
        for t in TABLES:
            assert con.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0] == summary.counts[t.name], t.name
    finally:
        con.close()
