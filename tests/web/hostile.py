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
]
