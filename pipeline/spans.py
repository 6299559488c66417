"""`SpanIndex`: character spans looked up by position (a bisect, not a scan of every span per hit),
so that a stage that asks "which spans overlap this sentence / hold this offset" stays linear.

Short spans are found by a bisect on their starts; a span longer than LONG characters (a section,
an answer) is filed under every block of LONG characters it covers, so that a lookup reads only the
blocks it touches (the long spans of a report cover its text a bounded number of times). Answers
come in the order the spans were given, as a scan would.
"""
from bisect import bisect_left

LONG = 2000


class SpanIndex:
    def __init__(self, spans):
        self.spans = [(s, e) for s, e, *_ in spans]
        self.order = sorted((k for k, (s, e) in enumerate(self.spans) if e - s < LONG), key=lambda k: self.spans[k])
        self.starts = [self.spans[k][0] for k in self.order]
        self.blocks: dict[int, list[int]] = {}     # block number -> the long spans that cover part of it
        for k, (s, e) in enumerate(self.spans):
            if e - s >= LONG:
                for block in range(s // LONG, (e - 1) // LONG + 1):
                    self.blocks.setdefault(block, []).append(k)

    def overlapping(self, a: int, b: int) -> list[int]:
        """Indices of the spans (s, e) with s < b and e > a, in the given order."""
        lo, hi = bisect_left(self.starts, a - LONG + 1), bisect_left(self.starts, b)
        out = {k for k in self.order[lo:hi] if self.spans[k][1] > a}
        if self.blocks:
            for block in range(a // LONG, max(a, b - 1) // LONG + 1):
                out.update(k for k in self.blocks.get(block, ()) if self.spans[k][0] < b and self.spans[k][1] > a)
        return sorted(out)

    def holding(self, pos: int) -> list[int]:
        """Indices of the spans with s <= pos < e."""
        return self.overlapping(pos, pos + 1)

    def within(self, a: int, b: int) -> list[int]:
        """Indices of the spans with a <= s and e <= b."""
        return [k for k in self.overlapping(a, b) if self.spans[k][0] >= a and self.spans[k][1] <= b]
