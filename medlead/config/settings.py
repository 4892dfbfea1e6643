"""medlead settings.

One settings module; behaviour is switched by environment variables (see README, "Configuration").
MEDLEAD_ENV is one of ``development`` (the default: SQLite, demo data allowed), ``test`` or
``production`` (secret key, allowed hosts and database are required; demo data is refused).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "medlead"
DATA_DIR = BASE_DIR / "data"
VAR_DIR = Path(os.environ.get("MEDLEAD_VAR_DIR", BASE_DIR / "var"))

MEDLEAD_ENV = os.environ.get("MEDLEAD_ENV", "development")
if MEDLEAD_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"MEDLEAD_ENV must be development, test or production, not {MEDLEAD_ENV!r}")
PRODUCTION = MEDLEAD_ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Production takes its settings only from the environment: every one it needs is named at once if missing.
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "MEDLEAD_BASE_URL")
if PRODUCTION and (_unset := [n for n in REQUIRED_IN_PRODUCTION if not os.environ.get(n, "").strip()]):
    raise ImproperlyConfigured(
        "MEDLEAD_ENV=production needs these environment variables, which are not set: "
        + ", ".join(_unset)
        + " (README, 'Configuration')."
    )


def _required(name: str) -> str:
    return os.environ[name]


DEBUG = _env_bool("DJANGO_DEBUG", MEDLEAD_ENV == "development")
SECRET_KEY = _required("SECRET_KEY") if PRODUCTION else os.environ.get("SECRET_KEY", "medlead-insecure-dev-key")
ALLOWED_HOSTS = (
    _required("ALLOWED_HOSTS").split(",") if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Demo data (the demo trust and its demo accounts) may never be loaded into a production database.
MEDLEAD_ALLOW_DEMO_DATA = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "csp",
    "medlead.core",
    "medlead.accounts",
    "medlead.audit",
    "medlead.organisation",
    "medlead.structure",
    "medlead.rota",
    "medlead.residents",
    "medlead.jobplans",
    "medlead.revalidation",
    "medlead.feedback",
    # issue 34: the information transfer between responsible officers when a doctor moves trust
    "medlead.transfers",
    "medlead.leadership",
    "medlead.development",
    "medlead.talent",
    "medlead.concerns",
    "medlead.governance",
    "medlead.fitproper",
    "medlead.awards",
    "medlead.rulebook",
    "medlead.leave",
    # the home pages, composed from every app's "what needs you" items and the board's picture
    "medlead.home",
    # issue 34: a region's trusts side by side (composed from the apps' aggregates, like the home pages)
    "medlead.regions",
    # the import pipeline's batches, tasks and pages: above the apps whose kinds it imports
    "medlead.imports",
    "medlead.api",
    "medlead.demo",
]

MIDDLEWARE = [
    "medlead.core.logs.RequestIdMiddleware",
    "medlead.core.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "medlead.core.middleware.LoginRequiredMiddleware",
    "medlead.core.middleware.BadInputMiddleware",
    "medlead.core.middleware.NoStoreMiddleware",
    # Axes must be last: it turns repeated failed sign-ins into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medlead.config.urls"
WSGI_APPLICATION = "medlead.config.wsgi.application"

TEMPLATES = [
    {
        # Pages: Jinja2 with the nhsuk-frontend-jinja macros (docs/adr/0002-jinja2-nhsuk-frontend.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "medlead.config.jinja2_env.environment",
            "context_processors": ["medlead.config.jinja2_env.csp_nonce"],
        },
    },
    {
        # Django's admin and DRF's browsable pages keep the Django template language.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'medlead.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _required("DATABASE_URL") if PRODUCTION else os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-setup default, used by a few people at once and by its own worker (``make run``): write-ahead logging
    # lets pages read while a write is under way; every transaction takes the write lock when it begins
    # (IMMEDIATE), so two writers queue for it (up to 20 s, SQLite's busy timeout) instead of one failing with
    # "database is locked" when a read turns into a write; NORMAL synchronisation is safe with WAL.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
    }
else:
    # A page reads one trust's rows, hundreds to a few thousand: starting parallel workers costs more than they save
    # (a job-plan summary: 10 ms with them, 2.6 ms without, measured on these 2-core machines). PostgreSQL's own
    # setting, per connection; raise it for a reporting replica.
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _workers = int(os.environ.get("MEDLEAD_PG_PARALLEL_WORKERS", "0"))
    # added to any ``options`` the DATABASE_URL already carries, never in their place
    _pg["options"] = f"{_pg.get('options', '')} -c max_parallel_workers_per_gather={_workers}".strip()
    # Prepared statements (ADR 0030): each query is sent with its values apart (server-side binding), and a query a
    # connection has run MEDLEAD_PG_PREPARE_THRESHOLD times (default 2) is prepared when it runs again, so PostgreSQL
    # stops planning it every time: a page's joins cost more to plan than to run (a doctor's shift swaps: 4.2 ms
    # planning, 0.2 ms running). Set it to 0 behind a connection pooler in transaction mode that cannot keep prepared
    # statements (PgBouncer before 1.21): each query is then sent with its values in it, as Django does by default.
    # A connection keeps its MEDLEAD_PG_PREPARED_MAX most recently used (default 500; ``core.apps``): the pages of a
    # few accounts ran about 280 different queries, and with psycopg's default of 100 they pushed each other out.
    _prepare = int(os.environ.get("MEDLEAD_PG_PREPARE_THRESHOLD", "2"))
    if _prepare > 0:
        _pg.setdefault("server_side_binding", True)
        _pg.setdefault("prepare_threshold", _prepare)
MEDLEAD_PG_PREPARED_MAX = int(os.environ.get("MEDLEAD_PG_PREPARED_MAX", "500"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

# Single sign-on through any OpenID Connect provider (NHS Care Identity Service 2, a trust's own identity provider):
# set the issuer, client id and secret; the endpoints are discovered from the issuer (medlead.accounts.sso).
# A person signs in to the medlead account whose single sign-on identifier equals the chosen claim (``sub`` unless
# set); an account is never created by a sign-in unless MEDLEAD_OIDC_CREATE_USERS is set, and then with no roles.
MEDLEAD_OIDC_ISSUER = os.environ.get("MEDLEAD_OIDC_ISSUER", "").rstrip("/")
MEDLEAD_OIDC_NAME = os.environ.get("MEDLEAD_OIDC_NAME", "your organisation's single sign-on")
MEDLEAD_OIDC_MATCH_CLAIM = os.environ.get("MEDLEAD_OIDC_MATCH_CLAIM", "sub")
SSO_ENABLED = bool(MEDLEAD_OIDC_ISSUER)
if SSO_ENABLED:
    _missing = [n for n in ("MEDLEAD_OIDC_CLIENT_ID", "MEDLEAD_OIDC_CLIENT_SECRET") if not os.environ.get(n)]
    if _missing:
        raise ImproperlyConfigured(f"MEDLEAD_OIDC_ISSUER is set, so {' and '.join(_missing)} must be set too")
OIDC_RP_CLIENT_ID = os.environ.get("MEDLEAD_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("MEDLEAD_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("MEDLEAD_OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = os.environ.get("MEDLEAD_OIDC_SIGN_ALGO", "RS256")
OIDC_CREATE_USER = _env_bool("MEDLEAD_OIDC_CREATE_USERS", False)
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_VERIFY_SSL = _env_bool("MEDLEAD_OIDC_VERIFY_TLS", True)
# PKCE (RFC 7636) with S256: an authorisation code is useless without the verifier kept in the browser's session.
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
# Tokens are kept by medlead.accounts.sso itself (the ID token only, for signing out at the provider), never by the
# library's OIDC_STORE_ACCESS_TOKEN / OIDC_STORE_ID_TOKEN.
# Error pages and error reports hide sensitive variables and POST values whatever DEBUG says (Django's own filter
# hides them only with DEBUG off): the sign-in callback's tokens and client secret never reach a page
# (DEFAULT_EXCEPTION_REPORTER_FILTER, below with the logging).
# Local passwords may be switched off once everybody signs in through the provider.
LOCAL_PASSWORDS = _env_bool("MEDLEAD_LOCAL_PASSWORDS", True)
if not LOCAL_PASSWORDS and not SSO_ENABLED:
    raise ImproperlyConfigured("MEDLEAD_LOCAL_PASSWORDS=false needs single sign-on: set MEDLEAD_OIDC_ISSUER")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if LOCAL_PASSWORDS else []),
    *(["medlead.accounts.sso.Backend"] if SSO_ENABLED else []),
]
# Passwords: PBKDF2-SHA256 at Django 5.2's 1,000,000 iterations, deliberately (about a quarter of a second of one
# core per password sign-in, so a stolen hash is slow to crack); single sign-on hashes no password at all. Tests use
# a fast hasher (tests/conftest.py), never production.
# Argon2id at OWASP's parameters (medlead.accounts.hashers, ADR 0033); PBKDF2 stays to check the passwords set before,
# and Django hashes each again with Argon2 when its owner next signs in.
PASSWORD_HASHERS = [
    "medlead.accounts.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed sign-ins (django-axes): 5 failures lock the username for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.jinja"
AXES_VERBOSE = False
# Locking by username (not by IP) is deliberate: trust staff share NAT addresses, so an IP lockout would
# lock out a whole hospital. W006 warns about exactly that choice.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Django's cache counts the patient-code attempts (medlead.feedback.ratelimit). It must be shared by every app server
# and worker, or each process would count attempts of its own and a prober would get as many tries as there are
# processes: Redis at MEDLEAD_CACHE_URL, or in production the broker's Redis (its keys apart, under "medlead:").
# Without Redis (`make run`, tests) it is the process's memory. Sessions stay in the database alone: read from Redis
# they would save about 3% of an app server's time under `make loadtest`, and every page would fail whenever Redis did.
_CACHE_URL = os.environ.get("MEDLEAD_CACHE_URL", "").strip() or (
    os.environ.get("CELERY_BROKER_URL", "").strip() if PRODUCTION else ""
)
if _CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "medlead",
        }
    }
# A page keeps what it builds from many tables (the trust's home page) in that cache until one of them is written
# (medlead.core.kept, ADR 0039): only where the cache is shared by every process that writes, since a worker's write
# must reach every app server's cache. Tests run in one process, so they keep too, in its memory (tests/conftest.py).
MEDLEAD_KEEP_PAGES = _env_bool("MEDLEAD_KEEP_PAGES", _CACHE_URL.startswith(("redis://", "rediss://")))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from medlead itself only; no inline
# script but the design system's nonce'd one-liner, no inline style (htmx's indicator styles are off in
# layout.jinja); no frames. The vendored NHS CSS has its Frutiger @font-face rules removed (the font is served only
# to nhs.uk sites): pages use the design system's fallback, Arial.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the design system's one-line "js-enabled" script carries the nonce
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP inside the network
    # Accepted `check --deploy` warnings, with the reason (issue 12): medlead is usually one host under a trust's or
    # NHS's shared domain, whose other subdomains medlead does not control, so neither including subdomains in
    # HSTS (W005) nor asking browsers to preload the domain (W021) is medlead's to decide. A trust that owns the
    # whole domain sets SECURE_HSTS_INCLUDE_SUBDOMAINS=true.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MEDLEAD_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest file an import takes (a national ESR extract is larger: raise it for one).
MEDLEAD_IMPORT_MAX_BYTES = int(os.environ.get("MEDLEAD_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# A file larger than this (about 2,500 rows of people) is checked by a worker, not in the request.
MEDLEAD_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("MEDLEAD_IMPORT_INLINE_MAX_BYTES", str(256 * 1024)))
# The largest evidence file a doctor may upload (medlead.core.uploads).
MEDLEAD_EVIDENCE_MAX_BYTES = int(os.environ.get("MEDLEAD_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# The most an uploaded zip-based file (Word, Excel, PowerPoint, OpenDocument) may expand to when opened: a larger
# one, or one compressed far more tightly than documents are, is refused as a zip bomb (medlead.core.uploads).
MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES = int(os.environ.get("MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES", str(50 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "medlead.api.pagination.BoundedLimitOffset",
    "PAGE_SIZE": 100,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "medlead API",
    "DESCRIPTION": "The trust's medical management structure: organisation, people, posts and portfolio.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Task queue: Celery with Redis in production. In the zero-setup default the queue is a folder (Kombu's filesystem
# transport, under var/queue) and `make run` starts one worker beside the web server (``manage.py run_local``), so
# long work (a rota's generation, a large import) never runs inside a request. Tests run tasks inline
# (tests/conftest.py); CELERY_TASK_ALWAYS_EAGER=true does so here too, for a script.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem:"):
    _queue = VAR_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "messages"),
        "data_folder_out": str(_queue / "messages"),
        "control_folder": str(_queue / "control"),
        "processed_folder": str(_queue / "processed"),
    }
    for _folder in ("messages", "control", "processed"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Rota generation has a queue and workers of its own (``celery ... worker -Q generation``), so that emails, imports
# and the nightly work, on the default queue ("celery"), never wait behind a solver (ADR 0033). A free generation
# worker takes the plan of the trust served least recently (medlead.rota.fair), and no trust runs more than
# MEDLEAD_GENERATION_PER_TRUST generations at once (0: no limit).
CELERY_TASK_ROUTES = {"medlead.rota.tasks.*": {"queue": "generation"}}
MEDLEAD_GENERATION_PER_TRUST = int(os.environ.get("MEDLEAD_GENERATION_PER_TRUST", "2"))
# A worker says every MEDLEAD_HEARTBEAT_SECONDS that its import or rota generation is still running
# (medlead.core.heartbeat); work silent for MEDLEAD_WORKER_SILENT_SECONDS has stopped (its worker died) and its owner
# may try again. Work no worker has started is stopped only after MEDLEAD_QUEUED_STUCK_MINUTES in the queue (a busy
# queue is slow, not dead); MEDLEAD_IMPORT_STUCK_MINUTES is its former name.
MEDLEAD_HEARTBEAT_SECONDS = int(os.environ.get("MEDLEAD_HEARTBEAT_SECONDS", "10"))
MEDLEAD_WORKER_SILENT_SECONDS = int(os.environ.get("MEDLEAD_WORKER_SILENT_SECONDS", "90"))
MEDLEAD_QUEUED_STUCK_MINUTES = int(
    os.environ.get("MEDLEAD_QUEUED_STUCK_MINUTES", os.environ.get("MEDLEAD_IMPORT_STUCK_MINUTES", "15"))
)
from celery.schedules import crontab  # noqa: E402

# Daily work, run by one `celery -A medlead.config.celery beat` process (times are UTC).
CELERY_BEAT_SCHEDULE = {
    "record-computed-metrics": {
        "task": "medlead.governance.tasks.record_metrics_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "remind-action-owners": {"task": "medlead.governance.tasks.remind_actions", "schedule": crontab(hour=6, minute=0)},
    "fit-and-proper-cycle": {
        "task": "medlead.governance.tasks.fit_and_proper_cycle",
        "schedule": crontab(hour=6, minute=15),
    },
    # issue 34: each trust's region from the dated rows of who receives what, just after midnight (UTC)
    "regions-in-step": {"task": "medlead.organisation.tasks.regions_in_step", "schedule": crontab(hour=0, minute=5)},
}

# A deployment test or a trial may run the daily work every few seconds instead (never in live use).
if _beat_every := os.environ.get("MEDLEAD_BEAT_EVERY_SECONDS"):
    for _entry in CELERY_BEAT_SCHEDULE.values():
        _entry["schedule"] = float(_beat_every)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "medlead@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # with the file-based backend
# The address in emailed links (rater invitations): where users reach this installation.
MEDLEAD_BASE_URL = os.environ.get("MEDLEAD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Logs: one line per event on standard error, with the request id (medlead.core.logs); one JSON object per line in
# production, for the trust's log collector.
MEDLEAD_LOG_FORMAT = os.environ.get("MEDLEAD_LOG_FORMAT", "json" if PRODUCTION else "text")
if MEDLEAD_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"MEDLEAD_LOG_FORMAT must be json or text, not {MEDLEAD_LOG_FORMAT!r}")
# Django's error reports (the development error page, emails to ADMINS) show no submitted value (core.logs); every log
# record is capped as it is made (core.logs.install_record_cap, from core's AppConfig).
DEFAULT_EXCEPTION_REPORTER = "medlead.core.logs.CappedReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "medlead.core.logs.NoSubmittedValues"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "medlead.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": MEDLEAD_LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # one line per request in production; in development runserver already prints one
        "medlead.request": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}

# Issue 33: how many proxies in front of the app servers append the client's address to X-Forwarded-For (the
# patient page's code attempts are counted per client address, medlead.feedback.ratelimit); 0 reads REMOTE_ADDR.
MEDLEAD_PROXY_COUNT = int(os.environ.get("MEDLEAD_PROXY_COUNT", "0"))
