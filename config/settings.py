"""Settings, read from the environment. Every variable is listed in the README."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The fallback key only serves a laptop: `check --deploy` flags it, so production must set one.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-local-development-key-do-not-deploy"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "simple_history",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.DeskOnlyAdminMiddleware",
    "config.middleware.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.RevealHiddenCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sources.history.ChangeOriginMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# --- Database -----------------------------------------------------------------------------
# Unset DATABASE_URL means the embedded SQLite file, so a laptop needs no server.
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create the folder itself
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work side by side; IMMEDIATE takes the write lock at
    # BEGIN, so a web request and a worker queue for it (up to `timeout`) instead of failing
    # mid-transaction with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
    }
# The same backends with the audit ledger written by each transaction at its commit
# (config/db/, claims.custody.transactions). Other engines are refused: their writes would
# escape the ledger.
_LEDGERED_ENGINES = {
    "django.db.backends.sqlite3": "config.db.sqlite3",
    "django.db.backends.postgresql": "config.db.postgresql",
}
if DATABASES["default"]["ENGINE"] not in _LEDGERED_ENGINES:
    raise ImproperlyConfigured(
        f"DATABASE_URL names {DATABASES['default']['ENGINE']}; use PostgreSQL or SQLite"
    )
DATABASES["default"]["ENGINE"] = _LEDGERED_ENGINES[DATABASES["default"]["ENGINE"]]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    # Snapshot bytes go through the storage API so an S3-compatible backend can replace it.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Largest document accepted for capture, in bytes.
MAX_DOCUMENT_BYTES = env_int("MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
# Fetching user-supplied URLs: total time, redirects, and the loopback ports that may be
# fetched (none by default: every private, loopback and link-local address is refused).
FETCH_TIMEOUT_SECONDS = env_int("FETCH_TIMEOUT_SECONDS", 20)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_ALLOW_LOOPBACK_PORTS = [int(port) for port in env_list("FETCH_ALLOW_LOOPBACK_PORTS")]

# --- Security (secure unless DEBUG; each can be overridden behind a TLS proxy) ------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Already Django's defaults; stated so a test of production settings can name them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Admin pages may load only the project's own scripts, styles, images and fonts (every
# asset is shipped, none from a CDN); no plugins, no framing, forms post only here.
# Inline style attributes stay allowed (the admin's own templates use them); inline
# scripts do not.
ADMIN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reverts go through the workflow (claims.workflow.claim_revert), which checks the version and
# asks for a reason; simple-history's own revert button would bypass both.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A reviewer's rationale is the reason of its history row: keep all of it, not 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Review ---------------------------------------------------------------------------
# Four-eyes: whoever last changed what a claim says may not be the one who verifies it.
FOUR_EYES = env_bool("FOUR_EYES", True)

# Assignment emails. The console backend prints them; set EMAIL_BACKEND and EMAIL_* for SMTP.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "claims@localhost")

# --- REST API -----------------------------------------------------------------------------
INSTALLED_APPS += ["drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    # Tools send `Authorization: Bearer <key>` (keys from `manage.py issue_token`, stored
    # hashed); people signed in to the admin use their session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["claims.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "claims.api.problems.problem_exception_handler",
    # `format` is the export's own parameter (jsonl or csv), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or per signed-in person) and per address for the open schema and docs,
# as "N/second|minute|hour|day"; empty turns throttling off.
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "1200/minute")
API_ANON_THROTTLE_RATE = env_str("API_ANON_THROTTLE_RATE", "60/minute")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500)
# Largest JSON body (PATCH); documents may add MAX_DOCUMENT_BYTES on top. Larger: 413.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
# Django refuses a form or JSON body over 2.5 MB by default: a pasted report (admin) or a
# JSON text document (API) may be as large as MAX_DOCUMENT_BYTES, plus the other fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_DOCUMENT_BYTES + API_MAX_BODY_BYTES
# Failed sign-ins (admin) and unknown API keys allowed per address (and per username) in
# a window before 429; counted in the cache, so per process while Redis is away.
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
UNKNOWN_KEYS_ALLOWED = env_int("UNKNOWN_KEYS_ALLOWED", 20)
# The change feed serves a change once every transaction that could come before it has
# committed or is older than this: it must exceed the longest transaction that writes claims.
API_SYNC_SETTLE_SECONDS = env_int("API_SYNC_SETTLE_SECONDS", 60)
# The organisation named as the author of ClaimReview documents.
REVIEWING_ORGANISATION = env_str("REVIEWING_ORGANISATION", "Claim verification desk")
# The Ed25519 key that signs export bundles and WACZ packages (claims.custody.signing): the
# 32-byte private key in base64, or a PKCS#8 PEM. Unset: bundles are refused with a 503 that
# says how to make one (`manage.py signing_key`); a value that is no such key stops start-up.
EXPORT_SIGNING_KEY = env_str("EXPORT_SIGNING_KEY")
# Webhook deliveries (claims.custody.webhooks): attempts before a delivery is dead-lettered,
# the first retry's delay (doubled after each failure, up to the cap) and each POST's limit.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_BACKOFF_SECONDS = env_float("WEBHOOK_BACKOFF_SECONDS", 10.0)
WEBHOOK_BACKOFF_MAX_SECONDS = env_float("WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim verifier API",
    "DESCRIPTION": (
        "Verified claims with their evidence, history and provenance. Errors are RFC 9457 "
        "problem details. Authenticate with `Authorization: Bearer <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.close_request_bodies",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.ClaimKind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "JobKindEnum": "claims.models.Job.Kind",
        "JobStateEnum": "claims.models.Job.State",
    },
    # Swagger UI from the project's static files (drf-spectacular-sidecar): no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Cache (API throttle counts) -----------------------------------------------------------
# With Redis, every web process counts requests in one place; without it, each process counts
# its own, which is enough for one laptop.
REDIS_URL = env_str("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # Fails open (config/cache.py): with Redis down or hung, each process uses a local cache
    # (token permissions come from the database, throttling counts per process), so every
    # request still answers well within 2 s. Short timeouts bound what one request waits.
    CACHES["default"] = {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": env_float("CACHE_TIMEOUT_SECONDS", 0.5),
            "socket_timeout": env_float("CACHE_TIMEOUT_SECONDS", 0.5),
            "RETRY_SECONDS": env_float("CACHE_RETRY_SECONDS", 10),
        },
    }

# --- Background jobs ----------------------------------------------------------------------
# One code path everywhere: a real Celery worker consumes the jobs. With REDIS_URL, through
# Redis; without it (`make run` on a laptop), through kombu's filesystem transport in
# VAR_DIR/broker, with the worker and beat that `make run` starts beside the web server.
# Only unit tests run tasks in-process, and they say so (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
BROKER_DIR = Path(env_str("BROKER_DIR", str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # kombu's filesystem transport, with whole-message writes (config/broker.py).
    CELERY_BROKER_URL = "embeddedfs://localhost/"
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_DEFAULT_QUEUE = env_str("JOB_QUEUE", "celery")
# The sweeper and the periodic jobs (integrity, re-fetch) have a queue of their own, served by
# a worker slot of their own, so a backlog of documents can never delay the sweep.
JOB_PERIODIC_QUEUE = env_str("JOB_PERIODIC_QUEUE", "periodic")
# Verification jobs may have a queue (and workers) of their own, so that a long verification
# never holds up the extraction of the next document; empty: they share JOB_QUEUE.
JOB_VERIFY_QUEUE = env_str("JOB_VERIFY_QUEUE", "")
# A worker process keeps its database connection from task to task, up to
# WORKER_DB_CONN_MAX_AGE seconds (0: a new one per task). Celery's Django fixup would close it
# after every task, and opening one (about 3.8 ms here against 0.5 ms for a task's lease query)
# was most of what a small job taken over by another costs. A connection that broke is
# dropped before the next task (config/celery.py), as Django does between requests.
WORKER_DB_CONN_MAX_AGE = env_int("WORKER_DB_CONN_MAX_AGE", 60)
CELERY_DB_REUSE_MAX = 1000 if WORKER_DB_CONN_MAX_AGE else None  # the fixup's own recycling
CELERY_TASK_IGNORE_RESULT = True  # the Job table, not a result backend, holds outcomes
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Limits for a job of no particular size; extraction and verification add an allowance per
# unit of work (claims/pipeline/limits.py), and no job may take more than JOB_MAX_TIME_LIMIT:
# a document that would need more is refused at submission.
JOB_SOFT_TIME_LIMIT = env_int("JOB_SOFT_TIME_LIMIT", 300)
JOB_TIME_LIMIT = env_int("JOB_TIME_LIMIT", 360)
JOB_SECONDS_PER_MILLION_CHARS = env_int("JOB_SECONDS_PER_MILLION_CHARS", 120)
JOB_SECONDS_PER_THOUSAND_CLAIMS = env_int("JOB_SECONDS_PER_THOUSAND_CLAIMS", 30)
JOB_MAX_TIME_LIMIT = env_int("JOB_MAX_TIME_LIMIT", 3 * 3600)
CELERY_TASK_SOFT_TIME_LIMIT = JOB_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT
# Claims written per transaction by extraction: short enough that the SQLite write lock is
# never held for more than a fraction of a second.
JOB_BATCH_CLAIMS = env_int("JOB_BATCH_CLAIMS", 250)
# On SQLite, extraction batches (down to 50 claims) and verification batches (down to 5) shrink
# to stay near this many seconds.
JOB_BATCH_SECONDS = env_float("JOB_BATCH_SECONDS", 0.5)
# On SQLite, the pause between two batches that lets a waiting writer (the web) take the lock:
# at least this, and at least as long as the batch held the lock.
JOB_SQLITE_YIELD_SECONDS = env_float("JOB_SQLITE_YIELD_SECONDS", 0.12)
# Claims recomputed per transaction by verification (with the groups they touch).
JOB_VERIFY_BATCH_CLAIMS = env_int("JOB_VERIFY_BATCH_CLAIMS", 500)
# A verification job that starts takes over the queued ones behind it, up to this many claims
# in all (claims/pipeline/verification_job.py); 0 turns the merging off.
JOB_VERIFY_MERGE_CLAIMS = env_int("JOB_VERIFY_MERGE_CLAIMS", 5000)
# An extraction job that starts on a small document takes over the extraction jobs queued
# behind it, up to this many characters of text in all, and stores their documents together
# (claims/pipeline/extraction_merge.py); 0 turns the merging off. The lead's time limit is
# its own document's: the merged text must fit well within JOB_SOFT_TIME_LIMIT.
JOB_EXTRACT_MERGE_CHARS = env_int("JOB_EXTRACT_MERGE_CHARS", 200_000)
if JOB_EXTRACT_MERGE_CHARS * JOB_SECONDS_PER_MILLION_CHARS / 1e6 > JOB_SOFT_TIME_LIMIT / 2:
    raise ImproperlyConfigured(
        f"JOB_EXTRACT_MERGE_CHARS={JOB_EXTRACT_MERGE_CHARS} is more text than half of "
        f"JOB_SOFT_TIME_LIMIT={JOB_SOFT_TIME_LIMIT} s allows at JOB_SECONDS_PER_MILLION_CHARS"
    )
# Where verification shares a queue with extraction, its messages go out at this priority
# (Redis serves 0 first and 9 last; extraction is sent at 0), so a new document's claims reach
# the desk before the verification backlog is worked off, and the verifications that wait
# are then merged (above). 0 gives them no precedence either way. The embedded default's
# filesystem transport has no priorities: there its jobs run in the order they were sent.
JOB_VERIFY_PRIORITY = env_int("JOB_VERIFY_PRIORITY", 9)
if not 0 <= JOB_VERIFY_PRIORITY <= 9:
    raise ImproperlyConfigured(f"JOB_VERIFY_PRIORITY={JOB_VERIFY_PRIORITY} must be 0 to 9")
# A publish to a down or hung broker must fail fast and leave the Job queued for the sweeper,
# never hold a web request: no publish retries, short connect and socket timeouts.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("BROKER_TIMEOUT_SECONDS", 1)
# After a failed publish a process publishes nothing for this long (claims/jobs.py).
BROKER_RETRY_SECONDS = env_float("BROKER_RETRY_SECONDS", 10)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits for its broker however long it stays away (Celery's default gives up after
# 100 retries, about 46 minutes, and the worker exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task, so Redis does not hand a running task to a second
    # worker; a dead worker's job is taken over through its lease long before this.
    "visibility_timeout": JOB_MAX_TIME_LIMIT + 600,
    # A submission must answer within 2 s with Redis hung (SIGSTOP: connections are
    # accepted, nothing replies): one second to publish, then the Job stays queued for
    # the sweeper. The worker's BRPOP waits on the poller, not on this timeout.
    "socket_connect_timeout": env_float("BROKER_TIMEOUT_SECONDS", 1),
    "socket_timeout": env_float("BROKER_TIMEOUT_SECONDS", 1),
    "max_retries": 0,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
    # The filesystem transport has no fanout for remote control; nothing here needs it.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
# A running job holds a lease of JOB_LEASE_SECONDS, renewed every JOB_HEARTBEAT_SECONDS; when
# its worker dies, the redelivered message or the sweeper (every JOB_SWEEP_SECONDS) takes it
# over once the lease ran out: within a minute with the defaults.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 30)
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_SWEEP_SECONDS = env_int("JOB_SWEEP_SECONDS", 15)
# A job still queued this long (its publish failed or its message was lost) is sent again.
JOB_REQUEUE_AFTER_SECONDS = env_int("JOB_REQUEUE_AFTER_SECONDS", 120)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5)
_PERIODIC = {"queue": JOB_PERIODIC_QUEUE}
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {
        "task": "claims.tasks.jobs_sweep",
        "schedule": float(JOB_SWEEP_SECONDS),
        "options": {**_PERIODIC, "expires": JOB_SWEEP_SECONDS * 2},
    },
    "integrity-check": {
        "task": "claims.tasks.periodic_job",
        "schedule": env_int("INTEGRITY_CHECK_EVERY_HOURS", 24) * 3600.0,
        "kwargs": {"kind": "integrity_check"},
        "options": _PERIODIC,
    },
    "refetch-due-documents": {
        "task": "claims.tasks.periodic_job",
        "schedule": env_int("REFETCH_SWEEP_MINUTES", 60) * 60.0,
        "kwargs": {"kind": "refetch"},
        "options": _PERIODIC,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"celery.app.trace": {"level": "INFO"}},
}
