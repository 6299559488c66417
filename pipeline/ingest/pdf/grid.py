"""Tables set without rules: consecutive lines whose words stand in the same columns.

Lines of running text share no vertical strip free of words; the rows of a table do: the space
between its columns. A run of at least `_MIN_ROWS` lines of one column, close to each other, with
such strips and most of them holding words on both sides of one, is read as a table: the strips
cut every line into cells, a line whose first cell is empty goes on the row above (a cell's text
wrapped to a second line), and the first row is the header.
"""
from __future__ import annotations

import re
import statistics

from .columns import join_words
from .model import Line, TableBox

_MIN_ROWS = 3


def find_grids(lines: list[Line], size: float) -> list[Line]:
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j, strips = _run(lines, i, size)
        if j - i >= _MIN_ROWS:
            out.append(_table(lines[i:j], strips))
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _run(lines: list[Line], i: int, size: float) -> tuple[int, list[tuple[float, float]]]:
    """The longest run of lines from i on that keeps column strips; returns (end, strips)."""
    best: tuple[int, list] = (i, [])
    strips: list[tuple[float, float]] | None = None
    lo, hi = float("inf"), float("-inf")
    first_gap = 0.0
    for j in range(i, len(lines)):
        ln = lines[j]
        if ln.table is not None or not ln.words:
            break
        if j > i:
            gap = ln.top - lines[j - 1].bottom
            if ln.flow != lines[j - 1].flow or gap > 1.5 * size or ln.top < lines[j - 1].top:
                break
            if j == i + 1:
                first_gap = gap
            elif gap > max(1.5 * first_gap, first_gap + 0.5 * size):
                break  # rows of one table are evenly spaced: a wider gap ends it
        lo, hi = min(lo, ln.x0), max(hi, ln.x1)
        free = _free(ln, size)
        strips = free if strips is None else _intersect(strips, free, size)
        inner = [s for s in strips if s[0] > lo and s[1] < hi]
        if not inner:
            break
        rows = lines[i:j + 1]
        split = sum(1 for r in rows
                    if any(any(w.x1 <= a for w in r.words) and any(w.x0 >= b for w in r.words) for a, b in inner))
        # a line of a cell wrapped beside one-line cells (set at the row's middle) has its first cell empty
        wrapped = sum(1 for r in rows if all(w.x0 >= inner[0][1] for w in r.words))
        edges = [b for _, b in inner] + [float("inf")]
        if len(rows) >= _MIN_ROWS and split >= 0.5 * (len(rows) - wrapped) and split >= 2 \
                and all(_aligned(rows, b, nxt) for b, nxt in zip(edges, edges[1:])):
            best = (j + 1, inner)
    return best


def _aligned(rows: list[Line], edge: float, next_edge: float) -> bool:
    """The cells between a strip and the next one start at one x (left-aligned) or, numbers, end at one x."""
    cells = [min((w for w in r.words if edge <= w.x0 < next_edge), key=lambda w: w.x0, default=None) for r in rows]
    cells = [c for c in cells if c is not None]
    if len(cells) < 2:
        return True

    def share(xs: list[float]) -> float:
        return max(sum(1 for y in xs if abs(y - x) <= 1.5) for x in xs) / len(xs)

    numeric = sum(1 for c in cells if re.match(r"^[\d.,%+−–-]+$", c.text)) >= 0.6 * len(cells)
    return share([c.x0 for c in cells]) >= 0.6 or numeric and share([c.x1 for c in cells]) >= 0.6


def _free(ln: Line, size: float) -> list[tuple[float, float]]:
    """Gaps between the line's words wide enough to part two cells, and the open ends."""
    ws = sorted(ln.words, key=lambda w: w.x0)
    gaps = [b.x0 - a.x1 for a, b in zip(ws, ws[1:])]
    out = [(float("-inf"), ws[0].x0)]
    # a justified line's spaces are all alike and narrower than its words: none parts two cells
    justified = ln.x0 <= ln.col_left + 0.5 * size and ln.x1 >= ln.col_right - 0.5 * size and gaps \
        and max(gaps) < min(1.5 * min(gaps), max(2 * size, statistics.median(w.x1 - w.x0 for w in ws)))
    if not justified:
        out += [(a.x1, b.x0) for a, b, g in zip(ws, ws[1:], gaps) if g >= 0.8 * size]
    out.append((max(w.x1 for w in ws), float("inf")))
    return out


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]], size: float) -> list[tuple[float, float]]:
    out = []
    for x0, x1 in a:
        for y0, y1 in b:
            lo, hi = max(x0, y0), min(x1, y1)
            if hi - lo >= 0.8 * size:
                out.append((lo, hi))
    return out


def _mid(ln: Line) -> float:
    return (ln.top + ln.bottom) / 2


def _runs_on(above: str, texts: list[str]) -> bool:
    """A line with text in its first cell only that goes on with the first cell above: it starts in
    lower case or the cell above stopped at a comma, hyphen or open bracket ("Число туристов," "чел.")."""
    return not any(texts[1:]) and bool(above) and (texts[0][:1].islower() or above.rstrip()[-1:] in ",-–(")


def _table(lines: list[Line], strips: list[tuple[float, float]]) -> Line:
    cuts = [(a + b) / 2 for a, b in strips]
    cut: list[tuple[Line, list[str]]] = []
    for ln in lines:
        cells: list[list] = [[] for _ in range(len(cuts) + 1)]
        for w in ln.words:
            cells[sum(1 for c in cuts if (w.x0 + w.x1) / 2 > c)].append(w)
        cut.append((ln, [join_words(c) if c else "" for c in cells]))
    # a row starts with a line that fills the first cell; a line with an empty first cell is part of a
    # cell wrapped onto more lines, of the row whose first line is nearest (set at the middle of its
    # wrapped cell, or at its top)
    starts = [k for k, (_, texts) in enumerate(cut) if texts[0] and not (k and _runs_on(cut[k - 1][1][0], texts))]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    owner = {}
    for k, (ln, _) in enumerate(cut):
        if k in starts:
            owner[k] = k
            continue
        before = max(s for s in starts if s < k)
        after = min((s for s in starts if s > k and not cut[k][1][0]), default=None)
        owner[k] = after if after is not None and _mid(cut[after][0]) - _mid(ln) < _mid(ln) - _mid(cut[before][0]) else before
    rows: list[list[str]] = []
    for s in starts:
        parts = [texts for k, (_, texts) in enumerate(cut) if owner[k] == s]
        rows.append(["\n".join(p[c] for p in parts if p[c]) for c in range(len(cuts) + 1)])
    box = TableBox(x0=min(ln.x0 for ln in lines), top=lines[0].top, x1=max(ln.x1 for ln in lines),
                   bottom=lines[-1].bottom, rows=rows, header_rows=1)
    return Line(text="", x0=box.x0, x1=box.x1, top=box.top, bottom=box.bottom, flow=lines[0].flow,
                col_left=lines[0].col_left, col_right=lines[0].col_right, table=box)
