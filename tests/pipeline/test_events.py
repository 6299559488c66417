"""Events on sentences: type, date from the sentence or its paragraph, format, one event per happening."""
from pipeline.extract import analyse_text


def events(text, year=2022):
    doc = analyse_text(text, upto="events")
    assert doc.structure.year == year            # the year the text states dates what has none
    return doc.events


def test_types_dates_and_formats():
    text = ("Международная деятельность\n\n"
            "В марте 2022 года в режиме видеоконференцсвязи состоялась встреча мэров Казани и Циндао. "
            "В ходе встречи стороны обсудили Дни культуры.\n\n"
            "5–7 июня 2022 года делегация Казани посетила Ташкент. В ходе визита подписан план.\n\n"
            "15.06.2022 в Казани состоялся круглый стол «Города Поволжья». Мероприятие прошло очно и онлайн.\n")
    got = [(e.type, e.date, e.format, len(e.sentences)) for e in events(text)]
    assert got == [("meeting", "2022-03", "online", 2), ("visit", "2022-06-05/2022-06-07", "offline", 2),
                   ("conference", "2022-06-15", "mixed", 2)]


def test_lead_date_and_generic_trigger_giving_way():
    text = ("Культура\n\n"
            "В августе 2021 года Мэр города приняла участие в церемонии открытия ЭКСПО «Китай-Евразия». "
            "Выставка «Китай-Евразия» проводилась с 2011 года в шестой раз.\n")
    [e] = events(text, 2021)
    assert (e.type, e.date, len(e.sentences)) == ("exhibition", "2021-08", 2)


def test_two_competitions_in_one_paragraph_are_two_events():
    text = ("Спорт\n\n"
            "В мае 2022 года спортсмены выступили на турнире по дзюдо в Алматы. "
            "В октябре 2022 года в Казани прошёл чемпионат по хоккею.\n")
    assert [(e.type, e.date, e.format) for e in events(text)] == [("competition", "2022-05", "offline"),
                                                                 ("competition", "2022-10", "offline")]


def test_plural_summaries_and_planned_tasks_are_not_events():
    text = ("Туризм\n\nВ 2022 году омичи принимали участие в международных проектах и спортивных соревнованиях.\n\n"
            "Какие задачи стоят в 2023 году?\n\n- проведение фестиваля городов-побратимов;\n")
    assert events(text) == []


def test_triggers_match_any_inflection_and_the_last_part_of_a_compound():
    text = ("Экономика\n\n"
            "В апреле 2022 года прошла онлайн-встреча предпринимателей Казани и Минска.\n\n"
            "В сентябре 2022 года на круглом столе в Казани обсудили экспорт.\n\n"
            "В ноябре 2022 года состоялась бизнес-миссия в Ташкент.\n")
    assert [(e.type, e.trigger) for e in events(text)] == [("meeting", "встреча"), ("conference", "круглый стол"),
                                                          ("trade_mission", "бизнес-миссия")]


def test_spacy_view_keeps_natasha_tokens_and_lemmas():
    from pipeline.spacy_doc import to_spacy

    doc = analyse_text("Прошли онлайн-встречи в Омске.", upto="nlp").natasha
    sdoc = to_spacy(doc)
    assert [t.text for t in sdoc] == [t.text for t in doc.tokens]
    assert sdoc.text == doc.text
    assert [t.lemma_ for t in sdoc][:2] == ["пройти", "онлайн-встреча"]
    assert sdoc[1].norm_ == "встреча"


# ------------------------------------------------------------------ news: status, tense, dates from the item

def news_events(text):
    doc = analyse_text(text, upto="events")
    return [(e.type, e.date, e.status, e.tense) for e in doc.events]


HEAD = "Новости Брянска и Гомеля\n\n15.05.2023, 11:20\n\n"


def test_undated_happenings_take_the_items_day_and_announced_ones_stay_undated_or_dated():
    text = HEAD + ("Вчера в Брянске прошла конференция «Приграничье». "
                   "В Гомель отправилась делегация брянских врачей. "
                   "Делегация Гомеля посетит Брянск, а ярмарка ремесел состоится 20 мая.\n")
    got = news_events(text)
    assert ("conference", "2023-05-14", "happened", "past") in got
    assert ("visit", "2023-05-15", "happened", "past") in got
    assert ("visit", None, "happened", "future") in got
    assert ("exhibition", "2023-05-20", "happened", "future") in got


def test_negated_cancelled_and_postponed_happenings_give_no_event():
    text = HEAD + ("Мэр Гомеля не смог приехать на форум. "
                   "Визит делегации из Минска отменили. "
                   "Встречу министров перенесли на осень.\n")
    assert news_events(text) == []


def test_plans_invitations_proposals_and_habits():
    text = HEAD + ("Стороны намерены провести совместный фестиваль. "
                   "Брянских художников пригласили на выставку в Гомель. "
                   "Глава города предложил организовать молодежный форум. "
                   "Ежегодно в Брянске проходит турнир по самбо.\n")
    assert {s for _, _, s, _ in news_events(text)} == {"planned", "habitual"}
    assert ("competition", None, "habitual", "present") in news_events(text)


def test_an_event_long_before_the_item_is_background():
    text = HEAD + "Впервые делегация Гомеля посетила Брянск в 1996 году. В марте прошлого года прошел форум.\n"
    got = news_events(text)
    assert ("visit", "1996", "mentioned", "past") in got
    assert ("conference", "2022-03", "mentioned", "past") in got


def test_one_event_per_bullet_of_a_list_of_visits():
    text = ("Отчёт администрации Рыбинска за 2019 год\n\nМеждународная деятельность\n\n"
            "За отчетный период Рыбинск посетили:\n\n"
            "- делегация Шарлотсвилля, прибывшая для участия в Днях города (май 2019 г.);\n\n"
            "- делегация Онеги, посетившая город с рабочим визитом (октябрь 2019 г.).\n")
    got = [(t, d) for t, d, s, _ in news_events(text) if s == "happened"]
    assert got == [("visit", "2019-05"), ("visit", "2019-10")]


def test_tourist_counts_and_totals_are_no_visits():
    text = HEAD + ("За год город посетили 1,2 млн туристов. "
                   "Всего за год Брянск принял восемь иностранных делегаций.\n")
    assert news_events(text) == []


def test_an_event_held_at_another_takes_its_date():
    text = HEAD + ("Мэры Брянска и Гомеля подписали соглашение на форуме «Славянское единство». "
                   "Форум прошел 12 мая в Брянске.\n")
    got = news_events(text)
    assert ("other", "2023-05-12", "happened", "past") in got
    assert ("conference", "2023-05-12", "happened", "past") in got


def test_a_month_that_comes_every_year_is_a_habit():
    text = HEAD + "Ежегодно в Гомеле проходит фестиваль. Каждый март в Брянске проходит турнир по самбо.\n"
    assert [s for _, _, s, _ in news_events(text)] == ["habitual", "habitual"]


def test_a_years_count_of_receptions_is_a_total_not_an_event():
    text = "Итоги года\n\nВ 2024 году Псков принял 14 иностранных делегаций, за рубеж направлено 6 делегаций.\n"
    assert [(e.type, e.status) for e in analyse_text(text, upto="events").events if e.status == "happened"] == []
    text = "Итоги года\n\nВ 2024 году Псков принял делегацию Нарвы.\n"
    assert [(e.type, e.status) for e in analyse_text(text, upto="events").events] == [("visit", "happened")]
