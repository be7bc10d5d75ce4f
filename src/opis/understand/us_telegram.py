"""The US State Department telegram, as the FOIA reading room prints it, read through OCR noise.

A telegram of the 1970s–80s, printed by the Department's automated system, opens like this:

    TEXT OF TELEGRAM 86MOSCOW017709
    LIMITED OFFICIAL USE
    PAGE 01        MOSCOW 17709 141545Z
    ACTION EUR-00  INFO LOG-00 …          (distribution: offices, not people)
    O 141540Z OCT 86                      (precedence letter, date-time group)
    FM AMEMBASSY MOSCOW
    TO SECSTATE WASHDC IMMEDIATE 1693     (addressee, precedence, the addressee's serial)
    INFO USIA WASHDC 6364 …
    E.O. 12356: N/A
    TAGS: PREL, UR, US
    SUBJECT: SOVIET MEDIA ON REYKJAVIK

It is read into the fields every cable has: ``number`` is the telegram's own reference as
replies cite it ("REF: MOSCOW 17709"): the sending post's short name and serial; ``origin`` and
``destination`` the posts of the FM and first TO line, without the "AMEMBASSY"/"AMCONSUL"
prefix ("SECSTATE WASHDC" is WASHINGTON, the Department); ``sent`` the date-time group, in UTC
("Z"), with the year of the telegram reference where OCR garbled the group's ("OCT 96" in a
telegram numbered 86…); the precedence word of the TO line goes to ``handling``, the grading
line to ``classification``.

The scans' text layers and Tesseract both misread this type: "AMEMSASSY", "SECSTAZE WASHOC",
"0" for "O", "UNCLASSIFIEO". Words are therefore matched by similarity to the system's fixed
vocabulary (``_close``), never by guessing a post's name: the post is kept as OCR gave it once
its prefix is recognised.
"""

import re
from datetime import datetime
from difflib import SequenceMatcher

from opis.understand.classification import GRADINGS

_PREFIXES = ("AMEMBASSY", "AMCONSUL", "USMISSION", "AMCONSULATE", "USDEL", "AMLEGATION")
_DEPARTMENT = ("SECSTATE", "WASHDC")
_GRADING_WORDS = (*GRADINGS, "UNCLASSIFIED", "UNCLAS")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DIGITS = str.maketrans("OoDQIlSZB", "000011528")

_FM = re.compile(r"^[ \t]*F[MNH][ \t.,:]+(?P<post>[A-Za-z0-9][^\n]{2,60})$", re.MULTILINE)
# OCR's reading of "FM" when it is worse ("Fi# AMEMBASSY REYKJAVIK"): tried only when no FM line
# reads, and only before a sender the system writes with a prefix (AMEMBASSY, SECSTATE).
_FM_NOISY = re.compile(
    r"^[ \t]*F\S{0,2}[ \t.,:]+(?P<post>(?:AM|SEC)[A-Za-z0-9][^\n]{2,60})$", re.MULTILINE
)
_TO = re.compile(r"^[ \t]*T[O0Q][ \t.,:]+(?P<post>[A-Za-z0-9][^\n]{2,80})$", re.MULTILINE)
_REFERENCE = re.compile(
    r"TEXT\s+[O0C1D]F\s+TELEGRA\w\s+(?P<year>[0-9OoBe&][0-9OoBS])\s?(?P<post>[A-Z0-9]{3,8}?)\s?"
    r"(?P<serial>[0-9OoIlSB]{5,6})\b"
)
_PAGE_LINE = re.compile(
    r"^\s*(?:PAGE\s+\d+\s+)?(?P<post>[A-Z]{3,8})\s+(?P<serial>\d{5,6})\s+"
    r"(?:\d\d\s+OF\s+\d\d\s+)?[\dO]{6}Z?\b",  # the time sent, "141545Z" or OCR's "O91551Z"
    re.MULTILINE,
)
# The page header of the Department's own telegrams carries no time: "PAGE 01 STATE 322566".
_PAGE_HEADER = re.compile(
    r"^\s*PAGE\s+[0-9O]{2}\s+(?P<post>[A-Z]{3,8})\s+(?P<serial>\d{5,6})\b", re.MULTILINE
)
_DTG = re.compile(
    r"^\s*[A-Z0-9]?\s*(?P<day>[0-9O]{2})(?P<hour>[0-9O]{2})(?P<minute>[0-9O]{2})[Z2]\s+"
    r"(?P<month>[A-Z]{3})\s+(?P<year>[0-9O]{2})\b",
    re.MULTILINE,
)


def looks_like_us_telegram(text: str) -> bool:
    """The system's own marks: "TEXT OF TELEGRAM" or an FM line naming a post or SECSTATE,
    followed by a TO line."""
    head = text[:6000]
    if "TELEGRA" in head and _REFERENCE.search(head):
        return True
    fm = _from_line(head)
    return bool(fm and _post_of(fm.group("post"))[0] and _TO.search(head, fm.end()))


# The system's marks besides the FM and TO lines, as OCR leaves them: the telegram's own, and
# those a memorandum of the Department carries too ("E.D. 12360", "SUBJECT:.").
_TELEGRAM_MARKS = (
    re.compile(r"TEXT\s+[O0DC]F\s+TELEGRA"),  # the reading room's first line
    re.compile(r"^\W{0,3}TAGS\b", re.MULTILINE),
    re.compile(r"\b(?:ACTION|ORIGIN|INFO)\s+[A-Z]{2,4}-[0-9O]{2}\b"),  # distribution
    _DTG,
)
_SHARED_MARKS = (
    re.compile(r"^\W{0,3}E\s?\.\s?[O0D]\s?\.\s", re.MULTILINE),  # "E.O. 12356: N/A"
    re.compile(r"^\W{0,3}SUBJ\w*\s?[:.;]", re.MULTILINE),
)
MIN_MARKS = 2


def has_telegram_marks(text: str) -> bool:
    """Does the text look like a US telegram even where its FM and TO lines are illegible? Two of
    the system's marks in its head, one at least a telegram's own: a memorandum has a SUBJECT
    and an E.O. line too, but no distribution, date-time group or TAGS."""
    head = text[:6000]
    own = sum(bool(mark.search(head)) for mark in _TELEGRAM_MARKS)
    shared = sum(bool(mark.search(head)) for mark in _SHARED_MARKS)
    return own >= 1 and own + shared >= MIN_MARKS


def read_us_header(text: str, cable) -> bool:
    """Fill ``cable`` from a US telegram's header; False (and ``cable`` untouched) when the text
    does not have that shape."""
    if not looks_like_us_telegram(text):
        return False
    head = text[:6000]
    reference = _REFERENCE.search(head)
    page = _PAGE_LINE.search(head) or _PAGE_HEADER.search(head)
    fm = _from_line(head)
    to = _TO.search(head, fm.end()) if fm else None
    if fm:
        cable.origin = _post_of(fm.group("post"))[0]
    if to:
        cable.destination, precedence = _post_of(to.group("post"))
        cable.handling = precedence
    cable.number = _number(reference, page, head)
    if not cable.origin and cable.number.startswith("STATE "):
        cable.origin = "WASHINGTON"  # the Department's own series: "STATE 321944"
    year = reference.group("year").translate(_DIGITS) if reference else ""
    cable.sent = _sent(head, year)
    cable.classification = _grading(head)
    return True


def _from_line(head: str) -> re.Match | None:
    return _FM.search(head) or _FM_NOISY.search(head)


_LETTERS = str.maketrans("0", "O")
_SECTION_LINE = re.compile(
    r"(?:UNCLAS|SECTION\s+\d\d\s+OF\s+\d\d)\s+(?P<post>[A-Z]{3,8})\s+(?P<serial>\d{5,6})\b"
)


def _number(reference: re.Match | None, page: re.Match | None, head: str) -> str:
    """ "MOSCOW 17709": the page line's post and serial where it agrees with the telegram
    reference (OCR reads one or the other better) or comes first (the reference read may be a
    later page's, the first page's too garbled to read), else the reference's, else the post and
    serial after the grading of the text's first line ("UNCLAS STATE 321944")."""
    if reference:
        post = reference.group("post").translate(_LETTERS)
        serial = reference.group("serial").translate(_DIGITS).lstrip("0")
        if page and (_similar(page.group("post"), post) >= 0.8 or page.start() < reference.start()):
            return f"{page.group('post')} {page.group('serial').lstrip('0')}"
        return f"{post} {serial}"
    if page:
        return f"{page.group('post')} {page.group('serial').lstrip('0')}"
    section = _SECTION_LINE.search(head)
    return f"{section.group('post')} {section.group('serial').lstrip('0')}" if section else ""


def _post_of(written: str) -> tuple[str, str]:
    """ "AMEMBASSY MOSCOW" → ("MOSCOW", ""); "SECSTAZE WASHOC IMMEDIATE 1693" →
    ("WASHINGTON", "IMMEDIATE"); "USDEL SECRETARY NIACT IMMEDIATE" → ("USDEL SECRETARY",
    "NIACT IMMEDIATE"); "ALL NATO CAPITALS PRIORITY" → ("ALL NATO CAPITALS", "PRIORITY").
    ("", "") where the line names no post in a form the system writes."""
    written = re.sub(r"(?<![A-Za-z])[a-z](?=[A-Z]{3})", "", written)  # "eREYKJAVIK": a speck
    text = re.sub(r"[^A-Z0-9 ]+(?=[A-Z]{4})", " ", written.upper())  # "AMEMRATT;.MOSCOW"
    words = re.sub(r"[^A-Z0-9 ]", "", text).split()  # "AMEMBAS.SY" is one word
    precedence, words = _precedence(words)
    words = [w for w in words if not w.isdigit()]  # the addressee's serial, "1693"
    if not words:
        return "", precedence
    squeezed = "".join(words)
    if _similar(squeezed[:14], "SECSTATEWASHDC") >= 0.55 or "WASHDC" in words[:2]:
        return "WASHINGTON", precedence
    first = words[0]
    if first == "ALL":  # "ALL NATO CAPITALS"
        return " ".join(words[:3]), precedence
    if _close(first, ("USDEL",), 0.8) and len(words) > 1:  # "USDEL SECRETARY"
        return f"USDEL {words[1]}", precedence
    if _close(first, ("USMISSION",), 0.8) and len(words) > 1:  # "USMISSION USNATO"
        return words[1], precedence
    if first.startswith("US") and 4 <= len(first) <= 8:  # USNATO, USUN, USEC
        return first, precedence
    if first.startswith(("AMEM", "AMCON", "AMEN", "AMLEG")) or _close(first, _PREFIXES):
        rest = words[1:3] if len(words) > 2 and words[1] in _TWO_WORD_STARTS else words[1:2]
        return " ".join(rest), precedence
    if precedence and len(words) in (2, 3) and len(first) >= 5 and first.isalpha():
        return " ".join(words[1:]), precedence  # "WMPASSR PRAGUE PRIORITY": the prefix garbled
    return "", precedence


_TWO_WORD_STARTS = {"THE", "TEL", "ADDIS", "KUALA", "NEW", "SAN", "PORT", "BUENOS", "ABU", "DAR"}


def _precedence(words: list[str]) -> tuple[str, list[str]]:
    """The precedence words of an address line, and the words before them."""
    for index, word in enumerate(words):
        if _close(word, ("NIACT",), 0.8) and index + 1 < len(words):
            return "NIACT IMMEDIATE", words[:index]
        for precedence in ("FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"):
            if _similar(word, precedence) >= 0.75:
                return precedence, words[:index]
    return "", words


def _similar(word: str, known: str) -> float:
    return SequenceMatcher(None, word, known).ratio()


def _close(word: str, vocabulary: tuple[str, ...], ratio: float = 0.75) -> bool:
    """OCR's reading of one of the system's fixed words ("AMEMSASSY", "SECSTAZE", "IMMEOIATE")."""
    return any(_similar(word, known) >= ratio for known in vocabulary)


def _sent(head: str, reference_year: str) -> str:
    """The date-time group "O 141540Z OCT 86" as "1986-10-14T15:40" (UTC)."""
    for match in _DTG.finditer(head):
        month = match.group("month").translate(_LETTERS)
        if month not in _MONTHS:
            continue
        year = match.group("year").translate(_DIGITS)
        if reference_year.isdigit() and year != reference_year:
            year = reference_year  # "OCT 96" in a telegram numbered 86…: OCR, not a decade
        day, hour, minute = (
            int(match.group(k).translate(_DIGITS)) for k in ("day", "hour", "minute")
        )
        try:
            century = 2000 if int(year) < 30 else 1900
            sent = datetime(century + int(year), _MONTHS.index(month) + 1, day, hour, minute)
        except ValueError:
            continue
        return sent.strftime("%Y-%m-%dT%H:%M")
    return ""


def _grading(head: str) -> str:
    """The grading line near the top ("CONFIOENTIAL", "LIMITEO OFFICIAL USE"), upper-cased."""
    for line in head.splitlines()[:8]:
        text = re.sub(r"[^A-Z ]", "", line.upper()).strip()
        if not text:
            continue
        for grading in _GRADING_WORDS:
            if SequenceMatcher(None, text, grading).ratio() >= 0.8:
                return "UNCLASSIFIED" if grading == "UNCLAS" else grading
    return ""
