"""opis — a digital archive for historical diplomatic documents.

The package follows the path a document travels: ``readers`` (read) →
``understand`` → ``ingest`` and ``records`` (store) → ``search`` (find) →
``web`` and ``cli`` (present).
"""

__version__ = "0.1.0"
