"""What a search returns, shared by the CLI, the reading room and the API."""

from dataclasses import asdict, dataclass, field

SORTS = ("relevance", "date", "-date")
FACETS = (
    "decade", "year", "type", "lang", "archive", "collection", "person", "place", "classification",
)  # fmt: skip


@dataclass
class Hit:
    id: str
    title: str
    date: dict  # {start, end, precision, display}
    doc_type: str | None
    snippet: str  # HTML, already escaped; only <b> marks the matched words
    score: float | None = None
    status: str = "published"  # staff only see others: draft, withdrawn, embargoed
    embargo_until: str | None = None  # YYYY-MM-DD, for an embargoed record


@dataclass
class FacetValue:
    value: str  # the value itself: "telegram", "1950", "ru", "APRF", "dfat-v22"
    count: int
    label: str  # what a person reads: "1950s", "Russian", "Volume 22: …"
    filter: (
        str  # the query fragment that selects it: 'type:telegram', 'type:"record of conversation"'
    )


@dataclass
class SearchResults:
    query: str  # as read: control characters removed, cut to MAX_QUERY_CHARS (search.query)
    total: int
    page: int
    per_page: int
    sort: str
    results: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)  # how the query was understood or repaired

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "sort": self.sort,
            "results": [asdict(hit) for hit in self.results],
            "facets": {name: [asdict(v) for v in values] for name, values in self.facets.items()},
            "messages": list(self.messages),
        }
