"""The correspondence network of a search: who wrote to whom, weighted by documents, as JSON,
as a drawing of links and as a table; each edge leads to exactly its documents.

On the session archive (the seed telegram and one DFAT volume), through Django's test client.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from all_pages import found_ids
from conftest import SEED_ID
from opis.records.models import AgentRole, Collection, Status
from opis.records.publication import set_status
from opis.search.indexer import reindex


def dfat_query() -> str:
    """The session's DFAT volume, whose cables name their senders and addressees."""
    return "collection:" + Collection.objects.get(slug__startswith="dfat-").slug


def network(client, query: str) -> dict:
    response = client.get("/search/network.json", {"q": query})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_seed_telegram_runs_from_stalin_to_mao_and_zhou_via_roshchin(client, archive):
    found = network(client, f"id:{SEED_ID}")
    names = {node["id"]: node["name"] for node in found["nodes"]}
    edges = {(names[e["source"]], names[e["target"]]): e for e in found["edges"]}
    sender = AgentRole.objects.get(document_id=SEED_ID, role="signatory").agent
    assert sender.name in {"Filippov [Stalin]", "Stalin"} or "Stalin" in names.get(
        f"p:{sender.person_id}", ""
    )
    stalin = next(n for n in names.values() if "Stalin" in n)
    recipients = {target for (source, target) in edges if source == stalin}
    assert {"Zhou Enlai", "Mao Zedong"} <= recipients
    for target in ("Zhou Enlai", "Mao Zedong"):
        edge = edges[stalin, target]
        assert edge["weight"] == 1 and edge["documents"] == [SEED_ID]
        assert [names[v["id"]] for v in edge["via"]] == [
            n for n in names.values() if "Roshchin" in n
        ]


def test_every_edge_weighs_the_documents_that_make_it_all_found_by_the_query(client, archive):
    query = dfat_query()
    found = network(client, query)
    assert found["edges"], "a DFAT volume's cables name their senders and addressees"
    hits = found_ids(query)
    assert found["documents"] == found["total"] == len(hits)
    for edge in found["edges"]:
        assert edge["weight"] == len(edge["documents"])  # none has 50 documents in one volume
        assert set(edge["documents"]) <= hits
    weights = [e["weight"] for e in found["edges"]]
    assert weights == sorted(weights, reverse=True)  # the heaviest first: also the tab order
    assert max(weights) > 1


def test_opening_an_edge_lists_exactly_its_documents(client, archive):
    query = dfat_query()
    found = network(client, query)
    edge = found["edges"][0]
    response = client.get(edge["url"])
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="edge-documents"')
    chosen = page[start : page.index("</section>", start)]
    listed = re.findall(r'href="/documents/([^"]+)"', chosen)
    assert sorted(listed) == sorted(edge["documents"])
    assert parse_qs(urlsplit(edge["url"]).query)["q"] == [query]


def test_the_page_draws_every_edge_as_a_focusable_link_and_tables_every_pair(client, archive):
    query = dfat_query()
    found = network(client, query)
    page = client.get("/search/network", {"q": query}).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    drawn = re.findall(r'<a class="network__edge" href="([^"]+)" aria-label="([^"]+)"', svg)
    table = page[page.index("<table") : page.index("</table>")]
    rows = re.findall(r"<tr><td>", table)
    assert len(rows) == len(found["edges"])
    assert 0 < len(drawn) <= len(found["edges"])
    first = found["edges"][0]
    assert html.unescape(drawn[0][0]) == first["url"]  # heaviest edge: the first link in tab order
    assert f"{first['weight']} document" in html.unescape(drawn[0][1])
    nodes = re.findall(r'<a class="network__node" href="([^"]+)"', svg)
    assert nodes and all(n.startswith(("/people/", "/search?")) for n in nodes)


def test_a_record_readers_may_not_see_leaves_no_trace_in_their_network(
    client, archive, isolated_index
):
    reindex()
    assert any("Roshchin" in n["name"] for n in network(client, "year:1950")["nodes"])
    set_status(SEED_ID, Status.DRAFT, actor="test")
    reindex()
    found = network(client, "year:1950")
    assert all(SEED_ID not in e["documents"] for e in found["edges"])
    assert not any("Roshchin" in n["name"] for n in found["nodes"])


@pytest.mark.parametrize("query", ["", "nothing-matches-this-zzqx", '"unclosed', "year:"])
def test_any_query_draws_a_page_or_says_there_is_nothing(client, archive, query):
    response = client.get("/search/network", {"q": query})
    assert response.status_code in (200, 400)
    if "nothing-matches" in query:
        assert b"no network to draw" in response.content


def test_a_pair_not_in_the_network_is_not_found(client, archive):
    response = client.get(
        "/search/network", {"q": "year:1950", "from": "n:nobody", "to": "n:no one"}
    )
    assert response.status_code == 404
    assert b"choose a pair" in response.content
