"""A machine-readable date checked against the printed one and the collection's span.

Encoders type dates into attributes by hand, and the attribute is what software believes: a FRUS
1864 volume encodes "June 5–17, 1864" as ``when="0201-06-05"``, a "Paris, July 18, 1870.
(Received August 3, 1870.)" as 1870-08-18, "Paris, 19 Rue de Marignan, June 17, 1864" as
1864-06-19. The page the editors printed is the witness a reader sees, so:

* machine and print agree (one interval holds the other, or they overlap): the machine date is
  kept (it is the more precise);
* they disagree: the printed date wins, unless it alone lies outside the collection's span (then
  the machine date is kept); either way the conflict becomes a ``Doubt`` for the curators;
* the print gives no date and the machine date lies outside the span: kept and doubted; where it
  lies a century or more outside (a year 0201 for "October 12—3 p.m." in an 1864 volume) it is
  dropped, not trusted, and that is a doubt too;
* both agree but lie outside the span ("November 1, 1670." in the 1870 volume): kept, doubted.

The span is a collection's plausible years, given by the reader (for a FRUS volume, its year
less ten to its year plus one: a volume prints its year's correspondence and papers leading to
it). Nothing here guesses a year the page does not print.
"""

from dataclasses import dataclass

from opis.drafts import DateInterval, Doubt


@dataclass
class CheckedDate:
    date: DateInterval | None  # None: no date can be trusted
    doubt: Doubt | None = None


def check_machine_date(
    machine: DateInterval, printed: DateInterval, span: tuple[int, int] | None, *, written: str
) -> CheckedDate:
    """The date to keep of ``machine`` (an encoder's attribute) and ``printed`` (the dateline
    read), and the doubt to record; ``written`` is the dateline as printed, for the curator."""
    if machine.start is None:
        return CheckedDate(printed if printed.start else None)
    detail = {"machine": _iso(machine), "printed": _iso(printed), "written": written[:200]}
    if span:
        detail["span"] = f"{span[0]}–{span[1]}"
    machine_in, printed_in = _within(machine, span), _within(printed, span)
    if printed.start is None:
        if machine_in:
            return CheckedDate(machine)
        far = span is not None and abs(machine.start.year - span[0]) > 100
        return _doubted(None, "unusable", detail) if far else _doubted(machine, "unchecked", detail)
    if _agree(machine, printed):
        return CheckedDate(machine) if machine_in else _doubted(machine, "agrees", detail)
    if printed_in or not machine_in:
        return _doubted(printed, "printed-wins", detail)
    return _doubted(machine, "encoded-kept", detail)


_WHY = {
    "unusable": "lies a century or more outside the collection's years and the dateline prints "
    "no date to check it by; it is not used",
    "unchecked": "lies outside the collection's years and the dateline prints no date to check "
    "it by; kept, to be checked",
    "agrees": "agrees with the dateline but lies outside the collection's years; kept as printed",
    "printed-wins": "disagrees with the printed dateline; the printed date is used",
    "encoded-kept": "disagrees with the printed dateline, which lies outside the collection's "
    "years; the encoded date is kept",
}


def _doubted(chosen: DateInterval | None, why: str, detail: dict) -> CheckedDate:
    message = f"the encoded date {detail['machine']} {_WHY[why]}"
    return CheckedDate(chosen, Doubt("date", message, detail | {"rule": why}))


def _agree(a: DateInterval, b: DateInterval) -> bool:
    assert a.start and a.end and b.start and b.end
    return a.start <= b.end and b.start <= a.end


def _within(interval: DateInterval, span: tuple[int, int] | None) -> bool:
    if interval.start is None or interval.end is None:
        return False
    return span is None or (span[0] <= interval.start.year and interval.end.year <= span[1])


def _iso(interval: DateInterval) -> str:
    if interval.start is None or interval.end is None:
        return ""
    if interval.start == interval.end:
        return interval.start.isoformat()
    return f"{interval.start.isoformat()}/{interval.end.isoformat()}"
