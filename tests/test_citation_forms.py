"""Archival citations in the forms historians write them, beyond any one corpus.

``tests/data/citation_forms.json`` holds citation forms written from public conventions (the
archives' own citation guides, FRUS source notes, the NAA and Bundesarchiv guides, the Wilson
Center's practice), each with the locations a reader should get. A form matches exactly when
the parser finds as many locations and each has exactly the expected non-empty fields (and the
expected common parts, where the form lists them). The figure is printed; the test requires 95 %
and a repository for every citation — an archive without a grammar of its own must still be
recognised from the register (``understand/data/repositories.json``).
"""

import json
from pathlib import Path

import pytest

from opis.understand.archives.generic import generic_parts
from opis.understand.citation import parse_archival_locations

FORMS = json.loads((Path(__file__).parent / "data" / "citation_forms.json").read_text("utf-8"))[
    "forms"
]
FIELDS = ("repository", "fond", "opis", "delo", "papka", "folios", "series", "control_symbol")
TARGET = 0.95


def read(citation: str) -> list[dict]:
    """The parsed locations as the forms file writes them: non-empty fields, and the parts."""
    found = []
    for location in parse_archival_locations(citation):
        fields = {key: getattr(location, key) for key in FIELDS if getattr(location, key)}
        found.append((fields, generic_parts(location.reference)))
    return found


def matches(form: dict) -> bool:
    found = read(form["citation"])
    if len(found) != len(form["expected"]):
        return False
    for (fields, parts), expected in zip(found, form["expected"], strict=True):
        wanted = {key: value for key, value in expected.items() if key != "parts"}
        if fields != wanted:
            return False
        if any(parts.get(name) != value for name, value in expected.get("parts", {}).items()):
            return False
    return True


def test_forms_cover_many_archives():
    repositories = {e["repository"] for form in FORMS for e in form["expected"]}
    assert len(FORMS) >= 100 and len(repositories) >= 60


def test_exact_match_rate_on_citation_forms(capsys):
    missed = [form["citation"] for form in FORMS if not matches(form)]
    rate = 1 - len(missed) / len(FORMS)
    with capsys.disabled():
        print(f"\ncitation forms: {len(FORMS) - len(missed)}/{len(FORMS)} exact = {rate:.1%}")
    assert rate >= TARGET, f"exact {rate:.1%} below {TARGET:.0%}; missed: {missed}"


@pytest.mark.parametrize("form", FORMS, ids=[form["citation"][:50] for form in FORMS])
def test_every_citation_yields_its_repository(form):
    found = [fields.get("repository", "") for fields, _ in read(form["citation"])]
    assert found and all(found), f"{form['citation']!r}: repositories {found}"
    assert found[0] == form["expected"][0]["repository"]
