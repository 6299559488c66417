"""Windows (pipeline.windows): Natasha and the stages over bounded windows see what the whole text shows.

A long text made of the fixture reports is analysed whole (in windows) and cut at its window
boundaries, each piece on its own: every token, NER span and sentence of a piece is the same; and
a long report of one city (a fixture report three times over) gives every item mention of a piece
(places, persons, organisations, dates) whole or alone (alone, a piece of another city's report would have another reporting city).
"""
from pathlib import Path

import pytest

from pipeline import nlp, windows
from pipeline.extract import analyse_text
from pipeline.ingest import ingest
from pipeline.ingest.clean import clean

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIZE = 9000


@pytest.fixture(scope="module")
def long_text():
    texts = [p.read_text(encoding="utf-8").strip() for p in sorted((FIXTURES / "reports").glob("*.txt"))]
    return "\n\n".join(texts) + "\n"


def _tokens(doc, shift=0):
    return [(t.start + shift, t.stop + shift, t.text, t.pos, t.feats, t.lemma) for t in doc.tokens]


def _spans(doc, shift=0):
    return [(s.start + shift, s.stop + shift, s.type, s.normal) for s in doc.spans]


def test_windows_cover_the_text_at_line_ends(long_text):
    cut = windows.cut(long_text, SIZE)
    assert len(cut.spans) >= 3 and not cut.long_lines
    assert cut.spans[0][0] == 0 and cut.spans[-1][1] == len(long_text)
    assert all(b == c for (_, b), (c, _) in zip(cut.spans, cut.spans[1:]))
    assert all(b - a <= SIZE and long_text[b - 1] == "\n" for a, b in cut.spans[:-1])


def test_a_long_line_is_cut_at_sentence_ends_and_reported():
    line = " ".join(["Делегация Омска посетила Минск 5 мая 2021 года."] * 400)
    cut = windows.cut("Заголовок\n" + line + "\n", 3000)
    assert cut.long_lines == [(10, 10 + len(line))]
    assert all(("Заголовок\n" + line)[b - 2] == "." for _, b in cut.spans[1:-1])


def test_natasha_in_windows_equals_natasha_on_each_window(long_text):
    cut = windows.cut(long_text, SIZE)
    whole = nlp.analyse(long_text, cut)
    pieces = [nlp.analyse(long_text[a:b]) for a, b in cut.spans]
    assert _tokens(whole) == [t for (a, _), p in zip(cut.spans, pieces) for t in _tokens(p, a)]
    assert _spans(whole) == [s for (a, _), p in zip(cut.spans, pieces) for s in _spans(p, a)]
    assert [(s.start, s.stop) for s in whole.sents] == [(s.start + a, s.stop + a) for (a, _), p in zip(cut.spans, pieces) for s in p.sents]


def _mentions(doc, shift=0):
    """Every item's mentions as (layer, start, end); dates by their spans. (Names are left out: one item
    gathers its mentions over the whole report and takes the fullest name, 'школа № 3 г. Краснодара'.)"""
    out = {("date", a + shift, b + shift) for a, b in doc.date_spans}
    for layer in ("places", "persons", "organisations"):
        out |= {(layer, a + shift, b + shift) for x in getattr(doc, layer) for a, b in x.mentions}
    return out


@pytest.mark.parametrize("name", [p.stem for p in sorted((FIXTURES / "reports").glob("*.txt"))])
def test_items_of_a_window_equal_those_of_the_whole_text(name, monkeypatch):
    one = clean((FIXTURES / "reports" / f"{name}.txt").read_text(encoding="utf-8")).strip() + "\n\n"
    long_text = one * 3
    monkeypatch.setitem(windows.LIMITS, "chars", len(one) * 2 // 3)
    cut = windows.cut(long_text)
    assert len(cut.spans) >= 4
    whole = _mentions(analyse_text(long_text, upto="persons"))
    for a, b in cut.spans:
        alone = _mentions(analyse_text(long_text[a:b], upto="persons"), a)
        inside = {m for m in whole if a <= m[1] < b}
        assert alone == inside, (sorted(alone - inside)[:5], sorted(inside - alone)[:5])


def test_ingest_breaks_a_line_of_megabytes_at_sentence_ends_with_a_warning():
    line = " ".join(["Делегация Омска посетила Минск 5 мая 2021 года."] * 2000)
    got = ingest(Path("one-line.txt"), ("Отчёт\n\n" + line + "\n").encode())
    lines = got.text.split("\n")
    assert max(map(len, lines)) <= windows.LIMITS["line_chars"] and len(lines) >= 6
    assert all(x.endswith("года.") for x in lines[2:-1] if x)
    assert " ".join(got.text.split()) == " ".join(("Отчёт " + line).split())
    assert [c for c, _ in got.raw.warnings] == ["long_line"]
