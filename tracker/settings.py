"""Settings for the pinched-nerve recovery tracker.

Every value that differs between a laptop and a clinic's server comes from the
environment. A missing or malformed value stops start-up with a message that
names the variable, so a misconfigured deployment fails loudly instead of
running with a guessed value.
"""

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from routines.media.storage_settings import media_root, media_storage
from tracker.guided.timer_settings import guided_timer_scale

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set it to a long random string (or set DJANGO_DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off: a comma-separated list "
        "of the host names this site answers to, e.g. tracker.example-clinic.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Patients live in their own time zone (a check-in belongs to their local day);
# the server stores UTC. This is the zone new accounts start in.
TIME_ZONE = "UTC"
USE_TZ = True
CLINIC_TIME_ZONE = os.environ.get("CLINIC_TIME_ZONE", "Europe/London")
try:
    ZoneInfo(CLINIC_TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"CLINIC_TIME_ZONE must be an IANA time zone name such as Europe/London, not {CLINIC_TIME_ZONE!r}."
    ) from None
LANGUAGE_CODE = "en-gb"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    "tracker",
    "tracker.jobs",
    "tracker.signin",
    "tracker.clinics",
    "tracker.audit",
    "tracker.reminders",
    "routines",
    "tracker.outcomes",
    "tracker.fhir",
]

MIDDLEWARE = [
    # First: forwarding headers count only from the trusted proxy (tracker.signin.addresses).
    "tracker.signin.addresses.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.signin.sessions.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A database outage answers 503 with what to do, never a 500 (reads the session first).
    "tracker.safety.outage.DatabaseOutageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tracker.signin.sessions.IdleSignOutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Clinicians and staff (and patients who turned it on) show a second factor before anything else.
    "tracker.mfa.middleware.RequireSecondFactorMiddleware",
    # One row per request about a patient's record, after the view answered (tracker.audit).
    "tracker.audit.middleware.AuditTrailMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes goes last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"
ASGI_APPLICATION = "tracker.asgi.application"

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
                "tracker.safety.context_processors.emergency",
                "tracker.signin.context_processors.idle",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {error}") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must name a database, e.g. postgres://user@host:5432/tracker, not {url!r}."
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers carry on while a patient's check-in is written.
            # synchronous=FULL syncs the log on every commit: a check-in the
            # patient was told is saved survives a power cut (NORMAL could lose
            # the last commits). Measured cost: see README "Running in production".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": _database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The second factor (tracker.mfa): an authenticator app with recovery codes, or
# a passkey as the second step after the password (never instead of it).
OTP_TOTP_ISSUER = "Recovery tracker"
OTP_WEBAUTHN_HELPER_CLASS = "tracker.mfa.webauthn.SiteWebAuthnHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "tracker.mfa.webauthn.relying_party_domain"
OTP_WEBAUTHN_RP_NAME = "Recovery tracker"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Passkeys' allowed origin is this site's own, worked out per request from the
# host Django has validated (tracker.mfa.webauthn), not a fixed list.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are throttled per account name *and* address, so one person
# cannot lock a patient out from elsewhere, and a locked-out attempt looks the
# same whether or not the account exists.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's own address behind the proxy, not the proxy's (tracker.signin.addresses).
AXES_CLIENT_IP_CALLABLE = "tracker.signin.addresses.client_address"
# Who may say where a request came from: requests from these addresses may
# carry X-Forwarded-For/-Proto (the TLS proxy in front of gunicorn), and the
# client is the address the outermost of TRUSTED_PROXY_COUNT proxies recorded.
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES", ["127.0.0.1", "::1"])
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or more.")

# Sessions (tracker.signin.sessions): clinicians and staff are signed out when
# idle, with a warning first; patients stay signed in on their own phone.
CLINICIAN_IDLE_MINUTES = env_int("CLINICIAN_IDLE_MINUTES", 15)
IDLE_WARNING_SECONDS = env_int("IDLE_WARNING_SECONDS", 120)
CLINICIAN_SESSION_HOURS = env_int("CLINICIAN_SESSION_HOURS", 12)
PATIENT_SESSION_DAYS = env_int("PATIENT_SESSION_DAYS", 30)
for _name in ("CLINICIAN_IDLE_MINUTES", "CLINICIAN_SESSION_HOURS", "PATIENT_SESSION_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
if not 0 < IDLE_WARNING_SECONDS < CLINICIAN_IDLE_MINUTES * 60:
    raise ImproperlyConfigured("IDLE_WARNING_SECONDS must be more than 0 and less than the idle time-out.")
# Password-reset e-mails (tracker.signin.password_reset), per hour.
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_PER_CLIENT_PER_HOUR = env_int("PASSWORD_RESET_PER_CLIENT_PER_HOUR", 10)
AXES_VERBOSE = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Recovery tracker <no-reply@localhost>")
# A hung mail server must not stall the worker; a failed send is retried.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# The number patients are told to call in an emergency, on every emergency
# message (a tap-to-call button).
EMERGENCY_PHONE_NUMBER = os.environ.get("EMERGENCY_PHONE_NUMBER", "999").strip()
if not EMERGENCY_PHONE_NUMBER or not all(char.isdigit() or char in "+ " for char in EMERGENCY_PHONE_NUMBER):
    raise ImproperlyConfigured(
        f"EMERGENCY_PHONE_NUMBER must be a phone number such as 999, 911 or 112, not {EMERGENCY_PHONE_NUMBER!r}."
    )

# The address clinicians reach the app at, for links in e-mails (no trailing path).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"SITE_URL must start with https:// (e.g. https://tracker.example-clinic.org), not {SITE_URL!r}."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (care-team e-mails, the daily re-evaluation) goes through
# Django's task API; the database backend needs no extra service, and a task
# queued inside a transaction is committed with it (tracker.jobs.queue).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The worker (`manage.py worker`, tracker.jobs): how often it says it is alive,
# when a silent worker counts as dead (its running task is then queued again),
# how often each worker sweeps for work left behind, and its longest wait
# between tries while the database is down.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_DEAD_AFTER_SECONDS = env_int("WORKER_DEAD_AFTER_SECONDS", 3 * WORKER_HEARTBEAT_SECONDS)
WORKER_SWEEP_SECONDS = env_int("WORKER_SWEEP_SECONDS", 60)
WORKER_MAX_BACKOFF_SECONDS = env_int("WORKER_MAX_BACKOFF_SECONDS", 30)
for _name in ("WORKER_HEARTBEAT_SECONDS", "WORKER_DEAD_AFTER_SECONDS", "WORKER_SWEEP_SECONDS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1 (seconds).")
if WORKER_DEAD_AFTER_SECONDS <= WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_DEAD_AFTER_SECONDS must be longer than WORKER_HEARTBEAT_SECONDS.")
# Outbox tables each feature keeps; the sweep queues again what is due in them.
WORKER_SWEEP_HOOKS = ["tracker.flags.notify.requeue_due"]

# Care-team e-mails about flags (tracker.flags.notify). A send claimed by a
# worker is left alone this long (longer than the slowest send, see
# EMAIL_TIMEOUT); if the worker died, the sweep sends it again after that.
NOTIFY_CLAIM_LEASE_SECONDS = env_int("NOTIFY_CLAIM_LEASE_SECONDS", 45)
if NOTIFY_CLAIM_LEASE_SECONDS < 1:
    raise ImproperlyConfigured("NOTIFY_CLAIM_LEASE_SECONDS must be at least 1 (seconds).")
# An emergency e-mail still not delivered after this long shows as "care team
# not yet reached" on the caseload of everyone on the patient's care team and
# on /healthz.
NOTIFY_ESCALATE_AFTER_MINUTES = env_int("NOTIFY_ESCALATE_AFTER_MINUTES", 10)
# The domain in the Message-ID of every e-mail the tracker sends (stable across
# retries, so a mailbox shows a re-sent message once).
MESSAGE_ID_DOMAIN = os.environ.get("MESSAGE_ID_DOMAIN", "") or (
    SITE_URL.split("://", 1)[1].split("/")[0].split(":")[0] if SITE_URL else "recovery-tracker.invalid"
)

# Browser notifications for reminders (Web Push, tracker.reminders.push). All
# three or none: without them reminders go by e-mail only. `manage.py
# vapid_keys` prints a pair; the subject is a mailto: or https: address.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "").strip()
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "").strip()
if any((VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT)) and not all(
    (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT)
):
    raise ImproperlyConfigured(
        "VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set together (or none of them): "
        "`manage.py vapid_keys` prints a pair."
    )
if VAPID_SUBJECT and not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT must start with mailto: or https://, not {VAPID_SUBJECT!r}.")

# Security headers. No inline script anywhere and no third-party origin: htmx
# is served from django-htmx's bundled copy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from <body hx-headers>, never from the cookie.
# The longest any session lasts; each sign-in sets its own (tracker.signin.sessions).
SESSION_COOKIE_AGE = 60 * 60 * 24 * PATIENT_SESSION_DAYS

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Pictures and videos of exercises that staff upload (routines.media), through
# Django's storage API: the local disk by default, an S3-compatible store when
# MEDIA_S3_BUCKET is set. They are served by the app itself, to signed-in people.
MEDIA_ROOT = media_root(os.environ, default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES["default"] = media_storage(os.environ)
FILE_UPLOAD_PERMISSIONS = 0o640

# The guided exercise session's timers run at this fraction of their real
# length. Only tests change it (e.g. 0.02), so a whole session runs in seconds.
GUIDED_TIMER_SCALE = guided_timer_scale(os.environ)


# ---------------------------------------------------------------------------
# More than one app server (issue 15; tracker.ops). Everything below is off by
# default, so `make run` needs no Redis and no pool; see README "Deploying".
# - REDIS_URL (e.g. redis://127.0.0.1:6379/0): the cache lives in Redis, and
#   sessions are "cached_db": read from Redis, written to Redis and the
#   database (redis-py parses replies with hiredis). App servers are then
#   interchangeable, and a Redis restart or eviction signs no one out (the
#   database copy is read back). Without it: sessions in the database only,
#   and the cache in the database too (debug off: several workers share it) or
#   in the process's memory (debug on: runserver is one process).
# - DATABASE_POOL (default on with PostgreSQL and debug off): psycopg's
#   connection pool per process, DATABASE_POOL_MAX_SIZE connections at most
#   (one is enough for a sync gunicorn worker; raise it for threaded workers).
#   A pool needs CONN_MAX_AGE = 0: the pool, not Django, keeps connections.
# - With debug off, logs are one JSON object per line, each with the request's
#   id (X-Request-ID from the proxy, or a new one; sent back on the response).
# ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
DATABASE_CACHE_TABLE = "tracker_cache"
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, not {REDIS_URL!r}.")
    CACHES = {
        "default": {
            "BACKEND": "tracker.pagecache.backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tracker"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG:
    # runserver is one process, so a per-process cache is the same cache for every request.
    # Room for a version per patient of a large demo clinic (seed_demo --patients): Django's default of
    # 300 entries would cull the versions and rebuild the caseload on every request.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tracker",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
else:
    # Production without Redis still runs several gunicorn workers: the cached page pieces and the
    # versions that invalidate them (tracker.pagecache) must be one cache for all of them, or a
    # worker that did not see a check-in would keep showing the page from before it. The database
    # is the one store they already share; `migrate` creates the table (tracker.pagecache.cache_table).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            # A version per patient and the pieces built from them, for a clinic of 20,000.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

DATABASE_POOL = env_bool("DATABASE_POOL", default=not DEBUG)
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 4)
if DATABASE_POOL and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if DATABASE_POOL_MAX_SIZE < 1:
        raise ImproperlyConfigured("DATABASE_POOL_MAX_SIZE must be at least 1.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Django hands the pool psycopg_pool's check_connection: a connection cut while idle in the
    # pool (a database restart) is found and replaced before it is handed out.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": 10,
    }

MIDDLEWARE.insert(0, "tracker.ops.request_id.RequestIdMiddleware")
# One line per request in production (runserver prints its own in development).
LOGGING["loggers"]["tracker.requests"] = {"level": "WARNING" if DEBUG else os.environ.get("DJANGO_LOG_LEVEL", "INFO")}
if not DEBUG:
    LOGGING["formatters"] = {"json": {"()": "tracker.ops.logs.JsonFormatter"}}
    LOGGING["filters"] = {"request_id": {"()": "tracker.ops.logs.RequestIdFilter"}}
    LOGGING["handlers"]["console"] |= {"formatter": "json", "filters": ["request_id"]}
# --------------------------- end of the scale-out block --------------------
