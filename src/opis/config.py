"""Every ``OPIS_*`` setting, declared once and read at the moment it is used.

**Why one registry.** Settings used to be read all over the package, some when a module was
imported: a test or a long-lived process that changed one saw the old value, nobody could list
them, and the README drifted from the code. Here each variable has one declaration (name, default,
kind, one line of help, the part of opis it affects); ``value(name)`` reads the environment *now*
and parses it, so a bad value is refused where it is used, naming the variable, the value and what
was expected (``BadSetting``). ``check()`` parses them all, for commands that should refuse a bad
setting before they start. The README's "Settings" table is this registry written out, and
``tests/test_settings_registry.py`` keeps the two the same.

**Why only here.** This is the one module that touches ``os.environ``: it reads it, points Django
at the data directory for the command line (``configure_django``) and copies it for the programs
opis runs (``child_environment``). Options of one run (``opis ingest --ocr``) travel as arguments,
never through the environment, where forked workers would inherit them by accident.

It sits at the bottom of the layers (``tests/test_layers.py``): Django need not be configured, and
it imports nothing from opis but ``opis.errors``.
"""

import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opis.errors import BadSetting

OCR_MODES = ("auto", "always", "never")
SECRET_KEY_FILE = "secret_key"


@dataclass(frozen=True)
class Kind:
    """How a setting's text becomes a value: ``parse`` raises ValueError on text that is not
    ``expects``."""

    expects: str
    parse: Callable[[str], Any]


def _above_zero(number: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        parsed = number(text)
        if not parsed > 0:
            raise ValueError(text)
        return parsed

    return parse


def _not_negative(text: str) -> int:
    parsed = int(text)
    if parsed < 0:
        raise ValueError(text)
    return parsed


def _flag(text: str) -> bool:
    if text.strip() not in ("0", "1"):
        raise ValueError(text)
    return text.strip() == "1"


def _choice(*options: str) -> Kind:
    def parse(text: str) -> str:
        chosen = text.strip().lower()
        if chosen not in options:
            raise ValueError(text)
        return chosen

    return Kind(f"one of {', '.join(options)}", parse)


def _pattern(*groups: str) -> Kind:
    def parse(text: str) -> re.Pattern:
        compiled = re.compile(text)
        if not set(groups) <= set(compiled.groupindex):
            raise ValueError(text)
        return compiled

    named = ", ".join(f"(?P<{group}>…)" for group in groups)
    return Kind(f"a regular expression with the named groups {named}", parse)


def _postgres_url(text: str) -> str:
    if text.strip() and not re.match(r"postgres(ql)?://", text.strip()):
        raise ValueError(text)
    return text.strip()


TEXT = Kind("text", str.strip)
SECRET = Kind("text", str)  # kept exactly as given
PATH = Kind("a path", lambda text: Path(text.strip()) if text.strip() else None)
FLAG = Kind("1 (on) or 0 (off)", _flag)
WHOLE = Kind("a whole number above 0", _above_zero(int))
NUMBER = Kind("a number above 0", _above_zero(float))
SECONDS = Kind("a whole number of seconds, 0 for none", _not_negative)
NAMES = Kind("names separated by commas", lambda text: [n.strip() for n in text.split(",")])
POSTGRES_URL = Kind("a postgresql://user:password@host:port/name URL", _postgres_url)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it would be written in the environment; "" for none
    kind: Kind
    help: str  # one line: what it sets
    affects: str  # the part of opis that reads it
    shown_default: str = ""  # the default as people read it, where ``default`` cannot say it

    def default_text(self) -> str:
        return self.shown_default or (f"`{self.default}`" if self.default else "none")


_DECLARED = (
    Setting("OPIS_DATA", "opis-data", PATH, "data directory: catalogue, search index, originals, "
            "secret key; `--data` wins over it", "everything", "`./opis-data`"),
    Setting("OPIS_DATABASE_URL", "", POSTGRES_URL, "`postgresql://user@host/db` (or "
            "`?host=/socket/dir`) for a PostgreSQL catalogue", "catalogue",
            "SQLite in the data directory"),
    Setting("OPIS_SECRET_KEY", "", SECRET, "Django's secret key (signed cookies)", "web",
            "made once and kept in `<data>/secret_key`"),
    Setting("OPIS_DEBUG", "0", FLAG, "`1` shows Django's debug pages; never on a server", "web"),
    Setting("OPIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver", NAMES,
            "host names the web server answers to, separated by commas", "web"),
    Setting("OPIS_API_RATE_LIMIT", "120/minute", TEXT, "requests per client to `/api/`, `/search` "
            "and `/oai` (an export counts 10, a scan page rendered 5), e.g. `10/second`, "
            "`10000/day`; `0` for no limit", "web"),
    Setting("OPIS_TRUST_X_FORWARDED_FOR", "0", FLAG, "`1` behind one reverse proxy that appends "
            "the client's address to X-Forwarded-For", "web"),
    Setting("OPIS_HTTPS", "0", FLAG, "`1` when served over HTTPS: redirect to https, HSTS for a "
            "year, secure session and CSRF cookies (docs/accounts.md)", "web"),
    Setting("OPIS_SEARCH_CACHE_SECONDS", "60", SECONDS, "how long a search's results and "
            "an anonymous reader's search page are reused (an ingest or edit ends it sooner); "
            "`0` for never", "web"),
    Setting("OPIS_OAI_PAGE_SIZE", "100", WHOLE, "records per OAI-PMH ListRecords or "
            "ListIdentifiers page", "oai"),
    Setting("OPIS_OAI_REPOSITORY_IDENTIFIER", "", TEXT, "the `<identifier>` of OAI-PMH's "
            "`oai:<identifier>:<id>`", "oai", "the host name a request came to"),
    Setting("OPIS_OAI_ADMIN_EMAIL", "archivist@opis.invalid", TEXT, "the adminEmail OAI-PMH's "
            "Identify gives", "oai"),
    Setting("OPIS_INDEX_RETENTION_HOURS", "168", NUMBER, "how long the index log keeps a change "
            "that a registered index has not applied; an index further behind rebuilds itself "
            "(docs/deploying.md)", "search"),
    Setting("OPIS_INDEX_POLL_SECONDS", "1", NUMBER, "how often `opis index follow` looks for "
            "changes to apply", "search"),
    Setting("OPIS_INGEST_BATCH", "2000", WHOLE, "files read per ingest batch (at most; see "
            "the next two)", "ingest"),
    Setting("OPIS_INGEST_BATCH_MB", "16", NUMBER, "the most bytes of files read per ingest "
            "batch, in MB (a larger file is a batch of its own; one read part by part is "
            "written in transactions of about this much text)", "ingest"),
    Setting("OPIS_INGEST_BATCH_RECORDS", "5000", WHOLE, "records written per ingest transaction "
            "(whole files: one holding more is a transaction of its own; each commits whole or "
            "not at all)", "ingest"),
    Setting("OPIS_MAX_UNPACKED_MB", "4096", NUMBER, "the most a zip file given to ingest may "
            "unpack to, in MB", "ingest"),
    Setting("OPIS_MAX_TEXT_FILE_MB", "20", NUMBER, "largest text record a reader accepts, "
            "in MB", "readers"),
    Setting("OPIS_OCR", "auto", _choice(*OCR_MODES), "OCR of scans: `auto` (pages without a "
            "usable text layer), `always`, `never`; `opis ingest --ocr` wins over it", "readers"),
    Setting("OPIS_OCR_LANGUAGES", "eng+rus", TEXT, "Tesseract languages for scans whose "
            "metadata names none", "readers"),
    Setting("OPIS_OCR_PAGE_TIMEOUT", "180", NUMBER, "seconds Tesseract may spend on one page",
            "readers"),
    Setting("OPIS_FILENAME_PATTERN",
            r"^(?P<country>[A-Z]{3})_(?P<session>\d{1,2})_(?P<year>\d{4})\.txt$",
            _pattern("country", "session", "year"), "how UN General Debate file names map to "
            "country, session and year; also which `.txt` files that reader recognises",
            "readers", "`ISO3_SESSION_YEAR.txt`, e.g. `GRC_05_1950.txt`"),
    Setting("OPIS_ORGANIZATION", "opis", TEXT, "the Source-Organization of exported BagIt bags",
            "export"),
    Setting("OPIS_CORPORA", "", PATH, "the shared corpora (`opis eval`, the people authority)",
            "evaluate", "`../shared/corpora`, else `./shared/corpora`, from the working folder"),
    Setting("OPIS_HSG_PEOPLE", "", PATH, "the Office of the Historian people tarball", "understand",
            "`hsg-authority/people/people-data.tar.gz` in the shared corpora, if there"),
    Setting("OPIS_CACHE", "", PATH, "where derived, shareable caches live (the people "
            "authority's name forms)", "understand", "`$XDG_CACHE_HOME/opis` or `~/.cache/opis`"),
)  # fmt: skip
SETTINGS: dict[str, Setting] = {setting.name: setting for setting in _DECLARED}


def value(name: str) -> Any:
    """The setting's value now: the environment's if set (and not blank), else the default."""
    setting = SETTINGS[name]
    given = os.environ.get(name, "")
    if not given.strip():
        return setting.kind.parse(setting.default)
    try:
        return setting.kind.parse(given)
    except (ValueError, re.error):
        raise BadSetting(
            f"{name}={given!r} is not valid: expected {setting.kind.expects} "
            f"(default {setting.default_text()}); {setting.help}"
        ) from None


def check() -> None:
    """Parse every setting now: a BadSetting for the first bad one, before any work starts."""
    for name in SETTINGS:
        value(name)


def data_dir() -> Path:
    return value("OPIS_DATA").resolve()


def shared_corpora() -> Path:
    """Where the shared corpora are: ``$OPIS_CORPORA``, else ``../shared/corpora`` or else
    ``./shared/corpora`` from the working folder (``make`` and the tests run in the checkout, which
    lies beside ``shared/``); the first of the two when neither is there."""
    configured = value("OPIS_CORPORA")
    if configured:
        return configured
    here = Path.cwd()
    candidates = [here.parent / "shared" / "corpora", here / "shared" / "corpora"]
    return next((folder for folder in candidates if folder.is_dir()), candidates[0])


def cache_folder() -> Path:
    """``$OPIS_CACHE``, else ``$XDG_CACHE_HOME/opis`` (``~/.cache/opis``)."""
    configured = value("OPIS_CACHE")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "opis"


def secret_key(data: Path) -> str:
    """``$OPIS_SECRET_KEY``, else the key kept in ``<data>/secret_key``, made on first use.

    The file is written whole under a temporary name (mode 0600) and then hard-linked into place,
    which fails if the name exists: of two processes starting at once, one key wins and both read
    it; nobody ever reads half a key."""
    configured = value("OPIS_SECRET_KEY")
    if configured:
        return configured
    path = Path(data) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".secret_key-", dir=path.parent)  # 0600
        try:
            with os.fdopen(handle, "w", encoding="ascii") as file:
                file.write(secrets.token_urlsafe(50))
                file.flush()
                os.fsync(file.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: its key is the key
            except OSError:  # no hard links on this file system: claim the name, then fill it
                _write_new(path, Path(temporary).read_text(encoding="ascii"))
        finally:
            os.unlink(temporary)
    return _read_key(path)


def _write_new(path: Path, key: str) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(key)


def _read_key(path: Path) -> str:
    for _ in range(50):  # where the file was claimed before it was filled: a moment
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.02)
    raise BadSetting(f"{path} is empty; delete it (a new key is made) or set OPIS_SECRET_KEY")


def configure_django(data: str | Path | None = None) -> None:
    """Point Django at opis's settings and, when given (``opis --data``), at a data directory."""
    if data:
        os.environ["OPIS_DATA"] = str(Path(data).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opis.settings")


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment with ``extra`` set: for the programs opis runs (Tesseract)."""
    return {**os.environ, **extra}


def markdown_table() -> str:
    """The README's "Settings" table, written from the registry."""
    rows = ["| variable | what it sets | default | read by |", "|---|---|---|---|"]
    for s in _DECLARED:
        rows.append(f"| `{s.name}` | {s.help} | {s.default_text()} | {s.affects} |")
    return "\n".join(rows)
