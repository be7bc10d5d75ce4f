"""Every form of a name finds what its commonest form finds: measured on an ingested archive.

    OPIS_DATA=/tmp/fullcorp python bench/name_forms.py [--persons 200] [--json]

Issue 13's target: "every form of a name finds ≥ 90 % of what its commonest form finds". For
the persons of the authority (curated list and the Office of the Historian's records) whose
forms, searched as plain words, find documents in this archive, each form is searched through
``search()`` as a reader types it (quoted when it has several words) and its count compared with
the commonest form's. The persons are the ``--persons`` with the most documents (the ones
readers look for), plus the issue's own examples (Chiang Kai-shek, Molotov, Khrushchev,
Sukarno) and places (Peking). A form that names several persons (a shared surname) is left out:
widening it would find someone else's documents, so it is meant to find fewer.
"""

import argparse
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opis.settings")

import django  # noqa: E402

django.setup()

from machine import describe  # noqa: E402
from opis.search import search  # noqa: E402
from opis.search.name_forms import person_named  # noqa: E402
from opis.understand import names  # noqa: E402
from opis.understand.places import resolve_place  # noqa: E402

EXAMPLES = ["Chiang Kai-shek", "Molotov", "Khrushchev", "Sukarno"]
PLACES = ["Peking", "Batavia", "Saigon"]
GOAL = 0.9


def found(form: str) -> int:
    query = f'"{form}"' if " " in form else form
    return search(query, per_page=1, staff=True).total


def forms_of(person) -> list[str]:
    """The person's forms that name this person alone (the ones a query may widen)."""
    return [f for f in names.search_terms(person) if person_named(f) is person]


def measure(label: str, forms: list[str]) -> dict:
    counts = {form: found(form) for form in forms}
    top = max(counts.values(), default=0)
    return {
        "name": label,
        "commonest": top,
        "forms": counts,
        "worst_share": round(min(counts.values()) / top, 3) if top else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    authority = names.authority()
    examples = [p for p in map(names.resolve, EXAMPLES) if p is not None]
    chosen = {p.id: p for p in examples}
    ranked = []
    for person in authority.persons.values():
        forms = forms_of(person)
        if len(forms) >= 2:
            ranked.append((found(person.canonical), person))
    ranked.sort(key=lambda pair: -pair[0])
    chosen |= {person.id: person for count, person in ranked[: args.persons] if count}
    rows = [measure(p.canonical, forms_of(p)) for p in chosen.values()]
    shown = {p.canonical for p in examples}
    for name in PLACES:
        place = resolve_place(name)
        if place:
            rows.append(measure(place.canonical, list(dict.fromkeys(place.forms()))))
            shown.add(place.canonical)
    judged = [row for row in rows if row["commonest"]]
    pairs = [(row, n) for row in judged for n in row["forms"].values()]
    met = sum(1 for row, n in pairs if n >= GOAL * row["commonest"])
    summary = {
        "machine": describe(),
        "names": len(judged),
        "forms": len(pairs),
        "forms_finding_90_percent": met,
        "share": round(met / len(pairs), 4) if pairs else None,
        "below": [row for row in judged if row["worst_share"] < GOAL],
        "examples": [row for row in rows if row["name"] in shown],
    }
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    print(
        f"{summary['names']} names, {summary['forms']} forms: {met} find ≥ 90 % of what the "
        f"commonest form finds ({summary['share']:.1%})"
    )
    for row in summary["examples"]:
        print(f"  {row['name']}: {row['forms']}")
    for row in summary["below"][:20]:
        print(f"  below 90 %: {row['name']}: {row['forms']}")


if __name__ == "__main__":
    main()
