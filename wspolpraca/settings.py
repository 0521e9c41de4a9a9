"""One settings module, read from the environment.

DEBUG is off unless the environment turns it on (`make run` does). The local defaults
(a development SECRET_KEY, console e-mail, plain static files, no HTTPS redirect) apply
when DEBUG is on or under pytest (TESTING), so `make run` and `make test` of a fresh
checkout need no environment. Production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
`manage.py check --deploy` is then clean.
"""

import importlib.util
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a deployment that forgets the variable does not show tracebacks.
DEBUG = env_bool("DEBUG", False)
# Under pytest: tasks run at once, no rate limits, fast password hashing.
TESTING = env_bool("TESTING", "pytest" in sys.modules)
# The local defaults below (key, e-mail, static files, no HTTPS redirect) are for a
# developer's machine: `make run` (DEBUG=1) or the tests (pytest-django runs them with
# DEBUG off, whatever this module says).
LOCAL = DEBUG or TESTING
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if LOCAL else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "wspolpraca.core",
    "wspolpraca.accounts",
    "wspolpraca.organizations",
    "wspolpraca.city",
    "wspolpraca.competitions",
    "wspolpraca.offers",
    "wspolpraca.evaluations",
    "wspolpraca.agreements",
    "wspolpraca.consultations",
    "wspolpraca.venues",
    "wspolpraca.events",
    "wspolpraca.newsletter",
    "wspolpraca.exchange",
    "wspolpraca.library",
    "wspolpraca.pages",
    "wspolpraca.api",
    "wspolpraca.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wspolpraca.core.middleware.SecurityHeadersMiddleware",
    # ETag on every page, and 304 to a matching If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wspolpraca.core.middleware.PolishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wspolpraca.accounts.middleware.StaffSessionIdleTimeoutMiddleware",
    "wspolpraca.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "wspolpraca.urls"
WSGI_APPLICATION = "wspolpraca.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wspolpraca" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wspolpraca.core.context_processors.site",
            ],
        },
    },
]
# Every {{ form }} uses the site's one form design (wspolpraca/core/forms.py, docs/forms.md).
FORM_RENDERER = "wspolpraca.core.forms.FormRenderer"

# Database: SQLite by default (WAL, busy timeout, IMMEDIATE transactions so that writers
# queue instead of failing); PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tuned for many readers and one writer at a time: WAL lets readers go on while a write
    # commits; NORMAL sync is safe with WAL (a power cut may lose the last commits, never
    # corrupt); 64 MiB of page cache and 256 MiB memory-mapped per connection keep the
    # directory's indexes in memory. Connections are kept (CONN_MAX_AGE, default 60 s):
    # opening one and running these pragmas costs more than most queries.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
# Public pages rendered for visitors who are not signed in (core.caching): per process
# by default, in Redis (shared by the workers) when REDIS_URL is set.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "2000"))},
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
if TESTING:
    # Tests see every page rendered; the tests of the cache itself turn it on.
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
PAGE_CACHE = "pages"
# How long a rendered public page is kept (it is dropped sooner when its data changes) and
# how long browsers and proxies may reuse it without asking (Cache-Control: max-age).
# PAGE_CACHE_SECONDS=0 renders every request (bench/run.py measures that way).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: e-mail is the login; it must be verified before the account is used.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Współpraca] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if LOCAL else "https"
ACCOUNT_ADAPTER = "wspolpraca.accounts.adapter.AccountAdapter"
# Brute force (see docs/deployment.md): a wrong password or a wrong two-factor code counts
# against the client address and against the account (the e-mail typed, or the user for
# codes). The address is read as wspolpraca.core.ratelimit.client_ip reads it, so set
# TRUSTED_PROXY_COUNT behind a proxy. The hourly cap per address keeps one person from
# locking many accounts (an account's lock needs 10 failures; a password reset lifts it).
SIGN_IN_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,30/h/ip,10/15m/key",
    "reauthenticate": "10/m/user",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Off under pytest only; tests of the limits switch them on (the `rate_limits` fixture).
ACCOUNT_RATE_LIMITS = False if TESTING else SIGN_IN_RATE_LIMITS
# How many reverse proxies of ours append to X-Forwarded-For; 0 ignores the header, so a
# client cannot choose the address its attempts are counted against.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The site's own limits (wspolpraca.core.ratelimit.hit); likewise off under pytest only.
RATE_LIMITS_ENABLED = not TESTING
# KRS look-ups during registration, per account and hour.
KRS_LOOKUPS_PER_HOUR = int(os.environ.get("KRS_LOOKUPS_PER_HOUR", "20"))
# Staff sessions end after this many minutes without a request (0: never).
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Współpraca"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet's files come from the django-leaflet package; its app is not installed because
# its form widgets need GeoDjango (GDAL), which we do not use.
STATICFILES_DIRS = [
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static"
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files not for everyone (core.uploads.PrivateStorage): outside MEDIA_ROOT, never served
# by the web server, handed out by views that check who asks.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if LOCAL
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Współpraca <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: django-tasks with the database backend (no extra service).
# Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
}
# The licence of the directory's open data: in the API schema, in a Link header of every
# API response, and on the API documentation page (docs/api.md).
DATA_LICENCE_NAME = os.environ.get("DATA_LICENCE_NAME", "CC BY 4.0")
DATA_LICENCE_URL = os.environ.get(
    "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# The awarded grants as a 360Giving package (/dane/360giving.json, docs/decisions/0004): the
# installation's registered 360G prefix of grant ids, and the funder's org-id and name.
GRANTS_360_PREFIX = os.environ.get("GRANTS_360_PREFIX", "360G-wspolpraca-krakow")
GRANTS_360_FUNDER_ID = os.environ.get("GRANTS_360_FUNDER_ID", "PL-REGON-351554353")
GRANTS_360_FUNDER_NAME = os.environ.get("GRANTS_360_FUNDER_NAME", "Gmina Miejska Kraków")
# How long the statistics' grouped numbers stay cached (renewed sooner when calls or
# decisions change, agreements/statistics.py); tests compute them every time, as pages.
STATISTICS_CACHE_SECONDS = int(
    os.environ.get("STATISTICS_CACHE_SECONDS", "0" if TESTING else "86400")
)
SPECTACULAR_SETTINGS = {
    "TITLE": "Współpraca API",
    "DESCRIPTION": (
        "Public, read-only data of the NGO directory. The data may be reused under "
        f"{DATA_LICENCE_NAME} ({DATA_LICENCE_URL}), naming the source."
    ),
    # 1.1: fields without a value are null (they were empty strings in 1.0).
    "VERSION": "1.1.0",
    "LICENSE": {"name": DATA_LICENCE_NAME, "url": DATA_LICENCE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wspolpraca.api.views.add_filter_values",
    ],
}


# The municipality this installation serves. Every city-specific value lives here or in
# data an administrator edits, never as a literal in code.
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Kraków")
# How long the layout's fragments that are the same for everyone stay cached (base.html).
LAYOUT_CACHE_SECONDS = int(os.environ.get("LAYOUT_CACHE_SECONDS", "300"))
MUNICIPALITY_KRS_GMINA = env_list("MUNICIPALITY_KRS_GMINA", "KRAKÓW,M. KRAKÓW,KRAKÓW-ŚRÓDMIEŚCIE")
MUNICIPALITY_KRS_CITY = os.environ.get("MUNICIPALITY_KRS_CITY", "KRAKÓW")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "wspolpraca@example.org")
CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "+48 12 000 00 00")

# KRS open API of the Ministry of Justice; tests point it at a local fake server.
KRS_API_URL = os.environ.get("KRS_API_URL", "https://api-krs.ms.gov.pl/api/krs")
KRS_TIMEOUT = float(os.environ.get("KRS_TIMEOUT", "10"))
KRS_RETRIES = int(os.environ.get("KRS_RETRIES", "3"))
KRS_BACKOFF = float(os.environ.get("KRS_BACKOFF", "1.0"))
# A person waiting for the registration page gets an answer within seconds; the form can
# then be filled in by hand.
KRS_INTERACTIVE_TIMEOUT = float(os.environ.get("KRS_INTERACTIVE_TIMEOUT", "5"))
KRS_INTERACTIVE_RETRIES = int(os.environ.get("KRS_INTERACTIVE_RETRIES", "1"))
# Pause between requests of the nightly watch, so we stay a polite client.
KRS_WATCH_DELAY = float(os.environ.get("KRS_WATCH_DELAY", "0.5"))
KRS_WATCH_HOUR = int(os.environ.get("KRS_WATCH_HOUR", "3"))
# Automatic verification: see docs/registration.md.
KRS_AUTO_VERIFY = env_bool("KRS_AUTO_VERIFY", True)

# Invitations to an organization, counted from the invitations sent in the last hour and
# day (in the database, so the limit holds across processes and can be audited).
INVITATIONS_PER_ACCOUNT_HOUR = int(os.environ.get("INVITATIONS_PER_ACCOUNT_HOUR", "10"))
INVITATIONS_PER_ACCOUNT_DAY = int(os.environ.get("INVITATIONS_PER_ACCOUNT_DAY", "30"))
INVITATIONS_PER_ORGANIZATION_HOUR = int(os.environ.get("INVITATIONS_PER_ORGANIZATION_HOUR", "20"))
INVITATIONS_PER_ORGANIZATION_DAY = int(os.environ.get("INVITATIONS_PER_ORGANIZATION_DAY", "50"))
# Uploads (see core/uploads.py): the largest logo an organization may send, in bytes.
LOGO_MAX_SIZE = int(os.environ.get("LOGO_MAX_SIZE", str(2 * 1024 * 1024)))
# Documents published with calls, and offers' signed confirmations (PDF).
ATTACHMENT_MAX_SIZE = int(os.environ.get("ATTACHMENT_MAX_SIZE", str(10 * 1024 * 1024)))
# Public comments on small-grant offers, per person and hour (offers/small_grants.py).
OFFER_COMMENTS_PER_USER_HOUR = int(os.environ.get("OFFER_COMMENTS_PER_USER_HOUR", "10"))
# Reports on public tasks (agreements/reports.py). A cost line of a report may exceed its
# amount in the agreement by at most this many percent (the agreement's rule on moving
# money between cost lines; the city's choice, often 10 or 20 — verify in its template).
REPORT_COST_LINE_TOLERANCE_PERCENT = int(os.environ.get("REPORT_COST_LINE_TOLERANCE_PERCENT", "10"))
# The organization's admins are reminded this many days before a report is due ...
REPORT_REMINDER_DAYS_BEFORE = tuple(
    int(days) for days in env_list("REPORT_REMINDER_DAYS_BEFORE", "14,3")
)
# ... on the first day after the due date, and then every this many days while it is late.
REPORT_OVERDUE_REMINDER_EVERY_DAYS = int(os.environ.get("REPORT_OVERDUE_REMINDER_EVERY_DAYS", "7"))
# Days after the task's end to return the unused part of a grant (art. 251 sec. 2 of the
# public finance act); a task ending on 31 December returns it by 31 January (sec. 1).
REFUND_DAYS = int(os.environ.get("REFUND_DAYS", "15"))
# Agreements: the first tranche is planned this many days after signing (later years' on
# 31 January); the official may change each planned date before signing.
TRANCHE_DAYS_AFTER_SIGNING = int(os.environ.get("TRANCHE_DAYS_AFTER_SIGNING", "14"))
# The formal check (evaluations/formal.py): a correction is due, by default, this many days
# after it is asked for (moved to the next working day); the official may set another date.
FORMAL_CORRECTION_DAYS = int(os.environ.get("FORMAL_CORRECTION_DAYS", "7"))
# An optional Nominatim-compatible search URL (e.g. https://nominatim.openstreetmap.org/search)
# behind the "Find the address on the map" button of the map picker; off when empty.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "")
# Controls of public tasks (agreements/controls.py). The organization gets at least this many
# days' notice of a control, to prepare its papers: the 2018 consultation (the seed) asks
# for more time to prepare for a control. Monitoring visits need no minimum notice.
CONTROL_NOTICE_DAYS = int(os.environ.get("CONTROL_NOTICE_DAYS", "7"))
# Days the organization has to answer a control's findings and recommendations (the model
# agreement's 14 days); shown as its deadline, a later answer is still received.
CONTROL_ANSWER_DAYS = int(os.environ.get("CONTROL_ANSWER_DAYS", "14"))
# Ratings of a department's cooperation are shown only as averages of at least this many
# ratings, so that no organization's answers can be told apart (agreements/feedback.py).
FEEDBACK_MIN_RATINGS = int(os.environ.get("FEEDBACK_MIN_RATINGS", "5"))
# The commission's ranking flags an offer whose members' totals differ by more than this
# percentage of the highest possible weighted total (evaluations/commission.py).
EVALUATION_SPREAD_WARNING_PERCENT = int(os.environ.get("EVALUATION_SPREAD_WARNING_PERCENT", "20"))

if not LOCAL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Headers (docs/decisions/0002-security-headers.md): only the site's own scripts and
# styles, no inline ones; images also from the map tile servers; fetches also to the
# geocoder when one is configured. Set by wspolpraca.core.middleware.SecurityHeadersMiddleware.
MAP_TILE_SOURCES = ["https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"]
_geocoder = urlsplit(GEOCODER_URL)
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *MAP_TILE_SOURCES],
    "connect-src": [
        "'self'",
        *([f"{_geocoder.scheme}://{_geocoder.netloc}"] if _geocoder.netloc else []),
    ],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# No page uses the camera, microphone, location (the map picker is clicked, not located),
# payments or devices. Only features that browsers recognise: Chromium logs an
# "Unrecognized feature" error on every page for any other (bluetooth among them).
PERMISSIONS_POLICY = {
    feature: [] for feature in ["camera", "microphone", "geolocation", "payment", "usb", "serial"]
}
# Cross-origin requests (the tile servers among them, whose usage policy asks for it) get
# the site's origin only, never the path or query.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Errors reach the console (the process's log) with their traceback whatever DEBUG says:
# Django's default sends them there only with DEBUG on. Django's 4xx warnings (not found,
# suspicious requests) go there too. With ADMINS set ("a@example.org,b@example.org"),
# each server error is also e-mailed to them.
ADMINS = [(email, email) for email in env_list("ADMINS", "")]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        "wspolpraca": {"handlers": ["console"], "level": "INFO"},
        "django": {
            "handlers": ["console", *(["mail_admins"] if ADMINS else [])],
            "level": "WARNING",
        },
    },
}
