"""Search strings a person might type, or an attacker might: every page and endpoint takes them."""

HOSTILE_QUERIES = [
    '"',
    ":::",
    "(((",
    ")",
    "title:",
    "-",
    "*",
    "AND OR NOT",
    "x" * 10_000,
    "jet\x00fighter",
    "\x00",
    "🕊️ peace",
    "<script>alert(1)</script>",
    "(" * 1000,  # 315 nested parentheses exhausted the parser's recursion (issue 10)
    "(" * 400 + "korea" + ")" * 400,
    "-(" * 500,
    "year:1950..1940 " * 6000,  # chips were built quadratically: 13 s (issue 10)
    "x" * 100_000,  # copied into every facet link: an 11 MB page (issue 10)
    "中" * 100_000,  # nine bytes a character once percent-encoded into a link
]
