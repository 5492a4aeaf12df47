"""Django settings, all from the environment so one build serves every deployment.

DATABASE_URL picks the database (default: the SQLite file under ZHENGGAI_DATA_DIR,
the one `make run` uses); ZHENGGAI_DATA_DIR also holds evidence files.

ZHENGGAI_ENV=production is a deployment behind an HTTPS proxy: it needs
ZHENGGAI_SECRET_KEY (the check zhenggai.E001 stops the start without one) and turns
on HTTPS, the proxy's headers and hashed static files. Unset, it is `make run`, the
demo and the tests on http://127.0.0.1. README.md ("Running in production") lists
every variable.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

# Files and folders the application makes (the SQLite file, evidence, exports, the
# data folder itself) are its own: no group or other bits. Set here because every
# process that writes them loads these settings first — the `zhenggai` command
# (cli.py), gunicorn's workers (wsgi.py), `python -m zhenggai` — and because these
# settings make the data folder (below).
os.umask(0o077)


def _flag(name: str, default: bool) -> bool:
    """A yes/no variable: 1, true, yes or on for yes, anything else for no; unset or
    empty, ``default``."""
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def _names(name: str, default: str) -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [n.strip() for n in os.environ.get(name, default).split(",") if n.strip()]


DATA_DIR = Path(os.environ.get("ZHENGGAI_DATA_DIR", Path.cwd() / "var")).resolve()

ZHENGGAI_ENVIRONMENTS = ("development", "production")
ZHENGGAI_ENV = os.environ.get("ZHENGGAI_ENV", "").strip().lower() or "development"
ZHENGGAI_PRODUCTION = ZHENGGAI_ENV == "production"

# Public (it is in the repository): good only where nobody else can reach the server.
ZHENGGAI_DEVELOPMENT_SECRET_KEY = "zhenggai-development-key-change-me"
SECRET_KEY = os.environ.get("ZHENGGAI_SECRET_KEY", "").strip() or ZHENGGAI_DEVELOPMENT_SECRET_KEY
DEBUG = os.environ.get("ZHENGGAI_DEBUG", "") == "1"
# The names the site answers to; the test settings add Django's "testserver".
ALLOWED_HOSTS = _names("ZHENGGAI_ALLOWED_HOSTS", "127.0.0.1,localhost")

# HTTPS. Behind the proxy (ZHENGGAI_PROXY) the request reaches gunicorn as plain HTTP
# from 127.0.0.1: the proxy says it came over HTTPS (X-Forwarded-Proto), for which host
# (X-Forwarded-Host) and from where (X-Forwarded-For), and must set all three itself.
ZHENGGAI_HTTPS = _flag("ZHENGGAI_HTTPS", ZHENGGAI_PRODUCTION)
ZHENGGAI_PROXY = _flag("ZHENGGAI_PROXY", ZHENGGAI_PRODUCTION)
if ZHENGGAI_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = ZHENGGAI_HTTPS
# A year by default, this host and the names under it: once a browser has seen it, it
# never uses plain HTTP here again. ZHENGGAI_HSTS_SECONDS=0 sends none.
SECURE_HSTS_SECONDS = (
    int(os.environ.get("ZHENGGAI_HSTS_SECONDS", "31536000")) if ZHENGGAI_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# A sign-in's Origin must be the site itself (scheme and host, as the proxy forwards
# them) or one of these; by default the address of ZHENGGAI_SITE_URL.
ZHENGGAI_SITE_URL = os.environ.get("ZHENGGAI_SITE_URL", "")
_site = urlsplit(ZHENGGAI_SITE_URL)
CSRF_TRUSTED_ORIGINS = _names(
    "ZHENGGAI_CSRF_TRUSTED_ORIGINS", f"{_site.scheme}://{_site.netloc}" if _site.netloc else ""
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
    "zhenggai.taxonomy",
    "zhenggai.campaigns",
    "zhenggai.assessment",
    "zhenggai.audit",
    "zhenggai.inbox",
    "zhenggai.jobs",
    # The queue the jobs wait in, in the database itself (zhenggai/jobs/runner.py).
    "django_q",
    "zhenggai.documents",
    "zhenggai.publications",
    "zhenggai.escalation",
    "zhenggai.web",
    "zhenggai.demo",
    "zhenggai.backups",
    "axes",
    "csp",
    # The project's own system checks and password rule (security.py).
    "zhenggai.security.SecurityConfig",
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
    # A full disk or a database out of reach: a page in the person's language.
    "zhenggai.web.faults.FaultMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
if ZHENGGAI_PRODUCTION:
    # Names with a hash of the content, cached for ever by browsers, compressed ahead;
    # scripts/run.sh runs collectstatic into STATIC_ROOT before it serves.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    WHITENOISE_USE_FINDERS = True  # no collectstatic step to forget
# The data folder holds the SQLite file; made here so a fresh checkout just runs.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "evidence"
# The audit chain's key and its anchor, kept outside the database (audit/keys.py,
# audit/anchor.py). The key is made on first use and never goes into a backup: keep
# a copy of it apart, a restore needs it. The anchor does go into a backup.
AUDIT_KEY_FILE = Path(os.environ.get("ZHENGGAI_AUDIT_KEY_FILE", "") or DATA_DIR / "audit.key")
AUDIT_ANCHOR_FILE = DATA_DIR / "audit.anchor"
# What Django's storages write (collected static files among them) is private too:
# their default, 0o644, would override the umask above.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Evidence files larger than this are refused before they reach the disk.
EVIDENCE_MAX_BYTES = int(os.environ.get("ZHENGGAI_EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy on every response (django-csp): the pages load only their
# own files — no inline script, style or handler, no other host. blob: is the preview
# of an evidence file chosen for upload (web/static/web/site.js); data: the icons
# inside the API docs' stylesheet. A response that sets its own policy (an evidence
# file opened in the browser: "sandbox") keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "blob:", "data:"],
        "frame-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhenggai.security.MinimumLength", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): five wrong passwords for one user name from one
# address lock that pair out for 15 minutes (a wrong one meanwhile starts them again);
# other users and addresses sign in as usual. Every failure is kept
# (axes.AccessFailureLog) and logged as a warning.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
if ZHENGGAI_PROXY:
    AXES_CLIENT_IP_CALLABLE = "zhenggai.security.client_behind_proxy"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Mail, for the reminder job (`zhenggai remind`). Without ZHENGGAI_SMTP_HOST no mail
# is attempted and reminders stay in the in-app inbox. ZHENGGAI_SMTP_TLS: "starttls"
# (or "1") upgrades the connection, "ssl" connects over TLS (port 465).
# ZHENGGAI_SITE_URL (above; e.g. https://zhenggai.example.gov.cn) makes the links in a
# mail absolute.
EMAIL_HOST = os.environ.get("ZHENGGAI_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("ZHENGGAI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ZHENGGAI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ZHENGGAI_SMTP_PASSWORD", "")
_SMTP_TLS = os.environ.get("ZHENGGAI_SMTP_TLS", "").lower()
EMAIL_USE_TLS = _SMTP_TLS in ("1", "true", "starttls")
EMAIL_USE_SSL = _SMTP_TLS == "ssl"
EMAIL_TIMEOUT = 20  # seconds: a dead server must not hold the job
DEFAULT_FROM_EMAIL = os.environ.get("ZHENGGAI_MAIL_FROM", "zhenggai@localhost")

# Background jobs (zhenggai/jobs): a queue kept in the database itself (django-q2's
# ORM broker: no other service to run), worked by `zhenggai worker`, which
# scripts/run.sh starts beside gunicorn. One worker per database; it runs
# ZHENGGAI_JOB_WORKERS jobs at once and stops a run past ZHENGGAI_JOB_TIMEOUT seconds.
JOBS_WORKERS = max(int(os.environ.get("ZHENGGAI_JOB_WORKERS", "2")), 1)
JOBS_TIMEOUT = max(int(os.environ.get("ZHENGGAI_JOB_TIMEOUT", "600")), 1)
JOBS_ATTEMPTS = 3  # runs of one job, its worker dying in each, before it fails
# What each kind of job runs: a zhenggai.jobs.kinds.Kind, by dotted path.
JOBS_KINDS = {
    "feedback_import": "zhenggai.web.plans.IMPORT",
    "ledger_export": "zhenggai.web.ledger_export.EXPORT",
}
Q_CLUSTER = {
    "name": "zhenggai",
    "orm": "default",
    "workers": JOBS_WORKERS,
    "queue_limit": JOBS_WORKERS,
    "timeout": JOBS_TIMEOUT,
    # A task not acknowledged this long after a worker took it is handed out again:
    # by then its run is over (it waits at most two runs' time, and runs at most one).
    "retry": 3 * JOBS_TIMEOUT + 60,
    "max_attempts": JOBS_ATTEMPTS,
    "poll": 1,
    # An import reads the upload in a child process of its own (core/bounded.py).
    "daemonize_workers": False,
    # Reminders are `zhenggai remind`, run by a timer (README.md).
    "scheduler": False,
}
