"""Persons named in the text (``opis.understand.mentions``) on one half of the DFAT corpus: the
matcher's cost per document, how many links and forms for review it finds, and a random sample of
its links in context, to judge by hand (docs/quality.md, "Mentions").

Each document is read with the DFAT reader, as ingest reads it; only ``MentionMatcher.find`` is
timed (the matcher is built first, once, as ingest builds it once per process).

    python bench/mentions.py dev                  # the development half
    python bench/mentions.py held-out --sample 60 # a sample of 60 links, to judge
"""

import argparse
import os
import random
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opis.settings")

from opis.evaluate.split import PARTS, in_part, only  # noqa: E402
from opis.readers import read_drafts, reader_for  # noqa: E402
from opis.readers.source import SourceFile  # noqa: E402
from opis.understand.mentions import matcher  # noqa: E402

DFAT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "dfat" / "volumes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=PARTS)
    parser.add_argument("--sample", type=int, default=0, help="links to print in context")
    parser.add_argument("--seed", type=int, default=13)
    options = parser.parse_args()
    with only(options.part):
        files = in_part(sorted(DFAT.rglob("*.md")))
    started = time.perf_counter()
    found = matcher()
    print(f"matcher built in {time.perf_counter() - started:.1f} s")
    documents = []
    for path in files:
        source = SourceFile(path)
        for draft in read_drafts(reader_for(source), source, None):
            documents.append([text.body for text in draft.texts])
    started = time.perf_counter()
    results = [(texts, found.find(texts)) for texts in documents]
    spent = time.perf_counter() - started
    size = sum(len(body) for texts in documents for body in texts) / len(documents)
    linked = [(texts, m) for texts, result in results for m in result.linked]
    print(
        f"{options.part}: {len(documents)} documents of {size:.0f} characters, "
        f"{spent / len(documents) * 1000:.2f} ms each; {len(linked)} links in "
        f"{sum(1 for _, r in results if r.linked)} documents; "
        f"{sum(len(r.ambiguous) for _, r in results)} forms for review in "
        f"{sum(1 for _, r in results if r.ambiguous)} documents"
    )
    print("by confidence:", dict(sorted(Counter(m.confidence for _, m in linked).items())))
    sample = random.Random(options.seed).sample(linked, min(options.sample, len(linked)))
    for number, (texts, mention) in enumerate(sample):
        body = texts[mention.text]
        context = body[max(0, mention.start - 110) : mention.end + 70].replace("\n", " ")
        print(f"{number}\t{mention.person_id}\t{mention.form}\t{mention.confidence}\t…{context}…")


if __name__ == "__main__":
    main()
