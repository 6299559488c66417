"""compare on the multi-year corpus's gold as documents (benchmarks/years_gold.py: a perfect
extraction, keys from the keys stage): the partner tables and changes are exactly partners.gold.json,
and persons and places link across reports as links.gold.json says."""
import pytest

from benchmarks import compare_years, years_gold
from review.compare import compare
from review.compare.persons import link_persons, person_ref
from review.compare.tasks import Tasks


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("years")
    pred = years_gold.write(tmp / "docs")
    compare(pred, tmp / "out")
    return pred, tmp / "out"


@pytest.fixture(scope="module")
def partners_gold():
    import json

    return json.loads((years_gold.YEARS / "partners.gold.json").read_text(encoding="utf-8"))


def test_partner_tables_per_city_and_year_are_the_gold(gold_run, partners_gold):
    want, _ = compare_years.partner_rows(partners_gold)
    got, _ = compare_years.predicted_partner_rows(gold_run[1])
    assert got == want


def test_partner_changes_are_the_gold(gold_run, partners_gold):
    _, want = compare_years.partner_rows(partners_gold)
    _, got = compare_years.predicted_partner_rows(gold_run[1])
    assert got == want
    evidence = {(c["city"], p["name"]): p["evidence"] for c in partners_gold["cities"] for ch in c["changes"]
                for p in ch["dropped"] if p.get("evidence")}
    rows = {(r["city"], r["partner"]): r for r in compare_years.read(gold_run[1], "partner_changes")}
    for where, quote in evidence.items():
        assert quote in rows[where]["evidence"], where


def test_persons_and_places_link_across_reports(gold_run, tmp_path):
    import json

    pred, out = gold_run
    links = json.loads((years_gold.YEARS / "links.gold.json").read_text(encoding="utf-8"))
    scores = compare_years._score_links().score(links, compare_years.linked_copy(pred, out, tmp_path / "linked"))
    for kind in ("persons", "places", "organisations"):
        assert scores[kind]["p"] >= 0.95 and scores[kind]["r"] >= 0.95, (kind, scores[kind])


def person(rid, pid, name, surname, city="Тверь", key=None):
    return person_ref(rid, city, {"id": pid, "name": name, "surname": surname, "key": key,
                                  "mentions": [{"text": name}]})


def test_initials_that_differ_do_not_link_and_a_bare_initial_between_them_links_to_neither():
    refs = [person("a-2021", "per-1", "Соболев Д.А.", "Соболев"), person("a-2022", "per-1", "Соболев Д.Н.", "Соболев"),
            person("a-2023", "per-1", "Соболев Денис", "Соболев"), person("a-2023", "per-2", "Соболев К.Д.", "Соболев"),
            person("a-2022", "per-2", "Соболева К.Д.", "Соболева")]
    links = link_persons(refs)
    keys = {k: v.key for k, v in links.items()}
    assert keys[("a-2021", "per-1")] != keys[("a-2022", "per-1")]
    assert links[("a-2023", "per-1")].link == "ambiguous"
    assert keys[("a-2023", "per-1")] not in (keys[("a-2021", "per-1")], keys[("a-2022", "per-1")])
    assert keys[("a-2023", "per-2")] == keys[("a-2022", "per-2")]  # the genitive "Соболева К.Д." is Соболев К.Д.


def test_a_surname_alone_links_only_to_the_one_compatible_person_of_its_city():
    one = link_persons([person("a-2021", "per-1", "Исида Кэндзи", "Исида"), person("a-2023", "per-1", "Исида", "Исида"),
                        person("b-2023", "per-1", "Исида", "Исида", city="Омск")])
    assert one[("a-2023", "per-1")].key == one[("a-2021", "per-1")].key and one[("a-2023", "per-1")].link == "surname_only"
    assert one[("b-2023", "per-1")].key != one[("a-2021", "per-1")].key  # another city
    two = link_persons([person("a-2021", "per-1", "Громов А.Н.", "Громов"), person("a-2022", "per-1", "Громов В.В.", "Громов"),
                        person("a-2023", "per-1", "Громов", "Громов")])
    assert two[("a-2023", "per-1")].link == "ambiguous"
    assert "Громов А.Н. (a-2021)" in two[("a-2021", "per-1")].evidence


def report(rid, year, text, tasks=(), quantities=()):
    return {"report_id": rid, "year": year, "text": text, "city": {"name": "Тверь"}, "answers": [],
            "tasks": [{"id": f"task-{i}", "year": year + 1, "text": t, "start": 0, "end": 0} for i, t in enumerate(tasks, 1)],
            "quantities": list(quantities)}


def test_task_outcomes_from_the_next_years_report():
    tasks = Tasks()
    tasks.add("Тверь", report("t-2021", 2021, "", ["Подписание соглашения о сотрудничестве с городом Бухарой",
                                                   "Организация Дней Твери в Витебске",
                                                   "Открытие модельной библиотеки",
                                                   "Увеличение числа принимаемых иностранных делегаций не менее чем до шести"]))
    later = report("t-2022", 2022, "В апреле подписано соглашение о сотрудничестве с Бухарой. Не удалось провести Дни "
                                   "Твери в Витебске. Город принял 7 иностранных делегаций.",
                   quantities=[{"value": 7, "unit": "делегация", "mentions": [{"text": "7 иностранных делегаций"}]}])
    tasks.check("Тверь", later)
    rows = {r["text"][:10]: r for r in tasks.rows({("Тверь", 2022): ["t-2022"]}, {"t-2021": "Тверь"})}
    assert rows["Подписание"]["outcome"] == "done" and "Бухарой" in rows["Подписание"]["evidence"]
    assert rows["Организаци"]["outcome"] == "not_done"
    assert rows["Открытие м"]["outcome"] == "not_reported"
    assert rows["Увеличение"]["outcome"] == "done" and rows["Увеличение"]["basis"] == "quantity"
    none = Tasks()
    none.add("Тверь", report("t-2023", 2023, "", ["Проведение Дней Твери"]))
    assert next(none.rows({}, {"t-2023": "Тверь"}))["outcome"] == "no_later_report"


def test_a_partner_named_without_its_country_is_the_one_another_year_names_with_it():
    from review.compare.partners import Partners
    partners = Partners()
    place = {"name": "Пучхон", "kind": "city", "relation": "twin"}
    partners.add("Хабаровск", 2022, "khv-2022", {**place, "country_code": "KR"}, "KR/пучхон", True)
    partners.add("Хабаровск", 2023, "khv-2023", {**place, "country_code": None}, "пучхон", True)
    partners.add("Тверь", 2023, "tver-2023", {**place, "country_code": None}, "пучхон", True)   # another city's
    assert partners.changes() == []
    rows = {(r["city"], r["year"]): (r["key"], r["country_code"]) for r in partners.rows()}
    assert rows == {("Хабаровск", 2022): ("KR/пучхон", "KR"), ("Хабаровск", 2023): ("KR/пучхон", "KR"),
                    ("Тверь", 2023): ("пучхон", None)}
