"""`review list` says for each decision whether it applied, to what, and why not; a decision on the
same item replaces the earlier one; `review drop` then `review apply` undoes the dropped decision."""
import json

from typer.testing import CliRunner

from cli.app import app
from review.decisions import load_reviews
from review.store import machine_path
from tests.fixtures.corpus.make_corpus import load
from tests.review.seed_review import SEED_ID, choose

runner = CliRunner()


def _setup(tmp_path):
    doc = load(SEED_ID)
    extracted, reviews = tmp_path / "extracted", tmp_path / "reviews"
    machine = machine_path(extracted, SEED_ID)
    machine.parent.mkdir(parents=True)
    for path in (machine, extracted / f"{SEED_ID}.json"):  # as the batch leaves them
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return doc, extracted, ["--reviews", str(reviews), "--extracted", str(extracted)], reviews


def _review(*args):
    r = runner.invoke(app, ["review", *args])
    assert r.exit_code in (0, 1), r.output
    return r


def _places(extracted) -> dict:
    return {p["name"]: p for p in json.loads((extracted / f"{SEED_ID}.json").read_text(encoding="utf-8"))["places"]}


def test_applied_decisions_are_listed_as_applied_with_what_they_did(tmp_path):
    doc, extracted, common, _ = _setup(tmp_path)
    reject, fix, code, word = choose(doc)
    _review("reject", SEED_ID, "places", reject["name"], *common)
    _review("fix", SEED_ID, "places", fix["name"], "country_code", code, *common)
    _review("add", SEED_ID, "places", word, "--kind", "city", *common)
    r = _review("list", SEED_ID, *common)
    lines = [line for line in r.stdout.splitlines() if line.strip().startswith("#")]
    assert r.exit_code == 0 and len(lines) == 3, r.stdout
    assert all("[applied]" in line for line in lines), r.stdout
    assert f"rejected {reject['id']} {reject['name']}" in lines[0]
    assert f"{fix['id']} {fix['name']}" in lines[1] and "country_code" in lines[1]
    assert "added as pl-r3" in lines[2]
    assert "nothing to reject" not in r.stdout and "found it too" not in r.stdout


def test_an_unapplied_decision_says_why(tmp_path):
    doc, extracted, common, _ = _setup(tmp_path)
    r = _review("reject", SEED_ID, "places", "Нигдеграддд", "--force", *common)
    r = _review("list", SEED_ID, *common)
    assert r.exit_code == 1 and "[stale]" in r.stdout and "text is gone" in r.stdout, r.stdout


def test_a_second_decision_on_the_same_item_replaces_the_first(tmp_path):
    doc, extracted, common, reviews = _setup(tmp_path)
    reject, fix, code, word = choose(doc)
    _review("add", SEED_ID, "places", word, "--kind", "city", *common)
    _review("add", SEED_ID, "places", word, "--kind", "region", *common)   # the same add again: replaces
    _review("fix", SEED_ID, "places", fix["name"], "country_code", code, *common)
    _review("fix", SEED_ID, "places", fix["name"], "kind", "region", *common)  # another field: both kept
    _review("reject", SEED_ID, "places", fix["name"], *common)                # a reject: replaces both fixes
    decisions = load_reviews(reviews, SEED_ID).decisions
    assert [(d.action, d.fields.get("kind")) for d in decisions] == [("add", "region"), ("reject", None)]
    places = _places(extracted)
    assert places[word]["kind"] == "region" and fix["name"] not in places
    r = _review("list", SEED_ID, *common)
    assert r.stdout.count("[applied]") == 2, r.stdout


def test_drop_then_apply_undoes_the_dropped_decision(tmp_path):
    doc, extracted, common, _ = _setup(tmp_path)
    reject, fix, code, _ = choose(doc)
    _review("reject", SEED_ID, "places", reject["name"], *common)
    _review("fix", SEED_ID, "places", fix["name"], "country_code", code, *common)
    assert reject["name"] not in _places(extracted)
    _review("drop", SEED_ID, "1", *common)
    _review("apply", SEED_ID, *common)
    places = _places(extracted)
    assert places[reject["name"]]["country_code"] == reject["country_code"]   # back as the machine had it
    assert places[fix["name"]]["country_code"] == code                          # the kept decision still applies
    _review("drop", SEED_ID, "1", *common)
    _review("apply", SEED_ID, *common)
    assert _places(extracted)[fix["name"]]["country_code"] == fix["country_code"]
