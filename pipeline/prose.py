"""Where a text tells what happened: not in headings, titles and questions, not in the news furniture
(headlines, captions, datelines, credits, sources), not in the answers about plans, colleagues'
successes and open problems. The `syntax` and `events` stages both read sentences through this."""
from pipeline.doc import ReportDoc

SKIP_ANSWERS = {"next_year_tasks", "peer_successes", "unresolved_problems"}
NOT_PROSE = {"headline", "caption", "dateline", "rubric", "byline", "speaker", "credit", "source", "agency"}


def outside(doc: ReportDoc) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(spans a sentence must not start in, furniture spans a sentence must not be made of)."""
    st = doc.structure
    skip = [(a.start, a.end) for a in st.answers if a.kind in SKIP_ANSWERS]
    skip += [(p.start, p.end) for p in st.paragraphs if p.role not in ("body", "item", "furniture")]
    return skip, doc.layout.spans(NOT_PROSE) if doc.layout else []


def is_prose(start: int, end: int, skip, furniture) -> bool:
    if any(a <= start < b for a, b in skip):
        return False
    covered = sum(max(0, min(end, b) - max(start, a)) for a, b in furniture)
    return covered < 0.8 * (end - start)
