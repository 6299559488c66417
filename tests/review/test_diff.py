"""review.diff: keys not ids, a rule change listed exactly, the published JSON Schema."""
import copy

import pytest

from review.diff import diff_reports, diff_sets, json_schema
from tests.conftest import ROOT
from tests.fixtures.corpus.make_corpus import corpus_files, load, load_all
from tests.review.edits import referenced_place_ids, renumber, rule_change, shift

SEED = "omsk-2021-international"


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


def test_folders_match_reports_by_id():
    docs = {d["report_id"]: ("x", d) for d in load_all()}
    fewer = dict(list(docs.items())[1:])
    out = diff_sets(docs, fewer, "a", "b")
    assert not out.equal
    assert [r.status for r in out.reports].count("removed") == 1


def test_reviewed_false_equals_no_field_and_true_is_a_change():
    old = load(SEED)
    new = copy.deepcopy(old)
    for p in new["places"]:
        p["reviewed"] = False
    assert diff_reports(old, new).status == "equal"
    new["places"][0]["reviewed"] = True
    d = diff_reports(old, new)
    assert [(i.new_id, [c.field for c in i.fields]) for i in d.changed] == [(new["places"][0]["id"], ["reviewed"])]
