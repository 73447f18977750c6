"""The one settings module. Every value that differs between deployments comes from the
environment (see README.md, "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured

from anjian.config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    env_url,
)
from anjian.config.keys import load_keys, private_dir, private_file

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("ANJIAN_DATA_DIR", Path.cwd() / "data")


# Keys (docs/ops/keys.md): the secret key, the audit key and the field key each come from their
# own variable or <NAME>_FILE, and none falls back to another. Without ANJIAN_REQUIRE_KEYS a
# missing key is generated once into its own 0600 file in ANJIAN_KEY_DIR (development, the demo:
# move that folder off the data volume, or set the keys, in production); with it, a key that is
# not given stops the start. The data folder is private (0700) from the start.
private_dir(DATA_DIR)
KEY_DIR = env_path("ANJIAN_KEY_DIR", DATA_DIR / "keys")
REQUIRE_KEYS = env_bool("ANJIAN_REQUIRE_KEYS", False)
_KEYS = load_keys(data_dir=DATA_DIR, key_dir=KEY_DIR, require=REQUIRE_KEYS)
KEY_SOURCES = _KEYS.sources
SECRET_KEY = _KEYS.secret_key
DEBUG = env_bool("ANJIAN_DEBUG", False)
ALLOWED_HOSTS = env_list("ANJIAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ANJIAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "ninja",  # serves its Swagger UI from local static files, not a CDN
    "bootstrap",
    "fontawesome",  # the menu's icons: Font Awesome SVGs from django-bootstrap-static
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "anjian.core",
    "anjian.audit",
    "anjian.crypto",
    "anjian.accounts",
    "anjian.registry",
    "anjian.documents",
    "anjian.policy",
    "anjian.planning",
    "anjian.inspections",
    "anjian.enforcement",
    "anjian.training",
    "anjian.steering",
    "anjian.oversight",
    "anjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.accounts.middleware.UserLanguageMiddleware",
    "anjian.audit.middleware.RequestContextMiddleware",
    "anjian.core.security.NoStoreMiddleware",
    "anjian.core.security.AuditChainStopMiddleware",
    "anjian.core.throttle.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anjian.accounts.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.config.urls"
WSGI_APPLICATION = "anjian.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.core.context_processors.shell",
                "anjian.steering.context.unread_notifications",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = env_str("DATABASE_URL", "")
    replica_url = env_str("DATABASE_REPLICA_URL", "")
    if url:
        primary = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        databases: dict[str, dict[str, object]] = {"default": dict(primary)}
        if replica_url:
            # A streaming replica of the primary: only pages marked @replica_reads read from it
            # (config/routers.py); tests read the test database through it (TEST MIRROR).
            replica = dj_database_url.parse(replica_url, conn_max_age=60, conn_health_checks=True)
            databases["replica"] = {**replica, "TEST": {"MIRROR": "default"}}
        return databases
    if replica_url:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary)")
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": private_file(DATA_DIR / "anjian.sqlite3"),  # 0600; -wal and -shm follow it
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }


DATABASES = _databases()
# Reads of @replica_reads pages go to the `replica` alias when there is one; all else to default.
DATABASE_ROUTERS = ["anjian.config.routers.PrimaryReplicaRouter"]

# Background tasks (the month planner): queued in the database, run by `anjian db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords (等保 level 2 defaults): 8+ characters of at least three kinds, changed every 90 days.
PASSWORD_MIN_LENGTH = env_int("ANJIAN_PASSWORD_MIN_LENGTH", 8, minimum=6)
PASSWORD_MIN_CLASSES = env_int("ANJIAN_PASSWORD_MIN_CLASSES", 3, minimum=1)
PASSWORD_MAX_AGE_DAYS = env_int("ANJIAN_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "anjian.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Lockout: 5 failures lock the account for 10 minutes (django-axes).
AXES_FAILURE_LIMIT = env_int("ANJIAN_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ANJIAN_LOCKOUT_MINUTES", 10, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# We lock the account (username), as 等保 asks; an IP-only lock would let a shared office NAT
# lock out a whole bureau.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions end after 30 idle minutes.
SESSION_COOKIE_AGE = env_int("ANJIAN_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ANJIAN_SECURE_COOKIES", False)
# Behind nginx: trust its X-Forwarded-Proto for HTTPS and X-Forwarded-For for the client IP
# (audit entries). Only turn on when a proxy you run sets these headers.
BEHIND_PROXY = env_bool("ANJIAN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The public address of the site: documents issued in a service print it (the notice's QR code
# for the entry code's verification page) without a request to build it from.
ANJIAN_SITE_URL = env_url("ANJIAN_SITE_URL", "http://127.0.0.1:8000")

# The register of complaints and clues (oversight/matters): working days to accept a matter and,
# after acceptance, to answer it. Configurable defaults, not statute: both are shorter than the
# 信访工作条例's terms (15 days to say whether a matter is accepted, 60 to handle it); 15 is also
# the limit the steering reminders apply to portal complaints.
ANJIAN_MATTER_ACCEPT_DAYS = env_int("ANJIAN_MATTER_ACCEPT_DAYS", 5, minimum=1)
ANJIAN_MATTER_ANSWER_DAYS = env_int("ANJIAN_MATTER_ANSWER_DAYS", 15, minimum=1)

# E-mail: the reminders (steering/services/notify.py) are also mailed to users with an address.
# `console` prints them (development, the demo), `smtp` sends through the bureau's mail server,
# `off` sends nothing. TLS is STARTTLS on the submission port (587), SSL the implicit TLS of 465.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "off": "django.core.mail.backends.dummy.EmailBackend",
}
_email_backend = env_str("ANJIAN_EMAIL_BACKEND", "console").strip().lower()
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"ANJIAN_EMAIL_BACKEND must be console, smtp or off, not {_email_backend!r}"
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_HOST = env_str("ANJIAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ANJIAN_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("ANJIAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("ANJIAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ANJIAN_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("ANJIAN_EMAIL_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("ANJIAN_EMAIL_TLS and ANJIAN_EMAIL_SSL cannot both be true")
EMAIL_TIMEOUT = env_int("ANJIAN_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("ANJIAN_EMAIL_FROM", "anjian@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers, caching and rate limits (issue 16; docs/ops/production-settings.md) ---
# HTTPS: all off by default (development over plain http); production sets
# ANJIAN_HSTS_SECONDS=31536000, ANJIAN_SSL_REDIRECT=true, ANJIAN_SECURE_COOKIES=true.
SECURE_HSTS_SECONDS = env_int("ANJIAN_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ANJIAN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ANJIAN_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole registrable domain (a government domain the bureau does not
    # administer); leaving it off is a decision, not an oversight (docs/ops/production-settings.md).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_SSL_REDIRECT = env_bool("ANJIAN_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline script and no inline style anywhere; the
# server-drawn pygal charts carry their <style> with the request's nonce (core/templatetags).
# ANJIAN_CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only for a rollout;
# ANJIAN_CSP_REPORT_URI names where browsers send violation reports (none by default).
_CSP_DIRECTIVES: dict[str, list[Any] | str] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", CSP_NONCE],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if env_str("ANJIAN_CSP_REPORT_URI", ""):
    _CSP_DIRECTIVES["report-uri"] = env_str("ANJIAN_CSP_REPORT_URI", "")
if env_bool("ANJIAN_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Permissions-Policy: every powerful feature off, except the position an officer's phone gives
# at check-in and the camera of the check-in page, which reads the QR code of the inspection
# notice (inspections/static/inspections/scan.js); both for this site's own pages only.
_DENIED_FEATURES = """accelerometer ambient-light-sensor autoplay bluetooth browsing-topics
    display-capture encrypted-media gyroscope hid idle-detection magnetometer microphone midi
    payment publickey-credentials-get screen-wake-lock serial usb xr-spatial-tracking"""
PERMISSIONS_POLICY: dict[str, list[str]] = {f: [] for f in _DENIED_FEATURES.split()}
PERMISSIONS_POLICY["geolocation"] = ["self"]
PERMISSIONS_POLICY["camera"] = ["self"]


def _cache(url: str) -> dict[str, object]:
    """Shared between gunicorn's worker processes (rate-limit counters): a file cache in the
    data folder, or Redis (redis://…, needs the `redis` package) for several machines."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"ANJIAN_CACHE_URL must be a redis:// address, not {url!r}")


CACHES = {"default": _cache(env_str("ANJIAN_CACHE_URL", ""))}


def _rate(name: str, default: str) -> str:
    value = env_str(name, default).strip().lower()
    count, _, unit = value.partition("/")
    if value != "off" and not (count.isdigit() and int(count) > 0 and unit in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(f"{name} must look like 30/m (or off), not {value!r}")
    return value


# Per client address (core/throttle.py). Login: a bureau behind one NAT rarely has 30 people
# signing in within one minute, while a password sprayer is held to 30 tries a minute on top
# of the 5-failure lock per account. Exam: 60 workers behind one NAT, each answering a question
# every 10 s (POST + GET = 12 requests a minute), need 720: 1200 leaves room for the start
# pages. Verify: a receptionist checks a few codes; 30 a minute stops guessing of short codes.
ANJIAN_RATE_LIMITS = {
    "login": _rate("ANJIAN_RATE_LOGIN", "30/m"),
    "exam": _rate("ANJIAN_RATE_EXAM", "1200/m"),
    "verify": _rate("ANJIAN_RATE_VERIFY", "30/m"),
    # camera check-in: one phone sends a frame about every 0.7 s while its camera is open
    "scan": _rate("ANJIAN_RATE_SCAN", "150/m"),
}
# --- end of security headers, caching and rate limits ---

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded evidence: kept under the data folder and served only through views that check scope.
MEDIA_ROOT = DATA_DIR / "media"
# Evidence files and parked imports: only the service user reads them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
private_dir(MEDIA_ROOT)
private_dir(DATA_DIR / "imports")
ANJIAN_UPLOAD_MAX_BYTES = env_int("ANJIAN_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024
# Excel imports (ui/sheets.py): data rows per file, and what its zip members may unpack to.
ANJIAN_IMPORT_MAX_ROWS = env_int("ANJIAN_IMPORT_MAX_ROWS", 20000, minimum=100)
ANJIAN_IMPORT_MAX_UNCOMPRESSED_MB = env_int("ANJIAN_IMPORT_MAX_UNCOMPRESSED_MB", 50, minimum=5)

# 较大数额罚款 (hearing right, legal review, collective decision), in yuan; the defaults are the
# figures of the former 安全生产违法行为行政处罚办法 used where the province sets none.
ANJIAN_LARGE_FINE_UNIT = env_int("ANJIAN_LARGE_FINE_UNIT", 30000, minimum=1)
ANJIAN_LARGE_FINE_PERSON = env_int("ANJIAN_LARGE_FINE_PERSON", 10000, minimum=1)
# The consistency monitor: a like-case fine more than K median absolute deviations from the
# group's median is flagged, in groups of at least MIN_GROUP decided cases.
ANJIAN_LIKE_CASE_K = env_float("ANJIAN_LIKE_CASE_K", 3.5, minimum=0.5)
ANJIAN_LIKE_CASE_MIN_GROUP = env_int("ANJIAN_LIKE_CASE_MIN_GROUP", 5, minimum=3)
# on-site exams (逢查必考): the default pass mark on the 100-point fixed-form scale, and how long an
# exam's QR code stays open after the officer opens it
ANJIAN_EXAM_PASS_MARK = env_float("ANJIAN_EXAM_PASS_MARK", 80.0, minimum=1.0)
ANJIAN_EXAM_OPEN_HOURS = env_int("ANJIAN_EXAM_OPEN_HOURS", 4, minimum=1)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Personal data (ID numbers) is encrypted at rest with SM4-GCM under ANJIAN_FIELD_KEY
# (anjian/crypto); ANJIAN_FIELD_KEY_OLD holds keys being rotated out (`anjian rekey`).
FIELD_ENCRYPTION_KEY = _KEYS.field_key
FIELD_ENCRYPTION_KEY_FALLBACKS = _KEYS.field_key_fallbacks
# Only to read ID numbers earlier versions stored (Fernet, key derived from the secret key and
# this salt) until they are migrated to SM4; the historic migrations use it too.
SALT_KEY = env_secret("ANJIAN_FIELD_SALT", "anjian-id-numbers")
SECRET_KEY_FALLBACKS = env_list("ANJIAN_SECRET_KEY_FALLBACKS", [])

# Audit trail: hash-chained entries keyed by this secret; kept at least 185 days (等保).
AUDIT_HMAC_KEY = _KEYS.audit_key  # ANJIAN_AUDIT_KEY: never the secret key
AUDIT_RETENTION_DAYS = env_int("ANJIAN_AUDIT_RETENTION_DAYS", 185, minimum=185)
# Public disclosure (行政执法公示): a penalty decision is published within this many working
# days of the decision (the province may set another period).
ANJIAN_DISCLOSURE_DAYS = env_int("ANJIAN_DISCLOSURE_DAYS", 7, minimum=1)
# Audit checkpoints (signed entry count + last seal) are appended daily to a dated JSON-lines
# file in this folder: put it on another volume (or a mount the database host cannot rewrite).
AUDIT_CHECKPOINT_DIR = env_path("ANJIAN_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints")
# django-axes' login log belongs to the trail too: its handler never deletes entries younger than
# AUDIT_RETENTION_DAYS (anjian/audit/login_log.py).
AXES_HANDLER = "anjian.audit.login_log.RetainingAxesHandler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # audit checkpoints are logged at INFO whatever the root level: route this logger to syslog
    "loggers": {"anjian.audit.checkpoint": {"level": "INFO"}},
    "root": {"handlers": ["console"], "level": env_str("ANJIAN_LOG_LEVEL", "WARNING")},
}
