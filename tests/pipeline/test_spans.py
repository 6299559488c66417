"""SpanIndex answers as a scan of every span would, for short spans, long ones (sections) and both."""
import random

import pytest

from pipeline.spans import LONG, SpanIndex


def _scan(spans, a, b):
    return [k for k, (s, e) in enumerate(spans) if s < b and e > a]


@pytest.mark.parametrize("seed", range(5))
def test_overlapping_holding_within_equal_a_scan(seed):
    rng = random.Random(seed)
    size = 20 * LONG
    spans = []
    for _ in range(300):
        s = rng.randrange(size)
        spans.append((s, s + rng.choice([0, 1, rng.randrange(1, 50), rng.randrange(LONG - 5, 3 * LONG)])))
    index = SpanIndex(spans)
    for _ in range(500):
        a = rng.randrange(size + LONG)
        b = a + rng.choice([0, 1, rng.randrange(200), rng.randrange(5 * LONG)])
        assert index.overlapping(a, b) == _scan(spans, a, b)
        assert index.holding(a) == _scan(spans, a, a + 1)
        assert index.within(a, b) == [k for k in _scan(spans, a, b) if spans[k][0] >= a and spans[k][1] <= b]


def test_sections_that_tile_a_long_text_are_found_by_their_block():
    sections = [(k * 3 * LONG, (k + 1) * 3 * LONG) for k in range(1000)]
    index = SpanIndex(sections)
    assert index.holding(5 * LONG) == [1]
    assert index.overlapping(3 * LONG - 1, 3 * LONG + 1) == [0, 1]
    assert sum(len(v) for v in index.blocks.values()) <= 4 * len(sections)   # each filed under its own few blocks
