"""One report file -> one `Report`: the declared stages over one `ReportDoc`, then the schema Report.

Each stage (pipeline.stage) takes the doc and adds its layers; STAGES is checked once, at import,
so that each stage finds the layers it requires.
"""
from pathlib import Path

from models import Report
# the stage modules: importing one registers its stage
from pipeline import (city, confidence, dates, events, ingest_stage, keys, layout, nlp, organisations, persons,  # noqa: F401
                      places, quantities, structure, syntax, tables, ties)
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


def extract(path: Path, data: bytes, report_id: str | None = None) -> Report:
    doc = ReportDoc(path=path, data=data, report_id=report_id)
    for s in ON_FILE:
        s.run(doc)
    return build(doc)


def analyse_text(text: str, upto: str = STAGES[-1]) -> ReportDoc:
    """The stages after ingest, up to `upto` included, on a text taken as cleaned (tests, benchmarks)."""
    doc = ReportDoc(text=text)
    for s in ON_TEXT[:STAGES.index(upto)]:
        s.run(doc)
    return doc


def to_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
