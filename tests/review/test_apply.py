"""review.apply: reviewers' corrections survive re-runs and rule changes; a decision whose text is gone
is reported, not dropped; applying is idempotent."""
import copy

import pytest

import models
from review.apply import apply_reviews, apply_to_dict
from review.decisions import Decision, ReviewError, load_reviews
from review.record import prepare, record
from tests.conftest import SEED
from tests.fixtures.corpus.make_corpus import load
from tests.review.seed_review import SEED_ID, choose, decisions_for


def record_all(folder, report_id, decisions):
    for d in decisions:
        record(folder, report_id, d)


def check(report: models.Report, want: dict) -> None:
    names = {p.name: p for p in report.places}
    assert want["reject"] not in names
    assert names[want["fix"]].country_code == want["code"]
    added = names[want["word"]]
    assert [m.text for m in added.mentions] == [want["word"]] * len(added.mentions)
    assert all(report.text[m.start:m.end] == want["word"] for m in added.mentions)
    assert names[want["fix"]].reviewed and added.reviewed


def rule_changed(doc: dict, want: dict) -> dict:
    """A later pipeline: other ids and order, one more place, and new opinions on the reviewed items."""
    doc = copy.deepcopy(doc)
    ids = {}
    doc["places"] = doc["places"][::-1]
    for i, p in enumerate(doc["places"], 1):
        ids[p["id"]] = f"place-{i}"
        p["id"] = ids[p["id"]]
        if p["name"] == want["fix"]:
            p["country_code"] = "US" if want["code"] != "US" else "FR"  # the rule now says something else
        if p["name"] == want["reject"]:
            p["kind"] = "region" if p["kind"] != "region" else "other"  # ... and another kind
    for e in doc["events"]:
        e["place_ids"] = [ids[i] for i in e["place_ids"]]
    first = doc["places"][-1]["mentions"][0]
    doc["places"].insert(0, {"id": "place-new", "name": "Новое место", "kind": "city", "country_code": None,
                             "relation": None, "mentions": [first]})
    return doc


@pytest.fixture(scope="module")
def extract_seed():
    from pipeline.extract import extract

    return lambda data=None: extract(SEED.relative_to(SEED.parents[1]), data or SEED.read_bytes())


def test_rejection_fix_and_addition_survive_three_reruns_and_a_rule_change(tmp_path, extract_seed):
    first = extract_seed()
    decisions, want = decisions_for(first.model_dump(mode="json"))
    record_all(tmp_path, SEED_ID, decisions)
    for _ in range(3):  # three real extraction runs, each followed by the reviews
        report, messages = apply_reviews(extract_seed(), tmp_path)
        assert messages == []
        check(report, want)
    machine = rule_changed(extract_seed().model_dump(mode="json"), want)
    report, messages = apply_reviews(models.Report.model_validate(machine), tmp_path)
    assert messages == []
    check(report, want)
    assert "Новое место" in {p.name for p in report.places}  # the machine's new find is kept
    assert len(load_reviews(tmp_path, SEED_ID).decisions) == 3


def test_a_decision_whose_text_is_gone_is_reported_not_dropped(tmp_path, extract_seed):
    first = extract_seed().model_dump(mode="json")
    decisions, want = decisions_for(first)
    record_all(tmp_path, SEED_ID, decisions)
    raw = SEED.read_text(encoding="utf-8")
    for t in decisions[0].texts + decisions[1].texts:  # the corrected report no longer names them
        raw = raw.replace(t, "")
    report, messages = apply_reviews(extract_seed(raw.encode("utf-8")), tmp_path)
    assert len(messages) == 2, messages
    assert all("text is gone" in m for m in messages)
    assert any(want["reject"] in m for m in messages) and any(want["fix"] in m for m in messages)
    assert [w.message for w in report.warnings if w.code == "review_not_applied"] == messages
    assert want["word"] in {p.name for p in report.places}  # the decision that still applies applied
    assert len(load_reviews(tmp_path, SEED_ID).decisions) == 3  # nothing was dropped from the file


def test_applying_twice_changes_nothing():
    doc = load(SEED_ID)
    decisions, _ = decisions_for(doc)
    once, _ = apply_to_dict(doc, decisions)
    twice, outcomes = apply_to_dict(once, decisions)
    assert twice == once
    assert [o.status for o in outcomes] == ["idle", "applied", "idle"]


def test_reviewed_items_are_marked():
    doc = load(SEED_ID)
    decisions, want = decisions_for(doc)
    out, _ = apply_to_dict(doc, decisions)
    marked = {p["name"] for p in out["places"] if p.get("reviewed")}
    assert marked == {want["fix"], want["word"]}
    report = models.Report.model_validate(out)
    assert {p.name for p in report.places if p.reviewed} == marked


def test_rejecting_a_cited_place_removes_the_references():
    doc = load(SEED_ID)
    cited = next(p for p in doc["places"] if any(p["id"] in e["place_ids"] for e in doc["events"]))
    out, outcomes = apply_to_dict(doc, [Decision(action="reject", category="places", match={"name": cited["name"]})])
    assert outcomes[0].status == "applied"
    report = models.Report.model_validate(out)
    assert cited["id"] not in {i for e in report.events for i in e.place_ids}


def test_event_type_and_position_fixes_survive_a_rerun():
    doc = load(SEED_ID)
    event = doc["events"][0]
    new_type = "other" if event["type"] != "other" else "meeting"
    person = next(p for p in doc["persons"] if len(p["positions"]) == 1)
    ds = [prepare(Decision(action="fix", category="events", match={"date": event["date"], "type": event["type"]},
                           field="type", value=new_type), doc),
          prepare(Decision(action="fix", category="persons", match={"surname": person["surname"]}, field="position",
                           value="Глава города"), doc)]
    for machine in (load(SEED_ID), load(SEED_ID)):  # two runs of the machine
        out, outcomes = apply_to_dict(machine, ds)
        assert [o.status for o in outcomes] == ["applied", "applied"]
        ev = next(e for e in out["events"] if e["id"] == event["id"])
        assert ev["type"] == new_type
        per = next(p for p in out["persons"] if p["id"] == person["id"])
        assert [x["title"] for x in per["positions"]] == ["Глава города"]
        models.Report.model_validate(out)
    again, outcomes = apply_to_dict(out, ds)
    assert again == out


def test_a_fix_whose_item_vanished_but_text_remains_is_reported():
    doc = load(SEED_ID)
    _, fix, code, _ = choose(doc)
    d = prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="country_code", value=code), doc)
    machine = load(SEED_ID)
    machine["places"] = [p for p in machine["places"] if p["id"] != fix["id"]]
    for e in machine["events"]:
        e["place_ids"] = [i for i in e["place_ids"] if i != fix["id"]]
    out, outcomes = apply_to_dict(machine, [d])
    assert outcomes[0].status == "unmatched"
    assert any(w["code"] == "review_not_applied" for w in out["warnings"])


def test_a_broken_reviews_file_fails_loudly(tmp_path):
    (tmp_path / f"{SEED_ID}.json").write_text("{oops", encoding="utf-8")
    report = models.Report.model_validate(load(SEED_ID))
    with pytest.raises(ReviewError, match="cannot read"):
        apply_reviews(report, tmp_path)


def test_no_reviews_file_returns_the_report_unchanged(tmp_path):
    report = models.Report.model_validate(load(SEED_ID))
    assert apply_reviews(report, tmp_path) == (report, [])
