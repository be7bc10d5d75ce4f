"""Every document a search finds, over all its pages: what the tests compare with the catalogue.

A test that checks what a query finds must not stop at the first page, and paging itself must
hold: no document on two pages, and as many documents as the total the first page announced.
"""

from opis.search import search


def found_ids(query: str, **options) -> set[str]:
    """The ids of every document ``query`` finds (``options`` as ``search`` takes them)."""
    found: list[str] = []
    page = 1
    while True:
        results = search(query, page=page, per_page=100, **options)
        found += [hit.id for hit in results.results]
        if page >= results.pages:
            break
        page += 1
    assert len(found) == results.total == len(set(found))
    return set(found)
