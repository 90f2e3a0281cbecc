"""Settings for motcua, read from environment variables.

Production defaults are safe: DEBUG is off and the process refuses to start without SECRET_KEY.
`make run` sets the development values (DEBUG=1 and a throw-away key) for the demo.

Every environment variable read here is declared in `motcua/conf.py`, with its type, default and meaning;
docs/CONFIGURATION.md lists them all.
"""

import copy
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from motcua import conf

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    """The environment variable `name`, which `motcua.conf` must declare (with its type, default and meaning)."""
    if not conf.is_declared_variable(name):
        raise ImproperlyConfigured(f"{name} is read by the settings but not declared in motcua/conf.py.")
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Sandboxes, simulators and demo secrets work only with DEBUG or this explicit setting (a public demo server);
# without both the process is in production mode and refuses to start with any of them (see motcua.safety).
MOTCUA_DEMO_MODE = env_bool("MOTCUA_DEMO_MODE", False)
# Citizens identify with VNeID (Decree 69/2024/NĐ-CP): local citizen passwords (self-registration, password login,
# accounts opened at the counter with a password) exist only where the deployment switches them on; the demo does.
MOTCUA_CITIZEN_PASSWORDS = env_bool("MOTCUA_CITIZEN_PASSWORDS", DEBUG or MOTCUA_DEMO_MODE)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (`make run` sets a development key for the demo)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env("MOTCUA_DATA_DIR", str(Path.cwd() / "var"))).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs page with its bundled Swagger UI assets (no CDN)
    "motcua.accounts",
    "motcua.org",
    "motcua.audit",
    "motcua.workdays",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.national_portal",
    "motcua.documents",
    "motcua.feedback",
    "motcua.tickets",
    "motcua.notifications",
    "motcua.citizens",
    "motcua.privacy",
    "motcua.payments",
    "motcua.monitoring",
    "motcua.reports",
    "motcua.api",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.apitokens",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.middleware.PermissionsPolicyMiddleware",
    "motcua.middleware.NulByteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.backoffice.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each server process borrows its connections from a psycopg pool of at most MOTCUA_DB_POOL_MAX_SIZE
    # (default: the server's threads per worker, see motcua/gunicorn_conf.py), so the number of connections is
    # bounded by processes x pool size whatever the number of clients; a request that finds the pool empty waits
    # up to MOTCUA_DB_POOL_TIMEOUT seconds. MOTCUA_DB_POOL_MAX_SIZE=0 turns the pool off (e.g. behind PgBouncer):
    # connections are then kept MOTCUA_DB_CONN_MAX_AGE seconds.
    _pool_max = int(env("MOTCUA_DB_POOL_MAX_SIZE") or env("MOTCUA_WEB_THREADS") or "2")
    if _pool_max > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections (Django requires 0)
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(int(env("MOTCUA_DB_POOL_MIN_SIZE", "1")), _pool_max),
            "max_size": _pool_max,
            "timeout": float(env("MOTCUA_DB_POOL_TIMEOUT", "10")),
        }
        # The hot reads of motcua.prepared become server-side prepared statements on the pooled connections
        # after 2 executions (planning the public status lookup took 0.4-0.6 ms of the database's CPU, four
        # times its execution). Only those reads bind on the server: every other query keeps Django's default
        # client-side binding, which psycopg never prepares. Off without the pool (PgBouncer before 1.21 in
        # transaction mode does not carry prepared statements).
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(env("MOTCUA_DB_CONN_MAX_AGE", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Embedded mode: WAL lets readers run beside the writer; IMMEDIATE transactions take the write lock up
    # front so that concurrent writers wait (timeout) instead of failing with "database is locked".
    # Connections are kept (per server thread): closing the last one checkpoints and deletes the WAL file,
    # which the next request would pay for again (measured: 6.6 against 3.4 ms of server CPU per status lookup).
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("MOTCUA_DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

# Read replicas (streaming replicas of the PostgreSQL primary): DATABASE_REPLICA_URLS, comma-separated, become the
# aliases replica_1, replica_2, ... with the primary's pool options. Reads go there only inside the scopes that
# motcua.db_routing describes (reports, monitoring lists, public lookup and search), never writes.
MOTCUA_DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS: a replica must use the same database engine as DATABASE_URL."
        )
    _replica["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    _replica["OPTIONS"] = copy.deepcopy(DATABASES["default"].get("OPTIONS", {}))
    DATABASES[f"replica_{_number}"] = _replica
    MOTCUA_DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["motcua.db_routing.ReplicaRouter"]
# Tests only (motcua.test_settings, with replicas): each replica read first waits until the replica has replayed
# the primary's log, so that a test reads back what it has just written.
MOTCUA_REPLICA_SYNC_READS = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": env("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "motcua@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only (HSTS) in production: one year by default, SECURE_HSTS_SECONDS=0 turns it off (e.g. while TLS is
# being set up); subdomains and preload only when the deployment says so.
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
# Behind a reverse proxy that terminates TLS, sets X-Forwarded-Proto and strips it from clients' requests:
# SECURE_PROXY_SSL=1 lets Django see those requests as HTTPS (secure cookies' requests, HSTS).
if env_bool("SECURE_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): every script and style is a file served by motcua, none inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page uses (motcua.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Login throttling (django-axes), staff and citizens alike: LOGIN_FAILURE_LIMIT wrong passwords for one account
# from one source lock further attempts of that account from that source for LOGIN_LOCK_MINUTES (HTTP 429 with
# a Vietnamese page); the account stays open from other sources, so nobody can lock a citizen out everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "login_locked.html"
# The client's address as every throttle reads it (motcua.client_address): behind reverse proxies, the entry of
# LOOKUP_CLIENT_IP_HEADER (e.g. HTTP_X_FORWARDED_FOR) written by the farthest of LOOKUP_CLIENT_IP_PROXIES proxies.
LOOKUP_CLIENT_IP_HEADER = env("LOOKUP_CLIENT_IP_HEADER")
LOOKUP_CLIENT_IP_PROXIES = int(env("LOOKUP_CLIENT_IP_PROXIES", "1"))
AXES_CLIENT_IP_CALLABLE = "motcua.accounts.login_throttle.client_ip"
AXES_DISABLE_ACCESS_LOG = True

# Fallback only: each dossier takes the regime ("2018": Decree 61/2018, Circular 01/2018; "2025": Decree
# 118/2025, Circular 03/2025) of the regime period in force where and when it is received (dossiers.RegimePeriod,
# edited in the admin; see docs/REGIME.md). This value applies only to a day that no regime period covers.
MOTCUA_RULE_REGIME = env("MOTCUA_RULE_REGIME", "2018")
# Whether `load_demo` generates the demo center's 2022 history (21,037 dossiers) for the reports.
MOTCUA_DEMO_HISTORY = env_bool("MOTCUA_DEMO_HISTORY", True)
# Public base URL, printed in QR codes and notifications: production must set it (system check motcua.E040);
# `make run` derives it from its HOST and PORT (see motcua/public_url.py).
MOTCUA_PUBLIC_URL = env("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000" if DEBUG else "")
# Monitoring: near due within N working days or with less than this share of the legal time left (0 turns a
# rule off); reminders escalate to the agency's leaders and the center directors after N working days late.
MOTCUA_NEAR_DUE_WORKING_DAYS = env("MOTCUA_NEAR_DUE_WORKING_DAYS", "1")
MOTCUA_NEAR_DUE_SHARE = env("MOTCUA_NEAR_DUE_SHARE", "0.2")
MOTCUA_REMINDER_ESCALATION = {
    "leader": int(env("MOTCUA_REMINDER_LEADER_AFTER_DAYS", "1")),
    "director": int(env("MOTCUA_REMINDER_DIRECTOR_AFTER_DAYS", "3")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Development serves static files straight from the apps' folders.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# dd/mm/yyyy everywhere, typed and shown (see motcua/formats/).
FORMAT_MODULE_PATH = ["motcua.formats"]

# Shared cache (throttles, lookups): the database cache by default, so that every process sees the same counts.
# The table is created by the notifications app's migrations (and by `motcua createcachetable`).
CACHES = {
    "default": {
        "BACKEND": env("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env("CACHE_LOCATION", "motcua_cache"),
    }
}

# National Public Service Portal connector (motcua.national_portal): its NATIONAL_PORTAL_* variables (an empty
# NATIONAL_PORTAL_URL turns it off) are read by motcua/national_portal/conf.py, the one list of its keys. A
# deployment's settings may define NATIONAL_PORTAL = {"url": ..., ...} instead; that dict replaces the variables.

# Citizen login (motcua.citizens.login_providers): VNeID, the national electronic identification (plugin "vneid"),
# on when VNEID_SSO_URL (its identity server) is set, shown first; and the National Public Service Portal account
# (plugin "national_portal", motcua.national_portal.login), on when NATIONAL_PORTAL_SSO_URL is set. The demo points
# both at the local portal simulator, whose demo client secret is refused unless DEBUG or MOTCUA_DEMO_MODE is on.
MOTCUA_LOGIN_PROVIDERS = {}
if env("VNEID_SSO_URL"):
    MOTCUA_LOGIN_PROVIDERS["vneid"] = {
        "plugin": "vneid",
        "server_url": env("VNEID_SSO_URL"),
        "issuer": env("VNEID_SSO_ISSUER"),
        "client_id": env("VNEID_SSO_CLIENT_ID"),
        "client_secret": env("VNEID_SSO_CLIENT_SECRET"),
    }
if env("NATIONAL_PORTAL_SSO_URL"):
    MOTCUA_LOGIN_PROVIDERS["dvcqg"] = {
        "plugin": "national_portal",
        "label": gettext_noop("Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"),
        "server_url": env("NATIONAL_PORTAL_SSO_URL"),
        "client_id": env("NATIONAL_PORTAL_SSO_CLIENT_ID"),
        "client_secret": env("NATIONAL_PORTAL_SSO_CLIENT_SECRET"),
    }
# Files (uploads, digitised documents, results): a local folder by default; an S3-compatible object store when
# MOTCUA_S3_BUCKET is set (django-storages; endpoint, keys and region from the environment).
if env("MOTCUA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MOTCUA_S3_BUCKET"),
            "endpoint_url": env("MOTCUA_S3_ENDPOINT_URL") or None,
            "access_key": env("MOTCUA_S3_ACCESS_KEY") or None,
            "secret_key": env("MOTCUA_S3_SECRET_KEY") or None,
            "region_name": env("MOTCUA_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Certificate used to sign electronic results (see motcua.documents.signing).
MOTCUA_SIGNING_DIR = env("MOTCUA_SIGNING_DIR", str(DATA_DIR / "signing"))
# Encrypts the agencies' stored private keys (derived from SECRET_KEY when empty: set it in production).
MOTCUA_SIGNING_PASSPHRASE = env("MOTCUA_SIGNING_PASSPHRASE")
# Background work (Django's Tasks API, django-tasks): MOTCUA_TASK_BACKEND is "database" (default: tasks wait in the
# database for `motcua db_worker`, which `make run` starts), "immediate" (run inside the request; tests) or the
# dotted path of another backend class (e.g. a Redis-backed queue when the deployment grows).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(
            env("MOTCUA_TASK_BACKEND", "database"), env("MOTCUA_TASK_BACKEND", "database")
        ),
    }
}
# The national emblem (Quốc huy) shown top-left in the top bar: the path of a static file that the deployment
# provides (the official artwork, never altered; none is bundled). Empty: no emblem. A deployment may put the file
# in MOTCUA_STATIC_DIR (an extra static folder), e.g. MOTCUA_EMBLEM=quoc-huy.svg.
MOTCUA_EMBLEM = env("MOTCUA_EMBLEM")
# Reference rows read on every request (API tokens, staff assignments, procedures and process templates; see
# motcua.refcache) are kept until they change: a process checks the database's change stamp at most once per
# this many seconds, so a change is seen everywhere within it. Also the seconds between two checks of the
# calendar's overrides.
MOTCUA_REFERENCE_CACHE_SECONDS = float(env("MOTCUA_REFERENCE_CACHE_SECONDS", "2"))
MOTCUA_CALENDAR_RECHECK_SECONDS = float(env("MOTCUA_CALENDAR_RECHECK_SECONDS", "1"))
# Seconds the public home page keeps this year's figures (the report services and the 766 index); 0: no cache.
MOTCUA_HOME_FIGURES_SECONDS = int(env("MOTCUA_HOME_FIGURES_SECONDS", "300"))
if env("MOTCUA_STATIC_DIR"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, Path(env("MOTCUA_STATIC_DIR"))]
