"""Leitai settings, read from the environment through small helpers that fail loudly.

Environment variables:
  LEITAI_DATA_DIR   folder for the SQLite database and uploads (default ./leitai-data)
  DATABASE_URL      e.g. postgres://user@host:5432/leitai; SQLite in the data folder when unset
  REDIS_URL         live fan-out across several server processes (optional)
  LEITAI_SECRET_KEY secret key (required when LEITAI_DEBUG is false)
  LEITAI_DEBUG      true/false (default false)
  LEITAI_ALLOWED_HOSTS comma-separated (default 127.0.0.1,localhost)
  LEITAI_LANGUAGE   zh-hans (default) or en; also the command line's message language (LEITAI_LANG is an alias)
  LEITAI_NOTIFIER   how reminders go out: email (default), webhook, none, or a dotted path to a class
  LEITAI_WEBHOOK_URL   the chat robot's address (LEITAI_NOTIFIER=webhook)
  LEITAI_SMS_GATEWAY   an SMS gateway's address (a site's SmsNotifier subclass)
The rest (time zone, log level, login failures, live updates…) are read below, each where it is set.
"""

import os
from pathlib import Path

import dj_database_url


def envbool(name: str, default: str = "false") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false"):
        raise ValueError(f"{name} must be 'true' or 'false', got {value!r}")
    return value == "true"


def envchoice(name: str, default: str, choices: tuple[str, ...], dotted: bool = False) -> str:
    """One of `choices` (or, with `dotted`, a dotted path to a class); anything else refuses to start."""
    value = os.environ.get(name, default).strip() or default
    if value in choices or (dotted and "." in value):
        return value
    raise ValueError(f"{name} must be one of {', '.join(choices)}{' or a dotted path' if dotted else ''}, got {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LEITAI_DATA_DIR", Path.cwd() / "leitai-data")).resolve()

DEBUG = envbool("LEITAI_DEBUG", "false")
SECRET_KEY = os.environ.get("LEITAI_SECRET_KEY", "")
if not SECRET_KEY:
    # A per-data-folder key, made once, so a demo or intranet install needs no configuration.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret.key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = envlist("LEITAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("LEITAI_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1,http://localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "leitai.accounts",
    "leitai.units",
    "leitai.indicators",
    "leitai.rankings",
    "leitai.arena",
    "leitai.tracking",
    "leitai.assessment",
    "leitai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leitai.config.urls"
WSGI_APPLICATION = "leitai.config.wsgi.application"
ASGI_APPLICATION = "leitai.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leitai.tracking.views_notices.unread_count",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("LEITAI_DB_CONN_MAX_AGE", "60"))
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "leitai.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LEITAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = os.environ.get("LEITAI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("LEITAI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"


def _plotly_dir() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data"


# Charts are drawn by plotly.js, shipped inside the plotly wheel and served by the app (no CDN).
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("vendor/plotly", _plotly_dir())]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Reminders (tracking.notify): the channel and its address.
LEITAI_NOTIFIER = envchoice("LEITAI_NOTIFIER", "email", ("email", "webhook", "none"), dotted=True)
LEITAI_WEBHOOK_URL = os.environ.get("LEITAI_WEBHOOK_URL", "")
LEITAI_SMS_GATEWAY = os.environ.get("LEITAI_SMS_GATEWAY", "")

REDIS_URL = os.environ.get("REDIS_URL", "")
# Live updates (leitai.live): auto = redis when REDIS_URL is set, else inprocess; or postgres (LISTEN/NOTIFY).
LEITAI_LIVE_BACKEND = os.environ.get("LEITAI_LIVE_BACKEND", "auto")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LEITAI_LOG_LEVEL", "WARNING")},
}
