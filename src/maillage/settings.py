"""Maillage's one settings module, configured by environment variables read once here.

Two modes (``MAILLAGE_MODE``):
- ``production`` (the default): refuses to start without SECRET_KEY, ALLOWED_HOSTS and a
  PostgreSQL DATABASE_URL; secure cookies, HSTS and HTTPS redirect.
- ``embedded``: what ``make run`` and ``make test`` use on a laptop — SQLite in ``var/``,
  tasks run in-process, e-mails printed on the console, the site bound to localhost.

A ``.env`` file at the root of a checkout is read first (``make`` writes one in embedded mode).
"""

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
_env_file = Path(env.str("MAILLAGE_ENV_FILE", default=str(CHECKOUT_DIR / ".env")))
if _env_file.is_file():
    env.read_env(_env_file)

MODE = env.str("MAILLAGE_MODE", default="production")
if MODE not in {"production", "embedded"}:
    raise ImproperlyConfigured("MAILLAGE_MODE must be 'production' or 'embedded'.")
EMBEDDED = MODE == "embedded"
PRODUCTION = not EMBEDDED


def _required(name: str) -> str:
    value = env.str(name, default="")
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} must be set in production (MAILLAGE_MODE=production).")
    return value


# --- Identity of the network ------------------------------------------------------------------
MAILLAGE_NETWORK_NAME = env.str("MAILLAGE_NETWORK_NAME", default="Maillage")
MAILLAGE_REGION = env.str("MAILLAGE_REGION", default="76")  # INSEE code; 76 = Occitanie
MAILLAGE_LOGO = env.str("MAILLAGE_LOGO", default="maillage/img/logo.svg")  # a static path
MAILLAGE_CONTACT_EMAIL = env.str("MAILLAGE_CONTACT_EMAIL", default="contact@example.org")
# A tile server under the directory's map, e.g. "https://tile.example.org/{z}/{x}/{y}.png";
# empty: no tiles, only the outlines of the départements (nothing is fetched from elsewhere).
MAILLAGE_MAP_TILES_URL = env.str("MAILLAGE_MAP_TILES_URL", default="")
# Imports of organisations never committed are deleted after this many days (their rows hold
# people's contact details): ``maillage purge_imports``, its Celery task, and each new upload.
MAILLAGE_IMPORT_RETENTION_DAYS = env.int("MAILLAGE_IMPORT_RETENTION_DAYS", default=7)

# Membership, as the statutes say (see docs/decisions/0005-membership.md):
# - the Bureau ratifies the applications the staff approve (True) or the staff's approval suffices;
MAILLAGE_MEMBERSHIP_RATIFICATION = env.bool("MAILLAGE_MEMBERSHIP_RATIFICATION", default=False)
# - dues unpaid this many days after the year's call (or after 1 January) are late;
MAILLAGE_MEMBERSHIP_GRACE_DAYS = env.int("MAILLAGE_MEMBERSHIP_GRACE_DAYS", default=90)
# - reminders of unpaid dues, days after the call;
MAILLAGE_MEMBERSHIP_REMINDER_DAYS = [
    int(d) for d in env.list("MAILLAGE_MEMBERSHIP_REMINDER_DAYS", default=["30", "60"])
]
# - a member votes at a meeting if up to date this many days before it (0: on the day).
MAILLAGE_VOTING_CUTOFF_DAYS = env.int("MAILLAGE_VOTING_CUTOFF_DAYS", default=0)
# - and may vote within the grace period of the year's dues (False: only when paid).
MAILLAGE_VOTING_DURING_GRACE = env.bool("MAILLAGE_VOTING_DURING_GRACE", default=False)
# - the postal address printed on calls for payment and receipts.
MAILLAGE_POSTAL_ADDRESS = env.str("MAILLAGE_POSTAL_ADDRESS", default="")

# Governance, as the statutes say (see docs/decisions/0006-governance-votes.md):
MAILLAGE_GRAND_CONSEIL_SEATS_PER_COLLEGE = env.int("MAILLAGE_GRAND_CONSEIL_SEATS_PER_COLLEGE", default=30)
MAILLAGE_TERM_YEARS = env.int("MAILLAGE_TERM_YEARS", default=3)
MAILLAGE_CONVOCATION_NOTICE_DAYS = env.int("MAILLAGE_CONVOCATION_NOTICE_DAYS", default=15)
MAILLAGE_PROXY_CAP = env.int("MAILLAGE_PROXY_CAP", default=2)  # proxies one member may hold
MAILLAGE_PROXY_SAME_COLLEGE = env.bool("MAILLAGE_PROXY_SAME_COLLEGE", default=False)
# Quorum: the fraction of the members with a voting right, present or represented.
MAILLAGE_QUORUM_ORDINARY = env.str("MAILLAGE_QUORUM_ORDINARY", default="1/4")
MAILLAGE_QUORUM_EXTRAORDINARY = env.str("MAILLAGE_QUORUM_EXTRAORDINARY", default="1/2")
MAILLAGE_QUORUM_SECOND_CONVOCATION = env.str("MAILLAGE_QUORUM_SECOND_CONVOCATION", default="0")

# Commissions: the author of a message may correct it for this many minutes.
MAILLAGE_POST_EDIT_MINUTES = env.int("MAILLAGE_POST_EDIT_MINUTES", default=15)

# Observatory: the IATI organisation identifier of an organisation that has none is this prefix,
# a hyphen and its SIREN (or its address in the directory); the survey's reminders leave this
# many days after the invitation (one reminder per offset).
MAILLAGE_IATI_IDENTIFIER_PREFIX = env.str("MAILLAGE_IATI_IDENTIFIER_PREFIX", default="XI-MAILLAGE")
MAILLAGE_SURVEY_REMINDER_DAYS = [
    int(days) for days in env.list("MAILLAGE_SURVEY_REMINDER_DAYS", default=["14", "28"])
]

# Staff pages require TOTP two-factor authentication; only the embedded demo may relax it.
MAILLAGE_STAFF_MFA = env.str("MAILLAGE_STAFF_MFA", default="required")
if MAILLAGE_STAFF_MFA not in {"required", "relaxed"}:
    raise ImproperlyConfigured("MAILLAGE_STAFF_MFA must be 'required' or 'relaxed'.")
if MAILLAGE_STAFF_MFA == "relaxed" and PRODUCTION:
    raise ImproperlyConfigured("MAILLAGE_STAFF_MFA=relaxed is only allowed in embedded mode.")

# --- Core -------------------------------------------------------------------------------------
DATA_DIR = Path(env.str("MAILLAGE_DATA_DIR", default=str(CHECKOUT_DIR / "var")))
if EMBEDDED:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database and uploads live here
SECRET_KEY = _required("SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
if EMBEDDED and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address of the site, for links in e-mails sent by background tasks (no request there).
MAILLAGE_SITE_URL = env.str(
    "MAILLAGE_SITE_URL", default="http://127.0.0.1:8000" if EMBEDDED else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")

INSTALLED_APPS = [
    # Our apps first: their templates override those of allauth, the admin and django.forms.
    "maillage.core",
    "maillage.accounts",
    "maillage.directory",
    "maillage.membership",
    "maillage.governance",
    "maillage.commissions",
    "maillage.engagement",
    "maillage.observatory",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_countries",
    "django_filters",
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
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "maillage.accounts.middleware.StaffMfaMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"
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
                "maillage.core.context_processors.network",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # our templates override django/forms/
CSRF_FAILURE_VIEW = "maillage.core.views.csrf_failure"

# --- Database ---------------------------------------------------------------------------------
_database_url = _required("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'maillage.sqlite3'}"
DATABASES = {"default": env.db_url_config(_database_url)}
_engine = DATABASES["default"]["ENGINE"]
if PRODUCTION and "postgresql" not in _engine:
    raise ImproperlyConfigured("Production needs a PostgreSQL DATABASE_URL (postgres://…).")
if "sqlite" in _engine:
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work ----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL  # no broker: tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by `celery -A maillage beat` (or a worker started with -B) in production.
# Each task is idempotent: running it twice, or late, sends nothing twice.
CELERY_BEAT_SCHEDULE = {
    "membership-reminders": {"task": "maillage.membership.tasks.reminders_send", "schedule": 24 * 3600},
    "directory-imports-purge": {"task": "maillage.directory.tasks.imports_purge", "schedule": 24 * 3600},
    "commissions-digests-daily": {
        "task": "maillage.commissions.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "commissions-digests-weekly": {
        "task": "maillage.commissions.tasks.digests_send",
        "schedule": crontab(hour=7, minute=0, day_of_week="monday"),
        "args": ("weekly",),
    },
    "engagement-offers-expire": {"task": "maillage.engagement.tasks.offers_expire", "schedule": 3600},
    "engagement-feedback-requests": {
        "task": "maillage.engagement.tasks.feedback_requests_send",
        "schedule": crontab(hour=18, minute=0),
    },
    "observatory-survey-reminders": {
        "task": "maillage.observatory.tasks.survey_reminders_send",
        "schedule": crontab(hour=9, minute=0),
    },
    "observatory-imports-purge": {"task": "maillage.observatory.tasks.imports_purge", "schedule": 24 * 3600},
}

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if EMBEDDED else "smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{MAILLAGE_NETWORK_NAME} <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "maillage.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{MAILLAGE_NETWORK_NAME}] "
ACCOUNT_SESSION_REMEMBER = None
# Failed logins: 10 a minute per address, then 5 per 5 minutes per account; beyond, locked out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = MAILLAGE_NETWORK_NAME
# Accept the code of the previous or next 30-second period too (RFC 6238 §5.2): a code typed
# as the period turns is not refused.
MFA_TOTP_TOLERANCE = 1

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "maillage_language"

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None  # embedded mode serves from the apps
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Files served only through permission checks (receipts, minutes): never under MEDIA_ROOT.
MAILLAGE_PRIVATE_ROOT = Path(env.str("MAILLAGE_PRIVATE_ROOT", default=str(DATA_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = EMBEDDED  # embedded mode serves from the apps, no collectstatic
WHITENOISE_AUTOREFRESH = EMBEDDED  # and sees a static file edited while the server runs

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},  # its progress messages are INFO
        "fontTools": {"level": "WARNING"},
    },
}
