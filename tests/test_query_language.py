"""The query language: how a query string is understood, and that any string at all is accepted.

The parser is total: every string parses. What it cannot take literally it repairs or ignores, and
says so in ``messages`` (shown above the results); a filter value it cannot understand matches
nothing and says why. See docs/search.md.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from all_pages import found_ids
from opis.search import SearchResults, search
from opis.search.query import MAX_DEPTH, And, Filter, Not, Or, Text, parse

# ---------------------------------------------------------------------------------------------
# What a query means.

PARSED = [
    ("korea", Text("korea")),
    ("korea china", And([Text("korea"), Text("china")])),
    ("korea AND china", And([Text("korea"), Text("china")])),
    ("korea OR china", Or([Text("korea"), Text("china")])),
    ("korea or china", And([Text("korea"), Text("or"), Text("china")])),  # only OR is an operator
    ("-china", Not(Text("china"))),
    ("korea -china", And([Text("korea"), Not(Text("china"))])),
    ("korea NOT china", And([Text("korea"), Not(Text("china"))])),
    ('"jet fighter"', Text("jet fighter", phrase=True)),
    ('-"jet fighter"', Not(Text("jet fighter", phrase=True))),
    ("diplom*", Text("diplom", prefix=True)),
    ("(korea OR china) -japan", And([Or([Text("korea"), Text("china")]), Not(Text("japan"))])),
    ("-(korea OR china)", Not(Or([Text("korea"), Text("china")]))),
    ("a OR b c", Or([Text("a"), And([Text("b"), Text("c")])])),  # AND binds tighter than OR
    ("title:telegram", Text("telegram", field="title")),
    ('title:"jet fighter"', Text("jet fighter", field="title", phrase=True)),
    ("type:telegram", Filter("type", "telegram")),
    ('type:"record of conversation"', Filter("type", "record of conversation")),
    ("doctype:letter", Filter("type", "letter")),
    ("-type:letter", Not(Filter("type", "letter"))),
    ("lang:ru", Filter("lang", "ru")),
    ("language:Russian", Filter("lang", "Russian")),
    ("archive:APRF", Filter("archive", "APRF")),
    ('archive:"AVP RF"', Filter("archive", "AVP RF")),
    ("repository:RGASPI", Filter("archive", "RGASPI")),
    ("collection:dfat-v22", Filter("collection", "dfat-v22")),
    ("year:1950", Filter("year", "1950")),
    ("year:1950..1953", Filter("year", "1950..1953")),
    ("date:1950-07..1950-08", Filter("date", "1950-07..1950-08")),
    ("decade:1950", Filter("decade", "1950")),
    ("id:wcda-110692", Filter("id", "wcda-110692")),
    ("TYPE:telegram", Filter("type", "telegram")),
    (
        '"jet fighter" year:1950 -type:letter',
        And(
            [
                Text("jet fighter", phrase=True),
                Filter("year", "1950"),
                Not(Filter("type", "letter")),
            ]
        ),
    ),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("query", "node"), PARSED)
def test_what_a_query_means(query, node):
    parsed = parse(query)
    assert parsed.node == node
    assert parsed.messages == [], "nothing needed repair"


# ---------------------------------------------------------------------------------------------
# Anything can be typed. Each hostile string gives results, and a message where something was
# repaired or ignored. ``same_as`` is a query that must find the same documents ("" = all of
# them, None = not checked); ``mentions`` is what the message must name.

NOTHING = "id:no-such-document"
HOSTILE = [
    # query, same_as, mentions (None: no repair needed, so no message required)
    pytest.param('"', "", "quotation mark", id="lone quotation mark"),
    pytest.param('""', "", "quotation marks", id="empty phrase"),
    pytest.param(":::", "", ":::", id="colons"),
    pytest.param("(((", "", "parenthesis", id="open parentheses"),
    pytest.param(")", "", "parenthesis", id="stray closing parenthesis"),
    pytest.param("title:", "", "title:", id="field without a value"),
    pytest.param("-", "", '"-"', id="lone minus"),
    pytest.param("*", "", "*", id="lone star"),
    pytest.param("AND OR NOT", "", "OR", id="operators only"),
    pytest.param("NOT", "", "NOT", id="NOT alone"),
    pytest.param("korea NOT", "korea", "NOT", id="NOT at the end"),
    pytest.param("\x00", "", "character", id="NUL"),
    pytest.param("korea\x07\x1b", "korea", "character", id="control characters"),
    pytest.param("🚀", "", "🚀", id="emoji"),
    pytest.param("<script>alert(1)</script>", "script alert 1 script", None, id="script tag"),
    pytest.param("a " * 5000, None, "1000 characters", id="10,000 characters"),
    pytest.param("year:abc", NOTHING, "year:abc", id="year not a year"),
    pytest.param("date:1950-13..x", NOTHING, "date:1950-13..x", id="date not a date"),
    pytest.param("date:1950-08..1950-07", NOTHING, "ends before it starts", id="date backwards"),
    pytest.param("decade:fifties", NOTHING, "decade:fifties", id="decade not a decade"),
    pytest.param("lang:klingon", NOTHING, "lang:klingon", id="unknown language"),
    pytest.param("foo:bar", "foo bar", '"foo:"', id="unknown field"),
    pytest.param("-korea", "-korea", None, id="exclusion only"),
    pytest.param("((korea OR) -", "korea", "OR", id="broken group"),
    pytest.param("korea OR", "korea", "OR", id="OR at the end"),
    pytest.param("OR korea", "korea", "OR", id="OR at the start"),
    pytest.param("(" * 400 + "korea" + ")" * 400, "korea", "32 deep", id="400 nested groups"),
    pytest.param("(" * 1000, "", "parenthes", id="1,000 opening parentheses"),
    pytest.param("-(" * 300 + "korea", None, "32 deep", id="300 nested exclusions"),
]


@pytest.mark.parametrize(("query", "same_as", "mentions"), HOSTILE)
def test_any_string_is_a_query(query, same_as, mentions, archive):
    results = search(query)
    assert isinstance(results, SearchResults)
    assert results.total >= 0 and len(results.results) <= results.per_page
    if mentions is not None:
        assert any(mentions in message for message in results.messages), results.messages
    if same_as is not None:
        assert results.total == search(same_as).total
        if results.total <= 400:
            assert found_ids(query) == found_ids(same_as)


@pytest.mark.parametrize("query", ["korea", "type:telegram", '"jet fighter"', "archive:APRF"])
def test_a_query_that_needs_no_repair_has_no_messages(query, archive):
    assert search(query).messages == []


@pytest.mark.parametrize(
    "field", ["title", "type", "lang", "archive", "collection", "year", "decade", "date", "id"]
)
def test_a_field_without_a_value_suggests_one_that_works(field, archive):
    [message] = search(f"{field}:").messages
    assert f"{field}:" in message
    example = re.search(r"e\.g\. (\S+?)\.?$", message)
    assert example, message
    assert example.group(1).startswith(f"{field}:")
    assert search(example.group(1)).messages == [], f"{example.group(1)} is itself understood"


def test_an_unknown_field_lists_the_fields(archive):
    [message] = search("colour:red").messages
    for field in ("title", "type", "lang", "archive", "collection", "year", "decade", "date"):
        assert field in message


def nesting(node) -> int:
    """How deep groups and exclusions nest in a parsed query."""
    if isinstance(node, Not):
        return 1 + nesting(node.node)
    if isinstance(node, And | Or):
        return 1 + max(nesting(n) for n in node.nodes)
    return 0


@pytest.mark.parametrize("depth", [1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 315, 10_000])
@pytest.mark.parametrize("opening", ["(", "-(", "NOT ("])
def test_groups_nest_at_most_max_depth_and_deeper_ones_are_flattened(depth, opening):
    query = (opening + "korea OR ") * depth + "china" + ")" * depth
    parsed = parse(query)  # 315 levels were a RecursionError (issue 10)
    assert nesting(parsed.node) <= 2 * MAX_DEPTH + 1
    flattened = any(f"{MAX_DEPTH} deep" in message for message in parsed.messages)
    assert flattened == (depth > MAX_DEPTH)
    assert parse(parsed.text).node == parsed.node, "the query as read means what was searched"


def test_a_long_query_is_cut_and_says_so(archive):
    results = search("korea " * 300)
    assert any("1000 characters" in m for m in results.messages)
    assert any("64 terms" in m for m in results.messages)
    assert results.total == search("korea").total


# ---------------------------------------------------------------------------------------------
# Properties: the parser and the search never raise, whatever is typed.

QUERY_PIECES = st.sampled_from(
    ['"', "(", ")", "-", "*", ":", "OR", "AND", "NOT", "title:", "type:", "year:", "date:",
     "lang:", "archive:", "decade:", "..", " ", "korea", "1950", "\x00", "🚀", "<b>", "ф."]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(),
    st.lists(st.one_of(QUERY_PIECES, st.text(max_size=4)), max_size=12).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(QUERIES)
def test_parse_never_raises(query):
    parsed = parse(query)
    assert all(isinstance(message, str) and message for message in parsed.messages)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_search_never_raises(query, archive):
    results = search(query, per_page=5)
    assert isinstance(results, SearchResults)
    assert results.total >= len(results.results)
