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
        if len(rows) >= _MIN_ROWS and split >= 0.5 * len(rows) and split >= 2 and all(_aligned(rows, b) for _, b in inner):
            best = (j + 1, inner)
    return best


def _aligned(rows: list[Line], edge: float) -> bool:
    """The cells right of a strip start at one x (left-aligned) or, numbers, end at one x."""
    cells = [min((w for w in r.words if w.x0 >= edge), key=lambda w: w.x0, default=None) for r in rows]
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


def _table(lines: list[Line], strips: list[tuple[float, float]]) -> Line:
    cuts = [(a + b) / 2 for a, b in strips]
    rows: list[list[str]] = []
    for ln in lines:
        cells: list[list] = [[] for _ in range(len(cuts) + 1)]
        for w in ln.words:
            cells[sum(1 for c in cuts if (w.x0 + w.x1) / 2 > c)].append(w)
        texts = [join_words(c) if c else "" for c in cells]
        if rows and not texts[0]:  # a cell's text wrapped onto a second line
            rows[-1] = [f"{a}\n{b}".strip() if b else a for a, b in zip(rows[-1], texts)]
        else:
            rows.append(texts)
    box = TableBox(x0=min(ln.x0 for ln in lines), top=lines[0].top, x1=max(ln.x1 for ln in lines),
                   bottom=lines[-1].bottom, rows=rows, header_rows=1)
    return Line(text="", x0=box.x0, x1=box.x1, top=box.top, bottom=box.bottom, flow=lines[0].flow,
                col_left=lines[0].col_left, col_right=lines[0].col_right, table=box)
