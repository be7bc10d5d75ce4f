"""US State Department telegrams in the Reykjavik FOIA scans: are they read as cables?

Truth comes from outside the parser: the curated description of each released document in
``foia_metadata.json`` ("Embassy Moscow cable (86MOSCOW017709) on …", "State cable …",
"USNATO cable …"). Every document described as a cable, and not as the routing slip *for* a
cable, is a telegram; its PDF's own text layer (pypdf, the first three pages; no OCR, so the
figure is a floor: Tesseract reads these pages better) is given to ``parse_cable``.

A telegram counts as **read** when origin, destination and number are all found. Two checks of
rightness where the description states the value: the number against the reference in
parentheses ("86MOSCOW017709" → post MOSCOW, serial 17709; the post compared on its first four
letters, the system's own abbreviation being six), and the origin against "Embassy X" / "State"
/ "USNATO" (State is Washington).

Run ``python -m opis.evaluate.us_telegrams [--json]``; exit 1 below 80 % read.
"""

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from opis.errors import ReaderError
from opis.evaluate.corpora import corpora_root
from opis.evaluate.split import in_part
from opis.readers.pdf_scan import text_layer
from opis.understand.cable import Cable, parse_cable

TARGET = 0.80


def foia_folder() -> Path:
    return corpora_root() / "state-foia-reykjavik-1986"


@dataclass
class TelegramScore:
    telegrams: int = 0
    read: int = 0
    numbers_stated: int = 0
    numbers_right: int = 0
    origins_stated: int = 0
    origins_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def read_rate(self) -> float:
        return self.read / self.telegrams if self.telegrams else 0.0


def described_telegrams(folder: Path) -> dict[Path, str]:
    """PDF → description, for every released document its description calls a cable."""
    documents = json.loads((folder / "foia_metadata.json").read_text("utf-8"))["documents"]
    telegrams = {}
    for key, record in documents.items():
        description = record.get("description", "")
        path = folder / "F-1986-04261" / f"{key.removeprefix('foia-')}.pdf"
        if re.search(r"\bcable\b", description) and "slip" not in description and path.exists():
            telegrams[path] = description
    return telegrams


def evaluate(folder: Path | None = None) -> TelegramScore:
    folder = folder or foia_folder()
    telegrams = described_telegrams(folder)
    score = TelegramScore()
    release = set(in_part(sorted((folder / "F-1986-04261").glob("*.pdf")), per_file=True))
    for path in sorted(p for p in telegrams if p in release):  # the part of the whole release
        try:
            pages, _ = text_layer(path)
        except ReaderError:
            pages = []
        cable = parse_cable("", "\n\n".join(pages[:3])) or Cable()
        _score(score, path, telegrams[path], cable)
    return score


def _score(score: TelegramScore, path: Path, description: str, cable: Cable) -> None:
    score.telegrams += 1
    if cable.origin and cable.destination and cable.number:
        score.read += 1
    else:
        score.misses.append(
            f"{path.name}: {cable.number!r} {cable.origin!r} → {cable.destination!r}"
        )
    stated = re.search(r"\(86\s?([A-Z]{4,8}?)\s?0*(\d{3,6})\b", description)
    if stated:
        score.numbers_stated += 1
        post, serial = cable.number.partition(" ")[::2]
        score.numbers_right += post[:4] == stated.group(1)[:4] and serial == stated.group(2)
    place = re.match(
        r"(?:Embassy\s+(\w+(?:\s\w+)?)|(State|USNATO))\s+(?:NIACT\s+)?cable", description
    )
    if place:
        score.origins_stated += 1
        expected = "WASHINGTON" if place.group(2) == "State" else (place.group(1) or place.group(2))
        score.origins_right += cable.origin[:5] == expected.upper()[:5]


def report(score: TelegramScore) -> str:
    lines = [
        "US telegrams in the FOIA scans (text layer, first three pages)",
        f"  described as cables: {score.telegrams}; origin, destination and number read: "
        f"{score.read} = {score.read_rate:.1%} (target {TARGET:.0%})",
        f"  number right where the description gives it: "
        f"{score.numbers_right}/{score.numbers_stated}",
        f"  origin right where the description gives it: "
        f"{score.origins_right}/{score.origins_stated}",
    ]
    lines += [f"    not read: {miss}" for miss in score.misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not (foia_folder() / "foia_metadata.json").exists():
        sys.stdout.write(f"no FOIA corpus at {foia_folder()}; nothing measured\n")
        return 0
    score = evaluate()
    if "--json" in args:
        figures = {k: v for k, v in vars(score).items() if k != "misses"}
        sys.stdout.write(json.dumps(figures | {"read_rate": round(score.read_rate, 4)}) + "\n")
    else:
        sys.stdout.write(report(score) + "\n")
    return 0 if score.read_rate >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
