"""Settings shared by every environment. Environment-specific files import from here."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from django_celery_beat.tzcrontab import TzAwareCrontab

from etown.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "accounts",
    "notifications",
    "workplan",
    "supervision",
    "api",
    "etown.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "health_check",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "etown.apps.EtownConfig",
]

MIDDLEWARE = [
    # First, so the request line times everything and sees every status, redirects included.
    "etown.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "etown.headers.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything queries: every statement of a web request is time-limited on PostgreSQL.
    "etown.statement_timeout.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: it refuses an over-long body (413) before anything reads it.
    "etown.request_limits.RequestBodyLimitMiddleware",
    # Then a null character anywhere in the request is 400: PostgreSQL cannot take one.
    "etown.bad_input.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An API request's `Authorization: Token` signs its user in for this request only, so the
    # body limit, the request log and the history see who sent it (api/middleware.py).
    "api.middleware.ApiTokenMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a sign-in from an address over the limit into the lockout page (etown.throttle).
    "etown.throttle.SignInThrottleMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "etown.urls"
WSGI_APPLICATION = "etown.wsgi.application"

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
                "notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Web requests only (etown/statement_timeout.py); 0 is off. Production sets 15 s.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=0)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workplan:dashboard"
LOGOUT_REDIRECT_URL = "login"

# The address limit, then AxesStandaloneBackend: they refuse an address over the limit and a
# locked-out user before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "etown.throttle.SignInThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sessions live in the database, never in Redis, so signing in survives a Redis outage.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Signed out after this much inactivity: activity pushes the expiry forward (at most once a
# minute, see accounts.middleware.SessionIdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language cookie is read by the server alone; no script needs it, no other site sends it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Sign-in protection (django-axes): after AXES_FAILURE_LIMIT failures for one username from
# one address, that pair is refused for AXES_COOLOFF_TIME; admins lift it in /admin/axes/.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "etown.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Behind reverse proxies that append to X-Forwarded-For, set TRUSTED_PROXY_COUNT to their
# number so lockouts, sign-in and reset limits and the audit trail see the client's address,
# not the proxy's (etown.lockout.client_ip_address). Production requires it; 0 here serves
# `make run`, which no proxy fronts.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "etown.lockout.client_ip_address"
# Limits per address across usernames and per account (etown/throttle.py), counted in the
# cache: Redis in production, which every process shares. 0 turns a limit off.
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
SIGN_IN_ADDRESS_WINDOW_MINUTES = env.int("SIGN_IN_ADDRESS_WINDOW_MINUTES", default=15)
PASSWORD_RESET_ADDRESS_LIMIT = env.int("PASSWORD_RESET_ADDRESS_LIMIT", default=20)
PASSWORD_RESET_ACCOUNT_LIMIT = env.int("PASSWORD_RESET_ACCOUNT_LIMIT", default=5)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)

# Content-Security-Policy (django-csp 4): no inline script, no origin but our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files WhiteNoise serves at the site's root, whoever asks: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Evidence files are never served from a public URL; see the permission-checked download view.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis (see etown/cache.py): Redis down must not take the portal down. The
            # cache only holds what can be recomputed, so an unreachable Redis reads as empty.
            "BACKEND": "etown.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "etown",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                # A page waits at most this long for Redis before treating it as down.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each failure django-redis ignores is logged to etown.cache, one line per 30 s (LOGGING below).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "etown.cache"
# Figures cached until a task changes (workplan/caching.py) need one cache that every process
# shares: without Redis each process would keep figures the others made stale, so they are
# computed afresh on every request instead.
WORKPLAN_CACHE_FIGURES = env.bool("WORKPLAN_CACHE_FIGURES", default=bool(REDIS_URL))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set, otherwise jobs run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# In-process, a job's failure stays the job's, as on a worker: Celery logs it, and the page or
# service that queued the job carries on (a mail server that refuses never fails an approval).
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Longer than any task may run, so a task held by a live worker is never delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down, queuing a job from a page fails within a second instead of holding the page
# for ~20 s; etown.jobs.job_enqueue turns that failure into a logged False.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}

REMINDER_TIME = env("REMINDER_TIME", default="09:00")
REMINDER_DUE_SOON_DAYS = env.int("REMINDER_DUE_SOON_DAYS", default=3)
REMINDER_ESCALATE_AFTER_DAYS = env.int("REMINDER_ESCALATE_AFTER_DAYS", default=5)
# What the apps above the plan add to the daily digest (workplan/reminders/sections.py).
REMINDER_DIGEST_SECTIONS: list[str] = [
    "supervision.digest_cycles.REPORT_MISSING",
    "supervision.digest_urges.UNACKNOWLEDGED_URGES",
]
# Delivery: digests per send job (one SMTP connection each), retries with exponential backoff.
REMINDER_CHUNK_SIZE = env.int("REMINDER_CHUNK_SIZE", default=50)
REMINDER_MAX_RETRIES = env.int("REMINDER_MAX_RETRIES", default=6)
REMINDER_RETRY_BACKOFF_SECONDS = env.float("REMINDER_RETRY_BACKOFF_SECONDS", default=10)
REMINDER_RETRY_BACKOFF_MAX_SECONDS = env.float("REMINDER_RETRY_BACKOFF_MAX_SECONDS", default=60)
# A claim older than this is a dead worker's: the recovery job (every minute) sends it again.
# Must exceed the send job's time limit and the longest backoff; with the defaults a digest a
# crash left unsent goes out within lease + 1 minute = 3 minutes.
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=120)
REMINDER_RECOVERY_INTERVAL_SECONDS = env.int("REMINDER_RECOVERY_INTERVAL_SECONDS", default=60)
# The recovery job also runs the day's dispatch if none has finished by REMINDER_TIME.
REMINDER_CATCH_UP_MISSED_DISPATCH = env.bool("REMINDER_CATCH_UP_MISSED_DISPATCH", default=True)
# Beat's schedule follows these settings: django-celery-beat's DatabaseScheduler writes every
# entry here over the row of the same name at each beat start (an admin's edit of these two
# rows lasts until then; disabling one in the admin lasts). The names are the rows that
# workplan migration 0002 seeded, so a database from before keeps one row each.
# A notification mail claimed longer ago than this is a dead worker's, or one whose job was
# lost: the recovery job queues it again. Longer than the send job's time limit.
NOTIFICATION_MAIL_LEASE_SECONDS = env.int("NOTIFICATION_MAIL_LEASE_SECONDS", default=300)
NOTIFICATION_MAIL_RECOVERY_INTERVAL_SECONDS = env.int(
    "NOTIFICATION_MAIL_RECOVERY_INTERVAL_SECONDS", default=300
)
reminder_hour, reminder_minute = (int(part) for part in REMINDER_TIME.split(":"))
CELERY_BEAT_SCHEDULE = {
    "Daily reminder digests": {
        "task": "workplan.tasks.send_reminders",
        "schedule": TzAwareCrontab(
            minute=reminder_minute, hour=reminder_hour, tz=ZoneInfo(TIME_ZONE)
        ),
    },
    "Recover unsent reminders": {
        "task": "workplan.tasks.recover_reminders",
        "schedule": timedelta(seconds=REMINDER_RECOVERY_INTERVAL_SECONDS),
    },
    "Report unacknowledged urge notices": {
        "task": "supervision.tasks.report_unacknowledged_urges",
        "schedule": TzAwareCrontab(
            minute=reminder_minute, hour=reminder_hour, tz=ZoneInfo(TIME_ZONE)
        ),
    },
    "Recover unsent notification mails": {
        "task": "notifications.tasks.recover_notification_mails",
        "schedule": timedelta(seconds=NOTIFICATION_MAIL_RECOVERY_INTERVAL_SECONDS),
    },
    # Each report missing at a cycle's deadline, recorded and notified once (supervision/cycles.py).
    "Missing report notices": {
        "task": "supervision.tasks.notify_missing_reports",
        "schedule": TzAwareCrontab(
            minute=reminder_minute, hour=reminder_hour, tz=ZoneInfo(TIME_ZONE)
        ),
    },
}
CELERY_TASK_ANNOTATIONS = {
    "workplan.tasks.send_reminder_batch": {"soft_time_limit": 90, "time_limit": 100},
    "workplan.tasks.recover_reminders": {"soft_time_limit": 50, "time_limit": 55},
}

# Marks the apps above the plan put on tasks, shown on the plan's pages (workplan/marks.py).
TASK_MARKS = ["supervision.marks.REPORT_MISSING"]
# Urge notices (催办): working days after the sending day within which a recipient acknowledges.
URGE_ACK_DAYS = env.int("URGE_ACK_DAYS", default=1)
# What other apps add to the plan's pages, composed here so the plan imports none of them:
# panels on a task's page and on the dashboard (callables returning a workplan.panels.Panel or
# None), and actions on the admin's task list.
WORKPLAN_TASK_PANELS = [
    "supervision.panels.task_instructions",
    "supervision.panels.task_urges",
]
WORKPLAN_DASHBOARD_PANELS = [
    "supervision.panels.dashboard_instructions",
    "supervision.panels.dashboard_urges",
]
WORKPLAN_TASK_ADMIN_ACTIONS = ["supervision.admin.urges.urge_tasks"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Search caps (etown/search.py): words and characters of one search, in the admin and /tasks/.
SEARCH_MAX_TERMS = env.int("SEARCH_MAX_TERMS", default=10)
SEARCH_MAX_CHARS = env.int("SEARCH_MAX_CHARS", default=200)

# Evidence uploads.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Request bodies (etown/request_limits.py). The largest a person sends is a report with five
# evidence files; a visitor who has not signed in sends a form of a few fields. Past the
# limit the body is answered 413 unread. The reverse proxy's own limit (client_max_body_size
# in nginx) is set to REQUEST_BODY_MAX_BYTES too; see the README's Production section.
REQUEST_BODY_MAX_BYTES = env.int(
    "REQUEST_BODY_MAX_BYTES", default=5 * EVIDENCE_MAX_BYTES + 2 * 1024 * 1024
)
REQUEST_BODY_MAX_BYTES_ANONYMOUS = env.int("REQUEST_BODY_MAX_BYTES_ANONYMOUS", default=64 * 1024)
FILE_UPLOAD_HANDLERS = [
    "etown.request_limits.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The fields of a form, files apart, held in memory. A note is at most 5,000 characters; 12 MB
# still lets a pasted note of megabytes come back as the form's error rather than a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Django's default, said here on purpose: the largest form is an admin page of 100 selected
# rows or a task with its inline reports, far below it; a body of 100,000 fields is refused.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

SIMPLE_HISTORY_REVERT_DISABLED = True

# The REST API (api/): token or session (with CSRF) sign-in, JSON, throttled per user and per
# address (rates "N/second|minute|hour|day"; empty turns a limit off), cursor-paginated lists.
API_THROTTLE_USER_RATE = env("API_THROTTLE_USER_RATE", default="600/minute") or None
API_THROTTLE_ADDRESS_RATE = env("API_THROTTLE_ADDRESS_RATE", default="1200/minute") or None
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_PAGE_SIZE_MAX = 200
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserThrottle", "api.throttling.AddressThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "E-Town work-plan portal API",
    "DESCRIPTION": "Tasks, progress reports, reviews, areas and indicators of the work plan.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files are served from our own static files (drf-spectacular-sidecar): the
    # content security policy allows no other origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema is for signed-in clients, like every page but sign-in (SPEC: Web).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "workplan.models.TaskStatus",
        "UrgencyEnum": "workplan.urgency.Urgency",
        "ReviewStateEnum": "workplan.models.ReviewState",
    },
}

# A trivial signed-in view at /bench/floor, the floor the benchmarks compare pages with.
BENCH_FLOOR_VIEW = env.bool("BENCH_FLOOR_VIEW", default=False)

# One JSON line per request (etown.request), per Celery job (etown.job) and per sign-in event
# (etown.audit); see etown/logs.py for what is never written.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "etown.logs.json_formatter"}},
    "filters": {"once_per_30s": {"()": "etown.logs.OncePerInterval", "seconds": 30}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Our request line replaces Django's own 4xx/5xx request warnings.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # An outage is said once per interval, not on every cache call.
        "etown.cache": {"filters": ["once_per_30s"]},
    },
}
