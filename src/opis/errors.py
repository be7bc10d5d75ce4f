"""Domain exceptions that know their HTTP status and CLI exit code.

They are translated once in the web layer (``opis.web``) and once in the CLI (``opis.cli``),
so library code raises them and never prints.
"""


class OpisError(Exception):
    """Base of every error opis reports to a person."""

    http_status = 500
    exit_code = 1
    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(OpisError):
    http_status = 404
    exit_code = 3
    code = "not_found"


class BadQuery(OpisError):
    """A search string that cannot be understood; the message says how to fix it."""

    http_status = 400
    exit_code = 2
    code = "bad_query"


class NotSignedIn(OpisError):
    """A write, or staff's view, asked for without an account (or with an unknown token)."""

    http_status = 401
    exit_code = 4
    code = "not_signed_in"


class Forbidden(OpisError):
    """Signed in, but the account's role does not allow this."""

    http_status = 403
    exit_code = 4
    code = "forbidden"


class VersionConflict(OpisError):
    """A change made from a stale version of a record; ``current`` is the record as it is now."""

    http_status = 409
    exit_code = 5
    code = "version_conflict"

    def __init__(self, message: str, current: dict | None = None):
        super().__init__(message)
        self.current = current


class BadEdit(OpisError):
    """A curator's change that cannot be made; ``field`` names the field, the message the rule."""

    http_status = 422
    exit_code = 2
    code = "invalid_edit"

    def __init__(self, message: str, field: str = ""):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class PreconditionRequired(OpisError):
    """A change sent without ``If-Match`` (the version it was made from)."""

    http_status = 428
    exit_code = 2
    code = "precondition_required"


class BadSetting(OpisError):
    """An ``OPIS_*`` setting that cannot be used; the message says which, and what it takes."""

    exit_code = 2
    code = "bad_setting"


class ReaderError(OpisError):
    """A file that a reader cannot turn into records; ``where`` names the place in the file."""

    http_status = 422
    exit_code = 4
    code = "unreadable"

    def __init__(self, reason: str, where: str = ""):
        super().__init__(reason)
        self.where = where
        self.reason = reason


class IngestFailed(OpisError):
    """Raised by the CLI when a batch finished with failures (the report says which)."""

    exit_code = 4
    code = "ingest_failed"


class ArchiveBusy(OpisError):
    """Another process is writing to the archive; SQLite's archive takes one writer at a time."""

    http_status = 503
    exit_code = 5
    code = "archive_busy"


class UnknownLayout(ReaderError):
    """No reader recognises the file: it fails, named on the command line or met in a folder."""


class NotADocument(ReaderError):
    """The file is a corpus's data, not a document (``readers.not_documents`` says what it is).
    Named on the command line it fails; met in a folder walk it is set aside and listed."""
