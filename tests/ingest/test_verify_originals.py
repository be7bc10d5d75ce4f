"""``opis verify``: re-hashes every original and names what changed, what is missing and what the
store holds that no record names; it fails only when something was lost."""

import hashlib
import os
import stat

from conftest import DFAT_VOLUME_10, require, run_opis, run_opis_json
from opis.records.fixity import verify
from opis.records.models import Document, Original
from opis.records.originals import stored_path


def stored(data_dir, sha256: str):
    return data_dir / "originals" / sha256[:2] / sha256[2:4] / sha256


def test_verify_reports_changed_missing_and_untracked_originals(tmp_path):
    files = sorted(require(DFAT_VOLUME_10).glob("*.md"))[:3]
    data = tmp_path / "data"
    report, _ = run_opis_json(data, "ingest", *map(str, files))
    assert report["ingested"] == 3
    shas = [hashlib.sha256(path.read_bytes()).hexdigest() for path in files]
    found, result = run_opis_json(data, "verify")
    assert (result.returncode, found["ok"], found["checked"]) == (0, True, 3)

    tampered, deleted = stored(data, shas[0]), stored(data, shas[1])
    os.chmod(tampered, stat.S_IRUSR | stat.S_IWUSR)  # stored originals are read-only
    with tampered.open("ab") as out:
        out.write(b"one more line\n")
    deleted.unlink()
    stray = stored(data, "ab" * 32)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"a file nobody ingested\n")
    leftover = tampered.parent / ".incoming-k2j3"  # a copy a crash left before its rename
    leftover.write_bytes(b"half a cop")

    found, result = run_opis_json(data, "verify", check=False)
    assert result.returncode != 0 and not found["ok"]
    assert [c["sha256"] for c in found["changed"]] == [shas[0]]
    assert [m["sha256"] for m in found["missing"]] == [shas[1]]
    assert sorted(found["untracked"]) == sorted([str(stray), str(leftover)])
    assert found["removed"] == [] and stray.exists(), "nothing is removed unless asked"
    assert "1 original(s) changed, 1 missing" in result.stderr

    text = run_opis(data, "verify", check=False)
    assert f"CHANGED {tampered}" in text.stderr and f"MISSING {deleted}" in text.stderr
    assert "--clean-untracked" in text.stderr and "Traceback" not in text.stderr

    found, result = run_opis_json(data, "verify", "--clean-untracked", check=False)
    assert sorted(found["removed"]) == sorted([str(stray), str(leftover)])
    assert not stray.exists() and not leftover.exists()
    assert tampered.exists(), "a changed original is evidence, never cleaned away"
    assert result.returncode != 0


def test_documents_whose_original_was_never_kept_are_named(archive):
    document = Document.objects.order_by("id").first()
    Original.objects.filter(sha256=document.source_sha256).delete()
    report = verify()
    assert report.ok, "a document without an original is reported, not a failure"
    assert document.id in report.documents_without_original
    assert report.without_original >= 1
    assert str(stored_path(document.source_sha256)) in report.untracked
