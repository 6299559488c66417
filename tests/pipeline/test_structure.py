import pytest

from pipeline.structure import analyse_structure, question_kind

OTHER = """Администрация города Казани
Отчёт о международной деятельности за 2022 год

Международные связи

Основные достижения 2022 года

Город Циндао (КНР)

В апреле делегация Казани посетила Циндао.

г. Бишкек (Киргизская Республика)

Подписано соглашение о сотрудничестве.

Нерешённые проблемы

Не удалось провести фестиваль из-за ограничений.

Задачи на 2023 год

1) расширение связей с городами-побратимами;
2) проведение форума городов-партнёров.

Развитие туризма

Туристический поток вырос.
"""


def test_seed_structure(seed_text):
    st = analyse_structure(seed_text)
    assert st.year == 2021
    titles = [(s.level, s.title) for s in st.sections]
    assert titles[0] == (1, "Международная деятельность")
    assert (2, "Город Фучжоу (КНР)") in titles
    assert (3, "Мероприятия в области спорта") in titles
    assert titles[-1] == (1, "Развитие туризма")
    assert "ОМСК" not in [t for _, t in titles]
    assert [a.kind for a in st.answers] == ["achievements", "peer_successes", "unresolved_problems", "next_year_tasks"]
    assert [t.year for t in st.tasks] == [2022, 2022, 2022]
    assert st.tasks[1].text.startswith("оптимизация географической структуры")
    for t in st.tasks:
        assert seed_text[t.start:t.end] == t.text


def test_other_wording_title_and_numbered_tasks():
    st = analyse_structure(OTHER)
    assert st.year == 2022
    assert st.title.startswith("Администрация города Казани")
    assert [s.title for s in st.sections] == ["Международные связи", "Город Циндао (КНР)",
                                              "г. Бишкек (Киргизская Республика)", "Развитие туризма"]
    assert [a.kind for a in st.answers] == ["achievements", "unresolved_problems", "next_year_tasks"]
    assert [(t.year, t.text) for t in st.tasks] == [(2023, "расширение связей с городами-побратимами"),
                                                    (2023, "проведение форума городов-партнёров")]
    # an answer ends where the next area heading starts
    tasks_answer = st.answers[-1]
    assert OTHER[tasks_answer.start:tasks_answer.end].endswith("городов-партнёров.")


def test_year_from_the_questionnaire_alone():
    st = analyse_structure("Туризм\n\nКакие задачи стоят в 2024 году?\n\n- новый маршрут.\n")
    assert st.year == 2023
    assert st.tasks[0].year == 2024 and st.tasks[0].text == "новый маршрут"


def test_question_kinds():
    assert question_kind("Какие успехи и достижения Ваших коллег из других городов Вы бы особо отметили?") == "peer_successes"
    assert question_kind("Какие наиболее трудные проблемы не удалось решить в прошедшем году?") == "unresolved_problems"
    assert question_kind("В мае состоялся визит делегации.") is None


# ------------------------------------------------------------------ news: the reporting year

def _year(text):
    from pipeline.layout import analyse_layout
    st = analyse_structure(text, [], analyse_layout(text))
    return st.year, st.year_source


BODY = " Прочие подробности сообщения приводятся ниже и занимают место." * 3


@pytest.mark.parametrize("text, expected", [
    # the dateline beats history ("с 1998 года", "в 2003 году мэры подписали") and plans ("откроют")
    ("Астрахань и Бендер-Аббас подписали план\n\n17:05, 9 мая 2017\n\n"
     "Город-партнер связан с Астраханью с 1998 года, а в 2003 году мэры подписали меморандум. "
     "В 2019 году стороны также откроют торговый дом.", (2017, "dateline")),
    # a report's title in the headline beats the repost's date
    ("ОТЧЁТ О ДЕЯТЕЛЬНОСТИ АДМИНИСТРАЦИИ ГОРОДА ДУБНЫ ЗА 2014: СВЯЗИ\n\nApr 02, 2015 10:11\n\n"
     "В 2014 году город посетили делегации из Италии.", (2014, "title")),
    # no dateline: since, until, plans and forecasts never win
    ("Сотрудничество Вологды и Мытищ\n\n"
     "Побратимские связи действуют с 1994 года. В 2012 году мэры подписали соглашение. "
     "Работы продлятся до 2030 года, а в 2031 году город станет членом союза. "
     "По прогнозам, в 2032 году поток туристов удвоится.", (2012, "text")),
    # a body opening with a dated day
    ("Брифинг главы департамента\n\n"
     "12 апреля 2018 года прошел брифинг главы департамента туризма. "
     "Он напомнил, что в 2017 году город посетили 3 млн туристов.", (2018, "text")),
])
def test_news_reporting_year(text, expected):
    assert _year(text + BODY + "\n") == expected


def test_news_headline_repeats_and_captions_are_no_sections():
    from pipeline.layout import analyse_layout
    text = ("Рубрика Спорт\n\nЮные хоккеисты Омска сыграли в Астане\n\n"
            "Юные хоккеисты Омска сыграли в Астане 10:15, 3 марта 2022\n\n"
            "Ирина Белова\n\n"
            "Вчера юные хоккеисты Омска провели товарищеский матч со сверстниками из Астаны. " * 3 + "\n\n"
            "Команды договорились встретиться летом\n\n"
            "Источник: Управление спорта Омска\n")
    st = analyse_structure(text, [], analyse_layout(text))
    assert st.sections == [] and st.year == 2022


def test_a_title_block_the_typography_marked_only_in_part_is_no_section():
    # a Word file: the report's title is styled as a heading, the lines over it are plain paragraphs
    text = ("Администрация города Тамбова\n\nКомитет по туризму\n\nОтчёт о работе за 2024 год\n\n"
            "Что наиболее значительное удалось сделать в 2024 году?\n\nТуризм\n\n"
            "Город принял 120 тысяч туристов.\n")
    st = analyse_structure(text, headings=["Отчёт о работе за 2024 год", "Туризм"])
    assert [s.title for s in st.sections] == ["Туризм"]
    assert "Отчёт о работе за 2024 год" in st.title
