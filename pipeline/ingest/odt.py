from pipeline.ingest.raw import IngestError


def read_odt(data: bytes):
    raise IngestError("not yet")
