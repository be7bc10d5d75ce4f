"""A file on its way in: its bytes, checksum and decoded text, with the checks every reader needs.

Decoding lives here once so that every reader refuses the same bad input with the same clear words:
empty files, binary files, files too large to be a text record, and text that is not UTF-8.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from opis import config
from opis.checksum import file_sha256
from opis.errors import ReaderError


def max_text_bytes() -> int:
    """The largest text record a reader accepts (``OPIS_MAX_TEXT_FILE_MB``), in bytes."""
    return int(config.value("OPIS_MAX_TEXT_FILE_MB") * 1024 * 1024)


@dataclass(frozen=True)
class ReadOptions:
    """What one run asks of the readers that take options (``takes_options``; see
    ``opis.readers.read_drafts``). They travel as an argument, never through the environment,
    which forked read workers would inherit by accident.

    ``ocr``: ``auto``, ``always`` or ``never`` for scans; None leaves it to ``OPIS_OCR``."""

    ocr: str | None = None

    def __post_init__(self) -> None:
        if self.ocr is not None and self.ocr not in config.OCR_MODES:
            raise ValueError(f"OCR mode {self.ocr!r}: use one of {', '.join(config.OCR_MODES)}")


@dataclass
class SourceFile:
    path: Path
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self.size = self.path.stat().st_size

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def sha256(self) -> str:
        if self.size <= max_text_bytes():  # small enough to read once: hash the bytes readers use
            return hashlib.sha256(self.data).hexdigest()
        return file_sha256(self.path)

    def head(self, size: int = 4096) -> bytes:
        """The first bytes, for format detection without reading a huge file."""
        with self.path.open("rb") as handle:
            return handle.read(size)

    def refuse_non_text(self, size_limit: bool = True) -> None:
        """Refuse, from its size and first bytes alone, a file that cannot be a text record.

        Called before any layout is guessed, so an empty, huge or binary file is named for what it
        is rather than as a layout nobody recognises, and a huge file is never read whole.
        """
        if self.size == 0:
            raise ReaderError("the file is empty; there is nothing to ingest", where="whole file")
        limit = max_text_bytes()
        if size_limit and self.size > limit:
            raise ReaderError(
                f"the file is {self.size / 1048576:.1f} MB, "
                f"over the {limit // 1048576} MB "
                "limit for a text record; split it, or raise OPIS_MAX_TEXT_FILE_MB",
                where="whole file",
            )
        head = self.head()
        if b"\x00" in head and not head.startswith(_UTF16_BOMS):
            raise _binary()
        if self.size <= len(head) and not head.strip():
            raise ReaderError(
                "the file holds only white space; there is nothing to ingest", where="whole file"
            )

    def text(self) -> str:
        """The file as text, or a ReaderError that says what is wrong and what to do."""
        self.refuse_non_text()
        return decode_text(self.data)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _binary() -> ReaderError:
    return ReaderError(
        "this is a binary file (it contains NUL bytes), not a text record", where="whole file"
    )


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without a byte-order mark) or BOM-marked UTF-16; refuse the rest."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReaderError(f"marked as UTF-16 but not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data[:8192]:
        raise _binary()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReaderError(
            f"the text is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8 and ingest it again",
            where=f"line {line}",
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
