"""One report file -> one `Report`: the declared stages over one `ReportDoc`, then the schema Report.

Each stage (pipeline.stage) takes the doc and adds its layers; STAGES is checked once, at import,
so that each stage finds the layers it requires.
"""
import gc
from contextlib import contextmanager
from pathlib import Path

from models import Report
# the stage modules: importing one registers its stage
from pipeline import (city, confidence, dates, events, ingest_stage, keys, layout, nlp, organisations, persons,  # noqa: F401
                      places, quantities, structure, syntax, tables, ties)
from pipeline import rules
from pipeline.doc import ReportDoc
from pipeline.report import build
from pipeline.stage import check

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
GC = rules.load("limits")["gc"]


def extract(path: Path, data: bytes, report_id: str | None = None) -> Report:
    doc = ReportDoc(path=path, data=data, report_id=report_id)
    with seldom_collections():
        for s in ON_FILE:
            s.run(doc)
        return build(doc)


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


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
