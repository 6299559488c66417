"""Ties to the reporting city (the ties stage) on sentences written for these tests: the frames of
the tie grammar, plans and talks that are no ties, a foreign city's own partners, the year a tie was
set up."""
import pytest

from pipeline.extract import analyse_text
from pipeline.layers import PlaceHit
from pipeline.ties import ties


def tied(text: str, city: str) -> dict[str, tuple[str, int | None]]:
    """The ties of `text` with `city` as the reporting city (named in it or not): {place: (relation, tie_since)}."""
    doc = analyse_text(text, upto="city")
    doc.city = next((p for p in doc.places if p.name == city), None) or PlaceHit(city, "city", "RU", None)
    ties(doc)
    return {p.name: (p.relation, p.tie_since) for p in doc.places if p.relation}


@pytest.mark.parametrize("text, city, expected", [
    # a tie word, then the cities (a country in brackets belongs to the city before it)
    ("Городами-побратимами Самары являются Штутгарт (Германия), Сент-Луис (США) и Палермо (Италия).", "Самара",
     {"Штутгарт": "twin", "Сент-Луис": "twin", "Палермо": "twin"}),
    ("Партнёрами Иркутска также являются монгольский Дархан и корейский Пхохан.", "Иркутск",
     {"Дархан": "partner", "Пхохан": "partner"}),
    ("Сейчас у Кирова пять городов-партнёров: Гродно, Витебск, Ош, Шымкент и Кокшетау.", "Киров",
     {"Гродно": "partner", "Витебск": "partner", "Ош": "partner", "Шымкент": "partner", "Кокшетау": "partner"}),
    ("Кроме Измира, побратимами Ижевска являются область Хэйлунцзян и город Дзержинск.", "Ижевск",
     {"Измир": "twin", "Хэйлунцзян": "twin", "Дзержинск": "twin"}),
    ("На праздник приехали делегации из городов-побратимов Калининграда – Гданьска (Польша), Клайпеды (Литва), "
     "а также Киля и Бремерхафена (Германия).", "Калининград",
     {"Гданьск": "twin", "Клайпеда": "twin", "Киль": "twin", "Бремерхафен": "twin"}),
    ("Соглашения о сотрудничестве у Тюмени подписаны с казахстанским Петропавловском и двумя белорусскими – "
     "Гродно и Бобруйском.", "Тюмень", {"Петропавловск": "partner", "Гродно": "partner", "Бобруйск": "partner"}),
    ("Ещё три города – Актобе, Уральск и Костанай – являются партнёрами Оренбурга.", "Оренбург",
     {"Актобе": "partner", "Уральск": "partner", "Костанай": "partner"}),
    ("Партнёрами являются ещё два города – Гродно и Витебск.", "Гродно", {"Витебск": "partner"}),
    ("У Ижевска появился новый город-побратим – турецкий Измир.", "Ижевск", {"Измир": "twin"}),
    # the two cities, then the tie; the reporting city is either of them
    ("Оренбург и Актобе стали городами-побратимами.", "Оренбург", {"Актобе": "twin"}),
    ("Актобе и Оренбург связывают партнёрские отношения.", "Оренбург", {"Актобе": "partner"}),
    ("В музее отметили юбилей побратимских связей Новосибирска и американского города Миннеаполиса.", "Новосибирск",
     {"Миннеаполис": "twin"}),
    ("Тамбов и Мурманск стали городами-побратимами.", "Омск", {}),
    # the partner, then the tie of the reporting city
    ("Кутаиси – город-побратим Томска.", "Томск", {"Кутаиси": "twin"}),
    ("Тарту является одним из старейших партнёров Пскова.", "Псков", {"Тарту": "partner"}),
    # the cities, then a relative clause
    ("Делегации прибыли из Дархана (Монголия) и Шэньяна (КНР) – городов, с которыми у Иркутска подписаны "
     "договоры о побратимстве.", "Иркутск", {"Дархан": "twin", "Шэньян": "twin"}),
    ("Делегация из Минска, которая посетила город-побратим Казань, провела переговоры.", "Казань", {}),
    # a society's name
    ("Выступил председатель общества «Города-побратимы Самара-Штутгарт».", "Самара", {"Штутгарт": "twin"}),
    # friendship: cities only
    ("Липецк дружит с Котбусом уже много лет.", "Липецк", {"Котбус": "partner"}),
    ("Отметили 20-летие дружеских связей со штатом Огайо и городом Колумбус.", "Пенза", {"Колумбус": "partner"}),
    # the subject of the clause is the partner when the reporting city is in the list
    ("Кассель отмечает 30 лет побратимских связей с Ярославлем.", "Ярославль", {"Кассель": "twin"}),
])
def test_ties_stated_in_the_frames_of_the_grammar(text, city, expected):
    assert {n: r for n, (r, _) in tied(text, city).items()} == expected


@pytest.mark.parametrize("text, city", [
    ("Смоленск и Могилёв станут побратимами.", "Смоленск"),                       # planned
    ("Администрация планирует подписать соглашение о побратимстве с Карагандой.", "Пермь"),
    ("Пермь ведёт переговоры об установлении побратимских связей с городом Навои.", "Пермь"),   # talks
    ("Мэр предложил установить партнёрские отношения с Шымкентом.", "Пермь"),       # proposed
    ("Тверь и Гомель пока не являются побратимами.", "Тверь"),                     # denied
    ("Могилёв, в свою очередь, поддерживает побратимские связи с Брестом и Гомелем.", "Смоленск"),  # Mogilev's own
    ("Вологда подписала планы мероприятий по реализации соглашений о сотрудничестве с городом Гродно.", "Вологда"),
    ("Впереди подписание меморандума, и тогда Нарьян-Мар и Кемь подпишут договор о побратимстве.", "Кемь"),
])
def test_plans_talks_denials_and_others_ties_are_no_ties(text, city):
    assert tied(text, city) == {}


def test_a_tie_named_as_a_noun_holds_whatever_is_planned_around_it():
    assert tied("В мае делегация планирует посетить город-побратим Гронинген.", "Мурманск") == {"Гронинген": ("twin", None)}


def test_a_region_in_a_list_of_twins_is_a_twin_and_the_reporting_city_never_is():
    found = tied("Побратимами Петрозаводска являются Петрозаводск, шведский Умео и Вильнюсский район (Литва).",
                 "Петрозаводск")
    assert found == {"Умео": ("twin", None), "Вильнюсский район": ("twin", None)}


@pytest.mark.parametrize("text, city, place, year", [
    ("Гродно и Вологду связывают партнёрские отношения с 1998 года.", "Вологда", "Гродно", 1998),
    ("Договор о побратимстве с Бобруйском действует с 2009 года, а в 2015 году его продлили.", "Тула", "Бобруйск", 2009),
    ("Оренбург и Актобе стали городами-побратимами в 2003 году.", "Оренбург", "Актобе", 2003),
    ("В июне 2014 года подписано соглашение о партнёрстве с казахстанским Кокшетау.", "Киров", "Кокшетау", 2014),
    ("Дархан – город-побратим Иркутска: соглашение подписали в 1998 году.", "Иркутск", "Дархан", 1998),
    ("С Котбусом Липецк дружит с 1974 года.", "Липецк", "Котбус", 1974),
    ("В 2016 году Администрация продолжила работу с городом-побратимом Оуэнсборо.", "Рязань", "Оуэнсборо", None),
])
def test_the_year_a_tie_was_set_up(text, city, place, year):
    assert tied(text, city)[place][1] == year


@pytest.mark.parametrize("text, city, expected", [
    # the nearest tie word governs the cities after it, across "а также"
    ("Велась работа с городами-побратимами Гродно и Брестом, а также с городом-партнёром Пинском.", "Тула",
     {"Гродно": ("twin", None), "Брест": ("twin", None), "Пинск": ("partner", None)}),
    # each clause's year goes to its own city, an elliptical "– с … года" too
    ("Партнёрские отношения с Лидой поддерживаются с 2004 года, договор о побратимстве с Пинском – с 2017 года.",
     "Тула", {"Лида": ("partner", 2004), "Пинск": ("twin", 2017)}),
    # a relative clause's year goes to the city it is about
    ("Продолжилась работа с городом-побратимом Гродно и городом-партнёром Навои, договор с которым действует "
     "с 2019 года.", "Тула", {"Гродно": ("twin", None), "Навои": ("partner", 2019)}),
    # a year in brackets after a member of a list is that member's own
    ("Город поддерживает связи с городами-партнёрами Пинском (соглашение подписано в 2008 году), Лидой и Слонимом.",
     "Тула", {"Пинск": ("partner", 2008), "Лида": ("partner", None), "Слоним": ("partner", None)}),
])
def test_each_city_gets_its_own_relation_and_year(text, city, expected):
    assert tied(text, city) == expected


@pytest.mark.parametrize("text, city, expected", [
    ("3 июня 2021 года главы городов подписали соглашение о сотрудничестве: Самарканд стал первым "
     "городом-партнёром Казани.", "Казань", {"Самарканд": ("partner", 2021)}),
    ("В мае 2020 года новым городом-побратимом Пскова стал Тарту (Эстония).", "Псков", {"Тарту": ("twin", 2020)}),
    ("2 марта 2019 года подписано соглашение о партнёрстве с городом Кокшетау, который стал городом-партнёром Омска.",
     "Омск", {"Кокшетау": ("partner", 2019)}),
    # a change of status: the partner becomes a twin, the signing's year is the new tie's
    ("9 октября 2019 года, в День города, мэры подписали соглашение, и город-партнёр Бобруйск стал "
     "городом-побратимом Тулы.", "Тула", {"Бобруйск": ("twin", 2019)}),
    # a date with no tie made in it is no tie's year
    ("12 мая 2021 года делегация города-побратима Гродно посетила Тулу.", "Тула", {"Гродно": ("twin", None)}),
])
def test_a_tie_made_in_the_year_of_a_date(text, city, expected):
    assert tied(text, city) == expected


def test_cities_after_a_city_governed_by_a_tie_word_are_still_the_reporting_citys():
    found = tied("На фестивале выступили артисты города-побратима Кутаиси (Грузия), городов-партнёров Гродно и "
                 "Бреста (Беларусь).", "Тула")
    assert found == {"Кутаиси": ("twin", None), "Гродно": ("partner", None), "Брест": ("partner", None)}


def test_a_next_year_task_plans_a_tie():
    text = ("Что наиболее значительное удалось сделать в 2023 году?\n\n"
            "В 2023 году город продолжил работу с городом-побратимом Гродно.\n\n"
            "Какие задачи стоят в 2024 году?\n\n"
            "1. Подписание соглашения о партнёрстве с городом Карши (Республика Узбекистан).\n"
            "2. Приём делегации города-побратима Гродно.\n")
    assert tied(text, "Тула") == {"Гродно": ("twin", None)}


def test_a_city_of_the_gazetteer_is_named_with_its_standard_spelling():
    doc = analyse_text("Делегация Могилева посетила Орел.", upto="places")
    assert {"Могилёв", "Орёл"} <= {p.name for p in doc.places}
