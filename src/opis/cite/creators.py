"""Who wrote a document and to whom, as citation managers want the names.

Roles come from the record's agents: signatories and authors are the *authors*; addressees and
alternative recipients the *recipients*; an intermediary ("via Roshchin") is neither and goes in
the item's note. Where a record has no agents in a role, the cable header's signatory and
addressees stand in (FRUS and DFAT telegrams name their addressee there and nowhere else).

Names are written as the authority inverts them — ``{"family": "Stalin", "given": "Iosif
Vissarionovich"}``, ``{"family": "Zhou", "given": "Enlai"}`` — because a reference manager
splitting "Zhou Enlai" by itself files him under "Enlai". Chinese, Korean and Vietnamese names
written family-first keep that order in print (CSL ``static-ordering``). A name the authority
does not know, or an office ("Prime Minister's Department"), stays one literal name.
"""

from opis.understand import names

AUTHOR_ROLES = ("author", "signatory")
RECIPIENT_ROLES = ("addressee", "alternative_recipient")
VIA_ROLES = ("intermediary",)
FAMILY_FIRST_SCRIPTS = ("zh", "ko", "vi")


def csl_name(name: str, person_id: str | None = None) -> dict:
    """One CSL name: family and given from the authority's canonical form, else literal."""
    person = names.authority().get(person_id) if person_id else None
    canonical = person.canonical if person else ""
    if "," in canonical:
        family, given = (part.strip() for part in canonical.split(",", 1))
        return {"family": family, "given": given}
    family_first = person and any(
        key.split("-")[0] in FAMILY_FIRST_SCRIPTS for key in person.original
    )
    if family_first and " " in canonical:
        family, given = canonical.split(" ", 1)
        return {"family": family, "given": given, "static-ordering": True}
    return {"literal": name}


def _agents(record: dict, roles: tuple[str, ...]) -> list[dict]:
    seen: dict[str, dict] = {}
    for agent in record.get("agents") or []:
        if agent["role"] in roles and agent["name"] not in seen:
            seen[agent["name"]] = csl_name(agent["name"], agent.get("person_id"))
    return list(seen.values())


def authors(record: dict) -> list[dict]:
    found = _agents(record, AUTHOR_ROLES)
    signatory = (record.get("cable") or {}).get("signatory")
    return found or ([{"literal": signatory}] if signatory else [])


def recipients(record: dict) -> list[dict]:
    found = _agents(record, RECIPIENT_ROLES)
    cable = record.get("cable") or {}
    written = cable.get("recipients_any_of") or cable.get("addressees") or []
    return found or [{"literal": name} for name in written]


def intermediaries(record: dict) -> list[str]:
    return [name_text(n) for n in _agents(record, VIA_ROLES)]


def name_text(name: dict) -> str:
    """A CSL name as it reads in running text: "Iosif Vissarionovich Stalin", "Zhou Enlai"."""
    if "literal" in name:
        return name["literal"]
    parts = [name["family"], name["given"]] if name.get("static-ordering") else [
        name["given"], name["family"]]  # fmt: skip
    return " ".join(p for p in parts if p)


def inverted(name: dict) -> str:
    """A CSL name as reference formats write it: "Stalin, Iosif Vissarionovich"; a literal name
    as is (RIS and BibTeX readers take a name without a comma as one family name only when
    told; see each renderer)."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def short(name: dict) -> str:
    """The name in a short note: the family name; family-first names whole ("Zhou Enlai")."""
    if "literal" in name:
        return name["literal"]
    return name_text(name) if name.get("static-ordering") else name["family"]
