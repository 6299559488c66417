import json

import pytest
from pydantic import ValidationError

from models import Report, json_schema
from tests.conftest import ROOT


def test_committed_schema_matches_models():
    committed = (ROOT / "models" / "report.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "models/report.schema.json drifted: run `make schema`"


def _doc(**over):
    doc = {
        "report_id": "x-2021", "city": {"name": "Омск", "country_code": "RU"}, "year": 2021,
        "source": {"path": "x.txt", "sha256": "0" * 64, "format": "txt", "encoding": "utf-8", "pages": None},
        "pipeline": {"version": "t", "extracted_at": "2021-01-01T00:00:00+00:00"},
        "text": "Визит в Омск.",
        "places": [{"id": "pl-1", "name": "Омск", "kind": "city", "country_code": "RU", "relation": None,
                    "mentions": [{"start": 8, "end": 12, "text": "Омск"}]}],
    }
    doc.update(over)
    return doc


def test_valid_document_passes():
    assert Report.model_validate(_doc()).places[0].name == "Омск"


@pytest.mark.parametrize("mention, message", [
    ({"start": 8, "end": 12, "text": "Омска"}, "is not text"),
    ({"start": 8, "end": 40, "text": "Омск."}, "outside text"),
    ({"start": 9, "end": 8, "text": ""}, "before start"),
])
def test_ungrounded_mentions_are_rejected(mention, message):
    doc = _doc()
    doc["places"][0]["mentions"] = [mention]
    with pytest.raises(ValidationError, match=message):
        Report.model_validate(doc)


def test_cited_ids_must_exist():
    doc = _doc(events=[{"id": "ev-1", "type": "visit", "title": "Визит", "date": None, "format": "offline",
                        "place_ids": ["pl-9"], "person_ids": [], "organisation_ids": [], "quantity_ids": [],
                        "section_id": None, "evidence": {"start": 0, "end": 13, "text": "Визит в Омск."}}])
    with pytest.raises(ValidationError, match="pl-9"):
        Report.model_validate(doc)


def test_enums_are_closed():
    doc = _doc()
    doc["places"][0]["kind"] = "town"
    with pytest.raises(ValidationError):
        Report.model_validate(doc)


def test_schema_is_json_schema_of_the_contract():
    schema = json.loads(json_schema())
    props = schema["properties"]
    for field in ("schema_version", "report_id", "source", "pipeline", "city", "year", "text", "sections", "answers",
                  "places", "persons", "organisations", "dates", "quantities", "events", "tasks", "warnings"):
        assert field in props
