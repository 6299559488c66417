"""Where a yargy grammar matches, without its parse trees.

yargy's chart parser keeps one state per parse tree: an ambiguous grammar (optional and repeated
parts side by side) makes many trees per match, and building, hashing and normalising them is most of
its work. A caller that needs only where the matches are (the tie frames, the name spans) reads them
here: yargy's own chart algorithm (predict, scan, complete, in its order, over the parser's BNF and
tokenizer) with one state per dotted rule, and a production predicted only where it can begin (before
a token one of its first predicates takes, or anywhere if it may match nothing).

    Recognizer(Parser(rule)).spans(tokens) -> {(first, after last) token of every match}
    Recognizer(Parser(rule)).findall(text) -> [(start, stop)] the spans Parser.findall gives
    Recognizer(parser, can_start).spans(...)  a match only begins at the first token or one that can_start takes

For grammars of rules and predicates only: no relations (agreement) and no pipelines (gazetteers).
"""
from pipeline import morph  # noqa: F401  (before yargy: points pymorphy2 at pymorphy3)

from yargy.predicates.bank import TypePredicate, caseless, eq, in_, in_caseless
from yargy.rule.bnf import is_rule
from yargy.span import resolve_spans


class Lookahead:
    """Which productions of a BNF grammar can begin before a token: those one of whose first predicates
    (the predicates that may scan a production's first token) takes it, and those that may match nothing."""

    def __init__(self, start):
        rules = start.as_bnf.rules
        nullable: set[int] = set()
        firsts: dict[int, list] = {id(p): [] for r in rules for p in r.productions}
        changed = True
        while changed:      # to a fixed point: what a rule may begin with depends on its parts'
            changed = False
            for r in rules:
                for p in r.productions:
                    preds, empty = firsts[id(p)], True
                    for term in p.terms:
                        new = [x for x in (_firsts(term, firsts) if is_rule(term) else [term])
                               if all(x is not y for y in preds)]
                        preds += new
                        changed |= bool(new)
                        if not (is_rule(term) and id(term) in nullable):
                            empty = False
                            break
                    if empty and id(r) not in nullable:
                        nullable.add(id(r))
                        changed = True
        self.nullable = {id(p) for r in rules for p in r.productions
                         if all(is_rule(t) and id(t) in nullable for t in p.terms)}
        self.firsts = {k: _grouped(preds) for k, preds in firsts.items()}

    def viable(self, production, token) -> bool:
        """May the production match here, before `token` (None: at the end)?"""
        if id(production) in self.nullable:
            return True
        if token is None:
            return False
        values, lowered, types, others = self.firsts[id(production)]
        return token.value in values or token.type in types or (lowered and token.value.lower() in lowered) \
            or any(p(token) for p in others)


class Recognizer:
    """The matches of a yargy Parser's grammar, read with its tokenizer and tagger (findall) or over
    tokens made already (spans)."""

    def __init__(self, parser, can_start=None):
        self.parser, self.start, self.can_start = parser, parser.rule, can_start
        if any(r.relation is not None for r in self.start.as_bnf.rules):
            raise ValueError("a grammar with relations needs its parse trees")
        self.lookahead = Lookahead(self.start)

    def findall(self, text: str) -> list[tuple[int, int]]:
        """The character spans of the matches Parser.findall keeps: the longest cover, no overlaps."""
        tokens = list(self.parser.tagger(self.parser.tokenizer(text)))
        return [(tokens[a].span.start, tokens[b - 1].span.stop) for a, b in self.resolved(tokens)]

    def resolved(self, tokens) -> list[tuple[int, int]]:
        """The (first, after last) token of the matches Parser.findall keeps, in text order."""
        return list(resolve_spans(sorted(self.spans(tokens), key=lambda r: (r[0], -r[1]))))

    def spans(self, tokens) -> set[tuple[int, int]]:
        """(first, after last) token of every match, overlapping ones and sub-spans included (Parser.extract)."""
        start, n = self.start, len(tokens)
        columns = [[] for _ in range(n + 1)]
        seen = [set() for _ in columns]
        waiting = [{} for _ in columns]     # per column: id(rule) -> the states whose next term is that rule
        out = set()

        def add(k, state):
            rule, production, dot, origin = state
            key = (id(rule), id(production), dot, origin)
            if key not in seen[k]:
                seen[k].add(key)
                columns[k].append(state)
                if dot < len(production.terms) and is_rule(production.terms[dot]):
                    waiting[k].setdefault(id(production.terms[dot]), []).append(state)

        viable = self.lookahead.viable
        predicted = [set() for _ in columns]

        def predict(k, rule):
            if id(rule) in predicted[k]:
                return      # its states are there already
            predicted[k].add(id(rule))
            token = tokens[k] if k < n else None
            for production in rule.productions:
                if viable(production, token):
                    add(k, (rule, production, 0, k))

        for k, column in enumerate(columns):
            if k == 0 or self.can_start is None or (k < n and self.can_start(tokens[k])):
                predict(k, start)
            for rule, production, dot, origin in column:    # the column grows as it is read
                if dot == len(production.terms):
                    if rule is start:
                        out.add((origin, k))
                    for parent, p, d, o in waiting[origin].setdefault(id(rule), []):
                        add(k, (parent, p, d + 1, o))
                elif is_rule(production.terms[dot]):
                    predict(k, production.terms[dot])
                elif k < n and production.terms[dot](tokens[k]):
                    add(k + 1, (rule, production, dot + 1, origin))
        return out


def _grouped(preds: list) -> tuple[set, set, set, list]:
    """First predicates as the values they take (eq, in_), the same lower case (caseless, in_caseless),
    the token types (type) and the others, to be called."""
    values, lowered, types, others = set(), set(), set(), []
    for p in preds:
        if type(p) is eq:
            values.add(p.value)
        elif type(p) is in_ and isinstance(p.value, (set, frozenset)):
            values |= p.value
        elif type(p) is caseless:
            lowered.add(p.value)
        elif type(p) is in_caseless:
            lowered |= p.value
        elif type(p) is TypePredicate:
            types.add(p.value)
        else:
            others.append(p)
    return values, lowered, types, others


def _firsts(rule, firsts) -> list:
    out = []
    for p in rule.productions:
        out += [x for x in firsts[id(p)] if all(x is not y for y in out)]
    return out
