"""The people a cable's title names: "Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)".

Editors title a telegram "sender to recipient(s)", with "or" between alternative recipients and the
intermediary in "(via …)". Offices are parties too ("Department of External Affairs"), and "to" also
occurs inside a sender's office ("Ambassador to the United Nations"), so the title is split only
where every part reads as a name or an office; otherwise it stays whole rather than be cut wrong.
"""

import re

from opis.understand.cable_times import MONTH_WORD

KINDS = r"(?:ciphered\s+|circular\s+|secret\s+|coded\s+)*(?:cablegrams?|telegrams?|cables?|telex)"
MARK = re.compile(
    r"\s*\[\d{1,3}\](?:\(#f\d+\))?(?!\s*(?:" + MONTH_WORD + r"))|\[\d{1,3}\]\(#f\d+\)"
)  # a footnote mark ("[3]", "[3](#f3)") that is not a bracketed date


def title_parties(title: str) -> tuple[str, list[str], str]:
    """ "Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)" → sender, recipients, via."""
    text = " ".join(MARK.sub(" ", title or "").split())
    text = re.sub(rf"^{KINDS}\b\s*,?\s*(?:from\s+)?", "", text, flags=re.IGNORECASE)
    via = ""
    if match := re.search(r"\s*\(\s*via\s+([^)]+)\)\s*$", text, re.IGNORECASE):
        via, text = match.group(1).strip(), text[: match.start()]
    if re.match(r"(?i)^to\s+", text):
        return "", split_names(text[3:], alternatives=" or " in text), via
    sender, recipients = _split_title(text)
    if not recipients:
        return "", [], via
    return sender, split_names(recipients, alternatives=" or " in recipients), via


_TAKES_TO = re.compile(
    r"(?:Mission|Delegation|Ambassador|Minister|Commissioner|Representative|Envoy|Embassy"
    r"|Legation|Observer|Adviser|Secretary)$",
    re.IGNORECASE,
)


def _split_title(text: str) -> tuple[str, str]:
    if ", to " in text:
        sender, _, recipients = text.partition(", to ")
        return sender.strip(), recipients.strip()
    parts = re.split(r"\s+to\s+", text, flags=re.IGNORECASE)
    if len(parts) < 2:
        return text.strip(), ""
    cut = 1
    while cut < len(parts) - 1 and _TAKES_TO.search(" ".join(parts[:cut])):
        cut += 1
    return " to ".join(parts[:cut]).strip(), " to ".join(parts[cut:]).strip()


def split_names(text: str, *, alternatives: bool) -> list[str]:
    """ "ZHOU ENLAI or MAO ZEDONG" → two; "King and Smuts", "Evatt and Department of External
    Affairs" → two; "Department of Commerce and Agriculture" and "Mr S. M. Bruce, High
    Commissioner" stay one (a split is made only where every part is a name or an office)."""
    text = text.strip(" .:")
    if alternatives:
        return [p.strip() for p in re.split(r"\s+or\s+", text) if p.strip()]
    left, _, right = text.rpartition(" and ")
    if not left or (re.search(r"\bof\s+\w+$", left) and len(right.split()) == 1):
        return [text] if text else []  # "Department of Commerce and Agriculture": one office
    parts = re.split(r"\s*,\s*", left)
    if not all(len(p.split()) == 1 or re.search(_OFFICE, p) for p in parts[1:]):
        parts = [left]  # "Mr S. M. Bruce, High Commissioner": an appositive, not a list
    parts.append(right)
    if all(_looks_like_name(p) or re.search(_OFFICE, p) for p in parts):
        return [p.strip() for p in parts]
    return [text] if text else []


_OFFICE = (
    r"^(?=[A-Z]).*?\b(?:Department|Embassy|Legation|Commission|Delegation|Government|Office"
    r"|Mission)\b"
)
_TITLE_WORDS = {"prime", "high", "minister", "secretary", "acting", "u.k.", "n.z.", "president"}


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not words or words[0].lower() in _TITLE_WORDS:  # "Prime Minister": an appositive
        return False
    return len(words) <= 4 and all(w[:1].isupper() or w in {"de", "van", "von"} for w in words)
