"""Opening a PDF: the signature check and one-line messages for files that cannot be opened."""
from __future__ import annotations

from ..raw import IngestError


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def check_signature(data: bytes) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise IngestError(f"not a PDF: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data.strip():
        raise IngestError("not a PDF: the file is empty")
    if b"%PDF-" not in data[:1024]:
        head = data[:16]
        raise IngestError(f"not a PDF: no %PDF header at the start of the file (starts with {head!r})")


def open_error(exc: BaseException) -> IngestError:
    inner = exc
    # pdfplumber's PdfminerException carries the original pdfminer exception as its argument
    if exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    name = type(inner).__name__
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(inner, PDFPasswordIncorrect) or name == "PDFPasswordIncorrect":
        return IngestError("encrypted PDF: it cannot be opened without a password")
    if isinstance(inner, PDFEncryptionError) or "encrypt" in name.lower():
        return IngestError(f"encrypted PDF: unsupported encryption ({one_line(inner)})")
    detail = one_line(inner)
    if name in ("PSEOF",) or "EOF" in detail:
        return IngestError(f"corrupt PDF: the file is truncated or damaged ({detail})")
    return IngestError(f"corrupt PDF: {detail}")
