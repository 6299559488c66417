"""pipeline.grammars.recognizer finds where yargy's own parser finds matches: on a small ambiguous grammar
(optional, repeated and empty parts side by side) over every short token sequence, and on the
project's grammars (dates, names, the tie frames) over the fixture texts."""
import itertools
import random
from pathlib import Path

import pytest

from pipeline import morph  # noqa: F401  (before yargy)
from pipeline.grammars.recognizer import Recognizer
from yargy import Parser, or_, rule
from yargy.predicates import custom, eq, in_, type as ytype
from yargy.span import Span
from yargy.token import Token
from yargy.tokenizer import Tokenizer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEXTS = sorted((FIXTURES / "reports").glob("*.txt")) + sorted((FIXTURES / "news").glob("*.txt"))


def yargy_spans(parser, tokens) -> set[tuple[int, int]]:
    """(first, after last) token of every match `Parser.extract` gives."""
    out = set()
    for m in parser.extract(tokens):
        first = next(k for k, t in enumerate(tokens) if t.span.start == m.span.start)
        last = next(k for k, t in enumerate(tokens) if t.span.stop == m.span.stop)
        out.add((first, last + 1))
    return out


class Given(Tokenizer):
    """Tokens as they are given."""

    def __init__(self):
        super().__init__([])
        self.types = {"A", "B"}

    def __call__(self, tokens):
        return tokens


def ambiguous_grammar():
    a, b = ytype("A"), ytype("B")
    x = eq("x")
    opt = rule(a.optional(), x.optional())                     # may match nothing
    item = or_(rule(opt, b), rule(a, opt, b), rule(x.repeatable(max=3)))
    return rule(opt, item, rule(in_({",", "и"}), item).repeatable().optional(), opt)


def test_ambiguous_grammar_every_sequence():
    parser = Parser(ambiguous_grammar(), tokenizer=Given())
    recognizer = Recognizer(parser)
    alphabet = [("x", "A"), ("y", "A"), ("x", "B"), ("z", "B"), (",", "A"), ("и", "B")]
    checked = matched = 0
    for n in range(1, 5):
        for seq in itertools.product(alphabet, repeat=n):
            tokens = [Token(v, Span(2 * k, 2 * k + 1), t) for k, (v, t) in enumerate(seq)]
            expected = yargy_spans(parser, tokens)
            assert recognizer.spans(tokens) == expected, seq
            checked, matched = checked + 1, matched + bool(expected)
    assert matched > checked // 2      # the grammar matches most of them: the comparison is not vacuous


def test_findall_keeps_the_same_spans():
    parser = Parser(rule(custom(str.isdigit).repeatable(max=2), eq("г").optional()), tokenizer=Tokenizer())
    for text in ("12 13 г 14", "1 2 3 4 5 г", "г 7", ""):
        assert Recognizer(parser).findall(text) == [tuple(m.span) for m in parser.findall(text)]


def test_a_grammar_with_relations_is_refused():
    from yargy.relations import gnc_relation
    from yargy.predicates import gram

    gnc = gnc_relation()
    grammar = rule(gram("ADJF").match(gnc), gram("NOUN").match(gnc))
    with pytest.raises(ValueError):
        Recognizer(Parser(grammar))


def lines():
    for path in TEXTS:
        yield from (x for x in path.read_text(encoding="utf-8").split("\n") if x.strip())


def test_dates_grammar_over_the_fixtures():
    """The date phrases of every window and every short line: the parts of each as yargy's findall gives them."""
    import pipeline.grammars.dates as G

    plain = Parser(G._build_grammar(), tokenizer=Tokenizer())   # yargy's own parser, no shortcuts
    cases = [w for x in lines() for w in [x[a:b] for a, b in G._windows(x)] + ([x] if len(x) < 300 else [])]
    found = 0
    for window in dict.fromkeys(cases):
        expected = tuple((m.span.start, m.span.stop, {k: getattr(m.fact, k) for k in G.FIELDS})
                         for m in plain.findall(window))
        got = tuple((m.start, m.stop, m.fact) for m in G._parse_window.__wrapped__(window))
        assert got == expected, window
        found += len(got)
    assert found > 100


def test_name_grammar_over_the_fixtures():
    import pipeline.grammars.names as N

    found = 0
    for line in lines():
        for window in [line[a:b] for a, b in N._windows(line)] + ([line] if len(line) < 300 else []):
            for recognizer in N._parsers():
                expected = [tuple(m.span) for m in recognizer.parser.findall(window)]
                assert recognizer.findall(window) == expected, window
                found += len(expected)
    assert found > 20


@pytest.mark.parametrize("path", [p for p in TEXTS if p.stem.split("-")[0] in ("neryungri", "ryazan", "tver", "khabarovsk")],
                         ids=lambda p: p.stem)
def test_tie_frames_over_the_fixtures(path, monkeypatch):
    """Every frame over every whole tie sentence of a report (not only the windows the stage reads)."""
    import pipeline.grammars.ties as G
    import pipeline.ties as T
    from pipeline.extract import analyse_text
    from pipeline.ingest.clean import clean

    streams = []
    monkeypatch.setattr(T, "_read", lambda doc, stream: streams.append(stream))
    doc = analyse_text(clean(path.read_text(encoding="utf-8")), upto="city")
    T.ties(doc)
    assert streams
    found = 0
    for stream in streams:
        tokens = [Token(r.value, Span(r.start, r.end), r.type) for r in stream]
        for frame, recognizer in G.parser().items():
            expected = yargy_spans(recognizer.parser, tokens)
            assert recognizer.spans(tokens) == expected, (frame, [r.value for r in stream])
            found += len(expected)
    assert found


def test_random_role_streams():
    """Random streams of the tie grammar's role tokens, biased to its words."""
    import pipeline.grammars.ties as G

    words = [(w, "WORD") for w in ("у", "и", "с", "между", "который", "наш", "город", "о", "в", "тот", "число", "а",
                                    "также", "кроме")] + [(",", "PUNCT"), ("–", "PUNCT"), ("(", "PUNCT"), (")", "PUNCT")]
    roles = [(r.lower(), r) for r in G.ROLES if r not in ("WORD", "PUNCT")]
    rng = random.Random(11)
    matched = 0
    for _ in range(300):
        seq = [rng.choice(words if rng.random() < 0.4 else roles) for _ in range(rng.randint(3, 14))]
        tokens = [Token(v, Span(3 * k, 3 * k + 2), t) for k, (v, t) in enumerate(seq)]
        for recognizer in G.parser().values():
            expected = yargy_spans(recognizer.parser, tokens)
            assert recognizer.spans(tokens) == expected, seq
            matched += bool(expected)
    assert matched > 10
