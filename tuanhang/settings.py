"""tuanhang settings: one file, read from the environment.

Nothing set gives the embedded default: SQLite under var/, a development
secret key generated into var/, Celery on kombu's filesystem transport.
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and DEBUG=off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.monitoring import init_sentry, parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env(
    DEBUG=(bool, True),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
)
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("TUANHANG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env("DEBUG")


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development: one random key per checkout, kept in var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


# Where the site is reached from outside: links in e-mails sent by background jobs, the seed's
# printed addresses and the QR codes on booth signs use it. In development it follows HOST and PORT,
# which `make run` passes to both the web server and the worker, so the links reach the running server.
def _development_site_url() -> str:
    host = env.str("HOST", default="127.0.0.1")
    if host in ("0.0.0.0", "::", ""):  # noqa: S104  (listening everywhere: this machine reaches it on loopback)
        host = "127.0.0.1"
    return f"http://{host}:{env.int('PORT', default=8000)}"


SITE_URL = env.str("SITE_URL", default=_development_site_url() if DEBUG else "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "tuanhang.office.third_party_apps.AxesConfig",  # django-axes, with a Vietnamese name
    "csp",
    "django_celery_beat",
    "events",
    "vendors",
    "booths",
    # The roof: the staff office and the public site (and the office's two apps with models).
    "tuanhang.office",
    "tuanhang.public",
    "tuanhang.office.reminders",
    "tuanhang.office.reports",
]

MIDDLEWARE = [
    # /healthz for load balancers: answered before the host check and the https redirect
    # (tuanhang/kernel/health.py).
    "tuanhang.kernel.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # NUL and other control characters in the path, query string or form fields: a 400 before any
    # view (admin included) can pass them to the database, which refuses NUL with a server error
    # (after the middleware that set security headers, so the refusal carries them too).
    "tuanhang.kernel.middleware.RefuseControlCharactersMiddleware",
    # Login throttling (django-axes) must come last: it reads the result of authentication.
    "axes.middleware.AxesMiddleware",
]

# The largest JSON body an endpoint reads (tuanhang.kernel.params.json_body): a booth choice is a
# few ids, so 64 KB is generous and keeps a hostile body from costing memory and time.
JSON_BODY_MAX_BYTES = 64 * 1024

ROOT_URLCONF = "tuanhang.urls"
WSGI_APPLICATION = "tuanhang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file under var/ unless DATABASE_URL is set (PostgreSQL in production and CI).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tuanhang.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # The test database is a file, not Django's in-memory default, so that a real Celery worker
    # started by the tests (another process) sees the same data. One file per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tuanhang",
            # A Redis that does not answer fails a page in seconds instead of hanging it (and /healthz).
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 3, "SOCKET_TIMEOUT": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "vendors:login"
LOGIN_REDIRECT_URL = "vendors:dashboard"
LOGOUT_REDIRECT_URL = "vendors:login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out accounts and addresses before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (tuanhang/kernel/lockout.py): AXES_FAILURE_LIMIT wrong passwords for one login
# from one address lock that pair, not the login everywhere; AXES_IP_FAILURE_LIMIT wrong passwords
# from one address, whatever the logins, lock the address (a whole industrial park may share it).
# A lockout lasts AXES_COOLOFF_MINUTES after the last failure; a success resets the pair's count.
AXES_HANDLER = "tuanhang.kernel.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: the address is REMOTE_ADDR).
AXES_TRUSTED_PROXY_COUNT = env.int("AXES_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "tuanhang.kernel.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "vendors/accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # reset and e-mail verification links last three days

# Language and formats: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tuanhang" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["tuanhang.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
if DEBUG:
    # whitenoise warns on every request while the static root is missing; collectstatic fills it in production.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads live outside the static root; later issues serve them through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, SMTP when EMAIL_URL is set (smtp://user:pass@host:587/?tls=True).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tuanhang <no-reply@tuanhang.local>")
# Server errors (5xx) and failed Celery tasks are mailed to ADMINS when DEBUG is off (LOGGING below):
# ADMINS="Ban tổ chức <it@hoicho.example.vn>, ops@example.vn". SERVER_EMAIL is their sender.
ADMINS = parse_admins(env.str("ADMINS", default=""))
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[tuanhang] ")

# Celery: Redis in production; kombu's filesystem transport under var/ by default so the
# worker and beat really run on one machine without Redis.
CELERY_FS_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    for sub in ("queue", "processed", "control"):
        (CELERY_FS_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"  # the host is ignored; naming it silences a warning
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        # Exchange tables (broadcast, remote control); kombu's default is ./control in the working directory.
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# No result backend: tasks report through the database they change and through logs.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_RESULT_EXPIRES = None  # nothing to expire, so beat schedules no celery.backend_cleanup
# The one place that defines periodic work. django_celery_beat's DatabaseScheduler copies these
# entries into its tables when beat starts, so organisers see (and can pause) them in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "advance fair statuses by dates": {
        "task": "events.advance_by_dates",
        "schedule": crontab(),  # every minute
    },
    "reminders sweep": {
        "task": "reminders.sweep",
        "schedule": crontab(),  # every minute: record what is due, queue what is pending
    },
    "zalo oa token refresh": {
        "task": "reminders.zalo_token_refresh",
        "schedule": crontab(minute="*/30"),  # refreshes only when the access token expires within the hour
    },
    "daily summary to organisers": {
        "task": "reports.send_daily_summaries",
        "schedule": crontab(hour=7, minute=0),  # 07:00 Asia/Ho_Chi_Minh, about the day before
    },
    "remove expired ID documents": {
        "task": "vendors.expire_personal_documents",
        "schedule": crontab(hour=3, minute=30),  # each organiser's retention months after its fairs close
    },
    "purge one-time codes": {
        "task": "vendors.otp_purge",
        "schedule": crontab(minute=7),  # hourly: expired codes and counter windows no limit reads any more
    },
}

# Reminders (reminders app). A pending delivery queued longer ago than REQUEUE_AFTER is queued
# again by the sweep (its task was lost with a worker); one more than LATE_LIMIT hours late is not
# sent at all. Retries back off up to MAX_RETRY_SECONDS, always below the visibility timeout.
REMINDERS_REQUEUE_AFTER_SECONDS = env.int("REMINDERS_REQUEUE_AFTER_SECONDS", default=600)
REMINDERS_LATE_LIMIT_HOURS = env.int("REMINDERS_LATE_LIMIT_HOURS", default=24)
# A reminder recorded sent whose mail server has not confirmed it after this long is flagged on the
# fair's dashboard (and resent by itself where its rule says so).
REMINDERS_UNCONFIRMED_GRACE_MINUTES = env.int("REMINDERS_UNCONFIRMED_GRACE_MINUTES", default=15)
REMINDERS_MAX_RETRY_SECONDS = 900
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Zalo ZNS: an optional reminder channel, off by default; "logging" only logs what it would send.
# Template ids per reminder kind: ZALO_ZNS_TEMPLATE_<KIND>, e.g. ZALO_ZNS_TEMPLATE_FAIR_OPENS=123456.
ZALO_ZNS_ENABLED = env.bool("ZALO_ZNS_ENABLED", default=False)
ZALO_ZNS_BACKEND = env.str("ZALO_ZNS_BACKEND", default="http")
ZALO_ZNS_ENDPOINT = env.str("ZALO_ZNS_ENDPOINT", default="https://business.openapi.zalo.me/message/template")
# The OA's token pair lives in the database (reminders.ZaloToken: admin "Zalo OA token"), refreshed
# by beat before it expires; these two only seed it the first time. The refresh needs the app's id
# and secret key.
ZALO_ZNS_ACCESS_TOKEN = env.str("ZALO_ZNS_ACCESS_TOKEN", default="")
ZALO_ZNS_REFRESH_TOKEN = env.str("ZALO_ZNS_REFRESH_TOKEN", default="")
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_APP_SECRET = env.str("ZALO_APP_SECRET", default="")
ZALO_OAUTH_TOKEN_URL = env.str("ZALO_OAUTH_TOKEN_URL", default="https://oauth.zaloapp.com/v4/oa/access_token")
ZALO_ZNS_TIMEOUT = env.int("ZALO_ZNS_TIMEOUT", default=10)
# Sign-up and log-in by phone with a one-time code (vendors.services.otp). OTP_BACKEND: "console"
# (the log and the e-mail backend: development), "sms" (a generic HTTP gateway), "zalo" (a ZNS OTP
# template through the reminders' OA token) or "off" (no phone log-in; the pages point to e-mail).
OTP_BACKEND = env.str("OTP_BACKEND", default="console" if DEBUG else "off")
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_PHONE_WAIT_SECONDS = env.int("OTP_PHONE_WAIT_SECONDS", default=60)
OTP_PHONE_PER_HOUR = env.int("OTP_PHONE_PER_HOUR", default=5)
OTP_ADDRESS_PER_HOUR = env.int("OTP_ADDRESS_PER_HOUR", default=100)
OTP_DAILY_CAP = env.int("OTP_DAILY_CAP", default=500)
OTP_SMS_URL = env.str("OTP_SMS_URL", default="")
OTP_SMS_API_KEY = env.str("OTP_SMS_API_KEY", default="")
OTP_SMS_TIMEOUT = env.int("OTP_SMS_TIMEOUT", default=10)
# The letters that start every payment code of this installation (2–4, A-Z first, e.g. "TH" +
# 6 characters): vendors/payment_codes.py, issue 20.
PAYMENT_CODE_PREFIX = env.str("PAYMENT_CODE_PREFIX", default="TH")
# Bank-feed webhooks (/hooks/bank/<provider>/, issue 20): provider=key pairs, e.g.
# "sepay=…,casso=…"; a provider without a key is off (404). Empty: all off.
BANK_WEBHOOK_KEYS = env.dict("BANK_WEBHOOK_KEYS", default={})
# Casso's older webhook (v1) sent the key itself in a "secure-token" header (replayable); accepted
# only when this is on. The current one (v2) is signed (X-Casso-Signature) and always accepted.
BANK_WEBHOOK_CASSO_LEGACY = env.bool("BANK_WEBHOOK_CASSO_LEGACY", default=False)

# How long the signed link to an application's VietQR image (sent by Zalo) works, in days.
PAYMENT_QR_LINK_DAYS = env.int("PAYMENT_QR_LINK_DAYS", default=60)
# A business applying again is offered the documents it sent within this many months (issue 18).
DOCUMENT_REUSE_MONTHS = env.int("DOCUMENT_REUSE_MONTHS", default=12)
OTP_ZALO_TEMPLATE_ID = env.str("OTP_ZALO_TEMPLATE_ID", default="")
ZALO_ZNS_TEMPLATES = {
    kind: env.str(f"ZALO_ZNS_TEMPLATE_{kind.upper()}", default="")
    for kind in (
        "registration_closing",
        "documents_missing",
        "application_decided",
        "booth_assigned",
        "setup_tomorrow",
        "fair_opens",
        "sales_figures",
    )
}

# Production hardening (DEBUG off).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), in every mode so that tests and browser tests see what
# production sends: scripts, styles and fonts only from this site, never inline (templates pass
# data to static/js through data-* attributes and json_script). Images may be data: URIs because
# Bootstrap draws its form icons that way. Nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "frame-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

# A refused request (4xx) logs one line, method, path, status and user id; a server error (5xx)
# keeps its traceback (tuanhang/kernel/request_logging.py). Errors (5xx from django.request, a
# task that raised from celery.app.trace) are also mailed to ADMINS when DEBUG is off; 4xx are
# warnings and never mailed. "django" is configured here so that only this handler mails (Django's
# default logging would attach a second one).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_client_errors": {"()": "tuanhang.kernel.request_logging.OneLineClientErrors"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"filters": ["one_line_client_errors"]},
        "celery.app.trace": {"handlers": ["mail_admins"], "level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Sentry or a compatible service (GlitchTip…), only when SENTRY_DSN is set: errors of requests and
# Celery tasks, without personal data (tuanhang/kernel/monitoring.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("APP_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
