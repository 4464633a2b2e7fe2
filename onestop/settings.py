"""onestop settings: every value comes from the environment (see README, "Cấu hình / Settings")."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A usable default only while developing; production must provide its own secret.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-onestop-development-only-key-change-me"
    if DEBUG
    else environ.Env.NOTSET,
)
# Keys that still verify signatures (sessions, password reset links) after SECRET_KEY rotates.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "wards",
    "onestop",
    "intake",
    "postal",
    "hall",
    "notify",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Pages answer GET and POST only (PUT, PATCH, DELETE: 405); the API decides per endpoint.
    "onestop.middleware.PageMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on every answer to a signed-in user, the API and the status page.
    "onestop.middleware.NoStoreMiddleware",
    # A NUL character in the path or the query string: 400 before any view or query.
    "onestop.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "onestop.middleware.NotFoundMiddleware",
    # A one-time password (new account, reset by the chief) must be changed before any work.
    "postal.middleware.PasswordChangeRequiredMiddleware",
    # Last, as django-axes requires, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onestop.urls"
WSGI_APPLICATION = "onestop.wsgi.application"
ASGI_APPLICATION = "onestop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onestop.context_processors.navigation",
            ],
        },
    },
]

# No DATABASE_URL: the embedded SQLite file. DATABASE_URL=postgres://…: PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and immediate write transactions let several counters save at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "onestop.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the user with the ward and city every page's header shows.
    "onestop.auth.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+address pair after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "onestop.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["onestop.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Largest scanned component a counter may upload (PDF, JPEG, PNG), in megabytes.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://onestop"),
}

# Work off the request (Django's task framework, `django.tasks`). "database" (the default) keeps
# the queue in the project's own database and runs it with `manage.py db_worker`; "rq" keeps it
# in Redis (REDIS_URL, else a redis:// CACHE_URL, else the local server) for `manage.py rqworker`.
# The project's code only speaks `django.tasks`; README, "Background work", says how to run either.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
_cache_url = env.str("CACHE_URL", default="")
REDIS_URL = env.str(
    "REDIS_URL",
    default=_cache_url if _cache_url.startswith("redis") else "redis://127.0.0.1:6379/0",
)
TASK_QUEUES = ["default"]
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in TASK_QUEUES}
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}")
# A task that raises TemporaryFailure runs again after TASK_RETRY_SECONDS, then twice as long
# each time (at most TASK_RETRY_MAX_SECONDS), until it has had TASK_ATTEMPTS attempts.
TASK_ATTEMPTS = env.int("TASK_ATTEMPTS", default=5)
TASK_RETRY_SECONDS = env.int("TASK_RETRY_SECONDS", default=30)
TASK_RETRY_MAX_SECONDS = env.int("TASK_RETRY_MAX_SECONDS", default=3600)
# A task seen running for longer than this is taken as lost (its worker died) and may run again.
TASK_LEASE_MINUTES = env.int("TASK_LEASE_MINUTES", default=60)

# Citizens' notifications (notify/channels.py). The citizen's choice at intake ("sms", "email")
# picks a channel by its dotted path; NOTIFY_CITY_CHANNELS overrides it per city code, e.g.
# {"718": {"sms": "notify.channels.SmsGatewayChannel"}}. Development writes to the log (and to
# NOTIFY_FILE when set).
NOTIFY_CHANNELS = {
    "sms": env.str("NOTIFY_SMS_CHANNEL", default="notify.channels.SmsConsoleChannel"),
    "email": env.str("NOTIFY_EMAIL_CHANNEL", default="notify.channels.ConsoleChannel"),
}
NOTIFY_CITY_CHANNELS: dict[str, dict[str, str]] = env.json("NOTIFY_CITY_CHANNELS", default={})
NOTIFY_FILE = env.str("NOTIFY_FILE", default="")
NOTIFY_SMS_URL = env.str("NOTIFY_SMS_URL", default="")
NOTIFY_SMS_TOKEN = env.str("NOTIFY_SMS_TOKEN", default="")
NOTIFY_SMS_TIMEOUT = env.float("NOTIFY_SMS_TIMEOUT", default=10.0)
# The template ids registered with the SMS provider, per kind of message.
NOTIFY_SMS_TEMPLATES: dict[str, str] = env.json(
    "NOTIFY_SMS_TEMPLATES",
    default={
        "result_ready": "result_ready",
        "supplement": "supplement",
        "new_date": "new_date",
        "delivery_failed": "delivery_failed",
    },
)
# E-mail (Django's MAILERS): SMTP with the EMAIL_* variables, or any backend by EMAIL_BACKEND.
EMAIL_BACKEND_PATH = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": env.str("EMAIL_HOST", default="localhost"),
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
                "timeout": env.int("EMAIL_TIMEOUT", default=20),
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="onestop@localhost")
# Files made in the background (a long logbook in Excel) are kept this long for their requester.
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
# A logbook with more dossiers than this is made in the background rather than in the request.
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)

# The citizens' status page (/tra-cuu/): lookups allowed per client address and minute (0: no
# limit), how long the receipt's QR link stays valid, and the public address the QR carries
# (empty: the address the counter's request came to).
LOOKUP_RATE_LIMIT = env.int("LOOKUP_RATE_LIMIT", default=10)
LOOKUP_LINK_MAX_AGE_DAYS = env.int("LOOKUP_LINK_MAX_AGE_DAYS", default=730)
# Wrong PINs for one dossier code per day before its lookup pauses until tomorrow (0: no limit).
LOOKUP_PIN_FAILURES_PER_DAY = env.int("LOOKUP_PIN_FAILURES_PER_DAY", default=10)
# The key of lookup PINs and the receipts' QR links, apart from SECRET_KEY so that rotating one
# does not void the receipts in citizens' hands; fallbacks still verify until they are dropped
# (docs/security.md). Unset, it is SECRET_KEY with its fallbacks, as before it existed.
LOOKUP_KEY = env.str("LOOKUP_KEY", default="")
LOOKUP_KEY_FALLBACKS = env.list(
    "LOOKUP_KEY_FALLBACKS", default=[] if LOOKUP_KEY else SECRET_KEY_FALLBACKS
)
LOOKUP_KEY = LOOKUP_KEY or SECRET_KEY
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="")

# Production hardening, all on unless DEBUG; `manage.py check --deploy` is clean with DEBUG off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Counters are shared desks: an idle session ends after SESSION_IDLE_MINUTES.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions read and renewed by one statement per request (onestop/auth.py says why).
SESSION_ENGINE = "onestop.auth"

# Content Security Policy: scripts and styles only from the project's own files (or with the
# request's nonce); nothing from elsewhere, no inline style attributes, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# API tokens end after this long unused, and this long after they were made (0: no limit).
API_TOKEN_IDLE_MINUTES = env.int("API_TOKEN_IDLE_MINUTES", default=24 * 60)
API_TOKEN_MAX_AGE_HOURS = env.int("API_TOKEN_MAX_AGE_HOURS", default=30 * 24)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "onestop.api.authentication.SessionAuthentication",
        "onestop.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only; the browsable HTML renderer while developing (DEBUG) and nowhere else.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PAGINATION_CLASS": "onestop.api.pagination.PageNumberPagination",
    # Malformed or absurdly nested JSON is a 400 in Vietnamese on every endpoint, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "onestop.api.parsers.JSONBodyParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "onestop.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "onestop API",
    "DESCRIPTION": "Bộ phận một cửa cấp phường: thủ tục, hồ sơ, phân công, báo cáo.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name for a choice set that several fields share (status, from/to status).
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "intake.models.Status",
        "DataEntryBatchStatusEnum": "postal.models.DataEntryBatch.Status",
        "DeliveryStatusEnum": "postal.deliveries.models.DeliveryStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "onestop.api.exceptions.document_unsupported_media_type",
    ],
}

# The demo (`seed_demo`, demo/): dossiers replayed per ward over the past year, and the password.
# Dossiers the demo replays in each ward over the past year, as "fewest-most".
DEMO_DOSSIERS_PER_WARD = env.str("DEMO_DOSSIERS_PER_WARD", default="150-300")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="onestop-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Rules every intake obeys besides the catalogue's own (each may refuse, or flag out-of-list).
INTAKE_RULES: list[str] = [
    # Postal workers receive only what the chief authorised, or out-of-list when assigned.
    "postal.rules.postal_intake_rule",
]
# What those rules would answer now, shown at intake before anything is saved (one per rule).
INTAKE_OFFERS: list[str] = [
    "postal.rules.postal_intake_offer",
]

# Records that are never hard-deleted (deactivated, cancelled, revoked or superseded instead):
# deleting one raises, whatever the code path (onestop/signals.py). "app_label.ModelName".
PROTECTED_FROM_DELETE: list[str] = [
    "intake.Dossier",
    "intake.DossierEvent",
    "intake.DossierFile",
    "intake.DossierSequence",
    "intake.DailyFigures",
    "intake.DailyProcedureFigures",
    "intake.PersonalDataAccess",
    "intake.Procedure",
    "onestop.User",
    "onestop.ApiToken",
    "wards.City",
    "wards.Ward",
    "wards.Counter",
    "wards.CalendarException",
    "wards.OfficialSwap",
    "postal.Assignment",
    "postal.AssignmentChange",
    "postal.ProcedureAuthorization",
    "postal.OutOfListReview",
    "postal.DataEntryBatch",
    "postal.DataEntryRecord",
    "postal.GuidanceSession",
    "postal.PostalWorkerProfile",
    "postal.AccountEvent",
    "postal.CounterChange",
    "postal.PostalTariff",
    "postal.Delivery",
    "postal.DeliveryRequest",
    "hall.ServiceGroup",
    "hall.Device",
    "hall.TicketSequence",
    "hall.Ticket",
    "hall.TicketEvent",
    "onestop.BackgroundTask",
    "onestop.TaskAttempt",
    "onestop.ExportFile",
]

# The hall: a ticket skipped as absent is called again after this many minutes, at most this
# many times, then dropped.
HALL_ABSENT_MINUTES = env.int("HALL_ABSENT_MINUTES", default=5)
HALL_ABSENT_RECALLS = env.int("HALL_ABSENT_RECALLS", default=1)

# Role → dotted path of the view that renders that role's home page ("": every other role).
HOME_VIEWS: dict[str, str] = {
    "postal_worker": "postal.views.today",
    "chief": "postal.views.dashboard",
    "officer": "intake.views.home.officer_home",
    "": "wards.views.home",  # every other role, and the technical administrator
}
