"""Security gradings: the words that say how secret a paper is ("TOP SECRET", "Confidential").

One home for every reader of a grading: the DFAT reader (a document's ``classification``), the
cable header reader (a cable's ``classification``, the highest grading its header names) and the
cable evaluation (the grading a page states). Gradings are compared upper-cased, the way clerks
type them, and ranked highest first.

Two callers read fewer words than ``GRADINGS``, kept as they were so that nothing already stored or
measured changes (issue 9):

- a document's marking keeps the compound a DFAT page writes ("SECRET AND PERSONAL", "PERSONAL AND
  SECRET") but reads "Personal and Confidential" as CONFIDENTIAL and "Strictly Confidential" as
  CONFIDENTIAL; reading them whole would re-grade 273 DFAT records;
- the evaluation scores the five gradings of ``STATED``; adding UNCLASSIFIED and STRICTLY
  CONFIDENTIAL would check 21 more dateline cables and change the published figures.
"""

import re
from functools import cache

GRADINGS = (
    "TOP SECRET",
    "MOST SECRET",
    "SECRET",
    "STRICTLY CONFIDENTIAL",
    "CONFIDENTIAL",
    "RESTRICTED",
    "LIMITED OFFICIAL USE",
    "OFFICIAL USE ONLY",
    "UNCLASSIFIED",
)  # highest first
STATED = ("TOP SECRET", "MOST SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED")  # evaluated
_MARKING = re.compile(
    r"\b((?:PERSONAL AND |MOST |TOP )?SECRET(?: AND PERSONAL| AND CONFIDENTIAL)?"
    r"|CONFIDENTIAL|RESTRICTED|UNCLASSIFIED)\b",
    re.IGNORECASE,
)


@cache
def grading_pattern(words: tuple[str, ...] = GRADINGS) -> re.Pattern:
    """One of ``words`` as a whole phrase, in any case."""
    return re.compile(rf"\b({'|'.join(words)})\b", re.IGNORECASE)


GRADING = grading_pattern()


def gradings_in(text: str, words: tuple[str, ...] = GRADINGS) -> list[str]:
    """Every grading of ``words`` that ``text`` names, upper-cased, highest first ("MOST
    IMMEDIATE SECRET" → ["SECRET"])."""
    found = (m.group(1).upper() for m in grading_pattern(words).finditer(text))
    return sorted(found, key=GRADINGS.index)


def marking(lines: list[str]) -> str:
    """A document's marking: the first grading written in ``lines``, upper-cased, with the
    compound it stands in ("Secret and Personal" → "SECRET AND PERSONAL"); "" where none is."""
    for line in lines:
        if match := _MARKING.search(line):
            return match.group(1).upper()
    return ""
