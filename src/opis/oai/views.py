"""``/oai``: the one view of the OAI-PMH provider, for GET and POST.

Every answer is HTTP 200 with ``text/xml; charset=utf-8``; a request the protocol refuses gets the
protocol's ``<error>`` element, never an HTML page, a 500 or a stack trace. POST is exempt from
CSRF: harvesters post form-encoded arguments, and nothing here changes state.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from .protocol import OAIError, Repository, envelope, error_element, read_arguments
from .verbs import VERBS

CONTENT_TYPE = "text/xml; charset=utf-8"
REPOSITORY_NAME = "opis: an archive of diplomatic documents"


def repository_for(request: HttpRequest) -> Repository:
    """The repository as this request sees it: its URLs, and the identifier for item ids
    (``OPIS_OAI_REPOSITORY_IDENTIFIER``, or the host name the request came to)."""
    site_url = request.build_absolute_uri("/").rstrip("/")
    return Repository(
        base_url=f"{site_url}/oai",
        site_url=site_url,
        identifier=settings.OPIS_OAI_REPOSITORY_IDENTIFIER or request.get_host().split(":")[0],
        name=REPOSITORY_NAME,
        admin_email=settings.OPIS_OAI_ADMIN_EMAIL,
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request: HttpRequest) -> HttpResponse:
    repository = repository_for(request)
    query = request.POST if request.method == "POST" else request.GET
    verb, arguments = None, None
    try:
        verb, arguments = read_arguments(query, {name: v.arguments for name, v in VERBS.items()})
        answer = VERBS[verb].handle(repository, arguments)
    except OAIError as error:
        root = envelope(repository, verb, arguments if error.echoes_arguments else None)
        root.append(error_element(error))
    else:
        root = envelope(repository, verb, arguments)
        root.append(answer)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type=CONTENT_TYPE)
