"""The `tables` stage: a document's tables (ingest's `tables`, cells grounded in the text) read as data.

- A **ties table** ("Город | Страна | Статус | Год", "Город-партнёр | Государство | Форма связи |
  Дата подписания", columns in any order, found by their header words or, without a header, by what
  their cells hold) gives one place per row: the city cell's place, with the country of the country
  cell (gazetteer), the tie its status cell names (twin before partner; else the tie the headers or
  the caption name) and `tie_since`, the year of its year cell.
- An **indicator table** ("Показатель | 2022 | 2023", or one row per year) gives one quantity per
  value cell, with the unit of its row's label (or of the unit column; "млн руб." scales the value)
  and the year of its column (or row).
- In every table a year cell is no quantity, and no quantity runs from one cell into the next.

The stage adjusts the places and quantities layers in place; with no table it does nothing. The
words it knows are in rules/tables.toml; units and scales are the quantities stage's
(rules/quantities.toml).
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline import gazetteer, morph, rules
from pipeline.doc import ReportDoc
from pipeline.layers import PlaceHit, QuantityHit
from pipeline.stage import stage

R = rules.load("tables")
Q = rules.load("quantities")
COLUMNS, TIES, IND = R["columns"], R["ties"], R["indicators"]
YEAR_CELL = re.compile(R["year_cell"], re.I)
YEAR_ANYWHERE = re.compile(R["year_anywhere"])
VALUE = re.compile(IND["value"], re.I)
WORD = re.compile(r"[^\W\d_]+")
SCALE = {k: Decimal(v) for k, v in Q["scale"].items()}
UNIT_WORDS = {**Q["unit_abbreviations"], **Q["unit_signs"]}
APPROX = {p.lower() for p in Q["approximate"]["phrases"]}


@dataclass
class _Grid:
    """A table's header row and body rows, as cells (the header may be the table's first row)."""
    header: list
    rows: list

    def column(self, j: int) -> list:
        return [r[j] for r in self.rows if j < len(r) and r[j].text]

    @property
    def width(self) -> int:
        return max([len(self.header)] + [len(r) for r in self.rows])


@stage("tables", requires=("text", "tables", "places", "quantities"), assigns=("places", "quantities"))
def tables(doc: ReportDoc) -> None:
    if not doc.tables:
        return
    for table in doc.tables:
        grid = _grid(table)
        if not grid.rows:
            continue
        found = _indicators(grid)
        taken = {(q.start, q.end) for q in found}
        doc.quantities = [q for q in doc.quantities if not _table_artifact(q, table, grid, taken)] + found
        if not found:
            _ties(doc, table, grid)
    doc.quantities.sort(key=lambda q: q.start)


# --- cells ---------------------------------------------------------------------------------------

def _low(text: str) -> str:
    return text.lower().replace("ё", "е")


def _cue(text: str, cues: list[str]) -> bool:
    """One of the words of `text` starts with one of the cues."""
    return any(w.startswith(c) for w in WORD.findall(_low(text)) for c in cues)


def _year(cell) -> int | None:
    """The year of a cell that holds a year ("1992", "1992 г.", "12.05.1995", "2023 (план)")."""
    m = YEAR_CELL.match(cell.text)
    return int(m.group(1)) if m else None


def _country(text: str):
    entry = gazetteer.lookup(text, kind="country")
    return entry if entry and entry.kind == "country" else None


def _relation(text: str) -> str | None:
    return "twin" if _cue(text, TIES["twin"]) else "partner" if _cue(text, TIES["partner"]) else None


def _grid(table) -> _Grid:
    """The header is the table's own, or its first row when that row names columns; a header row
    the reader took for one but that names no column (a table without a header) is a body row."""
    rows = [r for r in table.rows if any(c.text for c in r)]
    if table.header:
        return _Grid(table.header, rows) if _names_columns(table.header, rows) else _Grid([], [table.header, *rows])
    if len(rows) > 1 and _names_columns(rows[0], rows[1:]):
        return _Grid(rows[0], rows[1:])
    return _Grid([], rows)


def _names_columns(cells: list, body: list) -> bool:
    """Header words in the cells, or a year over a column of other things than years (2022 | 2023)."""
    cues = [*(COLUMNS[k] for k in ("year", "country", "status", "city")), IND["label"], IND["unit"]]
    if any(_cue(c.text, x) for c in cells for x in cues):
        return True
    under = _Grid([], body)
    return any(_year(c) is not None and not _share(under.column(j), lambda x: _year(x) is not None)
               for j, c in enumerate(cells) if j)


def _table_artifact(q: QuantityHit, table, grid: _Grid, taken: set) -> bool:
    """A quantity the table's layout made: in a year cell, across cells, or on a value cell read here."""
    if not (table.start <= q.start < table.end):
        return False
    cell = next((c for r in [grid.header, *grid.rows] for c in r if c.start <= q.start and q.end <= c.end), None)
    return cell is None or _year(cell) is not None or (cell.start, cell.end) in taken


# --- indicator tables ----------------------------------------------------------------------------

def _indicators(grid: _Grid) -> list[QuantityHit]:
    """Quantities of an indicator table: years across (header cells) or down (one column)."""
    by_column = {j: _year(c) for j, c in enumerate(grid.header) if j and _year(c) is not None}
    unit_col = next((j for j, c in enumerate(grid.header) if j not in by_column and _cue(c.text, IND["unit"])
                     and not _cue(c.text, IND["label"])), None)
    out = []
    if by_column:
        label_col = next((j for j in range(grid.width) if j not in by_column and j != unit_col), 0)
        for row in grid.rows:
            if label_col >= len(row):
                continue
            unit = _unit(row[label_col].text, row[unit_col].text if unit_col is not None and unit_col < len(row) else "")
            for j, year in by_column.items():
                if j < len(row) and unit:
                    out += _value(row[j], unit, year)
        return out
    # one row per year: the years in the first column (after a column of row numbers)
    first = next((j for j, c in enumerate(grid.header) if _low(c.text).strip(" .") not in IND["not_values"]), None)
    if first is None or not _share(grid.column(first), lambda c: _year(c) is not None):
        return []
    year_col = first
    for j, head in enumerate(grid.header):
        if j == year_col or _low(head.text).strip(" .") in IND["not_values"] \
                or not _share(grid.column(j), lambda c: VALUE.match(c.text) is not None):
            continue
        unit = _unit(head.text, "")
        for row in grid.rows:
            year = _year(row[year_col]) if year_col < len(row) else None
            if year and j < len(row) and unit:
                out += _value(row[j], unit, year)
    return out


def _share(cells: list, test) -> bool:
    return bool(cells) and sum(1 for c in cells if test(c)) >= COLUMNS["content_share"] * len(cells)


def _value(cell, unit: tuple[str, Decimal], year: int) -> list[QuantityHit]:
    """The quantity of one value cell ("1 200", "12,5", "около 300", "98,3 %", "1,5 тыс."), or none."""
    m = VALUE.match(cell.text)
    if not m:
        return []
    name, scale = unit
    rest = _low(m.group("rest") or "").strip(" .*")
    if rest:
        if rest in UNIT_WORDS:
            name = UNIT_WORDS[rest] if name is None or rest in Q["unit_signs"] else name
        elif rest.rstrip(".") in SCALE:
            scale *= SCALE[rest.rstrip(".")]
        else:
            return []
    number = Decimal(re.sub(r"[\s\u00a0\u202f]", "", m.group("num")).replace(",", ".")) * scale
    value = int(number) if number == number.to_integral_value() else float(number)
    return [QuantityHit(cell.start, cell.end, value, bool(m.group("approx")), name, year=year)] if name else []


def _unit(label: str, unit_cell: str) -> tuple[str | None, Decimal] | None:
    """(unit, scale) of a row's label: the thing counted ("Число иностранных туристов" -> "турист"),
    or its measure ("Объём инвестиций, млн руб." -> ("рубль", 1e6); "Доля …, %" -> "процент")."""
    main, measure = label, unit_cell
    if not measure:
        m = re.match(r"^(.*\w.*?)\s*(?:,|\()\s*([^,()]{1,25}?)\)?\s*$", label)
        if m and _measure(m.group(2))[0] is not None:
            main, measure = m.group(1), m.group(2)
    name, scale = _measure(measure)
    if name is None or name in IND["count_units"] or UNIT_WORDS.get(name) in IND["count_units"]:
        counted = _counted_noun(main)
        name = counted or (UNIT_WORDS.get(name, name) if name else None)
    if name is None:
        return None
    return name, scale


def _measure(text: str) -> tuple[str | None, Decimal]:
    """'млн руб.' -> ('рубль', 1e6); '%' -> ('процент', 1); 'чел.' -> ('человек', 1); 'тонн' -> ('тонна', 1);
    (None, 1) for words that are no unit of measure ('конференций', 'проведённые онлайн')."""
    name, scale = None, Decimal(1)
    for tok in re.findall(r"[^\W\d_]+|%|₽|\$|€", _low(text)):
        lemma = _noun(tok)
        if tok in SCALE or lemma in SCALE:
            scale *= SCALE[tok if tok in SCALE else lemma]
        elif tok in UNIT_WORDS and name is None:
            name = UNIT_WORDS[tok]
        elif lemma in IND["units"] and name is None:
            name = lemma
        else:
            return None, Decimal(1)
    return name, scale


def _counted_noun(label: str) -> str | None:
    """The first noun of the label that is no measure word ("Число туристов" -> "турист"), or None
    ("Туристический поток": the measure, "чел.", is the unit)."""
    nouns = [n for n in (_noun(w) for w in WORD.findall(_low(label))) if n]
    return next((n for n in nouns if n not in IND["measure_nouns"]), None)


def _noun(word: str) -> str | None:
    """The lemma of a word whose likeliest reading is a noun, as the quantities stage names units."""
    parses = morph.parse(word)
    if not parses or parses[0].tag.POS != "NOUN" or {"Geox", "Name", "Surn", "Orgn"} & parses[0].tag.grammemes:
        return None  # a place or a name is no unit ("Пекин | 12 | 15": what is counted is not said)
    return parses[0].normal_form.replace("ё", "е")


# --- ties tables ---------------------------------------------------------------------------------

def _ties(doc: ReportDoc, table, grid: _Grid) -> None:
    cols = _tie_columns(grid)
    if "city" not in cols:
        return
    caption = doc.text[max(0, table.start - TIES["caption_chars"]):table.start]
    cued = " ".join(c.text for c in grid.header) + " " + caption
    if "status" not in cols and not _cue(cued, TIES["table_cues"]):
        return
    default = _cued_relation(" ".join(c.text for c in grid.header)) or _cued_relation(caption) or "partner"

    def cell(row, kind):
        j = cols.get(kind)
        return row[j] if j is not None and j < len(row) and row[j].text else None

    for row in grid.rows:
        city, country, status, year = (cell(row, k) for k in ("city", "country", "status", "year"))
        if city is None:
            continue
        country_entry = _country(country.text) if country else None
        if country and country_entry:
            _ensure_country(doc, country, country_entry)
        since = YEAR_ANYWHERE.search(year.text if year else status.text if status else "")
        _tie(doc, city, country_entry.country_code if country_entry else None,
             (_relation(status.text) if status else None) or default, int(since.group(1)) if since else None)


def _cued_relation(text: str) -> str | None:
    """The tie a header or caption names: twin when it names only twins ("Города-побратимы"),
    partner when it names partners too ("побратимские и партнёрские связи")."""
    cues = [c for c in TIES["table_cues"] if _cue(text, [c])]
    if not cues:
        return None
    return "twin" if all(_cue(c, TIES["twin"]) for c in cues) else "partner"


def _tie_columns(grid: _Grid) -> dict[str, int]:
    """Column index by kind (year, country, status, city): header words first, then cell contents."""
    cols: dict[str, int] = {}
    for kind in ("year", "country", "status", "city"):
        j = next((j for j, c in enumerate(grid.header) if j not in cols.values() and _cue(c.text, COLUMNS[kind])), None)
        if j is not None:
            cols[kind] = j
    tests = {"year": lambda c: _year(c) is not None,
             "country": lambda c: _country(c.text) is not None,
             "status": lambda c: _relation(c.text) is not None,
             "city": lambda c: _city_entry(_city_name(c)[0]) is not None}
    for kind, test in tests.items():
        if kind not in cols:
            j = next((j for j in range(grid.width) if j not in cols.values() and _share(grid.column(j), test)), None)
            if j is not None:
                cols[kind] = j
    return cols


def _city_name(cell) -> tuple[str, int, int]:
    """The name in a city cell and its span: 'г. Ниигата (Япония)' -> 'Ниигата'."""
    text, start = cell.text, cell.start
    m = re.match(r"^\s*(?:(?:" + "|".join(re.escape(p) for p in TIES["city_prefixes"]) + r")\s+)?", text, re.I)
    a = m.end() if m else 0
    b = len(text)
    for sep in ("(", ",", ";"):
        k = text.find(sep, a)
        if k > a:
            b = min(b, k)
    name = text[a:b].strip()
    a = text.index(name, a) if name else a
    return name, start + a, start + a + len(name)


def _city_entry(name: str, country_code: str | None = None):
    entry = gazetteer.lookup(name, country_code=country_code, kind="city") if name else None
    return entry if entry and entry.kind == "city" else None


def _tie(doc: ReportDoc, cell, country_code: str | None, relation: str, since: int | None) -> None:
    """The city cell's place gets the tie: the place already found there, or a new one."""
    name, a, b = _city_name(cell)
    if not name:
        return
    if country_code is None:  # 'Ниигата (Япония)', 'Ниигата, Япония'
        rest = _country(cell.text[b - cell.start:].strip(" (),;"))
        country_code = rest.country_code if rest else None
    found = [h for h in doc.places if h.kind != "country" and any(s < b and a < e for s, e in h.mentions)]
    kind = found[0].kind if found and found[0].kind == "region" else "city"
    entry = _city_entry(found[0].name if found else name, country_code)
    if entry and (country_code is None or entry.country_code == country_code):
        name, country_code = entry.name, entry.country_code
    elif found:
        name = found[0].name
    for h in found:  # the cell's mention moves to the tied place
        h.mentions = [(s, e) for s, e in h.mentions if not (s < b and a < e)]
    doc.places = [h for h in doc.places if h.mentions]
    hit = next((h for h in doc.places if h.kind == kind and gazetteer.key(h.name) == gazetteer.key(name)), None)
    if hit is None:
        hit = PlaceHit(name, kind, country_code, None)
        doc.places.append(hit)
    hit.mentions.append((a, b))
    hit.country_code = country_code or hit.country_code
    hit.relation = relation
    hit.tie_since = since or hit.tie_since


def _ensure_country(doc: ReportDoc, cell, entry) -> None:
    """A country cell is a mention of its country, when the places stage did not take it already."""
    if any(h.kind == "country" and any(s < cell.end and cell.start < e for s, e in h.mentions) for h in doc.places):
        return
    hit = next((h for h in doc.places if h.kind == "country" and h.country_code == entry.country_code), None)
    if hit is None:
        hit = PlaceHit(entry.name, "country", entry.country_code, None)
        doc.places.append(hit)
    hit.mentions.append((cell.start, cell.end))
