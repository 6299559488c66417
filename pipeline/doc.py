"""`ReportDoc`: the one carrier of a report through the stages (pipeline.stage).

It starts with the input (a file's path and bytes, or a text) and every stage adds its layer: the
field it `assigns`. Offsets everywhere are character offsets into `text`, the cleaned text.
"""
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.layers import DateHit, EventHit, Layout, OrganisationHit, PersonHit, PlaceHit, QuantityHit, ReportFacts, Structure
from pipeline.tokens import Tok

if TYPE_CHECKING:
    from pipeline.ingest.tables import Table


@dataclass(eq=False)
class ReportDoc:
    # the input
    path: Path | None = None
    data: bytes = b""
    report_id: str | None = None
    facts: ReportFacts | None = None   # a later part of a long report: what its first part fixed (pipeline.parts)
    # ingest
    raw: Any = None                    # the reader's result (pipeline.ingest.RawText): format, encoding, pages
    text: str = ""                     # the cleaned text
    headings: list[str] = field(default_factory=list)      # headings the reader knew (PDF fonts, Word styles)
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (code, message) from the stages
    page_starts: list[int] = field(default_factory=list)   # a PDF's page starts in `text`; [] for other formats
    # layers
    layout: Layout | None = None       # news furniture: headline, dateline, rubric, byline, captions, sources
    structure: Structure | None = None
    natasha: Any = None                # natasha.Doc: sentences, tokens with morphology, NER spans
    tokens: list[Tok] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    syntax: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # sentence start -> (head, rel) per token
    places: list[PlaceHit] = field(default_factory=list)
    locations: list[tuple[int, int]] = field(default_factory=list)  # every location mention, places or not
    city: PlaceHit | None = None       # the reporting city, one of `places`
    organisations: list[OrganisationHit] = field(default_factory=list)
    persons: list[PersonHit] = field(default_factory=list)
    dates: list[DateHit] = field(default_factory=list)
    date_spans: list[tuple[int, int]] = field(default_factory=list)   # every date phrase, dated or not
    anchor: str | None = None          # the item's own date (ISO day or year): what "вчера", undated events count from
    quantities: list[QuantityHit] = field(default_factory=list)
    events: list[EventHit] = field(default_factory=list)
    tables: "list[Table]" = field(default_factory=list)   # ingest: the tables, cells as offsets into `text`
    confidence: dict[tuple, float] = field(default_factory=dict)  # (category, item key) -> confidence (pipeline.confidence)

    def span_tokens(self, a: int, b: int) -> range:
        """Indices of the tokens that start inside text[a:b]."""
        return range(bisect_left(self.token_starts, a), bisect_left(self.token_starts, b))
