"""The `ingest` stage: a report file's bytes -> its cleaned text (pipeline.ingest)."""
from pipeline.doc import ReportDoc
from pipeline.ingest import ingest as read
from pipeline.stage import stage


@stage("ingest", requires=("path", "data"), assigns=("raw", "text", "headings", "warnings", "tables", "page_starts"))
def ingest(doc: ReportDoc) -> None:
    got = read(doc.path, doc.data)
    doc.raw, doc.text, doc.headings = got.raw, got.text, got.raw.headings
    doc.raw.text = ""   # the file's text as read, cleaned into `text`: a long report's not kept twice
    doc.warnings += got.raw.warnings
    doc.tables, doc.page_starts = got.tables, got.page_starts
