"""A document's thread on its page: one chain in date order, what it answers above it and the
replies below, each with date and sender; rejected links and unseen records left out.

On the session archive (the seed telegram and one DFAT volume, whose cables cite each other).
"""

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from opis.records.accounts import CURATOR, set_role
from opis.records.models import Document, Status, ThreadLink
from opis.records.publication import set_status
from opis.web.thread_chain import MAX_STEPS


def chain_of(client, document_id: str) -> list[tuple[str, str]]:
    """(kind, id or "") for each link of the chain, in page order; kind "here" for the page's."""
    page = client.get(f"/documents/{document_id}").content.decode()
    if 'class="thread-chain"' not in page:
        return []
    start = page.index('class="thread-chain"')
    chain = page[start : page.index("</ol>", start)]
    found = []
    for item in re.findall(r"<li class=\"thread-chain__link[^\"]*\"[^>]*>.*?</li>", chain, re.S):
        if 'aria-current="page"' in item:
            found.append(("here", document_id))
        else:
            target = re.search(r'href="/documents/([^"]+)"', item)
            found.append(("link", target.group(1) if target else ""))
    return found


@pytest.fixture
def linked(archive) -> str:
    """A DFAT cable that cites an earlier one and is cited by a later one."""
    cited = set(ThreadLink.objects.exclude(target_id=None).values_list("target_id", flat=True))
    citing = set(ThreadLink.objects.values_list("source_id", flat=True))
    both = sorted(cited & citing)
    assert both, "the session's DFAT volume has cables both citing and cited"
    return both[0]


def test_the_chain_puts_what_it_answers_before_it_and_replies_after(client, linked):
    chain = chain_of(client, linked)
    here = chain.index(("here", linked))
    earlier = {i for _, i in chain[:here]}
    later = {i for _, i in chain[here + 1 :]}
    answers = ThreadLink.objects.filter(source_id=linked).exclude(target_id=None)
    replies = ThreadLink.objects.filter(target_id=linked)
    assert set(answers.values_list("target_id", flat=True)) <= earlier
    assert set(replies.values_list("source_id", flat=True)) <= later


def test_the_chain_is_in_date_order_and_names_dates_and_senders(client, linked):
    chain = [i for kind, i in chain_of(client, linked) if i]
    dated = Document.objects.in_bulk(chain)
    starts = [dated[i].date_start for i in chain if dated[i].date_start]
    here = chain.index(linked)
    assert starts[: here + 1] == sorted(starts[: here + 1])
    assert starts[here:] == sorted(starts[here:])
    page = client.get(f"/documents/{linked}").content.decode()
    assert re.search(r'thread-chain__date">\d{1,2} \w+ \d{4} · \S', page)  # "12 May 1948 · …"


def test_links_are_followed_beyond_one_step(client, archive):
    """A cable whose target itself cites another: the grandparent is in the chain too."""
    links = list(ThreadLink.objects.exclude(target_id=None).values_list("source_id", "target_id"))
    parents = dict(links)
    grand = next(((s, t, parents[t]) for s, t in links if t in parents and parents[t] != s), None)
    assert grand, "the session's DFAT volume has a chain of three cables"
    source, _, grandparent = grand
    assert grandparent in {i for _, i in chain_of(client, source)}
    assert MAX_STEPS >= 2


def test_a_rejected_link_is_not_followed(client, archive):
    """A target only one cable cites (and that cites nothing): rejecting the link drops it."""
    links = list(ThreadLink.objects.exclude(target_id=None).values_list("source_id", "target_id"))
    cited_by: dict[str, set[str]] = {}
    for source, target in links:
        cited_by.setdefault(target, set()).add(source)
    sources = {s for s, _ in links}
    source, target = next(
        (s, t) for s, t in links if cited_by[t] == {s} and t not in sources and s not in cited_by
    )
    assert target in {i for _, i in chain_of(client, source)}
    ThreadLink.objects.filter(source_id=source, target_id=target).update(
        state=ThreadLink.State.REJECTED
    )
    cache.clear()  # rendered pages are kept until the index commits a change (web/caching.py)
    assert target not in {i for _, i in chain_of(client, source)}


def test_readers_do_not_meet_an_unpublished_reply_staff_do(client, linked):
    reply = ThreadLink.objects.filter(target_id=linked).first().source_id
    set_status(reply, Status.DRAFT, actor="test")
    cache.clear()  # rendered pages are kept until the index commits a change (web/caching.py)
    assert reply not in {i for _, i in chain_of(client, linked)}
    curator = User.objects.create_user("chain-curator", password="not used")
    set_role(curator, CURATOR, actor="test")
    client.force_login(curator)
    assert reply in {i for _, i in chain_of(client, linked)}
