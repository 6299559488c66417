"""What every format reader returns before the common cleaning steps."""
from dataclasses import dataclass, field


class IngestError(Exception):
    """A file that cannot be read as a report; the message is one clear line."""


@dataclass
class RawText:
    """Text as read from a file.

    `text` keeps the file's lines; pages are separated by form feeds ("\\f") so that the cleaner can
    find running headers, footers and page numbers. `headings` are lines the reader knows to be
    headings (from font size, bold or a Word heading style); the structure stage trusts them.
    """

    text: str
    format: str
    encoding: str | None = None
    pages: int | None = None
    headings: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
