"""Django settings for opis.

Only wiring lives here. Deployment knobs come from ``OPIS_*`` environment variables:

- ``OPIS_DATA``: the data directory (catalogue, search index); default ``./opis-data``.
- ``OPIS_DATABASE_URL``: ``postgresql://user:pass@host:port/name`` to use PostgreSQL instead of
  the embedded SQLite catalogue in the data directory.
- ``OPIS_SECRET_KEY``, ``OPIS_DEBUG``, ``OPIS_ALLOWED_HOSTS`` (comma-separated).
- ``OPIS_MAX_UNPACKED_MB``: the most a zip file given to ingest may unpack to (default 4096).
- ``OPIS_API_RATE_LIMIT``: requests per client to ``/api/``, e.g. ``120/minute`` (default); ``0``
  for none. ``OPIS_TRUST_X_FORWARDED_FOR=1`` behind a reverse proxy that sets X-Forwarded-For.
- ``OPIS_OAI_PAGE_SIZE`` (default 100), ``OPIS_OAI_REPOSITORY_IDENTIFIER`` (default: the request's
  host name), ``OPIS_OAI_ADMIN_EMAIL``: the OAI-PMH provider at ``/oai`` (docs/api.md).
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
    "django.contrib.sitemaps",  # its sitemap templates (opis.web.sitemaps)
    "corsheaders",
    "opis.records",
    "opis.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opis.web.middleware.ContentSecurityPolicyMiddleware",
    "opis.web.cors.ReadOnlyCorsMiddleware",
    "opis.web.ratelimit.RateLimitMiddleware",
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
ORIGINALS_DIR = DATA_DIR / "originals"  # every ingested file, by sha256 (opis.records.originals)
MAX_UNPACKED_MB = float(os.environ.get("OPIS_MAX_UNPACKED_MB", "4096"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# Any site may read the API and OAI-PMH (GET and its preflight only; see opis.web.cors).
CORS_URLS_REGEX = r"^/(api/|oai(/|$))"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]

OPIS_API_RATE_LIMIT = os.environ.get("OPIS_API_RATE_LIMIT", "120/minute")

# OAI-PMH (opis.oai): records per ListRecords/ListIdentifiers page; the "oai:<identifier>:<id>"
# repository identifier (default: the host name a request came to); the adminEmail of Identify.
OPIS_OAI_PAGE_SIZE = int(os.environ.get("OPIS_OAI_PAGE_SIZE", "100"))
OPIS_OAI_REPOSITORY_IDENTIFIER = os.environ.get("OPIS_OAI_REPOSITORY_IDENTIFIER", "")
OPIS_OAI_ADMIN_EMAIL = os.environ.get("OPIS_OAI_ADMIN_EMAIL", "archivist@opis.invalid")
OPIS_TRUST_X_FORWARDED_FOR = os.environ.get("OPIS_TRUST_X_FORWARDED_FOR", "") == "1"

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
