"""review.record: decisions checked against the extraction before they are recorded; recording
replaces an earlier decision on the same item and field."""
import pytest

from review.decisions import Decision, ReviewError, load_reviews
from review.record import parse_key, parse_value, prepare, record
from tests.fixtures.corpus.make_corpus import load
from tests.review.seed_review import SEED_ID, choose


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


def test_a_later_fix_of_the_same_field_replaces_the_earlier_one(tmp_path):
    doc = load(SEED_ID)
    reject, fix, code, _ = choose(doc)

    def fix_to(value):
        return prepare(Decision(action="fix", category="places", match={"name": fix["name"]}, field="country_code",
                                value=value), doc)

    assert record(tmp_path, SEED_ID, fix_to(code))[1] == 1
    assert record(tmp_path, SEED_ID, prepare(Decision(action="reject", category="places",
                                                      match={"name": reject["name"]}), doc))[1] == 2
    path, n = record(tmp_path, SEED_ID, fix_to("RS" if code != "RS" else "ME"))
    assert n == 2 and path == tmp_path / f"{SEED_ID}.json"
    kept = load_reviews(tmp_path, SEED_ID).decisions
    assert [(d.action, d.value) for d in kept] == [("reject", None), ("fix", "RS" if code != "RS" else "ME")]
    assert kept[1].old == fix["country_code"] and kept[1].texts  # the machine's value and the texts it is about


def test_command_line_keys_and_values_in_the_schema_types():
    assert parse_key("quantities", "7000,5 работа") == {"value": 7000.5, "unit": "работа"}
    assert parse_key("events", "2021-05 festival", places=["Омск"]) == {"date": "2021-05", "type": "festival",
                                                                        "places": ["Омск"]}
    assert parse_key("events", "none meeting") == {"date": None, "type": "meeting"}
    assert parse_key("places", "Корея", kind="country") == {"name": "Корея", "kind": "country"}
    with pytest.raises(ReviewError):
        parse_key("quantities", "много работа")
    assert parse_value("places", "country_code", "me") == "ME"
    assert parse_value("places", "relation", "null") is None
    assert parse_value("quantities", "value", "1,5") == 1.5
    assert parse_value("quantities", "approximate", "да") is True
