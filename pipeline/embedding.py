"""Natasha's word embedding (navec), loaded once per process and shared by the morphology and NER
taggers (the `nlp` stage) and the syntax parser (the `syntax` stage).

A worker keeps what the taggers read and no more (issue 19: a worker's memory is bounded): the
embedding's codes and indexes, not its own word list or the tables it would precompute for
similarities (about 65 MB together); and the three taggers, which ship the same 250,000 words each in a copy of its
own, read one copy (`tagger`: about 35 MB and 0.12 s of a worker's start a copy).
"""
import hashlib
from functools import lru_cache

_VOCABS: dict = {}  # the vocabularies the taggers read, by the digest of their text


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


def tagger(cls):
    """cls(embedding()) (a Natasha tagger), each vocabulary it ships read once per process: where it
    equals one a tagger before it read (the 250,000 words of every tagger), it takes that copy."""
    from slovnet.exec import pack

    load = pack.Pack.load_vocab

    def load_once(self, id):
        data = pack.decompress(self.read(pack.vocab_name(id)))  # the packs' gzip headers differ
        key = hashlib.sha256(data).digest()
        if key not in _VOCABS:
            _VOCABS[key] = pack.Vocab(data.decode("utf-8").splitlines())
        return _VOCABS[key]

    pack.Pack.load_vocab = load_once
    try:
        return cls(embedding())
    finally:
        pack.Pack.load_vocab = load
