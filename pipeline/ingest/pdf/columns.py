"""Reading order: words into lines, a two-column page split at its gutter, left column before right.

Full-width lines (a title above the columns, a line or table spanning the gutter) stay at their
vertical place; between them, the left column's band is read before the right one's. Every line
gets the edges of the column it is set in.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from .model import Line, TableBox, Word

_Y_TOLERANCE = 3.0


def rows_of(words: list[Word]) -> list[list[Word]]:
    """Cluster words into rows by their top coordinate."""
    rows: list[list[Word]] = []
    ref = None
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        tol = max(_Y_TOLERANCE, 0.35 * w.size)
        if rows and ref is not None and abs(w.top - ref) <= tol:
            rows[-1].append(w)
        else:
            rows.append([w])
            ref = w.top
    return rows


def join_words(words: list[Word]) -> str:
    words = sorted(words, key=lambda w: w.x0)
    out = ""
    prev = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            # pieces of one word split by a font change touch each other
            out += "" if gap < 0.1 * max(prev.size, w.size, 1.0) else " "
        out += w.text
        prev = w
    return out


def make_line(words: list[Word], flow: int, left: float, right: float) -> Line:
    words = sorted(words, key=lambda w: w.x0)
    sizes = []
    bold_chars = total = 0
    for w in words:
        n = len(w.text)
        sizes.extend([w.size] * n)
        total += n
        bold_chars += n if w.bold else 0
    return Line(text=join_words(words), x0=words[0].x0, x1=max(w.x1 for w in words), top=min(w.top for w in words),
                bottom=max(w.bottom for w in words), size=statistics.median(sizes) if sizes else 0.0,
                bold=total > 0 and bold_chars / total > 0.5, words=words, flow=flow, col_left=left, col_right=right)


def table_line(t: TableBox, flow: int) -> Line:
    return Line(text="", x0=t.x0, x1=t.x1, top=t.top, bottom=t.bottom, flow=flow, col_left=t.x0, col_right=t.x1, table=t)


@dataclass
class _Gutter:
    left: float  # x where the gutter starts (right edge of the left column)
    right: float  # x where the gutter ends (left edge of the right column)


def _find_gutter(rows: list[list[Word]], size: float) -> _Gutter | None:
    """A vertical strip free of words in most rows, with running text on both sides of it.

    Rows of the two columns need not be aligned: a row counts for the left side if it has words
    left of the strip and none inside it, for the right side likewise. Rows crossing the strip
    (a title, a wide table) are allowed when few, or when they form a few solid bands.
    """
    if len(rows) < 6:
        return None
    xmin = min(w.x0 for r in rows for w in r)
    xmax = max(w.x1 for r in rows for w in r)
    width = xmax - xmin
    gmin = max(7.0, 1.0 * size)
    if width < 6 * gmin:
        return None
    n = int(width) + 2
    free = [0] * (n + 1)  # difference arrays over the window start a (window = [a, a + gmin])
    left = [0] * (n + 1)
    right = [0] * (n + 1)

    def add(arr: list[int], lo: float, hi: float) -> None:
        a0 = max(int(lo - xmin) + 1, 0)
        a1 = min(int(hi - xmin - gmin), n - 1)
        if a1 >= a0:
            arr[a0] += 1
            arr[a1 + 1] -= 1

    for row in rows:
        edge = xmin - gmin - 2
        first = True
        for w in sorted(row, key=lambda w: w.x0):
            if w.x0 - edge >= gmin:
                add(free, edge, w.x0)
                if not first:
                    add(left, edge, w.x0)
                add(right, edge, w.x0)
            edge = max(edge, w.x1)
            first = False
        add(free, edge, xmax + gmin + 2)
        add(left, edge, xmax + gmin + 2)

    def running(arr: list[int]) -> list[int]:
        out, acc = [], 0
        for v in arr[:n]:
            acc += v
            out.append(acc)
        return out

    free_c, left_c, right_c = running(free), running(left), running(right)
    nrows = len(rows)
    need = 3
    lo = max(int(0.25 * width - gmin / 2), 0)
    hi = min(int(0.75 * width - gmin / 2), n - 1)
    best = None
    for a in range(lo, hi + 1):
        both = min(left_c[a], right_c[a])
        if both < need:
            continue
        # fewest rows crossing the strip first (a river of spaces in one column is crossed by
        # some lines, a real gutter only by full-width titles), then most rows beside it
        key = (-(nrows - free_c[a]), both, -abs(a + gmin / 2 - width / 2))
        if best is None or key > best[0]:
            best = (key, a)
    if best is None:
        return None
    a = best[1]
    if min(left_c[a], right_c[a]) < 0.2 * nrows and nrows - free_c[a] > 0.1 * nrows:
        return None  # a short column beside a long one is believed only when the strip is clean
    wl, wr = xmin + a, xmin + a + gmin

    crossing = [_crosses(row, wl, wr) for row in rows]
    _smooth(crossing, [all(w.x1 <= wl for w in row) for row in rows])
    if sum(crossing) > 0.3 * nrows:
        runs = sum(1 for i, c in enumerate(crossing) if c and (i == 0 or not crossing[i - 1]))
        if runs > 3:
            return None  # crossing rows interleave with the others: one column with gaps
    lwidths, rwidths, lx1, rx0 = [], [], [], []
    for row, cross in zip(rows, crossing):
        if cross:
            continue
        lw = [w for w in row if w.x1 <= wl]
        rw = [w for w in row if w.x0 >= wr]
        if lw:
            lwidths.append(max(w.x1 for w in lw) - min(w.x0 for w in lw))
            lx1.append(max(w.x1 for w in lw))
        if rw:
            rwidths.append(max(w.x1 for w in rw) - min(w.x0 for w in rw))
            rx0.append(min(w.x0 for w in rw))
    if not lx1 or not rx0:
        return None
    gl, gr = max(lx1), min(rx0)
    if gr - gl < gmin:
        gl, gr = wl, wr
    # both sides must hold running text, not a narrow column of numbers (a table of contents)
    lcol, rcol = gl - xmin, xmax - gr
    if lcol < 0.2 * width or rcol < 0.2 * width:
        return None
    if statistics.median(lwidths) < 0.5 * lcol or statistics.median(rwidths) < 0.5 * rcol:
        return None
    return _Gutter(left=gl, right=gr)


def _crosses(row: list[Word], wl: float, wr: float) -> bool:
    """A row crosses the strip [wl, wr] with a word, or is one justified line whose spaces are all as
    wide as the one that happens to fall on the strip."""
    if any(w.x0 < wr and w.x1 > wl for w in row):
        return True
    ws = sorted(row, key=lambda w: w.x0)
    gaps = [b.x0 - a.x1 for a, b in zip(ws, ws[1:])]
    at = [g for (a, b), g in zip(zip(ws, ws[1:]), gaps) if a.x1 <= wl and b.x0 >= wr]
    others = [g for g in gaps if g not in at]
    return bool(at and others) and at[0] <= 1.3 * statistics.median(others)


def _smooth(crossing: list[bool], left_only: list[bool]) -> None:
    """Lines that stop short of the gutter between full-width lines (the last line of a full-width
    paragraph, a short heading) belong to the full-width band, not to the left column."""
    n, i = len(crossing), 0
    while i < n:
        if crossing[i] or not left_only[i]:
            i += 1
            continue
        j = i
        while j < n and not crossing[j] and left_only[j]:
            j += 1
        above = i > 0 and crossing[i - 1]
        below = j < n and crossing[j]
        if (above or i == 0) and (below or j == n) and (above or below):
            crossing[i:j] = [True] * (j - i)
        i = j


class FlowIds:
    def __init__(self) -> None:
        self.n = 0

    def new(self) -> int:
        self.n += 1
        return self.n


def order(words: list[Word], tables: list[TableBox], size: float, flows: FlowIds,
          bounds: tuple[float, float] | None = None, depth: int = 0) -> list[Line]:
    """Words and tables of a region in reading order, as lines; `bounds` are the region's column edges."""
    rows = _rows_with_tables(words, tables)
    xs = [w.x0 for w in words] + [t.x0 for t in tables]
    if xs and (bounds is None or len(rows) >= 3):  # a column's own lines tell its edges best
        own = (min(xs), max([w.x1 for w in words] + [t.x1 for t in tables]))
        bounds = own if bounds is None else (max(bounds[0], own[0]), min(bounds[1], own[1]))
    bounds = bounds or (0.0, 0.0)
    # only the page level is split: inside a narrow column, justified lines with few words make
    # "rivers" of spaces that look like gutters (three-column layouts are a known gap)
    gutter = _find_gutter([r for r in rows if isinstance(r, list)], size) if depth == 0 and words else None
    if gutter is None:
        flow = flows.new()
        out = []
        for row in rows:
            out.append(table_line(row, flows.new()) if isinstance(row, TableBox) else make_line(row, flow, *bounds))
        return out

    mid = (gutter.left + gutter.right) / 2
    gwidth = gutter.right - gutter.left
    full: list[tuple[float, object]] = []  # rows and tables across the gutter, with their top
    left_words: list[Word] = []
    right_words: list[Word] = []
    for row in (r for r in rows if isinstance(r, list)):
        ws = sorted(row, key=lambda w: w.x0)
        if any(w.x0 < gutter.right - 1 and w.x1 > gutter.left + 1 for w in ws):
            # a left-column line poking into the gutter next to a right-column line: split at the
            # widest gap near the gutter if there is a real one
            split_at = None
            gaps = sorted(b.x0 - a.x1 for a, b in zip(ws, ws[1:]))
            usual = gaps[len(gaps) // 2] if len(gaps) > 2 else 0.0  # a real gutter stands out of the spaces
            for a, b in zip(ws, ws[1:]):
                gap = b.x0 - a.x1
                if gap >= max(0.6 * gwidth, 2 * usual) and gutter.left - gwidth <= (a.x1 + b.x0) / 2 <= gutter.right + gwidth:
                    if split_at is None or gap > split_at[0]:
                        split_at = (gap, (a.x1 + b.x0) / 2)
            if split_at is None:
                full.append((min(w.top for w in ws), ws))
                continue
            left_words.extend(w for w in ws if w.x1 <= split_at[1])
            right_words.extend(w for w in ws if w.x1 > split_at[1])
            continue
        for w in ws:
            (left_words if (w.x0 + w.x1) / 2 < mid else right_words).append(w)

    left_tables = [t for t in tables if t.x1 <= mid + 2]
    right_tables = [t for t in tables if t.x0 >= mid - 2 and t.x1 > mid + 2]
    full += [(t.top, t) for t in tables if t not in left_tables and t not in right_tables]
    full.sort(key=lambda f: f[0])
    full = _lift_trailing_rows(full, left_words, right_words, size)
    lbounds, rbounds = (bounds[0], gutter.left), (gutter.right, bounds[1])

    # bands between full-width items: left column first, then the right one
    out: list[Line] = []
    lower = float("-inf")
    full_flow = None
    for top, item in full + [(float("inf"), None)]:
        band = [([w for w in left_words if lower <= w.top < top], [t for t in left_tables if lower <= t.top < top], lbounds),
                ([w for w in right_words if lower <= w.top < top], [t for t in right_tables if lower <= t.top < top], rbounds)]
        for ws, ts, b in band:
            if ws or ts:
                full_flow = None
                out.extend(order(ws, ts, size, flows, b, depth + 1))
        if isinstance(item, TableBox):
            full_flow = None
            out.append(table_line(item, flows.new()))
        elif item is not None:
            if full_flow is None:
                full_flow = flows.new()
            out.append(make_line(item, full_flow, *bounds))
        lower = top
    return out


def _lift_trailing_rows(full: list, left_words: list[Word], right_words: list[Word], size: float) -> list:
    """A short full-width line (a heading) above a full-width band crosses no gutter: when it stands
    apart below the end of the right column, it belongs to the band, not to the left column."""
    lifted = []
    lower = float("-inf")
    for top, _ in full + [(float("inf"), None)]:
        rw = [w for w in right_words if lower <= w.top < top]
        rows = rows_of([w for w in left_words if lower <= w.top < top])
        if rw and rows and top != float("inf"):
            rb = max(w.bottom for w in rw)
            for i, row in enumerate(rows):
                row_top = min(w.top for w in row)
                if row_top > rb + 0.5 * size and (i == 0 or row_top - max(w.bottom for w in rows[i - 1]) > size):
                    lifted.extend(rows[i:])
                    break
        lower = top
    if not lifted:
        return full
    gone = {id(w) for row in lifted for w in row}
    left_words[:] = [w for w in left_words if id(w) not in gone]
    return sorted(full + [(min(w.top for w in row), row) for row in lifted], key=lambda f: f[0])


def _rows_with_tables(words: list[Word], tables: list[TableBox]) -> list:
    """Rows of words and tables, top to bottom."""
    items = [(min(w.top for w in r), 0, r) for r in rows_of(words)] + [(t.top, 1, t) for t in tables]
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]
