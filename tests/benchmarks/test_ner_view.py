"""The NER view of our entity layer (benchmarks.ner_view) on sentences written for these tests."""
import pytest

from benchmarks.ner_view import find_mentions
from pipeline.extract import analyse_text
from pipeline.layers import PersonHit


def analyse(text):
    return analyse_text(text, upto="nlp").natasha


def mentions(text):
    return [(m.type, text[m.start:m.stop]) for m in find_mentions(analyse_text(text, upto="persons"))]


@pytest.mark.parametrize("sentence, names", [
    ("Соглашение о поставках подписали ОАО «Омский каучук» и немецкая компания Siemens.",
     ["Омский каучук", "Siemens"]),
    ("В составе делегации были представители ООО «Сибирская энергетическая компания» и концерна «Росатом».",
     ["Сибирская энергетическая компания", "Росатом"]),
    ("Выступили ансамбль «Иртыш» и хор «Сибирь».", ["Иртыш", "Сибирь"]),
])
def test_an_organisation_mention_is_its_name_without_legal_form_or_descriptor(sentence, names):
    assert [t for k, t in mentions(sentence) if k == "ORG"] == names


def test_a_genitive_after_the_head_is_a_dependent_not_the_name():
    assert mentions("В городе работает Национальный банк Казахстана.") == [("ORG", "Национальный банк"),
                                                                          ("LOC", "Казахстана")]


def test_an_organisation_name_of_ours_extends_natashas():
    assert mentions("Вопросы обсудили с представителем Следственного комитета при прокуратуре.") == [
        ("ORG", "Следственного комитета при прокуратуре")]
    # the namesake after 'им.' belongs to the name, it is no person of its own
    assert mentions("Спектакль показали артисты Театра им. Фёдора Волкова из Ярославля.") == [
        ("ORG", "Театра им. Фёдора Волкова"), ("LOC", "Ярославля")]


def test_a_lone_place_missing_from_natashas_spans_is_added():
    text = "Омская сборная заняла второе место на чемпионате Европы по дзюдо."
    assert not analyse(text).spans          # Natasha finds nothing here
    assert mentions(text) == [("LOC", "Европы")]


def test_a_person_of_ours_where_natasha_has_nothing_is_added():
    text = "Доклад подготовил РАХИМОВ Б.Т."
    doc = analyse_text(text, upto="persons")
    assert not doc.natasha.spans             # Natasha misses the capitals
    a = text.index("РАХИМОВ")
    doc.persons = [PersonHit("Рахимов Б.Т.", "Рахимов", [(a, len(text))])]     # as a person stage would give it
    assert [(m.type, text[m.start:m.stop]) for m in find_mentions(doc)] == [("PER", "РАХИМОВ Б.Т.")]


def test_a_name_our_person_stage_reads_stays_whatever_the_dictionary_says():
    assert mentions("Гостей встретила госпожа Ли.") == [("PER", "Ли")]    # 'ли' is a particle too


def test_a_pronoun_is_no_name():
    text = "Какие успехи ваших коллег из других городов Вы бы особо отметили?"
    assert [s.text for s in analyse(text).spans] == ["Вы"]   # Natasha takes it for a place
    assert mentions(text) == []


@pytest.mark.parametrize("sentence, expected", [
    ("Лекцию прочитал профессор Джон Смит (John Smith) из Оксфорда.",
     [("PER", "Джон Смит"), ("PER", "John Smith"), ("LOC", "Оксфорда")]),
    ("Делегация посетила Гюмри • Ванадзор • Гомель.", [("LOC", "Гюмри"), ("LOC", "Ванадзор"), ("LOC", "Гомель")]),
    # a name in brackets after a mention is another name of it, even when Natasha leaves it out
    ("Грант выделил Комитет защиты журналистов (КЗЖ) (Committee to Protect Journalists).",
     [("ORG", "Комитет защиты журналистов"), ("ORG", "КЗЖ"), ("ORG", "Committee to Protect Journalists")]),
])
def test_no_name_runs_over_brackets_or_bullets(sentence, expected):
    assert mentions(sentence) == expected


def test_street_head_is_a_descriptor_of_the_place_name():
    assert mentions("Праздничный концерт прошёл на Театральной площади.") == [("LOC", "Театральной")]


def test_the_european_union_is_an_organisation():
    assert mentions("Мэрия Омска развивает сотрудничество с Евросоюзом и странами ЕС.") == [
        ("LOC", "Омска"), ("ORG", "Евросоюзом"), ("ORG", "ЕС")]


def test_initials_keep_their_dot():
    assert mentions("Приветствие участникам направил Шелест С.В.") == [("PER", "Шелест С.В.")]


def test_seed_mentions_are_flat_and_typed(seed_doc):
    found = find_mentions(seed_doc)
    assert {m.type for m in found} == {"PER", "LOC", "ORG"}
    assert all(a.stop <= b.start for a, b in zip(found, found[1:]))       # sorted, no overlaps
    texts = {(m.type, seed_doc.text[m.start:m.stop]) for m in found}
    assert ("ORG", "Омская картографическая фабрика") in texts              # АО «Омская картографическая фабрика»
    assert ("LOC", "Пухов") in texts                                        # 'Пухов (Словакия)': a town, not a person
    assert not any(t == "Вы" for _, t in texts)
