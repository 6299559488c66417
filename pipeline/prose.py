"""Where a text tells what happened: not in headings, titles and questions, not in the news furniture
(headlines, captions, datelines, credits, sources), not in the answers about plans, colleagues'
successes and open problems. The `syntax` and `events` stages both read sentences through this."""
from pipeline.doc import ReportDoc
from pipeline.spans import SpanIndex

SKIP_ANSWERS = {"next_year_tasks", "peer_successes", "unresolved_problems"}
NOT_PROSE = {"headline", "caption", "dateline", "rubric", "byline", "speaker", "credit", "source", "agency"}


def outside(doc: ReportDoc) -> tuple[SpanIndex, SpanIndex]:
    """(spans a sentence must not start in, furniture spans a sentence must not be made of)."""
    st = doc.structure
    skip = [(a.start, a.end) for a in st.answers if a.kind in SKIP_ANSWERS]
    skip += [(p.start, p.end) for p in st.paragraphs if p.role not in ("body", "item", "furniture")]
    return SpanIndex(skip), SpanIndex(doc.layout.spans(NOT_PROSE) if doc.layout else [])


def is_prose(start: int, end: int, skip: SpanIndex, furniture: SpanIndex) -> bool:
    if skip.holding(start):
        return False
    covered = sum(max(0, min(end, b) - max(start, a))
                  for a, b in (furniture.spans[k] for k in furniture.overlapping(start, end)))
    return covered < 0.8 * (end - start)
