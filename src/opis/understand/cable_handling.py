"""A telegram's grading and handling words, and the number a clerk writes before them.

Grading (SECRET, TOP SECRET …) goes to ``classification``; precedence and distribution words
(MOST IMMEDIATE, PERSONAL, "FOR THE PRIME MINISTER HIMSELF", AUSTEO) go to ``handling``. Clerks
put them on lines of their own under the heading, or after the number on the same line: "488.
IMMEDIATE", "248\\. PERSONAL SECRET", "Cablegram 488. IMMEDIATE LONDON, …". In that last shape
the words sit between the number and the place, so they are peeled off the place's start
(``peel_handling``), and a line that opens with a number and goes on only in such words is the
number line, never a handling line (``NUMBER_LINE``): a number is never handling.
"""

import re

from opis.understand.cable_parties import MARK
from opis.understand.classification import GRADINGS, gradings_in

HANDLING_WORDS = re.compile(
    r"^(?:MOST IMMEDIATE|IMMEDIATE|IMPORTANT|PRIORITY|URGENT|EMERGENCY|ROUTINE|DEFERRED|FLASH"
    r"|PERSONAL|PRIVATE|CLEAR THE LINE|EN CLAIR|AUSTEO|GUARD|FOR (?:THE )?PRIME MINISTER"
    rf"|FOR THE MINISTER|OPERATIONAL IMMEDIATE|{'|'.join(GRADINGS)}|STRICTLY)\b",
    re.IGNORECASE,
)
QUALIFIERS = {"AND", "&", "MOST", "TOP", "HIMSELF", "ALONE", "ONLY", "FOR", "THE", "MINISTER"}
LEADING_NUMBER = re.compile(
    r"^(?:No\.?\s*)?(?P<number>[A-Z0-9.]*\d[A-Z0-9./]*?)\.?\s+(?P<rest>\S.*)$"
)  # "488. IMMEDIATE", "0.CH51736 CONFIDENTIAL" (OCR's 0 for O), "No 128. IMMEDIATE"
_ONE_NUMBER = r"(?:[A-Z]{1,3}\.)?[A-Z]{0,4}\s?\d{1,6}[A-Z]?"
NUMBER_LINE = re.compile(
    rf"^(?:No\.?\s*)?(?P<number>{_ONE_NUMBER}(?:\s*(?:/|,|\.\s)\s*{_ONE_NUMBER})*)\s*\.?"
    r"(?=\s|$|[A-Z])\s*(?P<rest>.*)$"
)


def read_grading(lines: list[str], cable) -> None:
    """Consecutive header lines of grading and precedence words ("MOST IMMEDIATE TOP SECRET").
    A number opening such a line ("488. IMMEDIATE", "0.CH51736 CONFIDENTIAL") is the cable's
    number where none was read, and never handling."""
    for line in lines:
        text = MARK.sub(" ", line.replace("\\.", ".")).strip()
        if not is_grading_line(text):
            if cable.classification or cable.handling:
                break
            continue
        numbered = LEADING_NUMBER.match(text)
        if numbered and is_grading_line(numbered.group("rest")):
            cable.number = cable.number or numbered.group("number")
            text = numbered.group("rest")
        read_grading_words(text, cable)


def read_grading_words(text: str, cable) -> None:
    """The highest grading named goes to ``classification``, the other words to ``handling``."""
    text = re.sub(r"[()\[\]]", " ", text)
    grades = gradings_in(text)
    if grades and not cable.classification:
        cable.classification = grades[0]
    rest = re.sub(rf"\b{grades[0]}\b", " ", text, flags=re.I) if grades else text
    rest = re.sub(r"(?:^|\s)(?:AND|&)(?=\s|$)", " ", rest.upper())
    rest = " ".join(rest.split()).strip(" .,")
    if rest:
        cable.handling = f"{cable.handling} {rest}".strip() if cable.handling else rest


def is_grading_line(text: str) -> bool:
    """An upper-case line naming a grading or precedence ("FOR BURTON ALONE SECRET", "[SECRET]"),
    or a mixed-case one made only of such words ("Secret and Personal")."""
    text = text.replace("[", "").replace("]", "").strip()
    if not text or len(text) > 90:
        return False
    words = text.replace("/", " ").split()
    if text.upper() == text and re.search(r"[A-Z]", text):
        return any(HANDLING_WORDS.match(" ".join(words[i:])) for i in range(len(words)))
    return all(HANDLING_WORDS.match(w) or w.upper() in QUALIFIERS for w in words)


def peel_handling(place: str) -> tuple[str, str]:
    """ "IMMEDIATE LONDON" → ("LONDON", "IMMEDIATE"), "PERSONAL SECRET NEW YORK" → ("NEW YORK",
    "PERSONAL SECRET"): grading and handling words a heading puts between number and place."""
    words = place.split()
    taken = 0
    while taken < len(words):
        rest = " ".join(words[taken:])
        match = HANDLING_WORDS.match(rest)
        if match:
            taken += len(match.group(0).split())
        elif words[taken].upper() in QUALIFIERS - {"FOR", "THE", "MINISTER"}:
            taken += 1
        else:
            break
    return " ".join(words[taken:]), " ".join(words[:taken])
