"""What a corpus folder holds beside its documents, recognised for what it is.

A file no reader recognises fails, even in a folder walk (issue 12: files whose layout detection
missed were listed as skipped, and a person took "skipped" for "nothing there"). A corpus folder
also holds data that is not documents at all. The Office of the Historian ships its authority
files (principal officers, presidents' and secretaries' travels, foreign leaders' visits, code
tables) as XML beside its TEI volumes, and a corpus carries lookup tables (DFAT's barcodes). Those
are recognised here, by their layout and never by their names, and the reason says what each is.
Met in a folder walk such a file is set aside and listed; named on the command line it fails,
saying the same.

A table that names a document's fields but lacks one it needs (a catalogue with titles and no
texts) is not set aside: the tabular reader says which column is missing and how to map it.
"""

import re

from opis.readers.source import SourceFile
from opis.readers.tabular import DOCUMENT_FIELDS, column_mapping, csv_header

# Root elements of the Office of the Historian's authority data (github.com/HistoryAtState:
# pocom, travels, visits). Each file is one record, or a list of them, about people and
# appointments; none is a document.
AUTHORITY_ROOTS = {
    "person": "a person's record",
    "country-mission": "the chiefs of mission to one country",
    "org-mission": "the chiefs of mission to one organisation",
    "principal-position": "the holders of one principal office",
    "concurrent-appointments": "a concurrent appointment",
    "role": "a role's title",
    "code-table": "a code table",
    "trips": "the foreign trips of one traveller",
    "presidents": "the list of presidents",
    "visits": "foreign leaders' visits",
}
PROLOGUE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>|\s+)*", re.S)
START_TAG = re.compile(r"<(?:[\w.\-]+:)?([A-Za-z_][\w.\-]*)[\s/>]")


def what_it_is(source: SourceFile, head: str) -> str:
    """Why this file, which no reader recognised, is not a document; "" when it may well be one
    (then it fails as a layout nobody recognises)."""
    suffix = source.path.suffix.lower()
    if suffix == ".xml":
        return _authority_record(head)
    if suffix == ".csv":
        return _data_table(head)
    return ""


def root_element(head: str) -> str:
    """The local name of the first element, past the XML declaration, comments and DOCTYPE."""
    text = head.lstrip("\ufeff")
    start = PROLOGUE.match(text)
    found = START_TAG.match(text, start.end() if start else 0)
    return found.group(1) if found else ""


def _authority_record(head: str) -> str:
    root = root_element(head)
    if root not in AUTHORITY_ROOTS:
        return ""
    what = AUTHORITY_ROOTS[root]
    return f"authority data, not a document: <{root}>, {what} (Office of the Historian)"


def _data_table(head: str) -> str:
    """A table none of whose columns is a document's field: a lookup table, not documents."""
    names = csv_header(head)
    if not names or DOCUMENT_FIELDS & set(column_mapping(names)):
        return ""
    return f"a data table, not documents: its columns ({', '.join(names)}) name no title or text"
