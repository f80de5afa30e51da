"""Settings for the complaint desk, read from the environment.

With no environment at all the app runs embedded: SQLite, tasks run in process, no server needed.
DATABASE_URL / REDIS_URL switch to PostgreSQL and Redis with real Celery workers and beat.
A bad value stops the process with one line naming the variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_parsed,
    env_str,
    parse_hhmm,
    parse_networks,
    require_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

try:
    DEBUG = env_bool("DEBUG", True)
    SECRET_KEY = env_str("SECRET_KEY")
    if SECRET_KEY is None:
        if not DEBUG:
            raise ConfigurationError("SECRET_KEY must be set when DEBUG is off")
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
    elif not DEBUG and len(SECRET_KEY) < 32:
        raise ConfigurationError("SECRET_KEY must be at least 32 characters when DEBUG is off")

    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
    if not DEBUG and not ALLOWED_HOSTS:
        raise ConfigurationError("ALLOWED_HOSTS must be set when DEBUG is off")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

    DATABASE_URL = require_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
    REDIS_URL = require_url("REDIS_URL", {"redis", "rediss"})
    TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
    LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
    if LANGUAGE_CODE not in {"zh-hans", "en"}:
        raise ConfigurationError(f"LANGUAGE_CODE must be zh-hans or en (got {LANGUAGE_CODE!r})")

    WORKDAY_START = env_parsed("WORKDAY_START", (9, 0), parse_hhmm, "a time HH:MM")
    WORKDAY_END = env_parsed("WORKDAY_END", (18, 0), parse_hhmm, "a time HH:MM")
    if WORKDAY_END <= WORKDAY_START:
        raise ConfigurationError("WORKDAY_END must be later than WORKDAY_START")
    SLA_SWEEP_DAILY_AT = env_parsed("SLA_SWEEP_DAILY_AT", (0, 30), parse_hhmm, "a time HH:MM")
    SLA_SWEEP_EVERY_MINUTES = env_int("SLA_SWEEP_EVERY_MINUTES", 15, minimum=1, maximum=1440)

    # TMF621 listeners on private or loopback addresses (the operator's own network) must be allowed
    # here, e.g. "10.20.0.0/16,127.0.0.0/8": no callback may reach an internal service by accident.
    TMF_CALLBACK_ALLOWED_NETWORKS = env_parsed("TMF_CALLBACK_ALLOWED_NETWORKS", [], parse_networks,
                                               "comma-separated IP networks such as 10.0.0.0/8")

    EMAIL_URL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "complaints@localhost")
    DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
    LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
    if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigurationError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL (got {LOG_LEVEL!r})")
    if DATABASE_URL:
        try:
            _database = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
            if _database.get("PORT") not in (None, ""):
                int(_database["PORT"])
        except ValueError:
            raise ConfigurationError("DATABASE_URL is not a valid database URL (check the port)") from None
except ConfigurationError as exc:
    raise SystemExit(f"Configuration error: {exc}") from None

try:
    from zoneinfo import ZoneInfo

    ZoneInfo(TIME_ZONE)
except Exception:
    raise SystemExit(f"Configuration error: TIME_ZONE must be an IANA time zone (got {TIME_ZONE!r})") from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "worktime",
    "complaints",
    "routing",
    "followup",
    "demo",
    "api",
    "tmf",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "complaints.audit.OriginMiddleware",
]

if not DEBUG:
    # In production the app serves its collected static files itself (no CDN, no separate server);
    # in development runserver and the test server do.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "complaints.context_processors.roles",
                "followup.context_processors.bell",
            ],
        },
    },
]

if DATABASE_URL:
    if _database.get("ENGINE", "").endswith("postgresql"):
        # The dashboard's aggregates are short: compiling them (JIT) costs more than it saves (measured
        # in bench/RESULTS.md). Options already in the URL come first and are kept.
        options = _database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    DATABASES = {"default": _database}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded default: no broker, tasks run in process when queued.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# The SLA sweep: once a day (breaches) and every few minutes (at-risk warnings). In the embedded
# default `make run` starts beat beside the web server and, tasks being eager, beat runs the sweep
# in its own process.
CELERY_BEAT_SCHEDULE = {
    "sla-sweep-daily": {
        "task": "followup.tasks.sla_sweep_task",
        "schedule": crontab(hour=SLA_SWEEP_DAILY_AT[0], minute=SLA_SWEEP_DAILY_AT[1]),
    },
    "sla-sweep-frequent": {
        "task": "followup.tasks.sla_sweep_task",
        "schedule": SLA_SWEEP_EVERY_MINUTES * 60.0,
    },
    # TMF621 /hub notifications not yet delivered: re-sent once their backoff has passed.
    "tmf-retry-notifications": {
        "task": "tmf.tasks.retry_notifications",
        "schedule": 60.0,
    },
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Evidence attachments live outside the web root and are served only through a permission-checked view.
PRIVATE_MEDIA_ROOT = DATA_DIR / "attachments"

EMAIL_BACKEND = EMAIL_URL_BACKEND

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Covering indexes (INCLUDE) serve PostgreSQL's index-only scans; SQLite indexes their key columns only.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Our REST API (api/) and the TMF621 interface (tmf/): sessions for the pages, tokens for systems.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Complaint desk API",
    "DESCRIPTION": "Every action a person can take in the browser, for the operator's other systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Interactive docs from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Complaints and work orders share the severity choices: one schema name for both.
    "ENUM_NAME_OVERRIDES": {"SeverityEnum": "complaints.models.Severity"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
