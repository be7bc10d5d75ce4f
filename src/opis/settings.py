"""Django settings for opis.

Only wiring lives here. Deployment knobs are ``OPIS_*`` environment variables, every one declared
in ``opis.config`` (name, default, kind, help; the README's "Settings" table lists them) and read
through it; the ones Django needs are read once, when Django loads these settings, the others
where they are used. Without ``OPIS_SECRET_KEY`` a key is made on first use and kept in
``<data>/secret_key`` (mode 0600), so no two archives share a key and none ships with a known one.
"""

from datetime import timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.functional import lazy

from opis import config

DATA_DIR = config.data_dir()
PACKAGE_DIR = Path(__file__).resolve().parent

# Made (or read) when first used, not when the settings load: loading them writes no file.
SECRET_KEY = lazy(cache(lambda: config.secret_key(DATA_DIR)), str)()
DEBUG = config.value("OPIS_DEBUG")
ALLOWED_HOSTS = config.value("OPIS_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # its sitemap templates (opis.web.sitemaps)
    "corsheaders",
    "axes",  # login throttling: the reading room's login and the admin's
    "opis.records",
    "opis.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opis.web.middleware.ContentSecurityPolicyMiddleware",
    "opis.web.methods.HttpMethodsMiddleware",
    "opis.web.nul_input.NulInputMiddleware",  # no NUL reaches a view (PostgreSQL holds none)
    "opis.web.cors.ReadOnlyCorsMiddleware",
    "opis.web.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opis.web.access.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into opis's "locked" page
]

# Passwords: Argon2id first (the winner of the Password Hashing Competition); the others only
# read hashes made before, and Django rehashes them with Argon2 at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]  # fmt: skip
# django-axes checks the backend first: a locked-out name+address is refused before any
# password is hashed, on /accounts/login/ and /admin/login/ alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AXES_FAILURE_LIMIT = 5  # failures per user name and address …
AXES_COOLOFF_TIME = timedelta(minutes=15)  # … lock both for 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "opis/locked.html"
AXES_VERBOSE = False
# The same client address as the rate limits (X-Forwarded-For only behind a trusted proxy), as
# an IP address or None: axes keeps it in an IP column, which PostgreSQL checks.
AXES_CLIENT_IP_CALLABLE = "opis.web.ratelimit.client_ip"

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
                "opis.web.sign_in.account",  # who is signed in, for the header
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


if config.value("OPIS_DATABASE_URL"):
    DATABASES = {"default": _database_from_url(config.value("OPIS_DATABASE_URL"))}
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

# A web thread keeps its connection between requests (checked before reuse): opening one per
# request cost more than a record page read from the cache (bench/serve_load.py).
for _database in DATABASES.values():
    _database.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)

SEARCH_INDEX_DIR = DATA_DIR / "index"
# Each web process's own memory: rate-limit buckets, rendered record pages and searches. Pages and
# searches are keyed by what they were made from, so no process needs telling (opis.web.caching).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
OPIS_SEARCH_CACHE_SECONDS = config.value("OPIS_SEARCH_CACHE_SECONDS")
ORIGINALS_DIR = DATA_DIR / "originals"  # every ingested file, by sha256 (opis.records.originals)
MAX_UNPACKED_MB = config.value("OPIS_MAX_UNPACKED_MB")

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

OPIS_API_RATE_LIMIT = config.value("OPIS_API_RATE_LIMIT")

# OAI-PMH (opis.oai): records per ListRecords/ListIdentifiers page; the "oai:<identifier>:<id>"
# repository identifier (default: the host name a request came to); the adminEmail of Identify.
OPIS_OAI_PAGE_SIZE = config.value("OPIS_OAI_PAGE_SIZE")
OPIS_OAI_REPOSITORY_IDENTIFIER = config.value("OPIS_OAI_REPOSITORY_IDENTIFIER")
OPIS_OAI_ADMIN_EMAIL = config.value("OPIS_OAI_ADMIN_EMAIL")
OPIS_TRUST_X_FORWARDED_FOR = config.value("OPIS_TRUST_X_FORWARDED_FOR")

# OPIS_HTTPS=1: the site is served over HTTPS, so say so to browsers and keep cookies off http.
# The proxy header is believed only with OPIS_TRUST_X_FORWARDED_FOR: without a proxy that sets
# X-Forwarded-Proto itself, any client could send "https" and skip the redirect.
if config.value("OPIS_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if config.value("OPIS_TRUST_X_FORWARDED_FOR"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preloading (W021) is the domain owner's commitment, for every subdomain and for good, made
# by submitting the domain to the browsers' list: not a default opis can take on their behalf.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

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
