"""A cable number followed by handling words: the number is the number, the words are handling.

DFAT headings and number lines put precedence and distribution words straight after the number
("488. IMMEDIATE", "248\\. PERSONAL", "Cablegram 488. IMMEDIATE LONDON, …"); OCR turns the O of
"O.CH" into a zero. Whatever the layout, the number never goes into handling and the words never
into the number or the place. The bodies are written in the DFAT volumes' forms, not copied.
"""

import pytest

from opis.understand.cable import parse_cable

TITLE = "Cablegram from Spender to Gordon Walker"


@pytest.mark.parametrize(
    ("body", "number", "origin", "handling", "classification"),
    [
        ("488. IMMEDIATE\n\nText of the cable.", "488", "", "IMMEDIATE", ""),
        ("248\\. PERSONAL\n\nText of the cable.", "248", "", "PERSONAL", ""),
        ("No 128. IMMEDIATE\n\nText.", "128", "", "IMMEDIATE", ""),
        ("1954\\. IMMEDIATE TOP SECRET\n\nText.", "1954", "", "IMMEDIATE", "TOP SECRET"),
        ("Canberra, 17 March 1950\n\n72\\. IMMEDIATE PERSONAL\n\nText.", "72", "CANBERRA",
         "IMMEDIATE PERSONAL", ""),
        ("London, 3 May 1950\n\n488. MOST IMMEDIATE SECRET\n\nText.", "488", "LONDON",
         "MOST IMMEDIATE", "SECRET"),
        ("Canberra, 2 May 1974\n\n0.CH51736 CONFIDENTIAL\n\nText.", "0.CH51736", "CANBERRA", "",
         "CONFIDENTIAL"),
        ("Cablegram 488. IMMEDIATE LONDON, 3 May 1950, 4 p.m.\n\nText.", "488", "LONDON",
         "IMMEDIATE", ""),
        ("Cablegram 248. PERSONAL SECRET NEW YORK, 3 May 1950\n\nText.", "248", "NEW YORK",
         "PERSONAL", "SECRET"),
        ("Cablegram 101 LONDON, 3 May 1950\n\nSECRET IMMEDIATE\n\nText.", "101", "LONDON",
         "IMMEDIATE", "SECRET"),
    ],
)  # fmt: skip
def test_number_then_handling_words(body, number, origin, handling, classification):
    cable = parse_cable(TITLE, body, collection_hint="dfat")
    assert cable is not None
    assert (cable.number, cable.origin, cable.handling, cable.classification) == (
        number, origin, handling, classification,
    )  # fmt: skip


def test_a_numbered_paragraph_is_not_a_number_line():
    cable = parse_cable(TITLE, "7. MOST SECRET: It is reliably believed that instructions came.")
    assert cable is not None and (cable.number, cable.handling) == ("", "")
