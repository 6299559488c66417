"""Natasha's word embedding (navec, about 120 MB in memory), loaded once per process and shared by
the morphology and NER taggers (the `nlp` stage) and the syntax parser (the `syntax` stage)."""
from functools import lru_cache


@lru_cache(maxsize=1)
def embedding():
    from natasha import NewsEmbedding
    return NewsEmbedding()
