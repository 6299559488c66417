"""`city-reports schema` and `diff-schema`: the published JSON Schemas (committed under models/)."""
import sys


def schema() -> None:
    """Print the JSON Schema of a report document."""
    from models import json_schema

    sys.stdout.write(json_schema())


def diff_schema() -> None:
    """Print the JSON Schema of `diff --format json` (committed as models/diff.schema.json)."""
    from review.diff import json_schema

    sys.stdout.write(json_schema())
