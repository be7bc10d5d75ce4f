"""Originals: every file ingested is kept byte for byte, once, read-only, under its sha256, and its
``Original`` row commits (or rolls back) with the documents it holds."""

import hashlib
import shutil
import stat
import tracemalloc

import pytest
from django.db import transaction

from conftest import DFAT_VOLUME_10, require
from opis.ingest import ingest_paths
from opis.records.fixity import verify
from opis.records.models import Document, Original
from opis.records.originals import (
    OriginalChanged,
    keep,
    keep_all,
    original_path,
    stored_files,
    stored_path,
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def store(settings, tmp_path, isolated_index):
    """An empty store of the test's own (files in tmp_path, rows rolled back afterwards)."""
    settings.ORIGINALS_DIR = tmp_path / "originals"
    return settings.ORIGINALS_DIR


@pytest.fixture
def empty_store(db, store):
    """The store with the session archive's rows set aside (inside this test's transaction)."""
    Original.objects.all().delete()
    return store


@pytest.fixture
def dfat_files():
    return sorted(require(DFAT_VOLUME_10).glob("*.md"))[:3]


def test_every_ingested_file_is_kept_byte_for_byte_read_only_under_its_checksum(
    empty_store, dfat_files
):
    report = ingest_paths(dfat_files)
    assert report.ok and report.count("ingested") == 3
    for path in dfat_files:
        data = path.read_bytes()
        digest = sha256(data)
        kept = stored_path(digest)
        assert kept == empty_store / digest[:2] / digest[2:4] / digest
        assert original_path(digest) == kept
        assert kept.read_bytes() == data
        assert stat.S_IMODE(kept.stat().st_mode) & 0o222 == 0, "stored originals are read-only"
        row = Original.objects.get(sha256=digest)
        assert (row.size, row.name, row.media_type) == (len(data), path.name, "text/markdown")
        assert Document.objects.get(source_path=str(path)).source_sha256 == digest


def test_the_same_content_under_two_names_is_kept_once(empty_store, dfat_files, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("1-first-copy.md", "2-second-copy.md"):
        shutil.copyfile(dfat_files[0], folder / name)
    report = ingest_paths([folder])
    assert report.ok and report.count("ingested") == 2
    assert Original.objects.count() == 1
    assert [p.name for p in stored_files()] == [sha256(dfat_files[0].read_bytes())]


def test_re_ingesting_unchanged_files_copies_nothing(empty_store, dfat_files):
    ingest_paths(dfat_files)
    before = {p: p.stat().st_mtime_ns for p in stored_files()}
    report = ingest_paths(dfat_files)
    assert report.count("unchanged") == 3
    assert {p: p.stat().st_mtime_ns for p in stored_files()} == before
    assert Original.objects.count() == 3


def test_a_crash_between_copy_and_commit_leaves_only_an_untracked_file(empty_store, dfat_files):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert ingest_paths(dfat_files[:1]).ok
        raise RuntimeError("the process dies before its transaction commits")
    assert (
        not Original.objects.exists()
        and not Document.objects.filter(source_path=str(dfat_files[0])).exists()
    ), "the Original row goes with the documents of its batch"
    report = verify()
    assert report.ok and report.untracked == [str(stored_path(sha256(dfat_files[0].read_bytes())))]
    assert verify(clean_untracked=True).removed == report.untracked
    assert list(stored_files()) == []


def test_a_large_file_is_hashed_while_copied_never_held_whole(store, tmp_path):
    big = tmp_path / "scan.pdf"
    digest = hashlib.sha256()
    with big.open("wb") as out:
        for i in range(48):  # 48 MiB of distinct megabytes
            block = hashlib.sha256(str(i).encode()).digest() * 32768
            digest.update(block)
            out.write(block)
    tracemalloc.start()
    kept, _ = keep(big, big.name, digest.hexdigest())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1048576, f"copying a 48 MiB file peaked at {peak / 1048576:.1f} MiB"
    assert (kept.size, kept.media_type) == (48 * 1048576, "application/pdf")
    assert original_path(digest.hexdigest()).stat().st_size == big.stat().st_size


def test_a_file_that_changed_after_it_was_read_is_not_kept(store, tmp_path):
    source = tmp_path / "letter.md"
    source.write_text("as read\n")
    read_sha = sha256(b"as read\n")
    source.write_text("changed since\n")
    with pytest.raises(OriginalChanged, match="changed while it was being ingested"):
        keep(source, source.name, read_sha)
    kept, refused = keep_all([(source, source.name, read_sha)])
    assert kept == {} and "ingest it again" in refused[read_sha]
    assert list(stored_files()) == [], "no temporary copy is left behind"


@pytest.mark.parametrize(
    "asked", ["", "../../etc/passwd", "A" * 64, "0" * 63, "0" * 65, None, "0" * 64]
)
def test_original_path_answers_only_for_a_stored_well_formed_checksum(store, asked):
    assert original_path(asked) is None
