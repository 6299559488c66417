"""A long report read in parts (pipeline.parts, pipeline.stitch) gives what the whole text gives.

A fixture report three times over is one long report of one city; read in parts of 4/5 of a copy
(cut where top-level sections start), every item mention, event, section, answer and task is the
one the whole text gives, with the same names, values and ties; the stitched Report is valid (its
ids follow each other, every reference resolves) and says that it was read in parts.
"""
import re
from pathlib import Path

import pytest

from pipeline import parts
from pipeline.extract import extract
from pipeline.ingest.clean import clean

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def _items(report) -> set:
    out = set()
    for p in report.places:
        out |= {("place", m.start, m.end, p.name, p.kind, p.country_code, p.relation, p.tie_since) for m in p.mentions}
    for p in report.persons:
        out |= {("person", m.start, m.end, p.name, tuple(x.title for x in p.positions)) for m in p.mentions}
    for o in report.organisations:
        out |= {("organisation", m.start, m.end, o.name, o.kind) for m in o.mentions}
    for d in report.dates:
        out |= {("date", m.start, m.end, d.value) for m in d.mentions}
    for q in report.quantities:
        out |= {("quantity", m.start, m.end, q.value, q.unit) for m in q.mentions}
    out |= {("event", e.evidence.start, e.evidence.end, e.type, e.date, e.status, e.format, len(e.place_ids))
            for e in report.events}
    out |= {("section", s.start, s.end, s.title, s.level) for s in report.sections}
    out |= {("answer", a.start, a.end, a.kind) for a in report.answers}
    out |= {("task", t.start, t.end, t.year) for t in report.tasks}
    return out


@pytest.mark.parametrize("name", [p.stem for p in sorted(REPORTS.glob("*.txt"))])
def test_a_report_in_parts_gives_what_the_whole_text_gives(name):
    one = clean((REPORTS / f"{name}.txt").read_text(encoding="utf-8")).strip() + "\n\n"
    data = (one * 3).encode()
    whole = extract(Path(f"{name}.txt"), data)
    split = extract(Path(f"{name}.txt"), data, part_chars=len(one) * 4 // 5)
    said = [w.message for w in split.warnings if w.code == "parts"]
    assert len(said) == 1 and int(re.search(r" read in (\d+) parts", said[0]).group(1)) >= 4
    assert not any(w.code == "parts" for w in whole.warnings)
    assert (split.city, split.year, split.text) == (whole.city, whole.year, whole.text)
    a, b = _items(whole), _items(split)
    assert a == b, (sorted(a - b)[:5], sorted(b - a)[:5])
    assert [p.id for p in split.places] == [f"pl-{i}" for i in range(1, len(split.places) + 1)]


def test_parts_cover_the_text_and_end_where_top_sections_start():
    text = "".join(f"Раздел {i}\n\n" + "Текст раздела, строка.\n" * 30 for i in range(10))
    starts = [k for k in range(len(text)) if text.startswith("Раздел", k)]
    cut = parts.cut(text, starts, 2000)
    assert cut[0][0] == 0 and cut[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(cut, cut[1:]))
    assert all(b - a <= 2000 for a, b in cut)
    assert all(b in starts for _, b in cut[:-1])


def test_without_sections_a_part_ends_after_a_blank_line_else_a_line_else_anywhere():
    text = "строка\n" * 100 + "\n" + "строка\n" * 100
    assert parts.cut(text, [], 1000)[0] == (0, 701)
    assert parts.cut("строка\n" * 100, [], 100)[0] == (0, 98)
    assert parts.cut("ж" * 1000, [], 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]
