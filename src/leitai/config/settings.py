"""Leitai settings. Every LEITAI_* variable (and DATABASE_URL, REDIS_URL) is declared once in
config/options.py, with its type, default and meaning, and read here through `read`, which refuses a bad
value naming the variable. docs/configuration.md is generated from the same table.
"""

from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

from leitai.config.logs import install as install_log_redaction
from leitai.config.options import read

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(read("LEITAI_DATA_DIR")).resolve()

DEBUG = read("LEITAI_DEBUG")
SECRET_KEY = read("LEITAI_SECRET_KEY")
if not SECRET_KEY:
    # A per-data-folder key, made once, so a demo or intranet install needs no configuration.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret.key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = read("LEITAI_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = read("LEITAI_CSRF_TRUSTED_ORIGINS")

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
    "csp",
    "leitai.audit",
    "leitai.accounts",
    "leitai.units",
    "leitai.indicators",
    "leitai.rankings",
    "leitai.arena",
    "leitai.tracking",
    "leitai.awards",
    "leitai.assessment",
    "leitai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "leitai.config.inputs.RefuseNulCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "leitai.audit.middleware.AuditMiddleware",
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
                "leitai.tracking.supervision.views.unread_count",
            ],
            "libraries": {"charts": "leitai.charts"},
        },
    },
]

if read("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            read("DATABASE_URL"), conn_max_age=read("LEITAI_DB_CONN_MAX_AGE")
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
                # synchronous=FULL: a commit (a judge's sheet answered "submitted", a published ranking) is on
                # disk before the answer goes out, and survives a power cut (docs/operations.md, durability).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The password policy (accounts/passwords.py): long enough, three kinds of characters, not a common password,
# not close to the user's name. Applied wherever a password is set through a form or createsuperuser.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "display_name", "first_name", "last_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": read("LEITAI_PASSWORD_MIN_LENGTH")}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "leitai.accounts.passwords.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out (accounts/lockout.py): a user name from one address after LEITAI_LOGIN_FAILURE_LIMIT failures, a
# user name from anywhere after LEITAI_LOGIN_FAILURE_LIMIT_USER; never an address alone (a whole office
# behind one NAT address, the organizer included, must not be locked out by one person's typing).
AXES_HANDLER = "leitai.accounts.lockout.LoginLockout"
AXES_FAILURE_LIMIT = read("LEITAI_LOGIN_FAILURE_LIMIT")
LEITAI_LOGIN_FAILURE_LIMIT_USER = read("LEITAI_LOGIN_FAILURE_LIMIT_USER")
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
# Whose sign-in ends when the browser closes (accounts/apps.py): organizers by default.
LEITAI_SESSION_BROWSER = read("LEITAI_SESSION_BROWSER")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = read("LEITAI_LANGUAGE")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = read("LEITAI_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"


# Static files: collected with hashed names and .br/.gz copies (config/static.py) by `leitai serve` and
# `leitai demo`; charts are SVG drawn on the server (leitai/charts.py), so no chart library is shipped.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # half the files to compress; pages only ever name the hashed ones
# Source maps are for developer tools only (django-ninja's API docs ship 20 MB of them): not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "leitai.config.static.Storage"},
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# A request carrying files stops at LEITAI_UPLOAD_MAX_MB while it comes in (leitai.uploads: BodyLimit in front
# of Django under `leitai serve`, LimitedUploadHandler under any server); each kind of file has its own limit.
LEITAI_UPLOAD_MAX_MB = read("LEITAI_UPLOAD_MAX_MB")
FILE_UPLOAD_HANDLERS = [
    "leitai.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Reminders (tracking.base.notify): the channel and its address.
LEITAI_NOTIFIER = read("LEITAI_NOTIFIER")
LEITAI_WEBHOOK_URL = read("LEITAI_WEBHOOK_URL")
LEITAI_SMS_GATEWAY = read("LEITAI_SMS_GATEWAY")

REDIS_URL = read("REDIS_URL")
# Live updates (leitai.live): auto = redis when REDIS_URL is set, else inprocess; or postgres (LISTEN/NOTIFY).
LEITAI_LIVE_BACKEND = read("LEITAI_LIVE_BACKEND")
LEITAI_LIVE_COUNTS_INTERVAL = read("LEITAI_LIVE_COUNTS_INTERVAL")
LEITAI_SUBMIT_CONCURRENCY = read("LEITAI_SUBMIT_CONCURRENCY")  # 0: chosen by the database (arena.day.gate)
# Open live streams per process (leitai.live.limits): the public per address and in all; judges' links.
LEITAI_STREAMS_PER_ADDRESS = read("LEITAI_STREAMS_PER_ADDRESS")
LEITAI_STREAMS_MAX = read("LEITAI_STREAMS_MAX")
LEITAI_STREAMS_PER_JUDGE = read("LEITAI_STREAMS_PER_JUDGE")
# Imports: every imported .xlsx and .csv is read within these bounds (leitai.spreadsheets)
LEITAI_IMPORT_MAX_ROWS = read("LEITAI_IMPORT_MAX_ROWS")
LEITAI_IMPORT_MAX_COLUMNS = read("LEITAI_IMPORT_MAX_COLUMNS")
LEITAI_IMPORT_MAX_CELLS = read("LEITAI_IMPORT_MAX_CELLS")
LEITAI_IMPORT_MAX_UNZIPPED_MB = read("LEITAI_IMPORT_MAX_UNZIPPED_MB")
LEITAI_IMPORT_MAX_RATIO = read("LEITAI_IMPORT_MAX_RATIO")
LEITAI_IMPORT_MAX_SECONDS = read("LEITAI_IMPORT_MAX_SECONDS")
# The task queue (leitai.queue) and the daily supervision job's time (local, TIME_ZONE)
LEITAI_QUEUE = read("LEITAI_QUEUE")
LEITAI_SUPERVISION_AT = read("LEITAI_SUPERVISION_AT")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Served over HTTPS (LEITAI_HTTPS=true, TLS at the proxy, which sends X-Forwarded-Proto: uvicorn trusts it from
# 127.0.0.1, FORWARDED_ALLOW_IPS for another proxy address): cookies only over HTTPS, and HSTS.
LEITAI_HTTPS = read("LEITAI_HTTPS")
if LEITAI_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = read("LEITAI_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other services of the domain are not Leitai's to decide
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from this site's own files — no inline script, no
# on…= handler, no eval (htmx runs with allowEval false; pages declare behaviour with data attributes read by
# static/leitai/site.js). Inline styles stay allowed: the templates position a few things with style="" and
# static/leitai/charts.js places a chart's value tip with element.style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": read("LEITAI_LOG_LEVEL")},
}
# Judges' and feedback links carry their secret in the path: every log record (uvicorn's access log included)
# is redacted where it is made.
install_log_redaction()
