"""The Office of the Historian people database (``hsg-authority/people/people-data.tar.gz``).

16,312 records, one XML file each, with the name forms FRUS volumes used. They are read in place
from the tarball and turned into plain records (canonical name, dates, description, ranked name
forms); reading and deriving the forms costs seconds, so the result is cached beside the data.
"""

import hashlib
import marshal
import os
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

from opis.understand import claims, romanize
from opis.understand.claims import DERIVED, STATED, ranked
from opis.understand.romanize import fold, initials, name_key

HSG_PEOPLE = Path("hsg-authority") / "people" / "people-data.tar.gz"
HSG_SOURCE = (
    "Office of the Historian, U.S. Department of State, people database record {id} "
    "(github.com/HistoryAtState/people)"
)
_CACHE_FORMAT = 1
# Titles the hsg data lists that name a different person: "Chiang Kai-shek, Madame" is his wife.
_NOT_TITLES = {"madame", "mme", "madam", "mrs", "miss", "ms", "mlle"}


def hsg_records(tarball: Path, cache_dir: Path | None = None) -> list[dict]:
    """The hsg people records with their name forms, from the cache when it is current.

    The cache (``marshal``, plain lists and strings: three times faster to read than JSON) is named
    after the tarball's size and time and the source of the rules, so any change rebuilds it."""
    tarball = Path(tarball)
    cache = _cache_path(tarball, cache_dir) if cache_dir else None
    if cache and cache.exists():
        try:
            return marshal.loads(cache.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass  # a damaged cache is rebuilt below
    records = _hsg_slugs([_hsg_entry(raw) for raw in _read_hsg(tarball)])
    if cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps(records))
            partial.replace(cache)
            for stale in cache.parent.glob("hsg-people-*.marshal"):
                if stale != cache:  # made by older rules or an older tarball
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only data directory: the records are used without caching
    return records


def _cache_path(tarball: Path, cache_dir: Path) -> Path:
    stat = tarball.stat()
    digest = hashlib.sha256(f"{tarball.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(f"{_CACHE_FORMAT}|{sys.version}".encode())  # marshal is version-specific
    for module in (Path(__file__), Path(romanize.__file__), Path(claims.__file__)):
        digest.update(module.read_bytes())  # the cache follows the rules that made it
    return Path(cache_dir) / f"hsg-people-{digest.hexdigest()[:16]}.marshal"


def _read_hsg(tarball: Path):
    with tarfile.open(tarball) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".xml"):
                handle = archive.extractfile(member)  # None only for what is not a file
                if handle is not None:
                    yield ET.fromstring(handle.read())


def count_hsg_records(tarball: Path) -> int:
    """How many person records the tarball holds (one XML file each)."""
    with tarfile.open(tarball) as archive:
        return sum(1 for m in archive if m.isfile() and m.name.endswith(".xml"))


def _hsg_entry(root: ET.Element) -> dict:
    preferred = (root.findtext("names/preferred/name") or "").strip()
    written = [preferred] + [n.text or "" for n in root.findall("names/alternates/name")]
    written += [n.text or "" for n in root.findall("names/originals/original/name")]
    titles = [t.text or "" for t in root.findall("names/titles-from-name/title/name")]
    titles = [t for t in titles if fold(t).strip(". ") not in _NOT_TITLES]
    stated: list[str] = []
    for text in written:
        for form in clean_hsg_name(text, titles):
            if form not in stated:
                stated.append(form)
    canonical = stated[0] if stated else preferred
    family_first = "," not in canonical
    forms = [(text, STATED) for text in stated]
    for text in stated:
        forms += ranked(romanize.name_forms(text, family_first), DERIVED)
        if family_first and romanize.is_pinyin_name(text):
            forms += [(wg, DERIVED) for wg in romanize.wade_giles_forms(text, limit=4)]
        elif family_first and romanize.is_wade_giles_name(text):
            forms += [(py, DERIVED) for py in romanize.wade_giles_to_pinyin(text)]
    remarks = sorted(root.findall("remarks/remark"), key=lambda r: -int(r.get("source-urls") or 0))
    urls = [u.text or "" for u in root.iter("source-url")]
    urls = sorted(urls, key=lambda u: "departmenthistory/people/" not in u)[:1]
    return {
        "hsg": root.findtext("id") or "",
        "canonical": canonical,
        "display": canonical.split(",")[0] if not family_first else canonical,
        "born": _year(root.findtext("birth-year")),
        "died": _year(root.findtext("death-year")),
        "description": " ".join((remarks[0].findtext("p") or "").split()) if remarks else "",
        "urls": urls,
        "forms": [[text, name_key(text), rank] for text, rank in _unique(forms)],
    }


def _unique(forms: list[tuple[str, int]]) -> list[tuple[str, int]]:
    best: dict[str, int] = {}
    for text, rank in forms:
        best[text] = max(rank, best.get(text, 0))
    return list(best.items())


def _year(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _hsg_slugs(records: list[dict]) -> list[dict]:
    """ "Acheson, Dean Gooderham" → acheson-dean-gooderham; a later record of the same name gets its
    hsg number appended, so earlier ids stay put when the database grows."""
    taken: set[str] = set()
    for record in sorted(records, key=lambda r: int(r["hsg"] or 0)):
        slug = re.sub(r"[^a-z0-9]+", "-", fold(re.sub(r"\(.*?\)", "", record["canonical"])))
        slug = slug.strip("-") or f"hsg-{record['hsg']}"
        record["slug"] = slug if slug not in taken else f"{slug}-{record['hsg']}"
        taken.add(record["slug"])
    return records


def clean_hsg_name(text: str, titles: list[str]) -> list[str]:
    """The name forms one hsg name states: titles removed, parentheses read.

    "Mao Zedong (Mao Tse-tung)" → both names; "Chiao (Ch'iao) Kuan-hua" → Chiao Kuan-hua and
    Ch'iao Kuan-hua; "Nehru, B.K. (Braj Kumar)" → "Nehru, B.K." and "Nehru, Braj Kumar";
    "Stalin, Marshal of the Soviet Union Iosif Vissarionovich" → "Stalin, Iosif Vissarionovich".
    """
    text = " ".join(text.replace("–", "-").replace("—", "-").split()).strip(" ,")
    text = re.sub(r"(?<=[^\W\d_]{2})\.$", "", text)  # "Chou En-lai." but not "Malik, Y.A."
    for title in sorted(filter(None, titles), key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(title)}(?![\w])\.?", "", text)
    text = romanize.drop_titles(" ".join(re.sub(r"\s*,(\s*,)+", ",", text).split()).strip(" ,"))
    if not re.search(r"[^\W\d_]{2}", text):
        return []
    base = " ".join(re.sub(r"\s*\([^)]*\)", "", text).split()).strip(" ,")
    forms = [base] if base else []
    for match in re.finditer(r"\(([^)]*)\)", text):
        inner = match.group(1).strip(" “”\"'")
        if not inner or match.group(1).strip().startswith(("“", '"')):
            continue  # a nickname such as ("Chip")
        forms += _parenthesis_forms(text, base, match, inner)
    return [f for f in dict.fromkeys(forms) if re.search(r"[^\W\d_]{2}", f)]


def _parenthesis_forms(text: str, base: str, match: re.Match, inner: str) -> list[str]:
    before = text[: match.start()].strip()
    after = text[match.end() :].strip()
    if "," in inner and "," not in base:  # Kim Dong-Jo (Kim Tong-jo, Kim Tong-cho)
        return [part.strip() for part in inner.split(",") if len(part.split()) > 1]
    if "," in inner:  # Birgi, Nuri (Nuri-Birgi, M.)
        return [inner]
    if after and len(inner.split()) == 1 and before:  # Chiao (Ch'iao) Kuan-hua: a spelling
        head = before.rsplit(" ", 1)
        return [" ".join([*head[:-1], inner, after])]
    if "," not in base:
        if len(inner.split()) > 1:  # Mao Zedong (Mao Tse-tung)
            return [inner]
        last = base.split()[-1]  # Liu Shao-chi (Shao-ch'i)
        return [base[: -len(last)] + inner] if fold(last)[:2] == fold(inner)[:2] else []
    family, given = base.split(",", 1)
    if not given.strip() or given.replace(" ", "") == initials(given).replace(" ", ""):
        # Nehru, B.K. (Braj Kumar)
        return [f"{family}, {inner}"]
    if fold(family) in fold(inner) and len(inner.split()) > 1:  # Chang, Myon (John Myun Chang)
        return [inner]
    return []
