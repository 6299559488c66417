"""The whole pipeline on real reports: the seed and our own fixtures, scored by the referee."""
import json
import subprocess
import sys

import jsonschema
import pytest

from benchmarks import referee
from models import Report, json_schema
from pipeline.extract import extract, to_json
from tests.conftest import GOLD_DIR, ROOT, SEED

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "reports").glob("*.txt"))


def score(gold_path, report) -> dict:
    pred = report if isinstance(report, dict) else json.loads(to_json(report))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out = subprocess.run([sys.executable, referee.__file__, str(gold_path), "/dev/stdin", "--json"],
                         input=json.dumps(pred, ensure_ascii=False), capture_output=True, text=True, check=True)
    assert gold["year"] == pred["year"]
    return json.loads(out.stdout)


def test_seed_meets_the_foundation_bars(seed_report):
    res = score(GOLD_DIR / "omsk-2021-international.gold.json", seed_report)
    assert res["metadata"]["city_ok"] and res["metadata"]["year_ok"]
    assert res["grounding"]["broken"] == 0
    assert res["sections"]["f1"] >= 0.9
    assert res["answers"]["f1"] == 1.0
    assert res["tasks"]["f1"] == 1.0


def test_seed_json_validates_against_the_published_schema(seed_report):
    doc = json.loads(to_json(seed_report))
    jsonschema.validate(doc, json.loads(json_schema()))
    assert Report.model_validate(doc) == seed_report
    assert doc["city"] == {"name": "Омск", "country_code": "RU"}
    assert all(doc[k] for k in ("sections", "answers", "places", "persons", "organisations", "dates", "quantities",
                                "events", "tasks"))


def test_same_input_gives_byte_identical_json_but_the_time(seed_report):
    again = extract(SEED, SEED.read_bytes())
    a, b = json.loads(to_json(seed_report)), json.loads(to_json(again))
    a["pipeline"].pop("extracted_at"), b["pipeline"].pop("extracted_at")
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def test_events_cite_existing_ids_and_grounded_evidence(seed_report):
    ids = {x.id for key in ("places", "persons", "organisations", "quantities", "sections")
           for x in getattr(seed_report, key)}
    for e in seed_report.events:
        assert set(e.place_ids + e.person_ids + e.organisation_ids + e.quantity_ids) <= ids
        assert seed_report.text[e.evidence.start:e.evidence.end] == e.evidence.text


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_own_reports_are_read_right(path):
    report = extract(path, path.read_bytes())
    res = score(GOLD_DIR / f"{path.stem}.gold.json", report)
    assert res["metadata"]["city_ok"] and res["metadata"]["year_ok"]
    assert res["grounding"]["broken"] == 0
    assert res["answers"]["f1"] == 1.0 and res["tasks"]["f1"] == 1.0
    assert res["sections"]["f1"] >= 0.9
