"""Files the fuzzer found hard, kept as plain regression tests (see test_fuzz.py)."""

import time

from conftest import SEED, require
from opis.readers import reader_for
from opis.readers.source import SourceFile


def test_a_huge_line_after_a_text_label_is_text_and_read_quickly(tmp_path):
    """Fuzz mutant wilson-record #382: a 10 MB line spliced into the Contents. Every line was
    matched against the label pattern (and a label's language looked up), which took seconds."""
    seed = require(SEED).read_text(encoding="utf-8")
    huge = "word " * 1_000_000
    path = tmp_path / SEED.name
    path.write_text(seed.replace("Translation - English", "Translation - English\n" + huge, 1))
    source = SourceFile(path)
    started = time.perf_counter()
    (draft,) = reader_for(source).read(source)
    assert time.perf_counter() - started < 5.0
    assert draft.texts[0].label == "Translation - English"
    assert huge.strip() in draft.texts[0].body
