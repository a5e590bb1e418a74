"""Settings shared by every environment; everything variable comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("PROPDESK_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("PROPDESK_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-propdesk-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    # Serves Swagger UI from local static files instead of a CDN (api docs page).
    "ninja",
    "django_tasks_db",
    "propdesk.core",
    "propdesk.org",
    "propdesk.archive",
    "propdesk.notify",
    "propdesk.knowledge",
    "propdesk.service",
    "propdesk.engage",
    "propdesk.billing",
    "propdesk.affairs",
    "propdesk.surveys",
    "propdesk.quality",
    "propdesk.console",
    "propdesk.portal",
    "propdesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "propdesk.core.middleware.ChineseFirstLocaleMiddleware",
    # Over-large bodies answer 413 (JSON for the API, a page otherwise) before a view or CSRF reads them.
    "propdesk.core.limits.RequestTooLargeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A lost or locked database answers 503 with Retry-After instead of 500.
    "propdesk.core.outage.DatabaseUnavailableMiddleware",
    # Knows the request being served (for the security audit log) and records refusals (403).
    "propdesk.org.audit.AuditMiddleware",
]

ROOT_URLCONF = "propdesk.urls"
WSGI_APPLICATION = "propdesk.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]


def database_from_env(default_sqlite_path: Path) -> dict:
    """SQLite by default (WAL, immediate transactions); DATABASE_URL switches to PostgreSQL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        # No JIT compilation: it pays off for long analytical queries, not for pages; the arrears page's
        # aggregate over 200,000 open lines spent 140 ms compiling before it ran.
        db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        return db
    return {
        # Django's SQLite backend whose write transactions take turns through a gate instead of
        # SQLite's sleeping busy handler (core/sqlite/base.py).
        "ENGINE": "propdesk.core.sqlite",
        "NAME": os.environ.get("SQLITE_PATH", str(default_sqlite_path)),
        # Kept between requests, as on PostgreSQL: opening one costs ≈ 2.5-3 ms of CPU (SQLite reads the
        # whole schema again on a new connection's first statement, Django registers its functions and
        # runs the PRAGMAs below), more than a work-order intake's own queries. Restores run with the
        # processes stopped (deployment.md), so no process keeps a connection to a replaced file.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            # A 64 MB page cache per connection (SQLite's default is 2 MB): the hot indexes of a few
            # million rows of bills stay in memory instead of being read again from the file on each query.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                " PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": database_from_env(VAR_DIR / "propdesk.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "console:login"

CACHES = {
    # Shared by every web worker: rate limits must count across processes.
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "propdesk_cache"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# The demo shows the portal's SMS sign-in code on the page (there is no phone to receive it).
PORTAL_DEMO_SHOW_CODE = False

# How often the scheduler enqueues the periodic jobs (the SLA sweep, notification retries), seconds.
SCHEDULER_INTERVAL = int(os.environ.get("SCHEDULER_INTERVAL", "30"))
# The periodic jobs the scheduler enqueues, by dotted path: listed here rather than imported by the
# scheduler, so a domain app above the service layer (engage) adds its job without service importing it.
# A path runs every SCHEDULER_INTERVAL seconds, (path, seconds) at its own pace (the daily jobs, idempotent,
# hourly so that a stopped worker or a restart catches up within the hour).
HOURLY = 3600
PERIODIC_JOBS = [
    "propdesk.service.tasks.sla_sweep",
    "propdesk.notify.tasks.retry_failed_notifications",
    "propdesk.engage.tasks.notices_due",
    ("propdesk.engage.tasks.plan_callbacks_daily", HOURLY),
    ("propdesk.engage.tasks.points_due", 300),
    ("propdesk.engage.tasks.care_daily", HOURLY),
    ("propdesk.quality.tasks.send_monthly_reports", HOURLY),
    ("propdesk.affairs.tasks.post_unclaimed_found_items", HOURLY),
    ("propdesk.affairs.tasks.parking_daily", HOURLY),
    ("propdesk.billing.tasks.billing_daily", HOURLY),
]

# The demo data of the domains above the service desk (`manage.py load_demo` runs them in this order after the
# archive, the work orders, the FAQ and the surveys): each a function `load(now) -> str`, a one-line summary.
# A notice's fan-out stores this many households per transaction (issue 15; bench/notice_fanout.py).
ENGAGE_NOTICE_CHUNK = int(os.environ.get("ENGAGE_NOTICE_CHUNK", "5000"))

DEMO_LOADERS: list[str] = [
    "propdesk.affairs.demo.load_affairs_demo",
    "propdesk.billing.demo.load_billing_demo",
    "propdesk.engage.demo.load_engage_demo",
]

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest multipart request (files included) accepted at all: six 10 MB photos and the form (core.limits).
PROPDESK_MAX_UPLOAD_REQUEST = 64 * 1024 * 1024

# Login throttling: attempts per window, per account and per client address.
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = int(os.environ.get("LOGIN_RATE_WINDOW", "300"))

# Fees (billing, issue 14): which staff roles take payments at the desk (cashiers), keep fee items,
# standards, readings, bill runs and statements (clerks), approve corrections, refunds, deposits'
# release and statements (approvers), and may read the project's fees and arrears (readers).
BILLING_CASHIER_ROLES = ("front_desk", "project_manager", "company_admin")
BILLING_CLERK_ROLES = ("front_desk", "project_manager", "company_admin")
BILLING_APPROVER_ROLES = ("project_manager", "company_admin")
BILLING_READER_ROLES = ("front_desk", "butler", "project_manager", "company_admin")
# The online payment providers (billing.providers): the local one simulates a WeChat Pay / Alipay style
# redirect and signed notification; its signing key comes from the environment in production.
BILLING_PAYMENT_PROVIDERS = {"local": "propdesk.billing.providers.LocalProvider"}
BILLING_LOCAL_PROVIDER_KEY = os.environ.get("BILLING_LOCAL_PROVIDER_KEY", "")
# Owners' tax invoice requests are handed to this backend (billing.invoices): the default records them.
BILLING_INVOICE_BACKEND = "propdesk.billing.invoices.RecordingInvoiceBackend"

# Roles allowed to reveal a full ID document number (area 1, sensitive data).
ID_REVEAL_ROLES = ("company_admin", "project_manager", "front_desk")

# Secret from which the keys that encrypt and index ID document numbers are derived (core.crypto).
# Empty here: dev and test settings set a fixed non-secret key, production requires the variable.
PROPDESK_DATA_KEY = os.environ.get("PROPDESK_DATA_KEY", "")

# A customer record unconfirmed for longer than this is listed for the quarterly review.
ARCHIVE_REVIEW_DAYS = 90

# -- email: real SMTP when EMAIL_HOST is set, else printed to the console (development) ----------
# Django 6.1 configures mail through MAILERS (the EMAIL_* settings are deprecated); the environment
# variables keep their familiar names. `check --deploy` refuses the console backend in production.
_email_host = os.environ.get("EMAIL_HOST", "")
_smtp_options = {
    "host": _email_host,
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": os.environ.get("EMAIL_USE_TLS", "0") == "1",
    "use_ssl": os.environ.get("EMAIL_USE_SSL", "0") == "1",
    "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
}
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options}
    if _email_host
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "propdesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# -- notifications (propdesk.notify) -----------------------------------------------------------
# Staff always get in-app notifications; also by email when this is on and they have an address.
NOTIFY_STAFF_EMAIL = os.environ.get("NOTIFY_STAFF_EMAIL", "0") == "1"
# Channels used to tell customers (owners, tenants), each when the contact has an address for it.
NOTIFY_CUSTOMER_CHANNELS = tuple(
    c for c in os.environ.get("NOTIFY_CUSTOMER_CHANNELS", "sms,email").split(",") if c.strip()
)
# The SMS provider. The default writes to the `propdesk.sms` log; HttpSmsBackend posts to a gateway.
NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "propdesk.notify.backends.LogSmsBackend")
NOTIFY_SMS_HTTP_URL = os.environ.get("NOTIFY_SMS_HTTP_URL", "")
NOTIFY_SMS_HTTP_ACCOUNT = os.environ.get("NOTIFY_SMS_HTTP_ACCOUNT", "")
NOTIFY_SMS_HTTP_SECRET = os.environ.get("NOTIFY_SMS_HTTP_SECRET", "")
NOTIFY_SMS_HTTP_TIMEOUT = int(os.environ.get("NOTIFY_SMS_HTTP_TIMEOUT", "10"))
# One SMS segment holds 70 Chinese characters; a longer text is sent as at most this many SMS.
NOTIFY_SMS_SEGMENT_CHARS = 70
NOTIFY_SMS_MAX_PARTS = int(os.environ.get("NOTIFY_SMS_MAX_PARTS", "3"))
# Deliveries are retried by the periodic sweep while attempts stay below this.
NOTIFY_MAX_ATTEMPTS = 5
# A delivery pending or in flight for longer than this lost its queue entry or its worker.
NOTIFY_STALE_SECONDS = int(os.environ.get("NOTIFY_STALE_SECONDS", "600"))
# A message carrying a secret (a sign-in code, a survey link) still undelivered after this is given up
# and its sealed secret wiped (notify.services).
NOTIFY_SECRET_TTL_SECONDS = int(os.environ.get("NOTIFY_SECRET_TTL_SECONDS", str(24 * 3600)))
# Prefixed to a notification's link in emails, e.g. https://desk.example.com (blank: no link).
NOTIFY_SITE_URL = os.environ.get("NOTIFY_SITE_URL", "")
# WeChat template messages (notify.wechat): the log backend by default; HttpWechatBackend calls the API.
NOTIFY_WECHAT_BACKEND = os.environ.get("NOTIFY_WECHAT_BACKEND", "propdesk.notify.wechat.LogWechatBackend")
NOTIFY_WECHAT_API = os.environ.get("NOTIFY_WECHAT_API", "https://api.weixin.qq.com")
NOTIFY_WECHAT_APPID = os.environ.get("NOTIFY_WECHAT_APPID", "")
NOTIFY_WECHAT_SECRET = os.environ.get("NOTIFY_WECHAT_SECRET", "")
NOTIFY_WECHAT_TEMPLATE_ID = os.environ.get("NOTIFY_WECHAT_TEMPLATE_ID", "")
# The template's two "thing" fields that carry the title and the text.
NOTIFY_WECHAT_FIELDS = {"title": os.environ.get("NOTIFY_WECHAT_TITLE_FIELD", "thing1"),
                        "text": os.environ.get("NOTIFY_WECHAT_TEXT_FIELD", "thing2")}
NOTIFY_WECHAT_TIMEOUT = int(os.environ.get("NOTIFY_WECHAT_TIMEOUT", "10"))

# -- web hardening (docs/security.md) ------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every environment runs with the policy, so the browser tests exercise it. Scripts only from our own
# static files (or carrying the request's nonce): no inline script, no inline event handler, no eval.
# Style attributes stay allowed (templates use a few); <style> elements need the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # db_worker prints task progress with a handler of its own: don't print every line twice.
        "django.tasks": {"propagate": False},
        # WeasyPrint (the monthly report PDF) logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
