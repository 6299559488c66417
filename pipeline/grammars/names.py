"""The name grammar (yargy): the names of persons as written in reports.

Initials + surname ("О.Н. Фадина"), surname + initials ("Фадина О.Н."), surname + name +
patronymic, name + patronymic + surname, an honorific + a foreign name ("господина Фрикке",
"госпожой Чжао Линь"). `name_spans(sentence)` gives where they are; which word is the surname is
`pipeline.persons.mentions`.
"""
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from pipeline import morph, rules  # noqa: F401  (morph first: it points pymorphy2 at pymorphy3 for yargy)
from pipeline.grammars.recognizer import Recognizer
from pipeline.tokens import key

HONORIFICS = rules.load("honorifics")
HON_GENDER = {key(w): "masc" for w in HONORIFICS["masc"]} | {key(w): "femn" for w in HONORIFICS["femn"]}
HON_PREFIXES = {h[:3] for h in HON_GENDER}
NOT_NAMES = {key(w) for w in rules.load("persons")["names"]["not_names"]}
EAST_ASIAN = {key(w) for w in rules.load("persons")["names"]["east_asian_surnames"]}
ASIAN_GIVEN = re.compile(r"^(?:[а-яё]{1,3}|[а-яё]*(?:[аеёиоуыэюя]|н|нь|й|ь|нг|к|п|ль))$")
PATRONYMIC = re.compile(r"^[А-ЯЁ][а-яё]+(?:(?:ович|евич|ич)(?:а|у|ем|е)?|(?:овн|евн|ичн|инишн)(?:а|ы|е|у|ой|ою))$")


@lru_cache(maxsize=1)
def _parsers():
    from yargy import Parser, or_, rule
    from yargy.morph import MorphAnalyzer, prepare_form
    from yargy.predicates import custom, dictionary, eq
    from yargy.tokenizer import MorphTokenizer

    class SharedMorph(MorphAnalyzer):
        """yargy's morphology over the process-wide cached pymorphy3 (pipeline.morph)."""

        def __init__(self):
            super().__init__(raw=morph.analyzer())

        @lru_cache(maxsize=50_000)
        def __call__(self, word):
            # the grammar looks at the morphology of honorifics only: spare pymorphy the other words
            if key(word)[:3] not in HON_PREFIXES:
                return []
            return [prepare_form(p) for p in morph.parse(word)]

    # a word's tests as one function each (the chart parser calls them for every token it reads)
    word = ["RU", "LATIN"]
    initial = custom(lambda v: len(v) == 1 and v[0].isupper(), types=word)
    inits = rule(initial, eq("."), rule(initial, eq(".")).optional())
    cap = custom(_capitalised, types=word)
    patr = custom(lambda v: _capitalised(v) and bool(PATRONYMIC.match(v)), types=word)
    plain = custom(lambda v: _capitalised(v) and not PATRONYMIC.match(v), types=word)
    hon = dictionary(set(HON_GENDER))
    main = or_(
        rule(hon, cap, cap.optional(), cap.optional()),
        rule(inits, cap),
        rule(plain, plain, patr),
        rule(plain, patr, plain.optional()),
    )
    surname_first = rule(cap, inits)
    tokenizer = MorphTokenizer(morph=SharedMorph())
    return Recognizer(Parser(main, tokenizer=tokenizer)), Recognizer(Parser(surname_first, tokenizer=tokenizer))


def _capitalised(word: str) -> bool:
    """A capitalised word of two letters or more, not in capitals, not a word that names nobody."""
    return word[0].isupper() and len(word) != 1 and not word.isupper() and key(word) not in NOT_NAMES


def _common_word(word: str) -> bool:
    """A word the dictionary knows, and not as a name or surname ("Далее", "Мероприятия")."""
    ps = morph.parse(word)
    return bool(ps) and ps[0].is_known and not any("Surn" in p.tag or "Name" in p.tag for p in ps[:3])


def asian_given(word: str) -> bool:
    """'Линь', 'Хунвэем', 'Цзюнем', 'Чен', 'Су', 'Кэнтаро' look East Asian; 'Суареш', 'Карлос' do not."""
    low = key(word)
    for end, rep in (("ем", "й"), ("ем", "ь"), ("ом", ""), ("ем", ""), ("ю", "й"), ("ю", "ь"), ("у", ""), ("я", "й")):
        if low.endswith(end) and ASIAN_GIVEN.match(low[: -len(end)] + rep):
            return True
    return bool(ASIAN_GIVEN.match(low))


def asian_name_end(toks, i: int) -> int | None:
    """"Ма Цзяньпин", "Ван Лижун": an East Asian surname at token i before one or two given names that
    no dictionary knows (or East Asian surnames themselves), with no capitalised word after them;
    the index after the name, or None."""
    t = toks[i]
    if not t.cap or key(t.text) not in EAST_ASIAN:
        return None
    k = i + 1
    while k < len(toks) and k - i <= 2 and toks[k].cap and toks[k].sent == t.sent and toks[k].start - toks[k - 1].end == 1 \
            and asian_given(toks[k].text) and (key(toks[k].text) in EAST_ASIAN or not toks[k].parses()[0].is_known):
        k += 1
    if k == i + 1 or (k < len(toks) and toks[k].cap and toks[k].sent == t.sent):
        return None
    return k


# Sentences worth the grammar: an initial ("О.Н. Фадина", "Фадина О.Н."), an honorific, a patronymic.
PREFILTER = re.compile(r"(?<![\w.])[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?\s*[А-ЯЁ][а-яё]|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]?|"
                       r"[А-ЯЁ][а-яё]+(?:ович|евич|ьич|овн|евн|ичн)|(?<!\w)(?i:" +
                       "|".join(re.escape(h) for h in sorted(HON_GENDER, key=len, reverse=True)) + ")")


def _windows(text: str) -> list[tuple[int, int]]:
    """The parts of a sentence worth the grammar: every PREFILTER hit (an initial, an honorific, a
    patronymic) with the words a name can have around it (WINDOW: before, after; a name is at most
    four words), overlapping windows merged. Parsing these instead of whole sentences saves most of
    the chart parser's work."""
    hits = list(PREFILTER.finditer(text))
    if not hits:
        return []
    words = [m.span() for m in re.finditer(r"\S+", text)]
    starts, ends = [s for s, _ in words], [e for _, e in words]
    out: list[list[int]] = []
    for hit in hits:
        first = bisect_right(ends, hit.start())        # the word the hit begins in
        last = bisect_left(starts, hit.end()) - 1      # the last word it touches
        a, b = words[max(0, first - WINDOW[0])][0], words[min(len(words) - 1, last + WINDOW[1])][1]
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


WINDOW = (2, 3)  # "Петров Иван Иванович": two words before a patronymic; "госпожа Чжао Линь Мэй": three after


def name_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, stop, "main" | "surname_first") of the names in a sentence (line breaks as spaces:
    yargy reads one as a token of its own); a surname-first reading only where no other is."""
    main, surname_first = _parsers()
    sentence = sentence.replace("\n", " ")
    spans = []
    for w_start, w_end in _windows(sentence):
        window = sentence[w_start:w_end]
        found = [(w_start + a, w_start + b, "main") for a, b in main.findall(window)]
        for a, b in surname_first.findall(window):
            a, b = w_start + a, w_start + b
            # "Ломакина Е.В. Далее …": initials between a surname and a common word end the sentence
            found = [f for f in found if not (a < f[0] < b and _common_word(sentence[f[0]:f[1]].split()[-1]))]
            if not any(x < b and a < y for x, y, _ in found):
                found.append((a, b, "surname_first"))
        spans += found
    return spans
