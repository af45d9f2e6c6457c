"""chainlead settings. Everything comes from environment variables; nothing here is a secret.

Variables (see README.md, "配置 / Configuration"):

- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/chainlead``. Unset means SQLite in WAL mode
  at ``$CHAINLEAD_DATA_DIR/chainlead.sqlite3``.
- ``SECRET_KEY``: required in production; for a local run one is generated into the data folder.
- ``ALLOWED_HOSTS``: comma-separated, default ``127.0.0.1,localhost``.
- ``REDIS_URL``: optional; switches the job queue (huey) and the cache to Redis.
- ``CHAINLEAD_ENV``: ``production`` turns on HTTPS-only cookies, HSTS and the other deploy checks.
- ``CHAINLEAD_DATA_DIR``: where the SQLite files and uploaded files live (default ``./var``).
- ``LANGUAGE_CODE`` (default ``zh-hans``), ``TIME_ZONE`` (default ``Asia/Shanghai``).
- ``CHAINLEAD_SESSION_IDLE_MINUTES`` (default 30), ``CHAINLEAD_LOGIN_MAX_FAILURES`` (5),
  ``CHAINLEAD_LOGIN_LOCK_MINUTES`` (15), ``CHAINLEAD_CHANGELOG_RETENTION_DAYS`` (365, at least 180).
- ``EMAIL_URL``-style settings are not used; set ``EMAIL_HOST`` etc. to send reminders by email.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}")


BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env("CHAINLEAD_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env("CHAINLEAD_ENV", "local") == "production"
# Under pytest the settings switch to test mode even if CHAINLEAD_TESTING was not exported.
TESTING = env_bool("CHAINLEAD_TESTING") or "pytest" in sys.modules
DEBUG = env_bool("CHAINLEAD_DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CHAINLEAD_ENV=production")
    # A local run keeps a generated key in the data folder so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()]

INSTALLED_APPS = [
    "chainlead.core.admin_site.ChainleadAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "simple_history",
    "huey.contrib.djhuey",
    "chainlead.core",
    "chainlead.utilities",
    "chainlead.organization",
    "chainlead.enterprises",
    "chainlead.chains",
    "chainlead.projects",
    "chainlead.targets",
    "chainlead.warroom",
    "chainlead.dispatch",
    "chainlead.supervision",
    "chainlead.assessment",
    "chainlead.ledger",
    "chainlead.dashboard",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chainlead.core.middleware.ChangeContextMiddleware",
    "chainlead.organization.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "chainlead.urls"
CSRF_FAILURE_VIEW = "chainlead.core.views.csrf_failure"
FORM_RENDERER = "chainlead.utilities.forms.TablerFormRenderer"
WSGI_APPLICATION = "chainlead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chainlead" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chainlead.core.context_processors.platform",
            ],
            "builtins": ["chainlead.utilities.templatetags.chainlead"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_database_url = env("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types; the message is what matters.
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database address ({exc})") from None
    if not _db.get("ENGINE") or not _db.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database engine or database name")
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "chainlead.sqlite3"),
        "OPTIONS": {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start
            # of a transaction, so two processes never deadlock upgrading a read lock.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }
_db.setdefault("TEST", {})
if _db["ENGINE"].endswith("sqlite3"):
    _db["TEST"].setdefault("NAME", None)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, jobs ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("CHAINLEAD_QUEUE_NAME", "chainlead"),
        "url": REDIS_URL,
        "immediate": TESTING and not env_bool("CHAINLEAD_REAL_QUEUE"),
        "utc": True,
        "consumer": {"workers": env_int("CHAINLEAD_WORKERS", 2), "worker_type": "thread"},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "chainlead",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING and not env_bool("CHAINLEAD_REAL_QUEUE"),
        "utc": True,
        "consumer": {"workers": env_int("CHAINLEAD_WORKERS", 2), "worker_type": "thread"},
    }
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env_int("CHAINLEAD_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request pushes the expiry forward
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Authentication and passwords (等保2.0 level 3) --------------------------------------------------
AUTH_USER_MODEL = "organization.User"
AUTHENTICATION_BACKENDS = ["chainlead.organization.auth.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_MAX_FAILURES = env_int("CHAINLEAD_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("CHAINLEAD_LOGIN_LOCK_MINUTES", 15)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests log in hundreds of times; argon2's deliberate cost would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "chainlead.organization.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Tabler and ECharts set inline style attributes; styles cannot run code.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("CHAINLEAD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CHAINLEAD_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chainlead" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chainlead.formats"]

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "chainlead" / "static", ("vendor", BASE_DIR / "build" / "vendor")]
MEDIA_ROOT = Path(env("CHAINLEAD_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go out through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (TESTING or DEBUG)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["map", "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "br", "woff2"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("CHAINLEAD_UPLOAD_MAX_MB", 50) * 1024 * 1024


# --- API ------------------------------------------------------------------------------------------
def _enum_name_overrides() -> dict:
    import importlib.util

    merged: dict = {}
    for app in INSTALLED_APPS:
        if app.startswith("chainlead.") and app.count(".") == 1 and importlib.util.find_spec(f"{app}.enum_names"):
            merged.update(importlib.import_module(f"{app}.enum_names").ENUM_NAME_OVERRIDES)
    return merged


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["chainlead.utilities.api_defaults.RestrictedObjectPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "chainlead.utilities.api_defaults.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "chainlead.utilities.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chainlead 接口 API",
    "DESCRIPTION": "重点产业链链长制与挂图作战平台的 REST 接口。金额单位：万元。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choices shared by several fields get one schema name: each app lists its own in a
    # Django-free module chainlead/<app>/enum_names.py (ENUM_NAME_OVERRIDES = {...}).
    "ENUM_NAME_OVERRIDES": _enum_name_overrides(),
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "chainlead.utilities.api.add_error_responses",
    ],
}

FILTERS_EMPTY_CHOICE_LABEL = _("全部")
FILTERS_NULL_CHOICE_LABEL = _("（空）")

# --- Change log and audit -------------------------------------------------------------------------
CHANGELOG_RETENTION_DAYS = max(180, env_int("CHAINLEAD_CHANGELOG_RETENTION_DAYS", 365))
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Mail (reminders) -----------------------------------------------------------------------------
# Django 6.1 MAILERS. Locally, without EMAIL_HOST, mail is dropped (reminders still appear in-app);
# in production mail goes to EMAIL_HOST (default: the local MTA on localhost:25).
_email_host = env("EMAIL_HOST", "localhost" if PRODUCTION else None)
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": 10,
            },
        }
        if _email_host
        else {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "chainlead@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # huey's consumer adds its own handler; not propagating avoids every line twice.
    "loggers": {"huey": {"level": "WARNING" if TESTING else "INFO", "propagate": False}},
}

PLATFORM_NAME = _("产业链链长制平台")


def _business_date():
    value = env("CHAINLEAD_TODAY")
    if not value:
        return None
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"CHAINLEAD_TODAY must be a date like 2021-11-30, got {value!r}")


#: A fixed business date for demonstrations and training (see chainlead/core/clock.py).
CHAINLEAD_TODAY = _business_date()
