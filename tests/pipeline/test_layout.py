"""The layout stage: news furniture (headline, dateline, rubric, byline, captions, credits, sources)."""
import pytest

from pipeline.layout import analyse_layout


def kinds(text):
    lay = analyse_layout(text)
    return lay, [(f.kind, text[f.start:f.end]) for f in lay.furniture]


def date_of(text):
    d = analyse_layout(text).dateline
    return d and (d.year, d.month, d.day, d.city)


@pytest.mark.parametrize("line, expected", [
    ("11:05, 3 апреля 2019", (2019, 4, 3, None)),
    ("22:40   9 декабря 2023", (2023, 12, 9, None)),
    ("07 февраля 2016", (2016, 2, 7, None)),
    ("Четверг, 5 марта 2020", (2020, 3, 5, None)),
    ("12 мая 2012 г.", (2012, 5, 12, None)),
    ("Опубликовано: 30.10.2015, 08:10", (2015, 10, 30, None)),
    ("14:02 21.06.2018", (2018, 6, 21, None)),
    ("03.03.2017 17:45|Смоленск", (2017, 3, 3, "Смоленск")),
    ("- Новости :: Культура 15.11.2009", (2009, 11, 15, None)),
    ("Новости района | 1 сентября 2022", (2022, 9, 1, None)),
    ("Sep 14, 2015 09:41", (2015, 9, 14, None)),
    ("Самара, 4 августа 2020 года", (2020, 8, 4, "Самара")),
])
def test_dateline_lines_under_a_headline(line, expected):
    assert date_of(f"Делегация Казани вернулась из Турции\n\n{line}\n\n" + "Текст новости. " * 12 + "\n") == expected


def test_agency_datelines_open_the_body():
    body = "(Уфа, 2 марта, «Башинформ»). Глава города встретился с делегацией Мерсина. " + "Текст. " * 20
    assert date_of("Уфа и Мерсин обсудили туризм\n\n" + body + "\n") == (None, 3, 2, "Уфа")
    wire = "2019-11-05 ПСКОВ, 5 ноя - ИА Регнум. Делегация Нарвы посетила Псков. " + "Текст. " * 20
    lay, found = kinds("Псков и Нарва\n\n" + wire + "\n")
    assert (lay.dateline.year, lay.dateline.month, lay.dateline.day, lay.dateline.city) == (2019, 11, 5, "ПСКОВ")
    assert ("agency", "ИА Регнум") in found


def test_iso_date_glued_to_the_headline_and_copyright_year():
    text = "2024-03-12 Тамбов подписал соглашение с Гродно\n\n" + "Текст новости. " * 12 + "\n"
    lay, found = kinds(text)
    assert (lay.dateline.year, lay.dateline.month, lay.dateline.day) == (2024, 3, 12)
    assert ("headline", "Тамбов подписал соглашение с Гродно") in found
    lay, found = kinds("Гости из Китая в Чите\n\n" + "Текст новости. " * 12 + "\n\n© 2013, «Забинформ»\n")
    assert (lay.dateline.year, lay.dateline.day) == (2013, None)
    assert ("source", "© 2013, «Забинформ»") in found and ("agency", "«Забинформ»") in found


def test_head_furniture_rubric_byline_repeats_captions_credits():
    text = ("Экономика\n\n"
            "Тула и Дзержинск договорились о поставках\n\n"
            "Тула и Дзержинск договорились о поставках 16:20, 8 июня 2021   Фото с сайта администрации Тулы\n\n"
            "Мария Котова\n\n"
            "Документ подписан 7 июня Документ подписан 7 июня\n\n"
            + "Текст новости о поставках. " * 8 + "\n\n"
            "Фото: пресс-служба администрации Тулы\n\n"
            "По материалам – https://example.org/news/1\n")
    lay, found = kinds(text)
    got = [k for k, _ in found]
    assert lay.news and lay.dateline.day == 8
    assert ("rubric", "Экономика") in found
    assert got.count("headline") == 2 and ("byline", "Мария Котова") in found
    assert ("caption", "Документ подписан 7 июня Документ подписан 7 июня") in found
    assert ("credit", "Фото с сайта администрации Тулы") in found
    assert ("source", "По материалам – https://example.org/news/1") in found


def test_inline_source_signature_and_speaker():
    text = ("Проект стоит 2 млрд рублей\n\n12.02.2008\n\n"
            + "Текст новости о проекте. " * 8 + "Работы начнутся весной. //Вести Сибири\n\n"
            "Пресс-служба администрации г. Бийска\n\n")
    lay, found = kinds(text)
    assert ("source", "//Вести Сибири") in found
    assert ("source", "Пресс-служба администрации г. Бийска") in found
    _, found = kinds("Отчёт о туризме\n\nА.П. СЕМЁНОВ\n\nДобрый день, коллеги. " + "Текст. " * 30 + "\n")
    assert ("speaker", "А.П. СЕМЁНОВ") in found


def test_a_report_is_no_news_and_keeps_its_lines():
    text = ("Отчёт администрации города Липецка за 2022 год\n\nМеждународная деятельность\n\n"
            "В 2022 году город принял 5 делегаций. " * 6 + "\n")
    lay, found = kinds(text)
    assert not lay.news and found == [] and lay.dateline is None


def test_a_sentence_dated_in_the_body_is_no_dateline():
    text = "Пресс-конференция мэра\n\n" + "23 мая 2019 года состоялась пресс-конференция мэра города. " * 3 + "\n"
    assert analyse_layout(text).dateline is None


@pytest.mark.parametrize("rubric", ["Новости Ярославской области", "Новости города", "НОВОСТИ"])
def test_a_news_line_of_a_few_words_under_the_headline_is_a_rubric(rubric):
    text = (f"Город подписал соглашение с Минском\n\n12 мая 2021\n\n{rubric}\n\n"
            + "Текст новости о соглашении. " * 8 + "\n")
    assert ("rubric", rubric) in kinds(text)[1]
    found = kinds(f"Новости Брянска и Гомеля\n\n12 мая 2021\n\nЕжегодно в Брянске проходит турнир по самбо.\n")[1]
    assert ("headline", "Новости Брянска и Гомеля") in found   # on top, it is the headline
