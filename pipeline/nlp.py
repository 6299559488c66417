"""Natasha, loaded once per process: sentences, tokens with morphology, NER spans.

`analyse(text)` returns a natasha `Doc` whose `tokens`, `sents` and `spans` carry offsets into
`text`; every PER/LOC/ORG span is normalised (`span.normal`) and names are parsed (`span.fact`).
"""
from functools import lru_cache

from pipeline import morph  # noqa: F401  (points pymorphy2 at pymorphy3 before natasha loads)
from natasha import (
    Doc,
    MorphVocab,
    NamesExtractor,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    Segmenter,
)


@lru_cache(maxsize=1)
def models():
    emb = NewsEmbedding()
    vocab = MorphVocab()
    return {
        "segmenter": Segmenter(),
        "morph_vocab": vocab,
        "morph_tagger": NewsMorphTagger(emb),
        "ner_tagger": NewsNERTagger(emb),
        "names": NamesExtractor(vocab),
    }


def analyse(text: str) -> Doc:
    m = models()
    doc = Doc(text)
    doc.segment(m["segmenter"])
    doc.tag_morph(m["morph_tagger"])
    doc.tag_ner(m["ner_tagger"])
    for token in doc.tokens:
        token.lemmatize(m["morph_vocab"])
    for span in doc.spans:
        span.normalize(m["morph_vocab"])
        if span.type == "PER":
            span.extract_fact(m["names"])
    return doc
