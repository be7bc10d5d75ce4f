"""A file on its way in: its bytes, checksum and decoded text, with the checks every reader needs.

Decoding lives here once so that every reader refuses the same bad input with the same clear words:
empty files, binary files, files too large to be a text record, and text that is not UTF-8.
"""

import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from opis.errors import ReaderError

MAX_TEXT_BYTES = int(float(os.environ.get("OPIS_MAX_TEXT_FILE_MB", "20")) * 1024 * 1024)


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
        if self.size <= MAX_TEXT_BYTES:  # small enough to read once: hash the bytes readers use
            return hashlib.sha256(self.data).hexdigest()
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

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
        if size_limit and self.size > MAX_TEXT_BYTES:
            raise ReaderError(
                f"the file is {self.size / 1048576:.1f} MB, "
                f"over the {MAX_TEXT_BYTES // 1048576} MB "
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
