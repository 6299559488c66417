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
        rules = list({id(r): r for r in self.start.as_bnf.rules}.values())
        if any(r.relation is not None for r in rules):
            raise ValueError("a grammar with relations needs its parse trees")
        look = Lookahead(self.start)
        # the grammar as numbers: a rule by its index (the start's is 0), a production by its index,
        # a production's terms as rule indices and predicates
        index = {id(r): k for k, r in enumerate(rules)}
        assert rules[0] is self.start
        self.rule_of, self.terms, self.productions = [], [], []
        for k, r in enumerate(rules):
            mine = []
            for p in r.productions:
                mine.append((len(self.terms), id(p) in look.nullable, *look.firsts[id(p)]))
                self.rule_of.append(k)
                self.terms.append(tuple(index[id(t)] if is_rule(t) else t for t in p.terms))
            self.productions.append(mine)

    def findall(self, text: str) -> list[tuple[int, int]]:
        """The character spans of the matches Parser.findall keeps: the longest cover, no overlaps."""
        tokens = list(self.parser.tagger(self.parser.tokenizer(text)))
        return [(tokens[a].span.start, tokens[b - 1].span.stop) for a, b in self.resolved(tokens)]

    def resolved(self, tokens) -> list[tuple[int, int]]:
        """The (first, after last) token of the matches Parser.findall keeps, in text order."""
        return list(resolve_spans(sorted(self.spans(tokens), key=lambda r: (r[0], -r[1]))))

    def spans(self, tokens) -> set[tuple[int, int]]:
        """(first, after last) token of every match, overlapping ones and sub-spans included (Parser.extract)."""
        n, terms_of, rule_of, productions = len(tokens), self.terms, self.rule_of, self.productions
        columns = [[] for _ in range(n + 1)]     # a state: (production, dot, origin column)
        seen = [set() for _ in columns]
        waiting = [{} for _ in columns]     # per column: rule -> the states whose next term is that rule
        predicted = [set() for _ in columns]
        out = set()

        def add(k, state):
            if state not in seen[k]:
                seen[k].add(state)
                columns[k].append(state)
                terms, dot = terms_of[state[0]], state[1]
                if dot < len(terms) and type(terms[dot]) is int:
                    waiting[k].setdefault(terms[dot], []).append(state)

        def predict(k, rule):
            if rule not in predicted[k]:    # else its states are there already
                predicted[k].add(rule)
                for p, nullable, values, lowered, types, others in productions[rule]:   # (Lookahead.viable)
                    if nullable or (token is not None and (
                            value in values or kind in types or (lowered and low in lowered) or any(map(takes, others)))):
                        add(k, (p, 0, k))

        def takes(predicate) -> bool:   # the states of a column wait for the same few predicates
            found = memo.get(id(predicate))
            if found is None:
                found = memo[id(predicate)] = bool(predicate(token))
            return found

        for k, column in enumerate(columns):
            token, memo = (tokens[k] if k < n else None), {}
            if token is not None:
                value, kind, low = token.value, token.type, token.value.lower()
            if k == 0 or self.can_start is None or (token is not None and self.can_start(token)):
                predict(k, 0)
            for p, dot, origin in column:    # the column grows as it is read
                terms = terms_of[p]
                if dot == len(terms):
                    rule = rule_of[p]
                    if rule == 0:
                        out.add((origin, k))
                    for q, d, o in waiting[origin].setdefault(rule, []):
                        add(k, (q, d + 1, o))
                elif type(terms[dot]) is int:
                    predict(k, terms[dot])
                elif token is not None and takes(terms[dot]):
                    add(k + 1, (p, dot + 1, origin))
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
