"""Understanding documents: dates, languages, document types, archival citations, agents.

Every function here takes text as written and returns structure plus the raw text, never raising on
odd input: what cannot be understood is left for a note on the record, not guessed.
"""
