"""How strongly a source claims that a name form belongs to a person.

A name key held by several persons is settled by the strength of the claims on it (see ``names``):
a form the curated list states outranks one the Office of the Historian states or one derived from a
curated name, which outranks a form derived by rule for a database record, such as a bare surname.
"""

EXPLICIT, STATED, DERIVED = 3, 2, 1


def ranked(forms: list[tuple[str, bool]], rank: int) -> list[tuple[str, int]]:
    """Forms by rule at the given rank; a bare surname is always the weakest claim."""
    return [(text, DERIVED if surname_only else rank) for text, surname_only in forms]
