"""A record with several texts shows them side by side, paragraph n beside paragraph n, each
column labelled with its text's label and language and each cell marked with its ``lang``.

The seed telegram holds its English translation; here it is given the Russian original's opening
paragraphs (as a curator would add a text), on the session archive through Django's test client.
"""

import html
import re

import pytest
from django.core.cache import cache

from conftest import SEED_ID
from opis.records.models import Text, TextRole
from opis.web.passages import paragraph_spans

RUSSIAN = (
    "ШИФРТЕЛЕГРАММА № 3305\nПЕКИН Только шифром\n\n"
    "СОВПОСОЛ Отправлена 03 ч. 15 м.\n13.7.50\n\n"
    "Передайте ЧЖОУ ЭНЬЛАЮ или МАО ЦЗЭДУНУ следующее:"
)


@pytest.fixture
def two_texts(archive) -> list[Text]:
    english = Text.objects.get(document_id=SEED_ID)
    english.position += 1  # the original first, as editors print it
    english.save()
    russian = Text.objects.create(
        document_id=SEED_ID,
        position=english.position - 1,
        language="ru",
        role=TextRole.ORIGINAL,
        label="Original - Russian",
        body=RUSSIAN,
    )
    cache.clear()  # rendered pages are kept until the index commits a change (web/caching.py)
    return [russian, english]


def cells(page: str) -> list[list[tuple[str, str]]]:
    """(lang, text) of every cell, row by row."""
    table = page[page.index('<table class="parallel">') : page.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)
    return [
        [
            (lang, html.unescape(re.sub(r"<[^>]+>", "", body)).replace("¶", "").strip())
            for lang, body in re.findall(r'<td lang="([^"]*)">(.*?)</td>', row, re.S)
        ]
        for row in rows
    ]


def test_original_and_translation_stand_side_by_side_paragraph_by_paragraph(client, two_texts):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    russian, english = two_texts
    rows = cells(page)
    ru = [russian.body[a:b].strip() for a, b in paragraph_spans(russian.body)]
    en = [english.body[a:b].strip() for a, b in paragraph_spans(english.body)]
    assert len(rows) == max(len(ru), len(en))
    for n, row in enumerate(rows):
        assert [lang for lang, _ in row] == ["ru", "en"]
        assert row[0][1] == (ru[n] if n < len(ru) else "")
        assert row[1][1] == (en[n] if n < len(en) else "")


def test_each_column_names_its_text_and_language(client, two_texts):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    head = page[page.index("<thead>") : page.index("</thead>")]
    columns = re.findall(
        r'<th scope="col" lang="(\w+)">(.*?)<span class="meta" lang="en">(.*?)<', head
    )
    assert [(lang, label) for lang, label, _ in columns] == [
        ("ru", "Original - Russian"),
        ("en", "Translation - English"),
    ]
    assert "Russian" in columns[0][2] and "English" in columns[1][2]


def test_passages_keep_their_anchors_in_columns(client, two_texts):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    assert 'id="t1-p-1"' in page and 'id="t2-p-1"' in page
    assert 'href="#t2-p-3"' in page


def test_a_record_with_one_text_is_shown_as_before(client, archive):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    assert 'class="parallel"' not in page
    assert 'id="p-1"' in page
