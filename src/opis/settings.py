"""Django settings for opis.

Only wiring lives here. Deployment knobs come from ``OPIS_*`` environment variables:

- ``OPIS_DATA``: the data directory (catalogue, search index); default ``./opis-data``.
- ``OPIS_DATABASE_URL``: ``postgresql://user:pass@host:port/name`` to use PostgreSQL instead of
  the embedded SQLite catalogue in the data directory.
- ``OPIS_SECRET_KEY``, ``OPIS_DEBUG``, ``OPIS_ALLOWED_HOSTS`` (comma-separated).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

DATA_DIR = Path(os.environ.get("OPIS_DATA", "opis-data")).resolve()
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("OPIS_SECRET_KEY", "opis-local-only-change-me-for-a-server")
DEBUG = os.environ.get("OPIS_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("OPIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "opis.records",
    "opis.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opis.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opis.urls"
WSGI_APPLICATION = "opis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    """Translate ``postgresql://user:pass@host:port/name`` (host may be a socket dir)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"OPIS_DATABASE_URL {url!r}: only postgresql:// URLs are supported")
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "opis",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(query.get("host", parts.hostname or "")),
        "PORT": str(parts.port or query.get("port", "")),
    }


if os.environ.get("OPIS_DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["OPIS_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "opis.sqlite3",
            "OPTIONS": {
                # One writer at a time, readers never blocked: WAL, IMMEDIATE write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

SEARCH_INDEX_DIR = DATA_DIR / "index"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"opis": {"handlers": ["console"], "level": "WARNING"}},
}
