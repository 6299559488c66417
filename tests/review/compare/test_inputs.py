"""What compare does with awkward input: damaged JSON, orphaned outputs, a repeated report_id, values
of the wrong type, formula-looking strings in CSV cells, the BOM."""
import csv
import json

import pyarrow.parquet as pq
import pytest

from review.compare import CompareError, compare
from review.compare.sinks import cell
from tests.fixtures.corpus.make_corpus import load_all


def write(folder, docs, manifest=None):
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (folder / f"{d['report_id']}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    if manifest is not None:
        (folder / "_manifest.json").write_text(json.dumps({"files": manifest}), encoding="utf-8")
    return folder


def report_ids(out):
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as f:
        return sorted(r["report_id"] for r in csv.DictReader(f))


def test_a_damaged_json_is_reported_and_left_out(tmp_path):
    docs = load_all()[:2]
    src = write(tmp_path / "in", docs)
    (src / "broken.json").write_text('{"report_id": "broken", "places": [', encoding="utf-8")
    (src / "not-a-report.json").write_text("[1, 2]", encoding="utf-8")
    (src / "latin1.json").write_bytes('{"report_id": "é"}'.encode("latin-1"))
    summary = compare(src, tmp_path / "out")
    assert report_ids(tmp_path / "out") == sorted(d["report_id"] for d in docs)
    assert len(summary.problems) == 3
    assert any("broken.json: not JSON" in p for p in summary.problems)
    assert any("not-a-report.json: not a report document" in p for p in summary.problems)
    assert any("latin1.json: not UTF-8" in p for p in summary.problems)


def test_outputs_marked_orphaned_in_the_manifest_are_left_out(tmp_path):
    docs = load_all()[:3]
    gone = docs[1]["report_id"]
    manifest = [{"path": f"raw/{d['report_id']}.txt", "report_id": d["report_id"],
                 "status": "orphaned" if d["report_id"] == gone else "ok"} for d in docs]
    summary = compare(write(tmp_path / "in", docs, manifest), tmp_path / "out")
    assert report_ids(tmp_path / "out") == sorted(d["report_id"] for d in docs if d["report_id"] != gone)
    assert summary.problems == []


def test_a_second_file_with_the_same_report_id_is_left_out(tmp_path):
    doc = load_all()[0]
    src = write(tmp_path / "in", [doc])
    (src / "copy.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    summary = compare(src, tmp_path / "out")
    assert report_ids(tmp_path / "out") == [doc["report_id"]]
    assert len(summary.problems) == 1 and "again" in summary.problems[0]


def test_no_readable_report_is_an_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(CompareError, match="1 cannot"):
        compare(tmp_path / "in", tmp_path / "out")
    assert not (tmp_path / "out").exists()   # nor an empty output folder left behind


def test_values_of_the_wrong_type_do_not_stop_the_tables(tmp_path):
    doc = load_all()[0]
    doc["quantities"][0]["value"] = "many"
    doc["places"][0]["tie_since"] = "long ago"
    doc["places"].append("not a place")
    compare(write(tmp_path / "in", [doc]), tmp_path / "out")
    values = pq.read_table(tmp_path / "out" / "quantities.parquet").column("value").to_pylist()
    assert values[0] is None and len(values) == len(doc["quantities"])
    assert pq.read_table(tmp_path / "out" / "places.parquet").num_rows == len(doc["places"]) - 1


def test_formula_cells_are_neutralised_and_the_bom_is_optional(tmp_path):
    doc = load_all()[0]
    for i, start in enumerate(("=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx")):
        doc["organisations"][i]["name"] = start
    src = write(tmp_path / "in", [doc])
    compare(src, tmp_path / "bom")
    raw = (tmp_path / "bom" / "organisations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "bom" / "organisations.csv", encoding="utf-8-sig", newline="") as f:
        names = [r["name"] for r in csv.DictReader(f)]
    assert names[:6] == ["'=1+1", "'+7", "'-2", "'@SUM(A1)", "'\tx", "'\rx"]
    assert pq.read_table(tmp_path / "bom" / "organisations.parquet").column("name").to_pylist()[0] == "=1+1"
    compare(src, tmp_path / "plain", csv_bom=False)
    assert not (tmp_path / "plain" / "organisations.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert cell(-2) == -2 and cell(None) == "" and cell("Омск") == "Омск"
