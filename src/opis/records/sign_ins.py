"""Sign-ins in the audit trail: every login, failed login and lockout (AUTHENTICATION).

Django sends ``user_logged_in`` and ``user_login_failed`` for the reading room's login and the
admin's alike, and django-axes sends ``user_locked_out`` when a name and address have failed too
often; connecting here (``RecordsConfig.ready``) covers every way in. The password is never kept:
Django already strips it from the failed credentials, and only the user name is read from them.
"""

from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from opis.records.audit import AUTHENTICATION, FAILURE, record_event


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def logged_in(sender, request, user, **kwargs) -> None:
    record_event(user.get_username(), AUTHENTICATION, f"user:{user.get_username()}",
                 via="login", address=_address(request))  # fmt: skip


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(user.get_username(), AUTHENTICATION, f"user:{user.get_username()}",
                     via="logout", address=_address(request))  # fmt: skip


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    name = str(credentials.get("username", ""))[:150]
    record_event(name or "anonymous", AUTHENTICATION, f"user:{name}", outcome=FAILURE,
                 via="login", address=_address(request))  # fmt: skip


def locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    name = str(username or "")[:150]
    record_event(name or "anonymous", AUTHENTICATION, f"user:{name}", outcome=FAILURE,
                 via="lockout", address=ip_address or "")  # fmt: skip


def connect() -> None:
    user_logged_in.connect(logged_in, dispatch_uid="opis-audit-login")
    user_logged_out.connect(logged_out, dispatch_uid="opis-audit-logout")
    user_login_failed.connect(login_failed, dispatch_uid="opis-audit-login-failed")
    user_locked_out.connect(locked_out, dispatch_uid="opis-audit-locked-out")
