"""The vocabulary of OAI-PMH 2.0: namespaces, datestamps, identifiers, arguments, errors, envelope.

Everything a harvester can get wrong is answered here with the protocol's own error code and a
message naming the argument, the rule and the fix; the view turns an ``OAIError`` into the
``<error>`` element of an ordinary response (HTTP 200), as the specification requires.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"


class OAIError(Exception):
    """A request the protocol answers with ``<error code="…">``; ``code`` is the protocol's."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def echoes_arguments(self) -> bool:
        """badVerb and badArgument answers repeat only the base URL, never the arguments."""
        return self.code not in ("badVerb", "badArgument")


@dataclass(frozen=True)
class Repository:
    """What a response needs to know about where it is served from."""

    base_url: str  # this endpoint: http://host/oai
    site_url: str  # the reading room it belongs to: http://host
    identifier: str  # the repository part of "oai:<identifier>:<document id>"
    name: str
    admin_email: str

    def oai_identifier(self, document_id: str) -> str:
        return f"oai:{self.identifier}:{document_id}"

    def document_id(self, oai_identifier: str) -> str:
        """The document id inside an item identifier, or idDoesNotExist for a foreign one."""
        prefix = f"oai:{self.identifier}:"
        if not oai_identifier.startswith(prefix) or len(oai_identifier) == len(prefix):
            raise OAIError(
                "idDoesNotExist",
                f"identifier={oai_identifier!r} is not an item of this repository; its items are "
                f"named {prefix}<document id> (ListIdentifiers lists them)",
            )
        return oai_identifier[len(prefix) :]


# --- Datestamps -----------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def datestamp(moment: datetime) -> str:
    """UTC at the repository's granularity, seconds: ``1950-07-13T03:15:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Bound:
    """A ``from`` or ``until`` argument: the moment it names and the span one unit covers.

    ``until`` is inclusive in the protocol, so ``until=1950-07-13`` admits the whole day:
    records before ``moment + span`` are selected.
    """

    moment: datetime
    span: timedelta
    text: str

    @property
    def end(self) -> datetime:
        return self.moment + self.span


def parse_bound(name: str, text: str) -> Bound:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``, or badArgument saying which forms are legal."""
    if _DAY.fullmatch(text):
        form, span = "%Y-%m-%d", timedelta(days=1)
    elif _SECONDS.fullmatch(text):
        form, span = "%Y-%m-%dT%H:%M:%SZ", timedelta(seconds=1)
    else:
        form = ""
    try:
        moment = datetime.strptime(text, form).replace(tzinfo=UTC) if form else None
    except ValueError:
        moment = None
    if moment is None:
        raise OAIError(
            "badArgument",
            f"{name}={text!r} is not a datestamp; write YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ "
            "(UTC), e.g. 1950-07-13 or 1950-07-13T03:15:00Z",
        )
    return Bound(moment, span, text)


def check_bounds(since: Bound | None, until: Bound | None) -> None:
    """from and until must share a granularity, and from may not be later than until."""
    if since is None or until is None:
        return
    if since.span != until.span:
        raise OAIError(
            "badArgument",
            f"from={since.text!r} and until={until.text!r} have different granularities; "
            "give both as days or both as seconds",
        )
    if since.moment > until.moment:
        raise OAIError(
            "badArgument",
            f"from={since.text!r} is later than until={until.text!r}; swap them",
        )


# --- Arguments ------------------------------------------------------------------------------

# Characters an XML 1.0 document cannot hold: such a value could not be echoed in <request>.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Arguments:
    """What one verb takes: required, optional, and the exclusive resumptionToken."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    resumable: bool = False


def read_arguments(query, verbs: dict[str, Arguments]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments from a Django ``QueryDict``, checked against the verb's rules."""
    verb_values = query.getlist("verb")
    if len(verb_values) != 1 or verb_values[0] not in verbs:
        given = "no verb" if not verb_values else ", ".join(repr(v) for v in verb_values)
        raise OAIError(
            "badVerb",
            f"{given} is not one OAI-PMH verb; give exactly one of {', '.join(verbs)} as ?verb=…",
        )
    verb = verb_values[0]
    rules = verbs[verb]
    arguments: dict[str, str] = {}
    for name in query:
        if name == "verb":
            continue
        values = query.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"{name!r} is repeated; give it once")
        if name not in rules.required | rules.optional and not (
            rules.resumable and name == "resumptionToken"
        ):
            raise OAIError("badArgument", f"{verb} does not take {name!r}; {_legal(verb, rules)}")
        if _NOT_XML.search(values[0]):
            raise OAIError("badArgument", f"{name}={values[0]!r} holds characters XML cannot carry")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            others = ", ".join(sorted(set(arguments) - {"resumptionToken"}))
            raise OAIError(
                "badArgument",
                f"resumptionToken is exclusive; send it alone with the verb, without {others}",
            )
        return verb, arguments
    missing = sorted(rules.required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}; {_legal(verb, rules)}")
    return verb, arguments


def _legal(verb: str, rules: Arguments) -> str:
    parts = [*(sorted(rules.required)), *(f"[{name}]" for name in sorted(rules.optional))]
    if rules.resumable:
        parts.append("or resumptionToken alone")
    return f"{verb} takes {' '.join(parts) or 'no arguments'}"


# --- The envelope ---------------------------------------------------------------------------


def oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed (a stray control character in a
    corpus must not make a whole page of records unanswerable)."""
    return _NOT_XML.sub("", text)


def envelope(repository: Repository, verb: str | None, arguments: dict[str, str] | None):
    """The ``<OAI-PMH>`` root with responseDate and the request echoed (arguments only when
    ``arguments`` is given: not for badVerb or badArgument)."""
    root = etree.Element(oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, oai("responseDate")).text = datestamp(datetime.now(UTC))
    request = etree.SubElement(root, oai("request"))
    if arguments is not None and verb is not None:
        request.set("verb", verb)
        for name, value in arguments.items():
            request.set(name, value)
    request.text = repository.base_url
    return root


def error_element(error: OAIError):
    element = etree.Element(oai("error"), code=error.code)
    element.text = error.message
    return element
