"""The tables `compare` writes: every column with its type and what it holds (the data dictionary).

One list, TABLES, is the single source: the CSV headers, the Parquet and DuckDB schemas, the
DuckDB column comments and the dictionary page (`dictionary()`, docs/compare-tables.md) all come
from it. Types: str, int, float, bool.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


EVENT_TYPES = ("visit", "meeting", "conference", "festival", "exhibition", "competition", "ceremony",
               "trade_mission", "project", "other")
FORMATS = ("online", "offline", "mixed", "unknown")
CATEGORIES = ("places", "persons", "organisations", "dates", "quantities", "events", "tasks")

C = Column
REPORT = (C("report_id", "str", "The report's id (its JSON file's name)"),
          C("city", "str", "The reporting city, as the report names it"),
          C("year", "int", "The reporting year"))
CITY_YEAR = (C("city", "str", "The reporting city"), C("year", "int", "The reporting year"))
COUNTRY = (C("country_code", "str", "ISO 3166-1 alpha-2 code of the place's country"),
           C("country_ru", "str", "The country's name in Russian"))
PLACE = (C("key", "str", "The place's stable key: ISO code of a country, ISO 3166-2 code of a region, "
                         "geonames:<id> of a city, else <country code>/<name>"),)


def _link(entity: str, id_prefix: str) -> Table:
    return Table(f"event_{entity}s", f"Which {entity}s each event names (a link table: one row per event and {entity})",
                 (C("report_id", "str", "The report's id"), C("event_id", "str", "The event's id in its report"),
                  C(f"{entity}_id", "str", f"The {entity}'s id in its report ({id_prefix}-N)"),
                  C("key", "str", f"The {entity}'s stable key (as in the {entity}s table)"),
                  C("name", "str", f"The {entity}'s name in this report")))


TABLES: tuple[Table, ...] = (
    Table("reports", "One row per report: what it counts", REPORT[:1] + (
        C("label", "str", "City · year · topic: the report's row label in the overview (unique)"),
        *REPORT[1:], C("topic", "str", "The report's topic (from its id: international, culture, …), in Russian"),
        C("city_key", "str", "The reporting city's stable key"),
        C("country_code", "str", "The reporting city's country (ISO 3166-1 alpha-2)"),
        C("source_path", "str", "The source file the report was extracted from"),
        *(C(c, "int", f"Number of {c} items in the report") for c in CATEGORIES),
        C("partners", "int", "Places with a stated twin or partner tie in this report"),
        C("foreign_places", "int", "Foreign places without a stated tie (countries, regions and cities)"),
        C("events_counted", "int", "Events that happened (status happened): the events every count uses"),
        *(C(f"events_{t}", "int", f"Happened events of type {t}") for t in EVENT_TYPES),
        *(C(f"format_{f}", "int", f"Happened events in format {f}") for f in FORMATS),
        C("online_share", "float", "Online share of the happened events whose format is known (mixed count half)"))),
    Table("places", "Every place of every report", REPORT + (
        C("place_id", "str", "The place's id in its report (pl-N)"), *PLACE,
        C("name", "str", "The place's name (nominative)"),
        C("kind", "str", "city | country | region | other"), *COUNTRY,
        C("relation", "str", "twin | partner: the tie to the reporting city this report states; empty when none"),
        C("tie_since", "int", "The year the tie was set up, when this report states it"),
        C("foreign", "bool", "The place's country is not the reporting city's"),
        C("mentions", "int", "How often the report names it"))),
    Table("partners", "Partners per city and year: places with a tie stated in that year's reports (union over "
                      "the city's reports of the year); foreign places without a tie are in foreign_places",
          CITY_YEAR + (*PLACE, C("partner", "str", "The partner's name"), C("kind", "str", "city | region | other"),
                       *COUNTRY, C("relation", "str", "twin | partner (twin when the year's reports disagree)"),
                       C("tie_since", "int", "The year the tie was set up, as that year's reports state it"),
                       C("conflict", "str", "The other relation, when another report of the same year states it"),
                       C("reports", "str", "The reports of the year that state the tie, joined by \"; \""))),
    Table("foreign_places", "Foreign places per city and year that are no partner that year (no tie stated)",
          CITY_YEAR + (*PLACE, C("name", "str", "The place's name"),
                       C("kind", "str", "city | country | region | other"), *COUNTRY,
                       C("reports", "str", "The reports of the year that name it, joined by \"; \""))),
    Table("partner_changes", "Partner changes from one year of a city to its next reported year",
          (C("city", "str", "The reporting city"), C("from_year", "int", "The earlier year"),
           C("to_year", "int", "The next year with a report of this city"),
           C("change", "str", "new | dropped | status_changed"), *PLACE,
           C("partner", "str", "The partner's name"), *COUNTRY,
           C("old_relation", "str", "The relation in from_year (empty for new)"),
           C("new_relation", "str", "The relation in to_year (empty for dropped)"),
           C("tie_since", "int", "The year the tie was set up, as the to_year reports state it"),
           C("how", "str", "For dropped: not_mentioned (absent from the to_year reports) or named_without_tie"),
           C("evidence", "str", "For named_without_tie: the to_year sentence that names it"))),
    Table("events", "Every event of every report; only status happened counts anywhere", REPORT + (
        C("event_id", "str", "The event's id in its report (ev-N)"), C("type", "str", ", ".join(EVENT_TYPES)),
        C("format", "str", " | ".join(FORMATS)),
        C("status", "str", "happened | planned | habitual | mentioned"),
        C("tense", "str", "past | present | future (relative to the report's own date), when known"),
        C("counted", "bool", "status is happened: the event is counted in event_counts, reports and the overview"),
        C("date", "str", "ISO date, month, year or range"), C("title", "str", "The event's title"),
        C("section_id", "str", "The report section it stands in"),
        C("evidence", "str", "The sentences the event was read from"))),
    Table("event_counts", "Happened events per city, year, type and format (over the year's reports)",
          CITY_YEAR + (C("type", "str", "The event type"), C("format", "str", "The event format"),
                       C("events", "int", "Number of happened events"))),
    _link("place", "pl"), _link("person", "per"), _link("organisation", "org"),
    Table("persons", "Every person of every report, with the key that links one person across the city's reports",
          REPORT + (C("person_id", "str", "The person's id in its report (per-N)"),
                    C("key", "str", "The linked key: <city>/<surname>/<initial> for every report of the city"),
                    C("key_in_report", "str", "The key the extraction gave (the JSON's key)"),
                    C("name", "str", "The name (surname first)"), C("surname", "str", "The surname (nominative)"),
                    C("initials", "str", "The initials its written forms give"),
                    C("posts", "str", "Its posts in this report, joined by \"; \""),
                    C("mentions", "int", "How often the report names the person"),
                    C("link", "str", "How the key was linked: initials (surname and compatible initials, same city), "
                                     "surname_only (the only compatible person of the city), ambiguous (not linked: "
                                     "several compatible persons), single (no other report names the person)"),
                    C("link_evidence", "str", "The written forms and reports the link rests on"))),
    Table("officials", "Officials per city and year with their posts (one row per person and post)",
          CITY_YEAR + (C("key", "str", "The person's linked key (as in persons)"),
                       C("name", "str", "The fullest written name of the year"), C("post", "str", "The post"),
                       C("organisation", "str", "The organisation named in the post"),
                       C("organisation_key", "str", "Its stable key"),
                       C("reports", "str", "The reports of the year naming the person in this post"))),
    Table("organisations", "Every organisation of every report", REPORT + (
        C("organisation_id", "str", "The organisation's id in its report (org-N)"),
        C("key", "str", "The stable key: the normalised name (no legal form before a quoted name, short forms "
                        "spelt out, no year at the end)"),
        C("name", "str", "The name (nominative)"),
        C("kind", "str", "government | foreign_mission | business | education | culture | sport | ngo | other"),
        C("mentions", "int", "How often the report names it"))),
    Table("quantities", "Every quantity of every report", REPORT + (
        C("quantity_id", "str", "The quantity's id in its report (qty-N)"), C("value", "float", "The number"),
        C("unit", "str", "The counted thing (lemma)"), C("approximate", "bool", "около, более, свыше …"),
        C("measure", "str", "The named measure it reports (see series), when it is one"),
        C("text", "str", "Its first mention, as written"))),
    Table("series", "Named quantities over the years: delegations received and sent, events held, participants, "
                    "visitors, views (a quantity in a sentence that says what it counts; rules in series.toml)",
          REPORT + (C("measure", "str", "delegations_received | delegations_sent | events_held | participants | "
                                        "visitors | views"),
                    C("measure_ru", "str", "The measure in Russian"), C("value", "float", "The number"),
                    C("unit", "str", "The counted thing"), C("approximate", "bool", "около, более, свыше …"),
                    C("event", "str", "The title of the event whose sentences state it, when one does"),
                    C("evidence", "str", "The clause that states it"))),
    Table("tasks", "Next-year tasks and whether a later report of the same city reports them done. A first "
                   "heuristic: the task's content words in one sentence of the report of the task's year",
          REPORT + (C("task_id", "str", "The task's id in its report"), C("task_year", "int", "The year it is for"),
                    C("text", "str", "The task as written"),
                    C("outcome", "str", "done | not_done | not_reported | no_later_report (heuristic)"),
                    C("checked_in", "str", "The reports of the city and task year it was checked in"),
                    C("basis", "str", "words (content words shared with a sentence) | quantity (a number reached)"),
                    C("score", "float", "Share of the task's content words found in the evidence sentence"),
                    C("evidence", "str", "The sentence the outcome rests on"))),
)
BY_NAME = {t.name: t for t in TABLES}


def dictionary() -> str:
    """The data dictionary as Markdown (docs/compare-tables.md is this text)."""
    out = ["# `city-reports compare`: tables and columns", "",
           "Generated from `review/compare/tables.py` (a test checks this page is current). Every table is "
           "written as `<table>.csv` (UTF-8 with a BOM unless `--no-csv-bom`), `<table>.parquet` and a table of "
           "`compare.duckdb` with the same columns (their comments are these texts). Keys link one entity "
           "across reports; an empty cell is a null.", ""]
    for t in TABLES:
        out += [f"## {t.name}", "", t.doc + ".", "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in t.columns]
        out.append("")
    return "\n".join(out)
