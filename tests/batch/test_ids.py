"""Report ids (batch.ids, pipeline.slug): unique in the output folder, stable across runs, never
taken from another file's output; names without letters do not collide; an unreadable file claims
none. The cases of issue 20 are here as regression tests."""
import json
import shutil
import sys
import types
from pathlib import Path

import pytest

from batch.ids import assign
from batch.plan import make_plan
from pipeline.slug import check_report_id, is_report_id, report_id, slugify
from tests.batch.run import by_name, run
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests/fixtures/reports").glob("*.txt"))


@pytest.fixture()
def quick(monkeypatch):
    """process_file without NLP: a tiny report that says which file it came from."""
    import hashlib

    fake = types.ModuleType("pipeline.extract")
    fake.extract = lambda path, data, report_id=None: types.SimpleNamespace(
        report_id=report_id, warnings=[], sha=hashlib.sha256(data).hexdigest(), text=data.decode("utf-8", "replace"))
    fake.to_json = lambda r: json.dumps({"report_id": r.report_id, "source": {"sha256": r.sha}, "text": r.text,
                                         "warnings": []}, ensure_ascii=False).encode()
    monkeypatch.setitem(sys.modules, "pipeline.extract", fake)
    monkeypatch.setattr("batch.process.apply_decisions", lambda report, decisions: (report, []))
    monkeypatch.delenv("CITY_REPORTS_REVIEWS")


@pytest.mark.parametrize("name, slug", [("Омск 2021.txt", "omsk-2021"), ("Köln-Bericht.txt", "koln-bericht"),
                                        ("omsk-2021-international.txt", "omsk-2021-international"),
                                        ("Ёлкино__отчёт.pdf", "elkino__otchet")])
def test_ids_from_names(name, slug):
    assert report_id(name) == slug and is_report_id(slug)


def test_names_without_letters_get_ids_that_do_not_collide():
    ids = {report_id(n) for n in ("北京.txt", "東京.txt", "★.txt", "!!!.txt", "---.txt")}
    assert len(ids) == 5 and all(i.startswith("report-") and is_report_id(i) for i in ids)
    assert report_id("北京.txt") == report_id("北京.pdf")  # a function of the name: stable


def test_a_long_name_gives_a_short_id_that_is_still_its_own():
    a, b = report_id("a" * 300 + "1.txt"), report_id("a" * 300 + "2.txt")
    assert a != b and len(a) <= 100 and len(b) <= 100


@pytest.mark.parametrize("bad", ["../x", "/tmp/x", "a/b", "..", ".", "", "Omsk", "-x", ".hidden", "x" * 200, None, 3])
def test_only_ids_pass_the_check(bad):
    assert not is_report_id(bad)
    with pytest.raises(ValueError, match="is not a report id"):
        check_report_id(bad)


def test_assign_keeps_recorded_ids_and_qualifies_new_clashes():
    a, b, c, d = Path("/in/2021/omsk.txt"), Path("/in/2022/omsk.txt"), Path("/in/2022/omsk.docx"), Path("/in/x/omsk.txt")
    ids = assign([c, a, b], recorded={b: "omsk"}, held={})
    assert ids == {b: "omsk", c: "omsk-docx", a: "2021-omsk"}
    assert assign([d], recorded={}, held={"omsk": a, "x-omsk": Path("/other/x-omsk.txt")}) == {d: "in-x-omsk"}


def test_a_docx_beside_an_extracted_txt_never_overwrites_its_output(tmp_path, quick):
    """Issue 20: `omsk.docx` added next to an already extracted `omsk.txt` took omsk.json."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "omsk.txt").write_text("Омск", encoding="utf-8")
    run([src], out)
    (src / "omsk.docx").write_bytes((tmp_path / "in" / "omsk.txt").read_bytes() + b" docx")  # sorts first
    results = by_name(run([src], out))
    assert results["omsk.txt"].status == "unchanged" and results["omsk.txt"].report_id == "omsk"
    assert results["omsk.docx"].report_id == "omsk-docx"
    assert json.loads((out / "omsk.json").read_text(encoding="utf-8"))["text"] == "Омск"


def test_a_new_copy_never_moves_a_reviewed_output(tmp_path, quick):
    """Issue 20: an identical "copy of kazan.txt" beside a reviewed kazan-2022-international.txt moved
    the output to copy-of-kazan.json, without the review."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(FIXTURES[1], src / FIXTURES[1].name)
    run([src], out)
    (out / "_reviews").mkdir()
    (out / "_reviews" / f"{FIXTURES[1].stem}.json").write_text(json.dumps({"report_id": FIXTURES[1].stem}))
    shutil.copy(FIXTURES[1], src / "copy of kazan.txt")
    results = by_name(run([src], out))
    copy, original = results["copy of kazan.txt"], results[FIXTURES[1].name]
    assert copy.duplicate_of == str(src / FIXTURES[1].name) and copy.report_id == original.report_id == FIXTURES[1].stem
    assert sorted(p.name for p in out.glob("*.json")) == ["_manifest.json", f"{FIXTURES[1].stem}.json"]
    plan = make_plan([str(src)], str(tmp_path / "fresh"))  # a new folder: no output, no reviews to keep
    plan_with_reviews = make_plan([str(src)], str(out))
    assert plan.dups == {src / FIXTURES[1].name: src / "copy of kazan.txt"}  # nothing to keep: path order
    assert plan_with_reviews.dups == {src / "copy of kazan.txt": src / FIXTURES[1].name}


def test_a_file_that_cannot_be_read_claims_no_id(tmp_path, quick):
    """Issue 20: an unsupported `report.doc` blocked `北京.txt` and `東京.txt` (both "report")."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "report.xyz").write_bytes(b"\xd0\xcf\x11\xe0")
    (src / "report.txt").symlink_to("/dev/zero")
    (src / "北京.txt").write_text("Пекин", encoding="utf-8")
    (src / "東京.txt").write_text("Токио", encoding="utf-8")
    results = by_name(run([src, src / "report.xyz"], out))  # another type: only when named
    assert results["report.xyz"].report_id is None and results["report.txt"].report_id is None
    assert results["report.txt"].error.startswith("not a regular file")
    assert results["北京.txt"].status == results["東京.txt"].status == "ok"
    assert results["北京.txt"].report_id != results["東京.txt"].report_id
    assert json.loads((out / "_manifest.json").read_text(encoding="utf-8"))  # the run ended with its manifest
