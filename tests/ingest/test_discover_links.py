"""Folders gathered with links are read: an archivist often links volumes into one folder to
ingest, and a linked folder must never be passed over in silence (nor walked forever)."""

from conftest import SEED, require
from opis.ingest.discover import discover


def test_a_linked_folder_is_walked_like_a_real_one(tmp_path):
    volume = tmp_path / "volume"
    volume.mkdir()
    (volume / "seed.md").symlink_to(require(SEED))
    gathered = tmp_path / "incoming"
    gathered.mkdir()
    (gathered / "volume").symlink_to(volume, target_is_directory=True)

    files, skipped, missing = discover([gathered])

    assert [path.name for path in files] == ["seed.md"]
    assert skipped == [] and missing == []


def test_a_link_back_up_the_tree_ends(tmp_path):
    (tmp_path / "seed.md").symlink_to(require(SEED))
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)

    files, _, _ = discover([tmp_path])

    assert [path.name for path in files] == ["seed.md"]
