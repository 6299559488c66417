"""One report file -> one `Report`: the declared stages over one `ReportDoc`, then the schema Report.

Each stage (pipeline.stage) takes the doc and adds its layers; STAGES is checked once, at import,
so that each stage finds the layers it requires. A text longer than a part (pipeline.parts) is read
part after part, each part's layers freed before the next, and the parts' Reports stitched.
"""
import gc
from contextlib import contextmanager
from pathlib import Path

from pydantic import TypeAdapter

from models import Report, Warning
# the stage modules: importing one registers its stage
from pipeline import (city, confidence, dates, events, ingest_stage, keys, layout, nlp, organisations, persons,  # noqa: F401
                      places, quantities, structure, syntax, tables, ties)
from pipeline import parts, rules
from pipeline.doc import ReportDoc
from pipeline.report import build
from pipeline.stage import check
from pipeline.stitch import stitch

STAGES = (
    "ingest",          # path, data -> raw, text, headings, warnings, tables
    "layout",          # -> layout: headline, dateline, rubric, byline, captions, credits, sources
    "structure",       # -> structure: paragraphs, sections, answers, tasks, year
    "dates",           # -> dates, date_spans
    "quantities",      # -> quantities (outside the date spans)
    "nlp",             # -> natasha, tokens
    "syntax",          # -> syntax: dependency trees of the sentences that carry an event trigger
    "places",          # -> places, locations
    "city",            # -> city (one of the places)
    "ties",            # -> places: relation (twin, partner) and tie_since
    "tables",          # -> places: ties read from the tables' cells (after the prose's); quantities: indicators
    "organisations",   # -> organisations
    "persons",         # -> persons, with their posts and the organisations named in them
    "keys",            # -> a stable key on every place, person and organisation
    "events",          # -> events
    "confidence",      # -> confidence of every place, person, organisation, date, quantity and event
)
ON_FILE = check(STAGES, given=("path", "data", "report_id"))
ON_TEXT = check(STAGES[1:], given=("text", "headings", "tables"))
# a long report: layout and structure over the whole text, the later stages part after part
WHOLE, IN_PARTS = ON_TEXT[:2], check(STAGES[3:], given=("text", "headings", "tables", "layout", "structure"))
GC = rules.load("limits")["gc"]
AS_JSON = TypeAdapter(Report)


def extract(path: Path, data: bytes, report_id: str | None = None, part_chars: int | None = None) -> Report:
    """The Report of one file; a text longer than `part_chars` (default limits.toml [parts]) in parts."""
    doc = ReportDoc(path=path, data=data, report_id=report_id)
    with seldom_collections():
        ON_FILE[0].run(doc)
        size = part_chars or parts.LIMITS["chars"]
        if len(doc.text) <= size:
            for s in ON_TEXT:
                s.run(doc)
            return build(doc)
        return _in_parts(doc, size)


def _in_parts(doc: ReportDoc, size: int) -> Report:
    """A long report part after part: the layout and structure of the whole text, then the later
    stages over each part; the first part finds the reporting city of the others."""
    for s in WHOLE:
        s.run(doc)
    cut = parts.cut(doc.text, [x.start for x in doc.structure.sections if x.level == 1], size)
    reports, facts = [], None
    for a, b in cut:
        part, sections = parts.part_doc(doc, a, b, facts)
        for s in IN_PARTS:
            s.run(part)
        facts = facts or parts.facts_of(part)
        reports.append((a, sections, build(part)))
    said = [Warning(code=c, message=m) for c, m in doc.warnings]
    said.append(Warning(code="parts", message=f"a text of {len(doc.text)} characters read in {len(cut)} parts of at "
                                              f"most {size}: a name or an event across a part's end is read in pieces"))
    return stitch(build(doc), reports, doc.page_starts, said)


def analyse_text(text: str, upto: str = STAGES[-1]) -> ReportDoc:
    """The stages after ingest, up to `upto` included, on a text taken as cleaned (tests, benchmarks)."""
    doc = ReportDoc(text=text)
    with seldom_collections():
        for s in ON_TEXT[:STAGES.index(upto)]:
            s.run(doc)
    return doc


@contextmanager
def seldom_collections():
    """While a report is read, the garbage collector runs seldom (limits.toml [gc]): a collection of
    the oldest generation walks every object of the report's layers, and a long report's stages
    set it off again and again (a report of 2 MB spent a third of its `ties` stage in them). The
    young generations still take the stages' short-lived cycles (a parser's chart) before they
    age; the thresholds come back after."""
    old = gc.get_threshold()
    gc.set_threshold(*GC["thresholds"])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def to_json(report: Report) -> bytes:
    """The report's JSON as UTF-8 bytes, as written: pydantic's own bytes, never a str of a long
    report's 40 MB beside them."""
    return AS_JSON.dump_json(report, indent=2) + b"\n"
