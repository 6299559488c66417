import codecs
import os

import pytest

from pipeline.ingest.clean import (clean, drop_page_furniture, fix_lookalikes, join_broken_paragraphs, join_hyphenated,
                                   normalise_spaces, unwrap_lines)
from pipeline.ingest.decode import decode
from pipeline.ingest.raw import IngestError

TEXT = "Администрация города Омска продолжила работу с городами-побратимами.\nЁлка и подъём - Флора-2021."


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("cp1251", "cp1251"), ("koi8_r", "koi8_r"),
])
def test_every_listed_encoding_is_detected(encoding, expected):
    text, found = decode(TEXT.encode(encoding))
    assert text == TEXT
    assert codecs.lookup(found).name == codecs.lookup(expected).name


def test_short_single_byte_texts_are_told_apart():
    for enc in ("cp1251", "koi8_r"):
        text, found = decode("Отчёт города Омска за 2021 год".encode(enc))
        assert text == "Отчёт города Омска за 2021 год", enc


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"  \n\n ", "empty"), (os.urandom(4096) + b"\x00", "binary"), (bytes(range(0, 32)) * 50, "binary"),
])
def test_bad_bytes_raise_one_line_errors(data, message):
    with pytest.raises(IngestError, match=message):
        decode(data)


def test_lookalike_letters_are_fixed_both_ways():
    assert fix_lookalikes("OMCK") == "ОМСК"
    assert fix_lookalikes("гoрод Омск") == "город Омск"          # Latin o inside a Cyrillic word
    assert fix_lookalikes("Zооm") == "Zoom"                       # Cyrillic о inside a Latin word
    assert fix_lookalikes("платформы Zoom и Teams") == "платформы Zoom и Teams"
    assert fix_lookalikes("встреча C городами") == "встреча С городами"


def test_soft_hyphens_and_odd_spaces_are_normalised():
    assert normalise_spaces("меж\u00adдуна\u00adродный\u00a0форум \r\n") == "международный форум\n"


def test_words_split_across_lines_are_rejoined():
    assert join_hyphenated("развитие сотруд-\nничества") == "развитие сотрудничества"
    assert join_hyphenated("торгово-\nэкономических") == "торгово-экономических"
    assert join_hyphenated("Северо-\nЗападный") == "Северо-Западный"


def test_hard_wrapped_paragraphs_are_rejoined_but_lists_and_headings_kept():
    wrapped = ("Развитие туризма\n\n"
               "В 2022 году Администрация города Томска продолжила работу по развитию въездного\n"
               "туризма и привлечению гостей из других регионов страны, а также из-за рубежа.\n"
               "Участники проекта приняли около двух тысяч экскурсантов из разных городов.\n"
               "- первая задача на следующий год для всех участников проекта и партнёров;\n"
               "- вторая задача.\n")
    out = unwrap_lines(wrapped)
    assert "въездного туризма" in out
    assert "\n- первая задача" in out and "\n- вторая задача." in out
    assert out.startswith("Развитие туризма\n\n")


def test_long_line_files_are_not_unwrapped():
    text = ("А" * 300 + "\n") + ("Б" * 200 + "\n")
    assert unwrap_lines(text) == text


def test_running_headers_and_page_numbers_are_dropped():
    bodies = ["Первый визит делегации.", "Форум прошёл в мае.", "Выставка открылась 3 июня."]
    page = "Отчёт Администрации г. Томска за 2022 год\n\n{body}\n\n- {n} -\n"
    text = "".join(page.format(n=n, body=b) for n, b in enumerate(bodies, 1))
    out = drop_page_furniture(text)
    assert "Отчёт Администрации" not in out
    assert "- 2 -" not in out
    assert [line for line in out.split("\n") if line] == bodies


def test_form_feed_pages_lose_repeated_headers():
    text = "Томск 2022\nПервая страница.\n\fТомск 2022\nВторая страница.\n\fТомск 2022\nТретья.\n"
    out = drop_page_furniture(text)
    assert "Томск 2022" not in out and "Вторая страница." in out


def test_paragraph_cut_by_a_page_break_is_joined():
    assert join_broken_paragraphs("о социально-экономическом\n\nпотенциале городов.") == "о социально-экономическом потенциале городов."
    assert join_broken_paragraphs("Конец.\n\nначало") == "Конец.\n\nначало"


def test_clean_runs_every_step():
    raw = "OMCK\n\nМеждународная деятельность\n\nВстреча с гoродами-побратимами состоя-\nлась в мае."
    assert clean(raw) == "ОМСК\n\nМеждународная деятельность\n\nВстреча с городами-побратимами состоялась в мае.\n"


def _fixture_texts():
    from tests.conftest import ROOT

    root = ROOT / "tests"
    files = sorted((root / "fixtures" / "reports").glob("*.txt")) + sorted((root / "fixtures" / "heldout" / "reports").glob("*.txt"))
    return [pytest.param(f, id=f.stem) for f in files]


@pytest.mark.parametrize("path", _fixture_texts())
@pytest.mark.parametrize("break_on_hyphens", [False, True])
def test_a_text_hard_wrapped_at_70_gives_the_same_paragraphs(path, break_on_hyphens):
    import textwrap

    unwrapped = clean(path.read_text(encoding="utf-8"))
    wrapped = "\n".join(textwrap.fill(line, 70, break_long_words=False, break_on_hyphens=break_on_hyphens) if line else ""
                        for line in unwrapped.split("\n"))
    assert max(len(line) for line in wrapped.split("\n")) <= 70 < max(len(line) for line in unwrapped.split("\n"))
    assert clean(wrapped) == unwrapped


def test_hand_wrapped_lines_of_varying_width_are_rejoined():
    """Lines cut by hand at 60 to 80 characters: the room left at line ends is learnt from the
    lines that surely go on, and a sentence that ends a line inside a paragraph is not cut."""
    para = ("Мэр Города Томска Д.С. Белозёров принял участие в церемонии открытия сезона, в которой "
            "участвовали представители туриндустрии Новосибирска, Кемерова и Барнаула, а также гости "
            "из Улан-Батора и Павлодара; всего в работе форума приняли участие свыше трёхсот человек.")
    lines, line = [], ""
    for i, word in enumerate(para.split()):
        if len(line) + 1 + len(word) > (60 if i % 2 else 80) and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    text = "Заголовок раздела\n\n" + "\n".join(lines) + "\n\n" + "\n".join(lines) + "\n"
    assert clean(text) == f"Заголовок раздела\n\n{para}\n\n{para}\n"


def test_title_lines_and_dated_lines_are_not_joined():
    text = ("Исполнительный комитет муниципального образования города Казани\nОтчёт о деятельности за 2022 год\n\n"
            "16 сентября – Легкоатлетический забег «Самарская верста» – Самара\n"
            "7–9 октября – Международный турнир по дзюдо на призы главы городского округа – Самара\n")
    assert clean(text) == text
