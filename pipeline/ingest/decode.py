"""Bytes of a text file -> str, with the encoding that was used."""
import codecs

from charset_normalizer import from_bytes

from pipeline.ingest.raw import IngestError

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Single-byte Cyrillic encodings a Russian report may come in; charset-normalizer picks among them.
CYRILLIC = ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"]


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises IngestError for empty or binary content."""
    if not data.strip():
        raise IngestError("empty file")
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name), name)
            except UnicodeDecodeError as e:
                raise IngestError(f"binary content: not {name} after its byte-order mark (byte {e.start})") from e
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise IngestError("binary content: NUL bytes in a text file")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CYRILLIC).best()
    if best is None:
        raise IngestError("binary content: no text encoding fits")
    return _checked(str(best), best.encoding)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text has a NUL in every other byte for ASCII and in none for Cyrillic: check both."""
    if len(data) % 2:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        letters = sum(ch.isalpha() or ch.isspace() for ch in text)
        if letters / max(len(text), 1) > 0.8 and any("\u0400" <= ch <= "\u04ff" for ch in text):
            return _checked(text, name)
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    text = text.lstrip("\ufeff")
    bad = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f")
    if bad > max(3, len(text) // 100):
        raise IngestError(f"binary content: {bad} control characters after decoding as {encoding}")
    if not text.strip():
        raise IngestError("empty file")
    return text, encoding
