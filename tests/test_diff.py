"""Semantic diff: keys not ids, a rule change listed exactly, the published JSON Schema, exit codes."""
import copy
import json
import subprocess

import jsonschema
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.diff import CATEGORIES, DiffDocument, diff_reports, diff_sets, json_schema
from tests.conftest import ROOT
from tests.fixtures.corpus.make_corpus import corpus_files, load, load_all

SEED = "omsk-2021-international"
runner = CliRunner()


def write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def renumber(doc: dict) -> dict:
    """The same content under other ids and in another order: what a refactored pipeline might emit."""
    doc = copy.deepcopy(doc)
    new_ids = {}
    for cat in CATEGORIES + ("sections",):
        items = list(doc.get(cat) or [])
        items = items if cat == "sections" else items[::-1]
        for i, it in enumerate(items, 1):
            new_ids[it["id"]] = f"{cat[:2]}-x{i}"
            it["id"] = new_ids[it["id"]]
        doc[cat] = items
    for e in doc["events"]:
        for f in ("place_ids", "person_ids", "organisation_ids", "quantity_ids"):
            e[f] = [new_ids[i] for i in reversed(e[f])]
        e["section_id"] = new_ids.get(e["section_id"], e["section_id"])
    for p in doc["persons"]:
        for pos in p["positions"]:
            pos["organisation_id"] = new_ids.get(pos["organisation_id"], pos["organisation_id"])
    for a in doc["answers"]:
        a["section_id"] = new_ids.get(a["section_id"], a["section_id"])
    return doc


def shift(doc: dict, prefix: str) -> dict:
    """The same report with text inserted before everything: every offset moves."""
    doc = copy.deepcopy(doc)
    n = len(prefix)
    doc["text"] = prefix + doc["text"]

    def move(span):
        span["start"] += n
        span["end"] += n

    for cat in ("sections", "answers", "tasks"):
        for it in doc[cat]:
            move(it)
    for cat in ("places", "persons", "organisations", "dates", "quantities"):
        for it in doc[cat]:
            for m in it["mentions"]:
                move(m)
    for e in doc["events"]:
        for m in [e["evidence"], *e.get("more_evidence", [])]:
            move(m)
    return doc


def referenced_place_ids(doc):
    return {i for e in doc["events"] for i in e["place_ids"]}


def rule_change(doc: dict):
    """Change a run the way a rule change would: drop one place, change one country code, add one event.
    Returns the new document and what was changed (chosen from the JSON, not hard-coded)."""
    new = copy.deepcopy(doc)
    used = referenced_place_ids(doc)
    dropped = next(p for p in new["places"] if p["id"] not in used)
    new["places"].remove(dropped)
    recoded = next(p for p in new["places"] if p["country_code"] and p["id"] != dropped["id"])
    old_code = recoded["country_code"]
    recoded["country_code"] = "ZZ" if old_code != "ZZ" else "ZY"
    event = copy.deepcopy(new["events"][0])
    event.update(id="ev-new", type="other", date="1999", title="Новое событие")
    new["events"].append(event)
    new["pipeline"]["extracted_at"] = "2099-01-01T00:00:00+00:00"
    new["pipeline"]["version"] = "9.9.9+rules.changed"
    return new, dropped, recoded, old_code, event


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_a_run_equals_itself_whatever_the_pipeline_object(path):
    old = load(path.stem)
    new = copy.deepcopy(old)
    new["pipeline"] = {"version": "other", "extracted_at": "2000-01-01T00:00:00+00:00", "rules_sha256": None}
    d = diff_reports(old, new)
    assert d.status == "equal", d


def test_ids_order_and_offsets_do_not_matter():
    old = load(SEED)
    new = shift(renumber(old), "Предисловие.\n\n")
    d = diff_reports(old, new)
    assert d.added == d.removed == d.changed == []
    assert [c.field for c in d.fields] == ["text"]  # the text itself did change


def test_rule_change_lists_exactly_the_changed_items():
    old = load(SEED)
    new, dropped, recoded, old_code, event = rule_change(old)
    d = diff_reports(old, new)
    assert d.status == "changed"
    assert [(i.category, i.old_id) for i in d.removed] == [("places", dropped["id"])]
    assert [(i.category, i.new_id) for i in d.changed] == [("places", recoded["id"])]
    assert [(c.field, c.old, c.new) for c in d.changed[0].fields] == [("country_code", old_code, recoded["country_code"])]
    assert [(i.category, i.new_id) for i in d.added] == [("events", "ev-new")]
    assert d.added[0].key == ["1999", "other", ", ".join(sorted(
        p["name"] for p in old["places"] if p["id"] in event["place_ids"]))]
    assert d.fields == []
    counts = {c: (n.added, n.removed, n.changed) for c, n in d.counts.items() if (n.added, n.removed, n.changed) != (0, 0, 0)}
    assert counts == {"places": (0, 1, 1), "events": (1, 0, 0)}


def test_removing_a_cited_place_changes_the_events_that_cite_it():
    old = load(SEED)
    new = copy.deepcopy(old)
    place = next(p for p in new["places"] if p["id"] in referenced_place_ids(old))
    new["places"].remove(place)
    citing = [e["id"] for e in new["events"] if place["id"] in e["place_ids"]]
    for e in new["events"]:
        e["place_ids"] = [i for i in e["place_ids"] if i != place["id"]]
    d = diff_reports(old, new)
    assert [i.old_id for i in d.removed] == [place["id"]]
    assert d.added == []
    assert {i.old_id for i in d.changed} == set(citing)  # paired on date + type + title: `places` changed
    assert all([c.field for c in i.fields] == ["places"] for i in d.changed)


def test_changed_kind_or_event_type_is_a_change_not_a_swap():
    old = load(SEED)
    new = copy.deepcopy(old)
    place, event = new["places"][1], new["events"][0]
    place["kind"] = "other" if place["kind"] != "other" else "city"
    event["type"] = "other" if event["type"] != "other" else "visit"
    d = diff_reports(old, new)
    assert d.added == d.removed == []
    assert {(i.category, i.new_id, tuple(c.field for c in i.fields)) for i in d.changed} == {
        ("places", place["id"], ("kind",)), ("events", event["id"], ("type",))}


def test_a_new_mention_is_a_changed_field():
    old = load(SEED)
    new = copy.deepcopy(old)
    donor, target = new["places"][0], new["places"][1]
    target["mentions"].append(donor["mentions"][0])
    d = diff_reports(old, new)
    assert [(i.new_id, [c.field for c in i.fields]) for i in d.changed] == [(target["id"], ["mentions"])]


def test_committed_diff_schema_matches_models():
    committed = (ROOT / "models" / "diff.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "models/diff.schema.json drifted: run `city-reports diff-schema > models/diff.schema.json`"


def test_json_output_validates_against_the_published_schema(tmp_path):
    old = load(SEED)
    new = rule_change(old)[0]
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for doc in load_all():
        write(a / f"{doc['report_id']}.json", doc)
        if doc["report_id"] != SEED:
            write(b / f"{doc['report_id']}.json", doc)
    write(b / f"{SEED}.json", new)
    gone = next(p for p in a.glob("*.json") if p.stem != SEED)
    gone.rename(a / "only-old.json")  # same report_id, so still matched
    extra = copy.deepcopy(new)
    extra["report_id"] = "only-new"
    write(b / "only-new.json", extra)
    result = runner.invoke(app, ["diff", str(a), str(b), "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, json.loads(json_schema()))
    DiffDocument.model_validate(doc)
    status = {r["report_id"]: r["status"] for r in doc["reports"]}
    assert status[SEED] == "changed" and status["only-new"] == "added"
    assert sum(s == "equal" for s in status.values()) == len(load_all()) - 1


def test_exit_status_like_diff(tmp_path):
    doc = load(SEED)
    a = write(tmp_path / "a.json", doc)
    same = copy.deepcopy(doc)
    same["pipeline"]["extracted_at"] = "2000-01-01T00:00:00+00:00"
    b = write(tmp_path / "b.json", same)
    c = write(tmp_path / "c.json", rule_change(doc)[0])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert runner.invoke(app, ["diff", str(a), str(b)]).exit_code == 0
    assert runner.invoke(app, ["diff", str(a), str(c)]).exit_code == 1
    assert runner.invoke(app, ["diff", str(a), str(tmp_path / "missing.json")]).exit_code == 2
    r = runner.invoke(app, ["diff", str(a), str(bad)])
    assert r.exit_code == 2 and "not JSON" in r.output
    assert runner.invoke(app, ["diff", str(a), str(tmp_path)]).exit_code == 2  # a file and a folder
    assert runner.invoke(app, ["diff", str(a), str(b), "--format", "xml"]).exit_code == 2


def test_text_format_counts_per_category(tmp_path):
    doc = load(SEED)
    new, dropped, recoded, _, _ = rule_change(doc)
    r = runner.invoke(app, ["diff", str(write(tmp_path / "a.json", doc)), str(write(tmp_path / "b.json", new))])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert any(line.split()[:4] == ["places", "+0", "-1", "~1"] for line in lines), r.stdout
    assert any(line.split()[:4] == ["events", "+1", "-0", "~0"] for line in lines), r.stdout
    assert f"- places {dropped['name']} ({dropped['kind']})" in r.stdout
    assert f"country_code: {doc['places'][[p['id'] for p in doc['places']].index(recoded['id'])]['country_code']} -> " in r.stdout


def test_rev_compares_with_the_folder_at_a_git_revision(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "extracted").mkdir(parents=True)
    doc = load(SEED)
    write(repo / "extracted" / f"{SEED}.json", doc)
    (repo / "extracted" / "_manifest.json").write_text('{"files": []}', encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "run 1"], check=True)
    monkeypatch.chdir(repo)
    assert runner.invoke(app, ["diff", "--rev", "HEAD"]).exit_code == 0
    new, dropped, *_ = rule_change(doc)
    write(repo / "extracted" / f"{SEED}.json", new)
    r = runner.invoke(app, ["diff", "--rev", "HEAD", "--format", "json"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert out["old"] == "HEAD:extracted"
    assert [i["old_id"] for i in out["reports"][0]["removed"]] == [dropped["id"]]
    assert runner.invoke(app, ["diff", "--rev", "no-such-rev"]).exit_code == 2


def test_folders_match_reports_by_id():
    docs = {d["report_id"]: ("x", d) for d in load_all()}
    fewer = dict(list(docs.items())[1:])
    out = diff_sets(docs, fewer, "a", "b")
    assert not out.equal
    assert [r.status for r in out.reports].count("removed") == 1


def test_html_format_writes_escaped_pages(tmp_path):
    doc = load(SEED)
    new = copy.deepcopy(doc)
    payload = "<script>alert(1)</script>"
    new["text"] += "\n" + payload
    start = new["text"].index(payload)
    new["places"].append({"id": "pl-x", "name": payload, "kind": "city", "country_code": None, "relation": None,
                          "mentions": [{"start": start, "end": start + len(payload), "text": payload}]})
    a, b = write(tmp_path / "a.json", doc), write(tmp_path / "b.json", new)
    r = runner.invoke(app, ["diff", str(a), str(b), "--format", "html", "--out", str(tmp_path / "pages")])
    assert r.exit_code == 1, r.output
    page = (tmp_path / "pages" / f"{SEED}.html").read_text(encoding="utf-8")
    assert payload not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1
    assert "http://" not in page and "https://" not in page
    assert (tmp_path / "pages" / "index.html").exists()


def test_reviewed_false_equals_no_field_and_true_is_a_change():
    old = load(SEED)
    new = copy.deepcopy(old)
    for p in new["places"]:
        p["reviewed"] = False
    assert diff_reports(old, new).status == "equal"
    new["places"][0]["reviewed"] = True
    d = diff_reports(old, new)
    assert [(i.new_id, [c.field for c in i.fields]) for i in d.changed] == [(new["places"][0]["id"], ["reviewed"])]
