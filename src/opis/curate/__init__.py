"""Curation: a curator's edits, each a new version of the record with who, when and why.

The versioned unit is the record as JSON (``records.serialize.document_json``): an edit is the
current record with some fields changed, turned back into a draft (``readers.opis_jsonl``),
validated as ingest validates, and written by the catalogue writer that ingest uses, so an edited
record is stored, indexed and served exactly as an ingested one. ``edit`` makes and restores
versions, ``fields`` checks what a curator sends, ``history`` reads versions back, ``review``
settles fields where source and curation disagree, ``corrections`` takes readers' proposals.
"""
