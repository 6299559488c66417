"""The spaCy view of a Natasha document, for spaCy's rule matchers.

`to_spacy(doc)` builds a Russian spaCy Doc (the vocabulary of `spacy.blank("ru")`) over the same
tokens as the Natasha Doc (token i is `doc.tokens[i]`), with Natasha's pymorphy3 lemmas as `lemma_`
and, for a hyphenated word, the last part of its lemma as `norm_` ("онлайн-встреча" -> "встреча";
with `prefixes`, also "фотовыставка" -> "выставка"), so a PhraseMatcher on LEMMA or NORM finds rule
phrases in any inflected form. `phrase_matcher` builds such a matcher from lemma sequences.
"""
import re
from functools import lru_cache

from spacy.lang.ru import Russian
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import create_vocab


@lru_cache(maxsize=1)
def vocab():
    """`spacy.blank("ru").vocab` (same lexical attributes), without the pipeline around it: a blank
    pipeline also builds a tokenizer we never run and fills spaCy's whole registry (0.18 s a process)."""
    return create_vocab("ru", Russian.Defaults)


def to_spacy(doc, prefixes: tuple[str, ...] = ()) -> Doc:
    tokens = doc.tokens
    words = [t.text for t in tokens]
    spaces = [i + 1 < len(tokens) and tokens[i + 1].start > t.stop for i, t in enumerate(tokens)]
    lemmas = [t.lemma or t.text.lower() for t in tokens]
    return _doc(words, lemmas, spaces, _prefix_re(tuple(prefixes)))


@lru_cache(maxsize=8)
def _prefix_re(prefixes: tuple[str, ...]) -> re.Pattern | None:
    """A compound's first part, followed by a word of at least four letters."""
    return re.compile("(?:" + "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))) + r")(?=\w{4})") if prefixes else None


def _doc(words: list[str], lemmas: list[str], spaces: list[bool] | None = None, prefix: re.Pattern | None = None) -> Doc:
    out = Doc(vocab(), words=words, spaces=spaces, lemmas=lemmas)
    for i, lemma in enumerate(lemmas):
        if "-" in lemma:  # other tokens keep spaCy's norm (the lower-case text)
            out[i].norm_ = lemma.rsplit("-", 1)[-1]
        elif prefix is not None and (m := prefix.match(lemma)):  # "фотовыставка" -> "выставка"
            out[i].norm_ = lemma[m.end():]
    return out


def phrase_matcher(phrases: dict[str, list[tuple[str, ...]]], attr: str = "LEMMA") -> PhraseMatcher:
    """A PhraseMatcher over `attr` for phrases given as lemma sequences, by match label."""
    matcher = PhraseMatcher(vocab(), attr=attr)
    for label, seqs in phrases.items():
        matcher.add(label, [_doc(list(s), list(s)) for s in seqs])
    return matcher
