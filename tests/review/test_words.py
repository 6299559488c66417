"""Changes in words, never reprs: the diff page, the review app and `city-reports diff` write these."""
import pytest

from review.words import change_words


@pytest.mark.parametrize("field, old, new, want", [
    ("relation", None, "twin", "tie: none → twin"),
    ("positions", [{"title": "мэр", "organisation": None}],
     [{"title": "мэр", "organisation": None}, {"title": "заместитель мэра", "organisation": None}],
     "post added: заместитель мэра"),
    ("reviewed", None, True, "reviewed: no → yes"),
    ("places", ["Омск", "Харбин"], ["Омск"], "places removed: Харбин"),
    ("value", 7000.0, 7500, "value: 7000 → 7500"),
    ("city", {"name": "Омск", "country_code": "RU"}, {"name": "Томск", "country_code": "RU"}, "city: Омск RU → Томск RU"),
])
def test_changes_read_as_words(field, old, new, want):
    got = change_words(field, old, new)
    assert got == want
    assert not any(s in got for s in ("None", "True", "{", "[", "'"))
