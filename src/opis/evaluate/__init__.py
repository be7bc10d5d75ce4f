"""Measured, not assumed: the extractors' precision and recall on the shared corpora.

Each module computes its figures from the real corpora and returns them as data; ``report()``
turns them into the text that ``python -m opis.evaluate.<name>`` prints and docs/quality.md
records. Nothing here is used by ingest or search.
"""
