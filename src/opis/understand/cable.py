"""Cable headers: number, places, times, handling and grading, the people a telegram names.

A telegram's header is written by the cipher clerk, not the editor, and each tradition writes it its
own way. Four layouts are read here, each by a small header reader that tries in turn:

- the DFAT heading line, "Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m." (number, origin,
  sent), sometimes "Received 9 December", followed by grading/precedence lines ("MOST IMMEDIATE
  SECRET");
- a dateline and a numbered first line, as FRUS and later DFAT volumes print them ("Washington,
  June 14, 1917, 5 p.m. [Received 11.10 p.m.]" then "4995. Your …"; "Canberra, 2 May 1963" then
  "1534\\. Confidential");
- the US State Department telegram (``us_telegram``: "FM AMEMBASSY MOSCOW / TO SECSTATE WASHDC");
- the Soviet ciphered-telegram form of the seed ("CIPHERED TELEGRAM No. 3305 / BEIJING Only by
  ciphered telegraph / SOVIET AMBASSADOR Sent 03:15 / 13.7.50 / Transmit to … or … the following").

Values stay as written, with two normalisations: places are upper-cased (the clerks' convention, and
what facets group on) and times become ISO "YYYY-MM-DDTHH:MM" (the date alone where no time is
written). A copy without a count ("Molotov") keeps count null: the list does not say, and we do not
guess. Grading (SECRET, TOP SECRET…) goes to ``classification``; everything else in those lines
(precedence, PERSONAL, "FOR THE PRIME MINISTER HIMSELF", the seed's "Only by ciphered telegraph")
goes to ``handling``. Requests inside the text ("Communicate your views") are not the cable's
``action``: only a closing instruction line before the signature ("Telegraph fulfillment") is.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from opis.understand.agents import copies_from_text
from opis.understand.cable_handling import (
    HANDLING_WORDS,
    NUMBER_LINE,
    is_grading_line,
    peel_handling,
    read_grading,
    read_grading_words,
)
from opis.understand.cable_parties import KINDS, MARK, split_names, title_parties
from opis.understand.cable_times import (
    HEADER_LINE_CHARS,
    MONTH_WORD,
    TIME,
    date_in,
    received,
    stamp,
    time_in,
)
from opis.understand.classification import GRADING
from opis.understand.us_telegram import read_us_header

_HEADING_KIND = r"(?:circular\s+)?(?:cablegrams?|telegrams?|telex|teleprinter\s+message)"
_KIND_LINE = re.compile(rf"^\s*#*\s*{_HEADING_KIND}\b", re.IGNORECASE)
_KIND_TITLE = re.compile(rf"^\s*{KINDS}\b", re.IGNORECASE)
_NOTE_KIND = re.compile(r"\b(?:telegram|cablegram|cable|telex)\b", re.IGNORECASE)
_ACTION = re.compile(
    r"^(?:telegraph|report|confirm|acknowledge|cable|wire)\b[^.\"“”]{0,40}\.?$", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^(?P<signed>[A-Z][A-Z.'’\- ]{1,40}?)\s*(?:\[(?P<identified>[^\]]+)\])?$")
_NOT_SIGNATURES = {"ENDS", "BEGINS", "MESSAGE ENDS", "END", "TEXT ENDS"}


@dataclass
class Cable:
    """One telegram's header, as its clerk and its editor wrote it."""

    number: str = ""  # as written; several when one text went out under several numbers
    origin: str = ""
    destination: str = ""
    sent: str = ""  # ISO date or date-time
    received: str = ""
    handling: str = ""
    classification: str = ""
    addressees: list[str] = field(default_factory=list)
    intermediary: str = ""
    recipients_any_of: list[str] = field(default_factory=list)
    action: str = ""
    signed_as: str = ""
    signatory: str = ""
    copies: list[dict] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        """Normalised numbers, for matching references ("UN 949" and "UN.949" → "UN949")."""
        return cable_numbers(self.number)


def cable_json(cable: Cable) -> dict:
    """The record's ``cable`` object: empty strings become null, lists stay lists."""
    data = asdict(cable)
    return {key: (value if value not in ("", None) else None) for key, value in data.items()}


def cable_record(title: str, body: str, **context: str) -> dict | None:
    """The ``cable`` object of a record (``cable_json``), or None when it is not a telegram."""
    cable = parse_cable(title, body, **context)
    return cable_json(cable) if cable is not None else None


def normalise_number(text: str) -> str:
    """ "UN.949", "UN 949", "No. 949", "United Nations 949" → comparable keys ("UN949", "949");
    "Circular B.69" → "B69" (the word says how it went out, not which it was)."""
    text = re.sub(r"\bNos?\b\.?|\bcircular\b|\bnumbers?\b", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bUnited\s+Nations\b", "UN", text, flags=re.IGNORECASE)
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def cable_numbers(number: str) -> list[str]:
    """Every number a cable went out under: "102, 647, 32, 79" → four keys, "Johcu 14 Taut 335" →
    two; "unnumbered" → none."""
    keys = []
    for part in re.split(r",|/|\band\b|&|(?<=\d)\s+(?=[A-Za-z])", number or ""):
        key = normalise_number(part)
        if key and re.search(r"\d", key):
            keys.append(key)
    return keys


def is_cable(title: str, body: str, *, note: str = "") -> bool:
    """Whether the document is a telegram: its heading, its title or its source note says so."""
    heading = _first_lines(body, 1)
    return bool(
        (heading and _KIND_LINE.match(heading[0]))
        or _KIND_TITLE.match(title or "")
        or (note and _NOTE_KIND.search(note))
    )


def parse_cable(
    title: str,
    body: str,
    *,
    collection_hint: str = "",
    dateline: str = "",
    note: str = "",
    signed: str = "",
) -> Cable | None:
    """The header of a telegram, or None when the document is not one.

    ``dateline`` and ``signed`` are for readers that hold them apart from the body (FRUS TEI's
    ``<dateline>`` and ``<signed>``); ``note`` is a source note such as FRUS's "[Telegram]" or
    "835.30/20: Telegram". The layouts are told apart by their own shape; ``collection_hint``
    ("frus") only allows a first paragraph's leading number ("327. Your 586 …") to be read as the
    telegram's number, which a dateline passed apart allows too.
    """
    body = body or ""
    cable = Cable()
    if read_us_header(body, cable):  # its own marks say what it is, whatever the title
        return cable
    if not is_cable(title, body, note=note):
        return None
    lines = [line[:HEADER_LINE_CHARS] for line in _first_lines(main_text(body), 12)]
    rest = _read_heading(lines, cable)  # each returns the index of the line after the header
    if rest is None:
        rest = _read_soviet(lines, cable)
    if rest is None:
        rest = _read_dateline(lines, cable, dateline, collection_hint)
    if rest is None:  # no layout: a number line may still open it ("488. IMMEDIATE")
        rest = 1 if lines and _opens_with_number_line(lines[0], cable) else 0
    read_grading(lines[rest : rest + 4], cable)
    _read_series_and_receipt(lines[rest : rest + 5], cable)
    sender = _read_parties(title, body, cable)
    _read_foot(body, cable, signed=signed, sender=sender)
    return cable


# --- the three header layouts ----------------------------------------------------------------


def _read_heading(lines: list[str], cable: Cable) -> int | None:
    """DFAT: "Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m." Returns the next line index."""
    if not lines or not _KIND_LINE.match(lines[0]):
        return None
    if re.match(r"(?i)^\s*ciphered\s+telegram\s+no\b", lines[0]):
        return None  # the Soviet form
    sent_text, received_text = _split_received(_clean_heading(lines[0]))
    day, start, end = date_in(sent_text)
    prefix, suffix = (sent_text, "") if day is None else (sent_text[:start], sent_text[end:])
    number, place = _number_and_place(prefix)
    cable.number = number.rstrip("\\.")  # "488. IMMEDIATE LONDON": the number's own full stop
    cable.origin, words = peel_handling(place)
    if words:
        read_grading_words(words, cable)
    cable.sent = stamp(day, time_in(suffix))
    read_grading([TIME.sub(" ", suffix).strip(" ,.")], cable)  # "…, 3 January 1948, TOP SECRET"
    cable.received = received(received_text, day) if received_text else ""
    return 1


def _split_received(text: str) -> tuple[str, str]:
    parts = re.split(r"\[?\s*\breceived\b", text, maxsplit=1, flags=re.IGNORECASE)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _clean_heading(line: str) -> str:
    """The heading without its kind word, footnote marks and editors' brackets."""
    line = line.lstrip("#").strip()
    line = re.sub(rf"^{_HEADING_KIND}\b\s*", "", line, flags=re.I)
    line = re.sub(r"^\[([^\]]+)\]", r"\1", line)  # an editor-supplied number: "[373]"
    line = re.sub(r"(?i)unnumbered(?=[\w.])\.?", "unnumbered ", line)
    line = _unbracket_date(line)
    line = MARK.sub(" ", line)
    line = re.sub(r"\[[A-Z]\]", " ", line)  # editors' letter marks: "121[A]"
    line = re.sub(r"\((?:extracts?|paraphrase|copy|decode|summary)\)", " ", line, flags=re.I)
    line = re.sub(r"\(unnumbered\)", "unnumbered", line, flags=re.I)
    line = line.replace("[", "").replace("]", "").replace("'", " ")
    return " ".join(line.split())


def _unbracket_date(text: str) -> str:
    """Editors' conjectures inside a date are kept, footnote marks beside them dropped:
    "1[7] September" → "17 September", "[15] [1] October" → "15 October", "194[9]" → "1949",
    "Received [26]" → "Received 26"; "0ctober" (a zero) → "October"."""
    month = rf"(?=\s*(?:\[\d{{1,2}}\]\s*)?{MONTH_WORD})"
    text = re.sub(r"\b0(?=ctober)", "O", text)
    text = re.sub(rf"(\d)\[?(?={MONTH_WORD})", r"\1 ", text)  # "2[July]" → "2 July]"
    text = re.sub(r"\[\s*(?:\?|c\.)\s*", "[", text, flags=re.I)  # "[? 16 December", "[c. 17"
    text = re.sub(rf"\b(\d)\[(\d)\]{month}", r"\1\2", text)
    text = re.sub(rf"(\d\]?)\s*\[\d{{1,2}}\](?=\s*{MONTH_WORD})", r"\1", text)  # "5] [1] June"
    text = re.sub(rf"\[(\d{{1,2}})\]\s*\[\d{{1,2}}\](?={MONTH_WORD})", r"\1 ", text)
    text = re.sub(rf"\[(\d{{1,2}})\]\s*\[\d{{1,2}}\]\s+(?={MONTH_WORD})", r"\1 ", text)
    text = re.sub(rf"({MONTH_WORD}\s+1\d\d)\[(\d)\]", r"\1\2", text, flags=re.I)
    return re.sub(r"(?i)(received)\s*\[(\d{1,2})\]", r"\1 \2", text)


def _number_and_place(prefix: str) -> tuple[str, str]:
    """Split "UN949 NEW YORK," → ("UN949", "NEW YORK"), "102, 647 CANBERRA" → ("102, 647",
    "CANBERRA"), "3 Saving LONDON" → ("3 Saving", "LONDON"): the number runs to the last token
    holding a digit and any lower-case words after it; the place is the capitals that follow."""
    prefix = re.sub(r"\bn\.\s*d\..*$", "", prefix)  # "n.d." (no date) and the editors' guess
    prefix = re.sub(r"\([A-Za-z ]+\)", " ", prefix)  # "(translation)", "(draft)"
    prefix = re.split(r"(?<=[A-Z]{2}),", prefix)[0]  # the place ends at its comma
    tokens = [t for t in prefix.replace(",", " , ").split() if t not in {"?", "c.", "C."}]
    last = -1
    for i, token in enumerate(tokens):
        if re.search(r"\d", token) or "unnumbered" in token.lower():
            last = i
    while last + 1 < len(tokens) and tokens[last + 1] != tokens[last + 1].upper():
        last += 1  # "Saving", "Ego": series words, part of the number
    number = " ".join(tokens[: last + 1]).replace(" ,", ",").strip(" ,")
    if not re.search(r"\d", number) and ("unnumbered" in number.lower() or len(number.split()) > 2):
        number = ""
    place = " ".join(t for t in tokens[last + 1 :] if t != ",").strip(" ,.:;'?")
    if len(place) < 2 or not re.search(r"[A-Za-z]", place):
        place = ""
    return number, place.upper()


def _read_soviet(lines: list[str], cable: Cable) -> int | None:
    """The seed's form: number, destination with handling, addressee with time, a dd.mm.yy date."""
    if not lines or not re.match(r"(?i)^\s*ciphered\s+telegram\b", lines[0]):
        return None
    if match := re.search(r"\bNo\.?\s*([\w/-]+)", lines[0], re.IGNORECASE):
        cable.number = match.group(1)
    index, time, day = 1, "", None
    for index in range(1, min(len(lines), 6)):
        line = lines[index]
        if re.match(r"(?i)^transmit\b", line):
            break
        place = re.match(r"^(?P<caps>[A-Z][A-Z\s-]*[A-Z])\b(?P<rest>.*)$", line)
        sent = re.search(r"\bSent\b\s*(.+)$", line)
        if sent:
            time = time_in(sent.group(1))
            addressee = line[: sent.start()].strip()
            if addressee:
                cable.addressees.append(addressee)
        elif place and not cable.destination and not date_in(line)[0]:
            cable.destination = place.group("caps").strip()
            cable.handling = place.group("rest").strip()
        elif (found := date_in(line)[0]) is not None:
            day = found
    cable.sent = stamp(day, time)
    return index


def _read_dateline(
    lines: list[str], cable: Cable, dateline: str, collection_hint: str
) -> int | None:
    """FRUS and later DFAT: "Place, date[, time] [Received …]" then a numbered first line."""
    first, explicit = 0, bool(dateline)
    if not dateline and lines and date_in(lines[0].replace("[", "").replace("]", ""))[0]:
        dateline, first = lines[0], 1
    if not dateline:
        return None
    sent_text, received_text = _split_received(MARK.sub(" ", dateline))
    clean = sent_text.replace("[", "").replace("]", "")
    day, start, end = date_in(clean)
    if day is not None:
        place = clean[:start].strip(" ,.")
        cable.origin = place.split(",")[-1].strip(" .").upper() if place else ""
        cable.sent = stamp(day, time_in(clean[end:]))
    cable.received = received(received_text, day) if received_text else ""
    frus = explicit or collection_hint.lower().startswith("frus")
    while first < len(lines) and _repeats_dateline(lines[first], dateline):
        first += 1  # readers that keep the dateline apart may also leave it in the body
    after = first
    for index, line in enumerate(lines[first : first + 3], start=first):
        if not cable.origin and _is_place_line(line):  # "24th June, 1957 / 1465. SECRET / LONDON"
            cable.origin = line.strip().upper()
        elif not cable.number and index < first + 2 and _read_number_line(line, cable, frus=frus):
            after = index + 1
    return after


def _opens_with_number_line(line: str, cable: Cable) -> bool:
    """A first line that is only a number and grading or handling words ("488. IMMEDIATE",
    "248\\. PERSONAL SECRET"), not a numbered paragraph ("7. MOST SECRET: It is believed …")."""
    match = NUMBER_LINE.match(line.replace("\\.", "."))
    rest = match.group("rest").strip(" .") if match else ""
    if not rest or rest != rest.upper() or not is_grading_line(rest):
        return False
    return _read_number_line(line, cable)


def _repeats_dateline(line: str, dateline: str) -> bool:
    """A body line that is the dateline again, or its "[Received …]" part."""
    if re.match(r"(?i)^\[?\s*received\b", line):
        return True
    return bool(line) and _squeezed(line) in _squeezed(dateline)


def _squeezed(text: str) -> str:
    return re.sub(r"\W", "", text).lower()


def _is_place_line(line: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z .'-]{2,30}", line.strip())) and not GRADING.search(line)


def _read_number_line(line: str, cable: Cable, *, frus: bool = False) -> bool:
    """ "1534\\. Confidential", "O.CH259518 SECRET PRIORITY", "No 624. CONFIDENTIAL (NZEO)", and
    with ``frus`` "4995. Your 586, April 16 …". True where the line was the header's own."""
    line = line.replace("\\.", ".").lstrip("'‘’")
    match = NUMBER_LINE.match(line)
    if not match:
        return False
    rest = match.group("rest").strip()
    if not rest or HANDLING_WORDS.match(rest):
        cable.number = re.sub(r"\.\s+", ", ", match.group("number").strip())  # "UNI 342. 32"
        read_grading_words(rest.split(". ")[0], cable)
        return True
    if frus and (leading := re.match(r"^(\d{1,6})\.\s+\S", line)):
        cable.number = leading.group(1)  # "45. 1. Subsequent to …": the telegram's number only
    return False


def _read_series_and_receipt(lines: list[str], cable: Cable) -> None:
    """Lines under a DFAT heading: "Received 24 September 1947, 9.30 a.m.", and a second number
    in a subject series ("Security 548.", "Assembly 354.", "FEC.279. Japanese whaling"), which
    replies cite ("our Assembly 354"); it joins the number: "UN1245, Security 548"."""
    day = _iso(cable.sent)
    for line in lines:
        if re.match(r"(?i)^received\b", line) and not cable.received:
            cable.received = received(re.sub(r"(?i)^received\s*", "", line), day)
        elif series := _SERIES_LINE.match(line):
            if normalise_number(series.group(1)) not in cable_numbers(cable.number):
                cable.number = ", ".join(p for p in (cable.number, series.group(1)) if p)
            return


_SERIES_LINE = re.compile(
    r"^((?i:assembly|security|atomic|trusteeship|saving|hague)\s?\d{1,5}"
    r"|(?!MY\b|NO\b)(?:[A-Z]\.?){1,4}\s?\d{1,5})\.?(?:\s*\[\d+\])?(?:$|[.,]\s|\s+[A-Z])"
)


def _iso(stamp: str) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None


# --- people -----------------------------------------------------------------------------------


def _read_parties(title: str, body: str, cable: Cable) -> str:
    """Addressees, alternative recipients and intermediary from the title and "Transmit to …";
    returns the title's sender, for checking the signature against."""
    sender, recipients, via = title_parties(title)
    if via:
        cable.intermediary = via
    transmit = re.search(  # in the header, not a request somewhere in the text
        r"^\s*Transmit\s+to\s+(?P<who>.+?)(?:\s+the\s+following)?\s*:?\s*$",
        "\n".join(_first_lines(main_text(body), 8)),
        re.IGNORECASE | re.MULTILINE,
    )
    if transmit:
        cable.recipients_any_of = split_names(transmit.group("who"), alternatives=True)
        if not cable.intermediary and cable.addressees:
            cable.intermediary = cable.addressees[0]
    elif len(recipients) > 1 and " or " in title:
        cable.recipients_any_of = recipients
    elif not cable.addressees:
        cable.addressees = recipients
    return sender


# --- the foot: action, signature, copies ------------------------------------------------------


def _read_foot(body: str, cable: Cable, *, signed: str, sender: str) -> None:
    lines = _main_lines(body)
    copies = copies_from_text(body)
    cable.copies = [{"name": c.name, "count": c.count} for c in copies]
    if lines and re.match(r"(?i)^copies\s*:", lines[-1]):
        lines = lines[:-1]
    signature = _signature(signed, strict=False) if signed else None
    if signature is None and lines:
        signature = _signature(lines[-1])
        if signature is not None:
            lines = lines[:-1]
    if signature is not None:
        cable.signed_as, identified = signature
        cable.signatory = identified or _agreeing_sender(cable.signed_as, sender)
    if lines and _ACTION.match(lines[-1]) and not lines[-1].rstrip().endswith(('"', "”")):
        cable.action = lines[-1].strip().rstrip(".")


def _signature(line: str, *, strict: bool = True) -> tuple[str, str] | None:
    """ "FILIPPOV [Stalin]" → ("FILIPPOV", "Stalin"); a body line must be in capitals to count,
    a signature a reader found apart (FRUS ``<signed>``) need not be."""
    if len(line) > HEADER_LINE_CHARS:  # a paragraph, not a signature
        return None
    text = MARK.sub("", line).strip().strip("_*").strip()
    if not strict:
        text = text if len(text.split()) <= 6 else ""
        identified = re.search(r"\[([^\]]+)\]", text)
        if text and identified:
            return text[: identified.start()].strip(), identified.group(1).strip()
        return (text, "") if text else None
    match = _SIGNATURE.match(text)
    if not match:
        return None
    signed = match.group("signed").strip(" .")
    words = signed.split()
    if not 0 < len(words) <= 4 or signed in _NOT_SIGNATURES or HANDLING_WORDS.match(signed):
        return None
    if not re.search(r"[A-Z]{2}", signed):
        return None
    return signed, (match.group("identified") or "").strip()


def _agreeing_sender(signed_as: str, sender: str) -> str:
    """The title's sender, where the signature is that person's name ("BRUCE" and "Mr S.M. Bruce,
    High Commissioner in London" → "Mr S.M. Bruce"); "" where they differ or no person is named."""
    name = sender.split(",")[0].strip()
    if bracketed := re.search(r"\(([^)]+)\)", name):  # "the Ambassador in Spain (Willard)"
        name = bracketed.group(1).strip()
    surname = signed_as.split()[-1].lower()
    if name and re.search(rf"\b{re.escape(surname)}\b", name.lower()):
        return name
    return ""


def _first_lines(body: str, count: int) -> list[str]:
    lines = []
    for line in (body or "").splitlines():
        text = line.strip().strip("*").strip()
        if text:
            lines.append(text)
            if len(lines) >= count:
                break
    return lines


_APPARATUS = re.compile(  # the editors' notes and archival reference after a DFAT text
    r"^\s*(?:_{1,2}\s*$|_?\[(?:NAA|AA)\b|\*\s+\d+\s|_\d+\s|_\[\d{1,3}\]\s)", re.IGNORECASE
)


def heading_end(text: str) -> int:
    """Where a leading cable heading line ("Cablegram 212 CANBERRA, …") ends; 0 where none."""
    match = re.match(rf"\s*(?:#+\s*)?{_HEADING_KIND}\b[^\n]*", text, re.IGNORECASE)
    return match.end() if match else 0


def main_text(body: str) -> str:
    """The body without the editors' apparatus (footnotes, archival reference) printed after it."""
    kept = []
    for line in (body or "").splitlines():
        if _APPARATUS.match(line):
            break
        kept.append(line)
    return "\n".join(kept)


def _main_lines(body: str) -> list[str]:
    lines = [line.strip() for line in main_text(body).splitlines() if line.strip()]
    while lines and re.fullmatch(r"(?:\[\d{1,3}\](?:\(#f\d+\))?\s*)+", lines[-1]):
        lines.pop()
    return lines
