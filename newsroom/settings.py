"""Settings for Newsroom, read from environment variables only (see .env.example)."""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from embeds.providers import FRAME_HOSTS as EMBED_FRAME_HOSTS

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE_WORDS:
        return True
    if value.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"The {name} environment variable must be one of "
        f"{sorted(TRUE_WORDS | FALSE_WORDS - {''})}, not {value!r}."
    )


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# A fixed key is acceptable only for local development; production must set its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The SECRET_KEY environment variable is required when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The ALLOWED_HOSTS environment variable is required when DEBUG is off, "
        "e.g. ALLOWED_HOSTS=news.example.com,www.news.example.com"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "reversion",
    "reversion_compare",
    "newsroom.apps.LoginLockoutsConfig",  # django-axes
    "csp",
    "articles",
    "editing",
    "desk",
    "photos",
    "embeds",
    "frontpage",
    "search",
    "live",
    # After every app whose changes it purges (articles/keys.py's TOUCHES).
    "delivery",
]

MIDDLEWARE = [
    # Static files first, at whitenoise's own rate: their headers are set
    # once, at start-up (static_file_headers below), not by the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached reader pages, answered as early as static files (articles/cache.py),
    # with the headers the middleware below gave them when they were kept. A
    # plain-HTTP request is another page (the scheme is in its key), so it
    # still gets SecurityMiddleware's redirect.
    "articles.cache.CachedPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags and 304 answers for conditional requests (see articles/cache.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the CSRF check: keeps a save posted after the session expired.
    "editing.middleware.KeepFormPostedAfterLogout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Failed logins are counted and locked out (django-axes); keep it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]


def database_settings(name, default=None):
    """A database's settings from the URL in the environment variable `name`."""
    try:
        return dj_database_url.parse(
            os.environ.get(name, default), conn_max_age=600, conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"The {name} environment variable is not a database URL we can use: {error}"
        ) from error


DATABASES = {"default": database_settings("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A streaming replica anonymous readers' pages are read from (newsroom/replicas.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database_settings("DATABASE_REPLICA_URL")
    # A replica that stops answering is left soon, not waited for.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    # Tests read the one test database through both names.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
# Behind PgBouncer in transaction mode a cursor cannot outlive its
# transaction: Django must not use server-side cursors. Nor prepared
# statements, which live on one server connection (psycopg prepares a query
# it sees often).
if env_bool("DATABASE_POOLED"):
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
        database.setdefault("OPTIONS", {})["prepare_threshold"] = None

# Several app servers must share one cache (Redis) for cached pages and
# fragments to go stale together; one process can keep its own.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHE_NAMESPACE = os.environ.get("CACHE_NAMESPACE", "newsroom")
if not re.fullmatch(r"[a-z0-9_-]{1,40}", CACHE_NAMESPACE):
    raise ImproperlyConfigured(
        "The CACHE_NAMESPACE environment variable must be 1 to 40 lowercase letters, "
        f"digits, '-' or '_', not {CACHE_NAMESPACE!r}."
    )
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.ReusedClientRedisCache",
            "LOCATION": CACHE_URL,
            # An unreachable Redis must cost a page little: it is rendered
            # without the cache instead (newsroom/redis_cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Sites sharing one Redis keep apart: keys and channels alike.
            "KEY_PREFIX": CACHE_NAMESPACE,
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"The CACHE_URL environment variable must be a redis:// URL, not {CACHE_URL!r}."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The demo content: `manage.py loaddata seed` on a migrated database.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian"))]
USE_I18N = True
# locale/ is ours (make messages); locale_extra/ is kept by hand for strings of
# third-party packages that ship no Ukrainian (the editor, version comparison).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_extra"]
# Our own date formats: Django's "uk" DATE_FORMAT adds a leading zero and "р.".
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = "Europe/Kyiv"
USE_TZ = True

STATIC_URL = "static/"
# Keep it across releases behind a cache: during a rolling deploy, pages of
# the old release still ask for its files (see `manage.py release`).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Photo renditions, which readers are served (newsroom/media.py), and the
# uploaded originals, which only logged-in staff may open: two folders, the
# second never inside the first.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
ORIGINALS_ROOT = Path(os.environ.get("ORIGINALS_ROOT", BASE_DIR / "originals"))
if ORIGINALS_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        f"ORIGINALS_ROOT ({ORIGINALS_ROOT}) must not be inside MEDIA_ROOT ({MEDIA_ROOT}): "
        "everything in MEDIA_ROOT is public."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Beyond one machine, media go to S3-compatible object storage instead
# (newsroom/storage.py): the bucket, the server if it is not Amazon's, and
# the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Renditions
# are served from MEDIA_HOST (e.g. https://media.example.com, a CDN or the
# bucket's public address) if set, else by the app servers.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_HOST = os.environ.get("MEDIA_HOST", "").rstrip("/")
if MEDIA_HOST and not re.fullmatch(r"https?://[^/\s]+", MEDIA_HOST):
    raise ImproperlyConfigured(
        "The MEDIA_HOST environment variable must be an origin like "
        f"https://media.example.com, not {MEDIA_HOST!r}."
    )
if MEDIA_S3_BUCKET:
    from newsroom.storage import s3_storages

    STORAGES.update(
        s3_storages(
            MEDIA_S3_BUCKET,
            os.environ.get("MEDIA_S3_ENDPOINT"),
            MEDIA_HOST,
        )
    )

# The admin's address, e.g. "redakciya-7f3a/": a guessable /admin/ invites
# password guessing.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or ADMIN_URL.strip("/") == "":
    raise ImproperlyConfigured(
        f"The ADMIN_URL environment variable must be a path like 'editorial/' "
        f"(no leading slash, one at the end), not {ADMIN_URL!r}."
    )

# Failed logins: after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for an hour.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# The proxies in front (Varnish, a load balancer), as addresses or networks:
# behind them, a client's address is read from X-Forwarded-For
# (newsroom/client_ip.py); from anyone else, that header is ignored.
try:
    TRUSTED_PROXIES = [
        ipaddress.ip_network(value, strict=False) for value in env_list("TRUSTED_PROXIES")
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"The TRUSTED_PROXIES environment variable must list addresses or networks: {error}"
    ) from None
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"

# HTTPS: on whenever DEBUG is off, unless HTTPS=0 says the site is served over
# plain HTTP (tests, the benchmark on 127.0.0.1).
HTTPS = env_bool("HTTPS", default=not DEBUG)
if env_bool("BEHIND_HTTPS_PROXY"):
    # The proxy (nginx, a load balancer) ends TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"


def static_file_headers(headers, path, url):
    """What SecurityMiddleware would add to a static file, which whitenoise
    answers before it."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = SECURE_REFERRER_POLICY
    if SECURE_HSTS_SECONDS:
        headers["Strict-Transport-Security"] = (
            f"max-age={SECURE_HSTS_SECONDS}; includeSubDomains; preload"
        )


WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# Scripts only from our own origin, or inline with this response's nonce (the
# editor's import map in the admin). Reader pages run no script at all; their
# JSON-LD is data, which CSP does not block. A cached page must never carry a
# nonce: it would be everyone's. Styles may be inline: the admin's widgets set
# style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([MEDIA_HOST] if MEDIA_HOST else [])],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # The allow-listed providers' frames, which embeds/embeds.js loads
        # only when a reader asks for the post.
        "frame-src": [SELF, *EMBED_FRAME_HOSTS],
    }
}

# Warnings and errors, a 500's traceback included, go to stderr: gunicorn's
# error log in production, the terminal with runserver. A 404 is not an error.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}

# The body's own editor extensions (articles/html.py's BodyBlock): the script
# that adds each to the editor, and the markup it makes.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin_newsroom/pull_quote.js")],
        "extensions": {
            "PullQuote": html_tags(tags=["blockquote", "p"], attributes={"blockquote": ["class"]})
        },
    },
    {
        "js": [static_lazy("photos/editor.js")],
        "extensions": {
            "LibraryPhoto": html_tags(
                tags=["figure", "figcaption"],
                attributes={"figure": ["data-photo", "data-gallery"]},
            )
        },
    },
    {
        "js": [static_lazy("embeds/editor.js")],
        "extensions": {
            "Embed": html_tags(
                tags=["figure", "blockquote", "p", "a"],
                attributes={"figure": ["data-embed", "data-url"], "a": ["href"]},
            )
        },
    },
]

# How often an open article form tells the server it is still open (editing/presence.py).
EDITING_HEARTBEAT_SECONDS = 15

# The caches in front (Varnish) that the `deliver` worker sends purges to,
# their purge listeners, e.g. http://127.0.0.1:6091/ (delivery/outbox.py).
# Unset: no purges are kept.
PURGE_URLS = env_list("PURGE_URLS")
# The code's release (e.g. its git commit): pages kept by the app servers
# are kept per release, so new templates never serve an old copy.
RELEASE = os.environ.get("RELEASE", "")
# Behind Varnish (deploy/varnish/newsroom.vcl): the sidebar is a fragment
# Varnish fetches and keeps on its own (ESI), so that a new story does not
# purge every article page. Without such a cache, pages must not use it.
ESI_FRAGMENTS = env_bool("ESI_FRAGMENTS")

# The site's identity, set here only: its name (the header, <title>, feeds,
# JSON-LD, the news sitemap and the admin header), a line saying what it is
# (the front page's title and description, the feeds) and its logo, a square
# image under static/ (the header, the admin and JSON-LD's publisher).
SITE_NAME = os.environ.get("SITE_NAME", "Редакція")
SITE_DESCRIPTION = os.environ.get("SITE_DESCRIPTION", "Новини України та світу")
SITE_LOGO = os.environ.get("SITE_LOGO", "img/logo.png")
if not (BASE_DIR / "static" / SITE_LOGO).is_file():
    raise ImproperlyConfigured(f"SITE_LOGO={SITE_LOGO!r} is not a file under static/.")
# The longest a search may run, in milliseconds, before the reader is told
# to narrow it: no search holds a worker longer.
try:
    SEARCH_TIMEOUT = int(os.environ.get("SEARCH_TIMEOUT", "1000"))
except ValueError:
    SEARCH_TIMEOUT = 0
if not 0 < SEARCH_TIMEOUT <= 60_000:
    raise ImproperlyConfigured(
        f"SEARCH_TIMEOUT={os.environ.get('SEARCH_TIMEOUT')!r} must be milliseconds from 1 to 60000."
    )
# Where the site answers, for links in e-mails (sent outside any request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def email_settings(url):
    """Django's mail settings from one URL: smtp://user:password@host:587
    (STARTTLS), smtps://…:465 (TLS), or console:// (the default: mail is
    printed, never sent)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(
            "The EMAIL_URL environment variable must look like smtp://user:password@host:587, "
            f"smtps://user:password@host:465 or console://, not {url!r}."
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"The EMAIL_URL environment variable has a bad port: {error}"
        ) from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and port != 25,
        "EMAIL_TIMEOUT": 10,
    }


globals().update(email_settings(os.environ.get("EMAIL_URL") or "console://"))
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "newsroom@localhost")
