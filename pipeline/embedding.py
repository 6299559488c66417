"""Natasha's word embedding (navec), loaded once per process and shared by the morphology and NER
taggers (the `nlp` stage) and the syntax parser (the `syntax` stage).

A worker keeps what the taggers read and no more (issue 19: a worker's memory is bounded): the
embedding's codes and indexes, not its own word list or the tables it would precompute for
similarities (about 65 MB together); and the three taggers, which ship the same 250,000 words each in a copy of its
own, read one copy (`shared_words`, about 35 MB a copy).
"""
from functools import lru_cache

_WORDS: list = []   # the word lists the taggers read, one per distinct list


@lru_cache(maxsize=1)
def embedding():
    from natasha import NewsEmbedding
    from navec.pq import PQ

    # slovnet takes the codes and indexes (slovnet.exec.model.InjectNavecVisitor); nothing here asks
    # for navec's words or similarities, whose tables navec computes as it loads (half a second of
    # every worker's start): it loads without them
    precompute, PQ.precompute = PQ.precompute, lambda self: None
    try:
        emb = NewsEmbedding()
    finally:
        PQ.precompute = precompute
    emb.vocab = None
    return emb


def shared_words(tagger):
    """The tagger, its encoder reading the same word list as the taggers before it, where they are equal."""
    encoder = tagger.infer.encoder
    same = next((w for w in _WORDS if w.items == encoder.words_vocab.items), None)
    if same is None:
        _WORDS.append(encoder.words_vocab)
    else:
        encoder.words_vocab = same
    return tagger
