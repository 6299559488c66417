"""Reviewers' corrections: they survive re-runs and rule changes; a decision whose text is gone is reported."""
import copy
import json
import re

import pytest
from typer.testing import CliRunner

import models
from pipeline.cli import app
from pipeline.reviews import (Decision, ReviewError, apply_reviews, apply_to_dict, fit_to_models, load_reviews, prepare,
                              record, reviews_fingerprint)
from tests.conftest import SEED
from tests.fixtures.corpus.make_corpus import load

SEED_ID = "omsk-2021-international"
runner = CliRunner()
HAS_REVIEWED = "reviewed" in models.Place.model_fields


def choose(doc: dict) -> tuple[dict, dict, str, str]:
    """From the machine's output: a place to reject, a city to re-code (and its new code), a word to add."""
    city = (doc.get("city") or {}).get("name")
    others = [p for p in doc["places"] if p["name"] != city]
    reject = next((p for p in others if p["kind"] == "other"), others[-1])
    fix = next(p for p in others if p["kind"] == "city" and p["country_code"] and p is not reject)
    code = "ME" if fix["country_code"] != "ME" else "RS"
    covered = [(m["start"], m["end"]) for p in doc["places"] for m in p["mentions"]]
    names = {p["name"].lower() for p in doc["places"]}
    for m in re.finditer(r"(?<!\w)[А-ЯЁ][а-яё]{5,}(?!\w)", doc["text"]):
        if m.group().lower() not in names and not any(a < m.end() and m.start() < b for a, b in covered):
            return reject, fix, code, m.group()
    raise AssertionError("no word to add")


def decisions_for(doc: dict) -> tuple[list[Decision], dict]:
    reject, fix, code, word = choose(doc)
    ds = [prepare(Decision(action="reject", category="places", match={"name": reject["name"]}), doc),
          prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="country_code", value=code), doc),
          prepare(Decision(action="add", category="places", text=word, fields={"kind": "other"}), doc)]
    return ds, {"reject": reject["name"], "fix": fix["name"], "code": code, "word": word}


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
    if HAS_REVIEWED:
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
    report = models.Report.model_validate(fit_to_models(out))  # valid with or without the models' `reviewed` field
    if HAS_REVIEWED:
        assert {p.name for p in report.places if p.reviewed} == marked


def test_rejecting_a_cited_place_removes_the_references():
    doc = load(SEED_ID)
    cited = next(p for p in doc["places"] if any(p["id"] in e["place_ids"] for e in doc["events"]))
    out, outcomes = apply_to_dict(doc, [Decision(action="reject", category="places", match={"name": cited["name"]})])
    assert outcomes[0].status == "applied"
    report = models.Report.model_validate(fit_to_models(out))
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
        models.Report.model_validate(fit_to_models(out))
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


def test_invalid_values_and_missing_texts_are_refused():
    doc = load(SEED_ID)
    _, fix, _, _ = choose(doc)
    with pytest.raises(ReviewError, match="pattern"):
        prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="country_code", value="RUS"), doc)
    with pytest.raises(ReviewError, match="cannot fix"):
        prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="mentions", value="x"), doc)
    with pytest.raises(ReviewError, match="does not occur"):
        prepare(Decision(action="add", category="places", text="Нигдеграддд"), doc)
    with pytest.raises(ReviewError, match="no places item"):
        prepare(Decision(action="reject", category="places", match={"name": "Нигдеграддд"}), doc)


def test_a_broken_reviews_file_fails_loudly(tmp_path):
    (tmp_path / f"{SEED_ID}.json").write_text("{oops", encoding="utf-8")
    report = models.Report.model_validate(fit_to_models(load(SEED_ID)))
    with pytest.raises(ReviewError, match="cannot read"):
        apply_reviews(report, tmp_path)


def test_no_reviews_file_returns_the_report_unchanged(tmp_path):
    report = models.Report.model_validate(fit_to_models(load(SEED_ID)))
    assert apply_reviews(report, tmp_path) == (report, [])


def test_fingerprint_changes_with_the_decisions(tmp_path):
    doc = load(SEED_ID)
    before = reviews_fingerprint(tmp_path, SEED_ID)
    decisions, _ = decisions_for(doc)
    record(tmp_path, SEED_ID, decisions[0])
    middle = reviews_fingerprint(tmp_path, SEED_ID)
    record(tmp_path, SEED_ID, decisions[1])
    assert len({before, middle, reviews_fingerprint(tmp_path, SEED_ID)}) == 3


def test_review_commands_record_and_apply(tmp_path):
    doc = load(SEED_ID)
    reject, fix, code, word = choose(doc)
    extracted, reviews = tmp_path / "extracted", tmp_path / "reviews"
    extracted.mkdir()
    (extracted / f"{SEED_ID}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    common = ["--reviews", str(reviews), "--extracted", str(extracted)]
    for args in (["reject", SEED_ID, "places", reject["name"]],
                 ["fix", SEED_ID, "places", fix["name"], "country_code", code.lower()],
                 ["add", SEED_ID, "places", word, "--kind", "city", "--country", "sk"]):
        r = runner.invoke(app, ["review", *args, *common])
        assert r.exit_code == 0, r.output
    saved = json.loads((reviews / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    assert [(d["action"], d.get("value")) for d in saved["decisions"]] == [("reject", None), ("fix", code), ("add", None)]
    assert saved["decisions"][2]["fields"] == {"kind": "city", "country_code": "SK"}
    now = json.loads((extracted / f"{SEED_ID}.json").read_text(encoding="utf-8"))
    names = {p["name"]: p for p in now["places"]}
    assert reject["name"] not in names and names[fix["name"]]["country_code"] == code
    assert names[word]["kind"] == "city" and names[word]["country_code"] == "SK"
    r = runner.invoke(app, ["review", "list", SEED_ID, *common])
    assert r.exit_code == 0 and r.stdout.count("#") == 3, r.output
    r = runner.invoke(app, ["review", "fix", SEED_ID, "places", fix["name"], "kind", "town", *common])
    assert r.exit_code == 2 and "nothing recorded" in r.output
    r = runner.invoke(app, ["review", "reject", SEED_ID, "places", "Нигдеграддд", *common])
    assert r.exit_code == 2
    assert len(json.loads((reviews / f"{SEED_ID}.json").read_text(encoding="utf-8"))["decisions"]) == 3
    r = runner.invoke(app, ["review", "drop", SEED_ID, "1", "--reviews", str(reviews)])
    assert r.exit_code == 0
    assert [d.action for d in load_reviews(reviews, SEED_ID).decisions] == ["fix", "add"]
