"""`city-reports review ...`: decisions recorded, listed, dropped and applied to the extracted JSON."""
import json

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
    r = runner.invoke(app, ["review", "drop", SEED_ID, "1", "--reviews", str(reviews)])
    assert r.exit_code == 0
    assert [d.action for d in load_reviews(reviews, SEED_ID).decisions] == ["fix", "add"]
