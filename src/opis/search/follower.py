"""Which index this is, and how far it has applied the index log: a small file in its folder.

Several data folders (one per web machine) may share one catalogue; each has its own Tantivy index
and follows the catalogue's index log (``records/index_log.py``). The file ``opis-follower.json``
beside the index names the index with a stable id (its ``IndexFollower`` row in the catalogue) and
keeps its ``Position``. It is written whole under a temporary name and renamed into place, right
after each Tantivy commit and only by the process holding the index writer: a crash between the
two repeats some changes (harmless: applying one is delete-by-id, add the current record), never
skips one. No file means the index has never been built from this folder's catalogue: it is built
from it. An index folder must not be copied to another machine (the copy would share its id):
delete the copy's ``opis-follower.json`` and it builds itself.
"""

import json
import os
import socket
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from opis.records.index_log import Position

STATE_FILE = "opis-follower.json"


@dataclass
class FollowerState:
    """An index's id and position; ``position`` None: start, without a build, at the log as it
    stood at ``empty_since`` (epoch seconds)."""

    follower: str
    position: Position | None
    empty_since: float | None = None


def load(directory: Path) -> FollowerState | None:
    """The folder's state, or None when it has none (or an unreadable one: it is rebuilt)."""
    try:
        data = json.loads((Path(directory) / STATE_FILE).read_text(encoding="utf-8"))
        position = data.get("position")
        return FollowerState(
            str(data["follower"]),
            Position.from_json(position) if position else None,
            data.get("empty_since"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(directory: Path, state: FollowerState) -> None:
    """Write the state whole, then rename it into place (never half a file)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    payload = {
        "follower": state.follower,
        "position": state.position.as_json() if state.position else None,
        "empty_since": state.empty_since,
    }
    handle, temporary = tempfile.mkstemp(prefix=".opis-follower-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(payload, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / STATE_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def new_follower() -> str:
    return uuid.uuid4().hex


def place(directory: Path) -> str:
    """Where an index lives, for people reading the registry: host and folder."""
    return f"{socket.gethostname()}:{Path(directory).resolve()}"


def start_empty(directory: Path) -> None:
    """Mark a new index folder to begin at the log's end instead of building from the catalogue:
    it will hold only what changes from now on (a test's index of just its own records)."""
    save(directory, FollowerState(new_follower(), None, time.time()))
