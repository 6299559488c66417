"""The review app without a browser: the token, the origin and the host; escaping in the pages;
a decision the schema does not allow is refused with a message; export of the reviewed report."""
import json

import pytest
from typer.testing import CliRunner

from cli.app import app as cli
from review.decisions import load_reviews
from tests.review.web.conftest import REPORT_ID, TOKEN


@pytest.fixture
def client(site):
    from starlette.testclient import TestClient

    from review.web.app import create_app

    base, out, reviews, _ = site
    return TestClient(create_app(out, reviews, TOKEN), base_url="http://127.0.0.1"), out, reviews


def test_nothing_is_shown_or_recorded_without_the_token(client):
    c, out, reviews = client
    assert c.get("/").status_code == 403 and c.get(f"/api/report/{REPORT_ID}").status_code == 403
    assert c.get(f"/?t={TOKEN}x").status_code == 403
    assert c.get(f"/?t={TOKEN}", headers={"host": "reviews.example.com"}).status_code == 403
    body = {"action": "reject", "item": "places:pl-1"}
    assert c.post(f"/api/report/{REPORT_ID}/decisions?t={TOKEN}", json=body).status_code == 403
    assert not (reviews / f"{REPORT_ID}.json").exists()
    r = c.post(f"/api/report/{REPORT_ID}/decisions", json=body, headers={"X-Review-Token": TOKEN})
    assert r.status_code == 200 and r.json()["decisions"][0]["status"] == "applied"
    assert "Content-Security-Policy" in r.headers and r.headers["Referrer-Policy"] == "no-referrer"


def test_the_pages_escape_what_a_report_holds(client):
    c, out, _ = client
    doc = json.loads((out / f"{REPORT_ID}.json").read_text(encoding="utf-8"))
    doc["city"]["name"] = '"><img src=x onerror=alert(1)></script>'
    (out / f"{REPORT_ID}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page = c.get(f"/?t={TOKEN}").text
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;" in page
    assert "<img" not in c.get(f"/report/{REPORT_ID}?t={TOKEN}").text
    assert c.get(f"/report/..%2F..%2Fetc?t={TOKEN}").status_code == 404


def test_a_value_the_schema_refuses_is_not_recorded(client):
    c, _, reviews = client
    state = c.get(f"/api/report/{REPORT_ID}?t={TOKEN}").json()
    place = next(it for it in state["items"] if it["category"] == "places")
    r = c.post(f"/api/report/{REPORT_ID}/decisions", headers={"X-Review-Token": TOKEN},
               json={"action": "fix", "item": place["key"], "field": "kind", "value": "town"})
    assert r.status_code == 400 and "kind" in r.json()["error"]
    assert not (reviews / f"{REPORT_ID}.json").exists()


def test_a_tie_a_post_and_an_events_places_are_fixed_in_words(client):
    c, _, reviews = client
    state = c.get(f"/api/report/{REPORT_ID}?t={TOKEN}").json()
    items = {it["key"]: it for it in state["items"]}
    place = next(it for it in state["items"] if it["category"] == "places" and it["label"].startswith("Гомель"))
    person = next(it for it in state["items"] if it["category"] == "persons")
    event = next(it for it in state["items"] if it["category"] == "events")
    for body in ({"item": place["key"], "field": "relation", "value": "twin"},
                 {"item": place["key"], "field": "tie_since", "value": "2006"},
                 {"item": person["key"], "field": "position", "value": "заместитель мэра"},
                 {"item": event["key"], "field": "places", "value": "Гомель"}):
        r = c.post(f"/api/report/{REPORT_ID}/decisions", headers={"X-Review-Token": TOKEN}, json={"action": "fix", **body})
        assert r.status_code == 200, r.json()
    state = r.json()
    words = [w for ch in state["changes"] for w in ch["words"]]
    assert "tie: none → twin" in words and "tie since: none → 2006" in words
    assert any(w.startswith("post") and "заместитель мэра" in w for w in words), words
    assert all("None" not in w and "{" not in w for w in words)
    assert [d["status"] for d in state["decisions"]] == ["applied"] * 4
    assert len(load_reviews(reviews, REPORT_ID).decisions) == 4
    assert items  # the item keys the page used were the output's


def test_export_writes_the_reviewed_report_as_spans(client, tmp_path):
    c, out, reviews = client
    c.post(f"/api/report/{REPORT_ID}/decisions", headers={"X-Review-Token": TOKEN},
           json={"action": "add", "category": "places", "text": "Медное", "fields": {"kind": "other"}})
    for fmt in ("spacy", "label-studio"):
        target = tmp_path / f"{fmt}.jsonl"
        r = CliRunner().invoke(cli, ["review", "export", str(out), "--format", fmt, "--out", str(target),
                                     "--reviews", str(reviews)])
        assert r.exit_code == 0, r.output
        (line,) = target.read_text(encoding="utf-8").splitlines()
        rec = json.loads(line)
        text = rec["text"] if fmt == "spacy" else rec["data"]["text"]
        spans = rec["spans"] if fmt == "spacy" else [
            {"start": x["value"]["start"], "end": x["value"]["end"], "label": x["value"]["labels"][0]}
            for x in rec["annotations"][0]["result"]]
        assert {"start": text.index("Медное"), "end": text.index("Медное") + 6, "label": "PLACE"} in spans
        assert all(text[s["start"]:s["end"]].strip() for s in spans)
        if fmt == "spacy":  # spaCy reads it: every span is a span of its Doc
            import spacy

            doc = spacy.blank("ru")(text)
            ents = [doc.char_span(s["start"], s["end"], s["label"], alignment_mode="expand") for s in spans]
            assert all(e is not None for e in ents) and {e.label_ for e in ents} >= {"PLACE", "PERSON"}
