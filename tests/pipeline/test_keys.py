"""The keys stage and its rules: one key for one entity in every form its name is written in."""
from pipeline import linkkeys
from pipeline.doc import ReportDoc
from pipeline.keys import keys
from pipeline.layers import PersonHit, PlaceHit


def place(name, kind="city", cc=None):
    return PlaceHit(name, kind, cc, None)


def keyed(text, places=(), persons=(), orgs=(), city="Тверь"):
    own = place(city, "city", "RU")
    doc = ReportDoc(text=text, places=[own, *places], city=own, persons=list(persons), organisations=list(orgs))
    keys(doc)
    return doc


def test_places_keyed_by_iso_codes_and_geonames_ids():
    doc = keyed("", [place("Могилёв", cc="BY"), place("Могилев", cc="BY"), place("Беларусь", "country", "BY"),
                     place("Чувашская республика", "region", "RU"), place("Чувашия", "other"),
                     place("Нигдебург", cc="XX")])
    k = [p.key for p in doc.places[1:]]
    assert k[0] == k[1] and k[0].startswith("geonames:")
    assert k[2] == "BY" and k[3] == k[4] == "RU-CU"
    assert k[5] == "XX/нигдебург"
    assert doc.places[0].key.startswith("geonames:")  # the reporting city too


def test_person_keys_from_every_written_form():
    text = "Лаврентьевой Мариной Сергеевной и М.С. Лаврентьевой; Соболев Д.А. и Соболев"
    p1 = PersonHit("Лаврентьева Марина Сергеевна", "Лаврентьева", [(0, 31)])
    p2 = PersonHit("Соболев Д.А.", "Соболев", [(text.index("Соболев Д.А."), text.index("Соболев Д.А.") + 12)])
    p3 = PersonHit("Соболев", "Соболев", [(len(text) - 7, len(text))])
    doc = keyed(text, persons=[p1, p2, p3])
    assert p1.key == "тверь/лаврентьев/м"
    assert p2.key == p3.key == "тверь/соболев/д"  # the bare surname: the one Соболев of this report


def test_initials_and_surnames_in_any_case():
    assert linkkeys.initials("М.С. Лаврентьевой", "Лаврентьева") == "МС"
    assert linkkeys.initials("Никитина Олега Валерьевича", "Никитин") == "ОВ"
    assert linkkeys.initials("Исиды", "Исида") == ""
    assert linkkeys.fold_surname("Семёнова") == linkkeys.fold_surname("Семенов") == "семенов"
    assert linkkeys.fold_surname("Жук") == "жук"
    assert linkkeys.compatible("Д", "ДА") and not linkkeys.compatible("ДА", "ДН")


def test_organisation_keys_ignore_quotes_dashes_legal_forms_short_forms_and_years():
    same = [("Ассоциация дружбы «Ниигата – Хабаровск»", "Ассоциация дружбы «Ниигата — Хабаровск»"),
            ("ФГБОУ ВО «Тверской государственный университет»", "Тверской государственный университет"),
            ("Витебский горисполком", "Витебский городской исполнительный комитет"),
            ("Фестиваль «Узоры Чувашии – 2022»", "фестиваль «Узоры Чувашии»"),
            ("Международный молодёжный фестиваль «Волга-Двина»", "Международный молодежный фестиваль «Волга — Двина»")]
    for a, b in same:
        assert linkkeys.organisation_key(a) == linkkeys.organisation_key(b), (a, b)
    assert linkkeys.organisation_key("Тверская городская Дума") != linkkeys.organisation_key("Тверской университет")


def test_every_item_of_an_extraction_has_a_key(seed_report):
    for cat in ("places", "persons", "organisations"):
        items = getattr(seed_report, cat)
        assert items and all(x.key for x in items), cat
    assert {p.key for p in seed_report.places if p.kind == "country"} <= {p.country_code for p in seed_report.places}
