"""The `nlp` stage: Natasha, loaded once per process (sentences, tokens with morphology, NER spans),
and the token layer over its tokens (pipeline.tokens).

`analyse(text)` returns a natasha `Doc` whose `tokens`, `sents` and `spans` carry offsets into
`text`; Natasha sees the text in windows of whole lines (pipeline.windows), so its memory is bounded
by the window, not the report; every PER/LOC/ORG span is normalised (`span.normal`) and names are
parsed (`span.fact`).
"""
import sys
from functools import lru_cache

from pipeline import morph  # noqa: F401  (points pymorphy2 at pymorphy3 before natasha loads)
from natasha.doc import DocFact, DocSpan, DocToken
from slovnet.bio import bio_spans
from natasha import (
    Doc,
    MorphVocab,
    NamesExtractor,
    NewsMorphTagger,
    NewsNERTagger,
    Segmenter,
)

from pipeline import tokens, windows
from pipeline.embedding import tagger
from pipeline.doc import ReportDoc
from pipeline.stage import stage


@lru_cache(maxsize=1)
def models():
    vocab = MorphVocab()
    return {
        "segmenter": Segmenter(),
        "morph_vocab": vocab,
        "morph_tagger": tagger(NewsMorphTagger),
        "ner_tagger": tagger(NewsNERTagger),
        "names": NamesExtractor(vocab),
    }


@lru_cache(maxsize=200_000)
def _tagged(word: str, pos: str, feats: tuple) -> tuple[str, dict, str]:
    """A tagged word's text (interned), its features (one dict shared by every token that has them:
    read, never changed) and Natasha's lemma; cached, as reports repeat most of their words."""
    return sys.intern(word), _shared(feats), models()["morph_vocab"].lemmatize(word, pos, dict(feats))


def analyse(text: str, cut: windows.Windows | None = None) -> Doc:
    """Natasha over the windows of the text (pipeline.windows), stitched into one doc whose tokens,
    sentences and spans carry offsets into the whole text."""
    doc = Doc(text, tokens=[], spans=[], sents=[])
    for a, b in (cut or windows.cut(text)).spans:
        part = _window(text[a:b])
        for s in part.sents:
            s.start, s.stop = s.start + a, s.stop + a
        for x in part.tokens + part.spans:
            x.start, x.stop = x.start + a, x.stop + a
        doc.tokens += part.tokens
        doc.spans += part.spans
        doc.sents += part.sents
    for span in doc.spans:
        span.normal = _normal(span.type, tuple((t.text, t.pos, _feats(t), t.start - span.start) for t in span.tokens))
        if span.type == "PER":
            slots = _name_slots(span.normal)
            span.fact = DocFact(list(slots)) if slots is not None else None
    _slim(doc)
    return doc


class Token:
    """A natasha DocToken's fields without the per-object dict (a long report has a million tokens),
    with its lemma (`_tagged`)."""
    __slots__ = DocToken.__attributes__

    def __init__(self, t: DocToken):
        self.start, self.stop, self.pos, self.id, self.head_id, self.rel = t.start, t.stop, t.pos, t.id, t.head_id, t.rel
        self.text, self.feats, self.lemma = _tagged(t.text, t.pos, _feats(t))


def _slim(doc: Doc) -> None:
    """The doc's tokens, in its token list, sentences and spans, as `Token`s."""
    slim = {id(t): Token(t) for t in doc.tokens}
    doc.tokens = list(slim.values())
    for group in doc.sents + doc.spans:
        if group.tokens is not None:
            group.tokens = [slim.get(id(t), t) for t in group.tokens]


def _window(text: str) -> Doc:
    m = models()
    doc = Doc(text)
    doc.segment(m["segmenter"])
    doc.tag_morph(m["morph_tagger"])
    _tag_ner(doc, m["ner_tagger"])
    return doc


def _tag_ner(doc: Doc, tagger) -> None:
    """`doc.tag_ner(tagger)` over the tokens the segmenter found: Natasha's NER would cut the text
    into the same razdel tokens again and look each one up in the text (a tenth of its time)."""
    if not doc.text.strip():
        doc.spans = []
        return
    infer = tagger.infer
    tags = next(infer.decoder(infer.process(infer.encoder([[t.text for t in doc.tokens]]))))
    doc.spans = [DocSpan(s.start, s.stop, s.type, doc.text[s.start:s.stop]) for s in bio_spans(doc.tokens, tags)]
    doc.envelop_span_tokens()


@lru_cache(maxsize=20_000)
def _shared(feats: tuple) -> dict:
    return dict(feats)


def _feats(token) -> tuple:
    return tuple(sorted((token.feats or {}).items()))


@lru_cache(maxsize=50_000)
def _normal(kind: str, tokens: tuple) -> str:
    """Natasha's normal form of a span, cached by its tagged tokens and their spacing."""
    span = DocSpan(0, 0, kind, "", tokens=[DocToken(a, a + len(w), w, pos=p, feats=dict(f)) for w, p, f, a in tokens])
    span.normalize(models()["morph_vocab"])
    return span.normal


@lru_cache(maxsize=50_000)
def _name_slots(normal: str) -> tuple | None:
    """The name parts (first, last, middle) Natasha's NamesExtractor finds in a person's normal form."""
    match = models()["names"].find(normal)
    return tuple(match.fact.slots) if match else None


@stage("nlp", requires=("text",), assigns=("natasha", "tokens", "token_starts"))
def nlp(doc: ReportDoc) -> None:
    cut = windows.cut(doc.text)
    for a, b in cut.long_lines:
        doc.warnings.append(("long_line", f"a line of {b - a} characters at {a} read in windows of "
                                          f"{windows.LIMITS['line_chars']}"))
    doc.natasha = analyse(doc.text, cut)
    doc.tokens = tokens.build(doc.natasha)
    doc.token_starts = [t.start for t in doc.tokens]
