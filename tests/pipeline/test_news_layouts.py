"""Our own news, press-release and report-excerpt layouts (tests/fixtures/layouts) end to end: the
reporting year and city, no section from furniture, the dateline's date and relative dates, and the
events with their status."""
from pathlib import Path

import pytest

from pipeline.extract import extract

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


@pytest.fixture(scope="module")
def report():
    cache = {}

    def get(name):
        if name not in cache:
            path = HERE / f"{name}.txt"
            cache[name] = extract(path, path.read_bytes())
        return cache[name]
    return get


def events(r, status="happened"):
    return sorted((e.date or "", e.type) for e in r.events if e.status == status)


def places_of(r, e):
    names = {p.id: p.name for p in r.places}
    return {names[i] for i in e.place_ids}


@pytest.mark.parametrize("name, city, year", [
    ("kirov-2016-wire", "Киров", 2016),            # the year only in the closing © line
    ("cherepovets-2019-release", "Череповец", 2019),
    ("orenburg-2018-report", "Оренбург", 2018),    # the title's year, not the repost's (2019)
    ("sochi-2017-repost", "Сочи", 2017),
    ("surgut-2020-cityline", "Сургут", 2020),
    ("kostroma-2021-release", "Кострома", 2021),
])
def test_year_and_city(report, name, city, year):
    r = report(name)
    assert (r.city.name, r.year) == (city, year)


def test_no_section_from_headlines_rubrics_bylines_or_credits(report):
    for name in ("kirov-2016-wire", "cherepovets-2019-release", "sochi-2017-repost", "surgut-2020-cityline"):
        assert report(name).sections == []
    assert [s.title for s in report("orenburg-2018-report").sections] == ["4.1. Побратимские связи"]


def test_bylines_and_rubrics_are_no_persons_or_organisations(report):
    r = report("cherepovets-2019-release")
    assert "Смирнов" not in {p.surname for p in r.persons}
    assert not any("Культура" == o.name for o in r.organisations)
    r = report("sochi-2017-repost")
    assert "Петрова" not in {p.surname for p in r.persons}


def test_dateline_and_relative_dates(report):
    values = {d.value for d in report("kirov-2016-wire").dates}
    assert {"2016-03-16", "2016-03-15", "2015"} <= values          # "16 мар", "Во вторник", "В прошлом году"
    values = {d.value for d in report("cherepovets-2019-release").dates}
    assert {"2019-04-12", "2019-04-11", "2019-05"} <= values and "2019-04-07" not in values  # "до воскресенья"
    values = {d.value for d in report("surgut-2020-cityline").dates}
    assert {"2020-10-02", "2020-10-01", "2020-09-30", "2020-07-12"} <= values
    assert {"2017-06-05"} <= {d.value for d in report("sochi-2017-repost").dates}


def test_wire_events_dated_by_weekday_and_history_mentioned(report):
    r = report("kirov-2016-wire")
    assert events(r) == [("2016-03-15", "meeting"), ("2016-03-16", "visit")]
    assert ("2015", "visit") in events(r, "mentioned")
    meeting = next(e for e in r.events if e.type == "meeting")
    assert {"Киров", "Ческе-Будеёвице"} <= places_of(r, meeting)


def test_release_events_habit_plan_and_history(report):
    r = report("cherepovets-2019-release")
    assert events(r) == [("2019-04-11", "festival")]
    assert events(r, "habitual") == [("", "festival")]
    assert events(r, "planned") == [("2019-05", "festival")]
    assert events(r, "mentioned") == [("1994", "visit")]


def test_report_excerpt_one_event_per_item_and_the_plan(report):
    r = report("orenburg-2018-report")
    assert events(r) == [("2018-03", "visit"), ("2018-09-20/2018-09-22", "exhibition")]
    assert events(r, "mentioned") == [("2005", "other")]          # "В 2005 году главы … подписали"
    assert events(r, "planned") == [("2019", "festival")]
    assert events(r, "habitual") == [("", "competition")]


def test_cancelled_and_negated_happenings_are_no_events(report):
    r = report("sochi-2017-repost")
    assert events(r) == [("2017-06-05", "visit")]
    assert all(e.status == "happened" for e in r.events)


def test_a_pronoun_dates_the_event_named_before_it(report):
    r = report("surgut-2020-cityline")
    assert events(r) == [("2020-07-12", "festival"), ("2020-09-30", "meeting"), ("2020-10-01", "conference")]
    assert events(r, "habitual") == [("", "festival")]


def test_a_signing_is_other_and_a_quoted_plan_is_planned(report):
    r = report("kostroma-2021-release")
    assert events(r) == [("2021-06-07", "other"), ("2021-06-07", "visit")]
    assert events(r, "planned") == [("2022", "exhibition")]
    signing = next(e for e in r.events if e.type == "other")
    assert signing.tense == "past" and "Церемония прошла" in " ".join(m.text for m in [signing.evidence, *signing.more_evidence])
