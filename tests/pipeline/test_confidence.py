"""The confidence stage: every item of a report carries a confidence in [0, 1], from its cues."""
import pytest

from pipeline import rules
from pipeline.confidence import score
from pipeline.extract import analyse_text

CATEGORIES = ("places", "persons", "organisations", "dates", "quantities", "events")


def test_every_item_has_a_confidence(seed_report):
    doc = seed_report.model_dump()
    for c in CATEGORIES:
        assert doc[c], c
        for it in doc[c]:
            assert 0 <= it["confidence"] <= 1, (c, it["id"])


def test_a_stated_tie_and_the_gazetteer_make_a_place_surer_than_an_unknown_name():
    assert score("places", ["ner", "gazetteer", "tie", "kind_city"]) > 0.9
    assert score("places", ["ner", "no_gazetteer", "kind_other", "no_country"]) < 0.5


def test_a_planned_event_is_less_sure_than_one_that_happened():
    doc = analyse_text("В мае 2021 года делегация Омска посетила Пекин. В 2022 году планируется визит в Харбин.\n",
                       upto="confidence")
    by_status = {e.status: doc.confidence[("events", i)] for i, e in enumerate(doc.events)}
    assert by_status.get("happened", 0) > 0.9
    if "planned" in by_status:
        assert by_status["planned"] < 0.5


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_a_base_weight(category):
    assert isinstance(rules.load("confidence")[category]["base"], float)
