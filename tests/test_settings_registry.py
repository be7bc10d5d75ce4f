"""The settings registry (``opis.config``): every ``OPIS_*`` variable declared once, read when used,
refused clearly when bad, and the README's table the registry written out.

These tests import no Django: the registry is in the bottom layer and must work before Django is
configured.
"""

import multiprocessing
import os
import pickle
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from opis import config
from opis.errors import BadSetting

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "opis"


def readme_settings() -> dict[str, list[str]]:
    """The rows of the README's "## Settings" table: variable → its other cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header, rule, *body = rows
    assert re.fullmatch(r"\|(-+\|)+", rule.replace(" ", "")), "the table's second row is its rule"
    table = {}
    for row in body:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        names = re.findall(r"`(OPIS_\w+)`", cells[0])
        assert len(names) == 1, f"one variable per row: {row}"
        table[names[0]] = cells[1:]
    return table


def test_the_readme_lists_exactly_the_registry():
    assert set(readme_settings()) == set(config.SETTINGS)


@pytest.mark.parametrize("name", sorted(config.SETTINGS))
def test_the_readme_says_what_the_registry_says(name):
    """Help, default and the part of opis, as declared: paste ``config.markdown_table()``."""
    setting = config.SETTINGS[name]
    assert readme_settings()[name] == [setting.help, setting.default_text(), setting.affects]


@pytest.mark.parametrize("name", sorted(config.SETTINGS))
def test_every_declared_default_is_valid(name, monkeypatch):
    monkeypatch.delenv(name, raising=False)
    config.value(name)


def test_only_the_registry_touches_the_environment():
    touching = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "config.py" or path.parent != PACKAGE
        if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8"))
    ]
    assert touching == []


def test_a_setting_is_read_when_used_not_when_imported(monkeypatch):
    monkeypatch.setenv("OPIS_INGEST_BATCH", "7")
    assert config.value("OPIS_INGEST_BATCH") == 7
    monkeypatch.setenv("OPIS_INGEST_BATCH", "11")
    assert config.value("OPIS_INGEST_BATCH") == 11
    monkeypatch.delenv("OPIS_INGEST_BATCH")
    assert config.value("OPIS_INGEST_BATCH") == 2000
    monkeypatch.setenv("OPIS_INGEST_BATCH", "  ")  # blank is unset
    assert config.value("OPIS_INGEST_BATCH") == 2000


def test_readers_read_their_settings_when_used(monkeypatch, tmp_path):
    from opis.readers.source import SourceFile, max_text_bytes
    from opis.readers.un_speech import READER

    monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", "0.5")
    assert max_text_bytes() == 524288
    speech = tmp_path / "1950-05-GRC.txt"
    speech.write_text("Mr President, …", encoding="utf-8")
    assert not READER.detect(SourceFile(speech), "")
    pattern = r"^(?P<year>\d{4})-(?P<session>\d+)-(?P<country>[A-Z]{3})\.txt$"
    monkeypatch.setenv("OPIS_FILENAME_PATTERN", pattern)
    assert READER.detect(SourceFile(speech), "")


@pytest.mark.parametrize(
    ("name", "given", "expects"),
    [
        ("OPIS_INGEST_BATCH", "lots", "a whole number above 0"),
        ("OPIS_INGEST_BATCH", "0", "a whole number above 0"),
        ("OPIS_OAI_PAGE_SIZE", "1.5", "a whole number above 0"),
        ("OPIS_MAX_TEXT_FILE_MB", "twenty", "a number above 0"),
        ("OPIS_OCR", "sometimes", "one of auto, always, never"),
        ("OPIS_DEBUG", "yes", "1 (on) or 0 (off)"),
        ("OPIS_DATABASE_URL", "mysql://db", "a postgresql://"),
        ("OPIS_FILENAME_PATTERN", "^(?P<country>", "a regular expression with the named groups"),
        ("OPIS_FILENAME_PATTERN", r"^(?P<country>\w+)\.txt$", "(?P<session>…)"),
    ],
)
def test_a_bad_value_names_the_variable_the_value_and_what_it_takes(
    monkeypatch, name, given, expects
):
    monkeypatch.setenv(name, given)
    with pytest.raises(BadSetting) as refused:
        config.value(name)
    message = refused.value.message
    assert message.startswith(f"{name}={given!r} is not valid: expected ")
    assert expects in message and "default" in message
    with pytest.raises(BadSetting, match=name):
        config.check()


def test_values_are_parsed_to_their_kind(monkeypatch):
    monkeypatch.setenv("OPIS_OCR", " Never ")
    monkeypatch.setenv("OPIS_DEBUG", "1")
    monkeypatch.setenv("OPIS_ALLOWED_HOSTS", "archive.example.org, localhost")
    monkeypatch.setenv("OPIS_OCR_PAGE_TIMEOUT", "2.5")
    assert config.value("OPIS_OCR") == "never"
    assert config.value("OPIS_DEBUG") is True
    assert config.value("OPIS_ALLOWED_HOSTS") == ["archive.example.org", "localhost"]
    assert config.value("OPIS_OCR_PAGE_TIMEOUT") == 2.5


def test_the_shared_corpora_come_from_the_setting_or_the_working_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("OPIS_CORPORA", str(tmp_path / "elsewhere"))
    assert config.shared_corpora() == tmp_path / "elsewhere"
    monkeypatch.delenv("OPIS_CORPORA")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    assert config.shared_corpora() == tmp_path / "shared" / "corpora"  # neither is there
    (checkout / "shared" / "corpora").mkdir(parents=True)
    assert config.shared_corpora() == checkout / "shared" / "corpora"
    (tmp_path / "shared" / "corpora").mkdir(parents=True)
    assert config.shared_corpora() == tmp_path / "shared" / "corpora"  # beside the checkout first


def test_the_hsg_tarball_is_found_in_the_shared_corpora(monkeypatch, tmp_path):
    from opis.understand.hsg_people import HSG_PEOPLE
    from opis.understand.names import default_hsg_tarball

    monkeypatch.delenv("OPIS_HSG_PEOPLE", raising=False)
    monkeypatch.setenv("OPIS_CORPORA", str(tmp_path))
    assert default_hsg_tarball() is None
    (tmp_path / HSG_PEOPLE).parent.mkdir(parents=True)
    (tmp_path / HSG_PEOPLE).write_bytes(b"")
    assert default_hsg_tarball() == tmp_path / HSG_PEOPLE
    monkeypatch.setenv("OPIS_HSG_PEOPLE", str(tmp_path / "people.tar.gz"))
    assert default_hsg_tarball() == tmp_path / "people.tar.gz"


def test_the_child_environment_is_this_one_with_extras(monkeypatch):
    monkeypatch.setenv("OPIS_OCR_LANGUAGES", "eng")
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    child = config.child_environment(OMP_THREAD_LIMIT="1")
    assert child["OMP_THREAD_LIMIT"] == "1" and child["OPIS_OCR_LANGUAGES"] == "eng"
    assert "OMP_THREAD_LIMIT" not in os.environ  # this process's own is left as it was


# The secret key ----------------------------------------------------------------------------------


def test_without_a_setting_a_secret_key_is_made_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("OPIS_SECRET_KEY", raising=False)
    data = tmp_path / "data"  # not there yet: made with the key
    key = config.secret_key(data)
    kept = data / config.SECRET_KEY_FILE
    assert len(key) >= 50 and kept.read_text(encoding="ascii") == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert config.secret_key(data) == key
    assert [p.name for p in data.iterdir()] == [config.SECRET_KEY_FILE]  # no temporary left
    assert config.secret_key(tmp_path / "other") != key


def test_the_setting_wins_over_the_kept_key(monkeypatch, tmp_path):
    monkeypatch.delenv("OPIS_SECRET_KEY", raising=False)
    config.secret_key(tmp_path)
    monkeypatch.setenv("OPIS_SECRET_KEY", "from-the-environment")
    assert config.secret_key(tmp_path) == "from-the-environment"


def test_processes_starting_at_once_agree_on_the_key(monkeypatch, tmp_path):
    monkeypatch.delenv("OPIS_SECRET_KEY", raising=False)
    with multiprocessing.get_context("fork").Pool(4) as pool:
        keys = pool.map(config.secret_key, [tmp_path] * 16, chunksize=1)
    assert len(set(keys)) == 1
    assert (tmp_path / config.SECRET_KEY_FILE).read_text(encoding="ascii") == keys[0]


DJANGO_SIGNS = """
import django
from django.core import signing
from pathlib import Path
django.setup()
kept = Path("{data}") / "secret_key"
print(kept.exists())
assert signing.loads(signing.dumps({{"a": 1}})) == {{"a": 1}}
print(kept.read_text() == str(django.conf.settings.SECRET_KEY))
"""


def test_django_makes_the_key_when_first_used_not_when_loaded(tmp_path):
    """Loading the settings writes nothing; the first signature makes the key, and uses it."""
    env = {
        **os.environ,
        "OPIS_DATA": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "opis.settings",
    }
    env.pop("OPIS_SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, "-c", DJANGO_SIGNS.format(data=tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


# Options of one run travel as arguments --------------------------------------------------------


def test_the_ocr_option_reaches_the_pdf_reader_as_an_argument(monkeypatch):
    """``opis ingest --ocr never`` wins over ``OPIS_OCR=always`` without touching the environment,
    in this process and in a read worker (the options are part of each worker's task)."""
    from conftest import FOIA, require
    from opis.ingest.reading import read_task
    from opis.readers import read_drafts, reader_for
    from opis.readers.source import ReadOptions, SourceFile

    scan = require(FOIA / "F-1986-04261" / "C09000025.pdf")
    monkeypatch.setenv("OPIS_OCR", "always")
    before = dict(os.environ)
    source = SourceFile(scan)
    (draft,) = read_drafts(reader_for(source), source, ReadOptions(ocr="never"))
    assert draft.texts[0].method == "text-layer"
    options = pickle.loads(pickle.dumps(ReadOptions(ocr="never")))  # as a worker receives it
    outcome = read_task((scan, [], False, str(scan), options))
    assert outcome.failure is None and outcome.drafts[0].texts[0].method == "text-layer"
    assert dict(os.environ) == before


def test_an_unknown_ocr_option_is_refused():
    from opis.readers.source import ReadOptions

    with pytest.raises(ValueError, match="use one of auto, always, never"):
        ReadOptions(ocr="sometimes")
