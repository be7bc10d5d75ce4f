"""The catalogue's tables, one module per concern; every model is importable from here.

- ``catalogue``: documents, their texts, footnotes, archival locations, agents, mentions,
  threads, collections, originals and tombstones (the record proper);
- ``indexing``: the index log and the indexes that follow it;
- ``curation``: versions, the review queue, the audit trail, corrections, curators' scopes,
  person merges and recorded names;
- ``users``: API tokens, saved searches, research notes and folders.
"""

from opis.records.models.catalogue import (
    Agent,
    AgentRole,
    AgentRoleKind,
    ArchivalLocation,
    Collection,
    DatePrecision,
    Deletion,
    Document,
    Footnote,
    IngestRun,
    Mention,
    Original,
    Status,
    Text,
    TextRole,
    ThreadLink,
)
from opis.records.models.curation import (
    AppendOnlyQuerySet,
    AuditEvent,
    Correction,
    CuratorScope,
    PersonMerge,
    PersonName,
    RecordVersion,
    ReviewItem,
)
from opis.records.models.indexing import (
    IndexChange,
    IndexFollower,
)
from opis.records.models.users import (
    ApiToken,
    Folder,
    FolderItem,
    ResearchNote,
    SavedSearch,
)

__all__ = [
    "DatePrecision",
    "TextRole",
    "Status",
    "AgentRoleKind",
    "Collection",
    "IngestRun",
    "Document",
    "Text",
    "Footnote",
    "ArchivalLocation",
    "Agent",
    "AgentRole",
    "Mention",
    "ThreadLink",
    "Original",
    "Deletion",
    "IndexChange",
    "IndexFollower",
    "RecordVersion",
    "ReviewItem",
    "AppendOnlyQuerySet",
    "AuditEvent",
    "Correction",
    "CuratorScope",
    "PersonMerge",
    "PersonName",
    "ApiToken",
    "SavedSearch",
    "ResearchNote",
    "Folder",
    "FolderItem",
]
