"""Who is asking: a session (the reading room's login) or an API token, and what their role lets
them do.

A script sends ``Authorization: Bearer TOKEN`` (``opis users token NAME``); the middleware turns a
valid token into ``request.user`` and refuses an unknown or revoked one with 401, never falling
back to anonymous. A request authenticated by a token carries no cookie, so a forged cross-site
request cannot carry it either: CSRF checks apply to session-authenticated writes only, and every
write goes through ``require`` which enforces them (django-ninja views are otherwise exempt).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from ninja.utils import check_csrf

from opis.errors import Forbidden, NotSignedIn
from opis.records.accounts import ROLES, has_role, role_of, user_for_token
from opis.records.audit import AUTHENTICATION, FAILURE, SUCCESS, record_event
from opis.records.visibility import sees_everything
from opis.web.errors import is_api, json_error

BEARER = "bearer "


class BearerTokenMiddleware:
    """``Authorization: Bearer TOKEN`` → ``request.user``; placed after Django's
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header[: len(BEARER)].lower() == BEARER:
            user = user_for_token(header[len(BEARER) :].strip())
            if user is None:
                return json_error(
                    401, "not_signed_in", "the API token is unknown or revoked; "
                    "make a new one with `opis users token NAME`",
                )  # fmt: skip
            request.user = user
            request.opis_token = True
            request._dont_enforce_csrf_checks = True  # no cookie: nothing a forger could ride
        return self.get_response(request)


def role(request: HttpRequest) -> str:
    return role_of(getattr(request, "user", None))


def staff_view(request: HttpRequest) -> bool:
    """Curators and admins see unpublished records (with a badge); readers never do."""
    return sees_everything(getattr(request, "user", None))


def actor_name(request: HttpRequest) -> str:
    """Who the audit trail names for this request: the user name, or "anonymous"."""
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "anonymous"


def require(request: HttpRequest, needed: str) -> None:
    """Raise NotSignedIn/Forbidden unless the requester holds ``needed``; a session-authenticated
    write must also pass Django's CSRF check. A write made with an API token is recorded in the
    audit trail (AUTHENTICATION, via "token"): which token's user wrote where, even when the
    write itself then fails."""
    if needed not in ROLES:
        raise ValueError(f"unknown role {needed!r}")
    user = getattr(request, "user", None)
    allowed = has_role(user, needed)
    if request.method not in ("GET", "HEAD", "OPTIONS") and getattr(request, "opis_token", False):
        record_event(actor_name(request), AUTHENTICATION, request.path[:300], via="token",
                     outcome=SUCCESS if allowed else FAILURE, method=request.method,
                     role=needed)  # fmt: skip
    if not allowed:
        if user is None or not user.is_authenticated:
            raise NotSignedIn(f"sign in as a {needed} (or send an API token) to do this")
        raise Forbidden(f"this needs the {needed} role; your account is a {role_of(user)}")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(
        request, "opis_token", False
    ):
        refused = check_csrf(request)
        if refused is not None:
            raise Forbidden("the form's CSRF token is missing or wrong; reload the page and retry")


def role_required(needed: str):
    """A view decorator: ``require(request, needed)``, with errors as JSON under /api/ and as
    pages elsewhere (anonymous people are sent to the login page)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                require(request, needed)
            except NotSignedIn as error:
                if is_api(request):
                    return json_error(401, error.code, error.message)
                return redirect_to_login(request.get_full_path())
            except Forbidden as error:
                if is_api(request):
                    return json_error(403, error.code, error.message)
                return HttpResponseForbidden(error.message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
