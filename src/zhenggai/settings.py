"""Django settings, all from the environment so one build serves every deployment.

DATABASE_URL picks the database (default: the SQLite file under ZHENGGAI_DATA_DIR,
the one `make run` uses); ZHENGGAI_DATA_DIR also holds evidence files.
"""

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("ZHENGGAI_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("ZHENGGAI_SECRET_KEY", "zhenggai-development-key-change-me")
DEBUG = os.environ.get("ZHENGGAI_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ZHENGGAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "zhenggai.orgs",
    "zhenggai.inspections",
    "zhenggai.ledger",
    "zhenggai.accountability",
    "zhenggai.audit",
    "zhenggai.inbox",
    "zhenggai.jobs",
    "zhenggai.documents",
    "zhenggai.publications",
    "zhenggai.web",
    "zhenggai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every asset is served by the application itself: deployments are offline.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "zhenggai.urls"
WSGI_APPLICATION = "zhenggai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "zhenggai.web.context.frame",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'zhenggai.sqlite3'}"),
        # Kept open between requests: opening one costs a worker more than a short
        # query (SQLite's too: Django registers its functions on every connect).
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer holds the lock; the busy timeout
    # makes a second writer wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Chinese is written in the templates and the code; the catalogue translates it to English.
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True  # no collectstatic step to forget
# The data folder holds the SQLite file; made here so a fresh checkout just runs.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "evidence"

# Evidence files larger than this are refused before they reach the disk.
EVIDENCE_MAX_BYTES = int(os.environ.get("ZHENGGAI_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Mail, for the reminder job (`zhenggai remind`). Without ZHENGGAI_SMTP_HOST no mail
# is attempted and reminders stay in the in-app inbox. ZHENGGAI_SMTP_TLS: "starttls"
# (or "1") upgrades the connection, "ssl" connects over TLS (port 465).
# ZHENGGAI_SITE_URL (e.g. https://zhenggai.example.gov.cn) makes the links in a mail
# absolute.
EMAIL_HOST = os.environ.get("ZHENGGAI_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("ZHENGGAI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ZHENGGAI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZHENGGAI_SMTP_PASSWORD", "")
_SMTP_TLS = os.environ.get("ZHENGGAI_SMTP_TLS", "").lower()
EMAIL_USE_TLS = _SMTP_TLS in ("1", "true", "starttls")
EMAIL_USE_SSL = _SMTP_TLS == "ssl"
EMAIL_TIMEOUT = 20  # seconds: a dead server must not hold the job
DEFAULT_FROM_EMAIL = os.environ.get("ZHENGGAI_MAIL_FROM", "zhenggai@localhost")
ZHENGGAI_SITE_URL = os.environ.get("ZHENGGAI_SITE_URL", "")
