"""People on a document, from the editor's title and the copies list.

Editors of document series write titles such as "Ciphered telegram, Filippov [Stalin] to Zhou Enlai
or Mao Zedong (via Roshchin)": the sender as signed with the editor's identification in brackets,
alternative recipients joined by "or", the intermediary in "(via …)". The copies list at the foot
("Copies: Stalin (2), Molotov") gives copy recipients and counts. Full cable headers come with
issue 3; this module reads what the titles and copies lines state, and nothing more.
"""

import re

from opis.drafts import AgentDraft

_TITLE = re.compile(
    r"^(?P<kind>[^,]+),\s*(?P<sender>.+?)\s+to\s+(?P<recipients>.+?)"
    r"(?:\s*\(\s*via\s+(?P<via>[^)]+)\))?\s*$",
    re.IGNORECASE,
)
_SIGNED = re.compile(r"^(?P<signed>[^\[\]]+?)\s*\[(?P<identified>[^\[\]]+)\]$")
_COPY = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<count>\d+)\))?$")


def agents_from_title(title: str) -> list[AgentDraft]:
    """Signatory (with signed_as), addressees or alternative recipients, and intermediary."""
    match = _TITLE.match(" ".join(title.split()))
    if not match:
        return []
    agents = [_sender(match.group("sender"))]
    recipients = match.group("recipients")
    alternatives = re.split(r"\s+or\s+", recipients)
    if len(alternatives) > 1:
        agents += [AgentDraft(name=n.strip(), role="alternative_recipient") for n in alternatives]
    else:
        names = re.split(r"\s+and\s+|,\s*", recipients)
        agents += [AgentDraft(name=n.strip(), role="addressee") for n in names if n.strip()]
    if match.group("via"):
        agents.append(AgentDraft(name=match.group("via").strip(), role="intermediary"))
    return agents


def _sender(text: str) -> AgentDraft:
    signed = _SIGNED.match(text.strip())
    if signed:
        return AgentDraft(
            name=signed.group("identified").strip(),
            role="signatory",
            signed_as=signed.group("signed").strip(),
        )
    return AgentDraft(name=text.strip(), role="author")


def copies_from_text(body: str) -> list[AgentDraft]:
    """Copy recipients from a "Copies: Stalin (2), Molotov" line, counts where stated."""
    match = re.search(r"^\s*Copies\s*:\s*(?P<list>.+)$", body, re.IGNORECASE | re.MULTILINE)
    if not match:
        return []
    agents = []
    for item in match.group("list").split(","):
        copy = _COPY.match(item.strip())
        if copy and copy.group("name"):
            count = int(copy.group("count")) if copy.group("count") else None
            agents.append(AgentDraft(name=copy.group("name"), role="copy_recipient", count=count))
    return agents
