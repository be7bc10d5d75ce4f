"""Mutant zip files and BagIt bags, each a pure function of its seed members and its number.

A zip mutant is built in two steps: first the archive is written from the seed members with
*structural* mutations (duplicate names; names with ``..``, absolute, with a NUL, very long, a file
and a folder of one name; a nested zip or bag; members themselves mangled; odd compression), then
its bytes get *byte* mutations that know the format (bits flipped in the central directory or a
local header, declared sizes and offsets that lie, the end record damaged) or the generic ones of
``fuzzing.py`` (truncation above all). A bag mutant is a valid bag (``bagit.make_bag``) then
damaged: manifests tampered, ``bagit.txt`` malformed, payload files missing, added or replaced by
a symbolic link that leaves the bag.
"""

import io
import random
import shutil
import struct
import warnings
import zipfile
from pathlib import Path

from fuzzing import MUTATIONS

LOCAL, CENTRAL, END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
# Offsets of fields in the local header, the central directory entry and the end record.
LOCAL_SIZES, CENTRAL_SIZES = (18, 22), (20, 24)
CENTRAL_OFFSET, END_FIELDS = 42, (8, 10, 12, 16, 20)
HOSTILE_NAMES = (
    "../evil.md", "a/../../evil.md", "/etc/evil.md", "\\\\server\\share\\evil.md", "C:\\evil.md",
    "ok\x00../evil.md", "x" * 300 + ".md", ("d/" * 2100) + "deep.md", "", ".", "/", "..",
    "letters\\..\\..\\evil.md", "ünïcode/Жук.md", "CON.md", " .md", "a.md/", "letters",
)  # fmt: skip


def _rebuild(members: list[tuple[str, bytes]], rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    method = rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED))
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", method) as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point here
        for name, data in members:
            info = zipfile.ZipInfo(name) if isinstance(name, str) else name
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def _duplicate(members, rng):
    return members + [rng.choice(members)]


def _hostile_name(members, rng):
    name = rng.choice(HOSTILE_NAMES)
    return members + [(name, b"# hostile\n")]


def _file_and_folder(members, rng):
    name, data = rng.choice(members)
    return members + [(f"{name}/inside.md", data)]


def _mangled_member(members, rng):
    index = rng.randrange(len(members))
    name, data = members[index]
    mutation = MUTATIONS[rng.choice(sorted(MUTATIONS))]
    return members[:index] + [(name, mutation(data, rng))] + members[index + 1 :]


def _nested(members, rng):
    inner = _rebuild(members[:2], rng)
    if rng.random() < 0.5:
        inner = _rebuild([("inner.zip", inner), members[0]], rng)
    return members + [(rng.choice(("inner.zip", "deep/inner.ZIP", "x.zip")), inner)]


def _unix_mode(members, rng):
    """A member whose Unix mode says symbolic link, device or fifo."""
    info = zipfile.ZipInfo("letters/special.md")
    info.create_system = 3
    info.external_attr = rng.choice((0o120777, 0o020644, 0o010644, 0o140755)) << 16
    return members + [(info, b"/etc/passwd")]


STRUCTURAL = {
    "duplicate-name": _duplicate,
    "hostile-name": _hostile_name,
    "file-and-folder": _file_and_folder,
    "mangled-member": _mangled_member,
    "nested-zip": _nested,
    "unix-mode": _unix_mode,
}


def _positions(data: bytes, signature: bytes) -> list[int]:
    found, at = [], data.find(signature)
    while at >= 0:
        found.append(at)
        at = data.find(signature, at + 1)
    return found


def _flip_in(data: bytes, rng: random.Random, begin: int, end: int) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if end > begin:
            at = rng.randrange(begin, end)
            out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def _flip_central(data, rng):
    starts = _positions(data, CENTRAL)
    return _flip_in(data, rng, starts[0], len(data)) if starts else data


def _flip_local(data, rng):
    starts = _positions(data, LOCAL)
    if not starts:
        return data
    at = rng.choice(starts)
    return _flip_in(data, rng, at, min(len(data), at + 30 + 40))


def _pack(data: bytes, at: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    if at + struct.calcsize(fmt) <= len(out):
        struct.pack_into(fmt, out, at, value & (256 ** struct.calcsize(fmt) - 1))
    return bytes(out)


def _lying_sizes(data, rng):
    value = rng.choice((0, 1, 7, 1000, 2**31, 2**32 - 1))
    for at in rng.sample(_positions(data, LOCAL), min(2, len(_positions(data, LOCAL)))):
        data = _pack(data, at + rng.choice(LOCAL_SIZES), "<I", value)
    for at in rng.sample(_positions(data, CENTRAL), min(2, len(_positions(data, CENTRAL)))):
        data = _pack(data, at + rng.choice(CENTRAL_SIZES), "<I", value)
    return data


def _lying_offsets(data, rng):
    value = rng.choice((0, 1, len(data) // 2, len(data), 2**32 - 1))
    central = _positions(data, CENTRAL)
    if central and rng.random() < 0.5:
        return _pack(data, rng.choice(central) + CENTRAL_OFFSET, "<I", value)
    ends = _positions(data, END)
    if not ends:
        return data
    at = ends[-1] + rng.choice(END_FIELDS)
    return _pack(data, at, "<H" if at - ends[-1] < 12 else "<I", value)


def _zip64_claim(data, rng):
    """Sizes of 0xFFFFFFFF in the central directory with no ZIP64 extra: a broken ZIP64 claim."""
    central = _positions(data, CENTRAL)
    if central:
        at = rng.choice(central)
        for field in CENTRAL_SIZES:
            data = _pack(data, at + field, "<I", 0xFFFFFFFF)
    return data


BYTES = {
    "flip-central": _flip_central,
    "flip-local": _flip_local,
    "lying-sizes": _lying_sizes,
    "lying-offsets": _lying_offsets,
    "zip64-claim": _zip64_claim,
    "truncate": MUTATIONS["truncate"],
    "flip-bits": MUTATIONS["flip-bits"],
    "insert-bytes": MUTATIONS["insert-bytes"],
    "delete-span": MUTATIONS["delete-span"],
}


def zip_mutant(members: list[tuple[str, bytes]], number: int) -> tuple[bytes, list[str]]:
    """The ``number``-th mutant zip of ``members``: zero to two structural mutations, then (for
    most) one or two byte mutations; and the mutations' names."""
    rng = random.Random(number)
    names = rng.sample(sorted(STRUCTURAL), rng.choice((0, 1, 1, 2)))
    for name in names:
        members = STRUCTURAL[name](members, rng)
    data = _rebuild(members, rng)
    byte_names = rng.sample(sorted(BYTES), rng.choice((0, 1, 1, 2)))
    for name in byte_names:
        data = BYTES[name](data, rng)
    return data, names + byte_names


# Bags


def _payload(bag: Path) -> list[Path]:
    return sorted(p for p in (bag / "data").rglob("*") if p.is_file())


def _tag(bag: Path, rng: random.Random, prefix: str) -> Path | None:
    found = sorted(bag.glob(f"{prefix}*.txt"))
    return rng.choice(found) if found else None


def _tamper_manifest(bag, rng):
    manifest = _tag(bag, rng, "manifest-")
    lines = manifest.read_bytes().splitlines(keepends=True) if manifest else []
    if not lines:
        return
    index = rng.randrange(len(lines))
    change = rng.choice(("checksum", "drop", "add", "escape", "garbage", "duplicate"))
    if change == "checksum":
        lines[index] = (b"0" if lines[index][:1] != b"0" else b"1") + lines[index][1:]
    elif change == "drop":
        del lines[index]
    elif change == "add":
        lines.append(
            b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/ghost.md\n"
        )
    elif change == "escape":
        digest = lines[index].split()[0]
        lines.append(digest + rng.choice((b"  ../../../etc/passwd\n", b"  /etc/passwd\n")))
    elif change == "garbage":
        lines[index] = rng.choice(
            (b"no-separator\n", b"  \n", b"\xff\xfe\x00bad\n", b"x" * 100_000)
        )
    else:
        lines.append(lines[index])
    manifest.write_bytes(b"".join(lines))


def _bad_declaration(bag, rng):
    declaration = bag / "bagit.txt"
    declaration.write_bytes(
        rng.choice(
            (
                b"", b"BagIt-Version: 0.97\n", b"Tag-File-Character-Encoding: UTF-8\n",
                b"BagIt-Version: 9.9\nTag-File-Character-Encoding: UTF-8\n",
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: klingon\n",
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n",
                b"BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n",
                b"\xff\xfe\x00\x00garbage", b"BagIt-Version 1.0 no colon\n", b"x" * 200_000,
            )
        )
    )  # fmt: skip


def _bad_info(bag, rng):
    info = bag / "bag-info.txt"
    info.write_bytes(
        info.read_bytes()
        + rng.choice((b"Payload-Oxum: abc.def\n", b"Payload-Oxum: -1.-1\n", b"Payload-Oxum: 1.2\n",
                      b"no colon line\n", b"  continued without a tag\n", b"\xc3\x28\n"))
    )  # fmt: skip


def _missing(bag, rng):
    choice = rng.choice(("payload", "manifest", "data", "declaration", "tagmanifest"))
    if choice == "payload":
        rng.choice(_payload(bag)).unlink()
    elif choice == "manifest":
        for manifest in bag.glob("manifest-*.txt"):
            manifest.unlink()
    elif choice == "data":
        shutil.rmtree(bag / "data")
    elif choice == "declaration":
        (bag / "bagit.txt").unlink()
    elif tag := _tag(bag, rng, "tagmanifest-"):
        tag.unlink()


def _extra(bag, rng):
    extra = bag / "data" / rng.choice(("extra.md", "sub/extra.md", ".hidden.md"))
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_bytes(b"# not in the manifest\n")


def _symlink_out(bag, rng):
    """A payload file replaced by a link out of the bag: to an identical copy (the checksums still
    agree) or to a file of the system."""
    target = rng.choice(_payload(bag))
    outside = bag.parent / "outside.md"
    shutil.copy(target, outside)
    target.unlink()
    target.symlink_to(rng.choice((outside, Path("/etc/hostname"))))


def _mangled_tag_file(bag, rng):
    tag = rng.choice(sorted(p for p in bag.glob("*.txt")))
    mutation = MUTATIONS[rng.choice(sorted(MUTATIONS))]
    tag.write_bytes(mutation(tag.read_bytes(), rng))


def _mangled_payload(bag, rng):
    target = rng.choice(_payload(bag))
    target.write_bytes(MUTATIONS[rng.choice(sorted(MUTATIONS))](target.read_bytes(), rng))


def _harmless(bag, rng):
    """What a valid bag may look like too: CRLF or reordered manifest lines, unknown bag-info tags,
    an extra tag file (tag manifests, which are optional, dropped as they no longer agree). The
    bag must still be read."""
    change = rng.choice(("crlf", "reorder", "tags", "tag-file"))
    for tagmanifest in bag.glob("tagmanifest-*.txt"):
        tagmanifest.unlink()
    if change == "tag-file":
        (bag / "notes.txt").write_bytes(b"Deposited by the fuzzer.\n")
        return
    target = bag / "bag-info.txt" if change == "tags" else _tag(bag, rng, "manifest-")
    lines = target.read_bytes().splitlines() if target else []
    if change == "crlf":
        target.write_bytes(b"".join(line + b"\r\n" for line in lines))
    elif change == "reorder":
        rng.shuffle(lines)
        target.write_bytes(b"".join(line + b"\n" for line in lines))
    elif target:
        target.write_bytes(
            b"".join(line + b"\n" for line in lines) + b"X-Fuzz: \xc3\xa9t\xc3\xa9\n"
        )


BAG_MUTATIONS = {
    "harmless": _harmless,
    "tamper-manifest": _tamper_manifest,
    "bad-declaration": _bad_declaration,
    "bad-info": _bad_info,
    "missing": _missing,
    "extra-file": _extra,
    "symlink-out": _symlink_out,
    "mangled-tag-file": _mangled_tag_file,
    "mangled-payload": _mangled_payload,
}


def bag_mutant(seed: Path, number: int, folder: Path) -> list[str]:
    """Write the ``number``-th mutant of the bag ``seed`` as ``folder``; its mutations' names."""
    rng = random.Random(number)
    shutil.copytree(seed, folder, symlinks=True)
    names = rng.sample(sorted(BAG_MUTATIONS), rng.choice((1, 1, 2)))
    names = ["harmless"] if rng.random() < 0.15 else names
    for name in names:
        if _payload(folder) or name not in ("symlink-out", "mangled-payload", "missing"):
            BAG_MUTATIONS[name](folder, rng)
    return names
