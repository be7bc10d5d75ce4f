"""Ingest: files in, records out, with a report of every file (see ``pipeline``)."""

from opis.ingest.pipeline import ingest_paths
from opis.ingest.report import Failure, IngestReport

__all__ = ["Failure", "IngestReport", "ingest_paths"]
