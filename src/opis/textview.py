"""A record as plain text for the terminal, in the order of the reference record's page."""

PART_LABELS = (
    ("repository", "Repository"), ("fond", "Fond"), ("opis", "Opis"), ("delo", "Delo"),
    ("papka", "Papka"), ("folios", "Folios"), ("series", "Series"),
    ("control_symbol", "Control symbol"), ("barcode", "Barcode"), ("reference", "Reference"),
)  # fmt: skip


def location_parts(location: dict) -> str:
    """ "Repository APRF · Fond 45 · Opis 1 · Delo 331 · Folios 85" """
    return " · ".join(f"{label} {location[key]}" for key, label in PART_LABELS if location.get(key))


def agent_line(agent: dict) -> str:
    role = agent["role"].replace("_", " ")
    line = f"{agent['name']} — {role}"
    if agent.get("signed_as"):
        line += f", signed as {agent['signed_as']}"
    if agent.get("count"):
        line += f" ({agent['count']} copies)" if agent["count"] > 1 else " (1 copy)"
    return line


def record_text(record: dict) -> str:
    date = record["date"]
    lines = [date["display"] or "Undated", "", record["title"], ""]
    lines.append(f"Id: {record['id']}    Type: {record['doc_type'] or 'document'}")
    if record.get("status", "published") != "published":  # who may see it: docs/publication.md
        until = f" until {record['embargo_until']}" if record.get("embargo_until") else ""
        lines.append(f"Status: {record['status']}{until}")
    if record["classification"]:
        lines.append(f"Classification: {record['classification']}")
    lines += ["", "Citation:", record["citation"] or "—"]
    if record["locations"]:
        lines += ["", "Archival locations:"]
        lines += [f"  {i}. {location_parts(loc)}\n     as written: {loc['raw']}"
                  for i, loc in enumerate(record["locations"], 1)]  # fmt: skip
    if record["summary"]:
        lines += ["", "Summary:", record["summary"]]
    lines += ["", "Original language: " + (", ".join(record["original_languages"]) or "unknown")]
    if record["agents"]:
        lines += ["", "People:"] + [f"  {agent_line(a)}" for a in record["agents"]]
    for text in record["texts"]:
        label = (
            text["label"] or f"{text['role'].title()} ({text['language'] or 'language unknown'})"
        )
        lines += ["", "Contents:", label, "", text["body"]]
    if record["source_url"]:
        lines += ["", f"Source: {record['source_url']}"]
    for note in record["notes"]:
        lines.append(f"Note: {note}")
    return "\n".join(lines)
