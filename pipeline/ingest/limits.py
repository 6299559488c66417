"""Limits on what one input file may expand to (issue 19): every flate stream of a PDF, the text read.
The limits are data (pipeline/rules/limits.toml, [expansion]); a file over one fails alone with a
one-line IngestError, and the batch goes on (a PDF stream past its bound makes its page unreadable,
with a warning). Zip packages (DOCX, ODT) are checked before any reader opens them: pipeline.files.check_zip.
"""
import zlib

from pipeline import rules
from pipeline.ingest.raw import IngestError

LIMITS = rules.load("limits")["expansion"]


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f} MB"


def check_text(text: str) -> None:
    if len(text) > LIMITS["text_chars"]:
        raise IngestError(f"too much text: {len(text):,} characters read (limit {LIMITS['text_chars']:,}, "
                          f"limits.toml expansion.text_chars)")


class BoundedZlib:
    """zlib for pdfminer's flate streams, with `decompress` bounded by expansion.pdf_stream_bytes."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def decompress(data, wbits=zlib.MAX_WBITS, bufsize=zlib.DEF_BUF_SIZE):
        limit = LIMITS["pdf_stream_bytes"]
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, limit + 1)
        if len(out) > limit:
            raise IngestError(f"a PDF stream expands past {_mb(limit)} (limits.toml expansion.pdf_stream_bytes)")
        return out + d.flush()


def bound_pdf_streams() -> None:
    """Point pdfminer's flate decoding at BoundedZlib (once per process)."""
    from pdfminer import pdftypes

    if not isinstance(pdftypes.zlib, BoundedZlib):
        pdftypes.zlib = BoundedZlib()
