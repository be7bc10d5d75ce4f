"""Who wrote to whom: the correspondence network of a search, as SVG, a table and JSON.

``/search/network?q=…`` takes the documents a search finds (the reader's own view of them:
``search`` applies ``records.visibility``), reads their agents' roles and draws one edge from each
sender (author, signatory) to each recipient (addressee, alternative recipient), weighted by the
documents they share; intermediaries ("via Roshchin") are listed on the edge. A person's network
is the network of ``person:"…"``, so it needs no route of its own.

**Only the stored agents.** Who sent a document to whom is read once, at ingest, from the
editors' titles (``understand.title_parties``, ``understand.agents``) and the readers' own marks,
and kept as agent roles a curator can correct. The network reads those roles and guesses nothing
from a title itself, so what it draws is what the record page and the API say.

**Why a layout on the server and no script.** The graph is drawn as inline SVG whose nodes and
edges are ordinary links (``<a href>``), so it works without JavaScript, under the strict CSP,
and with the keyboard (every link takes the focus, in document order: the heaviest edges first).
A circle, ordered so that each node sits beside its strongest partner, reads well for the few
dozen correspondents a search has; the table beside it is the complete, accessible view and the
no-JS fallback for what the drawing leaves out (it draws at most ``MAX_DRAWN`` nodes). Each edge
links to ``q from:"A" to:"B"``: the search that lists its documents.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from opis.errors import NotFound
from opis.records.models import Agent, AgentRole, Document
from opis.search import search
from opis.search.engine import MAX_PER_PAGE
from opis.understand import names
from opis.web import display
from opis.web.access import staff_view
from opis.web.errors import reports_errors
from opis.web.filters import search_url

MAX_DOCUMENTS = 1000  # documents read per network: ten pages of the engine's largest
MAX_DRAWN = 40  # nodes drawn; the table lists every edge
MAX_EDGE_DOCUMENTS = 50  # document ids per edge in the JSON
SENDERS = {"author", "signatory"}
RECIPIENTS = {"addressee", "alternative_recipient"}
INTERMEDIARIES = {"intermediary"}
WIDTH, HEIGHT = 960, 600  # the drawing's viewBox: room beside the circle for names
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 260


@dataclass(eq=False)
class Node:
    key: str  # "p:<authority id>" or "n:<name>": one person under every spelling
    name: str
    documents: set[str] = field(default_factory=set)
    x: float = 0.0
    y: float = 0.0


@dataclass
class Edge:
    source: str
    target: str
    documents: list[str] = field(default_factory=list)
    via: Counter = field(default_factory=Counter)


@dataclass
class Network:
    query: str
    documents: int  # documents read (at most MAX_DOCUMENTS)
    total: int  # documents the search found
    nodes: dict[str, Node]
    edges: list[Edge]

    def url(self, edge: Edge) -> str:
        """Where an edge's documents are listed: this page, for this query, with the pair chosen
        (a search cannot name them all: queries are capped at 1,000 characters)."""
        chosen = urlencode({"q": self.query, "from": edge.source, "to": edge.target})
        return f"/search/network?{chosen}#edge-documents"

    def edge(self, source: str, target: str) -> Edge | None:
        return next((e for e in self.edges if (e.source, e.target) == (source, target)), None)


def _quoted(name: str) -> str:
    return name.replace('"', " ").strip()


def correspondence(query: str, staff: bool) -> Network:
    """The network of the documents ``query`` finds, as a reader (or staff) sees them."""
    ids, total, query = _found(query, staff)
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str], Edge] = {}
    for document_id, sides in _parties(ids).items():
        found = {side: [_node(nodes, name, agent) for name, agent in sides[side]] for side in sides}
        for node in (n for side in found.values() for n in side):
            node.documents.add(document_id)
        for sender in dict.fromkeys(found["from"]):
            for recipient in dict.fromkeys(found["to"]):
                if sender.key == recipient.key:
                    continue
                pair = (sender.key, recipient.key)
                edge = edges.setdefault(pair, Edge(*pair))
                edge.documents.append(document_id)
                edge.via.update(n.key for n in dict.fromkeys(found["via"]))
    ordered = sorted(edges.values(), key=lambda e: (-len(e.documents), e.source, e.target))
    return Network(query, len(ids), total, nodes, ordered)


Party = tuple[str, Agent]  # (the name as written, its agent)


def _parties(ids: list[str]) -> dict[str, dict[str, list[Party]]]:
    """Each document's senders, recipients and intermediaries: its stored agents' roles."""
    parties: dict[str, dict[str, list[Party]]] = {}
    roles = AgentRole.objects.filter(document_id__in=ids).select_related("agent")
    for role in roles.order_by("document_id", "position"):
        side = _side(role.role)
        if side:
            sides = parties.setdefault(role.document_id, {"from": [], "to": [], "via": []})
            sides[side].append((role.agent.name, role.agent))
    return parties


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|M\.|Herr)\.?\s+", re.IGNORECASE)


def _node(nodes: dict[str, Node], written: str, agent: Agent) -> Node:
    """One node per person of the authority under whatever name a document used ("Mr R.G.
    Menzies", "Menzies"); else one per name as written, without office or title."""
    person_id = agent.person_id
    name = _HONORIFIC.sub("", written.split(",")[0].strip()) or written.strip()
    name = re.sub(r"\.(?=\w)", ". ", name)  # "S.M. Bruce" is "S. M. Bruce"
    if not person_id:
        found = names.resolve(name)
        person_id = found.id if found is not None else ""
    person = names.authority().get(person_id) if person_id else None
    if person is not None:
        key, shown = f"p:{person_id}", person.canonical
    else:  # the same name on several documents' agents is one node
        key, shown = "n:" + " ".join(name.lower().split()), name
    return nodes.setdefault(key, Node(key, shown))


def _found(query: str, staff: bool) -> tuple[list[str], int, str]:
    ids: list[str] = []
    page, total, read = 1, 0, query
    while len(ids) < MAX_DOCUMENTS:
        results = search(query, sort="date", page=page, per_page=MAX_PER_PAGE, staff=staff)
        total, read = results.total, results.query
        ids += [hit.id for hit in results.results]
        if page >= results.pages:
            break
        page += 1
    return ids[:MAX_DOCUMENTS], total, read


def _side(role: str) -> str:
    if role in SENDERS:
        return "from"
    if role in RECIPIENTS:
        return "to"
    return "via" if role in INTERMEDIARIES else ""


def layout(network: Network) -> list[Node]:
    """The drawn nodes on a circle, the busiest first, each placed next to its strongest partner
    that is already placed, so that heavy edges are short chords rather than diameters."""
    drawn = sorted(network.nodes.values(), key=lambda n: (-len(n.documents), n.name))[:MAX_DRAWN]
    keys = {n.key for n in drawn}
    weight: Counter = Counter()
    for edge in network.edges:
        if edge.source in keys and edge.target in keys:
            weight[edge.source, edge.target] += len(edge.documents)
            weight[edge.target, edge.source] += len(edge.documents)
    ring: list[Node] = []
    for node in drawn:
        partners = [i for i, placed in enumerate(ring) if weight[node.key, placed.key]]
        best = max(partners, key=lambda i: weight[node.key, ring[i].key], default=None)
        ring.insert(len(ring) if best is None else best + 1, node)
    for i, node in enumerate(ring):
        angle = 2 * math.pi * i / max(len(ring), 1) - math.pi / 2
        node.x = round(CENTRE_X + RADIUS * math.cos(angle), 1)
        node.y = round(CENTRE_Y + 0.95 * RADIUS * math.sin(angle), 1)
    return ring


def drawing(network: Network) -> dict:
    """What the template draws: nodes with positions and label anchors, edges as lines."""
    ring = layout(network)
    placed = {n.key: n for n in ring}
    heaviest = max((len(e.documents) for e in network.edges), default=1)
    lines = []
    for edge in network.edges:
        a, b = placed.get(edge.source), placed.get(edge.target)
        if a is None or b is None:
            continue
        lines.append({**_edge_row(network, edge), **_chord(a, b, len(edge.documents), heaviest)})
    nodes = [
        {
            "name": n.name,
            "x": n.x,
            "y": n.y,
            "r": round(4 + 8 * math.sqrt(len(n.documents) / max(_busiest(ring), 1)), 1),
            "count": len(n.documents),
            "url": _node_url(network, n),
            "label_x": round(n.x + (12 if n.x >= CENTRE_X else -12), 1),
            "anchor": "start" if n.x >= CENTRE_X else "end",
        }
        for n in ring
    ]
    left_out = len(network.nodes) - len(ring)
    return {"width": WIDTH, "height": HEIGHT, "nodes": nodes, "edges": lines, "left_out": left_out}


def _node_url(network: Network, node: Node) -> str:
    """A person of the authority: their page (/people/<id>); anyone else: the search for them."""
    if node.key.startswith("p:"):
        return reverse("person", args=[node.key[2:]])
    return search_url(f'{network.query} "{_quoted(node.name)}"')


def _busiest(ring: list[Node]) -> int:
    return max((len(n.documents) for n in ring), default=1)


def _chord(a: Node, b: Node, count: int, heaviest: int) -> dict:
    """A line from a to b stopping short of b's circle, so its arrowhead shows."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1
    stop = 14 / length
    return {
        "x1": a.x, "y1": a.y,
        "x2": round(b.x - dx * stop, 1), "y2": round(b.y - dy * stop, 1),
        "width": round(1 + 5 * count / heaviest, 1),
    }  # fmt: skip


def _edge_row(network: Network, edge: Edge) -> dict:
    via = [f"{network.nodes[k].name} ({n})" for k, n in edge.via.most_common()]
    sender, recipient = network.nodes[edge.source].name, network.nodes[edge.target].name
    count = len(edge.documents)
    return {
        "sender": sender,
        "recipient": recipient,
        "count": count,
        "via": ", ".join(via),
        "url": network.url(edge),
        "label": f"{sender} to {recipient}: {count} document{'s' if count != 1 else ''}"
        + (f", via {', '.join(via)}" if via else ""),
    }


def network_json(network: Network) -> dict:
    """The JSON beside the page: nodes, and edges with their documents and search URL."""
    return {
        "query": network.query,
        "documents": network.documents,
        "total": network.total,
        "nodes": [
            {"id": n.key, "name": n.name, "documents": len(n.documents)}
            for n in sorted(network.nodes.values(), key=lambda n: (-len(n.documents), n.name))
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "weight": len(e.documents),
                "documents": sorted(e.documents)[:MAX_EDGE_DOCUMENTS],
                "via": [{"id": k, "documents": n} for k, n in e.via.most_common()],
                "url": network.url(e),
            }
            for e in network.edges
        ],
    }


@reports_errors
def network_page(request: HttpRequest) -> HttpResponse:
    """The network of a search: the drawing, the table of every pair beside it, and the
    documents of the pair chosen (``from``, ``to``: node ids), which every edge links to."""
    network = correspondence(request.GET.get("q", ""), staff_view(request))
    source, target = request.GET.get("from", ""), request.GET.get("to", "")
    chosen = network.edge(source, target) if source and target else None
    if source and target and chosen is None:
        raise NotFound(
            f"no document found by {network.query!r} is from {source[:80]!r} to {target[:80]!r}; "
            "choose a pair from the network's table"
        )
    context = {
        "query": network.query,
        "network": network,
        "drawing": drawing(network),
        "rows": [_edge_row(network, e) for e in network.edges],
        "search_url": search_url(network.query),
        "json_url": "/search/network.json?" + urlencode({"q": network.query}),
        "capped": network.total > network.documents,
        "chosen": chosen and {**_edge_row(network, chosen), "documents": _listed(chosen)},
    }
    return render(request, "opis/network.html", context)


def _listed(edge: Edge) -> list[dict]:
    documents = Document.objects.filter(id__in=edge.documents).order_by("date_start", "id")
    return [
        {"id": d.id, "title": d.title, "date": display.date_text(d)}
        for d in documents.only("id", "title", "date_start", "date_display")
    ]


@reports_errors
def network_data(request: HttpRequest) -> JsonResponse:
    """``/search/network.json?q=…``: the same network as JSON."""
    network = correspondence(request.GET.get("q", ""), staff_view(request))
    return JsonResponse(network_json(network), json_dumps_params={"ensure_ascii": False})
