"""Id lists cut into fixed-size pieces before they become query parameters.

An ``__in`` filter names one SQL parameter per value, and SQLite refuses a statement with more than
its compiled limit (32,766 in current builds, 999 in old ones): "too many SQL variables". A batch of
a million records once named every one of them in a single query and failed the whole run. Every
query whose list grows with the size of a run goes through ``chunked``, so a statement names at most
``IN_CHUNK`` values however large the run (issue 12); 500 stays under every SQLite's limit, leaves
room for a query's other parameters, and is still few round trips.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

IN_CHUNK = 500  # values per ``__in``: under every SQLite's limit, with room to spare

T = TypeVar("T")


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """The items in lists of at most ``size``, in order; nothing for no items. An iterator is
    taken as it comes, never whole: the ids of a run of a million documents are not one list."""
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield list(items[start : start + size])
        return
    each = iter(items)
    while part := list(islice(each, size)):
        yield part
