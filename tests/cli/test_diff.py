"""`city-reports diff`: exit status like diff(1), text, JSON (valid against the published schema) and
HTML output, and `--rev` against a git revision."""
import copy
import json
import subprocess

import jsonschema
from typer.testing import CliRunner

from cli.app import app
from review.diff import DiffDocument, json_schema
from tests.fixtures.corpus.make_corpus import load, load_all
from tests.review.edits import rule_change, write

SEED = "omsk-2021-international"
runner = CliRunner()


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
    assert f"country code: {doc['places'][[p['id'] for p in doc['places']].index(recoded['id'])]['country_code']} → " in r.stdout


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
