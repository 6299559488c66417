from pipeline.ingest.raw import IngestError


def read_rtf(data: bytes):
    raise IngestError("not yet")
