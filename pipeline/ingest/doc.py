from pipeline.ingest.raw import IngestError


def read_doc(data: bytes):
    raise IngestError("not yet")
