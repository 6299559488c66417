"""`city-reports review ...`: decisions recorded, listed, dropped and applied to the extracted JSON."""
import json

import pytest
from typer.testing import CliRunner

from cli.app import app
from review.decisions import load_reviews
from tests.fixtures.corpus.make_corpus import load
from tests.review.seed_review import SEED_ID, choose

runner = CliRunner()


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
    r = runner.invoke(app, ["review", "drop", SEED_ID, "1", *common])   # drop applies at once: to this folder
    assert r.exit_code == 0
    assert [d.action for d in load_reviews(reviews, SEED_ID).decisions] == ["fix", "add"]


def _one_line_error(r) -> str:
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    return lines[0]


def test_report_ids_that_would_leave_the_reviews_folder_are_refused(tmp_path, monkeypatch):
    """`review add /tmp/pwn2 …`, `review fix ../../../tmp/pwn …`, drop, apply, list: one line, exit 2,
    nothing written anywhere."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CITY_REPORTS_REVIEWS")
    (tmp_path / "extracted").mkdir()
    target = tmp_path / "pwn"
    for args in (["add", str(target), "places", "Тиват", "--force"],
                 ["fix", f"../../..{target}", "places", "Тиват", "country_code", "ME", "--force"],
                 ["reject", "../x", "places", "Тиват", "--force"],
                 ["drop", f"..{target}", "1"], ["apply", "../../x"], ["list", "/etc/passwd"]):
        error = _one_line_error(runner.invoke(app, ["review", *args]))
        assert "is not a report id" in error, args
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["extracted"]


def test_a_crafted_report_id_in_an_extracted_json_is_refused(tmp_path):
    doc = load(SEED_ID)
    doc["report_id"] = "../../x"
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    (extracted / "x.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    common = ["--extracted", str(extracted), "--reviews", str(tmp_path / "reviews")]
    error = _one_line_error(runner.invoke(app, ["review", "reject", "x", "places", "Тиват", *common]))
    assert "is not a report id" in error
    _one_line_error(runner.invoke(app, ["review", "page", str(extracted / "x.json"), "--out", str(tmp_path / "p.html")]))
    assert not (tmp_path / "reviews").exists() and not (tmp_path / "p.html").exists()


def test_the_category_is_a_choice_and_add_takes_the_event_format(tmp_path):
    r = runner.invoke(app, ["review", "reject", SEED_ID, "nonsense", "x", "--force", "--reviews", str(tmp_path)])
    assert r.exit_code == 2 and "nonsense" in r.output
    doc = load(SEED_ID)
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    (extracted / f"{SEED_ID}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    event = doc["events"][0]
    r = runner.invoke(app, ["review", "add", SEED_ID, "EVENTS", event["evidence"]["text"][:40], "--type", "meeting",
                            "--event-format", "online", "--extracted", str(extracted), "--reviews", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    assert load_reviews(tmp_path / "r", SEED_ID).decisions[0].fields["format"] == "online"


def test_reviews_go_beside_the_extracted_folder_whatever_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CITY_REPORTS_REVIEWS")
    doc = load(SEED_ID)
    extracted = tmp_path / "p" / "extracted"
    extracted.mkdir(parents=True)
    (extracted / f"{SEED_ID}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    reject = choose(doc)[0]
    r = runner.invoke(app, ["review", "reject", SEED_ID, "places", reject["name"], "--extracted", str(extracted)])
    assert r.exit_code == 0, r.output
    assert [d.action for d in load_reviews(extracted / "_reviews", SEED_ID).decisions] == ["reject"]
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.slow
def test_twenty_review_commands_at_once_keep_twenty_decisions(tmp_path):
    """20 `city-reports review reject` processes started together on one report: all 20 kept."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT), "CITY_REPORTS_REVIEWS": str(tmp_path / "reviews")}
    procs = [subprocess.Popen([sys.executable, "-m", "cli", "review", "reject", SEED_ID, "places", f"Место {i}",
                               "--force", "--extracted", str(tmp_path)], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(20)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [e.decode()[-300:] for _, e in outputs]
    kept = load_reviews(tmp_path / "reviews", SEED_ID).decisions
    assert sorted(d.match["name"] for d in kept) == sorted(f"Место {i}" for i in range(20))


def test_the_category_choices_are_the_reports_item_lists():
    from cli.review import CATEGORIES
    from review.reports import CATEGORIES as LISTS

    assert CATEGORIES == LISTS
