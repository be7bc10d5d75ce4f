"""Signing in and out of the reading room, and who is signed in, for every page's header.

Django's own views do the work: ``LoginView`` authenticates through django-axes (five failures
for one user name from one address lock both for 15 minutes, here and on /admin/ alike) and
``LogoutView`` answers POST only, with a CSRF token, so a link or an image on another site cannot
sign anyone out. Each login, failure and lockout is in the audit trail (``records.sign_ins``).
"""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest

from opis.records.accounts import READER, role_of

login = auth_views.LoginView.as_view(
    template_name="opis/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()


def account(request: HttpRequest) -> dict:
    """A template context processor: the signed-in account and its role, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account_name": "", "account_role": READER}
    return {"account_name": user.get_username(), "account_role": role_of(user)}
