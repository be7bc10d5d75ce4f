"""Language names as written ("Russian") to ISO 639-1 codes ("ru"), via pycountry."""

import pycountry


def language_code(name: str) -> str:
    """ISO 639-1 code for a language name or code; "" when the name is not a known language."""
    cleaned = " ".join(str(name or "").split()).strip(" .;,")
    if not cleaned:
        return ""
    try:
        language = pycountry.languages.lookup(cleaned)
    except LookupError:
        return ""
    return getattr(language, "alpha_2", "")


def language_codes(names: str) -> list[str]:
    """Codes for a list such as "Russian, Chinese" or "Russian and English", in order."""
    codes: list[str] = []
    for part in str(names or "").replace(" and ", ",").replace(";", ",").split(","):
        code = language_code(part)
        if code and code not in codes:
            codes.append(code)
    return codes
