"""Plain-text reports in any common encoding."""
from pipeline.ingest.decode import decode
from pipeline.ingest.raw import RawText


def read_txt(data: bytes) -> RawText:
    text, encoding = decode(data)
    return RawText(text=text, format="txt", encoding=encoding, pages=text.count("\f") + 1 if "\f" in text else None)
