"""Several texts of one record side by side, aligned paragraph by paragraph.

A record may hold a Russian or Chinese original and its English translation, or an OCR text and
its corrected transcription (``records.models.Text``, each with a role and a language). Read one
after the other, a reader scrolls back and forth to compare a sentence with its rendering; in
columns, paragraph n of each text stands in row n. Editors translate paragraph for paragraph, so
the n-th paragraphs correspond in the documents of these series; where the counts differ the
shorter text's cells stay empty at the end rather than being stretched by a guess. Each column
carries its text's label and language, and each cell its ``lang``, so screen readers and fonts
(Noto CJK for 周恩来) treat every text as its own language.

Paragraphs are the anchored passages of ``web.passages`` (``views.texts_with_passages``), so a
passage keeps the same URL (``#t2-p-3``) whether its texts are shown in columns or one by one.
"""

from itertools import zip_longest

MAX_COLUMNS = 3  # wider than three columns, a paragraph is a few words a line: shown one by one


def parallel_rows(texts: list[dict]) -> dict | None:
    """``{columns, rows}`` for two or three texts, else None (the texts are shown one by one).

    ``texts`` are ``views.texts_with_passages`` entries; a row is one cell per text, a cell the
    text's passage (or None past its end) with the text's language code."""
    if not 2 <= len(texts) <= MAX_COLUMNS or not all(text["passages"] for text in texts):
        return None
    columns = [
        {
            "label": t["label"] or t["role"].capitalize(),
            "language": t["language"],
            "code": t["code"],
        }
        for t in texts
    ]
    rows = [
        [{"passage": passage, "code": text["code"], "text": text} for passage, text in zip(
            row, texts, strict=True)]
        for row in zip_longest(*(text["passages"] for text in texts))
    ]  # fmt: skip
    return {"columns": columns, "rows": rows}
