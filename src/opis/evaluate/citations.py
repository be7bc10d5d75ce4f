"""The citation parser against the DFAT harvest's National Archives of Australia references.

Each DFAT document's front matter lists ``naa_refs`` (series, control symbol, barcode, and the
printed ``reference``); its body prints the same references as "[NAA: A1838, 852/13/4]" or
"[AA : A1838/2, 852/13/4, ii]" lines. The parser reads those lines; each front-matter reference
counts as an exact match when some parsed location has the same series and control symbol (case
and spacing aside).

The harvest matched the printed references against RecordSearch automatically, and RecordSearch
identifies many items differently from how the DFAT editors printed them. Every mismatch is
therefore put in a class by narrow rules (``CLASSES``) that say which side differs: the harvest
(RecordSearch's identity is not derivable from the print), the print (OCR errors the harvest
corrected), or neither rule — "unexplained", the upper bound on parser errors.

Run ``python -m opis.evaluate.citations`` for the figures; docs/quality.md records them.
"""

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from opis.drafts import LocationDraft
from opis.evaluate.corpora import dfat_files, relative
from opis.understand.citation import parse_archival_locations

# class → (side, description). "harvest": RecordSearch differs from the print; "print": the
# printed text is wrong and the harvest right; "parser": attributable to the parser.
CLASSES = {
    "harvest-series-only": ("harvest", "the harvest matched a series but no item (control empty)"),
    "cable-register": ("harvest", "A3195/A3196 cablegram registers: printed cable number, "
                       "RecordSearch year folder"),
    "a981-subject": ("harvest", "A981: printed subject words, RecordSearch subject codes "
                     "(JAPAN 181 → JAP 181, USA 78 → UNI 78), same numbers"),
    "part-differs": ("harvest", "same file, a part (PART n) added, dropped or changed"),
    "year-expanded": ("harvest", "RecordSearch writes a two-digit year in four digits"),
    "ts-prefix": ("harvest", "RecordSearch adds or drops the TS (top secret) prefix"),
    "other-spelling": ("harvest", "the same identifier spelt otherwise: punctuation, "
                       "spaces ('1947 BATAVIA' → '1947/BATAVIA'), or the same numbers with "
                       "other words ('BUNDLE 1, ITEM 28' → 'BUNDLE 1/28')"),
    "item-number": ("harvest", "RecordSearch names the item by a number the print does not "
                    "carry ('VOLUME 8' → '174', a file title → '252')"),
    "harvest-subset": ("harvest", "RecordSearch's identifier is part of the printed one "
                       "('PARIS 1946, 1-21' → '1946/PARIS', '46/387' → '387')"),
    "harvest-superset": ("harvest", "RecordSearch's identifier holds the printed one and more "
                         "('609' → '609/1943', '759' → '759/1/7')"),
    "one-character": ("source", "one character added, dropped or changed in the print or the "
                      "harvest (a typo; the parser copies characters as printed)"),
    "series-renumbered": ("harvest", "RecordSearch gives another series or series number"),
    "printed-ocr": ("print", "OCR error in the printed reference (l/I for 1, / for 1, O for 0), "
                    "corrected by the harvest"),
    "printed-series-prefix": ("print", "the printed series lacks its letter prefix (1838)"),
    "not-in-body": ("harvest", "the front matter's reference is not printed in the body"),
    "missed": ("parser", "the reference is printed but the parser found no location for it"),
    "unexplained": ("parser", "no rule explains the difference: counted against the parser"),
}  # fmt: skip
TARGET = 0.98
_PRINTED_NAA = re.compile(r"\bN?AA\s*:")  # a reference printed as NAA's or AA's


@dataclass
class Mismatch:
    path: str
    kind: str
    expected: tuple[str, str]
    parsed: tuple[str, str] | None
    printed: str


@dataclass
class CitationFigures:
    files: int = 0  # DFAT files read
    in_scope: int = 0  # files whose body prints at least one NAA reference
    refs: int = 0  # front-matter references in those files
    out_of_scope_refs: int = 0  # references of files that print none ([FA: …], [DEFENCE: …])
    parsed: int = 0  # bracketed NAA locations the parser found (prose "on file AA: …" aside)
    exact: int = 0  # references with a parsed location of the same series and control symbol
    parsed_matched: int = 0  # parsed locations equal to some front-matter reference
    raw_expected: int = 0  # references whose printed text occurs in the body
    raw_found: int = 0  # … and that the parser delimited exactly (raw == printed)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def exact_rate(self) -> float:
        return self.exact / self.refs if self.refs else 0.0

    @property
    def precision(self) -> float:
        return self.parsed_matched / self.parsed if self.parsed else 0.0

    @property
    def by_class(self) -> Counter:
        return Counter(m.kind for m in self.mismatches)

    @property
    def parser_errors(self) -> int:
        return sum(n for kind, n in self.by_class.items() if CLASSES[kind][0] == "parser")

    @property
    def parser_accuracy(self) -> float:
        """At least this share of references the parser read right: 1 − parser-side / refs."""
        return 1 - self.parser_errors / self.refs if self.refs else 0.0

    @property
    def raw_rate(self) -> float:
        return self.raw_found / self.raw_expected if self.raw_expected else 0.0


def evaluate(root: Path | None = None) -> CitationFigures:
    figures = CitationFigures()
    for document in dfat_files(root):
        figures.files += 1
        refs = [r for r in document.meta.get("naa_refs") or [] if isinstance(r, dict)]
        mine = [r for r in refs if _PRINTED_NAA.search(str(r.get("reference") or ""))]
        figures.out_of_scope_refs += len(refs) - len(mine)
        lines = [line for line in document.body.split("\n") if "AA" in line]
        found = parse_archival_locations("\n".join(lines))
        parsed = [loc for loc in found if loc.repository == "NAA"]
        if not mine and not any(loc.raw.startswith("[") for loc in parsed):
            continue
        figures.in_scope += 1
        _compare(figures, relative(document.path), mine, parsed, "\n".join(lines))
    return figures


def _compare(figures, path, refs, parsed, printed_lines) -> None:
    figures.refs += len(refs)
    keys = [_key(loc.series, loc.control_symbol) for loc in parsed]
    wanted = [_key(r.get("naa_series"), r.get("naa_control_symbol")) for r in refs]
    bracketed = [k for k, loc in zip(keys, parsed, strict=True) if loc.raw.startswith("[")]
    figures.parsed += len(bracketed)
    figures.parsed_matched += sum(1 for k in bracketed if k in wanted)
    unused = list(range(len(parsed)))
    unmatched = []
    for ref, key in zip(refs, wanted, strict=True):
        printed = " ".join(str(ref.get("reference") or "").split())
        if printed and printed in " ".join(printed_lines.split()):
            figures.raw_expected += 1
            figures.raw_found += any(_same_text(loc, printed) for loc in parsed)
        hit = next((i for i in unused if keys[i] == key), None)
        if hit is None:
            unmatched.append((ref, key, printed))
        else:
            figures.exact += 1
            unused.remove(hit)
    pairs = []
    for _ref, key, printed in unmatched:  # the same printed text first, for every reference
        index = next((i for i in unused if _same_text(parsed[i], printed)), None)
        if index is not None:
            unused.remove(index)
        pairs.append((key, printed, index))
    for key, printed, index in pairs:
        if index is None:
            index = _pair(key, printed, parsed, unused)
            if index is not None:
                unused.remove(index)
        location = parsed[index] if index is not None else None
        kind = classify(key, location, printed, printed_lines)
        got = _key(location.series, location.control_symbol) if location else None
        shown = location.raw if location else printed
        figures.mismatches.append(Mismatch(path, kind, key, got, shown))


def _same_text(location: LocationDraft, printed: str) -> bool:
    """The parser's raw is the printed reference (the harvest sometimes lost a final "]")."""
    raw = " ".join(location.raw.split())
    return bool(printed) and raw in (printed, printed + "]")


def _pair(key, printed, parsed, unused) -> int | None:
    """The parsed location a missed reference is compared with: a bracketed one of the same
    series, else the next bracketed one, else one whose text is part of the printed reference."""
    for test in (
        lambda loc: loc.raw.startswith("[") and _key(loc.series, "")[0] == key[0],
        lambda loc: loc.raw.startswith("["),
        lambda loc: " ".join(loc.raw.split()) in printed,
    ):
        for i in unused:
            if test(parsed[i]):
                return i
    return None


def classify(
    expected: tuple[str, str], location: LocationDraft | None, printed: str, printed_lines: str
) -> str:
    """Which side a mismatch comes from, by narrow rules tried in order."""
    if location is None:
        compact = " ".join(printed_lines.split())
        return "missed" if printed and printed in compact else "not-in-body"
    series, control = _key(location.series, location.control_symbol)
    want_series, want_control = expected
    if not _transcribed(location):
        return "unexplained"
    if series != want_series:
        if not re.match(r"[A-Z]", series) and "A" + series.split("/")[0] == want_series:
            return "printed-series-prefix"
        return "printed-ocr" if _fold(series) == _fold(want_series) else "series-renumbered"
    if not want_control:
        return "harvest-series-only"
    if series in ("A3195", "A3196"):
        return "cable-register"
    mine, theirs = _without_part(control), _without_part(want_control)
    if series == "A981" and _numbers(mine) == _numbers(theirs):
        return "a981-subject"
    if mine == theirs:
        return "part-differs"
    for rule, kind in (
        (lambda a, b: _expands_year(a, b), "year-expanded"),
        (lambda a, b: a.removeprefix("TS") == b.removeprefix("TS"), "ts-prefix"),
        (lambda a, b: _fold(a) == _fold(b), "printed-ocr"),
        (lambda a, b: _alnum(a) == _alnum(b) or _numbers(a) == _numbers(b), "other-spelling"),
        (lambda a, b: _one_edit(_alnum(a), _alnum(b)), "one-character"),
        (lambda a, b: _tokens_within(b, a), "harvest-subset"),
        (lambda a, b: _tokens_within(a, b), "harvest-superset"),
        (
            lambda a, b: re.fullmatch(r"[\d/]+", b) and not set(_numbers(a)) & set(_numbers(b)),
            "item-number",
        ),
    ):
        if rule(control, want_control) or rule(mine, theirs):
            return kind
    return "unexplained"


def _key(series, control) -> tuple[str, str]:
    return " ".join(str(series or "").upper().split()), " ".join(str(control or "").upper().split())


def _fold(text: str) -> str:
    """OCR confusables folded together: l, I, J and / read for 1; O for 0; spaces dropped."""
    return text.upper().translate(str.maketrans("LIJ/OZ", "111101")).replace(" ", "")


def _without_part(control: str) -> str:
    return re.sub(r"\s*\bPART\s+\w+$", "", control).strip()


def _expands_year(printed: str, harvest: str) -> bool:
    """ "57/1535" → "1957/1535", "L48/3/18" → "L1948/3/18": one "19" added before two digits."""
    return any(
        harvest[: m.start()] + harvest[m.start() + 2 :] == printed
        for m in re.finditer(r"19(?=\d\d)", harvest)
    )


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


def _tokens_within(part: str, whole: str) -> bool:
    """Every word and number of ``part`` occurs in ``whole`` (as many times)."""
    mine = Counter(re.findall(r"[A-Z]+|\d+", part))
    return bool(mine) and not mine - Counter(re.findall(r"[A-Z]+|\d+", whole))


def _one_edit(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True


def _transcribed(location: LocationDraft) -> bool:
    """The parser copied the series number and control symbol from the printed text, changing
    only what the NAA rules change (parts, VOLUME, OCR in the series): otherwise any mismatch
    is the parser's, whatever the harvest says."""
    raw = _fold(_alnum(location.raw.upper().replace("VOLUME", "VOL")))
    control = _without_part(location.control_symbol.upper()).replace("VOLUME", "VOL")
    series_digits = _numbers(location.series)[:1]
    return _fold(_alnum(control)) in raw and all(d in raw for d in series_digits)


def report(figures: CitationFigures, examples: int = 3) -> str:
    lines = [
        "Citations: DFAT front-matter naa_refs vs the parser on the printed [NAA: …]/[AA: …] lines",
        f"  files read {figures.files}; files printing NAA references {figures.in_scope}",
        f"  references compared {figures.refs} (another {figures.out_of_scope_refs} are printed "
        "otherwise, e.g. [FA: …], [DEFENCE: …])",
        f"  printed reference delimited exactly (raw): {figures.raw_found}/{figures.raw_expected}"
        f" = {figures.raw_rate:.2%}",
        f"  exact match with the harvest (series + control symbol): {figures.exact}/{figures.refs}"
        f" = {figures.exact_rate:.2%}",
        f"  precision (parsed locations equal to a harvest reference): {figures.parsed_matched}/"
        f"{figures.parsed} = {figures.precision:.2%}",
        f"  parser accuracy (1 − parser-side mismatches / references): "
        f"{figures.parser_accuracy:.2%} (target {TARGET:.0%})",
        "  mismatches by class:",
    ]
    for kind, count in figures.by_class.most_common():
        side, description = CLASSES[kind]
        lines.append(f"    {count:5d}  {kind} [{side}]: {description}")
        for mismatch in [m for m in figures.mismatches if m.kind == kind][:examples]:
            got = " / ".join(mismatch.parsed) if mismatch.parsed else "—"
            lines.append(
                f"           {mismatch.printed!r}: harvest {' / '.join(mismatch.expected)!r}, "
                f"parsed {got!r}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    examples = int(args[0]) if args and args[0].isdigit() else 3
    figures = evaluate()
    sys.stdout.write(report(figures, examples) + "\n")
    return 0 if figures.parser_accuracy >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
