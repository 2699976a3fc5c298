"""Settings shared by every way of running Calldesk.

The embedded default needs nothing but the Python packages: SQLite in WAL mode, an in-memory
channel layer and jobs run in-process. Setting DATABASE_URL and REDIS_URL scales it out to
PostgreSQL, Redis and Celery workers with the same code (ADR 0001).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/calldesk
VAR_DIR = Path(os.environ.get("CALLDESK_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CALLDESK_DEBUG", False)
SECRET_KEY = os.environ.get(
    "CALLDESK_SECRET_KEY",
    # Embedded/demo only: production settings refuse to start without a real key.
    "calldesk-embedded-demo-key-not-for-production-0123456789abcdefghijklmnop",
)
ALLOWED_HOSTS = [h for h in os.environ.get("CALLDESK_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CALLDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "axes",
    "calldesk.apps.core",
    "calldesk.apps.accounts",
    "calldesk.apps.audit",
    "calldesk.apps.clients",
    "calldesk.apps.hotlines",
    "calldesk.apps.customers",
    "calldesk.apps.catalog",
    "calldesk.apps.orders",
    "calldesk.apps.calls",
    "calldesk.apps.workforce",
    "calldesk.apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "calldesk.apps.accounts.middleware.IdleTimeoutMiddleware",
    "calldesk.apps.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "calldesk.apps.audit.middleware.RequestContextMiddleware",
    # Axes must be last: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "calldesk.config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "calldesk.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "calldesk.apps.accounts.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "calldesk.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def database_from_url(url: str) -> dict[str, object]:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on a
                # lock upgrade; WAL lets readers go on while one writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-65536;"
                ),
            },
        }
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, channels, cache, jobs -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Embedded: jobs run in-process at once. Scaled out: Celery workers on Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock an account+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CALLDESK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Staff who leave a screen idle are logged out; the client portal keeps the browser default.
CALLDESK_STAFF_IDLE_SECONDS = int(os.environ.get("CALLDESK_STAFF_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("CALLDESK_LANGUAGE", "ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
CALLDESK_DEFAULT_USER_TIME_ZONE = os.environ.get("CALLDESK_TIME_ZONE", "Europe/Moscow")
USE_THOUSAND_SEPARATOR = True

# --- Static, media, mail --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Embedded: serve straight from the package, no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

EMAIL_BACKEND = os.environ.get(
    "CALLDESK_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("CALLDESK_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CALLDESK_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CALLDESK_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CALLDESK_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CALLDESK_SMTP_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CALLDESK_FROM_EMAIL", "calldesk@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CALLDESK_LOG_LEVEL", "WARNING")},
    # A 403 or 404 is an answer, not an incident: keep tracebacks for 5xx only.
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- Routing runtime (issue #4, ADR 0005) ----------------------------------------------------
# "local": the runtime runs inside the server process; "redis": web processes put items into
# a Redis stream and one `calldesk router` process routes.
CALLDESK_ROUTING_INBOX = os.environ.get("CALLDESK_ROUTING_INBOX", "redis" if REDIS_URL else "local")
# Virtual callers and agents (the `simulator` telephony adapter); `calldesk demo` turns it on.
CALLDESK_SIMULATE = env_bool("CALLDESK_SIMULATE", False)
CALLDESK_SIMULATE_AGENTS = int(os.environ.get("CALLDESK_SIMULATE_AGENTS", "6"))
CALLDESK_SIMULATE_CALLS_PER_MINUTE = float(os.environ.get("CALLDESK_SIMULATE_CALLS_PER_MINUTE", "2"))
CALLDESK_SIMULATE_TALK_SECONDS = float(os.environ.get("CALLDESK_SIMULATE_TALK_SECONDS", "40"))
# The wallboard's service level: answered within this many seconds over offered calls.
CALLDESK_SERVICE_LEVEL_SECONDS = float(os.environ.get("CALLDESK_SERVICE_LEVEL_SECONDS", "20"))
# The Redis stream web processes write to, and the prefix of the screens' Channels groups.
CALLDESK_ROUTING_STREAM = os.environ.get("CALLDESK_ROUTING_STREAM", "calldesk:routing:inbox")
CALLDESK_ROUTING_GROUP_PREFIX = os.environ.get("CALLDESK_ROUTING_GROUP_PREFIX", "calls")
