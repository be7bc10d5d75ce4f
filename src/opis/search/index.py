"""The Tantivy index: schema, analyzer and where it lives.

The index is derived from the catalogue and can always be rebuilt (``opis reindex``). Its schema
carries a version; an index written by another version is set aside and rebuilt rather than
misread (the next application of the index log builds it again). One analyzer (simple tokens,
lower case, ASCII folding, English stemming) is used both to index and to analyse query words, so
the two always agree.
"""

import fcntl
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import tantivy
from django.conf import settings

from opis.records.index_log import unregister
from opis.search import follower
from opis.understand.citation import REPOSITORIES

# 3: status, public_from (publication); 4: place_id; 5: body_pairs (phrases); 6: text_pairs;
# 7: years (date filters)
SCHEMA_VERSION = 7
ANALYZER = "opis_text"
PREFIX_ANALYZER = "opis_words"
PAIRS_ANALYZER = "opis_pairs"  # the pairs field: tokens made in Python, split on spaces only
MAX_TOKEN = 60  # longer "words" are dropped by both analyzers
# Searched by plain words, with their boosts: the title counts three times the body.
TEXT_FIELDS = {"title": 3.0, "summary": 1.5, "body": 1.0, "extra": 1.0, "person": 1.0}
# Searched only when a query names them (``from:Moscow``); query field -> index field.
FIELD_TEXT = {
    "title": "title", "person": "person", "signed_as": "signed_as",
    "from": "from_text", "to": "to_text", "via": "via_text",
}  # fmt: skip
PREFIX_FIELD = "words"  # every text unstemmed: a prefix must meet words, not stems
# Every year a record's dates touch, so that a date filter finds its few years' records through
# the index's terms before testing their days; the days alone were a test of every record's
# (``compile.Compiler._dated``). A record spanning more than MOST_YEARS has LONG_SPAN instead.
YEARS_FIELD = "years"
MOST_YEARS = 100
LONG_SPAN = 0  # no year of a date (they begin at 1), so no filter's range of years holds it
PAIRS_FIELD = "text_pairs"  # pairs of adjacent common words in TEXT_FIELDS (search.common_pairs)

_lock = threading.Lock()
_open: dict[Path, tantivy.Index] = {}
_reloading = threading.Lock()
_seen: dict[Path, str] = {}  # the commit each open index's reader was last brought up to


def archive_key(name: str) -> str:
    """Repository names compared without case, spaces or dots: "AVP RF" = "avprf" = "AVPRF"."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


_ARCHIVE_ALIASES = {archive_key(k): archive_key(v) for k, v in REPOSITORIES.items()}


def canonical_archive_key(name: str) -> str:
    key = archive_key(name)
    return _ARCHIVE_ALIASES.get(key, key)


def day_number(day) -> int:
    """A day as the integer the index keeps and ranges compare: 1950-07-13 → 19500713."""
    return day.year * 10000 + day.month * 100 + day.day


# ``public_from`` for a record readers never see until someone publishes it (draft, withdrawn).
NEVER_PUBLIC = 99_991_231


def public_from(status: str, embargo_until) -> int:
    """The first day (a ``day_number``) readers may find a record: 0 when published, the embargo's
    end when embargoed, never for a draft or a withdrawn record. Readers' searches keep hits whose
    ``public_from`` is today or earlier, so an embargo lifts by itself, without a reindex."""
    if status == "published":
        return 0
    if status == "embargoed" and embargo_until is not None:
        return day_number(embargo_until)
    return NEVER_PUBLIC


def _words() -> tantivy.TextAnalyzerBuilder:
    """Words as Unicode letters and digits, lower case, accents folded (Chou = Chóu)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )


def analyzer() -> tantivy.TextAnalyzer:
    """The words, stemmed: "fighters" finds "fighter"."""
    return _words().filter(tantivy.Filter.stemmer("english")).build()


def prefix_analyzer() -> tantivy.TextAnalyzer:
    """The words unstemmed: a prefix must not be cut short by the stemmer."""
    return _words().build()


def fold_analyzer() -> tantivy.TextAnalyzer:
    """The text fields' words before stemming, long ones kept: what the pairs of common words
    are made from (``search.common_pairs``; a long word breaks a run, as its gap does in the
    field)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def stem_analyzer() -> tantivy.TextAnalyzer:
    """One folded word, stemmed as the text fields stem it."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for name in ("title", "summary", "body"):
        builder.add_text_field(name, stored=True, tokenizer_name=ANALYZER)
    for name in ("extra", "person", "signed_as", "from_text", "to_text", "via_text"):
        builder.add_text_field(name, stored=False, tokenizer_name=ANALYZER)
    builder.add_text_field(PREFIX_FIELD, stored=False, tokenizer_name=PREFIX_ANALYZER)
    builder.add_text_field(PAIRS_FIELD, stored=False, tokenizer_name=PAIRS_ANALYZER)
    for name in ("doc_type", "lang", "repository", "collection", "archive_key", "person_id",
                 "number", "fond", "classification", "place_id"):  # fmt: skip
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    builder.add_text_field("date_display", stored=True, tokenizer_name="raw")
    builder.add_text_field("precision", stored=True, tokenizer_name="raw")
    builder.add_text_field("status", stored=True, tokenizer_name="raw")
    for name in ("year", "date_start", "date_end", "public_from"):
        builder.add_integer_field(name, stored=True, indexed=True, fast=True)
    builder.add_integer_field(YEARS_FIELD, stored=False, indexed=True, fast=False)
    return builder.build()


def years_covered(start, end) -> list[int]:
    """The ``YEARS_FIELD`` values of a record dated from ``start`` to ``end``: every year its
    dates touch, or ``LONG_SPAN`` alone for an interval of more than ``MOST_YEARS`` years (or
    one that ends before it starts), which every date filter then tests day by day."""
    if end.year < start.year or end.year - start.year >= MOST_YEARS:
        return [LONG_SPAN]
    return list(range(start.year, end.year + 1))


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def open_index(directory: Path | None = None) -> tantivy.Index:
    """The index for this data directory, created when absent, rebuilt when of another version.

    Several processes may open a new folder's index at once (two ingests on one PostgreSQL
    catalogue, the workers of ``opis serve``): the look at its version, setting it aside and
    creating it happen under a lock beside the folder, and the version file is written whole, so
    no process takes another's half-made index for an old one and removes it from under it."""
    directory = Path(directory or index_dir())
    with _lock:
        if directory in _open:
            return _open[directory]
        directory.parent.mkdir(parents=True, exist_ok=True)
        with open(directory.parent / f".{directory.name}.lock", "a") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # let go when the file is closed
            index = _open_locked(directory)
        _open[directory] = index
        return index


def _open_locked(directory: Path) -> tantivy.Index:
    version_file = directory / "opis-index.json"
    written = version_file.exists() or (directory / "meta.json").exists()
    if written and _version(version_file) != SCHEMA_VERSION:
        _forget_follower(directory)
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    index = handle(directory)
    if not version_file.exists():
        written_to, temporary = tempfile.mkstemp(prefix=".opis-index-", dir=directory)
        with os.fdopen(written_to, "w") as out:
            out.write(json.dumps({"schema_version": SCHEMA_VERSION}))
        os.replace(temporary, version_file)
    return index


def handle(directory: Path) -> tantivy.Index:
    """A new handle on the index in ``directory``, with opis's analyzers: what ``open_index``
    keeps, one per process, and what another process's handle on the same folder is."""
    index = tantivy.Index(build_schema(), path=str(directory), reuse=True)
    index.register_tokenizer(ANALYZER, analyzer())
    index.register_tokenizer(PREFIX_ANALYZER, prefix_analyzer())
    index.register_tokenizer(
        PAIRS_ANALYZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    )
    return index


def see_commit(identity: str, directory: Path | None = None) -> None:
    """Make this process's searches see at least the commit named ``identity`` (the identity of
    ``meta.json`` that a web process keys its kept pages and searches with).

    A Tantivy reader notices another process's commit by polling ``meta.json`` (every half
    second); a search run in that gap under the new commit's key would keep the old answer for
    as long as answers are kept. So the first look at a new commit reloads the reader here, once
    per commit and process, and only an index this process has open (a new one reads the latest
    commit anyway)."""
    directory = Path(directory or index_dir())
    with _lock:
        index = _open.get(directory)
        if index is None or _seen.get(directory) == identity:
            return
    with _reloading:  # a thread asking meanwhile waits for this reload, not searching before it
        if _seen.get(directory) == identity:
            return
        try:
            index.reload()
        except ValueError:  # a segment merged away while read: the next request tries again
            return
        _seen[directory] = identity


def commit_identity(directory: Path | None = None) -> tuple[str, float | None]:
    """The index's last commit, by one ``stat`` of ``meta.json`` (Tantivy replaces that file whole
    at every commit): its identity, and when it was made (epoch seconds); ("empty", None) before
    the first commit."""
    try:
        meta = (Path(directory or index_dir()) / "meta.json").stat()
    except OSError:
        return "empty", None
    return f"{meta.st_ino}.{meta.st_mtime_ns}.{meta.st_size}", meta.st_mtime


def snapshot(index: tantivy.Index) -> tuple[tantivy.Searcher, str | None]:
    """A searcher, with the identity of the commit it reads when that is certain, or None.

    Tantivy does not say which commit a searcher reads. Brought up to the commit on disk before
    it was taken (``see_commit``), it reads that commit or a later one; it cannot read one newer
    than the commit on disk after it was taken. When the two looks agree, it reads that one. What
    is kept per commit (``search.facets``' totals) is kept only under such an identity."""
    before, _ = commit_identity()
    see_commit(before)
    searcher = index.searcher()
    after, _ = commit_identity()
    return searcher, (before if before == after and before != "empty" else None)


def _forget_follower(directory: Path) -> None:
    """An index set aside starts again empty, and with no position it is built from the catalogue
    by the next application of the log (``opis serve`` starts with one, as does every ingest); its
    old registration would only hold the log back."""
    state = follower.load(directory)
    if state is not None:
        unregister(state.follower)


def forget_open_indexes() -> None:
    """Close cached handles (tests and ``reindex`` use this before removing a directory)."""
    with _lock:
        _open.clear()
        _seen.clear()


def _version(path: Path) -> int | None:
    try:
        return json.loads(path.read_text()).get("schema_version")
    except (OSError, ValueError):
        return None
