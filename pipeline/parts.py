"""A long report read in parts (issue 19), so that a worker's memory is bounded by a part, not the report.

A text longer than limits.toml [parts] chars is cut into consecutive parts of at most that many
characters, each ending where a top-level section starts (else after a blank line, else at a line
end) in the second half of its room. Its layout and structure are read over the whole text first
(they are light and linear): sections, answers, tasks and the year are the report's. Each part is then
read by the later stages as a text of its own (`part_doc`), with its slice of the layout and the
structure and its tables, offsets from its start; its layers are freed before the next part. The
later parts take the reporting city the first one found (`ReportFacts`). pipeline.stitch joins the
parts' Reports.
"""
from bisect import bisect_left, bisect_right
from dataclasses import replace
from operator import attrgetter

from pipeline import rules
from pipeline.doc import ReportDoc
from pipeline.layers import Layout, ReportFacts, Structure

LIMITS = rules.load("limits")["parts"]


def cut(text: str, section_starts: list[int], size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the parts of `text`: they cover it exactly, and each is at most `size` long."""
    size = size or LIMITS["chars"]
    starts = sorted(section_starts)
    out, a, n = [], 0, len(text)
    while n - a > size:
        low, high = a + size // 2, a + size
        j = bisect_right(starts, high) - 1
        if j >= 0 and starts[j] > low:
            b = starts[j]
        elif (blank := text.rfind("\n\n", low, high - 1)) >= 0:
            b = blank + 2
        elif (line := text.rfind("\n", low, high)) >= 0:
            b = line + 1
        else:
            b = high
        out.append((a, b))
        a = b
    out.append((a, n))
    return out


def part_doc(doc: ReportDoc, a: int, b: int, facts: ReportFacts | None) -> tuple[ReportDoc, list[int]]:
    """text[a:b] of a report whose layout and structure were read whole, as a doc of its own (its
    slice of them, its tables), offsets from `a`; and the indices of the report's sections in it."""
    st = doc.structure
    inside = [j for j, s in enumerate(st.sections) if s.start < b and s.end > a]
    local = {j: k for k, j in enumerate(inside)}

    def clip(x):
        return replace(x, start=max(x.start, a) - a, end=min(x.end, b) - a)

    structure = Structure(
        paragraphs=[clip(p) for p in st.paragraphs[bisect_left(st.paragraphs, a, key=attrgetter("start")):
                                                    bisect_left(st.paragraphs, b, key=attrgetter("start"))]],
        sections=[clip(st.sections[j]) for j in inside],
        answers=[replace(clip(x), section=local.get(x.section))
                 for x in st.answers if x.start < b and x.end > a],
        tasks=[clip(t) for t in st.tasks if a <= t.start < b],
        year=st.year, year_source=st.year_source, title=st.title if a == 0 else "")
    lay = doc.layout
    layout = Layout(furniture=[clip(f) for f in lay.furniture if a <= f.start < b],
                    dateline=clip(lay.dateline) if lay.dateline and a <= lay.dateline.start < b else None, news=lay.news)
    # no bytes: the whole report's Report carries the file's hash, not each part's
    return ReportDoc(path=doc.path, report_id=doc.report_id, facts=facts, raw=doc.raw,
                     text=doc.text[a:b], headings=doc.headings, layout=layout, structure=structure,
                     tables=[_shifted(t, -a) for t in doc.tables if a <= t.start and t.end <= b]), inside


def facts_of(doc: ReportDoc) -> ReportFacts:
    """The report-wide facts a first part fixed for the others."""
    city = doc.city
    return ReportFacts(city_name=city.name if city else None, city_country=city.country_code if city else None)


def _shifted(table, by: int):
    def cells(row):
        return [replace(c, start=c.start + by, end=c.end + by) for c in row]
    return replace(table, start=table.start + by, end=table.end + by, header=cells(table.header),
                   rows=[cells(r) for r in table.rows])
