"""Running headers, footers and page numbers: lines in the page margins that repeat on most pages."""
from __future__ import annotations

import difflib
import re
import statistics

from .columns import join_words, rows_of
from .model import Page, Word

# Share of the page height treated as top / bottom margin when looking for running headers.
_MARGIN_ZONE = 0.10
PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–—.|]*(?:(?:стр(?:аница)?|с|page|p)\.?\s*)?"
    r"(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:из|of|/)\s*\d{1,4})?[\s\-–—.|]*$",
    re.IGNORECASE,
)


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def drop_running_lines(pages: list[Page]) -> None:
    """Remove lines in the top/bottom margin that repeat on most pages, and bare page numbers."""
    candidates: list[list[tuple[str, float, list[Word]]]] = []
    for info in pages:
        per_page = []
        if info.words and info.height:
            for row in rows_of(info.words):
                top = min(w.top for w in row)
                bottom = max(w.bottom for w in row)
                if bottom <= info.height * _MARGIN_ZONE or top >= info.height * (1 - _MARGIN_ZONE):
                    # a margin row may hold a header at the left and a page number at the right
                    for part in _split_wide_gaps(row):
                        per_page.append((_norm_key(join_words(part)), top, part))
        candidates.append(per_page)

    with_text = sum(1 for info in pages if info.words)
    need = max(2, (with_text + 1) // 2)
    # OCR misreads a running header differently on each page: keys that nearly match are one key
    known: list[str] = []
    candidates = [[(_same_as(k, known), t, part) for k, t, part in per_page] for per_page in candidates]
    seen: dict[str, list[float]] = {}  # key -> the top of its first row on each page that has it
    for per_page in candidates:
        for key in {k for k, _, _ in per_page}:
            seen.setdefault(key, []).append(next(t for k, t, _ in per_page if k == key))

    repeated = set()
    for key, tops in seen.items():
        if len(tops) < need:
            continue
        # a running header sits at the same height on every page
        ref = statistics.median(tops)
        if sum(1 for t in tops if abs(t - ref) <= 4.0) >= need:
            repeated.add(key)

    for info, per_page in zip(pages, candidates):
        drop: set[int] = set()
        for key, _, part in per_page:
            if key in repeated or PAGE_NUMBER_RE.match(join_words(part)) or info.ocr and _like_any(key, repeated):
                drop.update(id(w) for w in part)
        if drop:
            info.words = [w for w in info.words if id(w) not in drop]


def _same_as(key: str, known: list[str]) -> str:
    for k in known:
        if abs(len(k) - len(key)) <= 0.1 * len(key) and difflib.SequenceMatcher(None, k, key).ratio() >= 0.9:
            return k
    known.append(key)
    return key


def _like_any(key: str, repeated: set[str]) -> bool:
    """A margin line that OCR garbled on one page still looks like the running header (as long)."""
    return len(key) >= 12 and any(difflib.SequenceMatcher(None, k, key).ratio() >= 0.6 for k in repeated
                                  if len(k) >= 12 and abs(len(k) - len(key)) <= 0.2 * len(k))


def _split_wide_gaps(row: list[Word]) -> list[list[Word]]:
    row = sorted(row, key=lambda w: w.x0)
    parts = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        if w.x0 - prev.x1 > 3 * max(prev.size, w.size, 1.0):
            parts.append([w])
        else:
            parts[-1].append(w)
    return parts
