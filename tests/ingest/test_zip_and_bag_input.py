"""Zip files and BagIt bags as input: read like the loose files they hold, each member named by
where it came from; a hostile or damaged container is refused whole, naming the entry and the
rule, and nothing from it is written."""

import shutil
import stat
import struct
import time
import warnings
import zipfile

import bagit
import pytest

from conftest import DFAT, require, run_opis
from opis.ingest import ingest_paths
from opis.ingest.reading import PARALLEL_FROM
from opis.records.models import Document, Original
from opis.records.originals import stored_files
from opis.records.serialize import document_json, load_document

VOLUME = DFAT / "volume-11-1947-indonesia"  # not the session archive's volume
NOTHING = "nothing in the archive was ingested"


@pytest.fixture
def store(db, settings, tmp_path, isolated_index):
    settings.ORIGINALS_DIR = tmp_path / "originals"
    Original.objects.all().delete()  # the session archive's rows, set aside in this transaction
    return settings.ORIGINALS_DIR


@pytest.fixture
def letters():
    return sorted(require(VOLUME).glob("*.md"))[:6]


def make_zip(path, members):
    """A zip of ``{name or ZipInfo: bytes}`` (or such pairs), hostile names kept as given."""
    pairs = members.items() if isinstance(members, dict) else members
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in pairs:
                archive.writestr(name, data)
    return path


def records(ids) -> dict:
    """The records as the catalogue holds them, where they came from aside."""
    found = {}
    for doc_id in ids:
        record = document_json(load_document(doc_id))
        record.pop("source")
        found[doc_id] = record
    return found


def written_from(prefix: str) -> int:
    return Document.objects.filter(source_path__startswith=prefix).count()


# ---------------------------------------------------------------------------------------------
# Zips read like loose files.


def test_a_zip_ingests_the_same_records_as_its_loose_files(store, letters, tmp_path):
    loose = ingest_paths(letters)
    assert loose.ok and loose.count("ingested") == len(letters)
    ids = [d["id"] for d in loose.documents]
    expected = records(ids)
    Document.objects.filter(pk__in=ids).delete()

    archive = make_zip(
        tmp_path / "indonesia.zip",
        {f"1947/{p.name}": p.read_bytes() for p in letters} | {"1947/README.md": b"# notes\n"},
    )
    report = ingest_paths([archive])
    assert report.ok, [str(f) for f in report.failed]
    assert sorted(d["id"] for d in report.documents) == sorted(ids)
    assert records(ids) == expected
    paths = {d["path"] for d in report.documents}
    assert paths == {f"{archive}!/1947/{p.name}" for p in letters}
    assert Document.objects.get(pk=ids[0]).source_path.startswith(f"{archive}!/1947/")
    assert {"path": f"{archive}!/1947/README.md", "reason": "documentation of the corpus, "
            "not a document"} in report.skipped  # fmt: skip
    assert Original.objects.count() == len(letters)
    assert sorted(Original.objects.values_list("name", flat=True)) == sorted(
        p.name for p in letters
    )


def test_re_ingesting_the_same_zip_changes_nothing(store, letters, tmp_path):
    archive = make_zip(tmp_path / "a.zip", {p.name: p.read_bytes() for p in letters[:3]})
    assert ingest_paths([archive]).count("ingested") == 3
    again = ingest_paths([archive])
    assert (again.count("unchanged"), again.count("ingested"), again.count("updated")) == (3, 0, 0)
    assert Original.objects.count() == 3 and len(list(stored_files())) == 3


def test_a_large_zip_is_read_by_the_parallel_readers_with_its_members_named(store, tmp_path):
    letters = sorted(VOLUME.glob("*.md"))
    assert len(letters) >= PARALLEL_FROM, "enough members to fork the reading workers"
    archive = make_zip(tmp_path / "volume.zip", {f"v11/{p.name}": p.read_bytes() for p in letters})
    report = ingest_paths([archive])
    assert report.ok and report.count("ingested") == len(letters)
    assert {d["path"] for d in report.documents} == {f"{archive}!/v11/{p.name}" for p in letters}


def test_a_zip_met_in_a_folder_walk_is_opened(store, letters, tmp_path):
    folder = tmp_path / "deposit"
    folder.mkdir()
    shutil.copy(letters[0], folder)
    make_zip(folder / "more.zip", {p.name: p.read_bytes() for p in letters[1:3]})
    make_zip(folder / "nested.zip", {"inner.zip": (folder / "more.zip").read_bytes()})
    report = ingest_paths([folder])
    assert report.ok and report.count("ingested") == 3
    assert {"path": f"{folder / 'nested.zip'}!/inner.zip", "reason": "a zip inside a zip is not "
            "unpacked; unpack the outer one and ingest the folder"} in report.skipped  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Hostile and damaged zips: refused whole, the entry named, nothing written.


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("letters/link.md")
    info.create_system = 3  # Unix: the high bits of external_attr are the file mode
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def lying_sizes(path):
    """A member whose directory entries claim 1,000 bytes while its data inflates to 4 MiB."""
    make_zip(path, {"letters/big.md": b"A" * (4 * 1048576)})
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))


HOSTILE = [
    ("zip-slip", {"../evil.md": b"# escaped\n"}, "'../evil.md' climbs out of the archive"),
    ("absolute", {"/tmp/evil.md": b"# escaped\n"}, "'/tmp/evil.md' is an absolute path"),
    ("drive letter", {"C:/evil.md": b"# escaped\n"}, "'C:/evil.md' names a drive letter"),
    ("symlink", {symlink_entry(): b"/etc/passwd"}, "'letters/link.md' is a symbolic link"),
    ("ratio bomb", {"letters/zeros.md": bytes(8 * 1048576)}, "'letters/zeros.md' inflates"),
    ("duplicate", [("letters/a.md", b"one"), ("letters/a.md", b"two")], "appears twice"),
]


@pytest.mark.parametrize(("case", "members", "says"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_zip_entries_refuse_the_whole_archive(
    store, letters, tmp_path, case, members, says
):
    good = [(f"letters/{p.name}", p.read_bytes()) for p in letters[:2]]
    (tmp_path / "deposit").mkdir()
    archive = make_zip(
        tmp_path / "deposit" / "hostile.zip", good + [*getattr(members, "items", lambda: members)()]
    )
    report = ingest_paths([archive])
    assert [f.path for f in report.failed] == [str(archive)]
    assert says in report.failed[0].reason and NOTHING in report.failed[0].reason
    assert report.failed[0].where.startswith("entry ")
    assert written_from(str(archive)) == 0 and report.documents == []
    assert list(stored_files()) == [] and not Original.objects.exists()
    assert not (tmp_path / "evil.md").exists() and not (tmp_path / "deposit" / "evil.md").exists()


def test_a_zip_over_the_size_cap_is_refused_before_unpacking(store, letters, tmp_path, settings):
    settings.MAX_UNPACKED_MB = 1
    members = {p.name: p.read_bytes() for p in letters[:2]}
    members["big.md"] = b"\n".join(b"%d" % i for i in range(300_000))  # 2 MB that packs well
    archive = make_zip(tmp_path / "big.zip", members)
    report = ingest_paths([archive])
    (failure,) = report.failed
    assert failure.where == "central directory"
    assert "over the 1 MB limit (OPIS_MAX_UNPACKED_MB)" in failure.reason
    assert written_from(str(archive)) == 0


def test_declared_sizes_are_not_trusted(store, letters, tmp_path):
    archive = tmp_path / "liar.zip"
    lying_sizes(archive)
    report = ingest_paths([archive])
    (failure,) = report.failed
    assert failure.where == "entry letters/big.md" and NOTHING in failure.reason
    assert "cannot be unpacked" in failure.reason or "declared size" in failure.reason
    assert written_from(str(archive)) == 0


def test_a_file_that_is_not_a_zip_is_named(store, tmp_path):
    fake = tmp_path / "letters.zip"
    fake.write_text("these are not the letters you are looking for\n")
    (failure,) = ingest_paths([fake]).failed
    assert (failure.path, failure.where) == (str(fake), "whole file")
    assert "not a readable zip archive" in failure.reason


def test_the_command_line_names_the_hostile_entry(tmp_path, letters):
    archive = make_zip(
        tmp_path / "slip.zip", {"../evil.md": b"x", letters[0].name: letters[0].read_bytes()}
    )
    result = run_opis(tmp_path / "data", "ingest", str(archive), check=False)
    assert result.returncode == 4
    assert f"FAILED {archive}, entry ../evil.md: entry '../evil.md' climbs out" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------
# BagIt bags.


def make_bag(folder, letters):
    folder.mkdir()
    for path in letters:
        shutil.copy(path, folder)
    bagit.make_bag(str(folder), {"Source-Organization": "DFAT"}, checksums=["sha256"])
    return folder


def test_a_valid_bag_ingests_its_payload_in_place(store, letters, tmp_path):
    bag = make_bag(tmp_path / "transfer", letters[:3])
    report = ingest_paths([bag])
    assert report.ok and report.count("ingested") == 3
    assert {d["path"] for d in report.documents} == {
        str(bag / "data" / p.name) for p in letters[:3]
    }
    assert report.skipped == [], "tag files (bagit.txt, manifests) are the bag's, not documents"


def test_a_bag_inside_a_zip_is_verified_and_read(store, letters, tmp_path):
    bag = make_bag(tmp_path / "transfer", letters[:2])
    archive = shutil.make_archive(str(tmp_path / "transfer"), "zip", tmp_path, "transfer")
    shutil.rmtree(bag)
    report = ingest_paths([archive])
    assert report.ok and report.count("ingested") == 2
    assert {d["path"] for d in report.documents} == {
        f"{archive}!/transfer/data/{p.name}" for p in letters[:2]
    }


def test_a_tampered_bag_fails_whole_naming_the_file(store, letters, tmp_path):
    bag = make_bag(tmp_path / "transfer", letters[:3])
    tampered = bag / "data" / letters[1].name
    tampered.write_bytes(tampered.read_bytes() + b"\nAn added line.\n")
    report = ingest_paths([tmp_path])
    (failure,) = report.failed
    assert (failure.path, failure.where) == (str(bag), f"data/{letters[1].name}")
    assert f"data/{letters[1].name}: its sha256 is" in failure.reason
    assert "nothing in the bag was ingested" in failure.reason
    assert report.documents == [] and list(stored_files()) == []


def test_a_bag_missing_a_payload_file_fails_whole(store, letters, tmp_path):
    bag = make_bag(tmp_path / "transfer", letters[:2])
    (bag / "data" / letters[0].name).unlink()
    (failure,) = ingest_paths([bag]).failed
    assert "listed in the manifest but not in the bag" in failure.reason
    assert written_from(str(bag)) == 0


# ---------------------------------------------------------------------------------------------
# Found by the container fuzzer (tests/readers/test_fuzz_containers.py): each refused whole,
# naming the entry, where it used to escape as an exception or an unnamed failure.


def patched(path, *changes):
    """The zip with ``(signature, offset, struct format, value)`` packed into every header with
    that signature (local header ``PK\\3\\4``, central directory ``PK\\1\\2``)."""
    data = bytearray(path.read_bytes())
    for signature, offset, fmt, value in changes:
        at = data.find(signature)
        while at >= 0:
            struct.pack_into(fmt, data, at + offset, value)
            at = data.find(signature, at + 1)
    path.write_bytes(bytes(data))
    return path


def refusal(archive):
    report = ingest_paths([archive])
    (failure,) = report.failed
    assert failure.path == str(archive) and written_from(str(archive)) == 0
    return failure


def test_an_entry_without_a_name_is_refused(store, letters, tmp_path):
    """Zip mutant #951: an entry named "" made zipfile's is_dir() raise IndexError."""
    unnamed = zipfile.ZipInfo("")  # zipfile's writestr would itself fail on the name ""
    archive = make_zip(tmp_path / "a.zip", [(letters[0].name, b"# a\n"), (unnamed, b"x")])
    failure = refusal(archive)
    assert "entry '' has no file name" in failure.reason and failure.where == "entry "


def test_a_nul_in_an_entry_name_is_refused(store, letters, tmp_path):
    """zipfile cuts a name at its NUL, so the NUL rule never saw one: it reads the raw name."""
    archive = make_zip(tmp_path / "a.zip", {"ok_../evil.md": b"x", letters[0].name: b"# a\n"})
    archive.write_bytes(archive.read_bytes().replace(b"ok_../", b"ok\x00../"))
    assert "has a NUL character in its name" in refusal(archive).reason


def test_an_entry_whose_header_lies_before_the_file_is_named(store, letters, tmp_path):
    """Zip mutant #6: bytes cut from a member moved the central directory, so the first entry's
    header offset fell before the file's start: the seek's OSError had no entry named."""
    archive = make_zip(tmp_path / "a.zip", {p.name: p.read_bytes() for p in letters[:2]})
    data = archive.read_bytes()
    archive.write_bytes(data[:200] + data[300:])
    failure = refusal(archive)
    assert failure.where == f"entry {letters[0].name}" and NOTHING in failure.reason


def test_an_entry_name_too_long_for_the_file_system_is_named(store, letters, tmp_path):
    """Zip mutant #333: a 303-character name failed with "File name too long" and no entry."""
    name = "x" * 300 + ".md"
    failure = refusal(make_zip(tmp_path / "a.zip", {name: b"# x\n"}))
    assert failure.where == f"entry {name}" and "File name too long" in failure.reason


def test_a_file_and_a_folder_of_one_name_are_refused(store, letters, tmp_path):
    members = {"letters/a.md": b"# a\n", "letters/a.md/b.md": b"# b\n"}
    failure = refusal(make_zip(tmp_path / "a.zip", members))
    assert failure.where == "entry letters/a.md/b.md" and "clashes" in failure.reason


def test_a_zip_needing_a_newer_unzip_is_not_readable(store, letters, tmp_path):
    """Zip mutant #273: "version needed to extract" 8.4 raised NotImplementedError."""
    archive = patched(
        make_zip(tmp_path / "a.zip", {"a.md": b"# a\n"}), (b"PK\x01\x02", 6, "<H", 84)
    )
    failure = refusal(archive)
    assert failure.where == "whole file" and "zip file version 8.4" in failure.reason


@pytest.mark.parametrize(
    ("tag_file", "content", "says"),
    [
        ("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n", "UnicodeError"),
        ("bag-info.txt", b"Source-Organization: \xc3\x28\n", "UnicodeDecodeError"),
        ("manifest-sha256.txt", b"0" * 64 + b"  data/a\x00b.md\n", "ValueError: embedded null"),
    ],
    ids=["utf-16-without-bom", "not-utf-8", "nul-in-path"],
)
def test_a_bag_whose_tag_files_cannot_be_read_is_refused(
    store, letters, tmp_path, tag_file, content, says
):
    """Bag mutants #98, #18, #194: bagit's UnicodeError and ValueError escaped."""
    bag = make_bag(tmp_path / "transfer", letters[:2])
    (bag / tag_file).write_bytes(content)
    failure = refusal(bag)
    assert failure.where == "tag files" and says in failure.reason
    assert "nothing in the bag was ingested" in failure.reason


def test_a_bag_with_a_huge_manifest_line_is_refused_quickly(store, letters, tmp_path):
    """Bag mutant #48: a 10 MB line in a tag manifest took bagit's codecs readline minutes."""
    bag = make_bag(tmp_path / "transfer", letters[:2])
    (bag / "tagmanifest-sha256.txt").write_bytes(b"0" * 64 + b"  manifest-" + b"word " * 2_000_000)
    started = time.perf_counter()
    failure = refusal(bag)
    assert time.perf_counter() - started < 5.0
    assert failure.where == "tagmanifest-sha256.txt" and "line 1 of" in failure.reason
