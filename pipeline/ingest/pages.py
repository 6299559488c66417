"""Where each page of a PDF starts in the cleaned text, from the first line of each page (the
reader's `page_probes`): its first words, normalised as the cleaning normalises them, looked for in
order. A page whose line is not found (a page of figures, a table) gets no text: it starts where the
next page does, so that nothing is put on a wrong page; `page_of` tells a mention's page."""
import re
from bisect import bisect_right

from pipeline.ingest.clean import fix_lookalikes, join_hyphenated, normalise_spaces

PROBE_WORDS = 5


def page_starts(probes: list[str], text: str) -> list[int]:
    """The offset in `text` where each page starts (page 1 at 0); [] when the text has no pages."""
    if len(probes) < 2:
        return []
    found: list[int | None] = [0]
    pos = 0
    for probe in probes[1:]:
        words = join_hyphenated(fix_lookalikes(normalise_spaces(probe))).split()[:PROBE_WORDS]
        m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, pos) if len(words) >= 2 else None
        found.append(m.start() if m else None)
        pos = m.start() if m else pos
    starts, nxt = [], len(text)
    for s in reversed(found):
        nxt = s if s is not None else nxt
        starts.append(nxt)
    return starts[::-1]


def page_of(starts: list[int], offset: int) -> int | None:
    """The 1-based page of a character offset, or None when the text has no pages."""
    return bisect_right(starts, offset) if starts else None
