"""The one settings module. Every value that differs between deployments comes from the
environment (see README.md, "Configuration")."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

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

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_path("ANJIAN_DATA_DIR", Path.cwd() / "data")


def _secret_key() -> str:
    configured = env_secret("ANJIAN_SECRET_KEY", "")
    if configured:
        return configured
    # A development key kept in the data folder so sessions survive restarts of the demo.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
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
    "axes",
    "django_tasks",
    "django_tasks_db",
    "anjian.core",
    "anjian.audit",
    "anjian.accounts",
    "anjian.registry",
    "anjian.documents",
    "anjian.policy",
    "anjian.planning",
    "anjian.inspections",
    "anjian.enforcement",
    "anjian.training",
    "anjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.accounts.middleware.UserLanguageMiddleware",
    "anjian.audit.middleware.RequestContextMiddleware",
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
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = env_str("DATABASE_URL", "")
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "anjian.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }


DATABASES = _databases()

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
ANJIAN_UPLOAD_MAX_BYTES = env_int("ANJIAN_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024

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

# ID numbers are encrypted at rest with a key derived from SECRET_KEY and this salt
# (django-fernet-encrypted-fields). Rotating SECRET_KEY needs the old key in
# ANJIAN_SECRET_KEY_FALLBACKS, or stored ID numbers can no longer be read.
SALT_KEY = env_secret("ANJIAN_FIELD_SALT", "anjian-id-numbers")
SECRET_KEY_FALLBACKS = env_list("ANJIAN_SECRET_KEY_FALLBACKS", [])

# Audit trail: hash-chained entries keyed by this secret; kept at least 185 days (等保).
AUDIT_HMAC_KEY = env_secret("ANJIAN_AUDIT_KEY", "") or SECRET_KEY
AUDIT_RETENTION_DAYS = env_int("ANJIAN_AUDIT_RETENTION_DAYS", 185, minimum=185)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ANJIAN_LOG_LEVEL", "WARNING")},
}
