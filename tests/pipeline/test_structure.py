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
