"""City reports pipeline: ingest, structure and extraction stages as plain functions."""

__version__ = "0.1.0"
